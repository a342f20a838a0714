//! Parsing of the `ir-peaks` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::peaks::spectroscopy::IrOptions;
use toml::Spanned;

use super::Ir;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::spectral::{parse_source, range, KEYS};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Option<Vec<Spanned<String>>>,
    block: Option<Spanned<String>>,
    seed: Option<u64>,
    bands: Option<Vec<f64>>,
    tolerance: Option<f64>,
    prominence: Option<f64>,
    window: Option<[f64; 2]>,
    absorbance: Option<bool>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = IrOptions::default();
    let positive = |v: Option<f64>, key: &str, default: f64| match v {
        Some(x) if x > 0.0 && x.is_finite() => Ok(x),
        Some(_) => Err(spec.error(None, format!("`{key}` must be > 0"))),
        None => Ok(default),
    };
    let options = IrOptions {
        window: range(spec, o.window, "window", d.window)?,
        prominence: positive(o.prominence, "prominence", d.prominence)?,
        tolerance: positive(o.tolerance, "tolerance", d.tolerance)?,
        to_absorbance: o.absorbance.unwrap_or(d.to_absorbance),
        bands: o.bands.unwrap_or(d.bands),
    };
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    Ok(Box::new(Ir { source, options }))
}
