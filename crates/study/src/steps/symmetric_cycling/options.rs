//! The `symmetric-cycling` step's options, with file:line errors.

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Cycling;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    current: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    cycles: Option<Spanned<u32>>,
    salt: Option<Spanned<String>>,
    film: Option<Spanned<String>>,
}

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let current = spec.positive_quantity(&o.current, Quantity::CurrentDensity, "current", 2.0)?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 3600.0)?;
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    let range = |x: f64| (1.0..=100_000.0).contains(&x);
    let cycles = spec.number(&o.cycles, "cycles", "between 1 and 100000", range)?.unwrap_or(100);
    let film = match &o.film {
        Some(f) => Some((
            f.get_ref().clone(),
            crate::inputs::film(f.get_ref())
                .map_err(|e| spec.error(Some(f.span()), format!("film: {e:#}")))?,
        )),
        None => None,
    };
    Ok(Box::new(Cycling { materials, current, half_cycle, cycles, salt, film }))
}
