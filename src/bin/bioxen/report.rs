//! What `run` prints: its JSON, CSV and table forms, and the table pieces the interactive
//! menus and the dashboard reuse (VM table, kinetic host, profiler).

use bioxen::metrics::SystemMetrics;
use bioxen::session::{self, Session};
use bioxen::Hypervisor;
use serde_json::json;

use crate::fmt;

/// What `run --format json` prints.
pub fn run_json(s: &Session, h: &Hypervisor) -> serde_json::Value {
    let mut v = json!({
        "chassis": s.chassis.kind().as_str(),
        "scheduler": h.scheduler_kind().as_str(),
        "nowMs": h.now_ms(),
        "quantumMs": h.scheduler_params().quantum_ms,
        "switchCostMs": h.switch_cost_ms(),
        "operations": s.ops.len(),
        "metrics": h.metrics(),
        "profiler": h.profiler_report(),
    });
    // A custom chassis: its name and the preset it starts from, after `chassis`.
    if s.chassis.description().is_some() {
        v["chassisName"] = json!(h.chassis().name);
        v["chassisBase"] = json!(s.chassis.base().as_str());
    }
    v
}

const CSV_HEADER: &str = "vmId,state,biologicalType,vmType,priority,weight,cap,ribosomes,machineryTimeMs,waitTimeMs,responseTimeMs,turnaroundTimeMs,contextSwitches,aaProduced,cyclesCompleted,shareReceived,fairShare";

/// Columns added on the kinetic machinery: the host's state (the same on every row) and the
/// VM's gene in the host model.
const CSV_KINETIC_HEADER: &str = ",growthRatePerMin,doublingTimeMin,capacityMonitorPerMin,capacityPercent,freeRibosomes,freeOrthogonalRibosomes,energy,elongationAaPerS,induction,mrna,translatingRibosomes,protein,translationAaPerMin";

pub fn run_csv(m: &SystemMetrics) -> String {
    let mut out = String::from(CSV_HEADER);
    if m.kinetic.is_some() {
        out.push_str(CSV_KINETIC_HEADER);
    }
    out.push('\n');
    let opt = |v: Option<u64>| v.map_or(String::new(), |n| n.to_string());
    let optf = |v: Option<f64>| v.map_or(String::new(), |n| n.to_string());
    for v in &m.per_vm {
        let mut cells = vec![
            fmt::csv_field(&v.vm_id),
            v.state.as_str().into(),
            v.biological_type.as_str().into(),
            v.vm_type.as_str().into(),
            v.priority.to_string(),
            v.weight.to_string(),
            v.cap.to_string(),
            v.ribosomes.to_string(),
            v.machinery_time_ms.to_string(),
            v.wait_time_ms.to_string(),
            opt(v.response_time_ms),
            opt(v.turnaround_time_ms),
            v.context_switches.to_string(),
            v.aa_produced.to_string(),
            v.cycles_completed.to_string(),
            v.share_received.to_string(),
            v.fair_share.to_string(),
        ];
        if let Some(k) = &m.kinetic {
            cells.extend([
                k.growth_rate_per_min.to_string(),
                optf(k.doubling_time_min),
                k.capacity_monitor_per_min.to_string(),
                k.capacity_percent.to_string(),
                k.free_ribosomes.to_string(),
                optf(k.free_orthogonal_ribosomes),
                k.energy.to_string(),
                k.elongation_aa_per_s.to_string(),
            ]);
            match k.per_vm.iter().find(|g| g.vm_id == v.vm_id) {
                Some(g) => cells.extend([
                    g.induction.to_string(),
                    g.expression.mrna.to_string(),
                    g.expression.translating_ribosomes.to_string(),
                    g.expression.protein.to_string(),
                    g.expression.translation_aa_per_min.to_string(),
                ]),
                None => cells.extend(vec![String::new(); 5]),
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The system measures shown by `run` and `compare` (as in the playground's comparison).
/// A named measure and how to show it.
pub type Measure = (&'static str, fn(&SystemMetrics) -> String);

pub fn measures() -> Vec<Measure> {
    vec![
        ("Fairness (Jain)", |m| format!("{:.3}", m.fairness_index)),
        ("Machinery busy", |m| fmt::pct(m.machinery_busy)),
        ("Switch overhead", |m| {
            format!("{:.2} %", m.overhead_percent)
        }),
        ("Context switches", |m| fmt::int(m.context_switches)),
        ("Decisions", |m| fmt::int(m.decisions)),
        ("Throughput", |m| {
            format!("{}/s", fmt::aa(m.throughput_aa_per_s))
        }),
        ("Cycles completed", |m| fmt::int(m.completed_cycles)),
        ("Guest ATP spare", |m| {
            format!("{:.1} %", m.atp_level_percent)
        }),
    ]
}

fn scheduler_history(s: &Session) -> String {
    let mut out = s.scheduler.as_str().to_string();
    for t in &s.ops {
        if let session::Op::SetScheduler { name, .. } = &t.op {
            out.push_str(&format!(
                " → {} (at {})",
                name.as_str(),
                fmt::clock(t.at_ms)
            ));
        }
    }
    out
}

/// The VM table of `run` and the dashboard's text.
pub fn vm_table(m: &SystemMetrics) -> String {
    let header: Vec<String> = [
        "VM",
        "state",
        "type",
        "weight",
        "prio",
        "cap",
        "machinery",
        "share",
        "fair",
        "wait",
        "response",
        "switches",
        "cycles",
        "produced",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = m
        .per_vm
        .iter()
        .map(|v| {
            vec![
                v.vm_id.clone(),
                v.state.as_str().into(),
                v.biological_type.as_str().into(),
                v.weight.to_string(),
                v.priority.to_string(),
                v.cap.to_string(),
                fmt::dur(v.machinery_time_ms as f64),
                fmt::pct(v.share_received),
                fmt::pct(v.fair_share),
                fmt::dur(v.wait_time_ms as f64),
                v.response_time_ms
                    .map_or("never ran".into(), |r| fmt::dur(r as f64)),
                fmt::int(v.context_switches),
                fmt::int(v.cycles_completed),
                fmt::aa(v.aa_produced),
            ]
        })
        .collect();
    fmt::table(&header, &rows)
}

pub fn run_table(s: &Session, h: &Hypervisor) -> String {
    let m = h.metrics();
    let mut out = format!(
        "Session: {} chassis, {}; {} operations; replayed to t = {}\n",
        s.chassis.label(),
        scheduler_history(s),
        s.ops.len(),
        fmt::clock(h.now_ms())
    );
    out.push_str(&format!(
        "Scheduler now: {}, quantum {}, context switch {}\n\n",
        h.scheduler_kind().as_str(),
        fmt::dur(h.scheduler_params().quantum_ms as f64),
        fmt::dur(h.switch_cost_ms() as f64)
    ));
    let rows: Vec<Vec<String>> = measures()
        .into_iter()
        .map(|(k, f)| vec![k.to_string(), f(&m)])
        .collect();
    out.push_str(&fmt::table(&["Measure".into(), "Value".into()], &rows));
    out.push('\n');
    if m.per_vm.is_empty() {
        out.push_str("No VMs.\n");
    } else {
        out.push_str(&vm_table(&m));
    }
    if let Some(k) = kinetic_text(&m) {
        out.push('\n');
        out.push_str(&k);
    }
    out.push('\n');
    out.push_str(&profiler_text(h));
    out
}

/// The kinetic host's state: growth, capacity monitor, ribosomes, energy, and each VM's gene
/// (None under the simple machinery).
pub fn kinetic_text(m: &SystemMetrics) -> Option<String> {
    let k = m.kinetic.as_ref()?;
    let mut rows = vec![
        vec![
            "Growth rate".into(),
            format!(
                "{:.5} /min ({:.1} % of the host alone, {:.5} /min)",
                k.growth_rate_per_min,
                fmt::percent_of(k.growth_rate_per_min, k.baseline_growth_rate_per_min),
                k.baseline_growth_rate_per_min
            ),
        ],
        vec![
            "Doubling time".into(),
            k.doubling_time_min
                .map_or("none (no growth)".into(), |d| format!("{d:.1} min")),
        ],
        vec![
            "Capacity monitor".into(),
            format!(
                "{:.1} /min ({:.1} % of its value without guests)",
                k.capacity_monitor_per_min, k.capacity_percent
            ),
        ],
        vec![
            "Free ribosomes".into(),
            format!("{:.1} of {:.0}", k.free_ribosomes, k.total_ribosomes),
        ],
    ];
    if let Some(o) = k.free_orthogonal_ribosomes {
        rows.push(vec!["Free o-ribosomes".into(), format!("{o:.1}")]);
    }
    rows.push(vec![
        "Energy".into(),
        format!(
            "{:.2} molecules (elongation {:.2} aa/s per ribosome)",
            k.energy, k.elongation_aa_per_s
        ),
    ]);
    rows.push(vec![
        "Protein mass".into(),
        format!(
            "{} ribosomal, {} guest",
            fmt::pct(k.ribosomal_fraction),
            fmt::pct(k.heterologous_fraction)
        ),
    ]);
    let mut out = format!(
        "Kinetic host ({}, t = {}):\n",
        k.host_model,
        fmt::clock(k.model_time_ms)
    );
    out.push_str(&fmt::table(&["Measure".into(), "Value".into()], &rows));
    if !k.per_vm.is_empty() {
        out.push('\n');
        let header: Vec<String> = [
            "VM gene",
            "induction",
            "mRNA",
            "translating",
            "protein",
            "aa/min",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows: Vec<Vec<String>> = k
            .per_vm
            .iter()
            .map(|g| {
                vec![
                    g.vm_id.clone(),
                    format!("{:.2}", g.induction),
                    format!("{:.1}", g.expression.mrna),
                    format!("{:.1}", g.expression.translating_ribosomes),
                    format!("{:.0}", g.expression.protein),
                    fmt::aa(g.expression.translation_aa_per_min),
                ]
            })
            .collect();
        out.push_str(&fmt::table(&header, &rows));
    }
    Some(out)
}

pub fn profiler_text(h: &Hypervisor) -> String {
    let r = h.profiler_report();
    if r.bottlenecks.is_empty() {
        return "Profiler: no bottlenecks.\n".into();
    }
    let mut out = String::from("Profiler:\n");
    for b in &r.bottlenecks {
        out.push_str(&format!("  - {} → {}\n", b.message, b.recommendation));
    }
    out
}
