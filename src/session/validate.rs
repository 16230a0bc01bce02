//! Validation: a raw tree to a typed [`Session`], reporting every problem with its path, in
//! the order the JS reader meets them (the first is the one `validateSession` throws).

use super::format::{
    config_keys, option_keys, SessionError, CONFIG_CIRCUIT_KEY, CONFIG_GENOME_KEY,
    CONFIG_NUMBER_KEYS, CONFIG_STRING_KEYS, FORMAT, MACHINERY_KEY, MAX_END_MS, MAX_ID, MAX_META,
    MAX_OPS, MAX_SAFE_INTEGER, MAX_STRING, META_KEYS, OPTION_KEYS, OP_KINDS, RESOURCE_KEYS,
    SCHEDULING_KEYS, SCHED_LIST_KEYS, SCHED_OPTION_KEYS, TOP_KEYS, VERSION,
};
use super::raw::{describe, js_key_order, js_len, js_ordered, json_string, Raw};
use super::types::{
    Op, ResourceChange, SchedOptions, SchedulingChange, Session, SessionConfig, SessionOptions,
    TimedOp, LIFECYCLE,
};
use crate::machinery::MachineryKind;
use crate::scheduler::SchedulerKind;
use crate::vm::{BiologicalType, VmType};

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

    /// An array of at most 16 whole numbers (the package checks them against the levels).
    fn whole_list(&mut self, v: &Raw, path: &str) -> Option<Vec<u64>> {
        let Raw::Arr(items) = v else {
            self.err(
                format!(
                    "expected an array of whole numbers, one per MLFQ level, got {}",
                    describe(Some(v))
                ),
                path,
            );
            return None;
        };
        if items.len() > 16 {
            self.err(
                format!("expected at most 16 entries, got {}", items.len()),
                path,
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(self.whole_ms(Some(item), &format!("{path}[{i}]"), MAX_SAFE_INTEGER)?);
        }
        Some(out)
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
        let chassis = super::chassis::read(raw.get("chassis"), &mut self.errors);
        let scheduler = self
            .one_of(
                raw.get("scheduler"),
                &crate::factory::get_supported_schedulers(),
                "scheduler",
            )
            .and_then(|s| SchedulerKind::parse(&s).ok());
        let mut options = SessionOptions::default();
        if let Some(o) = raw.get("options") {
            let allowed = option_keys();
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
                    let all = config_keys();
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
                            match get(CONFIG_CIRCUIT_KEY) {
                                None => {}
                                Some(c @ (Raw::Str(_) | Raw::Obj(_))) => {
                                    config.circuit = Some(Box::new(js_ordered(c)));
                                }
                                Some(_) => {
                                    self.err(
                                        "expected a built-in circuit's id or a circuit { name?, genes }",
                                        format!("{p}.config.circuit"),
                                    );
                                    ok = false;
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
                                    if *k == "mlfqBoostRule" {
                                        let names = crate::scheduler::MlfqBoostRule::NAMES;
                                        match self.one_of(Some(v), &names, &format!("{path}.{k}")) {
                                            Some(s) => {
                                                so.mlfq_boost_rule =
                                                    crate::scheduler::MlfqBoostRule::parse(&s)
                                            }
                                            None => ok = false,
                                        }
                                        continue;
                                    }
                                    if SCHED_LIST_KEYS.contains(k) {
                                        let list = self.whole_list(v, &format!("{path}.{k}"));
                                        match (list, *k) {
                                            (None, _) => ok = false,
                                            (l, "mlfqQuantaMs") => so.mlfq_quanta_ms = l,
                                            (l, _) => so.mlfq_allotments = l,
                                        }
                                        continue;
                                    }
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
            "setInducer" => {
                self.keys(Some(op), &["atMs", "op", "name", "value"], p);
                let name = self.string(op.get("name"), &format!("{p}.name"), MAX_STRING);
                let value = self.finite(op.get("value"), &format!("{p}.value"));
                Some(Op::SetInducer {
                    name: name?,
                    value: value?,
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
