//! The `arrhenius` step's virtual lab: the lab's blocking-cell spectra of each material along the
//! temperature ladder ([`super::spectra::virtual_lab`]), analysed as measured spectra.

use spelab_analysis::arrhenius_eis::BulkMethod;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_core::units::Quantity;
use spelab_sim::lab::BlockingEis;

use super::{spectra, Dataset};
use crate::spec::Material;

/// One data set per material; material i draws its noise from seed `seed + 1000 i` (spectrum k of it
/// from `seed + 1000 i + k`).
pub(super) fn datasets(
    materials: &[Material],
    temperatures: &[f64],
    noise: f64,
    seed: u64,
    area: f64,
    method: &BulkMethod,
) -> anyhow::Result<Vec<Dataset>> {
    materials
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let seed = seed.wrapping_add(1000 * i as u64);
            let (series, input) = spectra::virtual_lab(m, temperatures, area, noise, seed, method)?;
            Ok(Dataset {
                material: m.clone(),
                source: SOURCE_SIMULATION.to_string(),
                temperature: series.points.iter().map(|p| p.temperature).collect(),
                conductivity: series.points.iter().map(|p| p.conductivity.sigma).collect(),
                input: Some(input),
                eis: Some(series),
            })
        })
        .collect()
}

/// The report's note on the virtual lab (cell, sweep, noise, R_b method).
pub(super) fn note(noise: f64, seed: u64, area: f64, method: &BulkMethod) -> String {
    format!(
        "Virtual lab: at each temperature spelab-sim's EIS instrument records the SS|SPE|SS blocking cell of the \
         preset (R_b ∥ C_g + 2 double layers, R_b = L/(σ(T) A) with σ(T) from the preset's σ(25 °C) and Ea, \
         A = {:.3} cm², {} points 1 MHz → 0.1 Hz{}); {}, σ = L/(R_b A), then the Arrhenius fit. The bulk arc \
         (f = 1/(2π R_b C_g) ≈ 10⁷–10⁸ Hz) lies above the sweep, so the spectrum is a bare spike.",
        Quantity::Area.to_display(area),
        BlockingEis::default().frequencies.len(),
        if noise > 0.0 {
            let percent = Quantity::Fraction.to_display(noise);
            format!(", {percent:.1} % seeded relative impedance noise (seed {seed})")
        } else {
            String::new()
        },
        method.describe()
    )
}
