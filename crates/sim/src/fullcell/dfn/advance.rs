//! [`FullCellModel`] for [`Dfn`]: constant-current segments with step-size control, consistent
//! re-initialisation of the potentials when the current changes, and event location. Step sizes
//! come from the shared controller (`ControllerOptions::DFN` of [`crate::solver::tr_bdf2`]).

use super::stepper::StepFailure;
use super::{Dfn, MIN_STEP};
use crate::error::SimError;
use crate::fullcell::{FullCellModel, FullCellSample, Limits, SegmentEnd};
use crate::solver::tr_bdf2::{Controller, ControllerOptions};

/// Event tolerance on the scaled event functions (1 µV in V, 1e-6 c₀, 1e-6 in stoichiometry).
const EVENT_TOL: f64 = 1e-6;

/// The stoichiometry event fires this close to 0 or 1: there j0 ∝ √(c_s (c_max − c_s)) vanishes and
/// the overpotential diverges, so the surface can only approach the bound.
pub(crate) const STOICHIOMETRY_MARGIN: f64 = 1e-9;

const REASONS: [SegmentEnd; 3] = [SegmentEnd::VoltageMin, SegmentEnd::Depletion, SegmentEnd::Stoichiometry];

impl Dfn {
    fn reason(&self, g: &[f64; 3], i: f64) -> SegmentEnd {
        let k = (0..3).min_by(|&a, &b| g[a].total_cmp(&g[b])).unwrap_or(0);
        if k == 0 && i < 0.0 {
            SegmentEnd::VoltageMax
        } else {
            REASONS[k]
        }
    }

    /// Smallest active event function (masked ones ignored).
    fn event_min(g: &[f64; 3], mask: &[bool; 3]) -> f64 {
        (0..3).filter(|&k| mask[k]).map(|k| g[k]).fold(f64::INFINITY, f64::min)
    }

    /// Locates the first event inside the accepted step of size `h` from `self.y` (event value `g0` >
    /// 0 at its start, ≤ 0 at its end, held in `self.next`). Leaves the located state in `self.next`
    /// and returns its step size.
    fn locate(&mut self, i: f64, h: f64, g0: f64, g1: f64, limits: &Limits, mask: &[bool; 3]) -> f64 {
        let (mut a, mut ga, mut b, mut gb) = (0.0, g0, h, g1);
        let mut best = h;
        self.trial.copy_from_slice(&self.next);
        let mut side = 0;
        for _ in 0..60 {
            if gb >= -EVENT_TOL || (b - a) <= 1e-12 * (self.time + b) + 1e-12 {
                break;
            }
            let mut tau = b - gb * (b - a) / (gb - ga);
            if !(tau > a && tau < b) {
                tau = 0.5 * (a + b);
            }
            let mut trial = std::mem::take(&mut self.next);
            let ok = self.stepper.step(&self.y, i, tau, &mut trial).is_ok();
            let gt = if ok { Self::event_min(&self.events(&trial, i, limits), mask) } else { f64::NAN };
            if !gt.is_finite() {
                // Treat a failed trial as past the event.
                self.next = trial;
                b = tau;
                gb = -1.0;
                continue;
            }
            if gt <= 0.0 {
                self.trial.copy_from_slice(&trial);
                best = tau;
                b = tau;
                gb = gt;
                if side == -1 {
                    ga *= 0.5;
                }
                side = -1;
            } else {
                a = tau;
                ga = gt;
                if side == 1 {
                    gb *= 0.5;
                }
                side = 1;
            }
            self.next = trial;
            if gt.abs() <= EVENT_TOL {
                if gt > 0.0 {
                    self.trial.copy_from_slice(&self.next);
                    best = tau;
                }
                break;
            }
        }
        std::mem::swap(&mut self.next, &mut self.trial);
        best
    }

    /// The step size fell below [`MIN_STEP`]: a surface already within 1e-3 of the stoichiometry
    /// bound the current drives it to ends the segment (the kinetics are singular there), anything
    /// else is an error.
    fn underflow(&mut self, i: f64, limits: &Limits) -> Result<SegmentEnd, SimError> {
        let g = self.events(&self.y, i, limits);
        if g[2] < 1e-3 {
            self.h_last = None;
            return Ok(SegmentEnd::Stoichiometry);
        }
        Err(SimError::StepSizeUnderflow { time_s: self.time, min_step_s: MIN_STEP })
    }

    /// Makes the potentials consistent with current `i`: directly, or by continuation from the
    /// previous current in 4, 16, then 64 equal steps when Newton cannot jump (a large current step
    /// onto a nearly empty or full particle surface, where sinh is far from linear).
    fn reinitialise_to(&mut self, i: f64) -> bool {
        let mut y = self.y.clone();
        if self.stepper.reinitialise(&mut y, i) {
            self.y = y;
            return true;
        }
        let i_old = self.current;
        for n in [4, 16, 64] {
            y.copy_from_slice(&self.y);
            if (1..=n).all(|k| self.stepper.reinitialise(&mut y, i_old + (i - i_old) * k as f64 / n as f64)) {
                self.y = y;
                return true;
            }
        }
        false
    }

    fn accept(&mut self, h: f64, i: f64, observe: &mut dyn FnMut(&FullCellSample)) {
        std::mem::swap(&mut self.y, &mut self.next);
        self.stepper.accept();
        self.time += h;
        self.charge += i * h;
        self.steps += 1;
        let s = self.sample();
        observe(&s);
    }
}

impl FullCellModel for Dfn {
    fn sample(&self) -> FullCellSample {
        self.sample_of(&self.y)
    }

    fn advance(
        &mut self,
        current_density: f64,
        duration_s: f64,
        limits: &Limits,
        observe: &mut dyn FnMut(&FullCellSample),
    ) -> Result<SegmentEnd, SimError> {
        let i = current_density;
        if !i.is_finite() {
            return Err(SimError::InvalidProtocol(format!("current density {i} A/m2 is not finite")));
        }
        if !(duration_s.is_finite() && duration_s > 0.0) {
            return Err(SimError::InvalidProtocol(format!("segment duration {duration_s} s is not > 0")));
        }
        if limits.voltage_min.is_nan() || limits.voltage_max.is_nan() || limits.electrolyte_min.is_nan() {
            return Err(SimError::InvalidProtocol("a segment limit is NaN".into()));
        }
        if !self.reinitialise_to(i) {
            return Err(SimError::InvalidProtocol(format!(
                "the DFN has no consistent state at {i} A/m2 (beyond the kinetic or transport limit)"
            )));
        }
        self.current = i;
        let g_start = self.events(&self.y, i, limits);
        // An electrolyte already at its limit only ends a discharge; otherwise it is ignored until it
        // recovers.
        let mut mask = [true; 3];
        for k in 0..3 {
            if g_start[k] <= 0.0 {
                if k == 1 && i <= 0.0 {
                    mask[k] = false;
                } else {
                    let s = self.sample();
                    observe(&s);
                    return Ok(self.reason(&g_start, i));
                }
            }
        }
        let mut g_prev = g_start;
        let mut elapsed = 0.0;
        let mut controller = Controller::new(ControllerOptions::DFN);
        let mut h = match self.h_last {
            Some((hl, il)) if il == i => hl,
            _ => (1e-3 * duration_s).clamp(MIN_STEP, 1e-2),
        };
        loop {
            let last = duration_s - elapsed <= h * (1.0 + 1e-12);
            if last {
                h = duration_s - elapsed;
            }
            let mut next = std::mem::take(&mut self.next);
            let res = self.stepper.step(&self.y, i, h, &mut next);
            self.next = next;
            let err = match res {
                Ok(e) if e <= 1.0 => e,
                Ok(e) => {
                    self.rejected += 1;
                    h *= controller.rejected(e);
                    if h < MIN_STEP {
                        return self.underflow(i, limits);
                    }
                    continue;
                }
                Err(StepFailure::Newton) => {
                    self.rejected += 1;
                    h *= controller.failed();
                    if h < MIN_STEP {
                        return self.underflow(i, limits);
                    }
                    continue;
                }
            };
            let g = self.events(&self.next, i, limits);
            for k in 0..3 {
                if !mask[k] && g[k] > 0.0 {
                    mask[k] = true;
                }
            }
            let g1 = Self::event_min(&g, &mask);
            if g1 <= 0.0 || !g1.is_finite() {
                // Locate on the events that crossed only (the others may sit at very different
                // scales and would make the combined function kinked).
                let mut crossed = mask;
                for k in 0..3 {
                    crossed[k] &= g[k] <= 0.0 || g[k].is_nan();
                }
                let g0 = Self::event_min(&g_prev, &crossed);
                let g1 = Self::event_min(&g, &crossed);
                let g1 = if g1.is_finite() { g1 } else { -1.0 };
                let tau = self.locate(i, h, g0, g1, limits, &crossed);
                let g_end = self.events(&self.next, i, limits);
                let mut gm = g_end;
                for k in 0..3 {
                    if !crossed[k] {
                        gm[k] = f64::INFINITY;
                    }
                }
                self.accept(tau, i, observe);
                self.h_last = None;
                return Ok(self.reason(&gm, i));
            }
            self.accept(h, i, observe);
            elapsed += h;
            g_prev = g;
            // Gustafsson's predictive controller follows a steadily growing error (as when the
            // electrolyte approaches depletion) instead of alternating rejections and acceptances.
            let factor = controller.accepted(h, err);
            if last {
                // A step cut short by the segment end says little about the next one.
                let hl = self.h_last.map_or(h, |(hl, _)| hl.max(h));
                self.h_last = Some((hl, i));
                return Ok(SegmentEnd::Duration);
            }
            h *= factor;
            self.h_last = Some((h, i));
        }
    }
}
