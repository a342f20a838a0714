//! Nonlinear least squares: one Levenberg-Marquardt driver for every fit in spelab.
//!
//! A problem implements [`Residuals`] (residual vector r(p), optionally its analytic Jacobian);
//! [`levenberg_marquardt`] minimises χ² = Σ rᵢ² over the free parameters and returns a [`FitReport`]
//! with the covariance, standard errors, correlation and why it stopped.
//!
//! - **Solver**: MINPACK's trust-region Levenberg-Marquardt (`lmder`, Moré 1978) with its scaled
//!   diagonal, on buffers allocated once per fit (`lm.rs`); the `levenberg-marquardt` crate runs the
//!   same algorithm and is the reference the tests compare it with.
//! - **Bounds by transformation** ([`Bounds`]): the optimiser works on an unconstrained x with
//!   p = lo + eˣ (lower bound only: log space, so parameters spanning decades are well scaled),
//!   p = hi − eˣ (upper only), p = lo + (hi − lo)(1 + sin x)/2 (both), p = x (none).
//! - **Fixed parameters** keep their initial value and are left out of the optimisation.
//! - **Uncertainty**: cov = s² (JᵀJ)⁻¹ with J = ∂r/∂p in the natural parameters at the optimum and
//!   s² = χ²/(m − n_free) (as `scipy.optimize.curve_fit` with `absolute_sigma=False`); a singular JᵀJ
//!   gives NaN standard errors instead of numbers.
//! - **Termination is data**: a fit that stops at its evaluation limit returns `Ok` with
//!   [`Termination::MaxEvaluations`]; `Err` only means there was nothing to fit.
//!
//! ```
//! use spelab_core::fit::{levenberg_marquardt, Bounds, FitOptions, Residuals};
//! // y = a e^(−b t), exact data with a = 2, b = 0.5.
//! struct Decay { t: Vec<f64>, y: Vec<f64> }
//! impl Residuals for Decay {
//!     fn n_params(&self) -> usize { 2 }
//!     fn n_residuals(&self) -> usize { self.t.len() }
//!     fn residuals(&self, p: &[f64], out: &mut [f64]) {
//!         for i in 0..self.t.len() { out[i] = p[0] * (-p[1] * self.t[i]).exp() - self.y[i]; }
//!     }
//! }
//! let t: Vec<f64> = (0..20).map(|i| i as f64 * 0.3).collect();
//! let y = t.iter().map(|t| 2.0 * (-0.5 * t).exp()).collect();
//! let bounds = [Bounds::POSITIVE; 2];
//! let fit = levenberg_marquardt(&Decay { t, y }, &[1.0, 1.0], &bounds, &[false; 2], &FitOptions::default()).unwrap();
//! assert!(fit.termination.converged());
//! assert!((fit.params[0] - 2.0).abs() < 1e-9 && (fit.params[1] - 0.5).abs() < 1e-9);
//! ```

mod lm;
mod transform;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

pub use transform::Bounds;

/// A least-squares problem: residuals r(p) and optionally their Jacobian ∂r/∂p.
pub trait Residuals {
    /// Number of parameters.
    fn n_params(&self) -> usize;
    /// Number of residuals.
    fn n_residuals(&self) -> usize;
    /// Writes r(p) into `out` (length [`Self::n_residuals`]).
    fn residuals(&self, params: &[f64], out: &mut [f64]);
    /// Writes ∂rᵢ/∂p_k into `out[i * n_params + k]` and returns `true`; the default returns `false`,
    /// and the driver then uses central finite differences.
    fn jacobian(&self, params: &[f64], out: &mut [f64]) -> bool {
        let _ = (params, out);
        false
    }
}

/// Why the optimiser stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Relative change of χ² or of the parameters fell below the tolerance.
    Converged,
    /// The residuals are orthogonal to the Jacobian's columns (gradient tolerance).
    Orthogonal,
    /// The residuals are exactly zero.
    ResidualsZero,
    /// The evaluation limit was reached before convergence.
    MaxEvaluations,
    /// A tolerance is below machine precision; the result is as good as f64 allows.
    NoImprovementPossible,
    /// The model produced NaN or infinite values.
    NonFinite,
    /// The optimiser stopped, but a parameter ran off towards infinity, where it no longer changes the
    /// model: the data do not determine it (set by the caller that detects it).
    Undetermined,
}

impl Termination {
    /// Whether the result is a converged optimum.
    pub fn converged(&self) -> bool {
        matches!(
            self,
            Termination::Converged
                | Termination::Orthogonal
                | Termination::ResidualsZero
                | Termination::NoImprovementPossible
        )
    }
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Termination::Converged => "converged",
            Termination::Orthogonal => "converged (gradient tolerance)",
            Termination::ResidualsZero => "converged (zero residuals)",
            Termination::MaxEvaluations => "stopped at the evaluation limit (not converged)",
            Termination::NoImprovementPossible => "converged (machine precision)",
            Termination::NonFinite => "stopped: the model returned NaN or infinity",
            Termination::Undetermined => {
                "not converged: a parameter ran off towards infinity (the data do not determine it)"
            }
        })
    }
}

/// Solver settings. `Default`: ftol = xtol = 1e-12 (far below any measurement's noise, so results
/// agree with other converged solvers to many digits), gtol = 1e-14, at most 200 × (n + 1)
/// residual evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Relative reduction of χ² below which the fit has converged.
    pub ftol: f64,
    /// Relative change of the (transformed) parameters below which the fit has converged.
    pub xtol: f64,
    /// Cosine between residuals and Jacobian columns below which the fit has converged.
    pub gtol: f64,
    /// Evaluations allowed per free parameter plus one.
    pub patience: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self { ftol: 1e-12, xtol: 1e-12, gtol: 1e-14, patience: 200 }
    }
}

/// What a fit found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitReport {
    /// Parameter values at the end (fixed ones unchanged).
    pub params: Vec<f64>,
    /// One-sigma standard errors (0 for fixed parameters, NaN when not identifiable).
    pub std_errors: Vec<f64>,
    /// Covariance matrix, row by row (zero rows/columns for fixed parameters).
    pub covariance: Vec<Vec<f64>>,
    /// Correlation matrix, row by row (NaN where a standard error is 0 or NaN).
    pub correlation: Vec<Vec<f64>>,
    /// χ² = Σ rᵢ² at the end.
    pub chi2: f64,
    /// Degrees of freedom m − n_free.
    pub dof: usize,
    /// Why the optimiser stopped.
    pub termination: Termination,
    /// Residual evaluations used.
    pub evaluations: usize,
}

impl FitReport {
    /// χ² / dof (NaN when dof = 0).
    pub fn reduced_chi2(&self) -> f64 {
        if self.dof == 0 {
            f64::NAN
        } else {
            self.chi2 / self.dof as f64
        }
    }
}

/// Why no fit could be attempted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// Initial values, bounds or fixed flags do not match the problem's parameter count.
    #[error("expected {expected} {what}, got {found}")]
    Dimension {
        /// Which input.
        what: &'static str,
        /// Parameters of the problem.
        expected: usize,
        /// Length given.
        found: usize,
    },
    /// An initial value lies outside its bounds or is not finite.
    #[error("initial value {value} of parameter {index} lies outside [{lower}, {upper}]")]
    OutOfBounds {
        /// Parameter index.
        index: usize,
        /// The value.
        value: f64,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// Fewer residuals than free parameters.
    #[error("{residuals} residuals cannot determine {free} free parameters")]
    Underdetermined {
        /// Residual count.
        residuals: usize,
        /// Free parameter count.
        free: usize,
    },
}

/// The problem as the optimiser sees it: unconstrained x of the free parameters, with buffers for the
/// natural parameters and the natural Jacobian reused across evaluations.
struct Wrapped<'a, P: Residuals + ?Sized> {
    problem: &'a P,
    bounds: &'a [Bounds],
    free: Vec<usize>,
    /// Natural parameters (fixed ones at their values; free ones overwritten per evaluation).
    full: Vec<f64>,
    scratch_jac: Vec<f64>,
}

impl<P: Residuals + ?Sized> Wrapped<'_, P> {
    /// Writes the natural parameters of internal `x` into `self.full`.
    fn set_natural(&mut self, x: &[f64]) {
        for (k, &i) in self.free.iter().enumerate() {
            self.full[i] = self.bounds[i].from_internal(x[k]);
        }
    }

    /// ∂r/∂p (m × n, row-major) at natural parameters `p`, analytic or by central differences
    /// (step 1e-6 · |p|, or 1e-6 for a parameter at zero).
    fn natural_jacobian(&self, p: &[f64], out: &mut [f64]) -> bool {
        let (m, n) = (self.problem.n_residuals(), self.problem.n_params());
        if self.problem.jacobian(p, out) {
            return out.iter().all(|v| v.is_finite());
        }
        let mut q = p.to_vec();
        let (mut plus, mut minus) = (vec![0.0; m], vec![0.0; m]);
        for k in 0..n {
            // Step 1e-6 relative; a parameter at exactly zero has no scale, and a relative step would
            // be lost in rounding (its column would read zero and the parameter never move), so it
            // gets the same step as an absolute one (as MINPACK's fdjac2 does).
            let h = if p[k] == 0.0 { 1e-6 } else { 1e-6 * p[k].abs().max(1e-12) };
            q[k] = p[k] + h;
            self.problem.residuals(&q, &mut plus);
            q[k] = p[k] - h;
            self.problem.residuals(&q, &mut minus);
            q[k] = p[k];
            for i in 0..m {
                out[i * n + k] = (plus[i] - minus[i]) / (2.0 * h);
            }
        }
        out.iter().all(|v| v.is_finite())
    }
}

impl<P: Residuals + ?Sized> lm::Model for Wrapped<'_, P> {
    fn residuals(&mut self, x: &[f64], out: &mut [f64]) -> bool {
        self.set_natural(x);
        self.problem.residuals(&self.full, out);
        out.iter().all(|v| v.is_finite())
    }

    fn jacobian(&mut self, x: &[f64], out: &mut [f64]) -> bool {
        self.set_natural(x);
        let (m, n) = (self.problem.n_residuals(), self.problem.n_params());
        let mut jac = std::mem::take(&mut self.scratch_jac);
        jac.resize(m * n, 0.0);
        let ok = self.natural_jacobian(&self.full, &mut jac);
        if ok {
            // Chain rule through the transform, into the optimiser's column-major layout.
            for (k, &i) in self.free.iter().enumerate() {
                let dp_dx = self.bounds[i].derivative(x[k]);
                for (row, o) in out[k * m..(k + 1) * m].iter_mut().enumerate() {
                    *o = jac[row * n + i] * dp_dx;
                }
            }
        }
        self.scratch_jac = jac;
        ok && out.iter().all(|v| v.is_finite())
    }
}

/// Minimises Σ rᵢ(p)² from `initial` within `bounds`, keeping parameters with `fixed[k]` at their
/// initial value. See the module documentation for the method.
pub fn levenberg_marquardt<P: Residuals + ?Sized>(
    problem: &P,
    initial: &[f64],
    bounds: &[Bounds],
    fixed: &[bool],
    options: &FitOptions,
) -> Result<FitReport, FitError> {
    let n = problem.n_params();
    let m = problem.n_residuals();
    for (what, len) in
        [("initial values", initial.len()), ("bounds", bounds.len()), ("fixed flags", fixed.len())]
    {
        if len != n {
            return Err(FitError::Dimension { what, expected: n, found: len });
        }
    }
    for (index, (&value, b)) in initial.iter().zip(bounds).enumerate() {
        if !value.is_finite() || value < b.lower || value > b.upper {
            return Err(FitError::OutOfBounds { index, value, lower: b.lower, upper: b.upper });
        }
    }
    let free: Vec<usize> = (0..n).filter(|&k| !fixed[k]).collect();
    if m < free.len() {
        return Err(FitError::Underdetermined { residuals: m, free: free.len() });
    }
    let mut x: Vec<f64> = free.iter().map(|&i| bounds[i].to_internal(initial[i])).collect();
    let mut wrapped =
        Wrapped { problem, bounds, free, full: initial.to_vec(), scratch_jac: vec![0.0; m * n] };
    let (termination, evaluations) = if wrapped.free.is_empty() {
        (Termination::Converged, 1)
    } else {
        let settings = lm::Settings {
            ftol: options.ftol,
            xtol: options.xtol,
            gtol: options.gtol,
            max_evaluations: options.patience.max(1) * (wrapped.free.len() + 1),
        };
        let (stop, evaluations) = lm::minimize(&mut wrapped, &mut x, m, &settings);
        (map_termination(stop), evaluations)
    };
    wrapped.set_natural(&x);
    let params = wrapped.full.clone();
    let mut r = vec![0.0; m];
    problem.residuals(&params, &mut r);
    let chi2: f64 = r.iter().map(|v| v * v).sum();
    let dof = m - wrapped.free.len();
    let (std_errors, covariance, correlation) = uncertainty(&wrapped, &params, chi2, dof);
    let termination = if chi2.is_finite() { termination } else { Termination::NonFinite };
    Ok(FitReport { params, std_errors, covariance, correlation, chi2, dof, termination, evaluations })
}

/// Standard errors, covariance and correlation (see [`FitReport`]).
pub type Uncertainty = (Vec<f64>, Vec<Vec<f64>>, Vec<Vec<f64>>);

/// Standard errors, covariance and correlation at given parameters `params` (not refitted), with the
/// parameters flagged in `fixed` held: s² (JᵀJ)⁻¹, s² = χ²/(m − n_free). Useful to compare the
/// uncertainty another tool reports at its own optimum.
pub fn uncertainty_at<P: Residuals + ?Sized>(problem: &P, params: &[f64], fixed: &[bool]) -> Uncertainty {
    let n = problem.n_params();
    let m = problem.n_residuals();
    let free: Vec<usize> = (0..n).filter(|&k| !fixed.get(k).copied().unwrap_or(false)).collect();
    let bounds = vec![Bounds::FREE; n];
    let wrapped = Wrapped { problem, bounds: &bounds, free, full: params.to_vec(), scratch_jac: Vec::new() };
    let mut r = vec![0.0; m];
    problem.residuals(params, &mut r);
    let chi2: f64 = r.iter().map(|v| v * v).sum();
    let dof = m.saturating_sub(wrapped.free.len());
    uncertainty(&wrapped, params, chi2, dof)
}

/// Standard errors, covariance and correlation from s² (JᵀJ)⁻¹ in the natural parameters.
fn uncertainty<P: Residuals + ?Sized>(w: &Wrapped<'_, P>, p: &[f64], chi2: f64, dof: usize) -> Uncertainty {
    let (m, n) = (w.problem.n_residuals(), w.problem.n_params());
    let nf = w.free.len();
    let mut cov = vec![vec![0.0; n]; n];
    let mut jac = vec![0.0; m * n];
    let ok = w.natural_jacobian(p, &mut jac) && dof > 0;
    let inverse = ok
        .then(|| {
            let j = DMatrix::from_fn(m, nf, |row, k| jac[row * n + w.free[k]]);
            (j.transpose() * &j).try_inverse()
        })
        .flatten();
    let s2 = if dof > 0 { chi2 / dof as f64 } else { f64::NAN };
    for (a, &i) in w.free.iter().enumerate() {
        for (b, &k) in w.free.iter().enumerate() {
            cov[i][k] = match &inverse {
                Some(inv) => inv[(a, b)] * s2,
                None => f64::NAN,
            };
        }
    }
    let std: Vec<f64> = (0..n)
        .map(|i| if cov[i][i].is_nan() || cov[i][i] < 0.0 { f64::NAN } else { cov[i][i].sqrt() })
        .collect();
    let corr = (0..n)
        .map(|i| {
            (0..n)
                .map(|k| {
                    let d = std[i] * std[k];
                    if d > 0.0 && d.is_finite() {
                        cov[i][k] / d
                    } else {
                        f64::NAN
                    }
                })
                .collect()
        })
        .collect();
    (std, cov, corr)
}

fn map_termination(stop: lm::Stop) -> Termination {
    match stop {
        lm::Stop::Converged => Termination::Converged,
        lm::Stop::Orthogonal => Termination::Orthogonal,
        lm::Stop::ResidualsZero => Termination::ResidualsZero,
        lm::Stop::MaxEvaluations => Termination::MaxEvaluations,
        lm::Stop::NoImprovementPossible => Termination::NoImprovementPossible,
        lm::Stop::NonFinite => Termination::NonFinite,
    }
}

#[cfg(test)]
mod tests;
