//! Step kind `lsv-onset`: oxidation onset of an anodic LSV sweep read from a table.
//!
//! Runs `spelab_analysis::lsv` (threshold, tangent intersection, derivative) and reports all three in a
//! table; the metric uses the definition named by `method` (default `threshold`). The figure shows the
//! sweep, the baseline line, the tangent at the steepest rise and the three onsets.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::lsv::{oxidation_onset, LsvOptions};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use toml::Spanned;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::study::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "lsv-onset",
    title: "Oxidation onset (linear sweep voltammetry)",
    summary: "LSV oxidation onset by current threshold, tangent intersection and derivative, from a table",
    example: r#"[[step]]
kind = "lsv-onset"
file = "lsv.csv"                     # headers with units: potential [V], current [uA]
material = "pvh-im"
area = "1 cm2"
# optional (defaults shown): potential_column = "potential"  current_column = "current"
# method = "threshold"  (or "tangent", "derivative": which onset becomes the metric)
# threshold = "0.01 mA/cm2"  derivative_threshold = "0.1 mA/cm2/V"  baseline = ["3 V", "3.6 V"]  smoothing = 5"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    file: Spanned<String>,
    material: Spanned<String>,
    area: Spanned<String>,
    potential_column: Option<String>,
    current_column: Option<String>,
    method: Option<Spanned<String>>,
    threshold: Option<Spanned<String>>,
    derivative_threshold: Option<Spanned<String>>,
    baseline: Option<Vec<Spanned<String>>>,
    smoothing: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Method {
    Threshold,
    Tangent,
    Derivative,
}

struct Lsv {
    material: Material,
    path: PathBuf,
    label: String,
    columns: [String; 2],
    area: f64,
    method: Method,
    options: LsvOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let material = spec.material(&o.material)?;
    let path = spec.file(&o.file, "file")?;
    let area = spec.quantity(&o.area, Quantity::Area, "area")?;
    if area <= 0.0 {
        return Err(spec.error(Some(o.area.span()), "area must be > 0"));
    }
    let method = match o.method.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("threshold") => Method::Threshold,
        Some("tangent") => Method::Tangent,
        Some("derivative") => Method::Derivative,
        Some(other) => {
            return Err(spec.error(
                o.method.as_ref().map(Spanned::span),
                format!("method = \"{other}\": expected \"threshold\", \"tangent\" or \"derivative\""),
            ))
        }
    };
    let d = LsvOptions::default();
    let threshold = match &o.threshold {
        Some(v) => spec.quantity(v, Quantity::CurrentDensity, "threshold")?,
        None => d.threshold,
    };
    // A derivative threshold is a current density per volt: parse the current density part.
    let derivative_threshold = match &o.derivative_threshold {
        Some(v) => {
            let text = v.get_ref().trim();
            let Some(body) = text.strip_suffix("/V") else {
                return Err(spec.error(
                    Some(v.span()),
                    "derivative_threshold is a current density per volt, e.g. \"0.1 mA/cm2/V\"",
                ));
            };
            parse_cd(spec, v, body)?
        }
        None => d.derivative_threshold,
    };
    if !(threshold > 0.0 && derivative_threshold > 0.0) {
        return Err(spec.error(o.threshold.as_ref().map(Spanned::span), "thresholds must be > 0"));
    }
    let baseline_window = match &o.baseline {
        None => None,
        Some(v) if v.len() == 2 => {
            let a = spec.quantity(&v[0], Quantity::Voltage, "baseline")?;
            let b = spec.quantity(&v[1], Quantity::Voltage, "baseline")?;
            if b <= a {
                return Err(spec.error(Some(v[1].span()), "baseline = [low, high] with low < high"));
            }
            Some((a, b))
        }
        Some(v) => {
            return Err(spec.error(v.first().map(Spanned::span), "baseline = [low, high]: two potentials"))
        }
    };
    let options = LsvOptions {
        baseline_window,
        threshold,
        derivative_threshold,
        smoothing_points: o.smoothing.unwrap_or(d.smoothing_points),
    };
    Ok(Box::new(Lsv {
        material,
        path,
        label: o.file.get_ref().clone(),
        columns: [
            o.potential_column.unwrap_or_else(|| "potential".into()),
            o.current_column.unwrap_or_else(|| "current".into()),
        ],
        area,
        method,
        options,
    }))
}

fn parse_cd(spec: &StepSpec<'_>, v: &Spanned<String>, body: &str) -> Result<f64, StudyError> {
    spelab_core::units::parse_quantity(body, Quantity::CurrentDensity)
        .map_err(|e| spec.error(Some(v.span()), format!("derivative_threshold: {e}")))
}

impl Step for Lsv {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let wanted =
            [(self.columns[0].as_str(), Quantity::Voltage), (self.columns[1].as_str(), Quantity::Current)];
        let accepted = [spelab_core::Technique::Lsv, spelab_core::Technique::Cv];
        let rec = columns::read_record(&self.path, &self.label, &wanted, "lsv-onset", &accepted, None)?;
        let e = rec.columns[0].clone();
        let j: Vec<f64> = rec.columns[1].iter().map(|i| i / self.area).collect();
        let r = oxidation_onset(&e, &j, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.label))?;
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
        let mut out = StepOutput::default();
        let v = |x: Option<f64>| x.map(|x| format!("{x:.4} V")).unwrap_or_else(|| "not reached".into());
        out.tables.push(Table {
            title: "LSV oxidation onset by definition".into(),
            columns: ["material", "threshold", "tangent intersection", "derivative", "baseline window"]
                .map(String::from)
                .to_vec(),
            rows: vec![vec![
                self.material.id.clone(),
                v(r.threshold_onset),
                v(r.tangent_onset),
                v(r.derivative_onset),
                format!("{:.3}–{:.3} V", r.baseline_window.0, r.baseline_window.1),
            ]],
        });
        match value {
            Some(x) => out.metrics.push(
                Metric::new(MetricId::OxidationOnset, x, self.label.clone())
                    .with_material(self.material.id.clone())
                    .with_method(format!(
                    "LSV onset: {name}; baseline OLS over {:.3}–{:.3} V; {}-point smoothing; area {:.4} cm²",
                    r.baseline_window.0,
                    r.baseline_window.1,
                    o.smoothing_points,
                    self.area * 1e4
                )),
            ),
            None => out.notes.push(format!(
                "{}: the chosen onset ({name}) was not reached in the sweep; no metric reported.",
                self.material.id
            )),
        }
        let (lo, hi) = (
            e.iter().copied().fold(f64::INFINITY, f64::min),
            e.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        );
        let (se, sj, sd) = r.steepest;
        let tangent_from = r.tangent_onset.unwrap_or(se).max(lo);
        let mut fig = Figure::new(
            format!("lsv-{}", self.material.id),
            format!("LSV, {}", self.material.preset.name),
            Axis::linear("E [V]"),
            Axis::linear("j [mA/cm²]"),
        )
        .with_series(Series::line("j(E)", e.clone(), j.iter().map(|x| ma(*x)).collect::<Vec<_>>()))
        .with_series(Series::dashed(
            "baseline",
            vec![lo, hi],
            vec![ma(r.baseline.at(lo)), ma(r.baseline.at(hi))],
        ))
        .with_series(Series::dashed(
            "tangent at steepest rise",
            vec![tangent_from, se],
            vec![ma(sj + sd * (tangent_from - se)), ma(sj)],
        ));
        for (label, x) in [
            ("threshold", r.threshold_onset),
            ("tangent", r.tangent_onset),
            ("derivative", r.derivative_onset),
        ] {
            if let Some(x) = x {
                fig = fig.with_marker(Marker::vertical(format!("{label} {x:.3} V"), x));
            }
        }
        out.figures.push(fig.with_caption("Sweep with the baseline line, the tangent at the steepest rise, and the onset by each definition."));
        let options = [
            ("area", format!("{} m2", self.area)),
            ("threshold", format!("{} A/m2", o.threshold)),
            ("derivative_threshold", format!("{} A/m2/V", o.derivative_threshold)),
            ("baseline", format!("{} V to {} V", r.baseline_window.0, r.baseline_window.1)),
            ("smoothing", o.smoothing_points.to_string()),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        progress(1.0);
        Ok(out)
    }
}
