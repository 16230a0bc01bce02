//! Process tables with answers worked by hand, as a student checks homework: each table's
//! jobs run through the plain API on the textbook chassis (step to an arrival, `start_vm`),
//! and the waiting, turnaround and response of every job and their averages must be the
//! hand-computed ones. The Gantt order above each table lets a reader redo it by hand.
//!
//! Conventions (the core's own, as the page states them):
//! - times are ms; turnaround = finish − arrival, waiting = turnaround − burst, response =
//!   first run − arrival;
//! - a job arriving at t takes part in the decision made at t;
//! - FCFS: by arrival, then row order;
//! - RR: a job arriving at t enters the queue before the job whose slice ended at t;
//! - SJF, SRTF, priority: among equals the earlier arrival, then row order; a preempted job
//!   keeps its place by arrival; a running job is not preempted by an equal;
//! - priority: a higher number runs first (1..=10), preemptive; run with a quantum no table
//!   reaches, so equal priorities never take turns.

mod common;

use bioxen::SchedulerKind;
use common::run_textbook;

struct Table {
    name: &'static str,
    kind: SchedulerKind,
    quantum: u64,
    /// (arrival, burst, priority) per row.
    jobs: &'static [(u64, u64, u8)],
    waiting: &'static [u64],
    turnaround: &'static [u64],
    response: &'static [u64],
    /// Averages as (numerator, denominator) of waiting, turnaround, response.
    averages: [(u64, u64); 3],
}

fn check(t: &Table) {
    let jobs: Vec<(u64, u64)> = t.jobs.iter().map(|j| (j.0, j.1)).collect();
    let prio: Vec<u8> = t.jobs.iter().map(|j| j.2).collect();
    let (w, ta, r) = run_textbook(t.kind, t.quantum, &jobs, Some(&prio));
    assert_eq!(w, t.waiting, "{}: waiting", t.name);
    assert_eq!(ta, t.turnaround, "{}: turnaround", t.name);
    assert_eq!(r, t.response, "{}: response", t.name);
    let n = jobs.len() as f64;
    for (i, (got, (num, den))) in [&w, &ta, &r].iter().zip(t.averages).enumerate() {
        let avg = got.iter().sum::<u64>() as f64 / n;
        assert_eq!(avg, num as f64 / den as f64, "{}: average {i}", t.name);
    }
}

/// A long job first: the convoy. Silberschatz's P1 24, P2 3, P3 3, all at 0.
const CONVOY: &[(u64, u64, u8)] = &[(0, 24, 5), (0, 3, 5), (0, 3, 5)];
/// Silberschatz's staggered set: P1 (0, 8), P2 (1, 4), P3 (2, 9), P4 (3, 5).
const STAGGERED: &[(u64, u64, u8)] = &[(0, 8, 5), (1, 4, 5), (2, 9, 5), (3, 5, 5)];
/// Arrivals at the instants slices end: P1 (0, 5), P2 (2, 3), P3 (4, 1).
const AT_SLICE_ENDS: &[(u64, u64, u8)] = &[(0, 5, 5), (2, 3, 5), (4, 1, 5)];

#[test]
fn fcfs_tables() {
    // 1. Convoy. Gantt: P1 0-24, P2 24-27, P3 27-30.
    check(&Table {
        name: "fcfs convoy",
        kind: SchedulerKind::Fcfs,
        quantum: 1000,
        jobs: CONVOY,
        waiting: &[0, 24, 27],
        turnaround: &[24, 27, 30],
        response: &[0, 24, 27],
        averages: [(17, 1), (27, 1), (17, 1)],
    });
    // 2. Simultaneous arrivals go by row; an idle gap. Rows P1 (2, 3), P2 (0, 2), P3 (2, 1),
    // P4 (8, 2). Gantt: P2 0-2, P1 2-5, P3 5-6, idle 6-8, P4 8-10.
    check(&Table {
        name: "fcfs simultaneous",
        kind: SchedulerKind::Fcfs,
        quantum: 1000,
        jobs: &[(2, 3, 5), (0, 2, 5), (2, 1, 5), (8, 2, 5)],
        waiting: &[0, 0, 3, 0],
        turnaround: &[3, 2, 4, 2],
        response: &[0, 0, 3, 0],
        averages: [(3, 4), (11, 4), (3, 4)],
    });
}

#[test]
fn sjf_tables() {
    // 3. All at 0: Silberschatz P1 6, P2 8, P3 7, P4 3. Gantt: P4 0-3, P1 3-9, P3 9-16,
    // P2 16-24.
    check(&Table {
        name: "sjf all at 0",
        kind: SchedulerKind::Sjf,
        quantum: 1000,
        jobs: &[(0, 6, 5), (0, 8, 5), (0, 7, 5), (0, 3, 5)],
        waiting: &[3, 16, 9, 0],
        turnaround: &[9, 24, 16, 3],
        response: &[3, 16, 9, 0],
        averages: [(7, 1), (13, 1), (7, 1)],
    });
    // 4. Staggered, no preemption. Gantt: P1 0-8, P2 8-12, P4 12-17, P3 17-26.
    check(&Table {
        name: "sjf staggered",
        kind: SchedulerKind::Sjf,
        quantum: 1000,
        jobs: STAGGERED,
        waiting: &[0, 7, 15, 9],
        turnaround: &[8, 11, 24, 14],
        response: &[0, 7, 15, 9],
        averages: [(31, 4), (57, 4), (31, 4)],
    });
    // 5. Ties on burst go by arrival, then row. Rows P1 (0, 3), P2 (2, 2), P3 (1, 2),
    // P4 (3, 2), P5 (0, 5). At 0 P1 (3) beats P5 (5): P1 0-3. At 3 (P4 arrives as P1
    // finishes, and takes part): bursts of 2 from P3 (arrived 1), P2 (2), P4 (3).
    // Gantt: P1 0-3, P3 3-5, P2 5-7, P4 7-9, P5 9-14.
    check(&Table {
        name: "sjf ties",
        kind: SchedulerKind::Sjf,
        quantum: 1000,
        jobs: &[(0, 3, 5), (2, 2, 5), (1, 2, 5), (3, 2, 5), (0, 5, 5)],
        waiting: &[0, 3, 2, 4, 9],
        turnaround: &[3, 5, 4, 6, 14],
        response: &[0, 3, 2, 4, 9],
        averages: [(18, 5), (32, 5), (18, 5)],
    });
}

#[test]
fn srtf_tables() {
    // 6. Staggered, preemptive: P2 (4) beats P1's 7 left at 1. Gantt: P1 0-1, P2 1-5,
    // P4 5-10, P1 10-17, P3 17-26.
    check(&Table {
        name: "srtf staggered",
        kind: SchedulerKind::Srtf,
        quantum: 1000,
        jobs: STAGGERED,
        waiting: &[9, 0, 15, 2],
        turnaround: &[17, 4, 24, 7],
        response: &[0, 0, 15, 2],
        averages: [(26, 4), (52, 4), (17, 4)],
    });
    // 7. Equals. Rows P1 (3, 3), P2 (0, 5), P3 (2, 1), P4 (4, 2). P2 0-2; P3 (1 < 3)
    // preempts, 2-3. At 3 P1 (3) ties P2's 3 left: P2 arrived first, P2 3-6. At 4 P4 (2)
    // equals P2's 2 left: no preemption. At 6: P4 (2) before P1 (3).
    // Gantt: P2 0-2, P3 2-3, P2 3-6, P4 6-8, P1 8-11.
    check(&Table {
        name: "srtf equals",
        kind: SchedulerKind::Srtf,
        quantum: 1000,
        jobs: &[(3, 3, 5), (0, 5, 5), (2, 1, 5), (4, 2, 5)],
        waiting: &[5, 1, 0, 2],
        turnaround: &[8, 6, 1, 4],
        response: &[5, 0, 0, 2],
        averages: [(8, 4), (19, 4), (7, 4)],
    });
}

#[test]
fn round_robin_tables() {
    // 8. Convoy, q = 4. Gantt: P1 0-4, P2 4-7, P3 7-10, P1 10-30.
    check(&Table {
        name: "rr q=4 convoy",
        kind: SchedulerKind::RoundRobin,
        quantum: 4,
        jobs: CONVOY,
        waiting: &[6, 4, 7],
        turnaround: &[30, 7, 10],
        response: &[0, 4, 7],
        averages: [(17, 3), (47, 3), (11, 3)],
    });
    // 9. Convoy, q = 5. Gantt: P1 0-5, P2 5-8, P3 8-11, P1 11-30.
    check(&Table {
        name: "rr q=5 convoy",
        kind: SchedulerKind::RoundRobin,
        quantum: 5,
        jobs: CONVOY,
        waiting: &[6, 5, 8],
        turnaround: &[30, 8, 11],
        response: &[0, 5, 8],
        averages: [(19, 3), (49, 3), (13, 3)],
    });
    // 10. Arrivals at slice ends, q = 2. At 2 P2 arrives as P1's slice ends: queue P2, P1.
    // At 4 P3 arrives as P2's ends: queue P1, P3, P2.
    // Gantt: P1 0-2, P2 2-4, P1 4-6, P3 6-7, P2 7-8, P1 8-9.
    check(&Table {
        name: "rr q=2 slice ends",
        kind: SchedulerKind::RoundRobin,
        quantum: 2,
        jobs: AT_SLICE_ENDS,
        waiting: &[4, 3, 2],
        turnaround: &[9, 6, 3],
        response: &[0, 0, 2],
        averages: [(9, 3), (18, 3), (2, 3)],
    });
    // 11. The same, q = 1. Queue after each tick: [P1] 0-1, [P1] 1-2, at 2 [P2, P1]: P2 2-3,
    // P1 3-4, at 4 [P2, P3, P1]: P2 4-5, P3 5-6, P1 6-7, P2 7-8, P1 8-9.
    check(&Table {
        name: "rr q=1 slice ends",
        kind: SchedulerKind::RoundRobin,
        quantum: 1,
        jobs: AT_SLICE_ENDS,
        waiting: &[4, 3, 1],
        turnaround: &[9, 6, 2],
        response: &[0, 0, 1],
        averages: [(8, 3), (17, 3), (1, 3)],
    });
    // 12. Two arrivals at once, q = 3. Rows P1 (0, 4), P2 (1, 6), P3 (3, 2), P4 (3, 3). At 3
    // P3 and P4 (row order) queue behind P2 and ahead of P1, whose slice ends then.
    // Gantt: P1 0-3, P2 3-6, P3 6-8, P4 8-11, P1 11-12, P2 12-15.
    check(&Table {
        name: "rr q=3 simultaneous",
        kind: SchedulerKind::RoundRobin,
        quantum: 3,
        jobs: &[(0, 4, 5), (1, 6, 5), (3, 2, 5), (3, 3, 5)],
        waiting: &[8, 8, 3, 5],
        turnaround: &[12, 14, 5, 8],
        response: &[0, 2, 3, 5],
        averages: [(24, 4), (39, 4), (10, 4)],
    });
}

#[test]
fn priority_tables() {
    // 13. (arrival, burst, priority), higher first. Rows P1 (0, 4, 2), P2 (0, 3, 2),
    // P3 (2, 2, 3), P4 (2, 1, 3), P5 (5, 2, 2). At 0 P1 and P2 tie: row order, P1. At 2 P3
    // and P4 (3 > 2) preempt P1, which keeps its place (arrived 0); P3 before P4 by row.
    // At 5 P1 (arrived 0), P2 (0), P5 (5) at priority 2.
    // Gantt: P1 0-2, P3 2-4, P4 4-5, P1 5-7, P2 7-10, P5 10-12.
    check(&Table {
        name: "priority ties",
        kind: SchedulerKind::Priority,
        quantum: 1_000_000,
        jobs: &[(0, 4, 2), (0, 3, 2), (2, 2, 3), (2, 1, 3), (5, 2, 2)],
        waiting: &[3, 7, 0, 2, 5],
        turnaround: &[7, 10, 2, 3, 7],
        response: &[0, 7, 0, 2, 5],
        averages: [(17, 5), (29, 5), (14, 5)],
    });
    // 14. Equals do not preempt. Rows P1 (0, 5, 2), P2 (1, 2, 2), P3 (1, 3, 4), P4 (3, 1, 4),
    // P5 (4, 2, 1). At 1 P2 (equal) does not preempt P1, P3 (4) does. At 3 P4 (4) equals
    // the running P3: no preemption. At 4: P4, then P1 (arrived 0), P2 (1), P5.
    // Gantt: P1 0-1, P3 1-4, P4 4-5, P1 5-9, P2 9-11, P5 11-13.
    check(&Table {
        name: "priority equals",
        kind: SchedulerKind::Priority,
        quantum: 1_000_000,
        jobs: &[(0, 5, 2), (1, 2, 2), (1, 3, 4), (3, 1, 4), (4, 2, 1)],
        waiting: &[4, 8, 0, 1, 7],
        turnaround: &[9, 10, 3, 2, 9],
        response: &[0, 8, 0, 1, 7],
        averages: [(20, 5), (33, 5), (16, 5)],
    });
}

/// Priority keeps its round robin among equals when a quantum expires, with round robin's
/// convention at the instant a slice ends: equal priorities with a quantum of 2 give table
/// 10's answers (Gantt: P1 0-2, P2 2-4, P1 4-6, P3 6-7, P2 7-8, P1 8-9).
#[test]
fn priority_among_equals_is_round_robin() {
    check(&Table {
        name: "priority q=2 equals",
        kind: SchedulerKind::Priority,
        quantum: 2,
        jobs: AT_SLICE_ENDS,
        waiting: &[4, 3, 2],
        turnaround: &[9, 6, 3],
        response: &[0, 0, 2],
        averages: [(9, 3), (18, 3), (2, 3)],
    });
}

/// Sums of waiting, turnaround and response, each over the table's 4 jobs.
type Sums = [(u64, u64); 3];

/// The same job set under every policy: the averages a lesson compares (SJF's waiting is
/// the least of the non-preemptive ones, SRTF's the least of all).
#[test]
fn one_table_every_policy() {
    // (name, policy, quantum, sums of waiting, turnaround, response over the 4 jobs)
    let all: [(&str, SchedulerKind, u64, Sums); 4] = [
        // FCFS: P1 0-8, P2 8-12, P3 12-21, P4 21-26. Waiting 0, 7, 10, 18.
        (
            "fcfs",
            SchedulerKind::Fcfs,
            1000,
            [(35, 4), (61, 4), (35, 4)],
        ),
        ("sjf", SchedulerKind::Sjf, 1000, [(31, 4), (57, 4), (31, 4)]),
        (
            "srtf",
            SchedulerKind::Srtf,
            1000,
            [(26, 4), (52, 4), (17, 4)],
        ),
        // RR q=4: P1 0-4, P2 4-8, P3 8-12, P4 12-16, P1 16-20, P3 20-24, P4 24-25, P3 25-26.
        // Finish 20, 8, 26, 25: turnaround 20, 7, 24, 22; waiting 12, 3, 15, 17; response
        // 0, 3, 6, 9.
        (
            "rr q=4",
            SchedulerKind::RoundRobin,
            4,
            [(47, 4), (73, 4), (18, 4)],
        ),
    ];
    for (name, kind, quantum, averages) in all {
        let jobs: Vec<(u64, u64)> = STAGGERED.iter().map(|j| (j.0, j.1)).collect();
        let (w, t, r) = run_textbook(kind, quantum, &jobs, None);
        let sums = [&w, &t, &r].map(|v| v.iter().sum::<u64>());
        assert_eq!(
            sums,
            averages.map(|a| a.0),
            "{name}: sums of waiting, turnaround, response"
        );
    }
}
