//! Biological VMs: identifiers, types, lifecycle states and the transition rules.
//!
//! The hypervisor owns the VM records; this module owns what a VM *is* (its id, its
//! biological and VM type, its state) and which lifecycle transitions are legal.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};

/// Longest accepted VM id.
pub const MAX_ID_LEN: usize = 64;

/// A validated VM id: 1–64 characters of ASCII letters, digits, `_`, `.` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct VmId(Arc<str>);

impl VmId {
    pub fn new(id: &str) -> Result<Self> {
        let shown: String = id.chars().take(80).collect();
        let invalid = |reason: String| BioxenError::InvalidId {
            id: shown.clone(),
            reason,
        };
        if id.is_empty() {
            return Err(invalid("expected 1-64 characters, got an empty id".into()));
        }
        let n = id.chars().count();
        if n > MAX_ID_LEN {
            return Err(invalid(format!("expected 1-64 characters, got {n}")));
        }
        if let Some(c) = id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        {
            return Err(invalid(format!(
                "character {c:?} is not allowed; expected letters, digits, '_', '.' or '-'"
            )));
        }
        Ok(VmId(Arc::from(id)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shared string, cheap to clone into traces and events.
    pub fn shared(&self) -> Arc<str> {
        self.0.clone()
    }
}

impl std::borrow::Borrow<str> for VmId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for VmId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        VmId::new(&s).map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for VmId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of organism a guest genome comes from; it sets the default workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BiologicalType {
    Syn3a,
    Ecoli,
    MinimalCell,
    Yeast,
}

impl BiologicalType {
    pub const ALL: [BiologicalType; 4] = [
        BiologicalType::Syn3a,
        BiologicalType::Ecoli,
        BiologicalType::MinimalCell,
        BiologicalType::Yeast,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BiologicalType::Syn3a => "syn3a",
            BiologicalType::Ecoli => "ecoli",
            BiologicalType::MinimalCell => "minimal_cell",
            BiologicalType::Yeast => "yeast",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| BioxenError::UnsupportedBiologicalType(s.chars().take(80).collect()))
    }
}

impl std::fmt::Display for BiologicalType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the VM is backed: simulated locally (`basic`) or by a remote XCP-ng host (`xcpng`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmType {
    Basic,
    Xcpng,
}

impl VmType {
    pub const ALL: [VmType; 2] = [VmType::Basic, VmType::Xcpng];

    pub fn as_str(self) -> &'static str {
        match self {
            VmType::Basic => "basic",
            VmType::Xcpng => "xcpng",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| BioxenError::UnsupportedVmType(s.chars().take(80).collect()))
    }
}

impl std::fmt::Display for VmType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lifecycle state of a VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VmState {
    Created,
    Running,
    Paused,
    Stopped,
    Error,
}

impl VmState {
    pub fn as_str(self) -> &'static str {
        match self {
            VmState::Created => "created",
            VmState::Running => "running",
            VmState::Paused => "paused",
            VmState::Stopped => "stopped",
            VmState::Error => "error",
        }
    }
}

impl std::fmt::Display for VmState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A lifecycle action a user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Start,
    Pause,
    Resume,
    Stop,
    Restart,
    Destroy,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Start => "start",
            Action::Pause => "pause",
            Action::Resume => "resume",
            Action::Stop => "stop",
            Action::Restart => "restart",
            Action::Destroy => "destroy",
        }
    }

    /// The states this action is allowed from, for error messages.
    fn allowed_text(self) -> &'static str {
        match self {
            Action::Start => "created or stopped",
            Action::Pause => "running",
            Action::Resume => "paused",
            Action::Stop => "running or paused",
            Action::Restart => "running, paused, stopped or error",
            Action::Destroy => "any state",
        }
    }

    /// The state after this action from `from`, or the refusal.
    pub fn apply(self, vm: &VmId, from: VmState) -> Result<VmState> {
        use VmState::*;
        let to = match (self, from) {
            (Action::Start, Created | Stopped) => Some(Running),
            (Action::Pause, Running) => Some(Paused),
            (Action::Resume, Paused) => Some(Running),
            (Action::Stop, Running | Paused) => Some(Stopped),
            (Action::Restart, Running | Paused | Stopped | Error) => Some(Running),
            (Action::Destroy, s) => Some(s),
            _ => None,
        };
        to.ok_or_else(|| BioxenError::InvalidTransition {
            vm: vm.to_string(),
            state: from.as_str(),
            action: self.as_str(),
            allowed: self.allowed_text(),
        })
    }
}

/// A secret string: never serialised, never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The secret itself, for a backend that needs it. Never log the result.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Connection settings of an XCP-ng backed VM. The password is a [`Secret`]: it is skipped by
/// serialisation (so it is absent from snapshots and statuses) and redacted in `Debug`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XcpngConfig {
    pub xapi_url: String,
    pub username: String,
    #[serde(skip)]
    pub password: Secret,
    pub ssh_user: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated() {
        assert!(VmId::new("vm-1_a.b").is_ok());
        assert!(VmId::new(&"a".repeat(64)).is_ok());
        for bad in ["", "has space", "é", "<img>", &"a".repeat(65)] {
            let e = VmId::new(bad).unwrap_err();
            assert_eq!(e.code(), "INVALID_ID", "{bad}");
        }
        let long = "x".repeat(10_000);
        let msg = VmId::new(&long).unwrap_err().to_string();
        assert!(msg.len() < 300, "error message stays short: {}", msg.len());
    }

    #[test]
    fn transition_table() {
        use Action::*;
        use VmState::*;
        let id = VmId::new("v").unwrap();
        let states = [Created, Running, Paused, Stopped, Error];
        let expect = |a: Action, s: VmState| -> Option<VmState> {
            match (a, s) {
                (Start, Created) | (Start, Stopped) => Some(Running),
                (Pause, Running) => Some(Paused),
                (Resume, Paused) => Some(Running),
                (Stop, Running) | (Stop, Paused) => Some(Stopped),
                (Restart, Running | Paused | Stopped | Error) => Some(Running),
                (Destroy, s) => Some(s),
                _ => None,
            }
        };
        let mut refused = 0;
        for a in [Start, Pause, Resume, Stop, Restart, Destroy] {
            for s in states {
                match (a.apply(&id, s), expect(a, s)) {
                    (Ok(got), Some(want)) => assert_eq!(got, want),
                    (Err(e), None) => {
                        refused += 1;
                        let m = e.to_string();
                        assert!(
                            m.contains('v') && m.contains(s.as_str()) && m.contains(a.as_str())
                        );
                        assert_eq!(e.code(), "INVALID_TRANSITION");
                    }
                    (got, want) => panic!("{a:?} from {s:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert_eq!(refused, 15);
    }

    #[test]
    fn secret_never_serialised_or_printed() {
        let c = XcpngConfig {
            xapi_url: "https://x".into(),
            username: "root".into(),
            password: Secret::new("hunter2"),
            ssh_user: "bioxen".into(),
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(!serde_json::to_string(&c).unwrap().contains("hunter2"));
    }
}
