//! Parameters of the Weiße et al. 2015 host model and of heterologous genes.
//!
//! Units throughout: molecules per cell and minutes; protein lengths in amino acids (aa).
//!
//! Source of the E. coli set: Weiße, Oyarzún, Danos & Swain 2015, *PNAS* 112:E1038,
//! supplementary Table S1 (the values as printed there; identical in Darlington et al. 2018's
//! MATLAB host model, `apsduk/Nat-Commun-2018`, except `v_t`, see below). The authors'
//! supplementary code carries the unrounded MCMC estimates behind the rounded Table S1 values
//! (w_r = 929.9678874564831, w_q = 948.9349882947897, w_e = 4.139172187824451,
//! θ_r = 426.8693338968694, θ_nr = 4.379733394834643, K_q = 152219.0403737490,
//! K_p = 180.1378030928276 so K_γ = γ_max/K_p = 6.9946) and n_r = 7549, a transposition
//! of Table S1's 7459 that the public ports of that code (the Scala `mois` model and several
//! Julia/Python ports) all carry. We use Table S1's printed values (and n_r = 7459, which the
//! paper's text and Darlington's code use); the differences move the steady state by well
//! under 1 % and are recorded here so that anyone comparing with those ports knows why
//! their numbers differ slightly.

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};

/// Host-model parameters (everything but the external nutrient `s0`, which is a run option).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WeisseParams {
    /// d_m, mRNA degradation rate (min⁻¹). Table S1: 0.1.
    pub dm: f64,
    /// n_s, nutrient efficiency (energy units per nutrient molecule). Table S1: 0.5.
    pub ns: f64,
    /// n_r, ribosome length (aa). Table S1: 7459.
    pub nr: f64,
    /// n_t = n_m = n_q, length of the other host proteins (aa). Table S1: 300.
    pub nx: f64,
    /// γ_max, maximal translation elongation rate (aa/min per ribosome). Table S1: 1260.
    pub gmax: f64,
    /// K_γ, energy at half-maximal elongation (molecules). Table S1: 7 (= γ_max/K_p,
    /// K_p = 180.1).
    pub kgamma: f64,
    /// v_t, transporter turnover (min⁻¹). Table S1: 726. (Darlington 2018's
    /// `makeinitialconditions.m` uses 728.)
    pub vt: f64,
    /// K_t, import half-saturation (molecules). Table S1: 1000.
    pub kt: f64,
    /// v_m, metabolic-enzyme turnover (min⁻¹). Table S1: 5800.
    pub vm: f64,
    /// K_m, catabolism half-saturation (molecules). Table S1: 1000.
    pub km: f64,
    /// w_r, maximal ribosomal transcription (molecules/min). Table S1: 930.
    pub wr: f64,
    /// w_e = w_t = w_m, maximal enzyme transcription (molecules/min). Table S1: 4.14.
    pub we: f64,
    /// w_q, maximal housekeeping transcription (molecules/min). Table S1: 948.93.
    pub wq: f64,
    /// θ_r, energy threshold of ribosomal transcription (molecules). Table S1: 426.87.
    pub thetar: f64,
    /// θ_nr, energy threshold of non-ribosomal transcription, also used for heterologous
    /// genes (molecules). Table S1: 4.38.
    pub thetax: f64,
    /// K_q, housekeeping autoinhibition threshold (molecules). Table S1: 152219.
    pub kq: f64,
    /// h_q, housekeeping autoinhibition Hill coefficient. Table S1: 4.
    pub hq: f64,
    /// k_b, mRNA–ribosome binding rate (molecule⁻¹ min⁻¹). Table S1: 1.
    pub kb: f64,
    /// k_u, mRNA–ribosome unbinding rate (min⁻¹). Table S1: 1.
    pub ku: f64,
    /// M, total cell mass (aa). Table S1: 10⁸.
    pub m: f64,
}

impl Default for WeisseParams {
    fn default() -> Self {
        Self::ecoli()
    }
}

impl WeisseParams {
    /// E. coli: Weiße et al. 2015, Table S1 (see the module docs for each value's source).
    pub fn ecoli() -> Self {
        WeisseParams {
            dm: 0.1,
            ns: 0.5,
            nr: 7459.0,
            nx: 300.0,
            gmax: 1260.0,
            kgamma: 7.0,
            vt: 726.0,
            kt: 1000.0,
            vm: 5800.0,
            km: 1000.0,
            wr: 930.0,
            we: 4.14,
            wq: 948.93,
            thetar: 426.87,
            thetax: 4.38,
            kq: 152_219.0,
            hq: 4.0,
            kb: 1.0,
            ku: 1.0,
            m: 1e8,
        }
    }

    /// Every parameter with its name, for validation and documentation.
    pub fn named(&self) -> [(&'static str, f64); 20] {
        [
            ("dm", self.dm),
            ("ns", self.ns),
            ("nr", self.nr),
            ("nx", self.nx),
            ("gmax", self.gmax),
            ("kgamma", self.kgamma),
            ("vt", self.vt),
            ("kt", self.kt),
            ("vm", self.vm),
            ("km", self.km),
            ("wr", self.wr),
            ("we", self.we),
            ("wq", self.wq),
            ("thetar", self.thetar),
            ("thetax", self.thetax),
            ("kq", self.kq),
            ("hq", self.hq),
            ("kb", self.kb),
            ("ku", self.ku),
            ("m", self.m),
        ]
    }

    /// Refuse non-finite or out-of-range values: lengths, M, K's and θ's must be > 0, the
    /// rest ≥ 0.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in self.named() {
            let positive = matches!(
                name,
                "nr" | "nx" | "m" | "kgamma" | "kt" | "km" | "kq" | "thetar" | "thetax" | "hq"
            );
            if !v.is_finite() || v < 0.0 || (positive && v == 0.0) {
                let want = if positive { "> 0" } else { "≥ 0" };
                return Err(BioxenError::arg(
                    format!("params.{name}"),
                    format!("must be finite and {want}, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// One heterologous ("VM") gene: transcribed like a non-ribosomal host gene (threshold
/// θ_nr = 4.38), translated by the shared ribosomes, its protein diluted by growth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gene {
    /// Maximal transcription rate w (molecules/min).
    pub w: f64,
    /// Protein length n (aa).
    pub length: f64,
}

impl Gene {
    pub fn new(w: f64, length: f64) -> Self {
        Gene { w, length }
    }
}
