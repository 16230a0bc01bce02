//! JavaScript bindings of the kinetic model: `simulateWeisse`, `weisseSteadyState` (converted
//! in `weisse`; FEATURE_UNAVAILABLE naming "kinetics" in a build without it), the supported
//! machinery names, and the hypervisor's machinery and kinetic chart series (null under the
//! simple machinery, so in every build). Conversion only.

use js_sys::{Array, Float64Array, Object};
use wasm_bindgen::prelude::*;

use super::args::cursor_args;
use super::errors::JsResult;
use super::hypervisor::JsHypervisor;
use super::values::{set, str_array};
use crate::machinery::MachineryKind;

#[wasm_bindgen(typescript_custom_section)]
const KINETIC_TYPES: &str = include_str!("kinetic.d.ts");

/// The bare Weiße 2015 model (Darlington 2018's with `orthogonal: true`): every state series
/// and λ on an even time grid, as Float64Arrays.
#[wasm_bindgen(js_name = simulateWeisse, unchecked_return_type = "WeisseResult")]
pub fn simulate_weisse(
    #[wasm_bindgen(unchecked_optional_param_type = "WeisseOptions")] options: JsValue,
) -> JsResult<JsValue> {
    #[cfg(feature = "kinetics")]
    return super::weisse::simulate_weisse(&options);
    #[cfg(not(feature = "kinetics"))]
    {
        drop(options);
        Err(super::errors::unavailable("kinetics", "simulateWeisse"))
    }
}

/// A steady state of the bare model (integration to convergence, then Newton), e.g. for
/// growth-law curves: every state by name, λ and what follows from it.
#[wasm_bindgen(js_name = weisseSteadyState, unchecked_return_type = "WeisseSteadyState")]
pub fn weisse_steady_state(
    #[wasm_bindgen(unchecked_optional_param_type = "WeisseSteadyStateOptions")] options: JsValue,
) -> JsResult<JsValue> {
    #[cfg(feature = "kinetics")]
    return super::weisse::weisse_steady_state(&options);
    #[cfg(not(feature = "kinetics"))]
    {
        drop(options);
        Err(super::errors::unavailable("kinetics", "weisseSteadyState"))
    }
}

/// The machinery models a hypervisor accepts.
#[wasm_bindgen(js_name = getSupportedMachinery, unchecked_return_type = "MachineryName[]")]
pub fn get_supported_machinery() -> Array {
    str_array(MachineryKind::ALL.iter().map(|k| k.as_str()))
}

/// One column of samples as a Float64Array.
fn column<T>(samples: &[T], f: impl Fn(&T) -> f64) -> JsValue {
    let v: Vec<f64> = samples.iter().map(f).collect();
    Float64Array::from(&v[..]).into()
}

#[wasm_bindgen(js_class = Hypervisor)]
impl JsHypervisor {
    /// The machinery model: "simple" or "kinetic".
    #[wasm_bindgen(getter, unchecked_return_type = "MachineryName")]
    pub fn machinery(&self) -> String {
        self.inner.lock().machinery_kind().as_str().to_string()
    }

    /// Kinetic chart samples (one per simulated minute of E. coli time) after `cursor`, as
    /// typed arrays; null under the simple machinery.
    #[wasm_bindgen(js_name = kineticSeriesSince, unchecked_return_type = "KineticSeriesChunk | null")]
    pub fn kinetic_series_since(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] cursor: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: JsValue,
    ) -> JsResult<JsValue> {
        let (cursor, limit) = cursor_args(&cursor, &limit)?;
        let hv = self.inner.lock();
        let Some((samples, next, dropped)) = hv.kinetic_series_since(cursor, limit) else {
            return Ok(JsValue::NULL);
        };
        let genes = Array::new();
        #[cfg(feature = "kinetics")]
        for (vm, gene, protein) in hv.kinetic_gene_series(next - samples.len() as u64, next) {
            let o = Object::new();
            set(&o, "vmId", &JsValue::from_str(&vm));
            set(&o, "gene", &JsValue::from_str(&gene));
            set(&o, "protein", &Float64Array::from(&protein[..]).into());
            genes.push(&o);
        }
        drop(hv);
        let out = Object::new();
        set(&out, "t", &column(&samples, |s| s.t_ms as f64));
        set(&out, "growthRate", &column(&samples, |s| s.growth_rate));
        set(
            &out,
            "freeRibosomes",
            &column(&samples, |s| s.free_ribosomes),
        );
        set(&out, "energy", &column(&samples, |s| s.energy));
        set(
            &out,
            "capacityPercent",
            &column(&samples, |s| s.capacity_percent),
        );
        set(
            &out,
            "heterologousFraction",
            &column(&samples, |s| s.heterologous_fraction),
        );
        set(&out, "genes", &genes.into());
        set(&out, "nextCursor", &(next as f64).into());
        set(&out, "dropped", &(dropped as f64).into());
        Ok(out.into())
    }
}
