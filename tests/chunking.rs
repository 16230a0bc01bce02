//! Results depend only on the operations, never on how `step()` chunks simulated time: every
//! policy, on both machineries, run for 24 h in one step and in irregular chunks, must end
//! with byte-identical snapshots and metrics.

use bioxen::machinery::MachineryKind;
use bioxen::{
    BiologicalType, ChassisKind, ChassisSpec, Hypervisor, HypervisorOptions, SchedulerKind,
    VmConfig, VmType,
};

const MIN: u64 = 60_000;
const H: u64 = 60 * MIN;
/// The chunk lengths of the irregular run, repeated: odd sizes that never line up with a
/// quantum, a switch or a kinetic grid point.
const CHUNKS: [u64; 6] = [1, 999, 7_001, MIN, 123_457, 1_000_000];

fn hypervisor(kind: SchedulerKind, machinery: MachineryKind) -> Hypervisor {
    Hypervisor::new(HypervisorOptions {
        chassis: ChassisSpec::preset(ChassisKind::Ecoli).unwrap(),
        scheduler: kind,
        machinery,
        quantum_ms: Some(7 * MIN),
        seed: 11,
        ..Default::default()
    })
    .unwrap()
}

/// Three guests of different weights: one endless, one that finishes after a few cycles
/// (the total weight changes at an event inside a chunk), one that joins later.
fn start(h: &mut Hypervisor) {
    let cfg = |w: u32, workload: u64, cycles: Option<u32>| VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(20),
        atp_percent: Some(0.0),
        memory_kb: Some(10),
        weight: Some(w),
        workload_aa: Some(workload),
        cycles,
        ..Default::default()
    };
    h.create_vm(
        "a",
        BiologicalType::Ecoli,
        VmType::Basic,
        &cfg(256, 90_000_000, None),
    )
    .unwrap();
    h.create_vm(
        "b",
        BiologicalType::Ecoli,
        VmType::Basic,
        &cfg(512, 30_000_000, Some(4)),
    )
    .unwrap();
    h.create_vm(
        "c",
        BiologicalType::Ecoli,
        VmType::Basic,
        &cfg(1024, 50_000_000, None),
    )
    .unwrap();
    h.start_vm("a").unwrap();
    h.start_vm("b").unwrap();
}

/// 24 h: `c` starts at 5 h, `a` pauses 11 h-13 h. `chunked` steps through each stretch in
/// the irregular chunks, the other in one step per stretch.
fn run(kind: SchedulerKind, machinery: MachineryKind, chunked: bool) -> Hypervisor {
    let mut h = hypervisor(kind, machinery);
    start(&mut h);
    let mut i = 0;
    let mut to = |h: &mut Hypervisor, t: u64| {
        if !chunked {
            h.run_until(t).unwrap();
            return;
        }
        while h.now_ms() < t {
            let dt = CHUNKS[i % CHUNKS.len()].min(t - h.now_ms());
            i += 1;
            h.step(dt).unwrap();
        }
    };
    to(&mut h, 5 * H);
    h.start_vm("c").unwrap();
    to(&mut h, 11 * H);
    h.pause_vm("a").unwrap();
    to(&mut h, 13 * H);
    h.resume_vm("a").unwrap();
    to(&mut h, 24 * H);
    h
}

fn check(machinery: MachineryKind) {
    for kind in SchedulerKind::ALL {
        let whole = run(kind, machinery, false);
        let chunked = run(kind, machinery, true);
        assert_eq!(whole.now_ms(), 24 * H);
        assert_eq!(chunked.now_ms(), 24 * H);
        // The run did something worth comparing: every VM ran, b finished its cycles.
        assert!(
            whole.list_vms().iter().all(|v| v.aa_produced > 0.0),
            "{kind:?} {machinery:?}: a VM never ran"
        );
        let (a, b) = (whole.snapshot(), chunked.snapshot());
        if a != b {
            let at = a
                .bytes()
                .zip(b.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            let from = at.saturating_sub(80);
            panic!(
                "{kind:?} {machinery:?}: snapshots differ at byte {at}:\n  whole:   {}\n  chunked: {}",
                &a[from..(at + 80).min(a.len())],
                &b[from..(at + 80).min(b.len())]
            );
        }
        // Metrics as JSON: serde_json writes the shortest text that reads back to the same
        // f64, so equal text means equal bits (fairShare, fairnessIndex, ...).
        let json = |h: &Hypervisor| serde_json::to_string(&h.metrics()).unwrap();
        assert_eq!(
            json(&whole),
            json(&chunked),
            "{kind:?} {machinery:?}: metrics differ"
        );
    }
}

#[test]
fn simple_machinery_any_chunking_gives_the_same_bytes() {
    check(MachineryKind::Simple);
}

#[cfg(feature = "kinetics")]
#[test]
fn kinetic_machinery_any_chunking_gives_the_same_bytes() {
    check(MachineryKind::Kinetic);
}
