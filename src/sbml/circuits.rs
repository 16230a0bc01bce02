//! The model of a [`simulate_circuits`](crate::circuits::simulate_circuits) call as SBML: the
//! Weiße et al. 2015 host (Cell 160:1045; parameters as in `kinetics::params`), every circuit
//! gene as a heterologous gene with its regulated promoter, and the inducer schedules as
//! timed events. The equations are those of `kinetics::model` and the issue's semantics,
//! written out term by term so that libRoadRunner, COPASI or Tellurium integrate the same ODEs.
//!
//! Ids: host species and parameters keep their names in the paper (`si, a, r, et, em, q, mr,
//! ..., cq`; `gmax, Kgamma, ...`); gene j of circuit i is `c{i}g{j}` (its protein `p_c{i}g{j}`,
//! mRNA `m_...`, complex `cx_...`, promoter activity `f_...`), and inducer k is `ind{k}`: the
//! readable names (gene names may hold `.` and `-`, which SBML ids may not) are the SBML names.

use std::collections::BTreeMap;

use super::document::{Document, TimedEvent};
use super::math::{num, sym, Expr};
use crate::circuits::{CircuitOptions, Effect, Mode};
use crate::error::Result;
use crate::kinetics::model::{self, HOST_NAMES};
use crate::kinetics::WeisseParams;

/// Host parameters: SBML id, value, meaning.
fn host_params(p: &WeisseParams, s0: f64) -> Vec<(&'static str, f64, &'static str)> {
    vec![
        ("s0", s0, "external nutrient (molecules)"),
        ("dm", p.dm, "mRNA degradation (1/min)"),
        ("ns", p.ns, "nutrient efficiency (aa per nutrient)"),
        ("nr", p.nr, "ribosome length (aa)"),
        ("nx", p.nx, "length of the other host proteins (aa)"),
        (
            "gmax",
            p.gmax,
            "maximal elongation rate (aa/min per ribosome)",
        ),
        (
            "Kgamma",
            p.kgamma,
            "elongation half-saturation energy (molecules)",
        ),
        ("vt", p.vt, "maximal nutrient import (1/min)"),
        ("Kt", p.kt, "nutrient import threshold (molecules)"),
        ("vm", p.vm, "maximal enzymatic rate (1/min)"),
        ("Km", p.km, "enzymatic threshold (molecules)"),
        ("wr", p.wr, "maximal ribosome transcription (molecules/min)"),
        ("we", p.we, "maximal enzyme transcription (molecules/min)"),
        (
            "wq",
            p.wq,
            "maximal housekeeping transcription (molecules/min)",
        ),
        (
            "thetar",
            p.thetar,
            "ribosome transcription threshold (molecules)",
        ),
        (
            "thetax",
            p.thetax,
            "non-ribosomal transcription threshold (molecules)",
        ),
        (
            "Kq",
            p.kq,
            "housekeeping autoinhibition threshold (molecules)",
        ),
        ("hq", p.hq, "housekeeping autoinhibition Hill coefficient"),
        ("kb", p.kb, "mRNA-ribosome binding (1/(molecule min))"),
        ("ku", p.ku, "mRNA-ribosome unbinding (1/min)"),
        ("M", p.m, "total cell mass (aa)"),
    ]
}

/// One transcript: (suffix, mRNA, complex, length id, transcription expression).
struct Transcript {
    key: String,
    m: String,
    c: String,
    len: Expr,
    omega: Expr,
}

/// `simulate_circuits`'s model as an SBML document (after the same checks).
pub fn circuits_document(opts: &CircuitOptions) -> Result<Document> {
    opts.check()?;
    let p = opts.params.clone().unwrap_or_else(WeisseParams::ecoli);
    let mut d = Document {
        id: "bioxen_circuits".into(),
        name: "BioXen gene circuits on the Weisse 2015 host".into(),
        notes: "Exported by BioXen. Host: Weisse, Garcia-Tejera, Mitchell, Rosenthal & Swain \
                2015, Cell 160:1045, Table S1. Time in minutes, amounts in molecules, inducers \
                in micromolar. Each state is a parameter with a rate rule.\n\nA circuit gene \
                is a heterologous gene: transcription w*f*a/(thetax + a) with promoter \
                activity f = leak + (1 - leak)*prod(h); dp/dt = nu - (lambda + degradation)*p."
            .into(),
        ..Default::default()
    };
    for (id, v, what) in host_params(&p, opts.s0) {
        d.quantity(id, what, v, true);
    }
    // States, with the run's initial values over the model's default initial state.
    let defaults = model::default_initial(0);
    for (name, &default) in HOST_NAMES.iter().zip(&defaults) {
        let v = opts
            .initial
            .as_ref()
            .and_then(|m| m.get(*name).copied())
            .unwrap_or(default);
        d.quantity(name, name, v, false);
    }
    // Inducers: value at t = 0 (0 before a schedule's first entry), then events.
    let mut inducer_id: BTreeMap<String, String> = BTreeMap::new();
    let mut names: Vec<&str> = opts.inducers.keys().map(String::as_str).collect();
    for c in &opts.circuits {
        for n in c.inducer_names() {
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    names.sort_unstable();
    let mut changes: BTreeMap<u64, Vec<(String, f64)>> = BTreeMap::new();
    for (k, name) in names.iter().enumerate() {
        let id = format!("ind{k}");
        let sched = opts.inducers.get(*name).map(Vec::as_slice).unwrap_or(&[]);
        let at0 = sched
            .iter()
            .take_while(|e| e[0] <= 0.0)
            .last()
            .map_or(0.0, |e| e[1]);
        d.quantity(&id, &format!("inducer {name} (uM)"), at0, false);
        for e in sched.iter().filter(|e| e[0] > 0.0) {
            changes
                .entry(e[0].to_bits())
                .or_default()
                .push((id.clone(), e[1]));
        }
        inducer_id.insert(name.to_string(), id);
    }
    for (i, (t, set)) in changes.into_iter().enumerate() {
        d.events.push(TimedEvent {
            id: format!("medium_change{i}"),
            at: f64::from_bits(t),
            set,
        });
    }

    // Host rates.
    let all_c: Vec<String> = ["cr", "ct", "cm", "cq"]
        .iter()
        .map(|s| s.to_string())
        .chain(gene_ids(opts).into_iter().map(|g| format!("cx_{g}")))
        .collect();
    let derived = |d: &mut Document, id: &str, what: &str, e: Expr| {
        d.quantity(id, what, 0.0, false);
        d.assignments.push((id.to_string(), e));
    };
    derived(
        &mut d,
        "gam",
        "elongation rate gamma(a) (aa/min)",
        sym("gmax") * sym("a") / (sym("Kgamma") + sym("a")),
    );
    derived(
        &mut d,
        "lam",
        "growth rate lambda (1/min)",
        sym("gam") * Expr::sum(all_c.iter().map(|c| sym(c)).collect()) / sym("M"),
    );
    derived(
        &mut d,
        "nucat",
        "nutrient metabolism (molecules/min)",
        sym("em") * sym("vm") * sym("si") / (sym("Km") + sym("si")),
    );
    derived(
        &mut d,
        "nuimp",
        "nutrient import (molecules/min)",
        sym("et") * sym("vt") * sym("s0") / (sym("Kt") + sym("s0")),
    );
    let sat_x = || sym("a") / (sym("thetax") + sym("a"));
    let mut tx = vec![
        Transcript {
            key: "r".into(),
            m: "mr".into(),
            c: "cr".into(),
            len: sym("nr"),
            omega: sym("wr") * sym("a") / (sym("thetar") + sym("a")),
        },
        Transcript {
            key: "t".into(),
            m: "mt".into(),
            c: "ct".into(),
            len: sym("nx"),
            omega: sym("we") * sat_x(),
        },
        Transcript {
            key: "m".into(),
            m: "mm".into(),
            c: "cm".into(),
            len: sym("nx"),
            omega: sym("we") * sat_x(),
        },
        Transcript {
            key: "q".into(),
            m: "mq".into(),
            c: "cq".into(),
            len: sym("nx"),
            omega: sym("wq") * sat_x() / (num(1.0) + (sym("q") / sym("Kq")).pow(sym("hq"))),
        },
    ];

    // Circuit genes: constants, states, promoter activity.
    let mut products: Vec<(String, String, Expr)> = vec![]; // (protein, nu id, degradation)
    for (i, c) in opts.circuits.iter().enumerate() {
        for (j, g) in c.genes.iter().enumerate() {
            let id = format!("c{i}g{j}");
            let label = format!(
                "{}/{}",
                c.name.as_deref().unwrap_or(&format!("circuit {i}")),
                g.name
            );
            d.quantity(
                &format!("w_{id}"),
                &format!("{label}: maximal transcription (molecules/min)"),
                g.w,
                true,
            );
            d.quantity(
                &format!("n_{id}"),
                &format!("{label}: protein length (aa)"),
                f64::from(g.length),
                true,
            );
            d.quantity(
                &format!("p_{id}"),
                &format!("{label}: protein (molecules)"),
                g.initial_protein,
                false,
            );
            let start = |name: String| -> f64 {
                opts.initial
                    .as_ref()
                    .and_then(|m| m.get(&name).copied())
                    .unwrap_or(0.0)
            };
            d.quantity(
                &format!("m_{id}"),
                &format!("{label}: mRNA (molecules)"),
                start(format!("m_{id}")),
                false,
            );
            d.quantity(
                &format!("cx_{id}"),
                &format!("{label}: ribosome-mRNA complexes (molecules)"),
                start(format!("cx_{id}")),
                false,
            );
            let mut hs = vec![];
            for (k, reg) in g.regulation.iter().enumerate() {
                let Some(b) = c.gene_index(&reg.by) else {
                    continue;
                };
                let rid = format!("{id}_r{k}");
                d.quantity(
                    &format!("K_{rid}"),
                    &format!("{label}: regulation {k} by {}: K (molecules)", reg.by),
                    reg.k,
                    true,
                );
                d.quantity(
                    &format!("h_{rid}"),
                    &format!("{label}: regulation {k}: Hill coefficient"),
                    reg.n,
                    true,
                );
                let mut p_eff = sym(&format!("p_c{i}g{b}"));
                if let Some(ind) = &reg.inducer {
                    let iid = &inducer_id[&ind.name];
                    d.quantity(
                        &format!("KI_{rid}"),
                        &format!("{label}: regulation {k}: {} K (uM)", ind.name),
                        ind.k,
                        true,
                    );
                    d.quantity(
                        &format!("hI_{rid}"),
                        &format!("{label}: regulation {k}: {} Hill coefficient", ind.name),
                        ind.n,
                        true,
                    );
                    let x = (sym(iid) / sym(&format!("KI_{rid}"))).pow(sym(&format!("hI_{rid}")));
                    p_eff = match ind.effect {
                        Effect::Inactivates => p_eff / (num(1.0) + x),
                        Effect::Activates => p_eff * x.clone() / (num(1.0) + x),
                    };
                }
                let z = (p_eff / sym(&format!("K_{rid}"))).pow(sym(&format!("h_{rid}")));
                hs.push(match reg.mode {
                    Mode::Repress => num(1.0) / (num(1.0) + z),
                    Mode::Activate => z.clone() / (num(1.0) + z),
                });
            }
            let f = if hs.is_empty() {
                num(1.0)
            } else {
                d.quantity(
                    &format!("leak_{id}"),
                    &format!("{label}: leak"),
                    g.leak,
                    true,
                );
                sym(&format!("leak_{id}"))
                    + (num(1.0) - sym(&format!("leak_{id}"))) * Expr::product(hs)
            };
            derived(
                &mut d,
                &format!("f_{id}"),
                &format!("{label}: promoter activity"),
                f,
            );
            tx.push(Transcript {
                key: id.clone(),
                m: format!("m_{id}"),
                c: format!("cx_{id}"),
                len: sym(&format!("n_{id}")),
                omega: sym(&format!("w_{id}")) * sym(&format!("f_{id}")) * sat_x(),
            });
            let deg = if g.degradation != 0.0 {
                d.quantity(
                    &format!("deg_{id}"),
                    &format!("{label}: active degradation (1/min)"),
                    g.degradation,
                    true,
                );
                sym("lam") + sym(&format!("deg_{id}"))
            } else {
                sym("lam")
            };
            products.push((format!("p_{id}"), format!("nu_{id}"), deg));
        }
    }

    // Transcription, translation, and every transcript's mRNA and complex.
    let mut release = vec![];
    for t in &tx {
        derived(
            &mut d,
            &format!("omega_{}", t.key),
            "transcription (molecules/min)",
            t.omega.clone(),
        );
        derived(
            &mut d,
            &format!("nu_{}", t.key),
            "translation (molecules/min)",
            sym(&t.c) * sym("gam") / t.len.clone(),
        );
        let nu = sym(&format!("nu_{}", t.key));
        let bind = sym("kb") * sym("r") * sym(&t.m) - sym("ku") * sym(&t.c);
        d.rates.push((
            t.m.clone(),
            sym(&format!("omega_{}", t.key)) - (sym("lam") + sym("dm")) * sym(&t.m) + nu.clone()
                - bind.clone(),
        ));
        d.rates.push((
            t.c.clone(),
            -(sym("lam") * sym(&t.c)) + bind.clone() - nu.clone(),
        ));
        release.push(nu - bind);
    }
    d.rates.push((
        "si".into(),
        sym("nuimp") - sym("nucat") - sym("lam") * sym("si"),
    ));
    d.rates.push((
        "a".into(),
        sym("ns") * sym("nucat")
            - sym("gam") * Expr::sum(all_c.iter().map(|c| sym(c)).collect())
            - sym("lam") * sym("a"),
    ));
    let mut dr = vec![sym("nu_r") - sym("lam") * sym("r")];
    dr.extend(release);
    d.rates.push(("r".into(), Expr::sum(dr)));
    for (prod, nu) in [("et", "nu_t"), ("em", "nu_m"), ("q", "nu_q")] {
        d.rates
            .push((prod.into(), sym(nu) - sym("lam") * sym(prod)));
    }
    for (prot, nu, loss) in products {
        d.rates.push((prot.clone(), sym(&nu) - loss * sym(&prot)));
    }
    Ok(d)
}

/// Gene ids in layout order.
fn gene_ids(opts: &CircuitOptions) -> Vec<String> {
    opts.circuits
        .iter()
        .enumerate()
        .flat_map(|(i, c)| (0..c.genes.len()).map(move |j| format!("c{i}g{j}")))
        .collect()
}

/// `simulate_circuits`'s model as SBML Level 3 Version 2 core XML.
pub fn circuits_to_sbml(opts: &CircuitOptions) -> Result<String> {
    circuits_document(opts)?.to_xml().map_err(|p| {
        crate::error::BioxenError::arg(
            "options",
            format!("internal: inconsistent SBML: {}", p.join("; ")),
        )
    })
}
