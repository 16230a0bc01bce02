//! Gene circuits inside the kinetic machinery: which VM runs which circuit, the medium of
//! inducers every VM shares, and how both become the regulated promoters of the model.
//!
//! A VM's circuit genes are its gene classes, class j being gene j of its circuit, so they
//! sit together in the model (genes are sorted by VM key, then class) and a regulator named
//! in the circuit is the model gene `start of the VM's genes + its index in the circuit`.
//! Regulation never crosses VMs. The medium is one map of concentrations (µM) for all VMs:
//! IPTG added for one VM reaches every VM with a LacI-regulated promoter.
//!
//! Timing, as every other input of this machinery: a circuit registered at a VM's creation
//! takes part once its genes are applied at the next grid point, a circuit of a VM that is
//! gone is dropped when its genes are, and a medium change is applied at the next grid
//! point, where the integration restarts. So results depend only on the operations, never
//! on how `step` chunks time, and a snapshot restored between an operation and the grid
//! point rebuilds the same model.

use std::collections::BTreeMap;

use crate::circuits::compile::gene_control;
use crate::circuits::medium::Medium;
use crate::circuits::types::MAX_CIRCUIT_NAME_CHARS;
use crate::circuits::{Circuit, CircuitOptions, Gene};
use crate::error::{BioxenError, Result};
use crate::kinetics::model::HOST_NAMES;
use crate::kinetics::regulation::GeneControl;
use crate::machinery::GeneSeriesColumn;

use super::KineticMachinery;

impl KineticMachinery {
    /// Run `circuit` in the VM with creation key `key` (its genes come with its demand).
    pub fn set_circuit(&mut self, key: u64, circuit: Circuit) {
        match self.circuits.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(i) => self.circuits[i].1 = circuit,
            Err(i) => self.circuits.insert(i, (key, circuit)),
        }
    }

    /// The circuit of VM `key`, if it runs one.
    pub fn circuit_of(&self, key: u64) -> Option<&Circuit> {
        self.circuits
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| &self.circuits[i].1)
    }

    /// The medium as last set (the one applied at the next grid point, if a change waits).
    pub fn medium(&self) -> &Medium {
        self.pending_medium.as_ref().unwrap_or(&self.medium)
    }

    /// Set inducer `name` to `um` µM from the next grid point on. A bad name or value is
    /// refused with `InvalidArgument` and changes nothing.
    pub fn set_inducer(&mut self, name: &str, um: f64) -> Result<()> {
        let mut m = self.medium().clone();
        m.set(name, um)?;
        if m != self.medium {
            self.pending_medium = Some(m);
        } else {
            self.pending_medium = None;
        }
        Ok(())
    }

    /// Apply a waiting medium change (at a grid point); true if there was one.
    pub(super) fn apply_medium(&mut self) -> bool {
        match self.pending_medium.take() {
            Some(m) => {
                self.medium = m;
                self.scratch.model = None;
                true
            }
            None => false,
        }
    }

    /// Forget the circuits of VMs that have no genes any more (after `apply`).
    pub(super) fn prune_circuits(&mut self) {
        let genes = &self.genes;
        self.circuits
            .retain(|(k, _)| genes.binary_search_by_key(k, |g| g.key).is_ok());
    }

    /// Protein a new gene starts with: its circuit gene's `initialProtein` (0 otherwise).
    pub(super) fn initial_protein(&self, key: u64, class: u32) -> f64 {
        self.circuit_of(key)
            .and_then(|c| c.genes.get(class as usize))
            .map_or(0.0, |g| g.initial_protein)
    }

    /// The control of every model gene when any VM runs a circuit (None: all constitutive,
    /// and the model is Weiße's plain one).
    pub(super) fn controls(&self) -> Option<Vec<GeneControl>> {
        if self.circuits.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(self.genes.len());
        let mut i = 0;
        while i < self.genes.len() {
            let key = self.genes[i].key;
            let range = self.genes_of(key);
            let circuit = self.circuit_of(key);
            for j in range.clone() {
                let class = self.genes[j].class as usize;
                out.push(
                    circuit
                        .and_then(|c| gene_control(c, class, range.start, &self.medium))
                        .unwrap_or_default(),
                );
            }
            i = range.end;
        }
        Some(out)
    }

    /// Promoter activity f of model gene `j` in state `y` under `controls` (None: no circuit).
    pub(super) fn activity(&self, controls: &[GeneControl], y: &[f64], j: usize) -> Option<f64> {
        let hs = self.host_states();
        controls
            .get(j)
            .and_then(|c| c.promoter.as_ref())
            .map(|p| p.activity(|b| y[hs + 3 * b]))
    }

    /// Record the circuit genes' protein at the chart sample just taken (the last of
    /// `series`), and drop what fell out of `series`.
    pub(super) fn sample_genes(&mut self) {
        while self
            .gene_series
            .front()
            .is_some_and(|(i, _)| *i < self.series_start)
        {
            self.gene_series.pop_front();
        }
        if self.circuits.is_empty() {
            return;
        }
        let hs = self.host_states();
        let row: Vec<(u64, u32, f32)> = self
            .genes
            .iter()
            .enumerate()
            .filter(|(_, g)| self.circuit_of(g.key).is_some())
            .map(|(j, g)| (g.key, g.class, self.y[hs + 3 * j] as f32))
            .collect();
        if !row.is_empty() {
            let cursor = self.series_start + self.series.len() as u64 - 1;
            self.gene_series.push_back((cursor, row));
        }
    }

    /// Circuit genes' protein at the samples `from..to`, one column per gene, by VM key then
    /// class.
    pub(super) fn gene_series_between(&self, from: u64, to: u64) -> Vec<GeneSeriesColumn> {
        let n = to.saturating_sub(from) as usize;
        let mut cols: BTreeMap<(u64, u32), Vec<f64>> = BTreeMap::new();
        let start = self.gene_series.partition_point(|(i, _)| *i < from);
        for (i, row) in self.gene_series.iter().skip(start) {
            if *i >= to {
                break;
            }
            for &(key, class, p) in row {
                cols.entry((key, class))
                    .or_insert_with(|| vec![f64::NAN; n])[(*i - from) as usize] = f64::from(p);
            }
        }
        cols.into_iter()
            .map(|((key, class), protein)| GeneSeriesColumn {
                key,
                class,
                protein,
            })
            .collect()
    }

    /// The model as it is now, as a bare-host circuit run (what `Hypervisor::to_sbml` exports):
    /// one circuit per VM with genes in the model, named `name_of(key)`, each gene at
    /// w = w_max × its present gate (frozen), its protein, mRNA and complexes, the host's
    /// species and parameters, and the medium as constant inducers. A VM without a circuit
    /// becomes constitutive genes `class0`, ... at its mean protein length rounded to whole aa.
    /// Refused for the orthogonal host (not a Weiße model) and with no genes at all.
    pub fn present_options(
        &self,
        name_of: impl Fn(u64) -> String,
        t_end_min: f64,
        points: usize,
    ) -> Result<CircuitOptions> {
        if self.ortho.is_some() {
            return Err(BioxenError::arg(
                "chassis",
                "the orthogonal host is Darlington's model, which has no SBML export",
            ));
        }
        let hs = self.host_states();
        let mut circuits: Vec<Circuit> = Vec::new();
        let mut initial: BTreeMap<String, f64> = HOST_NAMES
            .iter()
            .zip(&self.y[..hs])
            .map(|(n, v)| (n.to_string(), *v))
            .collect();
        let mut i = 0;
        while i < self.genes.len() {
            let key = self.genes[i].key;
            let range = self.genes_of(key);
            let mut name: String = name_of(key);
            if name.is_empty() {
                name = format!("vm{key}");
            }
            let name: String = name.chars().take(MAX_CIRCUIT_NAME_CHARS).collect();
            let template = self.circuit_of(key);
            let mut genes = Vec::with_capacity(range.len());
            for (k, j) in range.clone().enumerate() {
                let g = &self.genes[j];
                let mut gene = match template.and_then(|c| c.genes.get(g.class as usize)) {
                    Some(cg) => cg.clone(),
                    None => Gene::constitutive(
                        &format!("class{}", g.class),
                        0.0,
                        g.length.round().clamp(1.0, 10_000.0) as u32,
                    ),
                };
                gene.w = g.w_max * g.induction;
                gene.initial_protein = self.y[hs + 3 * j];
                let id = format!("c{}g{k}", circuits.len());
                initial.insert(format!("m_{id}"), self.y[hs + 3 * j + 1]);
                initial.insert(format!("cx_{id}"), self.y[hs + 3 * j + 2]);
                genes.push(gene);
            }
            circuits.push(Circuit {
                name: Some(name),
                genes,
            });
            i = range.end;
        }
        if circuits.is_empty() {
            return Err(BioxenError::arg(
                "vms",
                "no VM has genes in the model yet (they join at the next grid point)",
            ));
        }
        let used: Vec<&str> = circuits.iter().flat_map(|c| c.inducer_names()).collect();
        let inducers = self
            .medium
            .iter()
            .filter(|(n, _)| used.contains(n))
            .map(|(n, v)| (n.to_string(), vec![[0.0, v]]))
            .collect();
        let opts = CircuitOptions {
            s0: self.s0,
            circuits,
            inducers,
            t_end_min,
            points,
            initial: Some(initial),
            params: Some(self.params.clone()),
            ..Default::default()
        };
        opts.check()?;
        Ok(opts)
    }
}
