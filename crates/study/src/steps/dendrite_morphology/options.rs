//! The `dendrite-morphology` step's options: materials, current, capacity, grid and seed.

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::virtual_lab::RunOptions;
use super::DendriteMorphology;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    current: Option<Spanned<String>>,
    capacity: Option<Spanned<String>>,
    time: Option<Spanned<String>>,
    spacing: Option<Spanned<String>>,
    width: Option<Spanned<String>>,
    seed: Option<u64>,
}

/// Parses the step (defaults: all materials, 1 mA/cm², 0.1 mAh/cm², 150 s, 1 µm cells, 64 µm).
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let run = RunOptions {
        current: spec.positive_quantity(&o.current, Quantity::CurrentDensity, "current", 10.0)?,
        spacing: spec.positive_quantity(&o.spacing, Quantity::Length, "spacing", 1e-6)?,
        width: spec.positive_quantity(&o.width, Quantity::Length, "width", 64e-6)?,
        seed: o.seed.unwrap_or(1),
    };
    let capacity = spec.positive_quantity(&o.capacity, Quantity::ArealCapacity, "capacity", 3600.0)?;
    let time = spec.positive_quantity(&o.time, Quantity::Time, "time", 150.0)?;
    let reference = crate::steps::dendrite_calibration::reference(&spec.all_materials())
        .map_err(|e| spec.error(None, format!("calibration reference: {e}")))?;
    Ok(Box::new(DendriteMorphology { materials, reference, run, capacity, time }))
}
