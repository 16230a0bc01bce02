//! What the entry points share: the [`HostCircuit`] trait both host models implement, option
//! checks, and building a validated model (Weiße or orthogonal) with its initial state.

use std::collections::BTreeMap;

use super::linalg::{BorderedLu, SparseJacobian};
use super::model::{self, state_index, state_names, WeisseModel};
use super::orthogonal::{self, OrthoParams, OrthogonalModel};
use super::params::{Gene, WeisseParams};
use super::solver::{self, Rodas4};
use crate::error::{BioxenError, Result};

/// Most heterologous genes one run accepts (a run is O(n) in the 14 + 3k states with the
/// structured solver; the steady-state Newton polish is dense, O(n³)).
pub const MAX_GENES: usize = 256;

/// A tolerance option: finite and in (0, 1), refused by `name` otherwise.
pub(crate) fn check_tol(name: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v > 0.0 && v < 1.0) {
        return Err(BioxenError::arg(
            name,
            format!("must be in (0, 1), got {v}"),
        ));
    }
    Ok(())
}

/// A finite, non-negative option, refused by `name` otherwise.
pub(crate) fn check_nonneg(name: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(BioxenError::arg(
            name,
            format!("must be finite and ≥ 0, got {v}"),
        ));
    }
    Ok(())
}

/// What the entry points need from a host–circuit model.
pub trait HostCircuit: SparseJacobian {
    fn state_names(&self) -> Vec<String>;
    /// λ (min⁻¹).
    fn growth_rate(&self, y: &[f64]) -> f64;
    /// Total protein mass P (aa); equals M at steady state.
    fn protein_mass(&self, y: &[f64]) -> f64;
    /// Ribosomal (r-protein) mass fraction.
    fn ribosomal_fraction(&self, y: &[f64]) -> f64;
    /// Elongation rate γ(a) (aa/min).
    fn elongation(&self, y: &[f64]) -> f64;
}

impl HostCircuit for WeisseModel {
    fn state_names(&self) -> Vec<String> {
        state_names(self.genes.len())
    }
    fn growth_rate(&self, y: &[f64]) -> f64 {
        WeisseModel::growth_rate(self, y)
    }
    fn protein_mass(&self, y: &[f64]) -> f64 {
        WeisseModel::protein_mass(self, y)
    }
    fn ribosomal_fraction(&self, y: &[f64]) -> f64 {
        WeisseModel::ribosomal_fraction(self, y)
    }
    fn elongation(&self, y: &[f64]) -> f64 {
        let p = &self.params;
        p.gmax * y[model::A] / (p.kgamma + y[model::A])
    }
}

impl HostCircuit for OrthogonalModel {
    fn state_names(&self) -> Vec<String> {
        orthogonal::state_names(self.genes.len())
    }
    fn growth_rate(&self, y: &[f64]) -> f64 {
        OrthogonalModel::growth_rate(self, y)
    }
    fn protein_mass(&self, y: &[f64]) -> f64 {
        let p = &self.host;
        let mut mass = p.nr * self.total_r_protein(y)
            + p.nx * (y[orthogonal::ET] + y[orthogonal::EM] + y[orthogonal::Q]);
        for (j, g) in self.genes.iter().enumerate() {
            mass += g.length * y[orthogonal::p_index(j)];
        }
        mass
    }
    fn ribosomal_fraction(&self, y: &[f64]) -> f64 {
        let mass = HostCircuit::protein_mass(self, y);
        if mass > 0.0 {
            self.host.nr * self.total_r_protein(y) / mass
        } else {
            0.0
        }
    }
    fn elongation(&self, y: &[f64]) -> f64 {
        let p = &self.host;
        p.gmax * y[orthogonal::A] / (p.kgamma + y[orthogonal::A])
    }
}

/// A validated model of either host.
pub(super) enum Built {
    Weisse(WeisseModel),
    Orthogonal(OrthogonalModel),
}

/// Validate the model part of the options and build the model and its initial state.
pub(super) fn build_model(
    s0: f64,
    genes: &[Gene],
    params: Option<&WeisseParams>,
    ortho: Option<&OrthoParams>,
    initial: Option<&BTreeMap<String, f64>>,
) -> Result<(Built, Vec<f64>)> {
    check_nonneg("s0", s0)?;
    if genes.len() > MAX_GENES {
        return Err(BioxenError::arg(
            "heterologous",
            format!("{} genes is too many; at most {MAX_GENES}", genes.len()),
        ));
    }
    for (j, g) in genes.iter().enumerate() {
        check_nonneg(&format!("heterologous[{j}].w"), g.w)?;
        if !(g.length.is_finite() && g.length > 0.0) {
            return Err(BioxenError::arg(
                format!("heterologous[{j}].length"),
                format!("must be finite and > 0 aa, got {}", g.length),
            ));
        }
    }
    let params = params.cloned().unwrap_or_else(WeisseParams::ecoli);
    params.validate()?;
    let k = genes.len();
    type StateIndex = fn(&str, usize) -> Option<usize>;
    let (mut y0, index, names): (Vec<f64>, StateIndex, Vec<String>) = match ortho {
        None => (model::default_initial(k), state_index, state_names(k)),
        Some(o) => {
            o.validate()?;
            (
                orthogonal::default_initial(k),
                orthogonal::state_index,
                orthogonal::state_names(k),
            )
        }
    };
    if let Some(init) = initial {
        for (name, &v) in init {
            let Some(i) = index(name, k) else {
                return Err(BioxenError::arg(
                    format!("initial.{name}"),
                    format!("no such state; expected one of {}", names.join(", ")),
                ));
            };
            check_nonneg(&format!("initial.{name}"), v)?;
            y0[i] = v;
        }
    }
    let built = match ortho {
        None => Built::Weisse(WeisseModel::new(params, s0, genes.to_vec())),
        Some(o) => Built::Orthogonal(OrthogonalModel {
            host: params,
            ortho: o.clone(),
            s0,
            genes: genes.to_vec(),
        }),
    };
    Ok((built, y0))
}

pub(super) fn solver_failure(e: solver::SolveError) -> BioxenError {
    BioxenError::arg(
        "options",
        format!("the integration failed: {e}; the inputs are outside what the model can integrate"),
    )
}

pub(super) fn structured_integrator<M: SparseJacobian>(model: &M) -> Result<Rodas4<BorderedLu>> {
    let lin = BorderedLu::new(model)
        .ok_or_else(|| BioxenError::arg("options", "internal: bad Jacobian structure"))?;
    Ok(Rodas4::with_solver(model.dim(), lin))
}
