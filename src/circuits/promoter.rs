//! Promoter activity of a circuit gene: the issue's semantics as pure functions.
//!
//! The functions themselves live with the model that integrates them
//! ([`crate::kinetics::regulation`], one rate law in one place); this module re-exports
//! them and evaluates a [`Gene`]'s activity from named protein levels and a [`Medium`],
//! as a chart, a metric or an SBML writer reads it:
//!
//! ```text
//! x = (I/K_I)^n_I;  P_eff = P_by/(1 + x) (inactivates) | P_by·x/(1 + x) (activates) | P_by
//! h = 1/(1 + (P_eff/K)^n) (repress) | (P_eff/K)^n/(1 + (P_eff/K)^n) (activate)
//! f = leak + (1 − leak)·Π h
//! ```

pub use crate::kinetics::regulation::{activity, hill, inducer_factor, Effect, Mode};

use super::medium::Medium;
use super::types::{Circuit, Gene, Regulation};

/// The effective regulator P_eff of a regulation: the regulator's protein `p_by`
/// (molecules) scaled by its inducer at the medium's concentration.
pub fn effective_regulator(r: &Regulation, p_by: f64, medium: &Medium) -> f64 {
    match &r.inducer {
        Some(i) => p_by * inducer_factor(i.effect, medium.get(&i.name), i.k, i.n),
        None => p_by,
    }
}

/// The activity f of `gene` of `circuit` given every gene's protein (`proteins[j]` for
/// `circuit.genes[j]`). A regulator that is not a gene of the circuit counts as absent
/// (protein 0); validated circuits have none.
pub fn gene_activity(circuit: &Circuit, gene: &Gene, proteins: &[f64], medium: &Medium) -> f64 {
    activity(
        gene.leak,
        gene.regulation.iter().map(|r| {
            let p = circuit
                .gene_index(&r.by)
                .and_then(|j| proteins.get(j).copied())
                .unwrap_or(0.0);
            hill(r.mode, effective_regulator(r, p, medium), r.k, r.n).0
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inducible_promoter_follows_the_issue_formula() {
        // LacI-repressed promoter with IPTG: K = 300 molecules, n = 2; IPTG K = 30 µM, n = 2.
        let c = Circuit {
            name: None,
            genes: vec![
                Gene::constitutive("lacI", 2.0, 360),
                Gene {
                    leak: 0.01,
                    regulation: vec![Regulation::new("lacI", Mode::Repress, 300.0, 2.0)
                        .with_inducer("IPTG", 30.0, 2.0, Effect::Inactivates)],
                    ..Gene::constitutive("gfp", 20.0, 239)
                },
            ],
        };
        let mut m = Medium::default();
        let prot = [3000.0, 0.0];
        // No IPTG: P_eff = 3000, (10)² = 100 → h = 1/101.
        let f0 = gene_activity(&c, &c.genes[1], &prot, &m);
        assert!((f0 - (0.01 + 0.99 / 101.0)).abs() < 1e-15, "{f0}");
        // 90 µM IPTG: x = 9, P_eff = 300 → h = 1/2.
        m.set("IPTG", 90.0).unwrap();
        let f1 = gene_activity(&c, &c.genes[1], &prot, &m);
        assert!((f1 - (0.01 + 0.99 * 0.5)).abs() < 1e-15, "{f1}");
        // The constitutive gene: 1.
        assert_eq!(gene_activity(&c, &c.genes[0], &prot, &m), 1.0);
    }
}
