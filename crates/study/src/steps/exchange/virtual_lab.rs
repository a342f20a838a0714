//! The `exchange-current` step's virtual lab: one [`lab::tafel_sweep`] of each material.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_sim::lab::{self, CellSpec, TafelSweep};

use super::Dataset;
use crate::spec::Material;

/// The virtual sweep: the lab's defaults (0 → 0.3 V at 1 V/s, 3 mV sampling: fast enough that the
/// diffusion layer stays thin, so the iR-corrected voltage is the interfacial overpotential) on the
/// material's 1 M cell with the step's electrode `area` [m²].
pub(super) fn virtual_sweep(area: f64) -> TafelSweep {
    TafelSweep { cell: CellSpec { area: Some(area), ..CellSpec::default() }, ..TafelSweep::default() }
}

/// The swept data set of each material (cell `area` [m²]), with the model's R_b and i₀ input.
pub(super) fn datasets(materials: &[Material], area: f64) -> anyhow::Result<Vec<Dataset>> {
    materials
        .iter()
        .map(|m| {
            let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
            let run = lab::tafel_sweep(&p, &virtual_sweep(area))
                .with_context(|| format!("material '{}': simulated sweep", m.id))?;
            Ok(Dataset {
                material: m.clone(),
                source: SOURCE_SIMULATION.into(),
                voltage: run.data.voltage().to_vec(),
                current_density: run.data.current().iter().map(|i| i / run.cell.area).collect(),
                bulk_resistance: Some(run.bulk_resistance),
                temperature: p.temperature,
                input: Some(p.exchange_current_density),
            })
        })
        .collect()
}

/// The report's note on the virtual sweep.
pub(super) fn note(area: f64) -> String {
    let sweep = virtual_sweep(area);
    format!(
        "Virtual lab: spelab-sim 1D Li|SPE|Li model of each preset (1 M salt), swept 0 → {} V at \
         {} V/s; fast and short so that the diffusion layer stays thin and the iR-corrected voltage is \
         the interfacial overpotential (a slow sweep to 0.5 V is dominated by concentration polarization and \
         the BV fit then underestimates i₀ several-fold). The recovered i₀ should match the preset's input.",
        sweep.end_voltage, sweep.rate
    )
}
