//! Scheduler benchmarks (targets are checked here, never by timed tests):
//! - scheduling decisions per second for each policy at 4, 64 and 1024 runnable VMs
//!   (pick + charge through the `Scheduler` trait);
//! - one simulated hour of 64 VMs under each policy through the whole hypervisor;
//! - memory per VM outside the trace (a counting allocator), printed once.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use bioxen::scheduler::{AnyScheduler, Scheduler, SchedulerParams, TaskInfo};
use bioxen::{BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size() as isize, Ordering::Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size() as isize, Ordering::Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n as isize - l.size() as isize, Ordering::Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static A: Counting = Counting;

fn task(i: u32) -> TaskInfo {
    TaskInfo {
        weight: 256 + (i % 4) * 256,
        priority: 1 + (i % 10) as u8,
        cap_percent: 0,
        remaining_ms: 1_000_000_000 + i as u64,
        seq: i as u64,
        arrival_ms: 0,
    }
}

fn decisions(c: &mut Criterion) {
    let mut g = c.benchmark_group("decisions");
    g.throughput(Throughput::Elements(1));
    for kind in SchedulerKind::ALL {
        for n in [4u32, 64, 1024] {
            let params = SchedulerParams::with_quantum(100, 1);
            let mut s = AnyScheduler::new(kind, &params);
            let tasks: Vec<TaskInfo> = (0..n).map(task).collect();
            for i in 0..n {
                s.enqueue(i, &tasks[i as usize], 0);
            }
            let mut now = 0u64;
            g.bench_with_input(BenchmarkId::new(kind.as_str(), n), &n, |b, _| {
                b.iter(|| {
                    let d = s.pick(now).expect("runnable VMs");
                    let ran = d.max_run_ms.min(100);
                    now += ran;
                    s.charge(d.slot, ran, now, &tasks[d.slot as usize]);
                })
            });
        }
    }
    g.finish();
}

fn hypervisor_with(kind: SchedulerKind, n: u32) -> Hypervisor {
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: kind,
        max_vms: Some(n),
        quantum_ms: Some(60_000),
        seed: 5,
        trace_capacity: 1024,
        event_capacity: 1024,
        ..Default::default()
    })
    .expect("options");
    let cfg = VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(0),
        atp_percent: Some(0.0),
        memory_kb: Some(1),
        ..Default::default()
    };
    for i in 0..n {
        let id = format!("vm{i}");
        h.create_vm(&id, BiologicalType::Syn3a, VmType::Basic, &cfg)
            .expect("fits");
        h.start_vm(&id).expect("starts");
    }
    h
}

fn simulated_hour(c: &mut Criterion) {
    let mut g = c.benchmark_group("hour_64_vms");
    g.sample_size(20);
    for kind in SchedulerKind::ALL {
        g.bench_function(kind.as_str(), |b| {
            b.iter_batched(
                || hypervisor_with(kind, 64),
                |mut h| {
                    h.step(3_600_000).expect("step");
                    h
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn memory_per_vm(_c: &mut Criterion) {
    for kind in [
        SchedulerKind::RoundRobin,
        SchedulerKind::Eevdf,
        SchedulerKind::Credit,
        SchedulerKind::Lottery,
    ] {
        let before = LIVE.load(Ordering::Relaxed);
        let mut h = hypervisor_with(kind, 1024);
        h.step(3_600_000).expect("step");
        // The trace and the event log are bounded rings; measure them separately.
        let after = LIVE.load(Ordering::Relaxed);
        let empty_before = LIVE.load(Ordering::Relaxed);
        let e = hypervisor_with(kind, 1);
        let empty = LIVE.load(Ordering::Relaxed) - empty_before;
        drop(e);
        let rings = {
            let t = h.trace_since(0, usize::MAX).segments.len();
            let ev = h.events_since(0, usize::MAX).len();
            // Each trace segment: 40 bytes + its Arc'd id (shared); each event ≤ 96 bytes.
            (t * 48 + ev * 96) as isize
        };
        let per_vm = (after - before - empty - rings) as f64 / 1023.0;
        println!(
            "memory/vm {:<12} {per_vm:>7.0} bytes per VM outside the trace and event rings (1024 VMs)",
            kind.as_str()
        );
        drop(h);
    }
}

criterion_group!(benches, memory_per_vm, decisions, simulated_hour);
criterion_main!(benches);
