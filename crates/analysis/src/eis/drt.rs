//! Distribution of relaxation times (DRT) by Tikhonov-regularised non-negative least squares.
//!
//! Model: Z(ω) = R∞ + Σₖ γₖ Δ(ln τ) / (1 + jωτₖ) on a log-spaced τ grid (`points_per_decade`,
//! extending one decade beyond 1/(2πf_max) and 1/(2πf_min)). Residuals are weighted by 1/|Z_data|
//! (so λ is dimensionless), real and imaginary parts stacked. The estimate minimises
//! ‖W(Ax − Z)‖² + λ‖Dγ‖² subject to x = (R∞, γ) ≥ 0, with D the first-difference matrix, solved as
//! one augmented non-negative least-squares problem (Lawson-Hanson active set).
//!
//! λ is chosen automatically by generalised cross-validation on a log grid 1e-10 … 1 (5 per decade;
//! GCV(λ) = m‖r_λ‖² / (m − tr H_λ)² with H_λ the influence matrix of the unconstrained problem), so it
//! cannot stop at a starting value (pyDRTtools' SLSQP does, see `docs/eis.md`). Inductive points
//! (Z'' > 0) are not modelled; drop them first.

use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use serde::Serialize;
use spelab_core::ImpedanceSpectrum;

use crate::AnalysisError;

/// Options of [`drt`]. `Default`: 10 points per decade, λ by GCV.
#[derive(Debug, Clone, PartialEq)]
pub struct DrtOptions {
    /// τ grid density.
    pub points_per_decade: usize,
    /// Fixed regularisation parameter; `None` = GCV.
    pub lambda: Option<f64>,
}

impl Default for DrtOptions {
    fn default() -> Self {
        Self { points_per_decade: 10, lambda: None }
    }
}

/// A peak of the DRT.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrtPeak {
    /// Time constant of the maximum [s].
    pub tau: f64,
    /// γ at the maximum [Ω].
    pub height: f64,
    /// Resistance under the peak (between the neighbouring minima) [Ω].
    pub resistance: f64,
}

/// A DRT.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drt {
    /// Time constants [s].
    pub tau: Vec<f64>,
    /// γ(ln τ) at each τ [Ω].
    pub gamma: Vec<f64>,
    /// High-frequency resistance R∞ [Ω].
    pub r_inf: f64,
    /// Regularisation parameter used.
    pub lambda: f64,
    /// Whether λ came from GCV.
    pub lambda_from_gcv: bool,
    /// Peaks above 5 % of the highest, ordered by τ.
    pub peaks: Vec<DrtPeak>,
    /// Relative residual ‖W(Ax − Z)‖ / √m of the fit.
    pub rms_relative_residual: f64,
    /// What looks wrong with the data (a flipped Z'', [`super::input::sign_warnings`]).
    pub warnings: Vec<String>,
}

/// Non-negative least squares min ‖Ax − b‖, x ≥ 0 (Lawson & Hanson, 1974, ch. 23).
pub fn nnls(a: &DMatrix<f64>, b: &DVector<f64>) -> DVector<f64> {
    let n = a.ncols();
    let mut x = DVector::zeros(n);
    let mut passive = vec![false; n];
    let tol = 1e-12 * a.norm() * b.norm().max(1e-300);
    let solve_passive = |passive: &[bool]| -> DVector<f64> {
        let cols: Vec<usize> = (0..n).filter(|&j| passive[j]).collect();
        let ap = DMatrix::from_fn(a.nrows(), cols.len(), |i, k| a[(i, cols[k])]);
        // Householder QR when the passive columns are well conditioned (the regularised DRT system
        // always is: λ > 0 makes them independent), the minimum-norm SVD solution otherwise.
        let p = cols.len();
        let qr = ap.clone().qr();
        let r = qr.r();
        let diag = r.diagonal().map(f64::abs);
        let well_conditioned = p > 0 && p <= a.nrows() && diag.min() > 1e-10 * diag.max();
        let least_squares = || {
            let mut qtb = b.clone();
            qr.q_tr_mul(&mut qtb);
            r.solve_upper_triangular(&qtb.rows(0, p).into_owned())
        };
        let sp = match well_conditioned.then(least_squares).flatten() {
            Some(sp) => sp,
            None => {
                let svd = ap.svd(true, true);
                let cutoff = 1e-14 * svd.singular_values.max();
                svd.solve(b, cutoff).unwrap_or_else(|_| DVector::zeros(cols.len()))
            }
        };
        let mut s = DVector::zeros(n);
        for (k, &j) in cols.iter().enumerate() {
            s[j] = sp[k];
        }
        s
    };
    // Gradient Aᵀ(b − Ax) = Aᵀb − (AᵀA)x from the Gram matrix, formed once.
    let (gram, atb) = (a.transpose() * a, a.transpose() * b);
    for _ in 0..3 * n {
        let w = &atb - &gram * &x;
        let candidate = (0..n).filter(|&j| !passive[j] && w[j] > tol).max_by(|&i, &j| w[i].total_cmp(&w[j]));
        let Some(j) = candidate else { break };
        passive[j] = true;
        loop {
            let s = solve_passive(&passive);
            if (0..n).filter(|&i| passive[i]).all(|i| s[i] > 0.0) {
                x = s;
                break;
            }
            let mut alpha = f64::INFINITY;
            for i in (0..n).filter(|&i| passive[i] && s[i] <= 0.0) {
                alpha = alpha.min(x[i] / (x[i] - s[i]));
            }
            x += (s - &x) * alpha;
            for i in 0..n {
                if passive[i] && x[i] <= 1e-15 * x.amax().max(1e-300) {
                    passive[i] = false;
                    x[i] = 0.0;
                }
            }
            if !passive.iter().any(|p| *p) {
                break;
            }
        }
    }
    x
}

/// Computes the DRT of `spectrum`.
pub fn drt(spectrum: &ImpedanceSpectrum, options: &DrtOptions) -> Result<Drt, AnalysisError> {
    let n = spectrum.len();
    super::input::check_spectrum("DRT", spectrum, 5)?;
    if options.points_per_decade == 0 {
        return Err(AnalysisError::InvalidInput {
            what: "DRT",
            reason: "points_per_decade must be > 0".into(),
        });
    }
    let z = spectrum.impedance();
    let omega = spectrum.angular_frequency();
    let two_pi = 2.0 * std::f64::consts::PI;
    let f_min = spectrum.frequency().iter().copied().fold(f64::INFINITY, f64::min);
    let f_max = spectrum.frequency().iter().copied().fold(0.0, f64::max);
    let (lo, hi) = ((1.0 / (two_pi * f_max)).log10() - 1.0, (1.0 / (two_pi * f_min)).log10() + 1.0);
    let k = (((hi - lo) * options.points_per_decade as f64).ceil() as usize).max(2) + 1;
    let tau: Vec<f64> = (0..k).map(|i| 10f64.powf(lo + (hi - lo) * i as f64 / (k - 1) as f64)).collect();
    let dln = (hi - lo) * std::f64::consts::LN_10 / (k - 1) as f64;
    let m = 2 * n;
    // A: rows 0..n real parts, n..2n imaginary parts, weighted by 1/|Z|; column 0 is R∞.
    let mut a = DMatrix::zeros(m, k + 1);
    let mut b = DVector::zeros(m);
    for i in 0..n {
        let w = 1.0 / z[i].norm();
        a[(i, 0)] = w;
        for (j, t) in tau.iter().enumerate() {
            let kernel = dln / Complex64::new(1.0, omega[i] * t);
            a[(i, j + 1)] = w * kernel.re;
            a[(n + i, j + 1)] = w * kernel.im;
        }
        b[i] = w * z[i].re;
        b[n + i] = w * z[i].im;
    }
    // First differences of γ (R∞ unpenalised).
    let mut d = DMatrix::zeros(k - 1, k + 1);
    for j in 0..k - 1 {
        d[(j, j + 1)] = -1.0;
        d[(j, j + 2)] = 1.0;
    }
    let (lambda, from_gcv) = match options.lambda {
        Some(l) if l >= 0.0 && l.is_finite() => (l, false),
        Some(l) => {
            return Err(AnalysisError::InvalidInput {
                what: "DRT",
                reason: format!("lambda = {l} must be >= 0"),
            })
        }
        None => (Gcv::new(&a, &b).best_lambda(), true),
    };
    let aug = {
        let mut aug = DMatrix::zeros(m + k - 1, k + 1);
        aug.view_mut((0, 0), (m, k + 1)).copy_from(&a);
        aug.view_mut((m, 0), (k - 1, k + 1)).copy_from(&(&d * lambda.sqrt()));
        aug
    };
    let mut b_aug = DVector::zeros(m + k - 1);
    b_aug.rows_mut(0, m).copy_from(&b);
    let x = nnls(&aug, &b_aug);
    let r = &b - &a * &x;
    let gamma: Vec<f64> = x.iter().skip(1).copied().collect();
    let peaks = find_peaks(&tau, &gamma, dln);
    Ok(Drt {
        tau,
        gamma,
        r_inf: x[0],
        lambda,
        lambda_from_gcv: from_gcv,
        peaks,
        rms_relative_residual: (r.norm_squared() / m as f64).sqrt(),
        warnings: super::input::sign_warnings(spectrum),
    })
}

/// GCV of the unconstrained problem min ‖Ax − b‖² + λ‖Dx‖² for many λ from one eigendecomposition.
///
/// D (first differences of γ) has the null space N = span{R∞, constant γ}. Writing x = N a + P z with
/// P the cumulative sum (so D P = I and ‖Dx‖ = ‖z‖) and eliminating a by projecting out range(AN)
/// (Π = I − Q Qᵀ, Q an orthonormal basis of AN) leaves the standard-form problem
/// min ‖Ā z − b̄‖² + λ‖z‖² with Ā = Π A P, b̄ = Π b, whose residual is the full problem's. With
/// ĀᵀĀ = V diag(σ) Vᵀ: z_λ = V (Vᵀ Āᵀ b̄ / (σ + λ)) and tr H_λ = 2 + Σ σᵢ/(σᵢ + λ) (the two
/// unpenalised directions count fully). Each λ then costs O(mk) instead of a (k+1)³ inverse.
struct Gcv {
    a_bar: DMatrix<f64>,
    b_bar: DVector<f64>,
    v: DMatrix<f64>,
    sigma: DVector<f64>,
    g: DVector<f64>,
    m: usize,
}

impl Gcv {
    fn new(a: &DMatrix<f64>, b: &DVector<f64>) -> Gcv {
        let (m, cols) = a.shape();
        let k = cols - 1; // γ columns 1..=k
                          // A P: column j (z_j, j = 0..k−1, the step γ_{j+1} − γ_j) is Σ_{l > j} A[:, 1 + l].
        let mut ap = DMatrix::zeros(m, k - 1);
        let mut suffix = DVector::zeros(m);
        for l in (1..k).rev() {
            suffix += a.column(1 + l);
            ap.set_column(l - 1, &suffix);
        }
        // Orthonormal basis of A N = [A e_R∞, A 1_γ] by Gram-Schmidt (twice, for orthogonality).
        let mut q = DMatrix::zeros(m, 2);
        let all_gamma = &suffix + a.column(1);
        for (c, col) in [a.column(0).into_owned(), all_gamma].into_iter().enumerate() {
            let mut v = col;
            for _ in 0..2 {
                for p in 0..c {
                    let proj = q.column(p).dot(&v);
                    v.axpy(-proj, &q.column(p), 1.0);
                }
            }
            let norm = v.norm();
            if norm > 0.0 {
                q.set_column(c, &(v / norm));
            }
        }
        let project = |x: &mut DMatrix<f64>| {
            let coef = q.transpose() * &*x;
            *x -= &q * coef;
        };
        let mut a_bar = ap;
        project(&mut a_bar);
        let mut b_bar = DMatrix::from_column_slice(m, 1, b.as_slice());
        project(&mut b_bar);
        let b_bar = DVector::from_column_slice(b_bar.as_slice());
        let eigen = (a_bar.transpose() * &a_bar).symmetric_eigen();
        let sigma = eigen.eigenvalues.map(|s| s.max(0.0));
        let g = eigen.eigenvectors.transpose() * (a_bar.transpose() * &b_bar);
        Gcv { a_bar, b_bar, v: eigen.eigenvectors, sigma, g, m }
    }

    /// GCV(λ) = m‖r_λ‖² / (m − tr H_λ)².
    fn score(&self, lambda: f64) -> f64 {
        let y = self.g.zip_map(&self.sigma, |g, s| g / (s + lambda));
        let z = &self.v * y;
        let r = &self.b_bar - &self.a_bar * z;
        let trace = 2.0 + self.sigma.iter().map(|s| s / (s + lambda)).sum::<f64>();
        let m = self.m as f64;
        m * r.norm_squared() / (m - trace).powi(2)
    }

    /// The λ of the lowest GCV on a log grid 1e-10 … 1, 5 points per decade.
    fn best_lambda(&self) -> f64 {
        let mut best = (f64::INFINITY, 1e-3);
        for e in 0..=50 {
            let l = 10f64.powf(-10.0 + e as f64 * 0.2);
            let gcv = self.score(l);
            if gcv.is_finite() && gcv < best.0 {
                best = (gcv, l);
            }
        }
        best.1
    }
}

/// Local maxima above 5 % of the highest, with the area between the neighbouring minima.
fn find_peaks(tau: &[f64], gamma: &[f64], dln: f64) -> Vec<DrtPeak> {
    let top = gamma.iter().copied().fold(0.0, f64::max);
    let k = gamma.len();
    let mut peaks = Vec::new();
    for i in 0..k {
        let left = if i == 0 { 0.0 } else { gamma[i - 1] };
        let right = if i + 1 == k { 0.0 } else { gamma[i + 1] };
        if gamma[i] > left && gamma[i] >= right && gamma[i] > 0.05 * top {
            let mut l = i;
            while l > 0 && gamma[l - 1] <= gamma[l] {
                l -= 1;
            }
            let mut r = i;
            while r + 1 < k && gamma[r + 1] <= gamma[r] {
                r += 1;
            }
            // Parabolic refinement of the maximum in ln τ.
            let mut t = tau[i];
            if i > 0 && i + 1 < k {
                let denom = left - 2.0 * gamma[i] + right;
                if denom < 0.0 {
                    let shift = 0.5 * (left - right) / denom;
                    t = tau[i] * (shift * dln).exp();
                }
            }
            peaks.push(DrtPeak {
                tau: t,
                height: gamma[i],
                resistance: gamma[l..=r].iter().sum::<f64>() * dln,
            });
        }
    }
    peaks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcv_from_the_eigendecomposition_equals_the_direct_formula() {
        // A small smooth kernel problem: GCV(λ) = m‖b − A x_λ‖² / (m − tr H)² with
        // x_λ = (AᵀA + λDᵀD)⁻¹ Aᵀb and tr H = tr((AᵀA + λDᵀD)⁻¹ AᵀA), computed directly.
        let (m, k) = (40, 12);
        let a = DMatrix::from_fn(m, k + 1, |i, j| {
            if j == 0 {
                1.0
            } else {
                let t = (i as f64 / 8.0 - j as f64 / 3.0).exp();
                1.0 / (1.0 + t) + 0.01 * ((i * j) as f64).sin()
            }
        });
        let b = DVector::from_fn(m, |i, _| (i as f64 * 0.3).cos() + 2.0);
        let mut d = DMatrix::zeros(k - 1, k + 1);
        for j in 0..k - 1 {
            d[(j, j + 1)] = -1.0;
            d[(j, j + 2)] = 1.0;
        }
        let (ata, dtd) = (a.transpose() * &a, d.transpose() * &d);
        let gcv = Gcv::new(&a, &b);
        for lambda in [1e-4, 1e-2, 1.0, 100.0] {
            let inv = (&ata + &dtd * lambda).try_inverse().unwrap();
            let x = &inv * (a.transpose() * &b);
            let r = &b - &a * x;
            let direct = m as f64 * r.norm_squared() / (m as f64 - (&inv * &ata).trace()).powi(2);
            // Both are double-precision evaluations of the same expression: 1e-8 relative.
            let ours = gcv.score(lambda);
            assert!((ours / direct - 1.0).abs() < 1e-8, "lambda {lambda}: {ours} vs {direct}");
        }
    }
}
