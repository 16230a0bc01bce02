//! The `Hypervisor` class: construction from its options, the handle registry other bindings
//! find it by, its settings (scheduler, per-VM scheduling, ATP supply), the clock, and snapshot
//! and restore. VM lifecycle is in `lifecycle`, reports in `reports`, kinetic series in
//! `kinetic`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use js_sys::Reflect;
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::args::{describe, ms_arg, object_arg, string_arg, whole};
use super::errors::{bad_arg, err, js_error, JsResult};
use super::values::to_js;
use crate::factory::{SharedHypervisor, WeakHypervisor};
use crate::hypervisor::{Hypervisor, HypervisorOptions, SchedulingRequest};
use crate::machinery::MachineryKind;
use crate::scheduler::update::{SchedulerUpdate, MAX_QUANTUM_MS};
use crate::scheduler::{SchedulerKind, SchedulerParams};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsHypervisorOptions {
    /// A preset's name or a chassis object (`custom_chassis`).
    chassis: Option<serde_json::Value>,
    scheduler: Option<String>,
    quantum_ms: Option<f64>,
    max_vms: Option<f64>,
    seed: Option<f64>,
    context_switch_ms: Option<f64>,
    trace_capacity: Option<f64>,
    event_capacity: Option<f64>,
    machinery: Option<String>,
}

impl JsHypervisorOptions {
    /// The core's options: every name parsed here, once.
    fn to_core(&self) -> JsResult<HypervisorOptions> {
        let mut opts = HypervisorOptions::default();
        if let Some(c) = &self.chassis {
            opts.chassis = crate::custom_chassis::chassis_from_json(c).map_err(err)?;
        }
        if let Some(s) = &self.scheduler {
            opts.scheduler = SchedulerKind::parse(s).map_err(err)?;
        }
        opts.quantum_ms = whole("quantumMs", self.quantum_ms, 1e12)?;
        opts.max_vms = whole("maxVms", self.max_vms, 4096.0)?.map(|n| n as u32);
        opts.seed = whole("seed", self.seed, 9_007_199_254_740_991.0)?.unwrap_or(0);
        opts.context_switch_ms = whole("contextSwitchMs", self.context_switch_ms, 1e9)?;
        if let Some(n) = whole("traceCapacity", self.trace_capacity, 1e7)? {
            opts.trace_capacity = n as usize;
        }
        if let Some(n) = whole("eventCapacity", self.event_capacity, 1e7)? {
            opts.event_capacity = n as usize;
        }
        if let Some(m) = &self.machinery {
            opts.machinery = MachineryKind::parse(m).map_err(err)?;
        }
        Ok(opts)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsSchedulerOptions {
    quantum_ms: Option<f64>,
    seed: Option<f64>,
    mlfq_levels: Option<f64>,
    mlfq_boost_ms: Option<f64>,
    aging_ms: Option<f64>,
    mlfq_quanta_ms: Option<serde_json::Value>,
    mlfq_allotments: Option<serde_json::Value>,
    mlfq_boost_rule: Option<serde_json::Value>,
}

impl JsSchedulerOptions {
    /// The parameters these options give over the current ones (`base`): the types and
    /// ranges of each field are checked here, the rest by [`SchedulerUpdate::apply`].
    fn to_core(&self, base: &SchedulerParams) -> JsResult<SchedulerParams> {
        let update = SchedulerUpdate {
            quantum_ms: whole("quantumMs", self.quantum_ms, MAX_QUANTUM_MS)?,
            seed: whole("seed", self.seed, 9_007_199_254_740_991.0)?,
            mlfq_levels: whole("mlfqLevels", self.mlfq_levels, 16.0)?,
            mlfq_quanta_ms: self.mlfq_quanta_ms.clone(),
            mlfq_allotments: self.mlfq_allotments.clone(),
            mlfq_boost_ms: whole("mlfqBoostMs", self.mlfq_boost_ms, 1e15)?,
            mlfq_boost_rule: self
                .mlfq_boost_rule
                .as_ref()
                .map(|v| {
                    v.as_str()
                        .and_then(crate::scheduler::MlfqBoostRule::parse)
                        .ok_or_else(|| {
                            bad_arg(
                                "mlfqBoostRule",
                                format!("{v} is not a boost rule; expected \"fresh\" or \"ostep\""),
                            )
                        })
                })
                .transpose()?,
            aging_ms: whole("agingMs", self.aging_ms, 1e15)?,
        };
        update.apply(base).map_err(err)
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsSchedulingRequest {
    priority: Option<f64>,
    weight: Option<f64>,
    cap: Option<f64>,
}

/// The hypervisor: one chassis, one scheduler, one clock.
#[wasm_bindgen(js_name = Hypervisor)]
pub struct JsHypervisor {
    pub(crate) inner: SharedHypervisor,
}

impl From<SharedHypervisor> for JsHypervisor {
    fn from(inner: SharedHypervisor) -> Self {
        JsHypervisor { inner }
    }
}

thread_local! {
    /// Hypervisors by handle id, so that a JS `Hypervisor` passed as a plain argument (e.g. to
    /// `new BioResourceManager(h)`) can be found again. Weak: JS owns the hypervisor.
    static REGISTRY: RefCell<(f64, BTreeMap<u64, WeakHypervisor>)> =
        const { RefCell::new((0.0, BTreeMap::new())) };
}

fn register(h: &SharedHypervisor) -> u64 {
    REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        r.1.retain(|_, w| w.upgrade().is_some());
        r.0 += 1.0;
        let id = r.0 as u64;
        r.1.insert(id, h.downgrade());
        id
    })
}

/// The hypervisor behind a JS `Hypervisor` passed as a plain argument.
pub(crate) fn lookup(v: &JsValue) -> JsResult<SharedHypervisor> {
    let id = Reflect::get(v, &"handleId".into())
        .ok()
        .and_then(|x| x.as_f64())
        .ok_or_else(|| {
            bad_arg(
                "hypervisor",
                format!("expected a Hypervisor, got {}", describe(v)),
            )
        })?;
    REGISTRY
        .with(|r| r.borrow().1.get(&(id as u64)).and_then(|w| w.upgrade()))
        .ok_or_else(|| bad_arg("hypervisor", "expected a live Hypervisor (was it freed?)"))
}

#[wasm_bindgen(js_class = Hypervisor)]
impl JsHypervisor {
    /// A hypervisor on one chassis with one scheduler, at simulated time 0; every option is
    /// optional (see `HypervisorOptions`). Unknown keys, names and out-of-range values throw
    /// `INVALID_ARGUMENT`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "HypervisorOptions")] options: JsValue,
    ) -> JsResult<JsHypervisor> {
        let o: JsHypervisorOptions = object_arg("options", &options)?.unwrap_or_default();
        let h = Hypervisor::new(o.to_core()?).map_err(err)?;
        Ok(SharedHypervisor::new(h).into())
    }

    /// Change the policy (and its parameters) while VMs run.
    #[wasm_bindgen(js_name = setScheduler)]
    pub fn set_scheduler(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SchedulerName")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SchedulerOptions")] options: JsValue,
    ) -> JsResult<()> {
        let name = string_arg("name", &name)?;
        let kind = SchedulerKind::parse(&name).map_err(err)?;
        let o: Option<JsSchedulerOptions> = object_arg("options", &options)?;
        let mut h = self.inner.lock();
        let params = o.map(|o| o.to_core(h.scheduler_params())).transpose()?;
        h.set_scheduler(kind, params).map_err(err)
    }

    /// Change a VM's priority, weight or cap.
    #[wasm_bindgen(js_name = setScheduling)]
    pub fn set_scheduling(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SchedulingRequest")] request: JsValue,
    ) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        let r: JsSchedulingRequest = object_arg("request", &request)?.unwrap_or_default();
        let req = SchedulingRequest {
            priority: whole("priority", r.priority, 255.0)?.map(|n| n as u8),
            weight: whole("weight", r.weight, 4_294_967_295.0)?.map(|n| n as u32),
            cap: whole("cap", r.cap, 4_294_967_295.0)?.map(|n| n as u32),
        };
        self.inner.lock().set_scheduling(&id, &req).map_err(err)
    }

    /// A nutrient shift: ATP supply as a percentage of normal. Returns the ids that faulted.
    #[wasm_bindgen(js_name = setAtpSupply, unchecked_return_type = "string[]")]
    pub fn set_atp_supply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] percent: JsValue,
    ) -> JsResult<JsValue> {
        let p = percent.as_f64().ok_or_else(|| {
            bad_arg(
                "percent",
                format!("expected a number, got {}", describe(&percent)),
            )
        })?;
        let ids = self.inner.lock().set_atp_supply(p).map_err(err)?;
        to_js(&ids)
    }

    /// Advance simulated time by `ms` (a whole number ≥ 0).
    pub fn step(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
    ) -> JsResult<()> {
        let dt = ms_arg("ms", &ms)?;
        self.inner.lock().step(dt).map_err(err)
    }

    /// Identifies this hypervisor to other bindings (e.g. `new BioResourceManager(h)`).
    #[wasm_bindgen(getter, js_name = handleId)]
    pub fn handle_id(&self) -> f64 {
        REGISTRY
            .with(|r| {
                r.borrow()
                    .1
                    .iter()
                    .find(|(_, w)| w.upgrade().is_some_and(|x| x.same_as(&self.inner)))
                    .map(|(k, _)| *k as f64)
            })
            .unwrap_or_else(|| register(&self.inner) as f64)
    }

    /// Simulated time, ms.
    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.inner.lock().now_ms() as f64
    }

    /// The scheduling policy now in use.
    #[wasm_bindgen(getter, unchecked_return_type = "SchedulerName")]
    pub fn scheduler(&self) -> String {
        self.inner.lock().scheduler_kind().as_str().to_string()
    }

    /// The chassis the hypervisor runs on ("custom" for a user-defined one).
    #[wasm_bindgen(getter, unchecked_return_type = "ChassisName | \"custom\"")]
    pub fn chassis(&self) -> String {
        self.inner.lock().chassis().kind.as_str().to_string()
    }

    /// The scheduler's base time slice, ms.
    #[wasm_bindgen(getter, js_name = quantumMs)]
    pub fn quantum_ms(&self) -> f64 {
        self.inner.lock().scheduler_params().quantum_ms as f64
    }

    /// What a context switch costs, ms: the chassis's ribosome run-off time unless
    /// `contextSwitchMs` was given; under the kinetic machinery, the last measured switch (0
    /// before the first).
    #[wasm_bindgen(getter, js_name = switchCostMs)]
    pub fn switch_cost_ms(&self) -> f64 {
        self.inner.lock().switch_cost_ms() as f64
    }

    /// The whole hypervisor as JSON (secrets excluded), starting with its format version
    /// (`"snapshot_version":3`); `restore` also reads version 2 except for the MLFQ policy, and
    /// version 1 except for the SJF, SRTF, priority and MLFQ policies, and refuses other
    /// versions by number.
    pub fn snapshot(&self) -> String {
        self.inner.lock().snapshot()
    }

    /// A hypervisor rebuilt from `snapshot()` text; `INVALID_SNAPSHOT` for anything else, naming
    /// the problem (another `snapshot_version` is refused by number).
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "string")] snapshot: JsValue,
    ) -> JsResult<JsHypervisor> {
        let s = snapshot.as_string().ok_or_else(|| {
            js_error(
                "INVALID_SNAPSHOT",
                &format!(
                    "invalid snapshot: expected a JSON string, got {}",
                    describe(&snapshot)
                ),
            )
        })?;
        let h = Hypervisor::restore(&s).map_err(err)?;
        Ok(SharedHypervisor::new(h).into())
    }
}
