//! Dialogues of `bioxen interactive` on the whole host: advancing simulated time, switching
//! the scheduler, a nutrient shift (ATP supply).

use bioxen::session::{LiveSession, Op, SchedOptions};
use bioxen::VmState;
use inquire::validator::Validation;
use inquire::Text;

use super::prompt::{perform, pick_scheduler, prompt, refused, Flow, Valid};
use crate::error::CliError;
use crate::fmt;

pub(super) fn advance(live: &mut LiveSession) -> Result<Flow, CliError> {
    let t = prompt!(Text::new("Advance by (e.g. 30s, 10m, 6h):")
        .with_default("10m")
        .with_validator(|s: &str| -> Valid {
            Ok(match fmt::parse_duration(s) {
                Ok(_) => Validation::Valid,
                Err(e) => Validation::Invalid(e.into()),
            })
        })
        .prompt());
    let dt = fmt::parse_duration(&t).map_err(CliError::Usage)?;
    match live.advance(dt) {
        Ok(()) => println!("t = {}", fmt::clock(live.hypervisor().now_ms())),
        Err(e) => refused(&e),
    }
    Ok(Flow::Back)
}

pub(super) fn switch_scheduler(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(kind) = pick_scheduler("New scheduler (VMs keep running):")? else {
        return Ok(Flow::Back);
    };
    let current = live.hypervisor().scheduler_params().quantum_ms;
    let q = prompt!(
        Text::new("Quantum (e.g. 10m; Enter keeps the current one):")
            .with_placeholder(&fmt::dur(current as f64))
            .with_validator(|s: &str| -> Valid {
                Ok(match s.trim() {
                    "" => Validation::Valid,
                    t => match fmt::parse_duration(t) {
                        Ok(0) => Validation::Invalid("expected at least 1 ms".into()),
                        Ok(_) => Validation::Valid,
                        Err(e) => Validation::Invalid(e.into()),
                    },
                })
            })
            .prompt()
    );
    let options = fmt::parse_duration(q.trim())
        .ok()
        .map(|quantum| SchedOptions {
            quantum_ms: Some(quantum),
            ..Default::default()
        });
    perform(
        live,
        Op::SetScheduler {
            name: kind,
            options,
        },
        None,
    );
    Ok(Flow::Back)
}

pub(super) fn atp(live: &mut LiveSession) -> Result<Flow, CliError> {
    let p = prompt!(Text::new("ATP supply, % of normal:")
        .with_default("100")
        .with_validator(|s: &str| -> Valid {
            Ok(match s.trim().parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => Validation::Valid,
                _ => Validation::Invalid("expected a number ≥ 0".into()),
            })
        })
        .prompt());
    let percent: f64 = p.trim().parse().unwrap_or(100.0);
    let before: Vec<String> = error_vms(live);
    if perform(live, Op::SetAtpSupply { percent }, None) {
        let faulted: Vec<String> = error_vms(live)
            .into_iter()
            .filter(|v| !before.contains(v))
            .collect();
        if !faulted.is_empty() {
            println!("faulted: {}", faulted.join(", "));
        }
    }
    Ok(Flow::Back)
}

fn error_vms(live: &LiveSession) -> Vec<String> {
    live.hypervisor()
        .list_vms()
        .into_iter()
        .filter(|v| v.state == VmState::Error)
        .map(|v| v.vm_id)
        .collect()
}
