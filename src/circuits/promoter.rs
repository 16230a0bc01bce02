//! Promoter activity of a circuit gene: the issue's semantics as pure functions.
//!
//! The functions live with the model that integrates them ([`crate::kinetics::regulation`],
//! one rate law in one place) and are re-exported here; [`compile`](fn@super::compile) folds a
//! circuit's inducers into them at the medium's concentrations. The test below checks that
//! path against the formulas:
//!
//! ```text
//! x = (I/K_I)^n_I;  P_eff = P_by/(1 + x) (inactivates) | P_by·x/(1 + x) (activates) | P_by
//! h = 1/(1 + (P_eff/K)^n) (repress) | (P_eff/K)^n/(1 + (P_eff/K)^n) (activate)
//! f = leak + (1 − leak)·Π h
//! ```

pub use crate::kinetics::regulation::{activity, hill, inducer_factor, Effect, Mode};

#[cfg(test)]
mod tests {
    use super::super::compile::compile;
    use super::super::medium::Medium;
    use super::super::types::{Circuit, Gene, Regulation};
    use super::*;

    /// Gene j's activity as the model evaluates it, for protein levels `prot`.
    fn gene_activity(c: &Circuit, j: usize, prot: &[f64], m: &Medium) -> f64 {
        let compiled = compile(std::slice::from_ref(c), m);
        match &compiled.control[j].promoter {
            Some(p) => p.activity(|b| prot[b]),
            None => 1.0,
        }
    }

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
        let f0 = gene_activity(&c, 1, &prot, &m);
        assert!((f0 - (0.01 + 0.99 / 101.0)).abs() < 1e-15, "{f0}");
        // 90 µM IPTG: x = 9, P_eff = 300 → h = 1/2.
        m.set("IPTG", 90.0).unwrap();
        let f1 = gene_activity(&c, 1, &prot, &m);
        assert!((f1 - (0.01 + 0.99 * 0.5)).abs() < 1e-15, "{f1}");
        // The constitutive gene: 1.
        assert_eq!(gene_activity(&c, 0, &prot, &m), 1.0);
    }
}
