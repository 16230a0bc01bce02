//! Linear algebra for the Rosenbrock stages: factor `E = d·I − J` once per step and solve
//! `E x = b` six times.
//!
//! - [`DenseLu`]: any system, O(n³) per factorisation.
//! - [`BorderedLu`]: systems whose Jacobian is "block lower triangular with a dense border,
//!   plus a rank-one term" ([`SparseJacobian`]), O(n) per factorisation and solve. The
//!   Weiße model has exactly this shape: every state is diluted by λ(a, c) (the rank-one
//!   term −y·∇λᵀ), energy a and free ribosomes r touch everything (the border), and each
//!   gene's (mRNA, complex, protein) triple is otherwise self-contained.
//!
//! Both use only `+ − × ÷` with a fixed evaluation order, so they give the same bits on
//! every target.

// Index loops over several parallel arrays read better than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use super::ode::OdeSystem;

/// Dense LU factorisation with partial pivoting, in place. `a` is **column-major**
/// (`a[j * n + i]` is row i, column j), so that every inner loop (pivot search, rank-1
/// update, both substitutions) runs over contiguous memory without a floating-point
/// reduction: the compiler can vectorise it without changing a single result bit.
/// Returns `false` when a pivot is zero or not finite.
pub fn lu_factor(a: &mut [f64], n: usize, piv: &mut [usize]) -> bool {
    for k in 0..n {
        let col_k = &a[k * n..k * n + n];
        let mut p = k;
        let mut best = col_k[k].abs();
        for (i, v) in col_k.iter().enumerate().skip(k + 1) {
            if v.abs() > best {
                best = v.abs();
                p = i;
            }
        }
        if best == 0.0 || !best.is_finite() {
            return false;
        }
        piv[k] = p;
        if p != k {
            for j in 0..n {
                a.swap(j * n + k, j * n + p);
            }
        }
        let inv = 1.0 / a[k * n + k];
        for v in &mut a[k * n + k + 1..k * n + n] {
            *v *= inv;
        }
        let (left, right) = a.split_at_mut((k + 1) * n);
        let l = &left[k * n + k + 1..k * n + n];
        for col in right.chunks_exact_mut(n) {
            let u = col[k];
            if u != 0.0 {
                for (x, &li) in col[k + 1..].iter_mut().zip(l) {
                    *x -= li * u;
                }
            }
        }
    }
    true
}

/// Solve `A x = b` in place with the column-major factors from [`lu_factor`].
pub fn lu_solve(lu: &[f64], n: usize, piv: &[usize], b: &mut [f64]) {
    for k in 0..n {
        let p = piv[k];
        if p != k {
            b.swap(k, p);
        }
    }
    for k in 0..n {
        let bk = b[k];
        if bk != 0.0 {
            let l = &lu[k * n + k + 1..k * n + n];
            for (x, &li) in b[k + 1..n].iter_mut().zip(l) {
                *x -= li * bk;
            }
        }
    }
    for k in (0..n).rev() {
        let bk = b[k] / lu[k * n + k];
        b[k] = bk;
        if bk != 0.0 {
            let u = &lu[k * n..k * n + k];
            for (x, &ui) in b[..k].iter_mut().zip(u) {
                *x -= ui * bk;
            }
        }
    }
}

/// The linear algebra a Rosenbrock step needs.
pub trait LinearSolver<S: OdeSystem + ?Sized> {
    /// Evaluate and keep J(y).
    fn set_jacobian(&mut self, sys: &S, y: &[f64]);
    /// Factor `d·I − J`; `false` if it is singular or not finite.
    fn factor(&mut self, d: f64) -> bool;
    /// Solve `(d·I − J) x = b` in place.
    fn solve(&self, b: &mut [f64]);
}

/// Dense LU on the full Jacobian ([`OdeSystem::jacobian`]).
#[derive(Debug, Clone)]
pub struct DenseLu {
    n: usize,
    jac: Vec<f64>,
    lu: Vec<f64>,
    piv: Vec<usize>,
}

impl DenseLu {
    pub fn new(n: usize) -> Self {
        DenseLu {
            n,
            jac: vec![0.0; n * n],
            lu: vec![0.0; n * n],
            piv: vec![0; n],
        }
    }
}

impl<S: OdeSystem + ?Sized> LinearSolver<S> for DenseLu {
    fn set_jacobian(&mut self, sys: &S, y: &[f64]) {
        self.jac.iter_mut().for_each(|v| *v = 0.0);
        sys.jacobian(y, &mut self.jac);
    }
    fn factor(&mut self, d: f64) -> bool {
        let n = self.n;
        // d·I − J, transposed from the row-major Jacobian into column-major order.
        for i in 0..n {
            for j in 0..n {
                self.lu[j * n + i] = -self.jac[i * n + j];
            }
            self.lu[i * n + i] += d;
        }
        lu_factor(&mut self.lu, n, &mut self.piv)
    }
    fn solve(&self, b: &mut [f64]) {
        lu_solve(&self.lu, self.n, &self.piv, b);
    }
}

/// A Jacobian given as sparse entries plus a rank-one term, with a known block structure.
pub trait SparseJacobian: OdeSystem {
    /// Interior blocks (lists of state indices) in an order that makes the interior part
    /// of the sparse Jacobian block lower triangular, and the dense border states. Every
    /// state appears exactly once.
    fn structure(&self) -> (Vec<Vec<usize>>, Vec<usize>);
    /// `J(y) = Σ entries + u·wᵀ`. Push `(row, column, value)` entries (repeats add up);
    /// `u` and `w` arrive zeroed (length `dim()`).
    fn jacobian_parts(
        &self,
        y: &[f64],
        entries: &mut Vec<(usize, usize, f64)>,
        u: &mut [f64],
        w: &mut [f64],
    );
}

/// Build the dense row-major Jacobian from [`SparseJacobian::jacobian_parts`] (for tests and
/// for [`OdeSystem::jacobian`] implementations).
pub fn dense_from_parts<S: SparseJacobian + ?Sized>(sys: &S, y: &[f64], jac: &mut [f64]) {
    let n = sys.dim();
    let mut entries = Vec::new();
    let mut u = vec![0.0; n];
    let mut w = vec![0.0; n];
    sys.jacobian_parts(y, &mut entries, &mut u, &mut w);
    for (i, j, v) in entries {
        jac[i * n + j] += v;
    }
    for (j, &wj) in w.iter().enumerate() {
        if wj != 0.0 {
            for (i, &ui) in u.iter().enumerate() {
                jac[i * n + j] += ui * wj;
            }
        }
    }
}

const NONE: usize = usize::MAX;
/// The most scratch values on the stack: two vectors of a block of 32 genes' (mRNA,
/// complex, protein), the largest block a circuit can form.
const STACK_BLOCK: usize = 192;

/// Scratch up to this size (two vectors of a block of four genes' triples: every library
/// circuit) lives in a small stack buffer, so that the common case does not clear
/// `STACK_BLOCK` values on every solve.
const SMALL_BLOCK: usize = 24;

/// Run `f` on `k` zeroed scratch values: on the stack up to [`STACK_BLOCK`], else on the
/// heap (never needed by today's models).
fn with_scratch<R>(k: usize, f: impl FnOnce(&mut [f64]) -> R) -> R {
    if k <= SMALL_BLOCK {
        let mut stack = [0.0f64; SMALL_BLOCK];
        f(&mut stack[..k])
    } else if k <= STACK_BLOCK {
        let mut stack = [0.0f64; STACK_BLOCK];
        f(&mut stack[..k])
    } else {
        f(&mut vec![0.0; k])
    }
}

#[derive(Debug, Clone)]
struct Block {
    idx: Vec<usize>,
    /// Column-major k×k: d·I − J restricted to the block, then its LU.
    mat: Vec<f64>,
    piv: Vec<usize>,
    /// The block's inverse (blocks are tiny: applying it is a k×k product): row-major for
    /// k ≤ 3 (the closed forms), column-major above, so that [`Block::apply`] runs over
    /// contiguous columns (`x += r_c·column c`), which the compiler vectorises.
    inv: Vec<f64>,
    /// Entries of this block's rows in earlier blocks' columns: (local row, column, value).
    cross: Vec<(usize, usize, f64)>,
}

impl Block {
    /// Invert the block (closed form for k ≤ 3, LU otherwise); `false` if singular.
    fn invert(&mut self) -> bool {
        let k = self.idx.len();
        let m = &self.mat; // column-major: m[c * k + r]
        let inv = &mut self.inv; // row-major
        match k {
            1 => {
                inv[0] = 1.0 / m[0];
            }
            2 => {
                let (a, b, c, d) = (m[0], m[2], m[1], m[3]); // [[a, b], [c, d]]
                let det = a * d - b * c;
                inv[0] = d / det;
                inv[1] = -b / det;
                inv[2] = -c / det;
                inv[3] = a / det;
            }
            3 => {
                let e = |r: usize, c: usize| m[c * 3 + r];
                let c00 = e(1, 1) * e(2, 2) - e(1, 2) * e(2, 1);
                let c01 = e(1, 2) * e(2, 0) - e(1, 0) * e(2, 2);
                let c02 = e(1, 0) * e(2, 1) - e(1, 1) * e(2, 0);
                let det = e(0, 0) * c00 + e(0, 1) * c01 + e(0, 2) * c02;
                inv[0] = c00 / det;
                inv[1] = (e(0, 2) * e(2, 1) - e(0, 1) * e(2, 2)) / det;
                inv[2] = (e(0, 1) * e(1, 2) - e(0, 2) * e(1, 1)) / det;
                inv[3] = c01 / det;
                inv[4] = (e(0, 0) * e(2, 2) - e(0, 2) * e(2, 0)) / det;
                inv[5] = (e(0, 2) * e(1, 0) - e(0, 0) * e(1, 2)) / det;
                inv[6] = c02 / det;
                inv[7] = (e(0, 1) * e(2, 0) - e(0, 0) * e(2, 1)) / det;
                inv[8] = (e(0, 0) * e(1, 1) - e(0, 1) * e(1, 0)) / det;
            }
            _ => {
                if !lu_factor(&mut self.mat, k, &mut self.piv) {
                    return false;
                }
                let (mat, piv, inv) = (&self.mat, &self.piv, &mut self.inv);
                with_scratch(k, |col| {
                    for j in 0..k {
                        col.iter_mut().for_each(|v| *v = 0.0);
                        col[j] = 1.0;
                        lu_solve(mat, k, piv, col);
                        inv[j * k..(j + 1) * k].copy_from_slice(col);
                    }
                });
            }
        }
        self.inv.iter().all(|v| v.is_finite())
    }

    /// Entry (row, column) of the inverse.
    #[cfg(test)]
    fn inv_at(&self, r: usize, c: usize) -> f64 {
        let k = self.idx.len();
        if k <= 3 {
            self.inv[r * k + c]
        } else {
            self.inv[c * k + r]
        }
    }

    /// `out ← inverse · r` for a block of more than 3 states (column-major inverse). Each
    /// `out[i]` is summed over the columns in order from 0, as a row-by-row product would.
    fn apply(&self, r: &[f64], out: &mut [f64]) {
        let k = r.len();
        out.iter_mut().for_each(|v| *v = 0.0);
        for (col, &rc) in self.inv.chunks_exact(k).zip(r) {
            for (o, &a) in out.iter_mut().zip(col) {
                *o += a * rc;
            }
        }
    }
}

/// x_I ← E_II⁻¹·x_I by block forward substitution (border entries of `x` are left alone).
fn interior_solve(blocks: &[Block], x: &mut [f64]) {
    for b in blocks {
        let idx = &b.idx[..];
        let inv = &b.inv[..];
        match idx.len() {
            1 => {
                let mut r0 = x[idx[0]];
                for &(_, j, v) in &b.cross {
                    r0 -= v * x[j];
                }
                x[idx[0]] = inv[0] * r0;
            }
            2 => {
                let mut r = [x[idx[0]], x[idx[1]]];
                for &(l, j, v) in &b.cross {
                    r[l] -= v * x[j];
                }
                x[idx[0]] = inv[0] * r[0] + inv[1] * r[1];
                x[idx[1]] = inv[2] * r[0] + inv[3] * r[1];
            }
            3 => {
                let mut r = [x[idx[0]], x[idx[1]], x[idx[2]]];
                for &(l, j, v) in &b.cross {
                    r[l] -= v * x[j];
                }
                x[idx[0]] = inv[0] * r[0] + inv[1] * r[1] + inv[2] * r[2];
                x[idx[1]] = inv[3] * r[0] + inv[4] * r[1] + inv[5] * r[2];
                x[idx[2]] = inv[6] * r[0] + inv[7] * r[1] + inv[8] * r[2];
            }
            k => with_scratch(2 * k, |scratch| {
                let (r, out) = scratch.split_at_mut(k);
                for (rv, &i) in r.iter_mut().zip(idx) {
                    *rv = x[i];
                }
                for &(l, j, v) in &b.cross {
                    r[l] -= v * x[j];
                }
                b.apply(r, out);
                for (&o, &i) in out.iter().zip(idx) {
                    x[i] = o;
                }
            }),
        }
    }
}

/// Bordered block-triangular LU with a Sherman–Morrison correction for the rank-one term.
///
/// With interior states I (block lower triangular E_II) and border B:
/// `E_s = [[E_II, E_IB], [E_BI, E_BB]]` is solved through the Schur complement
/// `S = E_BB − E_BI·E_II⁻¹·E_IB` (|B|×|B|, dense LU with pivoting; each interior block is
/// factored with pivoting too), and `E = E_s − u·wᵀ` through
/// `E⁻¹b = E_s⁻¹b + q·(wᵀE_s⁻¹b)/(1 − wᵀq)`, `q = E_s⁻¹u`.
#[derive(Debug, Clone)]
pub struct BorderedLu {
    n: usize,
    blocks: Vec<Block>,
    border: Vec<usize>,
    /// state → (block, local index) or (NONE, border index)
    block_of: Vec<usize>,
    local: Vec<usize>,
    entries: Vec<(usize, usize, f64)>,
    u: Vec<f64>,
    w: Vec<f64>,
    e_ib: Vec<f64>,
    e_bi: Vec<f64>,
    e_bb: Vec<f64>,
    z: Vec<f64>,
    /// The Schur complement S = E_BB − E_BI·E_II⁻¹·E_IB and its inverse.
    s: Block,
    q: Vec<f64>,
    denom: f64,
    rank_one: bool,
}

impl BorderedLu {
    /// A solver for `sys`'s structure; `None` if the structure does not cover every state
    /// exactly once.
    pub fn new<S: SparseJacobian + ?Sized>(sys: &S) -> Option<Self> {
        let n = sys.dim();
        let (blocks, border) = sys.structure();
        let mut block_of = vec![NONE; n];
        let mut local = vec![NONE; n];
        for (b, idx) in blocks.iter().enumerate() {
            for (l, &i) in idx.iter().enumerate() {
                if i >= n || local[i] != NONE {
                    return None;
                }
                block_of[i] = b;
                local[i] = l;
            }
        }
        for (b, &i) in border.iter().enumerate() {
            if i >= n || local[i] != NONE {
                return None;
            }
            local[i] = b;
        }
        if local.contains(&NONE) {
            return None;
        }
        let nb = border.len();
        Some(BorderedLu {
            n,
            blocks: blocks
                .into_iter()
                .map(|idx| {
                    let k = idx.len();
                    Block {
                        idx,
                        mat: vec![0.0; k * k],
                        piv: vec![0; k],
                        inv: vec![0.0; k * k],
                        cross: Vec::new(),
                    }
                })
                .collect(),
            border,
            block_of,
            local,
            entries: Vec::new(),
            u: vec![0.0; n],
            w: vec![0.0; n],
            e_ib: vec![0.0; nb * n],
            e_bi: vec![0.0; nb * n],
            e_bb: vec![0.0; nb * nb],
            z: vec![0.0; nb * n],
            s: Block {
                idx: (0..nb).collect(),
                mat: vec![0.0; nb * nb],
                piv: vec![0; nb],
                inv: vec![0.0; nb * nb],
                cross: Vec::new(),
            },
            q: vec![0.0; n],
            denom: 1.0,
            rank_one: false,
        })
    }

    /// x ← E_s⁻¹ x.
    fn solve_s(&self, x: &mut [f64]) {
        let n = self.n;
        let nb = self.border.len();
        interior_solve(&self.blocks, x);
        if nb == 0 {
            return;
        }
        if let [b0, b1] = self.border[..] {
            // The common border (a, r of the Weiße host), in one pass over x for both rows
            // and one for both columns: the same operations in the same order as below.
            let (e0, e1) = self.e_bi.split_at(n);
            let (mut r0, mut r1) = (x[b0], x[b1]);
            for ((a, b), xv) in e0.iter().zip(e1).zip(x.iter()) {
                r0 -= a * xv;
                r1 -= b * xv;
            }
            let si = &self.s.inv;
            let (o0, o1) = (si[0] * r0 + si[1] * r1, si[2] * r0 + si[3] * r1);
            let (z0, z1) = self.z.split_at(n);
            for ((xv, a), b) in x.iter_mut().zip(z0).zip(&z1[..n]) {
                *xv -= a * o0;
                *xv -= b * o1;
            }
            x[b0] = o0;
            x[b1] = o1;
            return;
        }
        let mut rb_stack = [0.0f64; 8];
        let mut rb_heap;
        let rb: &mut [f64] = if nb <= rb_stack.len() {
            &mut rb_stack[..nb]
        } else {
            rb_heap = vec![0.0; nb];
            &mut rb_heap[..]
        };
        for (bi, &i) in self.border.iter().enumerate() {
            let row = &self.e_bi[bi * n..bi * n + n];
            let mut acc = x[i];
            for (e, xv) in row.iter().zip(x.iter()) {
                acc -= e * xv;
            }
            rb[bi] = acc;
        }
        // rb ← S⁻¹·rb (S is tiny; its inverse is applied in place through the block code).
        {
            let mut tmp = [0.0f64; 8];
            let mut tmp_heap;
            let out: &mut [f64] = if nb <= tmp.len() {
                &mut tmp[..nb]
            } else {
                tmp_heap = vec![0.0; nb];
                &mut tmp_heap[..]
            };
            if nb <= 3 {
                for (o, row) in out.iter_mut().zip(self.s.inv.chunks_exact(nb)) {
                    *o = row.iter().zip(rb.iter()).map(|(a, b)| a * b).sum();
                }
            } else {
                self.s.apply(rb, out);
            }
            rb.copy_from_slice(out);
        }
        for (bj, &rv) in rb.iter().enumerate() {
            let zc = &self.z[bj * n..bj * n + n];
            for (xv, zv) in x.iter_mut().zip(zc) {
                *xv -= zv * rv;
            }
        }
        for (bi, &i) in self.border.iter().enumerate() {
            x[i] = rb[bi];
        }
    }
}

impl<S: SparseJacobian + ?Sized> LinearSolver<S> for BorderedLu {
    fn set_jacobian(&mut self, sys: &S, y: &[f64]) {
        self.entries.clear();
        self.u.iter_mut().for_each(|v| *v = 0.0);
        self.w.iter_mut().for_each(|v| *v = 0.0);
        sys.jacobian_parts(y, &mut self.entries, &mut self.u, &mut self.w);
        self.rank_one = self.u.iter().any(|v| *v != 0.0) && self.w.iter().any(|v| *v != 0.0);
    }

    fn factor(&mut self, d: f64) -> bool {
        let n = self.n;
        let nb = self.border.len();
        for b in &mut self.blocks {
            let k = b.idx.len();
            b.mat.iter_mut().for_each(|v| *v = 0.0);
            for l in 0..k {
                b.mat[l * k + l] = d;
            }
            b.cross.clear();
        }
        self.e_ib.iter_mut().for_each(|v| *v = 0.0);
        self.e_bi.iter_mut().for_each(|v| *v = 0.0);
        self.e_bb.iter_mut().for_each(|v| *v = 0.0);
        for b in 0..nb {
            self.e_bb[b * nb + b] = d;
        }
        for &(i, j, v) in &self.entries {
            let val = -v;
            let (bi, bj) = (self.block_of[i], self.block_of[j]);
            let (li, lj) = (self.local[i], self.local[j]);
            match (bi == NONE, bj == NONE) {
                // e_bb is column-major like every matrix handed to lu_factor.
                (true, true) => self.e_bb[lj * nb + li] += val,
                (true, false) => self.e_bi[li * n + j] += val,
                (false, true) => self.e_ib[lj * n + i] += val,
                (false, false) => {
                    if bi == bj {
                        let k = self.blocks[bi].idx.len();
                        self.blocks[bi].mat[lj * k + li] += val;
                    } else if bj < bi {
                        self.blocks[bi].cross.push((li, j, val));
                    } else {
                        // An entry above the block diagonal: the declared structure is
                        // wrong for this Jacobian.
                        debug_assert!(false, "entry ({i}, {j}) breaks the block structure");
                        return false;
                    }
                }
            }
        }
        for b in &mut self.blocks {
            if !b.invert() {
                return false;
            }
        }
        // Z = E_II⁻¹·E_IB, one border column at a time.
        self.z.copy_from_slice(&self.e_ib);
        for bj in 0..nb {
            let col = &mut self.z[bj * n..bj * n + n];
            interior_solve(&self.blocks, col);
            for &i in &self.border {
                col[i] = 0.0;
            }
        }
        // S = E_BB − E_BI·Z (column-major).
        for bi in 0..nb {
            let row = &self.e_bi[bi * n..bi * n + n];
            for bj in 0..nb {
                let zc = &self.z[bj * n..bj * n + n];
                let mut acc = self.e_bb[bj * nb + bi];
                for (e, zv) in row.iter().zip(zc) {
                    acc -= e * zv;
                }
                self.s.mat[bj * nb + bi] = acc;
            }
        }
        if !self.s.invert() {
            return false;
        }
        if self.rank_one {
            let mut q = std::mem::take(&mut self.q);
            q.copy_from_slice(&self.u);
            self.solve_s(&mut q);
            let wq: f64 = self.w.iter().zip(&q).map(|(a, b)| a * b).sum();
            self.q = q;
            self.denom = 1.0 - wq;
            if self.denom == 0.0 || !self.denom.is_finite() {
                return false;
            }
        }
        true
    }

    fn solve(&self, b: &mut [f64]) {
        self.solve_s(b);
        if self.rank_one {
            let wx: f64 = self.w.iter().zip(b.iter()).map(|(a, x)| a * x).sum();
            let f = wx / self.denom;
            for (x, qv) in b.iter_mut().zip(&self.q) {
                *x += qv * f;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_inverses_are_inverses() {
        // closed forms (1-3), the small and the large stack buffer (4-12, 13-96), the heap (97)
        for k in (1..=5).chain([12, 13, 96, 97]) {
            let mut mat = vec![0.0; k * k];
            for c in 0..k {
                for r in 0..k {
                    mat[c * k + r] = ((r * 7 + c * 3) % 5) as f64 - 1.5
                        + if r == c { 4.0 + 2.5 * k as f64 } else { 0.0 };
                }
            }
            let orig = mat.clone();
            let mut b = Block {
                idx: (0..k).collect(),
                mat,
                piv: vec![0; k],
                inv: vec![0.0; k * k],
                cross: Vec::new(),
            };
            assert!(b.invert());
            for r in 0..k {
                for c in 0..k {
                    let v: f64 = (0..k).map(|l| b.inv_at(r, l) * orig[c * k + l]).sum();
                    let want = if r == c { 1.0 } else { 0.0 };
                    assert!((v - want).abs() < 1e-12, "k={k} ({r},{c}): {v}");
                }
            }
        }
        let mut sing = Block {
            idx: vec![0, 1],
            mat: vec![1.0, 2.0, 2.0, 4.0],
            piv: vec![0; 2],
            inv: vec![0.0; 4],
            cross: Vec::new(),
        };
        assert!(!sing.invert());
    }
}
