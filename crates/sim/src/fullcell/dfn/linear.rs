//! The Newton matrix of an implicit step, `A = α M − ∂f/∂y`, and its solution.
//!
//! The particles are eliminated by a Schur complement (the PETLION trick): every particle's radial
//! block is tridiagonal and couples to its x cell only through the reaction current j(c_s,surf,
//! c_e, φ_e, φ_s), so with `w = P⁻¹ e_N s_p` the particle unknowns drop out and the x system gets a
//! rank-one correction of its 3×3 diagonal block. What remains is block tridiagonal with 3×3 blocks
//! (c_e, φ_e, φ_s per x cell), solved by a banded LU with partial pivoting (bandwidth 5). The x
//! block's Jacobian is built by finite differences with a 9-colour column colouring (cells three
//! apart share a colour); the particle blocks and the j couplings are analytic.

use spelab_core::constants::FARADAY;

use super::residual::{Physics, Reaction};

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
        let n = self.n;
        for k in 0..n {
            let last = (k + self.kl + 1).min(n);
            let mut p = k;
            let mut best = self.a[self.idx(k, k)].abs();
            for i in k + 1..last {
                let v = self.a[self.idx(i, k)].abs();
                if v > best {
                    best = v;
                    p = i;
                }
            }
            if best == 0.0 || !best.is_finite() {
                return false;
            }
            self.piv[k] = p;
            let jend = (k + self.ku + self.kl + 1).min(n);
            if p != k {
                for j in k..jend {
                    let (x, y) = (self.idx(k, j), self.idx(p, j));
                    self.a.swap(x, y);
                }
            }
            let pivot = self.a[self.idx(k, k)];
            for i in k + 1..last {
                let ik = self.idx(i, k);
                let l = self.a[ik] / pivot;
                self.a[ik] = l;
                if l != 0.0 {
                    for j in k + 1..jend {
                        let (ij, kj) = (self.idx(i, j), self.idx(k, j));
                        self.a[ij] -= l * self.a[kj];
                    }
                }
            }
        }
        true
    }

    /// Solves A x = b in place with the factors.
    pub fn solve(&self, b: &mut [f64]) {
        let n = self.n;
        for k in 0..n {
            b.swap(k, self.piv[k]);
            let bk = b[k];
            for (i, bi) in b.iter_mut().enumerate().take((k + self.kl + 1).min(n)).skip(k + 1) {
                *bi -= self.a[self.idx(i, k)] * bk;
            }
        }
        for k in (0..n).rev() {
            let mut s = b[k];
            for (j, bj) in b.iter().enumerate().take((k + self.kl + self.ku + 1).min(n)).skip(k + 1) {
                s -= self.a[self.idx(k, j)] * bj;
            }
            b[k] = s / self.a[self.idx(k, k)];
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
    // Scratch.
    f0: Vec<f64>,
    f1: Vec<f64>,
    up: Vec<f64>,
    rx: Vec<Reaction>,
}

impl NewtonMatrix {
    /// Storage for `phys`.
    pub fn new(phys: &Physics) -> Self {
        let g = &phys.grid;
        let n = 3 * g.nx();
        let np_nr = g.np * g.nr;
        NewtonMatrix {
            band: BandedLu::new(n, 5, 5),
            p_sub: vec![0.0; np_nr],
            p_diag: vec![0.0; np_nr],
            p_sup: vec![0.0; np_nr],
            w: vec![0.0; np_nr],
            jc: vec![0.0; g.np],
            ju: vec![[0.0; 3]; g.np],
            sx: [0.0; 3],
            algebraic_only: false,
            f0: vec![0.0; n],
            f1: vec![0.0; n],
            up: vec![0.0; n],
            rx: vec![Reaction::default(); g.np],
        }
    }

    /// Builds and factors `α M − ∂f/∂y` at x unknowns `u`, particles `cs` and current `i`. With
    /// `algebraic_only` the differential unknowns are frozen (identity rows). `false` if singular.
    pub fn build(
        &mut self,
        phys: &Physics,
        u: &[f64],
        cs: &[f64],
        i: f64,
        alpha: f64,
        algebraic_only: bool,
    ) -> bool {
        let g = &phys.grid;
        let (nx, ns, np, nr) = (g.nx(), g.ns, g.np, g.nr);
        self.algebraic_only = algebraic_only;
        let surf: Vec<f64> = (0..np).map(|k| phys.surface(&cs[k * nr..(k + 1) * nr])).collect();
        phys.eval_x(u, &surf, i, &mut self.f0, &mut self.rx);
        self.band.clear();
        self.up.copy_from_slice(u);
        for colour in 0..3 {
            for var in 0..3 {
                let mut steps = Vec::new();
                for c in (colour..nx).step_by(3) {
                    let col = 3 * c + var;
                    let h = 1.5e-8 * u[col].abs().max(1.0);
                    self.up[col] = u[col] + h;
                    steps.push((c, h));
                }
                phys.eval_x(&self.up, &surf, i, &mut self.f1, &mut self.rx);
                for &(c, h) in &steps {
                    let col = 3 * c + var;
                    self.up[col] = u[col];
                    for rc in c.saturating_sub(1)..(c + 2).min(nx) {
                        for rv in 0..3 {
                            let row = 3 * rc + rv;
                            let d = (self.f1[row] - self.f0[row]) / h;
                            let v = if rv == 0 {
                                if algebraic_only {
                                    0.0
                                } else {
                                    -g.eps[rc] * d
                                }
                            } else {
                                d
                            };
                            if v != 0.0 {
                                self.band.add(row, col, v);
                            }
                        }
                    }
                }
            }
        }
        for c in 0..nx {
            let v = if algebraic_only { 1.0 } else { alpha * g.eps[c] };
            self.band.add(3 * c, 3 * c, v);
        }
        if !algebraic_only {
            // Rebuild the reactions at the unperturbed point for the analytic couplings.
            phys.eval_x(u, &surf, i, &mut self.f1, &mut self.rx);
            self.sx = [-phys.a / FARADAY, -phys.a, phys.a];
            let coef = phys.ds / g.dr;
            let s_p = phys.rp * phys.rp / (FARADAY * g.vol[nr - 1]);
            for k in 0..np {
                let r = self.rx[k];
                self.jc[k] = r.d_cs;
                self.ju[k] = [r.d_ce, r.d_phie, r.d_phis];
                let base = k * nr;
                // Tridiagonal P = α I − ∂rate/∂c (+ the j(c_surf) coupling in the last row).
                for m in 0..nr {
                    let inner = g.r_face[m].powi(2) * coef / g.vol[m];
                    let outer = if m + 1 < nr { g.r_face[m + 1].powi(2) * coef / g.vol[m] } else { 0.0 };
                    self.p_sub[base + m] = -inner;
                    self.p_diag[base + m] = alpha + inner + outer;
                    self.p_sup[base + m] = -outer;
                }
                self.p_diag[base + nr - 1] += s_p * r.d_cs * 1.5;
                self.p_sub[base + nr - 1] += s_p * r.d_cs * -0.5;
                // Thomas factorisation in place.
                for m in 1..nr {
                    let l = self.p_sub[base + m] / self.p_diag[base + m - 1];
                    self.p_sub[base + m] = l;
                    self.p_diag[base + m] -= l * self.p_sup[base + m - 1];
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
                        self.band.add(3 * c + a, 3 * c + b, -sa * r.d_cs * ws * jb);
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
        for k in 0..np {
            let base = k * nr;
            let v = &mut rp[base..base + nr];
            thomas_solve(
                &self.p_sub[base..base + nr],
                &self.p_diag[base..base + nr],
                &self.p_sup[base..base + nr],
                v,
            );
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

/// Forward and back substitution with Thomas factors (multipliers in `sub`, pivots in `diag`).
fn thomas_solve(sub: &[f64], diag: &[f64], sup: &[f64], b: &mut [f64]) {
    let n = b.len();
    for m in 1..n {
        b[m] -= sub[m] * b[m - 1];
    }
    b[n - 1] /= diag[n - 1];
    for m in (0..n - 1).rev() {
        b[m] = (b[m] - sup[m] * b[m + 1]) / diag[m];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
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
