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

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::eis::conductivity::{
    bulk_resistance_from_fit, bulk_resistance_from_spectrum, conductivity, BulkResistance,
};
use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions, Weighting};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::lab::{self, BlockingEis};
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::read_spectrum;
use crate::spec::{Material, StepSpec, StudyError};

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    file: Spanned<String>,
    temperature: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    temperatures: Option<Vec<Spanned<String>>>,
    noise: Option<Spanned<String>>,
    seed: Option<u64>,
    material: Option<Spanned<String>>,
    files: Option<Vec<FileEntry>>,
    thickness: Option<Spanned<String>>,
    thickness_error: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    area_error: Option<Spanned<String>>,
    circuit: Option<Spanned<String>>,
    #[serde(default)]
    element: Vec<String>,
}

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

const DEFAULT_AREA_M2: f64 = 2.01e-4;

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let opt_q = |spec: &StepSpec<'_>, v: &Option<Spanned<String>>, q: Quantity, key: &str| {
        v.as_ref().map(|v| spec.quantity(v, q, key)).transpose()
    };
    let thickness = opt_q(spec, &o.thickness, Quantity::Length, "thickness")?;
    let thickness_error =
        opt_q(spec, &o.thickness_error, Quantity::Length, "thickness_error")?.unwrap_or(0.0);
    let area = opt_q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(DEFAULT_AREA_M2);
    let area_error = opt_q(spec, &o.area_error, Quantity::Area, "area_error")?.unwrap_or(0.0);
    let circuit = match &o.circuit {
        Some(c) => {
            let parsed: Circuit =
                c.get_ref().parse().map_err(|e| spec.error(Some(c.span()), format!("circuit: {e}")))?;
            if o.element.is_empty() {
                return Err(spec.error(Some(c.span()), "`circuit` needs `element = [\"R1\"]` naming R_b"));
            }
            for e in &o.element {
                if parsed.param_index(e).is_none() {
                    return Err(spec.error(
                        Some(c.span()),
                        format!(
                            "element '{e}' is not a parameter of {parsed} ({})",
                            parsed.param_names().join(", ")
                        ),
                    ));
                }
            }
            Some((parsed, o.element.clone()))
        }
        None => None,
    };
    let mut inputs = Vec::new();
    if let Some(files) = &o.files {
        let Some(m) = &o.material else {
            return Err(spec
                .error(files.first().map(|f| f.file.span()), "measured spectra need `material = \"...\"`"));
        };
        let material = spec.material(m)?;
        for entry in files {
            let temperature = spec.quantity(&entry.temperature, Quantity::Temperature, "temperature")?;
            let path = spec.file(&entry.file, "file")?;
            inputs.push(Input {
                material: material.clone(),
                label: entry.file.get_ref().clone(),
                temperature,
                source: Source::File(path),
            });
        }
    } else {
        let materials = spec.materials_or_all(&o.materials)?;
        let temperatures = match &o.temperatures {
            Some(ts) => ts
                .iter()
                .map(|t| spec.quantity(t, Quantity::Temperature, "temperatures"))
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![298.15],
        };
        let noise = opt_q(spec, &o.noise, Quantity::Fraction, "noise")?.unwrap_or(0.0);
        if !(0.0..0.5).contains(&noise) {
            return Err(spec.error(o.noise.as_ref().map(Spanned::span), "noise must be between 0 and 50 %"));
        }
        let seed = o.seed.unwrap_or(1);
        for (i, m) in materials.iter().enumerate() {
            m.preset.material_params().map_err(|e| spec.error(None, format!("material '{}': {e}", m.id)))?;
            for (j, &t) in temperatures.iter().enumerate() {
                inputs.push(Input {
                    material: m.clone(),
                    label: format!("virtual {} at {:.1} °C", m.id, Quantity::Temperature.to_display(t)),
                    temperature: t,
                    source: Source::Virtual { noise, seed: seed.wrapping_add((i * 1000 + j) as u64) },
                });
            }
        }
    }
    Ok(Box::new(EisConductivity { inputs, thickness, thickness_error, area, area_error, circuit }))
}

impl EisConductivity {
    fn bulk(&self, spectrum: &ImpedanceSpectrum) -> anyhow::Result<BulkResistance> {
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
                Ok(bulk_resistance_from_fit(&fit, &names)?)
            }
            None => Ok(bulk_resistance_from_spectrum(spectrum)?),
        }
    }
}

impl Step for EisConductivity {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut table = Table {
            title: "Ionic conductivity σ = L/(R_b A)".into(),
            columns: ["material", "spectrum", "T", "R_b [Ω]", "method", "σ"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut nyquist = Figure::new(
            "eis-conductivity-nyquist",
            "Nyquist plots",
            Axis::linear("Z' [Ω]"),
            Axis::linear("−Z'' [Ω]"),
        );
        let n = self.inputs.len();
        for (i, input) in self.inputs.iter().enumerate() {
            let params = input
                .material
                .preset
                .material_params()
                .with_context(|| format!("material '{}'", input.material.id))?;
            let thickness = self.thickness.unwrap_or(params.thickness);
            let (spectrum, source, input_value) = match &input.source {
                Source::File(path) => (read_spectrum(path)?, input.label.clone(), None),
                Source::Virtual { noise, seed } => {
                    let options = BlockingEis {
                        area: self.area,
                        thickness: self.thickness,
                        relative_noise: *noise,
                        ..BlockingEis::default()
                    };
                    let spectrum = lab::conductivity_spectrum(&params, input.temperature, &options, *seed)
                        .with_context(|| input.label.clone())?;
                    (
                        spectrum,
                        SOURCE_SIMULATION.to_string(),
                        Some(params.ionic_conductivity_at(input.temperature)),
                    )
                }
            };
            let bulk = self.bulk(&spectrum).with_context(|| input.label.clone())?;
            let sigma = conductivity(&bulk, thickness, self.thickness_error, self.area, self.area_error)?;
            let mut metric = Metric::new(MetricId::IonicConductivity, sigma.sigma, source)
                .with_material(input.material.id.clone())
                .with_method(format!("EIS, σ = L/(R_b A), R_b from {}", bulk.method))
                .with_condition("temperature_K", input.temperature)
                .with_uncertainty(sigma.std_error);
            if let Some(v) = input_value {
                metric = metric.with_input_value(v);
            }
            table.rows.push(vec![
                input.material.id.clone(),
                input.label.clone(),
                format!("{:.1} °C", Quantity::Temperature.to_display(input.temperature)),
                format!("{:.4e} ± {:.2e}", bulk.value, bulk.std_error),
                bulk.method.to_string(),
                metric.display.clone(),
            ]);
            nyquist = nyquist.with_series(
                Series::line_markers(
                    input.label.clone(),
                    spectrum.real(),
                    spectrum.imag().iter().map(|v| -v).collect::<Vec<_>>(),
                )
                .with_color(i),
            );
            out.metrics.push(metric);
            progress((i + 1) as f64 / n as f64);
        }
        out.tables.push(table);
        out.figures.push(nyquist.with_caption(
            "Each spectrum analysed; R_b is read where the spike meets the real axis or from the fit.",
        ));
        if self.inputs.iter().any(|i| matches!(i.source, Source::Virtual { .. })) {
            out.notes.push(format!(
                "Virtual lab: the blocking-cell instrument's SS|SPE|SS spectra (R_b ∥ C_g + 2 double layers) from each material's σ(T), thickness and A = {:.3} cm²; the analysis should recover the input σ within its uncertainty.",
                Quantity::Area.to_display(self.area)
            ));
        }
        Ok(out)
    }
}
