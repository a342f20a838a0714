//! The `lsv-onset` step's onset analysis of one sweep (metric, figure) and its tables and notes.

use anyhow::Context;
use spelab_analysis::lsv::{oxidation_onset, LsvOnset};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::lab::OxidationLsv;

use super::{Lsv, Method};
use crate::spec::Material;
use crate::steps::display::{mv, ohm_cm2, ua_cm2};
use crate::steps::StepOutput;

impl Lsv {
    /// Runs the onset analysis on one sweep (E [V], j [A/m²]) and adds its metric, figure and notes.
    pub(super) fn analyse(
        &self,
        material: &Material,
        label: &str,
        source: &str,
        e: &[f64],
        j: &[f64],
        out: &mut StepOutput,
    ) -> anyhow::Result<LsvOnset> {
        let r = oxidation_onset(e, j, &self.options)
            .with_context(|| format!("material '{}' ({label})", material.id))?;
        let ma = |x: f64| Quantity::CurrentDensity.to_display(x);
        let o = &self.options;
        let (value, name) = match self.method {
            Method::Threshold => (
                r.threshold_onset,
                format!("current threshold {:.4} mA/cm² above the baseline", ma(o.threshold)),
            ),
            Method::Tangent => {
                (r.tangent_onset, "intersection of the baseline with the tangent at the steepest rise".into())
            }
            Method::Derivative => (
                r.derivative_onset,
                format!("dj/dE above the baseline slope by {:.4} mA/cm²/V", ma(o.derivative_threshold)),
            ),
        };
        let round_trip = if source == SOURCE_SIMULATION {
            "virtual LSV round trip (onset INPUT from the paper, not a prediction); "
        } else {
            ""
        };
        match value {
            Some(x) => {
                let mut m = Metric::new(MetricId::OxidationOnset, x, source.to_string())
                    .with_material(material.id.clone())
                    .with_method(format!(
                        "{round_trip}LSV onset: {name}; baseline OLS over {:.3}–{:.3} V; {}-point smoothing; area {:.4} cm²",
                        r.baseline_window.0,
                        r.baseline_window.1,
                        o.smoothing_points,
                        Quantity::Area.to_display(self.area)
                    ));
                m.options.extend(
                    [
                        ("area", format!("{} m2", self.area)),
                        ("threshold", format!("{} A/m2", o.threshold)),
                        ("derivative_threshold", format!("{} A/m2/V", o.derivative_threshold)),
                        ("baseline", format!("{} V to {} V", r.baseline_window.0, r.baseline_window.1)),
                        ("smoothing", o.smoothing_points.to_string()),
                    ]
                    .map(|(k, v)| (k.to_string(), v)),
                );
                out.metrics.push(m);
            }
            None => out.notes.push(format!(
                "{}: the chosen onset ({name}) was not reached in the sweep; no metric reported.",
                material.id
            )),
        }
        out.figures.push(figure(material, e, j, &r));
        Ok(r)
    }
}

/// The sweep with the baseline, the tangent at the steepest rise and the three onsets.
fn figure(material: &Material, e: &[f64], j: &[f64], r: &LsvOnset) -> Figure {
    let ma = |x: f64| Quantity::CurrentDensity.to_display(x);
    let (lo, hi) = (
        e.iter().copied().fold(f64::INFINITY, f64::min),
        e.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let (se, sj, sd) = r.steepest;
    let tangent_from = r.tangent_onset.unwrap_or(se).max(lo);
    let mut fig = Figure::new(
        format!("lsv-{}", material.id),
        format!("LSV, {}", material.preset.name),
        Axis::linear("E [V]"),
        Axis::linear("j [mA/cm²]"),
    )
    .with_series(Series::line("j(E)", e.to_vec(), j.iter().map(|x| ma(*x)).collect::<Vec<_>>()))
    .with_series(Series::dashed("baseline", vec![lo, hi], vec![ma(r.baseline.at(lo)), ma(r.baseline.at(hi))]))
    .with_series(Series::dashed(
        "tangent at steepest rise",
        vec![tangent_from, se],
        vec![ma(sj + sd * (tangent_from - se)), ma(sj)],
    ));
    for (name, x) in
        [("threshold", r.threshold_onset), ("tangent", r.tangent_onset), ("derivative", r.derivative_onset)]
    {
        if let Some(x) = x {
            fig = fig.with_marker(Marker::vertical(format!("{name} {x:.3} V"), x));
        }
    }
    fig.with_caption(
        "Sweep with the baseline line, the tangent at the steepest rise, and the onset by each definition.",
    )
}

/// An onset, or "not reached".
fn volts(x: Option<f64>) -> String {
    x.map(|x| format!("{x:.4} V")).unwrap_or_else(|| "not reached".into())
}

/// The measured sweep's onsets by each definition.
pub(super) fn onset_table(material: &Material, r: &LsvOnset) -> Table {
    Table {
        title: "LSV oxidation onset by definition".into(),
        columns: ["material", "threshold", "tangent intersection", "derivative", "baseline window"]
            .map(String::from)
            .to_vec(),
        rows: vec![vec![
            material.id.clone(),
            volts(r.threshold_onset),
            volts(r.tangent_onset),
            volts(r.derivative_onset),
            format!("{:.3}–{:.3} V", r.baseline_window.0, r.baseline_window.1),
        ]],
    }
}

/// The empty round-trip table of the virtual sweeps (start, end [V], rate [V/s]).
pub(super) fn round_trip_table(start: f64, end: f64, rate: f64) -> Table {
    Table {
        title: format!(
            "Virtual LSV round trip ({:.2}–{:.2} V at {} mV/s, seeded noise): onset recovered by each definition vs the INPUT onset",
            start,
            end,
            mv(rate)
        ),
        columns: [
            "material",
            "input onset (paper)",
            "threshold (Δ)",
            "tangent intersection (Δ)",
            "derivative (Δ)",
            "model: b, j_on, j_L, ASR",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

/// One virtual sweep's row: each onset beside the INPUT onset, and the model's parameters.
pub(super) fn round_trip_row(m: &Material, model: &OxidationLsv, r: &LsvOnset) -> Vec<String> {
    let dv = |x: Option<f64>| match x {
        Some(x) => format!("{x:.4} V ({:+.0} mV)", mv(x - model.onset_potential)),
        None => "not reached".into(),
    };
    vec![
        m.id.clone(),
        format!("{:.2} V ({})", model.onset_potential, model.onset_source),
        dv(r.threshold_onset),
        dv(r.tangent_onset),
        dv(r.derivative_onset),
        format!(
            "{:.0} mV/dec, {:.0} µA/cm², {:.2} mA/cm², {:.1} Ω cm²",
            mv(model.tafel_slope),
            ua_cm2(model.onset_current_density),
            Quantity::CurrentDensity.to_display(model.limiting_current_density),
            ohm_cm2(model.area_specific_resistance)
        ),
    ]
}

/// The note on the virtual sweeps: the onset is an input, and each definition's known bias.
pub(super) const VIRTUAL_NOTE: &str =
    "Virtual LSV: the onset potential is an INPUT taken from the paper (PVH-IM 'stable up to 4.90 V', a \
     lower bound; PVH 'rises at approximately 4.10 V', its 4.30 V peak is not modelled), so this step is a \
     round trip of the onset analysis, not a prediction of oxidative stability. The sweep is \
     j = C_dl·ν + j_k j_L/(j_k + j_L), j_k = j_on·10^((E − j·ASR − E_on)/b), with assumed b, j_on, j_L \
     (preset [model] values) and ASR = L/σ. The threshold method with threshold = j_on returns E_on up \
     to b·log10(j_L/(j_L − j_on)) (5 mV); the derivative method lands where (ln10/b)·j(1 − j/j_L) \
     reaches its threshold (about 28 mV below E_on); the tangent lands at E_on + b·(log10(j_L/j_on) − \
     2/ln10) (about 16 mV above; the steepest point of a noisy derivative adds ~10 mV more) — \
     known biases of each definition, not errors.";
