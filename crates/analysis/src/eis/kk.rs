//! Linear Kramers-Kronig test (lin-KK, Schönleber et al., Electrochim. Acta 131 (2014) 20,
//! doi:10.1016/j.electacta.2014.01.034), as impedance.py 1.7.1 implements it (`validation.linKK`).
//!
//! A KK-compliant model Ẑ = R₀ + Σₖ Rₖ/(1 + jωτₖ) + jωL (+ 1/(jωC) with `add_capacitance`) with M
//! fixed time constants τ₁ = 1/ω_max … τ_M = 1/ω_min (log-spaced) is fitted linearly to Z/|Z|
//! (real part, imaginary part, or both). M grows from 1 until μ = 1 − Σ_{Rₖ<0}|Rₖ| / Σ_{Rₖ≥0}|Rₖ|
//! falls to the cut-off c (or M reaches `max_m`). Residuals (Z − Ẑ)/|Z|; the spectrum passes when
//! the largest |residual| is within `threshold`. Data that violate causality, linearity or
//! stationarity (drift) cannot be reproduced and leave large, structured residuals.
//!
//! Caveat (inherited from the method): for spectra of ideal RC arcs the fixed τ grid misses the true
//! time constants, negative Rₖ appear early and μ < 0.85 stops M too soon (residuals of tens of %);
//! a lower cut-off (0.5, as impedance.py's tutorial uses) and the complex fit behave better.

use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use serde::Serialize;
use spelab_core::ImpedanceSpectrum;

use crate::AnalysisError;

/// Which part of the data the linear fit uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KkFit {
    /// Real part (then L, C from the imaginary remainder); impedance.py's default.
    #[default]
    Real,
    /// Imaginary part (then R₀ from the real remainder).
    Imag,
    /// Both parts at once.
    Complex,
}

/// Options of [`lin_kk`]. `Default` = impedance.py's defaults (c = 0.85, max_M = 50, real fit, no
/// series capacitance) with a pass threshold of 1 % on the largest residual.
#[derive(Debug, Clone, PartialEq)]
pub struct LinKkOptions {
    /// μ cut-off; `None` uses exactly `max_m` RC elements.
    pub mu_cutoff: Option<f64>,
    /// Largest number of RC elements.
    pub max_m: usize,
    /// Which part is fitted.
    pub fit: KkFit,
    /// Add a series capacitance (for spectra without a low-frequency intercept).
    pub add_capacitance: bool,
    /// Largest |residual| (fraction of |Z|) for the spectrum to pass.
    pub threshold: f64,
}

impl Default for LinKkOptions {
    fn default() -> Self {
        Self { mu_cutoff: Some(0.85), max_m: 50, fit: KkFit::Real, add_capacitance: false, threshold: 0.01 }
    }
}

/// The result of a lin-KK test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinKkResult {
    /// Number of RC elements used.
    pub m: usize,
    /// μ at that M.
    pub mu: f64,
    /// Series resistance R₀ [Ω].
    pub r_ohm: f64,
    /// Resistances of the RC elements [Ω].
    pub resistances: Vec<f64>,
    /// Their time constants [s].
    pub taus: Vec<f64>,
    /// Series inductance [H].
    pub inductance: f64,
    /// Inverse series capacitance 1/C [1/F] (0 without `add_capacitance`).
    pub inverse_capacitance: f64,
    /// Frequency of each point [Hz].
    pub frequency: Vec<f64>,
    /// Real residuals (Z' − Ẑ')/|Z|.
    pub residuals_real: Vec<f64>,
    /// Imaginary residuals (Z'' − Ẑ'')/|Z|.
    pub residuals_imag: Vec<f64>,
    /// Largest |residual|.
    pub max_residual: f64,
    /// Whether `max_residual <= threshold`.
    pub pass: bool,
    /// The threshold used.
    pub threshold: f64,
    /// What looks wrong with the data (a flipped Z'', [`super::input::sign_warnings`]).
    pub warnings: Vec<String>,
}

impl LinKkResult {
    /// The KK model's impedance at angular frequency `omega` [rad/s] [Ω].
    pub fn model(&self, omega: f64) -> Complex64 {
        let jw = Complex64::new(0.0, omega);
        let mut z = Complex64::new(self.r_ohm, 0.0) + jw * self.inductance;
        for (r, t) in self.resistances.iter().zip(&self.taus) {
            z += *r / (1.0 + jw * *t);
        }
        if self.inverse_capacitance != 0.0 {
            z += self.inverse_capacitance / jw;
        }
        z
    }
}

/// The M log-spaced time constants of impedance.py's `get_tc_distribution`.
fn taus(f: &[f64], m: usize) -> Vec<f64> {
    let two_pi = 2.0 * std::f64::consts::PI;
    let f_min = f.iter().copied().fold(f64::INFINITY, f64::min);
    let f_max = f.iter().copied().fold(0.0, f64::max);
    let (t_min, t_max) = (1.0 / (two_pi * f_max), 1.0 / (two_pi * f_min));
    let mut ts = vec![t_min; m];
    ts[m - 1] = t_max;
    for k in 2..m {
        ts[k - 1] = 10f64.powf(t_min.log10() + (k - 1) as f64 / (m - 1) as f64 * (t_max / t_min).log10());
    }
    ts
}

/// Least squares by SVD with numpy's `pinv` cut-off (singular values below 1e-15 σ_max dropped).
fn pinv_solve(a: &DMatrix<f64>, b: &DVector<f64>) -> DVector<f64> {
    let svd = a.clone().svd(true, true);
    let cutoff = 1e-15 * svd.singular_values.max();
    svd.solve(b, cutoff).unwrap_or_else(|_| DVector::zeros(a.ncols()))
}

/// Elements [R₀, R₁..R_M, (1/C), L] for M time constants.
fn fit_elements(omega: &[f64], z: &[Complex64], ts: &[f64], options: &LinKkOptions) -> Vec<f64> {
    let (n, m) = (z.len(), ts.len());
    let cols = m + if options.add_capacitance { 3 } else { 2 };
    let mut a_re = DMatrix::zeros(n, cols);
    let mut a_im = DMatrix::zeros(n, cols);
    for i in 0..n {
        let (w, abs) = (omega[i], z[i].norm());
        a_re[(i, 0)] = 1.0 / abs;
        a_im[(i, cols - 1)] = w / abs;
        if options.add_capacitance {
            a_im[(i, cols - 2)] = -1.0 / (w * abs);
        }
        for (k, t) in ts.iter().enumerate() {
            let rc = 1.0 / Complex64::new(1.0, w * t);
            a_re[(i, k + 1)] = rc.re / abs;
            a_im[(i, k + 1)] = rc.im / abs;
        }
    }
    let b_re = DVector::from_iterator(n, z.iter().map(|z| z.re / z.norm()));
    let b_im = DVector::from_iterator(n, z.iter().map(|z| z.im / z.norm()));
    let eval = |e: &[f64], i: usize| -> Complex64 {
        let jw = Complex64::new(0.0, omega[i]);
        let mut v = Complex64::new(e[0], 0.0) + jw * e[cols - 1];
        for (k, t) in ts.iter().enumerate() {
            v += e[k + 1] / (1.0 + jw * *t);
        }
        if options.add_capacitance {
            v += e[cols - 2] / jw;
        }
        v
    };
    match options.fit {
        KkFit::Real => {
            let mut e: Vec<f64> = pinv_solve(&a_re, &b_re).iter().copied().collect();
            // Then L (and 1/C) from what the real fit leaves of the imaginary part.
            let extra = if options.add_capacitance { 2 } else { 1 };
            for v in &mut e[cols - extra..] {
                *v = 0.0;
            }
            let a2 = DMatrix::from_fn(n, extra, |i, j| a_im[(i, cols - extra + j)]);
            let b2 = DVector::from_iterator(n, (0..n).map(|i| (z[i].im - eval(&e, i).im) / z[i].norm()));
            let coefs = pinv_solve(&a2, &b2);
            for j in 0..extra {
                e[cols - extra + j] = coefs[j];
            }
            e
        }
        KkFit::Imag => {
            let mut e: Vec<f64> = pinv_solve(&a_im, &b_im).iter().copied().collect();
            let (mut num, mut den) = (0.0, 0.0);
            for (i, zi) in z.iter().enumerate() {
                let w = 1.0 / zi.norm_sqr();
                num += w * (zi.re - eval(&e, i).re);
                den += w;
            }
            e[0] = num / den;
            e
        }
        KkFit::Complex => {
            let lhs = a_re.transpose() * &a_re + a_im.transpose() * &a_im;
            let rhs = a_re.transpose() * &b_re + a_im.transpose() * &b_im;
            // impedance.py forms inv(lhs)·rhs; LU solves the same normal equations more stably. Their
            // condition (~1e12 at M = 26) makes the Rₖ of the two differ at ~1e-5, the fit far less.
            let x = lhs.clone().lu().solve(&rhs).unwrap_or_else(|| pinv_solve(&lhs, &rhs));
            x.iter().copied().collect()
        }
    }
}

fn mu(resistances: &[f64]) -> f64 {
    let neg: f64 = resistances.iter().filter(|r| **r < 0.0).map(|r| r.abs()).sum();
    let pos: f64 = resistances.iter().filter(|r| **r >= 0.0).map(|r| r.abs()).sum();
    if pos > 0.0 {
        1.0 - neg / pos
    } else {
        f64::NEG_INFINITY
    }
}

/// Runs the lin-KK test on `spectrum`.
///
/// ```
/// use spelab_analysis::eis::{kk::{lin_kk, KkFit, LinKkOptions}, Circuit};
/// use spelab_core::{ImpedanceSpectrum, Metadata};
/// let c: Circuit = "R0-p(R1,CPE1)".parse().unwrap();
/// let f: Vec<f64> = (0..50).map(|i| 10f64.powf(5.0 - 0.14 * i as f64)).collect();
/// let w: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
/// let z = c.impedances(&w, &[10.0, 100.0, 1e-5, 0.85]);
/// let s = ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap();
/// let options = LinKkOptions { fit: KkFit::Complex, mu_cutoff: Some(0.5), ..Default::default() };
/// let kk = lin_kk(&s, &options).unwrap();
/// assert!(kk.pass, "max residual {}", kk.max_residual);
/// ```
pub fn lin_kk(spectrum: &ImpedanceSpectrum, options: &LinKkOptions) -> Result<LinKkResult, AnalysisError> {
    let n = spectrum.len();
    super::input::check_spectrum("lin-KK", spectrum, 3)?;
    if options.max_m == 0 {
        return Err(AnalysisError::InvalidInput {
            what: "lin-KK",
            reason: "max_m must be at least 1".into(),
        });
    }
    let f = spectrum.frequency();
    let z = spectrum.impedance();
    let omega = spectrum.angular_frequency();
    let res_range = |e: &[f64], m: usize| e[1..=m].to_vec();
    let (m, ts, elements, mu_value) = match options.mu_cutoff {
        Some(c) => {
            let mut m = 0;
            let mut mu_value = 1.0;
            let mut last = None;
            while mu_value > c && m < options.max_m {
                m += 1;
                let ts = taus(f, m);
                let e = fit_elements(&omega, z, &ts, options);
                mu_value = mu(&res_range(&e, m));
                last = Some((ts, e));
            }
            let (ts, e) = last.unwrap_or_else(|| (taus(f, 1), fit_elements(&omega, z, &taus(f, 1), options)));
            (m.max(1), ts, e, mu_value)
        }
        None => {
            let ts = taus(f, options.max_m);
            let e = fit_elements(&omega, z, &ts, options);
            let mu_value = mu(&res_range(&e, options.max_m));
            (options.max_m, ts, e, mu_value)
        }
    };
    if !mu_value.is_finite() {
        // No positive Rₖ: μ = 1 − Σ|R₋|/Σ|R₊| is undefined and the test has no verdict.
        return Err(AnalysisError::Unusable {
            what: "lin-KK",
            reason: format!(
                "mu is undefined at M = {m}: no fitted RC resistance is positive (a spectrum that is not a \
                 passive impedance; is the sign of Z'' flipped?)"
            ),
        });
    }
    let cols = elements.len();
    let mut result = LinKkResult {
        m,
        mu: mu_value,
        r_ohm: elements[0],
        resistances: elements[1..=m].to_vec(),
        taus: ts,
        inductance: elements[cols - 1],
        inverse_capacitance: if options.add_capacitance { elements[cols - 2] } else { 0.0 },
        frequency: f.to_vec(),
        residuals_real: Vec::with_capacity(n),
        residuals_imag: Vec::with_capacity(n),
        max_residual: 0.0,
        pass: false,
        threshold: options.threshold,
        warnings: super::input::sign_warnings(spectrum),
    };
    for i in 0..n {
        let d = (z[i] - result.model(omega[i])) / z[i].norm();
        result.residuals_real.push(d.re);
        result.residuals_imag.push(d.im);
        result.max_residual = result.max_residual.max(d.re.abs()).max(d.im.abs());
    }
    result.pass = result.max_residual <= options.threshold && result.max_residual.is_finite();
    Ok(result)
}
