//! The phase-field runs of the dendrite steps: a material's parameters under the SEI calibration
//! rule and a run to a deposited charge on the reference cell. Shared by the dendrite steps.

use spelab_core::metric::MetricId;
use spelab_sim::phase_field::failure::{
    dendrite_setup, run_to_charge, Calibration, DendriteRun, SeiEvidence,
};
use spelab_sim::phase_field::{Parameters, PhaseField};

use crate::spec::Material;

/// ToF-SIMS sputter time to a flat SEI signal, PVH-IM (the paper: 100 s) [s].
pub const SPUTTER_TIME_PVH_IM: f64 = 100.0;
/// ToF-SIMS sputter time, PVH (the paper: still not flat after 600 s; a lower bound) [s].
pub const SPUTTER_TIME_PVH: f64 = 600.0;

/// The calibration on PVH-IM: SEI heterogeneity CV 0.05 (phasefield.md §4 item 6, the starting
/// value; not yet fitted), no lumped resistance, L_σ = 1e-8 m³/(J s) (the model default).
pub const CALIBRATION: Calibration = Calibration {
    heterogeneity_cv: 0.05,
    sei_resistance: 0.0,
    interface_mobility: 1e-8,
    reference: SeiEvidence { lif_fraction: 0.733, sputter_time: SPUTTER_TIME_PVH_IM },
};

/// Grid, current and seed of a run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Plating current density [A/m²].
    pub current: f64,
    /// Cell size [m].
    pub spacing: f64,
    /// Strip width [m].
    pub width: f64,
    /// Seed of the noise and SEI field.
    pub seed: u64,
}

/// The SEI evidence of `material`: its preset's LiF share (PVH-IM's when absent) and the sputter
/// time by id (PVH's 600 s for any material other than pvh-im).
pub fn evidence(material: &Material) -> SeiEvidence {
    let lif = material
        .preset
        .input_paper_value(MetricId::LifFraction, &Default::default())
        .map_or(CALIBRATION.reference.lif_fraction, |v| v.si_value);
    let sputter = if material.id == "pvh-im" { SPUTTER_TIME_PVH_IM } else { SPUTTER_TIME_PVH };
    SeiEvidence { lif_fraction: lif, sputter_time: sputter }
}

/// The phase-field parameters of `material`: measured σ, t₊, i₀ and the calibrated interphase,
/// noise 0.04.
pub fn parameters(material: &Material, _run: &RunOptions) -> anyhow::Result<Parameters> {
    let m = material.preset.material_params()?;
    let mut p = CALIBRATION.apply(Parameters::from_material(&m), &evidence(material));
    p.noise_amplitude = 0.04;
    Ok(p)
}

/// A run of `params` to `charge` on the reference cell [C/m²].
pub fn run(params: &Parameters, o: &RunOptions, charge: f64) -> anyhow::Result<DendriteRun> {
    let setup = dendrite_setup(params, o.spacing, o.width, o.current, o.seed)?;
    let model = PhaseField::new(*params, setup)?;
    let (_, r) = run_to_charge(&model, charge, |_| std::ops::ControlFlow::Continue(()))?;
    Ok(r)
}
