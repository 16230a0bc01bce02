//! The `BioResourceManager` class (the resource view of a hypervisor) and the
//! `ResourceRequest` argument it shares with `BiologicalVM.allocateResources`.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::args::{absent, object_arg, string_arg, whole};
use super::errors::{err, JsResult};
use super::hypervisor::lookup;
use super::values::to_js;
use crate::factory;
use crate::hypervisor::ResourceRequest;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct JsResourceRequest {
    ribosomes: Option<f64>,
    rna_polymerase: Option<f64>,
    atp_percent: Option<f64>,
    memory_kb: Option<f64>,
}

impl JsResourceRequest {
    pub(crate) fn to_core(&self) -> JsResult<ResourceRequest> {
        Ok(ResourceRequest {
            ribosomes: whole("ribosomes", self.ribosomes, 1e7)?,
            rna_polymerase: whole("rnaPolymerase", self.rna_polymerase, 1e7)?,
            atp_percent: self.atp_percent,
            memory_kb: whole("memoryKb", self.memory_kb, 1e9)?,
        })
    }
}

/// The resource view of a hypervisor (the default one when none is given).
#[wasm_bindgen(js_name = BioResourceManager)]
pub struct JsBioResourceManager {
    inner: factory::BioResourceManager,
}

#[wasm_bindgen(js_class = BioResourceManager)]
impl JsBioResourceManager {
    /// The resource view of `hypervisor`, or of the default hypervisor (see `defaultHypervisor`)
    /// when none is given.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Hypervisor")] hypervisor: JsValue,
    ) -> JsResult<JsBioResourceManager> {
        let inner = if absent(&hypervisor) {
            factory::BioResourceManager::new()
        } else {
            factory::BioResourceManager::with_hypervisor(lookup(&hypervisor)?)
        };
        Ok(JsBioResourceManager { inner })
    }
    /// The resource ledger (as `Hypervisor.systemResources`).
    #[wasm_bindgen(js_name = getResourceSummary, unchecked_return_type = "ResourceSummary")]
    pub fn get_resource_summary(&self) -> JsResult<JsValue> {
        to_js(&self.inner.get_resource_summary())
    }
    /// Change a VM's reservation (as `BiologicalVM.allocateResources`): partial, all or nothing;
    /// refused in `error`.
    pub fn allocate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ResourceRequest")] request: JsValue,
    ) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        let r: JsResourceRequest = object_arg("request", &request)?.unwrap_or_default();
        self.inner.allocate(&id, &r.to_core()?).map_err(err)
    }
    /// Return everything a VM has reserved: its reservation becomes zero and it runs on the
    /// shared machinery only. Refused in `error` (it holds nothing then).
    pub fn release(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        self.inner.release(&id).map_err(err)
    }
}
