//! Fitting a [`PeakModel`] to (x, y) with `spelab_core::fit` (Levenberg–Marquardt, analytic
//! Jacobian through the ties), and the results: each component's parameters with standard errors,
//! areas, heights, area fractions with standard errors from the covariance (delta method:
//! var fᵢ = gᵀ C g, g = ∂fᵢ/∂p over the free parameters), the envelope, background and residuals.
//!
//! Unit weights, χ² = Σ (model − y)², standard errors scaled by χ²/dof as lmfit and
//! `scipy.optimize.curve_fit` do.

use serde::Serialize;
use spelab_core::fit::{levenberg_marquardt, FitOptions, Residuals, Termination};

use super::model::{slot, FitBackground, Layout, PeakModel, Which};
use super::shapes::{profile, profile_value, Shape};
use super::xps_background::{cumulative_from_low, tougaard_matrix};
use crate::AnalysisError;

/// The least-squares problem handed to the engine.
struct Problem<'a> {
    x: &'a [f64],
    y: &'a [f64],
    model: &'a PeakModel,
    layout: &'a Layout,
    /// Polynomial abscissa t in [−1, 1].
    t: Vec<f64>,
    /// Tougaard operator (m × m), when used.
    kernel: Option<Vec<f64>>,
}

impl Problem<'_> {
    fn n_slots(&self) -> usize {
        self.layout.sources.len()
    }

    /// Peak sum P, background B and, when `columns` is given, ∂(P + B)/∂slot for every slot
    /// (slot-major, m values each).
    fn evaluate(
        &self,
        values: &[f64],
        peaks: &mut [f64],
        background: &mut [f64],
        mut columns: Option<&mut [f64]>,
    ) {
        let m = self.x.len();
        let nc = self.model.components.len();
        peaks.iter_mut().for_each(|v| *v = 0.0);
        if let Some(cols) = columns.as_deref_mut() {
            cols.iter_mut().for_each(|v| *v = 0.0);
        }
        for (c, comp) in self.model.components.iter().enumerate() {
            let area = values[slot(c, Which::Area)];
            let center = values[slot(c, Which::Center)];
            let width = values[slot(c, Which::Width)];
            let mix = values[slot(c, Which::Mix)];
            match columns.as_deref_mut() {
                None => {
                    for (p, &xi) in peaks.iter_mut().zip(self.x) {
                        *p += area * profile_value(comp.shape, xi, center, width, mix);
                    }
                }
                Some(cols) => {
                    for i in 0..m {
                        let d = profile(comp.shape, self.x[i], center, width, mix);
                        peaks[i] += area * d[0];
                        cols[slot(c, Which::Area) * m + i] = d[0];
                        cols[slot(c, Which::Center) * m + i] = area * d[1];
                        cols[slot(c, Which::Width) * m + i] = area * d[2];
                        cols[slot(c, Which::Mix) * m + i] = area * d[3];
                    }
                }
            }
        }
        let b0 = 4 * nc;
        match self.model.background {
            FitBackground::None => background.iter_mut().for_each(|v| *v = 0.0),
            FitBackground::Polynomial { degree } => {
                for i in 0..m {
                    let mut p = 1.0;
                    let mut s = 0.0;
                    for k in 0..=degree {
                        s += values[b0 + k] * p;
                        if let Some(cols) = columns.as_deref_mut() {
                            cols[(b0 + k) * m + i] = p;
                        }
                        p *= self.t[i];
                    }
                    background[i] = s;
                }
            }
            FitBackground::Shirley | FitBackground::Tougaard { .. } => {
                let (c0, k) = (values[b0], values[b0 + 1]);
                let mut op = vec![0.0; m];
                self.apply(peaks, &mut op);
                for i in 0..m {
                    background[i] = c0 + k * op[i];
                }
                if let Some(cols) = columns {
                    let mut tmp = vec![0.0; m];
                    for s in 0..b0 {
                        self.apply(&cols[s * m..(s + 1) * m], &mut tmp);
                        for i in 0..m {
                            cols[s * m + i] += k * tmp[i];
                        }
                    }
                    for i in 0..m {
                        cols[b0 * m + i] = 1.0;
                        cols[(b0 + 1) * m + i] = op[i];
                    }
                }
            }
        }
    }

    /// The active background's linear operator applied to v.
    fn apply(&self, v: &[f64], out: &mut [f64]) {
        match &self.kernel {
            Some(k) => {
                let m = v.len();
                for i in 0..m {
                    out[i] = k[i * m..(i + 1) * m].iter().zip(v).map(|(a, b)| a * b).sum();
                }
            }
            None => cumulative_from_low(self.x, v, out),
        }
    }
}

impl Residuals for Problem<'_> {
    fn n_params(&self) -> usize {
        self.layout.free_start.len()
    }
    fn n_residuals(&self) -> usize {
        self.x.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        let m = self.x.len();
        let mut values = vec![0.0; self.n_slots()];
        self.layout.values(p, &mut values);
        let mut peaks = vec![0.0; m];
        let mut bg = vec![0.0; m];
        self.evaluate(&values, &mut peaks, &mut bg, None);
        for i in 0..m {
            out[i] = peaks[i] + bg[i] - self.y[i];
        }
    }
    fn jacobian(&self, p: &[f64], out: &mut [f64]) -> bool {
        let m = self.x.len();
        let n = p.len();
        let mut values = vec![0.0; self.n_slots()];
        self.layout.values(p, &mut values);
        let mut peaks = vec![0.0; m];
        let mut bg = vec![0.0; m];
        let mut cols = vec![0.0; self.n_slots() * m];
        self.evaluate(&values, &mut peaks, &mut bg, Some(&mut cols));
        out.iter_mut().for_each(|v| *v = 0.0);
        for s in 0..self.n_slots() {
            if let Some((k, d)) = self.layout.dependence(s) {
                for i in 0..m {
                    out[i * n + k] += d * cols[s * m + i];
                }
            }
        }
        true
    }
}

/// One fitted component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentFit {
    /// Its label.
    pub label: String,
    /// Its line shape.
    pub shape: Shape,
    /// Centre and standard error.
    pub center: (f64, f64),
    /// Width (FWHM; Gaussian FWHM for a Voigt) and standard error.
    pub width: (f64, f64),
    /// Shape parameter and standard error.
    pub mix: (f64, f64),
    /// Area and standard error.
    pub area: (f64, f64),
    /// Full width at half maximum of the profile.
    pub fwhm: f64,
    /// Height at the centre.
    pub height: f64,
    /// Area / sum of all areas, and its standard error.
    pub fraction: (f64, f64),
}

/// A fitted peak model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeakFit {
    /// The components, in model order.
    pub components: Vec<ComponentFit>,
    /// Fitted background parameters (polynomial coefficients, or c₀ and k / B_T).
    pub background_params: Vec<f64>,
    /// χ² = Σ r².
    pub chi2: f64,
    /// Degrees of freedom.
    pub dof: usize,
    /// χ²/dof.
    pub reduced_chi2: f64,
    /// Why the optimiser stopped.
    pub termination: Termination,
    /// Residual evaluations.
    pub evaluations: usize,
    /// Number of free parameters.
    pub n_free: usize,
    /// The abscissa fitted.
    pub x: Vec<f64>,
    /// The data fitted.
    pub y: Vec<f64>,
    /// Each component's curve (model order).
    pub curves: Vec<Vec<f64>>,
    /// The fitted background term (zero when none).
    pub background: Vec<f64>,
    /// Peaks plus background.
    pub envelope: Vec<f64>,
    /// Data − envelope.
    pub residuals: Vec<f64>,
}

impl PeakFit {
    /// The component labelled `label`.
    pub fn component(&self, label: &str) -> Option<&ComponentFit> {
        self.components.iter().find(|c| c.label == label)
    }
}

/// Fits `model` to (x, y) (x in the display unit, cm⁻¹ or eV; either order).
pub fn fit_peaks(
    x: &[f64],
    y: &[f64],
    model: &PeakModel,
    options: &FitOptions,
) -> Result<PeakFit, AnalysisError> {
    crate::error::check_len("peak fit", ("x", x.len()), ("y", y.len()), 3)?;
    crate::error::check_finite("peak fit", "x", x)?;
    crate::error::check_finite("peak fit", "y", y)?;
    let (lo, hi) = x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let t: Vec<f64> = x.iter().map(|&v| 2.0 * (v - lo) / (hi - lo) - 1.0).collect();
    let bg_start: Vec<f64> = match model.background {
        FitBackground::None => vec![],
        FitBackground::Polynomial { degree } => {
            let mut v = vec![0.0; degree + 1];
            v[0] = y.iter().cloned().fold(f64::INFINITY, f64::min);
            v
        }
        FitBackground::Shirley | FitBackground::Tougaard { .. } => {
            let low_end = if x[x.len() - 1] > x[0] { y[0] } else { y[y.len() - 1] };
            vec![low_end, 0.0]
        }
    };
    let layout = Layout::compile(model, &bg_start)?;
    let kernel = match model.background {
        FitBackground::Tougaard { c } => Some(tougaard_matrix(x, c)),
        _ => None,
    };
    let problem = Problem { x, y, model, layout: &layout, t, kernel };
    let n = layout.free_start.len();
    let report =
        levenberg_marquardt(&problem, &layout.free_start, &layout.free_bounds, &vec![false; n], options)?;
    let mut values = vec![0.0; layout.sources.len()];
    layout.values(&report.params, &mut values);
    let se = |s: usize| layout.dependence(s).map_or(0.0, |(k, d)| (d * report.std_errors[k]).abs());
    let m = x.len();
    let nc = model.components.len();
    // Curves, areas and the area gradients for the fraction errors.
    let mut curves = Vec::with_capacity(nc);
    let mut areas = Vec::with_capacity(nc);
    for (c, comp) in model.components.iter().enumerate() {
        let v = |w: Which| values[slot(c, w)];
        curves.push(
            x.iter()
                .map(|&xi| {
                    v(Which::Area)
                        * profile(comp.shape, xi, v(Which::Center), v(Which::Width), v(Which::Mix))[0]
                })
                .collect::<Vec<f64>>(),
        );
        areas.push(v(Which::Area));
    }
    let total: f64 = areas.iter().sum();
    let area_grad = |c: usize| -> Vec<f64> {
        let mut g = vec![0.0; n];
        if let Some((k, d)) = layout.dependence(slot(c, Which::Area)) {
            g[k] = d;
        }
        g
    };
    let total_grad: Vec<f64> =
        (0..nc).map(area_grad).fold(vec![0.0; n], |a, g| a.iter().zip(&g).map(|(x, y)| x + y).collect());
    let mut components = Vec::with_capacity(nc);
    for (c, comp) in model.components.iter().enumerate() {
        let v = |w: Which| values[slot(c, w)];
        let ga = area_grad(c);
        let g: Vec<f64> =
            ga.iter().zip(&total_grad).map(|(a, t)| (a * total - areas[c] * t) / (total * total)).collect();
        let var: f64 =
            (0..n).map(|i| (0..n).map(|j| g[i] * report.covariance[i][j] * g[j]).sum::<f64>()).sum();
        let peak = profile(comp.shape, v(Which::Center), v(Which::Center), v(Which::Width), v(Which::Mix))[0];
        components.push(ComponentFit {
            label: comp.label.clone(),
            shape: comp.shape,
            center: (v(Which::Center), se(slot(c, Which::Center))),
            width: (v(Which::Width), se(slot(c, Which::Width))),
            mix: (v(Which::Mix), se(slot(c, Which::Mix))),
            area: (v(Which::Area), se(slot(c, Which::Area))),
            fwhm: comp.shape.fwhm(v(Which::Width), v(Which::Mix)),
            height: v(Which::Area) * peak,
            fraction: (areas[c] / total, var.max(0.0).sqrt()),
        });
    }
    let mut peaks = vec![0.0; m];
    let mut background = vec![0.0; m];
    problem.evaluate(&values, &mut peaks, &mut background, None);
    let envelope: Vec<f64> = peaks.iter().zip(&background).map(|(a, b)| a + b).collect();
    let residuals = y.iter().zip(&envelope).map(|(a, b)| a - b).collect();
    Ok(PeakFit {
        components,
        background_params: values[4 * nc..].to_vec(),
        chi2: report.chi2,
        dof: report.dof,
        reduced_chi2: report.reduced_chi2(),
        termination: report.termination,
        evaluations: report.evaluations,
        n_free: n,
        x: x.to_vec(),
        y: y.to_vec(),
        curves,
        background,
        envelope,
        residuals,
    })
}
