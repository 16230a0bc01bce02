//! Errors at the CLI's edge: the core's codes on stderr and one exit status per code.

use bioxen::session::SessionError;
use bioxen::BioxenError;

/// A command-line usage error (clap's own status).
pub const EXIT_USAGE: u8 = 2;

/// Exit statuses: 0 success, 1 an unexpected failure, 2 usage; the rest one per code.
pub const EXIT_CODES: &[(u8, &str, &str)] = &[
    (
        1,
        "INTERNAL",
        "an unexpected failure (a terminal that cannot be used, a bug)",
    ),
    (
        2,
        "USAGE",
        "the command line is wrong (unknown option, missing argument)",
    ),
    (
        3,
        "INVALID_SESSION",
        "the scenario is not a valid session (syntax, keys, limits)",
    ),
    (4, "IO_ERROR", "a file could not be read or written"),
    (10, "UNSUPPORTED_BIOLOGICAL_TYPE", "unknown biological type"),
    (11, "UNSUPPORTED_VM_TYPE", "unknown VM type"),
    (
        12,
        "INVALID_ID",
        "a VM id that is not 1-64 letters, digits, '_', '.' or '-'",
    ),
    (13, "DUPLICATE_VM", "a VM with that id exists"),
    (14, "CAPACITY_REACHED", "the chassis hosts no more VMs"),
    (
        15,
        "INSUFFICIENT_RESOURCES",
        "the ledger cannot fit the reservation",
    ),
    (
        16,
        "INVALID_TRANSITION",
        "the lifecycle action is not allowed in the VM's state",
    ),
    (17, "NOT_FOUND", "no VM with that id"),
    (
        18,
        "INVALID_CONFIG",
        "a VM config value out of range or unknown",
    ),
    (
        19,
        "INVALID_ARGUMENT",
        "an argument out of range or unknown (chassis, scheduler, number)",
    ),
    (
        20,
        "BACKEND_UNAVAILABLE",
        "an xcpng VM cannot start (no remote backend)",
    ),
    (21, "INVALID_SNAPSHOT", "a snapshot could not be read"),
    (
        22,
        "INVALID_GENOME",
        "a genome file could not be read (the line and column are named)",
    ),
    (
        23,
        "INPUT_TOO_LARGE",
        "an input is over its documented size limit",
    ),
    (
        24,
        "FEATURE_UNAVAILABLE",
        "this build was compiled without the feature the operation needs (kinetics, genome)",
    ),
];

/// The exit status of an error code (1 for a code this table does not know).
pub fn exit_for(code: &str) -> u8 {
    EXIT_CODES
        .iter()
        .find(|(_, c, _)| *c == code)
        .map_or(1, |(n, _, _)| *n)
}

#[derive(Debug)]
pub enum CliError {
    /// A bad command-line value, found after clap (e.g. a duration).
    Usage(String),
    /// A file could not be read or written.
    Io { path: String, message: String },
    /// A refused session: every problem found (a replay refusal carries the package's error).
    Session(Vec<SessionError>),
    /// The package refused something.
    Core(BioxenError),
    /// Anything else (terminal failures).
    Internal(String),
}

impl From<BioxenError> for CliError {
    fn from(e: BioxenError) -> Self {
        CliError::Core(e)
    }
}

impl From<SessionError> for CliError {
    fn from(e: SessionError) -> Self {
        CliError::Session(vec![e])
    }
}

impl CliError {
    pub fn io(path: &str, e: impl std::fmt::Display) -> Self {
        CliError::Io {
            path: path.to_string(),
            message: e.to_string(),
        }
    }

    /// One line per problem: `bioxen: error [CODE] message`.
    pub fn lines(&self) -> Vec<String> {
        match self {
            CliError::Usage(m) => vec![format!("bioxen: error [USAGE] {m}")],
            CliError::Io { path, message } => {
                vec![format!("bioxen: error [IO_ERROR] {path}: {message}")]
            }
            CliError::Session(errs) => errs
                .iter()
                .map(|e| format!("bioxen: error [{}] {e}", e.code()))
                .collect(),
            CliError::Core(e) => vec![format!("bioxen: error [{}] {e}", e.code())],
            CliError::Internal(m) => vec![format!("bioxen: error [INTERNAL] {m}")],
        }
    }

    pub fn report(&self) {
        for l in self.lines() {
            eprintln!("{l}");
        }
    }

    /// A session refused on replay exits with the status of the package's refusal; other
    /// session problems with INVALID_SESSION's.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Io { .. } => exit_for("IO_ERROR"),
            CliError::Session(errs) => match errs.first().and_then(|e| e.cause.as_ref()) {
                Some(cause) => exit_for(cause.code()),
                None => exit_for("INVALID_SESSION"),
            },
            CliError::Core(e) => exit_for(e.code()),
            CliError::Internal(_) => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_its_own_exit_status() {
        let mut seen = std::collections::BTreeSet::new();
        for (n, _, _) in EXIT_CODES {
            assert!(seen.insert(*n), "exit status {n} used twice");
        }
        for code in BioxenError::CODES {
            let n = exit_for(code);
            assert!(n >= 10, "{code} has no exit status of its own");
        }
    }
}
