//! Arrhenius fit of ionic conductivity versus temperature (methods.md §2).
//!
//! Model, σ form: σ(T) = σ₀ · exp(−E_a / (R T)), fitted as the straight line
//! ln σ = ln σ₀ − (E_a/R) · (1/T) by ordinary least squares in log space (never in linear σ space,
//! which over-weights the hottest points). E_a is reported per mole [J/mol] and per particle [eV];
//! standard errors are the OLS standard errors of slope and intercept (zero for exact data).
//!
//! The σT form, σ·T = A · exp(−E_a / (R T)), is fitted the same way on ln(σT) and gives a slightly
//! different E_a: the result always states which form was fitted ([`ArrheniusForm`]). VTF fits and the
//! AIC model choice are in [`crate::vtf`].

use serde::Serialize;
use spelab_core::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, GAS_CONSTANT};

use crate::AnalysisError;

/// The form of the Arrhenius law that was fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrheniusForm {
    /// σ = σ₀ exp(−E_a/RT).
    Sigma,
    /// σT = A exp(−E_a/RT) (prefactor A in [S K/m]).
    SigmaT,
}

impl ArrheniusForm {
    /// Short description for reports ("σ = σ₀ exp(−Ea/RT)").
    pub fn describe(self) -> &'static str {
        match self {
            ArrheniusForm::Sigma => "σ = σ₀ exp(−Ea/RT)",
            ArrheniusForm::SigmaT => "σT = A exp(−Ea/RT)",
        }
    }
}

/// Result of an Arrhenius fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrheniusFit {
    /// Which form was fitted.
    pub form: ArrheniusForm,
    /// Activation energy [J/mol].
    pub activation_energy: f64,
    /// Standard error of the activation energy [J/mol].
    pub activation_energy_std_error: f64,
    /// Pre-exponential factor σ₀ [S/m] (σ form) or A [S K/m] (σT form).
    pub prefactor: f64,
    /// Standard error of ln σ₀ [1].
    pub ln_prefactor_std_error: f64,
    /// Coefficient of determination of the line in (1/T, ln σ) [1].
    pub r_squared: f64,
    /// Number of points fitted [1].
    pub n_points: usize,
    /// Sum of squared residuals of ln σ [1].
    pub sse: f64,
    /// Akaike information criterion of the fit in ln σ (k = 2) [1].
    pub aic: f64,
}

impl ArrheniusFit {
    /// Activation energy per particle [eV].
    pub fn activation_energy_ev(&self) -> f64 {
        self.activation_energy / EV_PER_PARTICLE_IN_J_PER_MOL
    }

    /// Standard error of the activation energy per particle [eV].
    pub fn activation_energy_ev_std_error(&self) -> f64 {
        self.activation_energy_std_error / EV_PER_PARTICLE_IN_J_PER_MOL
    }

    /// Activation energy [kJ/mol].
    pub fn activation_energy_kj_per_mol(&self) -> f64 {
        self.activation_energy / 1000.0
    }

    /// Conductivity predicted by the fitted line at `temperature` [K] → [S/m].
    pub fn conductivity_at(&self, temperature: f64) -> f64 {
        let value = self.prefactor * (-self.activation_energy / (GAS_CONSTANT * temperature)).exp();
        match self.form {
            ArrheniusForm::Sigma => value,
            ArrheniusForm::SigmaT => value / temperature,
        }
    }
}

/// The straight-line fit behind an [`ArrheniusFit`], kept for prediction errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitLine {
    /// Slope [K] of ln σ against 1/T.
    pub slope: f64,
    /// Intercept [1] (ln σ₀).
    pub intercept: f64,
    /// Variance of the slope.
    pub var_slope: f64,
    /// Variance of the intercept.
    pub var_intercept: f64,
    /// Covariance of slope and intercept.
    pub cov: f64,
}

impl FitLine {
    /// Standard error of the line's value at abscissa `x`.
    pub fn prediction_std_error(&self, x: f64) -> f64 {
        (self.var_intercept + x * x * self.var_slope + 2.0 * x * self.cov).max(0.0).sqrt()
    }
}

/// Fits σ(T) = σ₀ exp(−E_a/RT) to temperatures [K] and conductivities [S/m].
///
/// Needs at least 2 points (3 for a standard error; with 2 the errors are reported as NaN).
pub fn fit_arrhenius(temperature: &[f64], conductivity: &[f64]) -> Result<ArrheniusFit, AnalysisError> {
    fit_arrhenius_line(temperature, conductivity).map(|(fit, _)| fit)
}

/// As [`fit_arrhenius`], also returning the underlying [`FitLine`].
pub fn fit_arrhenius_line(
    temperature: &[f64],
    conductivity: &[f64],
) -> Result<(ArrheniusFit, FitLine), AnalysisError> {
    fit_arrhenius_form(temperature, conductivity, ArrheniusForm::Sigma)
}

/// Fits the chosen Arrhenius `form` to temperatures [K] and conductivities [S/m], returning the fit
/// and its line (ln σ or ln σT against 1/T).
pub fn fit_arrhenius_form(
    temperature: &[f64],
    conductivity: &[f64],
    form: ArrheniusForm,
) -> Result<(ArrheniusFit, FitLine), AnalysisError> {
    const WHAT: &str = "Arrhenius fit";
    if temperature.len() != conductivity.len() {
        return Err(AnalysisError::LengthMismatch {
            what: WHAT,
            a: "temperature",
            len_a: temperature.len(),
            b: "conductivity",
            len_b: conductivity.len(),
        });
    }
    let n = temperature.len();
    if n < 2 {
        return Err(AnalysisError::TooFewPoints { what: WHAT, needed: 2, found: n });
    }
    for (column, values) in [("temperature", temperature), ("conductivity", conductivity)] {
        if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(AnalysisError::NotPositive { what: WHAT, column, index, value });
        }
    }
    let x: Vec<f64> = temperature.iter().map(|t| 1.0 / t).collect();
    let y: Vec<f64> = match form {
        ArrheniusForm::Sigma => conductivity.iter().map(|s| s.ln()).collect(),
        ArrheniusForm::SigmaT => conductivity.iter().zip(temperature).map(|(s, t)| (s * t).ln()).collect(),
    };
    let nf = n as f64;
    let mx = x.iter().sum::<f64>() / nf;
    let my = y.iter().sum::<f64>() / nf;
    let sxx: f64 = x.iter().map(|xi| (xi - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(&y).map(|(xi, yi)| (xi - mx) * (yi - my)).sum();
    let syy: f64 = y.iter().map(|yi| (yi - my).powi(2)).sum();
    if sxx <= f64::EPSILON * mx * mx * nf {
        return Err(AnalysisError::Degenerate { what: WHAT, column: "temperature" });
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = x.iter().zip(&y).map(|(xi, yi)| (yi - intercept - slope * xi).powi(2)).sum();
    // Residual variance with n − 2 degrees of freedom; undefined for two points.
    let s2 = if n > 2 { sse / (nf - 2.0) } else { f64::NAN };
    let var_slope = s2 / sxx;
    let var_intercept = s2 * (1.0 / nf + mx * mx / sxx);
    let cov = -mx * s2 / sxx;
    let r_squared = if syy > 0.0 { 1.0 - sse / syy } else { 1.0 };
    let fit = ArrheniusFit {
        form,
        activation_energy: -slope * GAS_CONSTANT,
        activation_energy_std_error: var_slope.sqrt() * GAS_CONSTANT,
        prefactor: intercept.exp(),
        ln_prefactor_std_error: var_intercept.sqrt(),
        r_squared,
        n_points: n,
        sse,
        aic: crate::fit::aic(n, sse, 2),
    };
    Ok((fit, FitLine { slope, intercept, var_slope, var_intercept, cov }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic(ea_ev: f64, sigma0: f64, temps: &[f64]) -> Vec<f64> {
        let ea = ea_ev * EV_PER_PARTICLE_IN_J_PER_MOL;
        temps.iter().map(|t| sigma0 * (-ea / (GAS_CONSTANT * t)).exp()).collect()
    }

    #[test]
    fn exact_data_recover_ea_to_1e_9() {
        let temps: Vec<f64> = (0..8).map(|i| 263.15 + 10.0 * i as f64).collect();
        let sigma = synthetic(0.18, 120.0, &temps);
        let fit = fit_arrhenius(&temps, &sigma).expect("fit");
        // Exact data: only f64 rounding of ln and sums, ~1e-13 relative; 1e-9 leaves ample margin.
        assert!((fit.activation_energy_ev() - 0.18).abs() < 1e-9 * 0.18);
        assert!((fit.prefactor - 120.0).abs() < 1e-9 * 120.0);
        assert!(fit.activation_energy_std_error < 1e-6);
        assert!((fit.r_squared - 1.0).abs() < 1e-12);
    }

    #[test]
    fn standard_error_matches_textbook_ols() {
        // Hand-made line with known residuals: y = 2 - 3x + e, e = (+0.1, -0.1, -0.1, +0.1).
        let x = [1.0e-3, 2.0e-3, 3.0e-3, 4.0e-3];
        let e = [0.1, -0.1, -0.1, 0.1];
        let temps: Vec<f64> = x.iter().map(|x| 1.0 / x).collect();
        let sigma: Vec<f64> = x.iter().zip(e).map(|(x, e)| (2.0 - 3.0 * x + e).exp()).collect();
        let (fit, line) = fit_arrhenius_line(&temps, &sigma).expect("fit");
        // The residual pattern is orthogonal to x, so the slope is exactly −3; sse = 0.04, s² = 0.02,
        // Sxx = 5e-6 → SE(slope) = sqrt(0.02 / 5e-6) = 63.245553...
        assert!((line.slope + 3.0).abs() < 1e-9);
        let se = (0.02f64 / 5e-6).sqrt();
        assert!((fit.activation_energy_std_error / GAS_CONSTANT - se).abs() < 1e-9 * se);
    }

    #[test]
    fn sigma_t_form_recovers_its_own_ea_to_1e_9() {
        let temps: Vec<f64> = (0..8).map(|i| 263.15 + 10.0 * i as f64).collect();
        let ea = 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL;
        let sigma: Vec<f64> = temps.iter().map(|t| 3.0e4 * (-ea / (GAS_CONSTANT * t)).exp() / t).collect();
        let (fit, _) = fit_arrhenius_form(&temps, &sigma, ArrheniusForm::SigmaT).expect("fit");
        assert!((fit.activation_energy_ev() - 0.18).abs() < 1e-9 * 0.18);
        assert!((fit.prefactor - 3.0e4).abs() < 1e-9 * 3.0e4);
        assert!(
            (fit.conductivity_at(300.0) - 3.0e4 * (-ea / (GAS_CONSTANT * 300.0)).exp() / 300.0).abs() < 1e-12
        );
        // The σ form on the same data gives a smaller Ea by about k_B·T_mean (~0.026 eV): not the same number.
        let (sigma_fit, _) = fit_arrhenius_form(&temps, &sigma, ArrheniusForm::Sigma).expect("fit");
        assert!((sigma_fit.activation_energy_ev() - 0.18 + 0.0257).abs() < 3e-3);
        assert!((fit.activation_energy_kj_per_mol() - 0.18 * 96.485_332).abs() < 1e-5);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(fit_arrhenius(&[300.0], &[1.0]), Err(AnalysisError::TooFewPoints { .. })));
        assert!(matches!(fit_arrhenius(&[300.0, 310.0], &[1.0]), Err(AnalysisError::LengthMismatch { .. })));
        assert!(matches!(
            fit_arrhenius(&[300.0, 310.0], &[1.0, -1.0]),
            Err(AnalysisError::NotPositive { index: 1, .. })
        ));
        assert!(matches!(
            fit_arrhenius(&[300.0, f64::NAN], &[1.0, 1.0]),
            Err(AnalysisError::NotPositive { .. })
        ));
        assert!(matches!(
            fit_arrhenius(&[300.0, 300.0, 300.0], &[1.0, 2.0, 3.0]),
            Err(AnalysisError::Degenerate { .. })
        ));
    }
}
