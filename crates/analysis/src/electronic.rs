//! Electronic conductivity from DC polarization of an SS|SPE|SS cell (methods.md §4).
//!
//! σ_e = I_e · L / (V · A), with I_e the steady-state current under the bias V, found by the same slope
//! test as the transference number ([`crate::transference::steady_state`]): the record must have
//! reached a plateau, else the analysis refuses (a decaying ionic current overestimates σ_e). Also
//! reported: σ_e/σ_ion when σ_ion is given. Uncertainty: (δσ/σ)² = (δI/I)² + (δL/L)² + (δA/A)² + (δV/V)².

use serde::Serialize;
use spelab_core::{Technique, TimeSeries};

use crate::error::{check_param_positive, check_technique};
use crate::transference::{steady_state, Plateau, SteadyStateOptions, Value};
use crate::AnalysisError;

const WHAT: &str = "electronic conductivity";

/// Cell geometry and bias, each with its standard uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DcPolarizationSetup {
    /// Applied bias V [V].
    pub voltage: Value,
    /// Electrolyte thickness L [m].
    pub thickness: Value,
    /// Electrode area A [m²].
    pub area: Value,
}

/// Result of [`electronic_conductivity`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElectronicConductivity {
    /// σ_e [S/m].
    pub conductivity: Value,
    /// The plateau used.
    pub plateau: Plateau,
    /// σ_e / σ_ion when σ_ion was given [1].
    pub ratio_to_ionic: Option<f64>,
    /// Setup used.
    pub setup: DcPolarizationSetup,
}

/// σ_e from a DC-polarization record (time [s], current [A]).
pub fn electronic_conductivity(
    time: &[f64],
    current: &[f64],
    setup: &DcPolarizationSetup,
    ionic_conductivity: Option<f64>,
    options: &SteadyStateOptions,
) -> Result<ElectronicConductivity, AnalysisError> {
    check_param_positive(WHAT, "bias voltage", setup.voltage.value.abs())?;
    check_param_positive(WHAT, "thickness", setup.thickness.value)?;
    check_param_positive(WHAT, "area", setup.area.value)?;
    if let Some(s) = ionic_conductivity {
        check_param_positive(WHAT, "ionic conductivity", s)?;
    }
    let plateau = steady_state(WHAT, time, current, options)?;
    let i = plateau.current;
    let v = setup.voltage.value.abs();
    let sigma = i.value * setup.thickness.value / (v * setup.area.value);
    let rel = [
        i.uncertainty / i.value,
        setup.thickness.uncertainty / setup.thickness.value,
        setup.area.uncertainty / setup.area.value,
        setup.voltage.uncertainty / v,
    ];
    let u = sigma * rel.iter().map(|r| r * r).sum::<f64>().sqrt();
    Ok(ElectronicConductivity {
        conductivity: Value::new(sigma, u),
        ratio_to_ionic: ionic_conductivity.map(|s| sigma / s),
        plateau,
        setup: *setup,
    })
}

/// As [`electronic_conductivity`] for a [`TimeSeries`]; refuses records whose technique is not a
/// potentiostatic hold (CA or DC polarization).
pub fn electronic_conductivity_from_series(
    series: &TimeSeries,
    setup: &DcPolarizationSetup,
    ionic_conductivity: Option<f64>,
    options: &SteadyStateOptions,
) -> Result<ElectronicConductivity, AnalysisError> {
    check_technique(
        WHAT,
        "CA or DC polarization",
        series.meta().technique,
        &[Technique::Ca, Technique::DcPolarization],
    )?;
    electronic_conductivity(series.time(), series.current(), setup, ionic_conductivity, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spelab_core::Metadata;

    fn setup() -> DcPolarizationSetup {
        DcPolarizationSetup {
            voltage: Value::new(0.5, 0.0),
            thickness: Value::new(100e-6, 2e-6),
            area: Value::new(1e-4, 0.0),
        }
    }

    #[test]
    fn plateau_current_gives_sigma_e_exactly() {
        // σ_e = 1.8e-9 S/cm = 1.8e-7 S/m ⇒ I_e = σ V A / L = 1.8e-7 · 0.5 · 1e-4 / 1e-4 = 9e-8 A.
        let ie = 9e-8;
        let t: Vec<f64> = (0..=3600).map(|k| k as f64 * 5.0).collect();
        let i: Vec<f64> = t.iter().map(|t| ie + 5e-6 * (-t / 900.0).exp()).collect();
        let r =
            electronic_conductivity(&t, &i, &setup(), Some(0.123), &SteadyStateOptions::default()).unwrap();
        // Residual exp(−16200/900) · 5e-6 = 7.6e-14 A on 9e-8 A: < 1e-6 relative.
        assert!((r.conductivity.value - 1.8e-7).abs() < 1e-6 * 1.8e-7, "{:?}", r.conductivity);
        // Thickness error 2 % dominates the uncertainty.
        assert!((r.conductivity.uncertainty / r.conductivity.value - 0.02).abs() < 1e-3);
        assert!((r.ratio_to_ionic.unwrap() - 1.8e-7 / 0.123).abs() < 1e-12);
    }

    #[test]
    fn wrong_technique_and_bad_setup_are_errors() {
        let t: Vec<f64> = (0..100).map(|k| k as f64).collect();
        let i = vec![1e-8; 100];
        let meta = Metadata::default().with_technique(Technique::Gcpl);
        let ts = TimeSeries::new(t.clone(), i.clone(), vec![0.5; 100], meta).unwrap();
        assert!(matches!(
            electronic_conductivity_from_series(&ts, &setup(), None, &SteadyStateOptions::default()),
            Err(AnalysisError::WrongTechnique { .. })
        ));
        let mut bad = setup();
        bad.thickness.value = 0.0;
        assert!(electronic_conductivity(&t, &i, &bad, None, &SteadyStateOptions::default()).is_err());
    }
}
