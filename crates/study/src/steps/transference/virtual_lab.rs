//! The `transference` step's virtual lab: for each material, one call to
//! [`lab::transference_experiment`] (the 1D Li|SPE|Li cell polarized by the virtual potentiostat and
//! recorded by the virtual spectrometer before and after, seeded noise), then the same fits as
//! measured spectra.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_sim::lab::{self, CellSpec, TransferenceExperiment};

use super::{Dataset, Material, TransferenceStep};

/// The lab's Bruce-Vincent experiment with the step's ΔV, electrode `area` [m²] and relative `noise`.
pub(super) fn experiment(voltage: f64, area: f64, noise: f64) -> TransferenceExperiment {
    TransferenceExperiment {
        cell: CellSpec { area: Some(area), ..CellSpec::default() },
        voltage,
        relative_noise: noise,
        ..TransferenceExperiment::default()
    }
}

impl TransferenceStep {
    /// The simulated datasets of `materials` (cell `area` [m²], relative `noise`; material k seeded
    /// `seed + k`).
    pub(super) fn simulated(
        &self,
        materials: &[Material],
        area: &f64,
        noise: &f64,
        seed: &u64,
    ) -> anyhow::Result<Vec<Dataset>> {
        let options = experiment(self.voltage, *area, *noise);
        materials
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
                let record = lab::transference_experiment(&p, &options, seed.wrapping_add(k as u64))
                    .with_context(|| format!("material '{}': simulated Bruce-Vincent experiment", m.id))?;
                let labels = ["before", "after"].map(|when| format!("virtual {} Li|SPE|Li EIS {when}", m.id));
                let eis = self
                    .fit_spectra(labels, record.spectra)
                    .with_context(|| format!("material '{}'", m.id))?;
                let ca = &record.chronoamperogram;
                Ok(Dataset {
                    material: m.clone(),
                    source: SOURCE_SIMULATION.into(),
                    time: ca.time().to_vec(),
                    current: ca.current().to_vec(),
                    resistances: Some(eis.fitted.resistances),
                    eis: Some(eis),
                    input: Some(p.transference_number),
                    temperature: Some(p.temperature),
                })
            })
            .collect()
    }
}
