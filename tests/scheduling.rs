//! Schedulers through the real hypervisor: textbook answers, shares, fairness, overhead,
//! determinism and snapshots.

mod common;

use bioxen::{
    BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, SchedulingRequest, VmConfig,
    VmType,
};
use common::*;

#[test]
fn textbook_fcfs() {
    let (w, t, r) = run_textbook(SchedulerKind::Fcfs, 1000, &[(0, 24), (0, 3), (0, 3)], None);
    assert_eq!(w, [0, 24, 27]);
    assert_eq!(t, [24, 27, 30]);
    assert_eq!(r, [0, 24, 27]);
}

#[test]
fn textbook_sjf() {
    let (w, _, _) = run_textbook(
        SchedulerKind::Sjf,
        1000,
        &[(0, 6), (0, 8), (0, 7), (0, 3)],
        None,
    );
    assert_eq!(w, [3, 16, 9, 0]);
}

#[test]
fn textbook_srtf() {
    let (w, t, _) = run_textbook(
        SchedulerKind::Srtf,
        1000,
        &[(0, 8), (1, 4), (2, 9), (3, 5)],
        None,
    );
    assert_eq!(w, [9, 0, 15, 2]);
    assert_eq!(t, [17, 4, 24, 7]);
}

#[test]
fn textbook_round_robin() {
    let (w, t, r) = run_textbook(
        SchedulerKind::RoundRobin,
        4,
        &[(0, 24), (0, 3), (0, 3)],
        None,
    );
    assert_eq!(w, [6, 4, 7]);
    assert_eq!(t, [30, 7, 10]);
    assert_eq!(r, [0, 4, 7]);
}

#[test]
fn textbook_preemptive_priority() {
    // Higher number = more important. Hand-computed schedule:
    // P1 0-1, P2 1-2, P3 2-4, P2 4-7, P1 7-14, P4 14-15.
    let (w, t, r) = run_textbook(
        SchedulerKind::Priority,
        1000,
        &[(0, 8), (1, 4), (2, 2), (3, 1)],
        Some(&[3, 5, 9, 1]),
    );
    assert_eq!(t, [14, 6, 2, 12]);
    assert_eq!(w, [6, 2, 0, 11]);
    assert_eq!(r, [0, 0, 0, 11]);
}

#[test]
fn mlfq_lets_a_short_late_job_through() {
    // A long job (200) runs alone, sinks; a short job (5) arriving at 50 enters the top
    // level and finishes within its first quantum.
    let (_, t, r) = run_textbook(SchedulerKind::Mlfq, 10, &[(0, 200), (50, 5)], None);
    assert_eq!(
        r[1], 0,
        "the newcomer preempts the demoted long job at once"
    );
    assert_eq!(t[1], 5);
    assert_eq!(t[0], 205);
}

fn hogs(kind: SchedulerKind, weights: &[u32], hours: u64) -> Hypervisor {
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: kind,
        max_vms: Some(64),
        seed: 7,
        ..Default::default()
    })
    .unwrap();
    for (i, &w) in weights.iter().enumerate() {
        add(&mut h, &format!("v{i}"), &hog(w));
        h.start_vm(&format!("v{i}")).unwrap();
    }
    h.step(hours * 3_600_000).unwrap();
    h
}

fn shares(h: &Hypervisor) -> Vec<f64> {
    let m = h.metrics();
    let total: f64 = m.per_vm.iter().map(|v| v.machinery_time_ms as f64).sum();
    m.per_vm
        .iter()
        .map(|v| v.machinery_time_ms as f64 / total)
        .collect()
}

#[test]
fn credit_weights_512_256_give_two_to_one() {
    let h = hogs(SchedulerKind::Credit, &[512, 256], 200);
    let s = shares(&h);
    let ratio = s[0] / s[1];
    assert!(
        (ratio - 2.0).abs() / 2.0 < 0.05,
        "credit 512:256 ratio {ratio}"
    );
    let m = h.metrics();
    assert!(
        m.fairness_index > 0.99,
        "weighted Jain {}",
        m.fairness_index
    );
}

#[test]
fn eevdf_and_lottery_follow_weights() {
    let h = hogs(SchedulerKind::Eevdf, &[2048, 1024, 1024], 200);
    let s = shares(&h);
    for (got, want) in s.iter().zip([0.5, 0.25, 0.25]) {
        assert!((got - want).abs() < 0.02, "eevdf shares {s:?}");
    }
    let h = hogs(SchedulerKind::Lottery, &[768, 256], 2000);
    let s = shares(&h);
    assert!((s[0] - 0.75).abs() < 0.05, "lottery shares {s:?}");
}

#[test]
fn round_robin_over_equal_vms_is_fair_and_overhead_is_measured() {
    let h = hogs(SchedulerKind::RoundRobin, &[256; 4], 100);
    let m = h.metrics();
    assert!(m.fairness_index >= 0.99, "Jain {}", m.fairness_index);
    // ecoli: quantum 600 s, switch 20 s; every dispatch follows a different VM.
    let expected = 100.0 * 20.0 / 620.0;
    assert!(
        (m.overhead_percent - expected).abs() < 0.2,
        "overhead {} vs {expected}",
        m.overhead_percent
    );
    assert_eq!(
        h.overhead_ms(),
        m.context_switches * 20_000,
        "every switch cost one run-off time"
    );
    let per: u64 = m.per_vm.iter().map(|v| v.context_switches).sum();
    assert_eq!(per, m.context_switches);
    // Wait + machinery = runnable, for every VM.
    for v in &m.per_vm {
        assert_eq!(v.wait_time_ms + v.machinery_time_ms, v.runnable_time_ms);
        assert!((v.fair_share - 0.25).abs() < 1e-9);
    }
}

#[test]
fn fcfs_with_endless_guests_starves_all_but_one_per_cycle() {
    // Continuous workloads: each cycle is a new job, so FCFS rotates cycle by cycle.
    let h = hogs(SchedulerKind::Fcfs, &[256, 256], 1);
    let m = h.metrics();
    let busy: Vec<u64> = m.per_vm.iter().map(|v| v.machinery_time_ms).collect();
    assert_eq!(
        busy[1], 0,
        "the second VM waits for the first one's endless cycle"
    );
    assert!(m.fairness_index < 0.6);
}

#[test]
fn idle_time_costs_nothing() {
    let mut h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    h.step(3_600_000).unwrap();
    let m = h.metrics();
    assert_eq!(
        (m.decisions, m.context_switches, m.now_ms),
        (0, 0, 3_600_000)
    );
    // A paused VM is not scheduled either.
    add(&mut h, "p", &hog(256));
    h.start_vm("p").unwrap();
    h.pause_vm("p").unwrap();
    let d = h.metrics().decisions;
    h.step(3_600_000_000).unwrap();
    assert_eq!(h.metrics().decisions, d);
}

#[test]
fn cap_limits_a_greedy_vm() {
    let mut h = hogs(SchedulerKind::Credit, &[256, 256], 0);
    h.set_scheduling(
        "v0",
        &SchedulingRequest {
            cap: Some(20),
            ..Default::default()
        },
    )
    .unwrap();
    h.step(100 * 3_600_000).unwrap();
    let s = shares(&h);
    assert!(s[0] < 0.23, "capped share {s:?}");
}

/// A scenario with every kind of operation, for determinism and snapshot tests.
fn scenario(kind: SchedulerKind, h: &mut Hypervisor, part: u8) {
    let cfg = |w: u32, p: u8, cycles: Option<u32>| VmConfig {
        ribosomes: Some(500),
        rna_polymerase: Some(10),
        atp_percent: Some(2.0),
        memory_kb: Some(100),
        weight: Some(w),
        priority: Some(p),
        workload_aa: Some(40_000_000),
        cycles,
        ..Default::default()
    };
    if part == 0 {
        h.create_vm(
            "a",
            BiologicalType::Syn3a,
            VmType::Basic,
            &cfg(256, 5, None),
        )
        .unwrap();
        h.create_vm(
            "b",
            BiologicalType::Ecoli,
            VmType::Basic,
            &cfg(512, 7, Some(3)),
        )
        .unwrap();
        h.create_vm(
            "c",
            BiologicalType::Yeast,
            VmType::Basic,
            &cfg(128, 2, None),
        )
        .unwrap();
        h.start_vm("a").unwrap();
        h.step(1_000_000).unwrap();
        h.start_vm("b").unwrap();
        h.start_vm("c").unwrap();
        h.step(7_777_777).unwrap();
        h.pause_vm("a").unwrap();
        h.step(2_000_000).unwrap();
        h.resume_vm("a").unwrap();
    } else {
        h.step(3_333_333).unwrap();
        h.restart_vm("c").unwrap();
        h.create_vm(
            "d",
            BiologicalType::MinimalCell,
            VmType::Basic,
            &cfg(1024, 9, Some(1)),
        )
        .unwrap();
        h.start_vm("d").unwrap();
        h.step(20_000_000).unwrap();
        let other = if kind == SchedulerKind::Eevdf {
            SchedulerKind::Credit
        } else {
            SchedulerKind::Eevdf
        };
        h.set_scheduler(other, None).unwrap();
        h.step(5_000_000).unwrap();
        h.set_scheduler(kind, None).unwrap();
        h.destroy_vm("b").unwrap();
        h.step(40_000_000).unwrap();
    }
}

fn opts(kind: SchedulerKind) -> HypervisorOptions {
    HypervisorOptions {
        scheduler: kind,
        seed: 99,
        quantum_ms: Some(300_000),
        ..Default::default()
    }
}

#[test]
fn same_seed_same_trace_and_snapshot_restore_continues_identically() {
    for kind in SchedulerKind::ALL {
        let mut a = Hypervisor::new(opts(kind)).unwrap();
        let mut b = Hypervisor::new(opts(kind)).unwrap();
        scenario(kind, &mut a, 0);
        scenario(kind, &mut b, 0);
        assert_eq!(a.snapshot(), b.snapshot(), "{kind}: same seed diverged");
        let mut c = Hypervisor::restore(&b.snapshot()).unwrap();
        assert_eq!(c.snapshot(), b.snapshot(), "{kind}: restore is not exact");
        scenario(kind, &mut a, 1);
        scenario(kind, &mut c, 1);
        assert_eq!(
            a.trace_since(0, usize::MAX),
            c.trace_since(0, usize::MAX),
            "{kind}: restored run diverged"
        );
        assert_eq!(
            a.snapshot(),
            c.snapshot(),
            "{kind}: restored state diverged"
        );
        let m = a.metrics();
        assert!(m.decisions > 0 && m.completed_cycles > 0, "{kind}: {m:?}");
        a.check_consistency().unwrap();
    }
}

#[test]
fn trace_is_consistent_with_metrics() {
    for kind in SchedulerKind::ALL {
        let mut h = Hypervisor::new(opts(kind)).unwrap();
        scenario(kind, &mut h, 0);
        scenario(kind, &mut h, 1);
        let chunk = h.trace_since(0, usize::MAX);
        assert_eq!(chunk.dropped, 0);
        let mut segs = chunk.segments.clone();
        segs.extend(chunk.open.clone());
        // Segments never overlap and are ordered.
        for w in segs.windows(2) {
            assert!(w[0].end <= w[1].start, "{kind}: overlap {w:?}");
        }
        let run: u64 = segs
            .iter()
            .filter(|s| s.kind == bioxen::trace::SegmentKind::Run)
            .map(|s| s.end - s.start)
            .sum();
        let sw: u64 = segs
            .iter()
            .filter(|s| s.kind == bioxen::trace::SegmentKind::Switch)
            .map(|s| s.end - s.start)
            .sum();
        let m = h.metrics();
        assert_eq!(sw, h.overhead_ms(), "{kind}");
        let busy = (m.machinery_busy * m.now_ms as f64).round() as u64;
        assert_eq!(run, busy, "{kind}");
        // Incremental reads see the same segments.
        let mut cursor = 0;
        let mut n = 0;
        loop {
            let c = h.trace_since(cursor, 7);
            if c.segments.is_empty() {
                break;
            }
            n += c.segments.len();
            cursor = c.next_cursor;
        }
        assert_eq!(n, chunk.segments.len());
    }
}

#[test]
fn changing_quantum_while_running() {
    let mut h = hogs(SchedulerKind::RoundRobin, &[256; 3], 1);
    let before = h.metrics().context_switches;
    h.set_quantum(60_000).unwrap();
    h.step(3_600_000).unwrap();
    let after = h.metrics().context_switches - before;
    // 1 h / (60 s + 20 s switch) ≈ 45 switches (vs ~6 with the 600 s default quantum).
    assert!((40..=50).contains(&after), "{after} switches");
    assert_eq!(h.set_quantum(0).unwrap_err().code(), "INVALID_ARGUMENT");
}
