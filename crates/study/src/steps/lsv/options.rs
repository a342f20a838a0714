//! The `lsv-onset` step's options (measured table or virtual sweeps), with file:line errors.

use serde::Deserialize;
use spelab_analysis::lsv::LsvOptions;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::{Lsv, Source};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::Step;

/// The data-source keys the step accepts (`potential_column` is its own).
const KEYS: &[&str] = &["file", "material", "materials", "current_column"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Option<Spanned<String>>,
    #[serde(rename = "virtual")]
    virtual_: Option<bool>,
    sweep: Option<Vec<Spanned<String>>>,
    rate: Option<Spanned<String>>,
    seed: Option<u64>,
    potential_column: Option<String>,
    method: Option<Spanned<String>>,
    threshold: Option<Spanned<String>>,
    derivative_threshold: Option<Spanned<String>>,
    baseline: Option<Vec<Spanned<String>>>,
    smoothing: Option<usize>,
}

/// Which onset definition becomes the metric.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Method {
    Threshold,
    Tangent,
    Derivative,
}

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let area = match &o.area {
        Some(a) => spec.required_positive(a, Quantity::Area, "area")?,
        None if o.virtual_ == Some(true) => 1e-4,
        None => return Err(spec.error(None, "missing option 'area' (the electrode area, e.g. \"1 cm2\")")),
    };
    let source = if o.virtual_ == Some(true) {
        if let Some(f) = src.file.as_ref().or(src.material.as_ref()) {
            return Err(spec.error(
                Some(f.span()),
                "virtual = true simulates the sweeps: use `materials`, not `file` or `material`",
            ));
        }
        if o.potential_column.is_some() || src.current_column.is_some() {
            return Err(spec.error(None, "virtual = true has no columns to map"));
        }
        let materials = spec.materials_or_all(&src.materials)?;
        let (start, end) = match &o.sweep {
            None => (3.0, 5.5),
            Some(v) if v.len() == 2 => {
                let a = spec.quantity(&v[0], Quantity::Voltage, "sweep")?;
                let b = spec.quantity(&v[1], Quantity::Voltage, "sweep")?;
                if b <= a {
                    return Err(
                        spec.error(Some(v[1].span()), "sweep = [start, end] with start < end (anodic)")
                    );
                }
                (a, b)
            }
            Some(v) => {
                return Err(spec.error(v.first().map(Spanned::span), "sweep = [start, end]: two potentials"))
            }
        };
        let rate = match &o.rate {
            None => 1e-3,
            Some(v) => {
                let body = v.get_ref().trim().strip_suffix("/s").ok_or_else(|| {
                    spec.error(Some(v.span()), "rate is a voltage per second, e.g. \"1 mV/s\"")
                })?;
                let r = spelab_core::units::parse_quantity(body, Quantity::Voltage)
                    .map_err(|e| spec.error(Some(v.span()), format!("rate: {e}")))?;
                if r <= 0.0 || r.is_nan() {
                    return Err(spec.error(Some(v.span()), "rate must be > 0"));
                }
                r
            }
        };
        Source::Virtual { materials, start, end, rate, seed: o.seed.unwrap_or(1) }
    } else {
        if src.materials.is_some() || o.sweep.is_some() || o.rate.is_some() || o.seed.is_some() {
            return Err(spec.error(None, "materials, sweep, rate and seed need virtual = true"));
        }
        let (Some(file), Some(material)) = (&src.file, &src.material) else {
            return Err(spec.error(None, "missing option 'file' and 'material' (or set virtual = true)"));
        };
        Source::File {
            material: Box::new(spec.material(material)?),
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            columns: [
                o.potential_column.clone().unwrap_or_else(|| "potential".into()),
                src.current_column.clone().unwrap_or_else(|| "current".into()),
            ],
        }
    };
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
    Ok(Box::new(Lsv { source, area, method, options }))
}

fn parse_cd(spec: &StepSpec<'_>, v: &Spanned<String>, body: &str) -> Result<f64, StudyError> {
    spelab_core::units::parse_quantity(body, Quantity::CurrentDensity)
        .map_err(|e| spec.error(Some(v.span()), format!("derivative_threshold: {e}")))
}
