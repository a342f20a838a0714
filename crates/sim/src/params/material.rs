//! The typed, SI view of a preset that models take: [`MaterialParams`].
//!
//! Temperature dependence of the ionic conductivity (Arrhenius law in the σ form):
//!
//! ```text
//! σ(T) = σ25 · exp(−Ea/R · (1/T − 1/T25)),   T25 = 298.15 K
//! ```
//!
//! so ln σ is linear in 1/T with slope −Ea/R. The paper (Fig. 6b) does not say whether it fitted σ or
//! σT; the σ form is the one its Ea is read with here.

use serde::Serialize;
use spelab_core::constants::T_REF;
use spelab_core::metric::Conditions;
use spelab_core::units::Quantity;
use spelab_core::MetricId;

use super::{unit_key_suffix, ParamsError, Preset, PresetValue};
use crate::physics::arrhenius_factor;

/// The electrolyte parameters a model needs, SI, built by [`Preset::material_params`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MaterialParams {
    /// Ionic conductivity at 25 °C, σ25 [S/m].
    pub ionic_conductivity_25c: f64,
    /// Arrhenius activation energy of σ, Ea [J/mol].
    pub activation_energy: f64,
    /// Li⁺ transference number t₊ [1].
    pub transference_number: f64,
    /// Electronic conductivity [S/m].
    pub electronic_conductivity: f64,
    /// Exchange current density of the Li|electrolyte interface, i₀ [A/m²].
    pub exchange_current_density: f64,
    /// Electrolyte membrane thickness [m].
    pub thickness: f64,
    /// Model temperature [K].
    pub temperature: f64,
}

impl MaterialParams {
    /// Checks every field is finite and in its physical range: σ25 > 0, Ea ≥ 0, 0 < t₊ ≤ 1,
    /// electronic conductivity ≥ 0, i₀ > 0, thickness > 0, temperature > 0.
    pub fn validate(&self) -> Result<(), ParamsError> {
        let t_plus = self.transference_number;
        check(
            "ionic_conductivity_25c",
            self.ionic_conductivity_25c,
            self.ionic_conductivity_25c > 0.0,
            "> 0 S/m",
        )?;
        check("activation_energy", self.activation_energy, self.activation_energy >= 0.0, ">= 0 J/mol")?;
        check("transference_number", t_plus, t_plus > 0.0 && t_plus <= 1.0, "in (0, 1]")?;
        check(
            "electronic_conductivity",
            self.electronic_conductivity,
            self.electronic_conductivity >= 0.0,
            ">= 0 S/m",
        )?;
        check(
            "exchange_current_density",
            self.exchange_current_density,
            self.exchange_current_density > 0.0,
            "> 0 A/m2",
        )?;
        check("thickness", self.thickness, self.thickness > 0.0, "> 0 m")?;
        check("temperature", self.temperature, self.temperature > 0.0, "> 0 K")
    }

    /// Ionic conductivity at `temperature_k` [K] by the Arrhenius law in the σ form,
    /// σ25·exp(−Ea/R·(1/T − 1/298.15 K)) [S/m]; exactly σ25 at 298.15 K.
    pub fn ionic_conductivity_at(&self, temperature_k: f64) -> f64 {
        // Ea [J/mol] / R [J/(mol K)] is a temperature [K].
        self.ionic_conductivity_25c * arrhenius_factor(self.activation_energy, temperature_k, T_REF)
    }
}

impl Preset {
    /// The typed SI view a model needs, validated.
    ///
    /// Reads the paper values of ionic conductivity (at 25 °C), activation energy, transference
    /// number, electronic conductivity and exchange current density (the first value of each metric
    /// whose conditions match 298.15 K), and from the model group `thickness_<unit>` (a length) and
    /// `temperature_<unit>` (a temperature). A missing one is [`ParamsError::Missing`].
    pub fn material_params(&self) -> Result<MaterialParams, ParamsError> {
        let mut at_25c = Conditions::new();
        at_25c.insert("temperature_K".to_string(), T_REF);
        let metric = |m: MetricId| -> Result<f64, ParamsError> {
            self.input_paper_value(m, &at_25c).map(|v| v.si_value).ok_or_else(|| self.missing(m.as_str()))
        };
        let params = MaterialParams {
            ionic_conductivity_25c: metric(MetricId::IonicConductivity)?,
            activation_energy: metric(MetricId::ActivationEnergy)?,
            transference_number: metric(MetricId::TransferenceNumber)?,
            electronic_conductivity: metric(MetricId::ElectronicConductivity)?,
            exchange_current_density: metric(MetricId::ExchangeCurrentDensity)?,
            thickness: self.model_value("thickness", Quantity::Length)?,
            temperature: self.model_value("temperature", Quantity::Temperature)?,
        };
        params.validate()?;
        Ok(params)
    }

    /// SI value of the first `<name>_<unit suffix>` value of the given quantity.
    fn model_value(&self, name: &str, quantity: Quantity) -> Result<f64, ParamsError> {
        self.values
            .iter()
            .find(|v| v.quantity == quantity && is_named(v, name))
            .map(|v| v.si_value)
            .ok_or_else(|| self.missing(&format!("{name}_<unit>")))
    }

    fn missing(&self, key: &str) -> ParamsError {
        ParamsError::Missing { id: self.id.clone(), key: key.to_string() }
    }
}

/// `Ok` when `value` is finite and `in_range`, else [`ParamsError::Invalid`] naming `key`.
fn check(key: &str, value: f64, in_range: bool, range: &str) -> Result<(), ParamsError> {
    if value.is_finite() && in_range {
        Ok(())
    } else {
        Err(ParamsError::Invalid { key: key.to_string(), reason: format!("{value} is not {range}") })
    }
}

/// Whether the value's key is `name` followed by its unit suffix.
fn is_named(value: &PresetValue, name: &str) -> bool {
    value.key == format!("{name}_{}", unit_key_suffix(&value.unit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spelab_core::constants::GAS_CONSTANT;

    fn sample() -> MaterialParams {
        MaterialParams {
            ionic_conductivity_25c: 0.123,
            activation_energy: 0.18 * spelab_core::constants::EV_PER_PARTICLE_IN_J_PER_MOL,
            transference_number: 0.49,
            electronic_conductivity: 1.8e-7,
            exchange_current_density: 0.67,
            thickness: 1e-4,
            temperature: T_REF,
        }
    }

    #[test]
    fn arrhenius_returns_sigma25_at_25c_exactly() {
        let p = sample();
        // exp(0) = 1 exactly, so no tolerance is needed.
        assert_eq!(p.ionic_conductivity_at(T_REF), p.ionic_conductivity_25c);
    }

    #[test]
    fn arrhenius_slope_of_ln_sigma_vs_inverse_t_is_minus_ea_over_r() {
        let p = sample();
        let (t1, t2) = (263.15, 353.15);
        let slope =
            (p.ionic_conductivity_at(t2).ln() - p.ionic_conductivity_at(t1).ln()) / (1.0 / t2 - 1.0 / t1);
        let expected = -p.activation_energy / GAS_CONSTANT;
        // ln σ is exactly linear in 1/T; the only error is f64 rounding in ln, exp and 1/T (~1e-15).
        assert!((slope - expected).abs() <= 1e-12 * expected.abs(), "{slope} vs {expected}");
    }

    #[test]
    fn validate_rejects_out_of_range_values() {
        assert!(sample().validate().is_ok());
        let bad = MaterialParams { transference_number: 1.5, ..sample() };
        let err = bad.validate().unwrap_err();
        assert!(matches!(err, ParamsError::Invalid { ref key, .. } if key == "transference_number"));
        let nan = MaterialParams { thickness: f64::NAN, ..sample() };
        assert!(nan.validate().is_err());
    }
}
