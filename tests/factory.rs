//! The factory API and the upstream test scenarios, in BioXen's semantics.

use bioxen::config::{ConfigFormat, ConfigManager};
use bioxen::{
    create_bio_vm, default_hypervisor, get_supported_biological_types, get_supported_chassis,
    get_supported_schedulers, get_supported_vm_types, validate_biological_type, validate_vm_type,
    BioResourceManager, BiologicalType, Hypervisor, HypervisorOptions, ResourceRequest,
    SharedHypervisor, VmConfig, VmState, VmType,
};

fn tiny() -> VmConfig {
    VmConfig {
        ribosomes: Some(10),
        rna_polymerase: Some(2),
        atp_percent: Some(1.0),
        memory_kb: Some(100),
        ..Default::default()
    }
}

#[test]
fn supported_lists_and_validators() {
    assert_eq!(
        get_supported_biological_types(),
        ["syn3a", "ecoli", "minimal_cell", "yeast"]
    );
    assert_eq!(get_supported_vm_types(), ["basic", "xcpng"]);
    assert_eq!(
        get_supported_chassis(),
        ["ecoli", "yeast", "syn3a", "orthogonal", "textbook"]
    );
    assert_eq!(
        get_supported_schedulers(),
        [
            "fcfs",
            "sjf",
            "srtf",
            "round_robin",
            "priority",
            "mlfq",
            "lottery",
            "credit",
            "eevdf"
        ]
    );
    assert!(validate_biological_type("minimal_cell") && !validate_biological_type("Ecoli"));
    assert!(validate_vm_type("xcpng") && !validate_vm_type("kvm"));
}

#[test]
fn factory_vms_share_one_hypervisor() {
    // The only test in this binary that touches the process-wide default hypervisor.
    let a = create_bio_vm("factory-a", "syn3a", "basic", Some(&tiny())).unwrap();
    let b = create_bio_vm("factory-b", "ecoli", "basic", None).unwrap();
    assert!(a.hypervisor().same_as(b.hypervisor()));
    assert!(a.hypervisor().same_as(&default_hypervisor()));
    let e = create_bio_vm("factory-a", "syn3a", "basic", None).unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_VM");
    assert_eq!(
        create_bio_vm("factory-c", "plant", "basic", None)
            .unwrap_err()
            .code(),
        "UNSUPPORTED_BIOLOGICAL_TYPE"
    );
    assert_eq!(
        create_bio_vm("factory-c", "syn3a", "kvm", None)
            .unwrap_err()
            .code(),
        "UNSUPPORTED_VM_TYPE"
    );
    a.start().unwrap();
    b.start().unwrap();
    default_hypervisor().lock().step(3_600_000).unwrap();
    let (sa, sb) = (a.status().unwrap(), b.status().unwrap());
    assert!(
        sa.machinery_time_ms > 0 && sb.machinery_time_ms > 0,
        "one clock, both ran"
    );
    assert_eq!(
        sa.machinery_time_ms + sb.machinery_time_ms + default_hypervisor().lock().overhead_ms(),
        3_600_000,
        "they shared one machinery"
    );
    let rm = BioResourceManager::new();
    let summary = rm.get_resource_summary();
    assert_eq!(summary.vm_count, 2);
    assert_eq!(summary.ribosomes.allocated, 10.0 + 31.0);
    a.destroy().unwrap();
    b.destroy().unwrap();
    assert_eq!(rm.get_resource_summary().ribosomes.allocated, 0.0);
}

#[test]
fn upstream_four_vms_then_refusal_duplicate_and_lifecycle() {
    // tests/test_hypervisor.py in our semantics: a four-VM chassis takes four and refuses a
    // fifth; a duplicate is refused; the full lifecycle works; resources add up.
    let hv = SharedHypervisor::new(Hypervisor::new(HypervisorOptions::default()).unwrap());
    let vms: Vec<_> = (0..4)
        .map(|i| {
            hv.create_vm(
                &format!("vm{i}"),
                BiologicalType::Syn3a,
                VmType::Basic,
                None,
            )
            .unwrap()
        })
        .collect();
    let e = hv
        .create_vm("vm4", BiologicalType::Syn3a, VmType::Basic, None)
        .unwrap_err();
    assert_eq!(e.code(), "CAPACITY_REACHED");
    vms[3].destroy().unwrap();
    let e = hv
        .create_vm("vm0", BiologicalType::Syn3a, VmType::Basic, None)
        .unwrap_err();
    assert_eq!(e.code(), "DUPLICATE_VM");
    let v = &vms[0];
    assert_eq!(v.state().unwrap(), VmState::Created);
    v.start().unwrap();
    assert_eq!(v.state().unwrap(), VmState::Running);
    v.pause().unwrap();
    assert_eq!(v.state().unwrap(), VmState::Paused);
    v.resume().unwrap();
    v.stop().unwrap();
    assert_eq!(v.state().unwrap(), VmState::Stopped);
    v.restart().unwrap();
    assert_eq!(v.state().unwrap(), VmState::Running);
    // Resource arithmetic: three default syn3a guests (46 ribosomes, 10 RNAP, 5 % ATP,
    // 544 kb each), then a change and a destroy.
    let rm = BioResourceManager::with_hypervisor(hv.clone());
    let s = rm.get_resource_summary();
    assert_eq!(s.ribosomes.allocated, 3.0 * 46.0);
    assert_eq!(s.rna_polymerase.allocated, 30.0);
    assert_eq!(s.atp.allocated, 15.0);
    assert_eq!(s.memory_kb.allocated, 3.0 * 544.0);
    assert_eq!(s.active_vms, 1);
    rm.allocate(
        "vm1",
        &ResourceRequest {
            ribosomes: Some(1000),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        rm.get_resource_summary().ribosomes.allocated,
        2.0 * 46.0 + 1000.0
    );
    assert_eq!(vms[1].resource_usage().unwrap().ribosomes, 1000);
    vms[2].destroy().unwrap();
    rm.release("vm1").unwrap();
    let s = rm.get_resource_summary();
    assert_eq!(s.ribosomes.allocated, 46.0);
    assert_eq!(
        s.ribosomes.free,
        s.ribosomes.total - s.ribosomes.reserved - 46.0
    );
    assert_eq!(vms[2].status().unwrap_err().code(), "NOT_FOUND");
    assert!(hv.get_vm("vm0").is_some() && hv.get_vm("vm2").is_none());
}

#[test]
fn config_manager_defaults_and_files() {
    let d = ConfigManager::defaults(BiologicalType::MinimalCell);
    assert_eq!(d.memory_kb, Some(581));
    assert_eq!(d.ribosomes, Some(43));
    let toml = "ribosomes = 12\nweight = 512\ncap = 40\n";
    let c = ConfigManager::load(toml, ConfigFormat::Toml, VmType::Basic).unwrap();
    assert_eq!(
        (c.ribosomes, c.weight, c.cap),
        (Some(12), Some(512), Some(40))
    );
    let e = ConfigManager::load(
        r#"{"weight": 70000, "cap": "x", "priority": 0}"#,
        ConfigFormat::Json,
        VmType::Basic,
    )
    .unwrap_err();
    let paths: Vec<_> = e.config_issues().iter().map(|i| i.path.as_str()).collect();
    assert_eq!(paths, ["cap", "priority", "weight"]);
}
