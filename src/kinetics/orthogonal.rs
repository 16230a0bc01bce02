//! The orthogonal-ribosome host of Darlington, Kim, Jiménez & Bates 2018 (*Nat Commun*
//! 9:695), as coded in `apsduk/Nat-Commun-2018` (`lib/oriboODE.m`,
//! `lib/makeinitialconditions.m`, `libODE/singlegene.m`).
//!
//! It differs from Weiße's host in how ribosomes are made: the ribosomal mRNA is translated
//! into free r-protein x_R (not a finished ribosome), which assembles with host rRNA r_R into
//! host ribosomes p_R, or with orthogonal rRNA r_P into o-ribosomes p_P. O-ribosomes are
//! therefore not extra capacity but a partition of one r-protein pool. Host mRNAs are
//! translated by p_R only, heterologous ("VM") mRNAs by p_P only.
//!
//! ```text
//! γ, λ = γ·(c_t + c_m + c_q + c_r + Σ c_j)/M, ν_imp, ν_cat, ω_x as in Weiße;
//! ω_rR = w_rR·a/(θ_rR + a),  ω_rP = w_rP·a/(θ_rP + a)
//! dx_R/dt = ν_r − λ·x_R − b_rR·x_R·r_R + u_rR·p_R − b_rP·x_R·r_P + u_rP·p_P
//! dr_R/dt = ω_rR − (λ + d_rR)·r_R − b_rR·x_R·r_R + u_rR·p_R
//! dp_R/dt = b_rR·x_R·r_R − u_rR·p_R − λ·p_R + Σ_host x (ν_x − k_b·p_R·m_x + k_u·c_x)
//! dr_P/dt = ω_rP − (λ + d_rP)·r_P − b_rP·x_R·r_P + u_rP·p_P
//! dp_P/dt = b_rP·x_R·r_P − u_rP·p_P − λ·p_P + Σ_j (ν_j − k_b·p_P·m_j + k_u·c_j)
//! host mRNAs/complexes as in Weiße with p_R for r; heterologous ones with p_P for r;
//! da/dt = n_s·ν_cat − γ·Σc − λ·a (all translation costs energy)
//! ```
//!
//! Exact accounting (tested): total r-protein X = x_R + p_R + p_P + Σ_all c obeys
//! dX/dt = ν_r − λ·X.
//!
//! Parameters: the host's are [`WeisseParams`] (Darlington uses Weiße's values; its
//! `makeinitialconditions.m` has v_t = 728, a typo for Table S1's 726 that its other files
//! do not share); the rRNA ones are Darlington's: w_rR = 3170 (chosen there so that protein
//! levels match Weiße's model), θ_rR = θ_r, b_rR = u_rR = 1, d_rR = d_m; o-rRNA w_rP = 50
//! (50–500 scanned in the paper), θ_rP = 4.38, b_rP = u_rP = 1, d_rP = 0.1.

use serde::{Deserialize, Serialize};

use super::linalg::{dense_from_parts, SparseJacobian};
use super::model::hill_pow;
use super::ode::OdeSystem;
use super::params::{Gene, WeisseParams};
use crate::error::{BioxenError, Result};

pub const SI: usize = 0;
pub const A: usize = 1;
pub const XR: usize = 2;
pub const RR: usize = 3;
pub const PR: usize = 4;
pub const RP: usize = 5;
pub const PP: usize = 6;
pub const ET: usize = 7;
pub const EM: usize = 8;
pub const Q: usize = 9;
pub const MR: usize = 10;
pub const MT: usize = 11;
pub const MM: usize = 12;
pub const MQ: usize = 13;
pub const CR: usize = 14;
pub const CT: usize = 15;
pub const CM: usize = 16;
pub const CQ: usize = 17;
pub const HOST_STATES: usize = 18;

/// Host state names of the orthogonal model, in layout order (x_R r-protein, r_R host
/// rRNA, p_R host ribosomes, r_P o-rRNA, p_P o-ribosomes).
pub const HOST_NAMES: [&str; HOST_STATES] = [
    "si", "a", "xr", "rr", "pr", "rp", "pp", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct",
    "cm", "cq",
];

/// Rate constants of ribosome assembly (Darlington et al. 2018).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrthoParams {
    /// Host rRNA maximal transcription (molecules/min): 3170.
    pub wrr: f64,
    /// Host rRNA energy threshold (molecules): θ_r = 426.87.
    pub thetarr: f64,
    /// r-protein–rRNA binding / unbinding: 1 and 1.
    pub brr: f64,
    pub urr: f64,
    /// Host rRNA decay (min⁻¹): 0.1.
    pub drr: f64,
    /// O-rRNA maximal transcription (molecules/min): 50.
    pub wrp: f64,
    /// O-rRNA energy threshold (molecules): 4.38.
    pub thetarp: f64,
    pub brp: f64,
    pub urp: f64,
    /// O-rRNA decay (min⁻¹): 0.1.
    pub drp: f64,
}

impl Default for OrthoParams {
    fn default() -> Self {
        OrthoParams {
            wrr: 3170.0,
            thetarr: 426.87,
            brr: 1.0,
            urr: 1.0,
            drr: 0.1,
            wrp: 50.0,
            thetarp: 4.38,
            brp: 1.0,
            urp: 1.0,
            drp: 0.1,
        }
    }
}

impl OrthoParams {
    pub fn validate(&self) -> Result<()> {
        for (name, v, positive) in [
            ("wrr", self.wrr, false),
            ("thetarr", self.thetarr, true),
            ("brr", self.brr, false),
            ("urr", self.urr, false),
            ("drr", self.drr, false),
            ("wrp", self.wrp, false),
            ("thetarp", self.thetarp, true),
            ("brp", self.brp, false),
            ("urp", self.urp, false),
            ("drp", self.drp, false),
        ] {
            if !v.is_finite() || v < 0.0 || (positive && v == 0.0) {
                return Err(BioxenError::arg(
                    format!("orthogonal.{name}"),
                    format!(
                        "must be finite and {}, got {v}",
                        if positive { "> 0" } else { "≥ 0" }
                    ),
                ));
            }
        }
        Ok(())
    }
}

pub const fn p_index(j: usize) -> usize {
    HOST_STATES + 3 * j
}
pub const fn mp_index(j: usize) -> usize {
    HOST_STATES + 3 * j + 1
}
pub const fn cp_index(j: usize) -> usize {
    HOST_STATES + 3 * j + 2
}

/// Every state name for `genes` heterologous genes.
pub fn state_names(genes: usize) -> Vec<String> {
    let mut v: Vec<String> = HOST_NAMES.iter().map(|s| s.to_string()).collect();
    for j in 0..genes {
        v.push(format!("p[{j}]"));
        v.push(format!("mp[{j}]"));
        v.push(format!("cp[{j}]"));
    }
    v
}

/// Index of a state by name, if it exists for `genes` genes.
pub fn state_index(name: &str, genes: usize) -> Option<usize> {
    if let Some(i) = HOST_NAMES.iter().position(|n| *n == name) {
        return Some(i);
    }
    let (kind, rest) = name.split_once('[')?;
    let j: usize = rest.strip_suffix(']')?.parse().ok()?;
    if j >= genes || format!("{kind}[{j}]") != name {
        return None;
    }
    match kind {
        "p" => Some(p_index(j)),
        "mp" => Some(mp_index(j)),
        "cp" => Some(cp_index(j)),
        _ => None,
    }
}

/// Default initial state: a = 1000, p_R = e_t = e_m = q = 10, everything else 0 (the o-pool
/// is built by the cell).
pub fn default_initial(genes: usize) -> Vec<f64> {
    let mut y = vec![0.0; HOST_STATES + 3 * genes];
    y[A] = 1000.0;
    y[PR] = 10.0;
    y[ET] = 10.0;
    y[EM] = 10.0;
    y[Q] = 10.0;
    y
}

/// The orthogonal-ribosome model: host, assembly constants, nutrient and genes (all
/// translated by o-ribosomes).
#[derive(Debug, Clone, PartialEq)]
pub struct OrthogonalModel {
    pub host: WeisseParams,
    pub ortho: OrthoParams,
    pub s0: f64,
    pub genes: Vec<Gene>,
}

impl OrthogonalModel {
    pub fn n_states(&self) -> usize {
        HOST_STATES + 3 * self.genes.len()
    }

    fn csum(&self, y: &[f64]) -> f64 {
        let mut s = y[CR] + y[CT] + y[CM] + y[CQ];
        for j in 0..self.genes.len() {
            s += y[cp_index(j)];
        }
        s
    }

    /// Growth rate λ = γ(a)·Σc/M.
    pub fn growth_rate(&self, y: &[f64]) -> f64 {
        let p = &self.host;
        p.gmax * y[A] / (p.kgamma + y[A]) * self.csum(y) / p.m
    }

    /// Total r-protein x_R + p_R + p_P + Σc (every ribosome holds one set).
    pub fn total_r_protein(&self, y: &[f64]) -> f64 {
        y[XR] + y[PR] + y[PP] + self.csum(y)
    }

    /// Transcripts: (m, c, pool, product, length, w, θ, Hill on q).
    fn transcripts(
        &self,
    ) -> impl Iterator<Item = (usize, usize, usize, usize, f64, f64, bool)> + '_ {
        let p = &self.host;
        [
            (MR, CR, PR, XR, p.nr, p.wr, false),
            (MT, CT, PR, ET, p.nx, p.we, false),
            (MM, CM, PR, EM, p.nx, p.we, false),
            (MQ, CQ, PR, Q, p.nx, p.wq, true),
        ]
        .into_iter()
        .chain(self.genes.iter().enumerate().map(|(j, g)| {
            (
                mp_index(j),
                cp_index(j),
                PP,
                p_index(j),
                g.length,
                g.w,
                false,
            )
        }))
    }
}

impl OdeSystem for OrthogonalModel {
    fn dim(&self) -> usize {
        self.n_states()
    }

    fn rhs(&self, y: &[f64], dy: &mut [f64]) {
        let p = &self.host;
        let o = &self.ortho;
        let a = y[A];
        let gamma = p.gmax * a / (p.kgamma + a);
        let csum = self.csum(y);
        let lam = gamma * csum / p.m;
        let nu_cat = y[EM] * p.vm * y[SI] / (p.km + y[SI]);
        dy[SI] = y[ET] * p.vt * self.s0 / (p.kt + self.s0) - nu_cat - lam * y[SI];
        dy[A] = p.ns * nu_cat - gamma * csum - lam * a;
        let g_q = 1.0 / (1.0 + hill_pow(y[Q] / p.kq, p.hq));
        let (xr, rr, pr, rp, pp) = (y[XR], y[RR], y[PR], y[RP], y[PP]);
        let asm_r = o.brr * xr * rr - o.urr * pr;
        let asm_p = o.brp * xr * rp - o.urp * pp;
        dy[XR] = -lam * xr - asm_r - asm_p;
        dy[RR] = o.wrr * a / (o.thetarr + a) - (lam + o.drr) * rr - asm_r;
        dy[PR] = asm_r - lam * pr;
        dy[RP] = o.wrp * a / (o.thetarp + a) - (lam + o.drp) * rp - asm_p;
        dy[PP] = asm_p - lam * pp;
        for (m_i, c_i, pool, prod, len, w, hill) in self.transcripts() {
            let theta = if m_i == MR { p.thetar } else { p.thetax };
            let mut omega = w * a / (theta + a);
            if hill {
                omega *= g_q;
            }
            let (m, c) = (y[m_i], y[c_i]);
            let nu = c * gamma / len;
            let bind = p.kb * y[pool] * m - p.ku * c;
            dy[m_i] = omega - (lam + p.dm) * m + nu - bind;
            dy[c_i] = -lam * c + bind - nu;
            dy[pool] += nu - bind;
            if prod == XR {
                dy[XR] += nu;
            } else {
                dy[prod] = nu - lam * y[prod];
            }
        }
    }

    fn jacobian(&self, y: &[f64], jac: &mut [f64]) {
        dense_from_parts(self, y, jac);
    }
}

impl SparseJacobian for OrthogonalModel {
    fn structure(&self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let mut blocks = vec![
            vec![MT, CT, ET],
            vec![MM, CM, EM],
            vec![MQ, CQ, Q],
            vec![MR, CR],
        ];
        for j in 0..self.genes.len() {
            blocks.push(vec![mp_index(j), cp_index(j), p_index(j)]);
        }
        blocks.push(vec![SI]);
        (blocks, vec![A, XR, RR, PR, RP, PP])
    }

    fn jacobian_parts(
        &self,
        y: &[f64],
        e: &mut Vec<(usize, usize, f64)>,
        u: &mut [f64],
        w: &mut [f64],
    ) {
        let n = self.n_states();
        let p = &self.host;
        let o = &self.ortho;
        let a = y[A];
        let gamma = p.gmax * a / (p.kgamma + a);
        let dgamma = p.gmax * p.kgamma / ((p.kgamma + a) * (p.kgamma + a));
        let csum = self.csum(y);
        let lam = gamma * csum / p.m;
        // Dilution: −λ on the diagonal, −y·∇λᵀ as the rank-one part.
        for (ui, yi) in u.iter_mut().zip(y) {
            *ui = -yi;
        }
        w[A] = dgamma * csum / p.m;
        for c in [CR, CT, CM, CQ]
            .into_iter()
            .chain((0..self.genes.len()).map(cp_index))
        {
            w[c] = gamma / p.m;
            e.push((A, c, -gamma));
        }
        for i in 0..n {
            e.push((i, i, -lam));
        }
        let (si, em) = (y[SI], y[EM]);
        let dcat_dsi = em * p.vm * p.km / ((p.km + si) * (p.km + si));
        let dcat_dem = p.vm * si / (p.km + si);
        e.push((SI, SI, -dcat_dsi));
        e.push((SI, EM, -dcat_dem));
        e.push((SI, ET, p.vt * self.s0 / (p.kt + self.s0)));
        e.push((A, SI, p.ns * dcat_dsi));
        e.push((A, EM, p.ns * dcat_dem));
        e.push((A, A, -dgamma * csum));
        // Assembly.
        let (xr, rr, rp) = (y[XR], y[RR], y[RP]);
        for (rna, ribo, b, un, wt, th, d) in [
            (RR, PR, o.brr, o.urr, o.wrr, o.thetarr, o.drr),
            (RP, PP, o.brp, o.urp, o.wrp, o.thetarp, o.drp),
        ] {
            let r = if rna == RR { rr } else { rp };
            // asm = b·x_R·rna − un·ribo
            e.push((XR, XR, -b * r));
            e.push((XR, rna, -b * xr));
            e.push((XR, ribo, un));
            e.push((rna, A, wt * th / ((th + a) * (th + a))));
            e.push((rna, rna, -d - b * xr));
            e.push((rna, XR, -b * r));
            e.push((rna, ribo, un));
            e.push((ribo, XR, b * r));
            e.push((ribo, rna, b * xr));
            e.push((ribo, ribo, -un));
        }
        // Transcripts.
        let hill = hill_pow(y[Q] / p.kq, p.hq);
        let g = 1.0 / (1.0 + hill);
        let dg = if y[Q] > 0.0 {
            -p.hq * hill / y[Q] * g * g
        } else {
            0.0
        };
        for (m_i, c_i, pool, prod, len, wx, is_q) in self.transcripts() {
            let theta = if m_i == MR { p.thetar } else { p.thetax };
            let dsat = theta / ((theta + a) * (theta + a));
            let (m, c, rib) = (y[m_i], y[c_i], y[pool]);
            let dnu_dc = gamma / len;
            let dnu_da = c * dgamma / len;
            let d_omega_a = if is_q { wx * dsat * g } else { wx * dsat };
            e.push((m_i, A, d_omega_a + dnu_da));
            if is_q {
                e.push((m_i, Q, wx * a / (theta + a) * dg));
            }
            e.push((m_i, m_i, -p.dm - p.kb * rib));
            e.push((m_i, pool, -p.kb * m));
            e.push((m_i, c_i, dnu_dc + p.ku));
            e.push((c_i, pool, p.kb * m));
            e.push((c_i, m_i, p.kb * rib));
            e.push((c_i, c_i, -p.ku - dnu_dc));
            e.push((c_i, A, -dnu_da));
            e.push((pool, A, dnu_da));
            e.push((pool, c_i, dnu_dc + p.ku));
            e.push((pool, pool, -p.kb * m));
            e.push((pool, m_i, -p.kb * rib));
            e.push((prod, c_i, dnu_dc));
            e.push((prod, A, dnu_da));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> OrthogonalModel {
        OrthogonalModel {
            host: WeisseParams::ecoli(),
            ortho: OrthoParams::default(),
            s0: 1e4,
            genes: vec![Gene::new(100.0, 300.0), Gene::new(7.0, 900.0)],
        }
    }

    fn sample(n: usize) -> Vec<f64> {
        let mut y: Vec<f64> = (0..n)
            .map(|i| 3.0 + 17.0 * ((i * 7919) % 13) as f64)
            .collect();
        y[A] = 2.3e4;
        y[Q] = 1.9e5;
        y
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let m = model();
        let n = m.n_states();
        let y = sample(n);
        crate::kinetics::ode::assert_jacobian_matches_fd(&m, &y, &[]);
    }

    #[test]
    fn r_protein_balance_holds_exactly() {
        let m = model();
        let n = m.n_states();
        let y = sample(n);
        let mut dy = vec![0.0; n];
        m.rhs(&y, &mut dy);
        let p = &m.host;
        let gamma = p.gmax * y[A] / (p.kgamma + y[A]);
        let mut dx = dy[XR] + dy[PR] + dy[PP] + dy[CR] + dy[CT] + dy[CM] + dy[CQ];
        for j in 0..m.genes.len() {
            dx += dy[cp_index(j)];
        }
        let expect = y[CR] * gamma / p.nr - m.growth_rate(&y) * m.total_r_protein(&y);
        assert!(
            (dx - expect).abs() <= 1e-9 * expect.abs(),
            "{dx} vs {expect}"
        );
    }

    #[test]
    fn names_round_trip() {
        for (i, n) in state_names(2).iter().enumerate() {
            assert_eq!(state_index(n, 2), Some(i));
        }
        assert_eq!(state_index("r", 2), None);
    }
}
