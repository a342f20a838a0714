//! Step kind `ccd-predict`: critical current density of each material predicted from its transport
//! parameters by the three criteria of cellmodel.md §1, beside the paper's measured CCD.
//!
//! - J_lim = 2FDc₀/((1 − t₊)L): above it no steady state exists;
//! - J_Sand(t_h) = c₀F√(πD/t_h)/(2(1 − t₊)): the salt at the plating face runs out within one
//!   half-cycle of a semi-infinite cell;
//! - the simulated staircase (Li|SPE|Li model, `spelab_sim::symmetric`): ±k·ΔJ for t_h each, history
//!   carried over, failing at the first depletion or voltage-limit hit.
//!
//! All three are transport-only bounds (no dendrite mechanics, current focusing or interphase
//! growth); the report states the ratio to the paper's value and does not tune anything to it.

use anyhow::Context;
use serde::Deserialize;
use spelab_core::constants::T_REF;
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::instruments;
use spelab_sim::symmetric::SymmetricCell;
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::study::{Material, StepSpec, StudyError};

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

impl Step for Ccd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut table = Table {
            title: format!(
                "Predicted CCD (ΔJ = {}, t_h = {}) vs paper",
                Quantity::CurrentDensity.display(self.step),
                Quantity::Time.display(self.half_cycle)
            ),
            columns: ["material", "J_lim", "J_Sand(t_h)", "staircase", "stop", "paper", "staircase / paper"]
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
        let mut at_25c = Conditions::new();
        at_25c.insert("temperature_K".to_string(), T_REF);
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
            let cell = SymmetricCell::from_material(&params, self.salt)
                .with_context(|| format!("material '{}'", m.id))?;
            let run = instruments::ccd_staircase(
                &cell,
                self.step,
                self.half_cycle,
                self.steps,
                self.voltage_limit,
                self.half_cycle / 30.0,
                None,
            )
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
            if let Some(j) = run.critical_current_density {
                out.metrics.push(metric(j, "simulated staircase (transport-only)".into()));
            }
            let paper = m.preset.paper_value(MetricId::CriticalCurrentDensity, &at_25c).map(|v| v.si_value);
            let d = |v: f64| Quantity::CurrentDensity.display(v);
            table.rows.push(vec![
                m.id.clone(),
                d(j_lim),
                d(j_sand),
                run.critical_current_density.map_or("none".into(), d),
                format!("{:?}", run.simulation.stop).split_whitespace().next().unwrap_or("").to_string(),
                paper.map_or("-".into(), d),
                match (run.critical_current_density, paper) {
                    (Some(j), Some(pv)) if pv > 0.0 => format!("{:.2}", j / pv),
                    _ => "-".into(),
                },
            ]);
            let ts = run.data.time_series();
            let stride = (ts.len() / 3000).max(1);
            let t: Vec<f64> = ts.time().iter().step_by(stride).map(|t| t / 3600.0).collect();
            let u: Vec<f64> = ts.voltage().iter().step_by(stride).copied().collect();
            figure = figure.with_series(Series::line(m.preset.name.clone(), t, u).with_color(i));
            progress((i + 1) as f64 / n as f64);
        }
        out.notes.push(
            "The three predictions are transport-only (dilute binary salt, D from Nernst-Einstein, Butler-Volmer \
             kinetics, no dendrite mechanics, current focusing or interphase growth), so they are upper bounds. \
             Measured SPE CCDs lie below them; the ratio to the paper is reported, nothing is fitted to it."
                .into(),
        );
        out.tables.push(table);
        out.figures.push(
            figure.with_caption("Cell voltage during the simulated staircase until the first failure."),
        );
        Ok(out)
    }
}
