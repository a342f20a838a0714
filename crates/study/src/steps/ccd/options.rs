//! The `ccd` step's options, with file:line errors; the failure thresholds `cycling-life` shares.

use serde::Deserialize;
use spelab_analysis::ccd::CcdOptions;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Ccd;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::{self, DataSource};
use crate::steps::{columns, Step};

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

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
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
pub(in crate::steps) fn failure_thresholds(
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
