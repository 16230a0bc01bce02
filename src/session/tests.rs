//! Tests of the session format: the documented example, every validation message and its
//! path, limits, TOML, replay against a live run, the bindings' conversions, the JSON schema,
//! machinery and genome VMs, and JS number printing.

use serde_json::Value;

use super::format::{
    config_keys, option_keys, META_KEYS, RESOURCE_KEYS, SCHEDULING_KEYS, SCHED_OPTION_KEYS,
    TOP_KEYS,
};
use super::types::LIFECYCLE;
use super::*;
use crate::chassis::ChassisKind;
#[cfg(not(all(feature = "kinetics", feature = "genome")))]
use crate::error::BioxenError;
use crate::hypervisor::{Hypervisor, HypervisorOptions};
use crate::machinery::MachineryKind;
use crate::scheduler::SchedulerKind;
use crate::vm::{BiologicalType, VmType};

const EXAMPLE: &str = r#"{
  "format": "bioxen-session",
  "version": 1,
  "chassis": "ecoli",
  "scheduler": "round_robin",
  "options": { "seed": 1 },
  "ops": [
{ "atMs": 0, "op": "createVm", "vmId": "light", "biologicalType": "syn3a", "vmType": "basic", "config": { "weight": 256 } },
{ "atMs": 0, "op": "createVm", "vmId": "heavy", "biologicalType": "yeast", "vmType": "basic", "config": { "weight": 1024 } },
{ "atMs": 0, "op": "startVm", "vmId": "light" },
{ "atMs": 0, "op": "startVm", "vmId": "heavy" },
{ "atMs": 10800000, "op": "setScheduler", "name": "credit", "options": { "quantumMs": 600000 } },
{ "atMs": 12000000, "op": "setScheduling", "vmId": "heavy", "request": { "cap": 50 } }
  ],
  "endMs": 14400000,
  "meta": { "createdBy": "bioxen playground", "bioxenVersion": "0.1.0" }
}"#;

/// Every refusal of a session text, as its messages (shared by the session test modules).
pub(super) fn errors(text: &str) -> Vec<String> {
    parse(text, Syntax::Json)
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn the_documented_example_parses_and_writes_back_byte_for_byte() {
    let s = parse(EXAMPLE, Syntax::Json).unwrap();
    assert_eq!(s.ops.len(), 6);
    assert_eq!(s.end_ms, 14_400_000);
    assert_eq!(s.options.seed, Some(1));
    let text = to_json(&s);
    assert_eq!(parse(&text, Syntax::Json).unwrap(), s);
    // JSON.stringify(…, null, 2): whole numbers without ".0", two-space indents.
    assert!(text.contains("\"atMs\": 10800000,"), "{text}");
    assert!(
        text.contains("\"config\": {\n        \"weight\": 256\n      }"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn every_problem_is_reported_with_its_path() {
    let errs = errors(
        r#"{"format":"bioxen-session","version":1,"chassis":"mars","scheduler":"fifo",
            "options":{"seed":-1,"bogus":2},
            "ops":[{"atMs":5,"op":"startVm","vmId":"a"},
                   {"atMs":1,"op":"explode"},
                   {"atMs":7,"op":"createVm","vmId":"b","biologicalType":"syn3a","config":{"weight":"x","password":"p"}},
                   3],
            "endMs":2}"#,
    );
    let want = [
        "chassis: expected one of ecoli, yeast, syn3a, orthogonal, textbook, got the string \"mars\"",
        "scheduler: expected one of",
        "options: unknown key \"bogus\"",
        "options.seed: expected a whole number from 0 to 9007199254740991, got the number -1",
        "ops[1].op: expected one of createVm",
        "ops[1].atMs: operations must be in time order (atMs 1 < 5)",
        "ops[2].config.weight: expected a number, got the string \"x\"",
        "ops[3]: expected an object, got the number 3",
        "endMs: endMs 2 is before the last operation (7)",
    ];
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
    for (e, w) in errs.iter().zip(want) {
        assert!(e.starts_with(w), "{e} should start with {w}");
    }
}

#[test]
fn limits_and_format_are_enforced() {
    assert_eq!(
        errors(r#"{"format":"x","version":1}"#),
        ["format: expected \"format\": \"bioxen-session\", got the string \"x\""]
    );
    assert!(errors(r#"{"format":"bioxen-session","version":2}"#)[0]
        .starts_with("version: unsupported version the number 2"));
    let e = errors(
        r#"{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"fcfs","ops":[{"atMs":7776000001,"op":"startVm","vmId":"a"}]}"#,
    );
    assert_eq!(
        e,
        ["ops[0].atMs: expected a whole number from 0 to 7776000000, got the number 7776000001"]
    );
    let long = "x".repeat(201);
    let e = errors(&format!(
        r#"{{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"fcfs","ops":[{{"atMs":0,"op":"startVm","vmId":"{long}"}}]}}"#
    ));
    assert_eq!(e, ["ops[0].vmId: string longer than 200 characters"]);
    let big = " ".repeat(MAX_BYTES + 1);
    assert!(errors(&big)[0].starts_with("file too large"));
    assert!(errors("{")[0].starts_with("not JSON"));
}

#[test]
fn toml_reads_the_same_session() {
    let toml = r#"
format = "bioxen-session"
version = 1
chassis = "ecoli"
scheduler = "round_robin"
endMs = 14400000
[options]
seed = 1
[[ops]]
atMs = 0
op = "createVm"
vmId = "light"
biologicalType = "syn3a"
config = { weight = 256 }
[[ops]]
atMs = 0
op = "startVm"
vmId = "light"
"#;
    let s = parse(toml, Syntax::Toml).unwrap();
    assert_eq!(s.ops.len(), 2);
    assert_eq!(s.end_ms, 14_400_000);
    let e = parse("format = 1\nversion = 1\n", Syntax::Toml).unwrap_err();
    assert_eq!(e[0].path, "format");
}

#[test]
fn replay_matches_a_live_run_and_reports_refusals_by_index() {
    let s = parse(EXAMPLE, Syntax::Json).unwrap();
    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(r.hypervisor.now_ms(), 14_400_000);
    assert_eq!(r.hypervisor.scheduler_kind(), SchedulerKind::Credit);
    assert_eq!(r.hypervisor.vm_status("heavy").unwrap().cap, 50);
    // The same operations performed live, stepping in other increments.
    let mut live = LiveSession::new(Session::new(
        ChassisKind::Ecoli,
        SchedulerKind::RoundRobin,
        SessionOptions {
            seed: Some(1),
            ..Default::default()
        },
    ))
    .unwrap();
    for t in &s.ops {
        while live.hypervisor().now_ms() < t.at_ms {
            let dt = (t.at_ms - live.hypervisor().now_ms()).min(777_777);
            live.advance(dt).unwrap();
        }
        live.perform(t.op.clone(), None).unwrap();
    }
    live.advance(s.end_ms - live.hypervisor().now_ms()).unwrap();
    let (a, b) = (r.hypervisor.metrics(), live.hypervisor().metrics());
    assert_eq!(a.context_switches, b.context_switches);
    assert_eq!(a.decisions, b.decisions);
    for (x, y) in a.per_vm.iter().zip(&b.per_vm) {
        assert_eq!(x.machinery_time_ms, y.machinery_time_ms);
        assert!((x.fair_share - y.fair_share).abs() < 1e-9);
    }
    assert_eq!(live.session().ops, s.ops);

    // A refused op: strict replay names it; lenient replay lists it.
    let mut bad = s.clone();
    bad.ops.insert(
        2,
        TimedOp {
            at_ms: 0,
            op: Op::CreateVm {
                vm_id: "light".into(),
                biological_type: BiologicalType::Syn3a,
                vm_type: VmType::Basic,
                config: SessionConfig::default(),
            },
        },
    );
    let e = replay(&bad, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "ops[2]");
    assert_eq!(e.cause.as_ref().unwrap().code(), "DUPLICATE_VM");
    assert!(e
        .message
        .starts_with("createVm was refused on replay: DUPLICATE_VM: "));
    let r = replay(
        &bad,
        ReplayOptions {
            lenient: true,
            ..Default::default()
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].0, 2);
}

#[test]
fn conversions_match_the_js_bindings() {
    let mut h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    let create = |cfg: SessionConfig| Op::CreateVm {
        vm_id: "a".into(),
        biological_type: BiologicalType::Syn3a,
        vm_type: VmType::Basic,
        config: cfg,
    };
    let e = apply_op(
        &mut h,
        &create(SessionConfig {
            weight: Some(1.5),
            ..Default::default()
        }),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    apply_op(&mut h, &create(SessionConfig::default()), None).unwrap();
    let e = apply_op(
        &mut h,
        &Op::SetScheduling {
            vm_id: "a".into(),
            request: SchedulingChange {
                weight: Some(-1.0),
                ..Default::default()
            },
        },
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid argument weight: -1 is not a whole number from 0 to 4294967295"
    );
    let e = apply_op(
        &mut h,
        &Op::AllocateResources {
            vm_id: "nope".into(),
            request: ResourceChange::default(),
        },
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    let e = apply_op(
        &mut h,
        &Op::SetScheduler {
            name: SchedulerKind::Credit,
            options: Some(SchedOptions {
                quantum_ms: Some(0),
                ..Default::default()
            }),
        },
        None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
}

#[test]
fn the_json_schema_lists_what_the_reader_accepts() {
    let schema: Value =
        serde_json::from_str(include_str!("../../docs/session.schema.json")).unwrap();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let owned = |v: &[&str]| sorted(v.iter().map(|s| s.to_string()).collect());
    let p = &schema["properties"];
    let d = &schema["$defs"];
    assert_eq!(sorted(keys(p)), owned(TOP_KEYS));
    assert_eq!(
        strings(&p["chassis"]["oneOf"][0]["enum"]),
        crate::factory::get_supported_chassis()
    );
    // the object form: exactly the keys custom_chassis reads
    assert_eq!(p["chassis"]["oneOf"][1]["$ref"], "#/$defs/customChassis");
    let custom = &d["customChassis"]["properties"];
    assert_eq!(
        sorted(keys(custom)),
        owned(&crate::custom_chassis::CHASSIS_KEYS)
    );
    assert_eq!(
        strings(&custom["base"]["enum"]),
        crate::factory::get_supported_chassis()
    );
    assert_eq!(
        sorted(keys(&custom["hostReserve"]["properties"])),
        owned(&["ribosomes", "rnaPolymerase", "atp", "memory"])
    );
    assert_eq!(
        strings(&d["scheduler"]["enum"]),
        crate::factory::get_supported_schedulers()
    );
    assert_eq!(
        sorted(keys(&p["options"]["properties"])),
        owned(&option_keys())
    );
    let machinery: Vec<&str> = MachineryKind::ALL.iter().map(|m| m.as_str()).collect();
    assert_eq!(
        strings(&p["options"]["properties"][MACHINERY_KEY]["enum"]),
        machinery
    );
    assert_eq!(sorted(keys(&p["meta"]["properties"])), owned(META_KEYS));
    assert_eq!(strings(&d["op"]["properties"]["op"]["enum"]), OP_KINDS);
    let c = &d["createVm"]["properties"];
    assert_eq!(
        sorted(strings(&c["biologicalType"]["enum"])),
        owned(&crate::factory::get_supported_biological_types())
    );
    assert_eq!(
        strings(&c["vmType"]["enum"]),
        crate::factory::get_supported_vm_types()
    );
    let all = config_keys();
    assert_eq!(sorted(keys(&c["config"]["properties"])), owned(&all));
    assert_eq!(
        strings(&c["config"]["properties"][CONFIG_GENOME_KEY]["required"]),
        ["workload"]
    );
    let lifecycle: Vec<&str> = LIFECYCLE.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        strings(&d["lifecycle"]["properties"]["op"]["enum"]),
        lifecycle
    );
    let so = &d["setScheduler"]["properties"]["options"]["oneOf"][1]["properties"];
    assert_eq!(sorted(keys(so)), owned(SCHED_OPTION_KEYS));
    assert_eq!(
        sorted(keys(
            &d["setScheduling"]["properties"]["request"]["properties"]
        )),
        owned(SCHEDULING_KEYS)
    );
    assert_eq!(
        sorted(keys(
            &d["allocateResources"]["properties"]["request"]["properties"]
        )),
        owned(RESOURCE_KEYS)
    );
    assert_eq!(d["timeMs"]["maximum"], MAX_END_MS);
    assert_eq!(p["ops"]["maxItems"], MAX_OPS as u64);
    assert_eq!(d["metaString"]["maxLength"], MAX_META as u64);
    assert_eq!(d["vmId"]["maxLength"], MAX_ID as u64);
    assert_eq!(d["string"]["maxLength"], MAX_STRING as u64);
}

/// A session with a kinetic machinery and a genome VM whose workload has its keys in an
/// order JS would change (an integer-like key written last).
fn genome_session(workload: &str, machinery: &str) -> String {
    format!(
        r#"{{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"credit",
"options":{{"machinery":{machinery},"seed":3}},
"ops":[{{"atMs":0,"op":"createVm","vmId":"g","biologicalType":"syn3a","config":{{"weight":512,"genome":{{"workload":{workload},"extra":1}}}}}},
{{"atMs":0,"op":"startVm","vmId":"g"}}],"endMs":3600000}}"#
    )
}

const WORKLOAD: &str = r#"{"workload":{"organism":"tiny","geneCount":3,"proteinCoding":2,"essentialGenes":1,"totalAa":4321,"genomeKb":7,"source":"test"},"minimalGeneSet":["a1"],"essentialSource":"heuristic","groups":[{"name":"other","genes":2,"aa":4321}],"7":true}"#;

#[test]
fn machinery_and_genome_are_read_and_written() {
    let s = parse(&genome_session(WORKLOAD, "\"kinetic\""), Syntax::Json).unwrap();
    assert_eq!(s.options.machinery, Some(MachineryKind::Kinetic));
    let text = to_json(&s);
    // serializeSession: machinery after the numeric options, genome first in config and
    // holding only the workload, whose integer-like key JSON.parse moved to the front.
    assert!(
        text.contains("\"options\": {\n    \"seed\": 3,\n    \"machinery\": \"kinetic\"\n  }"),
        "{text}"
    );
    assert!(
        text.contains("\"config\": {\n        \"genome\": {\n          \"workload\": {\n            \"7\": true,\n            \"workload\": {"),
        "{text}"
    );
    assert!(!text.contains("extra"), "{text}");
    assert_eq!(parse(&text, Syntax::Json).unwrap(), s);
    assert_eq!(to_json(&parse(&text, Syntax::Json).unwrap()), text);
    // Without machinery: nothing written.
    let mut simple = s.clone();
    simple.options.machinery = None;
    assert!(!to_json(&simple).contains("machinery"));
}

#[cfg(all(feature = "kinetics", feature = "genome"))]
#[test]
fn machinery_and_genome_are_replayed() {
    let s = parse(&genome_session(WORKLOAD, "\"kinetic\""), Syntax::Json).unwrap();
    let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
    let h = &r.hypervisor;
    assert!(h.metrics().kinetic.is_some(), "the kinetic machinery runs");
    let w = h.vm_workload("g").unwrap();
    assert_eq!(
        (w.organism.as_str(), w.total_aa, w.genome_kb),
        ("tiny", 4321, 7)
    );

    // Without machinery: simple.
    let mut simple = s.clone();
    simple.options.machinery = None;
    let r = replay(&simple, ReplayOptions::default(), &mut |_| {}).unwrap();
    assert!(r.hypervisor.metrics().kinetic.is_none());
}

#[test]
fn bad_machinery_and_genome_values_are_refused_as_in_js() {
    let e = errors(&genome_session(WORKLOAD, "\"fast\""));
    assert_eq!(
        e,
        ["options.machinery: expected one of simple, kinetic, got the string \"fast\""]
    );
    for bad in ["null", "3", "false", "\"text\""] {
        let text = genome_session(WORKLOAD, "\"simple\"").replace(
            &format!(r#"{{"workload":{WORKLOAD},"extra":1}}"#),
            &format!(r#"{{"workload":{bad}}}"#),
        );
        assert_eq!(
            errors(&text),
            ["ops[0].config.genome: expected { workload } from parseGenome"],
            "{bad}"
        );
    }
    // Nesting deeper than the bindings read (refused before the workload is decoded).
    let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
    let s = parse(&genome_session(&deep, "\"simple\""), Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert!(e.message.contains("nested more than 16 levels deep"), "{e}");
}

#[cfg(feature = "genome")]
#[test]
fn bad_genome_workloads_are_refused_on_replay_as_in_js() {
    // An array is an object to JS: accepted, then refused by the package on replay.
    let arr = genome_session("[]", "\"simple\"");
    let s = parse(&arr, Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.cause.as_ref().unwrap().code(), "INVALID_ARGUMENT");
    // Shaped like a workload but not one: the package refuses it on replay.
    let text = genome_session(r#"{"workload":{"totalAa":0}}"#, "\"simple\"");
    let s = parse(&text, Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "ops[0]");
    assert_eq!(e.cause.as_ref().unwrap().code(), "INVALID_ARGUMENT");
    assert!(e.message.contains("config.genome.workload"), "{e}");
    let zero = WORKLOAD.replace("\"totalAa\":4321", "\"totalAa\":0");
    let s = parse(&genome_session(&zero, "\"simple\""), Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert!(e.message.contains("expected totalAa from 1 to 1e12"), "{e}");
}

/// A build without `genome` reads and writes a genome VM's session, but refuses to replay
/// its `createVm`: strictly at that op, leniently by listing it.
#[cfg(not(feature = "genome"))]
#[test]
fn genome_vms_need_the_genome_feature_on_replay() {
    let s = parse(&genome_session(WORKLOAD, "\"simple\""), Syntax::Json).unwrap();
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "ops[0]");
    let cause = e.cause.as_ref().unwrap();
    assert_eq!(cause.code(), "FEATURE_UNAVAILABLE");
    assert!(
        matches!(
            **cause,
            BioxenError::FeatureUnavailable {
                feature: "genome",
                ..
            }
        ),
        "{cause:?}"
    );
    assert!(
        e.message
            .starts_with("createVm was refused on replay: FEATURE_UNAVAILABLE: "),
        "{e}"
    );
    let lenient = ReplayOptions {
        lenient: true,
        ..Default::default()
    };
    let r = replay(&s, lenient, &mut |_| {}).unwrap();
    // The VM was never created, so starting it is refused too.
    let refused: Vec<(usize, &str)> = r.refused.iter().map(|(i, e)| (*i, e.code())).collect();
    assert_eq!(refused, [(0, "FEATURE_UNAVAILABLE"), (1, "NOT_FOUND")]);
    assert!(r.applied.is_empty());
}

/// A build without `kinetics` refuses to replay a session on the kinetic machinery (the
/// hypervisor cannot be built), naming the feature.
#[cfg(not(feature = "kinetics"))]
#[test]
fn the_kinetic_machinery_needs_the_kinetics_feature_on_replay() {
    let mut s = parse(EXAMPLE, Syntax::Json).unwrap();
    s.options.machinery = Some(MachineryKind::Kinetic);
    let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.path, "$");
    let cause = e.cause.as_ref().unwrap();
    assert!(
        matches!(
            **cause,
            BioxenError::FeatureUnavailable {
                feature: "kinetics",
                ..
            }
        ),
        "{cause:?}"
    );
}

#[test]
fn js_numbers_print_like_js() {
    assert_eq!(js_number(256.0), "256");
    assert_eq!(js_number(0.1), "0.1");
    assert_eq!(js_number(-0.0), "0");
    assert_eq!(js_number(1e21), "1e+21");
    assert_eq!(js_number(1.5e-7), "1.5e-7");
    assert_eq!(js_number(123456789012.5), "123456789012.5");
}
