//! The resistances of the Bruce–Vincent method from impedance spectra of the Li | SPE | Li cell
//! recorded before and after polarization (methods.md §3).
//!
//! The same equivalent circuit is fitted to both spectra (default `R0-p(R1,CPE1)`: bulk resistance
//! R0 in series with the interfacial arc R1 ∥ CPE1); R_b is the sum of the named bulk elements and
//! R_i the sum of the named interfacial elements (e.g. `["R1", "R2"]` when SEI and charge transfer
//! are fitted as two arcs), each with the standard error of the fit (a sum's variance from the fit's
//! correlation matrix, as [`crate::eis::conductivity::bulk_resistance_from_fit`] computes it). The
//! result feeds [`crate::transference::transference_number`]: R_b,0 and R_i,0 from the spectrum
//! before, R_i,ss from the spectrum after.
//!
//! Fit the frequency range where the circuit holds: a finite-length (Warburg) diffusion tail at the
//! lowest frequencies is not part of R_i and biases R1 upwards when left in the fit.
//!
//! ```
//! use spelab_analysis::eis::Circuit;
//! use spelab_analysis::transference_eis::{resistances_from_spectra, InterfaceCircuit};
//! use spelab_core::{ImpedanceSpectrum, Metadata};
//! let c: Circuit = "R0-p(R1,CPE1)".parse().unwrap();
//! let f: Vec<f64> = (0..=60).map(|k| 10f64.powf(6.0 - 0.1 * k as f64)).collect();
//! let w: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
//! let spectrum = |ri: f64| ImpedanceSpectrum::new(f.clone(), c.impedances(&w, &[100.0, ri, 1e-5, 0.9]), Metadata::default()).unwrap();
//! let (before, after) = (spectrum(300.0), spectrum(350.0));
//! let r = resistances_from_spectra(("before.mpr", &before), ("after.mpr", &after), &InterfaceCircuit::default()).unwrap();
//! assert!((r.resistances.bulk_initial.value - 100.0).abs() < 1e-6);
//! assert!((r.resistances.interface_steady.value - 350.0).abs() < 1e-6);
//! ```

use serde::Serialize;
use spelab_core::{ImpedanceSpectrum, Technique};

use crate::eis::conductivity::bulk_resistance_from_fit;
use crate::eis::{fit_circuit, Circuit, CircuitFit, EisFitOptions, Weighting};
use crate::error::check_technique;
use crate::transference::{Resistances, Value};
use crate::AnalysisError;

const WHAT: &str = "transference number from EIS";

/// The circuit fitted to the before/after spectra and the elements that make R_b and R_i.
#[derive(Debug, Clone, PartialEq)]
pub struct InterfaceCircuit {
    /// The circuit.
    pub circuit: Circuit,
    /// Resistances whose sum is R_b (`["R0"]`).
    pub bulk: Vec<String>,
    /// Resistances whose sum is R_i (`["R1"]`).
    pub interface: Vec<String>,
    /// Fit options (default: modulus weighting, so the small bulk resistance at high frequency counts
    /// as much as the large interfacial arc).
    pub options: EisFitOptions,
}

impl Default for InterfaceCircuit {
    /// `R0-p(R1,CPE1)`, R_b = R0, R_i = R1.
    fn default() -> Self {
        InterfaceCircuit::new("R0-p(R1,CPE1)", &["R0"], &["R1"]).expect("valid default circuit")
    }
}

impl InterfaceCircuit {
    /// `circuit` with R_b = Σ `bulk` and R_i = Σ `interface`; every name must be a resistance of
    /// the circuit, and the two lists must not share one.
    pub fn new(circuit: &str, bulk: &[&str], interface: &[&str]) -> Result<InterfaceCircuit, AnalysisError> {
        let parsed: Circuit = circuit.parse()?;
        for (role, names) in [("bulk", bulk), ("interface", interface)] {
            if names.is_empty() {
                return Err(AnalysisError::InvalidInput {
                    what: WHAT,
                    reason: format!("name the {role} resistance(s) of {parsed}"),
                });
            }
            for name in names {
                let params = parsed.params();
                let Some(i) = parsed.param_index(name) else {
                    return Err(AnalysisError::UnknownParameter {
                        name: name.to_string(),
                        circuit: parsed.to_string(),
                        known: parsed.param_names().join(", "),
                    });
                };
                if params[i].spec.unit != "Ohm" {
                    return Err(AnalysisError::InvalidInput {
                        what: WHAT,
                        reason: format!(
                            "{role} element {name} is in {}, not a resistance",
                            params[i].spec.unit
                        ),
                    });
                }
            }
        }
        if let Some(shared) = bulk.iter().find(|b| interface.contains(b)) {
            return Err(AnalysisError::InvalidInput {
                what: WHAT,
                reason: format!("{shared} is named both as bulk and as interface resistance"),
            });
        }
        Ok(InterfaceCircuit {
            circuit: parsed,
            bulk: bulk.iter().map(|s| s.to_string()).collect(),
            interface: interface.iter().map(|s| s.to_string()).collect(),
            options: EisFitOptions { weighting: Weighting::Modulus, ..EisFitOptions::default() },
        })
    }

    /// Short description for reports.
    pub fn describe(&self) -> String {
        format!(
            "R_b = {}, R_i = {} of a fitted {}",
            self.bulk.join(" + "),
            self.interface.join(" + "),
            self.circuit
        )
    }

    /// (R_b, R_i) of one spectrum with the fit.
    pub fn resistances(
        &self,
        spectrum: &ImpedanceSpectrum,
    ) -> Result<(Value, Value, CircuitFit), AnalysisError> {
        check_technique(
            WHAT,
            "PEIS or GEIS (an impedance spectrum)",
            spectrum.meta().technique,
            &[Technique::Peis, Technique::Geis],
        )?;
        let fit = fit_circuit(spectrum, &self.circuit, &self.options)?;
        if !fit.termination.converged() {
            return Err(AnalysisError::Unusable {
                what: WHAT,
                reason: format!("the fit of {} did not converge ({})", self.circuit, fit.termination),
            });
        }
        let sum = |names: &[String]| -> Result<Value, AnalysisError> {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let r = bulk_resistance_from_fit(&fit, &names)?;
            Ok(Value::new(r.value, r.std_error))
        };
        Ok((sum(&self.bulk)?, sum(&self.interface)?, fit))
    }
}

/// The resistances for Bruce–Vincent and the fits they came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EisResistances {
    /// R_b,0, R_i,0 (before) and R_i,ss (after).
    pub resistances: Resistances,
    /// R_b after polarization (not used by Bruce–Vincent; a change flags an unstable cell) [Ω].
    pub bulk_after: Value,
    /// The fit of the spectrum before polarization.
    pub fit_before: CircuitFit,
    /// The fit of the spectrum after polarization.
    pub fit_after: CircuitFit,
}

/// R_b,0 and R_i,0 from `before`, R_i,ss from `after`, each given as (name, spectrum); errors name
/// the spectrum.
pub fn resistances_from_spectra(
    before: (&str, &ImpedanceSpectrum),
    after: (&str, &ImpedanceSpectrum),
    circuit: &InterfaceCircuit,
) -> Result<EisResistances, AnalysisError> {
    let (rb0, ri0, fit_before) = circuit.resistances(before.1).map_err(|e| e.for_input(before.0))?;
    let (rb1, riss, fit_after) = circuit.resistances(after.1).map_err(|e| e.for_input(after.0))?;
    Ok(EisResistances {
        resistances: Resistances { bulk_initial: rb0, interface_initial: ri0, interface_steady: riss },
        bulk_after: rb1,
        fit_before,
        fit_after,
    })
}
