//! The runs of `dendrite-morphology`: a run of given parameters to a deposited charge on the
//! reference cell (parameters from `dendrite_calibration::lab`).

use spelab_sim::phase_field::failure::{dendrite_setup, run_to_charge, DendriteRun};
use spelab_sim::phase_field::{Parameters, PhaseField};

/// Grid, current and seed of a run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Plating current density [A/m²].
    pub current: f64,
    /// Cell size [m].
    pub spacing: f64,
    /// Strip width [m].
    pub width: f64,
    /// Seed of the noise and SEI field.
    pub seed: u64,
}

/// A run of `params` to `charge` on the reference cell [C/m²].
pub fn run(params: &Parameters, o: &RunOptions, charge: f64) -> anyhow::Result<DendriteRun> {
    let setup = dendrite_setup(params, o.spacing, o.width, o.current, o.seed)?;
    let model = PhaseField::new(*params, setup)?;
    let (_, r) = run_to_charge(&model, charge, |_| std::ops::ControlFlow::Continue(()))?;
    Ok(r)
}
