//! Step kind `eis-conductivity`: ionic conductivity σ = L/(R_b A) from impedance spectra.
//!
//! Two sources of spectra:
//! - **measured** (`material` + `files = [{ file, temperature }]`): three-column text/CSV spectra
//!   (`f [Hz], Z' [Ohm], Z'' [Ohm]`);
//! - **virtual lab** (no `files`): for each material and temperature, the lab's one blocking-cell
//!   instrument records the stainless-steel | SPE | SS spectrum ([`lab::conductivity_spectrum`]:
//!   R_b ∥ C_g + 2 double layers, R_b = L/(σ(T) A) from the material's Arrhenius parameters,
//!   1 MHz → 0.1 Hz at 10 points per decade, optional seeded relative noise), the same cell the
//!   `arrhenius` step records; the analysis is the one measured files get.
//!
//! R_b comes from the named circuit elements when `circuit` and `element` are given, otherwise from
//! the spectrum (minimum of −Z'' / real-axis intercept); the method is reported with each value.
//!
//! Laid out as `options` (parsing), `virtual_lab` (the simulated blocking cell) and `present` (metric,
//! table, figure, note).

mod options;
mod present;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::eis::conductivity::{
    bulk_resistance_from_fit, bulk_resistance_from_spectrum, conductivity, BulkResistance,
};
use spelab_analysis::eis::fit::CircuitFit;
use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions, Weighting};
use spelab_core::ImpedanceSpectrum;
use spelab_sim::params::MaterialParams;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::read_spectrum;
use crate::spec::Material;
use options::parse;
use present::Presentation;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "eis-conductivity",
    title: "Ionic conductivity from impedance spectra",
    summary: "σ = L/(R_b A) with propagated uncertainty; R_b from a fitted element or the spectrum (minimum of -Z'' / real-axis intercept)",
    example: r#"[[step]]
kind = "eis-conductivity"
materials = ["pvh", "pvh-im"]        # virtual lab: blocking-cell spectra from the presets
temperatures = ["25 degC", "60 degC"]
noise = "1 %"
area = "2.01 cm2"                    # electrode area (default 2.01 cm2, a 16 mm disc)
# measured instead:  material = "pvh-im"   thickness = "100 um"
#   files = [{ file = "eis_25C.csv", temperature = "25 degC" }]
# R_b from a fit:    circuit = "R0-CPE1"   element = ["R0"]"#,
    parse,
};

/// One spectrum to analyse.
struct Input {
    material: Material,
    label: String,
    temperature: f64,
    source: Source,
}

enum Source {
    File(PathBuf),
    /// The lab's blocking cell with relative impedance `noise` [1], seeded by `seed`.
    Virtual {
        noise: f64,
        seed: u64,
    },
}

struct EisConductivity {
    inputs: Vec<Input>,
    thickness: Option<f64>,
    thickness_error: f64,
    area: f64,
    area_error: f64,
    circuit: Option<(Circuit, Vec<String>)>,
}

impl EisConductivity {
    /// R_b of one spectrum: from the named fitted elements, or from the spectrum itself.
    fn bulk(&self, spectrum: &ImpedanceSpectrum) -> anyhow::Result<(BulkResistance, Option<CircuitFit>)> {
        match &self.circuit {
            Some((circuit, elements)) => {
                let options = EisFitOptions { weighting: Weighting::Modulus, ..EisFitOptions::default() };
                let fit = fit_circuit(spectrum, circuit, &options)?;
                anyhow::ensure!(
                    fit.termination.converged(),
                    "the fit of {circuit} did not converge: {}",
                    fit.termination
                );
                let names: Vec<&str> = elements.iter().map(String::as_str).collect();
                Ok((bulk_resistance_from_fit(&fit, &names)?, Some(fit)))
            }
            None => Ok((bulk_resistance_from_spectrum(spectrum)?, None)),
        }
    }

    /// One input's spectrum [Ω], where it came from, and the simulation's input σ [S/m] if virtual.
    fn spectrum(
        &self,
        input: &Input,
        params: &MaterialParams,
    ) -> anyhow::Result<(ImpedanceSpectrum, String, Option<f64>)> {
        match &input.source {
            Source::File(path) => Ok((read_spectrum(path)?, input.label.clone(), None)),
            Source::Virtual { noise, seed } => self.simulated(input, params, *noise, *seed),
        }
    }
}

impl Step for EisConductivity {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut p = Presentation::new();
        let n = self.inputs.len();
        for (i, input) in self.inputs.iter().enumerate() {
            let params = input
                .material
                .preset
                .material_params()
                .with_context(|| format!("material '{}'", input.material.id))?;
            let thickness = self.thickness.unwrap_or(params.thickness);
            let (spectrum, source, input_value) = self.spectrum(input, &params)?;
            let (bulk, fit) = self.bulk(&spectrum).with_context(|| input.label.clone())?;
            let sigma = conductivity(&bulk, thickness, self.thickness_error, self.area, self.area_error)?;
            p.add(input, &spectrum, &bulk, fit, &sigma, source, input_value);
            progress((i + 1) as f64 / n as f64);
        }
        let mut out = StepOutput::default();
        p.finish(self, &mut out);
        Ok(out)
    }
}
