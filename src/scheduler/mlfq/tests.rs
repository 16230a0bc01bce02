//! Unit tests of the MLFQ policy driven through the scheduler protocol directly.

use super::super::testkit::{run_jobs_with, Job};
use super::super::{
    AnyScheduler, MlfqBoostRule, Scheduler, SchedulerKind, SchedulerParams, TaskInfo,
};
use super::Mlfq;

fn params(quantum: u64, levels: u8, boost: u64) -> SchedulerParams {
    SchedulerParams {
        mlfq_levels: levels,
        mlfq_boost_ms: boost,
        ..SchedulerParams::with_quantum(quantum, 0)
    }
}

fn task(seq: u64) -> TaskInfo {
    TaskInfo {
        weight: 256,
        priority: 5,
        cap_percent: 0,
        remaining_ms: 1000,
        seq,
        arrival_ms: 0,
    }
}

/// Dispatch lengths of a lone VM charged for its full slice each time.
#[test]
fn full_slices_demote_to_the_bottom() {
    let mut s = Mlfq::new(&params(10, 3, 0));
    s.enqueue(0, &task(0), 0);
    let mut now = 0;
    let mut slices = Vec::new();
    for _ in 0..5 {
        let d = s.pick(now).expect("queued");
        slices.push(d.max_run_ms);
        now += d.max_run_ms;
        s.charge(0, d.max_run_ms, now, &task(0));
    }
    // Levels 0, 1, 2, then it stays at the bottom (2) with a fresh quantum.
    assert_eq!(slices, [10, 20, 40, 40, 40]);
    assert_eq!(s.level_of(0), Some(2));
}

#[test]
fn per_level_quanta_and_allotments() {
    // -Q 2,3 -A 2,1: two quanta of 2 at the top, then quanta of 3 at the bottom.
    let mut p = params(10, 2, 0);
    p.mlfq_quanta_ms[..2].copy_from_slice(&[2, 3]);
    p.mlfq_allotments[..2].copy_from_slice(&[2, 1]);
    let mut s = Mlfq::new(&p);
    s.enqueue(0, &task(0), 0);
    let mut now = 0;
    let mut slices = Vec::new();
    for _ in 0..4 {
        let d = s.pick(now).expect("queued");
        slices.push((d.max_run_ms, d.reason.to_string()));
        now += d.max_run_ms;
        s.charge(0, d.max_run_ms, now, &task(0));
    }
    let lens: Vec<_> = slices.iter().map(|s| s.0).collect();
    assert_eq!(lens, [2, 2, 3, 3]);
    assert!(
        slices[0].1.contains("4 ms of allotment left"),
        "{}",
        slices[0].1
    );
    assert!(
        slices[1].1.contains("2 ms of allotment left"),
        "{}",
        slices[1].1
    );
}

#[test]
fn giving_up_early_keeps_level_and_the_rest_of_the_quantum() {
    let mut s = Mlfq::new(&params(10, 3, 0));
    s.enqueue(0, &task(0), 0);
    assert_eq!(s.pick(0).map(|d| d.max_run_ms), Some(10));
    s.charge(0, 6, 6, &task(0)); // gave up after 6 of 10
    s.remove(0, 6);
    assert_eq!(s.level_of(0), Some(0));
    s.enqueue(0, &task(0), 8);
    assert_eq!(s.pick(8).map(|d| d.max_run_ms), Some(4)); // what is left of 10
    s.charge(0, 4, 12, &task(0)); // quantum used up: demoted
    assert_eq!(s.level_of(0), Some(1));
    assert_eq!(s.pick(12).map(|d| d.max_run_ms), Some(20));
}

#[test]
fn a_preempted_vm_keeps_the_head_of_its_level() {
    let mut s = Mlfq::new(&params(10, 3, 0));
    for slot in 0..2 {
        s.enqueue(slot, &task(u64::from(slot)), 0);
    }
    // Both use their top quantum: 0 then 1 are at level 1.
    for now in [0, 10] {
        let d = s.pick(now).expect("queued");
        s.charge(d.slot, 10, now + 10, &task(u64::from(d.slot)));
    }
    assert_eq!(s.pick(20).map(|d| (d.slot, d.max_run_ms)), Some((0, 20)));
    s.enqueue(2, &task(2), 25);
    assert!(s.preempts(2, 0, 25));
    s.charge(0, 5, 25, &task(0));
    assert_eq!(s.pick(25).map(|d| d.slot), Some(2));
    s.charge(2, 10, 35, &task(2));
    // Slot 0 ahead of slot 1 with the 15 ms left of its quantum.
    assert_eq!(s.pick(35).map(|d| (d.slot, d.max_run_ms)), Some((0, 15)));
}

#[test]
fn the_textbook_late_arrival() {
    // OSTEP fig. 8.3-style: levels of 10, 20, 40 ms, no boost. A (0, 400) runs 0-10 (L0),
    // 10-30 (L1), 30-70 and 70-100 (L2). B (100, 20) enters at L0 and preempts A, which keeps
    // the head of L2 with 10 ms of its quantum; B runs 100-110 (L0) and 110-120 (L1).
    let jobs = [Job::new(0, 400), Job::new(100, 20)];
    let r = run_jobs_with(SchedulerKind::Mlfq, &params(10, 3, 0), &jobs);
    assert_eq!(r.completion, [420, 120]);
    assert_eq!(r.gantt, [(0, 0, 100), (1, 100, 120), (0, 120, 420)]);
}

#[test]
fn boost_order_bottom_level_first_then_upwards() {
    // Four levels with quanta 1, 2, 2, 2 ms; boost every 100 ms.
    let mut p = params(1, 4, 100);
    p.mlfq_quanta_ms[..4].copy_from_slice(&[1, 2, 2, 2]);
    p.mlfq_boost_rule = MlfqBoostRule::Ostep;
    let mut s = Mlfq::new(&p);
    for slot in 0..4u32 {
        s.enqueue(slot, &task(u64::from(slot)), 0);
    }
    let mut now = 0;
    for _ in 0..6 {
        let d = s.pick(now).expect("queued");
        now += d.max_run_ms;
        s.charge(d.slot, d.max_run_ms, now, &task(u64::from(d.slot)));
    }
    // 0..3 at L0 (0-4), then 0 and 1 use their L1 quanta (4-8): 0, 1 at L2; 2, 3 at L1.
    assert_eq!(now, 8);
    assert_eq!(
        (0..4).map(|v| s.level_of(v)).collect::<Vec<_>>(),
        [Some(2), Some(2), Some(1), Some(1)]
    );
    assert_eq!(s.pick(8).map(|d| d.slot), Some(2));
    s.enqueue(4, &task(4), 9); // a new VM at the top preempts slot 2 at 9
    assert!(s.preempts(4, 2, 9));
    s.charge(2, 1, 9, &task(2));
    assert_eq!(s.pick(9).map(|d| d.slot), Some(4));
    s.charge(4, 1, 10, &task(4));
    s.remove(4, 10);
    // The boost at 100: the top (empty), L3 (none), L2 (0, 1), L1 (2 at its head, 3); every
    // quantum becomes A[0] = 1 ms.
    let order: Vec<_> = std::iter::from_fn(|| {
        let d = s.pick(100)?;
        Some((d.slot, d.max_run_ms))
    })
    .collect();
    assert_eq!(order, [(0, 1), (1, 1), (2, 1), (3, 1)]);
}

#[test]
fn the_fresh_boost_restarts_quantum_and_allotment_at_the_top() {
    // Two levels, quanta 4 and 8, two quanta at the top; boost every 50 ms.
    let mut p = params(4, 2, 50);
    p.mlfq_allotments[..2].copy_from_slice(&[2, 1]);
    let run = |rule: MlfqBoostRule| {
        let mut p = p;
        p.mlfq_boost_rule = rule;
        let mut s = Mlfq::new(&p);
        s.enqueue(0, &task(0), 0);
        let mut now = 0;
        // 0-4, 4-8 at the top, then one quantum of 8 at level 1 ... up to the boost at 50.
        while now < 50 {
            let d = s.pick(now).expect("queued");
            now += d.max_run_ms;
            s.charge(d.slot, d.max_run_ms, now, &task(0));
        }
        assert_eq!((now, s.level_of(0)), (50, Some(1)));
        let d = s.pick(50).expect("boosted");
        (s.level_of(0), d.max_run_ms)
    };
    assert_eq!(
        run(MlfqBoostRule::Fresh),
        (Some(0), 4),
        "a fresh top quantum"
    );
    assert_eq!(
        run(MlfqBoostRule::Ostep),
        (Some(0), 2),
        "mlfq.py: the top allotment count, in ms"
    );
    // A VM arriving after a boost: a full top quantum under the fresh rule, mlfq.py's count
    // under the other.
    for (rule, slice) in [(MlfqBoostRule::Fresh, 4), (MlfqBoostRule::Ostep, 2)] {
        let mut p = p;
        p.mlfq_boost_rule = rule;
        let mut s = Mlfq::new(&p);
        s.enqueue(0, &task(0), 0);
        let d = s.pick(0).unwrap();
        s.charge(0, d.max_run_ms, 4, &task(0));
        s.remove(0, 4);
        s.enqueue(1, &task(1), 60);
        assert_eq!(s.pick(60).map(|d| d.max_run_ms), Some(slice), "{rule:?}");
    }
}

#[test]
fn churn_purges_stale_entries() {
    let mut s = Mlfq::new(&params(10, 3, 0));
    for slot in 0..3 {
        s.enqueue(slot, &task(u64::from(slot)), 0);
    }
    for i in 0..1000 {
        s.remove(1, i);
        s.enqueue(1, &task(1), i);
    }
    assert_eq!(s.queued(), 3);
    assert!(s.entries <= 2 * 3 + 64 + 1);
    let picks: Vec<_> = std::iter::from_fn(|| s.pick(1000).map(|d| d.slot)).collect();
    assert_eq!(picks, [0, 2, 1]);
    assert_eq!(s.queued(), 0);
}

#[test]
fn serde_round_trip_mid_run() {
    let mut p = params(10, 3, 100);
    p.mlfq_boost_rule = MlfqBoostRule::Ostep;
    let mut s = AnyScheduler::new(SchedulerKind::Mlfq, &p);
    for slot in 0..4u32 {
        s.enqueue(slot, &task(u64::from(slot)), 0);
    }
    let mut now = 0;
    for _ in 0..5 {
        let d = s.pick(now).expect("queued");
        now += d.max_run_ms;
        s.charge(d.slot, d.max_run_ms, now, &task(u64::from(d.slot)));
    }
    let d = s.pick(now).expect("queued");
    let json = serde_json::to_string(&s).expect("serialise");
    let mut back: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back.queued(), s.queued());
    let mut cur = Some(d);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut t = now;
    for _ in 0..12 {
        let Some(d) = cur else { break };
        t += d.max_run_ms;
        for (sched, out) in [(&mut s, &mut a), (&mut back, &mut b)] {
            sched.charge(d.slot, d.max_run_ms, t, &task(u64::from(d.slot)));
            out.push(sched.pick(t));
        }
        cur = a.last().copied().flatten();
    }
    assert_eq!(a, b);
    assert!(
        a.iter().flatten().any(|d| d.max_run_ms == 1),
        "a boost happened"
    );
}
