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
//! - protrusion excess: a plating half-cycle of length t_h at J leaves the tips
//!   e = (a − 1)·J·t_h/(nFc_s) beyond the mean front; stripping removes the mean layer and a
//!   fraction r (`retained`, 1 = all, the dead/inactive Li) of e survives. In a symmetric cell the
//!   two electrodes plate in turn, so the gap L closes by r·e per half-cycle (plus the full e of the
//!   half-cycle under way). With a ≤ 1 nothing accumulates;
//! - cycle life at ±J: the first half-cycle n with (n − 1)·r·e + e ≥ L, the short inside it at the
//!   time the growing e reaches the gap left: t = (n − 1)·t_h + (L − (n − 1)·r·e)/e·t_h;
//! - CCD staircase: steps k·ΔJ for t_h each, the gap closing by the excess at J_k (a interpolated
//!   log-log between simulated currents, [`tip_velocity_at`]); the record's voltage is the run's
//!   |φ_s| at that current until the protrusions span L, then a short (a few mV). The record goes
//!   through the CCD analysis of measured files in the study.
//!
//! # SEI rule (calibrate on one material, predict another)
//! The interphase of a material follows from the reference's fitted values and the paper's SEI
//! evidence ([`SeiEvidence`]): heterogeneity CV ∝ organic share (1 − LiF share of F 1s), lumped SEI
//! resistance ∝ SEI thickness (ToF-SIMS sputter time to a flat signal), see
//! [`Calibration::interphase`]: PVH (LiF 57.2 %, > 600 s) from PVH-IM (73.3 %, 100 s) gets
//! CV × 0.428/0.267 = 1.60 and R_SEI × 6. The fitted value (the interface mobility, on PVH-IM's CCD
//! only) comes from [`super::calibrate`].
//!
//! The constant-amplification model here is the β = 0 limit of [`super::accumulation`], whose tip
//! amplification grows cycle by cycle and which adds the tip's Sand limit (what the study uses).

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

impl DendriteRun {
    /// A run summary without a phase-field run, for tests and reduced-model studies: current density
    /// `current_density` [A/m²], a tip `amplification` times faster than the mean front [1], front RMS
    /// roughness `roughness` [m] and tip concentration `tip_concentration` [1] (c̃), otherwise a flat
    /// front (ratios 1, no branches, no short), 10 mV polarization, ended at its end time.
    pub fn synthetic(
        current_density: f64,
        amplification: f64,
        roughness: f64,
        tip_concentration: f64,
        p: &Parameters,
    ) -> Self {
        let morphology = Morphology {
            time: 0.0,
            deposited_charge: 0.0,
            max_height: 0.0,
            mean_height: 0.0,
            height_ratio: 1.0,
            roughness,
            mean_roughness: 0.0,
            arc_length_ratio: 1.0,
            area_ratio: 1.0,
            tip_concentration,
            tip_concentration_gradient: 0.0,
            focusing_factor: 1.0,
            uniformity: 1.0,
            branch_count: 0,
            fractal_dimension: 1.0,
            short_circuit_time: None,
        };
        DendriteRun {
            morphology,
            termination: Termination::EndTime,
            tip_velocity: amplification * current_density * p.thickness_per_charge(),
            amplification,
            polarization: 0.01,
            current_density,
        }
    }
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

    /// The protrusion excess of one plating half-cycle of `half_cycle` at the run's current,
    /// e = (a − 1)·J·t_h/(nFc_s), 0 when a ≤ 1 [s → m].
    pub fn excess_per_half_cycle(&self, params: &Parameters, half_cycle: f64) -> f64 {
        excess(self.amplification, self.current_density, half_cycle, params)
    }

    /// Cycle life at ±J with half-cycles `half_cycle`, a fraction `retained` of each half-cycle's
    /// excess surviving the strip (module docs); `None` when nothing accumulates [s, 1 → s].
    pub fn cycle_life(&self, params: &Parameters, half_cycle: f64, retained: f64) -> Option<f64> {
        cycle_life(self.excess_per_half_cycle(params, half_cycle), retained, params.thickness, half_cycle)
    }
}

/// (a − 1)·J·t_h/(nFc_s), at least 0 [1, A/m², s → m].
fn excess(amplification: f64, current_density: f64, half_cycle: f64, params: &Parameters) -> f64 {
    ((amplification - 1.0) * current_density * half_cycle * params.thickness_per_charge()).max(0.0)
}

/// Time to short of a symmetric cell whose gap `gap` closes by `retained`·`excess` per half-cycle
/// of `half_cycle` plus the growing excess of the half-cycle under way (module docs); `None`
/// when nothing accumulates (excess or retained fraction ≤ 0 with excess < gap) [m, 1, m, s → s].
pub fn cycle_life(excess: f64, retained: f64, gap: f64, half_cycle: f64) -> Option<f64> {
    if excess.is_nan() || excess <= 0.0 {
        return None;
    }
    if excess >= gap {
        return Some(gap / excess * half_cycle);
    }
    let kept = retained.clamp(0.0, 1.0) * excess;
    if kept.is_nan() || kept <= 0.0 {
        return None;
    }
    // Smallest n − 1 with (n − 1)·kept + excess ≥ gap.
    let before = ((gap - excess) / kept).ceil();
    Some(before * half_cycle + (gap - before * kept) / excess * half_cycle)
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
/// each half-cycle) and voltages [V], sampled `samples` times per half-cycle, until the protrusions
/// span L or `steps` steps of `step` are done; `retained` as in [`cycle_life`].
pub fn staircase_record(
    runs: &[DendriteRun],
    params: &Parameters,
    step: f64,
    half_cycle: f64,
    steps: u32,
    samples: u32,
    retained: f64,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut t, mut j, mut v) = (Vec::new(), Vec::new(), Vec::new());
    let mut gap_closed = 0.0;
    let mut shorted = false;
    let samples = samples.max(1);
    for k in 1..=steps {
        let jk = step * f64::from(k);
        let a = tip_velocity_at(runs, jk, params) / (jk * params.thickness_per_charge());
        let e = excess(a, jk, half_cycle, params);
        let pol = polarization_at(runs, jk);
        for half in 0..2 {
            let sign = if half == 0 { 1.0 } else { -1.0 };
            let t0 = (f64::from(k - 1) * 2.0 + f64::from(half)) * half_cycle;
            for s in 0..samples {
                let f = f64::from(s) / f64::from(samples);
                if !shorted && gap_closed + e * f >= params.thickness {
                    shorted = true;
                }
                t.push(t0 + f * half_cycle);
                j.push(sign * jk);
                // A short carries the current through a metal bridge of ~0.1 mΩ m²: a few mV.
                v.push(sign * if shorted { 1e-4 * jk } else { 2.0 * pol });
            }
            // Each half-cycle one electrode plates; what survives its next strip stays.
            gap_closed += retained.clamp(0.0, 1.0) * e;
        }
        if shorted {
            break;
        }
    }
    (t, j, v)
}

/// The current density at which the staircase of [`staircase_record`] (same arguments) first spans
/// the gap, continuous: failure inside step k at the fraction f of its two half-cycles gives
/// J_k − ΔJ + f·ΔJ, so the record's CCD (J_k) is the value rounded up to the step. `None` when
/// `steps` steps pass without a short [A/m²].
pub fn staircase_failure_current(
    runs: &[DendriteRun],
    params: &Parameters,
    step: f64,
    half_cycle: f64,
    steps: u32,
    retained: f64,
) -> Option<f64> {
    let mut closed = 0.0;
    for k in 1..=steps {
        let jk = step * f64::from(k);
        let a = tip_velocity_at(runs, jk, params) / (jk * params.thickness_per_charge());
        let e = excess(a, jk, half_cycle, params);
        for half in 0..2 {
            if e > 0.0 && closed + e >= params.thickness {
                let f = ((params.thickness - closed) / e).clamp(0.0, 1.0);
                return Some(jk - step + step * (f64::from(half) + f) / 2.0);
            }
            closed += retained.clamp(0.0, 1.0) * e;
        }
    }
    None
}

fn polarization_at(runs: &[DendriteRun], j: f64) -> f64 {
    // Ohmic-like scaling from the nearest run below (or the first).
    let r = runs.iter().rev().find(|r| r.current_density <= j).or(runs.first());
    r.map_or(0.0, |r| r.polarization * j / r.current_density)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closed-form cases of the reduced model's cycle life (exact arithmetic up to rounding).
    #[test]
    fn cycle_life_counts_retained_excess_half_cycles() {
        // Excess 10 µm per half-cycle, all retained, gap 100 µm: 9 half-cycles close 90 µm, the
        // 10th reaches 100 µm at its end.
        let life = cycle_life(10e-6, 1.0, 100e-6, 3600.0).unwrap();
        assert!((life - 10.0 * 3600.0).abs() < 1e-6, "{life}");
        // Half retained: 5 µm per half-cycle, the growing 10 µm closes the rest: 18 before, then full.
        let life = cycle_life(10e-6, 0.5, 100e-6, 3600.0).unwrap();
        assert!((life - 19.0 * 3600.0).abs() < 1e-6, "{life}");
        // One half-cycle's excess spans the gap: short within it.
        let life = cycle_life(200e-6, 1.0, 100e-6, 3600.0).unwrap();
        assert!((life - 1800.0).abs() < 1e-9, "{life}");
        assert_eq!(cycle_life(0.0, 1.0, 100e-6, 3600.0), None);
        assert_eq!(cycle_life(10e-6, 0.0, 100e-6, 3600.0), None);
    }

    fn run(j: f64, amplification: f64) -> DendriteRun {
        DendriteRun::synthetic(j, amplification, 0.0, 1.0, &Parameters::default())
    }

    /// The SEI rule maps the paper's evidence analytically: PVH (LiF 57.2 %, 600 s) from PVH-IM
    /// (73.3 %, 100 s): CV × 0.428/0.267 = 1.603, R_SEI × 6 (exact up to rounding).
    #[test]
    fn sei_rule_maps_the_papers_evidence() {
        let c = Calibration {
            heterogeneity_cv: 0.05,
            sei_resistance: 2e-3,
            interface_mobility: 3e-9,
            reference: SeiEvidence { lif_fraction: 0.733, sputter_time: 100.0 },
        };
        let pvh = c.interphase(&SeiEvidence { lif_fraction: 0.572, sputter_time: 600.0 });
        assert!((pvh.heterogeneity_cv - 0.05 * 0.428 / 0.267).abs() < 1e-12, "{}", pvh.heterogeneity_cv);
        assert!((pvh.heterogeneity_cv / 0.05 - 1.603).abs() < 1e-3);
        assert!((pvh.resistance - 12e-3).abs() < 1e-15);
        // The reference maps onto itself.
        let own = c.interphase(&c.reference);
        assert!((own.heterogeneity_cv - 0.05).abs() < 1e-15 && (own.resistance - 2e-3).abs() < 1e-15);
        let p = c.apply(Parameters::default(), &c.reference);
        assert_eq!(p.interface_mobility, 3e-9);
    }

    /// The run's cycle life uses e = (a − 1)·J·t_h/(nFc_s); a ≤ 1 never fails.
    #[test]
    fn run_cycle_life_uses_the_excess_over_the_mean_front() {
        let p = Parameters::default();
        let r = run(2.0, 3.0);
        let e = 2.0 * 2.0 * 3600.0 * p.thickness_per_charge();
        assert!((r.excess_per_half_cycle(&p, 3600.0) - e).abs() < 1e-15);
        assert_eq!(r.cycle_life(&p, 3600.0, 1.0), cycle_life(e, 1.0, p.thickness, 3600.0));
        assert_eq!(run(2.0, 0.8).cycle_life(&p, 3600.0, 1.0), None);
    }

    /// Log-log interpolation of the amplification and the staircase short at the step where the
    /// accumulated excess reaches L.
    #[test]
    fn staircase_shorts_where_the_excess_spans_the_gap() {
        let p = Parameters::default();
        let runs = [run(1.0, 2.0), run(4.0, 8.0)];
        // Midway in log j (2 A/m²): a = √(2·8) = 4.
        let v = tip_velocity_at(&runs, 2.0, &p);
        assert!((v - 4.0 * 2.0 * p.thickness_per_charge()).abs() < 1e-12 * v);
        let (t, j, v) = staircase_record(&runs, &p, 1.0, 1800.0, 50, 10, 1.0);
        assert!(t.windows(2).all(|w| w[1] > w[0]));
        assert_eq!(j.len(), v.len());
        let last = *j.last().unwrap();
        assert!(v.last().unwrap().abs() < 1e-3, "ends shorted: {}", v.last().unwrap());
        // The closed form: Σ_k 2·e_k up to the short ≥ L > Σ up to the step before.
        let e =
            |k: f64| excess(tip_velocity_at(&runs, k, &p) / (k * p.thickness_per_charge()), k, 1800.0, &p);
        let n = last.abs().round();
        let before: f64 = (1..n as u32).map(|k| 2.0 * e(f64::from(k))).sum();
        assert!(before < p.thickness && before + 2.0 * e(n) >= p.thickness, "{before} {n}");
        // The continuous failure current lies in the step whose record shows the short.
        let jc = staircase_failure_current(&runs, &p, 1.0, 1800.0, 50, 1.0).unwrap();
        assert!(jc > n - 1.0 && jc <= n, "{jc} {n}");
        assert_eq!(staircase_failure_current(&[run(1.0, 0.9)], &p, 1.0, 1800.0, 50, 1.0), None);
        // No amplification: no short in 50 steps.
        let (_, j, _) = staircase_record(&[run(1.0, 0.9)], &p, 1.0, 1800.0, 50, 10, 1.0);
        assert_eq!(j.len(), 50 * 2 * 10);
    }
}
