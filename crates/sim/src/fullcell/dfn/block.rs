//! Block-tridiagonal LU with 3×3 blocks (the DFN's x system after the particles are eliminated):
//! block Gaussian elimination without block pivoting, each pivot block inverted explicitly.
//!
//! ```text
//! factor:  D'₀ = D₀,  M_k = L_k D'⁻¹_{k−1},  D'_k = D_k − M_k U_{k−1}
//! solve:   y_k = b_k − M_k y_{k−1};   x_k = D'⁻¹_k (y_k − U_k x_{k+1})
//! ```
//!
//! 27 multiply-adds per block row and solve (a banded LU with partial pivoting needs ~45 with
//! branches and divisions). Stable without pivoting when the pivot blocks stay well conditioned, as in
//! the DFN (diagonally dominant c_e rows, Laplacians of the potentials coupled through the reaction);
//! a singular or non-finite pivot block is reported and the step retried smaller.

/// A 3×3 block, row-major.
type Block = [f64; 9];

/// A block-tridiagonal matrix of 3×3 blocks and its LU factors.
#[derive(Debug, Clone)]
pub(crate) struct BlockTridiagonal {
    /// Sub-diagonal blocks L_k (coupling of block row k to k − 1; L₀ unused); after factoring, M_k.
    lower: Vec<Block>,
    /// Diagonal blocks D_k; after factoring, D'⁻¹_k.
    diag: Vec<Block>,
    /// Super-diagonal blocks U_k (coupling of k to k + 1; the last unused).
    upper: Vec<Block>,
}

fn mul(a: &Block, b: &Block) -> Block {
    std::array::from_fn(|k| {
        let (i, j) = (k / 3, k % 3);
        a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j]
    })
}

fn mul_vec(a: &Block, x: &[f64]) -> [f64; 3] {
    std::array::from_fn(|i| a[3 * i] * x[0] + a[3 * i + 1] * x[1] + a[3 * i + 2] * x[2])
}

/// Inverse by the adjugate; `None` when singular or not finite.
fn inverse(a: &Block) -> Option<Block> {
    let c00 = a[4] * a[8] - a[5] * a[7];
    let c01 = a[5] * a[6] - a[3] * a[8];
    let c02 = a[3] * a[7] - a[4] * a[6];
    let det = a[0] * c00 + a[1] * c01 + a[2] * c02;
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    let r = 1.0 / det;
    let inv = [
        c00 * r,
        (a[2] * a[7] - a[1] * a[8]) * r,
        (a[1] * a[5] - a[2] * a[4]) * r,
        c01 * r,
        (a[0] * a[8] - a[2] * a[6]) * r,
        (a[2] * a[3] - a[0] * a[5]) * r,
        c02 * r,
        (a[1] * a[6] - a[0] * a[7]) * r,
        (a[0] * a[4] - a[1] * a[3]) * r,
    ];
    inv.iter().all(|v| v.is_finite()).then_some(inv)
}

impl BlockTridiagonal {
    /// A zero matrix of `blocks` block rows (3 `blocks` unknowns).
    pub fn new(blocks: usize) -> Self {
        let z = vec![[0.0; 9]; blocks];
        BlockTridiagonal { lower: z.clone(), diag: z.clone(), upper: z }
    }

    /// Sets every entry to 0.
    pub fn clear(&mut self) {
        for b in [&mut self.lower, &mut self.diag, &mut self.upper] {
            b.fill([0.0; 9]);
        }
    }

    /// Adds `v` to entry (`row`, `col`); the entry must lie in the block tridiagonal pattern.
    pub fn add(&mut self, row: usize, col: usize, v: f64) {
        let (k, kc) = (row / 3, col / 3);
        let e = 3 * (row % 3) + col % 3;
        if kc == k {
            self.diag[k][e] += v;
        } else if kc + 1 == k {
            self.lower[k][e] += v;
        } else {
            debug_assert_eq!(kc, k + 1, "entry ({row}, {col}) outside the block tridiagonal pattern");
            self.upper[k][e] += v;
        }
    }

    /// Copies the entries of `other` (same size).
    pub fn copy_from(&mut self, other: &BlockTridiagonal) {
        self.lower.copy_from_slice(&other.lower);
        self.diag.copy_from_slice(&other.diag);
        self.upper.copy_from_slice(&other.upper);
    }

    /// Multiplies row `row` by `s`.
    pub fn scale_row(&mut self, row: usize, s: f64) {
        let (k, r) = (row / 3, 3 * (row % 3));
        for b in [&mut self.lower[k], &mut self.diag[k], &mut self.upper[k]] {
            for v in &mut b[r..r + 3] {
                *v *= s;
            }
        }
    }

    /// Entry (`row`, `col`) (0 outside the pattern).
    #[cfg(test)]
    pub fn get(&self, row: usize, col: usize) -> f64 {
        let (k, kc) = (row / 3, col / 3);
        let e = 3 * (row % 3) + col % 3;
        if kc == k {
            self.diag[k][e]
        } else if kc + 1 == k {
            self.lower[k][e]
        } else if kc == k + 1 {
            self.upper[k][e]
        } else {
            0.0
        }
    }

    /// Factors in place; `false` if a pivot block is singular or not finite.
    pub fn factor(&mut self) -> bool {
        let n = self.diag.len();
        let Some(inv) = inverse(&self.diag[0]) else { return false };
        self.diag[0] = inv;
        for k in 1..n {
            let m = mul(&self.lower[k], &self.diag[k - 1]);
            let mu = mul(&m, &self.upper[k - 1]);
            let d: Block = std::array::from_fn(|e| self.diag[k][e] - mu[e]);
            let Some(inv) = inverse(&d) else { return false };
            self.lower[k] = m;
            self.diag[k] = inv;
        }
        true
    }

    /// Solves A x = b in place with the factors.
    pub fn solve(&self, b: &mut [f64]) {
        let n = self.diag.len();
        for k in 1..n {
            let (prev, cur) = b[3 * k - 3..3 * k + 3].split_at_mut(3);
            let t = mul_vec(&self.lower[k], prev);
            for (c, t) in cur.iter_mut().zip(t) {
                *c -= t;
            }
        }
        let last = mul_vec(&self.diag[n - 1], &b[3 * n - 3..]);
        b[3 * n - 3..].copy_from_slice(&last);
        for k in (0..n - 1).rev() {
            let (cur, next) = b[3 * k..3 * k + 6].split_at_mut(3);
            let t = mul_vec(&self.upper[k], next);
            let y = [cur[0] - t[0], cur[1] - t[1], cur[2] - t[2]];
            cur.copy_from_slice(&mul_vec(&self.diag[k], &y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dense Gaussian elimination with partial pivoting (the oracle).
    #[allow(clippy::needless_range_loop)]
    fn dense_solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
        let n = b.len();
        for k in 0..n {
            let p = (k..n).max_by(|&i, &j| a[i][k].abs().total_cmp(&a[j][k].abs())).unwrap();
            a.swap(k, p);
            b.swap(k, p);
            for i in k + 1..n {
                let l = a[i][k] / a[k][k];
                for j in k..n {
                    a[i][j] -= l * a[k][j];
                }
                b[i] -= l * b[k];
            }
        }
        let mut x = vec![0.0; n];
        for k in (0..n).rev() {
            x[k] = (b[k] - (k + 1..n).map(|j| a[k][j] * x[j]).sum::<f64>()) / a[k][k];
        }
        x
    }

    /// A non-symmetric block-tridiagonal matrix whose diagonal blocks need pivoting inside the block
    /// (zero leading entries) and an identity-row block, against dense elimination: 1e-12 relative.
    #[test]
    #[allow(clippy::needless_range_loop)]
    fn block_lu_matches_a_dense_solve() {
        let blocks = 7;
        let n = 3 * blocks;
        let mut m = BlockTridiagonal::new(blocks);
        let mut dense = vec![vec![0.0; n]; n];
        for i in 0..n {
            for j in (i / 3).saturating_sub(1) * 3..((i / 3 + 2) * 3).min(n) {
                let mut v = ((5 * i + 3 * j) % 7) as f64 * 0.3 - 0.9;
                if i / 3 == j / 3 {
                    v = if i == j { 0.0 } else { 4.0 + v };
                }
                if i == 2 {
                    v = if j == 2 { 1.0 } else { 0.0 };
                }
                m.add(i, j, v);
                dense[i][j] = v;
            }
        }
        let x: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin() + 1.0).collect();
        let b: Vec<f64> = (0..n).map(|i| (0..n).map(|j| dense[i][j] * x[j]).sum()).collect();
        let oracle = dense_solve(dense, b.clone());
        let mut got = b;
        assert!(m.factor());
        m.solve(&mut got);
        for ((g, o), xi) in got.iter().zip(&oracle).zip(&x) {
            assert!((g - xi).abs() < 1e-12 && (o - xi).abs() < 1e-12, "{g} vs {o} vs {xi}");
        }
        let mut singular = BlockTridiagonal::new(2);
        singular.add(0, 0, 1.0);
        assert!(!singular.factor());
    }
}
