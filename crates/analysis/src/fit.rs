//! Shared fitting machinery: ordinary least-squares lines, a small Levenberg–Marquardt solver with
//! covariance scaled by the reduced χ², and the Akaike information criterion.
//!
//! Kept deliberately small (a handful of parameters, dense normal equations) because every model in
//! this crate has at most three parameters.

use serde::Serialize;

use crate::AnalysisError;

/// An OLS straight line y = intercept + slope · x with its standard errors.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Line {
    /// Slope [y/x].
    pub slope: f64,
    /// Intercept [y].
    pub intercept: f64,
    /// Standard error of the slope (NaN for 2 points).
    pub slope_se: f64,
    /// Standard error of the intercept (NaN for 2 points).
    pub intercept_se: f64,
    /// Covariance of slope and intercept (NaN for 2 points).
    pub cov: f64,
    /// Coefficient of determination [1].
    pub r_squared: f64,
    /// Sum of squared residuals [y²].
    pub sse: f64,
    /// Number of points [1].
    pub n: usize,
}

impl Line {
    /// The line's value at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }

    /// Standard error of the line's value at `x` (from the parameter covariance).
    pub fn at_se(&self, x: f64) -> f64 {
        (self.intercept_se.powi(2) + x * x * self.slope_se.powi(2) + 2.0 * x * self.cov).max(0.0).sqrt()
    }
}

/// Fits y = a + b x by OLS. Needs ≥ 2 points with finite values and a spread in x.
pub fn fit_line(what: &'static str, x: &[f64], y: &[f64]) -> Result<Line, AnalysisError> {
    crate::error::check_len(what, ("x", x.len()), ("y", y.len()), 2)?;
    crate::error::check_finite(what, "x", x)?;
    crate::error::check_finite(what, "y", y)?;
    let n = x.len();
    let nf = n as f64;
    let mx = x.iter().sum::<f64>() / nf;
    let my = y.iter().sum::<f64>() / nf;
    let sxx: f64 = x.iter().map(|xi| (xi - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(xi, yi)| (xi - mx) * (yi - my)).sum();
    let syy: f64 = y.iter().map(|yi| (yi - my).powi(2)).sum();
    if sxx <= f64::EPSILON * mx * mx * nf || sxx == 0.0 {
        return Err(AnalysisError::Degenerate { what, column: "x" });
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = x.iter().zip(y).map(|(xi, yi)| (yi - intercept - slope * xi).powi(2)).sum();
    let s2 = if n > 2 { sse / (nf - 2.0) } else { f64::NAN };
    Ok(Line {
        slope,
        intercept,
        slope_se: (s2 / sxx).sqrt(),
        intercept_se: (s2 * (1.0 / nf + mx * mx / sxx)).sqrt(),
        cov: -mx * s2 / sxx,
        r_squared: if syy > 0.0 { 1.0 - sse / syy } else { 1.0 },
        sse,
        n,
    })
}

/// Akaike information criterion of a least-squares fit with Gaussian residuals:
/// AIC = n ln(SSE/n) + 2k. SSE is floored at n·(1e-12)² so exact synthetic data give a finite value.
pub fn aic(n: usize, sse: f64, k: usize) -> f64 {
    let nf = n as f64;
    nf * (sse.max(nf * 1e-24) / nf).ln() + 2.0 * k as f64
}

/// Small-sample corrected AIC: AIC + 2k(k+1)/(n−k−1); infinite when n ≤ k + 1.
pub fn aicc(n: usize, sse: f64, k: usize) -> f64 {
    let (nf, kf) = (n as f64, k as f64);
    if nf - kf - 1.0 <= 0.0 {
        f64::INFINITY
    } else {
        aic(n, sse, k) + 2.0 * kf * (kf + 1.0) / (nf - kf - 1.0)
    }
}

/// Result of a nonlinear least-squares fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NonlinearFit {
    /// Best-fit parameters.
    pub params: Vec<f64>,
    /// Standard errors: sqrt of the diagonal of (JᵀJ)⁻¹ · SSE/(n − k) (NaN when n = k).
    pub std_errors: Vec<f64>,
    /// Sum of squared residuals.
    pub sse: f64,
    /// Number of residuals.
    pub n: usize,
    /// Iterations made.
    pub iterations: usize,
}

/// Solves the dense k×k system `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let k = b.len();
    for c in 0..k {
        let p = (c..k).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[p][c].abs() < 1e-300 || !a[p][c].is_finite() {
            return None;
        }
        a.swap(c, p);
        b.swap(c, p);
        let pivot_row = a[c].clone();
        for r in c + 1..k {
            let f = a[r][c] / pivot_row[c];
            for (x, p) in a[r][c..k].iter_mut().zip(&pivot_row[c..k]) {
                *x -= f * p;
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; k];
    for r in (0..k).rev() {
        let s: f64 = (r + 1..k).map(|j| a[r][j] * x[j]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

/// Inverse of a dense k×k matrix (None when singular).
fn invert(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = a.len();
    let mut columns = Vec::with_capacity(k);
    for c in 0..k {
        let mut e = vec![0.0; k];
        e[c] = 1.0;
        columns.push(solve(a.to_vec(), e)?);
    }
    Some((0..k).map(|r| (0..k).map(|c| columns[c][r]).collect()).collect())
}

/// Levenberg–Marquardt minimisation of Σ rᵢ(p)² for a residual function with a forward-difference
/// Jacobian. `residuals(p)` returns `None` when `p` is outside the model's domain (the step is then
/// rejected). Converges when the relative parameter step and the relative SSE change are < 1e-14.
pub fn levenberg_marquardt(
    what: &'static str,
    start: &[f64],
    residuals: impl Fn(&[f64]) -> Option<Vec<f64>>,
) -> Result<NonlinearFit, AnalysisError> {
    const MAX_ITER: usize = 500;
    let k = start.len();
    let mut p = start.to_vec();
    let mut r = residuals(&p).ok_or(AnalysisError::Unusable {
        what,
        reason: "the starting parameters are outside the model's domain".into(),
    })?;
    let n = r.len();
    if n < k {
        return Err(AnalysisError::TooFewPoints { what, needed: k, found: n });
    }
    let sse_of = |r: &[f64]| r.iter().map(|v| v * v).sum::<f64>();
    let mut sse = sse_of(&r);
    let mut lambda = 1e-3;
    let jacobian = |p: &[f64], r: &[f64]| -> Option<Vec<Vec<f64>>> {
        let mut jac = vec![vec![0.0; k]; n];
        for j in 0..k {
            let h = 1e-7 * p[j].abs().max(1e-8);
            let mut q = p.to_vec();
            q[j] += h;
            let rq = residuals(&q)?;
            for i in 0..n {
                jac[i][j] = (rq[i] - r[i]) / h;
            }
        }
        Some(jac)
    };
    let normal = |jac: &[Vec<f64>]| -> Vec<Vec<f64>> {
        (0..k).map(|a| (0..k).map(|b| (0..n).map(|i| jac[i][a] * jac[i][b]).sum()).collect()).collect()
    };
    let mut iterations = 0;
    let mut converged = false;
    while iterations < MAX_ITER {
        iterations += 1;
        let Some(jac) = jacobian(&p, &r) else { break };
        let jtj = normal(&jac);
        let g: Vec<f64> = (0..k).map(|a| -(0..n).map(|i| jac[i][a] * r[i]).sum::<f64>()).collect();
        let mut improved = false;
        for _ in 0..60 {
            let mut a = jtj.clone();
            for (d, row) in a.iter_mut().enumerate() {
                row[d] += lambda * jtj[d][d].max(1e-300);
            }
            let Some(step) = solve(a, g.clone()) else {
                lambda *= 10.0;
                continue;
            };
            let q: Vec<f64> = p.iter().zip(&step).map(|(a, b)| a + b).collect();
            if let Some(rq) = residuals(&q) {
                let s = sse_of(&rq);
                if s.is_finite() && s <= sse {
                    let rel_step =
                        step.iter().zip(&q).map(|(d, v)| d.abs() / v.abs().max(1e-300)).fold(0.0, f64::max);
                    let rel_sse = (sse - s) / sse.max(1e-300);
                    p = q;
                    r = rq;
                    sse = s;
                    lambda = (lambda / 10.0).max(1e-15);
                    improved = true;
                    if rel_step < 1e-14 || rel_sse < 1e-14 || sse == 0.0 {
                        converged = true;
                    }
                    break;
                }
            }
            lambda *= 10.0;
        }
        if converged || !improved {
            converged = converged || !improved;
            break;
        }
    }
    if !converged {
        return Err(AnalysisError::NoConvergence { what, iterations });
    }
    let jac = jacobian(&p, &r).ok_or(AnalysisError::NoConvergence { what, iterations })?;
    let s2 = if n > k { sse / (n - k) as f64 } else { f64::NAN };
    let std_errors = match invert(&normal(&jac)) {
        Some(inv) => (0..k).map(|d| (inv[d][d] * s2).max(0.0).sqrt()).collect(),
        None => vec![f64::NAN; k],
    };
    Ok(NonlinearFit { params: p, std_errors, sse, n, iterations })
}

/// Median of a slice (NaN for an empty slice).
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// Mean and sample standard deviation (SD is NaN for fewer than 2 values).
pub fn mean_sd(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = if values.len() > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        f64::NAN
    };
    (mean, sd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_recovers_exact_parameters() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let y: Vec<f64> = x.iter().map(|x| 1.5 - 0.25 * x).collect();
        let l = fit_line("t", &x, &y).unwrap();
        assert!((l.slope + 0.25).abs() < 1e-14 && (l.intercept - 1.5).abs() < 1e-14);
        assert!((l.r_squared - 1.0).abs() < 1e-14);
    }

    #[test]
    fn lm_fits_an_exponential_to_1e_10() {
        let t: Vec<f64> = (0..30).map(|i| i as f64 * 0.2).collect();
        let y: Vec<f64> = t.iter().map(|t| 3.0 * (-0.7 * t).exp() + 0.5).collect();
        let fit = levenberg_marquardt("t", &[1.0, -0.1, 0.0], |p| {
            Some(t.iter().zip(&y).map(|(t, y)| p[0] * (p[1] * t).exp() + p[2] - y).collect())
        })
        .unwrap();
        assert!((fit.params[0] - 3.0).abs() < 1e-10, "{:?}", fit.params);
        assert!((fit.params[1] + 0.7).abs() < 1e-10);
        assert!((fit.params[2] - 0.5).abs() < 1e-10);
    }

    #[test]
    fn median_and_aic() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        // Same SSE, one more parameter: AIC larger by exactly 2.
        assert!((aic(10, 0.5, 3) - aic(10, 0.5, 2) - 2.0).abs() < 1e-12);
    }
}
