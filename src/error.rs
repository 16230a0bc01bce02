//! The one error type of the simulation core.
//!
//! Every refused operation returns a [`BioxenError`]; a refused operation changes nothing.
//! Each variant has a stable machine-readable [`code`](BioxenError::code) that the JS
//! bindings expose as `error.code` and the CLI prints, and a message that names the
//! offending value and what was expected.

/// Errors the core can return. Messages never contain secrets (xcpng passwords).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BioxenError {
    #[error(
        "unsupported biological type {0:?}: expected one of syn3a, ecoli, minimal_cell, yeast"
    )]
    UnsupportedBiologicalType(String),

    #[error("unsupported VM type {0:?}: expected one of basic, xcpng")]
    UnsupportedVmType(String),

    #[error(
        "unsupported chassis {0:?}: expected one of ecoli, yeast, syn3a, orthogonal, textbook"
    )]
    UnsupportedChassis(String),

    #[error("unsupported scheduler {0:?}: expected one of fcfs, sjf, srtf, round_robin, priority, mlfq, lottery, credit, eevdf")]
    UnsupportedScheduler(String),

    #[error("invalid VM id {id:?}: {reason}")]
    InvalidId { id: String, reason: String },

    #[error("a VM with id {0:?} already exists")]
    DuplicateVm(String),

    #[error("cannot create VM {id:?}: the chassis hosts at most {limit} VMs and {limit} exist")]
    CapacityReached { id: String, limit: u32 },

    #[error("insufficient {pool} for VM {vm:?}: asked for {requested}, only {free} free")]
    InsufficientResources {
        vm: String,
        pool: &'static str,
        requested: String,
        free: String,
    },

    #[error("cannot {action} VM {vm:?}: it is {state}; {action} needs {allowed}")]
    InvalidTransition {
        vm: String,
        /// The VM's lifecycle state by name (`VmState::as_str`: error sits below `vm`).
        state: &'static str,
        action: &'static str,
        allowed: &'static str,
    },

    #[error("no VM with id {0:?}")]
    NotFound(String),

    #[error("invalid config: {}", format_config_errors(.0))]
    InvalidConfig(Vec<ConfigIssue>),

    #[error("invalid argument {name}: {message}")]
    InvalidArgument { name: String, message: String },

    #[error("cannot start VM {0:?}: remote XCP-ng backend not available")]
    BackendUnavailable(String),

    #[error("invalid snapshot: {0}")]
    InvalidSnapshot(String),

    /// A genome file that cannot be read: where (1-based line and column; 0 = not known) and why.
    #[error("invalid {what} input{}: {message}", place(*.line, *.column))]
    InvalidGenome {
        what: String,
        line: u64,
        column: u64,
        message: String,
    },

    #[error("{what} of {size} bytes is too large: at most {limit} bytes are read")]
    InputTooLarge { what: String, size: u64, limit: u64 },

    /// An operation that needs a cargo feature this build was compiled without (the
    /// `bioxen/lite` npm package is built without `kinetics` and `genome`).
    #[error("{operation} needs the {feature:?} feature, which this build leaves out; use a build with it (the npm package `bioxen` instead of `bioxen/lite`, or cargo's default features)")]
    FeatureUnavailable {
        feature: &'static str,
        operation: String,
    },
}

fn place(line: u64, column: u64) -> String {
    match (line, column) {
        (0, _) => String::new(),
        (l, 0) => format!(" at line {l}"),
        (l, c) => format!(" at line {l}, column {c}"),
    }
}

/// One problem found while validating a config: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigIssue {
    /// Path of the offending key, e.g. `ribosomes` or `xcpng.xapi_url`.
    pub path: String,
    pub message: String,
}

fn format_config_errors(issues: &[ConfigIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.path, i.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl BioxenError {
    /// Stable code, shared by the JS `Error.code` and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedBiologicalType(_) => "UNSUPPORTED_BIOLOGICAL_TYPE",
            Self::UnsupportedVmType(_) => "UNSUPPORTED_VM_TYPE",
            Self::UnsupportedChassis(_) | Self::UnsupportedScheduler(_) => "INVALID_ARGUMENT",
            Self::InvalidId { .. } => "INVALID_ID",
            Self::DuplicateVm(_) => "DUPLICATE_VM",
            Self::CapacityReached { .. } => "CAPACITY_REACHED",
            Self::InsufficientResources { .. } => "INSUFFICIENT_RESOURCES",
            Self::InvalidTransition { .. } => "INVALID_TRANSITION",
            Self::NotFound(_) => "NOT_FOUND",
            Self::InvalidConfig(_) => "INVALID_CONFIG",
            Self::InvalidArgument { .. } => "INVALID_ARGUMENT",
            Self::BackendUnavailable(_) => "BACKEND_UNAVAILABLE",
            Self::InvalidSnapshot(_) => "INVALID_SNAPSHOT",
            Self::InvalidGenome { .. } => "INVALID_GENOME",
            Self::InputTooLarge { .. } => "INPUT_TOO_LARGE",
            Self::FeatureUnavailable { .. } => "FEATURE_UNAVAILABLE",
        }
    }

    /// Every code the core can produce, for documentation and exhaustive tests.
    pub const CODES: &'static [&'static str] = &[
        "UNSUPPORTED_BIOLOGICAL_TYPE",
        "UNSUPPORTED_VM_TYPE",
        "INVALID_ID",
        "DUPLICATE_VM",
        "CAPACITY_REACHED",
        "INSUFFICIENT_RESOURCES",
        "INVALID_TRANSITION",
        "NOT_FOUND",
        "INVALID_CONFIG",
        "INVALID_ARGUMENT",
        "BACKEND_UNAVAILABLE",
        "INVALID_SNAPSHOT",
        "INVALID_GENOME",
        "INPUT_TOO_LARGE",
        "FEATURE_UNAVAILABLE",
    ];

    /// `operation` needs the cargo feature `feature` ("kinetics" or "genome"), which this build
    /// was compiled without.
    pub fn feature_unavailable(feature: &'static str, operation: impl Into<String>) -> Self {
        Self::FeatureUnavailable {
            feature,
            operation: operation.into(),
        }
    }

    pub(crate) fn arg(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidArgument {
            name: name.into(),
            message: message.into(),
        }
    }

    /// Config issues found while validating, if this is an `InvalidConfig` error.
    pub fn config_issues(&self) -> &[ConfigIssue] {
        match self {
            Self::InvalidConfig(v) => v,
            _ => &[],
        }
    }
}

pub type Result<T, E = BioxenError> = std::result::Result<T, E>;

/// A JSON value's kind as messages name it ("a number", "an object", ...).
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
