//! The `ccd` step's metric, notes, per-step table and figures.

use spelab_analysis::ccd::{CcdResult, StepProtocol, StepSummary};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use super::Ccd;
use crate::spec::Material;
use crate::steps::display::{mv, ohm_cm2};
use crate::steps::StepOutput;

impl Ccd {
    /// The CCD metric with its method and failure mode, or a note when no step failed.
    pub(super) fn metric_and_notes(&self, r: &CcdResult, out: &mut StepOutput) {
        let o = &self.options;
        let protocol = match r.protocol {
            StepProtocol::FixedTime => "fixed half-cycle time",
            StepProtocol::FixedCapacity => "fixed areal capacity per half-cycle",
            StepProtocol::Other => "neither fixed time nor fixed capacity",
        };
        let method = format!(
            "step-increasing current ({protocol}), CCD = j of the step where the cell first failed; thresholds: collapse < {:.0} % of plateau, \
             |V| < {:.2} mV, noise > {:.0} % of plateau, cut-off {:.2} V, settle {:.0} %, area {:.4} cm²",
            Quantity::Fraction.to_display(o.collapse_fraction),
            mv(o.short_voltage),
            Quantity::Fraction.to_display(o.noise_fraction),
            o.cutoff_voltage,
            Quantity::Fraction.to_display(o.settle_fraction),
            Quantity::Area.to_display(self.area)
        );
        match (r.ccd, r.failure) {
            (Some(ccd), Some(f)) => {
                out.metrics.push(
                    Metric::new(MetricId::CriticalCurrentDensity, ccd, self.input.label.clone())
                        .with_material(self.material.id.clone())
                        .with_method(format!("{method}; failure mode: {}", f.mode.describe())),
                );
                out.notes.push(format!(
                    "{}: {} at t = {:.3} h in the {:.3} mA/cm² step; last stable step {}.",
                    self.material.id,
                    f.mode.describe(),
                    Quantity::Time.to_display(f.time),
                    ma_cm2(ccd),
                    r.last_stable.map(|j| format!("{:.3} mA/cm²", ma_cm2(j))).unwrap_or_else(|| "none (the first step failed)".into())
                ));
            }
            _ => out.notes.push(format!(
                "{}: no failure detected up to {:.3} mA/cm²; the CCD is above the highest step (no CCD metric reported).",
                self.material.id,
                r.last_stable.map(ma_cm2).unwrap_or(0.0)
            )),
        }
    }

    /// Attaches the step's options to every metric.
    pub(super) fn attach_options(&self, out: &mut StepOutput) {
        let o = &self.options;
        let options = [
            ("area", format!("{} m2", self.area)),
            ("rest_current_density", format!("{} A/m2", o.rest_current_density)),
            ("level_tolerance", format!("{} %", Quantity::Fraction.to_display(o.level_tolerance))),
            ("settle_fraction", format!("{} %", Quantity::Fraction.to_display(o.settle_fraction))),
            ("collapse_fraction", format!("{} %", Quantity::Fraction.to_display(o.collapse_fraction))),
            ("short_voltage", format!("{} V", o.short_voltage)),
            ("noise_fraction", format!("{} %", Quantity::Fraction.to_display(o.noise_fraction))),
            ("cutoff_voltage", format!("{} V", o.cutoff_voltage)),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
    }
}

/// The per-step table: |j|, half-cycles, ASR and failure.
pub(super) fn steps_table(title: String, r: &CcdResult) -> Table {
    let mut steps = Table {
        title,
        columns: ["j [mA/cm²]", "half-cycles", "ASR [Ω cm²]", "failure"].map(String::from).to_vec(),
        rows: Vec::new(),
    };
    for s in &r.steps {
        steps.rows.push(vec![
            format!("{:.3}", ma_cm2(s.current_density)),
            s.half_cycles.len().to_string(),
            if s.asr.is_finite() { format!("{:.2}", ohm_cm2(s.asr)) } else { "—".into() },
            s.failure
                .map(|f| format!("{} at {:.3} h", f.mode.describe(), Quantity::Time.to_display(f.time)))
                .unwrap_or_default(),
        ]);
    }
    steps
}

/// V(t) with the step changes and the first failure marked, and the ASR per step.
pub(super) fn figures(material: &Material, t: &[f64], v: &[f64], r: &CcdResult) -> Vec<Figure> {
    let mut vt = Figure::new(
        format!("ccd-{}", material.id),
        format!("Current staircase, {}", material.preset.name),
        Axis::linear("time [h]"),
        Axis::linear("V [mV]"),
    )
    .with_series(Series::line(
        "cell voltage",
        t.iter().map(|x| Quantity::Time.to_display(*x)).collect::<Vec<_>>(),
        v.iter().map(|x| mv(*x)).collect::<Vec<_>>(),
    ));
    for s in &r.steps {
        let h = &r.half_cycles[s.half_cycles[0]];
        vt = vt.with_marker(Marker::vertical(
            format!("{:.2}", ma_cm2(s.current_density)),
            Quantity::Time.to_display(h.time.0),
        ));
    }
    if let Some(f) = r.failure {
        let k = t.partition_point(|x| *x < f.time).min(t.len() - 1);
        vt = vt.with_marker(Marker::point(
            format!("failure: {}", f.mode.describe()),
            Quantity::Time.to_display(f.time),
            mv(v[k]),
        ));
    }
    let ok: Vec<&StepSummary> = r.steps.iter().filter(|s| s.asr.is_finite()).collect();
    vec![
        vt.with_caption(
            "Cell voltage under the step-increasing current; thin lines mark each step (labelled in mA/cm²), the point marks the first detected failure.",
        ),
        Figure::new(
            format!("ccd-asr-{}", material.id),
            "Area-specific resistance per current step",
            Axis::linear("j [mA/cm²]"),
            Axis::linear("ASR [Ω cm²]"),
        )
        .with_series(Series::line_markers(
            "ASR (median plateau |V| / j)",
            ok.iter().map(|s| ma_cm2(s.current_density)).collect::<Vec<_>>(),
            ok.iter().map(|s| ohm_cm2(s.asr)).collect::<Vec<_>>(),
        ))
        .with_caption("A flat ASR means stable plating/stripping; a falling ASR precedes a short, a rising one contact loss."),
    ]
}

fn ma_cm2(j: f64) -> f64 {
    Quantity::CurrentDensity.to_display(j)
}
