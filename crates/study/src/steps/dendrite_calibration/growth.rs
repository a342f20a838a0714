//! The second stage of the calibration on the reference (issue #12): when the interface mobility
//! alone cannot make the reference's staircase fail at its paper CCD, the residue yield β of the
//! accumulation model (`spelab_sim::phase_field::accumulation`) is fitted to it, and the retained
//! fraction r is the largest (up to the step's option) with which the reference still lasts the
//! paper's 5550 h at 0.2 mA/cm² (1-h half-cycles). Both on the reference only: for each trial r, β
//! is refitted to the CCD, then the life constraint is checked (a scan of r from the option down in
//! twentieths, then bisection between the last failing and the first passing r).

use std::convert::Infallible;

use spelab_sim::phase_field::accumulation::{self, Drive, Growth};
use spelab_sim::phase_field::calibrate::{fit_interface_mobility, MobilityFit};
use spelab_sim::phase_field::failure::DendriteRun;
use spelab_sim::phase_field::Parameters;

use super::Staircase;

/// Current density of the reference's life constraint: 0.2 mA/cm² [A/m²].
pub const CONSTRAINT_CURRENT: f64 = 2.0;
/// The reference's paper life at that current, a lower bound: 5550 h [s].
pub const CONSTRAINT_LIFE: f64 = 5550.0 * 3600.0;
/// Half-cycle of the constraint's cycling: 1 h [s].
pub const CONSTRAINT_HALF_CYCLE: f64 = 3600.0;
/// Admissible residue yields β (residue thickness per plated thickness at full tip depletion) [1].
pub const YIELD_BRACKET: (f64, f64) = (1e-6, 1.0);
/// Most evaluations of one residue-yield fit (no phase-field runs: the runs are fixed).
const MAX_EVALUATIONS: usize = 40;

/// The fitted growth law of the reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GrowthFit {
    /// The fit of β (its `interface_mobility` field holds β) [1].
    pub fit: MobilityFit,
    /// The retained fraction r the constraint allows [1].
    pub retained: f64,
    /// The reference's life at the constraint's current under (β, r), up to 100 000 h (`None`:
    /// longer) [s].
    pub constraint_life: Option<f64>,
    /// Whether the reference lasts the paper's 5550 h at 0.2 mA/cm².
    pub constraint_met: bool,
}

/// The drives of the accumulation model from `runs` (sorted by current).
pub fn drives(runs: &[DendriteRun]) -> Vec<Drive> {
    runs.iter().map(Drive::from).collect()
}

/// The continuous staircase failure current of the accumulation model [A/m²].
pub fn failure_current(runs: &[DendriteRun], p: &Parameters, g: Growth, s: &Staircase) -> Option<f64> {
    accumulation::staircase_failure(&drives(runs), p, g, s.step, s.half_cycle, s.steps).map(|f| f.0)
}

/// β and r on the reference's `runs` at `p` (module docs): the staircase `s` must fail at `aim`
/// within `tolerance`, no failure counting as `top` [A/m²].
pub fn fit(
    runs: &[DendriteRun],
    p: &Parameters,
    s: &Staircase,
    aim: f64,
    tolerance: f64,
    top: f64,
) -> GrowthFit {
    let d = drives(runs);
    let growth = |b: f64, r: f64| Growth { residue_yield: b, sei_factor: 1.0, retained: r };
    let fit_at = |r: f64| {
        let f = fit_interface_mobility(YIELD_BRACKET, aim, tolerance, s.step, top, MAX_EVALUATIONS, |b| {
            Ok::<_, Infallible>(failure_current(runs, p, growth(b, r), s))
        });
        match f {
            Ok(f) => f,
            Err(e) => match e {},
        }
    };
    let life = |f: &MobilityFit, r: f64, horizon: f64| {
        let g = growth(f.interface_mobility, r);
        accumulation::cycle_life(&d, p, g, CONSTRAINT_CURRENT, CONSTRAINT_HALF_CYCLE, horizon)
    };
    let passes = |r: f64| {
        let f = fit_at(r);
        (life(&f, r, CONSTRAINT_LIFE).is_none(), f)
    };
    let top_r = s.retained.clamp(0.0, 1.0);
    let mut chosen: Option<(f64, MobilityFit)> = None;
    let mut failing = None;
    for k in 0..=20 {
        let r = top_r * (1.0 - f64::from(k) / 20.0);
        let (ok, f) = passes(r);
        if ok {
            chosen = Some((r, f));
            break;
        }
        failing = Some(r);
    }
    let (retained, f, met) = match (chosen, failing) {
        (Some((mut lo, mut f)), Some(mut hi)) => {
            for _ in 0..10 {
                let mid = 0.5 * (lo + hi);
                let (ok, fm) = passes(mid);
                if ok {
                    (lo, f) = (mid, fm);
                } else {
                    hi = mid;
                }
            }
            (lo, f, true)
        }
        (Some((r, f)), None) => (r, f, true),
        (None, _) => (0.0, fit_at(0.0), false),
    };
    let constraint_life = life(&f, retained, 1e5 * 3600.0);
    GrowthFit { fit: f, retained, constraint_life, constraint_met: met }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Synthetic reference runs whose tip amplification and depletion rise with current: the fit
    /// reproduces the target failure current within its tolerance and the constraint holds.
    #[test]
    fn fit_meets_the_target_and_the_life_constraint() {
        let p = Parameters { transference_number: 0.49, conductivity: 0.123, ..Parameters::default() };
        let run = |j: f64, a: f64, c_tip: f64| DendriteRun::synthetic(j, a, 0.8e-6, c_tip, &p);
        let runs = [run(2.0, 0.95, 0.99), run(5.0, 1.1, 0.95), run(17.0, 1.3, 0.8), run(25.0, 1.4, 0.7)];
        let s = Staircase { step: 0.5, half_cycle: 1800.0, steps: 100, retained: 1.0 };
        let (aim, tol) = (16.75, 0.025);
        let g = fit(&runs, &p, &s, aim, tol, 50.0);
        assert!(g.fit.bracketed && g.fit.converged, "{g:?}");
        let jf = failure_current(
            &runs,
            &p,
            Growth { residue_yield: g.fit.interface_mobility, sei_factor: 1.0, retained: g.retained },
            &s,
        )
        .unwrap();
        assert!((jf - aim).abs() <= tol, "{jf}");
        assert!(g.constraint_met && g.constraint_life.is_none_or(|t| t >= CONSTRAINT_LIFE), "{g:?}");
    }
}
