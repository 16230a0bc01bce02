//! VM lifecycle on a `Hypervisor`: `createVm` (its arguments parsed into the core's types
//! here, once), `getVm`, and the transitions by id (`startVm` ... `destroyVm`).

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::args::{json_arg, opt_string_arg, string_arg};
use super::circuits::take_circuit;
use super::errors::{err, JsResult};
use super::genome::take_genome;
use super::hypervisor::JsHypervisor;
use super::vm::JsBiologicalVm;
use crate::config::ConfigManager;
use crate::vm::{Action, BiologicalType, VmType};

#[wasm_bindgen(js_class = Hypervisor)]
impl JsHypervisor {
    /// Create a VM (state `created`) with its reservation; omitted config keys take the
    /// biological type's (or the genome's) defaults. Checks, in order: biological type, VM type,
    /// config, id, duplicate, VM limit, resources.
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
        let bio = BiologicalType::parse(&bio).map_err(err)?;
        let vt = VmType::parse(&vt).map_err(err)?;
        let (config, genome) = take_genome(&config)?;
        let mut value = json_arg("config", &config)?;
        #[cfg(feature = "kinetics")]
        let circuit = take_circuit(&mut value)?;
        #[cfg(not(feature = "kinetics"))]
        take_circuit(&mut value)?;
        let mut cfg = ConfigManager::from_value(&value, vt).map_err(err)?;
        cfg.genome = genome.map(Arc::new);
        #[cfg(feature = "kinetics")]
        {
            cfg.circuit = circuit;
        }
        self.inner
            .create_vm(&id, bio, vt, Some(&cfg))
            .map(JsBiologicalVm::from)
            .map_err(err)
    }

    /// A handle to the VM with this id, or undefined when there is none.
    #[wasm_bindgen(js_name = getVm)]
    pub fn get_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> Option<JsBiologicalVm> {
        let id = vmId.as_string()?;
        self.inner.get_vm(&id).map(JsBiologicalVm::from)
    }

    fn act(&self, vmId: JsValue, action: Action) -> JsResult<()> {
        let id = string_arg("vmId", &vmId)?;
        self.inner.lock().apply(&id, action).map_err(err)
    }

    /// created or stopped → running.
    #[wasm_bindgen(js_name = startVm)]
    pub fn start_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Start)
    }
    /// running → paused.
    #[wasm_bindgen(js_name = pauseVm)]
    pub fn pause_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Pause)
    }
    /// paused → running; its work cycle continues where it stopped.
    #[wasm_bindgen(js_name = resumeVm)]
    pub fn resume_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Resume)
    }
    /// running or paused → stopped; the current work cycle is abandoned.
    #[wasm_bindgen(js_name = stopVm)]
    pub fn stop_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Stop)
    }
    /// running, paused, stopped or error → running, from the start of a new run; from `error`
    /// its reservation must fit again (all or nothing).
    #[wasm_bindgen(js_name = restartVm)]
    pub fn restart_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Restart)
    }
    /// Remove the VM, from any state; everything it held is returned.
    #[wasm_bindgen(js_name = destroyVm)]
    pub fn destroy_vm(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    ) -> JsResult<()> {
        self.act(vmId, Action::Destroy)
    }
}
