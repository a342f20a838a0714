//! Step kind `symmetric-cycling`: galvanostatic cycling of Li|SPE|Li cells simulated from each
//! material's parameters (virtual cycler), with the predicted polarization and its breakdown into
//! kinetic, ohmic, diffusion and film parts.
//!
//! The simulated record is then analysed by `spelab_analysis::cycling_life` exactly as a measured
//! file (per-half-cycle overpotential and ASR, failure detection, lifetime, cumulative capacity), and
//! the predicted polarization at the cycling current is tabulated beside the paper's cell life.
//!
//! The model (spelab_sim::symmetric) has no short-circuit or dendrite mechanism: it predicts the
//! polarization, not the cycle life the paper reports; the note says so.

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::cycling_life::{cycling_life_from_series, CycleLifeOptions};
use spelab_core::constants::T_REF;
use spelab_core::metric::Conditions;
use spelab_core::units::Quantity;
use spelab_core::MetricId;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::lab::{self, CellRecord, CellSpec, CyclingExperiment};
use spelab_sim::symmetric::FilmGrowth;
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "symmetric-cycling",
    title: "Li|SPE|Li galvanostatic cycling (simulated)",
    summary: "Polarization of symmetric cells cycled at constant current, simulated from σ, t+, i0 with its breakdown",
    example: r#"[[step]]
kind = "symmetric-cycling"
materials = ["pvh", "pvh-im"]        # default: all
current = "0.2 mA/cm2"
half_cycle = "1 h"
cycles = 100
salt = "1 mol/L"                     # salt concentration (not in the presets)
# film = "parabolic:r0=20ohm.cm2,tau=10h"   # interface film growth, as `spelab simulate symmetric --film`"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    current: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    cycles: Option<u32>,
    salt: Option<Spanned<String>>,
    film: Option<Spanned<String>>,
}

struct Cycling {
    materials: Vec<Material>,
    current: f64,
    half_cycle: f64,
    cycles: u32,
    salt: f64,
    /// Interface film growth on both electrodes: the `film` option as written, and parsed.
    film: Option<(String, FilmGrowth)>,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let current = spec.positive_quantity(&o.current, Quantity::CurrentDensity, "current", 2.0)?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 3600.0)?;
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    let cycles = o.cycles.unwrap_or(100);
    if cycles == 0 || cycles > 100_000 {
        return Err(spec.error(None, "cycles must be between 1 and 100000"));
    }
    let film = match &o.film {
        Some(f) => Some((
            f.get_ref().clone(),
            crate::inputs::film(f.get_ref())
                .map_err(|e| spec.error(Some(f.span()), format!("film: {e:#}")))?,
        )),
        None => None,
    };
    Ok(Box::new(Cycling { materials, current, half_cycle, cycles, salt, film }))
}

impl Step for Cycling {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mv = |v: f64| format!("{:.2} mV", v * 1e3);
        let mut table = Table {
            title: format!(
                "Simulated polarization at ±{}, {} half-cycles, {} cycles (end of the last charge half-cycle)",
                Quantity::CurrentDensity.display(self.current),
                Quantity::Time.display(self.half_cycle),
                self.cycles
            ),
            columns: ["material", "U (1st half)", "U (last)", "η kinetics", "ohmic", "diffusion", "film", "stop"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let mut figure = Figure::new(
            "symmetric_cycling",
            "Simulated symmetric-cell cycling",
            Axis::linear("time [h]"),
            Axis::linear("voltage [V]"),
        );
        let mut life = Table {
            title: format!(
                "Cycling-life analysis of the simulated records at ±{} (as for a measured file) vs the paper",
                Quantity::CurrentDensity.display(self.current)
            ),
            columns: [
                "material",
                "overpotential first / last half-cycle",
                "ASR first / last [Ω cm²]",
                "failure (analysis)",
                "time under current",
                "cumulative capacity (both directions)",
                "paper: cell life at this current",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        let mut eta_fig = Figure::new(
            "symmetric_cycling_overpotential",
            "Overpotential per half-cycle (cycling-life analysis of the simulated records)",
            Axis::linear("time [h]"),
            Axis::linear("overpotential |V| [mV]"),
        );
        let mut conditions = Conditions::new();
        conditions.insert("temperature_K".to_string(), T_REF);
        conditions.insert("current_density_A_m2".to_string(), self.current);
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
            let experiment = CyclingExperiment {
                cell: CellSpec {
                    salt_concentration: Some(self.salt),
                    film: self.film.as_ref().map(|(_, film)| *film),
                    ..CellSpec::default()
                },
                current_density: self.current,
                half_cycle_s: self.half_cycle,
                rest_s: 0.0,
                cycles: self.cycles,
                samples_per_half_cycle: 60,
            };
            let CellRecord { cell, run } = lab::cycling_experiment(&params, &experiment)
                .with_context(|| format!("material '{}'", m.id))?;
            let sim = &run.simulation;
            // Last sample of a charge half-cycle (J > 0): the one before each switch to −J.
            let ends: Vec<_> = sim
                .samples
                .windows(2)
                .filter(|w| w[0].current_density > 0.0 && w[1].current_density < 0.0)
                .map(|w| w[0])
                .collect();
            let (first, last) = match (ends.first(), ends.last()) {
                (Some(f), Some(l)) => (f, l),
                _ => anyhow::bail!("material '{}': the run stopped before the first discharge", m.id),
            };
            let b = &last.voltage;
            table.rows.push(vec![
                m.id.clone(),
                mv(first.voltage.voltage),
                mv(b.voltage),
                mv(b.eta_x0 + b.eta_xl),
                mv(b.ohmic),
                mv(b.diffusion),
                mv(b.film),
                format!("{:?}", sim.stop).split_whitespace().next().unwrap_or("").to_string(),
            ]);
            let ts = run.data.time_series();
            let r = cycling_life_from_series(ts, cell.area, &CycleLifeOptions::default())
                .with_context(|| format!("material '{}': cycling-life analysis", m.id))?;
            let (h0, h1) = (&r.half_cycles[0], &r.half_cycles[r.half_cycles.len() - 1]);
            let paper = m.preset.paper_value(MetricId::CycleLife, &conditions);
            life.rows.push(vec![
                m.id.clone(),
                format!("{} / {}", mv(h0.plateau_voltage), mv(h1.plateau_voltage)),
                format!("{:.1} / {:.1}", h0.asr * 1e4, h1.asr * 1e4),
                r.failure.map_or_else(
                    || format!("none in {} half-cycles", r.completed_half_cycles),
                    |f| format!("{} at {:.2} h", f.mode.describe(), Quantity::Time.to_display(f.time)),
                ),
                format!("{:.1} h", Quantity::Time.to_display(r.lifetime)),
                format!("{:.2} mAh/cm²", Quantity::ArealCapacity.to_display(r.cumulative_capacity)),
                paper.map_or("-".into(), |p| format!("{} {} ({})", p.value, p.unit, p.source)),
            ]);
            eta_fig = eta_fig.with_series(
                Series::line_markers(
                    m.preset.name.clone(),
                    r.half_cycles
                        .iter()
                        .map(|h| Quantity::Time.to_display(0.5 * (h.time.0 + h.time.1)))
                        .collect::<Vec<_>>(),
                    r.half_cycles.iter().map(|h| h.plateau_voltage * 1e3).collect::<Vec<_>>(),
                )
                .with_color(i),
            );
            let stride = (ts.len() / 4000).max(1);
            let t: Vec<f64> =
                ts.time().iter().step_by(stride).map(|t| Quantity::Time.to_display(*t)).collect();
            let u: Vec<f64> = ts.voltage().iter().step_by(stride).copied().collect();
            figure = figure.with_series(Series::line(m.preset.name.clone(), t, u).with_color(i));
            progress((i + 1) as f64 / n as f64);
        }
        out.notes.push(format!(
            "Polarization from the transport + Butler-Volmer model {}: without a film it is dominated by \
             charge transfer (R_ct = RT/(F i0)). The model has no dendrite or short-circuit mechanism, so it \
             predicts polarization, not the cycle lives the paper reports.",
            match &self.film {
                Some((text, _)) => format!("with the interface film '{text}' on both electrodes"),
                None => "with no film (the presets give no SEI resistance)".to_string(),
            }
        ));
        out.notes.push(
            "The simulated records were analysed by the cycling-life analysis (the one run on measured files): \
             per-half-cycle overpotential (median plateau |V|) and ASR, failure tests, time under current and \
             cumulative capacity. The paper reports cell lives, not a polarization value at this current, so \
             the predicted polarization stands beside the paper's life; a simulated 'no failure' is the model's \
             lack of a short-circuit mechanism, not a predicted life."
                .into(),
        );
        out.tables.push(table);
        out.tables.push(life);
        out.figures.push(figure.with_caption("Cell voltage of the simulated Li|SPE|Li cycling."));
        out.figures.push(eta_fig.with_caption(
            "Median |V| of each constant-current half-cycle found by the cycling-life analysis of the simulated records.",
        ));
        Ok(out)
    }
}
