//! Property tests: random operation sequences keep every ledger invariant, never panic, and
//! a refused operation leaves the hypervisor exactly as it was.

use bioxen::{
    Action, BiologicalType, Hypervisor, HypervisorOptions, ResourceRequest, SchedulerKind,
    SchedulingRequest, VmConfig, VmType,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // a test's operation list; VmConfig is big with a circuit
enum Op {
    Create(u8, u8, bool, VmConfig),
    Act(u8, u8),
    Step(u64),
    Reserve(u8, ResourceRequest),
    Sched(u8, SchedulingRequest),
    Policy(u8),
    Atp(f64),
    Roundtrip,
}

fn id(i: u8) -> String {
    // A few ids, some invalid.
    match i % 9 {
        7 => "bad id".into(),
        8 => String::new(),
        n => format!("vm{n}"),
    }
}

fn config() -> impl Strategy<Value = VmConfig> {
    (
        prop::option::of(0u64..20_000),
        prop::option::of(0u64..5_000),
        prop::option::of(prop_oneof![0.0f64..60.0, Just(f64::NAN), Just(-1.0)]),
        prop::option::of(0u64..20_000),
        prop::option::of(0u8..12),
        prop::option::of(0u32..70_000),
        prop::option::of(0u32..120),
        prop::option::of(1u64..100_000_000),
        prop::option::of(0u32..4),
    )
        .prop_map(|(r, p, a, m, pr, w, c, wl, cy)| VmConfig {
            ribosomes: r,
            rna_polymerase: p,
            atp_percent: a,
            memory_kb: m,
            priority: pr,
            weight: w,
            cap: c,
            workload_aa: wl,
            cycles: cy,
            xcpng: None,
            genome: None,
            #[cfg(feature = "kinetics")]
            circuit: None,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<u8>(), 0u8..4, any::<bool>(), config()).prop_map(|(i, b, x, c)| Op::Create(i, b, x, c)),
        6 => (any::<u8>(), 0u8..6).prop_map(|(i, a)| Op::Act(i, a)),
        4 => prop_oneof![0u64..10, 0u64..100_000, 0u64..50_000_000].prop_map(Op::Step),
        2 => (any::<u8>(), (prop::option::of(0u64..30_000), prop::option::of(0u64..9_000), prop::option::of(0.0f64..80.0), prop::option::of(0u64..60_000)))
            .prop_map(|(i, (r, p, a, m))| Op::Reserve(i, ResourceRequest { ribosomes: r, rna_polymerase: p, atp_percent: a, memory_kb: m })),
        1 => (any::<u8>(), prop::option::of(0u8..12), prop::option::of(0u32..70_000), prop::option::of(0u32..120))
            .prop_map(|(i, p, w, c)| Op::Sched(i, SchedulingRequest { priority: p, weight: w, cap: c })),
        1 => (0u8..9).prop_map(Op::Policy),
        1 => prop_oneof![0.0f64..=100.0, Just(150.0), Just(f64::INFINITY)].prop_map(Op::Atp),
        1 => Just(Op::Roundtrip),
    ]
}

const ACTIONS: [Action; 6] = [
    Action::Start,
    Action::Pause,
    Action::Resume,
    Action::Stop,
    Action::Restart,
    Action::Destroy,
];

fn apply(h: &mut Hypervisor, op: &Op) -> bioxen::Result<()> {
    match op {
        Op::Create(i, b, x, c) => {
            let bio = BiologicalType::ALL[*b as usize % 4];
            let vt = if *x { VmType::Xcpng } else { VmType::Basic };
            h.create_vm(&id(*i), bio, vt, c)
        }
        Op::Act(i, a) => h.apply(&id(*i), ACTIONS[*a as usize % 6]),
        Op::Step(dt) => h.step(*dt),
        Op::Reserve(i, r) => h.set_reservation(&id(*i), r),
        Op::Sched(i, s) => h.set_scheduling(&id(*i), s),
        Op::Policy(k) => h.set_scheduler(SchedulerKind::ALL[*k as usize % 9], None),
        Op::Atp(p) => h.set_atp_supply(*p).map(|_| ()),
        Op::Roundtrip => {
            let snap = h.snapshot();
            *h = Hypervisor::restore(&snap)?;
            assert_eq!(h.snapshot(), snap);
            Ok(())
        }
    }
}

fn check(h: &Hypervisor) {
    h.check_consistency().unwrap();
    let s = h.resource_summary();
    for p in [&s.ribosomes, &s.rna_polymerase, &s.atp, &s.memory_kb] {
        assert!(p.allocated + p.reserved <= p.total + 1e-9, "{s:?}");
        assert!((p.free - (p.total - p.reserved - p.allocated)).abs() < 1e-9);
    }
    let sum: u64 = s.per_vm.iter().map(|v| v.ribosomes).sum();
    assert_eq!(sum as f64, s.ribosomes.allocated);
    assert_eq!(s.vm_count, h.vm_ids().len());
    let m = h.metrics();
    assert!(m.fairness_index.is_finite() && m.fairness_index > 0.0 && m.fairness_index <= 1.0);
    assert!((0.0..=100.0).contains(&m.overhead_percent));
    for v in &m.per_vm {
        assert!(v.aa_produced.is_finite() && v.aa_produced >= 0.0);
        assert_eq!(v.wait_time_ms + v.machinery_time_ms, v.runnable_time_ms);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn random_operations_keep_invariants(kind in 0usize..9, chassis in 0usize..4, ops in prop::collection::vec(op(), 1..250)) {
        let name = ["ecoli", "yeast", "syn3a", "orthogonal"][chassis];
        let mut o = HypervisorOptions::for_chassis(name).unwrap();
        o.scheduler = SchedulerKind::ALL[kind];
        o.max_vms = Some(6);
        o.trace_capacity = 64;
        o.event_capacity = 64;
        o.seed = 3;
        let mut h = Hypervisor::new(o).unwrap();
        for op in &ops {
            let before = h.snapshot();
            match apply(&mut h, op) {
                Ok(()) => {}
                Err(e) => {
                    prop_assert!(bioxen::BioxenError::CODES.contains(&e.code()));
                    prop_assert_eq!(&h.snapshot(), &before, "refused {:?} changed state: {}", op, e);
                }
            }
            check(&h);
        }
    }
}

#[test]
fn hostile_snapshots_are_refused() {
    let mut h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    h.create_vm(
        "a",
        BiologicalType::Syn3a,
        VmType::Basic,
        &VmConfig::default(),
    )
    .unwrap();
    h.start_vm("a").unwrap();
    h.step(1_000_000).unwrap();
    let snap = h.snapshot();
    for bad in [
        String::new(),
        "{}".into(),
        "null".into(),
        snap[..snap.len() / 2].to_string(),
        snap.replace("\"running\"", "\"paused\""),
        snap.replacen("\"ribosomes\":46", "\"ribosomes\":47", 1),
        snap.replace("\"max_vms\":4", "\"max_vms\":0"),
    ] {
        match Hypervisor::restore(&bad) {
            Ok(_) => panic!("hostile snapshot accepted: {bad:.120}"),
            Err(e) => assert_eq!(e.code(), "INVALID_SNAPSHOT", "{bad:.80}"),
        }
    }
    assert!(Hypervisor::restore(&snap).is_ok());
}

#[test]
fn snapshots_carry_their_format_version() {
    let h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    let snap = h.snapshot();
    assert!(snap.starts_with("{\"snapshot_version\":3,"), "{snap:.60}");
    // Another version is refused by its number, before any field is read.
    for (v, shown) in [("4", "4"), ("0", "0"), ("\"x\"", "\"x\"")] {
        let other = snap.replacen(
            "\"snapshot_version\":3",
            &format!("\"snapshot_version\":{v}"),
            1,
        );
        let e = Hypervisor::restore(&other).unwrap_err();
        assert_eq!(e.code(), "INVALID_SNAPSHOT");
        assert!(
            e.to_string()
                .contains(&format!("snapshot format version {shown}: this bioxen")),
            "{e}"
        );
    }
    // Versions 1 and 2, and a snapshot from before the field existed (read as version 1),
    // restore exactly when their policy's state did not change, and write the current version.
    let v1 = snap.replacen("\"snapshot_version\":3", "\"snapshot_version\":1", 1);
    let v2 = snap.replacen("\"snapshot_version\":3", "\"snapshot_version\":2", 1);
    let old = snap.replacen("\"snapshot_version\":3,", "", 1);
    // A snapshot from before the MLFQ lists and boost rule existed: the parameters end
    // before them.
    let zeros = format!("[{}]", ["0"; 16].join(","));
    let lists = format!(",{zeros},{zeros},\"fresh\"],\"max_vms\"");
    assert!(
        v2.contains(&lists),
        "params end with the two MLFQ lists and the boost rule"
    );
    let no_lists = v2.replacen(&lists, "],\"max_vms\"", 1);
    for s in [&v1, &v2, &old, &no_lists] {
        assert_eq!(Hypervisor::restore(s).unwrap().snapshot(), snap);
    }
}

/// Version 1 snapshots of SJF, SRTF and priority lack the arrivals their ties are broken by:
/// refused, naming both versions.
#[test]
fn version_1_snapshots_of_the_arrival_policies_are_refused() {
    for kind in [
        SchedulerKind::Sjf,
        SchedulerKind::Srtf,
        SchedulerKind::Priority,
    ] {
        let h = Hypervisor::new(HypervisorOptions {
            scheduler: kind,
            ..Default::default()
        })
        .unwrap();
        let snap = h.snapshot();
        assert!(Hypervisor::restore(&snap).is_ok());
        let v1 = snap.replacen("\"snapshot_version\":3", "\"snapshot_version\":1", 1);
        let e = Hypervisor::restore(&v1).unwrap_err();
        assert_eq!(e.code(), "INVALID_SNAPSHOT");
        let msg = e.to_string();
        assert!(
            msg.contains("snapshot format version 1 with the")
                && msg.contains(kind.as_str())
                && msg.contains("reads version 3"),
            "{msg}"
        );
    }
}

/// Version 1 and 2 snapshots of MLFQ hold the state from before it followed mlfq.py: refused,
/// naming the version and the policy.
#[test]
fn old_mlfq_snapshots_are_refused() {
    let h = Hypervisor::new(HypervisorOptions {
        scheduler: SchedulerKind::Mlfq,
        ..Default::default()
    })
    .unwrap();
    let snap = h.snapshot();
    assert!(Hypervisor::restore(&snap).is_ok());
    for v in [1, 2] {
        let old = snap.replacen(
            "\"snapshot_version\":3",
            &format!("\"snapshot_version\":{v}"),
            1,
        );
        let e = Hypervisor::restore(&old).unwrap_err();
        assert_eq!(e.code(), "INVALID_SNAPSHOT");
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("snapshot format version {v} with the mlfq policy"))
                && msg.contains("reads version 3"),
            "{msg}"
        );
    }
}
