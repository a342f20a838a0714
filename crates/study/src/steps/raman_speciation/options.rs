//! Parsing of the `raman-speciation` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::peaks::spectroscopy::RamanOptions;
use toml::Spanned;

use super::Raman;
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
    window: Option<[f64; 2]>,
    centers: Option<[f64; 3]>,
    center_tolerance: Option<f64>,
    fwhm_bounds: Option<[f64; 2]>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = RamanOptions::default();
    let options = RamanOptions {
        window: range(spec, o.window, "window", d.window)?,
        centers: o.centers.unwrap_or(d.centers),
        center_tolerance: match o.center_tolerance {
            Some(t) if t > 0.0 => t,
            Some(_) => return Err(spec.error(None, "`center_tolerance` must be > 0 (cm-1)")),
            None => d.center_tolerance,
        },
        fwhm_bounds: range(spec, o.fwhm_bounds, "fwhm_bounds", d.fwhm_bounds)?,
        ..d
    };
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    Ok(Box::new(Raman { source, options }))
}
