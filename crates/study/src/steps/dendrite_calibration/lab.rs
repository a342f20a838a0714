//! The phase-field runs shared by the dendrite steps: a material's parameters under a calibration
//! (measured σ, t₊, i₀, the SEI rule) and one run per parameters, grid and current on the
//! reference cell, cached for the process so that the steps and the fit share them.

use std::sync::Mutex;

use anyhow::Context;
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

/// The assumed values on PVH-IM before the fit: SEI heterogeneity CV 0.05 (phasefield.md §4 item 6,
/// the starting value), no lumped resistance (the Tafel i₀ is the apparent one, SEI included),
/// L_σ = 1e-8 m³/(J s) (the model default; fitted by `dendrite_calibration`).
pub const ASSUMED: Calibration = Calibration {
    heterogeneity_cv: 0.05,
    sei_resistance: 0.0,
    interface_mobility: 1e-8,
    reference: SeiEvidence { lif_fraction: 0.733, sputter_time: SPUTTER_TIME_PVH_IM },
};

/// The SEI evidence of `material`: its preset's LiF share of F 1s and ToF-SIMS sputter time
/// (`tof_sims_plateau_sputter_time_s`); when absent, PVH-IM's LiF share and, by id, 100 s for
/// pvh-im and PVH's 600 s for any other material.
pub fn evidence(material: &Material) -> SeiEvidence {
    let lif = material
        .preset
        .input_paper_value(MetricId::LifFraction, &Default::default())
        .map_or(ASSUMED.reference.lif_fraction, |v| v.si_value);
    let by_id = if material.id == "pvh-im" { SPUTTER_TIME_PVH_IM } else { SPUTTER_TIME_PVH };
    let sputter = material.preset.get("tof_sims_plateau_sputter_time_s").map_or(by_id, |v| v.si_value);
    SeiEvidence { lif_fraction: lif, sputter_time: sputter }
}

/// The phase-field parameters of `material` under `calibration`: measured σ, t₊, i₀, the fitted
/// L_σ and the interphase of the SEI rule, noise 0.04.
pub fn parameters(material: &Material, calibration: &Calibration) -> anyhow::Result<Parameters> {
    let m = material.preset.material_params()?;
    let mut p = calibration.apply(Parameters::from_material(&m), &evidence(material));
    p.noise_amplitude = 0.04;
    Ok(p)
}

/// Most phase-field steps of one run: a run that needs more (salt depletion slows the step) stops
/// there and its late tip velocity is what it reached.
pub const MAX_STEPS: u64 = 2000;

/// Grid, seed and deposited charge of the runs [m, m, -, C/m²].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Runs {
    /// Cell size [m].
    pub spacing: f64,
    /// Strip width [m].
    pub width: f64,
    /// Seed of the noise and SEI field.
    pub seed: u64,
    /// Charge deposited by each run [C/m²].
    pub charge: f64,
}

type Key = (String, u64, u64, u64, u64, u64);
static CACHE: Mutex<Vec<(Key, DendriteRun)>> = Mutex::new(Vec::new());

/// The run of `params` at `current` [A/m²], from the cache when the same run was done before.
pub fn run(params: &Parameters, o: &Runs, current: f64) -> anyhow::Result<DendriteRun> {
    let key = (
        format!("{params:?}"),
        current.to_bits(),
        o.spacing.to_bits(),
        o.width.to_bits(),
        o.seed,
        o.charge.to_bits(),
    );
    if let Some((_, r)) =
        CACHE.lock().map_err(|_| anyhow::anyhow!("run cache poisoned"))?.iter().find(|(k, _)| *k == key)
    {
        return Ok(r.clone());
    }
    let setup = dendrite_setup(params, o.spacing, o.width, current, o.seed)?;
    let model = PhaseField::new(*params, setup)?;
    let mut n = 0u64;
    let (_, r) = run_to_charge(&model, o.charge, |_| {
        n += 1;
        if n > MAX_STEPS {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    })
    .with_context(|| format!("run at {current} A/m2"))?;
    CACHE.lock().map_err(|_| anyhow::anyhow!("run cache poisoned"))?.push((key, r.clone()));
    Ok(r)
}
