//! Tests of a session's chassis: a preset's name as before, or a chassis object that is read,
//! written back, replayed and refused with the rules of `custom_chassis`.

use serde_json::json;

use super::tests::errors;
use super::*;
use crate::chassis::{ChassisKind, ChassisSpec};
use crate::custom_chassis::chassis_from_json;
use crate::hypervisor::{Hypervisor, HypervisorOptions};
use crate::scheduler::SchedulerKind;

fn session_with(chassis: &str) -> String {
    format!(
        r#"{{
  "format": "bioxen-session",
  "version": 1,
  "chassis": {chassis},
  "scheduler": "credit",
  "options": {{ "seed": 7 }},
  "ops": [
    {{ "atMs": 0, "op": "createVm", "vmId": "a", "biologicalType": "syn3a", "config": {{ "ribosomes": 300 }} }},
    {{ "atMs": 0, "op": "createVm", "vmId": "b", "biologicalType": "ecoli", "config": {{ "weight": 512 }} }},
    {{ "atMs": 0, "op": "startVm", "vmId": "a" }},
    {{ "atMs": 60000, "op": "startVm", "vmId": "b" }}
  ],
  "endMs": 3600000
}}"#
    )
}

const CUSTOM: &str = r#"{ "name": "Small textbook", "base": "textbook", "ribosomes": 2000, "maxVms": 8, "hostReserve": { "atp": 0.25 } }"#;

#[test]
fn a_custom_chassis_is_read_and_written_back_as_it_was_given() {
    let s = parse(&session_with(CUSTOM), Syntax::Json).unwrap();
    assert_eq!(s.chassis.kind(), ChassisKind::Custom);
    assert_eq!(s.chassis.base(), ChassisKind::Textbook);
    let spec = s.chassis.spec().unwrap();
    assert_eq!((spec.ribosomes, spec.max_vms), (2000, 8));
    assert_eq!(spec.host_reserve.atp, 0.25);
    assert_eq!(
        spec.elongation_aa_per_s,
        ChassisSpec::textbook().elongation_aa_per_s
    );
    assert_eq!(
        s.chassis.label(),
        "\"Small textbook\" (custom, on textbook)"
    );
    let text = to_json(&s);
    // the object as the file gave it (key order of JSON.parse), in JSON.stringify's layout
    assert!(
        text.contains(
            "\"chassis\": {\n    \"name\": \"Small textbook\",\n    \"base\": \"textbook\",\n    \"ribosomes\": 2000,\n    \"maxVms\": 8,\n    \"hostReserve\": {\n      \"atp\": 0.25\n    }\n  },\n  \"scheduler\""
        ),
        "{text}"
    );
    let again = parse(&text, Syntax::Json).unwrap();
    assert_eq!(again, s);
    assert_eq!(to_json(&again), text);
}

#[test]
fn a_session_built_in_rust_writes_the_same_object() {
    let d = json!({ "base": "yeast", "ribosomes": 50000, "hostReserve": { "ribosomes": 0.3 } });
    let mut s = Session::new(
        SessionChassis::from_json(&d).unwrap(),
        SchedulerKind::Fcfs,
        SessionOptions::default(),
    );
    s.end_ms = 1000;
    let back = parse(&to_json(&s), Syntax::Json).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.chassis.spec().unwrap(), chassis_from_json(&d).unwrap());
    // a name through the same door is a preset, written as its name
    let p = SessionChassis::from_json(&json!("syn3a")).unwrap();
    assert_eq!(p, SessionChassis::Preset(ChassisKind::Syn3a));
    assert!(SessionChassis::from_json(&json!({ "ribosomes": 0 })).is_err());
}

#[test]
fn replay_builds_the_hypervisor_on_the_described_chassis() {
    let s = parse(&session_with(CUSTOM), Syntax::Json).unwrap();
    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    let spec = chassis_from_json(&serde_json::from_str(CUSTOM).unwrap()).unwrap();
    assert_eq!(r.hypervisor.chassis(), &spec);
    // the same operations on a hypervisor built directly on that spec
    let mut h = Hypervisor::new(HypervisorOptions {
        chassis: spec,
        scheduler: SchedulerKind::Credit,
        seed: 7,
        ..Default::default()
    })
    .unwrap();
    for t in &s.ops {
        if t.at_ms > h.now_ms() {
            h.step(t.at_ms - h.now_ms()).unwrap();
        }
        apply_op(&mut h, &t.op, None).unwrap();
    }
    h.step(s.end_ms - h.now_ms()).unwrap();
    let (a, b) = (r.hypervisor.metrics(), h.metrics());
    assert_eq!(a.context_switches, b.context_switches);
    assert_eq!(a.decisions, b.decisions);
    assert_eq!(a.per_vm.len(), 2);
    for (x, y) in a.per_vm.iter().zip(&b.per_vm) {
        assert_eq!(x.machinery_time_ms, y.machinery_time_ms);
        assert_eq!(x.aa_produced, y.aa_produced);
    }
    // and not what the base preset gives: the chassis really changed the run
    let mut preset = s.clone();
    preset.chassis = SessionChassis::Preset(ChassisKind::Textbook);
    let p = replay(&preset, ReplayOptions::default(), &mut |_| {}).unwrap();
    assert_ne!(p.hypervisor.chassis().ribosomes, 2000);
    assert_eq!(p.hypervisor.chassis().kind, ChassisKind::Textbook);
    // maxVms 8 holds on replay: a ninth VM is refused
    let mut full = s.clone();
    for i in 0..7 {
        full.ops.push(TimedOp {
            at_ms: s.end_ms,
            op: Op::CreateVm {
                vm_id: format!("x{i}"),
                biological_type: crate::vm::BiologicalType::Syn3a,
                vm_type: crate::vm::VmType::Basic,
                config: SessionConfig::default(),
            },
        });
    }
    let e = replay(&full, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "ops[10]");
    assert_eq!(e.cause.unwrap().code(), "CAPACITY_REACHED");
}

#[test]
fn every_bad_chassis_field_is_reported_with_its_path_and_the_rest_of_the_session_too() {
    let text = session_with(
        r#"{ "base": "textbook", "ribosomes": 0, "hostReserve": { "atp": 1, "dna": 0.1 }, "atpPool": "lots", "colour": "red" }"#,
    )
    .replace("\"credit\"", "\"magic\"");
    let errs = errors(&text);
    let mut chassis: Vec<&String> = errs.iter().filter(|e| e.starts_with("chassis")).collect();
    chassis.sort();
    assert_eq!(chassis.len(), 5, "{errs:#?}");
    let want = [
        "chassis.atpPool: expected a finite number, got the string \"lots\"",
        "chassis.colour: unknown key \"colour\"",
        "chassis.hostReserve.atp: 1 is out of range; expected 0 <= f < 1",
        "chassis.hostReserve.dna: unknown key \"dna\"",
        "chassis.ribosomes: 0 is out of range; expected 1..=10000000",
    ];
    for (e, w) in chassis.iter().zip(want) {
        assert!(e.starts_with(w), "{e} should start with {w}");
    }
    // the chassis is read where the name was: before the scheduler, whose error still comes
    assert!(
        errs.last()
            .unwrap()
            .starts_with("scheduler: expected one of"),
        "{errs:#?}"
    );
    assert_eq!(errs.len(), 6);
    // a bad base stops at the base
    assert_eq!(
        errors(&session_with(r#"{ "base": "mars", "ribosomes": 0 }"#)),
        ["chassis.base: expected one of ecoli, yeast, syn3a, orthogonal, textbook, got the string \"mars\""]
    );
}

#[test]
fn a_preset_name_still_works_and_other_values_are_refused() {
    let s = parse(&session_with("\"orthogonal\""), Syntax::Json).unwrap();
    assert_eq!(s.chassis, SessionChassis::Preset(ChassisKind::Orthogonal));
    assert_eq!(s.chassis.label(), "orthogonal");
    assert!(to_json(&s).contains("\"chassis\": \"orthogonal\",\n"));
    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r.hypervisor.chassis(), &ChassisSpec::orthogonal());
    for (v, got) in [
        ("3", "the number 3"),
        ("[\"ecoli\"]", "an array"),
        ("null", "null"),
    ] {
        assert_eq!(
            errors(&session_with(v)),
            [format!(
                "chassis: expected a preset name or a chassis object, got {got}"
            )]
        );
    }
    assert_eq!(
        errors(&session_with("\"custom\"")),
        ["chassis: expected one of ecoli, yeast, syn3a, orthogonal, textbook, got the string \"custom\""]
    );
}

#[test]
fn toml_gives_the_chassis_as_a_table() {
    let toml = r#"
format = "bioxen-session"
version = 1
scheduler = "fcfs"
ops = []
endMs = 10

[chassis]
base = "syn3a"
ribosomes = 400

[chassis.hostReserve]
memory = 0.5
"#;
    let s = parse(toml, Syntax::Toml).unwrap();
    let spec = s.chassis.spec().unwrap();
    assert_eq!((spec.kind, spec.ribosomes), (ChassisKind::Custom, 400));
    assert_eq!(spec.host_reserve.memory, 0.5);
    assert_eq!(s.chassis.base(), ChassisKind::Syn3a);
    assert_eq!(parse(&to_json(&s), Syntax::Json).unwrap(), s);
}
