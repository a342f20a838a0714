//! Step kind `dendrite-morphology`: Li deposit morphology of each material from the phase-field model
//! (`spelab_sim::phase_field`) at identical nuclei and seeds, at equal deposited charge and at the
//! paper's 150 s; every material takes the interface mobility fitted on PVH-IM's CCD
//! (`dendrite_calibration`, default staircase and currents, this step's grid and seed) and the
//! SEI of the carry-over rule of `spelab_sim::phase_field::failure` (PVH predicted from its evidence).
//! Laid out as `options` (parsing), `virtual_lab` (the runs) and `present` (metrics, table, notes).

mod options;
mod present;
pub mod virtual_lab;

use anyhow::Context;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dendrite-morphology",
    title: "Li dendrite morphology (phase field): equal charge and the paper's 150 s",
    summary: "Phase-field Li deposition on each material at identical nuclei and seeds: height ratio, roughness, tip concentration gradient, extrapolated short-circuit time",
    example: r#"[[step]]
kind = "dendrite-morphology"
materials = ["pvh", "pvh-im"]        # default: all
current = "1 mA/cm2"                 # plating current density
capacity = "0.1 mAh/cm2"             # equal deposited charge of the comparison
# optional: spacing = "1 um"  width = "64 um"  seed = 1  time = "150 s" (the paper's picture)"#,
    parse,
};

/// The parsed step.
struct DendriteMorphology {
    materials: Vec<Material>,
    reference: Material,
    run: virtual_lab::RunOptions,
    capacity: f64,
    time: f64,
}

impl Step for DendriteMorphology {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut rows = Vec::new();
        let n = self.materials.len();
        let runs = super::dendrite_calibration::lab::Runs {
            spacing: self.run.spacing,
            width: self.run.width,
            seed: self.run.seed,
            charge: 3600.0,
        };
        let fit = super::dendrite_calibration::fitted(
            &self.reference,
            &runs,
            &super::dendrite_calibration::CURRENTS,
            &super::dendrite_calibration::default_staircase(),
        )
        .with_context(|| format!("calibration on '{}'", self.reference.id))?;
        for (i, m) in self.materials.iter().enumerate() {
            let params = super::dendrite_calibration::lab::parameters(m, &fit.calibration)
                .with_context(|| format!("material '{}'", m.id))?;
            let at_charge = virtual_lab::run(&params, &self.run, self.capacity)
                .with_context(|| format!("material '{}': run to {} C/m2", m.id, self.capacity))?;
            let at_time = virtual_lab::run(&params, &self.run, self.run.current * self.time)
                .with_context(|| format!("material '{}': run to {} s", m.id, self.time))?;
            present::metrics(m, &params, &self.run, &at_charge, "equal charge", &mut out);
            present::metrics(m, &params, &self.run, &at_time, "paper time", &mut out);
            rows.push((m.id.clone(), params, at_charge, at_time));
            progress((i + 1) as f64 / n as f64);
        }
        present::table(&rows, &self.run, self.capacity, self.time, &mut out);
        present::notes(&self.run, self.time, &fit, &mut out);
        Ok(out)
    }
}
