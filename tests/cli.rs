//! The `bioxen` binary's scripted commands, run as a user runs them (assert_cmd): outputs,
//! exit codes, determinism, and the round trip with sessions written by the playground's own
//! export code (tests/fixtures/sessions/, examples/scenarios/: scripts/gen-scenarios.mjs, which
//! also records what the wasm package's replay gives for each file in expected.json).

mod common;

use std::path::{Path, PathBuf};

use common::cli::{bioxen, root, run_json};
use predicates::prelude::*;
use serde_json::Value;

fn expected() -> serde_json::Map<String, Value> {
    let read = |rel: &str| -> serde_json::Map<String, Value> {
        let text = std::fs::read_to_string(root().join(rel)).unwrap();
        match serde_json::from_str(&text).unwrap() {
            Value::Object(m) => m,
            _ => panic!("{rel} is not an object"),
        }
    };
    let mut all = read("tests/fixtures/sessions/expected.json");
    // Sessions saved by earlier playgrounds (tests/fixtures/frozen/v<N>/): they must keep
    // replaying to what the package gives for them.
    let frozen = root().join("tests/fixtures/frozen");
    let mut versions: Vec<_> = std::fs::read_dir(&frozen)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    assert!(
        !versions.is_empty(),
        "no frozen sessions in {}",
        frozen.display()
    );
    for v in versions {
        let v = v.to_string_lossy();
        all.extend(read(&format!("tests/fixtures/frozen/{v}/expected.json")));
    }
    all
}

#[test]
fn the_first_problem_reported_is_the_one_the_playground_reports() {
    let e = expected();
    let want = &e["tests/fixtures/sessions/invalid.json"]["invalid"];
    let out = bioxen()
        .args(["validate", "tests/fixtures/sessions/invalid.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    let first = err.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "bioxen: error [{}] {}",
            want["code"].as_str().unwrap(),
            want["message"].as_str().unwrap()
        )
    );
    // ...and the others follow: the bad weight, the unknown key, the time order, endMs.
    for path in [
        "ops[0].config.weight",
        "ops[1]: unknown key",
        "ops[2].atMs",
        "endMs",
    ] {
        assert!(err.contains(path), "{path} missing from\n{err}");
    }
}

/// Sessions the package replays without refusal (every example and the browser export).
fn all_replayable() -> Vec<(String, Value)> {
    let e = expected();
    let list: Vec<(String, Value)> = e
        .into_iter()
        .filter(|(_, v)| v.get("metrics").is_some())
        .collect();
    assert!(
        list.len() >= 8,
        "expected.json lists {} replayable sessions",
        list.len()
    );
    list
}

/// Whether the full package's replay of a session ran on the kinetic machinery.
fn is_kinetic(want: &Value) -> bool {
    !want["metrics"]["kinetic"].is_null()
}

/// Whether a session creates a VM on a genome (`config.genome`), which needs the `genome` feature.
fn uses_genome(file: &str) -> bool {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let session: Value = serde_json::from_str(&text).unwrap();
    session["ops"]
        .as_array()
        .is_some_and(|ops| ops.iter().any(|op| !op["config"]["genome"].is_null()))
}

/// The replayable sessions this build can replay: without the `kinetics` feature, the kinetic
/// ones fail with FEATURE_UNAVAILABLE (kinetic_sessions_need_the_kinetics_feature); without
/// `genome`, so do the ones with a genome VM (genome_sessions_need_the_genome_feature).
fn replayable() -> Vec<(String, Value)> {
    all_replayable()
        .into_iter()
        .filter(|(_, w)| cfg!(feature = "kinetics") || !is_kinetic(w))
        .filter(|(f, _)| cfg!(feature = "genome") || !uses_genome(f))
        .collect()
}

/// The kinetic sessions among the replayable ones (at least the four known ones; circuits.json
/// has circuit VMs and setInducer ops).
fn kinetic_sessions() -> Vec<String> {
    let kinetic: Vec<String> = all_replayable()
        .into_iter()
        .filter(|(_, w)| is_kinetic(w))
        .map(|(f, _)| f)
        .collect();
    for f in [
        "examples/scenarios/kinetic-burden.json",
        "examples/scenarios/kinetic-orthogonal.json",
        "tests/fixtures/sessions/kinetic.json",
        "tests/fixtures/sessions/circuits.json",
    ] {
        assert!(
            kinetic.iter().any(|k| k == f),
            "{f} should replay on the kinetic machinery"
        );
    }
    kinetic
}

/// Deep comparison: the same keys and values, every number equal to the bit (the CLI replays
/// in one step per operation, the page frame by frame: chunking changes nothing,
/// www/session-format.md).
fn assert_same(path: &str, a: &Value, b: &Value) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<&String> = x.keys().collect();
            let ky: Vec<&String> = y.keys().collect();
            assert_eq!(kx, ky, "keys differ at {path}");
            for (k, v) in x {
                assert_same(&format!("{path}.{k}"), v, &y[k]);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "lengths differ at {path}");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                assert_same(&format!("{path}[{i}]"), v, w);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            let (p, q) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert_eq!(p.to_bits(), q.to_bits(), "{path}: {x} vs {y}");
        }
        _ => assert_eq!(a, b, "values differ at {path}"),
    }
}

/// The wasm build's `metrics()` also has `throughput` (an alias the JS API adds).
fn without_js_alias(mut m: Value) -> Value {
    if let Some(o) = m.as_object_mut() {
        let alias = o.remove("throughput");
        assert_eq!(
            alias.as_ref(),
            o.get("throughputAaPerS"),
            "the JS alias should equal throughputAaPerS"
        );
    }
    m
}

#[test]
fn browser_sessions_replay_to_the_wasm_packages_results() {
    let tmp = tempdir();
    // The comparison covers the kinetic machinery (metrics.kinetic: growth, ribosomes, energy,
    // capacity monitor, per-VM genes, compared exactly) and genome VMs (config.genome).
    let list = replayable();
    let kinetic = kinetic_sessions();
    assert_eq!(
        list.iter().filter(|(f, _)| kinetic.contains(f)).count(),
        if cfg!(feature = "kinetics") {
            kinetic.len()
        } else {
            0
        },
        "the kinetic sessions are replayed exactly when this build has the kinetics feature"
    );
    for f in [
        "tests/fixtures/sessions/genome.json",
        "tests/fixtures/sessions/kinetic.json",
    ] {
        let text = std::fs::read_to_string(root().join(f)).unwrap();
        assert!(
            text.contains("\"genome\": {"),
            "{f} should hold a genome VM"
        );
    }
    for (file, want) in list {
        let trace = tmp.join("trace.json");
        let got = run_json(&[
            "run",
            &file,
            "--format",
            "json",
            "--trace",
            trace.to_str().unwrap(),
        ]);
        assert_eq!(got["nowMs"], want["nowMs"], "{file}");
        assert_eq!(got["scheduler"], want["scheduler"], "{file}");
        assert_same(
            &format!("{file}:metrics"),
            &got["metrics"],
            &without_js_alias(want["metrics"].clone()),
        );
        assert_same(
            &format!("{file}:profiler"),
            &got["profiler"],
            &want["profiler"],
        );
        let t: Value = serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap();
        assert_eq!(
            t["segments"].as_array().unwrap().len() as u64,
            want["traceSegments"].as_u64().unwrap(),
            "{file}: trace"
        );
        assert_eq!(
            t["events"].as_array().unwrap().len() as u64,
            want["events"].as_u64().unwrap(),
            "{file}: events"
        );
    }
}

#[test]
fn compare_matches_the_playgrounds_comparison_replays() {
    for (file, want) in replayable() {
        let names: Vec<&str> = want["compare"]
            .as_object()
            .unwrap()
            .keys()
            .map(|s| s.as_str())
            .collect();
        let got = run_json(&[
            "compare",
            &file,
            "--schedulers",
            &names.join(","),
            "--format",
            "json",
        ]);
        let results = got["results"].as_array().unwrap();
        assert_eq!(results.len(), names.len());
        for r in results {
            let name = r["scheduler"].as_str().unwrap();
            assert_same(
                &format!("{file}:compare:{name}"),
                &r["metrics"],
                &without_js_alias(want["compare"][name].clone()),
            );
        }
    }
}

#[test]
fn compare_prints_a_side_by_side_table() {
    bioxen()
        .args([
            "compare",
            "examples/scenarios/fcfs-starving.json",
            "--schedulers",
            "fcfs,round_robin",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Measure")
                .and(predicate::str::contains("fcfs"))
                .and(predicate::str::contains("round_robin")),
        )
        .stdout(
            predicate::str::contains("second: response").and(predicate::str::contains("never ran")),
        );
    bioxen()
        .args([
            "compare",
            "examples/scenarios/fcfs-starving.json",
            "--schedulers",
            "fcfs,fifo",
        ])
        .assert()
        .code(19)
        .stderr(predicate::str::contains(
            "bioxen: error [INVALID_ARGUMENT] unsupported scheduler \"fifo\"",
        ));
}

#[test]
fn a_refused_session_fails_with_the_js_message_and_the_codes_status() {
    let e = expected();
    let r = &e["tests/fixtures/sessions/refused.json"]["refused"];
    assert_eq!(r["causeCode"], "INVALID_TRANSITION");
    let line = format!(
        "bioxen: error [{}] {}\n",
        r["code"].as_str().unwrap(),
        r["message"].as_str().unwrap()
    );
    for cmd in ["run", "validate"] {
        bioxen()
            .args([cmd, "tests/fixtures/sessions/refused.json"])
            .assert()
            .code(16)
            .stdout("")
            .stderr(line.clone());
    }
}

#[test]
fn runs_are_byte_for_byte_deterministic() {
    for format in ["json", "csv", "table"] {
        let a = bioxen()
            .args([
                "run",
                "tests/fixtures/sessions/browser-export.json",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let b = bioxen()
            .args([
                "run",
                "tests/fixtures/sessions/browser-export.json",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(a.status.success() && !a.stdout.is_empty());
        assert_eq!(
            a.stdout, b.stdout,
            "{format} output differs between two runs"
        );
        // No progress bar when stderr is not a terminal.
        assert!(
            a.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&a.stderr)
        );
    }
}

#[test]
fn csv_has_one_row_per_vm() {
    let want = &expected()["tests/fixtures/sessions/browser-export.json"];
    let vms = want["metrics"]["perVm"].as_array().unwrap();
    let out = bioxen()
        .args([
            "run",
            "tests/fixtures/sessions/browser-export.json",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("vmId,state,biologicalType"));
    assert_eq!(lines.len(), vms.len() + 1);
    for (line, vm) in lines[1..].iter().zip(vms) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(cells[0], vm["vmId"].as_str().unwrap());
        assert_eq!(cells[1], vm["state"].as_str().unwrap());
        assert_eq!(cells[8], vm["machineryTimeMs"].to_string());
    }
}

/// Without the kinetics feature, every kinetic session is refused with FEATURE_UNAVAILABLE
/// naming the feature, and exit status 24, by each command that replays it.
#[cfg(not(feature = "kinetics"))]
#[test]
fn kinetic_sessions_need_the_kinetics_feature() {
    for file in kinetic_sessions() {
        for args in [
            vec!["run", file.as_str()],
            vec!["validate", file.as_str()],
            vec!["compare", file.as_str(), "--schedulers", "fcfs"],
        ] {
            let out = bioxen().args(&args).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(24), "bioxen {args:?}: {err}");
            assert!(out.stdout.is_empty(), "bioxen {args:?} printed a result");
            // A refused session is INVALID_SESSION with the package's code in the message,
            // and the exit status of that code (docs/cli.md).
            assert!(
                err.contains("FEATURE_UNAVAILABLE") && err.contains("\"kinetics\" feature"),
                "bioxen {args:?}: {err}"
            );
        }
    }
}

/// Without the genome feature, a session with a genome VM is refused on replay with
/// FEATURE_UNAVAILABLE naming the feature, and exit status 24.
#[cfg(not(feature = "genome"))]
#[test]
fn genome_sessions_need_the_genome_feature() {
    let file = "tests/fixtures/sessions/genome.json";
    assert!(uses_genome(file));
    let out = bioxen().args(["run", file]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(24), "{err}");
    assert!(out.stdout.is_empty(), "printed a result");
    assert!(
        err.contains("FEATURE_UNAVAILABLE") && err.contains("\"genome\" feature"),
        "{err}"
    );
}

#[cfg(feature = "kinetics")]
#[test]
fn run_prints_the_kinetic_hosts_state_in_every_format() {
    let file = "tests/fixtures/sessions/kinetic.json";
    let j = run_json(&["run", file, "--format", "json"]);
    let k = &j["metrics"]["kinetic"];
    let growth = k["growthRatePerMin"].as_f64().unwrap();
    assert!(growth > 0.0 && growth < k["baselineGrowthRatePerMin"].as_f64().unwrap());
    let out = bioxen().args(["run", file]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        format!("Kinetic host ({}", k["hostModel"].as_str().unwrap()),
        format!("{growth:.5} /min"),
        format!("{:.1} min", k["doublingTimeMin"].as_f64().unwrap()),
        format!(
            "{:.1} % of its value without guests",
            k["capacityPercent"].as_f64().unwrap()
        ),
        format!("{:.1} of", k["freeRibosomes"].as_f64().unwrap()),
        format!("{:.2} molecules", k["energy"].as_f64().unwrap()),
    ] {
        assert!(text.contains(&want), "{want} missing from\n{text}");
    }
    for g in k["perVm"].as_array().unwrap() {
        let id = g["vmId"].as_str().unwrap();
        assert!(
            text.lines()
                .any(|l| l.starts_with(id)
                    && l.contains(&format!("{:.1}", g["mrna"].as_f64().unwrap()))),
            "{id}'s gene row missing from\n{text}"
        );
    }
    // CSV: the host's columns on every row, and each VM's gene.
    let out = bioxen()
        .args(["run", file, "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), j["metrics"]["perVm"].as_array().unwrap().len());
    for r in &rows {
        assert_eq!(r.len(), header.len());
        assert_eq!(r[col("growthRatePerMin")].parse::<f64>().unwrap(), growth);
        assert_eq!(
            r[col("energy")].parse::<f64>().unwrap(),
            k["energy"].as_f64().unwrap()
        );
        let g = k["perVm"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["vmId"] == r[0])
            .unwrap();
        assert_eq!(
            r[col("protein")].parse::<f64>().unwrap(),
            g["protein"].as_f64().unwrap()
        );
    }
    // The simple machinery keeps the plain header.
    let out = bioxen()
        .args([
            "run",
            "examples/scenarios/orthogonal.json",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout)
        .unwrap()
        .contains("growthRatePerMin"));
}

#[test]
fn until_cuts_the_session() {
    // rr-vs-credit switches to credit at 3 h: cut at 2 h it is still round robin.
    let v = run_json(&[
        "run",
        "examples/scenarios/rr-vs-credit.json",
        "--until",
        "2h",
        "--format",
        "json",
    ]);
    assert_eq!(v["nowMs"], 7_200_000);
    assert_eq!(v["scheduler"], "round_robin");
    let full = run_json(&[
        "run",
        "examples/scenarios/rr-vs-credit.json",
        "--format",
        "json",
    ]);
    assert_eq!(full["scheduler"], "credit");
    bioxen()
        .args([
            "run",
            "examples/scenarios/rr-vs-credit.json",
            "--until",
            "2 fortnights",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[USAGE] --until: invalid duration \"2 fortnights\"",
        ));
}

#[test]
fn saved_sessions_are_what_the_playground_writes() {
    // The CLI writes the bytes the playground exports after importing the same file (but
    // for meta.createdBy).
    let tmp = tempdir();
    for (file, want) in replayable() {
        let out = tmp.join("saved.json");
        bioxen()
            .args([
                "run",
                &file,
                "--format",
                "json",
                "--save-session",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        let page = want["reexport"].as_str().unwrap();
        let saved = std::fs::read_to_string(&out).unwrap();
        assert_eq!(
            saved,
            page.replace(
                "\"createdBy\": \"bioxen playground\"",
                "\"createdBy\": \"bioxen cli\""
            ),
            "{file}"
        );
    }
}

#[test]
fn toml_and_stdin_give_the_same_run() {
    let file = "examples/scenarios/greedy-cap.json";
    let json_out = bioxen()
        .args(["run", file, "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(file)).unwrap()).unwrap();
    let toml_text = toml::to_string(&v).unwrap();
    let tmp = tempdir();
    let t = tmp.join("greedy-cap.toml");
    std::fs::write(&t, toml_text).unwrap();
    let toml_out = bioxen()
        .args(["run", t.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        toml_out.status.success(),
        "{}",
        String::from_utf8_lossy(&toml_out.stderr)
    );
    assert_eq!(toml_out.stdout, json_out);
    let stdin_out = bioxen()
        .args(["run", "-", "--format", "json"])
        .write_stdin(std::fs::read(root().join(file)).unwrap())
        .output()
        .unwrap();
    assert_eq!(stdin_out.stdout, json_out);
}

#[test]
fn validate_reports_every_problem_with_its_path() {
    let tmp = tempdir();
    let bad = tmp.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"format":"bioxen-session","version":1,"chassis":"mars","scheduler":"round_robin","colour":"red",
            "ops":[{"atMs":0,"op":"createVm","vmId":"a","biologicalType":"syn3a","config":{"weight":"heavy"}},
                   {"atMs":-5,"op":"startVm","vmId":"a"},
                   {"atMs":10,"op":"teleport","vmId":"a"}]}"#,
    )
    .unwrap();
    let out = bioxen()
        .args(["validate", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    let want = [
        "bioxen: error [INVALID_SESSION] unknown key \"colour\"",
        "bioxen: error [INVALID_SESSION] chassis: expected one of ecoli, yeast, syn3a, orthogonal, textbook, got the string \"mars\"",
        "bioxen: error [INVALID_SESSION] ops[0].config.weight: expected a number, got the string \"heavy\"",
        "bioxen: error [INVALID_SESSION] ops[1].atMs: expected a whole number from 0 to 7776000000, got the number -5",
        "bioxen: error [INVALID_SESSION] ops[2].op: expected one of createVm, startVm",
    ];
    assert_eq!(lines.len(), want.len(), "{err}");
    for (l, w) in lines.iter().zip(want) {
        assert!(l.starts_with(w), "{l}\n  should start with\n{w}");
    }
    bioxen()
        .args(["validate", "examples/scenarios/overcommit.json"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: examples/scenarios/overcommit.json is a valid session (ecoli chassis, credit, 4 operations"));
}

#[test]
fn file_and_format_errors_have_their_own_statuses() {
    bioxen()
        .args(["run", "no/such/file.json"])
        .assert()
        .code(4)
        .stderr(predicate::str::starts_with(
            "bioxen: error [IO_ERROR] no/such/file.json: ",
        ));
    let tmp = tempdir();
    let f = tmp.join("x.json");
    std::fs::write(&f, "{ not json").unwrap();
    bioxen()
        .args(["run", f.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicate::str::starts_with(
            "bioxen: error [INVALID_SESSION] not JSON: ",
        ));
    bioxen()
        .args([
            "run",
            "examples/scenarios/overcommit.json",
            "--format",
            "xml",
        ])
        .assert()
        .code(2);
    bioxen().args(["frobnicate"]).assert().code(2);
}

#[test]
fn chassis_and_schedulers_list_the_core_presets() {
    let v = run_json(&["chassis", "list", "--format", "json"]);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(names, bioxen::get_supported_chassis());
    for c in v.as_array().unwrap() {
        let spec = bioxen::ChassisSpec::preset(
            bioxen::ChassisKind::parse(c["kind"].as_str().unwrap()).unwrap(),
        )
        .unwrap();
        assert_eq!(c["ribosomes"], spec.ribosomes);
        assert_eq!(c["switchCostMs"], spec.switch_cost_ms());
    }
    bioxen()
        .args(["chassis", "show", "orthogonal"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("E. coli with an orthogonal-ribosome pool")
                .and(predicate::str::contains("orthogonal share")),
        );
    bioxen()
        .args(["chassis", "show", "mars"])
        .assert()
        .code(19)
        .stderr("bioxen: error [INVALID_ARGUMENT] unsupported chassis \"mars\": expected one of ecoli, yeast, syn3a, orthogonal, textbook\n");
    let s = run_json(&["schedulers", "--format", "json"]);
    let names: Vec<&str> = s
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, bioxen::get_supported_schedulers());
    bioxen()
        .arg("schedulers")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            bioxen::SchedulerKind::Eevdf.describe(),
        ));
}

#[cfg(feature = "genome")]
/// ../shared/data, where the real genome files are (never copied here); None, with a loud
/// message, when it is missing (BIOXEN_REQUIRE_DATA=1 makes that a failure).
fn data_dir() -> Option<PathBuf> {
    let d = root().join("../shared/data");
    if d.join("syn3A.gb").is_file() {
        return Some(d);
    }
    let msg = format!(
        "REAL GENOME FILES MISSING: {} not found; the genome inspect tests on real files did not check anything",
        d.display()
    );
    if std::env::var("BIOXEN_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
    None
}

#[cfg(feature = "genome")]
/// What the library's parser gives for a file: parseGenome's object (summary + workload).
fn library_summary(file: &Path, table: Option<&Path>) -> Value {
    let data = std::fs::read(file).unwrap();
    let table = table.map(|t| std::fs::read(t).unwrap());
    let opts = bioxen::genome::ParseOptions {
        gene_table: table.as_deref(),
        format: None,
    };
    let s = bioxen::genome::parse(&data, &opts).unwrap();
    let mut v = serde_json::to_value(&s).unwrap();
    v["workload"] = s
        .workload()
        .map_or(Value::Null, |w| serde_json::to_value(w).unwrap());
    v
}

#[cfg(feature = "genome")]
#[test]
fn genome_inspect_summarises_real_files() {
    let Some(d) = data_dir() else { return };
    for (file, table) in [
        ("syn3A.gb", None),
        ("pUC19.gb", None),
        ("syn3A_CP016816.2.gff3", None),
        ("bioxen_syn3A.fasta", None),
        (
            "mgenitalium_G37_genome_wholecellkb.fna",
            Some("mgenitalium_G37_genes_wholecellkb.csv"),
        ),
    ] {
        let path = d.join(file);
        let table = table.map(|t| d.join(t));
        let mut args = vec![
            "genome".to_string(),
            "inspect".into(),
            path.to_str().unwrap().into(),
        ];
        if let Some(t) = &table {
            args.extend(["--gene-table".into(), t.to_str().unwrap().into()]);
        }
        let want = library_summary(&path, table.as_deref());
        // --format json: the library's summary and workload, as parseGenome returns them.
        let mut json_args = args.clone();
        json_args.extend(["--format".into(), "json".into()]);
        let got = run_json(&json_args.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        assert_eq!(got, want, "{file}");

        // The table names what the summary holds.
        let out = bioxen().args(&args).output().unwrap();
        assert!(out.status.success(), "{file}");
        let text = String::from_utf8(out.stdout).unwrap();
        let int = |v: &Value| {
            let n = v.as_u64().unwrap().to_string();
            let mut o = String::new();
            for (i, c) in n.chars().enumerate() {
                if i > 0 && (n.len() - i).is_multiple_of(3) {
                    o.push(',');
                }
                o.push(c);
            }
            o
        };
        for s in [&want["organism"], &want["accession"]] {
            if let Some(s) = s.as_str() {
                assert!(text.contains(s), "{file}: {s} missing from\n{text}");
            }
        }
        assert!(
            text.contains(&format!("{} bp", int(&want["length"]))),
            "{file}:\n{text}"
        );
        if want["genesKnown"] == true {
            let c = &want["geneCounts"];
            assert!(
                text.contains(&format!(
                    "{}: {} protein-coding, {} tRNA, {} rRNA",
                    int(&c["total"]),
                    int(&c["proteinCoding"]),
                    c["tRNA"],
                    c["rRNA"]
                )),
                "{file}:\n{text}"
            );
            assert!(
                text.contains(&format!("{} aa (one copy", int(&want["totalCodingAa"]))),
                "{file}:\n{text}"
            );
        }
        let source = want["essential"]["source"].as_str().unwrap();
        let said = match source {
            "table" => "from the table",
            "heuristic" => "heuristic: product keywords",
            _ => "none known",
        };
        assert!(
            text.contains(&format!("{} — {said}", int(&want["essential"]["count"]))),
            "{file}:\n{text}"
        );
        for w in want["warnings"].as_array().unwrap() {
            assert!(text.contains(w["code"].as_str().unwrap()), "{file}");
        }
        match want["workload"]["workload"].as_object() {
            Some(w) => assert!(
                text.contains(&format!("{} aa per cycle", int(&w["totalAa"])))
                    && text.contains(&format!("{} kb of memory", int(&w["genomeKb"]))),
                "{file}:\n{text}"
            ),
            None => assert!(text.contains("  none: "), "{file}:\n{text}"),
        }
    }
}

#[test]
fn genome_inspect_errors_have_their_statuses() {
    bioxen()
        .args(["genome", "inspect", "no/such.genome"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("[IO_ERROR] no/such.genome"));
    #[cfg(feature = "genome")]
    bioxen()
        .args(["genome", "inspect", "Cargo.toml"])
        .assert()
        .code(22)
        .stdout("")
        .stderr(
            predicate::str::starts_with("bioxen: error [INVALID_GENOME] ")
                .and(predicate::str::contains("line 1, column 1"))
                .and(predicate::str::contains("\"[package]\"")),
        );
    // Without the parsers: any readable file is refused for the missing feature.
    #[cfg(not(feature = "genome"))]
    for file in ["Cargo.toml", "tests/fixtures/sessions/genome.json"] {
        bioxen()
            .args(["genome", "inspect", file])
            .assert()
            .code(24)
            .stdout("")
            .stderr(
                predicate::str::starts_with("bioxen: error [FEATURE_UNAVAILABLE] ")
                    .and(predicate::str::contains("\"genome\" feature")),
            );
    }
    // A file over the parser's limit is refused before it is read (a sparse file).
    let tmp = tempdir();
    let big = tmp.join("big.gb");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(bioxen::genome::MAX_INPUT_BYTES as u64 + 1)
        .unwrap();
    drop(f);
    bioxen()
        .args(["genome", "inspect", big.to_str().unwrap()])
        .assert()
        .code(23)
        .stderr(predicate::str::starts_with(
            "bioxen: error [INPUT_TOO_LARGE] ",
        ));
    bioxen()
        .args(["genome", "inspect", "Cargo.toml", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn help_everywhere_and_completions() {
    let subcommands: &[&[&str]] = &[
        &[],
        &["run"],
        &["validate"],
        &["compare"],
        &["chassis"],
        &["chassis", "list"],
        &["chassis", "show"],
        &["schedulers"],
        &["genome", "inspect"],
        &["circuits", "list"],
        &["circuits", "show"],
        &["interactive"],
        &["watch"],
        &["completions"],
        &["exit-codes"],
    ];
    for sub in subcommands {
        let mut args: Vec<&str> = sub.to_vec();
        args.push("--help");
        let usage = format!(
            "Usage: bioxen{}{}",
            if sub.is_empty() { "" } else { " " },
            sub.join(" ")
        );
        bioxen()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains(usage));
    }
    for shell in ["bash", "zsh", "fish"] {
        bioxen()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(
                predicate::str::contains("compare").and(predicate::str::contains("schedulers")),
            );
    }
    bioxen().args(["completions", "tcsh"]).assert().code(2);
    bioxen()
        .arg("exit-codes")
        .assert()
        .success()
        .stdout(predicate::str::contains("  15  INSUFFICIENT_RESOURCES"));
}

#[test]
fn interactive_and_watch_need_a_terminal() {
    // Piped (no terminal): a clear error, not a hang or a panic.
    bioxen()
        .arg("interactive")
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("needs a terminal"));
}

/// A fresh directory under the target dir (removed at the end of the process's life is not
/// needed: it is overwritten by the next run).
fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[cfg(feature = "kinetics")]
#[test]
fn circuits_lists_and_shows_the_library() {
    let lib = bioxen::circuits::supported_circuits();
    let listed = run_json(&["circuits", "list", "--format", "json"]);
    assert_eq!(listed, serde_json::to_value(&lib).unwrap());
    let toggle = run_json(&["circuits", "show", "toggle", "--format", "json"]);
    assert_eq!(
        toggle["circuit"],
        serde_json::to_value(bioxen::circuits::library_circuit("toggle").unwrap()).unwrap()
    );
    let out = bioxen().args(["circuits", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for c in &lib {
        assert!(text.contains(c.id) && text.contains(c.title), "{}", c.id);
    }
    bioxen()
        .args(["circuits", "show", "repressilator"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("repressed by cI")
                .and(predicate::str::contains("Elowitz"))
                .and(predicate::str::contains("Sources:")),
        );
    bioxen()
        .args(["circuits", "show", "toggel"])
        .assert()
        .code(19)
        .stderr(
            predicate::str::contains("\"toggel\" is not a built-in circuit")
                .and(predicate::str::contains("repressilator")),
        );
}
