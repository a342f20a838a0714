//! Parsing of the `ccd-predict` step's options into a [`Ccd`] (file:line errors).

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Ccd;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    step: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    voltage_limit: Option<Spanned<String>>,
    salt: Option<Spanned<String>>,
    steps: Option<Spanned<u32>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let step = spec.positive_quantity(&o.step, Quantity::CurrentDensity, "step", 0.5)?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 1800.0)?;
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    let voltage_limit = match &o.voltage_limit {
        Some(_) => Some(spec.positive_quantity(&o.voltage_limit, Quantity::Voltage, "voltage_limit", 0.0)?),
        None => None,
    };
    let steps = spec.number(&o.steps, "steps", ">= 1", |x| x >= 1.0)?.unwrap_or(400);
    Ok(Box::new(Ccd { materials, step, half_cycle, voltage_limit, salt, steps }))
}
