//! The glue to a machinery that takes demand (the kinetic one, feature `kinetics`): which genes
//! each VM contributes and how far the scheduler has induced them, and the machinery's
//! reports with VM ids and gene groups filled in. Under the simple machinery (and in builds
//! without `kinetics`) none of this has any effect: `takes_demand` is false and the reports
//! are `None`.

use crate::machinery::{GeneDemand, KineticMetrics, KineticSample, Machinery, MachineryKind};
use crate::scheduler::{Scheduler, Slot};
use crate::workload::Workload;

use super::state::{Hypervisor, VmRecord};

impl Hypervisor {
    /// Under the kinetic machinery with a time-slicing policy.
    pub(super) fn kinetic_slicing(&self) -> bool {
        self.machinery.takes_demand() && !self.scheduler.kind().is_proportional()
    }

    /// Appends the genes a VM contributes to the kinetic model, at `induction`, to `out`; their
    /// rates come from the RNA polymerases it reserved (none while it holds no reservation), and
    /// their transcription together uses all of them:
    /// Σ w·3·length = RNAP × v_tx (nt/s, the chassis's) × 60 s/min.
    ///
    /// * A VM built on a genome gives one gene class per gene group of its genome
    ///   (`GenomeWorkload::groups`): the group's mean protein (its aa ÷ its genes), each gene
    ///   of the genome transcribed at the same rate (one copy of every protein per work cycle),
    ///   so class g gets w_g = RNAP × v_tx × 60 × n_g ÷ (3 × Σ aa).
    /// * A circuit VM gives its circuit's genes (see `hypervisor::circuits`).
    /// * Any other VM gives one gene, the mean protein of its workload (coding aa ÷
    ///   protein-coding genes of its biological type's `Workload`, or of a genome without
    ///   groups): w = RNAP × v_tx × 60 ÷ (3 × length).
    pub(super) fn genes_of(&self, r: &VmRecord, induction: f64, out: &mut Vec<GeneDemand>) {
        #[cfg(feature = "kinetics")]
        if self.circuit_genes_of(r, induction, out) {
            return;
        }
        let gene = |class: usize, w_max: f64, length: f64| GeneDemand {
            key: r.seq,
            class: class as u32,
            w_max,
            induction,
            length,
        };
        let rnap = if r.held {
            r.reservation.rna_polymerase as f64
        } else {
            0.0
        };
        let nt_per_min = rnap * self.chassis.transcription_nt_per_s * 60.0;
        if !r.gene_groups.is_empty() {
            let aa: f64 = r.gene_groups.iter().map(|g| g.aa as f64).sum();
            out.extend(r.gene_groups.iter().enumerate().map(|(i, g)| {
                let n = f64::from(g.genes);
                gene(i, nt_per_min * n / (3.0 * aa), g.aa as f64 / n)
            }));
            return;
        }
        let length = match &r.genome {
            Some(g) if g.protein_coding > 0 && g.total_aa > 0 => {
                g.total_aa as f64 / f64::from(g.protein_coding)
            }
            _ => {
                let w = Workload::for_type(r.bio);
                w.total_aa as f64 / w.protein_coding.max(1) as f64
            }
        };
        out.push(gene(0, nt_per_min / (3.0 * length), length));
    }

    /// Tell a kinetic machinery every VM's gene and how far it is induced.
    ///
    /// Time-slicing policies (fcfs, sjf, srtf, round_robin, priority, mlfq) act as an
    /// inducible promoter: the VM holding the machinery (switching in or running) has its
    /// genes on (induction 1), every other VM's are off. Proportional-share policies
    /// (lottery, credit, eevdf) keep every runnable VM's genes on at once, each promoter at
    /// weight ÷ (largest runnable weight), at most cap % when a cap is set, so transcription
    /// strengths stand in the ratio of the shares and no gene is ever switched off (their
    /// dispatches still run for the accounting, without switch cost). Paused, stopped,
    /// created and faulted VMs are repressed (0): their mRNAs decay and their ribosomes run
    /// off over biological time.
    pub(super) fn sync_machinery(&mut self) {
        if !self.machinery.takes_demand() {
            return;
        }
        let proportional = self.scheduler.kind().is_proportional();
        let holder = self.current.map(|c| c.slot);
        let max_w = self
            .slots
            .iter()
            .flatten()
            .filter(|r| r.runnable_since.is_some())
            .map(|r| r.weight)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut demand: Vec<GeneDemand> = Vec::with_capacity(self.slots.len());
        for (slot, r) in self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().map(|r| (i as Slot, r)))
        {
            let induction = if r.runnable_since.is_none() {
                0.0
            } else if proportional {
                let u = r.weight as f64 / max_w;
                if r.cap > 0 {
                    u.min(r.cap as f64 / 100.0)
                } else {
                    u
                }
            } else if holder == Some(slot) {
                1.0
            } else {
                0.0
            };
            self.genes_of(r, induction, &mut demand);
        }
        demand.sort_unstable_by_key(|d| (d.key, d.class));
        self.machinery.set_demand(demand);
    }

    /// The machinery model in use.
    pub fn machinery_kind(&self) -> MachineryKind {
        self.machinery.kind()
    }

    /// The kinetic host's state (None under the simple machinery).
    pub fn kinetic_metrics(&self) -> Option<KineticMetrics> {
        let mut m = self.machinery.kinetic_report()?;
        for v in &mut m.per_vm {
            if let Some(r) = self.slots.iter().flatten().find(|r| r.seq == v.key) {
                v.vm_id = r.id.to_string();
                for c in &mut v.gene_classes {
                    c.group = match r.gene_groups.get(c.class as usize) {
                        Some(g) => g.name.clone(),
                        None => "mean_protein".into(),
                    };
                    #[cfg(feature = "kinetics")]
                    if let Some(g) = self
                        .circuit_of(r)
                        .and_then(|x| x.genes.get(c.class as usize))
                    {
                        c.group = g.name.clone();
                    }
                }
            }
        }
        // Genes of VMs destroyed since the last grid point are still decaying; report live VMs.
        m.per_vm.retain(|v| !v.vm_id.is_empty());
        Some(m)
    }

    /// Kinetic chart samples from `cursor` (at most `limit`), the next cursor and how many
    /// were dropped before being read (None under the simple machinery).
    pub fn kinetic_series_since(
        &self,
        cursor: u64,
        limit: usize,
    ) -> Option<(Vec<KineticSample>, u64, u64)> {
        self.machinery.kinetic_series_since(cursor, limit)
    }
}
