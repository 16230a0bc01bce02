//! [`simulate_circuits`]: gene circuits on the bare Weiße host (no hypervisor, no
//! scheduler), with inducer schedules.
//!
//! The inducer concentrations are piecewise constant, so time is cut at every schedule
//! change in (0, tEndMin]: each segment builds the model for its medium
//! ([`compile`](super::compile)) and integrates from a fresh start (BDF by default, or
//! RODAS4 as `simulate_weisse`: [`Method`](crate::kinetics::integrator::Method); both with
//! the structured linear algebra), continuing the state. An output time
//! that falls on a change reports the state there with the new medium's promoter activity
//! (a value holds from its time on).

use serde::{Deserialize, Serialize};

use super::compile::compile;
use super::medium::Medium;
use super::options::CircuitOptions;
use crate::error::{BioxenError, Result};
use crate::kinetics::integrator::Integrator;
use crate::kinetics::linalg::BorderedLu;
use crate::kinetics::model::{self, cp_index, mp_index, p_index, WeisseModel};
use crate::kinetics::solver::{SolverOptions, SolverStats};
use crate::kinetics::{output_grid, WeisseParams};

/// Host species series (molecules), one value per output time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HostSeries {
    pub si: Vec<f64>,
    pub a: Vec<f64>,
    pub r: Vec<f64>,
    pub et: Vec<f64>,
    pub em: Vec<f64>,
    pub q: Vec<f64>,
    pub mr: Vec<f64>,
    pub mt: Vec<f64>,
    pub mm: Vec<f64>,
    pub mq: Vec<f64>,
    pub cr: Vec<f64>,
    pub ct: Vec<f64>,
    pub cm: Vec<f64>,
    pub cq: Vec<f64>,
}

impl HostSeries {
    fn columns_mut(&mut self) -> [&mut Vec<f64>; model::HOST_STATES] {
        let HostSeries {
            si,
            a,
            r,
            et,
            em,
            q,
            mr,
            mt,
            mm,
            mq,
            cr,
            ct,
            cm,
            cq,
        } = self;
        [si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq]
    }

    /// A series by species name (`"a"`, `"cr"`, … as in `model::HOST_NAMES`).
    pub fn series(&self, name: &str) -> Option<&[f64]> {
        let i = model::HOST_NAMES.iter().position(|n| *n == name)?;
        let cols = [
            &self.si, &self.a, &self.r, &self.et, &self.em, &self.q, &self.mr, &self.mt, &self.mm,
            &self.mq, &self.cr, &self.ct, &self.cm, &self.cq,
        ];
        Some(cols[i])
    }
}

/// One circuit gene's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneSeries {
    pub name: String,
    /// Protein p (molecules).
    pub protein: Vec<f64>,
    /// Free mRNA m (molecules).
    pub mrna: Vec<f64>,
    /// Ribosome-bound mRNA c (molecules).
    pub complex: Vec<f64>,
    /// Promoter activity f (0..1) under the medium at each time.
    pub activity: Vec<f64>,
}

/// One circuit's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircuitSeries {
    pub name: Option<String>,
    pub genes: Vec<GeneSeries>,
}

/// Time courses from [`simulate_circuits`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircuitResult {
    /// Output times (min).
    pub t: Vec<f64>,
    /// Growth rate λ (min⁻¹).
    pub growth_rate: Vec<f64>,
    pub host: HostSeries,
    pub circuits: Vec<CircuitSeries>,
    /// Work done by the integrator, summed over the segments.
    pub stats: SolverStats,
}

/// The medium at time `t`: each inducer's last value with tMin ≤ t (0 before the first).
fn medium_at(opts: &CircuitOptions, t: f64) -> Medium {
    let mut m = Medium::default();
    for (name, sched) in &opts.inducers {
        let k = sched.partition_point(|e| e[0] <= t);
        if k > 0 {
            // Checked by `CircuitOptions::check`: valid names and values.
            let _ = m.set(name, sched[k - 1][1]);
        }
    }
    m
}

/// Simulate circuits on the Weiße host from t = 0 to `t_end_min`.
///
/// Refuses bad circuits, schedules and options with `InvalidArgument` naming the path
/// (see [`CircuitOptions::check`]); an integration that fails is `InvalidArgument` too.
pub fn simulate_circuits(opts: &CircuitOptions) -> Result<CircuitResult> {
    opts.check()?;
    let params = opts.params.clone().unwrap_or_else(WeisseParams::ecoli);
    let t = output_grid(opts.t_end_min, opts.points);
    let t_end = opts.t_end_min;

    // Segment boundaries: 0 and every change in (0, t_end].
    let mut cuts: Vec<f64> = opts
        .inducers
        .values()
        .flat_map(|s| s.iter().map(|e| e[0]))
        .filter(|&x| x > 0.0 && x <= t_end)
        .collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut starts = vec![0.0];
    starts.extend(cuts);

    let layout = compile(&opts.circuits, &Medium::default());
    let k = layout.genes.len();
    let mut y = model::default_initial(k);
    if let Some(init) = &opts.initial {
        for (name, &v) in init {
            if let Some(i) = model::HOST_NAMES.iter().position(|n| n == name) {
                y[i] = v;
            }
        }
    }
    let mut j = 0;
    for c in &opts.circuits {
        for g in &c.genes {
            y[p_index(j)] = g.initial_protein;
            j += 1;
        }
    }
    for (name, &v) in opts.initial.iter().flatten() {
        if let Some((j, which)) = opts.gene_state(name) {
            y[p_index(j) + which] = v;
        }
    }

    let n = y.len();
    let mut states: Vec<Vec<f64>> = vec![Vec::new(); t.len()];
    let mut activity: Vec<Vec<f64>> = vec![Vec::new(); t.len()];
    let mut growth = vec![0.0; t.len()];
    let mut stats = SolverStats::default();
    let sopts = SolverOptions {
        rtol: opts.rtol,
        atol: opts.atol,
        nonnegative: true,
        ..Default::default()
    };
    let mut next_out = 0;
    for (s, &t0) in starts.iter().enumerate() {
        let last = s + 1 == starts.len();
        let t1 = if last { t_end } else { starts[s + 1] };
        let compiled = compile(&opts.circuits, &medium_at(opts, t0));
        let model =
            WeisseModel::with_control(params.clone(), opts.s0, compiled.genes, compiled.control);
        // Output times of this segment: [t0, t1), or [t0, t_end] for the last.
        let first = next_out;
        while next_out < t.len() && (t[next_out] < t1 || (last && t[next_out] <= t1)) {
            next_out += 1;
        }
        let mut t_out: Vec<f64> = t[first..next_out].to_vec();
        if t_out.last() != Some(&t1) {
            t_out.push(t1);
        }
        let lin = BorderedLu::new(&model)
            .ok_or_else(|| BioxenError::arg("options", "internal: bad Jacobian structure"))?;
        let mut integ = Integrator::new(opts.method, n, lin);
        let seg = integ
            .integrate(&model, t0, &mut y, &t_out, &sopts, |i, v| {
                if first + i < next_out {
                    let o = first + i;
                    states[o] = v.to_vec();
                    growth[o] = model.growth_rate(v);
                    activity[o] = (0..k).map(|g| model.gene_activity(v, g)).collect();
                }
            })
            .map_err(|e| {
                BioxenError::arg(
                    "options",
                    format!(
                        "the integration failed: {e}; the inputs are outside what the model can integrate"
                    ),
                )
            })?;
        stats.accepted += seg.accepted;
        stats.rejected += seg.rejected;
        stats.rhs_evals += seg.rhs_evals;
        stats.jacobian_evals += seg.jacobian_evals;
        stats.lu_decompositions += seg.lu_decompositions;
    }

    let mut host = HostSeries::default();
    for (i, col) in host.columns_mut().into_iter().enumerate() {
        *col = states.iter().map(|y| y[i]).collect();
    }
    let mut circuits = Vec::with_capacity(opts.circuits.len());
    for (c, &offset) in opts.circuits.iter().zip(&layout.offsets) {
        let genes = c
            .genes
            .iter()
            .enumerate()
            .map(|(j, g)| {
                let m = offset + j;
                let col = |idx: usize| states.iter().map(|y| y[idx]).collect::<Vec<f64>>();
                GeneSeries {
                    name: g.name.clone(),
                    protein: col(p_index(m)),
                    mrna: col(mp_index(m)),
                    complex: col(cp_index(m)),
                    activity: activity.iter().map(|a| a[m]).collect(),
                }
            })
            .collect();
        circuits.push(CircuitSeries {
            name: c.name.clone(),
            genes,
        });
    }
    Ok(CircuitResult {
        t,
        growth_rate: growth,
        host,
        circuits,
        stats,
    })
}

impl CircuitResult {
    /// The series of gene `gene` of circuit `circuit` (by index).
    pub fn gene(&self, circuit: usize, gene: &str) -> Option<&GeneSeries> {
        self.circuits
            .get(circuit)?
            .genes
            .iter()
            .find(|g| g.name == gene)
    }
}
