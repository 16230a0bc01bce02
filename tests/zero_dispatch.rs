//! A dispatch that lasts 0 ms is no dispatch: it neither sets a response time nor counts as a
//! context switch. Random operations at coinciding instants through the plain API (several
//! at one instant, `step(0)` and `run_until(now)` between them, preempting arrivals, pauses,
//! restarts, priority and policy changes at the instant of a decision), under every policy on
//! the textbook chassis; after every operation the counters must be what the trace shows:
//! - every VM holding the machinery has held it for more than 0 ms (a decision is made only
//!   when the clock leaves an instant, so no call ends with a dispatch begun at that instant);
//! - the context switches, in total and per VM, are the run segments whose VM differs from
//!   the previous run segment's;
//! - a VM has a response time exactly when it has run, and it is its first run's start minus
//!   its first start;
//! - its machinery time is the length of its run segments.

mod common;

use bioxen::chassis::ChassisKind;
use bioxen::trace::SegmentKind;
use bioxen::{Hypervisor, HypervisorOptions, SchedulerKind, SchedulingRequest};
use common::{add, job};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

const N: usize = 6;

fn check(h: &Hypervisor, first_start: &BTreeMap<String, u64>, what: &str) {
    let chunk = h.trace_since(0, usize::MAX);
    assert_eq!(chunk.dropped, 0);
    let mut runs: Vec<_> = chunk
        .segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Run)
        .cloned()
        .collect();
    match (h.current_vm(), &chunk.open) {
        (None, None) => {}
        (Some(vm), Some(open)) => {
            assert_eq!(&*open.vm, vm, "{what}");
            if open.kind == SegmentKind::Run {
                runs.push(open.clone());
            }
        }
        (Some(vm), None) => {
            panic!(
                "{what}: {vm} holds the machinery since now ({} ms)",
                h.now_ms()
            )
        }
        (None, Some(open)) => panic!("{what}: an open segment {open:?} without a holder"),
    }
    let mut switches: BTreeMap<&str, u64> = BTreeMap::new();
    let mut total = 0;
    for w in runs.windows(2) {
        assert!(w[0].end <= w[1].start, "{what}: overlapping {w:?}");
        if w[0].vm != w[1].vm {
            total += 1;
            *switches.entry(&w[1].vm).or_default() += 1;
        }
    }
    let m = h.metrics();
    assert_eq!(m.context_switches, total, "{what}: switches in total");
    for s in h.list_vms() {
        let mine: Vec<_> = runs.iter().filter(|r| *r.vm == *s.vm_id).collect();
        let id = &s.vm_id;
        assert_eq!(
            s.context_switches,
            switches.get(id.as_str()).copied().unwrap_or(0),
            "{what}: switches into {id}"
        );
        assert_eq!(
            s.machinery_time_ms,
            mine.iter().map(|r| r.end - r.start).sum::<u64>(),
            "{what}: machinery time of {id}"
        );
        let want = mine
            .first()
            .map(|r| r.start - first_start.get(id).copied().expect("started"));
        assert_eq!(s.response_time_ms, want, "{what}: response time of {id}");
    }
}

fn run(kind: SchedulerKind, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut h = Hypervisor::new(HypervisorOptions {
        quantum_ms: Some(1 + u64::from(rng.next_u32() % 3)),
        scheduler: kind,
        seed,
        ..HypervisorOptions::on_preset(ChassisKind::Textbook).unwrap()
    })
    .unwrap();
    let ids: Vec<String> = (0..N).map(|i| format!("P{i}")).collect();
    for id in &ids {
        let mut cfg = job(1 + u64::from(rng.next_u32() % 6));
        cfg.priority = Some(1 + (rng.next_u32() % 3) as u8);
        add(&mut h, id, &cfg);
    }
    let mut first_start: BTreeMap<String, u64> = BTreeMap::new();
    let mut log = vec![];
    for _ in 0..150 {
        let id = &ids[(rng.next_u32() as usize) % N];
        let now = h.now_ms();
        let op = rng.next_u32() % 11;
        let ok = match op {
            0 | 1 => h.start_vm(id).is_ok(),
            2 => h.pause_vm(id).is_ok(),
            3 => h.resume_vm(id).is_ok(),
            4 => h.stop_vm(id).is_ok(),
            5 => h.restart_vm(id).is_ok(),
            6 => h
                .set_scheduling(
                    id,
                    &SchedulingRequest {
                        priority: Some(1 + (rng.next_u32() % 3) as u8),
                        ..Default::default()
                    },
                )
                .is_ok(),
            7 => h.step(0).is_ok(),
            8 => h.run_until(now).is_ok(),
            9 => h.set_quantum(1 + u64::from(rng.next_u32() % 3)).is_ok(),
            _ => h.step(u64::from(rng.next_u32() % 3)).is_ok(),
        };
        if ok && matches!(op, 0 | 1 | 5) {
            first_start.entry(id.clone()).or_insert(now);
        }
        log.push(format!("{now}: op {op} {id} {ok}"));
        check(
            &h,
            &first_start,
            &format!("{kind} seed {seed}\n{}", log.join("\n")),
        );
    }
}

#[test]
fn no_zero_ms_dispatch_under_any_policy() {
    for kind in SchedulerKind::ALL {
        for seed in 0..40 {
            run(kind, seed);
        }
    }
}
