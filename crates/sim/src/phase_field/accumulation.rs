//! Cycle-by-cycle accumulation (issue #12): the reduced failure model of [`super::failure`] with a
//! tip amplification that grows from half-cycle to half-cycle, driven by what the phase field shows
//! at the material's σ, t₊, i₀ and SEI, and a local Sand criterion at the tip.
//!
//! # The law
//! A phase-field run at current density J ([`super::failure::run_to_charge`]) gives a [`Drive`]:
//! the tip amplification a_PF(J) (tip velocity / Faraday mean velocity), the front roughness
//! ρ_PF(J) (RMS of h(y)) it was measured at, and the tip depletion d(J) = 1 − c̃_tip. Between runs
//! each is interpolated in ln J (a and ρ log-log, d linearly; clamped to the nearest run outside).
//! A half-cycle n at ±J of length t_h plates q = J·t_h/(nFc_s) on one electrode. The state is the
//! residue roughness R (inactive Li and fresh SEI left by earlier half-cycles, m) and the gap
//! already closed G (m); both start at 0.
//! - amplification: a_n = a_PF(J)·(1 + R/ρ_PF(J)), the tip focusing grows in proportion to the
//!   total roughness over the roughness the phase field measured it at (the aspect-ratio scaling
//!   of a protrusion's current focusing at a fixed lateral wavelength);
//! - residue: each half-cycle leaves ΔR = β·s·d(J)·q: a yield β (the reduced model's one unknown,
//!   calibrated on the reference material) of the plated thickness, in proportion to the tip
//!   depletion the phase field shows (deposition that runs short of salt turns mossy and isolated)
//!   and to the SEI factor s (the SEI rule: SEI thickness ∝ ToF-SIMS sputter time, 1 on the
//!   reference);
//! - protrusion: the tips run e_n = (a_n − 1)⁺·q ahead of the mean front; a fraction r (retained)
//!   survives the strip, so G grows by r·e_n (the gap is the membrane thickness L);
//! - failure inside half-cycle n at the earlier of: the protrusion spans the gap, G + e_n·τ/t_h = L
//!   (time τ into it); the local current a_n·J exceeds the limiting current J_lim and its Sand time
//!   τ_S = πD(c₀F)²/(4(a_nJ(1 − t₊))²) (D the salt diffusivity) is shorter than t_h: the tip runs out
//!   of salt and a dendrite runs away, at τ_S.
//!
//! β = 0 and a_n·J below J_lim is the constant-amplification model of [`super::failure`] (same
//! cycle life, same staircase); a constant a with a ≤ 1 never fails.

use super::failure::DendriteRun;
use super::Parameters;
use spelab_core::constants::FARADAY;

/// What the reduced model reads from a phase-field run at one current density.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drive {
    /// Current density of the run [A/m²].
    pub current_density: f64,
    /// Tip amplification a_PF = v_tip/v_mean [1].
    pub amplification: f64,
    /// Front roughness (RMS of h(y)) the amplification was measured at [m].
    pub roughness: f64,
    /// Tip depletion 1 − c̃_tip [1].
    pub depletion: f64,
    /// Mean |φ_s| of the run [V].
    pub polarization: f64,
}

impl From<&DendriteRun> for Drive {
    fn from(r: &DendriteRun) -> Self {
        Self {
            current_density: r.current_density,
            amplification: r.amplification,
            roughness: r.morphology.roughness,
            depletion: (1.0 - r.morphology.tip_concentration).clamp(0.0, 1.0),
            polarization: r.polarization,
        }
    }
}

/// The growth law's settings: residue yield β, SEI factor s and retained fraction r [1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Growth {
    /// Residue yield β: residue thickness per plated thickness at full tip depletion [1].
    pub residue_yield: f64,
    /// SEI factor s of the material (its SEI thickness over the reference's) [1].
    pub sei_factor: f64,
    /// Fraction r of a half-cycle's protrusion excess surviving the strip [1].
    pub retained: f64,
}

/// The interpolated drive at `j` (module docs); a neutral drive (a = 1, no depletion) without runs.
pub fn drive_at(drives: &[Drive], j: f64) -> Drive {
    let neutral =
        Drive { current_density: j, amplification: 1.0, roughness: 1e-6, depletion: 0.0, polarization: 0.0 };
    let (Some(first), Some(last)) = (drives.first(), drives.last()) else {
        return neutral;
    };
    let scale =
        |d: &Drive| Drive { current_density: j, polarization: d.polarization * j / d.current_density, ..*d };
    if j <= first.current_density {
        return scale(first);
    }
    let Some(w) = drives.windows(2).find(|w| j <= w[1].current_density) else {
        return scale(last);
    };
    let t = (j / w[0].current_density).ln() / (w[1].current_density / w[0].current_density).ln();
    let geo = |x: f64, y: f64| x.max(1e-12).powf(1.0 - t) * y.max(1e-12).powf(t);
    Drive {
        current_density: j,
        amplification: geo(w[0].amplification, w[1].amplification),
        roughness: geo(w[0].roughness, w[1].roughness),
        depletion: (1.0 - t) * w[0].depletion + t * w[1].depletion,
        polarization: w[0].polarization * j / w[0].current_density,
    }
}

/// Sand time at local current density `j` of `params`: πD(c₀F)²/(4(j(1 − t₊))²) [A/m² → s].
pub fn sand_time(params: &Parameters, j: f64) -> f64 {
    let c0f = params.bulk_concentration * FARADAY;
    let jt = j * (1.0 - params.transference_number);
    if jt <= 0.0 {
        return f64::INFINITY;
    }
    std::f64::consts::PI * params.transport_diffusivity() * c0f * c0f / (4.0 * jt * jt)
}

/// The accumulating state of one cell (module docs).
#[derive(Debug, Clone)]
pub struct Accumulator<'a> {
    drives: &'a [Drive],
    params: &'a Parameters,
    growth: Growth,
    /// Residue roughness R [m].
    pub residue: f64,
    /// Gap closed by retained protrusions G [m].
    pub closed: f64,
}

impl<'a> Accumulator<'a> {
    /// A fresh cell (R = G = 0) on `drives` (sorted by current) with the material's `params`.
    pub fn new(drives: &'a [Drive], params: &'a Parameters, growth: Growth) -> Self {
        Self { drives, params, growth, residue: 0.0, closed: 0.0 }
    }

    /// The tip amplification a = a_PF(J)(1 + R/ρ_PF(J)) at `j` in the current state [A/m² → 1].
    pub fn amplification(&self, j: f64) -> f64 {
        let d = drive_at(self.drives, j);
        d.amplification * (1.0 + self.residue / d.roughness.max(1e-12))
    }

    /// One half-cycle at `j` for `half_cycle`: the time into it at which the cell fails, or `None`
    /// (then the state advances) [A/m², s → s].
    pub fn half_cycle(&mut self, j: f64, half_cycle: f64) -> Option<f64> {
        let p = self.params;
        let d = drive_at(self.drives, j);
        let a = d.amplification * (1.0 + self.residue / d.roughness.max(1e-12));
        let q = j * half_cycle * p.thickness_per_charge();
        let e = ((a - 1.0) * q).max(0.0);
        let mut fail: Option<f64> = None;
        if e > 0.0 && self.closed + e >= p.thickness {
            fail = Some(((p.thickness - self.closed) / e).clamp(0.0, 1.0) * half_cycle);
        }
        if a * j > p.limiting_current_density() {
            let ts = sand_time(p, a * j);
            if ts < half_cycle {
                fail = Some(fail.map_or(ts, |f| f.min(ts)));
            }
        }
        if fail.is_none() {
            let g = &self.growth;
            self.closed += g.retained.clamp(0.0, 1.0) * e;
            self.residue += g.residue_yield.max(0.0) * g.sei_factor.max(0.0) * d.depletion * q;
        }
        fail
    }
}

/// Cycle life at ±`j` with half-cycles `half_cycle`, up to `horizon`: the failure time, `None`
/// when the cell lasts the horizon or nothing accumulates [A/m², s, s → s].
pub fn cycle_life(
    drives: &[Drive],
    params: &Parameters,
    growth: Growth,
    j: f64,
    half_cycle: f64,
    horizon: f64,
) -> Option<f64> {
    if !(half_cycle > 0.0 && j > 0.0) {
        return None;
    }
    let mut cell = Accumulator::new(drives, params, growth);
    let n = (horizon / half_cycle).ceil().min(1e7) as u64;
    for k in 0..n {
        let (r, c) = (cell.residue, cell.closed);
        if let Some(t) = cell.half_cycle(j, half_cycle) {
            return Some(k as f64 * half_cycle + t);
        }
        if cell.residue == r && cell.closed == c {
            return None; // a steady state: nothing accumulates
        }
    }
    None
}

/// The staircase (steps k·`step`, two half-cycles of `half_cycle` each, up to `steps` steps): the
/// continuous failure current J_k − ΔJ + f·ΔJ (f the fraction of the step's two half-cycles done
/// at failure) and the time of failure, or `None` [A/m², s → A/m², s].
pub fn staircase_failure(
    drives: &[Drive],
    params: &Parameters,
    growth: Growth,
    step: f64,
    half_cycle: f64,
    steps: u32,
) -> Option<(f64, f64)> {
    let mut cell = Accumulator::new(drives, params, growth);
    for k in 1..=steps {
        let jk = step * f64::from(k);
        for half in 0..2 {
            if let Some(t) = cell.half_cycle(jk, half_cycle) {
                let f = (f64::from(half) + t / half_cycle) / 2.0;
                let time = (f64::from(k - 1) * 2.0 + f64::from(half)) * half_cycle + t;
                return Some((jk - step + step * f, time));
            }
        }
    }
    None
}

/// The staircase record of [`staircase_failure`]: times [s], current densities [A/m²] (sign
/// alternating each half-cycle) and voltages [V] (2|φ_s| of the run at that current, scaled
/// ohmically between runs; a few mV through the metal bridge once failed), `samples` per
/// half-cycle, ending with the step that fails.
pub fn staircase_record(
    drives: &[Drive],
    params: &Parameters,
    growth: Growth,
    step: f64,
    half_cycle: f64,
    steps: u32,
    samples: u32,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let failed = staircase_failure(drives, params, growth, step, half_cycle, steps).map(|f| f.1);
    let (mut t, mut j, mut v) = (Vec::new(), Vec::new(), Vec::new());
    let samples = samples.max(1);
    for k in 1..=steps {
        let jk = step * f64::from(k);
        let pol = drive_at(drives, jk).polarization;
        for half in 0..2 {
            let sign = if half == 0 { 1.0 } else { -1.0 };
            let t0 = (f64::from(k - 1) * 2.0 + f64::from(half)) * half_cycle;
            for s in 0..samples {
                let ts = t0 + f64::from(s) / f64::from(samples) * half_cycle;
                let shorted = failed.is_some_and(|f| ts >= f);
                t.push(ts);
                j.push(sign * jk);
                v.push(sign * if shorted { 1e-4 * jk } else { 2.0 * pol });
            }
        }
        if failed.is_some_and(|f| f < 2.0 * f64::from(k) * half_cycle) {
            break;
        }
    }
    (t, j, v)
}

#[cfg(test)]
mod tests {
    use super::super::failure;
    use super::*;

    fn drive(j: f64, a: f64, depletion: f64) -> Drive {
        Drive { current_density: j, amplification: a, roughness: 1e-6, depletion, polarization: 0.01 }
    }

    fn growth(beta: f64) -> Growth {
        Growth { residue_yield: beta, sei_factor: 1.0, retained: 1.0 }
    }

    /// β = 0 (no residue) and local currents below J_lim: the constant-amplification model of
    /// `failure` (cycle life in closed form, same staircase failure current).
    #[test]
    fn zero_growth_is_the_constant_amplification_model() {
        let p = Parameters { transference_number: 0.9, ..Parameters::default() };
        assert!(p.limiting_current_density() > 50.0, "{}", p.limiting_current_density());
        let d = [drive(2.0, 1.5, 0.3)];
        let q = 2.0 * 3600.0 * p.thickness_per_charge();
        let closed = failure::cycle_life(0.5 * q, 1.0, p.thickness, 3600.0).unwrap();
        let life = cycle_life(&d, &p, growth(0.0), 2.0, 3600.0, 1e9).unwrap();
        assert!((life - closed).abs() < 1e-6 * closed, "{life} vs {closed}");
        // Half retained: the same closed form.
        let g = Growth { retained: 0.5, ..growth(0.0) };
        let closed = failure::cycle_life(0.5 * q, 0.5, p.thickness, 3600.0).unwrap();
        assert!((cycle_life(&d, &p, g, 2.0, 3600.0, 1e9).unwrap() - closed).abs() < 1e-6 * closed);
        // a ≤ 1, no growth: never fails (and stops at once).
        assert_eq!(cycle_life(&[drive(2.0, 0.9, 0.3)], &p, growth(0.0), 2.0, 3600.0, 1e12), None);
        // The staircase equals failure::staircase_failure_current on the equivalent runs.
        let runs: Vec<DendriteRun> = [(1.0, 1.2), (4.0, 2.0)].iter().map(|&(j, a)| run(j, a, &p)).collect();
        let drives: Vec<Drive> = runs.iter().map(Drive::from).collect();
        let old = failure::staircase_failure_current(&runs, &p, 0.5, 1800.0, 100, 1.0).unwrap();
        let new = staircase_failure(&drives, &p, growth(0.0), 0.5, 1800.0, 100).unwrap().0;
        assert!((new - old).abs() < 1e-9, "{new} vs {old}");
    }

    fn run(j: f64, a: f64, p: &Parameters) -> DendriteRun {
        DendriteRun::synthetic(j, a, 1e-6, 0.5, p)
    }

    /// With β > 0, no retention and no Sand limit: R grows by β·d·q per half-cycle, so a_n =
    /// a(1 + nβdq/ρ) and the first half-cycle with (a_n − 1)q ≥ L fails, at (L/q + 1 − a)/(a β d q/ρ)
    /// half-cycles (closed form). t₊ = 1: no salt gradient, no Sand limit.
    #[test]
    fn linear_residue_growth_fails_at_the_closed_form_half_cycle() {
        let p = Parameters { transference_number: 1.0, ..Parameters::default() };
        let (a, dep, beta) = (0.9, 0.5, 0.02);
        let d = [drive(2.0, a, dep)];
        let q = 2.0 * 3600.0 * p.thickness_per_charge();
        let g = Growth { retained: 0.0, ..growth(beta) };
        let per = a * beta * dep * q / 1e-6;
        // (a_n − 1)·q·f = L inside half-cycle n: a_n = a + n·per.
        let n = ((p.thickness / q + 1.0 - a) / per).ceil();
        let f = p.thickness / ((a + n * per - 1.0) * q);
        let expected = (n + f) * 3600.0;
        let life = cycle_life(&d, &p, g, 2.0, 3600.0, 1e12).unwrap();
        assert!((life - expected).abs() < 1e-6 * expected, "{life} vs {expected}");
    }

    /// The Sand criterion: a local current above J_lim fails at its Sand time when that is shorter
    /// than the half-cycle; the Sand time is the closed form 329 s-like expression.
    #[test]
    fn local_sand_criterion_fails_at_the_sand_time() {
        let p = Parameters { transference_number: 0.19, conductivity: 0.036, ..Parameters::default() };
        let jl = p.limiting_current_density();
        let d = [drive(jl, 3.0, 0.5)];
        let ts = sand_time(&p, 3.0 * jl);
        let c0f = p.bulk_concentration * FARADAY;
        let want = std::f64::consts::PI * p.transport_diffusivity() * c0f * c0f
            / (4.0 * (3.0 * jl * 0.81f64).powi(2));
        assert!((ts - want).abs() < 1e-9 * want);
        assert!(ts < 3600.0, "{ts}");
        assert_eq!(cycle_life(&d, &p, growth(0.0), jl, 3600.0, 1e9), Some(ts));
        // Below J_lim locally: no Sand failure (a = 0.5, no growth).
        assert_eq!(cycle_life(&[drive(jl, 0.5, 0.5)], &p, growth(0.0), jl, 3600.0, 1e9), None);
    }

    /// Interpolation: log-log in J for a and ρ, linear in ln J for the depletion, clamped outside.
    #[test]
    fn drives_interpolate_in_log_current() {
        let d = [drive(1.0, 2.0, 0.2), Drive { roughness: 4e-6, ..drive(4.0, 8.0, 0.6) }];
        let m = drive_at(&d, 2.0);
        assert!((m.amplification - 4.0).abs() < 1e-12 && (m.roughness - 2e-6).abs() < 1e-18);
        assert!((m.depletion - 0.4).abs() < 1e-12);
        assert_eq!(drive_at(&d, 0.5).amplification, 2.0);
        assert_eq!(drive_at(&d, 9.0).amplification, 8.0);
        // The record ends shorted when the staircase fails.
        let p = Parameters { transference_number: 0.9, ..Parameters::default() };
        let (t, j, v) = staircase_record(&d, &p, growth(0.1), 0.5, 1800.0, 100, 10);
        assert!(t.windows(2).all(|w| w[1] > w[0]) && j.len() == v.len());
        assert!(v.last().unwrap().abs() < 1e-3);
    }
}
