//! The simulated Li|SPE|Li cell: one call into `spelab_sim::lab` per material, and the cycling-life
//! analysis of its record (the one run on measured files).

use anyhow::Context;
use spelab_analysis::cycling_life::{cycling_life_from_series, CycleLife, CycleLifeOptions};
use spelab_sim::lab::{self, CellRecord, CellSpec, CyclingExperiment, CyclingRun};
use spelab_sim::symmetric::Sample;

use super::Cycling;
use crate::spec::Material;

/// One material's simulated record, the ends of its first and last charge half-cycles and its
/// cycling-life analysis.
pub(super) struct Simulated {
    /// The virtual cycler's run.
    pub run: CyclingRun,
    /// Last sample of the first charge half-cycle.
    pub first: Sample,
    /// Last sample of the last charge half-cycle.
    pub last: Sample,
    /// The cycling-life analysis of the record.
    pub life: CycleLife,
}

/// Cycles the material's Li|SPE|Li cell in the virtual lab and analyses the record.
pub(super) fn simulate(step: &Cycling, m: &Material) -> anyhow::Result<Simulated> {
    let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
    let experiment = CyclingExperiment {
        cell: CellSpec {
            salt_concentration: Some(step.salt),
            film: step.film.as_ref().map(|(_, film)| *film),
            ..CellSpec::default()
        },
        current_density: step.current,
        half_cycle_s: step.half_cycle,
        rest_s: 0.0,
        cycles: step.cycles,
        samples_per_half_cycle: 60,
    };
    let CellRecord { cell, run } =
        lab::cycling_experiment(&params, &experiment).with_context(|| format!("material '{}'", m.id))?;
    let sim = &run.simulation;
    // Last sample of a charge half-cycle (J > 0): the one before each switch to −J.
    let ends: Vec<_> = sim
        .samples
        .windows(2)
        .filter(|w| w[0].current_density > 0.0 && w[1].current_density < 0.0)
        .map(|w| w[0])
        .collect();
    let (first, last) = match (ends.first(), ends.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => anyhow::bail!("material '{}': the run stopped before the first discharge", m.id),
    };
    let life = cycling_life_from_series(run.data.time_series(), cell.area, &CycleLifeOptions::default())
        .with_context(|| format!("material '{}': cycling-life analysis", m.id))?;
    Ok(Simulated { run, first, last, life })
}
