//! Replay: a session's operations applied to a fresh hypervisor in time order, with the
//! argument conversions and range checks of the JS bindings (so a refused operation fails
//! with the same code and message as in JS), strictly or leniently.

use serde_json::Value;

use super::format::{SessionError, MAX_SAFE_INTEGER, REDACTED_PASSWORD};
use super::raw::{js_number_value, raw_to_json};
use super::types::{Op, Session, SessionConfig};
use crate::config::ConfigManager;
use crate::error::BioxenError;
use crate::genome::GenomeWorkload;
use crate::hypervisor::{Hypervisor, HypervisorOptions, ResourceRequest, SchedulingRequest};
use crate::scheduler::update::{SchedulerUpdate, MAX_QUANTUM_MS};
use crate::scheduler::SchedulerKind;
use crate::vm::VmType;

impl SessionConfig {
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

impl Session {
    /// The hypervisor options, converted and checked as `new Hypervisor(options)` does in JS.
    pub fn hypervisor_options(
        &self,
        scheduler: Option<SchedulerKind>,
    ) -> Result<HypervisorOptions, BioxenError> {
        let o = &self.options;
        let mut opts = HypervisorOptions {
            chassis: self.chassis.spec()?,
            ..Default::default()
        };
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
            if let Some(c) = &config.circuit {
                let json = raw_to_json(c, 0).map_err(|e| BioxenError::arg("config.circuit", e))?;
                set_circuit(&mut cfg, &json)?;
            }
            h.create_vm(vm_id, *biological_type, *vm_type, &cfg)
        }
        Op::Lifecycle { action, vm_id } => h.apply(vm_id, *action),
        Op::SetScheduler { name, options } => {
            let params = match options {
                None => None,
                Some(o) => {
                    let f = |n: Option<u64>| n.map(|n| n as f64);
                    let list = |v: &Option<Vec<u64>>| v.as_ref().map(|v| Value::from(v.clone()));
                    let update = SchedulerUpdate {
                        quantum_ms: whole("quantumMs", f(o.quantum_ms), MAX_QUANTUM_MS)?,
                        seed: whole("seed", f(o.seed), MAX_SAFE_INTEGER as f64)?,
                        mlfq_levels: whole("mlfqLevels", f(o.mlfq_levels), 16.0)?,
                        mlfq_quanta_ms: list(&o.mlfq_quanta_ms),
                        mlfq_allotments: list(&o.mlfq_allotments),
                        mlfq_boost_ms: whole("mlfqBoostMs", f(o.mlfq_boost_ms), 1e15)?,
                        mlfq_boost_rule: o.mlfq_boost_rule,
                        aging_ms: whole("agingMs", f(o.aging_ms), 1e15)?,
                    };
                    Some(update.apply(h.scheduler_params())?)
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
        Op::SetInducer { name, value } => set_inducer(h, name, *value),
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
                    options: options.clone(),
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

/// A circuit VM's config: the circuit read as `createVm` reads it (every problem under
/// `circuit`); FEATURE_UNAVAILABLE without `kinetics`.
#[cfg(feature = "kinetics")]
fn set_circuit(
    cfg: &mut crate::config::VmConfig,
    json: &serde_json::Value,
) -> crate::error::Result<()> {
    cfg.circuit = Some(crate::circuits::circuit_from_json(json, "circuit")?);
    Ok(())
}

#[cfg(not(feature = "kinetics"))]
fn set_circuit(
    _cfg: &mut crate::config::VmConfig,
    _json: &serde_json::Value,
) -> crate::error::Result<()> {
    Err(BioxenError::feature_unavailable(
        "kinetics",
        "createVm(..., { circuit })",
    ))
}

#[cfg(feature = "kinetics")]
fn set_inducer(h: &mut Hypervisor, name: &str, value: f64) -> crate::error::Result<()> {
    h.set_inducer(name, value)
}

#[cfg(not(feature = "kinetics"))]
fn set_inducer(_h: &mut Hypervisor, _name: &str, _value: f64) -> crate::error::Result<()> {
    Err(BioxenError::feature_unavailable("kinetics", "setInducer"))
}
