//! The scripted commands: run, validate, compare, chassis, schedulers, completions,
//! exit-codes. What `run` prints is in `report`; reading and writing files in `files`.

use std::io::IsTerminal;

use bioxen::chassis::{ChassisKind, ChassisSpec};
use bioxen::metrics::SystemMetrics;
use bioxen::session::{self, ReplayOptions, Replayed, Session};
use bioxen::SchedulerKind;
use clap::CommandFactory;
use serde_json::json;

use crate::args::{
    ChassisCommand, Cli, CompareArgs, Format, ListArgs, ListFormat, RunArgs, ValidateArgs,
};
use crate::error::{CliError, EXIT_CODES};
use crate::files::{load_session, pretty, print, session_json, write_text};
use crate::fmt;
use crate::report::{measures, run_csv, run_json, run_table};

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
        s.chassis.label(),
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
