//! Step kind `arrhenius`: activation energy and 25 °C conductivity from σ(T).
//!
//! Three sources of σ(T):
//! - **virtual lab** (no `file`/`files`): for each material, the lab's blocking-cell instrument records the
//!   SS|SPE|SS spectrum of the preset at each temperature of the ladder (1 MHz → 0.1 Hz,
//!   optional seeded relative impedance noise), and σ(T) comes from those spectra by the measured-data
//!   path below (default R_b = R0 of a fitted R0-CPE1: the bulk arc of these membranes lies above
//!   1 MHz); the step reports the recovered Ea and σ(25 °C) beside the preset's input and the paper;
//! - **measured table** (`file` + `material`): a table with a temperature and a conductivity column
//!   whose header carries units (`temperature [degC], conductivity [mS/cm]`);
//! - **measured spectra** (`files = [...]` + `material`, `thickness`, `area`): one impedance spectrum per
//!   temperature (any format `spelab eis` reads), temperatures from `temperatures = [...]` or from the
//!   files' metadata; R_b from `circuit` + `element`, else from the spectrum (minimum of −Z'' /
//!   real-axis intercept), σ = L/(R_b A) (`spelab_analysis::arrhenius_eis`).
//!
//! Every source goes through the same analysis (`spelab_analysis::arrhenius`): ln σ (or ln σT,
//! `form = "sigma_t"`) vs 1/T, Eₐ and σ at 25 °C from the fitted line, with OLS standard errors. With
//! `vtf_t0` (`"free"` or a temperature) a VTF fit is added and the model with the lowest AIC is named
//! (`spelab_analysis::vtf`).
//!
//! Laid out as `options` (parsing), `measured` (the σ(T) table), `spectra` (σ(T) from impedance
//! spectra, measured or virtual), `virtual_lab`, and `present` (tables, figures, notes).

mod measured;
mod options;
mod present;
mod spectra;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::arrhenius::{fit_arrhenius_form, ArrheniusFit, ArrheniusForm, FitLine};
use spelab_analysis::arrhenius_eis::{BulkMethod, CellGeometry};
use spelab_analysis::vtf::VogelTemperature;
use spelab_core::constants::T_REF;
use spelab_core::metric::{Metric, MetricId};

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;
use present::Report;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "arrhenius",
    title: "Ionic conductivity vs temperature (Arrhenius)",
    summary: "Activation energy Ea and σ(25 °C) from σ(T): virtual EIS of the materials, EIS files at several temperatures, or a table",
    example: r#"[[step]]
kind = "arrhenius"
materials = ["pvh", "pvh-im"]        # virtual lab: simulate these (default: all)
temperatures = ["0 degC", "20 degC", "40 degC", "60 degC", "80 degC"]
noise = "1 %"                        # optional relative impedance noise of the virtual EIS (seeded)
seed = 1
area = "2.01 cm2"                    # virtual cell area (default 2.01 cm2)
circuit = "R0-CPE1"                  # R_b = element of the fitted circuit (virtual default R0-CPE1, R0)
element = ["R0"]
form = "sigma"                       # or "sigma_t" (σT = A exp(−Ea/RT)); the report says which
vtf_t0 = "free"                      # optional: also fit VTF (T0 free or e.g. "200 K") and choose by AIC
# measured table:    file = "sigma_T.csv"   material = "pvh-im"
#                    temperature_column = "temperature"   conductivity_column = "conductivity"
# measured spectra:  files = ["eis_0C.mpr", "eis_40C.mpr", "eis_80C.mpr"]   material = "pvh-im"
#                    temperatures = ["0 degC", "40 degC", "80 degC"]   (else read from the files)
#                    thickness = "100 um"   area = "2.01 cm2"   (thickness_error, area_error optional)
#                    circuit = "R0-p(R1,CPE1)-CPE2"  element = ["R0"]  (else minimum of -Z'' / intercept)"#,
    parse,
};

enum Source {
    Virtual {
        materials: Vec<Material>,
        temperatures: Vec<f64>,
        noise: f64,
        seed: u64,
        area: f64,
        method: BulkMethod,
    },
    Spectra {
        material: Material,
        files: Vec<(String, PathBuf)>,
        temperatures: Option<Vec<f64>>,
        geometry: CellGeometry,
        method: BulkMethod,
    },
    Measured {
        material: Material,
        path: PathBuf,
        label: String,
        temperature_column: String,
        conductivity_column: String,
    },
}

struct Arrhenius {
    source: Source,
    form: ArrheniusForm,
    vtf: Option<VogelTemperature>,
}

const DEFAULT_LADDER_C: [f64; 9] = [0.0, 10.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 80.0];
/// Area of the virtual blocking cell, a 16 mm disc [m²].
const DEFAULT_AREA_M2: f64 = spelab_core::constants::DEFAULT_BLOCKING_CELL_AREA;
/// Largest deviation of the virtual lab's recovered Ea and σ(25 °C) from the preset's input that the
/// round trip accepts (issue 6) [1].
const ROUND_TRIP_TOLERANCE: f64 = 0.02;

/// One material's σ(T) data set.
struct Dataset {
    material: Material,
    source: String,
    temperature: Vec<f64>,
    conductivity: Vec<f64>,
    input: Option<(f64, f64)>,
    /// The spectra σ(T) came from, when it came from spectra.
    eis: Option<spectra::EisSeries>,
}

/// One material's fitted line and the two metrics read from it.
struct Fitted {
    fit: ArrheniusFit,
    line: FitLine,
    activation_energy: Metric,
    conductivity_25c: Metric,
}

impl Arrhenius {
    /// σ(T) of each material from the step's source.
    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual { materials, temperatures, noise, seed, area, method } => {
                virtual_lab::datasets(materials, temperatures, *noise, *seed, *area, method)
            }
            Source::Spectra { material, files, temperatures, geometry, method } => {
                let series = spectra::measured(files, temperatures.as_deref(), *geometry, method)
                    .with_context(|| format!("material '{}'", material.id))?;
                Ok(vec![Dataset {
                    material: material.clone(),
                    source: files.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>().join(", "),
                    temperature: series.points.iter().map(|p| p.temperature).collect(),
                    conductivity: series.points.iter().map(|p| p.conductivity.sigma).collect(),
                    input: None,
                    eis: Some(series),
                }])
            }
            Source::Measured { material, path, label, temperature_column, conductivity_column } => {
                let (temperature, conductivity) =
                    measured::read_table(path, label, temperature_column, conductivity_column)?;
                Ok(vec![Dataset {
                    material: material.clone(),
                    source: label.clone(),
                    temperature,
                    conductivity,
                    input: None,
                    eis: None,
                }])
            }
        }
    }

    /// The Arrhenius fit of `d` in the step's form, and Eₐ and σ(25 °C) as metrics (with standard
    /// errors from three points on, and the preset's input for the virtual lab).
    fn fit(&self, d: &Dataset) -> anyhow::Result<Fitted> {
        let (fit, line) = fit_arrhenius_form(&d.temperature, &d.conductivity, self.form)
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
        let sigma25 = fit.conductivity_at(T_REF);
        let method = match self.form {
            ArrheniusForm::Sigma => {
                format!("Arrhenius fit, σ form, OLS on ln σ vs 1/T, n = {}", fit.n_points)
            }
            ArrheniusForm::SigmaT => format!(
                "Arrhenius fit, σT form (σT = A exp(−Ea/RT)), OLS on ln σT vs 1/T, n = {}",
                fit.n_points
            ),
        };
        let method = match &d.eis {
            Some(e) => {
                format!(
                    "σ(T) from {} impedance spectra (σ = L/(R_b A), {}); {method}",
                    e.points.len(),
                    e.method
                )
            }
            None => method,
        };
        let mut ea = Metric::new(MetricId::ActivationEnergy, fit.activation_energy, d.source.clone())
            .with_material(d.material.id.clone())
            .with_method(method.clone());
        let mut s25 = Metric::new(MetricId::IonicConductivity, sigma25, d.source.clone())
            .with_material(d.material.id.clone())
            .with_method(format!("{method}; σ at 25 °C from the fitted line"))
            .with_condition("temperature_K", T_REF);
        if fit.n_points > 2 {
            ea = ea.with_uncertainty(fit.activation_energy_std_error);
            s25 = s25.with_uncertainty(sigma25 * line.prediction_std_error(1.0 / T_REF));
        }
        if let Some((ea_in, s_in)) = d.input {
            ea = ea.with_input_value(ea_in);
            s25 = s25.with_input_value(s_in);
        }
        Ok(Fitted { fit, line, activation_energy: ea, conductivity_25c: s25 })
    }

    /// The step's options (`form`, `vtf_t0`) on every metric.
    fn tag_options(&self, metrics: &mut [Metric]) {
        let form = match self.form {
            ArrheniusForm::Sigma => "sigma",
            ArrheniusForm::SigmaT => "sigma_t",
        };
        for m in metrics {
            m.options.insert("form".into(), form.into());
            match self.vtf {
                Some(VogelTemperature::Free) => {
                    m.options.insert("vtf_t0".into(), "free".into());
                }
                Some(VogelTemperature::Fixed(t0)) => {
                    m.options.insert("vtf_t0".into(), format!("{t0} K"));
                }
                None => {}
            }
        }
    }
}

impl Step for Arrhenius {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets = self.datasets()?;
        let mut out = StepOutput::default();
        let mut report = Report::new();
        let n = datasets.len();
        for (i, d) in datasets.iter().enumerate() {
            let fitted = self.fit(d)?;
            if d.input.is_some() {
                report.round_trip(&mut out.notes, &d.material, &fitted);
            }
            report.add_fit(i, d, &fitted);
            if let Some(t0) = self.vtf {
                report.add_models(i, d, t0, &mut out.notes)?;
            }
            out.metrics.push(fitted.activation_energy);
            out.metrics.push(fitted.conductivity_25c);
            progress((i + 1) as f64 / n as f64);
        }
        if let Source::Virtual { noise, seed, area, method, .. } = &self.source {
            out.notes.push(virtual_lab::note(*noise, *seed, *area, method));
        }
        self.tag_options(&mut out.metrics);
        report.finish(self.form, &mut out);
        Ok(out)
    }
}
