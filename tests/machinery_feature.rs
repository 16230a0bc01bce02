//! The `kinetics` feature at the hypervisor: without it, asking for the kinetic machinery
//! (building a hypervisor, restoring a kinetic snapshot) fails with FEATURE_UNAVAILABLE naming
//! the feature and changes nothing; with it, the same calls succeed.

use bioxen::machinery::MachineryKind;
#[cfg(not(feature = "kinetics"))]
use bioxen::BioxenError;
use bioxen::{BiologicalType, Hypervisor, HypervisorOptions, VmConfig, VmType};

fn kinetic_options() -> HypervisorOptions {
    HypervisorOptions {
        machinery: MachineryKind::Kinetic,
        ..Default::default()
    }
}

/// A hypervisor built with `options`, one VM run for `ms`, and its snapshot.
fn running(options: HypervisorOptions, ms: u64) -> (Hypervisor, String) {
    let mut h = Hypervisor::new(options).expect("a hypervisor");
    let cfg = VmConfig::default();
    h.create_vm("a", BiologicalType::Ecoli, VmType::Basic, &cfg)
        .expect("create a");
    h.start_vm("a").expect("start a");
    h.step(ms).expect("step");
    let snap = h.snapshot();
    (h, snap)
}

/// A running simple hypervisor and its snapshot.
fn simple() -> (Hypervisor, String) {
    running(HypervisorOptions::default(), 60_000)
}

/// `snap` with its machinery replaced by `machinery` (a JSON value).
fn with_machinery(snap: &str, machinery: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(snap).expect("snapshot is JSON");
    let m = v
        .get_mut("machinery")
        .unwrap_or_else(|| panic!("snapshot has no \"machinery\" field: {snap:.200}"));
    *m = machinery;
    v.to_string()
}

#[cfg(not(feature = "kinetics"))]
fn assert_unavailable(r: Result<Hypervisor, BioxenError>, what: &str) {
    match r {
        Err(e @ BioxenError::FeatureUnavailable { feature, .. }) => {
            assert_eq!(e.code(), "FEATURE_UNAVAILABLE", "{what}: code of {e}");
            assert_eq!(feature, "kinetics", "{what}: feature named in {e}");
            assert!(e.to_string().contains("kinetics"), "{what}: message {e}");
        }
        Err(e) => panic!("{what}: expected FEATURE_UNAVAILABLE naming kinetics, got {e:?}"),
        Ok(_) => panic!("{what}: expected FEATURE_UNAVAILABLE naming kinetics, got a hypervisor"),
    }
}

#[cfg(not(feature = "kinetics"))]
#[test]
fn kinetic_machinery_is_feature_unavailable_and_changes_nothing() {
    assert_unavailable(
        Hypervisor::new(kinetic_options()),
        "Hypervisor::new(machinery: kinetic)",
    );
    // The kinetic check comes before the option checks that only apply to it.
    assert_unavailable(
        Hypervisor::new(HypervisorOptions {
            context_switch_ms: Some(5),
            ..kinetic_options()
        }),
        "Hypervisor::new(machinery: kinetic, context_switch_ms: 5)",
    );
    let (h, snap) = simple();
    let kinetic = with_machinery(&snap, serde_json::json!({ "kinetic": {} }));
    assert_unavailable(
        Hypervisor::restore(&kinetic),
        "Hypervisor::restore(kinetic snapshot)",
    );
    assert_eq!(
        h.snapshot(),
        snap,
        "the hypervisor changed after the refused calls"
    );
    // The simple snapshot still restores, and continues identically.
    let mut a = Hypervisor::restore(&snap).expect("restore the simple snapshot");
    let mut b = h.clone();
    a.step(30_000).unwrap();
    b.step(30_000).unwrap();
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(a.machinery_kind(), MachineryKind::Simple);
    assert!(a.kinetic_metrics().is_none() && a.kinetic_series_since(0, 10).is_none());
}

#[cfg(feature = "kinetics")]
#[test]
fn kinetic_machinery_builds_and_its_snapshot_restores() {
    let (h, snap) = running(kinetic_options(), 120_000);
    assert_eq!(h.machinery_kind(), MachineryKind::Kinetic);
    let r = Hypervisor::restore(&snap).expect("restore the kinetic snapshot");
    assert_eq!(r.snapshot(), snap);
    assert!(r.kinetic_metrics().is_some());
    // An incomplete kinetic machinery is an invalid snapshot here, not a missing feature.
    let (_, simple_snap) = simple();
    let bad = with_machinery(&simple_snap, serde_json::json!({ "kinetic": {} }));
    match Hypervisor::restore(&bad) {
        Err(e) => assert_eq!(e.code(), "INVALID_SNAPSHOT", "{e}"),
        Ok(_) => panic!("an empty kinetic machinery restored"),
    }
}
