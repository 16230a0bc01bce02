//! The scripted commands: run, validate, compare, chassis, schedulers, completions.

use std::io::{IsTerminal, Read, Write};

use bioxen::chassis::{ChassisKind, ChassisSpec};
use bioxen::metrics::SystemMetrics;
use bioxen::session::{self, ReplayOptions, Replayed, Session, Syntax};
use bioxen::{Hypervisor, SchedulerKind};
use clap::CommandFactory;
use serde_json::json;

use crate::args::{
    ChassisCommand, Cli, CompareArgs, Format, ListArgs, ListFormat, RunArgs, ValidateArgs,
};
use crate::error::{CliError, EXIT_CODES};
use crate::fmt;

// ------------------------------------------------------------------ files

/// Read a file (or standard input for `-`), refusing a file far over the session size limit
/// before reading it (the exact limit, in UTF-16 units as JS counts, is checked on the text).
pub fn read_text(path: &str) -> Result<String, CliError> {
    const MAX_FILE: u64 = 3 * session::MAX_BYTES as u64;
    let too_large = |n: u64| {
        CliError::Session(vec![session::SessionError {
            path: "$".into(),
            message: format!("file too large ({n} bytes > {})", session::MAX_BYTES),
            cause: None,
        }])
    };
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io("standard input", e))?;
    } else {
        let f = std::fs::File::open(path).map_err(|e| CliError::io(path, e))?;
        let len = f.metadata().map_err(|e| CliError::io(path, e))?.len();
        if len > MAX_FILE {
            return Err(too_large(len));
        }
        f.take(MAX_FILE + 1)
            .read_to_end(&mut buf)
            .map_err(|e| CliError::io(path, e))?;
    }
    if buf.len() as u64 > MAX_FILE {
        return Err(too_large(buf.len() as u64));
    }
    // A byte-order mark is dropped, as the browser's File.text() drops it.
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        buf.drain(..3);
    }
    String::from_utf8(buf).map_err(|e| CliError::io(path, format!("not UTF-8 text: {e}")))
}

/// Read and validate a session file; every problem is reported.
pub fn load_session(path: &str) -> Result<Session, CliError> {
    let text = read_text(path)?;
    session::parse(&text, Syntax::for_path(path)).map_err(CliError::Session)
}

pub fn write_text(path: &str, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| CliError::io(path, e))
}

/// The session as the CLI writes it: `meta.createdBy` and `meta.bioxenVersion` set, as the
/// playground sets them on export.
pub fn session_json(s: &Session) -> String {
    let mut s = s.clone();
    s.set_meta("createdBy", "bioxen cli");
    s.set_meta("bioxenVersion", env!("CARGO_PKG_VERSION"));
    session::to_json(&s)
}

fn until_arg(until: &Option<String>) -> Result<Option<u64>, CliError> {
    match until {
        None => Ok(None),
        Some(t) => {
            let ms =
                fmt::parse_duration(t).map_err(|e| CliError::Usage(format!("--until: {e}")))?;
            if ms > session::MAX_END_MS {
                return Err(CliError::Usage(format!(
                    "--until: {t} is past the 90-day limit of sessions ({} ms)",
                    session::MAX_END_MS
                )));
            }
            Ok(Some(ms))
        }
    }
}

/// Replay with a progress bar on a terminal (none when stderr is not one). The replay is the
/// same either way: the bar only watches the operations go by.
fn replay_with_progress(s: &Session, opts: ReplayOptions) -> Result<Replayed, CliError> {
    let end = opts.until_ms.unwrap_or(s.end_ms);
    let bar = if std::io::stderr().is_terminal() && end > 0 {
        let b = indicatif::ProgressBar::new(end);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} replaying [{bar:30}] {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.enable_steady_tick(std::time::Duration::from_millis(100));
        Some(b)
    } else {
        None
    };
    let result = session::replay(s, opts, &mut |now| {
        if let Some(b) = &bar {
            b.set_position(now);
            b.set_message(format!("t = {} of {}", fmt::clock(now), fmt::clock(end)));
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(result?)
}

// ------------------------------------------------------------------ run

pub fn run(a: &RunArgs) -> Result<(), CliError> {
    let mut s = load_session(&a.scenario)?;
    if let Some(t) = until_arg(&a.until)? {
        s = s.until(t);
    }
    let r = replay_with_progress(&s, ReplayOptions::default())?;
    let h = &r.hypervisor;
    if let Some(path) = &a.trace {
        let chunk = h.trace_since(0, usize::MAX);
        let events = h.events_since(0, usize::MAX);
        let v = json!({
            "nowMs": h.now_ms(),
            "segments": chunk.segments,
            "open": chunk.open,
            "dropped": chunk.dropped,
            "events": events,
        });
        write_text(path, &(pretty(&v) + "\n"))?;
    }
    if let Some(path) = &a.save_session {
        write_text(path, &session_json(&s))?;
    }
    let out = match a.format {
        Format::Json => pretty(&run_json(&s, h)) + "\n",
        Format::Csv => run_csv(&h.metrics()),
        Format::Table => run_table(&s, h),
    };
    print(&out)
}

pub fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
}

pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| CliError::io("standard output", e))
}

/// What `run --format json` prints.
pub fn run_json(s: &Session, h: &Hypervisor) -> serde_json::Value {
    json!({
        "chassis": s.chassis.as_str(),
        "scheduler": h.scheduler_kind().as_str(),
        "nowMs": h.now_ms(),
        "quantumMs": h.scheduler_params().quantum_ms,
        "switchCostMs": h.switch_cost_ms(),
        "operations": s.ops.len(),
        "metrics": h.metrics(),
        "profiler": h.profiler_report(),
    })
}

const CSV_HEADER: &str = "vmId,state,biologicalType,vmType,priority,weight,cap,ribosomes,machineryTimeMs,waitTimeMs,responseTimeMs,turnaroundTimeMs,contextSwitches,aaProduced,cyclesCompleted,shareReceived,fairShare";

/// Columns added on the kinetic machinery: the host's state (the same on every row) and the
/// VM's gene in the host model.
const CSV_KINETIC_HEADER: &str = ",growthRatePerMin,doublingTimeMin,capacityMonitorPerMin,capacityPercent,freeRibosomes,freeOrthogonalRibosomes,energy,elongationAaPerS,induction,mrna,translatingRibosomes,protein,translationAaPerMin";

fn run_csv(m: &SystemMetrics) -> String {
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
type Measure = (&'static str, fn(&SystemMetrics) -> String);

fn measures() -> Vec<Measure> {
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

fn run_table(s: &Session, h: &Hypervisor) -> String {
    let m = h.metrics();
    let mut out = format!(
        "Session: {} chassis, {}; {} operations; replayed to t = {}\n",
        s.chassis.as_str(),
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
    if let Some(k) = &m.kinetic {
        out.push('\n');
        out.push_str(&kinetic_text(k));
    }
    out.push('\n');
    out.push_str(&profiler_text(h));
    out
}

/// The kinetic host's state: growth, capacity monitor, ribosomes, energy, and each VM's gene.
pub fn kinetic_text(k: &bioxen::kinetics::host::KineticMetrics) -> String {
    let mut rows = vec![
        vec![
            "Growth rate".into(),
            format!(
                "{:.5} /min ({:.1} % of the host alone, {:.5} /min)",
                k.growth_rate_per_min,
                if k.baseline_growth_rate_per_min > 0.0 {
                    k.growth_rate_per_min / k.baseline_growth_rate_per_min * 100.0
                } else {
                    0.0
                },
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
    out
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

// ------------------------------------------------------------------ validate

pub fn validate(a: &ValidateArgs) -> Result<(), CliError> {
    let s = load_session(&a.scenario)?;
    let r = session::replay(
        &s,
        ReplayOptions {
            lenient: true,
            ..Default::default()
        },
        &mut |_| {},
    )?;
    if !r.refused.is_empty() {
        let errs = r
            .refused
            .into_iter()
            .map(|(i, e)| session::SessionError {
                path: format!("ops[{i}]"),
                message: format!(
                    "{} was refused on replay: {}: {e}",
                    s.ops[i].op.kind(),
                    e.code()
                ),
                cause: Some(Box::new(e)),
            })
            .collect();
        return Err(CliError::Session(errs));
    }
    print(&format!(
        "ok: {} is a valid session ({} chassis, {}, {} operations, replays to t = {})\n",
        a.scenario,
        s.chassis.as_str(),
        s.scheduler.as_str(),
        s.ops.len(),
        fmt::clock(r.hypervisor.now_ms())
    ))
}

// ------------------------------------------------------------------ compare

pub fn compare(a: &CompareArgs) -> Result<(), CliError> {
    let kinds = a
        .schedulers
        .iter()
        .map(|n| SchedulerKind::parse(n.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut s = load_session(&a.scenario)?;
    if let Some(t) = until_arg(&a.until)? {
        s = s.until(t);
    }
    let mut results = Vec::new();
    for k in &kinds {
        let r = replay_with_progress(
            &s,
            ReplayOptions {
                scheduler: Some(*k),
                ..Default::default()
            },
        )?;
        results.push((*k, r.hypervisor.metrics()));
    }
    let ids: Vec<String> = {
        let mut ids: Vec<String> = Vec::new();
        for (_, m) in &results {
            for v in &m.per_vm {
                if !ids.contains(&v.vm_id) {
                    ids.push(v.vm_id.clone());
                }
            }
        }
        ids
    };
    let share = |m: &SystemMetrics, id: &str| m.per_vm.iter().find(|v| v.vm_id == id).cloned();
    let out = match a.format {
        Format::Json => {
            let v = json!({
                "untilMs": s.end_ms,
                "results": results.iter().map(|(k, m)| json!({"scheduler": k.as_str(), "metrics": m})).collect::<Vec<_>>(),
            });
            pretty(&v) + "\n"
        }
        Format::Csv => {
            let mut out = String::from("scheduler,fairnessIndex,machineryBusy,overheadPercent,contextSwitches,decisions,throughputAaPerS,completedCycles");
            for id in &ids {
                out.push_str(&format!(",{}", fmt::csv_field(&format!("share:{id}"))));
            }
            out.push('\n');
            for (k, m) in &results {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{}",
                    k.as_str(),
                    m.fairness_index,
                    m.machinery_busy,
                    m.overhead_percent,
                    m.context_switches,
                    m.decisions,
                    m.throughput_aa_per_s,
                    m.completed_cycles
                ));
                for id in &ids {
                    out.push(',');
                    if let Some(v) = share(m, id) {
                        out.push_str(&v.share_received.to_string());
                    }
                }
                out.push('\n');
            }
            out
        }
        Format::Table => {
            let mut header = vec!["Measure".to_string()];
            header.extend(results.iter().map(|(k, _)| k.as_str().to_string()));
            let mut rows: Vec<Vec<String>> = measures()
                .into_iter()
                .map(|(name, f)| {
                    let mut r = vec![name.to_string()];
                    r.extend(results.iter().map(|(_, m)| f(m)));
                    r
                })
                .collect();
            for id in &ids {
                let mut r = vec![format!("{id}: share (fair)")];
                r.extend(results.iter().map(|(_, m)| {
                    share(m, id).map_or("–".into(), |v| {
                        format!(
                            "{} ({})",
                            fmt::pct(v.share_received),
                            fmt::pct(v.fair_share)
                        )
                    })
                }));
                rows.push(r);
                let mut r = vec![format!("{id}: response")];
                r.extend(results.iter().map(|(_, m)| {
                    share(m, id).map_or("–".into(), |v| {
                        v.response_time_ms
                            .map_or("never ran".into(), |x| fmt::dur(x as f64))
                    })
                }));
                rows.push(r);
            }
            format!(
                "Same session and seed under each scheduler, run to t = {}\n\n{}",
                fmt::clock(s.end_ms),
                fmt::table(&header, &rows)
            )
        }
    };
    print(&out)
}

// ------------------------------------------------------------------ chassis, schedulers

fn chassis_json(spec: &ChassisSpec) -> serde_json::Value {
    let mut v = serde_json::to_value(spec).unwrap_or(serde_json::Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("switchCostMs".into(), spec.switch_cost_ms().into());
        o.insert("defaultQuantumMs".into(), spec.default_quantum_ms().into());
    }
    v
}

pub fn chassis(c: &ChassisCommand) -> Result<(), CliError> {
    match c {
        ChassisCommand::List(ListArgs { format }) => {
            let specs = ChassisKind::PRESETS
                .iter()
                .map(|k| ChassisSpec::preset(*k))
                .collect::<Result<Vec<_>, _>>()?;
            match format {
                ListFormat::Json => print(
                    &(pretty(&serde_json::Value::Array(
                        specs.iter().map(chassis_json).collect(),
                    )) + "\n"),
                ),
                ListFormat::Table => {
                    let header: Vec<String> = [
                        "chassis",
                        "organism",
                        "ribosomes",
                        "for guests",
                        "aa/s",
                        "memory",
                        "max VMs",
                        "switch",
                        "quantum",
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                    let rows: Vec<Vec<String>> = specs
                        .iter()
                        .map(|s| {
                            let reserve = s.reserve_amounts();
                            vec![
                                s.kind.as_str().into(),
                                s.name.clone(),
                                fmt::int(s.ribosomes),
                                fmt::int(guest_ribosomes(s, reserve.ribosomes)),
                                format!("{}", s.elongation_aa_per_s),
                                format!("{} kb", fmt::int(s.memory_kb)),
                                s.max_vms.to_string(),
                                fmt::dur(s.switch_cost_ms() as f64),
                                fmt::dur(s.default_quantum_ms() as f64),
                            ]
                        })
                        .collect();
                    print(&fmt::table(&header, &rows))
                }
            }
        }
        ChassisCommand::Show(a) => {
            let spec = ChassisSpec::preset(ChassisKind::parse(&a.name)?)?;
            match a.format {
                ListFormat::Json => print(&(pretty(&chassis_json(&spec)) + "\n")),
                ListFormat::Table => print(&chassis_text(&spec)),
            }
        }
    }
}

fn guest_ribosomes(s: &ChassisSpec, reserved: u64) -> u64 {
    s.ribosomes.saturating_sub(reserved)
}

fn chassis_text(s: &ChassisSpec) -> String {
    let r = &s.host_reserve;
    let res = s.reserve_amounts();
    let mut rows = vec![
        vec!["name".into(), s.name.clone()],
        vec!["ribosomes".into(), fmt::int(s.ribosomes)],
        vec![
            "host keeps".into(),
            format!(
                "{:.1} % of ribosomes ({}), {:.1} % of RNA polymerases, {:.1} % of ATP, {:.1} % of memory",
                r.ribosomes * 100.0,
                fmt::int(res.ribosomes),
                r.rna_polymerase * 100.0,
                r.atp * 100.0,
                r.memory * 100.0
            ),
        ],
        vec!["RNA polymerases".into(), fmt::int(s.rna_polymerases)],
        vec!["elongation".into(), format!("{} aa/s per ribosome", s.elongation_aa_per_s)],
        vec!["transcription".into(), format!("{} nt/s per RNA polymerase", s.transcription_nt_per_s)],
        vec!["ATP pool".into(), format!("{:.3e} molecules", s.atp_pool)],
        vec!["ATP turnover".into(), format!("{:.3e} per s", s.atp_turnover_per_s)],
        vec!["ATP per aa".into(), format!("{}", s.atp_per_aa)],
        vec!["memory (DNA)".into(), format!("{} kb", fmt::int(s.memory_kb))],
        vec!["doubling time".into(), format!("{} min", s.doubling_time_min)],
        vec!["max VMs".into(), s.max_vms.to_string()],
        vec!["mean protein".into(), format!("{} aa", s.mean_protein_aa)],
        vec!["context switch".into(), format!("{} (ribosome run-off)", fmt::dur(s.switch_cost_ms() as f64))],
        vec!["default quantum".into(), fmt::dur(s.default_quantum_ms() as f64)],
    ];
    if let Some(f) = s.orthogonal_fraction {
        rows.push(vec![
            "orthogonal share".into(),
            format!("{:.1} %", f * 100.0),
        ]);
    }
    let mut out = format!("Chassis {}\n\n", s.kind.as_str());
    out.push_str(&fmt::table(&["field".into(), "value".into()], &rows));
    if !s.sources.is_empty() {
        out.push_str("\nSources:\n");
        for src in &s.sources {
            out.push_str(&format!("  - {src}\n"));
        }
    }
    out
}

pub fn schedulers(a: &ListArgs) -> Result<(), CliError> {
    match a.format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = SchedulerKind::ALL
                .iter()
                .map(|k| json!({"name": k.as_str(), "description": k.describe(), "proportional": k.is_proportional()}))
                .collect();
            print(&(pretty(&serde_json::Value::Array(v)) + "\n"))
        }
        ListFormat::Table => {
            let rows: Vec<Vec<String>> = SchedulerKind::ALL
                .iter()
                .map(|k| vec![k.as_str().to_string(), k.describe().to_string()])
                .collect();
            let mut out = String::new();
            let w = rows.iter().map(|r| r[0].len()).max().unwrap_or(0);
            for r in rows {
                out.push_str(&format!("{:<w$}  {}\n", r[0], r[1]));
            }
            print(&out)
        }
    }
}

pub fn completions(shell: clap_complete::Shell) {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "bioxen", &mut std::io::stdout());
}

pub fn exit_codes() {
    let mut out = String::from("exit  code                          meaning\n");
    out.push_str("   0  (success)\n");
    for (n, code, what) in EXIT_CODES {
        out.push_str(&format!("{n:>4}  {code:<28}  {what}\n"));
    }
    out.push_str(
        "\nA session refused on replay reports INVALID_SESSION with the package's code in the\nmessage and exits with that code's status (e.g. 15 for INSUFFICIENT_RESOURCES).\n",
    );
    print!("{out}");
}
