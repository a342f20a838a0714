//! The `cycling-life` step's options, with file:line errors.

use serde::Deserialize;
use spelab_analysis::ccd::CcdOptions;
use spelab_analysis::cycling_life::CycleLifeOptions;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Life;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::{self, DataSource};
use crate::steps::{columns, Step};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Spanned<String>,
    polarization_factor: Option<Spanned<f64>>,
    short_voltage: Option<Spanned<String>>,
    collapse_fraction: Option<Spanned<String>>,
    noise_fraction: Option<Spanned<String>>,
    cutoff_voltage: Option<Spanned<String>>,
}

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (source, o): (DataSource, Options) = DataSource::split(spec, source::CYCLING_FILE)?;
    let file = source.required_file(spec)?;
    let material = spec.material(source.required_material(spec)?)?;
    let input = columns::CycleInput::parse(spec, file, &source)?;
    let area = spec.required_positive(&o.area, Quantity::Area, "area")?;
    let d = CcdOptions::default();
    let failure = crate::steps::ccd::failure_thresholds(
        spec,
        [&o.short_voltage, &o.collapse_fraction, &o.noise_fraction, &o.cutoff_voltage],
        d,
    )?;
    let factor = spec.number(&o.polarization_factor, "polarization_factor", "> 1", |x| x > 1.0)?;
    let polarization_factor = factor.unwrap_or(5.0);
    Ok(Box::new(Life { material, input, area, options: CycleLifeOptions { failure, polarization_factor } }))
}
