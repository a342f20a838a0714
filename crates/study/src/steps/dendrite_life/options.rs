//! The `dendrite-life` step's options (the run options are `dendrite-ccd`'s).

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::DendriteLife;
use crate::spec::{StepSpec, StudyError};
use crate::steps::dendrite_ccd::parse_runs;
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    currents: Option<Vec<Spanned<String>>>,
    capacity: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    retained: Option<Spanned<String>>,
    spacing: Option<Spanned<String>>,
    width: Option<Spanned<String>>,
    seed: Option<u64>,
}

/// Parses the step (defaults: 0.2 and 0.5 mA/cm², 1 h half-cycles, the rest as `dendrite-ccd`).
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let (runs, currents, retained) =
        parse_runs(spec, &o.currents, [&o.capacity, &o.spacing, &o.width, &o.retained], o.seed, &[2.0, 5.0])?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 3600.0)?;
    let reference = crate::steps::dendrite_calibration::reference(&spec.all_materials())
        .map_err(|e| spec.error(None, format!("calibration reference: {e}")))?;
    Ok(Box::new(DendriteLife { materials, reference, runs, currents, half_cycle, retained }))
}
