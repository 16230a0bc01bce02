//! The kinetic machinery's reports: chart samples since a cursor, the host's state and every
//! VM's genes (`KineticMetrics`), and the internal invariants checked against the
//! hypervisor's VMs and clock.

use super::{model, orthogonal, KineticMachinery, SERIES_CAPACITY};
use crate::machinery::{
    KineticExpression, KineticGeneClass, KineticMetrics, KineticSample, KineticVm,
};
use crate::scheduler::Ms;

impl KineticMachinery {
    /// Chart samples from `cursor` (at most `limit`): the samples, the next cursor and how
    /// many were dropped from the ring before the caller read them.
    pub fn series_since(&self, cursor: u64, limit: usize) -> (Vec<KineticSample>, u64, u64) {
        let end = self.series_start + self.series.len() as u64;
        let start = cursor.clamp(self.series_start, end);
        let dropped = start.saturating_sub(cursor);
        let skip = (start - self.series_start) as usize;
        let out: Vec<KineticSample> = self.series.iter().skip(skip).take(limit).copied().collect();
        let next = start + out.len() as u64;
        (out, next, dropped)
    }

    /// The report; `per_vm` carries keys, the hypervisor fills in the ids.
    pub fn report(&self) -> KineticMetrics {
        let y = &self.y;
        let lambda = self.lambda(y);
        let gamma = self.gamma(y);
        let (ribo, other, guest) = self.mass_parts(y);
        let mass = ribo + other + guest;
        let total_ribosomes = if self.ortho.is_some() {
            y[orthogonal::PR] + y[orthogonal::PP] + self.csum(y)
        } else {
            y[model::R] + self.csum(y)
        };
        KineticMetrics {
            host_model: if self.ortho.is_some() {
                "darlington2018"
            } else {
                "weisse2015"
            }
            .into(),
            model_time_ms: self.t_grid,
            tick_ms: self.tick_ms,
            growth_rate_per_min: lambda,
            doubling_time_min: (lambda > 0.0).then(|| std::f64::consts::LN_2 / lambda),
            baseline_growth_rate_per_min: self.baseline_lambda,
            free_ribosomes: y[self.free_ribosome_index()],
            total_ribosomes,
            free_orthogonal_ribosomes: self.ortho.as_ref().map(|_| y[orthogonal::PP]),
            energy: y[model::A],
            elongation_aa_per_s: gamma / 60.0,
            ribosomal_fraction: if mass > 0.0 { ribo / mass } else { 0.0 },
            heterologous_fraction: if mass > 0.0 { guest / mass } else { 0.0 },
            capacity_monitor_per_min: self.monitor(y),
            capacity_percent: self.capacity_percent(y),
            switches_measured: self.switches,
            last_switch_ms: self.last_switch_ms,
            mean_switch_ms: (self.switches > 0)
                .then(|| self.switch_total_ms as f64 / self.switches as f64),
            integration_failures: self.failures,
            per_vm: self.per_vm_report(gamma),
        }
    }

    /// Each VM's genes summed, with its classes.
    fn per_vm_report(&self, gamma: f64) -> Vec<KineticVm> {
        let y = &self.y;
        let hs = self.host_states();
        let mut out: Vec<KineticVm> = Vec::new();
        let controls = self.controls().unwrap_or_default();
        for (j, g) in self.genes.iter().enumerate() {
            let c = y[hs + 3 * j + 2];
            let circuit = self.circuit_of(g.key).is_some();
            let class = KineticGeneClass {
                group: String::new(),
                class: g.class,
                expression: KineticExpression {
                    max_transcription_per_min: g.w_max,
                    protein_length: g.length,
                    mrna: y[hs + 3 * j + 1],
                    translating_ribosomes: c,
                    protein: y[hs + 3 * j],
                    translation_aa_per_min: c * gamma,
                },
                activity: circuit.then(|| self.activity(&controls, y, j).unwrap_or(1.0)),
                production_per_min: circuit.then(|| c * gamma / g.length),
            };
            match out.last_mut() {
                Some(v) if v.key == g.key => {
                    v.expression.add(&class.expression);
                    v.gene_classes.push(class);
                }
                _ => out.push(KineticVm {
                    vm_id: String::new(),
                    key: g.key,
                    induction: g.induction,
                    expression: KineticExpression {
                        protein_length: 0.0,
                        ..class.expression
                    },
                    gene_classes: vec![class],
                }),
            }
        }
        for v in &mut out {
            let classes = || v.gene_classes.iter().map(|c| &c.expression);
            let w: f64 = classes().map(|c| c.max_transcription_per_min).sum();
            let length = if w > 0.0 {
                classes()
                    .map(|c| c.max_transcription_per_min * c.protein_length)
                    .sum::<f64>()
                    / w
            } else {
                classes().map(|c| c.protein_length).sum::<f64>() / v.gene_classes.len() as f64
            };
            v.expression.protein_length = length;
        }
        out
    }

    /// Internal invariants against the hypervisor's live VM keys (sorted) and clock.
    pub fn check(&self, live_keys: &[u64], now: Ms) -> std::result::Result<(), String> {
        let n = self.host_states() + 3 * self.genes.len();
        if self.y.len() != n || self.y_next.len() != n {
            return Err("kinetic state length does not match its genes".into());
        }
        if self
            .y
            .iter()
            .chain(&self.y_next)
            .any(|v| !(v.is_finite() && *v >= 0.0))
        {
            return Err("kinetic state has negative or non-finite values".into());
        }
        if self.tick_ms == 0 || self.t_grid > now || now - self.t_grid >= self.tick_ms {
            return Err("kinetic model time is off the hypervisor clock".into());
        }
        if self
            .genes
            .windows(2)
            .any(|w| (w[0].key, w[0].class) >= (w[1].key, w[1].class))
        {
            return Err("kinetic genes are not in creation order".into());
        }
        let mut latest: Vec<u64> = match &self.pending {
            Some(p) => p.iter().map(|d| d.key).collect(),
            None => self.genes.iter().map(|g| g.key).collect(),
        };
        latest.dedup();
        if latest != live_keys {
            return Err("kinetic genes do not match the VMs".into());
        }
        let bad = |w: f64, u: f64, l: f64| {
            !(w.is_finite() && w >= 0.0 && (0.0..=1.0).contains(&u) && l.is_finite() && l > 0.0)
        };
        if self
            .genes
            .iter()
            .any(|g| bad(g.w_max, g.induction, g.length) || !g.rate.is_finite())
            || self
                .pending
                .iter()
                .flatten()
                .any(|d| bad(d.w_max, d.induction, d.length))
        {
            return Err("kinetic gene parameters out of range".into());
        }
        if self.params.validate().is_err()
            || self.ortho.as_ref().is_some_and(|o| o.validate().is_err())
            || !(self.s0.is_finite() && self.s0 >= 0.0 && self.h.is_finite())
            || self.series.len() > SERIES_CAPACITY
        {
            return Err("kinetic parameters out of range".into());
        }
        Ok(())
    }
}
