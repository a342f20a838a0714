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

/// Half-height of the voltage axis: this many times the largest |V| before the failure.
const VOLTAGE_HEADROOM: f64 = 1.25;

/// V(t) with the current density steps on a second axis and the first failure marked; the voltage
/// axis is set by the data before the failure, so a compliance spike after a short runs off the
/// scale (said in the failure label) instead of flattening the staircase. Also the ASR per step.
/// `i` is the current [A], `area` the electrode area [m²].
pub(super) fn figures(
    material: &Material,
    t: &[f64],
    i: &[f64],
    v: &[f64],
    area: f64,
    r: &CcdResult,
) -> Vec<Figure> {
    let hours: Vec<f64> = t.iter().map(|x| Quantity::Time.to_display(*x)).collect();
    let before = |k: &usize| r.failure.is_none_or(|f| t[*k] < f.time);
    let v_max =
        (0..v.len()).filter(before).map(|k| mv(v[k]).abs()).filter(|x| x.is_finite()).fold(0.0, f64::max);
    let j_max = i.iter().map(|x| ma_cm2(x / area).abs()).filter(|x| x.is_finite()).fold(0.0, f64::max);
    let mut vt = Figure::new(
        format!("ccd-{}", material.id),
        format!("Current staircase, {}", material.preset.name),
        Axis::linear("time [h]"),
        Axis::linear("V [mV]"),
    )
    .with_series(
        Series::line("cell voltage (left axis)", hours.clone(), v.iter().map(|x| mv(*x)).collect::<Vec<_>>())
            .with_color(0),
    )
    .with_series(
        Series::line(
            "current density (right axis)",
            hours,
            i.iter().map(|x| ma_cm2(x / area)).collect::<Vec<_>>(),
        )
        .with_color(1)
        .on_secondary(),
    );
    if v_max > 0.0 && j_max > 0.0 {
        // Symmetric ranges on both axes, so zero volts and zero current share one line.
        vt.y = vt.y.with_range(-VOLTAGE_HEADROOM * v_max, VOLTAGE_HEADROOM * v_max);
        vt = vt.with_y2(Axis::linear("j [mA/cm²]").with_range(-1.1 * j_max, 1.1 * j_max));
    } else {
        vt = vt.with_y2(Axis::linear("j [mA/cm²]"));
    }
    if let Some(f) = r.failure {
        let after = (0..v.len()).filter(|k| t[*k] >= f.time).map(|k| v[k].abs()).fold(0.0, f64::max);
        let off_scale = mv(after) > VOLTAGE_HEADROOM * v_max;
        let label = if off_scale {
            format!(
                "{} at {:.3} mA/cm² (|V| up to {:.2} V, off scale)",
                f.mode.describe(),
                ma_cm2(f.current_density),
                after
            )
        } else {
            format!("{} at {:.3} mA/cm²", f.mode.describe(), ma_cm2(f.current_density))
        };
        vt = vt.with_marker(Marker::vertical(label, Quantity::Time.to_display(f.time)));
    }
    let ok: Vec<&StepSummary> = r.steps.iter().filter(|s| s.asr.is_finite()).collect();
    vec![
        vt.with_caption(
            "Cell voltage (left axis) under the step-increasing current density (right axis); the dashed line marks the \
             first detected failure. The voltage axis spans 1.25 × the largest |V| before the failure, so a compliance \
             spike after a short runs off the scale (its size is given in the label).",
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
