//! The `BiologicalVM` class: a handle to one VM on a hypervisor, with its identity, state,
//! lifecycle, status and reservation. Its `workload()` is in `genome`.

use wasm_bindgen::prelude::*;

use super::args::object_arg;
use super::errors::{err, JsResult};
use super::resources::JsResourceRequest;
use super::values::to_js;
use crate::factory;

/// A handle to one VM on a hypervisor.
#[wasm_bindgen(js_name = BiologicalVM)]
pub struct JsBiologicalVm {
    pub(crate) inner: factory::BiologicalVm,
}

impl From<factory::BiologicalVm> for JsBiologicalVm {
    fn from(inner: factory::BiologicalVm) -> Self {
        JsBiologicalVm { inner }
    }
}

#[wasm_bindgen(js_class = BiologicalVM)]
impl JsBiologicalVm {
    /// The VM's id.
    #[wasm_bindgen(getter, js_name = vmId)]
    pub fn vm_id(&self) -> String {
        self.inner.vm_id().to_string()
    }
    /// The guest organism the VM was created with.
    #[wasm_bindgen(getter, js_name = biologicalType, unchecked_return_type = "BiologicalType")]
    pub fn biological_type(&self) -> String {
        self.inner.biological_type().as_str().to_string()
    }
    /// How the VM is backed ("basic" or "xcpng").
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
    /// created or stopped → running (as `Hypervisor.startVm`).
    pub fn start(&self) -> JsResult<()> {
        self.inner.start().map_err(err)
    }
    /// running → paused (as `Hypervisor.pauseVm`).
    pub fn pause(&self) -> JsResult<()> {
        self.inner.pause().map_err(err)
    }
    /// paused → running (as `Hypervisor.resumeVm`).
    pub fn resume(&self) -> JsResult<()> {
        self.inner.resume().map_err(err)
    }
    /// running or paused → stopped (as `Hypervisor.stopVm`).
    pub fn stop(&self) -> JsResult<()> {
        self.inner.stop().map_err(err)
    }
    /// running, paused, stopped or error → running, from the start of a new run (as
    /// `Hypervisor.restartVm`).
    pub fn restart(&self) -> JsResult<()> {
        self.inner.restart().map_err(err)
    }
    /// Remove the VM from its hypervisor (as `Hypervisor.destroyVm`); the handle's `state` is
    /// "destroyed" afterwards.
    pub fn destroy(&self) -> JsResult<()> {
        self.inner.destroy().map_err(err)
    }
    /// The VM's status (`NOT_FOUND` once destroyed).
    #[wasm_bindgen(unchecked_return_type = "VmStatus")]
    pub fn status(&self) -> JsResult<JsValue> {
        to_js(&self.inner.status().map_err(err)?)
    }
    /// Change this VM's reservation: keys left out keep their amount; all or nothing
    /// (`INSUFFICIENT_RESOURCES` changes nothing); refused in `error` (restart first).
    #[wasm_bindgen(js_name = allocateResources)]
    pub fn allocate_resources(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResourceRequest")] request: JsValue,
    ) -> JsResult<()> {
        let r: JsResourceRequest = object_arg("request", &request)?.unwrap_or_default();
        self.inner.allocate_resources(&r.to_core()?).map_err(err)
    }
    /// What this VM has reserved now.
    #[wasm_bindgen(js_name = resourceUsage, unchecked_return_type = "VmHolding")]
    pub fn resource_usage(&self) -> JsResult<JsValue> {
        to_js(&self.inner.resource_usage().map_err(err)?)
    }
}
