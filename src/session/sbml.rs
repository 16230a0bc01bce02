//! A session's gene circuits as one model of the bare host ([`CircuitOptions`]), for SBML
//! export (`bioxen export-sbml SESSION`) and any solver that reads it.
//!
//! What the model keeps and what it leaves out (SBML describes the equations, not the
//! hypervisor): every circuit VM the session creates, in creation order, with its genes at
//! their full rates from t = 0 on the chassis's host (its parameters and guest-free steady
//! state, as the kinetic machinery starts); and the medium's `setInducer` operations as
//! inducer schedules (events). Left out: the scheduler's gating of promoters, the RNA
//! polymerase budget, VMs without a circuit, and when VMs are created, paused or destroyed.
//! Under a proportional-share policy with equal weights and reservations covering the
//! circuits, the VMs' promoters are fully on and the two agree.

use std::collections::BTreeMap;

use super::format::SessionError;
use super::raw::raw_to_json;
use super::types::{Op, Session};
use crate::circuits::{circuit_from_json, Circuit, CircuitOptions};
use crate::kinetics::host::{host_params, host_steady_state};
use crate::machinery::MachineryKind;

const MS_PER_MIN: f64 = 60_000.0;

/// The circuits and inducer schedules of `s` over its `endMs`, on `points` output points.
pub fn circuit_options(s: &Session, points: usize) -> Result<CircuitOptions, SessionError> {
    if s.options.machinery != Some(MachineryKind::Kinetic) {
        return Err(SessionError::new(
            "circuits run on the kinetic machinery; this session uses the simple one",
            "options.machinery",
        ));
    }
    let kind = s.chassis.kind();
    let mut circuits: Vec<Circuit> = Vec::new();
    let mut inducers: BTreeMap<String, Vec<[f64; 2]>> = BTreeMap::new();
    for (i, t) in s.ops.iter().enumerate() {
        match &t.op {
            Op::CreateVm { config, .. } => {
                if let Some(c) = &config.circuit {
                    let path = format!("ops[{i}].config.circuit");
                    let json = raw_to_json(c, 0).map_err(|e| SessionError::new(e, &path))?;
                    let c = circuit_from_json(&json, "circuit").map_err(|e| SessionError {
                        path: format!("ops[{i}]"),
                        message: e.to_string(),
                        cause: Some(Box::new(e)),
                    })?;
                    circuits.push(c);
                }
            }
            Op::SetInducer { name, value } => {
                let sched = inducers.entry(name.clone()).or_default();
                let tmin = t.at_ms as f64 / MS_PER_MIN;
                // Operations at one instant: the last holds, as in a replay.
                match sched.last_mut() {
                    Some(last) if last[0] == tmin => last[1] = *value,
                    _ => sched.push([tmin, *value]),
                }
            }
            _ => {}
        }
    }
    if circuits.is_empty() {
        return Err(SessionError::new(
            "no createVm operation runs a circuit (config.circuit)",
            "ops",
        ));
    }
    // An inducer no circuit responds to changes nothing; the model leaves it out.
    let used: Vec<&str> = circuits.iter().flat_map(|c| c.inducer_names()).collect();
    inducers.retain(|name, _| used.contains(&name.as_str()));
    let steady =
        host_steady_state(kind).map_err(|e| SessionError::new(e.to_string(), "chassis"))?;
    let opts = CircuitOptions {
        circuits,
        inducers,
        t_end_min: (s.end_ms as f64 / MS_PER_MIN).max(1.0 / MS_PER_MIN),
        points,
        initial: Some(
            steady
                .names
                .iter()
                .cloned()
                .zip(steady.state.iter().copied())
                .collect(),
        ),
        params: Some(host_params(kind).0),
        ..Default::default()
    };
    opts.check()
        .map_err(|e| SessionError::new(e.to_string(), "ops"))?;
    Ok(opts)
}
