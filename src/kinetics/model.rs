//! The Weiße et al. 2015 host–circuit model: state layout, right-hand side, analytic
//! Jacobian and derived quantities.
//!
//! Equations (Weiße, Oyarzún, Danos & Swain 2015, *PNAS* 112:E1038, eqs. 1–9 and SI section
//! 1; molecules per cell, minutes). For x ∈ {r, t, m, q} and each heterologous gene p_j:
//!
//! ```text
//! ν_imp = e_t·v_t·s/(K_t + s)                 ν_cat = e_m·v_m·s_i/(K_m + s_i)
//! γ(a)  = γ_max·a/(K_γ + a)                   ν_x   = c_x·γ(a)/n_x
//! ω_r   = w_r·a/(θ_r + a)                     ω_t = ω_m = w_e·a/(θ_nr + a)
//! ω_q   = w_q·a/(θ_nr + a) / (1 + (q/K_q)^h_q)   ω_pj = w_j·a/(θ_nr + a)
//! λ     = γ(a)·Σ_x c_x / M
//!
//! ds_i/dt = ν_imp − ν_cat − λ·s_i
//! da/dt   = n_s·ν_cat − Σ_x n_x·ν_x − λ·a            (Σ_x n_x·ν_x = γ·Σ_x c_x)
//! dr/dt   = ν_r − λ·r + Σ_x (ν_x − k_b·r·m_x + k_u·c_x)
//! de_t/dt = ν_t − λ·e_t,  de_m/dt = ν_m − λ·e_m,  dq/dt = ν_q − λ·q,  dp_j/dt = ν_pj − λ·p_j
//! dm_x/dt = ω_x − (λ + d_m)·m_x + ν_x − k_b·r·m_x + k_u·c_x
//! dc_x/dt = −λ·c_x + k_b·r·m_x − k_u·c_x − ν_x
//! ```
//!
//! A heterologous gene may carry a regulated promoter and protein degradation
//! ([`WeisseModel::control`], [`regulation`](super::regulation)): then ω_pj = w_j·f_j(p)·
//! a/(θ_nr + a) with f_j the promoter activity, and dp_j/dt = ν_pj − (λ + δ_j)·p_j.
//!
//! The sums over x include the ribosome's own transcript (so a finished ribosome both frees
//! its translating ribosome and adds a new one) and every heterologous gene.
//! Chloramphenicol (the z_x complexes) is not modelled. These equations were checked term by
//! term against the paper's SI and against the public ports of the authors' code (the Scala
//! `uk.ac.ed.inf.mois.weisse` reactions and Darlington et al. 2018's `oriboODE.m`).
//!
//! State layout: `si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq`, then `p[j], mp[j],
//! cp[j]` for each heterologous gene j.
//!
//! Conservation laws (exact consequences of the equations, used by the tests):
//! - total ribosomes R = r + Σ_x c_x obey dR/dt = ν_r − λ·R;
//! - protein mass P = n_r·R + n_x·(e_t + e_m + q) + Σ_j n_j·p_j (aa) obeys
//!   dP/dt = γ·Σc − λ·P = λ·(M − P), so M − P decays as exp(−∫λ dt) and P = M at steady
//!   state: mass fractions sum to one;
//! - each gene's total mRNA m_x + c_x obeys d(m_x + c_x)/dt = ω_x − d_m·m_x − λ·(m_x + c_x).

use super::linalg::{dense_from_parts, SparseJacobian};
use super::ode::OdeSystem;
use super::params::{Gene, WeisseParams};
pub(crate) use super::regulation::hill_pow;
use super::regulation::{gene_groups, GeneControl};

pub const SI: usize = 0;
pub const A: usize = 1;
pub const R: usize = 2;
pub const ET: usize = 3;
pub const EM: usize = 4;
pub const Q: usize = 5;
pub const MR: usize = 6;
pub const MT: usize = 7;
pub const MM: usize = 8;
pub const MQ: usize = 9;
pub const CR: usize = 10;
pub const CT: usize = 11;
pub const CM: usize = 12;
pub const CQ: usize = 13;
/// Number of host states.
pub const HOST_STATES: usize = 14;

/// Names of the host states, in layout order.
pub const HOST_NAMES: [&str; HOST_STATES] = [
    "si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq",
];

/// Index of heterologous gene `j`'s protein.
pub const fn p_index(j: usize) -> usize {
    HOST_STATES + 3 * j
}
/// Index of gene `j`'s free mRNA.
pub const fn mp_index(j: usize) -> usize {
    HOST_STATES + 3 * j + 1
}
/// Index of gene `j`'s ribosome-bound mRNA.
pub const fn cp_index(j: usize) -> usize {
    HOST_STATES + 3 * j + 2
}

/// Every state name for `genes` heterologous genes: host names, then `p[j]`, `mp[j]`,
/// `cp[j]`.
pub fn state_names(genes: usize) -> Vec<String> {
    let mut v: Vec<String> = HOST_NAMES.iter().map(|s| s.to_string()).collect();
    for j in 0..genes {
        v.push(format!("p[{j}]"));
        v.push(format!("mp[{j}]"));
        v.push(format!("cp[{j}]"));
    }
    v
}

/// Index of a state by name (`"si"`, …, `"p[0]"`, `"mp[3]"`), if it exists for `genes` genes.
pub fn state_index(name: &str, genes: usize) -> Option<usize> {
    if let Some(i) = HOST_NAMES.iter().position(|n| *n == name) {
        return Some(i);
    }
    let (kind, rest) = name.split_once('[')?;
    let j: usize = rest.strip_suffix(']')?.parse().ok()?;
    // Canonical spelling only ("p[1]", not "p[01]" or "p[+1]").
    if j >= genes || format!("{kind}[{j}]") != name {
        return None;
    }
    match kind {
        "p" => Some(p_index(j)),
        "mp" => Some(mp_index(j)),
        "cp" => Some(cp_index(j)),
        _ => None,
    }
}

/// The default initial state of the issue and of Weiße's code: a = 1000, r = e_t = e_m =
/// q = 10, everything else 0.
pub fn default_initial(genes: usize) -> Vec<f64> {
    let mut y = vec![0.0; HOST_STATES + 3 * genes];
    y[A] = 1000.0;
    y[R] = 10.0;
    y[ET] = 10.0;
    y[EM] = 10.0;
    y[Q] = 10.0;
    y
}

/// The model: parameters, external nutrient and heterologous genes.
#[derive(Debug, Clone, PartialEq)]
pub struct WeisseModel {
    pub params: WeisseParams,
    /// External nutrient s (molecules).
    pub s0: f64,
    pub genes: Vec<Gene>,
    /// Regulated promoters and protein degradation of the genes (gene circuits,
    /// [`regulation`](super::regulation)): empty, or one entry per gene. An empty list, or
    /// an entry without promoter and with zero degradation, is Weiße's constitutive gene
    /// and gives exactly the same numbers as before circuits existed.
    pub control: Vec<GeneControl>,
}

/// One translated transcript: where its mRNA, complex and product live, its product length
/// and its transcription rate.
struct Transcript {
    m: usize,
    c: usize,
    /// Product index (R for the ribosome itself).
    prod: usize,
    len: f64,
    /// ∂ω/∂a and ∂ω/∂q (ω itself is computed in the right-hand side).
    d_omega_a: f64,
    d_omega_q: f64,
}

/// Rates shared by the right-hand side and the Jacobian.
struct Rates {
    gamma: f64,
    d_gamma: f64,
    csum: f64,
    lambda: f64,
    k_imp: f64,
    nu_cat: f64,
}

impl WeisseModel {
    pub fn new(params: WeisseParams, s0: f64, genes: Vec<Gene>) -> Self {
        WeisseModel {
            params,
            s0,
            genes,
            control: Vec::new(),
        }
    }

    /// A model whose genes are regulated (`control`: one entry per gene, or empty).
    pub fn with_control(
        params: WeisseParams,
        s0: f64,
        genes: Vec<Gene>,
        control: Vec<GeneControl>,
    ) -> Self {
        debug_assert!(control.is_empty() || control.len() == genes.len());
        WeisseModel {
            params,
            s0,
            genes,
            control,
        }
    }

    /// Promoter activity f of gene `j` in state `y` (1 for a constitutive gene).
    pub fn gene_activity(&self, y: &[f64], j: usize) -> f64 {
        match self.control.get(j).and_then(|c| c.promoter.as_ref()) {
            Some(pr) => pr.activity(|b| y[p_index(b)]),
            None => 1.0,
        }
    }

    /// E. coli parameters (Table S1) with the given nutrient and genes.
    pub fn ecoli(s0: f64, genes: Vec<Gene>) -> Self {
        Self::new(WeisseParams::ecoli(), s0, genes)
    }

    pub fn n_states(&self) -> usize {
        HOST_STATES + 3 * self.genes.len()
    }

    fn csum(&self, y: &[f64]) -> f64 {
        let mut s = y[CR] + y[CT] + y[CM] + y[CQ];
        for j in 0..self.genes.len() {
            s += y[cp_index(j)];
        }
        s
    }

    fn rates(&self, y: &[f64]) -> Rates {
        let p = &self.params;
        let a = y[A];
        let gamma = p.gmax * a / (p.kgamma + a);
        let d_gamma = p.gmax * p.kgamma / ((p.kgamma + a) * (p.kgamma + a));
        let csum = self.csum(y);
        Rates {
            gamma,
            d_gamma,
            csum,
            lambda: gamma * csum / p.m,
            k_imp: p.vt * self.s0 / (p.kt + self.s0),
            nu_cat: y[EM] * p.vm * y[SI] / (p.km + y[SI]),
        }
    }

    /// Transcripts in order r, t, m, q, p[0..], with their transcription derivatives.
    fn transcripts<'a>(&'a self, y: &'a [f64]) -> impl Iterator<Item = Transcript> + 'a {
        let p = &self.params;
        let a = y[A];
        let d_sat_r = p.thetar / ((p.thetar + a) * (p.thetar + a));
        let sat_x = a / (p.thetax + a);
        let d_sat_x = p.thetax / ((p.thetax + a) * (p.thetax + a));
        // Housekeeping autoregulation g(q) = 1/(1 + (q/K_q)^h).
        let qk = y[Q] / p.kq;
        let hill = hill_pow(qk, p.hq);
        let g = 1.0 / (1.0 + hill);
        let dg = if y[Q] > 0.0 {
            -p.hq * hill / y[Q] * g * g
        } else {
            0.0
        };
        let host = [
            (MR, CR, R, p.nr, p.wr * d_sat_r, 0.0),
            (MT, CT, ET, p.nx, p.we * d_sat_x, 0.0),
            (MM, CM, EM, p.nx, p.we * d_sat_x, 0.0),
            (MQ, CQ, Q, p.nx, p.wq * d_sat_x * g, p.wq * sat_x * dg),
        ];
        host.into_iter()
            .map(|(m, c, prod, len, d_omega_a, d_omega_q)| Transcript {
                m,
                c,
                prod,
                len,
                d_omega_a,
                d_omega_q,
            })
            .chain(
                self.genes
                    .iter()
                    .enumerate()
                    .map(move |(j, gene)| Transcript {
                        m: mp_index(j),
                        c: cp_index(j),
                        prod: p_index(j),
                        len: gene.length,
                        d_omega_a: match self.control.get(j).and_then(|c| c.promoter.as_ref()) {
                            Some(pr) => gene.w * pr.activity(|b| y[p_index(b)]) * d_sat_x,
                            None => gene.w * d_sat_x,
                        },
                        d_omega_q: 0.0,
                    }),
            )
    }

    /// Growth rate λ = γ(a)·Σc/M (min⁻¹).
    pub fn growth_rate(&self, y: &[f64]) -> f64 {
        let p = &self.params;
        p.gmax * y[A] / (p.kgamma + y[A]) * self.csum(y) / p.m
    }

    /// Total ribosomes r + Σ c_x.
    pub fn total_ribosomes(&self, y: &[f64]) -> f64 {
        y[R] + self.csum(y)
    }

    /// Protein mass P = n_r·(r + Σc) + n_x·(e_t + e_m + q) + Σ n_j·p_j (aa).
    pub fn protein_mass(&self, y: &[f64]) -> f64 {
        let p = &self.params;
        let mut mass = p.nr * self.total_ribosomes(y) + p.nx * (y[ET] + y[EM] + y[Q]);
        for (j, g) in self.genes.iter().enumerate() {
            mass += g.length * y[p_index(j)];
        }
        mass
    }

    /// Ribosomal mass fraction φ_R = n_r·(r + Σc)/P (free and translating ribosomes over all
    /// protein, as in Weiße's Fig. 2; P = M at steady state). 0 when there is no protein.
    pub fn ribosomal_fraction(&self, y: &[f64]) -> f64 {
        let mass = self.protein_mass(y);
        if mass > 0.0 {
            self.params.nr * self.total_ribosomes(y) / mass
        } else {
            0.0
        }
    }

    /// Translation rate of heterologous gene `j`, ν_j = c_j·γ(a)/n_j (molecules/min).
    pub fn gene_translation_rate(&self, y: &[f64], j: usize) -> f64 {
        let p = &self.params;
        match self.genes.get(j) {
            Some(g) => y[cp_index(j)] * p.gmax * y[A] / (p.kgamma + y[A]) / g.length,
            None => 0.0,
        }
    }
}

impl OdeSystem for WeisseModel {
    fn dim(&self) -> usize {
        self.n_states()
    }

    fn rhs(&self, y: &[f64], dy: &mut [f64]) {
        let p = &self.params;
        let k = self.rates(y);
        let lam = k.lambda;
        let a = y[A];
        let r = y[R];
        dy[SI] = y[ET] * k.k_imp - k.nu_cat - lam * y[SI];
        dy[A] = p.ns * k.nu_cat - k.gamma * k.csum - lam * a;
        let sat_x = a / (p.thetax + a);
        let omega_r = p.wr * a / (p.thetar + a);
        let omega_e = p.we * sat_x;
        let omega_q = p.wq * sat_x / (1.0 + hill_pow(y[Q] / p.kq, p.hq));
        let (kb_r, ku, loss_m) = (p.kb * r, p.ku, lam + p.dm);
        // One transcript: returns ν (translation) and ν − bind (its net release of r).
        let tx = |dy: &mut [f64], m_i: usize, c_i: usize, len: f64, omega: f64| -> (f64, f64) {
            let (m, c) = (y[m_i], y[c_i]);
            let nu = c * k.gamma / len;
            let bind = kb_r * m - ku * c;
            dy[m_i] = omega - loss_m * m + nu - bind;
            dy[c_i] = -lam * c + bind - nu;
            (nu, nu - bind)
        };
        let (nu_r, rel_r) = tx(dy, MR, CR, p.nr, omega_r);
        let (nu_t, rel_t) = tx(dy, MT, CT, p.nx, omega_e);
        let (nu_m, rel_m) = tx(dy, MM, CM, p.nx, omega_e);
        let (nu_q, rel_q) = tx(dy, MQ, CQ, p.nx, omega_q);
        let mut dr = nu_r - lam * r + rel_r + rel_t + rel_m + rel_q;
        for (j, g) in self.genes.iter().enumerate() {
            let ctl = self.control.get(j);
            let omega = match ctl.and_then(|c| c.promoter.as_ref()) {
                Some(pr) => g.w * pr.activity(|b| y[p_index(b)]) * sat_x,
                None => g.w * sat_x,
            };
            let (nu, rel) = tx(dy, mp_index(j), cp_index(j), g.length, omega);
            dr += rel;
            dy[p_index(j)] = match ctl {
                Some(c) if c.degradation != 0.0 => nu - (lam + c.degradation) * y[p_index(j)],
                _ => nu - lam * y[p_index(j)],
            };
        }
        dy[ET] = nu_t - lam * y[ET];
        dy[EM] = nu_m - lam * y[EM];
        dy[Q] = nu_q - lam * y[Q];
        dy[R] = dr;
    }

    fn jacobian(&self, y: &[f64], jac: &mut [f64]) {
        dense_from_parts(self, y, jac);
    }
}

impl SparseJacobian for WeisseModel {
    /// Blocks (m_x, c_x, product_x) per transcript (the ribosome's is (m_r, c_r): its
    /// product is r), then s_i; border {a, r}. The only interior couplings between blocks
    /// are s_i's row reading e_t and e_m, which come earlier, and regulation: a gene's mRNA
    /// row reads its regulators' proteins. Genes are therefore grouped by
    /// [`gene_groups`]: regulators in earlier blocks, and the genes of a feedback loop
    /// (a toggle, a repressilator) in one block of their triples.
    fn structure(&self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let mut blocks = vec![
            vec![MR, CR],
            vec![MT, CT, ET],
            vec![MM, CM, EM],
            vec![MQ, CQ, Q],
        ];
        for group in gene_groups(&self.control, self.genes.len()) {
            blocks.push(
                group
                    .iter()
                    .flat_map(|&j| [mp_index(j), cp_index(j), p_index(j)])
                    .collect(),
            );
        }
        blocks.push(vec![SI]);
        (blocks, vec![A, R])
    }

    /// J = J_s − y·∇λᵀ: the dilution terms −λ(a, c)·y_i contribute −λ on the diagonal
    /// (in J_s) and the rank-one −y·∇λᵀ (u = −y, w = ∇λ = (∂λ/∂a, ∂λ/∂c_x)).
    fn jacobian_parts(
        &self,
        y: &[f64],
        e: &mut Vec<(usize, usize, f64)>,
        u: &mut [f64],
        w: &mut [f64],
    ) {
        let n = self.n_states();
        let p = &self.params;
        let k = self.rates(y);
        let lam = k.lambda;
        // Rank-one dilution part.
        for (ui, yi) in u.iter_mut().zip(y) {
            *ui = -yi;
        }
        w[A] = k.d_gamma * k.csum / p.m;
        let dl_dc = k.gamma / p.m;
        for c in [CR, CT, CM, CQ]
            .into_iter()
            .chain((0..self.genes.len()).map(cp_index))
        {
            w[c] = dl_dc;
            // Energy: −Σ n_x ν_x = −γ·Σc.
            e.push((A, c, -k.gamma));
        }
        for i in 0..n {
            e.push((i, i, -lam));
        }
        // Nutrient and energy.
        let (si, em) = (y[SI], y[EM]);
        let dcat_dsi = em * p.vm * p.km / ((p.km + si) * (p.km + si));
        let dcat_dem = p.vm * si / (p.km + si);
        e.push((SI, SI, -dcat_dsi));
        e.push((SI, EM, -dcat_dem));
        e.push((SI, ET, k.k_imp));
        e.push((A, SI, p.ns * dcat_dsi));
        e.push((A, EM, p.ns * dcat_dem));
        e.push((A, A, -k.d_gamma * k.csum));
        // Transcripts.
        let r = y[R];
        for t in self.transcripts(y) {
            let (m, c) = (y[t.m], y[t.c]);
            let dnu_dc = k.gamma / t.len;
            let dnu_da = c * k.d_gamma / t.len;
            // bind = k_b·r·m − k_u·c
            let (db_dr, db_dm, db_dc) = (p.kb * m, p.kb * r, -p.ku);
            // m row: ω − d_m·m + ν − bind
            e.push((t.m, A, t.d_omega_a + dnu_da));
            if t.d_omega_q != 0.0 {
                e.push((t.m, Q, t.d_omega_q));
            }
            e.push((t.m, t.m, -p.dm - db_dm));
            e.push((t.m, R, -db_dr));
            e.push((t.m, t.c, dnu_dc - db_dc));
            // c row: bind − ν
            e.push((t.c, R, db_dr));
            e.push((t.c, t.m, db_dm));
            e.push((t.c, t.c, db_dc - dnu_dc));
            e.push((t.c, A, -dnu_da));
            // r row: ν − bind (+ ν again for the ribosome's own product)
            let mult = if t.prod == R { 2.0 } else { 1.0 };
            e.push((R, A, mult * dnu_da));
            e.push((R, t.c, mult * dnu_dc - db_dc));
            e.push((R, R, -db_dr));
            e.push((R, t.m, -db_dm));
            if t.prod != R {
                e.push((t.prod, t.c, dnu_dc));
                e.push((t.prod, A, dnu_da));
            }
        }
        // Circuits: protein degradation, and ∂ω_j/∂p_b = w_j·a/(θ_nr + a)·∂f_j/∂p_b.
        let sat_x = y[A] / (p.thetax + y[A]);
        for (j, c) in self.control.iter().enumerate() {
            if c.degradation != 0.0 {
                e.push((p_index(j), p_index(j), -c.degradation));
            }
            if let Some(pr) = &c.promoter {
                let scale = self.genes[j].w * sat_x;
                pr.gradient(
                    |b| y[p_index(b)],
                    |b, d| e.push((mp_index(j), p_index(b), scale * d)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_state(genes: usize) -> Vec<f64> {
        let mut y = default_initial(genes);
        for (i, v) in y.iter_mut().enumerate() {
            *v += 3.0 + 17.0 * ((i * 7919) % 13) as f64;
        }
        y[A] = 2.3e4;
        y[Q] = 1.9e5;
        y
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let model = WeisseModel::ecoli(1e4, vec![Gene::new(100.0, 300.0), Gene::new(5.0, 1200.0)]);
        let y = sample_state(2);
        crate::kinetics::ode::assert_jacobian_matches_fd(&model, &y, &state_names(2));
    }

    #[test]
    fn mass_and_ribosome_balances_hold_exactly_in_the_equations() {
        let model = WeisseModel::ecoli(1e4, vec![Gene::new(50.0, 700.0)]);
        let y = sample_state(1);
        let n = model.n_states();
        let mut dy = vec![0.0; n];
        model.rhs(&y, &mut dy);
        let p = &model.params;
        let lam = model.growth_rate(&y);
        // dR/dt = ν_r − λR
        let gamma = p.gmax * y[A] / (p.kgamma + y[A]);
        let dr_tot: f64 = dy[R]
            + [CR, CT, CM, CQ, cp_index(0)]
                .iter()
                .map(|&i| dy[i])
                .sum::<f64>();
        let expect = y[CR] * gamma / p.nr - lam * model.total_ribosomes(&y);
        assert!((dr_tot - expect).abs() <= 1e-9 * expect.abs().max(1.0));
        // dP/dt = λ(M − P)
        let dp = p.nr * dr_tot + p.nx * (dy[ET] + dy[EM] + dy[Q]) + 700.0 * dy[p_index(0)];
        let expect = lam * (p.m - model.protein_mass(&y));
        assert!(
            (dp - expect).abs() <= 1e-9 * expect.abs(),
            "{dp} vs {expect}"
        );
    }

    #[test]
    fn structured_solver_matches_dense_lu() {
        use crate::kinetics::linalg::{BorderedLu, DenseLu, LinearSolver};
        let model = WeisseModel::ecoli(
            1e3,
            vec![
                Gene::new(100.0, 300.0),
                Gene::new(0.0, 50.0),
                Gene::new(7.0, 2000.0),
            ],
        );
        let y = sample_state(3);
        let n = model.n_states();
        let mut dense = DenseLu::new(n);
        let mut structured = BorderedLu::new(&model).expect("structure covers every state");
        dense.set_jacobian(&model, &y);
        structured.set_jacobian(&model, &y);
        for d in [1e-6, 1e-2, 1.0, 1e3, 1e7] {
            assert!(LinearSolver::<WeisseModel>::factor(&mut dense, d));
            assert!(LinearSolver::<WeisseModel>::factor(&mut structured, d));
            let b: Vec<f64> = (0..n).map(|i| ((i * 37) % 11) as f64 - 4.5).collect();
            let (mut x1, mut x2) = (b.clone(), b.clone());
            LinearSolver::<WeisseModel>::solve(&dense, &mut x1);
            LinearSolver::<WeisseModel>::solve(&structured, &mut x2);
            let scale = x1.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for i in 0..n {
                assert!(
                    (x1[i] - x2[i]).abs() <= 1e-9 * scale,
                    "d={d} x[{i}]: dense {} structured {}",
                    x1[i],
                    x2[i]
                );
            }
        }
    }

    /// Three genes in a repression ring (0 ⊣ 1 ⊣ 2 ⊣ 0, as a repressilator), one of them
    /// with an inducer-scaled, two-term promoter, plus a reporter activated by gene 1 and
    /// degraded: the circuit entries of the Jacobian, and a structure with a merged block.
    fn circuit_model() -> WeisseModel {
        use crate::kinetics::regulation::{Mode, Promoter, Term};
        let term = |by, mode, k, n, scale| Term {
            by,
            mode,
            k,
            n,
            scale,
        };
        let prom = |leak, terms| Some(Promoter { leak, terms });
        let control = vec![
            GeneControl {
                promoter: prom(1e-3, vec![term(2, Mode::Repress, 40.0, 2.0, 1.0)]),
                degradation: 0.07,
            },
            GeneControl {
                promoter: prom(
                    0.0,
                    vec![
                        term(0, Mode::Repress, 30.0, 2.0, 0.3),
                        term(3, Mode::Activate, 50.0, 1.0, 1.0),
                    ],
                ),
                degradation: 0.0,
            },
            GeneControl {
                promoter: prom(0.0, vec![term(1, Mode::Repress, 60.0, 2.5, 1.0)]),
                degradation: 0.1,
            },
            GeneControl {
                promoter: prom(0.05, vec![term(1, Mode::Activate, 25.0, 3.0, 1.0)]),
                degradation: 0.02,
            },
        ];
        let genes = vec![
            Gene::new(10.0, 360.0),
            Gene::new(20.0, 207.0),
            Gene::new(5.0, 236.0),
            Gene::new(8.0, 239.0),
        ];
        WeisseModel::with_control(WeisseParams::ecoli(), 1e4, genes, control)
    }

    #[test]
    fn circuit_jacobian_matches_finite_differences() {
        let model = circuit_model();
        let mut y = sample_state(4);
        // Proteins near their K's, where the Hill terms are steep.
        for (j, v) in [35.0, 20.0, 70.0, 30.0].into_iter().enumerate() {
            y[p_index(j)] = v;
        }
        let n = model.n_states();
        let jac = crate::kinetics::ode::assert_jacobian_matches_fd(&model, &y, &state_names(4));
        // The regulation entries exist (mRNA of gene 1 reads proteins 0 and 3).
        assert!(jac[mp_index(1) * n + p_index(0)] < 0.0);
        assert!(jac[mp_index(1) * n + p_index(3)] > 0.0);
        assert!(jac[mp_index(0) * n + p_index(2)] < 0.0);
    }

    #[test]
    fn circuit_structure_solves_like_dense_lu() {
        use crate::kinetics::linalg::{BorderedLu, DenseLu, LinearSolver};
        let model = circuit_model();
        let (blocks, _) = model.structure();
        // Genes 0..=3 form one feedback component (0 ⊣ 1 ⊣ 2 ⊣ 0, 1 ⇄ 3).
        assert!(blocks.iter().any(|b| b.len() == 12), "{blocks:?}");
        let mut y = sample_state(4);
        for (j, v) in [35.0, 20.0, 70.0, 30.0].into_iter().enumerate() {
            y[p_index(j)] = v;
        }
        let n = model.n_states();
        let mut dense = DenseLu::new(n);
        let mut structured = BorderedLu::new(&model).expect("structure covers every state");
        dense.set_jacobian(&model, &y);
        structured.set_jacobian(&model, &y);
        for d in [1e-6, 1e-2, 1.0, 1e3, 1e7] {
            assert!(LinearSolver::<WeisseModel>::factor(&mut dense, d));
            assert!(LinearSolver::<WeisseModel>::factor(&mut structured, d));
            let b: Vec<f64> = (0..n).map(|i| ((i * 37) % 11) as f64 - 4.5).collect();
            let (mut x1, mut x2) = (b.clone(), b.clone());
            LinearSolver::<WeisseModel>::solve(&dense, &mut x1);
            LinearSolver::<WeisseModel>::solve(&structured, &mut x2);
            let scale = x1.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for i in 0..n {
                assert!(
                    (x1[i] - x2[i]).abs() <= 1e-9 * scale,
                    "d={d} x[{i}]: dense {} structured {}",
                    x1[i],
                    x2[i]
                );
            }
        }
    }

    #[test]
    fn constitutive_control_changes_no_bit() {
        let genes = vec![Gene::new(100.0, 300.0), Gene::new(5.0, 1200.0)];
        let plain = WeisseModel::ecoli(1e4, genes.clone());
        let ctl = WeisseModel::with_control(
            WeisseParams::ecoli(),
            1e4,
            genes,
            vec![GeneControl::default(), GeneControl::default()],
        );
        let y = sample_state(2);
        let n = plain.n_states();
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        plain.rhs(&y, &mut a);
        ctl.rhs(&y, &mut b);
        assert_eq!(a, b);
        let (mut ja, mut jb) = (vec![0.0; n * n], vec![0.0; n * n]);
        plain.jacobian(&y, &mut ja);
        ctl.jacobian(&y, &mut jb);
        assert_eq!(ja, jb);
        assert_eq!(plain.structure(), ctl.structure());
    }

    #[test]
    fn state_names_round_trip() {
        let names = state_names(3);
        assert_eq!(names.len(), 23);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(state_index(n, 3), Some(i), "{n}");
        }
        assert_eq!(state_index("p[3]", 3), None);
        assert_eq!(state_index("x", 3), None);
        assert_eq!(state_index("p[01]", 3), None);
        assert_eq!(state_index("p[-1]", 3), None);
        assert_eq!(state_index("zz[0]", 3), None);
    }
}
