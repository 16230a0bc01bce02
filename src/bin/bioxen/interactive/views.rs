//! The read-only views of `bioxen interactive`: status with metrics, and the resource ledger.

use bioxen::session::LiveSession;

use super::prompt::Flow;
use crate::fmt;
use crate::report;

pub(super) fn status(live: &LiveSession) -> Flow {
    let h = live.hypervisor();
    let m = h.metrics();
    println!(
        "t = {} · scheduler {} (quantum {}) · context switch {}",
        fmt::clock(h.now_ms()),
        h.scheduler_kind().as_str(),
        fmt::dur(h.scheduler_params().quantum_ms as f64),
        fmt::dur(h.switch_cost_ms() as f64)
    );
    println!(
        "fairness {:.3} · machinery busy {} · overhead {:.2} % · {} switches · throughput {}/s · ATP spare {:.1} %",
        m.fairness_index,
        fmt::pct(m.machinery_busy),
        m.overhead_percent,
        fmt::int(m.context_switches),
        fmt::aa(m.throughput_aa_per_s),
        m.atp_level_percent
    );
    if m.per_vm.is_empty() {
        println!("No VMs yet.");
    } else {
        print!("{}", report::vm_table(&m));
    }
    if let Some(k) = report::kinetic_text(&m) {
        print!("{k}");
    }
    Flow::Back
}

pub(super) fn resources(live: &LiveSession) -> Flow {
    let r = live.hypervisor().resource_summary();
    let row = |name: &str, p: &bioxen::resources::PoolSummary| {
        vec![
            name.to_string(),
            format!("{}", p.total),
            format!("{}", p.reserved),
            format!("{}", p.allocated),
            format!("{}", p.free),
        ]
    };
    let header: Vec<String> = ["pool", "total", "host", "VMs", "free"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    print!(
        "{}",
        fmt::table(
            &header,
            &[
                row("ribosomes", &r.ribosomes),
                row("RNA polymerase", &r.rna_polymerase),
                row("ATP (%)", &r.atp),
                row("memory (kb)", &r.memory_kb),
            ]
        )
    );
    println!("{} of at most {} VMs", r.vm_count, r.max_vms);
    Flow::Back
}
