//! The `dendrite-ccd` step's options: materials, currents, staircase, grid and seed.

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::DendriteCcd;
use crate::spec::{StepSpec, StudyError};
use crate::steps::dendrite_calibration::lab::Runs;
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    currents: Option<Vec<Spanned<String>>>,
    capacity: Option<Spanned<String>>,
    step: Option<Spanned<String>>,
    half_cycle: Option<Spanned<String>>,
    retained: Option<Spanned<String>>,
    spacing: Option<Spanned<String>>,
    width: Option<Spanned<String>>,
    seed: Option<u64>,
}

/// Parses the shared run options (defaults: 0.2/0.35/0.5/1 mA/cm², 0.1 mAh/cm², 1 µm cells, 64 µm,
/// seed 1, all of the excess retained).
#[allow(clippy::type_complexity)]
pub(crate) fn parse_runs(
    spec: &mut StepSpec<'_>,
    currents: &Option<Vec<Spanned<String>>>,
    [capacity, spacing, width, retained]: [&Option<Spanned<String>>; 4],
    seed: Option<u64>,
    default_currents: &[f64],
) -> Result<(Runs, Vec<f64>, f64), StudyError> {
    let mut js = match currents {
        Some(v) => {
            let mut out = Vec::new();
            for c in v {
                let x = spec.quantity(c, Quantity::CurrentDensity, "currents")?;
                if x.is_nan() || x <= 0.0 {
                    return Err(spec.error(Some(c.span()), "currents must be > 0"));
                }
                out.push(x);
            }
            out
        }
        None => default_currents.to_vec(),
    };
    js.sort_by(f64::total_cmp);
    let runs = Runs {
        spacing: spec.positive_quantity(spacing, Quantity::Length, "spacing", 1e-6)?,
        width: spec.positive_quantity(width, Quantity::Length, "width", 64e-6)?,
        seed: seed.unwrap_or(1),
        charge: spec.positive_quantity(capacity, Quantity::ArealCapacity, "capacity", 3600.0)?,
    };
    let retained = match retained {
        Some(v) => {
            let x = spec.quantity(v, Quantity::Fraction, "retained")?;
            if !(0.0..=1.0).contains(&x) {
                return Err(spec.error(Some(v.span()), "retained must be in [0, 100 %]"));
            }
            x
        }
        None => 1.0,
    };
    Ok((runs, js, retained))
}

/// Parses the step (defaults above; staircase 0.05 mA/cm² steps of 30 min per half-cycle).
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let (runs, currents, retained) = parse_runs(
        spec,
        &o.currents,
        [&o.capacity, &o.spacing, &o.width, &o.retained],
        o.seed,
        &crate::steps::dendrite_calibration::CURRENTS,
    )?;
    let step = spec.positive_quantity(&o.step, Quantity::CurrentDensity, "step", 0.5)?;
    let half_cycle = spec.positive_quantity(&o.half_cycle, Quantity::Time, "half_cycle", 1800.0)?;
    let reference = crate::steps::dendrite_calibration::reference(&spec.all_materials())
        .map_err(|e| spec.error(None, format!("calibration reference: {e}")))?;
    Ok(Box::new(DendriteCcd { materials, reference, runs, currents, step, half_cycle, retained }))
}
