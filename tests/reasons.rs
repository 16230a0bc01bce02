//! "Why did this VM run?": every dispatch carries the scheduler's reason, and the numbers in
//! it are checked here against facts worked out independently from the run's own Gantt
//! chart (who had arrived and not finished, what each job had received so far), not read back
//! from the policy: the candidates at a decision at t are the jobs arrived by t that finish
//! after t (a job arriving at t takes part in the decision made at t).

mod common;

use bioxen::scheduler::credit::CreditPriority;
use bioxen::scheduler::reason::{Reason, Tie};
use bioxen::trace::{EventKind, Segment, SegmentKind};
use bioxen::{Hypervisor, SchedulerKind};
use common::{add, hog, job, lab};

/// Run `(arrival, burst, priority)` jobs P1.. to completion; returns the hypervisor and the
/// run segments with their reasons.
fn run_table(
    kind: SchedulerKind,
    quantum: u64,
    jobs: &[(u64, u64, u8)],
) -> (Hypervisor, Vec<Segment>) {
    let mut h = lab(kind, quantum);
    for (i, &(_, burst, prio)) in jobs.iter().enumerate() {
        let mut cfg = job(burst);
        cfg.priority = Some(prio);
        add(&mut h, &format!("P{}", i + 1), &cfg);
    }
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| (jobs[i].0, i));
    for &i in &order {
        if jobs[i].0 > h.now_ms() {
            h.run_until(jobs[i].0).unwrap();
        }
        h.start_vm(&format!("P{}", i + 1)).unwrap();
    }
    let end = jobs.iter().map(|j| j.0 + j.1).max().unwrap() + jobs.iter().map(|j| j.1).sum::<u64>();
    h.run_until(end).unwrap();
    let runs = runs(&h);
    (h, runs)
}

fn runs(h: &Hypervisor) -> Vec<Segment> {
    let chunk = h.trace_since(0, usize::MAX);
    assert_eq!(chunk.dropped, 0);
    chunk
        .segments
        .into_iter()
        .filter(|s| s.kind == SegmentKind::Run)
        .collect()
}

fn idx(s: &Segment) -> usize {
    s.vm[1..].parse::<usize>().unwrap() - 1
}

/// Finish time of each job: the end of its last run segment.
fn finishes(runs: &[Segment], n: usize) -> Vec<u64> {
    let mut f = vec![0; n];
    for s in runs {
        f[idx(s)] = s.end;
    }
    f
}

/// Jobs that had arrived by `t` and were not finished at `t`.
fn candidates(jobs: &[(u64, u64, u8)], fin: &[u64], t: u64) -> Vec<usize> {
    (0..jobs.len())
        .filter(|&j| jobs[j].0 <= t && fin[j] > t)
        .collect()
}

/// Machinery time job `j` received before `t`.
fn received(runs: &[Segment], j: usize, t: u64) -> u64 {
    runs.iter()
        .filter(|s| idx(s) == j && s.end <= t)
        .map(|s| s.end - s.start)
        .sum()
}

const TABLE: &[(u64, u64, u8)] = &[
    (0, 7, 2),
    (0, 4, 3),
    (2, 4, 3),
    (2, 4, 1),
    (9, 4, 2),
    (9, 2, 3),
];

#[test]
fn fcfs_and_round_robin_count_the_queue() {
    for (kind, q) in [(SchedulerKind::Fcfs, 1000), (SchedulerKind::RoundRobin, 3)] {
        let (_, runs) = run_table(kind, q, TABLE);
        let fin = finishes(&runs, TABLE.len());
        assert!(runs.len() >= TABLE.len());
        for s in &runs {
            let waiting = candidates(TABLE, &fin, s.start).len() as u32;
            let want = match kind {
                SchedulerKind::Fcfs => Reason::FirstInLine { waiting },
                _ => Reason::NextInQueue { waiting },
            };
            assert_eq!(s.reason, Some(want), "{kind} at {}", s.start);
        }
        let text = runs[0].reason.unwrap().to_string();
        assert!(text.contains("of 2 waiting"), "{text}");
    }
}

/// SJF and SRTF: the chosen job's remaining work is its burst less what it received, the
/// least among the candidates; the tie is named when another candidate had as little.
#[test]
fn shortest_names_the_remaining_work_and_the_tie() {
    for (kind, preemptive) in [(SchedulerKind::Sjf, false), (SchedulerKind::Srtf, true)] {
        let (_, runs) = run_table(kind, 1000, TABLE);
        let fin = finishes(&runs, TABLE.len());
        let mut ties = 0;
        for s in &runs {
            let t = s.start;
            let left = |j: usize| TABLE[j].1 - received(&runs, j, t);
            let me = idx(s);
            let cands = candidates(TABLE, &fin, t);
            let best = cands.iter().map(|&j| left(j)).min().unwrap();
            assert_eq!(left(me), best, "{kind} at {t}");
            let equal: Vec<usize> = cands
                .iter()
                .copied()
                .filter(|&j| j != me && left(j) == best)
                .collect();
            let tie = match equal.iter().map(|&j| TABLE[j].0).min() {
                None => Tie::None,
                Some(a) if a == TABLE[me].0 => Tie::Order,
                Some(_) => Tie::Arrival,
            };
            ties += usize::from(tie != Tie::None);
            assert_eq!(
                s.reason,
                Some(Reason::Shortest {
                    remaining_ms: Some(best),
                    waiting: cands.len() as u32,
                    preemptive,
                    tie
                }),
                "{kind} at {t}"
            );
        }
        assert!(ties > 0, "{kind}: the table has ties");
    }
}

#[test]
fn priority_names_the_highest_and_the_tie() {
    let (_, runs) = run_table(SchedulerKind::Priority, 1000, TABLE);
    let fin = finishes(&runs, TABLE.len());
    for s in &runs {
        let me = idx(s);
        let cands = candidates(TABLE, &fin, s.start);
        let best = cands.iter().map(|&j| TABLE[j].2).max().unwrap();
        assert_eq!(TABLE[me].2, best);
        let equal: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&j| j != me && TABLE[j].2 == best)
            .collect();
        let tie = match equal.iter().map(|&j| TABLE[j].0).min() {
            None => Tie::None,
            Some(a) if a == TABLE[me].0 => Tie::Order,
            Some(_) => Tie::Arrival,
        };
        assert_eq!(
            s.reason,
            Some(Reason::Priority {
                priority: u64::from(best),
                base: best,
                waiting: cands.len() as u32,
                tie
            }),
            "at {}",
            s.start
        );
    }
    assert_eq!(
        runs[0].reason.unwrap().to_string(),
        "priority 3, highest of 2"
    );
}

/// MLFQ (quantum 10, three levels): the level and the allotment left (quantum × 2^level minus
/// what was used at that level), replayed from the Gantt chart.
#[test]
fn mlfq_names_the_queue_and_the_allotment_left() {
    let jobs: &[(u64, u64, u8)] = &[(0, 75, 5), (15, 30, 5), (40, 12, 5), (41, 5, 5)];
    let (_, runs) = run_table(SchedulerKind::Mlfq, 10, jobs);
    let fin = finishes(&runs, jobs.len());
    assert!(
        *fin.iter().max().unwrap() < 200,
        "no boost (every 200 ms) inside the run"
    );
    let (mut level, mut used) = (vec![0u8; jobs.len()], vec![0u64; jobs.len()]);
    let mut below_top = 0;
    for s in &runs {
        let j = idx(s);
        let allot = 10u64 << level[j];
        let left = allot - used[j];
        assert!(s.end - s.start <= left);
        below_top += usize::from(level[j] > 0 && used[j] > 0);
        assert_eq!(
            s.reason,
            Some(Reason::Mlfq {
                level: level[j],
                allotment_left_ms: left,
                waiting: candidates(jobs, &fin, s.start).len() as u32
            }),
            "at {}",
            s.start
        );
        used[j] += s.end - s.start;
        if used[j] >= allot {
            level[j] = (level[j] + 1).min(2);
            used[j] = 0;
        }
    }
    assert!(
        below_top > 0,
        "some job resumed a part-used allotment below the top"
    );
}

/// Lottery: the winning ticket lies in the winner's range when the tickets (= weights) of
/// the runnable VMs are laid out in slot (creation) order.
#[test]
fn lottery_ticket_lies_in_the_winners_range() {
    let weights = [100u32, 300, 600];
    let mut h = lab(SchedulerKind::Lottery, 10);
    for (i, &w) in weights.iter().enumerate() {
        add(&mut h, &format!("P{}", i + 1), &hog(w));
        h.start_vm(&format!("P{}", i + 1)).unwrap();
    }
    h.run_until(2000).unwrap();
    let runs = runs(&h);
    assert!(runs.len() >= 150);
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    for s in &runs {
        let j = idx(s);
        let from: u64 = weights[..j].iter().map(|&w| u64::from(w)).sum();
        let held = u64::from(weights[j]);
        match s.reason {
            Some(Reason::Lottery {
                ticket,
                total: t,
                held: hd,
            }) => {
                assert_eq!((t, hd), (total, held));
                assert!(
                    (from..from + held).contains(&ticket),
                    "ticket {ticket} for P{}",
                    j + 1
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

/// Credit (512:256, slice 30): credit replayed from the Gantt chart. Each run of r ms hands r
/// out to both in proportion to weight and debits r from the runner (clipped at −30); a VM's
/// first dispatch after it starts is BOOST, then UNDER at credit ≥ 0, else OVER.
#[test]
fn credit_names_the_class_and_the_credit() {
    let weights = [512.0f64, 256.0];
    let mut h = lab(SchedulerKind::Credit, 30);
    for (i, w) in weights.iter().enumerate() {
        add(&mut h, &format!("P{}", i + 1), &hog(*w as u32));
        h.start_vm(&format!("P{}", i + 1)).unwrap();
    }
    h.run_until(3000).unwrap();
    let runs = runs(&h);
    let mut credit = [0.0f64; 2];
    let mut charged = [false; 2];
    let mut classes = std::collections::BTreeSet::new();
    for s in &runs {
        let j = idx(s);
        let want = if !charged[j] {
            CreditPriority::Boost
        } else if credit[j] >= 0.0 {
            CreditPriority::Under
        } else {
            CreditPriority::Over
        };
        match s.reason {
            Some(Reason::Credit {
                class,
                credit_us,
                waiting,
                ..
            }) => {
                assert_eq!(class, want, "at {}", s.start);
                assert!(
                    (credit_us as f64 - credit[j] * 1000.0).abs() <= 2.0,
                    "at {}: {credit_us} vs {}",
                    s.start,
                    credit[j]
                );
                assert_eq!(waiting, 2);
                classes.insert(format!("{class:?}"));
            }
            other => panic!("{other:?}"),
        }
        let r = (s.end - s.start) as f64;
        for (k, c) in credit.iter_mut().enumerate() {
            *c += r * weights[k] / 768.0;
        }
        credit[j] = (credit[j] - r).max(-30.0);
        charged[j] = true;
    }
    // With two VMs credit sums to zero, so one is always UNDER: OVER never runs here.
    assert_eq!(classes.len(), 2, "BOOST and UNDER both seen: {classes:?}");
}

/// EEVDF (weights 1024:2048:3072, all from 0): a VM's lag is what it is owed, its weight's
/// share of all service so far less its own service; the chosen VM is eligible (lag ≥ 0).
#[test]
fn eevdf_names_a_non_negative_lag() {
    let weights = [1024.0f64, 2048.0, 3072.0];
    let mut h = lab(SchedulerKind::Eevdf, 9);
    for (i, w) in weights.iter().enumerate() {
        add(&mut h, &format!("P{}", i + 1), &hog(*w as u32));
        h.start_vm(&format!("P{}", i + 1)).unwrap();
    }
    h.run_until(1000).unwrap();
    let runs = runs(&h);
    let mut service = [0.0f64; 3];
    let mut positive = 0;
    for s in &runs {
        let j = idx(s);
        let all: f64 = service.iter().sum();
        let lag = all * weights[j] / 6144.0 - service[j];
        match s.reason {
            Some(Reason::Eevdf { lag_us, waiting }) => {
                assert!(lag_us >= 0);
                assert!(
                    (lag_us as f64 - lag * 1000.0).abs() <= 1.0,
                    "at {}: {lag_us} vs {lag}",
                    s.start
                );
                assert_eq!(waiting, 3);
                positive += usize::from(lag_us > 0);
            }
            other => panic!("{other:?}"),
        }
        service[j] += (s.end - s.start) as f64;
    }
    assert!(positive > 0);
}

/// The event log's context switches carry the same reason as the run that follows; a
/// snapshot keeps reasons and restores to the same snapshot, bit for bit.
#[test]
fn events_carry_the_reason_and_snapshots_keep_it() {
    let (h, runs) = run_table(SchedulerKind::Srtf, 1000, TABLE);
    let switches: Vec<_> = h
        .events_since(0, usize::MAX)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::ContextSwitch { reason, .. } => Some((e.time_ms, e.vm.unwrap(), reason)),
            _ => None,
        })
        .collect();
    assert!(!switches.is_empty());
    for (t, vm, reason) in &switches {
        let seg = runs
            .iter()
            .find(|s| s.start == *t && s.vm == *vm)
            .expect("a run follows");
        assert_eq!(*reason, seg.reason);
    }
    let json = serde_json::to_string(&h.events_since(0, usize::MAX)).unwrap();
    assert!(json.contains(r#""reason":"shortest remaining: "#), "{json}");
    let snap = h.snapshot();
    assert!(snap.contains("\"shortest\""));
    let back = Hypervisor::restore(&snap).unwrap();
    assert_eq!(back.snapshot(), snap);
    assert_eq!(
        back.trace_since(0, usize::MAX),
        h.trace_since(0, usize::MAX)
    );
}

/// A snapshot written before reasons existed (no reason fields) still restores.
#[test]
fn snapshots_without_reasons_restore() {
    let (h, _) = run_table(SchedulerKind::RoundRobin, 3, TABLE);
    let mut v: serde_json::Value = serde_json::from_str(&h.snapshot()).unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("reason");
                m.remove("why");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    // Positional records (segments, the dispatch in progress) end in the reason: drop it.
    let mut old = v.to_string();
    let tag = r#",{"next_in_queue":["#;
    while let Some(at) = old.find(tag) {
        let end = at + old[at..].find("]}").unwrap() + 2;
        old.replace_range(at..end, "");
    }
    assert!(!old.contains("next_in_queue"));
    let back = Hypervisor::restore(&old).unwrap();
    assert!(back
        .trace_since(0, usize::MAX)
        .segments
        .iter()
        .all(|s| s.reason.is_none()));
}
