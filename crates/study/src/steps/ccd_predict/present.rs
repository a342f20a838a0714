//! What the `ccd-predict` step shows: three CCD metrics per material, the table against the paper,
//! the simulated staircase with its failure point, the ASR per step, and the notes.

use spelab_analysis::ccd::CcdResult;
use spelab_core::constants::T_REF;
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::lab::{CcdRun, CellRecord};
use spelab_sim::symmetric::StopReason;

use super::{virtual_lab, Ccd, StepOutput};
use crate::spec::Material;
use crate::steps::display::ohm_cm2;

/// The three transport predictions of one material.
pub(super) struct Prediction {
    /// Limiting current density 2FDc₀/((1 − t₊)L) [A/m²].
    pub limiting: f64,
    /// Sand current density at the half-cycle time [A/m²].
    pub sand: f64,
    /// The simulated staircase and its cell.
    pub record: CellRecord<CcdRun>,
    /// The CCD analysis of the simulated record.
    pub analysis: CcdResult,
}

/// A current density [A/m²] in mA/cm².
fn d(v: f64) -> String {
    Quantity::CurrentDensity.display(v)
}

fn stop_words(stop: &StopReason) -> String {
    match *stop {
        StopReason::Completed => "completed (no failure)".into(),
        StopReason::Depletion { .. } => "salt depletion (Sand)".into(),
        StopReason::VoltageLimit { voltage, .. } => format!("voltage limit {voltage:.2} V"),
    }
}

/// The table and figures, filled one material at a time.
pub(super) struct Report {
    table: Table,
    figure: Figure,
    asr: Figure,
}

impl Report {
    pub(super) fn new(step: &Ccd) -> Self {
        let table = Table {
            title: format!(
                "Predicted CCD (ΔJ = {}, t_h = {}) vs paper; staircase CCD from the CCD analysis of the simulated record",
                d(step.step),
                Quantity::Time.display(step.half_cycle)
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
        let figure = Figure::new(
            "ccd_staircase",
            "Simulated CCD staircase",
            Axis::linear("time [h]"),
            Axis::linear("voltage [V]"),
        );
        let asr = Figure::new(
            "ccd_staircase_asr",
            "Area-specific resistance per current step (CCD analysis of the simulated staircase)",
            Axis::linear("j [mA/cm²]"),
            Axis::linear("ASR [Ω cm²]"),
        );
        Self { table, figure, asr }
    }

    /// J_lim, J_Sand and (when the analysis finds a failure) the staircase CCD of material `m`.
    pub(super) fn metrics(&self, step: &Ccd, m: &Material, p: &Prediction) -> Vec<Metric> {
        let metric = |value: f64, method: String| {
            Metric::new(MetricId::CriticalCurrentDensity, value, SOURCE_SIMULATION)
                .with_material(m.id.clone())
                .with_method(method)
                .with_condition("temperature_K", p.record.cell.temperature)
        };
        let mut out = vec![
            metric(p.limiting, "limiting current 2FDc0/((1-t+)L)".into()),
            metric(p.sand, format!("Sand current at t_h = {}", Quantity::Time.display(step.half_cycle))),
        ];
        let r = &p.analysis;
        if let Some(j) = r.ccd {
            let options = virtual_lab::analysis_options(step.step, step.steps, step.voltage_limit);
            let mut mt = metric(
                j,
                format!(
                    "simulated staircase (transport-only) analysed by the CCD analysis: {}; last stable {}",
                    r.failure.map(|f| f.mode.describe()).unwrap_or("-"),
                    r.last_stable.map_or("none".into(), d)
                ),
            );
            mt.options.extend([
                ("step".to_string(), format!("{} A/m2", step.step)),
                ("half_cycle".to_string(), format!("{} s", step.half_cycle)),
                ("cutoff_voltage".to_string(), format!("{} V", options.cutoff_voltage)),
                ("level_tolerance".to_string(), format!("{}", options.level_tolerance)),
                ("salt".to_string(), format!("{} mol/m3", step.salt)),
            ]);
            out.push(mt);
        }
        out
    }

    /// The table row, the staircase curve with its failure point, and the ASR per step of material
    /// `m` (colour `i`).
    pub(super) fn add(&mut self, i: usize, m: &Material, p: &Prediction) {
        let (r, run) = (&p.analysis, &p.record.run);
        let mut at_25c = Conditions::new();
        at_25c.insert("temperature_K".to_string(), T_REF);
        let paper = m.preset.paper_value(MetricId::CriticalCurrentDensity, &at_25c).map(|v| v.si_value);
        let ratio = |v: Option<f64>| match (v, paper) {
            (Some(j), Some(pv)) if pv > 0.0 => format!("{:.2}", j / pv),
            _ => "-".into(),
        };
        let mode = r.failure.map(|f| f.mode.describe());
        self.table.rows.push(vec![
            m.id.clone(),
            d(p.limiting),
            d(p.sand),
            r.ccd.map_or("none".into(), d),
            r.last_stable.map_or("none".into(), d),
            format!("{} / {}", mode.unwrap_or("none"), stop_words(&run.simulation.stop)),
            paper.map_or("-".into(), d),
            format!("{} / {} / {}", ratio(Some(p.limiting)), ratio(Some(p.sand)), ratio(r.ccd)),
        ]);
        let ts = run.data.time_series();
        let hours = |t: f64| Quantity::Time.to_display(t);
        let stride = (ts.len() / 3000).max(1);
        // Keep the last point (the failure reading) whatever the stride.
        let keep = |k: &usize| k.is_multiple_of(stride) || *k + 1 == ts.len();
        let t: Vec<f64> = (0..ts.len()).filter(keep).map(|k| hours(ts.time()[k])).collect();
        let u: Vec<f64> = (0..ts.len()).filter(keep).map(|k| ts.voltage()[k]).collect();
        let mut figure =
            std::mem::replace(&mut self.figure, Figure::new("", "", Axis::linear(""), Axis::linear("")))
                .with_series(Series::line(m.preset.name.clone(), t, u).with_color(i));
        if let Some(f) = r.failure {
            let k = ts.time().partition_point(|x| *x < f.time).min(ts.len() - 1);
            figure = figure.with_marker(Marker::point(
                format!("{}: {} at {}", m.preset.name, f.mode.describe(), d(f.current_density)),
                hours(f.time),
                ts.voltage()[k],
            ));
        }
        self.figure = figure;
        let ok: Vec<_> = r.steps.iter().filter(|s| s.asr.is_finite()).collect();
        let asr = std::mem::replace(&mut self.asr, Figure::new("", "", Axis::linear(""), Axis::linear("")));
        self.asr = asr.with_series(
            Series::line_markers(
                m.preset.name.clone(),
                ok.iter().map(|s| Quantity::CurrentDensity.to_display(s.current_density)).collect::<Vec<_>>(),
                ok.iter().map(|s| ohm_cm2(s.asr)).collect::<Vec<_>>(),
            )
            .with_color(i),
        );
    }

    /// The notes, table and figures into `out`.
    pub(super) fn finish(self, out: &mut StepOutput) {
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
        out.tables.push(self.table);
        out.figures.push(self.figure.with_caption(
            "Cell voltage during the simulated staircase until the first failure; the points mark the failure the CCD analysis detected.",
        ));
        out.figures.push(self.asr.with_caption(
            "Median plateau |V| / j of each step before the failure: the rise towards the last steps is salt polarization approaching J_lim.",
        ));
    }
}

/// The note when the analysis and the model disagree on the failing step.
pub(super) fn disagreement_note(m: &Material, p: &Prediction) -> String {
    format!(
        "{}: the CCD analysis of the simulated record gives {} but the model stopped in the {} step;                      the analysis value is reported.",
        m.id,
        p.analysis.ccd.map_or("no failure".into(), d),
        p.record.run.critical_current_density.map_or("(none)".into(), d)
    )
}
