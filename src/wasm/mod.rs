//! JavaScript bindings (wasm32 only): type and error conversion over the core, nothing more.
//!
//! Every argument arrives as a `JsValue` and is checked here, so a wrong JS type becomes an
//! `Error` with `code = "INVALID_ARGUMENT"` instead of a trap. Every failure is a real JS
//! `Error` whose `code` property is the core's stable code. Objects are returned with
//! camelCase keys and `null` for absent values.

#![allow(non_snake_case)]

mod genome;
mod kinetic;

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::chassis::{ChassisKind, ChassisSpec};
use crate::config::ConfigManager;
use crate::error::BioxenError;
use crate::factory::{self, SharedHypervisor};
use crate::hypervisor::{Hypervisor, HypervisorOptions, ResourceRequest, SchedulingRequest};
use crate::jsonsafe::json_safe;
use crate::scheduler::{SchedulerKind, SchedulerParams};
use crate::trace::SegmentKind;
use crate::vm::{BiologicalType, VmType};

type JsResult<T> = Result<T, JsValue>;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

// ------------------------------------------------------------------ conversions

fn js_error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

fn err(e: BioxenError) -> JsValue {
    let v = js_error(e.code(), &e.to_string());
    let issues = e.config_issues();
    if !issues.is_empty() {
        if let Ok(list) = to_js(issues) {
            let _ = Reflect::set(&v, &"issues".into(), &list);
        }
    }
    v
}

fn bad_arg(name: &str, message: impl std::fmt::Display) -> JsValue {
    js_error(
        "INVALID_ARGUMENT",
        &format!("invalid argument {name}: {message}"),
    )
}

/// A Rust value as a JS value. serde-wasm-bindgen makes JS calls per property and per string
/// (about 2 ms for `metrics()` of 256 VMs); when the value's JSON text means the same to
/// JavaScript ([`json_safe`]), serde_json's text and one `JSON.parse` build it instead.
fn to_js<T: Serialize + ?Sized>(v: &T) -> JsResult<JsValue> {
    if json_safe(v) {
        if let Ok(text) = serde_json::to_string(v) {
            return parse_json(&text);
        }
    }
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("INVALID_ARGUMENT", &e.to_string()))
}

/// `JSON.parse` of text serde_json wrote.
fn parse_json(text: &str) -> JsResult<JsValue> {
    js_sys::JSON::parse(text).map_err(|_| js_error("INVALID_ARGUMENT", "JSON.parse failed"))
}

fn describe(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(s) = v.as_string() {
        let short: String = s.chars().take(40).collect();
        format!("the string {short:?}")
    } else if let Some(n) = v.as_f64() {
        format!("the number {n}")
    } else {
        format!(
            "a value of type {}",
            v.js_typeof().as_string().unwrap_or_default()
        )
    }
}

fn string_arg(name: &str, v: &JsValue) -> JsResult<String> {
    v.as_string()
        .ok_or_else(|| bad_arg(name, format!("expected a string, got {}", describe(v))))
}

fn opt_string_arg(name: &str, v: &JsValue, default: &str) -> JsResult<String> {
    if v.is_undefined() || v.is_null() {
        Ok(default.to_string())
    } else {
        string_arg(name, v)
    }
}

/// A non-negative integer number of ms (fractions are refused, so nothing is silently lost).
fn ms_arg(name: &str, v: &JsValue) -> JsResult<u64> {
    match v.as_f64() {
        Some(n)
            if n.is_finite()
                && n >= 0.0
                && n.fract() == 0.0
                && n <= crate::hypervisor::MAX_TIME_MS as f64 =>
        {
            Ok(n as u64)
        }
        _ => Err(bad_arg(
            name,
            format!(
                "expected a whole number of milliseconds from 0 to 2^53, got {}",
                describe(v)
            ),
        )),
    }
}

/// A plain object argument as JSON (`None` for undefined/null). `strict`: refuse non-finite
/// numbers (typed options) instead of reading them as null (configs, whose validation then
/// reports the key by path).
fn object_value(name: &str, v: &JsValue, strict: bool) -> JsResult<Option<serde_json::Value>> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(bad_arg(
            name,
            format!("expected an object, got {}", describe(v)),
        ));
    }
    js_to_json(v, 0, strict)
        .map(Some)
        .map_err(|e| bad_arg(name, e))
}

fn object_arg<T: DeserializeOwned>(name: &str, v: &JsValue) -> JsResult<Option<T>> {
    match object_value(name, v, true)? {
        None => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| bad_arg(name, e)),
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a Proxy's `ownKeys` trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
}

/// Deepest nesting accepted in an argument object (configs are at most two levels deep).
const MAX_DEPTH: u32 = 16;
/// Most keys or array items accepted in one argument object.
const MAX_ITEMS: f64 = 10_000.0;

/// Read a plain JS value as JSON. Unlike `serde_wasm_bindgen::from_value`, it bounds depth
/// and size (a cyclic or very deep object used to overflow the wasm stack: a trap that left
/// the instance unusable) and catches what getters and proxies throw (which used to unwind
/// through wasm as an Error without a `code`). `undefined` properties count as absent.
fn js_to_json(v: &JsValue, depth: u32, strict: bool) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    let thrown = |what: &str, e: JsValue| match e.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("reading {what} threw: {}", String::from(e.message())),
        None => format!("reading {what} threw {}", describe(&e)),
    };
    if depth > MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (a cycle?)"
        ));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            if n >= 0.0 {
                Value::from(n as u64)
            } else {
                Value::from(n as i64)
            }
        } else if let Some(x) = serde_json::Number::from_f64(n) {
            Value::Number(x)
        } else if strict {
            return Err(format!("expected a finite number, got {n}"));
        } else {
            Value::Null
        });
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if Array::is_array(v) {
        let len = Reflect::get(v, &"length".into()).map_err(|e| thrown("length", e))?;
        let len = len.as_f64().unwrap_or(0.0);
        if !(0.0..=MAX_ITEMS).contains(&len) {
            return Err(format!("an array of {len} items is too long"));
        }
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len as u32 {
            let x = Reflect::get(v, &i.into()).map_err(|e| thrown("an item", e))?;
            out.push(js_to_json(&x, depth + 1, strict)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() {
        let keys = object_keys(v).map_err(|e| thrown("the keys", e))?;
        if keys.length() as f64 > MAX_ITEMS {
            return Err(format!("an object with {} keys is too big", keys.length()));
        }
        let mut out = serde_json::Map::new();
        for k in keys.iter() {
            let key = k.as_string().unwrap_or_default();
            let x = Reflect::get(v, &k).map_err(|e| thrown(&format!("{key:?}"), e))?;
            if !x.is_undefined() {
                out.insert(key, js_to_json(&x, depth + 1, strict)?);
            }
        }
        return Ok(Value::Object(out));
    }
    Err(format!("expected plain data, got {}", describe(v)))
}

fn json_arg(name: &str, v: &JsValue) -> JsResult<serde_json::Value> {
    Ok(object_value(name, v, false)?.unwrap_or(serde_json::Value::Null))
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

// ------------------------------------------------------------------ free functions

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn str_array(items: Vec<&'static str>) -> Array {
    items.into_iter().map(JsValue::from_str).collect()
}

#[wasm_bindgen(js_name = getSupportedBiologicalTypes, unchecked_return_type = "BiologicalType[]")]
pub fn get_supported_biological_types() -> Array {
    str_array(factory::get_supported_biological_types())
}
#[wasm_bindgen(js_name = getSupportedVmTypes, unchecked_return_type = "VmType[]")]
pub fn get_supported_vm_types() -> Array {
    str_array(factory::get_supported_vm_types())
}
#[wasm_bindgen(js_name = getSupportedChassis, unchecked_return_type = "ChassisName[]")]
pub fn get_supported_chassis() -> Array {
    str_array(factory::get_supported_chassis())
}
#[wasm_bindgen(js_name = getSupportedSchedulers, unchecked_return_type = "SchedulerName[]")]
pub fn get_supported_schedulers() -> Array {
    str_array(factory::get_supported_schedulers())
}
#[wasm_bindgen(js_name = validateBiologicalType)]
pub fn validate_biological_type(
    #[wasm_bindgen(unchecked_param_type = "unknown")] t: JsValue,
) -> bool {
    t.as_string()
        .is_some_and(|s| factory::validate_biological_type(&s))
}
#[wasm_bindgen(js_name = validateVmType)]
pub fn validate_vm_type(#[wasm_bindgen(unchecked_param_type = "unknown")] t: JsValue) -> bool {
    t.as_string().is_some_and(|s| factory::validate_vm_type(&s))
}

/// Chassis facts with their sources, for display.
#[wasm_bindgen(js_name = chassisInfo, unchecked_return_type = "ChassisInfo")]
pub fn chassis_info(
    #[wasm_bindgen(unchecked_param_type = "ChassisName")] name: JsValue,
) -> JsResult<JsValue> {
    let name = string_arg("name", &name)?;
    let spec = ChassisSpec::preset(ChassisKind::parse(&name).map_err(err)?).map_err(err)?;
    let v = to_js(&spec)?;
    set(&v, "switchCostMs", &(spec.switch_cost_ms() as f64).into());
    set(
        &v,
        "defaultQuantumMs",
        &(spec.default_quantum_ms() as f64).into(),
    );
    Ok(v)
}

/// One line describing each scheduler, for display.
#[wasm_bindgen(js_name = describeScheduler)]
pub fn describe_scheduler(
    #[wasm_bindgen(unchecked_param_type = "SchedulerName")] name: JsValue,
) -> JsResult<String> {
    let name = string_arg("name", &name)?;
    Ok(SchedulerKind::parse(&name)
        .map_err(err)?
        .describe()
        .to_string())
}

#[wasm_bindgen(js_name = defaultHypervisor)]
pub fn default_hypervisor() -> JsHypervisor {
    JsHypervisor {
        inner: factory::default_hypervisor(),
    }
}

#[wasm_bindgen(js_name = createBioVm)]
pub fn create_bio_vm(
    #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BiologicalType")] biologicalType: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VmType")] vmType: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VmConfig")] config: JsValue,
) -> JsResult<JsBiologicalVm> {
    default_hypervisor().create_vm(vmId, biologicalType, vmType, config)
}

// ------------------------------------------------------------------ Hypervisor

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsHypervisorOptions {
    chassis: Option<String>,
    scheduler: Option<String>,
    quantum_ms: Option<f64>,
    max_vms: Option<f64>,
    seed: Option<f64>,
    context_switch_ms: Option<f64>,
    trace_capacity: Option<f64>,
    event_capacity: Option<f64>,
    machinery: Option<String>,
}

fn whole(name: &str, v: Option<f64>, max: f64) -> JsResult<Option<u64>> {
    match v {
        None => Ok(None),
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max => Ok(Some(n as u64)),
        Some(n) => Err(bad_arg(
            name,
            format!("{n} is not a whole number from 0 to {max}"),
        )),
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
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsResourceRequest {
    ribosomes: Option<f64>,
    rna_polymerase: Option<f64>,
    atp_percent: Option<f64>,
    memory_kb: Option<f64>,
}

impl JsResourceRequest {
    fn to_core(&self) -> JsResult<ResourceRequest> {
        Ok(ResourceRequest {
            ribosomes: whole("ribosomes", self.ribosomes, 1e7)?,
            rna_polymerase: whole("rnaPolymerase", self.rna_polymerase, 1e7)?,
            atp_percent: self.atp_percent,
            memory_kb: whole("memoryKb", self.memory_kb, 1e9)?,
        })
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
    inner: SharedHypervisor,
}

thread_local! {
    /// Hypervisors by handle id, so that a JS `Hypervisor` passed as a plain argument (e.g. to
    /// `new BioResourceManager(h)`) can be found again. Weak: JS owns the hypervisor.
    static REGISTRY: std::cell::RefCell<(f64, std::collections::BTreeMap<u64, crate::factory::WeakHypervisor>)> =
        const { std::cell::RefCell::new((0.0, std::collections::BTreeMap::new())) };
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

fn lookup(v: &JsValue) -> JsResult<SharedHypervisor> {
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
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "HypervisorOptions")] options: JsValue,
    ) -> JsResult<JsHypervisor> {
        let o: JsHypervisorOptions = object_arg("options", &options)?.unwrap_or_default();
        let mut opts = match &o.chassis {
            Some(c) => HypervisorOptions::for_chassis(c).map_err(err)?,
            None => HypervisorOptions::default(),
        };
        if let Some(s) = &o.scheduler {
            opts.scheduler = SchedulerKind::parse(s).map_err(err)?;
        }
        opts.quantum_ms = whole("quantumMs", o.quantum_ms, 1e12)?;
        opts.max_vms = whole("maxVms", o.max_vms, 4096.0)?.map(|n| n as u32);
        opts.seed = whole("seed", o.seed, 9_007_199_254_740_991.0)?.unwrap_or(0);
        opts.context_switch_ms = whole("contextSwitchMs", o.context_switch_ms, 1e9)?;
        if let Some(n) = whole("traceCapacity", o.trace_capacity, 1e7)? {
            opts.trace_capacity = n as usize;
        }
        if let Some(n) = whole("eventCapacity", o.event_capacity, 1e7)? {
            opts.event_capacity = n as usize;
        }
        if let Some(m) = &o.machinery {
            opts.machinery = crate::machinery::MachineryKind::parse(m).map_err(err)?;
        }
        let h = Hypervisor::new(opts).map_err(err)?;
        Ok(JsHypervisor {
            inner: SharedHypervisor::new(h),
        })
    }

    #[wasm_bindgen(js_name = createVm)]
    pub fn create_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BiologicalType")] biologicalType: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VmType")] vmType: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VmConfig")] config: JsValue,
    ) -> JsResult<JsBiologicalVm> {
        let id = string_arg("vmId", &vmId)?;
        let bio = string_arg("biologicalType", &biologicalType)?;
        let vt = opt_string_arg("vmType", &vmType, "basic")?;
        let bio_t = BiologicalType::parse(&bio).map_err(err)?;
        let vm_t = VmType::parse(&vt).map_err(err)?;
        let (config, genome) = genome::take_genome(&config)?;
        let value = json_arg("config", &config)?;
        let mut cfg = ConfigManager::from_value(&value, vm_t).map_err(err)?;
        cfg.genome = genome.map(std::sync::Arc::new);
        self.inner
            .create_vm(&id, bio_t.as_str(), vm_t.as_str(), Some(&cfg))
            .map(JsBiologicalVm::from)
            .map_err(err)
    }

    #[wasm_bindgen(js_name = getVm)]
    pub fn get_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> Option<JsBiologicalVm> {
        let id = vmId.as_string()?;
        self.inner.get_vm(&id).map(JsBiologicalVm::from)
    }

    fn act(&self, vmId: JsValue, action: crate::vm::Action) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        self.inner.lock().apply(&id, action).map_err(err)
    }

    #[wasm_bindgen(js_name = startVm)]
    pub fn start_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Start)
    }
    #[wasm_bindgen(js_name = pauseVm)]
    pub fn pause_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Pause)
    }
    #[wasm_bindgen(js_name = resumeVm)]
    pub fn resume_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Resume)
    }
    #[wasm_bindgen(js_name = stopVm)]
    pub fn stop_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Stop)
    }
    #[wasm_bindgen(js_name = restartVm)]
    pub fn restart_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Restart)
    }
    #[wasm_bindgen(js_name = destroyVm)]
    pub fn destroy_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, crate::vm::Action::Destroy)
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
        let params = match o {
            None => None,
            Some(o) => {
                let base = h.scheduler_params();
                let quantum = whole("quantumMs", o.quantum_ms, 1e12)?.unwrap_or(base.quantum_ms);
                let mut p = SchedulerParams::with_quantum(quantum, base.seed);
                if o.quantum_ms.is_none() {
                    p = *base;
                }
                if let Some(s) = whole("seed", o.seed, 9_007_199_254_740_991.0)? {
                    p.seed = s;
                }
                if let Some(l) = whole("mlfqLevels", o.mlfq_levels, 16.0)? {
                    p.mlfq_levels = l as u8;
                }
                if let Some(b) = whole("mlfqBoostMs", o.mlfq_boost_ms, 1e15)? {
                    p.mlfq_boost_ms = b;
                }
                if let Some(a) = whole("agingMs", o.aging_ms, 1e15)? {
                    p.aging_ms = a;
                }
                if quantum == 0 {
                    return Err(bad_arg("quantumMs", "0 is out of range; expected 1..=1e12"));
                }
                Some(p)
            }
        };
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

    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.inner.lock().now_ms() as f64
    }

    #[wasm_bindgen(getter, unchecked_return_type = "SchedulerName")]
    pub fn scheduler(&self) -> String {
        self.inner.lock().scheduler_kind().as_str().to_string()
    }

    #[wasm_bindgen(getter, unchecked_return_type = "ChassisName | \"custom\"")]
    pub fn chassis(&self) -> String {
        self.inner.lock().chassis().kind.as_str().to_string()
    }

    #[wasm_bindgen(getter, js_name = quantumMs)]
    pub fn quantum_ms(&self) -> f64 {
        self.inner.lock().scheduler_params().quantum_ms as f64
    }

    #[wasm_bindgen(getter, js_name = switchCostMs)]
    pub fn switch_cost_ms(&self) -> f64 {
        self.inner.lock().switch_cost_ms() as f64
    }

    #[wasm_bindgen(js_name = listVms, unchecked_return_type = "VmStatus[]")]
    pub fn list_vms(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().list_vms())
    }

    #[wasm_bindgen(js_name = vmStatus, unchecked_return_type = "VmStatus")]
    pub fn vm_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<JsValue> {
        let id = string_arg("vmId", &vmId)?;
        let s = self.inner.lock().vm_status(&id).map_err(err)?;
        to_js(&s)
    }

    #[wasm_bindgen(js_name = systemResources, unchecked_return_type = "ResourceSummary")]
    pub fn system_resources(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().resource_summary())
    }

    #[wasm_bindgen(unchecked_return_type = "SystemMetrics")]
    pub fn metrics(&self) -> JsResult<JsValue> {
        let m = self.inner.lock().metrics();
        let v = to_js(&m)?;
        set(&v, "throughput", &m.throughput_aa_per_s.into());
        Ok(v)
    }

    /// Gantt segments after `cursor`, as typed arrays (no per-segment objects): `vmIndex`
    /// indexes `names`; `kind` is 0 for run, 1 for context switch. `open` is the segment in
    /// progress, or null.
    #[wasm_bindgen(js_name = traceSince, unchecked_return_type = "TraceChunk")]
    pub fn trace_since(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] cursor: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> JsResult<JsValue> {
        let cursor = if cursor.is_undefined() || cursor.is_null() {
            0
        } else {
            ms_arg("cursor", &cursor)?
        };
        let limit = if limit.is_undefined() || limit.is_null() {
            usize::MAX
        } else {
            ms_arg("limit", &limit)? as usize
        };
        let chunk = self.inner.lock().trace_since(cursor, limit);
        let mut names: Vec<std::sync::Arc<str>> = Vec::new();
        let n = chunk.segments.len();
        let (mut idx, mut start, mut end, mut kind) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for s in &chunk.segments {
            let i = match names.iter().position(|x| *x == s.vm) {
                Some(i) => i,
                None => {
                    names.push(s.vm.clone());
                    names.len() - 1
                }
            };
            idx.push(i as u32);
            start.push(s.start as f64);
            end.push(s.end as f64);
            kind.push(match s.kind {
                SegmentKind::Run => 0u8,
                SegmentKind::Switch => 1,
            });
        }
        let out = Object::new();
        set(&out, "vmIndex", &Uint32Array::from(&idx[..]).into());
        set(&out, "start", &Float64Array::from(&start[..]).into());
        set(&out, "end", &Float64Array::from(&end[..]).into());
        set(&out, "kind", &Uint8Array::from(&kind[..]).into());
        let names: Array = names.iter().map(|s| JsValue::from_str(s)).collect();
        set(&out, "names", &names.into());
        set(&out, "nextCursor", &(chunk.next_cursor as f64).into());
        set(&out, "dropped", &(chunk.dropped as f64).into());
        set(&out, "open", &to_js(&chunk.open)?);
        Ok(out.into())
    }

    /// Lifecycle and scheduling events with id ≥ `sinceId`.
    #[wasm_bindgen(unchecked_return_type = "LifecycleOrSchedulingEvent[]")]
    pub fn events(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] sinceId: JsValue,
    ) -> JsResult<JsValue> {
        let since = if sinceId.is_undefined() || sinceId.is_null() {
            0
        } else {
            ms_arg("sinceId", &sinceId)?
        };
        to_js(&self.inner.lock().events_since(since, usize::MAX))
    }

    #[wasm_bindgen(js_name = profilerReport, unchecked_return_type = "ProfilerReport")]
    pub fn profiler_report(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().profiler_report())
    }

    /// The whole hypervisor as JSON (secrets excluded), starting with its format version
    /// (`"snapshot_version":1`); `restore` refuses other versions by number.
    pub fn snapshot(&self) -> String {
        self.inner.lock().snapshot()
    }

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
        Ok(JsHypervisor {
            inner: SharedHypervisor::new(h),
        })
    }
}

// ------------------------------------------------------------------ BiologicalVM

/// A handle to one VM on a hypervisor.
#[wasm_bindgen(js_name = BiologicalVM)]
pub struct JsBiologicalVm {
    inner: factory::BiologicalVm,
}

impl From<factory::BiologicalVm> for JsBiologicalVm {
    fn from(inner: factory::BiologicalVm) -> Self {
        JsBiologicalVm { inner }
    }
}

#[wasm_bindgen(js_class = BiologicalVM)]
impl JsBiologicalVm {
    #[wasm_bindgen(getter, js_name = vmId)]
    pub fn vm_id(&self) -> String {
        self.inner.vm_id().to_string()
    }
    #[wasm_bindgen(getter, js_name = biologicalType, unchecked_return_type = "BiologicalType")]
    pub fn biological_type(&self) -> String {
        self.inner.biological_type().as_str().to_string()
    }
    #[wasm_bindgen(getter, js_name = vmType, unchecked_return_type = "VmType")]
    pub fn vm_type(&self) -> String {
        self.inner.vm_type().as_str().to_string()
    }
    /// The state, or "destroyed" once the VM no longer exists.
    #[wasm_bindgen(getter, unchecked_return_type = "VmState | \"destroyed\"")]
    pub fn state(&self) -> String {
        self.inner
            .state()
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|_| "destroyed".into())
    }
    pub fn start(&self) -> JsResult<()> {
        self.inner.start().map_err(err)
    }
    pub fn pause(&self) -> JsResult<()> {
        self.inner.pause().map_err(err)
    }
    pub fn resume(&self) -> JsResult<()> {
        self.inner.resume().map_err(err)
    }
    pub fn stop(&self) -> JsResult<()> {
        self.inner.stop().map_err(err)
    }
    pub fn restart(&self) -> JsResult<()> {
        self.inner.restart().map_err(err)
    }
    pub fn destroy(&self) -> JsResult<()> {
        self.inner.destroy().map_err(err)
    }
    #[wasm_bindgen(unchecked_return_type = "VmStatus")]
    pub fn status(&self) -> JsResult<JsValue> {
        to_js(&self.inner.status().map_err(err)?)
    }
    #[wasm_bindgen(js_name = allocateResources)]
    pub fn allocate_resources(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResourceRequest")] request: JsValue,
    ) -> JsResult<()> {
        let r: JsResourceRequest = object_arg("request", &request)?.unwrap_or_default();
        self.inner.allocate_resources(&r.to_core()?).map_err(err)
    }
    #[wasm_bindgen(js_name = resourceUsage, unchecked_return_type = "VmHolding")]
    pub fn resource_usage(&self) -> JsResult<JsValue> {
        to_js(&self.inner.resource_usage().map_err(err)?)
    }
}

// ------------------------------------------------------------------ BioResourceManager

/// The resource view of a hypervisor (the default one when none is given).
#[wasm_bindgen(js_name = BioResourceManager)]
pub struct JsBioResourceManager {
    inner: factory::BioResourceManager,
}

#[wasm_bindgen(js_class = BioResourceManager)]
impl JsBioResourceManager {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Hypervisor")] hypervisor: JsValue,
    ) -> JsResult<JsBioResourceManager> {
        let inner = if hypervisor.is_undefined() || hypervisor.is_null() {
            factory::BioResourceManager::new()
        } else {
            factory::BioResourceManager::with_hypervisor(lookup(&hypervisor)?)
        };
        Ok(JsBioResourceManager { inner })
    }
    #[wasm_bindgen(js_name = getResourceSummary, unchecked_return_type = "ResourceSummary")]
    pub fn get_resource_summary(&self) -> JsResult<JsValue> {
        to_js(&self.inner.get_resource_summary())
    }
    pub fn allocate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ResourceRequest")] request: JsValue,
    ) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        let r: JsResourceRequest = object_arg("request", &request)?.unwrap_or_default();
        self.inner.allocate(&id, &r.to_core()?).map_err(err)
    }
    pub fn release(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        self.inner.release(&id).map_err(err)
    }
}

// ------------------------------------------------------------------ ConfigManager

/// Config defaults and validation.
#[wasm_bindgen(js_name = ConfigManager)]
pub struct JsConfigManager;

#[wasm_bindgen(js_class = ConfigManager)]
impl JsConfigManager {
    /// Defaults for a biological type (camelCase keys).
    #[wasm_bindgen(unchecked_return_type = "ConfigDefaults")]
    pub fn defaults(
        #[wasm_bindgen(unchecked_param_type = "BiologicalType")] biologicalType: JsValue,
    ) -> JsResult<JsValue> {
        let t = string_arg("biologicalType", &biologicalType)?;
        let d = ConfigManager::defaults(BiologicalType::parse(&t).map_err(err)?);
        let out = Object::new();
        let put = |k: &str, v: Option<f64>| set(&out, k, &v.map_or(JsValue::NULL, JsValue::from));
        put("ribosomes", d.ribosomes.map(|n| n as f64));
        put("rnaPolymerase", d.rna_polymerase.map(|n| n as f64));
        put("atpPercent", d.atp_percent);
        put("memoryKb", d.memory_kb.map(|n| n as f64));
        put("priority", d.priority.map(f64::from));
        put("weight", d.weight.map(f64::from));
        put("cap", d.cap.map(f64::from));
        put("workloadAa", d.workload_aa.map(|n| n as f64));
        put("cycles", d.cycles.map(f64::from));
        Ok(out.into())
    }

    /// Validate a config object: `{ valid, errors: [{ path, message }] }`. `vmType` defaults
    /// to "basic" (pass "xcpng" to require the XCP-ng fields).
    #[wasm_bindgen(unchecked_return_type = "ConfigValidation")]
    pub fn validate(
        #[wasm_bindgen(unchecked_param_type = "unknown")] config: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VmType")] vmType: JsValue,
    ) -> JsResult<JsValue> {
        let vt = opt_string_arg("vmType", &vmType, "basic")?;
        let vt = VmType::parse(&vt).map_err(err)?;
        let issues = match object_value("config", &config, false) {
            Ok(v) => ConfigManager::validate_value(&v.unwrap_or(serde_json::Value::Null), vt),
            Err(e) => vec![crate::error::ConfigIssue {
                path: "$".into(),
                message: match e.dyn_ref::<js_sys::Error>() {
                    Some(e) if config.is_object() && !Array::is_array(&config) => {
                        e.message().into()
                    }
                    _ => format!("expected an object, got {}", describe(&config)),
                },
            }],
        };
        let out = Object::new();
        set(&out, "valid", &issues.is_empty().into());
        set(&out, "errors", &to_js(&issues)?);
        Ok(out.into())
    }
}
