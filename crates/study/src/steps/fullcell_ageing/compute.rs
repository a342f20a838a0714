//! The computation behind the `full-cell-ageing` step: the calibrated cell (given knobs, or a
//! calibration on the material's paper rate points), each ageing law's rate calibrated on one retention
//! number ([`spelab_sim::fullcell::ageing::calibrate`]), and the retention curves at every other
//! condition the paper reports, for the fitted material (both laws) and the predicted ones (the chosen
//! law), in parallel.

use anyhow::{bail, Context};
use rayon::prelude::*;
use spelab_core::metric::{Band, MetricId};
use spelab_core::units::Quantity;
use spelab_sim::fullcell::ageing::{calibrate, predict, AgeingFit, AgeingLaw, RetentionCurve};
use spelab_sim::fullcell::calibration::{self, with_knobs, Knob};
use spelab_sim::fullcell::FullCell;
use spelab_sim::params::Preset;

use crate::steps::fullcell_calibrate::compute::{
    paper_rate_points, preset_cell, DEFAULT_KNOBS, START_STOICHIOMETRY,
};

/// Cycles assumed for a paper retention that states none (the length of the fitted material's
/// cycling at the same rate when it has one).
pub const DEFAULT_CYCLES: u32 = 100;

/// One value the paper reports after cycling (or the conditions to predict).
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// `capacity_retention` or `specific_capacity` (after `cycles`).
    pub metric: MetricId,
    /// C-rate of the cycling [1/h].
    pub c_rate: f64,
    /// Cycle number the value refers to.
    pub cycles: u32,
    /// Whether the paper states the cycle number (else the metric carries no `cycle` condition).
    pub cycle_stated: bool,
    /// The paper's value (SI: fraction or C/kg), if any.
    pub paper: Option<f64>,
}

/// The paper's values after cycling of `preset`: retention (with a c_rate) and specific capacity with
/// a cycle condition, in file order; `default_cycles(c_rate)` supplies unstated cycle numbers.
pub fn paper_targets(preset: &Preset, default_cycles: &dyn Fn(f64) -> u32) -> Vec<Target> {
    preset
        .paper_values()
        .filter_map(|v| {
            let c_rate = *v.conditions.get("c_rate")?;
            let cycle = v.conditions.get("cycle").copied();
            let metric = v.metric?;
            let wanted = metric == MetricId::CapacityRetention
                || (metric == MetricId::SpecificCapacity && cycle.is_some());
            wanted.then(|| Target {
                metric,
                c_rate,
                cycles: cycle.map_or_else(|| default_cycles(c_rate), |c| c.round().max(2.0) as u32),
                cycle_stated: cycle.is_some(),
                paper: Some(v.si_value),
            })
        })
        .collect()
}

/// Where the law is calibrated: C-rate [1/h], cycles and retention [1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationPoint {
    /// C-rate [1/h].
    pub c_rate: f64,
    /// Cycle number.
    pub cycles: u32,
    /// Retention after `cycles` [1].
    pub retention: f64,
}

/// One retention curve of the outcome.
#[derive(Debug, Clone)]
pub struct Curve {
    /// Material id.
    pub material: String,
    /// The law.
    pub law: AgeingLaw,
    /// C-rate [1/h].
    pub c_rate: f64,
    /// The curve (every cycle).
    pub curve: RetentionCurve,
}

/// Everything the step reports.
pub struct Outcome {
    /// The fitted material.
    pub material: String,
    /// The law whose values are the step's metrics.
    pub law: AgeingLaw,
    /// Where it was calibrated.
    pub point: CalibrationPoint,
    /// Each law's fit (the chosen law first).
    pub fits: Vec<AgeingFit>,
    /// Every curve: the fitted material under each law at each of its rates, then the predicted
    /// materials under the chosen law.
    pub curves: Vec<Curve>,
    /// The values reported, per material: (material, target, role "calibrated" / "prediction").
    pub targets: Vec<(String, Target, &'static str)>,
    /// The calibrated cell's knobs (name, value) and whether they were given or fitted here.
    pub knobs: Vec<(Knob, f64)>,
    /// Cell temperature [K].
    pub temperature: f64,
    /// Predicted materials whose model failed, with the reason.
    pub failures: Vec<String>,
    /// The assumed-parameter band of each of `targets` (filled by the step; empty: none).
    pub bands: Vec<Option<Band>>,
}

impl Outcome {
    /// The curve of `material` under `law` at `c_rate`.
    pub fn curve(&self, material: &str, law: AgeingLaw, c_rate: f64) -> Option<&Curve> {
        self.curves.iter().find(|c| c.material == material && c.law == law && c.c_rate == c_rate)
    }

    /// The model's value of `target` for `material` under `law` (SI), if computed.
    pub fn value(&self, material: &str, law: AgeingLaw, target: &Target) -> Option<f64> {
        let c = self.curve(material, law, target.c_rate)?;
        let p = c.curve.points.get(target.cycles as usize - 1)?;
        Some(match target.metric {
            MetricId::CapacityRetention => p.retention,
            _ => Quantity::SpecificCapacity.from_display(p.capacity_mah_g),
        })
    }
}

/// The calibrated cell of `preset`: `knobs` applied, or (when empty) the default knobs fitted to the
/// preset's paper rate points.
pub fn calibrated_cell(
    preset: &Preset,
    salt: f64,
    knobs: &[(Knob, f64)],
) -> anyhow::Result<(FullCell, Vec<(Knob, f64)>)> {
    let base = preset_cell(preset, salt)?;
    let knobs = if knobs.is_empty() {
        let (rates, caps): (Vec<f64>, Vec<f64>) = paper_rate_points(preset).into_iter().unzip();
        if rates.len() < DEFAULT_KNOBS.len() {
            bail!("no knobs given and too few paper rate points to calibrate the cell: give `knobs`");
        }
        let cal = calibration::calibrate(&base, START_STOICHIOMETRY, &rates, &caps, &DEFAULT_KNOBS, None)
            .context("calibrating the cell on its rate capability")?;
        cal.knobs.iter().copied().zip(cal.values.iter().copied()).collect()
    } else {
        knobs.to_vec()
    };
    let (names, values): (Vec<Knob>, Vec<f64>) = knobs.iter().copied().unzip();
    Ok((with_knobs(&base, &names, &values), knobs))
}

/// The knobs of a `knobs = { name = value }` option, each within its bounds (else the message).
pub fn parse_knobs(map: &std::collections::BTreeMap<String, f64>) -> Result<Vec<(Knob, f64)>, String> {
    map.iter()
        .map(|(name, &v)| match Knob::from_name(name) {
            Some(k) if v.is_finite() && k.bounds().lower <= v && v <= k.bounds().upper => Ok((k, v)),
            _ => {
                let names: Vec<&str> = Knob::ALL.iter().map(|k| k.name()).collect();
                Err(format!("knobs: '{name}' must be one of {} within its bounds", names.join(", ")))
            }
        })
        .collect()
}

/// What the step was asked to do.
pub struct Request<'a> {
    /// The fitted material (id, preset).
    pub material: (&'a str, &'a Preset),
    /// The predicted materials.
    pub predict: Vec<(&'a str, &'a Preset)>,
    /// The law whose values are reported.
    pub law: AgeingLaw,
    /// The calibration point: (c_rate, cycles, retention); `None` parts from the paper.
    pub point: (Option<f64>, Option<u32>, Option<f64>),
    /// The cell's knobs (empty: calibrate).
    pub knobs: Vec<(Knob, f64)>,
    /// Salt concentration [mol/m³].
    pub salt: f64,
}

/// Runs the request (module docs).
pub fn run(req: &Request<'_>) -> anyhow::Result<Outcome> {
    let (id, preset) = req.material;
    let own = paper_targets(preset, &|_| DEFAULT_CYCLES);
    let retention_points: Vec<&Target> =
        own.iter().filter(|t| t.metric == MetricId::CapacityRetention && t.cycle_stated).collect();
    let c_rate = req.point.0.or_else(|| retention_points.first().map(|t| t.c_rate));
    let chosen = retention_points
        .iter()
        .find(|t| Some(t.c_rate) == c_rate && req.point.1.is_none_or(|n| n == t.cycles));
    let point = match (c_rate, req.point.1.or(chosen.map(|t| t.cycles)), req.point.2.or(chosen.and_then(|t| t.paper))) {
        (Some(c_rate), Some(cycles), Some(retention)) => CalibrationPoint { c_rate, cycles, retention },
        _ => bail!(
            "material '{id}' has no paper retention (capacity_retention with c_rate and cycle) to calibrate on: give calibrate_on = {{ c_rate, cycles, retention }}"
        ),
    };
    let (cell, knobs) =
        calibrated_cell(preset, req.salt, &req.knobs).with_context(|| format!("material '{id}'"))?;
    let mut laws = vec![req.law];
    laws.extend(AgeingLaw::ALL.into_iter().filter(|l| *l != req.law));
    let fits = laws
        .par_iter()
        .map(|&law| {
            calibrate(&cell, START_STOICHIOMETRY, point.c_rate, point.cycles, law, point.retention)
                .with_context(|| format!("calibrating the {} law on {id}", law.name()))
        })
        .collect::<anyhow::Result<Vec<AgeingFit>>>()?;
    // Unstated cycle numbers: the fitted material's cycling at the same rate.
    let cycles_at = |c: f64| {
        own.iter()
            .filter(|t| t.c_rate == c && t.cycle_stated)
            .map(|t| t.cycles)
            .max()
            .unwrap_or(DEFAULT_CYCLES)
    };
    let mut targets: Vec<(String, Target, &'static str)> = own
        .iter()
        .map(|t| {
            let t =
                Target { cycles: if t.cycle_stated { t.cycles } else { cycles_at(t.c_rate) }, ..t.clone() };
            let role = if t.c_rate == point.c_rate && t.cycles <= point.cycles {
                "calibrated"
            } else {
                "prediction"
            };
            (id.to_string(), t, role)
        })
        .collect();
    for (pid, p) in &req.predict {
        let mut theirs = paper_targets(p, &cycles_at);
        if theirs.is_empty() {
            theirs = own.iter().map(|t| Target { paper: None, ..t.clone() }).collect();
        }
        targets.extend(theirs.into_iter().map(|t| (pid.to_string(), t, "prediction")));
    }
    // Jobs: (material, law, c_rate, cycles) curves not already given by a fit.
    let mut jobs: Vec<(String, AgeingLaw, f64, u32)> = Vec::new();
    for (m, t, _) in &targets {
        let job_laws: &[AgeingLaw] = if m == id { &laws } else { &laws[..1] };
        for &law in job_laws {
            match jobs.iter_mut().find(|j| &j.0 == m && j.1 == law && j.2 == t.c_rate) {
                Some(j) => j.3 = j.3.max(t.cycles),
                None => jobs.push((m.clone(), law, t.c_rate, t.cycles)),
            }
        }
    }
    let cells: Vec<(String, anyhow::Result<FullCell>)> = std::iter::once((id.to_string(), Ok(cell.clone())))
        .chain(req.predict.iter().map(|(pid, p)| {
            let c = preset_cell(p, req.salt).map(|c| {
                let (n, v): (Vec<Knob>, Vec<f64>) = knobs.iter().copied().unzip();
                with_knobs(&c, &n, &v)
            });
            (pid.to_string(), c)
        }))
        .collect();
    let results: Vec<anyhow::Result<Curve>> = jobs
        .par_iter()
        .map(|(m, law, c_rate, cycles)| {
            let fit = fits.iter().find(|f| f.law == *law).expect("every law is fitted");
            let curve = if m == id && *c_rate == point.c_rate && *cycles <= point.cycles {
                fit.curve.clone()
            } else {
                let cell = match cells.iter().find(|c| &c.0 == m).map(|c| &c.1) {
                    Some(Ok(c)) => c,
                    Some(Err(e)) => bail!("material '{m}': {e:#}"),
                    None => bail!("material '{m}' unknown"),
                };
                predict(cell, START_STOICHIOMETRY, *c_rate, *cycles, &fit.laws)
                    .with_context(|| format!("material '{m}' at {c_rate}C"))?
            };
            Ok(Curve { material: m.clone(), law: *law, c_rate: *c_rate, curve })
        })
        .collect();
    let mut curves = Vec::new();
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(c) => curves.push(c),
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    if curves.iter().all(|c| c.material != id) {
        bail!("the model failed for '{id}': {}", failures.join("; "));
    }
    Ok(Outcome {
        material: id.to_string(),
        law: req.law,
        point,
        fits,
        curves,
        targets,
        knobs,
        temperature: cell.temperature,
        failures,
        bands: Vec::new(),
    })
}
