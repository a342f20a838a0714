//! The phase-field runs of `dendrite-ccd` and `dendrite-life`: one run per material and current
//! on the reference cell (the calibration of `dendrite_morphology::virtual_lab`), cached for the
//! process so that the two steps share them, and the reduced model's CCD staircase analysed by the
//! CCD analysis of measured files.

use std::sync::Mutex;

use anyhow::Context;
use spelab_analysis::ccd::{critical_current_density, CcdOptions, CcdResult};
use spelab_sim::phase_field::failure::{self, dendrite_setup, run_to_charge, DendriteRun};
use spelab_sim::phase_field::{Parameters, PhaseField};

use super::super::dendrite_morphology::virtual_lab::parameters;
use super::calibration::{self, Fitted, Staircase};
use crate::spec::Material;

/// Most phase-field steps of one run: a run that needs more (salt depletion slows the step) stops
/// there and its late tip velocity is what it reached.
pub const MAX_STEPS: u64 = 2000;

/// Cell area of the virtual staircase record (1 cm²) [m²].
const AREA: f64 = 1e-4;

/// Grid, seed and deposited charge of the runs [m, m, -, C/m²].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Runs {
    /// Cell size [m].
    pub spacing: f64,
    /// Strip width [m].
    pub width: f64,
    /// Seed of the noise and SEI field.
    pub seed: u64,
    /// Charge deposited by each run [C/m²].
    pub charge: f64,
}

type Key = (String, u64, u64, u64, u64, u64);
static CACHE: Mutex<Vec<(Key, DendriteRun)>> = Mutex::new(Vec::new());

/// The phase-field parameters of `material` under the calibration fitted on the reference
/// (`calibration::fitted` with these runs, `currents` and staircase `s`), and that fit.
pub fn material_parameters(
    material: &Material,
    reference: &Material,
    o: &Runs,
    currents: &[f64],
    s: &Staircase,
) -> anyhow::Result<(Parameters, Fitted)> {
    let f = calibration::fitted(reference, o, currents, s)?;
    Ok((parameters(material, &f.calibration)?, f))
}

/// The run of `params` at `current` [A/m²], from the cache when the same run was done before.
pub fn run(params: &Parameters, o: &Runs, current: f64) -> anyhow::Result<DendriteRun> {
    let key = (
        format!("{params:?}"),
        current.to_bits(),
        o.spacing.to_bits(),
        o.width.to_bits(),
        o.seed,
        o.charge.to_bits(),
    );
    if let Some((_, r)) =
        CACHE.lock().map_err(|_| anyhow::anyhow!("run cache poisoned"))?.iter().find(|(k, _)| *k == key)
    {
        return Ok(r.clone());
    }
    let setup = dendrite_setup(params, o.spacing, o.width, current, o.seed)?;
    let model = PhaseField::new(*params, setup)?;
    let mut n = 0u64;
    let (_, r) = run_to_charge(&model, o.charge, |_| {
        n += 1;
        if n > MAX_STEPS {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    })
    .with_context(|| format!("run at {current} A/m2"))?;
    CACHE.lock().map_err(|_| anyhow::anyhow!("run cache poisoned"))?.push((key, r.clone()));
    Ok(r)
}

/// The reduced model's staircase of `runs` (sorted by current) and its CCD analysis: steps of
/// `step` for `half_cycle` each, 20 readings per half-cycle [A/m², s].
pub fn staircase(
    runs: &[DendriteRun],
    params: &Parameters,
    step: f64,
    half_cycle: f64,
    steps: u32,
    retained: f64,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, CcdResult)> {
    let (t, j, v) = failure::staircase_record(runs, params, step, half_cycle, steps, 20, retained);
    let current: Vec<f64> = j.iter().map(|x| x * AREA).collect();
    let d = CcdOptions::default();
    let options = CcdOptions {
        rest_current_density: d.rest_current_density.min(0.2 * step),
        level_tolerance: d.level_tolerance.min(0.25 / f64::from(steps.max(1))),
        ..d
    };
    let r = critical_current_density(&t, &current, &v, AREA, &options)?;
    Ok((t, v, r))
}
