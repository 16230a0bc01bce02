//! `bioxen`: the command-line tool over the simulation core (feature `cli`).
//!
//! Scripted commands (`run`, `validate`, `compare`, `chassis`, `schedulers`, `completions`),
//! the interactive menus (`interactive`) and the live dashboard (`watch`). Scenarios are
//! session files, the playground's export format (src/session.rs). Strings are parsed here,
//! at the edge; everything inside works on the core's types.

mod args;
mod circuits;
mod commands;
mod error;
mod files;
mod fmt;
mod genome;
mod interactive;
mod report;
mod watch;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::CliError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage errors exit 2.
            let code = if e.use_stderr() { error::EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            e.report();
            ExitCode::from(e.exit_code())
        }
    }
}

fn dispatch(cmd: Command) -> Result<(), CliError> {
    match cmd {
        Command::Run(a) => commands::run(&a),
        Command::Validate(a) => commands::validate(&a),
        Command::Compare(a) => commands::compare(&a),
        Command::Chassis(c) => commands::chassis(&c),
        Command::Schedulers(a) => commands::schedulers(&a),
        Command::Genome(g) => genome::command(&g),
        Command::Circuits(c) => circuits::command(&c),
        Command::ExportSbml(a) => circuits::export_sbml(&a),
        Command::Interactive(a) => interactive::main(&a),
        Command::Watch(a) => watch::main(&a),
        Command::Completions(a) => {
            commands::completions(a.shell);
            Ok(())
        }
        Command::ExitCodes => {
            commands::exit_codes();
            Ok(())
        }
    }
}
