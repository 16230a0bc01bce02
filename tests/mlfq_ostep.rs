//! MLFQ against the simulator of OSTEP chapter 8 (`mlfq.py -c`, ostep-homework
//! cpu-sched-mlfq), for jobs without I/O.
//!
//! `ostep` below is an independent tick-by-tick model written from a reading of mlfq.py's main
//! loop and kept in its shape and numbering (queue `n − 1` is the top). Per tick `t`:
//! 1. boost, if `-B` > 0, `t` > 0 and `t` is a multiple of it: every lower queue, from queue 0
//!    (the bottom) up, is appended to the top queue in order; every unfinished job is then at
//!    the top with `ticksLeft = allotment[top]` (its allotment count is left alone);
//! 2. the jobs starting at `t` are appended to their queue (the top), in job-list order;
//! 3. the head of the highest non-empty queue runs one tick (idle if none); it stays the head
//!    of its queue while it runs, so a job arriving above it only delays it;
//! 4. after the tick: a finished job leaves; a job whose quantum is used up leaves the head,
//!    spends one of its allotment, and is appended to its queue with a fresh quantum, or, with
//!    no allotment left, to the queue below with that queue's quantum and allotment (the
//!    bottom queue keeps it, with fresh ones).
//!
//! Response = first run − start, turnaround = finish − start. The core is driven as the
//! process-table page drives it: the `textbook` chassis, a VM per job with `workloadAa` = its
//! burst, the clock stepped to each arrival, then `start_vm`.

mod common;

use bioxen::scheduler::MlfqBoostRule;
use bioxen::{SchedulerKind, SchedulerParams};
use common::{add, job, lab};

/// mlfq.py's options: quanta and allotments top queue first (as `-Q`/`-A` list them).
#[derive(Debug, Clone)]
struct Opts {
    quanta: Vec<u64>,
    allotments: Vec<u32>,
    boost: u64,
}

#[derive(Clone, Copy)]
struct PyJob {
    curr_pri: usize,
    ticks_left: i64,
    allot_left: i64,
    start: u64,
    time_left: u64,
    first_run: Option<u64>,
    end: Option<u64>,
}

/// (response, turnaround) per job, as mlfq.py -c reports them.
fn ostep(jobs: &[(u64, u64)], o: &Opts) -> Vec<(u64, u64)> {
    let n = o.quanta.len();
    let hi = n - 1;
    // mlfq.py keys quantum/allotment by its own queue number: queue hi is the list's first.
    let quantum = |q: usize| o.quanta[hi - q] as i64;
    let allotment = |q: usize| i64::from(o.allotments[hi - q]);
    let mut job: Vec<PyJob> = jobs
        .iter()
        .map(|&(start, run)| PyJob {
            curr_pri: hi,
            ticks_left: quantum(hi),
            allot_left: allotment(hi),
            start,
            time_left: run,
            first_run: None,
            end: None,
        })
        .collect();
    let mut queue: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut t = 0u64;
    let mut finished = 0;
    while finished < job.len() {
        if o.boost > 0 && t != 0 && t.is_multiple_of(o.boost) {
            for q in 0..hi {
                let moved = std::mem::take(&mut queue[q]);
                queue[hi].extend(moved);
            }
            for j in job.iter_mut().filter(|j| j.time_left > 0) {
                j.curr_pri = hi;
                j.ticks_left = allotment(hi);
            }
        }
        for (i, j) in job.iter().enumerate() {
            if j.start == t {
                queue[j.curr_pri].push(i);
            }
        }
        let Some(cq) = (0..n).rev().find(|&q| !queue[q].is_empty()) else {
            t += 1;
            continue;
        };
        let cj = queue[cq][0];
        assert_eq!(job[cj].curr_pri, cq);
        job[cj].time_left -= 1;
        job[cj].ticks_left -= 1;
        job[cj].first_run.get_or_insert(t);
        t += 1;
        if job[cj].time_left == 0 {
            job[cj].end = Some(t);
            finished += 1;
            queue[cq].remove(0);
            continue;
        }
        if job[cj].ticks_left == 0 {
            queue[cq].remove(0);
            job[cj].allot_left -= 1;
            if job[cj].allot_left == 0 {
                let to = cq.saturating_sub(1);
                job[cj].curr_pri = to;
                job[cj].ticks_left = quantum(to);
                job[cj].allot_left = allotment(to);
                queue[to].push(cj);
            } else {
                job[cj].ticks_left = quantum(cq);
                queue[cq].push(cj);
            }
        }
    }
    job.iter()
        .map(|j| {
            let (f, e) = (j.first_run.unwrap(), j.end.unwrap());
            (f - j.start, e - j.start)
        })
        .collect()
}

/// The core on the textbook chassis, driven like the process-table page.
fn core(jobs: &[(u64, u64)], o: &Opts) -> Vec<(u64, u64)> {
    let mut h = lab(SchedulerKind::Mlfq, o.quanta[0]);
    let mut p = SchedulerParams {
        mlfq_levels: o.quanta.len() as u8,
        mlfq_boost_ms: o.boost,
        mlfq_boost_rule: MlfqBoostRule::Ostep,
        ..SchedulerParams::with_quantum(o.quanta[0], 42)
    };
    p.mlfq_quanta_ms[..o.quanta.len()].copy_from_slice(&o.quanta);
    p.mlfq_allotments[..o.allotments.len()].copy_from_slice(&o.allotments);
    h.set_scheduler(SchedulerKind::Mlfq, Some(p)).unwrap();
    for (i, &(_, burst)) in jobs.iter().enumerate() {
        add(&mut h, &format!("J{i}"), &job(burst));
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| (jobs[i].0, i));
    for &i in &order {
        if jobs[i].0 > h.now_ms() {
            h.run_until(jobs[i].0).unwrap();
        }
        h.start_vm(&format!("J{i}")).unwrap();
    }
    let end = jobs.iter().map(|j| j.0).max().unwrap() + jobs.iter().map(|j| j.1).sum::<u64>();
    h.run_until(end + 1).unwrap();
    (0..jobs.len())
        .map(|i| {
            let s = h.vm_status(&format!("J{i}")).unwrap();
            (
                s.response_time_ms.expect("ran"),
                s.turnaround_time_ms.expect("finished"),
            )
        })
        .collect()
}

fn opts(quanta: &[u64], allotments: &[u32], boost: u64) -> Opts {
    Opts {
        quanta: quanta.to_vec(),
        allotments: allotments.to_vec(),
        boost,
    }
}

/// Both the model and the core give the hand-worked (response, turnaround) per job.
fn hand(jobs: &[(u64, u64)], o: &Opts, want: &[(u64, u64)]) {
    assert_eq!(ostep(jobs, o), want, "model vs hand, {o:?}");
    assert_eq!(core(jobs, o), want, "core vs hand, {o:?}");
}

#[test]
fn hand_worked_late_arrival() {
    // OSTEP fig. 8.3's shape, `-n 3 -q 10 -l 0,200,0:100,20,0`: A runs 0-10 (top), 10-20
    // (middle), 20-100 at the bottom; B arrives at 100 (A's bottom quantum ends there), runs
    // 100-110 and 110-120 and is done; A finishes its last 100 ms 120-220.
    hand(
        &[(0, 200), (100, 20)],
        &opts(&[10, 10, 10], &[1, 1, 1], 0),
        &[(0, 220), (0, 20)],
    );
}

#[test]
fn hand_worked_preempted_job_keeps_the_head_of_its_queue() {
    // `-Q 10,10 -l 0,40,0:0,40,0:25,10,0`. A 0-10, C 10-20 at the top, both drop: bottom
    // [A, C]. A runs from 20; B arrives at 25 and preempts it: A keeps the head with 5 ms of
    // its quantum. B 25-35 done. A 35-40 (the rest), then C 40-50, A 50-60, C 60-70, A 70-80
    // done, C 80-90 done. (Sent to the back instead, A would follow C: C 35-45, A 45-55...)
    hand(
        &[(0, 40), (0, 40), (25, 10)],
        &opts(&[10, 10], &[1, 1], 0),
        &[(0, 80), (10, 90), (0, 10)],
    );
}

#[test]
fn hand_worked_quantum_end_queues_before_an_arrival_at_that_instant() {
    // `-n 1 -q 5 -l 0,10,0:5,5,0`: at 5 A's quantum ends and A is appended first (mlfq.py does
    // the bookkeeping of the tick before the arrivals of the next), then B: A 5-10, B 10-15.
    // (The core's round robin states the other rule: there an arrival queues first.)
    hand(
        &[(0, 10), (5, 5)],
        &opts(&[5], &[1], 0),
        &[(0, 10), (5, 10)],
    );
}

#[test]
fn hand_worked_boost() {
    // `-n 2 -q 10 -B 30 -l 0,40,0:0,40,0:35,10,0` (allotment 1):
    // A 0-10, B 10-20 at the top; bottom A 20-30, queue [B, A].
    // Boost at 30: the bottom [B, A] joins the (empty) top, and every job's quantum becomes
    // allotment[top] = 1 tick, also C's, which has not arrived. B 30-31 and A 31-32 use it and
    // drop: bottom [B, A]. B 32-35; C arrives at 35 and preempts (B keeps the head, 7 left of
    // its quantum of 10). C 35-36 uses its 1 tick and drops: bottom [B, A, C]. B 36-43, A
    // 43-53, C 53-60 (2 left). Boost at 60: [C, B, A] on top, 1 tick each: C 60-61, B 61-62,
    // A 62-63, all drop: bottom [C, B, A]. C 63-64 done, B 64-74, A 74-82 done (its last 8),
    // B 82-90 done.
    hand(
        &[(0, 40), (0, 40), (35, 10)],
        &opts(&[10, 10], &[1, 1], 30),
        &[(0, 82), (10, 90), (0, 29)],
    );
}

#[test]
fn hand_worked_boost_while_the_top_queue_runs() {
    // `-n 2 -q 10 -B 30 -l 0,40,0:0,40,0:25,10,0` (the process-table e2e's case): A 0-10,
    // C 10-20, bottom [A, C]; A 20-25, B arrives and preempts. Boost at 30: B, the top's head
    // mid-quantum, keeps its place, then the bottom's A, C; every quantum becomes 1 tick: B
    // 30-31, A 31-32, C 32-33, all drop: bottom [B, A, C]. B 33-37 done, A 37-47, C 47-57,
    // A 57-60; boost at 60: A 60-61, C 61-62, A 62-72 done, C 72-90 done.
    hand(
        &[(0, 40), (0, 40), (25, 10)],
        &opts(&[10, 10], &[1, 1], 30),
        &[(0, 72), (10, 90), (0, 12)],
    );
}

#[test]
fn hand_worked_allotments() {
    // `-Q 2,4 -A 2,1 -l 0,9,0:1,3,0`: A 0-2, its first top quantum (B arrives at 1 behind it);
    // A has one quantum of allotment left and goes behind B. B 2-4, then A 4-6 (its second top
    // quantum), which drops it; B 6-7 done. A at the bottom 7-11 (a quantum of 4), 11-12 done.
    // A: response 0, turnaround 12; B: response 1, turnaround 6.
    hand(
        &[(0, 9), (1, 3)],
        &opts(&[2, 4], &[2, 1], 0),
        &[(0, 12), (1, 6)],
    );
}

/// xorshift64*, seeded: the job lists are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

#[test]
fn agrees_with_the_simulator_on_random_job_lists() {
    let mut rng = Rng(0x0057_ee9c_a11e_5eed);
    let (mut with_boost, mut later) = (0, 0);
    for case in 0..300 {
        let levels = rng.range(1, 4) as usize;
        let quanta: Vec<u64> = if rng.next().is_multiple_of(3) {
            vec![rng.range(1, 8); levels] // -q
        } else {
            (0..levels).map(|_| rng.range(1, 10)).collect() // -Q
        };
        let allotments: Vec<u32> = if rng.next().is_multiple_of(3) {
            vec![1; levels] // -a 1
        } else {
            (0..levels).map(|_| rng.range(1, 3) as u32).collect() // -A
        };
        let boost = if rng.next().is_multiple_of(2) {
            0
        } else {
            rng.range(3, 40)
        };
        let n = rng.range(1, 6) as usize;
        let spread = rng.range(0, 40);
        let jobs: Vec<(u64, u64)> = (0..n)
            .map(|_| {
                // Arrivals on a coarse grid often coincide, and with quantum ends.
                let a = if rng.next().is_multiple_of(2) {
                    rng.range(0, spread)
                } else {
                    rng.range(0, spread / 5) * 5
                };
                (a, rng.range(1, 30))
            })
            .collect();
        let o = Opts {
            quanta,
            allotments,
            boost,
        };
        with_boost += usize::from(boost > 0);
        later += usize::from(jobs.iter().any(|j| j.0 > 0));
        assert_eq!(
            core(&jobs, &o),
            ostep(&jobs, &o),
            "case {case}: jobs (arrival, burst) {jobs:?}, {o:?}"
        );
    }
    assert!(with_boost > 100 && later > 200, "{with_boost} {later}");
}
