//! What the `ccd-predict` step shows: three CCD metrics per material, the table against the paper,
//! the simulated staircase with its failure point, the ASR per step, and the notes.

use spelab_analysis::ccd::CcdResult;
use spelab_core::constants::T_REF;
use spelab_core::metric::{Band, Conditions, Metric, MetricId, SOURCE_SIMULATION};
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
    /// J_lim over the stated ranges of the assumed parameters ([`crate::band`]).
    pub limiting_band: Option<Band>,
    /// J_Sand over the stated ranges of the assumed parameters.
    pub sand_band: Option<Band>,
    /// The staircase CCD over thickness, c₀ and t_h (more staircase runs).
    pub staircase_band: Option<Band>,
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

/// "0.703 (0.35–1.4) mA/cm²": a current density with its band.
fn with_band(v: f64, band: Option<&Band>) -> String {
    match band {
        Some(b) => {
            let q = Quantity::CurrentDensity;
            let n = |x: f64| q.display(x).trim_end_matches(q.display_unit()).trim().to_string();
            format!("{} ({}–{}) {}", n(v), n(b.low), n(b.high), q.display_unit())
        }
        None => d(v),
    }
}

/// What the wording note needs of one material: name, J_lim, J_Sand and their bands, the paper's CCD.
struct Summary {
    name: String,
    limiting: f64,
    sand: f64,
    sand_band: Option<Band>,
    paper: Option<f64>,
}

/// The table and figures, filled one material at a time.
pub(super) struct Report {
    table: Table,
    figure: Figure,
    asr: Figure,
    summaries: Vec<Summary>,
    /// t_h [s] and c₀ [mol/m³] of the step.
    half_cycle: f64,
    salt: f64,
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
                "J_lim (band)",
                "J_Sand(t_h) (band)",
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
        Self { table, figure, asr, summaries: Vec::new(), half_cycle: step.half_cycle, salt: step.salt }
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
            metric(p.limiting, "limiting current 2FDc0/((1-t+)L)".into()).with_band(p.limiting_band.clone()),
            metric(p.sand, format!("Sand current at t_h = {}", Quantity::Time.display(step.half_cycle)))
                .with_band(p.sand_band.clone()),
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
            out.push(mt.with_band(p.staircase_band.clone()));
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
            with_band(p.limiting, p.limiting_band.as_ref()),
            with_band(p.sand, p.sand_band.as_ref()),
            r.ccd.map_or("none".into(), |j| with_band(j, p.staircase_band.as_ref())),
            r.last_stable.map_or("none".into(), d),
            format!("{} / {}", mode.unwrap_or("none"), stop_words(&run.simulation.stop)),
            paper.map_or("-".into(), d),
            format!("{} / {} / {}", ratio(Some(p.limiting)), ratio(Some(p.sand)), ratio(r.ccd)),
        ]);
        self.summaries.push(Summary {
            name: m.preset.name.clone(),
            limiting: p.limiting,
            sand: p.sand,
            sand_band: p.sand_band.clone(),
            paper,
        });
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
        out.notes.push(self.criteria_note());
        out.notes.push(
            "The staircase CCD is what the CCD analysis (the one run on measured files) finds in the simulated \
             V(t): the record ends on the reading that tripped the instrument (voltage limit, or its ±10 V \
             compliance at salt depletion), which the analysis classifies as divergence (|V| above the cut-off, \
             the contact-loss-like signature of depletion), not as a short."
                .into(),
        );
        out.notes.push(band_note(self.half_cycle));
        out.tables.push(self.table);
        out.figures.push(self.figure.with_caption(
            "Cell voltage during the simulated staircase until the first failure; the points mark the failure the CCD analysis detected.",
        ));
        out.figures.push(self.asr.with_caption(
            "Median plateau |V| / j of each step before the failure: the rise towards the last steps is salt polarization approaching J_lim.",
        ));
    }
}

/// Which criterion bounds what, with this run's numbers: J_lim and the staircase are transport-only
/// upper bounds of a real cell's CCD; the semi-infinite Sand current is not a bound when it lies
/// below J_lim (the stripping electrode feeds salt back in a finite cell, so a finite cell lasts
/// longer than Sand's time), and it scales as √(c₀/t_h) with D ∝ 1/c₀ (Nernst-Einstein).
impl Report {
    fn criteria_note(&self) -> String {
        let below: Vec<&Summary> = self.summaries.iter().filter(|s| s.sand < s.limiting).collect();
        let pairs = |list: &[&Summary]| {
            list.iter()
                .map(|s| format!("{} {} < {}", s.name, d(s.sand), d(s.limiting)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let sand = if below.len() == self.summaries.len() && !below.is_empty() {
            format!(
                "The semi-infinite Sand current J_Sand(t_h) is below J_lim for every material here ({}), so it is \
                 not an upper bound: it is the current that empties the salt at the plating face within one \
                 half-cycle of an electrolyte without a far side; in this finite Li|SPE|Li cell the stripping \
                 electrode feeds salt back and the face lasts longer, so J_Sand(t_h) sits below the cell's \
                 transport-only failure current (a conservative estimate of it).",
                pairs(&below)
            )
        } else {
            format!(
                "The semi-infinite Sand current J_Sand(t_h) estimates the current that empties the salt at the \
                 plating face within one half-cycle; it is below J_lim for {} and then not an upper bound (the \
                 finite cell's far electrode feeds salt back), above it for the others (where J_lim governs).",
                if below.is_empty() { "no material".to_string() } else { pairs(&below) }
            )
        };
        let near: Vec<String> = self
            .summaries
            .iter()
            .filter_map(|s| {
                let (pv, b) = (s.paper?, s.sand_band.as_ref()?);
                Some(format!(
                    "{}: J_Sand {} = {:.2}× the paper's {}, {:.2}–{:.2}× over the band{}",
                    s.name,
                    d(s.sand),
                    s.sand / pv,
                    d(pv),
                    b.low / pv,
                    b.high / pv,
                    if b.contains(pv) { " (the paper's value is inside)" } else { "" }
                ))
            })
            .collect();
        format!(
            "Which criterion bounds what. J_lim = 2FDc₀/((1 − t₊)L) is the steady-state limit: no steady \
             state exists above it, so it is an upper bound of the transport-limited CCD. The simulated staircase \
             (transport only: no dendrite mechanics, current focusing or interphase growth, which can only fail \
             a real cell earlier) is an upper bound of a real cell's CCD under this protocol. {sand} J_Sand scales \
             as √(c₀/t_h) (c₀·√D with D ∝ 1/c₀ by Nernst-Einstein), and neither c₀ nor t_h is stated in the \
             paper's main text (c₀ = {} and t_h = {} assumed here){}. Measured CCDs are compared, nothing is \
             fitted to them.",
            Quantity::Concentration.display(self.salt),
            Quantity::Time.display(self.half_cycle),
            if near.is_empty() { String::new() } else { format!(": {}", near.join("; ")) }
        )
    }
}

/// The stated ranges of the assumed parameters behind the bands, and how they combine.
fn band_note(half_cycle: f64) -> String {
    let ranges: Vec<String> = crate::band::ASSUMED
        .iter()
        .map(|a| format!("{} {}–{} {} ({})", a.name, a.low, a.high, a.unit, a.why))
        .collect();
    format!(
        "Bands (in brackets, and `band` in metrics.json): J_lim, J_Sand and the staircase CCD recomputed with each assumed \
         parameter at the ends of its stated range, the others nominal (t_h = {}), the logarithmic deviations \
         combined in quadrature on each side (one-at-a-time sensitivities, parameters taken as independent). \
         Ranges: {}. The staircase CCD's band comes from five more staircase runs per material (thickness, c₀ \
         and t_h; D is not varied there, the cell takes it from σ, t₊ and c₀ by Nernst-Einstein).",
        Quantity::Time.display(half_cycle),
        ranges.join("; ")
    )
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
