//! Lifecycle, refusals and resource arithmetic through the real hypervisor.

mod common;

use bioxen::config::default_config;
use bioxen::vm::Secret;
use bioxen::{
    Action, BiologicalType, Hypervisor, HypervisorOptions, ResourceRequest, VmConfig, VmState,
    VmType, XcpngConfig,
};

fn ecoli() -> Hypervisor {
    Hypervisor::new(HypervisorOptions::default()).unwrap()
}

fn small() -> VmConfig {
    VmConfig {
        ribosomes: Some(1000),
        rna_polymerase: Some(100),
        atp_percent: Some(5.0),
        memory_kb: Some(500),
        ..Default::default()
    }
}

/// Assert that `f` fails with `code` and leaves the hypervisor exactly as it was.
fn refused(h: &mut Hypervisor, code: &str, f: impl FnOnce(&mut Hypervisor) -> bioxen::Result<()>) {
    let before = h.snapshot();
    let err = f(h).expect_err("operation should be refused");
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(
        h.snapshot(),
        before,
        "refused operation changed state: {err}"
    );
}

#[test]
fn full_lifecycle_and_every_refusal() {
    let mut h = ecoli();
    h.create_vm("a", BiologicalType::Ecoli, VmType::Basic, &small())
        .unwrap();
    assert_eq!(h.vm_state("a").unwrap(), VmState::Created);
    for (act, code) in [
        (Action::Pause, "INVALID_TRANSITION"),
        (Action::Resume, "INVALID_TRANSITION"),
        (Action::Stop, "INVALID_TRANSITION"),
        (Action::Restart, "INVALID_TRANSITION"),
    ] {
        refused(&mut h, code, |h| h.apply("a", act));
    }
    h.start_vm("a").unwrap();
    refused(&mut h, "INVALID_TRANSITION", |h| h.start_vm("a"));
    refused(&mut h, "INVALID_TRANSITION", |h| h.resume_vm("a"));
    h.step(60_000).unwrap();
    h.pause_vm("a").unwrap();
    refused(&mut h, "INVALID_TRANSITION", |h| h.pause_vm("a"));
    refused(&mut h, "INVALID_TRANSITION", |h| h.start_vm("a"));
    h.resume_vm("a").unwrap();
    h.stop_vm("a").unwrap();
    assert_eq!(h.vm_state("a").unwrap(), VmState::Stopped);
    refused(&mut h, "INVALID_TRANSITION", |h| h.stop_vm("a"));
    refused(&mut h, "INVALID_TRANSITION", |h| h.pause_vm("a"));
    h.start_vm("a").unwrap();
    h.restart_vm("a").unwrap();
    assert_eq!(h.vm_state("a").unwrap(), VmState::Running);
    h.pause_vm("a").unwrap();
    h.restart_vm("a").unwrap();
    h.destroy_vm("a").unwrap();
    assert!(!h.contains("a"));
    refused(&mut h, "NOT_FOUND", |h| h.start_vm("a"));
    refused(&mut h, "NOT_FOUND", |h| h.destroy_vm("a"));
    let msg = ecoli().start_vm("ghost").unwrap_err().to_string();
    assert!(msg.contains("ghost"), "{msg}");
}

#[test]
fn transition_error_names_vm_state_and_action() {
    let mut h = ecoli();
    h.create_vm("vm-7", BiologicalType::Syn3a, VmType::Basic, &small())
        .unwrap();
    let m = h.pause_vm("vm-7").unwrap_err().to_string();
    assert!(
        m.contains("vm-7") && m.contains("created") && m.contains("pause"),
        "{m}"
    );
}

#[test]
fn creation_refusals_change_nothing() {
    let mut h = ecoli();
    h.create_vm("a", BiologicalType::Syn3a, VmType::Basic, &small())
        .unwrap();
    refused(&mut h, "DUPLICATE_VM", |h| {
        h.create_vm("a", BiologicalType::Syn3a, VmType::Basic, &small())
    });
    refused(&mut h, "INVALID_ID", |h| {
        h.create_vm("bad id", BiologicalType::Syn3a, VmType::Basic, &small())
    });
    refused(&mut h, "INVALID_ID", |h| {
        h.create_vm(
            &"x".repeat(10_000),
            BiologicalType::Syn3a,
            VmType::Basic,
            &small(),
        )
    });
    let too_much = VmConfig {
        ribosomes: Some(20_000_000),
        ..small()
    };
    refused(&mut h, "INVALID_CONFIG", |h| {
        h.create_vm("b", BiologicalType::Syn3a, VmType::Basic, &too_much)
    });
    let greedy = VmConfig {
        ribosomes: Some(h.ledger().free().ribosomes + 1),
        ..small()
    };
    let before = h.snapshot();
    let e = h
        .create_vm("b", BiologicalType::Syn3a, VmType::Basic, &greedy)
        .unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_RESOURCES");
    assert_eq!(h.snapshot(), before);
    let m = e.to_string();
    assert!(
        m.contains("ribosomes") && m.contains(&greedy.ribosomes.unwrap().to_string()),
        "{m}"
    );
}

#[test]
fn ledger_arithmetic_after_allocations_and_destroys() {
    let mut h = ecoli();
    let s0 = h.resource_summary();
    // ecoli: 45,100 ribosomes, host keeps 59 % (ceil) = 26,609
    assert_eq!(s0.ribosomes.total, 45_100.0);
    assert_eq!(s0.ribosomes.reserved, 26_609.0);
    assert_eq!(s0.ribosomes.free, 45_100.0 - 26_609.0);
    assert_eq!(s0.atp.reserved, 59.0);
    h.create_vm("a", BiologicalType::Ecoli, VmType::Basic, &small())
        .unwrap();
    h.create_vm("b", BiologicalType::Ecoli, VmType::Basic, &small())
        .unwrap();
    h.set_reservation(
        "b",
        &ResourceRequest {
            ribosomes: Some(3000),
            atp_percent: Some(12.5),
            ..Default::default()
        },
    )
    .unwrap();
    let s = h.resource_summary();
    assert_eq!(s.ribosomes.allocated, 4000.0);
    assert_eq!(s.atp.allocated, 17.5);
    assert_eq!(s.memory_kb.allocated, 1000.0);
    assert_eq!(s.ribosomes.free, s0.ribosomes.free - 4000.0);
    assert_eq!(s.per_vm.len(), 2);
    assert_eq!(s.per_vm[1].ribosomes, 3000);
    // An over-large change is refused and changes nothing.
    let before = h.snapshot();
    let e = h
        .set_reservation(
            "a",
            &ResourceRequest {
                atp_percent: Some(30.0),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "INSUFFICIENT_RESOURCES");
    assert!(e.to_string().contains("ATP share"));
    assert_eq!(h.snapshot(), before);
    h.destroy_vm("b").unwrap();
    let s = h.resource_summary();
    assert_eq!(s.ribosomes.allocated, 1000.0);
    assert_eq!(s.atp.allocated, 5.0);
    h.release_resources("a").unwrap();
    let s = h.resource_summary();
    assert_eq!(s.ribosomes.allocated, 0.0);
    assert_eq!(s.ribosomes.free, s0.ribosomes.free);
    assert!(h.ledger().invariant_holds());
}

#[test]
fn vm_limit_is_enforced_per_chassis() {
    for (chassis, limit) in [
        ("ecoli", 4),
        ("yeast", 2),
        ("syn3a", 2),
        ("orthogonal", 4),
        ("textbook", 1024),
    ] {
        let mut h = Hypervisor::new(HypervisorOptions::for_chassis(chassis).unwrap()).unwrap();
        // On the textbook chassis a VM reserves nothing by default, so 1,024 fit.
        let tiny = if chassis == "textbook" {
            VmConfig::default()
        } else {
            VmConfig {
                ribosomes: Some(1),
                rna_polymerase: Some(1),
                atp_percent: Some(1.0),
                memory_kb: Some(1),
                ..Default::default()
            }
        };
        for i in 0..limit {
            h.create_vm(
                &format!("v{i}"),
                BiologicalType::Syn3a,
                VmType::Basic,
                &tiny,
            )
            .unwrap();
        }
        let e = h
            .create_vm("extra", BiologicalType::Syn3a, VmType::Basic, &tiny)
            .unwrap_err();
        assert_eq!(e.code(), "CAPACITY_REACHED", "{chassis}");
        assert!(e.to_string().contains(&limit.to_string()));
    }
}

#[test]
fn xcpng_needs_config_cannot_start_and_hides_its_password() {
    let mut h = ecoli();
    let e = h
        .create_vm("x", BiologicalType::Ecoli, VmType::Xcpng, &small())
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    assert_eq!(e.config_issues().len(), 4);
    let password = "pa55-w0rd-SECRET";
    let cfg = VmConfig {
        xcpng: Some(XcpngConfig {
            xapi_url: "https://xcp.example:443".into(),
            username: "root".into(),
            password: Secret::new(password),
            ssh_user: "bioxen".into(),
        }),
        ..small()
    };
    h.create_vm("x", BiologicalType::Ecoli, VmType::Xcpng, &cfg)
        .unwrap();
    let before = h.snapshot();
    let e = h.start_vm("x").unwrap_err();
    assert_eq!(e.code(), "BACKEND_UNAVAILABLE");
    assert!(e
        .to_string()
        .contains("remote XCP-ng backend not available"));
    assert_eq!(h.snapshot(), before);
    h.step(1000).unwrap();
    let outputs = [
        h.snapshot(),
        format!("{:?}", h.list_vms()),
        serde_json::to_string(&h.metrics()).unwrap(),
        serde_json::to_string(&h.events_since(0, 1000)).unwrap(),
        format!("{:?}", h.vm_status("x")),
        format!("{:?}", h),
        e.to_string(),
    ];
    for o in outputs {
        assert!(!o.contains(password), "password leaked into {o}");
    }
    assert_eq!(
        h.vm_xcpng("x").unwrap().unwrap().password.expose(),
        password
    );
}

#[test]
fn atp_shortage_faults_vms_and_restart_needs_room() {
    let mut h = ecoli();
    let mk = |p: u8, atp: f64| VmConfig {
        priority: Some(p),
        atp_percent: Some(atp),
        ..small()
    };
    h.create_vm("low", BiologicalType::Syn3a, VmType::Basic, &mk(2, 10.0))
        .unwrap();
    h.create_vm("high", BiologicalType::Syn3a, VmType::Basic, &mk(9, 10.0))
        .unwrap();
    h.start_vm("low").unwrap();
    h.start_vm("high").unwrap();
    h.step(100_000).unwrap();
    // Supply drops to 70 %: the host keeps its 59 %, guests have 11 %: one of the 10 % VMs fits.
    let faulted = h.set_atp_supply(70.0).unwrap();
    assert_eq!(faulted, ["low"]);
    assert_eq!(h.vm_state("low").unwrap(), VmState::Error);
    assert_eq!(h.vm_state("high").unwrap(), VmState::Running);
    let st = h.vm_status("low").unwrap();
    assert_eq!(
        (st.ribosomes, st.atp_percent),
        (0, 0.0),
        "faulted VM holds nothing"
    );
    assert!(h.ledger().invariant_holds());
    for a in [Action::Start, Action::Pause, Action::Resume, Action::Stop] {
        let e = h.apply("low", a).unwrap_err();
        assert_eq!(e.code(), "INVALID_TRANSITION");
    }
    // Restart needs its reservation back: refused while supply is short, changes nothing.
    let before = h.snapshot();
    assert_eq!(
        h.restart_vm("low").unwrap_err().code(),
        "INSUFFICIENT_RESOURCES"
    );
    assert_eq!(h.snapshot(), before);
    h.set_atp_supply(100.0).unwrap();
    h.restart_vm("low").unwrap();
    assert_eq!(h.vm_state("low").unwrap(), VmState::Running);
    assert!(h
        .events_since(0, 1000)
        .iter()
        .any(|e| matches!(e.kind, bioxen::trace::EventKind::Faulted { .. })));
}

#[test]
fn default_configs_fit_their_natural_chassis() {
    for (chassis, bio) in [
        ("ecoli", BiologicalType::Ecoli),
        ("ecoli", BiologicalType::Syn3a),
        ("ecoli", BiologicalType::MinimalCell),
        ("yeast", BiologicalType::Yeast),
        ("syn3a", BiologicalType::Syn3a),
    ] {
        let mut h = Hypervisor::new(HypervisorOptions::for_chassis(chassis).unwrap()).unwrap();
        let d = default_config(bio);
        h.create_vm("g", bio, VmType::Basic, &d)
            .unwrap_or_else(|e| panic!("{bio} on {chassis}: {e}"));
        h.start_vm("g").unwrap();
        h.step(3_600_000).unwrap();
        let s = h.vm_status("g").unwrap();
        assert!(
            s.aa_produced > 0.0 && s.cycles_completed > 0,
            "{bio} on {chassis}: {s:?}"
        );
    }
}
