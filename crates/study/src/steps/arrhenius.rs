//! Step kind `arrhenius`: activation energy and 25 °C conductivity from σ(T).
//!
//! Three sources of σ(T):
//! - **virtual lab** (no `file`/`files`): for each material, spelab-sim's EIS instrument records the
//!   SS|SPE|SS blocking-cell spectrum of the preset at each temperature of the ladder (1 MHz → 0.1 Hz,
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

mod parse;
mod spectra;

use parse::parse;

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::arrhenius::{fit_arrhenius_form, ArrheniusForm};
use spelab_analysis::arrhenius_eis::{BulkMethod, CellGeometry};
use spelab_analysis::vtf::{compare_models, ConductivityModel, VogelTemperature};
use spelab_core::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, T_REF};
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::{parse_quantity, Quantity};
use spelab_report::{Axis, Figure, Series, Table};
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

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

/// Seeded multiplicative Gaussian noise (Box-Muller on a 64-bit LCG): reproducible virtual measurements.
pub(crate) fn noisy(values: &mut [f64], relative: f64, seed: u64) {
    if relative == 0.0 {
        return;
    }
    let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
    let mut uniform = move || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64 / (1u64 << 53) as f64).max(f64::MIN_POSITIVE)
    };
    for v in values {
        let z = (-2.0 * uniform().ln()).sqrt() * (2.0 * std::f64::consts::PI * uniform()).cos();
        *v *= 1.0 + relative * z;
    }
}

impl Arrhenius {
    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual { materials, temperatures, noise, seed, area, method } => materials
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let seed = seed.wrapping_add(1000 * i as u64);
                    let (series, input) = spectra::virtual_lab(m, temperatures, *area, *noise, seed, method)?;
                    Ok(Dataset {
                        material: m.clone(),
                        source: SOURCE_SIMULATION.to_string(),
                        temperature: series.points.iter().map(|p| p.temperature).collect(),
                        conductivity: series.points.iter().map(|p| p.conductivity.sigma).collect(),
                        input: Some(input),
                        eis: Some(series),
                    })
                })
                .collect(),
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
                let read = || -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
                    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
                    let table = spelab_io::table::read_table(&bytes, label)?;
                    let column = |name: &str, quantity: Quantity| -> anyhow::Result<Vec<f64>> {
                        let c = table.column(name)?;
                        let unit = c.unit.as_deref().with_context(|| {
                            format!(
                                "{label}: column '{name}' has no unit in its header; write '{name} [unit]'"
                            )
                        })?;
                        c.values
                            .iter()
                            .zip(&c.lines)
                            .map(|(v, line)| {
                                parse_quantity(&format!("{v} {unit}"), quantity)
                                    .with_context(|| format!("{label}:{line}: column '{name}'"))
                            })
                            .collect()
                    };
                    Ok((
                        column(temperature_column, Quantity::Temperature)?,
                        column(conductivity_column, Quantity::Conductivity)?,
                    ))
                };
                let (temperature, conductivity) = match read() {
                    Ok(columns) => columns,
                    // A spectrum where a table was expected: say so instead of naming a missing column.
                    Err(e) if crate::inputs::read_spectrum(path).is_ok() => anyhow::bail!(
                        "{label} is an impedance spectrum, not a σ(T) table ({e}); an Arrhenius fit from spectra \
                         needs one per temperature: `files = [...]` with `temperatures`, `thickness` and `area`"
                    ),
                    Err(e) => return Err(e),
                };
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
}

impl Step for Arrhenius {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets = self.datasets()?;
        let mut out = StepOutput::default();
        let mut figure = Figure::new(
            "arrhenius",
            "Arrhenius plot of ionic conductivity",
            Axis::linear("1000/T [1/K]"),
            Axis::log("σ [mS/cm]"),
        );
        let mut table = Table {
            title: "Arrhenius fits (σ = σ₀ exp(−Ea/RT), OLS on ln σ vs 1/T)".into(),
            columns: ["material", "source", "n", "Ea", "σ(25 °C)", "σ₀", "R²"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut models = Table {
            title: "Model comparison on ln σ (AIC = n ln(SSE/n) + 2k; lower is better)".into(),
            columns: ["material", "model", "Ea", "T₀", "R²", "AIC", "choice"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut eis_table = spectra::table();
        let mut recovery = Table {
            title: format!(
                "Virtual-lab round trip: recovered (EIS → σ(T) → Arrhenius) vs the preset's input vs the paper; accepted within {:.0} % of the input",
                ROUND_TRIP_TOLERANCE * 100.0
            ),
            columns: ["material", "quantity", "recovered", "input", "paper", "recovered − input", "within tolerance"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let mut nyquists = Vec::new();
        let n = datasets.len();
        for (i, d) in datasets.iter().enumerate() {
            let (fit, line) = fit_arrhenius_form(&d.temperature, &d.conductivity, self.form)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            let sigma25 = fit.conductivity_at(T_REF);
            let sigma25_se = sigma25 * line.prediction_std_error(1.0 / T_REF);
            let method_ea = match self.form {
                ArrheniusForm::Sigma => {
                    format!("Arrhenius fit, σ form, OLS on ln σ vs 1/T, n = {}", fit.n_points)
                }
                ArrheniusForm::SigmaT => {
                    format!(
                        "Arrhenius fit, σT form (σT = A exp(−Ea/RT)), OLS on ln σT vs 1/T, n = {}",
                        fit.n_points
                    )
                }
            };
            let method_ea = match &d.eis {
                Some(e) => format!(
                    "σ(T) from {} impedance spectra (σ = L/(R_b A), {}); {method_ea}",
                    e.points.len(),
                    e.method
                ),
                None => method_ea,
            };
            let mut ea = Metric::new(MetricId::ActivationEnergy, fit.activation_energy, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(method_ea.clone());
            let mut s25 = Metric::new(MetricId::IonicConductivity, sigma25, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(format!("{method_ea}; σ at 25 °C from the fitted line"))
                .with_condition("temperature_K", T_REF);
            if fit.n_points > 2 {
                ea = ea.with_uncertainty(fit.activation_energy_std_error);
                s25 = s25.with_uncertainty(sigma25_se);
            }
            if let Some((ea_in, s_in)) = d.input {
                ea = ea.with_input_value(ea_in);
                s25 = s25.with_input_value(s_in);
                round_trip(&mut recovery, &mut out.notes, &d.material, &ea, &s25);
            }
            if let Some(e) = &d.eis {
                spectra::rows(&mut eis_table, &d.material.id, e);
                nyquists.push(spectra::nyquist(&d.material, e));
            }
            table.rows.push(vec![
                d.material.id.clone(),
                d.source.clone(),
                fit.n_points.to_string(),
                ea.display.clone(),
                s25.display.clone(),
                Quantity::Conductivity.display(fit.prefactor),
                format!("{:.6}", fit.r_squared),
            ]);
            let inv_t: Vec<f64> = d.temperature.iter().map(|t| 1000.0 / t).collect();
            let ms_cm: Vec<f64> =
                d.conductivity.iter().map(|s| Quantity::Conductivity.to_display(*s)).collect();
            figure = figure.with_series(
                Series::markers(format!("{} data", d.material.preset.name), inv_t.clone(), ms_cm)
                    .with_color(i),
            );
            let (lo, hi) =
                inv_t.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
            let xs: Vec<f64> = (0..=40).map(|k| lo + (hi - lo) * k as f64 / 40.0).collect();
            let ys: Vec<f64> = xs
                .iter()
                .map(|x| Quantity::Conductivity.to_display(fit.conductivity_at(1000.0 / x)))
                .collect();
            figure = figure.with_series(
                Series::line(format!("{} fit, Ea = {}", d.material.preset.name, ea.display), xs.clone(), ys)
                    .with_color(i),
            );
            // Confidence band of the fitted line: ±2 standard errors of ln σ at each 1/T.
            let band = |k: f64| -> Vec<f64> {
                xs.iter()
                    .map(|x| {
                        let se = line.prediction_std_error(x / 1000.0);
                        Quantity::Conductivity
                            .to_display(fit.conductivity_at(1000.0 / x) * (k * 2.0 * se).exp())
                    })
                    .collect()
            };
            if fit.n_points > 2
                && band(1.0).iter().all(|v| v.is_finite())
                && fit.activation_energy_std_error > 0.0
            {
                for (k, label) in [(1.0, "+"), (-1.0, "−")] {
                    figure = figure.with_series(
                        Series::dashed(
                            format!("{} fit {label} 2 SE", d.material.preset.name),
                            xs.clone(),
                            band(k),
                        )
                        .with_color(i),
                    );
                }
            }
            if let Some(t0) = self.vtf {
                let c = compare_models(&d.temperature, &d.conductivity, t0)
                    .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
                let ev = |j: f64| j / EV_PER_PARTICLE_IN_J_PER_MOL;
                for (model, f) in [
                    (ConductivityModel::ArrheniusSigma, &c.arrhenius_sigma),
                    (ConductivityModel::ArrheniusSigmaT, &c.arrhenius_sigma_t),
                ] {
                    models.rows.push(vec![
                        d.material.id.clone(),
                        f.form.describe().into(),
                        format!(
                            "{:.5} ± {:.5} eV ({:.3} kJ/mol)",
                            ev(f.activation_energy),
                            ev(f.activation_energy_std_error),
                            f.activation_energy / 1e3
                        ),
                        "—".into(),
                        format!("{:.6}", f.r_squared),
                        format!("{:.2}", f.aic),
                        if c.preferred == model { "lowest AIC".into() } else { String::new() },
                    ]);
                }
                match &c.vtf {
                    Some(v) => {
                        models.rows.push(vec![
                            d.material.id.clone(),
                            format!(
                                "VTF σ = A T^-½ exp(−B/(T−T₀)), T₀ {}",
                                if v.t0_free { "free" } else { "fixed" }
                            ),
                            format!(
                                "{:.5} ± {:.5} eV (k_B·B)",
                                v.activation_energy_ev(),
                                ev(v.activation_energy_std_error())
                            ),
                            format!("{:.1} ± {:.1} K", v.t0, v.t0_std_error),
                            format!("{:.6}", v.r_squared),
                            format!("{:.2}", v.aic),
                            if c.preferred == ConductivityModel::Vtf {
                                "lowest AIC".into()
                            } else {
                                String::new()
                            },
                        ]);
                        let ys: Vec<f64> = xs
                            .iter()
                            .map(|x| Quantity::Conductivity.to_display(v.conductivity_at(1000.0 / x)))
                            .collect();
                        figure = figure.with_series(
                            Series::dashed(format!("{} VTF fit", d.material.preset.name), xs.clone(), ys)
                                .with_color(i),
                        );
                    }
                    None => out.notes.push(format!(
                        "{}: VTF not fitted: {}",
                        d.material.id,
                        c.vtf_error.as_deref().unwrap_or("unknown reason")
                    )),
                }
            }
            out.metrics.push(ea);
            out.metrics.push(s25);
            progress((i + 1) as f64 / n as f64);
        }
        if let Source::Virtual { noise, seed, area, method, .. } = &self.source {
            out.notes.push(format!(
                "Virtual lab: at each temperature spelab-sim's EIS instrument records the SS|SPE|SS blocking cell of the \
                 preset (R_b ∥ C_g + 2 double layers, R_b = L/(σ(T) A) with σ(T) from the preset's σ(25 °C) and Ea, \
                 A = {:.3} cm², {} points 1 MHz → 0.1 Hz{}); {}, σ = L/(R_b A), then the Arrhenius fit. The bulk arc \
                 (f = 1/(2π R_b C_g) ≈ 10⁷–10⁸ Hz) lies above the sweep, so the spectrum is a bare spike.",
                area * 1e4,
                spectra::virtual_frequencies().len(),
                if *noise > 0.0 {
                    format!(", {:.1} % seeded relative impedance noise (seed {seed})", noise * 100.0)
                } else {
                    String::new()
                },
                method.describe()
            ));
        }
        out.figures.push(
            figure.with_caption(
                "Markers: data; lines: Arrhenius fits with their ±2 SE confidence band (dashed, when the data scatter); VTF fits dashed when requested. σ in mS/cm on a log axis against 1000/T.",
            ),
        );
        for m in &mut out.metrics {
            let form = match self.form {
                ArrheniusForm::Sigma => "sigma",
                ArrheniusForm::SigmaT => "sigma_t",
            };
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
        if self.form == ArrheniusForm::SigmaT {
            table.title =
                "Arrhenius fits (σT = A exp(−Ea/RT), OLS on ln σT vs 1/T; σ₀ column holds A [S K/m])".into();
        }
        out.tables.push(table);
        if !models.rows.is_empty() {
            out.tables.push(models);
        }
        if !recovery.rows.is_empty() {
            out.tables.push(recovery);
        }
        if !eis_table.rows.is_empty() {
            out.tables.push(eis_table);
        }
        out.figures.extend(nyquists);
        Ok(out)
    }
}

/// Adds the round-trip rows (recovered vs input vs paper) of one material and a note when a
/// recovered value misses its input by more than [`ROUND_TRIP_TOLERANCE`].
fn round_trip(table: &mut Table, notes: &mut Vec<String>, material: &Material, ea: &Metric, s25: &Metric) {
    let mut at_25c = Conditions::new();
    at_25c.insert("temperature_K".to_string(), T_REF);
    for (m, label) in [(ea, "Ea"), (s25, "σ(25 °C)")] {
        let Some(input) = m.input_value else { continue };
        let paper = material.preset.paper_value(m.id, &at_25c).map(|v| v.si_value);
        let deviation = (m.value - input) / input;
        let ok = deviation.abs() <= ROUND_TRIP_TOLERANCE;
        table.rows.push(vec![
            material.id.clone(),
            label.into(),
            m.display.clone(),
            m.id.display(input),
            paper.map(|p| m.id.display(p)).unwrap_or_else(|| "—".into()),
            format!("{:+.3} %", deviation * 100.0),
            if ok { "yes".into() } else { "NO".into() },
        ]);
        if !ok {
            notes.push(format!(
                "{}: the recovered {label} misses the input by {:+.2} % (> {:.0} %): the virtual lab's noise or \
                 circuit choice is too rough for this material.",
                material.id,
                deviation * 100.0,
                ROUND_TRIP_TOLERANCE * 100.0
            ));
        }
    }
}
