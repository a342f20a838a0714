//! Complex nonlinear least squares (CNLS) fit of an equivalent circuit to an impedance spectrum.
//!
//! Objective: χ² = Σᵢ [wᵢ'² (Z'_model − Z'_data)² + wᵢ''² (Z''_model − Z''_data)²], minimised by the
//! Levenberg-Marquardt driver of [`spelab_core::fit`] with the circuit's analytic Jacobian, positive
//! parameters in log space and exponents in (0, 1] by a sine transform. Weights ([`Weighting`]):
//! unit (w = 1, impedance.py's default), modulus (w = 1/|Z_data|, impedance.py's
//! `weight_by_modulus`), proportional (w' = 1/|Z'_data|, w'' = 1/|Z''_data|, ZView's
//! "data-proportional"). Standard errors are s²(JᵀJ)⁻¹ with s² = χ²/(2N − n_free), as
//! `scipy.optimize.curve_fit` (impedance.py) computes them.
//!
//! Starts: the user's values (missing ones from the automatic guess, [`super::guess`]), the automatic
//! guess, and `multistart` seeded random starts around both (each positive parameter × 10^U(−2, 2),
//! each exponent U(0.5, 1)) with a short evaluation budget; the converged start with the lowest χ²
//! wins and is polished with the full budget if it had not converged. Interchangeable blocks
//! (`p(R1,CPE1)-p(R2,CPE2)`) are then put in order of increasing time constant (`order.rs`), so
//! label-swapped optima from different starts report the same parameters.

use num_complex::Complex64;
use serde::Serialize;
use spelab_core::fit::{
    levenberg_marquardt, uncertainty_at, Bounds, FitOptions, FitReport, Residuals, Termination,
};
use spelab_core::ImpedanceSpectrum;

use std::cell::RefCell;

use super::circuit::Circuit;
use super::element::Omega;
use super::guess::initial_guess;
use super::order::arc_order;
use super::program::{Entry, Program};
use crate::AnalysisError;

/// How residuals are weighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// w = 1 (impedance.py's default).
    #[default]
    Unit,
    /// w = 1/|Z_data| for both parts (impedance.py's `weight_by_modulus`).
    Modulus,
    /// w' = 1/|Z'_data|, w'' = 1/|Z''_data| (data-proportional).
    Proportional,
}

impl std::str::FromStr for Weighting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "unit" | "unity" | "none" => Ok(Weighting::Unit),
            "modulus" => Ok(Weighting::Modulus),
            "proportional" => Ok(Weighting::Proportional),
            other => Err(format!("unknown weighting '{other}' (use unit, modulus or proportional)")),
        }
    }
}

/// Options of [`fit_circuit`]. `Default`: unit weights, automatic initial guess (also tried beside
/// given initial values), nothing fixed,
/// up to 24 extra seeded starts (enough for 40/40 on impedance.py's random-start test; each start
/// costs about one fit), stopping once 3 starts agree on the best χ², seed 0, the driver's default
/// tolerances.
#[derive(Debug, Clone, PartialEq)]
pub struct EisFitOptions {
    /// Residual weighting.
    pub weighting: Weighting,
    /// Initial values by parameter name (`R0`, `CPE1.q`); the others come from the automatic guess.
    pub initial: Vec<(String, f64)>,
    /// Parameters held at the given value.
    pub fixed: Vec<(String, f64)>,
    /// Whether the automatic guess is also tried as a start when initial values are given.
    pub auto_start: bool,
    /// Extra random starts (0 = only the given and the automatic start).
    pub multistart: usize,
    /// Seed of the random starts.
    pub seed: u64,
    /// Stop the multi-start once this many starts reached the best χ² (0 = run them all).
    pub stop_after_agreeing: usize,
    /// Solver tolerances and evaluation limit.
    pub solver: FitOptions,
    /// Put interchangeable blocks (`p(R1,CPE1)-p(R2,CPE2)`) in order of increasing time constant, so
    /// label-swapped optima report the same parameters (see `order.rs`).
    pub order_arcs: bool,
}

impl Default for EisFitOptions {
    fn default() -> Self {
        Self {
            weighting: Weighting::Unit,
            initial: Vec::new(),
            fixed: Vec::new(),
            auto_start: true,
            multistart: 24,
            seed: 0,
            stop_after_agreeing: 3,
            solver: FitOptions::default(),
            order_arcs: true,
        }
    }
}

/// One fitted parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedParameter {
    /// Name as in the circuit (`CPE1.alpha`).
    pub name: String,
    /// Value [unit].
    pub value: f64,
    /// One-sigma standard error (0 if fixed, NaN → null if not identifiable) [unit].
    pub std_error: f64,
    /// Unit.
    pub unit: String,
    /// Whether it was held fixed.
    pub fixed: bool,
}

impl FittedParameter {
    /// Whether the data determine this parameter: fixed, or a finite standard error of at most 100 %
    /// of its value.
    pub fn identifiable(&self) -> bool {
        self.fixed || (self.std_error.is_finite() && self.std_error <= self.value.abs())
    }
}

/// The result of a circuit fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CircuitFit {
    /// The circuit as parsed (canonical string).
    pub circuit: String,
    /// Parameters in circuit order.
    pub parameters: Vec<FittedParameter>,
    /// Weighted sum of squared residuals (the objective) [Ω² for unit weights].
    pub chi2: f64,
    /// χ² / (2N − n_free).
    pub reduced_chi2: f64,
    /// Boukamp pseudo-χ² Σ |Z_model − Z_data|² / |Z_data|² (comparable across weightings and tools).
    pub pseudo_chi2: f64,
    /// Correlation matrix of the parameters, row by row.
    pub correlation: Vec<Vec<f64>>,
    /// Why the winning start's optimiser stopped.
    pub termination: Termination,
    /// Residual evaluations of the winning start.
    pub evaluations: usize,
    /// Number of starts tried.
    pub starts: usize,
    /// Number of starts that ended within 1e-6 relative of the best χ².
    pub starts_at_best: usize,
    /// Weighting used.
    pub weighting: Weighting,
    /// Number of points fitted.
    pub points: usize,
    /// Parameters that ran off towards infinity, where they no longer change the model
    /// (`R1 → ∞`); non-empty means [`Termination::Undetermined`]. Their standard errors are NaN; the
    /// others' are computed with them held.
    pub undetermined: Vec<String>,
    /// What looks wrong with the data (a flipped Z'', [`super::input::sign_warnings`]).
    pub warnings: Vec<String>,
}

impl CircuitFit {
    /// Parameter values in circuit order.
    pub fn values(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.value).collect()
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&FittedParameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// The CNLS problem for the driver: the compiled circuit, per-frequency constants and reused scratch
/// (gradient row and evaluation stack), so an evaluation allocates nothing.
struct Problem<'a> {
    program: &'a Program,
    omega: Vec<Omega>,
    data: &'a [Complex64],
    w_re: Vec<f64>,
    w_im: Vec<f64>,
    scratch: RefCell<(Vec<Complex64>, Vec<Entry>)>,
}

impl<'a> Problem<'a> {
    fn new(circuit: &'a Circuit, spectrum: &'a ImpedanceSpectrum, weighting: Weighting) -> Self {
        let (w_re, w_im) = weights(spectrum.impedance(), weighting);
        let program = circuit.program();
        Problem {
            program,
            omega: spectrum.angular_frequency().into_iter().map(Omega::new).collect(),
            data: spectrum.impedance(),
            w_re,
            w_im,
            scratch: RefCell::new((vec![Complex64::new(0.0, 0.0); program.n_params()], program.stack())),
        }
    }
}

impl Residuals for Problem<'_> {
    fn n_params(&self) -> usize {
        self.program.n_params()
    }
    fn n_residuals(&self) -> usize {
        2 * self.data.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        let n = self.data.len();
        let (_, stack) = &mut *self.scratch.borrow_mut();
        let (re, im) = out.split_at_mut(n);
        for i in 0..n {
            let d = self.program.eval::<false>(&self.omega[i], p, &mut [], stack) - self.data[i];
            re[i] = self.w_re[i] * d.re;
            im[i] = self.w_im[i] * d.im;
        }
    }
    fn jacobian(&self, p: &[f64], out: &mut [f64]) -> bool {
        let n = self.data.len();
        let k = p.len();
        let (grad, stack) = &mut *self.scratch.borrow_mut();
        let (re, im) = out.split_at_mut(n * k);
        for i in 0..n {
            self.program.eval::<true>(&self.omega[i], p, grad, stack);
            let (wr, wi) = (self.w_re[i], self.w_im[i]);
            for ((g, r), m) in grad.iter().zip(&mut re[i * k..(i + 1) * k]).zip(&mut im[i * k..(i + 1) * k]) {
                *r = wr * g.re;
                *m = wi * g.im;
            }
        }
        true
    }
}

fn weights(data: &[Complex64], weighting: Weighting) -> (Vec<f64>, Vec<f64>) {
    let safe = |v: f64| if v > 0.0 { 1.0 / v } else { 0.0 };
    match weighting {
        Weighting::Unit => (vec![1.0; data.len()], vec![1.0; data.len()]),
        Weighting::Modulus => {
            let w: Vec<f64> = data.iter().map(|z| safe(z.norm())).collect();
            (w.clone(), w)
        }
        Weighting::Proportional => {
            (data.iter().map(|z| safe(z.re.abs())).collect(), data.iter().map(|z| safe(z.im.abs())).collect())
        }
    }
}

/// Looks up named values; errors name the circuit's parameters.
fn resolve(circuit: &Circuit, named: &[(String, f64)]) -> Result<Vec<(usize, f64)>, AnalysisError> {
    let params = circuit.params();
    named
        .iter()
        .map(|(name, value)| {
            let index = circuit.param_index(name).ok_or_else(|| AnalysisError::UnknownParameter {
                name: name.clone(),
                circuit: circuit.to_string(),
                known: circuit.param_names().join(", "),
            })?;
            let b = params[index].spec.bounds;
            if !value.is_finite() || *value < b.lower || *value > b.upper {
                return Err(AnalysisError::ParameterOutOfBounds {
                    name: params[index].name.clone(),
                    value: *value,
                    lower: b.lower,
                    upper: b.upper,
                });
            }
            Ok((index, *value))
        })
        .collect()
}

/// Fits `circuit` (a circuit string such as `R0-p(R1,CPE1)-Wo1`) to `spectrum` with default options.
///
/// ```
/// use spelab_analysis::eis::{fit, Circuit};
/// use spelab_core::{ImpedanceSpectrum, Metadata};
/// let truth: Circuit = "R0-p(R1,C1)".parse().unwrap();
/// let f: Vec<f64> = (0..40).map(|i| 10f64.powf(5.0 - 0.2 * i as f64)).collect();
/// let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
/// let z = truth.impedances(&omega, &[10.0, 100.0, 1e-6]);
/// let spectrum = ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap();
/// let result = fit(&spectrum, "R0-p(R1,C1)").unwrap();
/// assert!((result.parameters[1].value - 100.0).abs() < 1e-6);
/// ```
pub fn fit(spectrum: &ImpedanceSpectrum, circuit: &str) -> Result<CircuitFit, AnalysisError> {
    fit_circuit(spectrum, &circuit.parse()?, &EisFitOptions::default())
}

/// Fits `circuit` to `spectrum` (expert path; see the module documentation).
pub fn fit_circuit(
    spectrum: &ImpedanceSpectrum,
    circuit: &Circuit,
    options: &EisFitOptions,
) -> Result<CircuitFit, AnalysisError> {
    let params = circuit.params();
    let n = params.len();
    let bounds: Vec<Bounds> = params.iter().map(|p| p.spec.bounds).collect();
    let initial = resolve(circuit, &options.initial)?;
    let fixed_values = resolve(circuit, &options.fixed)?;
    let mut fixed = vec![false; n];
    for &(i, _) in &fixed_values {
        fixed[i] = true;
    }
    let n_free = fixed.iter().filter(|f| !**f).count();
    // Two real values per distinct frequency; one more than the free parameters.
    super::input::check_spectrum("circuit fit", spectrum, (n_free / 2 + 1).max(3))?;
    let problem = Problem::new(circuit, spectrum, options.weighting);

    let mut auto = initial_guess(circuit, spectrum);
    for &(i, v) in &fixed_values {
        auto[i] = v;
    }
    let mut bases = Vec::new();
    if !initial.is_empty() {
        let mut user = auto.clone();
        for &(i, v) in &initial {
            user[i] = v;
        }
        for &(i, v) in &fixed_values {
            user[i] = v;
        }
        bases.push(user);
    }
    if bases.is_empty() || options.auto_start {
        bases.push(auto);
    }
    let mut starts = bases.clone();
    let mut rng = fastrand::Rng::with_seed(options.seed);
    for k in 0..options.multistart {
        let base = &bases[k % bases.len()];
        let start = (0..n)
            .map(|i| {
                if fixed[i] {
                    return base[i];
                }
                let b = bounds[i];
                if b.lower.is_finite() && b.upper.is_finite() {
                    b.lower + (b.upper - b.lower) * (0.5 + 0.5 * rng.f64())
                } else {
                    base[i] * 10f64.powf(4.0 * rng.f64() - 2.0)
                }
            })
            .collect();
        starts.push(start);
    }

    let mut best: Option<FitReport> = None;
    let mut chi2s = Vec::with_capacity(starts.len());
    // Random starts get a short evaluation budget (most either fall into a basin quickly or wander
    // along a flat direction); the winner is polished with the full budget below.
    let short = FitOptions { patience: options.solver.patience.min(60), ..options.solver.clone() };
    for (k, start) in starts.iter().enumerate() {
        let mut start = clamp_inside(start, &bounds);
        for &(i, v) in &fixed_values {
            start[i] = v; // fixed values are used as given, even on a bound
        }
        let solver = if k < bases.len() { &options.solver } else { &short };
        let report = levenberg_marquardt(&problem, &start, &bounds, &fixed, solver)?;
        let usable = report.chi2.is_finite();
        chi2s.push(if usable { report.chi2 } else { f64::INFINITY });
        let better = match &best {
            None => true,
            Some(b) => {
                // Converged beats not converged; then the lower χ².
                let (new_ok, old_ok) = (report.termination.converged(), b.termination.converged());
                usable && ((new_ok && !old_ok) || (new_ok == old_ok && report.chi2 < b.chi2))
            }
        };
        if better {
            best = Some(report);
        }
        // Stop early once enough starts agree on the best χ² (1e-6 relative).
        if options.stop_after_agreeing > 0 && k + 1 >= bases.len() {
            if let Some(b) = &best {
                let agreeing = chi2s.iter().filter(|&&c| c <= b.chi2 * (1.0 + 1e-6)).count();
                if b.termination.converged() && agreeing >= options.stop_after_agreeing {
                    break;
                }
            }
        }
    }
    let Some(best) = best.filter(|b| b.chi2.is_finite()) else {
        return Err(AnalysisError::Unusable {
            what: "circuit fit",
            reason: "no start reached a finite chi2 (the model overflows on this spectrum)".into(),
        });
    };
    let best = if best.termination.converged() {
        best
    } else {
        let polished = levenberg_marquardt(&problem, &best.params, &bounds, &fixed, &options.solver)?;
        if polished.chi2 <= best.chi2 {
            polished
        } else {
            best
        }
    };
    let best = if options.order_arcs {
        let perm = arc_order(circuit, &best.params, &fixed);
        ordered(best, &perm)
    } else {
        best
    };
    // A parameter that ran off to 0 or ∞ (R1 → ∞ when the spectrum shows no arc apex: the block is a
    // CPE alone) leaves the optimiser "converged" at a meaningless number; say so instead.
    let runaway = runaway_parameters(&problem, &best.params, &fixed);
    let mut best = best;
    if !runaway.is_empty() {
        let mut held = fixed.clone();
        runaway.iter().for_each(|&i| held[i] = true);
        let (std_errors, covariance, correlation) = uncertainty_at(&problem, &best.params, &held);
        best.std_errors = std_errors;
        best.covariance = covariance;
        best.correlation = correlation;
        for &i in &runaway {
            best.std_errors[i] = f64::NAN;
        }
        best.termination = Termination::Undetermined;
    }
    let undetermined = runaway.iter().map(|&i| format!("{} → ∞", params[i].name)).collect();
    let starts_at_best = chi2s.iter().filter(|&&c| c <= best.chi2 * (1.0 + 1e-6)).count();
    let model = circuit.impedances(&spectrum.angular_frequency(), &best.params);
    let pseudo_chi2 = model.iter().zip(problem.data).map(|(m, d)| (m - d).norm_sqr() / d.norm_sqr()).sum();
    let parameters = params
        .iter()
        .enumerate()
        .map(|(i, p)| FittedParameter {
            name: p.name.clone(),
            value: best.params[i],
            std_error: best.std_errors[i],
            unit: p.spec.unit.to_string(),
            fixed: fixed[i],
        })
        .collect();
    Ok(CircuitFit {
        circuit: circuit.to_string(),
        parameters,
        chi2: best.chi2,
        reduced_chi2: best.reduced_chi2(),
        pseudo_chi2,
        correlation: best.correlation.clone(),
        termination: best.termination.clone(),
        evaluations: best.evaluations,
        starts: chi2s.len(),
        starts_at_best,
        weighting: options.weighting,
        points: spectrum.len(),
        undetermined,
        warnings: super::input::sign_warnings(spectrum),
    })
}

/// Free parameters above 1 whose e-fold change moves the weighted model by less than 1e-9 of the
/// weighted data's norm: they ran off towards ∞ (an open resistor, a shorted capacitor, an endless time
/// constant) and the data do not determine them. A parameter driven towards 0 instead sits at its
/// physical bound (R0 = 0 Ω) and is reported as such.
fn runaway_parameters(problem: &Problem<'_>, p: &[f64], fixed: &[bool]) -> Vec<usize> {
    let (m, n) = (problem.n_residuals(), p.len());
    let mut jac = vec![0.0; m * n];
    problem.jacobian(p, &mut jac);
    let half = m / 2;
    let data_norm = (0..half)
        .map(|i| {
            (problem.w_re[i] * problem.data[i].re).powi(2) + (problem.w_im[i] * problem.data[i].im).powi(2)
        })
        .sum::<f64>()
        .sqrt();
    (0..n)
        .filter(|&k| {
            let column = (0..m).map(|i| jac[i * n + k].powi(2)).sum::<f64>().sqrt();
            !fixed[k] && p[k] >= 1.0 && (p[k] * column).is_finite() && p[k] * column <= 1e-9 * data_norm
        })
        .collect()
}

/// `report` with its parameters permuted by `perm` (new index → old index).
fn ordered(mut report: FitReport, perm: &[usize]) -> FitReport {
    if perm.iter().enumerate().all(|(i, &p)| i == p) {
        return report;
    }
    let permute = |v: &[f64]| perm.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let matrix = |m: &[Vec<f64>]| perm.iter().map(|&a| perm.iter().map(|&b| m[a][b]).collect()).collect();
    report.params = permute(&report.params);
    report.std_errors = permute(&report.std_errors);
    report.covariance = matrix(&report.covariance);
    report.correlation = matrix(&report.correlation);
    report
}

/// Standard errors of `params` (circuit order) on `spectrum` without refitting: s²(JᵀJ)⁻¹ at that
/// point, as a fit ending there would report. Compares the uncertainty other tools print at their own
/// optimum with ours.
pub fn standard_errors_at(
    spectrum: &ImpedanceSpectrum,
    circuit: &Circuit,
    params: &[f64],
    weighting: Weighting,
) -> Result<Vec<f64>, AnalysisError> {
    if params.len() != circuit.n_params() {
        return Err(AnalysisError::InvalidInput {
            what: "standard errors",
            reason: format!("{} values for {} parameters", params.len(), circuit.n_params()),
        });
    }
    let problem = Problem::new(circuit, spectrum, weighting);
    Ok(uncertainty_at(&problem, params, &vec![false; params.len()]).0)
}

/// Moves values that sit on or outside a bound just inside it (random starts may land there).
fn clamp_inside(start: &[f64], bounds: &[Bounds]) -> Vec<f64> {
    start
        .iter()
        .zip(bounds)
        .map(|(&v, b)| {
            let v = if v.is_finite() { v } else { 1.0 };
            if v <= b.lower {
                if b.upper.is_finite() {
                    b.lower + 1e-6 * (b.upper - b.lower)
                } else {
                    b.lower + 1e-12_f64.max(b.lower.abs() * 1e-9)
                }
            } else if v > b.upper {
                b.upper
            } else {
                v
            }
        })
        .collect()
}
