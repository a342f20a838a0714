//! Baselines subtracted before a fit: a straight line between two points, a least-squares
//! polynomial, and the Whittaker-smoother family (ALS, arPLS).
//!
//! Whittaker smoothing solves (W + λ DᵀD) z = W y with D the second-difference matrix, a symmetric
//! pentadiagonal system factored here by a banded Cholesky (O(n)). λ is not scaled by the x spacing,
//! as in pybaselines, so the same λ gives the same baseline.
//! - ALS (Eilers & Boelens 2005): weights p above the baseline, 1 − p below.
//! - arPLS (Baek et al., Analyst 140 (2015) 250, doi:10.1039/C4AN01061B): with d = y − z and m⁻, σ⁻
//!   the mean and sample standard deviation of the negative d, w = 1/(1 + exp(2(d − (2σ⁻ − m⁻))/σ⁻));
//!   stop when ‖w_new − w‖/‖w‖ < tol, returning the baseline of the last weights (pybaselines'
//!   `Baseline.arpls` loop, defaults λ = 1e5, 50 iterations, tol = 1e-3).
//!
//! No Rust crate on crates.io offers arPLS with pybaselines' conventions (checked: none in the
//! registry lists), so it is written here and checked against pybaselines' numbers.

use serde::{Deserialize, Serialize};

use crate::AnalysisError;

/// A baseline subtracted before the peaks are fitted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum Baseline {
    /// Nothing subtracted.
    None,
    /// Straight line through the mean of `points` values at each end of the window.
    Linear {
        /// Points averaged at each end (at least 1).
        points: usize,
    },
    /// Least-squares polynomial of this degree through all points.
    Polynomial {
        /// Degree (0 = constant).
        degree: usize,
    },
    /// Asymmetric least squares.
    Als {
        /// Smoothness λ.
        lambda: f64,
        /// Asymmetry p (weight above the baseline), e.g. 0.01.
        p: f64,
    },
    /// Asymmetrically reweighted penalised least squares.
    Arpls {
        /// Smoothness λ.
        lambda: f64,
    },
}

impl Baseline {
    /// The baseline under `y` sampled at `x` (x sorted either way).
    pub fn evaluate(&self, x: &[f64], y: &[f64]) -> Result<Vec<f64>, AnalysisError> {
        let n = y.len();
        match *self {
            Baseline::None => Ok(vec![0.0; n]),
            Baseline::Linear { points } => {
                let k = points.clamp(1, n / 2);
                let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
                let (x0, y0) = (mean(&x[..k]), mean(&y[..k]));
                let (x1, y1) = (mean(&x[n - k..]), mean(&y[n - k..]));
                Ok(x.iter().map(|&xi| y0 + (y1 - y0) * (xi - x0) / (x1 - x0)).collect())
            }
            Baseline::Polynomial { degree } => polynomial(x, y, degree),
            Baseline::Als { lambda, p } => als(y, lambda, p, 50),
            Baseline::Arpls { lambda } => arpls(y, lambda, 50, 1e-3),
        }
    }
}

/// Least-squares polynomial of `degree` through (x, y), evaluated at x.
pub fn polynomial(x: &[f64], y: &[f64], degree: usize) -> Result<Vec<f64>, AnalysisError> {
    let n = x.len();
    if n <= degree {
        return Err(AnalysisError::TooFewPoints {
            what: "polynomial baseline",
            needed: degree + 1,
            found: n,
        });
    }
    let (lo, hi) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let t: Vec<f64> =
        x.iter().map(|&v| if hi > lo { 2.0 * (v - lo) / (hi - lo) - 1.0 } else { 0.0 }).collect();
    let k = degree + 1;
    let a = nalgebra::DMatrix::from_fn(n, k, |i, j| t[i].powi(j as i32));
    let b = nalgebra::DVector::from_column_slice(y);
    let coef = a
        .clone()
        .svd(true, true)
        .solve(&b, 1e-12)
        .map_err(|_| AnalysisError::Degenerate { what: "polynomial baseline", column: "x" })?;
    Ok((a * coef).iter().copied().collect())
}

/// Solves (diag(w) + λ DᵀD) z = w ∘ y, D the second-difference operator, by banded Cholesky.
pub fn whittaker(y: &[f64], w: &[f64], lambda: f64) -> Result<Vec<f64>, AnalysisError> {
    let n = y.len();
    if n < 3 {
        return Err(AnalysisError::TooFewPoints { what: "Whittaker baseline", needed: 3, found: n });
    }
    // Bands of DᵀD: main, first and second off-diagonals.
    let mut d0 = vec![6.0; n];
    let mut d1 = vec![-4.0; n - 1];
    let d2 = vec![1.0; n - 2];
    d0[0] = 1.0;
    d0[n - 1] = 1.0;
    if n > 3 {
        d0[1] = 5.0;
        d0[n - 2] = 5.0;
    } else {
        d0[1] = 4.0;
    }
    d1[0] = -2.0;
    d1[n - 2] = -2.0;
    // A = W + λ DᵀD as bands a0, a1, a2; factor A = L Lᵀ with L lower banded (l0 diag, l1, l2).
    let a0: Vec<f64> = (0..n).map(|i| w[i] + lambda * d0[i]).collect();
    let a1: Vec<f64> = d1.iter().map(|v| lambda * v).collect();
    let a2: Vec<f64> = d2.iter().map(|v| lambda * v).collect();
    let (mut l0, mut l1, mut l2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        // l2[i] = L[i][i-2], l1[i] = L[i][i-1], l0[i] = L[i][i]
        if i >= 2 {
            l2[i] = a2[i - 2] / l0[i - 2];
        }
        if i >= 1 {
            let mut v = a1[i - 1];
            if i >= 2 {
                v -= l2[i] * l1[i - 1];
            }
            l1[i] = v / l0[i - 1];
        }
        let d = a0[i] - l1[i] * l1[i] - l2[i] * l2[i];
        if !(d > 0.0 && d.is_finite()) {
            return Err(AnalysisError::Degenerate { what: "Whittaker baseline", column: "weights" });
        }
        l0[i] = d.sqrt();
    }
    // Forward then backward substitution.
    let mut z = vec![0.0; n];
    for i in 0..n {
        let mut v = w[i] * y[i];
        if i >= 1 {
            v -= l1[i] * z[i - 1];
        }
        if i >= 2 {
            v -= l2[i] * z[i - 2];
        }
        z[i] = v / l0[i];
    }
    for i in (0..n).rev() {
        let mut v = z[i];
        if i + 1 < n {
            v -= l1[i + 1] * z[i + 1];
        }
        if i + 2 < n {
            v -= l2[i + 2] * z[i + 2];
        }
        z[i] = v / l0[i];
    }
    Ok(z)
}

/// Asymmetric least squares baseline (Eilers & Boelens), `iterations` reweightings.
pub fn als(y: &[f64], lambda: f64, p: f64, iterations: usize) -> Result<Vec<f64>, AnalysisError> {
    let mut w = vec![1.0; y.len()];
    let mut z = whittaker(y, &w, lambda)?;
    for _ in 0..iterations {
        let new: Vec<f64> = y.iter().zip(&z).map(|(yi, zi)| if yi > zi { p } else { 1.0 - p }).collect();
        if new == w {
            break;
        }
        w = new;
        z = whittaker(y, &w, lambda)?;
    }
    Ok(z)
}

/// arPLS baseline (see the module documentation).
pub fn arpls(y: &[f64], lambda: f64, max_iter: usize, tol: f64) -> Result<Vec<f64>, AnalysisError> {
    let mut w = vec![1.0; y.len()];
    let mut z = whittaker(y, &w, lambda)?;
    for _ in 0..=max_iter {
        z = whittaker(y, &w, lambda)?;
        let neg: Vec<f64> = y.iter().zip(&z).map(|(a, b)| a - b).filter(|d| *d < 0.0).collect();
        if neg.len() < 2 {
            break;
        }
        let mean = neg.iter().sum::<f64>() / neg.len() as f64;
        let std = (neg.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (neg.len() - 1) as f64).sqrt();
        let new: Vec<f64> = y
            .iter()
            .zip(&z)
            .map(|(a, b)| 1.0 / (1.0 + ((2.0 / std) * ((a - b) - (2.0 * std - mean))).exp()))
            .collect();
        let diff = new.iter().zip(&w).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
        let norm = w.iter().map(|a| a * a).sum::<f64>().sqrt().max(f64::EPSILON);
        if diff / norm < tol {
            break;
        }
        w = new;
    }
    Ok(z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn als_and_arpls_follow_a_sloped_background_under_a_peak() {
        // A line plus a narrow Gaussian: away from the peak both baselines stay on the line within
        // 1 % of the peak height (their smoothness bends them slightly under the peak).
        let x: Vec<f64> = (0..400).map(|i| i as f64).collect();
        let line: Vec<f64> = x.iter().map(|v| 10.0 + 0.05 * v).collect();
        let y: Vec<f64> =
            x.iter().zip(&line).map(|(v, l)| l + 100.0 * (-(v - 200.0).powi(2) / 50.0).exp()).collect();
        for base in [als(&y, 1e5, 0.001, 50).unwrap(), arpls(&y, 1e5, 50, 1e-3).unwrap()] {
            for i in (0..150).chain(250..400) {
                assert!((base[i] - line[i]).abs() < 1.0, "{i}: {} vs {}", base[i], line[i]);
            }
        }
    }

    #[test]
    fn whittaker_reproduces_a_straight_line_and_solves_the_system() {
        // DᵀD annihilates straight lines: any λ returns a line unchanged (to rounding, 1e-9).
        let y: Vec<f64> = (0..50).map(|i| 2.0 + 0.3 * i as f64).collect();
        let z = whittaker(&y, &vec![1.0; 50], 1e6).unwrap();
        assert!(y.iter().zip(&z).all(|(a, b)| (a - b).abs() < 1e-7));
        // A small dense check of (W + λDᵀD) z = W y.
        let y = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0];
        let w = [1.0, 0.5, 1.0, 0.2, 1.0, 1.0];
        let lam = 3.0;
        let z = whittaker(&y, &w, lam).unwrap();
        let n = 6;
        let d = nalgebra::DMatrix::from_fn(n - 2, n, |i, j| match j as i64 - i as i64 {
            0 | 2 => 1.0,
            1 => -2.0,
            _ => 0.0,
        });
        let a = nalgebra::DMatrix::from_diagonal(&nalgebra::DVector::from_column_slice(&w))
            + lam * d.transpose() * d;
        let r = a * nalgebra::DVector::from_column_slice(&z);
        for i in 0..n {
            assert!((r[i] - w[i] * y[i]).abs() < 1e-12);
        }
    }
}
