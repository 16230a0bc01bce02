//! The session format's vocabulary: the `format` and `version` values, the limits, every key
//! and `op` kind a session may hold (in the order sessions write them), and [`SessionError`],
//! the refusal of a session with the path of the value refused.

use std::fmt;

use crate::error::BioxenError;

/// The `format` value of every session.
pub const FORMAT: &str = "bioxen-session";
/// The version this module reads and writes.
pub const VERSION: u32 = 1;
/// Largest session text, in UTF-16 code units as JS counts it (4 MiB).
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most operations in one session.
pub const MAX_OPS: usize = 20_000;
/// Latest `atMs`/`endMs`: 90 simulated days.
pub const MAX_END_MS: u64 = 90 * 86_400_000;
/// Longest string value (UTF-16 code units).
pub const MAX_STRING: usize = 2048;
/// Longest VM id string accepted by the reader (the package itself allows 64).
pub const MAX_ID: usize = 200;
/// Longest `meta` string.
pub const MAX_META: usize = 200;
/// Replayed instead of an xcpng VM's password: sessions never store passwords.
pub const REDACTED_PASSWORD: &str = "(redacted)";
/// Error code of a refused session (as `SessionError.code` in JS).
pub const INVALID_SESSION: &str = "INVALID_SESSION";

pub(super) const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

pub(super) const TOP_KEYS: &[&str] = &[
    "format",
    "version",
    "chassis",
    "scheduler",
    "options",
    "ops",
    "endMs",
    "meta",
];
/// Hypervisor option keys, in the order sessions write them.
pub const OPTION_KEYS: &[&str] = &[
    "quantumMs",
    "maxVms",
    "seed",
    "contextSwitchMs",
    "traceCapacity",
    "eventCapacity",
];
pub(super) const META_KEYS: &[&str] = &["title", "savedAt", "bioxenVersion", "createdBy", "preset"];
pub(super) const SCHED_OPTION_KEYS: &[&str] = &[
    "quantumMs",
    "seed",
    "mlfqLevels",
    "mlfqBoostMs",
    "agingMs",
    "mlfqQuantaMs",
    "mlfqAllotments",
    "mlfqBoostRule",
];
/// The `setScheduler` options that are lists of whole numbers (one per MLFQ level).
pub(super) const SCHED_LIST_KEYS: &[&str] = &["mlfqQuantaMs", "mlfqAllotments"];
pub(super) const SCHEDULING_KEYS: &[&str] = &["priority", "weight", "cap"];
pub(super) const RESOURCE_KEYS: &[&str] = &["ribosomes", "rnaPolymerase", "atpPercent", "memoryKb"];
/// Numeric `config` keys of `createVm`, in the order sessions write them.
pub const CONFIG_NUMBER_KEYS: &[&str] = &[
    "ribosomes",
    "rnaPolymerase",
    "atpPercent",
    "memoryKb",
    "priority",
    "weight",
    "cap",
    "workloadAa",
    "cycles",
];
/// String `config` keys (`password` is accepted and dropped).
pub const CONFIG_STRING_KEYS: &[&str] = &["xapiUrl", "username", "password", "sshUser"];
/// The `config` key of a genome VM: `{ "workload": ... }` (a `parseGenome` summary's
/// `workload`, kept as given; the package checks it on replay).
pub const CONFIG_GENOME_KEY: &str = "genome";
/// The `config` key of a circuit VM: a built-in circuit's id or a circuit in full, kept as
/// given (the package checks it on replay, naming `config.circuit...`).
pub const CONFIG_CIRCUIT_KEY: &str = "circuit";
/// The `options` key of the machinery model (`simple` or `kinetic`), written after
/// [`OPTION_KEYS`].
pub const MACHINERY_KEY: &str = "machinery";
/// Every key of `options`: [`OPTION_KEYS`], then [`MACHINERY_KEY`].
pub(super) fn option_keys() -> Vec<&'static str> {
    OPTION_KEYS.iter().copied().chain([MACHINERY_KEY]).collect()
}

/// Every key of a `createVm` config: the numbers, the strings, then [`CONFIG_GENOME_KEY`] and
/// [`CONFIG_CIRCUIT_KEY`].
pub(super) fn config_keys() -> Vec<&'static str> {
    CONFIG_NUMBER_KEYS
        .iter()
        .chain(CONFIG_STRING_KEYS)
        .copied()
        .chain([CONFIG_GENOME_KEY, CONFIG_CIRCUIT_KEY])
        .collect()
}

/// Every `op` kind.
pub const OP_KINDS: &[&str] = &[
    "createVm",
    "startVm",
    "pauseVm",
    "resumeVm",
    "stopVm",
    "restartVm",
    "destroyVm",
    "setScheduler",
    "setScheduling",
    "allocateResources",
    "setAtpSupply",
    "setInducer",
];

/// A refused session: `path` says where (`"ops[3].vmId"`, or `"$"` for the whole file).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionError {
    pub path: String,
    pub message: String,
    /// The package's refusal, when an operation was refused on replay.
    pub cause: Option<Box<BioxenError>>,
}

impl SessionError {
    pub(super) fn new(message: impl Into<String>, path: impl Into<String>) -> Self {
        SessionError {
            path: path.into(),
            message: message.into(),
            cause: None,
        }
    }

    /// Always `INVALID_SESSION`; the package's own code is `cause.code()`.
    pub fn code(&self) -> &'static str {
        INVALID_SESSION
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "$" {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for SessionError {}
