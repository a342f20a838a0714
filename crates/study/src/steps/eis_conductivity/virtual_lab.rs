//! The simulated SS|SPE|SS blocking cell: one call into `spelab_sim::lab` per material and temperature.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_core::ImpedanceSpectrum;
use spelab_sim::lab::{self, BlockingEis};
use spelab_sim::params::MaterialParams;

use super::{EisConductivity, Input};

impl EisConductivity {
    /// The blocking-cell spectrum of `params` at the input's temperature with relative `noise`, seeded
    /// by `seed`; its source label and the input σ(T) [S/m].
    pub(super) fn simulated(
        &self,
        input: &Input,
        params: &MaterialParams,
        noise: f64,
        seed: u64,
    ) -> anyhow::Result<(ImpedanceSpectrum, String, Option<f64>)> {
        let options = BlockingEis {
            area: self.area,
            thickness: self.thickness,
            relative_noise: noise,
            ..BlockingEis::default()
        };
        let spectrum = lab::conductivity_spectrum(params, input.temperature, &options, seed)
            .with_context(|| input.label.clone())?;
        Ok((spectrum, SOURCE_SIMULATION.to_string(), Some(params.ionic_conductivity_at(input.temperature))))
    }
}
