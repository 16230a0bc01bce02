//! Tests of circuits in sessions: a `createVm` config's `circuit` (a library id or a circuit
//! in full) and the `setInducer` op are read, written back byte for byte, replayed as the
//! hypervisor's own calls, and refused with their paths.

use super::tests::errors;
use super::*;
use crate::circuits::library_circuit;
use crate::hypervisor::{Hypervisor, HypervisorOptions};
use crate::machinery::MachineryKind;
use crate::scheduler::SchedulerKind;
use crate::vm::{BiologicalType, VmType};

const MIN: u64 = 60_000;

fn session(circuit_b: &str, extra_op: &str) -> String {
    format!(
        r#"{{
  "format": "bioxen-session",
  "version": 1,
  "chassis": "ecoli",
  "scheduler": "credit",
  "options": {{ "seed": 7, "machinery": "kinetic" }},
  "ops": [
    {{ "atMs": 0, "op": "createVm", "vmId": "t", "biologicalType": "ecoli", "config": {{ "circuit": "toggle" }} }},
    {{ "atMs": 0, "op": "createVm", "vmId": "b", "biologicalType": "ecoli", "config": {{ "circuit": {circuit_b}, "weight": 512 }} }},
    {{ "atMs": 0, "op": "startVm", "vmId": "t" }},
    {{ "atMs": 0, "op": "startVm", "vmId": "b" }},
    {{ "atMs": 7200000, "op": "setInducer", "name": "IPTG", "value": 1000 }}{extra_op}
  ],
  "endMs": 36000000
}}"#
    )
}

const MINE: &str = r#"{ "name": "mine", "genes": [ { "name": "rfp", "w": 5, "length": 225 } ] }"#;

#[test]
fn circuits_and_inducers_round_trip_and_replay_as_the_hypervisor_calls() {
    let text = session(
        MINE,
        r#",
    { "atMs": 18000000, "op": "setInducer", "name": "IPTG", "value": 0 }"#,
    );
    let s = parse(&text, Syntax::Json).unwrap();
    assert_eq!(s.ops[4].op.kind(), "setInducer");
    let written = to_json(&s);
    assert_eq!(to_json(&parse(&written, Syntax::Json).unwrap()), written);
    assert!(written.contains("\"circuit\": \"toggle\""), "{written}");
    assert!(written.contains("\"name\": \"rfp\""), "{written}");

    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: SchedulerKind::Credit,
        machinery: MachineryKind::Kinetic,
        seed: 7,
        ..Default::default()
    })
    .unwrap();
    let mut cfg = crate::config::VmConfig {
        circuit: library_circuit("toggle"),
        ..Default::default()
    };
    h.create_vm("t", BiologicalType::Ecoli, VmType::Basic, &cfg)
        .unwrap();
    cfg.circuit =
        Some(crate::circuits::Circuit::from_value(&serde_json::from_str(MINE).unwrap()).unwrap());
    cfg.weight = Some(512);
    h.create_vm("b", BiologicalType::Ecoli, VmType::Basic, &cfg)
        .unwrap();
    h.start_vm("t").unwrap();
    h.start_vm("b").unwrap();
    h.step(120 * MIN).unwrap();
    h.set_inducer("IPTG", 1000.0).unwrap();
    h.step(180 * MIN).unwrap();
    h.set_inducer("IPTG", 0.0).unwrap();
    h.step(300 * MIN).unwrap();
    assert_eq!(r.hypervisor.snapshot(), h.snapshot());
    assert_eq!(r.hypervisor.medium(), vec![("IPTG".to_string(), 0.0)]);
    // The pulse flipped the toggle, and it stayed flipped.
    let m = r.hypervisor.kinetic_metrics().unwrap();
    let t = m.per_vm.iter().find(|v| v.vm_id == "t").unwrap();
    let p = |g: &str| {
        t.gene_classes
            .iter()
            .find(|c| c.group == g)
            .unwrap()
            .expression
            .protein
    };
    assert!(
        p("tetR") > 10.0 * p("lacI"),
        "tetR {} lacI {}",
        p("tetR"),
        p("lacI")
    );
}

#[test]
fn bad_circuits_and_inducers_are_refused_with_their_paths() {
    // What the reader sees: the kinds of values.
    let errs = errors(&session(
        "5",
        r#",
    { "atMs": 0, "op": "setInducer", "name": 3, "value": "x" }"#,
    ));
    let all = errs.join("\n");
    assert!(all.contains("ops[1].config.circuit"), "{all}");
    assert!(all.contains("ops[5].name"), "{all}");
    assert!(all.contains("ops[5].value"), "{all}");

    // What the package refuses on replay, with the circuit's own path.
    let bad = r#"{ "genes": [ { "name": "rfp", "w": -5, "length": 225 } ] }"#;
    let s = parse(&session(bad, ""), Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "ops[1]");
    assert!(e.to_string().contains("circuit.genes[0].w"), "{e}");
    let s = parse(&session("\"toggel\"", ""), Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("not a built-in circuit"), "{e}");

    // An inducer on the simple machinery is refused, leniently skipped.
    let simple = session(MINE, "").replace(r#", "machinery": "kinetic""#, "");
    let s = parse(&simple, Syntax::Json).unwrap();
    let r = replay(
        &s,
        ReplayOptions {
            lenient: true,
            ..Default::default()
        },
        &mut |_| {},
    )
    .unwrap();
    let refused: Vec<usize> = r.refused.iter().map(|(i, _)| *i).collect();
    assert_eq!(refused, [0, 1, 2, 3, 4]);
    assert_eq!(r.refused[4].1.code(), "INVALID_CONFIG");
}
