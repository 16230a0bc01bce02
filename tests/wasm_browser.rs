//! Core tests under wasm-bindgen-test in headless Chromium (a real browser page, not Node).
//!
//! Run (see webdriver.json at the repo root for the Chromium arguments):
//!   CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test --target wasm32-unknown-unknown --test wasm_browser
#![cfg(target_arch = "wasm32")]

use bioxen::wasm::{JsBioResourceManager, JsHypervisor};
use bioxen::{BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &key.into()).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

fn code(e: &JsValue) -> String {
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
    assert!(!e.is_instance_of::<js_sys::WebAssembly::RuntimeError>());
    get(e, "code").as_string().expect("error without a code")
}

fn hog(weight: u32) -> VmConfig {
    VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(0),
        atp_percent: Some(0.0),
        memory_kb: Some(1),
        workload_aa: Some(1_000_000_000_000),
        weight: Some(weight),
        ..Default::default()
    }
}

#[wasm_bindgen_test]
fn runs_in_a_chromium_page() {
    let global = js_sys::global();
    assert!(
        Reflect::has(&global, &"document".into()).unwrap(),
        "no document: not a browser page"
    );
    let ua = get(&get(&global, "navigator"), "userAgent")
        .as_string()
        .unwrap();
    assert!(ua.contains("Chrome"), "user agent {ua}");
    assert!(ua.contains("Headless"), "user agent {ua}");
}

#[wasm_bindgen_test]
fn credit_512_256_gives_two_to_one() {
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: SchedulerKind::Credit,
        max_vms: Some(8),
        seed: 7,
        ..Default::default()
    })
    .unwrap();
    for (id, w) in [("a", 512), ("b", 256)] {
        h.create_vm(id, BiologicalType::Syn3a, VmType::Basic, &hog(w))
            .unwrap();
        h.start_vm(id).unwrap();
    }
    h.step(100 * 3_600_000).unwrap();
    let m = h.metrics();
    let ratio = m.per_vm[0].machinery_time_ms as f64 / m.per_vm[1].machinery_time_ms as f64;
    assert!((ratio - 2.0).abs() / 2.0 < 0.05, "ratio {ratio}");
    assert!(m.fairness_index > 0.99);
    h.check_consistency().unwrap();
}

#[wasm_bindgen_test]
fn snapshot_restore_continues_identically() {
    let opts = HypervisorOptions {
        scheduler: SchedulerKind::Lottery,
        seed: 99,
        quantum_ms: Some(300_000),
        ..Default::default()
    };
    let mut a = Hypervisor::new(opts.clone()).unwrap();
    for (id, w) in [("x", 256), ("y", 768)] {
        a.create_vm(id, BiologicalType::Ecoli, VmType::Basic, &hog(w))
            .unwrap();
        a.start_vm(id).unwrap();
    }
    a.step(7_777_777).unwrap();
    let mut b = Hypervisor::restore(&a.snapshot()).unwrap();
    assert_eq!(a.snapshot(), b.snapshot());
    a.step(20_000_000).unwrap();
    b.step(20_000_000).unwrap();
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(
        Hypervisor::restore("{").unwrap_err().code(),
        "INVALID_SNAPSHOT"
    );
}

#[wasm_bindgen_test]
fn bindings_convert_arguments_and_errors() {
    let h = JsHypervisor::new(obj(&[("seed", 3.into())])).unwrap();
    let vm = h
        .create_vm(
            "a".into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .unwrap();
    assert_eq!(vm.state(), "created");
    vm.start().unwrap();
    h.step(60_000.into()).unwrap();
    assert_eq!(h.now_ms(), 60_000.0);
    let list: Array = h.list_vms().unwrap().unchecked_into();
    assert_eq!(list.length(), 1);
    assert_eq!(get(&list.get(0), "state").as_string().unwrap(), "running");

    // refusals are Errors with codes, and change nothing
    let before = h.snapshot();
    let e = h
        .create_vm(
            "a".into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .err()
        .unwrap();
    assert_eq!(code(&e), "DUPLICATE_VM");
    let e = h.step((-1).into()).err().unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let e = h.step(f64::NAN.into()).err().unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let e = h
        .create_vm(
            5.into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .err()
        .unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let e = h
        .create_vm(
            "x".repeat(10_000).into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            JsValue::UNDEFINED,
        )
        .err()
        .unwrap();
    assert_eq!(code(&e), "INVALID_ID");
    // a cyclic config object is refused, not a stack overflow
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let e = h
        .create_vm(
            "b".into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            cyclic.into(),
        )
        .err()
        .unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let e = JsHypervisor::restore("[]".into()).err().unwrap();
    assert_eq!(code(&e), "INVALID_SNAPSHOT");
    assert_eq!(h.snapshot(), before);

    // the resource manager finds the hypervisor through its JS handle
    let handle = obj(&[("handleId", h.handle_id().into())]);
    let rm = JsBioResourceManager::new(handle).unwrap();
    rm.allocate("a".into(), obj(&[("ribosomes", 100.into())]))
        .unwrap();
    let s = rm.get_resource_summary().unwrap();
    let ribosomes = get(&s, "ribosomes");
    let f = |k: &str| get(&ribosomes, k).as_f64().unwrap();
    assert_eq!(f("allocated"), 100.0);
    assert_eq!(f("free"), f("total") - f("reserved") - f("allocated"));

    // trace as typed arrays
    let t = h.trace_since(0.into(), JsValue::UNDEFINED).unwrap();
    assert!(get(&t, "start").is_instance_of::<js_sys::Float64Array>());
    assert!(get(&t, "vmIndex").is_instance_of::<js_sys::Uint32Array>());
}

/// The JS `feature` property of an Error (`undefined` unless FEATURE_UNAVAILABLE).
fn feature(e: &JsValue) -> Option<String> {
    get(e, "feature").as_string()
}

#[wasm_bindgen_test]
fn only_feature_errors_name_a_feature() {
    let e = JsHypervisor::new(obj(&[("machinery", "fast".into())]))
        .err()
        .unwrap();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    assert_eq!(feature(&e), None);
}

/// Without the kinetics feature (`bioxen/lite`), the same exports exist and throw
/// FEATURE_UNAVAILABLE naming "kinetics".
#[cfg(not(feature = "kinetics"))]
#[wasm_bindgen_test]
fn kinetic_entry_points_need_the_kinetics_feature() {
    let errors = [
        bioxen::wasm::simulate_weisse(JsValue::UNDEFINED).unwrap_err(),
        bioxen::wasm::weisse_steady_state(obj(&[("s0", 1.into())])).unwrap_err(),
        JsHypervisor::new(obj(&[("machinery", "kinetic".into())]))
            .err()
            .unwrap(),
    ];
    for e in errors {
        assert_eq!(code(&e), "FEATURE_UNAVAILABLE");
        assert_eq!(feature(&e).as_deref(), Some("kinetics"));
    }
    // The simple machinery has no kinetic series, in every build.
    let h = JsHypervisor::new(JsValue::UNDEFINED).unwrap();
    assert_eq!(h.machinery(), "simple");
    assert!(h
        .kinetic_series_since(JsValue::UNDEFINED, JsValue::UNDEFINED)
        .unwrap()
        .is_null());
}

/// Without the genome feature, parsing a genome file (parseGenome, or createVm with the file as
/// config.genome) throws FEATURE_UNAVAILABLE naming "genome"; argument checks come first.
#[cfg(not(feature = "genome"))]
#[wasm_bindgen_test]
fn genome_parsing_needs_the_genome_feature() {
    let text = "LOCUS       tiny 10 bp DNA linear\nORIGIN\n        1 acgtacgtac\n//\n";
    let e = bioxen::wasm::parse_genome(text.into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(code(&e), "FEATURE_UNAVAILABLE");
    assert_eq!(feature(&e).as_deref(), Some("genome"));
    let e = bioxen::wasm::parse_genome(5.into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(code(&e), "INVALID_ARGUMENT");
    let h = JsHypervisor::new(JsValue::UNDEFINED).unwrap();
    let e = h
        .create_vm(
            "g".into(),
            "syn3a".into(),
            JsValue::UNDEFINED,
            obj(&[("genome", text.into())]),
        )
        .err()
        .unwrap();
    assert_eq!(code(&e), "FEATURE_UNAVAILABLE");
    assert_eq!(feature(&e).as_deref(), Some("genome"));
    assert_eq!(h.list_vms().unwrap().unchecked_into::<Array>().length(), 0);
}
