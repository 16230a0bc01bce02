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

/// Run always-runnable VMs `(weight, cap)` for `hours` on E. coli; the final metrics.
fn run(kind: SchedulerKind, quantum_ms: u64, vms: &[(u32, u32)], hours: u64) -> SystemMetrics {
    let mut h = Hypervisor::new(HypervisorOptions {
        scheduler: kind,
        quantum_ms: Some(quantum_ms),
        seed: 1,
        ..Default::default()
    })
    .expect("E. coli options are valid");
    for (i, &(w, cap)) in vms.iter().enumerate() {
        let id = format!("vm{i}");
        h.create_vm(&id, BiologicalType::Syn3a, VmType::Basic, &hog(w, cap))
            .expect("a VM without reservation fits");
        h.start_vm(&id).expect("created VMs start");
    }
    h.run_until(hours * 3_600_000)
        .expect("within the time limit");
    h.metrics()
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
            let idle = 100.0 - 100.0 * m.machinery_busy - m.overhead_percent;
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
}
