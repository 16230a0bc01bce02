//! Dialogues of `bioxen interactive` on one existing VM: lifecycle actions, its reservation,
//! its scheduling inputs.

use bioxen::session::{LiveSession, Op, ResourceChange, SchedulingChange};
use bioxen::vm::Action;
use bioxen::VmType;
use inquire::validator::Validation;
use inquire::{Select, Text};

use super::fields::{number_field, whole_field};
use super::prompt::{ask, field, first_word, perform, prompt, Choice, Flow, Valid};
use crate::error::CliError;

fn pick_vm(live: &LiveSession, msg: &str) -> Result<Option<String>, CliError> {
    let vms = live.hypervisor().list_vms();
    if vms.is_empty() {
        println!("No VMs yet: create one first.");
        return Ok(None);
    }
    let items: Vec<Choice<String>> = vms
        .into_iter()
        .map(|v| {
            let label = format!(
                "{}  ({}, {})",
                v.vm_id,
                v.state.as_str(),
                v.biological_type.as_str()
            );
            Choice::new(v.vm_id, label)
        })
        .collect();
    let Ok(c) = ask(Select::new(msg, items).with_formatter(&first_word).prompt())? else {
        return Ok(None);
    };
    Ok(Some(c.value))
}

pub(super) fn manage(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Which VM?")? else {
        return Ok(Flow::Back);
    };
    let actions: Vec<Choice<Action>> = [
        Action::Start,
        Action::Pause,
        Action::Resume,
        Action::Stop,
        Action::Restart,
        Action::Destroy,
    ]
    .into_iter()
    .map(|a| Choice::new(a, a.as_str()))
    .collect();
    let action = prompt!(Select::new("Action:", actions).prompt()).value;
    perform(live, Op::Lifecycle { action, vm_id: id }, None);
    Ok(Flow::Back)
}

pub(super) fn allocate(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Allocate to which VM?")? else {
        return Ok(Flow::Back);
    };
    let s = live.hypervisor().vm_status(&id)?;
    let ribosomes = field!(whole_field(
        "Ribosomes:",
        s.ribosomes.to_string(),
        10_000_000
    ));
    let rnap = field!(whole_field(
        "RNA polymerases:",
        s.rna_polymerase.to_string(),
        10_000_000
    ));
    let atp = prompt!(Text::new("ATP (% of supply):")
        .with_placeholder(&s.atp_percent.to_string())
        .with_help_message("Enter keeps the current value")
        .with_validator(|s: &str| -> Valid {
            let s = s.trim();
            Ok(match s.parse::<f64>() {
                _ if s.is_empty() => Validation::Valid,
                Ok(x) if (0.0..=100.0).contains(&x) => Validation::Valid,
                _ => Validation::Invalid("expected a number from 0 to 100".into()),
            })
        })
        .prompt());
    let mem = field!(whole_field(
        "Memory (kb):",
        s.memory_kb.to_string(),
        1_000_000_000
    ));
    let request = ResourceChange {
        ribosomes,
        rna_polymerase: rnap,
        atp_percent: atp.trim().parse::<f64>().ok(),
        memory_kb: mem,
    };
    perform(live, Op::AllocateResources { vm_id: id, request }, None);
    Ok(Flow::Back)
}

pub(super) fn tune(live: &mut LiveSession) -> Result<Flow, CliError> {
    let Some(id) = pick_vm(live, "Tune which VM?")? else {
        return Ok(Flow::Back);
    };
    let s = live.hypervisor().vm_status(&id)?;
    let ranged = |key: &'static str, label: &str, current: String| {
        number_field(label, key, current, VmType::Basic)
    };
    let priority = field!(ranged(
        "priority",
        "Priority (1-10):",
        s.priority.to_string()
    ));
    let weight = field!(ranged("weight", "Weight (1-65535):", s.weight.to_string()));
    let cap = field!(ranged(
        "cap",
        "Cap (% of shared machinery, 0 = none):",
        s.cap.to_string()
    ));
    perform(
        live,
        Op::SetScheduling {
            vm_id: id,
            request: SchedulingChange {
                priority,
                weight,
                cap,
            },
        },
        None,
    );
    Ok(Flow::Back)
}
