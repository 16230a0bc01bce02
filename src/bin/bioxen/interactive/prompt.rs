//! What every dialogue of `bioxen interactive` shares: the prompt result ([`Flow`]: Esc goes
//! back, Ctrl-C quits), the `prompt!`/`field!` shorthands, the scheduler picker, and
//! [`perform`], which applies one operation through the live session and says what happened.

use bioxen::session::{LiveSession, Op};
use bioxen::SchedulerKind;
use inquire::validator::Validation;
use inquire::{InquireError, Select};

use crate::error::CliError;
use crate::fmt;

pub(super) type Valid = Result<Validation, inquire::CustomUserError>;

/// Ctrl-C or Esc at the main menu ends the program; inside a dialogue it goes back.
pub(super) enum Flow {
    Back,
    Quit,
}

pub(super) fn ask<T>(r: Result<T, InquireError>) -> Result<Result<T, Flow>, CliError> {
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
        match $crate::interactive::prompt::ask($e)? {
            Ok(v) => v,
            Err(f) => return Ok(f),
        }
    };
}
pub(super) use {field, prompt};

pub(super) fn refused(e: &bioxen::BioxenError) {
    println!("refused [{}] {e}", e.code());
}

pub(super) fn perform(live: &mut LiveSession, op: Op, password: Option<&str>) -> bool {
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

/// A menu item: the line it shows and the typed value it stands for, so that a choice is never
/// parsed back from its text.
pub(super) struct Choice<T> {
    pub(super) value: T,
    label: String,
}

impl<T> Choice<T> {
    pub(super) fn new(value: T, label: impl Into<String>) -> Self {
        Choice {
            value,
            label: label.into(),
        }
    }
}

impl<T> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// Show only the name of a chosen "name  description" line.
pub(super) fn first_word<T: std::fmt::Display>(o: inquire::list_option::ListOption<&T>) -> String {
    o.value
        .to_string()
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_string()
}

pub(super) fn pick_scheduler(msg: &str) -> Result<Option<SchedulerKind>, CliError> {
    let items: Vec<Choice<SchedulerKind>> = SchedulerKind::ALL
        .iter()
        .map(|&k| Choice::new(k, format!("{:<12} {}", k.as_str(), k.describe())))
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
    Ok(Some(c.value))
}
