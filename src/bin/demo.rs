//! A small native demo: three guests share an E. coli chassis under Xen's credit scheduler
//! for six simulated hours; prints what each received and what the profiler found.

use bioxen::{
    BiologicalType, ChassisSpec, Hypervisor, HypervisorOptions, SchedulerKind, SchedulingRequest,
    VmConfig, VmType,
};

fn main() {
    if let Err(e) = run() {
        eprintln!("bioxen-demo: error [{}]: {e}", e.code());
        std::process::exit(1);
    }
}

fn run() -> bioxen::Result<()> {
    let chassis = ChassisSpec::ecoli();
    let mut h = Hypervisor::new(HypervisorOptions {
        chassis: chassis.clone(),
        scheduler: SchedulerKind::Credit,
        seed: 1,
        ..Default::default()
    })?;
    println!("BioXen demo: three guests on one {} chassis", chassis.name);
    println!(
        "  {} ribosomes ({} kept by the host), {} aa/s; context switch = ribosome run-off {:.0} s; quantum {:.0} s",
        chassis.ribosomes,
        h.ledger().reserve().ribosomes,
        chassis.elongation_aa_per_s,
        h.switch_cost_ms() as f64 / 1000.0,
        h.scheduler_params().quantum_ms as f64 / 1000.0
    );
    let guests = [
        ("syn3a-1", BiologicalType::Syn3a, 512),
        ("mgen-1", BiologicalType::MinimalCell, 256),
        ("ecoli-1", BiologicalType::Ecoli, 256),
    ];
    for (id, bio, weight) in guests {
        h.create_vm(id, bio, VmType::Basic, &VmConfig::default())?;
        h.set_scheduling(
            id,
            &SchedulingRequest {
                weight: Some(weight),
                ..Default::default()
            },
        )?;
        h.start_vm(id)?;
    }
    // Refusals are part of the lesson: a fifth VM on a four-VM chassis, and an overcommit.
    let greedy = VmConfig {
        ribosomes: Some(50_000),
        ..Default::default()
    };
    if let Err(e) = h.create_vm("greedy", BiologicalType::Ecoli, VmType::Basic, &greedy) {
        println!("  refused as expected: [{}] {e}", e.code());
    }
    h.create_vm(
        "extra",
        BiologicalType::Syn3a,
        VmType::Basic,
        &VmConfig::default(),
    )?;
    if let Err(e) = h.create_vm(
        "fifth",
        BiologicalType::Ecoli,
        VmType::Basic,
        &VmConfig::default(),
    ) {
        println!("  refused as expected: [{}] {e}", e.code());
    }
    h.destroy_vm("extra")?;

    let hours = 6;
    h.step(hours * 3_600_000)?;
    let m = h.metrics();
    println!(
        "\nAfter {hours} simulated hours under {}:",
        h.scheduler_kind()
    );
    println!(
        "  {:<10} {:>6} {:>12} {:>10} {:>10} {:>9} {:>8}",
        "VM", "weight", "machinery", "share", "fair", "switches", "cycles"
    );
    for v in &m.per_vm {
        println!(
            "  {:<10} {:>6} {:>10.1} m {:>9.1}% {:>9.1}% {:>9} {:>8}",
            v.vm_id,
            v.weight,
            v.machinery_time_ms as f64 / 60_000.0,
            100.0 * v.share_received,
            100.0 * v.fair_share,
            v.context_switches,
            v.cycles_completed
        );
    }
    println!(
        "\n  Jain's index (received ÷ fair share): {:.4}",
        m.fairness_index
    );
    println!(
        "  overhead: {:.2}% of the time in {} context switches",
        m.overhead_percent, m.context_switches
    );
    println!(
        "  throughput: {:.0} aa/s; {} work cycles completed; guest ATP spare {:.1}%",
        m.throughput_aa_per_s, m.completed_cycles, m.atp_level_percent
    );
    let r = h.profiler_report();
    if r.bottlenecks.is_empty() {
        println!("  profiler: no bottlenecks");
    }
    for b in r.bottlenecks {
        println!("  profiler: {} → {}", b.message, b.recommendation);
    }
    Ok(())
}
