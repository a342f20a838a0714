//! Step kind `ccd`: critical current density of a Li|SPE|Li cell from a step-increasing-current record.
//!
//! Reads a measured table (time, current, voltage columns with units in the headers) and runs
//! `spelab_analysis::ccd`: per-step ASR, failure detection (hard short, soft short, divergence) with the
//! thresholds as options, CCD and the last stable current density. Figures: V(t) with the step changes
//! and the failure marked, and ASR per step.

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::ccd::{critical_current_density, CcdOptions, CcdResult};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use toml::Spanned;

use super::source::{self, DataSource};
use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "ccd",
    title: "Critical current density (step-increasing current, symmetric cell)",
    summary: "CCD, last stable current, failure mode and per-step ASR from a Li|SPE|Li current staircase read from a table",
    example: r#"[[step]]
kind = "ccd"
file = "ccd.csv"                     # headers with units: time [s], current [mA], voltage [V]
material = "pvh-im"
area = "1.13 cm2"
# optional (defaults shown): time_column = "time"  current_column = "current"  voltage_column = "voltage"
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# rest_current_density = "0.001 mA/cm2"  level_tolerance = "2 %"  settle_fraction = "5 %"
# collapse_fraction = "50 %"  short_voltage = "1 mV"  noise_fraction = "10 %"  cutoff_voltage = "1 V""#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Spanned<String>,
    rest_current_density: Option<Spanned<String>>,
    level_tolerance: Option<Spanned<String>>,
    settle_fraction: Option<Spanned<String>>,
    collapse_fraction: Option<Spanned<String>>,
    short_voltage: Option<Spanned<String>>,
    noise_fraction: Option<Spanned<String>>,
    cutoff_voltage: Option<Spanned<String>>,
}

struct Ccd {
    material: Material,
    input: columns::CycleInput,
    area: f64,
    options: CcdOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (source, o): (DataSource, Options) = DataSource::split(spec, source::CYCLING_FILE)?;
    let file = source.required_file(spec)?;
    let material = spec.material(source.required_material(spec)?)?;
    let input = columns::CycleInput::parse(spec, file, &source)?;
    let area = spec.required_positive(&o.area, Quantity::Area, "area")?;
    let d = CcdOptions::default();
    let options = CcdOptions {
        rest_current_density: spec.positive_quantity(
            &o.rest_current_density,
            Quantity::CurrentDensity,
            "rest_current_density",
            d.rest_current_density,
        )?,
        level_tolerance: spec.positive_quantity(
            &o.level_tolerance,
            Quantity::Fraction,
            "level_tolerance",
            d.level_tolerance,
        )?,
        settle_fraction: match &o.settle_fraction {
            Some(v) => {
                let x = spec.quantity(v, Quantity::Fraction, "settle_fraction")?;
                if !(0.0..0.5).contains(&x) {
                    return Err(spec.error(Some(v.span()), "settle_fraction must be in [0, 50 %)"));
                }
                x
            }
            None => d.settle_fraction,
        },
        ..failure_thresholds(
            spec,
            [&o.short_voltage, &o.collapse_fraction, &o.noise_fraction, &o.cutoff_voltage],
            d,
        )?
    };
    Ok(Box::new(Ccd { material, input, area, options }))
}

/// The failure-detection thresholds a measured symmetric-cell step may set (`ccd` and `cycling-life`):
/// `short_voltage`, `collapse_fraction`, `noise_fraction`, `cutoff_voltage`, each > 0, over `base`.
pub(super) fn failure_thresholds(
    spec: &StepSpec<'_>,
    [short, collapse, noise, cutoff]: [&Option<Spanned<String>>; 4],
    base: CcdOptions,
) -> Result<CcdOptions, StudyError> {
    Ok(CcdOptions {
        short_voltage: spec.positive_quantity(
            short,
            Quantity::Voltage,
            "short_voltage",
            base.short_voltage,
        )?,
        collapse_fraction: spec.positive_quantity(
            collapse,
            Quantity::Fraction,
            "collapse_fraction",
            base.collapse_fraction,
        )?,
        noise_fraction: spec.positive_quantity(
            noise,
            Quantity::Fraction,
            "noise_fraction",
            base.noise_fraction,
        )?,
        cutoff_voltage: spec.positive_quantity(
            cutoff,
            Quantity::Voltage,
            "cutoff_voltage",
            base.cutoff_voltage,
        )?,
        ..base
    })
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
            if s.asr.is_finite() { format!("{:.2}", s.asr * 1e4) } else { "—".into() },
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
        v.iter().map(|x| x * 1e3).collect::<Vec<_>>(),
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
            v[k] * 1e3,
        ));
    }
    let ok: Vec<&spelab_analysis::ccd::StepSummary> = r.steps.iter().filter(|s| s.asr.is_finite()).collect();
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
            ok.iter().map(|s| s.asr * 1e4).collect::<Vec<_>>(),
        ))
        .with_caption("A flat ASR means stable plating/stripping; a falling ASR precedes a short, a rising one contact loss."),
    ]
}

fn ma_cm2(j: f64) -> f64 {
    Quantity::CurrentDensity.to_display(j)
}

impl Step for Ccd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let rec = self.input.read("ccd", &[spelab_core::Technique::Gcpl, spelab_core::Technique::Cp])?;
        let [t, i, v]: [Vec<f64>; 3] =
            rec.columns.try_into().map_err(|_| anyhow::anyhow!("three columns"))?;
        let r = critical_current_density(&t, &i, &v, self.area, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let mut out = StepOutput::default();
        let o = &self.options;
        let protocol = match r.protocol {
            spelab_analysis::ccd::StepProtocol::FixedTime => "fixed half-cycle time",
            spelab_analysis::ccd::StepProtocol::FixedCapacity => "fixed areal capacity per half-cycle",
            spelab_analysis::ccd::StepProtocol::Other => "neither fixed time nor fixed capacity",
        };
        let method = format!(
            "step-increasing current ({protocol}), CCD = j of the step where the cell first failed; thresholds: collapse < {:.0} % of plateau, \
             |V| < {:.2} mV, noise > {:.0} % of plateau, cut-off {:.2} V, settle {:.0} %, area {:.4} cm²",
            Quantity::Fraction.to_display(o.collapse_fraction),
            o.short_voltage * 1e3,
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
        out.tables.push(steps_table("Current steps: ASR and failure".into(), &r));
        out.figures.extend(figures(&self.material, &t, &v, &r));
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
        progress(1.0);
        Ok(out)
    }
}
