//! The simulated SS|SPE|SS cell: one call into `spelab_sim::lab` per material.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_sim::lab::{self, ElectronicExperiment};

use super::{Dataset, Electronic};
use crate::spec::Material;

impl Electronic {
    /// The blocking-cell DC polarization of the material's preset.
    pub(super) fn simulated(&self, m: &Material) -> anyhow::Result<Dataset> {
        let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
        let experiment = ElectronicExperiment {
            voltage: self.voltage,
            area: self.area,
            thickness: self.thickness,
            ..ElectronicExperiment::default()
        };
        let ts = lab::electronic_dc_polarization(&p, &experiment)
            .with_context(|| format!("material '{}': simulated DC polarization", m.id))?;
        Ok(Dataset {
            material: m.clone(),
            source: SOURCE_SIMULATION.to_string(),
            time: ts.time().to_vec(),
            current: ts.current().to_vec(),
            thickness: self.thickness.unwrap_or(p.thickness),
            ionic: Some(p.ionic_conductivity_25c),
            input: Some(p.electronic_conductivity),
        })
    }
}
