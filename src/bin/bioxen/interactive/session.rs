//! Sessions in `bioxen interactive`: a new one (chassis, scheduler, machinery, seed), and
//! saving and loading session files the playground reads.

use bioxen::chassis::{ChassisKind, ChassisSpec};
use bioxen::machinery::MachineryKind;
use bioxen::session::{LiveSession, Session, SessionOptions};
use inquire::validator::Validation;
use inquire::{Select, Text};

use super::prompt::{ask, first_word, pick_scheduler, prompt, Choice, Flow, Valid};
use crate::error::CliError;
use crate::files;
use crate::fmt;

pub(super) fn new_session() -> Result<Option<LiveSession>, CliError> {
    let chassis: Vec<Choice<ChassisKind>> = ChassisKind::PRESETS
        .iter()
        .filter_map(|k| ChassisSpec::preset(*k).ok())
        .map(|s| Choice::new(s.kind, format!("{:<11} {}", s.kind.as_str(), s.name)))
        .collect();
    let Ok(chassis) = ask(Select::new("Chassis (the host cell):", chassis)
        .with_formatter(&first_word)
        .prompt())?
    else {
        return Ok(None);
    };
    let Some(scheduler) = pick_scheduler("Scheduler:")? else {
        return Ok(None);
    };
    let machinery_items: Vec<Choice<MachineryKind>> = MachineryKind::ALL
        .iter()
        .map(|&k| {
            Choice::new(
                k,
                format!(
                    "{:<8} {}",
                    k.as_str(),
                    match k {
                        MachineryKind::Simple =>
                            "linear production, constant switch cost (scheduling lessons)",
                        MachineryKind::Kinetic =>
                            "the Weisse 2015 host-circuit model: growth, burden, capacity monitor",
                    }
                ),
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
    let machinery = match m.value {
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
        chassis.value,
        scheduler,
        SessionOptions {
            seed: Some(seed.trim().parse().unwrap_or(1)),
            machinery,
            ..Default::default()
        },
    );
    Ok(Some(LiveSession::new(s)?))
}

pub(super) fn save(live: &LiveSession) -> Result<Flow, CliError> {
    let path = prompt!(Text::new("Save to file:")
        .with_default("bioxen-session.json")
        .prompt());
    match files::write_text(&path, &files::session_json(live.session())) {
        Ok(()) => println!(
            "saved {} operations (t = {}) to {path}; the playground imports it",
            live.session().ops.len(),
            fmt::clock(live.hypervisor().now_ms())
        ),
        Err(e) => e.report(),
    }
    Ok(Flow::Back)
}

pub(super) fn load(live: &mut LiveSession) -> Result<Flow, CliError> {
    let path = prompt!(Text::new("Session file to load:").prompt());
    let loaded = files::load_session(path.trim()).and_then(|s| Ok(live.replace(s)?));
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
