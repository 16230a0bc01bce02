//! Rescaled parameter sets for other chassis, and the calibration that produced them.
//!
//! The Weiße model has an exact size symmetry: multiplying the cell mass M, every maximal
//! transcription rate (w_r, w_e, w_q), every internal threshold (θ_r, θ_nr, K_γ, K_m, K_q)
//! by f and dividing the binding rate k_b by f (binding is bimolecular: a molecule in a
//! smaller cell is at a higher concentration) multiplies every steady-state amount by f and
//! leaves λ and the elongation rate γ(a) unchanged ([`scale_cell`]; tested). So a chassis is
//! calibrated in two stages:
//!
//! 1. growth rate and elongation, on the E. coli-sized model: the elongation threshold K_γ
//!    and the nutrient efficiency n_s are solved for so that the steady state (s0 = 10⁴, no
//!    heterologous genes) has λ = ln 2 / doubling time and γ(a) = the target elongation
//!    rate (nested one-dimensional root finding, [`calibrate`]). γ_max stays at 1260 aa/min
//!    (21 aa/s): raising it cannot work, because in this model slow growth means little
//!    energy a, and with Weiße's K_γ = 7 even γ_max = 10 × 12 aa/s gives only ~8 aa/s at a
//!    105 min doubling; a lower K_γ (ribosomes that stay fast at low energy) is what the
//!    slow-growing, fast-elongating syn3A and yeast need;
//! 2. size: the cell is rescaled by f = target ribosomes / steady-state ribosomes, which
//!    leaves 1. untouched.
//!
//! Targets (see `../shared/reference/biology-and-scheduling.md`, section A1):
//! - syn3a (JCVI-syn3A): ~500 ribosomes (Thornburg 2022, the CME-ODE model's 503), 12 aa/s
//!   (riboKcat in the Minimal_Cell rate laws), 105 min doubling (Breuer 2019 / Thornburg
//!   2019). Protein lengths kept at E. coli's (bacterial ribosome).
//! - yeast (S. cerevisiae): ~2×10⁵ ribosomes (BNID 100267), 10.5 aa/s (PMC9098079), ~90 min
//!   doubling in rich medium; ribosome 12 500 aa and a typical protein 370 aa (PMC9098079).
//!
//! The results are the constants of [`WeisseParams::syn3a`] and [`WeisseParams::yeast`];
//! the tests check that their steady states reproduce the targets within 5 %, and an
//! ignored (slow) test re-runs the calibration and compares it with the constants.
//! This is a coarse-grained rescaling: the yeast set keeps a bacterial model structure
//! (no nucleus, no separate RNA polymerases), so only the three calibrated numbers, not the
//! detailed proteome, should be read as yeast-like.

use serde::{Deserialize, Serialize};

use super::params::WeisseParams;
use super::steady::{weisse_steady_state, SteadyState, SteadyStateOptions};
use crate::error::{BioxenError, Result};

/// What a calibrated chassis should reproduce at steady state (s0 = 10⁴, no heterologous
/// genes).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrowthTargets {
    /// Total ribosomes r + Σc.
    pub ribosomes: f64,
    /// Elongation rate γ(a) per translating ribosome (aa/s).
    pub elongation_aa_per_s: f64,
    /// ln 2 / λ (min).
    pub doubling_time_min: f64,
}

impl GrowthTargets {
    pub const SYN3A: GrowthTargets = GrowthTargets {
        ribosomes: 500.0,
        elongation_aa_per_s: 12.0,
        doubling_time_min: 105.0,
    };
    pub const YEAST: GrowthTargets = GrowthTargets {
        ribosomes: 2e5,
        elongation_aa_per_s: 10.5,
        doubling_time_min: 90.0,
    };
}

/// The medium every calibration uses (Table S1's s).
pub const CALIBRATION_S0: f64 = 1e4;

/// The exact size symmetry of the model: a cell `f` times bigger (see the module docs).
pub fn scale_cell(p: &WeisseParams, f: f64) -> WeisseParams {
    WeisseParams {
        m: p.m * f,
        wr: p.wr * f,
        we: p.we * f,
        wq: p.wq * f,
        thetar: p.thetar * f,
        thetax: p.thetax * f,
        kgamma: p.kgamma * f,
        km: p.km * f,
        kq: p.kq * f,
        kb: p.kb / f,
        ..p.clone()
    }
}

fn steady(p: &WeisseParams) -> Result<SteadyState> {
    weisse_steady_state(&SteadyStateOptions {
        s0: CALIBRATION_S0,
        params: Some(p.clone()),
        rtol: 1e-9,
        atol: 1e-9,
        max_time_min: 2e5,
        ..Default::default()
    })
}

/// Find x in [lo, hi] (geometric bisection + secant) with g(x) = 0, g increasing.
fn solve_increasing(
    mut lo: f64,
    mut hi: f64,
    tol: f64,
    mut g: impl FnMut(f64) -> Result<f64>,
) -> Result<f64> {
    let (mut glo, mut ghi) = (g(lo)?, g(hi)?);
    if !(glo < 0.0 && ghi > 0.0) {
        return Err(BioxenError::arg(
            "targets",
            format!("not reachable: the bracket [{lo}, {hi}] gives [{glo}, {ghi}]"),
        ));
    }
    for i in 0..100 {
        // Illinois-style false position in log space, with a bisection every third step.
        let (llo, lhi) = (lo.ln(), hi.ln());
        let lx = if i % 3 == 2 {
            0.5 * (llo + lhi)
        } else {
            llo - glo * (lhi - llo) / (ghi - glo)
        };
        let x = lx.exp();
        let gx = g(x)?;
        if gx.abs() < tol || (hi - lo) / x < 1e-12 {
            return Ok(x);
        }
        if gx < 0.0 {
            lo = x;
            glo = gx;
        } else {
            hi = x;
            ghi = gx;
        }
    }
    Ok((lo * hi).sqrt())
}

/// Calibrate `base` (E. coli-sized, with the chassis's protein lengths) to `targets`:
/// returns the parameters and their steady state. See the module docs.
pub fn calibrate(
    base: &WeisseParams,
    targets: &GrowthTargets,
) -> Result<(WeisseParams, SteadyState)> {
    let lambda_t = std::f64::consts::LN_2 / targets.doubling_time_min;
    let gamma_t = targets.elongation_aa_per_s * 60.0;
    base.validate()?;
    for (name, v) in [
        ("targets.ribosomes", targets.ribosomes),
        ("targets.elongation_aa_per_s", targets.elongation_aa_per_s),
        ("targets.doubling_time_min", targets.doubling_time_min),
    ] {
        let positive = v.is_finite() && v > 0.0;
        if !positive {
            return Err(BioxenError::arg(
                name,
                format!("must be finite and > 0, got {v}"),
            ));
        }
    }
    let below_max = gamma_t < base.gmax;
    if !below_max {
        return Err(BioxenError::arg(
            "targets.elongation_aa_per_s",
            format!("must be below γ_max = {} aa/min", base.gmax),
        ));
    }
    // n_s giving λ = λ_target for a given K_γ.
    let ns_for = |kgamma: f64| -> Result<f64> {
        let p0 = WeisseParams {
            kgamma,
            ..base.clone()
        };
        solve_increasing(0.01, 1.0, 1e-12, |ns| {
            let ss = steady(&WeisseParams { ns, ..p0.clone() })?;
            Ok(ss.lambda / lambda_t - 1.0)
        })
    };
    // γ(a) falls as K_γ rises: solve in u = 1/K_γ, where it rises.
    let u = solve_increasing(1.0 / 7.0, 1.0 / 0.02, 1e-10, |u| {
        let kgamma = 1.0 / u;
        let ns = ns_for(kgamma)?;
        let ss = steady(&WeisseParams {
            kgamma,
            ns,
            ..base.clone()
        })?;
        Ok(ss.elongation_aa_per_min / gamma_t - 1.0)
    })?;
    let kgamma = 1.0 / u;
    let ns = ns_for(kgamma)?;
    let grown = WeisseParams {
        kgamma,
        ns,
        ..base.clone()
    };
    let ss = steady(&grown)?;
    let ribosomes = ss.value("r").unwrap_or(0.0)
        + ["cr", "ct", "cm", "cq"]
            .iter()
            .map(|n| ss.value(n).unwrap_or(0.0))
            .sum::<f64>();
    let p = scale_cell(&grown, targets.ribosomes / ribosomes);
    let ss = steady(&p)?;
    Ok((p, ss))
}

impl WeisseParams {
    /// JCVI-syn3A, rescaled from the E. coli set by [`calibrate`] to ~500 ribosomes, 12 aa/s
    /// and a 105 min doubling ([`GrowthTargets::SYN3A`]).
    pub fn syn3a() -> Self {
        scale_cell(
            &WeisseParams {
                kgamma: SYN3A_KGAMMA,
                ns: SYN3A_NS,
                ..WeisseParams::ecoli()
            },
            SYN3A_SCALE,
        )
    }

    /// S. cerevisiae, rescaled by [`calibrate`] to ~2×10⁵ ribosomes, 10.5 aa/s and a 90 min
    /// doubling ([`GrowthTargets::YEAST`]), with yeast protein lengths.
    pub fn yeast() -> Self {
        scale_cell(
            &WeisseParams {
                kgamma: YEAST_KGAMMA,
                ns: YEAST_NS,
                ..yeast_lengths()
            },
            YEAST_SCALE,
        )
    }
}

/// The yeast starting point: E. coli parameters with yeast protein lengths (ribosome
/// ≈ 12 500 aa of protein, typical protein ≈ 370 aa; PMC9098079).
pub fn yeast_lengths() -> WeisseParams {
    WeisseParams {
        nr: 12_500.0,
        nx: 370.0,
        ..WeisseParams::ecoli()
    }
}

// Results of `calibrate` (re-derived by the ignored test
// `calibration_reproduces_the_committed_constants` in tests/kinetics.rs): K_γ and n_s on the
// E. coli-sized model, then the size factor f (M = f·10⁸ aa).
// syn3a: K_γ = 0.2269 → 0.0806 molecules after scaling, n_s = 0.0755, f = 0.355
//        (M = 3.6×10⁷ aa); φ_R = 0.105.
// yeast: K_γ = 2.818 → 459 molecules after scaling, n_s = 0.232, f = 163 (M = 1.6×10¹⁰ aa,
//        i.e. ~4.4×10⁷ proteins of 370 aa, near BNID 106198's 5×10⁷); φ_R = 0.153.
pub(crate) const SYN3A_KGAMMA: f64 = 0.226_909_476_446_109_3;
pub(crate) const SYN3A_NS: f64 = 0.075_502_119_058_346_83;
pub(crate) const SYN3A_SCALE: f64 = 0.355_136_431_174_055_63;
pub(crate) const YEAST_KGAMMA: f64 = 2.818_096_533_758_306_6;
pub(crate) const YEAST_NS: f64 = 0.232_176_152_993_448_93;
pub(crate) const YEAST_SCALE: f64 = 162.989_624_328_645_73;

/// The committed calibration results `(K_γ, n_s, f)` for syn3a and yeast, for tests.
pub fn committed_constants() -> [(f64, f64, f64); 2] {
    [
        (SYN3A_KGAMMA, SYN3A_NS, SYN3A_SCALE),
        (YEAST_KGAMMA, YEAST_NS, YEAST_SCALE),
    ]
}
