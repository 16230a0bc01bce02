//! The built-in circuits: each with its parameters, their sources, where they were adapted
//! to the Weiße host, and one sentence on what it teaches.
//!
//! Units are the host model's: molecules per cell and minutes (1 nM ≈ 0.6 molecules in an
//! E. coli cell of ~1 fL), inducers in µM. Transcription rates w are Weiße's w_x (maximal
//! transcripts/min); on the default E. coli host (Weiße et al. 2015 Table S1, λ = 0.0243
//! min⁻¹, doubling 28.6 min) w = 10 for a 300 aa protein gives about 15 000 molecules and
//! lowers growth by about 13 %. Every circuit shares the host's mRNA decay d_m = 0.1 min⁻¹,
//! ribosome binding and translation (the issue's semantics), so rates quoted by a source for
//! its own construct are adapted, and each entry's `adapted` text says how.
//!
//! Protein lengths (aa): GFP 238 (UniProt P42212), LacI 360 (P03023), TetR 207 (class B,
//! Tn10, P04483), AraC 292 (P0A9E0), λ cI 236. Powers use integer Hill coefficients
//! throughout, which the model evaluates by exact multiplication (the same bits natively
//! and in wasm).
//!
//! Behaviour on the default host is tested in `tests/circuits.rs`: the toggle keeps either
//! state after its inducer is removed, the repressilator oscillates with a steady period
//! and amplitude.

use serde::Serialize;

use super::types::{Circuit, Effect, Gene, Mode, Regulation};

/// A built-in circuit with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryCircuit {
    /// The name `library_circuit` and `createVm(.., { circuit })` take.
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it teaches.
    pub teaches: &'static str,
    /// Where the design and the parameters come from.
    pub sources: &'static [&'static str],
    /// What was adapted to the Weiße host, and why.
    pub adapted: &'static str,
    /// The inducers it responds to.
    pub inducers: Vec<String>,
    pub circuit: Circuit,
}

/// IPTG on LacI: Gardner et al. 2000's fit of their toggle's IPTG response, K = 2.9618e-5 M
/// ≈ 30 µM and η = 2.0015 ≈ 2; 1 mM gives full induction (Lutz & Bujard 1997).
fn iptg(r: Regulation) -> Regulation {
    r.with_inducer("IPTG", 30.0, 2.0, Effect::Inactivates)
}

/// aTc on TetR: P_LtetO-1 is fully induced at 100 ng/ml aTc ≈ 0.2 µM (Lutz & Bujard 1997);
/// K = 0.02 µM (≈ 10 ng/ml) with n = 2 puts full induction there.
fn atc(r: Regulation) -> Regulation {
    r.with_inducer("aTc", 0.02, 2.0, Effect::Inactivates)
}

/// L-arabinose on AraC: pBAD responds over 0.0002–0.2 % arabinose (≈ 13 µM – 13 mM;
/// Guzman et al. 1995); K = 1 mM (0.015 %) and n = 2 put the half-maximum inside that range.
fn arabinose(r: Regulation) -> Regulation {
    r.with_inducer("arabinose", 1000.0, 2.0, Effect::Activates)
}

fn gene(name: &str, w: f64, length: u32) -> Gene {
    Gene::constitutive(name, w, length)
}

fn regulated(mut g: Gene, leak: f64, regulation: Vec<Regulation>) -> Gene {
    g.leak = leak;
    g.regulation = regulation;
    g
}

fn repress(by: &str, k: f64, n: f64) -> Regulation {
    Regulation::new(by, Mode::Repress, k, n)
}

fn activate(by: &str, k: f64, n: f64) -> Regulation {
    Regulation::new(by, Mode::Activate, k, n)
}

fn circuit(name: &str, genes: Vec<Gene>) -> Circuit {
    Circuit {
        name: Some(name.to_string()),
        genes,
    }
}

/// Protein degradation of an ssrA (LVA) tag as Elowitz & Leibler 2000 model it: half-life
/// 10 min, ln 2/10 min⁻¹.
const TAG_DEGRADATION: f64 = std::f64::consts::LN_2 / 10.0;

fn reporter() -> Circuit {
    circuit("reporter", vec![gene("gfp", 10.0, 238)])
}

/// A repressor (or activator) gene made at its steady level on the default host from the
/// start, as on a plasmid that has been in the cell for generations.
fn resident(name: &str, w: f64, length: u32, steady: f64) -> Gene {
    let mut g = gene(name, w, length);
    g.initial_protein = steady;
    g
}

fn lac() -> Circuit {
    circuit(
        "lac",
        vec![
            resident("lacI", 2.0, 360, 3000.0),
            regulated(
                gene("gfp", 20.0, 238),
                0.0,
                vec![iptg(repress("lacI", 300.0, 2.0))],
            ),
        ],
    )
}

fn ara() -> Circuit {
    circuit(
        "ara",
        vec![
            resident("araC", 2.0, 292, 3500.0),
            regulated(
                gene("gfp", 20.0, 238),
                0.001,
                vec![arabinose(activate("araC", 500.0, 2.0))],
            ),
        ],
    )
}

fn autorepressor() -> Circuit {
    circuit(
        "autorepressor",
        vec![regulated(
            gene("tetR_gfp", 20.0, 445),
            0.0,
            vec![atc(repress("tetR_gfp", 1000.0, 2.0))],
        )],
    )
}

fn toggle() -> Circuit {
    let mut lac_i = regulated(
        gene("lacI", 10.0, 360),
        0.0,
        vec![atc(repress("tetR", 300.0, 2.0))],
    );
    // Start in the LacI-high state (GFP off), as the toggle is before IPTG.
    lac_i.initial_protein = 5000.0;
    circuit(
        "toggle",
        vec![
            lac_i,
            regulated(
                gene("tetR", 10.0, 207),
                0.0,
                vec![iptg(repress("lacI", 300.0, 2.0))],
            ),
            regulated(
                gene("gfp", 10.0, 238),
                0.0,
                vec![iptg(repress("lacI", 300.0, 2.0))],
            ),
        ],
    )
}

fn repressilator() -> Circuit {
    let tagged = |name: &str, length: u32, by: &str| {
        let mut g = regulated(gene(name, 10.0, length), 1e-3, vec![repress(by, 40.0, 2.0)]);
        g.degradation = TAG_DEGRADATION;
        g
    };
    let mut lac_i = tagged("lacI", 360, "cI");
    // Off the symmetric fixed point, so that the oscillation starts at once.
    lac_i.initial_protein = 1000.0;
    circuit(
        "repressilator",
        vec![
            lac_i,
            tagged("tetR", 207, "lacI"),
            tagged("cI", 236, "tetR"),
        ],
    )
}

fn self_activator() -> Circuit {
    circuit(
        "self-activator",
        vec![regulated(
            gene("switch", 30.0, 300),
            0.02,
            vec![activate("switch", 10_000.0, 2.0).with_inducer(
                "inducer",
                500.0,
                1.0,
                Effect::Activates,
            )],
        )],
    )
}

const WEISSE: &str = "Weiße, Oyarzún, Danos & Swain 2015, PNAS 112:E1038 (the host and what a heterologous gene costs it)";
const LUTZ: &str = "Lutz & Bujard 1997, Nucleic Acids Res 25:1203 (P_LlacO-1 / P_LtetO-1: full induction at 1 mM IPTG, 100 ng/ml aTc)";
const GARDNER: &str =
    "Gardner, Cantor & Collins 2000, Nature 403:339 (the toggle; IPTG K = 2.96e-5 M, η = 2.0015)";

/// Every built-in circuit, in the order the playground lists them.
pub fn supported_circuits() -> Vec<LibraryCircuit> {
    vec![
        entry(
            "reporter",
            "Constitutive reporter",
            "Every protein a circuit makes takes ribosomes and energy from the host, so even an inert reporter slows growth, more the stronger it is expressed.",
            &[WEISSE],
            "w = 10: about 15 000 GFP molecules and 13 % slower growth on the default host; raise w to see the burden grow.",
            reporter(),
        ),
        entry(
            "lac",
            "IPTG-inducible expression (LacI–pTrc)",
            "A repressor and its inducer make a dial: IPTG takes LacI off the promoter, and output rises along a sigmoid dose–response curve.",
            &[LUTZ, GARDNER],
            "LacI w = 2 (about 3 000 molecules, a lacIq-like level); repression K = 300 molecules with n = 2 gives ~80-fold induction, half-maximal near 70 µM IPTG.",
            lac(),
        ),
        entry(
            "ara",
            "Arabinose-inducible expression (AraC–pBAD)",
            "An activator that needs its inducer: without arabinose AraC cannot switch pBAD on, so the promoter is tight and the response spans orders of magnitude.",
            &["Guzman, Belin, Carson & Beckwith 1995, J Bacteriol 177:4121 (pBAD: tight, responds over 0.0002–0.2 % L-arabinose)"],
            "AraC modelled as an activator only (its repression by looping is folded into the leak of 0.1 %); AraC w = 2, K = 500 molecules, arabinose K = 1 mM, n = 2.",
            ara(),
        ),
        entry(
            "autorepressor",
            "Negative autoregulation",
            "A protein that represses its own promoter reaches its steady level several times faster than a constitutive gene with the same level.",
            &["Rosenfeld, Elowitz & Alon 2002, J Mol Biol 323:785 (a TetR–GFP fusion repressing its own promoter rises ~5× faster)"],
            "TetR–GFP fusion of 445 aa, w = 20, K = 1000 molecules, n = 2; aTc (K = 0.02 µM) relieves the repression.",
            autorepressor(),
        ),
        entry(
            "toggle",
            "Toggle switch (Gardner 2000)",
            "Two repressors that repress each other form a memory: a pulse of IPTG or aTc flips the switch, and it stays flipped after the inducer is washed out.",
            &[GARDNER, LUTZ],
            "Gardner's model has β = 2.5 and γ = 1; here n = 2 on both sides (a symmetric switch with integer powers), w = 10 and K = 300 molecules, so each state holds more than 40× over the other's threshold. GFP is expressed with TetR, as in pTAK117. Starts LacI-high (GFP off).",
            toggle(),
        ),
        entry(
            "repressilator",
            "Repressilator (Elowitz 2000)",
            "Three repressors in a ring (LacI ⊣ TetR ⊣ cI ⊣ LacI) oscillate when their proteins are degraded about as fast as their mRNA: a clock made of genes, whose period is set by those lifetimes and the host's growth.",
            &["Elowitz & Leibler 2000, Nature 403:335 (K_M = 40 monomers per cell, n = 2, leak 1e-3 of the full rate, ssrA-tagged protein half-life 10 min)"],
            "Elowitz's K, n, leak and protein half-life as published; w = 10 instead of their 0.5 transcripts/s (30/min) keeps growth within 10 % of the unloaded host, and mRNA follows the host's d_m = 0.1 min⁻¹ instead of their 2 min half-life. Period about 270 min on the default host.",
            repressilator(),
        ),
        entry(
            "self-activator",
            "Self-activating switch (Sechkar 2024)",
            "A gene that activates itself is bistable, and two of them in one host compete for its ribosomes: under load only one can stay on (winner takes all).",
            &["Sechkar, Steel & Stan 2024, Nat Commun 15 (resource-aware cell model; code KSechkar/rc_e_coli, het_modules/two_switches.m: baseline 0.1, K = 1000 nM, η = 2, inducer share I/(I + 500))"],
            "The inducer term I/(I + 500 µM) is Sechkar's; the baseline is 0.02 instead of 0.1 (with n = 2 a baseline above 1/9 allows no bistability, and 0.1 leaves none on this host), K = 10 000 molecules and w = 30 make one switch bistable at 500 µM inducer (off ≈ 1 300, on ≈ 27 500 molecules) and two switches unable to stay on together.",
            self_activator(),
        ),
    ]
}

fn entry(
    id: &'static str,
    title: &'static str,
    teaches: &'static str,
    sources: &'static [&'static str],
    adapted: &'static str,
    circuit: Circuit,
) -> LibraryCircuit {
    LibraryCircuit {
        id,
        title,
        teaches,
        sources,
        adapted,
        inducers: circuit
            .inducer_names()
            .into_iter()
            .map(String::from)
            .collect(),
        circuit,
    }
}

/// The ids of the built-in circuits.
pub fn library_ids() -> Vec<&'static str> {
    supported_circuits().iter().map(|c| c.id).collect()
}

/// A built-in circuit by id.
pub fn library_circuit(id: &str) -> Option<Circuit> {
    supported_circuits()
        .into_iter()
        .find(|c| c.id == id)
        .map(|c| c.circuit)
}

/// A circuit as a VM config or a session gives it at `path`: a library id (`"toggle"`) or a
/// description in full. Refused with `InvalidConfig`, every problem under `path`.
pub fn circuit_from_json(v: &serde_json::Value, path: &str) -> crate::error::Result<Circuit> {
    use crate::error::{BioxenError, ConfigIssue};
    match v {
        serde_json::Value::String(id) => library_circuit(id).ok_or_else(|| {
            let shown: String = id.chars().take(40).collect();
            BioxenError::InvalidConfig(vec![ConfigIssue {
                path: path.into(),
                message: format!(
                    "{shown:?} is not a built-in circuit; expected one of {} or a circuit \
                     {{ name?, genes: [...] }}",
                    library_ids().join(", ")
                ),
            }])
        }),
        serde_json::Value::Object(_) => {
            Circuit::from_value_at(v, path).map_err(BioxenError::InvalidConfig)
        }
        other => Err(BioxenError::InvalidConfig(vec![ConfigIssue {
            path: path.into(),
            message: format!(
                "expected a built-in circuit's id or a circuit {{ name?, genes: [...] }}, got {}",
                match other {
                    serde_json::Value::Null => "null",
                    serde_json::Value::Bool(_) => "a boolean",
                    serde_json::Value::Number(_) => "a number",
                    _ => "an array",
                }
            ),
        }])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_circuit_is_an_id_or_a_description() {
        use serde_json::json;
        let t = circuit_from_json(&json!("toggle"), "circuit").unwrap();
        assert_eq!(Some(t.clone()), library_circuit("toggle"));
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(circuit_from_json(&v, "circuit").unwrap(), t);
        let e = circuit_from_json(&json!("toggel"), "circuit").unwrap_err();
        assert_eq!(e.config_issues()[0].path, "circuit");
        assert!(e.to_string().contains("repressilator"), "{e}");
        let e = circuit_from_json(
            &json!({ "genes": [{ "name": "a", "w": -1, "length": 3 }] }),
            "circuit",
        )
        .unwrap_err();
        assert_eq!(e.config_issues()[0].path, "circuit.genes[0].w");
        let e = circuit_from_json(&json!(5), "circuit").unwrap_err();
        assert!(e.to_string().contains("a number"), "{e}");
    }

    #[test]
    fn every_built_in_circuit_is_valid_and_documented() {
        let all = supported_circuits();
        assert_eq!(all.len(), 7);
        for c in &all {
            assert!(c.circuit.validate().is_ok(), "{}", c.id);
            assert_eq!(c.circuit.name.as_deref(), Some(c.id));
            assert!(!c.sources.is_empty() && !c.teaches.is_empty() && !c.adapted.is_empty());
            assert!(c.teaches.ends_with('.'), "{}: one sentence", c.id);
            assert_eq!(library_circuit(c.id).as_ref(), Some(&c.circuit));
        }
        assert_eq!(
            all.iter().find(|c| c.id == "toggle").unwrap().inducers,
            ["IPTG", "aTc"]
        );
        assert!(library_circuit("toggel").is_none());
        let ids = library_ids();
        assert!(ids.contains(&"repressilator") && ids.contains(&"self-activator"));
    }
}
