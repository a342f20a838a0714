//! The computation behind the `full-cell-calibrate` step and `spelab calibrate`: the rate points of a
//! preset's paper values, the calibration ([`spelab_sim::fullcell::calibration`]) and the prediction
//! of other materials with the calibrated knobs, each predicted capacity with a 95 % interval
//! propagated from the knobs' covariance (g^T Cov g, g the capacity's sensitivity to the knobs), and
//! each predicted capacity with an assumed-parameter band ([`crate::band`]) over the membrane
//! thickness, the salt concentration c₀ and D/D_NE (the knobs held at their calibrated values).

use anyhow::{bail, Context};
use serde::Serialize;
use spelab_core::metric::{Band, MetricId};
use spelab_core::units::Quantity;
use spelab_sim::fullcell::calibration::{
    calibrate, capacity_sensitivities, rate_capacities, student_t975, with_knobs, Calibration, Knob,
};
use spelab_sim::fullcell::FullCell;
use spelab_sim::params::Preset;

use crate::band;

/// The charged cathode every rate point starts from (PyBaMM's reference discharges).
pub const START_STOICHIOMETRY: f64 = 0.0038;

/// The default knobs (see the step's docs for why these three).
pub const DEFAULT_KNOBS: [Knob; 3] = [Knob::Utilisation, Knob::ParticleDiffusivity, Knob::CathodeBruggeman];

/// The rate-test capacities [mAh/g] of a preset's paper values (metric `specific_capacity` with a
/// `c_rate` condition and no `cycle`), sorted by C-rate.
pub fn paper_rate_points(preset: &Preset) -> Vec<(f64, f64)> {
    let mut points: Vec<(f64, f64)> = preset
        .paper_values()
        .filter(|v| v.metric == Some(MetricId::SpecificCapacity) && !v.conditions.contains_key("cycle"))
        .filter_map(|v| {
            let c = *v.conditions.get("c_rate")?;
            Some((c, Quantity::SpecificCapacity.to_display(v.si_value)))
        })
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points
}

/// One material's capacities by the calibrated model.
#[derive(Debug, Clone, Serialize)]
pub struct RateRow {
    /// C-rate [1/h].
    pub c_rate: f64,
    /// The uncalibrated model [mAh/g].
    pub uncalibrated: f64,
    /// The calibrated (or predicted) model [mAh/g].
    pub model: f64,
    /// Half-width of its 95 % interval from the knobs' uncertainty [mAh/g].
    pub ci95: f64,
    /// The paper's value, when it has one [mAh/g].
    pub paper: Option<f64>,
    /// Assumed-parameter band of a prediction [SI, J/kg like the metric]; `None` for the fitted
    /// material.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

impl RateRow {
    /// Relative error against the paper [%].
    pub fn error_percent(&self) -> Option<f64> {
        self.paper.map(|p| 100.0 * (self.model - p) / p)
    }
}

/// A material run through the calibrated model.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialRates {
    /// Material id.
    pub material: String,
    /// "calibrated" (the material fitted) or "prediction".
    pub role: &'static str,
    /// One row per C-rate.
    pub rows: Vec<RateRow>,
}

/// Calibration plus predictions.
pub struct Outcome {
    /// The fit.
    pub calibration: Calibration,
    /// The calibrated material, then each predicted one.
    pub materials: Vec<MaterialRates>,
    /// Temperature of the cells [K].
    pub temperature: f64,
    /// Degrees of freedom of the fit and the t quantile used.
    pub t975: f64,
}

/// The full cell `spelab simulate full-cell` builds for a preset (reference LFP, the preset's SPE).
pub fn preset_cell(preset: &Preset, salt: f64) -> anyhow::Result<FullCell> {
    Ok(FullCell::from_material(&preset.material_params()?, salt)?)
}

/// 95 % half-width t √(gᵀ Cov g) of a capacity with sensitivities `g` to the knobs.
fn half_width(cal: &Calibration, g: &[f64], t: f64) -> f64 {
    let cov = &cal.report.covariance;
    let n = g.len();
    let var: f64 =
        (0..n).flat_map(|a| (0..n).map(move |b| (a, b))).map(|(a, b)| g[a] * cov[a][b] * g[b]).sum();
    t * var.max(0.0).sqrt()
}

/// Capacities of `base` with the calibrated knobs and their 95 % half-widths at `rates`.
fn propagate(cal: &Calibration, base: &FullCell, rates: &[f64], t: f64) -> (Vec<f64>, Vec<f64>) {
    let cell = with_knobs(base, &cal.knobs, &cal.values);
    let q = rate_capacities(&cell, START_STOICHIOMETRY, rates);
    let flat = capacity_sensitivities(base, START_STOICHIOMETRY, &cal.knobs, &cal.values, rates);
    (q, flat.chunks(cal.knobs.len()).map(|g| half_width(cal, g, t)).collect())
}

/// The assumed-parameter band of each predicted capacity `q` [mAh/g] at `rates`: the preset's cell
/// with the calibrated knobs, its membrane thickness, salt concentration c₀ and D/D_NE moved to each
/// end of their stated ranges ([`band::full_cell_ends`]), one at a time (8 more rate tests, in
/// parallel; the knobs held at their calibrated values).
fn assumed_bands(
    cal: &Calibration,
    preset: &Preset,
    salt: f64,
    rates: &[f64],
    q: &[f64],
) -> anyhow::Result<Vec<Option<Band>>> {
    let si = |v: f64| Quantity::SpecificCapacity.from_display(v);
    let rebuild = |c0: f64| Ok(with_knobs(&preset_cell(preset, c0)?, &cal.knobs, &cal.values));
    let ends = band::full_cell_ends(&rebuild(salt)?, salt, &rebuild)?;
    let at_ends = band::evaluate_ends(&ends, |cell| {
        rate_capacities(cell, START_STOICHIOMETRY, rates).into_iter().map(si).collect::<Vec<f64>>()
    });
    let values: Vec<f64> = q.iter().map(|&v| si(v)).collect();
    Ok(band::full_cell_bands(&values, &ends, &at_ends))
}

/// Calibrates `knobs` (from `start`, or their defaults) on `fitted`'s rate points (`points`, or its
/// paper values when empty) and
/// predicts `predicted` at their paper C-rates (0.1, 0.2, 0.5, 1C when they have none).
pub fn calibrate_and_predict(
    fitted: (&str, &Preset),
    predicted: &[(&str, &Preset)],
    knobs: &[Knob],
    start: Option<&[f64]>,
    points: &[(f64, f64)],
    salt: f64,
) -> anyhow::Result<Outcome> {
    let points = if points.is_empty() { paper_rate_points(fitted.1) } else { points.to_vec() };
    if points.len() < knobs.len() {
        bail!(
            "material '{}' has {} rate points (paper values 'specific_capacity' at a c_rate), fewer than the {} knobs",
            fitted.0,
            points.len(),
            knobs.len()
        );
    }
    let base = preset_cell(fitted.1, salt).with_context(|| format!("material '{}'", fitted.0))?;
    let (rates, caps): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
    let cal = calibrate(&base, START_STOICHIOMETRY, &rates, &caps, knobs, start).context("calibration")?;
    let t = student_t975(cal.report.dof);
    let uncalibrated = rate_capacities(&base, START_STOICHIOMETRY, &rates);
    let ci: Vec<f64> = cal.sensitivities.iter().map(|g| half_width(&cal, g, t)).collect();
    let mut materials = vec![MaterialRates {
        material: fitted.0.to_string(),
        role: "calibrated",
        rows: (0..rates.len())
            .map(|i| RateRow {
                c_rate: rates[i],
                uncalibrated: uncalibrated[i],
                model: cal.fitted[i],
                ci95: ci[i],
                paper: Some(caps[i]),
                band: None,
            })
            .collect(),
    }];
    for (id, preset) in predicted {
        let cell = preset_cell(preset, salt).with_context(|| format!("material '{id}'"))?;
        let paper = paper_rate_points(preset);
        let rates: Vec<f64> =
            if paper.is_empty() { vec![0.1, 0.2, 0.5, 1.0] } else { paper.iter().map(|p| p.0).collect() };
        let unc = rate_capacities(&cell, START_STOICHIOMETRY, &rates);
        let (q, ci) = propagate(&cal, &cell, &rates, t);
        let bands =
            assumed_bands(&cal, preset, salt, &rates, &q).with_context(|| format!("material '{id}'"))?;
        materials.push(MaterialRates {
            material: id.to_string(),
            role: "prediction",
            rows: (0..rates.len())
                .map(|i| RateRow {
                    c_rate: rates[i],
                    uncalibrated: unc[i],
                    model: q[i],
                    ci95: ci[i],
                    paper: paper.iter().find(|p| p.0 == rates[i]).map(|p| p.1),
                    band: bands[i].clone(),
                })
                .collect(),
        });
    }
    for m in &materials {
        if m.rows.iter().any(|r| !r.model.is_finite()) {
            bail!("the model failed for material '{}' at some C-rate", m.material);
        }
    }
    Ok(Outcome { temperature: base.temperature, calibration: cal, materials, t975: t })
}

/// `spelab calibrate`: calibrate on preset (or material file) `material`, predict the comma-separated
/// `predict`, with the comma-separated `knobs` (the defaults when `None`), 1 mol/L salt.
pub fn command(material: &str, predict: &str, knobs: Option<&str>) -> anyhow::Result<Outcome> {
    use crate::inputs::preset as load_preset;
    let knobs = match knobs {
        None => DEFAULT_KNOBS.to_vec(),
        Some(text) => text
            .split(',')
            .map(|n| {
                Knob::from_name(n).with_context(|| {
                    let names: Vec<&str> = Knob::ALL.iter().map(|k| k.name()).collect();
                    format!("--knobs: '{n}' is not one of {}", names.join(", "))
                })
            })
            .collect::<anyhow::Result<_>>()?,
    };
    let fitted = load_preset(material)?;
    let ids: Vec<&str> = predict.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let predicted: Vec<Preset> = ids.iter().map(|id| load_preset(id)).collect::<anyhow::Result<_>>()?;
    let pairs: Vec<(&str, &Preset)> = ids.iter().copied().zip(predicted.iter()).collect();
    calibrate_and_predict((material, &fitted), &pairs, &knobs, None, &[], 1000.0)
}

/// The outcome as JSON: knobs (value, standard error, 95 % half-width), correlation, sensitivities,
/// fit statistics and the capacity rows of every material.
pub fn json(o: &Outcome) -> serde_json::Value {
    let c = &o.calibration;
    let num = |v: f64| if v.is_finite() { serde_json::json!(v) } else { serde_json::Value::Null };
    serde_json::json!({
        "knobs": c.knobs.iter().enumerate().map(|(k, knob)| serde_json::json!({
            "name": knob.name(), "value": num(c.values[k]), "std_error": num(c.std_errors[k]), "ci95": num(c.ci95[k]),
        })).collect::<Vec<_>>(),
        "correlation": c.correlation.iter().map(|r| r.iter().map(|&v| num(v)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "sensitivities_mah_g": c.sensitivities,
        "chi2": c.report.chi2, "dof": c.report.dof, "termination": c.report.termination.to_string(),
        "materials": o.materials,
    })
}
