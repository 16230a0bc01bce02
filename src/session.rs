//! The session format, version 1: what the playground exports, imports and autosaves, and
//! what the `bioxen` CLI runs (see `www/session-format.md` and `docs/session.schema.json`).
//!
//! A session rebuilds a hypervisor deterministically: chassis, scheduler, hypervisor options,
//! every operation that succeeded with the simulated time at which it happened, and the time
//! the session reached. This module is the Rust twin of `www/js/session.js`: the same keys,
//! validation rules, limits and error paths, and the same replay:
//!
//! ```text
//! h = Hypervisor::new(options)
//! for op in ops { h.step(op.at_ms - h.now_ms()); apply(h, op)? }
//! h.step(end_ms - h.now_ms())
//! ```
//!
//! Operations are applied with the same argument conversions as the JS bindings
//! (`src/wasm/mod.rs`), so a refused operation fails with the same code and message in both.
//! Values the package checks itself (weight ranges, ids, ...) are left to replay, as in JS.
//!
//! Unlike `validateSession`, which throws at the first problem, [`validate`] reports every
//! problem it can find; the first one is the one the JS reader reports.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::chassis::ChassisKind;
use crate::config::ConfigManager;
use crate::error::BioxenError;
use crate::genome::GenomeWorkload;
use crate::hypervisor::{Hypervisor, HypervisorOptions, ResourceRequest, SchedulingRequest};
use crate::machinery::MachineryKind;
use crate::scheduler::{SchedulerKind, SchedulerParams};
use crate::vm::{Action, BiologicalType, VmType};

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

const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

const TOP_KEYS: &[&str] = &[
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
const META_KEYS: &[&str] = &["title", "savedAt", "bioxenVersion", "createdBy", "preset"];
const SCHED_OPTION_KEYS: &[&str] = &["quantumMs", "seed", "mlfqLevels", "mlfqBoostMs", "agingMs"];
const SCHEDULING_KEYS: &[&str] = &["priority", "weight", "cap"];
const RESOURCE_KEYS: &[&str] = &["ribosomes", "rnaPolymerase", "atpPercent", "memoryKb"];
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
/// The `options` key of the machinery model (`simple` or `kinetic`), written after
/// [`OPTION_KEYS`].
pub const MACHINERY_KEY: &str = "machinery";
/// Deepest nesting of a genome workload and most items of one of its arrays or objects (the
/// limits of the JS bindings' conversion).
const MAX_DEPTH: u32 = 16;
const MAX_ITEMS: usize = 10_000;
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
];

// ------------------------------------------------------------------ errors

/// A refused session: `path` says where (`"ops[3].vmId"`, or `"$"` for the whole file).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionError {
    pub path: String,
    pub message: String,
    /// The package's refusal, when an operation was refused on replay.
    pub cause: Option<Box<BioxenError>>,
}

impl SessionError {
    fn new(message: impl Into<String>, path: impl Into<String>) -> Self {
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

// ------------------------------------------------------------------ raw values

/// A parsed JSON/TOML value that keeps the order of object keys (so that errors come in the
/// order a JS reader meets them). Numbers are `f64`, as in JS.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Raw>),
    Obj(Vec<(String, Raw)>),
}

impl Raw {
    fn get(&self, key: &str) -> Option<&Raw> {
        match self {
            Raw::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Num(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Raw::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut out: Vec<(String, Raw)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Raw>()? {
                    // JSON.parse: a repeated key keeps its first position and its last value.
                    match out.iter_mut().find(|(x, _)| *x == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                Ok(Raw::Obj(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Keys in the order `Object.keys` lists them: array-index-like keys first, ascending.
fn js_key_order(kv: &[(String, Raw)]) -> Vec<&(String, Raw)> {
    let index = |k: &str| -> Option<u64> {
        if k == "0"
            || (!k.starts_with('0') && !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        {
            k.parse::<u64>().ok().filter(|&n| n < 4_294_967_295)
        } else {
            None
        }
    };
    let mut ints: Vec<(u64, &(String, Raw))> = kv
        .iter()
        .filter_map(|e| index(&e.0).map(|n| (n, e)))
        .collect();
    ints.sort_by_key(|(n, _)| *n);
    let mut out: Vec<&(String, Raw)> = ints.into_iter().map(|(_, e)| e).collect();
    out.extend(kv.iter().filter(|e| index(&e.0).is_none()));
    out
}

/// A copy with every object's keys in `Object.keys` order, as `JSON.parse` leaves them in JS.
fn js_ordered(v: &Raw) -> Raw {
    match v {
        Raw::Obj(kv) => Raw::Obj(
            js_key_order(kv)
                .into_iter()
                .map(|(k, x)| (k.clone(), js_ordered(x)))
                .collect(),
        ),
        Raw::Arr(items) => Raw::Arr(items.iter().map(js_ordered).collect()),
        other => other.clone(),
    }
}

/// A raw value as the JS bindings read a JS value into JSON (`js_to_json`, strict): the same
/// number conversion, nesting and size limits, and messages.
fn raw_to_json(v: &Raw, depth: u32) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (a cycle?)"
        ));
    }
    Ok(match v {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(*b),
        Raw::Num(n) if n.is_finite() => js_number_value(*n),
        Raw::Num(n) => return Err(format!("expected a finite number, got {n}")),
        Raw::Str(s) => Value::String(s.clone()),
        Raw::Arr(items) => {
            if items.len() > MAX_ITEMS {
                return Err(format!("an array of {} items is too long", items.len()));
            }
            Value::Array(
                items
                    .iter()
                    .map(|x| raw_to_json(x, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        Raw::Obj(kv) => {
            if kv.len() > MAX_ITEMS {
                return Err(format!("an object with {} keys is too big", kv.len()));
            }
            let mut out = serde_json::Map::new();
            for (k, x) in js_key_order(kv) {
                out.insert(k.clone(), raw_to_json(x, depth + 1)?);
            }
            Value::Object(out)
        }
    })
}

/// Length in UTF-16 code units (JS `string.length`).
fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A number as JS prints it (`String(n)`).
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let a = n.abs();
    if n.fract() == 0.0 && a < 1e21 {
        return format!("{}", n as i128);
    }
    if (1e-6..1e21).contains(&a) {
        return format!("{n}");
    }
    let e = format!("{n:e}");
    match e.split_once('e') {
        Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
        _ => e,
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// JS `describe()` of session.js; `None` is `undefined`.
fn describe(v: Option<&Raw>) -> String {
    match v {
        None => "a value of type undefined".into(),
        Some(Raw::Null) => "null".into(),
        Some(Raw::Arr(_)) => "an array".into(),
        Some(Raw::Str(s)) => {
            if js_len(s) > 40 {
                let mut units = 0;
                let short: String = s
                    .chars()
                    .take_while(|c| {
                        units += c.len_utf16();
                        units <= 40
                    })
                    .collect();
                format!("the string {}", json_string(&format!("{short}…")))
            } else {
                format!("the string {}", json_string(s))
            }
        }
        Some(Raw::Num(n)) => format!("the number {}", js_number(*n)),
        Some(Raw::Bool(_)) => "a value of type boolean".into(),
        Some(Raw::Obj(_)) => "a value of type object".into(),
    }
}

// ------------------------------------------------------------------ the typed session

/// Hypervisor options of a session (whole numbers, checked for range on replay, and the
/// machinery model).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionOptions {
    pub quantum_ms: Option<u64>,
    pub max_vms: Option<u64>,
    pub seed: Option<u64>,
    pub context_switch_ms: Option<u64>,
    pub trace_capacity: Option<u64>,
    pub event_capacity: Option<u64>,
    /// `None`: not written, replayed as the default (simple).
    pub machinery: Option<MachineryKind>,
}

impl SessionOptions {
    fn fields(&self) -> [(&'static str, Option<u64>); 6] {
        [
            ("quantumMs", self.quantum_ms),
            ("maxVms", self.max_vms),
            ("seed", self.seed),
            ("contextSwitchMs", self.context_switch_ms),
            ("traceCapacity", self.trace_capacity),
            ("eventCapacity", self.event_capacity),
        ]
    }

    fn set(&mut self, key: &str, v: u64) {
        match key {
            "quantumMs" => self.quantum_ms = Some(v),
            "maxVms" => self.max_vms = Some(v),
            "seed" => self.seed = Some(v),
            "contextSwitchMs" => self.context_switch_ms = Some(v),
            "traceCapacity" => self.trace_capacity = Some(v),
            _ => self.event_capacity = Some(v),
        }
    }
}

/// `setScheduler` options (whole numbers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SchedOptions {
    pub quantum_ms: Option<u64>,
    pub seed: Option<u64>,
    pub mlfq_levels: Option<u64>,
    pub mlfq_boost_ms: Option<u64>,
    pub aging_ms: Option<u64>,
}

impl SchedOptions {
    fn fields(&self) -> [(&'static str, Option<u64>); 5] {
        [
            ("quantumMs", self.quantum_ms),
            ("seed", self.seed),
            ("mlfqLevels", self.mlfq_levels),
            ("mlfqBoostMs", self.mlfq_boost_ms),
            ("agingMs", self.aging_ms),
        ]
    }
}

/// A VM config as a session stores it: numbers as given (the package checks ranges), the
/// XCP-ng strings, never a password. `cycles: Some(None)` is an explicit `null` (endless).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionConfig {
    pub ribosomes: Option<f64>,
    pub rna_polymerase: Option<f64>,
    pub atp_percent: Option<f64>,
    pub memory_kb: Option<f64>,
    pub priority: Option<f64>,
    pub weight: Option<f64>,
    pub cap: Option<f64>,
    pub workload_aa: Option<f64>,
    pub cycles: Option<Option<f64>>,
    pub xapi_url: Option<String>,
    pub username: Option<String>,
    pub ssh_user: Option<String>,
    /// `genome.workload` of a genome VM, as the file holds it (object keys in the order JS
    /// lists them, so it is written back byte for byte).
    pub genome: Option<Raw>,
}

impl SessionConfig {
    fn numbers(&self) -> [(&'static str, Option<Option<f64>>); 9] {
        [
            ("ribosomes", self.ribosomes.map(Some)),
            ("rnaPolymerase", self.rna_polymerase.map(Some)),
            ("atpPercent", self.atp_percent.map(Some)),
            ("memoryKb", self.memory_kb.map(Some)),
            ("priority", self.priority.map(Some)),
            ("weight", self.weight.map(Some)),
            ("cap", self.cap.map(Some)),
            ("workloadAa", self.workload_aa.map(Some)),
            ("cycles", self.cycles),
        ]
    }

    fn strings(&self) -> [(&'static str, Option<&String>); 3] {
        [
            ("xapiUrl", self.xapi_url.as_ref()),
            ("username", self.username.as_ref()),
            ("sshUser", self.ssh_user.as_ref()),
        ]
    }

    fn set_number(&mut self, key: &str, v: Option<f64>) {
        match key {
            "ribosomes" => self.ribosomes = v,
            "rnaPolymerase" => self.rna_polymerase = v,
            "atpPercent" => self.atp_percent = v,
            "memoryKb" => self.memory_kb = v,
            "priority" => self.priority = v,
            "weight" => self.weight = v,
            "cap" => self.cap = v,
            "workloadAa" => self.workload_aa = v,
            _ => self.cycles = Some(v),
        }
    }

    fn set_string(&mut self, key: &str, v: String) {
        match key {
            "xapiUrl" => self.xapi_url = Some(v),
            "username" => self.username = Some(v),
            _ => self.ssh_user = Some(v),
        }
    }

    /// Make this a genome VM's config: the workload as `parseGenome` gives it (key order of
    /// its JSON), which is what the playground's genome panel records.
    pub fn set_genome(&mut self, w: &GenomeWorkload) {
        self.genome = serde_json::to_string(w)
            .ok()
            .and_then(|t| serde_json::from_str::<Raw>(&t).ok());
    }

    /// The config as the JS bindings receive it (numbers converted as `js_to_json` does).
    fn to_value(&self, password: Option<&str>) -> Value {
        let mut m = serde_json::Map::new();
        for (k, v) in self.numbers() {
            match v {
                None => {}
                Some(None) => {
                    m.insert(k.into(), Value::Null);
                }
                Some(Some(n)) => {
                    m.insert(k.into(), js_number_value(n));
                }
            }
        }
        for (k, v) in self.strings() {
            if let Some(s) = v {
                m.insert(k.into(), Value::String(s.clone()));
            }
        }
        if let Some(p) = password {
            m.insert("password".into(), Value::String(p.into()));
        }
        Value::Object(m)
    }
}

/// A JS number as the bindings read it into JSON (see `js_to_json` in src/wasm/mod.rs).
fn js_number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
        if n >= 0.0 {
            Value::from(n as u64)
        } else {
            Value::from(n as i64)
        }
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// A `setScheduling` request (numbers as given).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SchedulingChange {
    pub priority: Option<f64>,
    pub weight: Option<f64>,
    pub cap: Option<f64>,
}

/// An `allocateResources` request (numbers as given).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ResourceChange {
    pub ribosomes: Option<f64>,
    pub rna_polymerase: Option<f64>,
    pub atp_percent: Option<f64>,
    pub memory_kb: Option<f64>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    CreateVm {
        vm_id: String,
        biological_type: BiologicalType,
        vm_type: VmType,
        config: SessionConfig,
    },
    /// `startVm`, `pauseVm`, `resumeVm`, `stopVm`, `restartVm`, `destroyVm`.
    Lifecycle {
        action: Action,
        vm_id: String,
    },
    SetScheduler {
        name: SchedulerKind,
        options: Option<SchedOptions>,
    },
    SetScheduling {
        vm_id: String,
        request: SchedulingChange,
    },
    AllocateResources {
        vm_id: String,
        request: ResourceChange,
    },
    SetAtpSupply {
        percent: f64,
    },
}

const LIFECYCLE: [(&str, Action); 6] = [
    ("startVm", Action::Start),
    ("pauseVm", Action::Pause),
    ("resumeVm", Action::Resume),
    ("stopVm", Action::Stop),
    ("restartVm", Action::Restart),
    ("destroyVm", Action::Destroy),
];

impl Op {
    /// The `op` string.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::CreateVm { .. } => "createVm",
            Op::Lifecycle { action, .. } => LIFECYCLE
                .iter()
                .find(|(_, a)| a == action)
                .map_or("startVm", |(k, _)| k),
            Op::SetScheduler { .. } => "setScheduler",
            Op::SetScheduling { .. } => "setScheduling",
            Op::AllocateResources { .. } => "allocateResources",
            Op::SetAtpSupply { .. } => "setAtpSupply",
        }
    }

    /// The VM this operation is about, if any.
    pub fn vm_id(&self) -> Option<&str> {
        match self {
            Op::CreateVm { vm_id, .. }
            | Op::Lifecycle { vm_id, .. }
            | Op::SetScheduling { vm_id, .. }
            | Op::AllocateResources { vm_id, .. } => Some(vm_id),
            _ => None,
        }
    }
}

/// An operation and the simulated time at which it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedOp {
    pub at_ms: u64,
    pub op: Op,
}

/// A validated session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub chassis: ChassisKind,
    pub scheduler: SchedulerKind,
    pub options: SessionOptions,
    pub ops: Vec<TimedOp>,
    pub end_ms: u64,
    /// Informative strings (`title`, `savedAt`, `bioxenVersion`, `createdBy`, `preset`), in
    /// file order; never replayed.
    pub meta: Vec<(String, String)>,
}

impl Session {
    /// An empty session.
    pub fn new(chassis: ChassisKind, scheduler: SchedulerKind, options: SessionOptions) -> Self {
        Session {
            chassis,
            scheduler,
            options,
            ops: Vec::new(),
            end_ms: 0,
            meta: Vec::new(),
        }
    }

    /// Set (or replace) a `meta` string.
    pub fn set_meta(&mut self, key: &str, value: &str) {
        match self.meta.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.meta.push((key.to_string(), value.to_string())),
        }
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The same session cut at `t_ms`: operations after it are left out and it ends there.
    pub fn until(&self, t_ms: u64) -> Session {
        Session {
            ops: self
                .ops
                .iter()
                .filter(|o| o.at_ms <= t_ms)
                .cloned()
                .collect(),
            end_ms: t_ms,
            ..self.clone()
        }
    }

    /// The hypervisor options, converted and checked as `new Hypervisor(options)` does in JS.
    pub fn hypervisor_options(
        &self,
        scheduler: Option<SchedulerKind>,
    ) -> Result<HypervisorOptions, BioxenError> {
        let o = &self.options;
        let mut opts = HypervisorOptions::for_chassis(self.chassis.as_str())?;
        opts.scheduler = scheduler.unwrap_or(self.scheduler);
        if let Some(m) = o.machinery {
            opts.machinery = m;
        }
        opts.quantum_ms = whole("quantumMs", o.quantum_ms.map(|n| n as f64), 1e12)?;
        opts.max_vms = whole("maxVms", o.max_vms.map(|n| n as f64), 4096.0)?.map(|n| n as u32);
        opts.seed = whole("seed", o.seed.map(|n| n as f64), MAX_SAFE_INTEGER as f64)?.unwrap_or(0);
        opts.context_switch_ms = whole(
            "contextSwitchMs",
            o.context_switch_ms.map(|n| n as f64),
            1e9,
        )?;
        if let Some(n) = whole("traceCapacity", o.trace_capacity.map(|n| n as f64), 1e7)? {
            opts.trace_capacity = n as usize;
        }
        if let Some(n) = whole("eventCapacity", o.event_capacity.map(|n| n as f64), 1e7)? {
            opts.event_capacity = n as usize;
        }
        Ok(opts)
    }
}

/// `whole()` of the JS bindings: a whole number from 0 to `max`, or INVALID_ARGUMENT.
fn whole(name: &str, v: Option<f64>, max: f64) -> Result<Option<u64>, BioxenError> {
    match v {
        None => Ok(None),
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max => Ok(Some(n as u64)),
        Some(n) => Err(BioxenError::arg(
            name,
            format!("{n} is not a whole number from 0 to {max}"),
        )),
    }
}

// ------------------------------------------------------------------ reading

/// Which syntax a session file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    /// Read natively only (the CLI); the playground reads JSON.
    Toml,
}

impl Syntax {
    /// TOML for a `.toml` file name, JSON otherwise.
    pub fn for_path(path: &str) -> Syntax {
        if path.to_ascii_lowercase().ends_with(".toml") {
            Syntax::Toml
        } else {
            Syntax::Json
        }
    }
}

/// Parse session text into a raw value (size limit and syntax only).
pub fn parse_raw(text: &str, syntax: Syntax) -> Result<Raw, SessionError> {
    let units = js_len(text);
    if units > MAX_BYTES {
        return Err(SessionError::new(
            format!("file too large ({units} bytes > {MAX_BYTES})"),
            "$",
        ));
    }
    match syntax {
        Syntax::Json => serde_json::from_str::<Raw>(text)
            .map_err(|e| SessionError::new(format!("not JSON: {e}"), "$")),
        Syntax::Toml => parse_toml(text),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn parse_toml(text: &str) -> Result<Raw, SessionError> {
    toml::from_str::<Raw>(text)
        .map_err(|e| SessionError::new(format!("not TOML: {}", e.message().trim()), "$"))
}

#[cfg(target_arch = "wasm32")]
fn parse_toml(_text: &str) -> Result<Raw, SessionError> {
    Err(SessionError::new(
        "TOML sessions are read by the native CLI; the wasm build reads JSON",
        "$",
    ))
}

/// Parse and validate session text; every problem found, in the order JS meets them.
pub fn parse(text: &str, syntax: Syntax) -> Result<Session, Vec<SessionError>> {
    let raw = parse_raw(text, syntax).map_err(|e| vec![e])?;
    validate(&raw)
}

/// Validate a parsed session and return the typed session, or every problem with its path.
pub fn validate(raw: &Raw) -> Result<Session, Vec<SessionError>> {
    let mut v = Validator::default();
    let session = v.session(raw);
    match session {
        Some(s) if v.errors.is_empty() => Ok(s),
        _ => Err(v.errors),
    }
}

#[derive(Default)]
struct Validator {
    errors: Vec<SessionError>,
}

impl Validator {
    fn err(&mut self, message: impl Into<String>, path: impl Into<String>) {
        self.errors.push(SessionError::new(message, path));
    }

    /// `checkKeys`: an object whose keys are all allowed. Reports every unknown key.
    fn keys<'a>(
        &mut self,
        v: Option<&'a Raw>,
        allowed: &[&str],
        path: &str,
    ) -> Option<&'a [(String, Raw)]> {
        match v {
            Some(Raw::Obj(kv)) => {
                for (k, _) in js_key_order(kv) {
                    if !allowed.contains(&k.as_str()) {
                        let shown: String = k.chars().take(60).collect();
                        self.err(format!("unknown key {}", json_string(&shown)), path);
                    }
                }
                Some(kv)
            }
            other => {
                self.err(format!("expected an object, got {}", describe(other)), path);
                None
            }
        }
    }

    fn whole_ms(&mut self, v: Option<&Raw>, path: &str, max: u64) -> Option<u64> {
        match v {
            Some(Raw::Num(n)) if n.fract() == 0.0 && *n >= 0.0 && *n <= max as f64 => {
                Some(*n as u64)
            }
            other => {
                self.err(
                    format!(
                        "expected a whole number from 0 to {max}, got {}",
                        describe(other)
                    ),
                    path,
                );
                None
            }
        }
    }

    fn finite(&mut self, v: Option<&Raw>, path: &str) -> Option<f64> {
        match v {
            Some(Raw::Num(n)) if n.is_finite() => Some(*n),
            other => {
                self.err(format!("expected a number, got {}", describe(other)), path);
                None
            }
        }
    }

    fn string(&mut self, v: Option<&Raw>, path: &str, max: usize) -> Option<String> {
        match v {
            Some(Raw::Str(s)) if js_len(s) > max => {
                self.err(format!("string longer than {max} characters"), path);
                None
            }
            Some(Raw::Str(s)) => Some(s.clone()),
            other => {
                self.err(format!("expected a string, got {}", describe(other)), path);
                None
            }
        }
    }

    fn one_of(&mut self, v: Option<&Raw>, list: &[&str], path: &str) -> Option<String> {
        let s = self.string(v, path, MAX_STRING)?;
        if list.contains(&s.as_str()) {
            Some(s)
        } else {
            self.err(
                format!("expected one of {}, got {}", list.join(", "), describe(v)),
                path,
            );
            None
        }
    }

    fn session(&mut self, raw: &Raw) -> Option<Session> {
        self.keys(Some(raw), TOP_KEYS, "$")?;
        let format = raw.get("format");
        if format != Some(&Raw::Str(FORMAT.into())) {
            self.err(
                format!(
                    "expected \"format\": \"{FORMAT}\", got {}",
                    describe(format)
                ),
                "format",
            );
            return None;
        }
        let version = raw.get("version");
        if version != Some(&Raw::Num(VERSION as f64)) {
            self.err(
                format!(
                    "unsupported version {} (this reader reads version {VERSION})",
                    describe(version)
                ),
                "version",
            );
            return None;
        }
        let chassis = self
            .one_of(
                raw.get("chassis"),
                &crate::factory::get_supported_chassis(),
                "chassis",
            )
            .and_then(|s| ChassisKind::parse(&s).ok());
        let scheduler = self
            .one_of(
                raw.get("scheduler"),
                &crate::factory::get_supported_schedulers(),
                "scheduler",
            )
            .and_then(|s| SchedulerKind::parse(&s).ok());
        let mut options = SessionOptions::default();
        if let Some(o) = raw.get("options") {
            let allowed: Vec<&str> = OPTION_KEYS.iter().copied().chain([MACHINERY_KEY]).collect();
            if let Some(kv) = self.keys(Some(o), &allowed, "options") {
                for k in OPTION_KEYS {
                    if let Some((_, v)) = kv.iter().find(|(x, _)| x == k) {
                        if let Some(n) =
                            self.whole_ms(Some(v), &format!("options.{k}"), MAX_SAFE_INTEGER)
                        {
                            options.set(k, n);
                        }
                    }
                }
                if let Some((_, v)) = kv.iter().find(|(x, _)| x == MACHINERY_KEY) {
                    let names: Vec<&str> = MachineryKind::ALL.iter().map(|m| m.as_str()).collect();
                    options.machinery = self
                        .one_of(Some(v), &names, "options.machinery")
                        .and_then(|s| MachineryKind::parse(&s).ok());
                }
            }
        }
        let mut meta = Vec::new();
        if let Some(m) = raw.get("meta") {
            if let Some(kv) = self.keys(Some(m), META_KEYS, "meta") {
                for (k, v) in js_key_order(kv) {
                    if META_KEYS.contains(&k.as_str()) {
                        if let Some(s) = self.string(Some(v), &format!("meta.{k}"), MAX_META) {
                            meta.push((k.clone(), s));
                        }
                    }
                }
            }
        }
        let mut ops = Vec::new();
        let mut last = 0u64;
        match raw.get("ops") {
            Some(Raw::Arr(list)) if list.len() > MAX_OPS => {
                self.err(
                    format!("too many operations ({} > {MAX_OPS})", list.len()),
                    "ops",
                );
            }
            Some(Raw::Arr(list)) => {
                for (i, op) in list.iter().enumerate() {
                    let p = format!("ops[{i}]");
                    if !matches!(op, Raw::Obj(_)) {
                        self.err(
                            format!("expected an object, got {}", describe(Some(op))),
                            &p,
                        );
                        continue;
                    }
                    let kind = self.one_of(op.get("op"), OP_KINDS, &format!("{p}.op"));
                    let at = self.whole_ms(op.get("atMs"), &format!("{p}.atMs"), MAX_END_MS);
                    if let Some(at) = at {
                        if at < last {
                            self.err(
                                format!("operations must be in time order (atMs {at} < {last})"),
                                format!("{p}.atMs"),
                            );
                        } else {
                            last = at;
                        }
                    }
                    let Some(kind) = kind else { continue };
                    if let (Some(o), Some(at_ms)) = (self.op(op, &kind, &p), at) {
                        ops.push(TimedOp { at_ms, op: o });
                    }
                }
            }
            other => self.err(format!("expected an array, got {}", describe(other)), "ops"),
        }
        let end_ms = match raw.get("endMs") {
            None => Some(last),
            Some(v) => self.whole_ms(Some(v), "endMs", MAX_END_MS),
        };
        if let Some(e) = end_ms {
            if e < last {
                self.err(
                    format!("endMs {e} is before the last operation ({last})"),
                    "endMs",
                );
            }
        }
        Some(Session {
            chassis: chassis?,
            scheduler: scheduler?,
            options,
            ops,
            end_ms: end_ms?,
            meta,
        })
    }

    fn vm_id(&mut self, op: &Raw, p: &str) -> Option<String> {
        self.string(op.get("vmId"), &format!("{p}.vmId"), MAX_ID)
    }

    fn numbers(
        &mut self,
        v: Option<&Raw>,
        keys: &[&str],
        path: &str,
    ) -> Option<Vec<(String, f64)>> {
        let kv = self.keys(v, keys, path)?;
        let mut out = Vec::new();
        let mut ok = true;
        for k in keys {
            if let Some((_, x)) = kv.iter().find(|(key, _)| key == k) {
                match self.finite(Some(x), &format!("{path}.{k}")) {
                    Some(n) => out.push((k.to_string(), n)),
                    None => ok = false,
                }
            }
        }
        ok.then_some(out)
    }

    fn op(&mut self, op: &Raw, kind: &str, p: &str) -> Option<Op> {
        let field =
            |out: &[(String, f64)], k: &str| out.iter().find(|(x, _)| x == k).map(|(_, n)| *n);
        if let Some((_, action)) = LIFECYCLE.iter().find(|(k, _)| *k == kind) {
            self.keys(Some(op), &["atMs", "op", "vmId"], p);
            return Some(Op::Lifecycle {
                action: *action,
                vm_id: self.vm_id(op, p)?,
            });
        }
        match kind {
            "createVm" => {
                self.keys(
                    Some(op),
                    &["atMs", "op", "vmId", "biologicalType", "vmType", "config"],
                    p,
                );
                let vm_id = self.vm_id(op, p);
                let bio = self
                    .one_of(
                        op.get("biologicalType"),
                        &crate::factory::get_supported_biological_types(),
                        &format!("{p}.biologicalType"),
                    )
                    .and_then(|s| BiologicalType::parse(&s).ok());
                let vm_type = match op.get("vmType") {
                    None => Some(VmType::Basic),
                    Some(v) => self
                        .one_of(
                            Some(v),
                            &crate::factory::get_supported_vm_types(),
                            &format!("{p}.vmType"),
                        )
                        .and_then(|s| VmType::parse(&s).ok()),
                };
                let mut config = SessionConfig::default();
                let mut ok = true;
                if let Some(c) = op.get("config") {
                    let all: Vec<&str> = CONFIG_NUMBER_KEYS
                        .iter()
                        .chain(CONFIG_STRING_KEYS)
                        .copied()
                        .chain([CONFIG_GENOME_KEY])
                        .collect();
                    match self.keys(Some(c), &all, &format!("{p}.config")) {
                        None => ok = false,
                        Some(kv) => {
                            let get = |k: &str| kv.iter().find(|(x, _)| x == k).map(|(_, v)| v);
                            if let Some(g) = get(CONFIG_GENOME_KEY) {
                                // session.js keeps only `workload`, which must be an object.
                                match (g, g.get("workload")) {
                                    (Raw::Obj(_), Some(w @ (Raw::Obj(_) | Raw::Arr(_)))) => {
                                        config.genome = Some(js_ordered(w));
                                    }
                                    _ => {
                                        self.err(
                                            "expected { workload } from parseGenome",
                                            format!("{p}.config.genome"),
                                        );
                                        ok = false;
                                    }
                                }
                            }
                            for k in CONFIG_NUMBER_KEYS {
                                match get(k) {
                                    None => {}
                                    Some(Raw::Null) if *k == "cycles" => config.set_number(k, None),
                                    Some(v) => {
                                        match self.finite(Some(v), &format!("{p}.config.{k}")) {
                                            Some(n) => config.set_number(k, Some(n)),
                                            None => ok = false,
                                        }
                                    }
                                }
                            }
                            for k in CONFIG_STRING_KEYS {
                                // A password found in a file is dropped.
                                if *k == "password" {
                                    continue;
                                }
                                if let Some(v) = get(k) {
                                    match self.string(
                                        Some(v),
                                        &format!("{p}.config.{k}"),
                                        MAX_STRING,
                                    ) {
                                        Some(s) => config.set_string(k, s),
                                        None => ok = false,
                                    }
                                }
                            }
                        }
                    }
                }
                let op = Op::CreateVm {
                    vm_id: vm_id?,
                    biological_type: bio?,
                    vm_type: vm_type?,
                    config,
                };
                ok.then_some(op)
            }
            "setScheduler" => {
                self.keys(Some(op), &["atMs", "op", "name", "options"], p);
                let name = self
                    .one_of(
                        op.get("name"),
                        &crate::factory::get_supported_schedulers(),
                        &format!("{p}.name"),
                    )
                    .and_then(|s| SchedulerKind::parse(&s).ok());
                let mut options = None;
                let mut ok = true;
                match op.get("options") {
                    None | Some(Raw::Null) => {}
                    Some(o) => {
                        let path = format!("{p}.options");
                        match self.keys(Some(o), SCHED_OPTION_KEYS, &path) {
                            None => ok = false,
                            Some(kv) => {
                                let mut so = SchedOptions::default();
                                for k in SCHED_OPTION_KEYS {
                                    let Some((_, v)) = kv.iter().find(|(x, _)| x == k) else {
                                        continue;
                                    };
                                    let n = self.whole_ms(
                                        Some(v),
                                        &format!("{path}.{k}"),
                                        MAX_SAFE_INTEGER,
                                    );
                                    let Some(n) = n else {
                                        ok = false;
                                        continue;
                                    };
                                    match *k {
                                        "quantumMs" => so.quantum_ms = Some(n),
                                        "seed" => so.seed = Some(n),
                                        "mlfqLevels" => so.mlfq_levels = Some(n),
                                        "mlfqBoostMs" => so.mlfq_boost_ms = Some(n),
                                        _ => so.aging_ms = Some(n),
                                    }
                                }
                                options = Some(so);
                            }
                        }
                    }
                }
                let op = Op::SetScheduler {
                    name: name?,
                    options,
                };
                ok.then_some(op)
            }
            "setScheduling" => {
                self.keys(Some(op), &["atMs", "op", "vmId", "request"], p);
                let vm_id = self.vm_id(op, p);
                let r =
                    self.numbers(op.get("request"), SCHEDULING_KEYS, &format!("{p}.request"))?;
                Some(Op::SetScheduling {
                    vm_id: vm_id?,
                    request: SchedulingChange {
                        priority: field(&r, "priority"),
                        weight: field(&r, "weight"),
                        cap: field(&r, "cap"),
                    },
                })
            }
            "allocateResources" => {
                self.keys(Some(op), &["atMs", "op", "vmId", "request"], p);
                let vm_id = self.vm_id(op, p);
                let r = self.numbers(op.get("request"), RESOURCE_KEYS, &format!("{p}.request"))?;
                Some(Op::AllocateResources {
                    vm_id: vm_id?,
                    request: ResourceChange {
                        ribosomes: field(&r, "ribosomes"),
                        rna_polymerase: field(&r, "rnaPolymerase"),
                        atp_percent: field(&r, "atpPercent"),
                        memory_kb: field(&r, "memoryKb"),
                    },
                })
            }
            _ => {
                // "setAtpSupply" (the kind was checked against OP_KINDS).
                self.keys(Some(op), &["atMs", "op", "percent"], p);
                Some(Op::SetAtpSupply {
                    percent: self.finite(op.get("percent"), &format!("{p}.percent"))?,
                })
            }
        }
    }
}

// ------------------------------------------------------------------ writing

/// `JSON.stringify(session, null, 2) + "\n"`, as `serializeSession` writes it: the same key
/// order and number formatting, so the playground and the CLI write the same bytes.
pub fn to_json(s: &Session) -> String {
    let mut out = String::new();
    write_json(&to_raw(s), 0, &mut out);
    out.push('\n');
    out
}

fn num(n: u64) -> Raw {
    Raw::Num(n as f64)
}

fn obj(kv: Vec<(&str, Raw)>) -> Raw {
    Raw::Obj(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The session as a raw JSON tree (key order of `serializeSession`).
pub fn to_raw(s: &Session) -> Raw {
    let mut options: Vec<(String, Raw)> = s
        .options
        .fields()
        .into_iter()
        .filter_map(|(k, v)| v.map(|n| (k.to_string(), num(n))))
        .collect();
    if let Some(m) = s.options.machinery {
        options.push((MACHINERY_KEY.into(), Raw::Str(m.as_str().into())));
    }
    let options = Raw::Obj(options);
    let ops = Raw::Arr(s.ops.iter().map(op_raw).collect());
    let meta = Raw::Obj(
        s.meta
            .iter()
            .map(|(k, v)| (k.clone(), Raw::Str(v.clone())))
            .collect(),
    );
    obj(vec![
        ("format", Raw::Str(FORMAT.into())),
        ("version", num(VERSION as u64)),
        ("chassis", Raw::Str(s.chassis.as_str().into())),
        ("scheduler", Raw::Str(s.scheduler.as_str().into())),
        ("options", options),
        ("ops", ops),
        ("endMs", num(s.end_ms)),
        ("meta", meta),
    ])
}

fn numbers_raw(fields: &[(&str, Option<f64>)]) -> Raw {
    Raw::Obj(
        fields
            .iter()
            .filter_map(|(k, v)| v.map(|n| (k.to_string(), Raw::Num(n))))
            .collect(),
    )
}

fn op_raw(t: &TimedOp) -> Raw {
    let mut kv: Vec<(&str, Raw)> =
        vec![("atMs", num(t.at_ms)), ("op", Raw::Str(t.op.kind().into()))];
    match &t.op {
        Op::CreateVm {
            vm_id,
            biological_type,
            vm_type,
            config,
        } => {
            let mut c: Vec<(String, Raw)> = Vec::new();
            if let Some(w) = &config.genome {
                c.push((
                    CONFIG_GENOME_KEY.into(),
                    Raw::Obj(vec![("workload".into(), w.clone())]),
                ));
            }
            for (k, v) in config.numbers() {
                match v {
                    None => {}
                    Some(None) => c.push((k.into(), Raw::Null)),
                    Some(Some(n)) => c.push((k.into(), Raw::Num(n))),
                }
            }
            for (k, v) in config.strings() {
                if let Some(s) = v {
                    c.push((k.into(), Raw::Str(s.clone())));
                }
            }
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push(("biologicalType", Raw::Str(biological_type.as_str().into())));
            kv.push(("vmType", Raw::Str(vm_type.as_str().into())));
            kv.push(("config", Raw::Obj(c)));
        }
        Op::Lifecycle { vm_id, .. } => kv.push(("vmId", Raw::Str(vm_id.clone()))),
        Op::SetScheduler { name, options } => {
            kv.push(("name", Raw::Str(name.as_str().into())));
            if let Some(o) = options {
                kv.push((
                    "options",
                    Raw::Obj(
                        o.fields()
                            .into_iter()
                            .filter_map(|(k, v)| v.map(|n| (k.to_string(), num(n))))
                            .collect(),
                    ),
                ));
            }
        }
        Op::SetScheduling { vm_id, request } => {
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push((
                "request",
                numbers_raw(&[
                    ("priority", request.priority),
                    ("weight", request.weight),
                    ("cap", request.cap),
                ]),
            ));
        }
        Op::AllocateResources { vm_id, request } => {
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push((
                "request",
                numbers_raw(&[
                    ("ribosomes", request.ribosomes),
                    ("rnaPolymerase", request.rna_polymerase),
                    ("atpPercent", request.atp_percent),
                    ("memoryKb", request.memory_kb),
                ]),
            ));
        }
        Op::SetAtpSupply { percent } => kv.push(("percent", Raw::Num(*percent))),
    }
    obj(kv)
}

/// `JSON.stringify(v, null, 2)` of a raw tree.
pub fn write_json(v: &Raw, depth: usize, out: &mut String) {
    let pad = |d: usize, out: &mut String| {
        out.push('\n');
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        Raw::Null => out.push_str("null"),
        Raw::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Raw::Num(n) if n.is_finite() => out.push_str(&js_number(*n)),
        Raw::Num(_) => out.push_str("null"),
        Raw::Str(s) => out.push_str(&json_string(s)),
        Raw::Arr(items) if items.is_empty() => out.push_str("[]"),
        Raw::Arr(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                write_json(x, depth + 1, out);
            }
            pad(depth, out);
            out.push(']');
        }
        Raw::Obj(kv) if kv.is_empty() => out.push_str("{}"),
        Raw::Obj(kv) => {
            out.push('{');
            for (i, (k, x)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                out.push_str(&json_string(k));
                out.push_str(": ");
                write_json(x, depth + 1, out);
            }
            pad(depth, out);
            out.push('}');
        }
    }
}

// ------------------------------------------------------------------ replay

/// Apply one operation to a hypervisor, with the conversions of the JS bindings (so it is
/// refused with the same code and message as `applyOp` in session.js). `password` is used
/// for an xcpng VM instead of the placeholder.
pub fn apply_op(h: &mut Hypervisor, op: &Op, password: Option<&str>) -> Result<(), BioxenError> {
    match op {
        Op::CreateVm {
            vm_id,
            biological_type,
            vm_type,
            config,
        } => {
            let password =
                (*vm_type == VmType::Xcpng).then(|| password.unwrap_or(REDACTED_PASSWORD));
            // As createVm in JS: the genome first, then the rest of the config.
            let genome = match &config.genome {
                None => None,
                Some(w) => {
                    let json = raw_to_json(w, 0)
                        .map_err(|e| BioxenError::arg("config.genome.workload", e))?;
                    Some(std::sync::Arc::new(GenomeWorkload::from_json(json)?))
                }
            };
            let mut cfg = ConfigManager::from_value(&config.to_value(password), *vm_type)?;
            cfg.genome = genome;
            h.create_vm(vm_id, *biological_type, *vm_type, &cfg)
        }
        Op::Lifecycle { action, vm_id } => h.apply(vm_id, *action),
        Op::SetScheduler { name, options } => {
            let params = match options {
                None => None,
                Some(o) => {
                    let base = *h.scheduler_params();
                    let quantum = whole("quantumMs", o.quantum_ms.map(|n| n as f64), 1e12)?
                        .unwrap_or(base.quantum_ms);
                    let mut p = SchedulerParams::with_quantum(quantum, base.seed);
                    if o.quantum_ms.is_none() {
                        p = base;
                    }
                    if let Some(s) =
                        whole("seed", o.seed.map(|n| n as f64), MAX_SAFE_INTEGER as f64)?
                    {
                        p.seed = s;
                    }
                    if let Some(l) = whole("mlfqLevels", o.mlfq_levels.map(|n| n as f64), 16.0)? {
                        p.mlfq_levels = l as u8;
                    }
                    if let Some(b) = whole("mlfqBoostMs", o.mlfq_boost_ms.map(|n| n as f64), 1e15)?
                    {
                        p.mlfq_boost_ms = b;
                    }
                    if let Some(a) = whole("agingMs", o.aging_ms.map(|n| n as f64), 1e15)? {
                        p.aging_ms = a;
                    }
                    if quantum == 0 {
                        return Err(BioxenError::arg(
                            "quantumMs",
                            "0 is out of range; expected 1..=1e12",
                        ));
                    }
                    Some(p)
                }
            };
            h.set_scheduler(*name, params)
        }
        Op::SetScheduling { vm_id, request } => {
            let req = SchedulingRequest {
                priority: whole("priority", request.priority, 255.0)?.map(|n| n as u8),
                weight: whole("weight", request.weight, 4_294_967_295.0)?.map(|n| n as u32),
                cap: whole("cap", request.cap, 4_294_967_295.0)?.map(|n| n as u32),
            };
            h.set_scheduling(vm_id, &req)
        }
        Op::AllocateResources { vm_id, request } => {
            if !h.contains(vm_id) {
                return Err(BioxenError::NotFound(vm_id.clone()));
            }
            let req = ResourceRequest {
                ribosomes: whole("ribosomes", request.ribosomes, 1e7)?,
                rna_polymerase: whole("rnaPolymerase", request.rna_polymerase, 1e7)?,
                atp_percent: request.atp_percent,
                memory_kb: whole("memoryKb", request.memory_kb, 1e9)?,
            };
            h.set_reservation(vm_id, &req)
        }
        Op::SetAtpSupply { percent } => h.set_atp_supply(*percent).map(|_| ()),
    }
}

/// How to replay (the options of `replay()` in session.js).
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplayOptions {
    /// Replay under another policy: the initial scheduler and every `setScheduler` op use it
    /// instead, keeping their parameters (the comparison view).
    pub scheduler: Option<SchedulerKind>,
    /// Skip refused operations (listed in [`Replayed::refused`]) instead of failing.
    pub lenient: bool,
    /// Stop here instead of `end_ms` (may be later: time runs on).
    pub until_ms: Option<u64>,
}

/// A replayed session.
#[derive(Debug)]
pub struct Replayed {
    pub hypervisor: Hypervisor,
    /// Indices of the operations that were applied.
    pub applied: Vec<usize>,
    /// Indices of refused operations and the package's errors (lenient mode).
    pub refused: Vec<(usize, BioxenError)>,
}

/// Rebuild a hypervisor from a session. `progress(now_ms)` is called after each operation
/// and at the end (the replay itself never depends on it).
pub fn replay(
    s: &Session,
    opts: ReplayOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<Replayed, SessionError> {
    let failed = |e: BioxenError| SessionError {
        path: "$".into(),
        message: format!("replay failed: {}: {e}", e.code()),
        cause: Some(Box::new(e)),
    };
    let mut h =
        Hypervisor::new(s.hypervisor_options(opts.scheduler).map_err(failed)?).map_err(failed)?;
    let mut applied = Vec::new();
    let mut refused = Vec::new();
    for (i, t) in s.ops.iter().enumerate() {
        if t.at_ms > h.now_ms() {
            h.step(t.at_ms - h.now_ms()).map_err(failed)?;
        }
        let result = match (&t.op, opts.scheduler) {
            (Op::SetScheduler { options, .. }, Some(name)) => apply_op(
                &mut h,
                &Op::SetScheduler {
                    name,
                    options: *options,
                },
                None,
            ),
            (op, _) => apply_op(&mut h, op, None),
        };
        match result {
            Ok(()) => applied.push(i),
            Err(e) if opts.lenient => refused.push((i, e)),
            Err(e) => {
                return Err(SessionError {
                    path: format!("ops[{i}]"),
                    message: format!("{} was refused on replay: {}: {e}", t.op.kind(), e.code()),
                    cause: Some(Box::new(e)),
                })
            }
        }
        progress(h.now_ms());
    }
    let end = opts.until_ms.unwrap_or(s.end_ms);
    if end > h.now_ms() {
        h.step(end - h.now_ms()).map_err(failed)?;
    }
    progress(h.now_ms());
    Ok(Replayed {
        hypervisor: h,
        applied,
        refused,
    })
}

// ------------------------------------------------------------------ live sessions

/// A hypervisor with the session that rebuilds it: operations performed through it are
/// recorded (with the time at which they happened) only when they succeed, as in the
/// playground. Used by the interactive CLI and the dashboard.
#[derive(Debug)]
pub struct LiveSession {
    h: Hypervisor,
    session: Session,
}

impl LiveSession {
    /// Replay `session` strictly and continue from where it ended.
    pub fn new(session: Session) -> Result<Self, SessionError> {
        let r = replay(&session, ReplayOptions::default(), &mut |_| {})?;
        let mut session = session;
        session.end_ms = r.hypervisor.now_ms();
        Ok(LiveSession {
            h: r.hypervisor,
            session,
        })
    }

    pub fn hypervisor(&self) -> &Hypervisor {
        &self.h
    }

    /// The session so far, ending now.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Apply `op` now; on success record it. `password` is used for an xcpng VM and never
    /// recorded.
    pub fn perform(&mut self, op: Op, password: Option<&str>) -> Result<(), BioxenError> {
        apply_op(&mut self.h, &op, password)?;
        self.session.ops.push(TimedOp {
            at_ms: self.h.now_ms(),
            op,
        });
        Ok(())
    }

    /// Advance simulated time by `dt_ms` (at most to the 90-day limit of sessions).
    pub fn advance(&mut self, dt_ms: u64) -> Result<(), BioxenError> {
        let target = self.h.now_ms().saturating_add(dt_ms).min(MAX_END_MS);
        if target > self.h.now_ms() {
            self.h.step(target - self.h.now_ms())?;
        }
        self.session.end_ms = self.h.now_ms();
        Ok(())
    }

    /// Switch to another session (replayed strictly); unchanged on failure.
    pub fn replace(&mut self, session: Session) -> Result<(), SessionError> {
        *self = LiveSession::new(session)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"{
  "format": "bioxen-session",
  "version": 1,
  "chassis": "ecoli",
  "scheduler": "round_robin",
  "options": { "seed": 1 },
  "ops": [
    { "atMs": 0, "op": "createVm", "vmId": "light", "biologicalType": "syn3a", "vmType": "basic", "config": { "weight": 256 } },
    { "atMs": 0, "op": "createVm", "vmId": "heavy", "biologicalType": "yeast", "vmType": "basic", "config": { "weight": 1024 } },
    { "atMs": 0, "op": "startVm", "vmId": "light" },
    { "atMs": 0, "op": "startVm", "vmId": "heavy" },
    { "atMs": 10800000, "op": "setScheduler", "name": "credit", "options": { "quantumMs": 600000 } },
    { "atMs": 12000000, "op": "setScheduling", "vmId": "heavy", "request": { "cap": 50 } }
  ],
  "endMs": 14400000,
  "meta": { "createdBy": "bioxen playground", "bioxenVersion": "0.1.0" }
}"#;

    fn errors(text: &str) -> Vec<String> {
        parse(text, Syntax::Json)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn the_documented_example_parses_and_writes_back_byte_for_byte() {
        let s = parse(EXAMPLE, Syntax::Json).unwrap();
        assert_eq!(s.ops.len(), 6);
        assert_eq!(s.end_ms, 14_400_000);
        assert_eq!(s.options.seed, Some(1));
        let text = to_json(&s);
        assert_eq!(parse(&text, Syntax::Json).unwrap(), s);
        // JSON.stringify(…, null, 2): whole numbers without ".0", two-space indents.
        assert!(text.contains("\"atMs\": 10800000,"), "{text}");
        assert!(
            text.contains("\"config\": {\n        \"weight\": 256\n      }"),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let errs = errors(
            r#"{"format":"bioxen-session","version":1,"chassis":"mars","scheduler":"fifo",
                "options":{"seed":-1,"bogus":2},
                "ops":[{"atMs":5,"op":"startVm","vmId":"a"},
                       {"atMs":1,"op":"explode"},
                       {"atMs":7,"op":"createVm","vmId":"b","biologicalType":"syn3a","config":{"weight":"x","password":"p"}},
                       3],
                "endMs":2}"#,
        );
        let want = [
            "chassis: expected one of ecoli, yeast, syn3a, orthogonal, got the string \"mars\"",
            "scheduler: expected one of",
            "options: unknown key \"bogus\"",
            "options.seed: expected a whole number from 0 to 9007199254740991, got the number -1",
            "ops[1].op: expected one of createVm",
            "ops[1].atMs: operations must be in time order (atMs 1 < 5)",
            "ops[2].config.weight: expected a number, got the string \"x\"",
            "ops[3]: expected an object, got the number 3",
            "endMs: endMs 2 is before the last operation (7)",
        ];
        assert_eq!(errs.len(), want.len(), "{errs:#?}");
        for (e, w) in errs.iter().zip(want) {
            assert!(e.starts_with(w), "{e} should start with {w}");
        }
    }

    #[test]
    fn limits_and_format_are_enforced() {
        assert_eq!(
            errors(r#"{"format":"x","version":1}"#),
            ["format: expected \"format\": \"bioxen-session\", got the string \"x\""]
        );
        assert!(errors(r#"{"format":"bioxen-session","version":2}"#)[0]
            .starts_with("version: unsupported version the number 2"));
        let e = errors(
            r#"{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"fcfs","ops":[{"atMs":7776000001,"op":"startVm","vmId":"a"}]}"#,
        );
        assert_eq!(e, ["ops[0].atMs: expected a whole number from 0 to 7776000000, got the number 7776000001"]);
        let long = "x".repeat(201);
        let e = errors(&format!(
            r#"{{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"fcfs","ops":[{{"atMs":0,"op":"startVm","vmId":"{long}"}}]}}"#
        ));
        assert_eq!(e, ["ops[0].vmId: string longer than 200 characters"]);
        let big = " ".repeat(MAX_BYTES + 1);
        assert!(errors(&big)[0].starts_with("file too large"));
        assert!(errors("{")[0].starts_with("not JSON"));
    }

    #[test]
    fn toml_reads_the_same_session() {
        let toml = r#"
format = "bioxen-session"
version = 1
chassis = "ecoli"
scheduler = "round_robin"
endMs = 14400000
[options]
seed = 1
[[ops]]
atMs = 0
op = "createVm"
vmId = "light"
biologicalType = "syn3a"
config = { weight = 256 }
[[ops]]
atMs = 0
op = "startVm"
vmId = "light"
"#;
        let s = parse(toml, Syntax::Toml).unwrap();
        assert_eq!(s.ops.len(), 2);
        assert_eq!(s.end_ms, 14_400_000);
        let e = parse("format = 1\nversion = 1\n", Syntax::Toml).unwrap_err();
        assert_eq!(e[0].path, "format");
    }

    #[test]
    fn replay_matches_a_live_run_and_reports_refusals_by_index() {
        let s = parse(EXAMPLE, Syntax::Json).unwrap();
        let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(r.hypervisor.now_ms(), 14_400_000);
        assert_eq!(r.hypervisor.scheduler_kind(), SchedulerKind::Credit);
        assert_eq!(r.hypervisor.vm_status("heavy").unwrap().cap, 50);
        // The same operations performed live, stepping in other increments.
        let mut live = LiveSession::new(Session::new(
            ChassisKind::Ecoli,
            SchedulerKind::RoundRobin,
            SessionOptions {
                seed: Some(1),
                ..Default::default()
            },
        ))
        .unwrap();
        for t in &s.ops {
            while live.hypervisor().now_ms() < t.at_ms {
                let dt = (t.at_ms - live.hypervisor().now_ms()).min(777_777);
                live.advance(dt).unwrap();
            }
            live.perform(t.op.clone(), None).unwrap();
        }
        live.advance(s.end_ms - live.hypervisor().now_ms()).unwrap();
        let (a, b) = (r.hypervisor.metrics(), live.hypervisor().metrics());
        assert_eq!(a.context_switches, b.context_switches);
        assert_eq!(a.decisions, b.decisions);
        for (x, y) in a.per_vm.iter().zip(&b.per_vm) {
            assert_eq!(x.machinery_time_ms, y.machinery_time_ms);
            assert!((x.fair_share - y.fair_share).abs() < 1e-9);
        }
        assert_eq!(live.session().ops, s.ops);

        // A refused op: strict replay names it; lenient replay lists it.
        let mut bad = s.clone();
        bad.ops.insert(
            2,
            TimedOp {
                at_ms: 0,
                op: Op::CreateVm {
                    vm_id: "light".into(),
                    biological_type: BiologicalType::Syn3a,
                    vm_type: VmType::Basic,
                    config: SessionConfig::default(),
                },
            },
        );
        let e = replay(&bad, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.path, "ops[2]");
        assert_eq!(e.cause.as_ref().unwrap().code(), "DUPLICATE_VM");
        assert!(e
            .message
            .starts_with("createVm was refused on replay: DUPLICATE_VM: "));
        let r = replay(
            &bad,
            ReplayOptions {
                lenient: true,
                ..Default::default()
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(r.refused.len(), 1);
        assert_eq!(r.refused[0].0, 2);
    }

    #[test]
    fn conversions_match_the_js_bindings() {
        let mut h = Hypervisor::new(HypervisorOptions::default()).unwrap();
        let create = |cfg: SessionConfig| Op::CreateVm {
            vm_id: "a".into(),
            biological_type: BiologicalType::Syn3a,
            vm_type: VmType::Basic,
            config: cfg,
        };
        let e = apply_op(
            &mut h,
            &create(SessionConfig {
                weight: Some(1.5),
                ..Default::default()
            }),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID_CONFIG");
        apply_op(&mut h, &create(SessionConfig::default()), None).unwrap();
        let e = apply_op(
            &mut h,
            &Op::SetScheduling {
                vm_id: "a".into(),
                request: SchedulingChange {
                    weight: Some(-1.0),
                    ..Default::default()
                },
            },
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid argument weight: -1 is not a whole number from 0 to 4294967295"
        );
        let e = apply_op(
            &mut h,
            &Op::AllocateResources {
                vm_id: "nope".into(),
                request: ResourceChange::default(),
            },
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "NOT_FOUND");
        let e = apply_op(
            &mut h,
            &Op::SetScheduler {
                name: SchedulerKind::Credit,
                options: Some(SchedOptions {
                    quantum_ms: Some(0),
                    ..Default::default()
                }),
            },
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
    }

    #[test]
    fn the_json_schema_lists_what_the_reader_accepts() {
        let schema: Value =
            serde_json::from_str(include_str!("../docs/session.schema.json")).unwrap();
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        };
        let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let owned = |v: &[&str]| sorted(v.iter().map(|s| s.to_string()).collect());
        let p = &schema["properties"];
        let d = &schema["$defs"];
        assert_eq!(sorted(keys(p)), owned(TOP_KEYS));
        assert_eq!(
            strings(&p["chassis"]["enum"]),
            crate::factory::get_supported_chassis()
        );
        assert_eq!(
            strings(&d["scheduler"]["enum"]),
            crate::factory::get_supported_schedulers()
        );
        let option_keys: Vec<&str> = OPTION_KEYS.iter().copied().chain([MACHINERY_KEY]).collect();
        assert_eq!(
            sorted(keys(&p["options"]["properties"])),
            owned(&option_keys)
        );
        let machinery: Vec<&str> = MachineryKind::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(
            strings(&p["options"]["properties"][MACHINERY_KEY]["enum"]),
            machinery
        );
        assert_eq!(sorted(keys(&p["meta"]["properties"])), owned(META_KEYS));
        assert_eq!(strings(&d["op"]["properties"]["op"]["enum"]), OP_KINDS);
        let c = &d["createVm"]["properties"];
        assert_eq!(
            sorted(strings(&c["biologicalType"]["enum"])),
            owned(&crate::factory::get_supported_biological_types())
        );
        assert_eq!(
            strings(&c["vmType"]["enum"]),
            crate::factory::get_supported_vm_types()
        );
        let all: Vec<&str> = CONFIG_NUMBER_KEYS
            .iter()
            .chain(CONFIG_STRING_KEYS)
            .copied()
            .chain([CONFIG_GENOME_KEY])
            .collect();
        assert_eq!(sorted(keys(&c["config"]["properties"])), owned(&all));
        assert_eq!(
            strings(&c["config"]["properties"][CONFIG_GENOME_KEY]["required"]),
            ["workload"]
        );
        let lifecycle: Vec<&str> = LIFECYCLE.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            strings(&d["lifecycle"]["properties"]["op"]["enum"]),
            lifecycle
        );
        let so = &d["setScheduler"]["properties"]["options"]["oneOf"][1]["properties"];
        assert_eq!(sorted(keys(so)), owned(SCHED_OPTION_KEYS));
        assert_eq!(
            sorted(keys(
                &d["setScheduling"]["properties"]["request"]["properties"]
            )),
            owned(SCHEDULING_KEYS)
        );
        assert_eq!(
            sorted(keys(
                &d["allocateResources"]["properties"]["request"]["properties"]
            )),
            owned(RESOURCE_KEYS)
        );
        assert_eq!(d["timeMs"]["maximum"], MAX_END_MS);
        assert_eq!(p["ops"]["maxItems"], MAX_OPS as u64);
        assert_eq!(d["metaString"]["maxLength"], MAX_META as u64);
        assert_eq!(d["vmId"]["maxLength"], MAX_ID as u64);
        assert_eq!(d["string"]["maxLength"], MAX_STRING as u64);
    }

    /// A session with a kinetic machinery and a genome VM whose workload has its keys in an
    /// order JS would change (an integer-like key written last).
    fn genome_session(workload: &str, machinery: &str) -> String {
        format!(
            r#"{{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"credit",
"options":{{"machinery":{machinery},"seed":3}},
"ops":[{{"atMs":0,"op":"createVm","vmId":"g","biologicalType":"syn3a","config":{{"weight":512,"genome":{{"workload":{workload},"extra":1}}}}}},
{{"atMs":0,"op":"startVm","vmId":"g"}}],"endMs":3600000}}"#
        )
    }

    const WORKLOAD: &str = r#"{"workload":{"organism":"tiny","geneCount":3,"proteinCoding":2,"essentialGenes":1,"totalAa":4321,"genomeKb":7,"source":"test"},"minimalGeneSet":["a1"],"essentialSource":"heuristic","groups":[{"name":"other","genes":2,"aa":4321}],"7":true}"#;

    #[test]
    fn machinery_and_genome_are_read_written_and_replayed() {
        let s = parse(&genome_session(WORKLOAD, "\"kinetic\""), Syntax::Json).unwrap();
        assert_eq!(s.options.machinery, Some(MachineryKind::Kinetic));
        let text = to_json(&s);
        // serializeSession: machinery after the numeric options, genome first in config and
        // holding only the workload, whose integer-like key JSON.parse moved to the front.
        assert!(
            text.contains("\"options\": {\n    \"seed\": 3,\n    \"machinery\": \"kinetic\"\n  }"),
            "{text}"
        );
        assert!(
            text.contains("\"config\": {\n        \"genome\": {\n          \"workload\": {\n            \"7\": true,\n            \"workload\": {"),
            "{text}"
        );
        assert!(!text.contains("extra"), "{text}");
        assert_eq!(parse(&text, Syntax::Json).unwrap(), s);
        assert_eq!(to_json(&parse(&text, Syntax::Json).unwrap()), text);

        let r = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap();
        let h = &r.hypervisor;
        assert!(h.metrics().kinetic.is_some(), "the kinetic machinery runs");
        let w = h.vm_workload("g").unwrap();
        assert_eq!(
            (w.organism.as_str(), w.total_aa, w.genome_kb),
            ("tiny", 4321, 7)
        );

        // Without machinery: simple, and nothing written.
        let mut simple = s.clone();
        simple.options.machinery = None;
        let r = replay(&simple, ReplayOptions::default(), &mut |_| {}).unwrap();
        assert!(r.hypervisor.metrics().kinetic.is_none());
        assert!(!to_json(&simple).contains("machinery"));
    }

    #[test]
    fn bad_machinery_and_genome_values_are_refused_as_in_js() {
        let e = errors(&genome_session(WORKLOAD, "\"fast\""));
        assert_eq!(
            e,
            ["options.machinery: expected one of simple, kinetic, got the string \"fast\""]
        );
        for bad in ["null", "3", "false", "\"text\""] {
            let text = genome_session(WORKLOAD, "\"simple\"").replace(
                &format!(r#"{{"workload":{WORKLOAD},"extra":1}}"#),
                &format!(r#"{{"workload":{bad}}}"#),
            );
            assert_eq!(
                errors(&text),
                ["ops[0].config.genome: expected { workload } from parseGenome"],
                "{bad}"
            );
        }
        // An array is an object to JS: accepted, then refused by the package on replay.
        let arr = genome_session("[]", "\"simple\"");
        let s = parse(&arr, Syntax::Json).unwrap();
        let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.cause.as_ref().unwrap().code(), "INVALID_ARGUMENT");
        // Shaped like a workload but not one: the package refuses it on replay.
        let text = genome_session(r#"{"workload":{"totalAa":0}}"#, "\"simple\"");
        let s = parse(&text, Syntax::Json).unwrap();
        let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.path, "ops[0]");
        assert_eq!(e.cause.as_ref().unwrap().code(), "INVALID_ARGUMENT");
        assert!(e.message.contains("config.genome.workload"), "{e}");
        let zero = WORKLOAD.replace("\"totalAa\":4321", "\"totalAa\":0");
        let s = parse(&genome_session(&zero, "\"simple\""), Syntax::Json).unwrap();
        let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert!(e.message.contains("expected totalAa from 1 to 1e12"), "{e}");
        // Nesting deeper than the bindings read.
        let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
        let s = parse(&genome_session(&deep, "\"simple\""), Syntax::Json).unwrap();
        let e = replay(&s, ReplayOptions::default(), &mut |_| {}).unwrap_err();
        assert!(e.message.contains("nested more than 16 levels deep"), "{e}");
    }

    #[test]
    fn js_numbers_print_like_js() {
        assert_eq!(js_number(256.0), "256");
        assert_eq!(js_number(0.1), "0.1");
        assert_eq!(js_number(-0.0), "0");
        assert_eq!(js_number(1e21), "1e+21");
        assert_eq!(js_number(1.5e-7), "1.5e-7");
        assert_eq!(js_number(123456789012.5), "123456789012.5");
    }
}
