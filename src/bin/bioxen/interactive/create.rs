//! The "Create a VM" dialogue of `bioxen interactive`: id, biological type, VM type, an
//! optional genome file, config overrides checked as typed, XCP-ng credentials.

use bioxen::config::ConfigManager;
use bioxen::session::{LiveSession, Op, SessionConfig};
use bioxen::vm::{Action, VmId};
use bioxen::{BiologicalType, VmType};
use inquire::validator::Validation;
use inquire::{Confirm, Password, Select, Text};

use super::fields::{number_field, string_field};
use super::prompt::{perform, prompt, Choice, Flow, Valid};
use crate::error::CliError;
use crate::fmt;

pub(super) fn create_vm(live: &mut LiveSession) -> Result<Flow, CliError> {
    let existing: Vec<String> = live.hypervisor().vm_ids();
    let suggestion = (1..)
        .map(|i| format!("vm{i}"))
        .find(|id| !existing.contains(id))
        .unwrap_or_else(|| "vm".into());
    let id = prompt!(Text::new("VM id:")
        .with_default(&suggestion)
        .with_validator(move |s: &str| -> Valid {
            if let Err(e) = VmId::new(s) {
                return Ok(Validation::Invalid(format!("[{}] {e}", e.code()).into()));
            }
            if existing.iter().any(|x| x == s) {
                return Ok(Validation::Invalid(
                    format!("[DUPLICATE_VM] a VM with id {s:?} already exists").into(),
                ));
            }
            Ok(Validation::Valid)
        })
        .prompt());
    let bios: Vec<Choice<BiologicalType>> = BiologicalType::ALL
        .iter()
        .map(|&t| Choice::new(t, t.as_str()))
        .collect();
    let bio = prompt!(Select::new("Biological type (the guest genome):", bios).prompt()).value;
    let vm_types: Vec<Choice<VmType>> = VmType::ALL
        .iter()
        .map(|&t| Choice::new(t, t.as_str()))
        .collect();
    let vm_type = prompt!(Select::new("VM type:", vm_types).prompt()).value;
    let mut config = SessionConfig::default();
    let mut d = ConfigManager::defaults(bio);
    let genome_path = prompt!(Text::new(
        "Genome file (GenBank, GFF3, FASTA, .genome; empty = the biological type's defaults):"
    )
    .prompt());
    let genome_path = genome_path.trim();
    if !genome_path.is_empty() {
        match crate::genome::workload_of(genome_path) {
            Ok(w) => {
                println!(
                    "{}: {} aa per cycle, {} kb, {} essential genes",
                    w.workload.organism,
                    fmt::int(w.workload.total_aa),
                    fmt::int(w.workload.genome_kb),
                    w.minimal_gene_set.len()
                );
                // The defaults shown next are the genome's, as createVm will use them.
                d = bioxen::config::defaults_for_workload(&w.workload);
                config.set_genome(&w);
            }
            Err(e) => {
                e.report();
                return Ok(Flow::Back);
            }
        }
    }
    let custom = prompt!(Confirm::new(
        "Change the config defaults (reservation, priority, weight, cap, workload)?"
    )
    .with_default(false)
    .prompt());
    if custom {
        let show = |v: Option<u64>| v.map_or("none".into(), |n| n.to_string());
        let fields: [(&str, &'static str, String); 9] = [
            ("Ribosomes reserved:", "ribosomes", show(d.ribosomes)),
            (
                "RNA polymerases reserved:",
                "rnaPolymerase",
                show(d.rna_polymerase),
            ),
            (
                "ATP reserved (% of supply):",
                "atpPercent",
                d.atp_percent.map_or("none".into(), |x| x.to_string()),
            ),
            ("Memory (DNA) reserved, kb:", "memoryKb", show(d.memory_kb)),
            (
                "Priority (1-10, higher first):",
                "priority",
                show(d.priority.map(u64::from)),
            ),
            ("Weight (1-65535):", "weight", show(d.weight.map(u64::from))),
            (
                "Cap (% of shared machinery, 0 = none):",
                "cap",
                show(d.cap.map(u64::from)),
            ),
            (
                "Workload (aa per cycle):",
                "workloadAa",
                show(d.workload_aa),
            ),
            (
                "Cycles before it stops (endless by default):",
                "cycles",
                "endless".into(),
            ),
        ];
        for (label, key, default) in fields {
            let v = match number_field(label, key, default, vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            };
            if let Some(n) = v {
                match key {
                    "ribosomes" => config.ribosomes = Some(n),
                    "rnaPolymerase" => config.rna_polymerase = Some(n),
                    "atpPercent" => config.atp_percent = Some(n),
                    "memoryKb" => config.memory_kb = Some(n),
                    "priority" => config.priority = Some(n),
                    "weight" => config.weight = Some(n),
                    "cap" => config.cap = Some(n),
                    "workloadAa" => config.workload_aa = Some(n),
                    _ => config.cycles = Some(Some(n)),
                }
            }
        }
    }
    let mut password = None;
    if vm_type == VmType::Xcpng {
        config.xapi_url = Some(
            match string_field("XAPI URL:", "xapiUrl", "https://xcpng.example:443", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
        config.username = Some(
            match string_field("XAPI user:", "username", "root", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
        password = Some(prompt!(Password::new("XAPI password (never saved):")
            .without_confirmation()
            .with_validator(|s: &str| -> Valid {
                Ok(if s.is_empty() {
                    Validation::Invalid("expected a non-empty password".into())
                } else {
                    Validation::Valid
                })
            })
            .prompt()));
        config.ssh_user = Some(
            match string_field("SSH user:", "sshUser", "bioxen", vm_type)? {
                Ok(v) => v,
                Err(f) => return Ok(f),
            },
        );
    }
    let op = Op::CreateVm {
        vm_id: id.clone(),
        biological_type: bio,
        vm_type,
        config,
    };
    if perform(live, op, password.as_deref()) {
        let start = prompt!(Confirm::new("Start it now?").with_default(true).prompt());
        if start {
            perform(
                live,
                Op::Lifecycle {
                    action: Action::Start,
                    vm_id: id,
                },
                None,
            );
        }
    }
    Ok(Flow::Back)
}
