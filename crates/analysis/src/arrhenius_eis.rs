//! σ(T) from impedance spectra recorded at several temperatures, then the Arrhenius fit
//! (methods.md §1–2).
//!
//! Each spectrum gives a bulk resistance R_b(T) by one [`BulkMethod`]: the named element(s) of a
//! fitted circuit, or the spectrum's shape (minimum of −Z'' / real-axis intercept, see
//! [`crate::eis::conductivity`]); then σ(T) = L / (R_b(T) A) with its propagated standard error,
//! and ln σ (or ln σT) is fitted against 1/T by [`crate::arrhenius::fit_arrhenius_form`].
//!
//! The Arrhenius fit is ordinary least squares on the points, as for a table of σ(T): the scatter of
//! the points sets the standard error of E_a. Thickness and area errors are common to all
//! temperatures, so they move σ₀ but not E_a; they are part of each point's σ uncertainty.
//!
//! Errors name the spectrum they come from ([`AnalysisError::Input`]).
//!
//! ```
//! use spelab_analysis::arrhenius_eis::{arrhenius_from_spectra, BulkMethod, CellGeometry, SpectrumAtTemperature};
//! use spelab_analysis::arrhenius::ArrheniusForm;
//! use spelab_analysis::eis::Circuit;
//! use spelab_core::{ImpedanceSpectrum, Metadata};
//! // Bare-spike spectra (R_b in series with a CPE) at three temperatures, R_b = 10, 5, 2.5 Ω.
//! let c: Circuit = "R0-CPE1".parse().unwrap();
//! let f: Vec<f64> = (0..=50).map(|k| 10f64.powf(6.0 - 0.1 * k as f64)).collect();
//! let w: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
//! let spectra: Vec<ImpedanceSpectrum> = [10.0, 5.0, 2.5]
//!     .iter()
//!     .map(|r| ImpedanceSpectrum::new(f.clone(), c.impedances(&w, &[*r, 2e-5, 0.9]), Metadata::default()).unwrap())
//!     .collect();
//! let inputs: Vec<SpectrumAtTemperature> = [280.0, 300.0, 320.0]
//!     .iter()
//!     .zip(&spectra)
//!     .map(|(t, s)| SpectrumAtTemperature { label: format!("{t} K"), temperature: *t, spectrum: s })
//!     .collect();
//! let geometry = CellGeometry::new(100e-6, 2e-4);
//! let r = arrhenius_from_spectra(&inputs, &geometry, &BulkMethod::Spectrum, ArrheniusForm::Sigma).unwrap();
//! assert!((r.points[0].conductivity.bulk_resistance.value - 10.0).abs() < 1e-9);
//! assert!(r.fit.activation_energy > 0.0);
//! ```

use serde::Serialize;
use spelab_core::{ImpedanceSpectrum, Technique};

use crate::arrhenius::{fit_arrhenius_form, ArrheniusFit, ArrheniusForm, FitLine};
use crate::eis::conductivity::{
    bulk_resistance_from_fit, bulk_resistance_from_spectrum, conductivity, BulkResistance, Conductivity,
};
use crate::eis::{fit_circuit, Circuit, CircuitFit, EisFitOptions, Weighting};
use crate::error::check_technique;
use crate::AnalysisError;

const WHAT: &str = "Arrhenius from EIS";

/// How R_b is read from each spectrum.
// One value per analysis, never stored in bulk: boxing the circuit variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum BulkMethod {
    /// From the spectrum's shape: minimum of −Z'' between arc and spike, else the real-axis
    /// intercept ([`bulk_resistance_from_spectrum`]).
    Spectrum,
    /// From a circuit fit: R_b is the sum of the named resistances.
    Circuit {
        /// The circuit fitted to every spectrum.
        circuit: Circuit,
        /// The resistances whose sum is R_b (`["R0"]`).
        elements: Vec<String>,
        /// Fit options (see [`BulkMethod::circuit`] for the default).
        options: EisFitOptions,
    },
}

impl BulkMethod {
    /// R_b from the fitted `elements` of `circuit`, with modulus weighting (each point counts by its
    /// relative error, so the small high-frequency impedances that carry R_b are not swamped by the
    /// large low-frequency ones) and otherwise default fit options.
    pub fn circuit(circuit: &str, elements: &[&str]) -> Result<BulkMethod, AnalysisError> {
        let parsed: Circuit = circuit.parse()?;
        if elements.is_empty() {
            return Err(AnalysisError::InvalidInput {
                what: WHAT,
                reason: format!("name the element(s) of {parsed} that make R_b (e.g. R0)"),
            });
        }
        for e in elements {
            if parsed.param_index(e).is_none() {
                return Err(AnalysisError::UnknownParameter {
                    name: e.to_string(),
                    circuit: parsed.to_string(),
                    known: parsed.param_names().join(", "),
                });
            }
        }
        Ok(BulkMethod::Circuit {
            circuit: parsed,
            elements: elements.iter().map(|s| s.to_string()).collect(),
            options: EisFitOptions { weighting: Weighting::Modulus, ..EisFitOptions::default() },
        })
    }

    /// R_b of one spectrum, with the circuit fit when there is one. A fit that did not converge is
    /// an error (its R_b would be an arbitrary point of the optimiser's path).
    pub fn bulk_resistance(
        &self,
        spectrum: &ImpedanceSpectrum,
    ) -> Result<(BulkResistance, Option<CircuitFit>), AnalysisError> {
        match self {
            BulkMethod::Spectrum => Ok((bulk_resistance_from_spectrum(spectrum)?, None)),
            BulkMethod::Circuit { circuit, elements, options } => {
                let fit = fit_circuit(spectrum, circuit, options)?;
                if !fit.termination.converged() {
                    return Err(AnalysisError::Unusable {
                        what: "bulk resistance",
                        reason: format!("the fit of {circuit} did not converge ({})", fit.termination),
                    });
                }
                let names: Vec<&str> = elements.iter().map(String::as_str).collect();
                Ok((bulk_resistance_from_fit(&fit, &names)?, Some(fit)))
            }
        }
    }

    /// Short description for reports.
    pub fn describe(&self) -> String {
        match self {
            BulkMethod::Spectrum => "R_b from the spectrum (minimum of -Z'' / real-axis intercept)".into(),
            BulkMethod::Circuit { circuit, elements, .. } => {
                format!("R_b = {} of a fitted {circuit}", elements.join(" + "))
            }
        }
    }
}

/// Electrolyte geometry with its standard errors (all zero = exact).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CellGeometry {
    /// Electrolyte thickness L [m].
    pub thickness: f64,
    /// Standard error of L [m].
    pub thickness_std_error: f64,
    /// Electrode area A [m²].
    pub area: f64,
    /// Standard error of A [m²].
    pub area_std_error: f64,
}

impl CellGeometry {
    /// Exact thickness [m] and area [m²].
    pub fn new(thickness: f64, area: f64) -> CellGeometry {
        CellGeometry { thickness, thickness_std_error: 0.0, area, area_std_error: 0.0 }
    }
}

/// One spectrum and the temperature it was recorded at.
#[derive(Debug, Clone)]
pub struct SpectrumAtTemperature<'a> {
    /// Name used in errors and reports (the file name).
    pub label: String,
    /// Temperature [K].
    pub temperature: f64,
    /// The spectrum.
    pub spectrum: &'a ImpedanceSpectrum,
}

/// σ at one temperature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConductivityPoint {
    /// Name of the spectrum.
    pub label: String,
    /// Temperature [K].
    pub temperature: f64,
    /// σ, its uncertainty and the R_b it came from.
    pub conductivity: Conductivity,
    /// The circuit fit, when R_b came from one.
    pub fit: Option<CircuitFit>,
}

/// σ(T) from spectra and its Arrhenius fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EisArrhenius {
    /// One point per spectrum, in input order.
    pub points: Vec<ConductivityPoint>,
    /// The Arrhenius fit of the points.
    pub fit: ArrheniusFit,
    /// Its straight line (for prediction errors).
    pub line: FitLine,
}

impl EisArrhenius {
    /// Temperatures of the points [K].
    pub fn temperatures(&self) -> Vec<f64> {
        self.points.iter().map(|p| p.temperature).collect()
    }

    /// Conductivities of the points [S/m].
    pub fn conductivities(&self) -> Vec<f64> {
        self.points.iter().map(|p| p.conductivity.sigma).collect()
    }
}

/// σ(T) of each spectrum (see the module documentation); errors name the spectrum.
pub fn conductivity_series(
    inputs: &[SpectrumAtTemperature<'_>],
    geometry: &CellGeometry,
    method: &BulkMethod,
) -> Result<Vec<ConductivityPoint>, AnalysisError> {
    inputs
        .iter()
        .map(|input| {
            let label = input.label.as_str();
            let point = || -> Result<ConductivityPoint, AnalysisError> {
                let t = input.temperature;
                if !(t.is_finite() && t > 0.0) {
                    return Err(AnalysisError::InvalidParameter {
                        what: WHAT,
                        name: "temperature",
                        value: t,
                        expected: "finite and > 0 K",
                    });
                }
                check_technique(
                    WHAT,
                    "PEIS or GEIS (an impedance spectrum)",
                    input.spectrum.meta().technique,
                    &[Technique::Peis, Technique::Geis],
                )?;
                let (bulk, fit) = method.bulk_resistance(input.spectrum)?;
                let conductivity = conductivity(
                    &bulk,
                    geometry.thickness,
                    geometry.thickness_std_error,
                    geometry.area,
                    geometry.area_std_error,
                )?;
                Ok(ConductivityPoint { label: label.to_string(), temperature: t, conductivity, fit })
            };
            point().map_err(|e| e.for_input(label))
        })
        .collect()
}

/// σ(T) from the spectra, then the Arrhenius fit in `form`. Needs spectra at two or more distinct
/// temperatures (three for standard errors).
pub fn arrhenius_from_spectra(
    inputs: &[SpectrumAtTemperature<'_>],
    geometry: &CellGeometry,
    method: &BulkMethod,
    form: ArrheniusForm,
) -> Result<EisArrhenius, AnalysisError> {
    if inputs.len() < 2 {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!(
                "{} spectrum given ({}); an Arrhenius fit needs spectra at two or more temperatures",
                inputs.len(),
                inputs.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let points = conductivity_series(inputs, geometry, method)?;
    let t: Vec<f64> = points.iter().map(|p| p.temperature).collect();
    let s: Vec<f64> = points.iter().map(|p| p.conductivity.sigma).collect();
    let (fit, line) = fit_arrhenius_form(&t, &s, form)?;
    Ok(EisArrhenius { points, fit, line })
}
