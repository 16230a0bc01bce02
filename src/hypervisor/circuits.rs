//! Gene circuits in VMs (feature `kinetics`): the checks a circuit VM must pass, its genes
//! and transcription budget, and the medium of inducers all VMs share.
//!
//! A circuit VM's genes are its circuit's genes, class j being gene j. Its RNA-polymerase
//! reservation still sets its transcription budget: when Σ w·3·length (nt/min) exceeds
//! RNAP × v_tx × 60, every gene's w is scaled down by the same factor; a VM created without
//! an `rna_polymerase` setting reserves enough for its circuit's full rates. The scheduler
//! gates or scales all its promoters, as for any VM. The circuit itself is kept by the
//! kinetic machinery, which needs it for the model. The model's rules are in
//! `kinetics::host::circuits` and `kinetics::regulation`.

use crate::chassis::ChassisKind;
use crate::circuits::{Circuit, CircuitOptions};
use crate::config::VmConfig;
use crate::error::{BioxenError, ConfigIssue, Result};
use crate::machinery::{GeneDemand, Machinery, MachineryKind};

use super::state::{Hypervisor, VmRecord};

fn refused(path: &str, message: impl Into<String>) -> BioxenError {
    BioxenError::InvalidConfig(vec![ConfigIssue {
        path: path.into(),
        message: message.into(),
    }])
}

impl Hypervisor {
    /// A circuit VM needs the kinetic machinery on a chassis with Weiße's host (not the
    /// orthogonal one, whose model has no regulated promoters), no genome, and a valid
    /// circuit (every problem named under `circuit`).
    pub(super) fn check_circuit(&self, c: &Circuit, config: &VmConfig) -> Result<()> {
        if self.machinery.kind() != MachineryKind::Kinetic {
            return Err(refused(
                "circuit",
                "circuits run on the kinetic machinery; create the hypervisor with machinery \
                 \"kinetic\"",
            ));
        }
        if self.chassis.kind == ChassisKind::Orthogonal {
            return Err(refused(
                "circuit",
                "the orthogonal chassis's host model has no regulated promoters; use ecoli, \
                 yeast, syn3a or a custom chassis",
            ));
        }
        if config.genome.is_some() {
            return Err(refused(
                "circuit",
                "a VM runs either a genome or a circuit, not both",
            ));
        }
        let issues = c.issues("circuit");
        if !issues.is_empty() {
            return Err(BioxenError::InvalidConfig(issues));
        }
        Ok(())
    }

    /// RNA polymerases that transcribe `c` at its full rates: ⌈Σ w·3·length ÷ (v_tx × 60)⌉.
    pub(super) fn circuit_rna_polymerase(&self, c: &Circuit) -> u64 {
        let per_rnap = self.chassis.transcription_nt_per_s * 60.0;
        let need = circuit_nt_per_min(c);
        if per_rnap > 0.0 {
            (need / per_rnap).ceil().clamp(0.0, 1e7) as u64
        } else {
            0
        }
    }

    /// A circuit VM's genes at `induction`, into `out` (false for a VM without a circuit).
    pub(super) fn circuit_genes_of(
        &self,
        r: &VmRecord,
        induction: f64,
        out: &mut Vec<GeneDemand>,
    ) -> bool {
        let Some(c) = self.circuit_of(r) else {
            return false;
        };
        let rnap = if r.held {
            r.reservation.rna_polymerase as f64
        } else {
            0.0
        };
        let budget = rnap * self.chassis.transcription_nt_per_s * 60.0;
        let need = circuit_nt_per_min(c);
        let scale = if need > budget { budget / need } else { 1.0 };
        out.extend(c.genes.iter().enumerate().map(|(j, g)| GeneDemand {
            key: r.seq,
            class: j as u32,
            w_max: g.w * scale,
            induction,
            length: f64::from(g.length),
        }));
        true
    }

    /// The circuit VM `id` runs (None for a VM without one; NotFound for no such VM).
    pub fn vm_circuit(&self, id: &str) -> Result<Option<&Circuit>> {
        let slot = self.slot_of(id)?;
        Ok(self.rec(slot).and_then(|r| self.circuit_of(r)))
    }

    /// Circuit genes' protein at the kinetic chart samples with cursors `from..to`, for the
    /// live circuit VMs: (VM id, gene name, protein at each sample; NaN before its genes
    /// joined the model).
    pub fn kinetic_gene_series(&self, from: u64, to: u64) -> Vec<(String, String, Vec<f64>)> {
        self.machinery
            .kinetic_gene_series(from, to)
            .into_iter()
            .filter_map(|c| {
                let r = self.slots.iter().flatten().find(|r| r.seq == c.key)?;
                let g = self.circuit_of(r)?.genes.get(c.class as usize)?;
                Some((r.id.to_string(), g.name.clone(), c.protein))
            })
            .collect()
    }

    /// The kinetic model as it is now, as a bare-host circuit run over `t_end_min` on `points`
    /// output points: every VM with genes in the model as a circuit named by its id, gates
    /// frozen at their present values, the present state as the initial one, the medium as
    /// constant inducers (see `KineticMachinery::present_options`). `InvalidConfig` under the
    /// simple machinery.
    pub fn kinetic_model_options(&self, t_end_min: f64, points: usize) -> Result<CircuitOptions> {
        let Some(k) = self.machinery.kinetic_model() else {
            return Err(refused(
                "machinery",
                "only the kinetic machinery has a model to export; create the hypervisor with \
                 machinery \"kinetic\"",
            ));
        };
        let name_of = |key: u64| {
            self.slots
                .iter()
                .flatten()
                .find(|r| r.seq == key)
                .map(|r| r.id.to_string())
                .unwrap_or_default()
        };
        k.present_options(name_of, t_end_min, points)
    }

    /// [`Self::kinetic_model_options`] (1,000 min, 101 points) as SBML Level 3 Version 2, for
    /// COPASI, Tellurium or libRoadRunner to continue the run from here.
    pub fn to_sbml(&self) -> Result<String> {
        crate::sbml::circuits_to_sbml(&self.kinetic_model_options(1000.0, 101)?)
    }

    /// The circuit a VM runs: the kinetic machinery keeps it (one copy, in its snapshot)
    /// from the VM's creation until its genes leave the model after it is destroyed.
    pub(super) fn circuit_of(&self, r: &VmRecord) -> Option<&Circuit> {
        self.machinery.kinetic_model()?.circuit_of(r.seq)
    }

    /// Set inducer `name` of the medium to `um` µM, for every VM: it takes effect at the
    /// kinetic model's next grid point. Refused (nothing changes) for a bad name or value
    /// (`InvalidArgument`) and under the simple machinery (`InvalidConfig`).
    pub fn set_inducer(&mut self, name: &str, um: f64) -> Result<()> {
        self.machinery.set_inducer(name, um)
    }

    /// The medium's concentrations as last set (µM, by name; empty under the simple
    /// machinery).
    pub fn medium(&self) -> Vec<(String, f64)> {
        self.machinery
            .kinetic_model()
            .map(|k| k.medium().iter().map(|(n, v)| (n.to_string(), v)).collect())
            .unwrap_or_default()
    }
}

/// Σ w·3·length over a circuit's genes: nt/min at full rates.
fn circuit_nt_per_min(c: &Circuit) -> f64 {
    c.genes
        .iter()
        .map(|g| g.w * 3.0 * f64::from(g.length))
        .sum()
}
