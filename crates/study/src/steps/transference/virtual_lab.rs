//! The `transference` step's virtual lab: for each material, the 1D Li|SPE|Li cell polarized by the
//! virtual potentiostat and recorded by the virtual spectrometer before and after (seeded noise).
//! Moved verbatim from the step; `spelab_sim::lab` is to replace it.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_sim::lab::{self as instruments, EisCell, EisOptions, Noise};

use super::{virtual_cell, Dataset, Material, TransferenceStep};

/// Frequencies of the virtual spectra: 1 MHz → 1 Hz, 10 per decade [Hz]. The interfacial arc
/// (R_ct C_dl ≈ ms) closes above 1 Hz, while the salt's finite-length diffusion (τ = L²/4D ≈ 10³ s)
/// stays below, so R0-p(R1,CPE1) describes the recorded range.
pub(super) fn virtual_frequencies() -> Vec<f64> {
    instruments::log_frequencies(1e6, 1.0, 10)
}

impl TransferenceStep {
    /// The simulated datasets of `materials` (cell `area` [m²], relative `noise`, base `seed`).
    pub(super) fn simulated(
        &self,
        materials: &[Material],
        area: &f64,
        noise: &f64,
        seed: &u64,
    ) -> anyhow::Result<Vec<Dataset>> {
        materials
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let (p, cell) = virtual_cell::cell(m, *area, None)?;
                let t = p.transference_number;
                let run = instruments::chronoamperometry(&cell, self.voltage, 4.0 * 3600.0, 5.0, None)
                    .with_context(|| format!("material '{}': simulated chronoamperometry", m.id))?;
                let time = run.data.time().to_vec();
                let mut current = run.data.current().to_vec();
                crate::steps::arrhenius::noisy(&mut current, *noise, seed.wrapping_add(k as u64));
                // The spectrometer before and after the polarization: the model's interfaces do not
                // change at 10 mV (no film growth at rest), so the two differ only by their noise.
                let frequencies = virtual_frequencies();
                let record = |j: u64| {
                    let noise = (*noise > 0.0).then(|| Noise {
                        voltage_std: 0.0,
                        current_std: 0.0,
                        impedance_relative_std: *noise,
                        seed: seed.wrapping_add(1000 * (k as u64 + 1) + j),
                    });
                    instruments::impedance_spectrum(
                        &cell,
                        EisCell::Symmetric,
                        &frequencies,
                        &EisOptions::default(),
                        noise.as_ref(),
                    )
                    .with_context(|| format!("material '{}': simulated EIS", m.id))
                };
                let eis = self
                    .fit_spectra(
                        [
                            format!("virtual {} Li|SPE|Li EIS before", m.id),
                            format!("virtual {} Li|SPE|Li EIS after", m.id),
                        ],
                        [record(0)?, record(1)?],
                    )
                    .with_context(|| format!("material '{}'", m.id))?;
                Ok(Dataset {
                    material: m.clone(),
                    source: SOURCE_SIMULATION.into(),
                    time,
                    current,
                    resistances: Some(eis.fitted.resistances),
                    eis: Some(eis),
                    input: Some(t),
                    temperature: Some(p.temperature),
                })
            })
            .collect()
    }
}
