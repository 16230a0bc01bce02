//! Issue 17's table, measured through the real hypervisor on the E. coli chassis (20 s
//! context switch): for credit, EEVDF and lottery at quanta of 1, 2, 10 and 60 min,
//!
//! * without caps: two always-runnable VMs weighted 512:256 (the ratio of the machinery time
//!   they receive, and the switch overhead), and 256:512:1024 (each VM's machinery time over
//!   the smallest's);
//! * with caps: a VM weighted 4096 capped at 20 % beside an uncapped one weighted 256 (each
//!   one's share of elapsed time, the switch overhead, and the time the machinery sat idle).
//!
//! `cargo run --release --example credit_shares [hours]` (default 100 simulated hours).

use bioxen::trace::SegmentKind;
use bioxen::{
    BiologicalType, Hypervisor, HypervisorOptions, SchedulerKind, SystemMetrics, VmConfig, VmType,
};

const MIN: u64 = 60_000;

fn hog(weight: u32, cap: u32) -> VmConfig {
    VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(0),
        atp_percent: Some(0.0),
        memory_kb: Some(1),
        workload_aa: Some(1_000_000_000_000),
        weight: Some(weight),
        cap: Some(cap),
        ..Default::default()
    }
}

fn ecoli(kind: SchedulerKind, quantum_ms: u64) -> Hypervisor {
    Hypervisor::new(HypervisorOptions {
        scheduler: kind,
        quantum_ms: Some(quantum_ms),
        seed: 1,
        ..Default::default()
    })
    .expect("E. coli options are valid")
}

/// Run always-runnable VMs `(weight, cap)` for `hours` on E. coli.
fn run_hv(kind: SchedulerKind, quantum_ms: u64, vms: &[(u32, u32)], hours: u64) -> Hypervisor {
    let mut h = ecoli(kind, quantum_ms);
    for (i, &(w, cap)) in vms.iter().enumerate() {
        let id = format!("vm{i}");
        h.create_vm(&id, BiologicalType::Syn3a, VmType::Basic, &hog(w, cap))
            .expect("a VM without reservation fits");
        h.start_vm(&id).expect("created VMs start");
    }
    h.run_until(hours * 3_600_000)
        .expect("within the time limit");
    h
}

/// The final metrics of [`run_hv`].
fn run(kind: SchedulerKind, quantum_ms: u64, vms: &[(u32, u32)], hours: u64) -> SystemMetrics {
    run_hv(kind, quantum_ms, vms, hours).metrics()
}

/// Over the run segments from `from_ms` on: after how many slices (and how many hours) the
/// share of machinery time each VM has received since `from_ms` stays within `band` of
/// weight ÷ Σ weight for good (`None` if it never settles).
fn convergence(h: &Hypervisor, weights: &[u32], from_ms: u64, band: f64) -> Option<(usize, f64)> {
    let total: u32 = weights.iter().sum();
    let ids = h.vm_ids();
    let mut got = vec![0u64; ids.len()];
    let mut settled = Some((0, 0.0));
    let segments = h.trace_since(0, usize::MAX).segments;
    let runs = segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Run && s.start >= from_ms);
    for (n, s) in runs.enumerate() {
        let i = ids.iter().position(|id| **id == *s.vm)?;
        got[i] += s.end - s.start;
        let sum: u64 = got.iter().sum();
        let off = got
            .iter()
            .zip(weights)
            .any(|(&g, &w)| (g as f64 / sum as f64 - f64::from(w) / f64::from(total)).abs() > band);
        if off {
            settled = None;
        } else if settled.is_none() {
            settled = Some((n + 1, (s.end - from_ms) as f64 / 3_600_000.0));
        }
    }
    settled
}

fn main() {
    let hours: u64 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("hours: a whole number"))
        .unwrap_or(100);
    let kinds = [
        SchedulerKind::Credit,
        SchedulerKind::Eevdf,
        SchedulerKind::Lottery,
    ];
    let quanta = [1, 2, 10, 60];
    println!("E. coli, 20 s switch, {hours} simulated hours\n");
    println!("Without caps: 512:256 ratio (overhead %) | 256:512:1024 over the smallest");
    println!("| quantum | policy | 512:256 | overhead | 256:512:1024 |");
    println!("|---|---|---|---|---|");
    for q in quanta {
        for kind in kinds {
            let m = run(kind, q * MIN, &[(512, 0), (256, 0)], hours);
            let ratio = m.per_vm[0].machinery_time_ms as f64 / m.per_vm[1].machinery_time_ms as f64;
            let m3 = run(kind, q * MIN, &[(256, 0), (512, 0), (1024, 0)], hours);
            let base = m3.per_vm[0].machinery_time_ms as f64;
            let r3: Vec<String> = m3
                .per_vm
                .iter()
                .map(|v| format!("{:.3}", v.machinery_time_ms as f64 / base))
                .collect();
            println!(
                "| {q} min | {} | {ratio:.3} | {:.1} % | {} |",
                kind.as_str(),
                m.overhead_percent,
                r3.join(" : ")
            );
        }
    }
    println!(
        "\nWith caps: weight 4096 cap 20 % beside weight 256 uncapped (share of elapsed time)"
    );
    println!("| quantum | policy | capped | uncapped | overhead | idle |");
    println!("|---|---|---|---|---|---|");
    for q in quanta {
        for kind in kinds {
            let m = run(kind, q * MIN, &[(4096, 20), (256, 0)], hours);
            let elapsed = m.now_ms as f64;
            let share = |i: usize| 100.0 * m.per_vm[i].machinery_time_ms as f64 / elapsed;
            // Rounding leaves ±1e-14 where nothing idled.
            let idle = (100.0 - 100.0 * m.machinery_busy - m.overhead_percent).abs();
            println!(
                "| {q} min | {} | {:.1} % | {:.1} % | {:.1} % | {:.1} % |",
                kind.as_str(),
                share(0),
                share(1),
                m.overhead_percent,
                idle
            );
        }
    }
    println!(
        "\nConvergence under credit (slices until every share stays within 2 points, and hours)"
    );
    println!("| quantum | 512:256 | 256:512:1024 | rr-vs-credit preset, from its switch at 3 h |");
    println!("|---|---|---|---|");
    let mut columns = Vec::new();
    for q in quanta {
        let mut cells = Vec::new();
        for weights in [&[512, 256][..], &[256, 512, 1024][..]] {
            let vms: Vec<(u32, u32)> = weights.iter().map(|&w| (w, 0)).collect();
            let h = run_hv(SchedulerKind::Credit, q * MIN, &vms, hours);
            cells.push(convergence(&h, weights, 0, 0.02));
        }
        let (h, column, overhead) = preset(q, hours);
        cells.push(convergence(&h, &[256, 512, 1024], 3 * HOUR, 0.02));
        columns.push((q, column, overhead));
        let cell = |c: &Option<(usize, f64)>| match c {
            Some((n, t)) => format!("{n} slices ({t:.2} h)"),
            None => "never".to_string(),
        };
        println!(
            "| {q} min | {} | {} | {} |",
            cell(&cells[0]),
            cell(&cells[1]),
            cell(&cells[2])
        );
    }
    println!("\nThe rr-vs-credit preset's share column (machinery time ÷ runnable time since 0,");
    println!("round robin's 3 h included): hours after the switch until every VM's stays within 2 points");
    println!("of 1/7, 2/7, 4/7 of what the switches leave, and the switch overhead under credit");
    println!("| quantum | column settled | overhead |");
    println!("|---|---|---|");
    for (q, column, overhead) in columns {
        let c = column.map_or("never".to_string(), |t| format!("{t:.2} h"));
        println!("| {q} min | {c} | {overhead:.1} % |");
    }
}

const HOUR: u64 = 3_600_000;

/// The rr-vs-credit preset at quantum `q` min: light (syn3a) 256, medium (ecoli) 512, heavy
/// (yeast) 1024 with their types' default reservations, round robin until 3 h, then credit
/// for `hours`. Returns the hypervisor, the hours after the switch from which the share
/// column (each VM's machinery time ÷ runnable time since 0) stays within 2 points of its
/// weight share for good (checked every tenth of a quantum), and the overhead under credit.
fn preset(q: u64, hours: u64) -> (Hypervisor, Option<f64>, f64) {
    let mut h = ecoli(SchedulerKind::RoundRobin, q * MIN);
    let types = [
        ("light", BiologicalType::Syn3a, 256),
        ("medium", BiologicalType::Ecoli, 512),
        ("heavy", BiologicalType::Yeast, 1024),
    ];
    for (id, bio, w) in types {
        let cfg = VmConfig {
            weight: Some(w),
            ..Default::default()
        };
        h.create_vm(id, bio, VmType::Basic, &cfg)
            .expect("the preset fits");
        h.start_vm(id).expect("starts");
    }
    h.run_until(3 * HOUR).expect("in range");
    h.set_scheduler(SchedulerKind::Credit, None)
        .expect("credit");
    let (switches0, t0) = (h.metrics().overhead_percent, 3 * HOUR);
    let overhead_before = switches0 / 100.0 * t0 as f64;
    let end = (3 + hours) * HOUR;
    let mut column = Vec::new();
    while h.now_ms() < end {
        h.step((q * MIN / 10).min(end - h.now_ms()))
            .expect("in range");
        let m = h.metrics();
        let shares: Vec<f64> = m.per_vm.iter().map(|v| v.share_received).collect();
        column.push((h.now_ms(), shares));
    }
    let m = h.metrics();
    let overhead =
        (m.overhead_percent / 100.0 * end as f64 - overhead_before) / (end - 3 * HOUR) as f64;
    // What the column tends to: each weight's share of what the switches leave.
    let mut settled = None;
    for (t, shares) in column {
        let off = shares
            .iter()
            .zip([1.0, 2.0, 4.0])
            .any(|(s, w)| (s - w / 7.0 * (1.0 - overhead)).abs() > 0.02);
        if off {
            settled = None;
        } else if settled.is_none() {
            settled = Some((t - 3 * HOUR) as f64 / HOUR as f64);
        }
    }
    (h, settled, 100.0 * overhead)
}
