//! Parsing of the `exchange-current` step's options into an [`Exchange`] (file:line errors).

use serde::Deserialize;
use spelab_analysis::exchange::TafelOptions;
use spelab_core::constants::T_REF;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::{Exchange, Source};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Option<Spanned<String>>,
    bulk_resistance: Option<Spanned<String>>,
    interface_resistance: Option<Spanned<String>>,
    temperature: Option<Spanned<String>>,
    min_overpotential: Option<Spanned<String>>,
    min_span: Option<Spanned<String>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) =
        DataSource::split(spec, &["file", "material", "materials", "voltage_column", "current_column"])?;
    let q = StepSpec::optional_positive_quantity;
    let area = q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(1e-4);
    let temperature = q(spec, &o.temperature, Quantity::Temperature, "temperature")?.unwrap_or(T_REF);
    let d = TafelOptions::default();
    let tafel = TafelOptions {
        min_overpotential: q(spec, &o.min_overpotential, Quantity::Voltage, "min_overpotential")?
            .unwrap_or(d.min_overpotential),
        min_span: q(spec, &o.min_span, Quantity::Voltage, "min_span")?.unwrap_or(d.min_span),
        ..d
    };
    let bulk_resistance = q(spec, &o.bulk_resistance, Quantity::Resistance, "bulk_resistance")?;
    let interface_resistance =
        q(spec, &o.interface_resistance, Quantity::Resistance, "interface_resistance")?;
    let source = if let Some(file) = &src.file {
        if src.materials.is_some() {
            return Err(spec.error(
                Some(file.span()),
                "`materials` is for simulated data; a step with `file` reads measured data",
            ));
        }
        if o.area.is_none() {
            return Err(spec.error(Some(file.span()), "a measured sweep needs the electrode `area`"));
        }
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => return Err(spec.error(Some(file.span()), "a measured sweep needs `material = \"...\"`")),
        };
        Source::Measured {
            material: Box::new(material),
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            voltage: src.voltage_column.unwrap_or_else(|| "voltage".into()),
            current: src.current_column.unwrap_or_else(|| "current".into()),
        }
    } else {
        if let Some(v) =
            o.bulk_resistance.as_ref().or(o.interface_resistance.as_ref()).or(src.material.as_ref())
        {
            return Err(spec.error(Some(v.span()), "`material` and resistances are for measured data; the virtual lab derives them from the preset"));
        }
        Source::Virtual(spec.materials_or_all(&src.materials)?)
    };
    Ok(Box::new(Exchange { source, area, bulk_resistance, interface_resistance, temperature, tafel }))
}
