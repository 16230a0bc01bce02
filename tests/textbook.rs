//! Arrivals decided together: job tables run through the plain API (step to a job's arrival,
//! then `start_vm`) must give the textbook's answers, checked against a tick-by-tick solver
//! written from the textbook rules, on random tables with frequent ties.
//!
//! The conventions (stated in the module docs of `src/scheduler/{sjf,srtf,priority}.rs`):
//! - a job arriving at t takes part in the decision made at t (a job that finishes, is
//!   preempted or ends its slice at t included);
//! - round robin: a job arriving at t enters the queue before the job whose slice ended at t;
//! - SJF, SRTF, preemptive priority: among equals the earlier arrival runs first, then row
//!   (creation) order; a preempted job keeps its place by arrival; a running job is not
//!   preempted by an equal;
//! - a dispatch that lasts 0 ms is no dispatch: no response time, no context switch.

mod common;

use bioxen::SchedulerKind;
use common::*;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Copy, Debug)]
struct Job {
    arrival: u64,
    burst: u64,
    priority: u8,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Policy {
    Fcfs,
    Sjf,
    Srtf,
    Priority,
    Rr(u64),
}

/// (waiting, turnaround, response) per job, by the textbook rules, one 1-ms tick at a time.
fn textbook(policy: Policy, jobs: &[Job]) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let n = jobs.len();
    let mut left: Vec<u64> = jobs.iter().map(|j| j.burst).collect();
    let mut first: Vec<Option<u64>> = vec![None; n];
    let mut done: Vec<Option<u64>> = vec![None; n];
    let mut queue: Vec<usize> = Vec::new(); // ready jobs (RR: in queue order)
    let mut running: Option<usize> = None;
    let mut slice_used = 0u64;
    let mut t = 0u64;
    // Ties: earlier arrival, then row order.
    let tie = |i: usize| (jobs[i].arrival, i);
    while done.iter().any(|d| d.is_none()) {
        // 1. Arrivals at t, in row order.
        for (i, j) in jobs.iter().enumerate() {
            if j.arrival == t {
                queue.push(i);
            }
        }
        // 2. The running job finished or its slice ended at t (RR: behind the arrivals).
        if let Some(r) = running {
            if left[r] == 0 {
                done[r] = Some(t);
                running = None;
            } else if let Policy::Rr(q) = policy {
                if slice_used == q {
                    queue.push(r);
                    running = None;
                }
            }
        }
        // 3. Preemption (SRTF, priority): only by a strictly better job.
        if let Some(r) = running {
            let better = |i: usize| match policy {
                Policy::Srtf => left[i] < left[r],
                Policy::Priority => jobs[i].priority > jobs[r].priority,
                _ => false,
            };
            if queue.iter().any(|&i| better(i)) {
                queue.push(r);
                running = None;
            }
        }
        // 4. The decision.
        if running.is_none() && !queue.is_empty() {
            let k = match policy {
                Policy::Fcfs => (0..queue.len()).min_by_key(|&k| tie(queue[k])).unwrap(),
                Policy::Rr(_) => 0,
                Policy::Sjf | Policy::Srtf => (0..queue.len())
                    .min_by_key(|&k| (left[queue[k]], tie(queue[k])))
                    .unwrap(),
                Policy::Priority => (0..queue.len())
                    .min_by_key(|&k| (std::cmp::Reverse(jobs[queue[k]].priority), tie(queue[k])))
                    .unwrap(),
            };
            let i = queue.remove(k);
            running = Some(i);
            slice_used = 0;
            first[i].get_or_insert(t);
        }
        // 5. One tick.
        if let Some(r) = running {
            left[r] -= 1;
            slice_used += 1;
        }
        t += 1;
    }
    let mut w = vec![];
    let mut ta = vec![];
    let mut resp = vec![];
    for (i, j) in jobs.iter().enumerate() {
        let turnaround = done[i].unwrap() - j.arrival;
        ta.push(turnaround);
        w.push(turnaround - j.burst);
        resp.push(first[i].unwrap() - j.arrival);
    }
    (w, ta, resp)
}

fn random_jobs(rng: &mut ChaCha8Rng) -> Vec<Job> {
    let n = 2 + (rng.next_u32() % 5) as usize;
    (0..n)
        .map(|_| Job {
            arrival: u64::from(rng.next_u32() % 8),
            burst: 1 + u64::from(rng.next_u32() % 7),
            priority: 1 + (rng.next_u32() % 3) as u8,
        })
        .collect()
}

fn core(policy: Policy, jobs: &[Job]) -> (Vec<u64>, Vec<u64>, Vec<u64>) {
    let (kind, q) = match policy {
        Policy::Fcfs => (SchedulerKind::Fcfs, 1000),
        Policy::Sjf => (SchedulerKind::Sjf, 1000),
        Policy::Srtf => (SchedulerKind::Srtf, 1000),
        Policy::Priority => (SchedulerKind::Priority, 1_000_000),
        Policy::Rr(q) => (SchedulerKind::RoundRobin, q),
    };
    let table: Vec<(u64, u64)> = jobs.iter().map(|j| (j.arrival, j.burst)).collect();
    let prio: Vec<u8> = jobs.iter().map(|j| j.priority).collect();
    run_textbook(kind, q, &table, Some(&prio))
}

/// `policy` on 400 random tables: the tables where the core's answer differs (at most 5
/// shown) and how many agreed.
fn check(name: &str, policy: Policy) {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut agree = 0;
    let mut failures = vec![];
    for _ in 0..400 {
        let jobs = random_jobs(&mut rng);
        let want = textbook(policy, &jobs);
        let got = core(policy, &jobs);
        if want == got {
            agree += 1;
        } else if failures.len() < 5 {
            failures.push(format!(
                "{jobs:?}:\n  textbook (waiting, turnaround, response) {want:?}\n  core {got:?}"
            ));
        }
    }
    assert!(
        agree == 400,
        "{name}: {agree}/400 tables agree\n{}",
        failures.join("\n")
    );
}

#[test]
fn fcfs_tables_match_the_textbook() {
    check("fcfs", Policy::Fcfs);
}

/// Arrivals at the instant a slice ends queue ahead of the job whose slice ended: with
/// decisions made before later operations at the same instant, q = 1 agreed on 60 of these.
#[test]
fn round_robin_tables_match_the_textbook() {
    for q in [1, 2, 3, 5] {
        check(&format!("rr q={q}"), Policy::Rr(q));
    }
}

#[test]
fn sjf_tables_match_the_textbook() {
    check("sjf", Policy::Sjf);
}

#[test]
fn srtf_tables_match_the_textbook() {
    check("srtf", Policy::Srtf);
}

/// Preemptive priority with a quantum no table reaches, so equal priorities never take turns.
#[test]
fn priority_tables_match_the_textbook() {
    check("priority", Policy::Priority);
}

/// The `textbook` preset as a user meets it: a VM created with nothing but its workload
/// reserves nothing, runs at 1 aa per ms (its `workloadAa` is its burst in ms), and switches
/// cost nothing.
#[test]
fn the_textbook_chassis_makes_workload_the_burst_in_ms() {
    let mut h = bioxen::Hypervisor::new(
        bioxen::HypervisorOptions::for_chassis("textbook").expect("a preset"),
    )
    .unwrap();
    assert_eq!(h.max_vms(), 1024);
    assert_eq!(h.switch_cost_ms(), 0);
    for (id, burst) in [("A", 7), ("B", 3)] {
        add(&mut h, id, &job(burst));
    }
    assert_eq!(h.resource_summary().ribosomes.allocated, 0.0);
    h.start_vm("A").unwrap();
    h.start_vm("B").unwrap();
    h.run_until(20).unwrap();
    let a = h.vm_status("A").unwrap();
    let b = h.vm_status("B").unwrap();
    // Default quantum 1 ms (30 run-offs of 0 ms, at least 1): A B A B A B A A A A.
    assert_eq!(h.scheduler_params().quantum_ms, 1);
    assert_eq!(
        (a.turnaround_time_ms, b.turnaround_time_ms),
        (Some(10), Some(6))
    );
    assert_eq!(h.metrics().overhead_percent, 0.0);
}
