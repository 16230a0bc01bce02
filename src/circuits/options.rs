//! Options of [`simulate_circuits`](super::simulate_circuits) (the JS `simulateCircuits`
//! takes the same, camelCased) and their checks.
//!
//! ```text
//! { s0, circuits, inducers?, tEndMin, points, rtol?, atol?, initial?, params?, method? }
//! inducers: { [name]: [tMin, µM][] }   sorted by time; a value holds from its tMin on, 0 before
//! ```
//!
//! Every refusal is `InvalidArgument` naming the path of the first problem
//! (`circuits[0].genes[1].regulation[0].by`, `inducers.IPTG[1]`, `tEndMin`) with the value
//! and what was expected.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::types::Circuit;
use super::validate::name_problem;
use crate::error::{json_kind, BioxenError, ConfigIssue, Result};
use crate::kinetics::integrator::Method;
use crate::kinetics::model::HOST_NAMES;
use crate::kinetics::{check_nonneg, check_tol};
use crate::kinetics::{WeisseParams, MAX_GENES, MAX_POINTS};

/// Most circuits in one run.
pub const MAX_CIRCUITS: usize = 64;
/// Most changes in one inducer's schedule (each restarts the integration).
pub const MAX_SCHEDULE: usize = 10_000;

/// Options of `simulate_circuits`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CircuitOptions {
    /// External nutrient s (molecules); Weiße Table S1: 10⁴.
    pub s0: f64,
    /// The circuits sharing the host, laid out in order.
    pub circuits: Vec<Circuit>,
    /// Inducer schedules: name → `[t (min), concentration (µM)]`, strictly increasing in t.
    /// A value holds from its time on; before the first, the inducer is at 0.
    pub inducers: BTreeMap<String, Vec<[f64; 2]>>,
    /// Simulated time (min).
    pub t_end_min: f64,
    /// Output points, evenly spaced over [0, tEndMin] including both ends (1: only tEndMin).
    pub points: usize,
    /// Relative tolerance, in (0, 1).
    pub rtol: f64,
    /// Absolute tolerance (molecules), in (0, 1).
    pub atol: f64,
    /// Host species at t = 0 by name (`si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq`),
    /// over the default a = 1000, r = e_t = e_m = q = 10, everything else 0 (as
    /// `simulate_weisse`). Circuit proteins start at their genes' `initialProtein`, their
    /// mRNAs and complexes at 0.
    pub initial: Option<BTreeMap<String, f64>>,
    /// Host parameters (None: E. coli, Weiße et al. 2015 Table S1).
    pub params: Option<WeisseParams>,
    /// The integrator (`"bdf"`, the default, or `"rodas4"`; see
    /// [`integrator`](crate::kinetics::integrator) for when each suits).
    pub method: Method,
}

impl Default for CircuitOptions {
    fn default() -> Self {
        CircuitOptions {
            s0: 1e4,
            circuits: Vec::new(),
            inducers: BTreeMap::new(),
            t_end_min: 1000.0,
            points: 101,
            rtol: 1e-6,
            atol: 1e-6,
            initial: None,
            params: None,
            method: Method::default(),
        }
    }
}

fn arg(i: ConfigIssue) -> BioxenError {
    BioxenError::arg(i.path, i.message)
}

impl CircuitOptions {
    /// A circuit gene's state named in `initial` (the SBML export's ids): `m_c{i}g{j}` (free
    /// mRNA) or `cx_c{i}g{j}` (ribosome-mRNA complexes) of gene j of circuit i, as (the gene's
    /// index in the model, 1 for mRNA or 2 for complexes).
    pub fn gene_state(&self, name: &str) -> Option<(usize, usize)> {
        let (which, rest) = if let Some(r) = name.strip_prefix("cx_c") {
            (2, r)
        } else {
            (1, name.strip_prefix("m_c")?)
        };
        let (i, j) = rest.split_once('g')?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(i) || !digits(j) {
            return None;
        }
        let (i, j): (usize, usize) = (i.parse().ok()?, j.parse().ok()?);
        let c = self.circuits.get(i)?;
        if j >= c.genes.len() {
            return None;
        }
        let before: usize = self.circuits[..i].iter().map(|c| c.genes.len()).sum();
        Some((before + j, which))
    }

    /// Check everything; `InvalidArgument` naming the first problem's path.
    pub fn check(&self) -> Result<()> {
        check_nonneg("s0", self.s0)?;
        if self.circuits.len() > MAX_CIRCUITS {
            return Err(BioxenError::arg(
                "circuits",
                format!(
                    "{} circuits is too many; at most {MAX_CIRCUITS}",
                    self.circuits.len()
                ),
            ));
        }
        for (i, c) in self.circuits.iter().enumerate() {
            if let Some(first) = c.issues(&format!("circuits[{i}]")).into_iter().next() {
                return Err(arg(first));
            }
        }
        let genes: usize = self.circuits.iter().map(|c| c.genes.len()).sum();
        if genes > MAX_GENES {
            return Err(BioxenError::arg(
                "circuits",
                format!("{genes} genes in all is too many; at most {MAX_GENES}"),
            ));
        }
        self.check_inducers()?;
        check_nonneg("tEndMin", self.t_end_min)?;
        if self.points == 0 || self.points > MAX_POINTS {
            return Err(BioxenError::arg(
                "points",
                format!("{} is out of range; expected 1..={MAX_POINTS}", self.points),
            ));
        }
        check_tol("rtol", self.rtol)?;
        check_tol("atol", self.atol)?;
        if let Some(init) = &self.initial {
            for (name, &v) in init {
                let path = format!("initial.{name}");
                if !HOST_NAMES.contains(&name.as_str()) && self.gene_state(name).is_none() {
                    return Err(BioxenError::arg(
                        path,
                        format!(
                            "no such host species; expected one of {}, or a circuit gene's mRNA \
                             or complexes as m_c0g1 or cx_c0g1 (circuit i, gene j; proteins \
                             start at their genes' initialProtein)",
                            HOST_NAMES.join(", ")
                        ),
                    ));
                }
                check_nonneg(&path, v)?;
            }
        }
        if let Some(p) = &self.params {
            p.validate()?;
        }
        Ok(())
    }

    fn check_inducers(&self) -> Result<()> {
        let used: Vec<&str> = {
            let mut v: Vec<&str> = self
                .circuits
                .iter()
                .flat_map(|c| c.inducer_names())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for (name, schedule) in &self.inducers {
            let path = format!("inducers.{name}");
            if let Some(m) = name_problem(name) {
                return Err(BioxenError::arg(path, m));
            }
            if !used.contains(&name.as_str()) {
                let known = if used.is_empty() {
                    "none of the circuits has an inducer".to_string()
                } else {
                    format!("the circuits respond to {}", used.join(", "))
                };
                return Err(BioxenError::arg(
                    path,
                    format!("no circuit gene responds to {name:?}; {known}"),
                ));
            }
            if schedule.len() > MAX_SCHEDULE {
                return Err(BioxenError::arg(
                    path,
                    format!(
                        "{} changes is too many; at most {MAX_SCHEDULE}",
                        schedule.len()
                    ),
                ));
            }
            for (k, &[t, c]) in schedule.iter().enumerate() {
                let p = format!("{path}[{k}]");
                if !(t.is_finite() && t >= 0.0) {
                    return Err(BioxenError::arg(
                        p,
                        format!("a time must be finite and ≥ 0 min, got {t}"),
                    ));
                }
                if !(c.is_finite() && c >= 0.0) {
                    return Err(BioxenError::arg(
                        p,
                        format!("a concentration must be finite and ≥ 0 µM, got {c}"),
                    ));
                }
                if k > 0 && t <= schedule[k - 1][0] {
                    return Err(BioxenError::arg(
                        p,
                        format!(
                            "t = {t} min comes after t = {} min; a schedule is sorted by time, each time once",
                            schedule[k - 1][0]
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Read options from a JSON value (the JS object), naming the path of every problem,
    /// then [`check`](Self::check) them.
    pub fn from_value(v: &Value) -> Result<CircuitOptions> {
        let Value::Object(obj) = v else {
            return Err(BioxenError::arg(
                "options",
                format!("expected an object, got {}", json_kind(v)),
            ));
        };
        const KEYS: [&str; 10] = [
            "s0", "circuits", "inducers", "tEndMin", "points", "rtol", "atol", "initial", "params",
            "method",
        ];
        let mut o = CircuitOptions::default();
        for (key, val) in obj {
            if val.is_null() {
                continue;
            }
            let num = |v: &Value| {
                v.as_f64().ok_or_else(|| {
                    BioxenError::arg(
                        key.as_str(),
                        format!("expected a number, got {}", json_kind(v)),
                    )
                })
            };
            match key.as_str() {
                "s0" => o.s0 = num(val)?,
                "tEndMin" => o.t_end_min = num(val)?,
                "rtol" => o.rtol = num(val)?,
                "atol" => o.atol = num(val)?,
                "points" => {
                    let p = num(val)?;
                    if !(p == p.trunc() && p >= 1.0 && p <= MAX_POINTS as f64) {
                        return Err(BioxenError::arg(
                            "points",
                            format!("{p} is out of range; expected an integer 1..={MAX_POINTS}"),
                        ));
                    }
                    o.points = p as usize;
                }
                "circuits" => {
                    let Value::Array(items) = val else {
                        return Err(BioxenError::arg(
                            "circuits",
                            format!("expected an array of circuits, got {}", json_kind(val)),
                        ));
                    };
                    for (i, c) in items.iter().enumerate() {
                        let c = Circuit::from_value_at(c, &format!("circuits[{i}]"))
                            .map_err(|mut is| arg(is.remove(0)))?;
                        o.circuits.push(c);
                    }
                }
                "inducers" => o.inducers = read_inducers(val)?,
                "initial" => {
                    let Value::Object(m) = val else {
                        return Err(BioxenError::arg(
                            "initial",
                            format!("expected an object of host species, got {}", json_kind(val)),
                        ));
                    };
                    let mut init = BTreeMap::new();
                    for (name, x) in m {
                        let x = x.as_f64().ok_or_else(|| {
                            BioxenError::arg(
                                format!("initial.{name}"),
                                format!("expected a number, got {}", json_kind(x)),
                            )
                        })?;
                        init.insert(name.clone(), x);
                    }
                    o.initial = Some(init);
                }
                "params" => {
                    o.params = Some(serde_json::from_value(val.clone()).map_err(|e| {
                        BioxenError::arg("params", format!("not a parameter set: {e}"))
                    })?)
                }
                "method" => {
                    o.method = val.as_str().and_then(Method::from_name).ok_or_else(|| {
                        let names: Vec<String> = Method::ALL
                            .iter()
                            .map(|m| format!("\"{}\"", m.name()))
                            .collect();
                        BioxenError::arg(
                            "method",
                            format!(
                                "{val} is not an integrator; expected {}",
                                names.join(" or ")
                            ),
                        )
                    })?
                }
                _ => {
                    return Err(BioxenError::arg(
                        key.as_str(),
                        format!("unknown option; expected one of {}", KEYS.join(", ")),
                    ))
                }
            }
        }
        o.check()?;
        Ok(o)
    }
}

fn read_inducers(v: &Value) -> Result<BTreeMap<String, Vec<[f64; 2]>>> {
    let Value::Object(m) = v else {
        return Err(BioxenError::arg(
            "inducers",
            format!(
                "expected an object {{ name: [[tMin, µM], ...] }}, got {}",
                json_kind(v)
            ),
        ));
    };
    let mut out = BTreeMap::new();
    for (name, sched) in m {
        let path = format!("inducers.{name}");
        let Value::Array(items) = sched else {
            return Err(BioxenError::arg(
                path,
                format!(
                    "expected an array of [tMin, µM] pairs, got {}",
                    json_kind(sched)
                ),
            ));
        };
        let mut pairs = Vec::with_capacity(items.len());
        for (k, item) in items.iter().enumerate() {
            let pair = match item {
                Value::Array(p) if p.len() == 2 => p[0].as_f64().zip(p[1].as_f64()),
                _ => None,
            };
            let Some((t, c)) = pair else {
                return Err(BioxenError::arg(
                    format!("{path}[{k}]"),
                    format!(
                        "expected a pair [tMin, µM] of numbers, got {}",
                        item.to_string().chars().take(60).collect::<String>()
                    ),
                ));
            };
            pairs.push([t, c]);
        }
        out.insert(name.clone(), pairs);
    }
    Ok(out)
}
