//! Shared fitting helpers: ordinary least-squares lines, the Akaike information criterion, median and
//! mean ± SD, and the bridge from the analyses' nonlinear models to the workspace's one
//! Levenberg–Marquardt driver ([`spelab_core::fit`]), which reports a fit that stops short of
//! convergence as [`AnalysisError::NoConvergence`].

use serde::Serialize;
use spelab_core::fit::{levenberg_marquardt, Bounds, FitOptions, FitReport, Residuals};

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

/// Fits `problem` from `start` within `bounds` (no parameter fixed) with the workspace's one
/// Levenberg–Marquardt driver, [`spelab_core::fit::levenberg_marquardt`], at its default tolerances.
/// A fit that stops short of convergence is an error here ([`AnalysisError::NoConvergence`], naming
/// the termination), because the analyses that use this report no result rather than a poor one.
pub(crate) fn fit_converged<P: Residuals>(
    what: &'static str,
    problem: &P,
    start: &[f64],
    bounds: &[Bounds],
) -> Result<FitReport, AnalysisError> {
    let fixed = vec![false; start.len()];
    let report = levenberg_marquardt(problem, start, bounds, &fixed, &FitOptions::default())?;
    if report.termination.converged() {
        Ok(report)
    } else {
        Err(AnalysisError::NoConvergence {
            what,
            termination: report.termination,
            evaluations: report.evaluations,
        })
    }
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
    use spelab_core::fit::Termination;

    #[test]
    fn line_recovers_exact_parameters() {
        let x = [0.0, 1.0, 2.0, 3.0];
        let y: Vec<f64> = x.iter().map(|x| 1.5 - 0.25 * x).collect();
        let l = fit_line("t", &x, &y).unwrap();
        assert!((l.slope + 0.25).abs() < 1e-14 && (l.intercept - 1.5).abs() < 1e-14);
        assert!((l.r_squared - 1.0).abs() < 1e-14);
    }

    /// A model that is NaN everywhere: the driver stops with `NonFinite`, which the analyses see as
    /// `NoConvergence` naming that termination (the retired solver's error on non-convergence).
    struct Nowhere;

    impl Residuals for Nowhere {
        fn n_params(&self) -> usize {
            1
        }
        fn n_residuals(&self) -> usize {
            3
        }
        fn residuals(&self, _: &[f64], out: &mut [f64]) {
            out.fill(f64::NAN);
        }
    }

    #[test]
    fn a_fit_that_stops_short_is_no_convergence() {
        let err = fit_converged("t", &Nowhere, &[1.0], &[Bounds::FREE]).unwrap_err();
        assert!(
            matches!(err, AnalysisError::NoConvergence { termination: Termination::NonFinite, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn median_and_aic() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        // Same SSE, one more parameter: AIC larger by exactly 2.
        assert!((aic(10, 0.5, 3) - aic(10, 0.5, 2) - 2.0).abs() < 1e-12);
    }
}
