//! The `electronic-conductivity` step's options (measured file or the virtual lab), with file:line errors.

use serde::Deserialize;
use spelab_analysis::transference::SteadyStateOptions;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::{Electronic, Source};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::Step;

/// The data-source keys the step accepts.
const KEYS: &[&str] = &["file", "material", "materials", "time_column", "current_column"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    voltage: Option<Spanned<String>>,
    thickness: Option<Spanned<String>>,
    thickness_uncertainty: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    ionic_conductivity: Option<Spanned<String>>,
    steady_window: Option<Spanned<String>>,
    max_drift: Option<Spanned<String>>,
}

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let q = StepSpec::optional_positive_quantity;
    let d = SteadyStateOptions::default();
    let options = SteadyStateOptions {
        window_fraction: q(spec, &o.steady_window, Quantity::Fraction, "steady_window")?
            .unwrap_or(d.window_fraction),
        max_relative_change: q(spec, &o.max_drift, Quantity::Fraction, "max_drift")?
            .unwrap_or(d.max_relative_change),
    };
    if options.window_fraction > 0.5 {
        return Err(
            spec.error(o.steady_window.as_ref().map(Spanned::span), "steady_window must be at most 50 %")
        );
    }
    let voltage = q(spec, &o.voltage, Quantity::Voltage, "voltage")?.unwrap_or(0.5);
    let thickness = q(spec, &o.thickness, Quantity::Length, "thickness")?;
    let thickness_uncertainty = o
        .thickness_uncertainty
        .as_ref()
        .map(|v| spec.quantity(v, Quantity::Fraction, "thickness_uncertainty"))
        .transpose()?
        .unwrap_or(0.0);
    let area = q(spec, &o.area, Quantity::Area, "area")?;
    let ionic = q(spec, &o.ionic_conductivity, Quantity::Conductivity, "ionic_conductivity")?;
    let source = if let Some(file) = &src.file {
        let (Some(_), Some(_)) = (thickness, area) else {
            return Err(spec.error(
                Some(file.span()),
                "a measured DC polarization needs the cell's `thickness` and `area`",
            ));
        };
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => return Err(spec.error(Some(file.span()), "a measured record needs `material = \"...\"`")),
        };
        Source::Measured {
            material: Box::new(material),
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            time: src.time_column.unwrap_or_else(|| "time".into()),
            current: src.current_column.unwrap_or_else(|| "current".into()),
        }
    } else {
        Source::Virtual(src.virtual_materials(spec)?)
    };
    Ok(Box::new(Electronic {
        source,
        voltage,
        thickness,
        thickness_uncertainty,
        area: area.unwrap_or(1e-4),
        ionic,
        options,
    }))
}
