//! The Newton matrix of an implicit step, `A = α M − ∂f/∂y`, and its solution.
//!
//! The particles are eliminated by a Schur complement (the PETLION trick): every particle's radial
//! block is tridiagonal and couples to its x cell only through the reaction current j(c_s,surf,
//! c_e, φ_e, φ_s), so with `w = P⁻¹ e_N s_p` the particle unknowns drop out and the x system gets a
//! rank-one correction of its 3×3 diagonal block. What remains is block tridiagonal with 3×3 blocks
//! (c_e, φ_e, φ_s per x cell), solved by a banded LU with partial pivoting (bandwidth 5). The x
//! block's transport Jacobian (j held fixed) is analytic ([`Physics::jacobian_x`]), as are the
//! particle blocks and every j coupling.

use spelab_core::constants::FARADAY;

use super::jacobian::{BAND, HALF};
use super::residual::Physics;

/// A banded matrix and its LU factors with partial pivoting (LAPACK `gbtrf` layout, row-major).
#[derive(Debug, Clone)]
pub(crate) struct BandedLu {
    n: usize,
    kl: usize,
    ku: usize,
    w: usize,
    a: Vec<f64>,
    piv: Vec<usize>,
}

impl BandedLu {
    /// A zero n×n matrix with kl sub- and ku super-diagonals.
    pub fn new(n: usize, kl: usize, ku: usize) -> Self {
        let w = 2 * kl + ku + 1;
        BandedLu { n, kl, ku, w, a: vec![0.0; n * w], piv: vec![0; n] }
    }

    fn idx(&self, i: usize, j: usize) -> usize {
        i * self.w + j + self.kl - i
    }

    /// Sets every entry to 0.
    pub fn clear(&mut self) {
        self.a.fill(0.0);
    }

    /// Adds `v` to entry (i, j) (inside the band).
    pub fn add(&mut self, i: usize, j: usize, v: f64) {
        let k = self.idx(i, j);
        self.a[k] += v;
    }

    /// Factors in place; `false` if a pivot is zero or not finite.
    pub fn factor(&mut self) -> bool {
        let (n, kl, w) = (self.n, self.kl, self.w);
        for k in 0..n {
            let last = (k + kl + 1).min(n);
            let mut p = k;
            let mut best = self.a[k * w + kl].abs();
            for i in k + 1..last {
                let v = self.a[i * w + k + kl - i].abs();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            if best == 0.0 || !best.is_finite() {
                return false;
            }
            self.piv[k] = p;
            let jend = (k + self.ku + kl + 1).min(n);
            let len = jend - k;
            if p != k {
                let (top, bottom) = self.a.split_at_mut(p * w);
                let rk = &mut top[k * w + kl..k * w + kl + len];
                let rp = &mut bottom[k + kl - p..k + kl - p + len];
                rk.swap_with_slice(rp);
            }
            let inv = 1.0 / self.a[k * w + kl];
            let (top, bottom) = self.a.split_at_mut((k + 1) * w);
            let rk = &top[k * w + kl + 1..k * w + kl + len];
            for i in k + 1..last {
                let row = &mut bottom[(i - k - 1) * w..(i - k) * w];
                let off = k + kl - i;
                let l = row[off] * inv;
                row[off] = l;
                if l != 0.0 {
                    for (x, y) in row[off + 1..off + len].iter_mut().zip(rk) {
                        *x -= l * y;
                    }
                }
            }
        }
        true
    }

    /// Solves A x = b in place with the factors.
    pub fn solve(&self, b: &mut [f64]) {
        let (n, kl, w) = (self.n, self.kl, self.w);
        for k in 0..n {
            b.swap(k, self.piv[k]);
            let bk = b[k];
            if bk != 0.0 {
                let end = (k + kl + 1).min(n);
                for (i, bi) in b.iter_mut().enumerate().take(end).skip(k + 1) {
                    // Entry (i, k) sits at i w + k + kl − i.
                    *bi -= self.a[i * w + k + kl - i] * bk;
                }
            }
        }
        let span = self.kl + self.ku;
        for k in (0..n).rev() {
            let end = (k + span + 1).min(n);
            let row = &self.a[k * w + kl..k * w + kl + (end - k)];
            let mut s = b[k];
            for (aj, bj) in row[1..].iter().zip(&b[k + 1..end]) {
                s -= aj * bj;
            }
            b[k] = s / row[0];
        }
    }
}

/// The factored Newton matrix of one step.
#[derive(Debug, Clone)]
pub(crate) struct NewtonMatrix {
    band: BandedLu,
    /// Thomas factors of each particle block: multipliers (sub) and pivots (diag), plus the super
    /// diagonal.
    p_sub: Vec<f64>,
    p_diag: Vec<f64>,
    p_sup: Vec<f64>,
    /// w = P⁻¹ e_N s_p per particle.
    w: Vec<f64>,
    /// ∂j/∂c_s,surf per cathode cell.
    jc: Vec<f64>,
    /// (∂j/∂c_e, ∂j/∂φ_e, ∂j/∂φ_s) per cathode cell.
    ju: Vec<[f64; 3]>,
    /// ∂(x rows)/∂j of a cathode cell.
    sx: [f64; 3],
    /// Whether the particle and c_e unknowns are frozen (consistent initialisation).
    algebraic_only: bool,
    /// ∂(x rows)/∂u, 11 entries per row (columns row − 5 ..= row + 5).
    jfd: Vec<f64>,
    // Scratch.
    surf: Vec<f64>,
}

impl NewtonMatrix {
    /// Storage for `phys`.
    pub fn new(phys: &Physics) -> Self {
        let g = &phys.grid;
        let n = 3 * g.nx();
        let np_nr = g.np * g.nr;
        NewtonMatrix {
            band: BandedLu::new(n, HALF, HALF),
            p_sub: vec![0.0; np_nr],
            p_diag: vec![0.0; np_nr],
            p_sup: vec![0.0; np_nr],
            w: vec![0.0; np_nr],
            jc: vec![0.0; g.np],
            ju: vec![[0.0; 3]; g.np],
            sx: [0.0; 3],
            algebraic_only: false,
            jfd: vec![0.0; n * BAND],
            surf: vec![0.0; g.np],
        }
    }

    /// Evaluates the Jacobian of the x rows (analytic, [`Physics::jacobian_x`]) and the reaction
    /// partials at x unknowns `u`, particles `cs` and current `i`.
    pub fn jacobian(&mut self, phys: &Physics, u: &[f64], cs: &[f64], i: f64) {
        let g = &phys.grid;
        let (np, nr) = (g.np, g.nr);
        for k in 0..np {
            self.surf[k] = phys.surface(&cs[k * nr..(k + 1) * nr]);
        }
        for k in 0..np {
            let c = g.ns + k;
            let r = phys.reaction(u[3 * c], u[3 * c + 1], u[3 * c + 2], self.surf[k]);
            self.jc[k] = r.d_cs;
            self.ju[k] = [r.d_ce, r.d_phie, r.d_phis];
        }
        phys.jacobian_x(u, i, &mut self.jfd);
    }

    /// Assembles and factors `α M − ∂f/∂y` from the last [`NewtonMatrix::jacobian`]. With
    /// `algebraic_only` the differential unknowns are frozen (identity rows). `false` if singular.
    pub fn factor(&mut self, phys: &Physics, alpha: f64, algebraic_only: bool) -> bool {
        let g = &phys.grid;
        let (nx, ns, np, nr) = (g.nx(), g.ns, g.np, g.nr);
        let n = 3 * nx;
        self.algebraic_only = algebraic_only;
        self.band.clear();
        for row in 0..n {
            let c = row / 3;
            let is_ce = row % 3 == 0;
            let lo = row.saturating_sub(HALF);
            let hi = (row + HALF + 1).min(n);
            for col in lo..hi {
                let d = self.jfd[row * BAND + col + HALF - row];
                let mut v = if is_ce {
                    if algebraic_only {
                        0.0
                    } else {
                        -g.eps[c] * d
                    }
                } else {
                    d
                };
                if is_ce && col == row {
                    v += if algebraic_only { 1.0 } else { alpha * g.eps[c] };
                }
                if v != 0.0 {
                    self.band.add(row, col, v);
                }
            }
        }
        // The reaction's dependence on the cell's own unknowns (the x rows' Jacobian holds j fixed):
        // ∂(rows)/∂u += s_x ⊗ ∂j/∂u, with s_x = ∂(c_e, φ_e, φ_s rows)/∂j.
        self.sx = [-phys.a / FARADAY, -phys.a, phys.a];
        for k in 0..np {
            let c = ns + k;
            for a in usize::from(algebraic_only)..3 {
                for b in 0..3 {
                    self.band.add(3 * c + a, 3 * c + b, self.sx[a] * self.ju[k][b]);
                }
            }
        }
        if !algebraic_only {
            let s_p = phys.p_surf;
            for k in 0..np {
                let d_cs = self.jc[k];
                let base = k * nr;
                // Tridiagonal P = α I − ∂rate/∂c (+ the j(c_surf) coupling in the last row).
                for m in 0..nr {
                    let (inner, outer) = (phys.p_in[m], phys.p_out[m]);
                    self.p_sub[base + m] = -inner;
                    self.p_diag[base + m] = alpha + inner + outer;
                    self.p_sup[base + m] = -outer;
                }
                self.p_diag[base + nr - 1] += s_p * d_cs * 1.5;
                self.p_sub[base + nr - 1] += s_p * d_cs * -0.5;
                // Thomas factorisation in place (pivots stored inverted).
                self.p_diag[base] = 1.0 / self.p_diag[base];
                for m in 1..nr {
                    let l = self.p_sub[base + m] * self.p_diag[base + m - 1];
                    self.p_sub[base + m] = l;
                    self.p_diag[base + m] = 1.0 / (self.p_diag[base + m] - l * self.p_sup[base + m - 1]);
                }
                let wk = &mut self.w[base..base + nr];
                wk.fill(0.0);
                wk[nr - 1] = s_p;
                thomas_solve(
                    &self.p_sub[base..base + nr],
                    &self.p_diag[base..base + nr],
                    &self.p_sup[base..base + nr],
                    wk,
                );
                let ws = 1.5 * wk[nr - 1] - 0.5 * wk[nr - 2];
                let c = ns + k;
                for (a, sa) in self.sx.iter().enumerate() {
                    for (b, jb) in self.ju[k].iter().enumerate() {
                        self.band.add(3 * c + a, 3 * c + b, -sa * d_cs * ws * jb);
                    }
                }
            }
        }
        self.band.factor()
    }

    /// Solves A δ = r in place: `rx` holds the x part, `rp` the particle part.
    pub fn solve(&self, phys: &Physics, rx: &mut [f64], rp: &mut [f64]) {
        let g = &phys.grid;
        let (ns, np, nr) = (g.ns, g.np, g.nr);
        if self.algebraic_only {
            rp.fill(0.0);
            self.band.solve(rx);
            return;
        }
        // All particles at once, shell by shell: the particles are independent, so the inner loop
        // has no dependency chain.
        for m in 1..nr {
            for k in 0..np {
                let i = k * nr + m;
                rp[i] -= self.p_sub[i] * rp[i - 1];
            }
        }
        for k in 0..np {
            rp[k * nr + nr - 1] *= self.p_diag[k * nr + nr - 1];
        }
        for m in (0..nr - 1).rev() {
            for k in 0..np {
                let i = k * nr + m;
                rp[i] = (rp[i] - self.p_sup[i] * rp[i + 1]) * self.p_diag[i];
            }
        }
        for k in 0..np {
            let v = &rp[k * nr..(k + 1) * nr];
            let vs = 1.5 * v[nr - 1] - 0.5 * v[nr - 2];
            let c = ns + k;
            for a in 0..3 {
                rx[3 * c + a] -= self.sx[a] * self.jc[k] * vs;
            }
        }
        self.band.solve(rx);
        for k in 0..np {
            let c = ns + k;
            let ju = self.ju[k];
            let t = ju[0] * rx[3 * c] + ju[1] * rx[3 * c + 1] + ju[2] * rx[3 * c + 2];
            let base = k * nr;
            for m in 0..nr {
                rp[base + m] -= self.w[base + m] * t;
            }
        }
    }
}

/// Forward and back substitution with Thomas factors (multipliers in `sub`, inverted pivots in
/// `diag`).
fn thomas_solve(sub: &[f64], diag: &[f64], sup: &[f64], b: &mut [f64]) {
    let n = b.len();
    for m in 1..n {
        b[m] -= sub[m] * b[m - 1];
    }
    b[n - 1] *= diag[n - 1];
    for m in (0..n - 1).rev() {
        b[m] = (b[m] - sup[m] * b[m + 1]) * diag[m];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn banded_lu_matches_a_dense_solve() {
        // A pentadiagonal, non-symmetric matrix that needs pivoting (zero leading diagonal entry).
        let n = 9;
        let mut lu = BandedLu::new(n, 2, 2);
        let mut dense = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in i.saturating_sub(2)..(i + 3).min(n) {
                let v = if i == j && i == 0 {
                    0.0
                } else {
                    1.0 + ((3 * i + 7 * j) % 5) as f64 - (i == j) as u8 as f64 * 0.3
                };
                lu.add(i, j, v);
                dense[i][j] = v;
            }
        }
        let x: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin() + 1.0).collect();
        let mut b: Vec<f64> = (0..n).map(|i| (0..n).map(|j| dense[i][j] * x[j]).sum()).collect();
        assert!(lu.factor());
        lu.solve(&mut b);
        for (bi, xi) in b.iter().zip(&x) {
            assert!((bi - xi).abs() < 1e-12, "{bi} vs {xi}");
        }
    }
}
