//! What a `Hypervisor` reports: VM status, the resource summary, system metrics, the Gantt
//! trace (as typed arrays), the event log and the profiler's report. Read-only.

use std::sync::Arc;

use js_sys::{Array, Float64Array, Object, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use super::args::{cursor_args, opt_ms_arg, string_arg};
use super::errors::{err, JsResult};
use super::hypervisor::JsHypervisor;
use super::values::{set, to_js};
use crate::trace::SegmentKind;

#[wasm_bindgen(js_class = Hypervisor)]
impl JsHypervisor {
    /// Every VM's status, in creation order.
    #[wasm_bindgen(js_name = listVms, unchecked_return_type = "VmStatus[]")]
    pub fn list_vms(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().list_vms())
    }

    /// One VM's status; `NOT_FOUND` when there is no such VM.
    #[wasm_bindgen(js_name = vmStatus, unchecked_return_type = "VmStatus")]
    pub fn vm_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<JsValue> {
        let id = string_arg("vmId", &vmId)?;
        let s = self.inner.lock().vm_status(&id).map_err(err)?;
        to_js(&s)
    }

    /// The resource ledger: each pool's total, host reserve, allocation and free amount, and
    /// every VM's reservation.
    #[wasm_bindgen(js_name = systemResources, unchecked_return_type = "ResourceSummary")]
    pub fn system_resources(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().resource_summary())
    }

    /// System-wide measurements now: fairness, overhead, throughput, utilisation, every VM's
    /// metrics, and the kinetic host under the kinetic machinery.
    #[wasm_bindgen(unchecked_return_type = "SystemMetrics")]
    pub fn metrics(&self) -> JsResult<JsValue> {
        let m = self.inner.lock().metrics();
        let v = to_js(&m)?;
        set(&v, "throughput", &m.throughput_aa_per_s.into());
        Ok(v)
    }

    /// Gantt segments after `cursor`, as typed arrays (no per-segment objects): `vmIndex`
    /// indexes `names`; `kind` is 0 for run, 1 for context switch. `open` is the segment in
    /// progress, or null. `reasons[i]` is why the scheduler dispatched the VM of a run
    /// segment, in words (null for switches); `open.reason` likewise.
    #[wasm_bindgen(js_name = traceSince, unchecked_return_type = "TraceChunk")]
    pub fn trace_since(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] cursor: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> JsResult<JsValue> {
        let (cursor, limit) = cursor_args(&cursor, &limit)?;
        let chunk = self.inner.lock().trace_since(cursor, limit);
        let mut names: Vec<Arc<str>> = Vec::new();
        let n = chunk.segments.len();
        let reasons = Array::new();
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
            reasons.push(&reason_text(s.reason));
        }
        let out = Object::new();
        set(&out, "vmIndex", &Uint32Array::from(&idx[..]).into());
        set(&out, "start", &Float64Array::from(&start[..]).into());
        set(&out, "end", &Float64Array::from(&end[..]).into());
        set(&out, "kind", &Uint8Array::from(&kind[..]).into());
        let names: Array = names.iter().map(|s| JsValue::from_str(s)).collect();
        set(&out, "names", &names.into());
        set(&out, "reasons", &reasons.into());
        set(&out, "nextCursor", &(chunk.next_cursor as f64).into());
        set(&out, "dropped", &(chunk.dropped as f64).into());
        let open = to_js(&chunk.open)?;
        if let Some(s) = &chunk.open {
            set(&open, "reason", &reason_text(s.reason));
        }
        set(&out, "open", &open);
        Ok(out.into())
    }

    /// Lifecycle and scheduling events with id ≥ `sinceId`.
    #[wasm_bindgen(unchecked_return_type = "LifecycleOrSchedulingEvent[]")]
    pub fn events(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] sinceId: JsValue,
    ) -> JsResult<JsValue> {
        let since = opt_ms_arg("sinceId", &sinceId, 0)?;
        to_js(&self.inner.lock().events_since(since, usize::MAX))
    }

    /// Bottlenecks in the current measurements (ribosomes, ATP, memory, fairness, context
    /// switches), each with a recommendation.
    #[wasm_bindgen(js_name = profilerReport, unchecked_return_type = "ProfilerReport")]
    pub fn profiler_report(&self) -> JsResult<JsValue> {
        to_js(&self.inner.lock().profiler_report())
    }
}

/// A reason in words for JS, or null.
fn reason_text(r: Option<crate::scheduler::reason::Reason>) -> JsValue {
    r.map_or(JsValue::NULL, |r| JsValue::from_str(&r.to_string()))
}
