//! The kinetic machinery: the Weiße et al. 2015 host (or Darlington et al. 2018's host with
//! an orthogonal-ribosome pool, on the `orthogonal` chassis) as the hypervisor's expression
//! machinery.
//!
//! Each VM contributes heterologous genes ([`GeneDemand`]; one, or one per gene group of its
//! genome): their maximal transcription rates come from the RNA polymerases it reserved, their
//! lengths from its workload, and their induction (0..1) from the scheduler (see `Hypervisor` for the policy → promoter rules).
//! Production is the gene's translation flux c·γ(a) (aa/min), so VMs compete for the one
//! pool of free ribosomes and energy, and every guest protein dilutes the host's growth.
//!
//! Time. The hypervisor's clock is in integer simulated ms; the ODE is in minutes. The model
//! advances on a fixed grid of ticks (1/20 of the mRNA lifetime 1/d_m: 30 s for E. coli,
//! d_m = 0.1 min⁻¹, Weiße Table S1; rates change on the scale of that lifetime, so the
//! trapezoidal tick means below are accurate to O((tick/lifetime)²)). At each grid point the inputs (gene set, inductions) set
//! since the last one are applied and the ODE is integrated over the whole next tick at
//! once; each gene's production rate for that tick is the trapezoidal mean of its flux at
//! the two ends. Inputs therefore take effect on the grid, and the results depend only on
//! the sequence of hypervisor events, never on how `step` calls chunk the time: stepping 1 h
//! at once or in 3 600 one-second steps gives the same bits, and so does a snapshot restored
//! half-way.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::linalg::{BorderedLu, LinearSolver, SparseJacobian};
use super::model::{self, WeisseModel};
use super::orthogonal::{self, OrthoParams, OrthogonalModel};
use super::params::{Gene, WeisseParams};
use super::solver::{Rodas4, SolverOptions};
use super::steady::{weisse_steady_state, SteadyStateOptions};
use crate::chassis::{ChassisKind, ChassisSpec};
use crate::circuits::{Circuit, Medium};
use crate::error::Result;
use crate::machinery::{GeneDemand, Machinery, MachineryKind};
pub use crate::machinery::{
    KineticExpression, KineticGeneClass, KineticMetrics, KineticSample, KineticVm,
};
use crate::scheduler::Ms;

mod circuits;
mod report;

const MS_PER_MIN: f64 = 60_000.0;
/// Tolerances of the integration between ticks: the benchmark tolerances.
const RTOL: f64 = 1e-6;
const ATOL: f64 = 1e-6;
/// Grid ticks per mRNA lifetime 1/d_m.
const TICKS_PER_MRNA_LIFETIME: f64 = 20.0;
/// One chart sample every this many ticks (1/10 of the mRNA lifetime: 1 min for E. coli).
const TICKS_PER_SAMPLE: u64 = 2;
/// Chart samples kept (68 h of E. coli time at one per minute).
pub const SERIES_CAPACITY: usize = 4096;
/// Default quantum under the kinetic machinery, in mRNA lifetimes 1/d_m: a transcriptional
/// context switch takes about ln 2/(d_m + λ) ≈ 0.6 lifetimes (see `switch_done`), so six
/// lifetimes (60 min for E. coli) keep it near a tenth of the slice.
const QUANTUM_MRNA_LIFETIMES: f64 = 6.0;
/// External nutrient s: Weiße Table S1's 10⁴, also the calibration nutrient of syn3a/yeast.
const S0: f64 = 1e4;

/// Circuit genes' protein at one chart sample: (VM key, class, protein).
type GeneRow = Vec<(u64, u32, f32)>;

/// One VM's gene (class) as the model integrates it in the current tick.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KineticGene {
    pub key: u64,
    #[serde(default)]
    pub class: u32,
    /// Maximal transcription rate (molecules/min) before induction.
    pub w_max: f64,
    /// 0..1, set by the scheduler.
    pub induction: f64,
    /// Protein length (aa).
    pub length: f64,
    /// Mean translation flux over the current tick (aa/ms).
    pub rate: f64,
}

impl KineticExpression {
    /// Add another gene's amounts and rates (not its protein length, which is a mean).
    fn add(&mut self, o: &KineticExpression) {
        self.max_transcription_per_min += o.max_transcription_per_min;
        self.mrna += o.mrna;
        self.translating_ribosomes += o.translating_ribosomes;
        self.protein += o.protein;
        self.translation_aa_per_min += o.translation_aa_per_min;
    }
}

enum HostModel {
    Weisse(WeisseModel),
    Orthogonal(OrthogonalModel),
}

/// Work arrays and the built model: derived from the serialised state, never serialised.
#[derive(Default)]
struct Scratch {
    model: Option<HostModel>,
    integ: Option<Rodas4<BorderedLu>>,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}
impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}
impl PartialEq for Scratch {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The kinetic machinery. See the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KineticMachinery {
    params: WeisseParams,
    ortho: Option<OrthoParams>,
    s0: f64,
    tick_ms: Ms,
    /// Grid time of `y`; `y_next` is the state one tick later.
    t_grid: Ms,
    y: Vec<f64>,
    y_next: Vec<f64>,
    genes: Vec<KineticGene>,
    /// Inputs to apply at the next grid point.
    pending: Option<Vec<GeneDemand>>,
    /// Step size to continue with (min).
    h: f64,
    baseline_lambda: f64,
    baseline_monitor: f64,
    switches: u64,
    switch_total_ms: Ms,
    last_switch_ms: Option<Ms>,
    failures: u64,
    series: VecDeque<KineticSample>,
    /// Cursor of `series[0]`.
    series_start: u64,
    /// The circuit each circuit VM runs, by VM key (sorted); see [`circuits`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    circuits: Vec<(u64, Circuit)>,
    /// Inducer concentrations in effect.
    #[serde(default, skip_serializing_if = "Medium::is_empty")]
    medium: Medium,
    /// A medium change to apply at the next grid point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending_medium: Option<Medium>,
    /// Circuit genes' protein at chart samples taken while any VM ran a circuit: (sample
    /// cursor, [(key, class, protein)]), trimmed with `series`; f32 keeps snapshots small.
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    gene_series: VecDeque<(u64, GeneRow)>,
    #[serde(skip)]
    scratch: Scratch,
}

impl KineticMachinery {
    /// The host model of a chassis at its steady state without guests: E. coli (Weiße Table
    /// S1) for `ecoli`, `textbook` and `custom`, the calibrated sets for `syn3a` and `yeast`
    /// (kinetics::calibration), Darlington's orthogonal host for `orthogonal`.
    pub fn for_chassis(chassis: &ChassisSpec) -> Result<Self> {
        let (params, ortho) = host_params(chassis.kind);
        let ss = host_steady_state(chassis.kind)?;
        let tick_ms = (MS_PER_MIN / (TICKS_PER_MRNA_LIFETIME * params.dm))
            .round()
            .clamp(1.0, 3.6e6) as Ms;
        let mut k = KineticMachinery {
            params,
            ortho,
            s0: S0,
            tick_ms,
            t_grid: 0,
            y_next: ss.state.clone(),
            y: ss.state,
            genes: Vec::new(),
            pending: None,
            h: 0.0,
            baseline_lambda: ss.lambda,
            baseline_monitor: 0.0,
            switches: 0,
            switch_total_ms: 0,
            last_switch_ms: None,
            failures: 0,
            series: VecDeque::new(),
            series_start: 0,
            circuits: Vec::new(),
            medium: Medium::default(),
            pending_medium: None,
            gene_series: VecDeque::new(),
            scratch: Scratch::default(),
        };
        k.baseline_monitor = k.monitor(&k.y);
        k.sample();
        k.integrate_tick();
        Ok(k)
    }

    /// Default scheduling quantum under this machinery (6 mRNA lifetimes).
    pub fn default_quantum(&self) -> Ms {
        (QUANTUM_MRNA_LIFETIMES / self.params.dm * MS_PER_MIN).round() as Ms
    }

    pub fn tick_ms(&self) -> Ms {
        self.tick_ms
    }

    fn host_states(&self) -> usize {
        if self.ortho.is_some() {
            orthogonal::HOST_STATES
        } else {
            model::HOST_STATES
        }
    }

    fn gamma(&self, y: &[f64]) -> f64 {
        let a = y[model::A];
        self.params.gmax * a / (self.params.kgamma + a)
    }

    fn c_index(&self, j: usize) -> usize {
        self.host_states() + 3 * j + 2
    }

    /// Σ of every translating complex.
    fn csum(&self, y: &[f64]) -> f64 {
        let host = if self.ortho.is_some() {
            orthogonal::CR..=orthogonal::CQ
        } else {
            model::CR..=model::CQ
        };
        let mut s: f64 = y[host].iter().sum();
        for j in 0..self.genes.len() {
            s += y[self.c_index(j)];
        }
        s
    }

    fn lambda(&self, y: &[f64]) -> f64 {
        self.gamma(y) * self.csum(y) / self.params.m
    }

    /// The capacity monitor: translation rate ν_m = c_m·γ(a)/n_x (molecules/min) of the
    /// metabolic-enzyme gene, which is transcribed constitutively (ω = w_e·a/(θ_nr + a), no
    /// regulation). Ceroni et al. 2015's monitor is a constitutive GFP cassette; in this
    /// model such a cassette has exactly these kinetics (scaled by its w), without adding
    /// burden of its own.
    fn monitor(&self, y: &[f64]) -> f64 {
        let cm = if self.ortho.is_some() {
            orthogonal::CM
        } else {
            model::CM
        };
        y[cm] * self.gamma(y) / self.params.nx
    }

    /// (host ribosome protein count, non-ribosomal host protein count).
    fn mass_parts(&self, y: &[f64]) -> (f64, f64, f64) {
        let p = &self.params;
        let (ribo, other) = if self.ortho.is_some() {
            let x = y[orthogonal::XR] + y[orthogonal::PR] + y[orthogonal::PP] + self.csum(y);
            (x, y[orthogonal::ET] + y[orthogonal::EM] + y[orthogonal::Q])
        } else {
            (
                y[model::R] + self.csum(y),
                y[model::ET] + y[model::EM] + y[model::Q],
            )
        };
        let hs = self.host_states();
        let guest: f64 = self
            .genes
            .iter()
            .enumerate()
            .fold(0.0, |acc, (j, g)| acc + g.length * y[hs + 3 * j]);
        (p.nr * ribo, p.nx * other, guest)
    }

    fn capacity_percent(&self, y: &[f64]) -> f64 {
        if self.baseline_monitor > 0.0 {
            100.0 * self.monitor(y) / self.baseline_monitor
        } else {
            0.0
        }
    }

    fn sample(&mut self) {
        let y = &self.y;
        let (ribo, other, guest) = self.mass_parts(y);
        let mass = ribo + other + guest;
        let s = KineticSample {
            t_ms: self.t_grid,
            growth_rate: self.lambda(y),
            free_ribosomes: y[self.free_ribosome_index()],
            energy: y[model::A],
            capacity_percent: self.capacity_percent(y),
            heterologous_fraction: if mass > 0.0 { guest / mass } else { 0.0 },
        };
        self.series.push_back(s);
        if self.series.len() > SERIES_CAPACITY {
            self.series.pop_front();
            self.series_start += 1;
        }
        self.sample_genes();
    }

    fn free_ribosome_index(&self) -> usize {
        if self.ortho.is_some() {
            orthogonal::PR
        } else {
            model::R
        }
    }

    fn build_model(&self) -> HostModel {
        let genes: Vec<Gene> = self
            .genes
            .iter()
            .map(|g| Gene::new(g.w_max * g.induction, g.length))
            .collect();
        match &self.ortho {
            None => HostModel::Weisse(match self.controls() {
                Some(control) => {
                    WeisseModel::with_control(self.params.clone(), self.s0, genes, control)
                }
                None => WeisseModel::new(self.params.clone(), self.s0, genes),
            }),
            Some(o) => HostModel::Orthogonal(OrthogonalModel {
                host: self.params.clone(),
                ortho: o.clone(),
                s0: self.s0,
                genes,
            }),
        }
    }

    /// Apply new inputs at a grid point: keep the states of genes that stay, start new
    /// genes from zero (a circuit gene's protein from its `initialProtein`), drop the genes
    /// (and circuits) of VMs that are gone.
    fn apply(&mut self, demands: Vec<GeneDemand>) {
        let hs = self.host_states();
        let mut y = Vec::with_capacity(hs + 3 * demands.len());
        y.extend_from_slice(&self.y[..hs]);
        let mut genes = Vec::with_capacity(demands.len());
        for d in &demands {
            match self
                .genes
                .binary_search_by_key(&(d.key, d.class), |g| (g.key, g.class))
            {
                Ok(i) => y.extend_from_slice(&self.y[hs + 3 * i..hs + 3 * i + 3]),
                Err(_) => y.extend_from_slice(&[self.initial_protein(d.key, d.class), 0.0, 0.0]),
            }
            genes.push(KineticGene {
                key: d.key,
                class: d.class,
                w_max: d.w_max,
                induction: d.induction,
                length: d.length,
                rate: 0.0,
            });
        }
        // The structured solver's blocks follow the gene count and, with circuits, the
        // regulation graph: then a different gene set (not only a different count) needs a
        // new one.
        let resized = genes.len() != self.genes.len();
        let regrouped = resized
            || genes
                .iter()
                .zip(&self.genes)
                .any(|(a, b)| (a.key, a.class) != (b.key, b.class));
        let regulated = !self.circuits.is_empty();
        self.genes = genes;
        self.y_next = y.clone();
        self.y = y;
        self.scratch.model = None;
        if resized || (regulated && regrouped) {
            self.scratch.integ = None;
        }
        if regrouped {
            self.prune_circuits();
        }
    }

    /// Integrate `y` over one tick into `y_next` and set the genes' rates for the tick.
    fn integrate_tick(&mut self) {
        if self.scratch.model.is_none() {
            self.scratch.model = Some(self.build_model());
        }
        let t_min = self.tick_ms as f64 / MS_PER_MIN;
        self.y_next.copy_from_slice(&self.y);
        let opts = SolverOptions {
            rtol: RTOL,
            atol: ATOL,
            nonnegative: true,
            h_init: (self.h > 0.0).then_some(self.h),
            ..Default::default()
        };
        let Scratch { model, integ } = &mut self.scratch;
        let ok = match model {
            Some(HostModel::Weisse(m)) => run_tick(m, integ, &mut self.y_next, t_min, &opts),
            Some(HostModel::Orthogonal(m)) => run_tick(m, integ, &mut self.y_next, t_min, &opts),
            None => None,
        };
        match ok {
            Some(h) => self.h = h.min(1e6),
            None => {
                self.y_next.copy_from_slice(&self.y);
                self.failures += 1;
                self.h = 0.0;
            }
        }
        let (g0, g1) = (self.gamma(&self.y), self.gamma(&self.y_next));
        for j in 0..self.genes.len() {
            let c = self.c_index(j);
            let flux = 0.5 * (self.y[c] * g0 + self.y_next[c] * g1);
            self.genes[j].rate = flux / MS_PER_MIN;
        }
    }

    /// The genes of one VM (contiguous: genes are sorted by key, then class).
    fn genes_of(&self, key: u64) -> std::ops::Range<usize> {
        let start = self.genes.partition_point(|g| g.key < key);
        let end = self.genes.partition_point(|g| g.key <= key);
        start..end
    }

    /// A VM's production rate: the sum over its genes (0 for none).
    fn rate_of(&self, key: Option<u64>) -> f64 {
        key.map_or(0.0, |k| {
            self.genes[self.genes_of(k)].iter().map(|g| g.rate).sum()
        })
    }
}

/// The host model's parameters on a chassis: E. coli (Weiße Table S1) for `ecoli`,
/// `textbook` and `custom`, the calibrated sets for `syn3a` and `yeast`
/// (kinetics::calibration), and Darlington's orthogonal pool on `orthogonal`.
pub fn host_params(kind: ChassisKind) -> (WeisseParams, Option<OrthoParams>) {
    match kind {
        ChassisKind::Syn3a => (WeisseParams::syn3a(), None),
        ChassisKind::Yeast => (WeisseParams::yeast(), None),
        ChassisKind::Orthogonal => (WeisseParams::ecoli(), Some(OrthoParams::default())),
        ChassisKind::Ecoli | ChassisKind::Textbook | ChassisKind::Custom => {
            (WeisseParams::ecoli(), None)
        }
    }
}

/// The guest-free steady state the kinetic machinery starts from on a chassis (nutrient
/// s = 10⁴).
pub fn host_steady_state(kind: ChassisKind) -> Result<super::SteadyState> {
    let (params, ortho) = host_params(kind);
    weisse_steady_state(&SteadyStateOptions {
        s0: S0,
        params: Some(params),
        orthogonal: ortho,
        ..Default::default()
    })
}

/// One tick of integration with the cached structured integrator; returns the step size to
/// continue with, or None if the integration failed.
fn run_tick<M: SparseJacobian>(
    model: &M,
    integ: &mut Option<Rodas4<BorderedLu>>,
    y: &mut [f64],
    t_min: f64,
    opts: &SolverOptions,
) -> Option<f64>
where
    BorderedLu: LinearSolver<M>,
{
    if integ.as_ref().is_none() {
        *integ = Some(Rodas4::with_solver(model.dim(), BorderedLu::new(model)?));
    }
    let r = integ.as_mut()?;
    r.integrate(model, 0.0, y, &[t_min], opts, |_, _| {}).ok()?;
    Some(r.proposed_step())
}

impl Machinery for KineticMachinery {
    fn name(&self) -> &'static str {
        "kinetic"
    }
    /// What `ribosomes` translating ribosomes make at the current elongation rate γ(a): used
    /// only for the schedulers' remaining-time estimates.
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64 {
        ribosomes as f64 * self.gamma(&self.y) / MS_PER_MIN
    }
    /// The last measured transcriptional switch (0 before the first).
    fn switch_cost_ms(&self) -> Ms {
        self.last_switch_ms.unwrap_or(0)
    }
    fn advance(&mut self, now: Ms) -> bool {
        let mut ticked = false;
        while now >= self.t_grid.saturating_add(self.tick_ms) {
            self.t_grid += self.tick_ms;
            std::mem::swap(&mut self.y, &mut self.y_next);
            if (self.t_grid / self.tick_ms).is_multiple_of(TICKS_PER_SAMPLE) {
                self.sample();
            }
            if let Some(d) = self.pending.take() {
                self.apply(d);
            }
            self.apply_medium();
            self.integrate_tick();
            ticked = true;
        }
        ticked
    }
    fn next_change(&self, _now: Ms) -> Option<Ms> {
        Some(self.t_grid + self.tick_ms)
    }
    fn takes_demand(&self) -> bool {
        true
    }
    fn set_demand(&mut self, demand: Vec<GeneDemand>) {
        let same = demand.len() == self.genes.len()
            && demand.iter().zip(&self.genes).all(|(d, g)| {
                d.key == g.key
                    && d.class == g.class
                    && d.w_max == g.w_max
                    && d.induction == g.induction
                    && d.length == g.length
            });
        self.pending = if same { None } else { Some(demand) };
    }
    fn vm_rate_aa_per_ms(&self, key: u64) -> Option<f64> {
        Some(self.rate_of(Some(key)))
    }
    /// A transcriptional switch from `from` to `to` is over once the incoming gene's
    /// translation flux has overtaken the outgoing one's: until then most guest translation
    /// still serves the VM that lost the machinery (its mRNAs decay at d_m + λ and the
    /// ribosomes on them run off). Checked on the grid.
    fn switch_done(&self, from: Option<u64>, to: u64) -> Option<bool> {
        Some(self.rate_of(Some(to)) >= self.rate_of(from))
    }
    fn record_switch(&mut self, ms: Ms) {
        self.switches += 1;
        self.switch_total_ms = self.switch_total_ms.saturating_add(ms);
        self.last_switch_ms = Some(ms);
    }
    fn default_quantum_ms(&self) -> Option<Ms> {
        Some(self.default_quantum())
    }
    fn kind(&self) -> MachineryKind {
        MachineryKind::Kinetic
    }
    fn kinetic_report(&self) -> Option<KineticMetrics> {
        Some(self.report())
    }
    fn kinetic_series_since(
        &self,
        cursor: u64,
        limit: usize,
    ) -> Option<(Vec<KineticSample>, u64, u64)> {
        Some(self.series_since(cursor, limit))
    }
    fn kinetic_gene_series(&self, from: u64, to: u64) -> Vec<crate::machinery::GeneSeriesColumn> {
        self.gene_series_between(from, to)
    }
    fn check_state(&self, live_keys: &[u64], now: Ms) -> Option<std::result::Result<(), String>> {
        Some(self.check(live_keys, now))
    }
}
