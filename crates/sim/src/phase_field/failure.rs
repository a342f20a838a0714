//! Failure predictions driven by the phase field (issue #12, phase B): the SEI rule that carries a
//! calibration from one material to another, a standard dendrite run at a deposited charge, and a
//! reduced model that extrapolates the run to a short circuit, a CCD staircase record and a
//! symmetric-cell cycle life.
//!
//! # The reduced model
//! A run deposits `charge` at current density J on the reference cell ([`dendrite_setup`]); the tip
//! amplification a = v_tip/v_mean is the highest tip's velocity over the second half of the run
//! divided by the Faraday mean velocity J/(nFc_s). Then:
//! - short-circuit time t_sc = t_run + (L − h_max)/v_tip (the tip keeps its late velocity; the
//!   run's own short when it has one);
//! - cycle life at ±J with half-cycle t_h: each plating half-cycle advances the protrusions by
//!   (a − 1)·Jt_h/(nFc_s) beyond the mean front; stripping removes the mean layer and leaves that
//!   excess (dead or inactive Li), so the excess accumulates until it spans L. With a ≤ 1 nothing
//!   accumulates and the life is unbounded;
//! - CCD staircase: steps k·ΔJ for t_h each with the tip advancing v_tip(J_k)·t_h per step
//!   (v_tip interpolated log-log between simulated currents); the record's voltage is the run's
//!   |φ_s| at that current until the tip spans L, then a short (a few mV). The record goes through
//!   the CCD analysis of measured files in the study.
//!
//! # SEI rule (calibrate on one material, predict another)
//! The interphase of a material follows from the reference's fitted values and the paper's SEI
//! evidence ([`SeiEvidence`]): heterogeneity CV ∝ organic share (1 − LiF share of F 1s), lumped SEI
//! resistance ∝ SEI thickness (ToF-SIMS sputter time to a flat signal), see
//! [`Calibration::interphase`].

use std::ops::ControlFlow;

use super::metrics::{self, Morphology};
use super::{Interphase, Nucleus, Parameters, PhaseField, PhaseFieldError, Progress, Setup, Termination};

/// The paper's evidence on a material's SEI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeiEvidence {
    /// LiF share of the F 1s XPS signal at 10 nm depth [1].
    pub lif_fraction: f64,
    /// ToF-SIMS sputter time until the SEI signals are flat (∝ thickness) [s].
    pub sputter_time: f64,
}

/// Values not measured by the paper, fitted (or assumed) on the reference material, and the
/// reference's SEI evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// Heterogeneity CV of L_η(y) on the reference [1].
    pub heterogeneity_cv: f64,
    /// Lumped SEI resistance on the reference [Ω m²].
    pub sei_resistance: f64,
    /// Interface mobility L_σ (shared) [m³/(J s)].
    pub interface_mobility: f64,
    /// The reference material's SEI evidence.
    pub reference: SeiEvidence,
}

impl Calibration {
    /// The interphase of a material with SEI `evidence`: CV = CV_ref(1 − LiF)/(1 − LiF_ref),
    /// R_SEI = R_ref·t_sputter/t_sputter,ref, correlation length 3 µm.
    pub fn interphase(&self, evidence: &SeiEvidence) -> Interphase {
        let organic = (1.0 - evidence.lif_fraction) / (1.0 - self.reference.lif_fraction).max(1e-12);
        let thickness = evidence.sputter_time / self.reference.sputter_time.max(1e-300);
        Interphase {
            heterogeneity_cv: self.heterogeneity_cv * organic,
            resistance: self.sei_resistance * thickness,
            ..Interphase::default()
        }
    }

    /// `params` with this calibration's interface mobility and the interphase of `evidence`.
    pub fn apply(&self, mut params: Parameters, evidence: &SeiEvidence) -> Parameters {
        params.interface_mobility = self.interface_mobility;
        params.interphase = self.interphase(evidence);
        params
    }
}

/// The reference dendrite cell: [`Setup::cell`] at `spacing` and `width`, implicit salt diffusion,
/// the potential to 1e-6, two nuclei (radius 2 and 3 µm at ¼ and ⅝ of the width, identical for all
/// materials), `seed`, noise amplitude of `params` [m, m, A/m²].
pub fn dendrite_setup(
    params: &Parameters,
    spacing: f64,
    width: f64,
    current_density: f64,
    seed: u64,
) -> Result<Setup, PhaseFieldError> {
    let mut s = Setup::cell(params, spacing, width, current_density)?;
    let w = s.grid.width();
    s.nuclei = vec![Nucleus { y: 0.25 * w, radius: 2e-6 }, Nucleus { y: 0.625 * w, radius: 3e-6 }];
    s.implicit_diffusion = true;
    s.potential_tolerance = 1e-6;
    s.seed = seed;
    Ok(s)
}

/// A dendrite run and what the reduced model reads from it.
#[derive(Debug, Clone)]
pub struct DendriteRun {
    /// Morphology at the end of the run.
    pub morphology: Morphology,
    /// How the run ended.
    pub termination: Termination,
    /// Tip velocity over the second half of the run [m/s].
    pub tip_velocity: f64,
    /// Tip amplification a = v_tip/(J/(nFc_s)) [1].
    pub amplification: f64,
    /// Mean |φ_s| over the second half of the run (cell polarization of one electrode) [V].
    pub polarization: f64,
    /// Current density [A/m²].
    pub current_density: f64,
}

/// Runs `model` from its initial state until `charge` is deposited (or a short/depletion), calling
/// `observer` each step; returns the final state and the run summary [C/m²].
pub fn run_to_charge(
    model: &PhaseField,
    charge: f64,
    mut observer: impl FnMut(&Progress) -> ControlFlow<()>,
) -> Result<(super::State, DendriteRun), PhaseFieldError> {
    let (p, s) = (model.parameters(), model.setup());
    let j = match s.control {
        super::Control::Galvanostatic { current_density } => current_density,
        super::Control::Potentiostatic { .. } => {
            return Err(PhaseFieldError::Unsupported("failure runs need a galvanostatic setup"))
        }
    };
    if !(j > 0.0 && charge > 0.0) {
        return Err(PhaseFieldError::Invalid {
            name: "current_density",
            value: j,
            expected: "> 0 (plating)",
        });
    }
    let t_end = charge / j;
    let mut state = model.initial_state();
    let mut termination = model.advance(&mut state, 0.5 * t_end, &mut observer)?;
    let half = metrics::morphology(model, &state);
    let (t_half, phi_half) = (state.time, state.metal_potential);
    let (mut phi_sum, mut n) = (0.0, 0u64);
    if termination == Termination::EndTime {
        termination = model.advance(&mut state, t_end, |pr| {
            phi_sum += pr.metal_potential.abs();
            n += 1;
            observer(pr)
        })?;
    }
    let m = metrics::morphology(model, &state);
    let dt = state.time - t_half;
    let tip_velocity = if dt > 0.0 { ((m.max_height - half.max_height) / dt).max(0.0) } else { 0.0 };
    let mean_velocity = j * p.thickness_per_charge();
    let run = DendriteRun {
        morphology: m,
        termination,
        tip_velocity,
        amplification: tip_velocity / mean_velocity,
        polarization: if n > 0 { phi_sum / n as f64 } else { phi_half.abs() },
        current_density: j,
    };
    Ok((state, run))
}

impl DendriteRun {
    /// Short-circuit time: the run's own, or t_run + (L − h_max)/v_tip; `None` when the tip does
    /// not advance (or the run depleted: see `termination`) [s].
    pub fn short_circuit_time(&self, thickness: f64) -> Option<f64> {
        if let Some(t) = self.morphology.short_circuit_time {
            return Some(t);
        }
        if self.tip_velocity <= 0.0 {
            return None;
        }
        Some(self.morphology.time + (thickness - self.morphology.max_height).max(0.0) / self.tip_velocity)
    }

    /// Cycle life at ±J with half-cycles `half_cycle` (module docs): `None` when a ≤ 1 [s, s].
    pub fn cycle_life(&self, params: &Parameters, half_cycle: f64) -> Option<f64> {
        let excess =
            (self.amplification - 1.0) * self.current_density * half_cycle * params.thickness_per_charge();
        if excess <= 0.0 {
            return None;
        }
        let cycles = (params.thickness / excess).ceil();
        Some(cycles * 2.0 * half_cycle)
    }
}

/// Tip velocity at `j` interpolated log-log between runs (sorted by current; clamped to the
/// amplification of the nearest run outside the range) [A/m² → m/s].
pub fn tip_velocity_at(runs: &[DendriteRun], j: f64, params: &Parameters) -> f64 {
    let a = if runs.is_empty() {
        1.0
    } else if j <= runs[0].current_density {
        runs[0].amplification
    } else if let Some(w) = runs.windows(2).find(|w| j <= w[1].current_density) {
        let t = (j / w[0].current_density).ln() / (w[1].current_density / w[0].current_density).ln();
        w[0].amplification.max(1e-6).powf(1.0 - t) * w[1].amplification.max(1e-6).powf(t)
    } else {
        runs[runs.len() - 1].amplification
    };
    a * j * params.thickness_per_charge()
}

/// A simulated CCD staircase (module docs): times [s], current densities [A/m²] (alternating sign
/// each half-cycle) and voltages [V], sampled `samples` times per half-cycle, until the tip spans
/// L or `steps` steps of `step` are done.
pub fn staircase_record(
    runs: &[DendriteRun],
    params: &Parameters,
    step: f64,
    half_cycle: f64,
    steps: u32,
    samples: u32,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut t, mut j, mut v) = (Vec::new(), Vec::new(), Vec::new());
    let mut h = 0.0;
    let mut shorted = false;
    for k in 1..=steps {
        let jk = step * f64::from(k);
        let vel = tip_velocity_at(runs, jk, params);
        let pol = polarization_at(runs, jk);
        for half in 0..2 {
            let sign = if half == 0 { 1.0 } else { -1.0 };
            let t0 = (f64::from(k - 1) * 2.0 + f64::from(half)) * half_cycle;
            for s in 0..samples {
                let dt = half_cycle * f64::from(s) / f64::from(samples);
                if !shorted && h + vel * dt >= params.thickness {
                    shorted = true;
                }
                t.push(t0 + dt);
                j.push(sign * jk);
                // A short carries the current through a metal bridge of ~1 mΩ m² ... a few mV.
                v.push(sign * if shorted { 1e-4 * jk } else { 2.0 * pol });
            }
            // Each half-cycle one electrode plates: the gap closes by its tips' advance.
            h += vel * half_cycle;
        }
        if shorted {
            break;
        }
    }
    (t, j, v)
}

fn polarization_at(runs: &[DendriteRun], j: f64) -> f64 {
    // Ohmic-like scaling from the nearest run below (or the first).
    let r = runs.iter().rev().find(|r| r.current_density <= j).or(runs.first());
    r.map_or(0.0, |r| r.polarization * j / r.current_density)
}
