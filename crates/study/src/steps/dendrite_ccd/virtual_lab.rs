//! The reduced model's CCD staircase of `dendrite-ccd`, analysed by the CCD analysis of measured
//! files; the runs come from `dendrite_calibration::lab` (shared with the other dendrite steps).

use spelab_analysis::ccd::{critical_current_density, CcdOptions, CcdResult};
use spelab_sim::phase_field::accumulation::{self, Growth};
use spelab_sim::phase_field::failure::DendriteRun;
use spelab_sim::phase_field::Parameters;

/// Cell area of the virtual staircase record (1 cm²) [m²].
const AREA: f64 = 1e-4;

/// The accumulation model's staircase of `runs` (sorted by current) under `growth` and its CCD
/// analysis: steps of `step` for `half_cycle` each, 20 readings per half-cycle [A/m², s].
pub fn staircase(
    runs: &[DendriteRun],
    params: &Parameters,
    growth: Growth,
    step: f64,
    half_cycle: f64,
    steps: u32,
) -> anyhow::Result<(Vec<f64>, Vec<f64>, CcdResult)> {
    let drives = crate::steps::dendrite_calibration::drives(runs);
    let (t, j, v) = accumulation::staircase_record(&drives, params, growth, step, half_cycle, steps, 20);
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
