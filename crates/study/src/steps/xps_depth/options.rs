//! Parsing of the `xps-depth` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::peaks::spectroscopy::{XpsBackground, XpsOptions};
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Xps;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::spectral::{parse_source, range, SpectralSource, KEYS};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Option<Vec<Spanned<String>>>,
    block: Option<Spanned<String>>,
    seed: Option<u64>,
    depths: Option<Vec<Spanned<String>>>,
    window: Option<[f64; 2]>,
    background: Option<Spanned<XpsBackground>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = XpsOptions::default();
    let options = XpsOptions {
        window: range(spec, o.window, "window", d.window)?,
        background: o.background.as_ref().map_or(d.background, |b| *b.get_ref()),
        ..d
    };
    let depths = match &o.depths {
        Some(v) => Some(
            v.iter().map(|s| spec.quantity(s, Quantity::Length, "depths")).collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    match (&source, &depths) {
        (SpectralSource::Virtual { .. }, Some(_)) => {
            return Err(spec.error(None, "`depths` is for measured files (the virtual lab is at 10 nm)"));
        }
        (SpectralSource::Measured { files, .. }, Some(d)) if d.len() != files.len() => {
            return Err(spec.error(
                None,
                format!("{} depths for {} files: give one depth per file", d.len(), files.len()),
            ));
        }
        _ => {}
    }
    Ok(Box::new(Xps { source, depths, options }))
}
