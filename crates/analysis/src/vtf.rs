//! Vogel–Tammann–Fulcher (VTF) fit of σ(T) and the choice between Arrhenius and VTF by AIC
//! (methods.md §2).
//!
//! Model: σ(T) = A · T^(−1/2) · exp(−B / (T − T₀)), fitted in ln σ (as the Arrhenius fits are, so the
//! residuals of all models are comparable). B [K] gives the pseudo-activation energy E_a = R·B per mole
//! (k_B·B per particle).
//! - **T₀ fixed**: ln σ + ½ ln T = ln A − B · 1/(T − T₀) is a straight line: OLS.
//! - **T₀ free**: the profile SSE(T₀) is scanned on a grid below min T, then ln A, B and T₀ are
//!   refined together by Levenberg–Marquardt; standard errors from the covariance scaled by the reduced χ².
//!
//! [`compare_models`] fits Arrhenius (σ and σT forms) and VTF to the same data and names the model
//! with the lowest AIC = n ln(SSE/n) + 2k.

use serde::Serialize;
use spelab_core::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, GAS_CONSTANT};

use crate::arrhenius::{fit_arrhenius_form, ArrheniusFit, ArrheniusForm};
use crate::error::{check_len, check_positive};
use crate::fit::{aic, fit_line, levenberg_marquardt};
use crate::AnalysisError;

const WHAT: &str = "VTF fit";

/// How T₀ is treated in a VTF fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VogelTemperature {
    /// T₀ fixed at this value [K] (commonly T_g − 50 K).
    Fixed(f64),
    /// T₀ fitted together with A and B.
    Free,
}

/// Result of a VTF fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VtfFit {
    /// Prefactor A [S K^½/m].
    pub prefactor: f64,
    /// Standard error of ln A [1].
    pub ln_prefactor_std_error: f64,
    /// Pseudo-activation temperature B [K].
    pub b: f64,
    /// Standard error of B [K].
    pub b_std_error: f64,
    /// Vogel temperature T₀ [K].
    pub t0: f64,
    /// Standard error of T₀ [K] (0 when fixed).
    pub t0_std_error: f64,
    /// Whether T₀ was fitted.
    pub t0_free: bool,
    /// Coefficient of determination in ln σ [1].
    pub r_squared: f64,
    /// Sum of squared residuals of ln σ [1].
    pub sse: f64,
    /// AIC with k = 2 (T₀ fixed) or 3 (T₀ free) [1].
    pub aic: f64,
    /// Number of points [1].
    pub n_points: usize,
}

impl VtfFit {
    /// Pseudo-activation energy R·B [J/mol].
    pub fn activation_energy(&self) -> f64 {
        GAS_CONSTANT * self.b
    }

    /// Standard error of the pseudo-activation energy [J/mol].
    pub fn activation_energy_std_error(&self) -> f64 {
        GAS_CONSTANT * self.b_std_error
    }

    /// Pseudo-activation energy k_B·B [eV].
    pub fn activation_energy_ev(&self) -> f64 {
        self.activation_energy() / EV_PER_PARTICLE_IN_J_PER_MOL
    }

    /// Conductivity predicted at `temperature` [K] → [S/m] (NaN at or below T₀).
    pub fn conductivity_at(&self, temperature: f64) -> f64 {
        if temperature <= self.t0 {
            return f64::NAN;
        }
        self.prefactor / temperature.sqrt() * (-self.b / (temperature - self.t0)).exp()
    }
}

fn ln_sigma_model(t: f64, ln_a: f64, b: f64, t0: f64) -> f64 {
    ln_a - 0.5 * t.ln() - b / (t - t0)
}

fn fixed(temperature: &[f64], ln_sigma: &[f64], t0: f64) -> Result<(f64, f64, f64, f64, f64), AnalysisError> {
    let x: Vec<f64> = temperature.iter().map(|t| -1.0 / (t - t0)).collect();
    let y: Vec<f64> = temperature.iter().zip(ln_sigma).map(|(t, s)| s + 0.5 * t.ln()).collect();
    let line = fit_line(WHAT, &x, &y)?;
    Ok((line.intercept, line.intercept_se, line.slope, line.slope_se, line.sse))
}

/// Fits σ(T) = A T^(−1/2) exp(−B/(T − T₀)) to temperatures [K] and conductivities [S/m].
///
/// Needs ≥ 3 points with T₀ fixed (below every temperature) and ≥ 4 with T₀ free.
pub fn fit_vtf(
    temperature: &[f64],
    conductivity: &[f64],
    t0: VogelTemperature,
) -> Result<VtfFit, AnalysisError> {
    let needed = if t0 == VogelTemperature::Free { 4 } else { 3 };
    check_len(WHAT, ("temperature", temperature.len()), ("conductivity", conductivity.len()), needed)?;
    check_positive(WHAT, "temperature", temperature)?;
    check_positive(WHAT, "conductivity", conductivity)?;
    let n = temperature.len();
    let t_min = temperature.iter().copied().fold(f64::INFINITY, f64::min);
    let ln_sigma: Vec<f64> = conductivity.iter().map(|s| s.ln()).collect();
    let (ln_a, ln_a_se, b, b_se, t0_value, t0_se, sse, k) = match t0 {
        VogelTemperature::Fixed(t0) => {
            if !(t0.is_finite() && t0 >= 0.0 && t0 < t_min) {
                return Err(AnalysisError::InvalidParameter {
                    what: WHAT,
                    name: "T0",
                    value: t0,
                    expected: "finite, >= 0 K and below the lowest temperature",
                });
            }
            let (ln_a, ln_a_se, b, b_se, sse) = fixed(temperature, &ln_sigma, t0)?;
            (ln_a, ln_a_se, b, b_se, t0, 0.0, sse, 2)
        }
        VogelTemperature::Free => {
            // Profile scan: T₀ from 0 to min T − 1 K.
            let steps = 400;
            let mut best: Option<(f64, f64, f64, f64)> = None;
            for s in 0..steps {
                let t0 = (t_min - 1.0) * s as f64 / steps as f64;
                if let Ok((ln_a, _, b, _, sse)) = fixed(temperature, &ln_sigma, t0) {
                    if best.is_none_or(|(_, _, _, best_sse)| sse < best_sse) {
                        best = Some((t0, ln_a, b, sse));
                    }
                }
            }
            let (t0_start, ln_a0, b0, _) =
                best.ok_or(AnalysisError::Degenerate { what: WHAT, column: "temperature" })?;
            let fit = levenberg_marquardt(WHAT, &[ln_a0, b0, t0_start.max(1.0)], |p| {
                if p[2] >= t_min || p[2] < 0.0 {
                    return None;
                }
                Some(
                    temperature
                        .iter()
                        .zip(&ln_sigma)
                        .map(|(t, s)| ln_sigma_model(*t, p[0], p[1], p[2]) - s)
                        .collect(),
                )
            })?;
            let p = &fit.params;
            let se = &fit.std_errors;
            (p[0], se[0], p[1], se[1], p[2], se[2], fit.sse, 3)
        }
    };
    let mean = ln_sigma.iter().sum::<f64>() / n as f64;
    let syy: f64 = ln_sigma.iter().map(|v| (v - mean).powi(2)).sum();
    Ok(VtfFit {
        prefactor: ln_a.exp(),
        ln_prefactor_std_error: ln_a_se,
        b,
        b_std_error: b_se,
        t0: t0_value,
        t0_std_error: t0_se,
        t0_free: t0 == VogelTemperature::Free,
        r_squared: if syy > 0.0 { 1.0 - sse / syy } else { 1.0 },
        sse,
        aic: aic(n, sse, k),
        n_points: n,
    })
}

/// Which model describes σ(T) best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConductivityModel {
    /// Arrhenius, σ form.
    ArrheniusSigma,
    /// Arrhenius, σT form.
    ArrheniusSigmaT,
    /// VTF.
    Vtf,
}

/// Arrhenius (both forms) and VTF fitted to the same σ(T), with the AIC choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelComparison {
    /// Arrhenius, σ form.
    pub arrhenius_sigma: ArrheniusFit,
    /// Arrhenius, σT form.
    pub arrhenius_sigma_t: ArrheniusFit,
    /// VTF (None when it could not be fitted, e.g. too few points for T₀ free).
    pub vtf: Option<VtfFit>,
    /// Why the VTF fit is missing, when it is.
    pub vtf_error: Option<String>,
    /// The model with the lowest AIC (ties go to the simpler Arrhenius σ form).
    pub preferred: ConductivityModel,
}

/// Fits Arrhenius (σ and σT forms) and VTF (`t0` fixed or free) and picks the lowest AIC.
pub fn compare_models(
    temperature: &[f64],
    conductivity: &[f64],
    t0: VogelTemperature,
) -> Result<ModelComparison, AnalysisError> {
    let (arrhenius_sigma, _) = fit_arrhenius_form(temperature, conductivity, ArrheniusForm::Sigma)?;
    let (arrhenius_sigma_t, _) = fit_arrhenius_form(temperature, conductivity, ArrheniusForm::SigmaT)?;
    let (vtf, vtf_error) = match fit_vtf(temperature, conductivity, t0) {
        Ok(fit) => (Some(fit), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let mut preferred = ConductivityModel::ArrheniusSigma;
    let mut best = arrhenius_sigma.aic;
    if arrhenius_sigma_t.aic < best - 1e-9 {
        preferred = ConductivityModel::ArrheniusSigmaT;
        best = arrhenius_sigma_t.aic;
    }
    if let Some(v) = &vtf {
        if v.aic < best - 1e-9 {
            preferred = ConductivityModel::Vtf;
        }
    }
    Ok(ModelComparison { arrhenius_sigma, arrhenius_sigma_t, vtf, vtf_error, preferred })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtf_data(a: f64, b: f64, t0: f64) -> (Vec<f64>, Vec<f64>) {
        let t: Vec<f64> = (0..10).map(|i| 263.15 + 10.0 * i as f64).collect();
        let s = t.iter().map(|t| a / t.sqrt() * (-b / (t - t0)).exp()).collect();
        (t, s)
    }

    #[test]
    fn fixed_t0_recovers_b_to_1e_9() {
        let (t, s) = vtf_data(50.0, 900.0, 190.0);
        let fit = fit_vtf(&t, &s, VogelTemperature::Fixed(190.0)).unwrap();
        assert!((fit.b - 900.0).abs() < 1e-9 * 900.0, "{}", fit.b);
        assert!((fit.prefactor - 50.0).abs() < 1e-9 * 50.0);
        assert!((fit.activation_energy() - 900.0 * GAS_CONSTANT).abs() < 1e-6);
    }

    #[test]
    fn free_t0_recovers_all_parameters_to_1e_6() {
        let (t, s) = vtf_data(50.0, 900.0, 190.0);
        let fit = fit_vtf(&t, &s, VogelTemperature::Free).unwrap();
        // Exact data: LM converges to the zero-residual point; 1e-6 relative covers the finite-difference
        // Jacobian's effect on the last step.
        assert!((fit.t0 - 190.0).abs() < 1e-6 * 190.0, "{fit:?}");
        assert!((fit.b - 900.0).abs() < 1e-6 * 900.0);
        assert!((fit.prefactor - 50.0).abs() < 1e-6 * 50.0);
        assert!(fit.t0_free);
    }

    #[test]
    fn noisy_vtf_reports_nonzero_errors_that_cover_the_truth() {
        let (t, s) = vtf_data(50.0, 900.0, 190.0);
        let mut rng = spelab_testkit::Rng::new(11);
        let s: Vec<f64> = s.iter().map(|s| s * (1.0 + 0.01 * rng.normal())).collect();
        let fit = fit_vtf(&t, &s, VogelTemperature::Fixed(190.0)).unwrap();
        // 1 % scatter: B within 4 SE of 900 K, and the SE is positive and < 10 % of B.
        assert!(fit.b_std_error > 0.0 && fit.b_std_error < 90.0, "{fit:?}");
        assert!((fit.b - 900.0).abs() < 4.0 * fit.b_std_error, "{fit:?}");
        let free = fit_vtf(&t, &s, VogelTemperature::Free).unwrap();
        assert!(free.t0_std_error > 0.0 && free.aic.is_finite());
    }

    #[test]
    fn aic_picks_vtf_for_curved_data_and_arrhenius_for_straight_data() {
        let (t, s) = vtf_data(50.0, 900.0, 190.0);
        let c = compare_models(&t, &s, VogelTemperature::Free).unwrap();
        assert_eq!(c.preferred, ConductivityModel::Vtf);
        // Exact Arrhenius data with Ea = 0.18 eV, plus tiny deterministic scatter so SSE > 0.
        let ea = 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL;
        let t: Vec<f64> = (0..10).map(|i| 263.15 + 10.0 * i as f64).collect();
        let s: Vec<f64> = t
            .iter()
            .enumerate()
            .map(|(i, t)| 10.0 * (-ea / (GAS_CONSTANT * t)).exp() * (1.0 + 0.01 * [1.0, -1.0][i % 2]))
            .collect();
        let c = compare_models(&t, &s, VogelTemperature::Free).unwrap();
        assert_ne!(c.preferred, ConductivityModel::Vtf, "{c:?}");
        assert!((c.arrhenius_sigma.activation_energy_ev() - 0.18).abs() < 2e-3);
    }

    #[test]
    fn synthetic_arrhenius_recovers_ea_0_18_ev_to_1e_6() {
        let ea = 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL;
        let t: Vec<f64> = (0..8).map(|i| 273.15 + 10.0 * i as f64).collect();
        let s: Vec<f64> = t.iter().map(|t| 20.0 * (-ea / (GAS_CONSTANT * t)).exp()).collect();
        let c = compare_models(&t, &s, VogelTemperature::Fixed(150.0)).unwrap();
        assert!((c.arrhenius_sigma.activation_energy_ev() - 0.18).abs() < 1e-6);
        assert!(c.arrhenius_sigma.activation_energy_ev_std_error() < 1e-6);
    }

    #[test]
    fn bad_t0_and_too_few_points_are_errors() {
        let (t, s) = vtf_data(50.0, 900.0, 190.0);
        assert!(matches!(
            fit_vtf(&t, &s, VogelTemperature::Fixed(300.0)),
            Err(AnalysisError::InvalidParameter { .. })
        ));
        assert!(matches!(
            fit_vtf(&t[..3], &s[..3], VogelTemperature::Free),
            Err(AnalysisError::TooFewPoints { .. })
        ));
        let mut bad = s.clone();
        bad[2] = f64::NAN;
        assert!(matches!(fit_vtf(&t, &bad, VogelTemperature::Free), Err(AnalysisError::NotPositive { .. })));
        assert!(fit_vtf(&[], &[], VogelTemperature::Fixed(100.0)).is_err());
    }
}
