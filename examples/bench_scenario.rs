//! The native half of `node bench/`: runs the benchmark scenario (the same operations that
//! bench/index.mjs runs through the wasm package) and prints one JSON line with its timings
//! and a checksum of the results, so the two runs can be compared.
//!
//! Usage: cargo run --release --example bench_scenario -- [--reps N]

use std::time::Instant;

use bioxen::{BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, VmConfig, VmType};

/// Keep in step with `scenario()` in bench/index.mjs.
const SCHEDULERS: [SchedulerKind; 4] = [
    SchedulerKind::RoundRobin,
    SchedulerKind::Credit,
    SchedulerKind::Eevdf,
    SchedulerKind::Lottery,
];
const VMS: u32 = 64;
const HOUR_MS: u64 = 3_600_000;
/// One-hour step() calls before and after half of the VMs are destroyed.
const STEPS: u32 = 300;

#[derive(Default, Debug, Clone, Copy, PartialEq)]
struct Checksum {
    now_ms: u64,
    decisions: u64,
    context_switches: u64,
    completed_cycles: u64,
    machinery_ms: u64,
}

/// One scheduler's part of the scenario.
fn run(kind: SchedulerKind) -> Checksum {
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: kind,
        max_vms: Some(VMS),
        seed: 42,
        quantum_ms: Some(30_000),
        context_switch_ms: Some(1_000),
        ..Default::default()
    })
    .expect("valid options");
    for i in 0..VMS {
        let id = format!("vm{i}");
        let cfg = VmConfig {
            ribosomes: Some(0),
            rna_polymerase: Some(0),
            atp_percent: Some(0.0),
            memory_kb: Some(1),
            workload_aa: Some(500_000_000),
            weight: Some(64 + 16 * i),
            ..Default::default()
        };
        h.create_vm(&id, BiologicalType::Syn3a, VmType::Basic, &cfg)
            .expect("create");
        h.start_vm(&id).expect("start");
    }
    for _ in 0..STEPS {
        h.step(HOUR_MS).expect("step");
    }
    for i in (0..VMS).step_by(2) {
        h.destroy_vm(&format!("vm{i}")).expect("destroy");
    }
    for _ in 0..STEPS {
        h.step(HOUR_MS).expect("step");
    }
    let m = h.metrics();
    Checksum {
        now_ms: m.now_ms,
        decisions: m.decisions,
        context_switches: m.context_switches,
        completed_cycles: m.completed_cycles,
        machinery_ms: m.per_vm.iter().map(|v| v.machinery_time_ms).sum::<u64>(),
    }
}

/// The whole scenario: every scheduler in turn; returns the summed checksum and the time
/// of each scheduler's part in ms.
fn scenario() -> (Checksum, Vec<f64>) {
    let mut sum = Checksum::default();
    let mut times = Vec::new();
    for kind in SCHEDULERS {
        let t = Instant::now();
        let c = run(kind);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        sum.now_ms += c.now_ms;
        sum.decisions += c.decisions;
        sum.context_switches += c.context_switches;
        sum.completed_cycles += c.completed_cycles;
        sum.machinery_ms += c.machinery_ms;
    }
    (sum, times)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args
        .iter()
        .position(|a| a == "--reps")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let (first, _) = scenario(); // warm-up, and the reference result
    let mut ms = Vec::with_capacity(reps);
    let mut best = [f64::INFINITY; SCHEDULERS.len()];
    for _ in 0..reps {
        let t = Instant::now();
        let (c, parts) = scenario();
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(c, first, "the scenario is deterministic");
        for (b, p) in best.iter_mut().zip(parts) {
            *b = b.min(p);
        }
    }
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    let list: Vec<String> = ms.iter().map(|x| format!("{x:.3}")).collect();
    let parts: Vec<String> = SCHEDULERS
        .iter()
        .zip(best)
        .map(|(k, b)| format!("\"{}\":{b:.3}", k.as_str()))
        .collect();
    println!(
        "{{\"reps\":{reps},\"ms\":[{}],\"bestMs\":{:.3},\"medianMs\":{:.3},\"bestMsByScheduler\":{{{}}},\"checksum\":{{\"nowMs\":{},\"decisions\":{},\"contextSwitches\":{},\"completedCycles\":{},\"machineryMs\":{}}}}}",
        list.join(","),
        sorted[0],
        sorted[sorted.len() / 2],
        parts.join(","),
        first.now_ms,
        first.decisions,
        first.context_switches,
        first.completed_cycles,
        first.machinery_ms,
    );
}
