//! JavaScript bindings of gene circuits: `simulateCircuits` (every series a Float64Array),
//! `toSbml` (the same options, the model as SBML Level 3 Version 2) and
//! `getSupportedCircuits` (the library with sources). FEATURE_UNAVAILABLE naming "kinetics"
//! in a build without it. Conversion only: reading and checking is `circuits::CircuitOptions`.

use wasm_bindgen::prelude::*;

use super::args::{describe, string_arg};
use super::errors::{bad_arg, JsResult};
use super::hypervisor::JsHypervisor;

#[wasm_bindgen(typescript_custom_section)]
const CIRCUIT_TYPES: &str = include_str!("circuits.d.ts");

/// Gene circuits on the bare Weiße host, inducer schedules applied: growth, host species and
/// every gene's protein, mRNA, complexes and promoter activity on an even time grid.
#[wasm_bindgen(js_name = simulateCircuits, unchecked_return_type = "CircuitResult")]
pub fn simulate_circuits(
    #[wasm_bindgen(unchecked_param_type = "CircuitOptions")] options: JsValue,
) -> JsResult<JsValue> {
    #[cfg(feature = "kinetics")]
    return imp::simulate(&options);
    #[cfg(not(feature = "kinetics"))]
    {
        drop(options);
        Err(super::errors::unavailable("kinetics", "simulateCircuits"))
    }
}

/// The model of a `simulateCircuits` call as SBML Level 3 Version 2 core (host, circuits,
/// inducer schedules as events), for COPASI, Tellurium or libRoadRunner.
#[wasm_bindgen(js_name = toSbml)]
pub fn to_sbml(
    #[wasm_bindgen(unchecked_param_type = "CircuitOptions")] options: JsValue,
) -> JsResult<String> {
    #[cfg(feature = "kinetics")]
    return imp::sbml(&options);
    #[cfg(not(feature = "kinetics"))]
    {
        drop(options);
        Err(super::errors::unavailable("kinetics", "toSbml"))
    }
}

/// The built-in circuits: id, title, what each teaches, its sources, what was adapted to the
/// host, the inducers it responds to, and its description.
#[wasm_bindgen(js_name = getSupportedCircuits, unchecked_return_type = "LibraryCircuit[]")]
pub fn get_supported_circuits() -> JsResult<JsValue> {
    #[cfg(feature = "kinetics")]
    return imp::library();
    #[cfg(not(feature = "kinetics"))]
    Err(super::errors::unavailable(
        "kinetics",
        "getSupportedCircuits",
    ))
}

/// Split `config.circuit` (a library id or a circuit) off a VM config: INVALID_CONFIG with
/// every problem under `circuit`.
#[cfg(feature = "kinetics")]
pub(crate) fn take_circuit(
    config: &mut serde_json::Value,
) -> JsResult<Option<crate::circuits::Circuit>> {
    let Some(v) = config.as_object_mut().and_then(|o| o.remove("circuit")) else {
        return Ok(None);
    };
    crate::circuits::circuit_from_json(&v, "circuit")
        .map(Some)
        .map_err(super::errors::err)
}

/// Without `kinetics`, a config naming a circuit is FEATURE_UNAVAILABLE.
#[cfg(not(feature = "kinetics"))]
pub(crate) fn take_circuit(config: &mut serde_json::Value) -> JsResult<()> {
    match config
        .as_object()
        .is_some_and(|o| o.contains_key("circuit"))
    {
        true => Err(super::errors::unavailable(
            "kinetics",
            "createVm(..., { circuit })",
        )),
        false => Ok(()),
    }
}

#[wasm_bindgen(js_class = Hypervisor)]
impl JsHypervisor {
    /// Set an inducer of the medium every VM shares (µM, finite, >= 0): IPTG added for one VM
    /// reaches every LacI-regulated promoter. It takes effect at the kinetic model's next grid
    /// point (30 s on E. coli). INVALID_ARGUMENT for a bad name or value, INVALID_CONFIG under
    /// the simple machinery; nothing changes when refused.
    #[wasm_bindgen(js_name = setInducer)]
    pub fn set_inducer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] um: JsValue,
    ) -> JsResult<()> {
        let name = string_arg("name", &name)?;
        let Some(v) = um.as_f64() else {
            return Err(bad_arg(
                "value",
                format!(
                    "expected a concentration in µM (a number), got {}",
                    describe(&um)
                ),
            ));
        };
        #[cfg(feature = "kinetics")]
        return self
            .inner
            .lock()
            .set_inducer(&name, v)
            .map_err(super::errors::err);
        #[cfg(not(feature = "kinetics"))]
        {
            let _ = (name, v);
            Err(super::errors::unavailable("kinetics", "setInducer"))
        }
    }

    /// The kinetic model as it is now, as SBML Level 3 Version 2 core (for COPASI, Tellurium or
    /// libRoadRunner): every VM with genes in the model as a circuit named by its id (a VM
    /// without one as constitutive genes), the scheduler's gates frozen at their present
    /// values, the present state as the initial one, the medium as constant inducers.
    /// INVALID_CONFIG under the simple machinery; FEATURE_UNAVAILABLE without `kinetics`.
    #[wasm_bindgen(js_name = toSbml)]
    pub fn to_sbml(&self) -> JsResult<String> {
        #[cfg(feature = "kinetics")]
        return self.inner.lock().to_sbml().map_err(super::errors::err);
        #[cfg(not(feature = "kinetics"))]
        Err(super::errors::unavailable("kinetics", "Hypervisor.toSbml"))
    }

    /// The medium's inducer concentrations as last set, µM by name (`{}` before any).
    #[wasm_bindgen(unchecked_return_type = "Record<string, number>")]
    pub fn medium(&self) -> JsValue {
        let out = js_sys::Object::new();
        #[cfg(feature = "kinetics")]
        for (name, v) in self.inner.lock().medium() {
            super::values::set(&out, &name, &JsValue::from_f64(v));
        }
        out.into()
    }
}

#[cfg(feature = "kinetics")]
mod imp {
    use js_sys::{Array, Float64Array, Object};
    use wasm_bindgen::prelude::*;

    use super::super::args::object_value;
    use super::super::errors::{bad_arg, err, JsResult};
    use super::super::values::{set, to_js};
    use crate::circuits::{self, CircuitOptions};
    use crate::kinetics::model::HOST_NAMES;

    fn options(v: &JsValue) -> JsResult<CircuitOptions> {
        let value = object_value("options", v, true)?
            .ok_or_else(|| bad_arg("options", "expected { circuits, tEndMin, points, ... }"))?;
        CircuitOptions::from_value(&value).map_err(err)
    }

    fn f64s(v: &[f64]) -> JsValue {
        Float64Array::from(v).into()
    }

    pub(super) fn simulate(v: &JsValue) -> JsResult<JsValue> {
        let r = circuits::simulate_circuits(&options(v)?).map_err(err)?;
        let out = Object::new();
        set(&out, "t", &f64s(&r.t));
        set(&out, "growthRate", &f64s(&r.growth_rate));
        let host = Object::new();
        for name in HOST_NAMES {
            if let Some(s) = r.host.series(name) {
                set(&host, name, &f64s(s));
            }
        }
        set(&out, "host", &host.into());
        let list = Array::new();
        for c in &r.circuits {
            let o = Object::new();
            let name = c.name.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            set(&o, "name", &name);
            let genes = Array::new();
            for g in &c.genes {
                let go = Object::new();
                set(&go, "name", &JsValue::from_str(&g.name));
                set(&go, "protein", &f64s(&g.protein));
                set(&go, "mrna", &f64s(&g.mrna));
                set(&go, "complex", &f64s(&g.complex));
                set(&go, "activity", &f64s(&g.activity));
                genes.push(&go);
            }
            set(&o, "genes", &genes.into());
            list.push(&o);
        }
        set(&out, "circuits", &list.into());
        set(&out, "stats", &to_js(&r.stats)?);
        Ok(out.into())
    }

    pub(super) fn sbml(v: &JsValue) -> JsResult<String> {
        crate::sbml::circuits_to_sbml(&options(v)?).map_err(err)
    }

    pub(super) fn library() -> JsResult<JsValue> {
        let list = Array::new();
        for c in circuits::supported_circuits() {
            let o = Object::new();
            set(&o, "id", &JsValue::from_str(c.id));
            set(&o, "title", &JsValue::from_str(c.title));
            set(&o, "teaches", &JsValue::from_str(c.teaches));
            set(&o, "sources", &to_js(c.sources)?);
            set(&o, "adapted", &JsValue::from_str(c.adapted));
            set(&o, "inducers", &to_js(&c.inducers)?);
            set(&o, "circuit", &to_js(&c.circuit)?);
            list.push(&o);
        }
        Ok(list.into())
    }
}
