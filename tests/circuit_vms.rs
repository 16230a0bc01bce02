//! Gene circuits inside VMs of a kinetic hypervisor: the bare model's numbers when one VM
//! holds the machinery, the shared medium, the transcription budget, refusals that change
//! nothing, determinism under chunking, and snapshots.
#![cfg(feature = "kinetics")]

mod common;

use std::collections::BTreeMap;

use bioxen::circuits::{library_circuit, simulate_circuits, Circuit, CircuitOptions};
use bioxen::kinetics::{weisse_steady_state, SteadyStateOptions};
use bioxen::{
    BiologicalType, ChassisKind, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType,
};

const MIN: u64 = 60_000;
/// The E. coli model's grid tick (1/20 of the mRNA lifetime 1/d_m = 10 min).
const TICK: u64 = 30_000;

fn kinetic(chassis: ChassisKind, scheduler: SchedulerKind) -> Hypervisor {
    common::kinetic(chassis, scheduler, 3)
}

fn lib(id: &str) -> Circuit {
    library_circuit(id).unwrap()
}

fn with_circuit(c: Circuit) -> VmConfig {
    VmConfig {
        ribosomes: Some(0),
        atp_percent: Some(0.0),
        memory_kb: Some(10),
        circuit: Some(c),
        ..Default::default()
    }
}

fn add_running(h: &mut Hypervisor, id: &str, c: Circuit) {
    h.create_vm(id, BiologicalType::Ecoli, VmType::Basic, &with_circuit(c))
        .unwrap();
    h.start_vm(id).unwrap();
}

/// (gene name → protein, activity) of VM `id` in the kinetic report.
fn genes(h: &Hypervisor, id: &str) -> BTreeMap<String, (f64, f64)> {
    let m = h.kinetic_metrics().unwrap();
    let v = m.per_vm.iter().find(|v| v.vm_id == id).unwrap();
    v.gene_classes
        .iter()
        .map(|c| {
            (
                c.group.clone(),
                (
                    c.expression.protein,
                    c.activity.expect("circuit gene activity"),
                ),
            )
        })
        .collect()
}

fn protein(h: &Hypervisor, id: &str, gene: &str) -> f64 {
    genes(h, id)[gene].0
}

fn host_steady() -> BTreeMap<String, f64> {
    let ss = weisse_steady_state(&SteadyStateOptions::default()).unwrap();
    ss.names
        .iter()
        .cloned()
        .zip(ss.state.iter().copied())
        .collect()
}

#[test]
fn one_vm_holding_the_machinery_follows_the_bare_model() {
    // One VM under FCFS holds the machinery from its start, so its promoters are on (induction
    // 1) from the first grid point on, where its genes join the model. The bare model started
    // at that moment from the same host steady state must give the same trajectory, within
    // 1e-6 relative (the hypervisor integrates at rtol 1e-6 tick by tick, the bare model at
    // 1e-9 in one run; they agree to about 1e-7).
    for id in ["toggle", "lac", "repressilator"] {
        let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Fcfs);
        add_running(&mut h, "g", lib(id));
        let mut inducers = BTreeMap::new();
        if id == "lac" {
            // 50 µM IPTG set at 100 min, just after that grid point was passed: it applies
            // at the next, 100.5 min, which is 100 min of the bare model's clock.
            h.step(100 * MIN).unwrap();
            h.set_inducer("IPTG", 50.0).unwrap();
            inducers.insert("IPTG".to_string(), vec![[100.0, 50.0]]);
            h.step(500 * MIN + TICK).unwrap();
        } else {
            h.step(600 * MIN + TICK).unwrap();
        }
        let bare = simulate_circuits(&CircuitOptions {
            circuits: vec![lib(id)],
            inducers,
            t_end_min: 600.0,
            points: 2,
            rtol: 1e-9,
            atol: 1e-9,
            initial: Some(host_steady()),
            ..Default::default()
        })
        .unwrap();
        let m = h.kinetic_metrics().unwrap();
        assert_eq!(m.model_time_ms, 600 * MIN + TICK);
        let g = genes(&h, "g");
        for s in &bare.circuits[0].genes {
            let (p, f) = g[&s.name];
            let want = *s.protein.last().unwrap();
            let scale = want.abs().max(1.0);
            assert!(
                (p - want).abs() <= 1e-6 * scale,
                "{id}.{}: VM {p}, bare {want}",
                s.name
            );
            let fw = *s.activity.last().unwrap();
            assert!(
                (f - fw).abs() <= 1e-6,
                "{id}.{} activity: VM {f}, bare {fw}",
                s.name
            );
        }
        let lw = *bare.growth_rate.last().unwrap();
        assert!(
            (m.growth_rate_per_min - lw).abs() <= 1e-6 * lw,
            "{id}: growth VM {}, bare {lw}",
            m.growth_rate_per_min
        );
    }
}

#[test]
fn the_toggle_in_a_vm_remembers_an_iptg_pulse() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Fcfs);
    add_running(&mut h, "t", lib("toggle"));
    h.step(600 * MIN).unwrap();
    let before = protein(&h, "t", "gfp");
    let lac_before = protein(&h, "t", "lacI");
    assert!(
        lac_before > 10.0 * before.max(1.0),
        "starts LacI-high: {lac_before} vs gfp {before}"
    );
    h.set_inducer("IPTG", 1000.0).unwrap();
    h.step(600 * MIN).unwrap();
    h.set_inducer("IPTG", 0.0).unwrap();
    let flipped = protein(&h, "t", "gfp");
    assert!(
        flipped > 20.0 * before.max(1.0),
        "IPTG flips it: gfp {before} → {flipped}"
    );
    // 30 doublings without IPTG: it stays in the TetR-high state.
    h.step(900 * MIN).unwrap();
    let after = protein(&h, "t", "gfp");
    assert!(
        after > 0.5 * flipped,
        "memory: gfp {flipped} → {after} after the pulse"
    );
    assert!(protein(&h, "t", "lacI") < protein(&h, "t", "tetR"));
    assert_eq!(h.medium(), vec![("IPTG".to_string(), 0.0)]);
}

#[test]
fn the_medium_is_shared_and_inducing_one_vm_loads_its_neighbour() {
    // Credit keeps both VMs' promoters on at once. IPTG, added "for" B, reaches A's LacI
    // promoter too; and B's induced expression takes ribosomes from A's reporter.
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut h, "a", lib("reporter"));
    add_running(&mut h, "b", lib("lac"));
    add_running(&mut h, "c", lib("lac"));
    h.step(600 * MIN).unwrap();
    let a0 = protein(&h, "a", "gfp");
    let b0 = protein(&h, "b", "gfp");
    assert!((b0 - protein(&h, "c", "gfp")).abs() <= 1e-9 * b0.max(1.0));
    h.set_inducer("IPTG", 1000.0).unwrap();
    h.step(600 * MIN).unwrap();
    let (a1, b1, c1) = (
        protein(&h, "a", "gfp"),
        protein(&h, "b", "gfp"),
        protein(&h, "c", "gfp"),
    );
    assert!(b1 > 5.0 * b0.max(1.0), "IPTG induces b: {b0} → {b1}");
    assert!(
        (b1 - c1).abs() <= 1e-9 * b1,
        "and c just the same: {b1} vs {c1}"
    );
    assert!(
        a1 < 0.97 * a0,
        "the reporter loses to the induced neighbours: {a0} → {a1}"
    );
}

#[test]
fn the_scheduler_gates_every_promoter_of_a_circuit() {
    // Round robin between a circuit VM and a plain guest: the circuit's genes are on only
    // while it holds the machinery, so it makes less than when it runs alone.
    let mut alone = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
    add_running(&mut alone, "r", lib("reporter"));
    let mut shared = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
    add_running(&mut shared, "r", lib("reporter"));
    shared
        .create_vm(
            "o",
            BiologicalType::Ecoli,
            VmType::Basic,
            &VmConfig::default(),
        )
        .unwrap();
    shared.start_vm("o").unwrap();
    alone.step(900 * MIN).unwrap();
    shared.step(900 * MIN).unwrap();
    let (pa, ps) = (protein(&alone, "r", "gfp"), protein(&shared, "r", "gfp"));
    assert!(ps < 0.8 * pa, "time-sliced reporter {ps} vs alone {pa}");
    assert!(ps > 0.05 * pa, "but it still gets its slices: {ps} vs {pa}");
}

#[test]
fn the_rna_polymerase_reservation_is_the_transcription_budget() {
    let c = lib("reporter");
    let need_nt: f64 = c.genes.iter().map(|g| g.w * 3.0 * g.length as f64).sum();
    let full_rnap = (need_nt / (45.0 * 60.0)).ceil() as u64;
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    h.create_vm(
        "full",
        BiologicalType::Ecoli,
        VmType::Basic,
        &with_circuit(c.clone()),
    )
    .unwrap();
    let reserved = h.ledger().held_by("full").rna_polymerase;
    assert!(
        reserved >= full_rnap,
        "default reservation {reserved} covers {full_rnap}"
    );
    let mut half = with_circuit(c.clone());
    half.rna_polymerase = Some(full_rnap / 2);
    h.create_vm("half", BiologicalType::Ecoli, VmType::Basic, &half)
        .unwrap();
    h.start_vm("full").unwrap();
    h.start_vm("half").unwrap();
    h.step(TICK * 2).unwrap();
    let m = h.kinetic_metrics().unwrap();
    let w = |id: &str| {
        m.per_vm
            .iter()
            .find(|v| v.vm_id == id)
            .unwrap()
            .gene_classes[0]
            .expression
            .max_transcription_per_min
    };
    assert_eq!(w("full"), c.genes[0].w);
    let budget = (full_rnap / 2) as f64 * 45.0 * 60.0;
    assert!((w("half") - c.genes[0].w * budget / need_nt).abs() < 1e-12);
}

#[test]
fn bad_circuits_and_inducers_are_refused_and_change_nothing() {
    let mut simple = Hypervisor::new(HypervisorOptions::default()).unwrap();
    let e = simple
        .create_vm(
            "x",
            BiologicalType::Ecoli,
            VmType::Basic,
            &with_circuit(lib("toggle")),
        )
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    assert_eq!(e.config_issues()[0].path, "circuit");
    assert!(simple.list_vms().is_empty());
    let e = simple.set_inducer("IPTG", 5.0).unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    assert!(simple.medium().is_empty());

    let mut ortho = kinetic(ChassisKind::Orthogonal, SchedulerKind::Fcfs);
    let e = ortho
        .create_vm(
            "x",
            BiologicalType::Ecoli,
            VmType::Basic,
            &with_circuit(lib("toggle")),
        )
        .unwrap_err();
    assert!(e.to_string().contains("orthogonal"), "{e}");

    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Fcfs);
    let mut bad = lib("toggle");
    bad.genes[1].w = -1.0;
    bad.genes[2].regulation[0].by = "nobody".into();
    let e = h
        .create_vm(
            "x",
            BiologicalType::Ecoli,
            VmType::Basic,
            &with_circuit(bad),
        )
        .unwrap_err();
    let paths: Vec<&str> = e.config_issues().iter().map(|i| i.path.as_str()).collect();
    assert!(paths.contains(&"circuit.genes[1].w"), "{paths:?}");
    assert!(
        paths.contains(&"circuit.genes[2].regulation[0].by"),
        "{paths:?}"
    );
    assert!(h.list_vms().is_empty());

    add_running(&mut h, "t", lib("toggle"));
    h.set_inducer("IPTG", 10.0).unwrap();
    let snap = h.snapshot();
    for (name, v) in [
        ("IPTG", -1.0),
        ("IPTG", f64::NAN),
        ("bad name", 1.0),
        ("", 1.0),
    ] {
        let e = h.set_inducer(name, v).unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT", "{name} {v}");
    }
    assert_eq!(h.snapshot(), snap, "refusals change nothing");
    assert_eq!(h.medium(), vec![("IPTG".to_string(), 10.0)]);
}

/// A protocol: two circuit VMs, inducer changes between grid points, a destroyed VM.
fn protocol(chunks: &[u64]) -> Hypervisor {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::RoundRobin);
    add_running(&mut h, "t", lib("toggle"));
    add_running(&mut h, "r", lib("repressilator"));
    let ops: [(u64, &str, f64); 3] = [
        (95 * MIN + 7_000, "IPTG", 500.0),
        (211 * MIN + 1, "aTc", 0.5),
        (400 * MIN, "IPTG", 0.0),
    ];
    let mut t = 0;
    let mut next = 0;
    let mut chunk = chunks.iter().cycle();
    while t < 600 * MIN {
        let to = ops.get(next).map_or(600 * MIN, |o| o.0);
        while t < to {
            let dt = (*chunk.next().unwrap()).min(to - t);
            h.step(dt).unwrap();
            t += dt;
        }
        if let Some(&(_, name, v)) = ops.get(next) {
            h.set_inducer(name, v).unwrap();
            if name == "aTc" {
                h.destroy_vm("r").ok();
                add_running(&mut h, "r2", lib("repressilator"));
            }
            next += 1;
        }
    }
    h
}

#[test]
fn results_do_not_depend_on_how_step_chunks_time_and_snapshots_restore_bit_for_bit() {
    let one = protocol(&[600 * MIN]);
    let fine = protocol(&[7_919, 61_001, 1]);
    assert_eq!(one.snapshot(), fine.snapshot());
    let m = one.kinetic_metrics().unwrap();
    assert!(m.per_vm.iter().any(|v| v.vm_id == "r2"));

    // Restored half-way (with an inducer change waiting for its grid point), it continues
    // to the same bits.
    let mut a = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut a, "t", lib("toggle"));
    a.step(100 * MIN + 1_234).unwrap();
    a.set_inducer("IPTG", 800.0).unwrap();
    let mut b = Hypervisor::restore(&a.snapshot()).unwrap();
    assert_eq!(b.medium(), a.medium());
    a.step(300 * MIN).unwrap();
    b.step(300 * MIN).unwrap();
    assert_eq!(a.snapshot(), b.snapshot());
    assert!(a.check_consistency().is_ok());
}

#[test]
fn per_gene_protein_series_follow_the_report() {
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Fcfs);
    h.step(10 * MIN).unwrap();
    add_running(&mut h, "t", lib("toggle"));
    h.step(90 * MIN).unwrap();
    let (samples, next, _) = h.kinetic_series_since(0, 10_000).unwrap();
    let from = next - samples.len() as u64;
    let cols = h.kinetic_gene_series(from, next);
    let names: Vec<&str> = cols.iter().map(|c| c.1.as_str()).collect();
    assert_eq!(names, ["lacI", "tetR", "gfp"]);
    assert_eq!(samples.last().unwrap().t_ms, 100 * MIN);
    let report = genes(&h, "t");
    for (vm, gene, p) in &cols {
        assert_eq!(vm, "t");
        assert_eq!(p.len(), samples.len());
        // Before the VM existed there is no value; after, one per sample.
        let first = p.iter().position(|v| !v.is_nan()).unwrap();
        assert!(samples[first].t_ms > 10 * MIN && samples[first].t_ms <= 11 * MIN);
        assert!(p[first..].iter().all(|v| v.is_finite() && *v >= 0.0));
        assert_eq!(*p.last().unwrap(), report[gene].0 as f32 as f64, "{gene}");
    }
    // A later window holds just its samples; a destroyed VM's series goes with it.
    let tail = h.kinetic_gene_series(next - 5, next);
    assert!(tail.iter().all(|c| c.2.len() == 5));
    assert_eq!(tail[0].2[4], cols[0].2[samples.len() - 1]);
    h.destroy_vm("t").unwrap();
    assert!(h.kinetic_gene_series(from, next).is_empty());
}

#[test]
fn two_self_activating_switches_under_load_winner_takes_all() {
    // Sechkar, Steel & Stan 2024: at 1.5 mM inducer one self-activator alone switches on, but
    // two sharing the host's ribosomes cannot both stay on: the one with a head start wins
    // and holds the other off. Swapping the head start swaps the winner.
    const INDUCER: f64 = 1500.0;
    let mut alone = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    add_running(&mut alone, "a", lib("self-activator"));
    alone.set_inducer("inducer", INDUCER).unwrap();
    alone.step(3000 * MIN).unwrap();
    let on = protein(&alone, "a", "switch");
    let run = |head_start: &str| {
        let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
        for id in ["a", "b"] {
            let mut c = lib("self-activator");
            if id == head_start {
                c.genes[0].initial_protein = 2000.0;
            }
            add_running(&mut h, id, c);
        }
        h.set_inducer("inducer", INDUCER).unwrap();
        h.step(3000 * MIN).unwrap();
        (protein(&h, "a", "switch"), protein(&h, "b", "switch"))
    };
    for (head, (a, b)) in [("b", run("b")), ("a", run("a"))] {
        let (winner, loser) = if head == "a" { (a, b) } else { (b, a) };
        assert!(winner > 0.9 * on, "{head} wins: {winner} vs alone {on}");
        assert!(
            loser < 0.1 * on,
            "the other stays off: {loser} vs alone {on}"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const IDS: [&str; 7] = [
        "reporter",
        "lac",
        "ara",
        "autorepressor",
        "toggle",
        "repressilator",
        "self-activator",
    ];
    const INDUCERS: [&str; 4] = ["IPTG", "aTc", "arabinose", "inducer"];
    const POLICIES: [SchedulerKind; 3] = [
        SchedulerKind::RoundRobin,
        SchedulerKind::Credit,
        SchedulerKind::Lottery,
    ];

    /// VM circuits (library index, w scale), operations (time step ms, inducer, µM), policy.
    type Scenario = (Vec<(usize, f64)>, Vec<(u64, usize, f64)>, usize);

    fn scenario() -> impl Strategy<Value = Scenario> {
        (
            prop::collection::vec((0..IDS.len(), 0.1f64..20.0), 1..5),
            prop::collection::vec((1u64..200 * MIN, 0..INDUCERS.len(), 0.0f64..5000.0), 1..8),
            0..POLICIES.len(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn random_circuit_vms_and_protocols_stay_finite_and_restore_bit_for_bit(
            (vms, ops, policy) in scenario()
        ) {
            let mut h = kinetic(ChassisKind::Ecoli, POLICIES[policy]);
            for (i, (id, scale)) in vms.iter().enumerate() {
                let mut c = lib(IDS[*id]);
                for g in &mut c.genes {
                    g.w *= scale;
                }
                add_running(&mut h, &format!("v{i}"), c);
            }
            for (k, (dt, inducer, um)) in ops.iter().enumerate() {
                h.step(*dt).unwrap();
                h.set_inducer(INDUCERS[*inducer], *um).unwrap();
                if k == ops.len() / 2 {
                    let mut copy = Hypervisor::restore(&h.snapshot()).unwrap();
                    let mut orig = Hypervisor::restore(&h.snapshot()).unwrap();
                    copy.step(50 * MIN).unwrap();
                    orig.step(20 * MIN).unwrap();
                    orig.step(30 * MIN).unwrap();
                    prop_assert_eq!(copy.snapshot(), orig.snapshot());
                }
                prop_assert!(h.check_consistency().is_ok(), "{:?}", h.check_consistency());
            }
            let m = h.kinetic_metrics().unwrap();
            prop_assert!(m.growth_rate_per_min.is_finite() && m.growth_rate_per_min > 0.0);
            prop_assert_eq!(m.integration_failures, 0);
            for v in &m.per_vm {
                for c in &v.gene_classes {
                    let a = c.activity.unwrap();
                    prop_assert!((0.0..=1.0).contains(&a), "activity {}", a);
                    prop_assert!(c.expression.protein.is_finite() && c.expression.protein >= 0.0);
                }
            }
        }
    }
}

#[test]
fn the_present_model_exports_and_continues_as_the_hypervisor_does() {
    // Credit with weights 512 and 256: the toggle's gate is frozen at 1/2, lac's at 1.
    let mut h = kinetic(ChassisKind::Ecoli, SchedulerKind::Credit);
    let mut t = with_circuit(lib("toggle"));
    t.weight = Some(256);
    h.create_vm("t", BiologicalType::Ecoli, VmType::Basic, &t)
        .unwrap();
    let mut l = with_circuit(lib("lac"));
    l.weight = Some(512);
    h.create_vm("l", BiologicalType::Ecoli, VmType::Basic, &l)
        .unwrap();
    h.start_vm("t").unwrap();
    h.start_vm("l").unwrap();
    h.step(100 * MIN).unwrap();
    h.set_inducer("IPTG", 30.0).unwrap();
    h.step(50 * MIN).unwrap();
    let opts = h.kinetic_model_options(300.0, 2).unwrap();
    let names: Vec<_> = opts
        .circuits
        .iter()
        .map(|c| c.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["t", "l"]);
    assert_eq!(opts.circuits[0].genes[0].w, 0.5 * lib("toggle").genes[0].w);
    assert_eq!(opts.circuits[1].genes[1].w, lib("lac").genes[1].w);
    assert_eq!(opts.inducers["IPTG"], vec![[0.0, 30.0]]);
    // Nothing changes from here on: the hypervisor continues as the bare model does.
    h.step(300 * MIN).unwrap();
    let bare = simulate_circuits(&CircuitOptions {
        rtol: 1e-9,
        atol: 1e-9,
        ..opts.clone()
    })
    .unwrap();
    let m = h.kinetic_metrics().unwrap();
    for (c, id) in ["t", "l"].iter().enumerate() {
        let g = genes(&h, id);
        for s in &bare.circuits[c].genes {
            let want = *s.protein.last().unwrap();
            let got = g[&s.name].0;
            assert!(
                (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                "{id}.{}: hypervisor {got}, exported model {want}",
                s.name
            );
        }
    }
    let lw = *bare.growth_rate.last().unwrap();
    assert!((m.growth_rate_per_min - lw).abs() <= 1e-6 * lw);

    // The SBML of it: libSBML accepts it and libRoadRunner solves it to the same numbers.
    let xml = h.to_sbml().unwrap();
    assert!(xml.contains("<sbml") && xml.contains("p_c1g1"));
    if let Some(py) = common::oracle::python() {
        let opts = h.kinetic_model_options(1000.0, 3).unwrap();
        let ours = simulate_circuits(&CircuitOptions {
            rtol: 1e-10,
            atol: 1e-10,
            ..opts
        })
        .unwrap();
        let ids = ["p_c0g0", "p_c0g1", "p_c0g2", "p_c1g0", "p_c1g1"];
        let rr = common::oracle::check_sbml(
            &py,
            "hypervisor-present",
            &xml,
            &[0.0, 500.0, 1000.0],
            &ids,
        );
        assert_eq!(rr["errors"], serde_json::json!([]), "libSBML: {rr}");
        for (k, id) in ids.iter().enumerate() {
            let (c, g) = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)][k];
            for i in 0..3 {
                let theirs = rr["series"][id][i].as_f64().unwrap();
                let mine = ours.circuits[c].genes[g].protein[i];
                assert!(
                    (theirs - mine).abs() <= 1e-6 * mine.abs().max(1.0),
                    "{id}[{i}]: libRoadRunner {theirs}, simulate_circuits {mine}"
                );
            }
        }
    }

    // A VM without a circuit is constitutive genes; the simple machinery has no model.
    h.create_vm(
        "plain",
        BiologicalType::Ecoli,
        VmType::Basic,
        &VmConfig::default(),
    )
    .unwrap();
    h.step(TICK).unwrap();
    let opts = h.kinetic_model_options(10.0, 2).unwrap();
    let plain = &opts.circuits[2];
    assert_eq!(plain.name.as_deref(), Some("plain"));
    assert_eq!(plain.genes[0].name, "class0");
    assert_eq!(plain.genes[0].w, 0.0, "created, not started: its gate is 0");
    let simple = Hypervisor::new(HypervisorOptions::default()).unwrap();
    assert_eq!(simple.to_sbml().unwrap_err().code(), "INVALID_CONFIG");
}
