//! TR-BDF2 time stepping of the index-1 DAE `M y' = f(y)` (M = diag(ε) for c_e, 1 for c_s, 0 for
//! the potentials), Newton on each stage, the embedded error estimate filtered by the Newton matrix,
//! and the consistent re-initialisation of the algebraic unknowns.
//!
//! TR-BDF2 (Bank et al. 1985; Hosea & Shampine 1996), γ = 2 − √2, d = γ/2: both stages solve
//! `α M (y − ψ) − f(y) = 0` with α = 1/(d h) (TR stage: ψ = y_n + d h y'_n; BDF2 stage:
//! ψ = y_γ + w (y_γ − y_n)). It is one-step (a current jump needs no history restart), L-stable and
//! stiffly accurate, so the algebraic rows are satisfied exactly at the end of every step. The local
//! error `C h³ y'''` comes from the quadratic through y'_n, y'_γ, y'_{n+1} and is filtered by
//! `(α M − J)⁻¹ α M` (Shampine's filter, as the symmetric-cell integrator does).

use spelab_core::constants::FARADAY;

use super::linear::NewtonMatrix;
use super::residual::{Physics, Reaction};

/// γ = 2 − √2.
const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;
/// d = γ/2.
const D_WEIGHT: f64 = GAMMA / 2.0;
/// w = (1 − γ)²/(γ(2 − γ)).
const W_EXTRAP: f64 = (1.0 - GAMMA) * (1.0 - GAMMA) / (GAMMA * (2.0 - GAMMA));
/// Error constant C of TR-BDF2.
const ERROR_CONSTANT: f64 = (-3.0 * GAMMA * GAMMA + 4.0 * GAMMA - 2.0) / (12.0 * (2.0 - GAMMA));

/// Scale of the Newton convergence weights (relative tolerance of the stage solutions).
const NEWTON_SCALE: f64 = 1e-6;

/// Largest amount of Li or salt a stage may create through unconverged balances [mol/m²].
const BALANCE_MOL: f64 = 1e-12;

/// Where in the step the Jacobian is evaluated (fraction of h along the explicit predictor).
const LIN_POINT: f64 = 0.6;

/// Why a step attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepFailure {
    /// Newton did not converge or produced a non-finite state with a fresh Jacobian.
    Newton,
    /// Newton failed with a Jacobian from an earlier step: retry the same step size.
    StaleJacobian,
}

/// The discretised model with its scratch space.
#[derive(Debug, Clone)]
pub(crate) struct Stepper {
    pub phys: Physics,
    nm: NewtonMatrix,
    /// Relative tolerance of the local error.
    pub rtol: f64,
    /// Newton convergence threshold on the weighted update norm.
    pub newton_tol: f64,
    nu: usize,
    /// Error weights' absolute parts per unknown.
    floor: Vec<f64>,
    /// Weight of |y| in the error weights (0 for potentials: absolute 1 V × rtol).
    rel: Vec<f64>,
    /// Whether an unknown is differential (c_e, c_s).
    diff: Vec<bool>,
    /// Mass matrix diagonal (ε for c_e, 1 for c_s, 0 otherwise).
    mass: Vec<f64>,
    rx: Vec<Reaction>,
    surf: Vec<f64>,
    inv_w: Vec<f64>,
    f_n: Vec<f64>,
    f_g: Vec<f64>,
    f_1: Vec<f64>,
    psi: Vec<f64>,
    stage: Vec<f64>,
    work: Vec<f64>,
    /// Newton iterations and matrix builds, for statistics.
    pub iterations: u64,
    /// Newton matrix factorisations.
    pub factorisations: u64,
    /// Jacobian evaluations.
    pub jacobians: u64,
    /// Whether the Jacobian must be re-evaluated before the next step.
    stale: bool,
    /// dy/dt of the algebraic unknowns over the last accepted step (stage predictor).
    slope: Vec<f64>,
    /// The same over the last step attempt.
    trial_slope: Vec<f64>,
    /// Rates at the start of the last accepted step and its size (curvature of the predictor).
    prev_rate: Vec<f64>,
    prev_h: Option<f64>,
    trial_rate: Vec<f64>,
    trial_h: f64,
}

impl Stepper {
    /// A stepper for `phys` with electrolyte scale `c0` [mol/m³].
    pub fn new(phys: Physics, c0: f64, rtol: f64) -> Self {
        let g = &phys.grid;
        let nu = 3 * g.nx();
        let n = nu + g.np * g.nr;
        let mut floor = vec![0.0; n];
        let mut diff = vec![false; n];
        let mut rel = vec![1.0; n];
        let mut mass = vec![0.0; n];
        for i in 0..n {
            if i >= nu {
                floor[i] = 0.01 * phys.cmax;
                diff[i] = true;
                mass[i] = 1.0;
            } else if i % 3 == 0 {
                floor[i] = 0.01 * c0;
                diff[i] = true;
                mass[i] = g.eps[i / 3];
            } else {
                floor[i] = 1.0;
                rel[i] = 0.0;
            }
        }
        let np = g.np;
        Stepper {
            nm: NewtonMatrix::new(&phys),
            phys,
            rtol,
            newton_tol: 1e-2,
            nu,
            floor,
            rel,
            diff,
            mass,
            rx: vec![Reaction::default(); np],
            surf: vec![0.0; np],
            inv_w: vec![0.0; n],
            f_n: vec![0.0; n],
            f_g: vec![0.0; n],
            f_1: vec![0.0; n],
            psi: vec![0.0; n],
            stage: vec![0.0; n],
            work: vec![0.0; n],
            iterations: 0,
            factorisations: 0,
            jacobians: 0,
            stale: true,
            slope: vec![0.0; n],
            trial_slope: vec![0.0; n],
            prev_rate: vec![0.0; n],
            prev_h: None,
            trial_rate: vec![0.0; n],
            trial_h: 0.0,
        }
    }

    /// Rates (differential unknowns) and residuals (algebraic ones) of state `y` at current `i`.
    pub fn eval(&mut self, y: &[f64], i: f64, out: &mut [f64]) {
        let g = &self.phys.grid;
        let (np, nr, nu) = (g.np, g.nr, self.nu);
        for k in 0..np {
            self.surf[k] = self.phys.surface(&y[nu + k * nr..nu + (k + 1) * nr]);
        }
        let (ox, op) = out.split_at_mut(nu);
        self.phys.eval_x(&y[..nu], &self.surf, i, ox, &mut self.rx, false);
        self.phys.eval_p(&y[nu..], &self.rx, op);
    }

    /// Weighted max norm of `d` relative to the state `y` with relative tolerance `rtol`.
    fn norm(&self, d: &[f64], y: &[f64], rtol: f64) -> f64 {
        let mut m: f64 = 0.0;
        for (((di, yi), fl), rel) in d.iter().zip(y).zip(&self.floor).zip(&self.rel) {
            let w = rtol * (yi.abs() * rel + fl);
            m = m.max(di.abs() / w);
        }
        if m.is_finite() {
            m
        } else {
            f64::INFINITY
        }
    }

    /// Newton on `α M (y − ψ) − f(y) = 0` (algebraic rows: f = 0) from the guess in `y`, with the
    /// factored matrix. With `algebraic_only` the differential unknowns stay fixed.
    fn newton(&mut self, y: &mut [f64], i: f64, alpha: f64, algebraic_only: bool, tol: f64) -> bool {
        let n = y.len();
        let mut f = std::mem::take(&mut self.work);
        let mut prev = f64::INFINITY;
        let max_iter = if algebraic_only { 40 } else { 12 };
        let mut ok = false;
        let mut pending = false;
        // Newton's error weights, fixed for the solve (from the initial guess).
        let mut inv_w = std::mem::take(&mut self.inv_w);
        for (((w, yk), fl), rel) in inv_w.iter_mut().zip(y.iter()).zip(&self.floor).zip(&self.rel) {
            *w = 1.0 / (NEWTON_SCALE * (yk.abs() * rel + fl));
        }
        for it in 0..max_iter {
            self.eval(y, i, &mut f);
            self.iterations += 1;
            for k in 0..n {
                f[k] = if !self.diff[k] {
                    -f[k]
                } else if algebraic_only {
                    0.0
                } else {
                    -self.mass[k] * (alpha * (y[k] - self.psi[k]) - f[k])
                };
            }
            // The update has converged: accept once the Li and salt balances also hold (they are
            // what makes the scheme conservative; a stale Jacobian converges them only linearly).
            if pending && self.balanced(&f, alpha) {
                ok = y.iter().all(|v| v.is_finite());
                break;
            }
            let (fx, fp) = f.split_at_mut(self.nu);
            self.nm.solve(&self.phys, fx, fp);
            // Newton converges to 1e-8 of the state whatever the step tolerance.
            let d = f.iter().zip(&inv_w).fold(0.0f64, |m, (dk, wk)| m.max(dk.abs() * wk));
            if !d.is_finite() {
                break;
            }
            for (yk, dk) in y.iter_mut().zip(&f) {
                *yk += dk;
            }
            // Converged when the update, or the remaining error predicted from the contraction rate
            // ρ (ρ/(1 − ρ)·|δ|), is below the tolerance.
            let rate = d / prev;
            if d <= tol || (it >= 1 && rate < 0.9 && rate / (1.0 - rate) * d <= tol) {
                pending = true;
            } else if it >= 2 && d > 0.9 * prev && !algebraic_only {
                break;
            }
            prev = d;
        }
        self.work = f;
        self.inv_w = inv_w;
        ok
    }

    /// Whether the negated stage residual `g` satisfies the lithium balance Σ (φ_s rows) Δx = i +
    /// Σ a j Δx = 0 and the salt balance Σ (c_e rows) Δx = 0 well enough that a stage (weight 1/α)
    /// moves at most [`BALANCE_MOL`] of either.
    fn balanced(&self, g: &[f64], alpha: f64) -> bool {
        let grid = &self.phys.grid;
        let (mut li, mut salt) = (0.0, 0.0);
        for c in 0..grid.nx() {
            salt += g[3 * c] * grid.dx[c];
            if c >= grid.ns {
                li += g[3 * c + 2] * grid.dx[c];
            }
        }
        let scale = BALANCE_MOL * alpha;
        li.abs() <= scale * FARADAY && salt.abs() <= scale
    }

    /// Records that the last step attempt was accepted (its slope predicts the next stages).
    pub fn accept(&mut self) {
        self.slope.copy_from_slice(&self.trial_slope);
        self.prev_rate.copy_from_slice(&self.trial_rate);
        self.prev_h = Some(self.trial_h);
    }

    /// Makes the algebraic unknowns of `y` consistent with current `i` (differential ones fixed).
    pub fn reinitialise(&mut self, y: &mut [f64], i: f64) -> bool {
        let nu = self.nu;
        for _ in 0..3 {
            self.factorisations += 1;
            self.jacobians += 1;
            self.nm.jacobian(&self.phys, &y[..nu], &y[nu..], i);
            if !self.nm.factor(&self.phys, 1.0, true) {
                return false;
            }
            if self.newton(y, i, 1.0, true, 1e-6) {
                self.stale = true;
                self.slope.fill(0.0);
                self.prev_h = None;
                return true;
            }
        }
        false
    }

    /// One TR-BDF2 step of size `h` from `y` (consistent) at current `i` into `out`; returns the
    /// weighted local error estimate (≤ 1 is acceptable).
    pub fn step(&mut self, y: &[f64], i: f64, h: f64, out: &mut [f64]) -> Result<f64, StepFailure> {
        let n = y.len();
        let nu = self.nu;
        let alpha = 1.0 / (D_WEIGHT * h);
        let mut f_n = std::mem::take(&mut self.f_n);
        self.eval(y, i, &mut f_n);
        let fresh = self.stale;
        if self.stale {
            // Linearise inside the step (explicit predictor at 0.6 h), closer to both stages.
            let mut lin = std::mem::take(&mut self.stage);
            for k in 0..n {
                let rate = if self.diff[k] { f_n[k] } else { self.slope[k] };
                lin[k] = y[k] + LIN_POINT * h * rate;
            }
            self.jacobians += 1;
            self.nm.jacobian(&self.phys, &lin[..nu], &lin[nu..], i);
            self.stage = lin;
            self.stale = false;
        }
        self.factorisations += 1;
        if !self.nm.factor(&self.phys, alpha, false) {
            self.f_n = f_n;
            self.stale = true;
            return Err(if fresh { StepFailure::Newton } else { StepFailure::StaleJacobian });
        }
        // TR stage.
        let mut stage = std::mem::take(&mut self.stage);
        for k in 0..n {
            if self.diff[k] {
                self.psi[k] = y[k] + D_WEIGHT * h * f_n[k];
                // Quadratic predictor when the rate's change over the last step is known.
                let curv = self.prev_h.map_or(0.0, |hp| (f_n[k] - self.prev_rate[k]) / hp);
                stage[k] = y[k] + GAMMA * h * f_n[k] + 0.5 * (GAMMA * h).powi(2) * curv;
            } else {
                stage[k] = y[k] + GAMMA * h * self.slope[k];
            }
        }
        let tol = self.newton_tol;
        let it0 = self.iterations;
        let ok1 = self.newton(&mut stage, i, alpha, false, tol);
        if !ok1 {
            self.f_n = f_n;
            self.stage = stage;
            self.stale = true;
            return Err(if fresh { StepFailure::Newton } else { StepFailure::StaleJacobian });
        }
        // BDF2 stage.
        let extrap = (1.0 - GAMMA) / GAMMA;
        for k in 0..n {
            self.psi[k] = stage[k] + W_EXTRAP * (stage[k] - y[k]);
            out[k] = if self.diff[k] {
                // The parabola through y_n (slope y'_n) and y_γ, at h.
                let gh = GAMMA * h;
                let c = (stage[k] - y[k] - f_n[k] * gh) / (gh * gh);
                y[k] + f_n[k] * h + c * h * h
            } else {
                stage[k] + extrap * (stage[k] - y[k])
            };
        }
        let ok2 = self.newton(out, i, alpha, false, tol);
        if !ok2 {
            self.f_n = f_n;
            self.stage = stage;
            self.stale = true;
            return Err(if fresh { StepFailure::Newton } else { StepFailure::StaleJacobian });
        }
        // Slow convergence: refresh the Jacobian for the next step.
        if self.iterations - it0 > 6 {
            self.stale = true;
        }
        // Error estimate.
        let mut f_g = std::mem::take(&mut self.f_g);
        let mut f_1 = std::mem::take(&mut self.f_1);
        self.eval(&stage, i, &mut f_g);
        self.eval(out, i, &mut f_1);
        let mut e = std::mem::take(&mut self.work);
        for k in 0..n {
            e[k] = if self.diff[k] {
                let raw = ERROR_CONSTANT
                    * 2.0
                    * h
                    * ((f_1[k] - f_g[k]) / (1.0 - GAMMA) - (f_g[k] - f_n[k]) / GAMMA);
                alpha * self.mass[k] * raw
            } else {
                0.0
            };
        }
        let (ex, ep) = e.split_at_mut(nu);
        self.nm.solve(&self.phys, ex, ep);
        let err = self.norm(&e, out, self.rtol);
        self.trial_h = h;
        for k in 0..n {
            self.trial_slope[k] = if self.diff[k] { 0.0 } else { (out[k] - y[k]) / h };
            self.trial_rate[k] = f_n[k];
        }
        self.work = e;
        self.f_n = f_n;
        self.f_g = f_g;
        self.f_1 = f_1;
        self.stage = stage;
        Ok(err)
    }
}
