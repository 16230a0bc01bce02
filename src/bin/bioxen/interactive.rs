//! `bioxen interactive`: menus over a live hypervisor (in the spirit of upstream's questionary
//! CLI, over the real core). Every operation goes through a [`LiveSession`], so what succeeds
//! is recorded with its simulated time and can be saved as a session the playground imports.
//! Simulated time moves only when the user advances it.

use bioxen::chassis::{ChassisKind, ChassisSpec};
use bioxen::config::ConfigManager;
use bioxen::machinery::MachineryKind;
use bioxen::session::{
    LiveSession, Op, ResourceChange, SchedOptions, SchedulingChange, Session, SessionConfig,
    SessionOptions,
};
use bioxen::vm::{Action, VmId};
use bioxen::{BiologicalType, SchedulerKind, VmState, VmType};
use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Password, Select, Text};
use serde_json::json;

use crate::args::InteractiveArgs;
use crate::commands;
use crate::error::CliError;
use crate::fmt;

type Valid = Result<Validation, inquire::CustomUserError>;

const MENU: &[&str] = &[
    "Status and metrics",
    "Create a VM",
    "Manage a VM (start, pause, resume, stop, restart, destroy)",
    "Allocate resources to a VM",
    "Tune a VM's scheduling (priority, weight, cap)",
    "Advance simulated time",
    "Switch scheduler",
    "Set the ATP supply (nutrient shift)",
    "Profiler: bottlenecks",
    "Resources (the ledger)",
    "Save the session",
    "Load a session",
    "New session (choose chassis and scheduler)",
    "Quit",
];

/// Ctrl-C or Esc at the main menu ends the program; inside a dialogue it goes back.
enum Flow {
    Back,
    Quit,
}

fn ask<T>(r: Result<T, InquireError>) -> Result<Result<T, Flow>, CliError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(InquireError::OperationCanceled) => Ok(Err(Flow::Back)),
        Err(InquireError::OperationInterrupted) => Ok(Err(Flow::Quit)),
        Err(InquireError::NotTTY) => Err(CliError::Internal(
            "`bioxen interactive` needs a terminal (use `bioxen run` in scripts)".into(),
        )),
        Err(e) => Err(CliError::Internal(format!("terminal: {e}"))),
    }
}

/// `?` for a field helper that already asked: a cancelled prompt leaves the dialogue.
macro_rules! field {
    ($e:expr) => {
        match $e? {
            Ok(v) => v,
            Err(f) => return Ok(f),
        }
    };
}

/// `?` for a prompt: a cancelled prompt leaves the dialogue.
macro_rules! prompt {
    ($e:expr) => {
        match ask($e)? {
            Ok(v) => v,
            Err(f) => return Ok(f),
        }
    };
}

pub fn main(a: &InteractiveArgs) -> Result<(), CliError> {
    println!("BioXen interactive: a hypervisor on the simulation core.");
    println!("Simulated time moves only when you advance it. Esc goes back; Ctrl-C quits.\n");
    let mut live = match &a.load {
        Some(path) => LiveSession::new(commands::load_session(path)?)?,
        None => match new_session()? {
            Some(l) => l,
            None => return Ok(()),
        },
    };
    loop {
        let h = live.hypervisor();
        let running = h
            .list_vms()
            .iter()
            .filter(|v| v.state == VmState::Running)
            .count();
        println!(
            "\nt = {} · {} chassis · {} · {} VM(s), {} running",
            fmt::clock(h.now_ms()),
            h.chassis().kind.as_str(),
            h.scheduler_kind().as_str(),
            h.vm_count(),
            running
        );
        let choice = match ask(Select::new("What next?", MENU.to_vec())
            .with_page_size(14)
            .prompt())?
        {
            Ok(c) => c,
            Err(_) => break,
        };
        let flow = match choice {
            "Status and metrics" => status(&live),
            "Create a VM" => create_vm(&mut live)?,
            "Manage a VM (start, pause, resume, stop, restart, destroy)" => manage(&mut live)?,
            "Allocate resources to a VM" => allocate(&mut live)?,
            "Tune a VM's scheduling (priority, weight, cap)" => tune(&mut live)?,
            "Advance simulated time" => advance(&mut live)?,
            "Switch scheduler" => switch_scheduler(&mut live)?,
            "Set the ATP supply (nutrient shift)" => atp(&mut live)?,
            "Profiler: bottlenecks" => {
                print!("{}", commands::profiler_text(live.hypervisor()));
                Flow::Back
            }
            "Resources (the ledger)" => resources(&live),
            "Save the session" => save(&live)?,
            "Load a session" => load(&mut live)?,
            "New session (choose chassis and scheduler)" => match new_session()? {
                Some(l) => {
                    live = l;
                    Flow::Back
                }
                None => Flow::Back,
            },
            _ => Flow::Quit,
        };
        if let Flow::Quit = flow {
            break;
        }
    }
    println!("Bye.");
    Ok(())
}

fn refused(e: &bioxen::BioxenError) {
    println!("refused [{}] {e}", e.code());
}

fn perform(live: &mut LiveSession, op: Op, password: Option<&str>) -> bool {
    let what = format!(
        "{}{}",
        op.kind(),
        op.vm_id().map(|v| format!(" {v}")).unwrap_or_default()
    );
    match live.perform(op, password) {
        Ok(()) => {
            println!(
                "ok: {what} at t = {}",
                fmt::clock(live.hypervisor().now_ms())
            );
            true
        }
        Err(e) => {
            refused(&e);
            false
        }
    }
}

// ------------------------------------------------------------------ session

fn new_session() -> Result<Option<LiveSession>, CliError> {
    let chassis: Vec<String> = ChassisKind::PRESETS
        .iter()
        .filter_map(|k| ChassisSpec::preset(*k).ok())
        .map(|s| format!("{:<11} {}", s.kind.as_str(), s.name))
        .collect();
    let Ok(c) = ask(Select::new("Chassis (the host cell):", chassis)
        .with_formatter(&first_word)
        .prompt())?
    else {
        return Ok(None);
    };
    let chassis = ChassisKind::parse(c.split_whitespace().next().unwrap_or(""))?;
    let Some(scheduler) = pick_scheduler("Scheduler:")? else {
        return Ok(None);
    };
    let machinery_items: Vec<String> = MachineryKind::ALL
        .iter()
        .map(|k| {
            format!(
                "{:<8} {}",
                k.as_str(),
                match k {
                    MachineryKind::Simple =>
                        "linear production, constant switch cost (scheduling lessons)",
                    MachineryKind::Kinetic =>
                        "the Weisse 2015 host-circuit model: growth, burden, capacity monitor",
                }
            )
        })
        .collect();
    let Ok(m) = ask(Select::new(
        "Machinery (how the host expresses guest genes):",
        machinery_items,
    )
    .with_formatter(&first_word)
    .prompt())?
    else {
        return Ok(None);
    };
    // The default (simple) is not written, as in the playground's sessions.
    let machinery = match MachineryKind::parse(m.split_whitespace().next().unwrap_or(""))? {
        MachineryKind::Simple => None,
        k => Some(k),
    };
    let seed = ask(Text::new("Seed (lottery draws):")
        .with_default("1")
        .with_validator(|s: &str| -> Valid {
            Ok(match s.trim().parse::<u64>() {
                Ok(n) if n <= 9_007_199_254_740_991 => Validation::Valid,
                _ => Validation::Invalid("expected a whole number from 0 to 2^53-1".into()),
            })
        })
        .prompt())?;
    let Ok(seed) = seed else { return Ok(None) };
    let s = Session::new(
        chassis,
        scheduler,
        SessionOptions {
            seed: Some(seed.trim().parse().unwrap_or(1)),
            machinery,
            ..Default::default()
        },
    );
    Ok(Some(LiveSession::new(s)?))
}

/// Show only the name of a chosen "name  description" line.
fn first_word(o: inquire::list_option::ListOption<&String>) -> String {
    o.value.split_whitespace().next().unwrap_or("").to_string()
}

fn pick_scheduler(msg: &str) -> Result<Option<SchedulerKind>, CliError> {
    let items: Vec<String> = SchedulerKind::ALL
        .iter()
        .map(|k| format!("{:<12} {}", k.as_str(), k.describe()))
        .collect();
    let start = SchedulerKind::ALL
        .iter()
        .position(|k| *k == SchedulerKind::RoundRobin)
        .unwrap_or(0);
    let Ok(c) = ask(Select::new(msg, items)
        .with_page_size(9)
        .with_starting_cursor(start)
        .with_formatter(&first_word)
        .prompt())?
    else {
        return Ok(None);
    };
    Ok(Some(SchedulerKind::parse(
        c.split_whitespace().next().unwrap_or(""),
    )?))
}

fn save(live: &LiveSession) -> Result<Flow, CliError> {
    let path = prompt!(Text::new("Save to file:")
        .with_default("bioxen-session.json")
        .prompt());
    match commands::write_text(&path, &commands::session_json(live.session())) {
        Ok(()) => println!(
            "saved {} operations (t = {}) to {path}; the playground imports it",
            live.session().ops.len(),
            fmt::clock(live.hypervisor().now_ms())
        ),
        Err(e) => e.report(),
    }
    Ok(Flow::Back)
}

fn load(live: &mut LiveSession) -> Result<Flow, CliError> {
    let path = prompt!(Text::new("Session file to load:").prompt());
    let loaded = commands::load_session(path.trim()).and_then(|s| Ok(live.replace(s)?));
    match loaded {
        Ok(()) => println!(
            "loaded {} operations; replayed to t = {}",
            live.session().ops.len(),
            fmt::clock(live.hypervisor().now_ms())
        ),
        Err(e) => {
            e.report();
            println!("the current session is unchanged");
        }
    }
    Ok(Flow::Back)
}

// ------------------------------------------------------------------ views

fn status(live: &LiveSession) -> Flow {
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
        print!("{}", commands::vm_table(&m));
    }
    if let Some(k) = &m.kinetic {
        print!("{}", commands::kinetic_text(k));
    }
    Flow::Back
}

fn resources(live: &LiveSession) -> Flow {
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

// ------------------------------------------------------------------ VMs

fn pick_vm(live: &LiveSession, msg: &str) -> Result<Option<String>, CliError> {
    let vms = live.hypervisor().list_vms();
    if vms.is_empty() {
        println!("No VMs yet: create one first.");
        return Ok(None);
    }
    let items: Vec<String> = vms
        .iter()
        .map(|v| {
            format!(
                "{}  ({}, {})",
                v.vm_id,
                v.state.as_str(),
                v.biological_type.as_str()
            )
        })
        .collect();
    let Ok(c) = ask(Select::new(msg, items).with_formatter(&first_word).prompt())? else {
        return Ok(None);
    };
    Ok(c.split_whitespace().next().map(str::to_string))
}

/// Check one config key as the package will (`ConfigManager::validate_value`).
fn config_issue(key: &str, value: serde_json::Value, vm_type: VmType) -> Option<String> {
    let mut obj = serde_json::Map::new();
    obj.insert(key.to_string(), value);
    ConfigManager::validate_value(&serde_json::Value::Object(obj), vm_type)
        .into_iter()
        .find(|i| i.path == key)
        .map(|i| i.message)
}

/// A number prompt checked against the package's rule for `key` as it is typed in.
fn number_field(
    label: &str,
    key: &'static str,
    default: String,
    vm_type: VmType,
) -> Result<Result<Option<f64>, Flow>, CliError> {
    let v = ask(Text::new(label)
        .with_placeholder(&default)
        .with_help_message("Enter keeps the default")
        .with_validator(move |s: &str| -> Valid {
            let s = s.trim();
            if s.is_empty() || (key == "cycles" && s == "endless") {
                return Ok(Validation::Valid);
            }
            let Ok(n) = s.parse::<f64>() else {
                return Ok(Validation::Invalid(format!("{s:?} is not a number").into()));
            };
            Ok(match config_issue(key, json!(n_json(n)), vm_type) {
                None => Validation::Valid,
                Some(m) => Validation::Invalid(m.into()),
            })
        })
        .prompt())?;
    Ok(v.map(|s| {
        let s = s.trim().to_string();
        if s.is_empty() || s == "endless" {
            None
        } else {
            s.parse::<f64>().ok()
        }
    }))
}

/// A number as JSON the way the package sees it (whole numbers as integers).
fn n_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        if n >= 0.0 {
            json!(n as u64)
        } else {
            json!(n as i64)
        }
    } else {
        json!(n)
    }
}

fn string_field(
    label: &str,
    key: &'static str,
    default: &str,
    vm_type: VmType,
) -> Result<Result<String, Flow>, CliError> {
    ask(Text::new(label)
        .with_default(default)
        .with_validator(move |s: &str| -> Valid {
            Ok(match config_issue(key, json!(s), vm_type) {
                None => Validation::Valid,
                Some(m) => Validation::Invalid(m.into()),
            })
        })
        .prompt())
}

fn create_vm(live: &mut LiveSession) -> Result<Flow, CliError> {
    let existing: Vec<String> = live.hypervisor().vm_ids();
    let suggestion = (1..)
        .map(|i| format!("vm{i}"))
        .find(|id| !existing.contains(id))
        .unwrap_or_else(|| "vm".into());
    let id = prompt!(Text::new("VM id:")
        .with_default(&suggestion)
        .with_validator(move |s: &str| -> Valid {
            if let Err(e) = VmId::new(s) {
                return Ok(Validation::Invalid(format!("[{}] {e}", e.code()).into()));
            }
            if existing.iter().any(|x| x == s) {
                return Ok(Validation::Invalid(
                    format!("[DUPLICATE_VM] a VM with id {s:?} already exists").into(),
                ));
            }
            Ok(Validation::Valid)
        })
        .prompt());
    let bios: Vec<&str> = BiologicalType::ALL.iter().map(|t| t.as_str()).collect();
    let bio = BiologicalType::parse(prompt!(Select::new(
        "Biological type (the guest genome):",
        bios
    )
    .prompt()))?;
    let vm_type = VmType::parse(prompt!(
        Select::new("VM type:", vec!["basic", "xcpng"]).prompt()
    ))?;
    let mut config = SessionConfig::default();
    let mut d = ConfigManager::defaults(bio);
    let genome_path = prompt!(Text::new(
        "Genome file (GenBank, GFF3, FASTA, .genome; empty = the biological type's defaults):"
    )
    .prompt());
    let genome_path = genome_path.trim();
    if !genome_path.is_empty() {
        match crate::genome::workload_of(genome_path) {
            Ok(w) => {
                println!(
                    "{}: {} aa per cycle, {} kb, {} essential genes",
                    w.workload.organism,
                    fmt::int(w.workload.total_aa),
                    fmt::int(w.workload.genome_kb),
                    w.minimal_gene_set.len()
                );
                // The defaults shown next are the genome's, as createVm will use them.
                d = bioxen::config::defaults_for_workload(&w.workload);
                config.set_genome(&w);
            }
            Err(e) => {
                e.report();
                return Ok(Flow::Back);
            }
        }
    }
    let custom = prompt!(Confirm::new(
        "Change the config defaults (reservation, priority, weight, cap, workload)?"
    )
    .with_default(false)
    .prompt());
    if custom {
        let show = |v: Option<u64>| v.map_or("none".into(), |n| n.to_string());
        let fields: [(&str, &'static str, String); 9] = [
            ("Ribosomes reserved:", "ribosomes", show(d.ribosomes)),
            (
                "RNA polymerases reserved:",
                "rnaPolymerase",
                show(d.rna_polymerase),
            ),
            (
                "ATP reserved (% of supply):",
                "atpPercent",
                d.atp_percent.map_or("none".into(), |x| x.to_string()),
            ),
            ("Memory (DNA) reserved, kb:", "memoryKb", show(d.memory_kb)),
            (
                "Priority (1-10, higher first):",
                "priority",
                show(d.priority.map(u64::from)),
            ),
            ("Weight (1-65535):", "weight", show(d.weight.map(u64::from))),
            (
                "Cap (% of shared machinery, 0 = none):",
                "cap",
                show(d.cap.map(u64::from)),
            ),
            (
                "Workload (aa per cycle):",
                "workloadAa",
                show(d.workload_aa),
            ),
            (
                "Cycles before it stops (endless by default):",
                "cycles",
                "endless".into(),
            ),
        ];
        for (label, key, default) in fields {
            let v = match number_field(label, key, default, vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            };
            if let Some(n) = v {
                match key {
                    "ribosomes" => config.ribosomes = Some(n),
                    "rnaPolymerase" => config.rna_polymerase = Some(n),
                    "atpPercent" => config.atp_percent = Some(n),
                    "memoryKb" => config.memory_kb = Some(n),
                    "priority" => config.priority = Some(n),
                    "weight" => config.weight = Some(n),
                    "cap" => config.cap = Some(n),
                    "workloadAa" => config.workload_aa = Some(n),
                    _ => config.cycles = Some(Some(n)),
                }
            }
        }
    }
    let mut password = None;
    if vm_type == VmType::Xcpng {
        config.xapi_url = Some(
            match string_field("XAPI URL:", "xapiUrl", "https://xcpng.example:443", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
        config.username = Some(
            match string_field("XAPI user:", "username", "root", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
        password = Some(prompt!(Password::new("XAPI password (never saved):")
            .without_confirmation()
            .with_validator(|s: &str| -> Valid {
                Ok(if s.is_empty() {
                    Validation::Invalid("expected a non-empty password".into())
                } else {
                    Validation::Valid
                })
            })
            .prompt()));
        config.ssh_user = Some(
            match string_field("SSH user:", "sshUser", "bioxen", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
    }
    let op = Op::CreateVm {
        vm_id: id.clone(),
        biological_type: bio,
        vm_type,
        config,
    };
    if perform(live, op, password.as_deref()) {
        let start = prompt!(Confirm::new("Start it now?").with_default(true).prompt());
        if start {
            perform(
                live,
                Op::Lifecycle {
                    action: Action::Start,
                    vm_id: id,
                },
                None,
            );
        }
    }
    Ok(Flow::Back)
}

fn manage(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Which VM?")? else {
        return Ok(Flow::Back);
    };
    let actions = vec!["start", "pause", "resume", "stop", "restart", "destroy"];
    let a = prompt!(Select::new("Action:", actions).prompt());
    let action = match a {
        "start" => Action::Start,
        "pause" => Action::Pause,
        "resume" => Action::Resume,
        "stop" => Action::Stop,
        "restart" => Action::Restart,
        _ => Action::Destroy,
    };
    perform(live, Op::Lifecycle { action, vm_id: id }, None);
    Ok(Flow::Back)
}

/// A whole-number prompt with a range (empty keeps the current value).
fn whole_field(
    label: &str,
    current: String,
    max: u64,
) -> Result<Result<Option<f64>, Flow>, CliError> {
    let v = ask(Text::new(label)
        .with_placeholder(&current)
        .with_help_message("Enter keeps the current value")
        .with_validator(move |s: &str| -> Valid {
            let s = s.trim();
            if s.is_empty() {
                return Ok(Validation::Valid);
            }
            Ok(match s.parse::<u64>() {
                Ok(n) if n <= max => Validation::Valid,
                _ => Validation::Invalid(format!("expected a whole number from 0 to {max}").into()),
            })
        })
        .prompt())?;
    Ok(v.map(|s| s.trim().parse::<u64>().ok().map(|n| n as f64)))
}

fn allocate(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Allocate to which VM?")? else {
        return Ok(Flow::Back);
    };
    let s = live.hypervisor().vm_status(&id)?;
    let ribosomes = field!(whole_field(
        "Ribosomes:",
        s.ribosomes.to_string(),
        10_000_000
    ));
    let rnap = field!(whole_field(
        "RNA polymerases:",
        s.rna_polymerase.to_string(),
        10_000_000
    ));
    let atp = prompt!(Text::new("ATP (% of supply):")
        .with_placeholder(&s.atp_percent.to_string())
        .with_help_message("Enter keeps the current value")
        .with_validator(|s: &str| -> Valid {
            let s = s.trim();
            Ok(match s.parse::<f64>() {
                _ if s.is_empty() => Validation::Valid,
                Ok(x) if (0.0..=100.0).contains(&x) => Validation::Valid,
                _ => Validation::Invalid("expected a number from 0 to 100".into()),
            })
        })
        .prompt());
    let mem = field!(whole_field(
        "Memory (kb):",
        s.memory_kb.to_string(),
        1_000_000_000
    ));
    let request = ResourceChange {
        ribosomes,
        rna_polymerase: rnap,
        atp_percent: atp.trim().parse::<f64>().ok(),
        memory_kb: mem,
    };
    perform(live, Op::AllocateResources { vm_id: id, request }, None);
    Ok(Flow::Back)
}

fn tune(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Tune which VM?")? else {
        return Ok(Flow::Back);
    };
    let s = live.hypervisor().vm_status(&id)?;
    let ranged = |key: &'static str, label: &str, current: String| {
        number_field(label, key, current, VmType::Basic)
    };
    let priority = field!(ranged(
        "priority",
        "Priority (1-10):",
        s.priority.to_string()
    ));
    let weight = field!(ranged("weight", "Weight (1-65535):", s.weight.to_string()));
    let cap = field!(ranged(
        "cap",
        "Cap (% of shared machinery, 0 = none):",
        s.cap.to_string()
    ));
    perform(
        live,
        Op::SetScheduling {
            vm_id: id,
            request: SchedulingChange {
                priority,
                weight,
                cap,
            },
        },
        None,
    );
    Ok(Flow::Back)
}

fn advance(live: &mut LiveSession) -> Result<Flow, CliError> {
    let t = prompt!(Text::new("Advance by (e.g. 30s, 10m, 6h):")
        .with_default("10m")
        .with_validator(|s: &str| -> Valid {
            Ok(match fmt::parse_duration(s) {
                Ok(_) => Validation::Valid,
                Err(e) => Validation::Invalid(e.into()),
            })
        })
        .prompt());
    let dt = fmt::parse_duration(&t).map_err(CliError::Usage)?;
    match live.advance(dt) {
        Ok(()) => println!("t = {}", fmt::clock(live.hypervisor().now_ms())),
        Err(e) => refused(&e),
    }
    Ok(Flow::Back)
}

fn switch_scheduler(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(kind) = pick_scheduler("New scheduler (VMs keep running):")? else {
        return Ok(Flow::Back);
    };
    let current = live.hypervisor().scheduler_params().quantum_ms;
    let q = prompt!(
        Text::new("Quantum (e.g. 10m; Enter keeps the current one):")
            .with_placeholder(&fmt::dur(current as f64))
            .with_validator(|s: &str| -> Valid {
                Ok(match s.trim() {
                    "" => Validation::Valid,
                    t => match fmt::parse_duration(t) {
                        Ok(0) => Validation::Invalid("expected at least 1 ms".into()),
                        Ok(_) => Validation::Valid,
                        Err(e) => Validation::Invalid(e.into()),
                    },
                })
            })
            .prompt()
    );
    let options = fmt::parse_duration(q.trim())
        .ok()
        .map(|quantum| SchedOptions {
            quantum_ms: Some(quantum),
            ..Default::default()
        });
    perform(
        live,
        Op::SetScheduler {
            name: kind,
            options,
        },
        None,
    );
    Ok(Flow::Back)
}

fn atp(live: &mut LiveSession) -> Result<Flow, CliError> {
    let p = prompt!(Text::new("ATP supply, % of normal:")
        .with_default("100")
        .with_validator(|s: &str| -> Valid {
            Ok(match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Validation::Valid,
                _ => Validation::Invalid("expected a number ≥ 0".into()),
            })
        })
        .prompt());
    let percent: f64 = p.trim().parse().unwrap_or(100.0);
    let before: Vec<String> = error_vms(live);
    if perform(live, Op::SetAtpSupply { percent }, None) {
        let faulted: Vec<String> = error_vms(live)
            .into_iter()
            .filter(|v| !before.contains(v))
            .collect();
        if !faulted.is_empty() {
            println!("faulted: {}", faulted.join(", "));
        }
    }
    Ok(Flow::Back)
}

fn error_vms(live: &LiveSession) -> Vec<String> {
    live.hypervisor()
        .list_vms()
        .into_iter()
        .filter(|v| v.state == VmState::Error)
        .map(|v| v.vm_id)
        .collect()
}
