//! From circuit descriptions to the model's heterologous genes: each circuit gene becomes a
//! Weiße gene (w, length) with a [`GeneControl`] (its promoter, regulators by model index,
//! inducers folded in at the medium's concentrations, and its protein degradation).
//!
//! Circuits are laid out one after the other: circuit i's gene j is model gene
//! `offsets[i] + j`. Regulation never crosses circuits (a regulator is a gene of the same
//! circuit); circuits in one host interact only through the shared machinery and medium.

use super::medium::Medium;
use super::types::Circuit;
use crate::kinetics::regulation::{inducer_factor, GeneControl, Promoter, Term};
use crate::kinetics::Gene as ModelGene;

/// Circuits as model genes.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub genes: Vec<ModelGene>,
    pub control: Vec<GeneControl>,
    /// The first model gene of each circuit.
    pub offsets: Vec<usize>,
}

/// The control of one circuit gene with its regulators at model indices
/// `offset + (index in the circuit)`, inducers at the medium's concentrations.
/// Regulators that are not genes of the circuit are left out (validated circuits have none).
pub fn gene_control(
    circuit: &Circuit,
    j: usize,
    offset: usize,
    medium: &Medium,
) -> Option<GeneControl> {
    let g = circuit.genes.get(j)?;
    let terms: Vec<Term> = g
        .regulation
        .iter()
        .filter_map(|r| {
            let by = circuit.gene_index(&r.by)?;
            let scale = r.inducer.as_ref().map_or(1.0, |i| {
                inducer_factor(i.effect, medium.get(&i.name), i.k, i.n)
            });
            Some(Term {
                by: offset + by,
                mode: r.mode,
                k: r.k,
                n: r.n,
                scale,
            })
        })
        .collect();
    // A gene without regulations is constitutive (f = 1), whatever its leak.
    let promoter = (!terms.is_empty()).then_some(Promoter {
        leak: g.leak,
        terms,
    });
    Some(GeneControl {
        promoter,
        degradation: g.degradation,
    })
}

/// Lay out `circuits` (validated) as model genes under `medium`.
pub fn compile(circuits: &[Circuit], medium: &Medium) -> Compiled {
    let mut out = Compiled {
        genes: Vec::new(),
        control: Vec::new(),
        offsets: Vec::with_capacity(circuits.len()),
    };
    for c in circuits {
        let offset = out.genes.len();
        out.offsets.push(offset);
        for (j, g) in c.genes.iter().enumerate() {
            out.genes.push(ModelGene::new(g.w, g.length as f64));
            out.control
                .push(gene_control(c, j, offset, medium).unwrap_or_default());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::types::{Effect, Gene, Mode, Regulation};
    use super::*;

    #[test]
    fn circuits_are_laid_out_in_order_with_their_inducers() {
        let reporter = Circuit {
            name: None,
            genes: vec![Gene {
                degradation: 0.1,
                ..Gene::constitutive("gfp", 5.0, 239)
            }],
        };
        let lac = Circuit {
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
        m.set("IPTG", 30.0).unwrap();
        let c = compile(&[reporter, lac], &m);
        assert_eq!(c.offsets, [0, 1]);
        assert_eq!(c.genes.len(), 3);
        assert_eq!(c.genes[2], ModelGene::new(20.0, 239.0));
        assert_eq!(c.control[0].degradation, 0.1);
        assert!(c.control[0].promoter.is_none() && c.control[1].promoter.is_none());
        let p = c.control[2].promoter.as_ref().unwrap();
        assert_eq!(p.leak, 0.01);
        assert_eq!(p.terms[0].by, 1);
        assert_eq!(p.terms[0].scale, 0.5);
    }
}
