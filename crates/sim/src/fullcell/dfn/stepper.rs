//! The DFN's side of a TR-BDF2 step ([`crate::solver::tr_bdf2`]) on the index-1 DAE `M y' = f(y)`
//! (M = diag(ε) for c_e, 1 for c_s, 0 for the potentials): Newton on each stage
//! `α M (y − ψ) − f(y) = 0` (α = 1/(d h)), the error filter `(α M − J)⁻¹ α M`, and the consistent
//! re-initialisation of the algebraic unknowns. The scheme is stiffly accurate, so the algebraic rows
//! are satisfied (to the Newton tolerance) at the end of every step.

use spelab_core::constants::FARADAY;

use super::linear::NewtonMatrix;
use super::residual::{Physics, Reaction};
use crate::solver::tr_bdf2::{weighted_max_norm, Node, Stage, StageInput, Stages, TrBdf2, D_WEIGHT, GAMMA};

/// Scale of the consistent initialisation's Newton weights (relative tolerance of the potentials).
const NEWTON_SCALE: f64 = 1e-6;

/// A stage's Newton error may be this fraction of the local error weights (IDA: 0.33 of its WRMS).
const NEWTON_FRACTION: f64 = 0.1;

/// Largest first Newton update (in the Newton weights: 3 local error weights) a stage may stop
/// after; a larger one means a poor predictor, and the contraction rate is measured, not assumed.
const FIRST_UPDATE_MAX: f64 = 30.0;

/// Newton updates per stage before the step is retried smaller.
const MAX_STAGE_ITERATIONS: usize = 8;

/// Largest amount of Li or salt the first step of a segment may create through the balances left
/// by the consistent initialisation (its f(y_n) is evaluated, not implied) [mol/m²].
const BALANCE_MOL: f64 = 1e-12;

/// Why a step attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StepFailure {
    /// Newton did not converge, produced a non-finite state or met a singular matrix.
    Newton,
}

/// The discretised model with its scratch space.
#[derive(Debug, Clone)]
pub(crate) struct Stepper {
    pub phys: Physics,
    nm: NewtonMatrix,
    /// Relative tolerance of the local error.
    pub rtol: f64,
    /// Quadratic constant K of the stage Newton (contraction rate ρ ≈ K |δ₁| in the Newton weights),
    /// from the last stage that took two updates.
    quadratic: f64,
    /// Where the factored matrix was evaluated.
    jac_point: Vec<f64>,
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
    /// Inverse Newton weights of the present step's stages (from y_n).
    stage_w: Vec<f64>,
    work: Vec<f64>,
    scheme: TrBdf2,
    /// Current density of the present step [A/m²].
    current: f64,
    /// Newton iterations and matrix builds, for statistics.
    pub iterations: u64,
    /// Newton matrix factorisations.
    pub factorisations: u64,
    /// Jacobian evaluations.
    pub jacobians: u64,
    /// Rates at the start of the last accepted step and its size (curvature of the predictor).
    prev_rate: Vec<f64>,
    prev_h: Option<f64>,
    trial_rate: Vec<f64>,
    trial_h: f64,
    /// x unknowns at the start and at the TR stage of the last accepted step (quadratic
    /// extrapolation of the potentials), and the same of the last attempt.
    prev_x0: Vec<f64>,
    prev_xg: Vec<f64>,
    trial_x0: Vec<f64>,
    trial_xg: Vec<f64>,
    /// Rates of the differential unknowns implied by the converged stages, `α (y − ψ)` (one per
    /// stage; algebraic entries 0), for the error estimate.
    memo: [Memo; 2],
    /// The same of the accepted state: f(y_n) of the next step. Implied rather than evaluated rates
    /// keep the stages exactly conservative whatever the Newton tolerance (the Li they carry is
    /// i/F, the salt 0, as the stage equations that produced them).
    start: Memo,
}

/// One memoised evaluation `f = eval(y, current)`.
#[derive(Debug, Clone, Default)]
struct Memo {
    y: Vec<f64>,
    f: Vec<f64>,
    current: f64,
}

impl Memo {
    /// Copies the memoised right-hand side into `out` if it was evaluated at exactly `y` and `i`.
    fn get(&self, y: &[f64], i: f64, out: &mut [f64]) -> bool {
        let hit = !self.y.is_empty() && self.current == i && self.y == y;
        if hit {
            out.copy_from_slice(&self.f);
        }
        hit
    }
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
            quadratic: f64::INFINITY,
            jac_point: vec![0.0; n],
            nu,
            floor,
            rel,
            diff,
            mass,
            rx: vec![Reaction::default(); np],
            surf: vec![0.0; np],
            inv_w: vec![0.0; n],
            stage_w: vec![0.0; n],
            work: vec![0.0; n],
            scheme: TrBdf2::new(n),
            current: 0.0,
            iterations: 0,
            factorisations: 0,
            jacobians: 0,
            prev_rate: vec![0.0; n],
            prev_h: None,
            trial_rate: vec![0.0; n],
            trial_h: 0.0,
            prev_x0: vec![0.0; nu],
            prev_xg: vec![0.0; nu],
            trial_x0: vec![0.0; nu],
            trial_xg: vec![0.0; nu],
            memo: [Memo::default(), Memo::default()],
            start: Memo::default(),
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

    /// Newton on the algebraic rows `f(y) = 0` with the differential unknowns fixed (consistent
    /// initialisation), from the guess in `y` with the factored matrix, to `tol` on the update
    /// (weights [`NEWTON_SCALE`]) and until the Li and salt balances hold ([`Stepper::balanced`]).
    fn newton_algebraic(&mut self, y: &mut [f64], i: f64, tol: f64) -> bool {
        let mut f = std::mem::take(&mut self.work);
        let mut inv_w = std::mem::take(&mut self.inv_w);
        for (((w, yk), fl), rel) in inv_w.iter_mut().zip(y.iter()).zip(&self.floor).zip(&self.rel) {
            *w = 1.0 / (NEWTON_SCALE * (yk.abs() * rel + fl));
        }
        let (mut prev, mut pending, mut ok) = (f64::INFINITY, false, false);
        for it in 0..40 {
            self.eval(y, i, &mut f);
            self.iterations += 1;
            self.negated_stage_residual(y, &[], 1.0, true, &mut f);
            if pending && self.balanced(&f, 1.0) {
                ok = y.iter().all(|v| v.is_finite());
                break;
            }
            let (fx, fp) = f.split_at_mut(self.nu);
            self.nm.solve(&self.phys, fx, fp);
            let d = f.iter().zip(&inv_w).fold(0.0f64, |m, (dk, wk)| m.max(dk.abs() * wk));
            if !d.is_finite() {
                break;
            }
            for (yk, dk) in y.iter_mut().zip(&f) {
                *yk += dk;
            }
            let rate = d / prev;
            pending = d <= tol || (it >= 1 && rate < 0.9 && rate / (1.0 - rate) * d <= tol);
            prev = d;
        }
        self.work = f;
        self.inv_w = inv_w;
        ok
    }

    /// Newton on the stage equation `α M (y − ψ) − f(y) = 0` from the predictor in `y`, with the
    /// factored matrix, evaluated at this predictor when `fresh`, else at the last fresh one.
    /// Converged when the remaining error, ρ/(1 − ρ)·|δ| with the contraction rate ρ, is below
    /// [`NEWTON_FRACTION`] of the local error weights at the step start (IDA's test). The matrix is exact at its
    /// evaluation point, so ρ ≈ K·(distance from it); for the first update ρ = K (Δ + |δ|) (Δ: the
    /// predictor's distance) with K measured on the last stage that took two updates.
    /// Conservation needs no tight solve: the Li and salt balances are affine in y (the reaction
    /// currents cancel between the particle, φ_s and c_e rows), so every update satisfies them exactly.
    fn newton_stage(&mut self, y: &mut [f64], psi: &[f64], i: f64, alpha: f64, fresh: bool) -> bool {
        let mut f = std::mem::take(&mut self.work);
        let inv_w = std::mem::take(&mut self.stage_w);
        let (mut prev, mut first, mut ok) = (f64::INFINITY, 0.0, false);
        // Weighted distance of the predictor from the point where the matrix was evaluated.
        let offset = if fresh {
            self.jac_point.copy_from_slice(y);
            0.0
        } else {
            let points = y.iter().zip(&self.jac_point).zip(&inv_w);
            points.fold(0.0f64, |m, ((a, b), w)| m.max((a - b).abs() * w))
        };
        for it in 0..MAX_STAGE_ITERATIONS {
            self.eval(y, i, &mut f);
            self.iterations += 1;
            self.negated_stage_residual(y, psi, alpha, false, &mut f);
            let (fx, fp) = f.split_at_mut(self.nu);
            self.nm.solve(&self.phys, fx, fp);
            let d = f.iter().zip(&inv_w).fold(0.0f64, |m, (dk, wk)| m.max(dk.abs() * wk));
            if !d.is_finite() {
                break;
            }
            for (yk, dk) in y.iter_mut().zip(&f) {
                *yk += dk;
            }
            // The matrix is exact at the Jacobian point: the rate grows with the distance from it.
            let rate = if it == 0 {
                first = d;
                self.quadratic * (offset + d)
            } else {
                let rate = d / prev;
                self.quadratic = rate / (offset + first);
                rate
            };
            // A first update is trusted only from a predictor within FIRST_UPDATE_MAX of the solution
            // (a far one, as after a current step, measures the rate first).
            let trusted = it > 0 || d <= FIRST_UPDATE_MAX;
            if d <= 1e-3 || (trusted && rate < 0.9 && rate / (1.0 - rate) * d <= 1.0) {
                ok = y.iter().all(|v| v.is_finite());
                break;
            }
            if it >= 1 && rate > 0.9 {
                break;
            }
            prev = d;
        }
        self.work = f;
        self.stage_w = inv_w;
        ok
    }

    /// Turns the rates and residuals `f` of state `y` into the negated stage residual
    /// `−(α M (y − ψ) − f)` (algebraic rows: `−f`; differential rows 0 when `algebraic_only`).
    fn negated_stage_residual(
        &self,
        y: &[f64],
        psi: &[f64],
        alpha: f64,
        algebraic_only: bool,
        f: &mut [f64],
    ) {
        let nu = self.nu;
        let (fx, fp) = f.split_at_mut(nu);
        let eps = &self.phys.grid.eps;
        if algebraic_only {
            for fc in fx.chunks_exact_mut(3) {
                fc[0] = 0.0;
                fc[1] = -fc[1];
                fc[2] = -fc[2];
            }
            fp.fill(0.0);
            return;
        }
        let (yx, yp) = y.split_at(nu);
        let (px, pp) = psi.split_at(nu);
        for (((fc, yc), pc), e) in
            fx.chunks_exact_mut(3).zip(yx.chunks_exact(3)).zip(px.chunks_exact(3)).zip(eps)
        {
            fc[0] = -e * (alpha * (yc[0] - pc[0]) - fc[0]);
            fc[1] = -fc[1];
            fc[2] = -fc[2];
        }
        for ((fk, yk), pk) in fp.iter_mut().zip(yp).zip(pp) {
            *fk = -(alpha * (yk - pk) - *fk);
        }
    }

    /// Sets the potentials of `out` (x part) to `Σ w_m p_m` of the three x states `p`.
    fn extrapolate_potentials(&self, w: [f64; 3], p: [&[f64]; 3], out: &mut [f64]) {
        let cells = out[..self.nu].chunks_exact_mut(3).zip(p[0].chunks_exact(3));
        for ((o, a), (b, c)) in cells.zip(p[1].chunks_exact(3).zip(p[2].chunks_exact(3))) {
            for v in 1..3 {
                o[v] = w[0] * a[v] + w[1] * b[v] + w[2] * c[v];
            }
        }
    }

    /// Whether the negated stage residual `g` satisfies the lithium balance Σ (φ_s rows) Δx = i +
    /// Σ a j Δx = 0 and the salt balance Σ (c_e rows) Δx = 0 well enough that a step (weight 1/α)
    /// starting from this state moves at most [`BALANCE_MOL`] of either.
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

    /// Records that the last step attempt was accepted (its rates and states predict the next stages).
    pub fn accept(&mut self) {
        std::mem::swap(&mut self.start, &mut self.memo[1]);
        self.prev_rate.copy_from_slice(&self.trial_rate);
        self.prev_h = Some(self.trial_h);
        std::mem::swap(&mut self.prev_x0, &mut self.trial_x0);
        std::mem::swap(&mut self.prev_xg, &mut self.trial_xg);
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
            if self.newton_algebraic(y, i, 1e-6) {
                self.prev_h = None;
                // A new segment: measure Newton's contraction afresh.
                self.quadratic = f64::INFINITY;
                return true;
            }
        }
        false
    }

    /// One TR-BDF2 step of size `h` from `y` (consistent) at current `i` into `out`; returns the
    /// weighted local error estimate (≤ 1 is acceptable).
    pub fn step(&mut self, y: &[f64], i: f64, h: f64, out: &mut [f64]) -> Result<f64, StepFailure> {
        self.current = i;
        let scale = NEWTON_FRACTION * self.rtol;
        let weights = self.stage_w.iter_mut().zip(y).zip(&self.floor).zip(&self.rel);
        for (((w, yk), fl), rel) in weights {
            *w = 1.0 / (scale * (yk.abs() * rel + fl));
        }
        let mut scheme = std::mem::take(&mut self.scheme);
        let result = scheme.step(self, y, h, out).map(|()| scheme.error(self, h, out));
        self.scheme = scheme;
        result
    }
}

impl Stages for Stepper {
    type Failure = StepFailure;

    /// f(y): the stage-implied rates at y_γ and y₊ and, after an accepted step, at y_n; evaluated
    /// only at the start of a segment (a consistent state, whose Li and salt balances hold).
    fn rates(&mut self, node: Node, y: &[f64], out: &mut [f64]) {
        let i = self.current;
        let memo = match node {
            Node::Start => &self.start,
            Node::Gamma => &self.memo[0],
            Node::End => &self.memo[1],
        };
        if !memo.get(y, i, out) {
            self.eval(y, i, out);
        }
    }

    /// TR stage: Newton from a quadratic predictor; BDF2 stage: from the parabola through y_n (slope
    /// y'_n) and y_γ (potentials: the parabola through the last three solution points). Each stage
    /// evaluates and factors α M − J at its predictor.
    fn solve(&mut self, input: StageInput<'_>, out: &mut [f64]) -> Result<(), StepFailure> {
        let (y, f_n, h) = (input.y_n, input.f_n, input.h);
        let (n, nu, i) = (y.len(), self.nu, self.current);
        let alpha = 1.0 / (D_WEIGHT * h);
        match input.stage {
            Stage::Trapezoidal => {
                // Quadratic predictor when the rate's change over the last step is known.
                let (gh, inv_hp) = (GAMMA * h, self.prev_h.map_or(0.0, |hp| 1.0 / hp));
                let prev = &self.prev_rate;
                let predict = |k: usize| y[k] + gh * f_n[k] + 0.5 * gh * gh * (f_n[k] - prev[k]) * inv_hp;
                // Potentials: kept without history.
                out[..nu].copy_from_slice(&y[..nu]);
                for_differential_rows(nu, n, |k| out[k] = predict(k));
                if let Some(hp) = self.prev_h {
                    // Potentials: the parabola through y_{n−1}, y_γ of the last step and y_n.
                    let w = lagrange3([-hp, -(1.0 - GAMMA) * hp, 0.0], GAMMA * h);
                    self.extrapolate_potentials(w, [&self.prev_x0, &self.prev_xg, &y[..nu]], out);
                }
            }
            Stage::Bdf2 => {
                let (stage, extrap) = (input.y_gamma, (1.0 - GAMMA) / GAMMA);
                // The parabola through y_n (slope y'_n) and y_γ, at h: y_n + f_n h + c h² with
                // c = (y_γ − y_n − f_n γh)/(γh)².
                let (gh, q) = (GAMMA * h, 1.0 / (GAMMA * GAMMA));
                // Potentials without history: linear through y_n and y_γ.
                for ((o, s), yk) in out[..nu].iter_mut().zip(&stage[..nu]).zip(&y[..nu]) {
                    *o = s + extrap * (s - yk);
                }
                let predict = |k: usize| y[k] + f_n[k] * h + (stage[k] - y[k] - f_n[k] * gh) * q;
                for_differential_rows(nu, n, |k| out[k] = predict(k));
                if let Some(hp) = self.prev_h {
                    // Potentials: the parabola through y_γ of the last step, y_n and y_γ.
                    let w = lagrange3([-(1.0 - GAMMA) * hp, 0.0, GAMMA * h], h);
                    self.extrapolate_potentials(w, [&self.prev_xg, &y[..nu], &stage[..nu]], out);
                }
            }
        }
        // A fresh Jacobian and factorisation at the TR stage's predictor, kept for the BDF2 stage
        // (the same α): Newton converges quadratically from the first and fast from the second
        // predictor (a distance ~h²y'' away), and most stages need a single update.
        let fresh = input.stage == Stage::Trapezoidal;
        if fresh {
            self.jacobians += 1;
            self.nm.jacobian(&self.phys, &out[..nu], &out[nu..], i);
            self.factorisations += 1;
            if !self.nm.factor(&self.phys, alpha, false) {
                return Err(StepFailure::Newton);
            }
        }
        if !self.newton_stage(out, input.psi, i, alpha, fresh) {
            return Err(StepFailure::Newton);
        }
        let memo = &mut self.memo[input.stage as usize];
        memo.y.clear();
        memo.y.extend_from_slice(out);
        memo.f.clear();
        memo.f.resize(n, 0.0);
        let (f, psi) = (&mut memo.f, input.psi);
        for_differential_rows(nu, n, |k| f[k] = alpha * (out[k] - psi[k]));
        memo.current = i;
        if input.stage == Stage::Bdf2 {
            self.trial_h = h;
            self.trial_x0.copy_from_slice(&y[..nu]);
            self.trial_xg.copy_from_slice(&input.y_gamma[..nu]);
            self.trial_rate.copy_from_slice(f_n);
        }
        Ok(())
    }

    /// `(α M − J)⁻¹ α M e` with the step's factored matrix (algebraic rows: M = 0), then the max
    /// norm with weights rtol (|y| + 1 % of c₀ or c_max) for concentrations, rtol × 1 V for
    /// potentials.
    fn error_norm(&mut self, h: f64, raw: &mut [f64], y_new: &[f64]) -> f64 {
        let alpha = 1.0 / (D_WEIGHT * h);
        for (k, e) in raw.iter_mut().enumerate() {
            *e = if self.diff[k] { alpha * self.mass[k] * *e } else { 0.0 };
        }
        let (ex, ep) = raw.split_at_mut(self.nu);
        self.nm.solve(&self.phys, ex, ep);
        let rtol = self.rtol;
        weighted_max_norm(raw, |k| rtol * (y_new[k].abs() * self.rel[k] + self.floor[k]))
    }
}

/// Calls `op` with every differential row (c_e of each of the `nu / 3` x cells, then the particle
/// rows `nu..n`).
#[inline(always)]
fn for_differential_rows(nu: usize, n: usize, mut op: impl FnMut(usize)) {
    (0..nu).step_by(3).for_each(&mut op);
    (nu..n).for_each(op);
}

/// Lagrange weights at `tau` of the parabola through the nodes `t`.
fn lagrange3(t: [f64; 3], tau: f64) -> [f64; 3] {
    [
        (tau - t[1]) * (tau - t[2]) / ((t[0] - t[1]) * (t[0] - t[2])),
        (tau - t[0]) * (tau - t[2]) / ((t[1] - t[0]) * (t[1] - t[2])),
        (tau - t[0]) * (tau - t[1]) / ((t[2] - t[0]) * (t[2] - t[1])),
    ]
}
