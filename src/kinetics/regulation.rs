//! Regulated promoters of heterologous genes: the rate law of a gene circuit, as the model
//! evaluates it (index-based, one [`GeneControl`] per heterologous gene), and the pure
//! functions it is made of.
//!
//! Semantics (issue 15; the same equations `scripts/circuits_reference.py` writes out):
//!
//! ```text
//! inducer I (µM) on a regulator:  x = (I/K_I)^n_I
//!     inactivates (IPTG on LacI):  P_eff = P_by · 1/(1 + x)
//!     activates (arabinose/AraC):  P_eff = P_by · x/(1 + x)
//!     no inducer:                  P_eff = P_by
//! each regulation, u = (P_eff/K)^n:
//!     repress:   h = 1/(1 + u)
//!     activate:  h = u/(1 + u)
//! promoter activity:  f = leak + (1 − leak) · Π h      (f = 1 without regulations)
//! transcription:      ω = w · f · a/(θ_nr + a)
//! protein:            dp/dt = ν − (λ + degradation) · p
//! ```
//!
//! Inducers are piecewise constant, so the model holds each term's factor 1/(1 + x) or
//! x/(1 + x) as a number ([`Term::scale`]); a change of the medium builds a new model.
//!
//! Powers use `hill_pow`: exact repeated multiplication for integer exponents 1..=16 (the
//! same bits natively and in wasm), `powf` otherwise (whose last bit may differ between the
//! native and the wasm libm; the built-in circuits use integer Hill coefficients).

use serde::{Deserialize, Serialize};

/// `x^h` for Hill terms: exact repeated multiplication for small integer `h` (deterministic
/// on every target), `powf` otherwise. `x` is clipped at 0.
pub(crate) fn hill_pow(x: f64, h: f64) -> f64 {
    let x = x.max(0.0);
    if h == h.trunc() && (1.0..=16.0).contains(&h) {
        let mut acc = 1.0;
        for _ in 0..h as u32 {
            acc *= x;
        }
        acc
    } else {
        x.powf(h)
    }
}

/// How a regulator acts on a promoter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// h = 1/(1 + (P_eff/K)^n).
    Repress,
    /// h = (P_eff/K)^n/(1 + (P_eff/K)^n).
    Activate,
}

impl Mode {
    pub const NAMES: [&'static str; 2] = ["repress", "activate"];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Repress => "repress",
            Mode::Activate => "activate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "repress" => Some(Mode::Repress),
            "activate" => Some(Mode::Activate),
            _ => None,
        }
    }
}

/// What an inducer does to its regulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// P_eff = P/(1 + x): IPTG on LacI, aTc on TetR.
    Inactivates,
    /// P_eff = P·x/(1 + x): arabinose on AraC.
    Activates,
}

impl Effect {
    pub const NAMES: [&'static str; 2] = ["inactivates", "activates"];

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Inactivates => "inactivates",
            Effect::Activates => "activates",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "inactivates" => Some(Effect::Inactivates),
            "activates" => Some(Effect::Activates),
            _ => None,
        }
    }
}

/// The factor an inducer at `conc` µM puts on its regulator: P_eff = factor · P, with
/// x = (conc/k)^n; 1/(1 + x) if it `inactivates`, x/(1 + x) if it `activates`.
pub fn inducer_factor(effect: Effect, conc: f64, k: f64, n: f64) -> f64 {
    let x = hill_pow(conc / k, n);
    match effect {
        Effect::Inactivates => 1.0 / (1.0 + x),
        Effect::Activates if x.is_infinite() => 1.0,
        Effect::Activates => x / (1.0 + x),
    }
}

/// One regulation's factor h at effective regulator `p_eff` (molecules), and dh/dP_eff.
///
/// Where the slope is infinite (P_eff = 0 with n < 1) or has under/overflowed, it is given as
/// 0: it only feeds the Jacobian, which the integrator uses to choose its steps.
pub fn hill(mode: Mode, p_eff: f64, k: f64, n: f64) -> (f64, f64) {
    let u = hill_pow(p_eff / k, n);
    if u.is_infinite() {
        return match mode {
            Mode::Repress => (0.0, 0.0),
            Mode::Activate => (1.0, 0.0),
        };
    }
    let q = 1.0 / (1.0 + u);
    let du = if p_eff > 0.0 {
        n * u / p_eff
    } else if n == 1.0 {
        1.0 / k
    } else {
        0.0
    };
    let du = if du.is_finite() { du } else { 0.0 };
    match mode {
        Mode::Repress => (q, -q * q * du),
        Mode::Activate => (u * q, q * q * du),
    }
}

/// Promoter activity f = leak + (1 − leak)·Π h.
pub fn activity(leak: f64, hs: impl IntoIterator<Item = f64>) -> f64 {
    leak + (1.0 - leak) * hs.into_iter().product::<f64>()
}

/// One regulation of a promoter, compiled: the regulator is the model's heterologous gene
/// `by`, and an inducer (if any) is folded into `scale`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// Index of the regulating gene among the model's heterologous genes.
    pub by: usize,
    pub mode: Mode,
    /// Half-effect regulator level K (molecules).
    pub k: f64,
    /// Hill coefficient n.
    pub n: f64,
    /// P_eff = scale · P_by ([`inducer_factor`] of the present medium; 1 without inducer).
    pub scale: f64,
}

/// A regulated promoter: f = leak + (1 − leak)·Π over `terms` of h.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promoter {
    pub leak: f64,
    pub terms: Vec<Term>,
}

impl Promoter {
    /// The activity f for the given protein levels (`protein(j)`: gene j's protein).
    pub fn activity(&self, protein: impl Fn(usize) -> f64) -> f64 {
        activity(
            self.leak,
            self.terms
                .iter()
                .map(|t| hill(t.mode, t.scale * protein(t.by), t.k, t.n).0),
        )
    }

    /// ∂f/∂p_by for each term, as `(by, value)` (a gene named twice gets two entries, which
    /// add up).
    pub fn gradient(&self, protein: impl Fn(usize) -> f64, mut out: impl FnMut(usize, f64)) {
        // Called for every regulated gene at every Jacobian evaluation: the Hill values sit
        // on the stack for the usual few terms (a circuit gene has at most 4).
        const ON_STACK: usize = 8;
        let mut stack = [(0.0, 0.0); ON_STACK];
        let mut heap = Vec::new();
        let hs: &mut [(f64, f64)] = if self.terms.len() <= ON_STACK {
            &mut stack[..self.terms.len()]
        } else {
            heap.resize(self.terms.len(), (0.0, 0.0));
            &mut heap
        };
        for (h, t) in hs.iter_mut().zip(&self.terms) {
            *h = hill(t.mode, t.scale * protein(t.by), t.k, t.n);
        }
        for (i, t) in self.terms.iter().enumerate() {
            let mut others = 1.0;
            for (j, (h, _)) in hs.iter().enumerate() {
                if j != i {
                    others *= h;
                }
            }
            let d = (1.0 - self.leak) * others * hs[i].1 * t.scale;
            if d != 0.0 {
                out(t.by, d);
            }
        }
    }
}

/// How one heterologous gene is controlled beyond Weiße's constitutive gene: its promoter
/// (None: f = 1) and the active degradation of its protein (min⁻¹, on top of dilution).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GeneControl {
    pub promoter: Option<Promoter>,
    pub degradation: f64,
}

/// The genes grouped for the structured linear solver: the strongly connected components of
/// the regulation graph (gene i depends on the genes its promoter names), each component's
/// genes in index order, components ordered so that every regulator comes in the same or an
/// earlier group. Without regulation between genes: one group per gene, in index order.
pub fn gene_groups(control: &[GeneControl], genes: usize) -> Vec<Vec<usize>> {
    let deps: Vec<Vec<usize>> = (0..genes)
        .map(|i| {
            let mut d: Vec<usize> = control
                .get(i)
                .and_then(|c| c.promoter.as_ref())
                .map(|p| {
                    p.terms
                        .iter()
                        .map(|t| t.by)
                        .filter(|&b| b < genes)
                        .collect()
                })
                .unwrap_or_default();
            d.sort_unstable();
            d.dedup();
            d
        })
        .collect();
    // Tarjan's algorithm: a component is emitted after every component it depends on.
    struct Tarjan<'a> {
        deps: &'a [Vec<usize>],
        index: Vec<usize>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = self.next;
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for k in 0..self.deps[v].len() {
                let w = self.deps[v][k];
                if self.index[w] == usize::MAX {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                } else if self.on_stack[w] {
                    self.low[v] = self.low[v].min(self.index[w]);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    group.push(w);
                    if w == v {
                        break;
                    }
                }
                group.sort_unstable();
                self.out.push(group);
            }
        }
    }
    let mut t = Tarjan {
        deps: &deps,
        index: vec![usize::MAX; genes],
        low: vec![0; genes],
        on_stack: vec![false; genes],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..genes {
        if t.index[v] == usize::MAX {
            t.visit(v);
        }
    }
    t.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn hill_terms_have_the_issue_values() {
        // At P_eff = K: h = 1/2 either way.
        assert_eq!(hill(Mode::Repress, 40.0, 40.0, 2.0).0, 0.5);
        assert_eq!(hill(Mode::Activate, 40.0, 40.0, 2.0).0, 0.5);
        // P_eff = 2K, n = 2: u = 4.
        assert!(close(hill(Mode::Repress, 80.0, 40.0, 2.0).0, 0.2));
        assert!(close(hill(Mode::Activate, 80.0, 40.0, 2.0).0, 0.8));
        // No regulator: repression off, activation off.
        assert_eq!(hill(Mode::Repress, 0.0, 40.0, 2.0), (1.0, 0.0));
        assert_eq!(hill(Mode::Activate, 0.0, 40.0, 2.0), (0.0, 0.0));
        // n = 1 at 0: slope ∓1/K.
        assert_eq!(hill(Mode::Repress, 0.0, 40.0, 1.0).1, -1.0 / 40.0);
        assert_eq!(hill(Mode::Activate, 0.0, 40.0, 1.0).1, 1.0 / 40.0);
        // Saturation never gives NaN.
        assert_eq!(hill(Mode::Activate, 1e300, 1e-300, 16.0), (1.0, 0.0));
        assert_eq!(hill(Mode::Repress, 1e300, 1e-300, 16.0), (0.0, 0.0));
        // Non-integer n (powf) and n < 1 at 0 (infinite slope given as 0).
        assert!(close(
            hill(Mode::Repress, 10.0, 40.0, 2.5).0,
            1.0 / (1.0 + 0.25f64.powf(2.5))
        ));
        assert_eq!(hill(Mode::Repress, 0.0, 40.0, 0.5), (1.0, 0.0));
    }

    #[test]
    fn hill_slopes_match_finite_differences() {
        for mode in [Mode::Repress, Mode::Activate] {
            for &(p, k, n) in &[(30.0, 40.0, 2.0), (500.0, 40.0, 3.0), (7.0, 2.0, 1.5)] {
                let h = 1e-6 * p;
                let fd = (hill(mode, p + h, k, n).0 - hill(mode, p - h, k, n).0) / (2.0 * h);
                let an = hill(mode, p, k, n).1;
                assert!((fd - an).abs() <= 1e-6 * an.abs(), "{mode:?} {p} {k} {n}");
            }
        }
    }

    #[test]
    fn inducers_scale_the_regulator() {
        // At I = K_I: x = 1, half the regulator either way.
        assert_eq!(inducer_factor(Effect::Inactivates, 30.0, 30.0, 2.0), 0.5);
        assert_eq!(inducer_factor(Effect::Activates, 30.0, 30.0, 2.0), 0.5);
        // No inducer: a repressor is fully active, an inducer-dependent activator is not.
        assert_eq!(inducer_factor(Effect::Inactivates, 0.0, 30.0, 2.0), 1.0);
        assert_eq!(inducer_factor(Effect::Activates, 0.0, 30.0, 2.0), 0.0);
        // I = 3 K_I, n = 2: x = 9.
        assert!(close(
            inducer_factor(Effect::Inactivates, 90.0, 30.0, 2.0),
            0.1
        ));
        assert!(close(
            inducer_factor(Effect::Activates, 90.0, 30.0, 2.0),
            0.9
        ));
        assert_eq!(inducer_factor(Effect::Activates, 1e300, 1e-300, 16.0), 1.0);
        assert_eq!(
            inducer_factor(Effect::Inactivates, 1e300, 1e-300, 16.0),
            0.0
        );
    }

    #[test]
    fn activity_spans_leak_to_one() {
        assert_eq!(activity(0.1, []), 1.0);
        assert_eq!(activity(0.1, [0.0]), 0.1);
        assert!(close(activity(0.1, [0.5, 0.5]), 0.1 + 0.9 * 0.25));
        let p = Promoter {
            leak: 0.01,
            terms: vec![
                Term {
                    by: 0,
                    mode: Mode::Repress,
                    k: 40.0,
                    n: 2.0,
                    scale: 1.0,
                },
                Term {
                    by: 1,
                    mode: Mode::Activate,
                    k: 100.0,
                    n: 1.0,
                    scale: 0.5,
                },
            ],
        };
        let prot = [40.0, 200.0];
        // h0 = 1/2, h1: P_eff = 100 = K → 1/2.
        assert!(close(p.activity(|j| prot[j]), 0.01 + 0.99 * 0.25));
        // The gradient against finite differences.
        let mut grad = [0.0; 2];
        p.gradient(|j| prot[j], |j, d| grad[j] += d);
        for j in 0..2 {
            let h = 1e-6 * prot[j];
            let mut up = prot;
            up[j] += h;
            let mut dn = prot;
            dn[j] -= h;
            let fd = (p.activity(|i| up[i]) - p.activity(|i| dn[i])) / (2.0 * h);
            assert!(
                (fd - grad[j]).abs() <= 1e-6 * grad[j].abs(),
                "{j}: {fd} {}",
                grad[j]
            );
        }
    }

    fn regulated(by: &[usize]) -> GeneControl {
        GeneControl {
            promoter: Some(Promoter {
                leak: 0.0,
                terms: by
                    .iter()
                    .map(|&b| Term {
                        by: b,
                        mode: Mode::Repress,
                        k: 1.0,
                        n: 2.0,
                        scale: 1.0,
                    })
                    .collect(),
            }),
            degradation: 0.0,
        }
    }

    #[test]
    fn gene_groups_order_regulators_first_and_merge_cycles() {
        // No regulation: identity order.
        assert_eq!(gene_groups(&[], 3), vec![vec![0], vec![1], vec![2]]);
        // 0 ← 2 (gene 0 regulated by gene 2), 1 constitutive, 2 self-regulated.
        let c = vec![regulated(&[2]), GeneControl::default(), regulated(&[2])];
        assert_eq!(gene_groups(&c, 3), vec![vec![2], vec![0], vec![1]]);
        // A ring 0 ← 2 ← 1 ← 0 (repressilator) plus a reporter 3 ← 1.
        let c = vec![
            regulated(&[2]),
            regulated(&[0]),
            regulated(&[1]),
            regulated(&[1]),
        ];
        assert_eq!(gene_groups(&c, 4), vec![vec![0, 1, 2], vec![3]]);
        // Toggle 0 ⇄ 1.
        let c = vec![regulated(&[1]), regulated(&[0])];
        assert_eq!(gene_groups(&c, 2), vec![vec![0, 1]]);
    }
}
