//! The `transference` step's virtual lab: for each material, one call to
//! [`lab::transference_experiment`] (the 1D Li|SPE|Li cell polarized by the virtual potentiostat and
//! recorded by the virtual spectrometer before and after, seeded noise), then the same fits as
//! measured spectra.

use anyhow::Context;
use spelab_core::metric::SOURCE_SIMULATION;
use spelab_sim::lab::{self, CellSpec, TransferenceExperiment};
use spelab_sim::params::MaterialParams;

use super::{transference_number, Dataset, Material, TransferenceStep, Value};
use spelab_analysis::transference::kinetic_bruce_vincent;

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
                let bias = self.method_bias(m, &p, *area)?;
                Ok(Dataset {
                    material: m.clone(),
                    source: SOURCE_SIMULATION.into(),
                    time: ca.time().to_vec(),
                    current: ca.current().to_vec(),
                    resistances: Some(eis.fitted.resistances),
                    eis: Some(eis),
                    input: Some(p.transference_number),
                    temperature: Some(p.temperature),
                    bias: Some(bias),
                })
            })
            .collect()
    }

    /// Bruce–Vincent's own bias at the step's ΔV, computed rather than quoted: the estimates (linear,
    /// and with Butler–Volmer interfaces) of a noise-free run of the same model and the same fits,
    /// relative to the input t₊ (fractions).
    fn method_bias(&self, m: &Material, p: &MaterialParams, area: f64) -> anyhow::Result<(f64, Option<f64>)> {
        let context = || format!("material '{}': noise-free Bruce-Vincent run (method bias)", m.id);
        let record =
            lab::transference_experiment(p, &experiment(self.voltage, area, 0.0), 0).with_context(context)?;
        let labels = ["before", "after"].map(|when| format!("noise-free {} Li|SPE|Li EIS {when}", m.id));
        let eis = self.fit_spectra(labels, record.spectra).with_context(context)?;
        let ca = &record.chronoamperogram;
        let r = transference_number(
            ca.time(),
            ca.current(),
            Value::exact(self.voltage),
            Some(eis.fitted.resistances),
            &self.options,
        )
        .with_context(context)?;
        let bv = r.bruce_vincent_computed_i0.with_context(context)?.value;
        let relative = |x: f64| (x - p.transference_number) / p.transference_number;
        Ok((relative(bv), kinetic_bruce_vincent(&r, p.temperature).map(|k| relative(k.value))))
    }
}
