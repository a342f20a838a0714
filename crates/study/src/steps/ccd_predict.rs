//! Step kind `ccd-predict`: critical current density of each material predicted from its transport
//! parameters by the three criteria of cellmodel.md §1, beside the paper's measured CCD.
//!
//! - J_lim = 2FDc₀/((1 − t₊)L): above it no steady state exists;
//! - J_Sand(t_h) = c₀F√(πD/t_h)/(2(1 − t₊)): the salt at the plating face runs out within one
//!   half-cycle of a semi-infinite cell;
//! - the simulated staircase (Li|SPE|Li model, `spelab_sim::symmetric`): ±k·ΔJ for t_h each, history
//!   carried over, failing at the first depletion or voltage-limit hit. The recorded V(t) (the virtual
//!   cycler logs the reading that trips its limit: the voltage limit, or its ±10 V compliance at a
//!   depletion) is analysed by `spelab_analysis::ccd` exactly as a measured file: per-step ASR,
//!   failure detection and mode, CCD and last stable current. The analysis's CCD is the metric; it is
//!   checked against the model's own stop step (a note says so if they ever differ).
//!
//! All three are transport-only bounds (no dendrite mechanics, current focusing or interphase
//! growth); the report states the ratio to the paper's value and does not tune anything to it.

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::ccd::{critical_current_density_from_series, CcdOptions, CcdResult};
use spelab_core::constants::T_REF;
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::lab::{self, CcdExperiment, CcdRun, CellRecord, CellSpec};
use spelab_sim::params::MaterialParams;
use spelab_sim::symmetric::StopReason;
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "ccd-predict",
    title: "Critical current density predicted from transport (J_lim, Sand, staircase)",
    summary: "CCD of Li|SPE|Li cells by three transport criteria, simulated from the materials' σ, t+, i0",
    example: r#"[[step]]
kind = "ccd-predict"
materials = ["pvh", "pvh-im"]        # default: all
step = "0.05 mA/cm2"                 # staircase increment ΔJ
half_cycle = "30 min"                # t_h of each +J / −J half-cycle
voltage_limit = "5 V"                # optional second failure criterion
salt = "1 mol/L"                     # salt concentration (not in the presets)"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    step: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    voltage_limit: Option<Spanned<String>>,
    salt: Option<Spanned<String>>,
    steps: Option<u32>,
}

struct Ccd {
    materials: Vec<Material>,
    step: f64,
    half_cycle: f64,
    voltage_limit: Option<f64>,
    salt: f64,
    steps: u32,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let step = spec.positive_quantity(&o.step, Quantity::CurrentDensity, "step", 0.5)?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 1800.0)?;
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    let voltage_limit = match &o.voltage_limit {
        Some(_) => Some(spec.positive_quantity(&o.voltage_limit, Quantity::Voltage, "voltage_limit", 0.0)?),
        None => None,
    };
    Ok(Box::new(Ccd { materials, step, half_cycle, voltage_limit, salt, steps: o.steps.unwrap_or(400) }))
}

/// Options of the CCD analysis of a simulated staircase: the defaults of a measured file, with the
/// rest threshold below the first step, the level tolerance below a quarter of the relative step
/// between the highest levels (the 2 % default would merge 60.5, 61 and 61.5 A/m² into one step of
/// a 0.5 A/m² staircase), and the divergence cut-off at most 0.999 × the voltage limit (the record
/// ends on the limit reading, which must count as divergence).
pub(super) fn analysis_options(step: f64, steps: u32, voltage_limit: Option<f64>) -> CcdOptions {
    let d = CcdOptions::default();
    CcdOptions {
        rest_current_density: d.rest_current_density.min(0.2 * step),
        level_tolerance: d.level_tolerance.min(0.25 / f64::from(steps.max(1))),
        cutoff_voltage: voltage_limit.map_or(d.cutoff_voltage, |l| d.cutoff_voltage.min(0.999 * l)),
        ..d
    }
}

/// The lab's staircase on the cell of `material` at `salt` [mol/m³] (30 readings per half-cycle)
/// and its CCD analysis.
pub(super) fn staircase(
    material: &MaterialParams,
    salt: f64,
    step: f64,
    half_cycle: f64,
    steps: u32,
    voltage_limit: Option<f64>,
) -> anyhow::Result<(CellRecord<CcdRun>, CcdResult)> {
    let experiment = CcdExperiment {
        cell: CellSpec { salt_concentration: Some(salt), ..CellSpec::default() },
        step_current_density: step,
        half_cycle_s: half_cycle,
        steps,
        voltage_limit,
        samples_per_half_cycle: 30,
    };
    let record = lab::ccd_staircase_experiment(material, &experiment)?;
    let r = critical_current_density_from_series(
        record.run.data.time_series(),
        record.cell.area,
        &analysis_options(step, steps, voltage_limit),
    )?;
    Ok((record, r))
}

fn stop_words(stop: &StopReason) -> String {
    match *stop {
        StopReason::Completed => "completed (no failure)".into(),
        StopReason::Depletion { .. } => "salt depletion (Sand)".into(),
        StopReason::VoltageLimit { voltage, .. } => format!("voltage limit {voltage:.2} V"),
    }
}

impl Step for Ccd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let d = |v: f64| Quantity::CurrentDensity.display(v);
        let mut table = Table {
            title: format!(
                "Predicted CCD (ΔJ = {}, t_h = {}) vs paper; staircase CCD from the CCD analysis of the simulated record",
                d(self.step),
                Quantity::Time.display(self.half_cycle)
            ),
            columns: [
                "material",
                "J_lim",
                "J_Sand(t_h)",
                "staircase CCD (analysis)",
                "last stable",
                "failure (analysis / model stop)",
                "paper",
                "J_lim / Sand / staircase ÷ paper",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        let mut figure = Figure::new(
            "ccd_staircase",
            "Simulated CCD staircase",
            Axis::linear("time [h]"),
            Axis::linear("voltage [V]"),
        );
        let mut asr = Figure::new(
            "ccd_staircase_asr",
            "Area-specific resistance per current step (CCD analysis of the simulated staircase)",
            Axis::linear("j [mA/cm²]"),
            Axis::linear("ASR [Ω cm²]"),
        );
        let mut at_25c = Conditions::new();
        at_25c.insert("temperature_K".to_string(), T_REF);
        let options = analysis_options(self.step, self.steps, self.voltage_limit);
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
            let (CellRecord { cell, run }, r) =
                staircase(&params, self.salt, self.step, self.half_cycle, self.steps, self.voltage_limit)
                    .with_context(|| format!("material '{}': staircase", m.id))?;
            let c = ConstantCell::of(&cell);
            let (j_lim, j_sand) =
                (analytic::limiting_current_density(&c), analytic::sand_current_density(&c, self.half_cycle));
            let metric = |value: f64, method: String| {
                Metric::new(MetricId::CriticalCurrentDensity, value, SOURCE_SIMULATION)
                    .with_material(m.id.clone())
                    .with_method(method)
                    .with_condition("temperature_K", cell.temperature)
            };
            out.metrics.push(metric(j_lim, "limiting current 2FDc0/((1-t+)L)".into()));
            out.metrics.push(metric(
                j_sand,
                format!("Sand current at t_h = {}", Quantity::Time.display(self.half_cycle)),
            ));
            let mode = r.failure.map(|f| f.mode.describe());
            if let Some(j) = r.ccd {
                let mut mt = metric(
                    j,
                    format!(
                        "simulated staircase (transport-only) analysed by the CCD analysis: {}; last stable {}",
                        mode.unwrap_or("-"),
                        r.last_stable.map_or("none".into(), d)
                    ),
                );
                mt.options.extend([
                    ("step".to_string(), format!("{} A/m2", self.step)),
                    ("half_cycle".to_string(), format!("{} s", self.half_cycle)),
                    ("cutoff_voltage".to_string(), format!("{} V", options.cutoff_voltage)),
                    ("level_tolerance".to_string(), format!("{}", options.level_tolerance)),
                    ("salt".to_string(), format!("{} mol/m3", self.salt)),
                ]);
                out.metrics.push(mt);
            }
            if r.ccd != run.critical_current_density {
                out.notes.push(format!(
                    "{}: the CCD analysis of the simulated record gives {} but the model stopped in the {} step;                      the analysis value is reported.",
                    m.id,
                    r.ccd.map_or("no failure".into(), d),
                    run.critical_current_density.map_or("(none)".into(), d)
                ));
            }
            let paper = m.preset.paper_value(MetricId::CriticalCurrentDensity, &at_25c).map(|v| v.si_value);
            let ratio = |v: Option<f64>| match (v, paper) {
                (Some(j), Some(pv)) if pv > 0.0 => format!("{:.2}", j / pv),
                _ => "-".into(),
            };
            table.rows.push(vec![
                m.id.clone(),
                d(j_lim),
                d(j_sand),
                r.ccd.map_or("none".into(), d),
                r.last_stable.map_or("none".into(), d),
                format!("{} / {}", mode.unwrap_or("none"), stop_words(&run.simulation.stop)),
                paper.map_or("-".into(), d),
                format!("{} / {} / {}", ratio(Some(j_lim)), ratio(Some(j_sand)), ratio(r.ccd)),
            ]);
            let ts = run.data.time_series();
            let stride = (ts.len() / 3000).max(1);
            // Keep the last point (the failure reading) whatever the stride.
            let keep = |k: &usize| k.is_multiple_of(stride) || *k + 1 == ts.len();
            let t: Vec<f64> = (0..ts.len()).filter(keep).map(|k| ts.time()[k] / 3600.0).collect();
            let u: Vec<f64> = (0..ts.len()).filter(keep).map(|k| ts.voltage()[k]).collect();
            figure = figure.with_series(Series::line(m.preset.name.clone(), t, u).with_color(i));
            if let Some(f) = r.failure {
                let k = ts.time().partition_point(|x| *x < f.time).min(ts.len() - 1);
                figure = figure.with_marker(Marker::point(
                    format!("{}: {} at {}", m.preset.name, f.mode.describe(), d(f.current_density)),
                    f.time / 3600.0,
                    ts.voltage()[k],
                ));
            }
            let ok: Vec<_> = r.steps.iter().filter(|s| s.asr.is_finite()).collect();
            asr = asr.with_series(
                Series::line_markers(
                    m.preset.name.clone(),
                    ok.iter()
                        .map(|s| Quantity::CurrentDensity.to_display(s.current_density))
                        .collect::<Vec<_>>(),
                    ok.iter().map(|s| s.asr * 1e4).collect::<Vec<_>>(),
                )
                .with_color(i),
            );
            progress((i + 1) as f64 / n as f64);
        }
        out.notes.push(
            "The three predictions are transport-only (dilute binary salt, D from Nernst-Einstein, Butler-Volmer \
             kinetics, no dendrite mechanics, current focusing or interphase growth), so they are upper bounds. \
             Measured SPE CCDs lie below them; the ratio to the paper is reported, nothing is fitted to it. \
             The staircase CCD is what the CCD analysis (the one run on measured files) finds in the simulated \
             V(t): the record ends on the reading that tripped the instrument (voltage limit, or its ±10 V \
             compliance at salt depletion), which the analysis classifies as divergence (|V| above the cut-off, \
             the contact-loss-like signature of depletion), not as a short."
                .into(),
        );
        out.tables.push(table);
        out.figures.push(figure.with_caption(
            "Cell voltage during the simulated staircase until the first failure; the points mark the failure the CCD analysis detected.",
        ));
        out.figures.push(asr.with_caption(
            "Median plateau |V| / j of each step before the failure: the rise towards the last steps is salt polarization approaching J_lim.",
        ));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CCD analysis of the simulated staircase finds the model's own stop step, as divergence,
    /// with or without a voltage limit (depletion: ±10 V compliance reading; limit: the limit).
    #[test]
    fn analysis_of_the_simulated_staircase_finds_the_model_stop_step() {
        for (id, limit) in [("pvh", None), ("pvh", Some(5.0)), ("pvh-im", Some(5.0)), ("pvh", Some(0.5))] {
            let params = spelab_sim::params::preset(id).unwrap().material_params().unwrap();
            let (CellRecord { run, .. }, r) = staircase(&params, 1000.0, 0.5, 1800.0, 400, limit).unwrap();
            let model = run.critical_current_density.expect("the staircase fails");
            // Both are k·ΔJ from the same current values: equal to rounding of I/A.
            let ccd = r.ccd.expect("the analysis sees the failure");
            assert!((ccd - model).abs() < 1e-9 * model, "{id} {limit:?}: analysis {ccd}, model {model}");
            assert!(
                (r.last_stable.unwrap() - (model - 0.5)).abs() < 1e-9 * model,
                "{id} {limit:?}: last stable {:?}, model {model}",
                r.last_stable
            );
            let f = r.failure.unwrap();
            assert_eq!(f.mode, spelab_analysis::ccd::FailureMode::Divergence, "{id} {limit:?}");
            // The failure is the last reading, at the model's stop time.
            let stop = match run.simulation.stop {
                StopReason::Depletion { time_s, .. } | StopReason::VoltageLimit { time_s, .. } => time_s,
                StopReason::Completed => unreachable!(),
            };
            assert!(f.time <= stop && f.time >= stop - 1800.0, "{id}: {} vs {stop}", f.time);
        }
    }
}
