//! The one adaptive TR-BDF2 scheme of spelab-sim: the two implicit stages, the embedded error
//! estimate, its weighted norm and the step-size controller. Models supply their stage solves and
//! their error filter through [`Stages`]; the symmetric cell (a tridiagonal ODE with the current as
//! an algebraic unknown) and the DFN (an index-1 DAE with Newton on each stage) both step with it.
//!
//! TR-BDF2 (Bank et al., IEEE Trans. Electron Devices 32 (1985) 1992, doi:10.1109/T-ED.1985.22232;
//! Hosea & Shampine, Appl. Numer. Math. 20 (1996) 21, doi:10.1016/0168-9274(95)00115-8) with
//! γ = 2 − √2, d = γ/2, for `M y' = f(y)`:
//!
//! ```text
//! TR stage:    M y_γ − d h f(y_γ) = M ψ_γ,   ψ_γ = y_n + d h f(y_n)
//! BDF2 stage:  M y₊  − d h f(y₊)  = M ψ₊,    ψ₊  = y_γ + w (y_γ − y_n),   w = (1 − γ)²/(γ(2 − γ))
//! error:       e = C h³ y''' from the quadratic through f(y_n), f(y_γ), f(y₊) (at 0, γh, h),
//!              C = (−3γ² + 4γ − 2)/(12(2 − γ)), filtered by (M − d h ∂f/∂y)⁻¹ M (Shampine's filter)
//! ```
//!
//! One-step (restarts for free at current switches), second order, L-stable (R(∞) = 0: switch
//! transients are damped) and stiffly accurate (algebraic rows hold exactly at the step end). Both
//! stages share one matrix, so a model factors (or assembles) it once per step.
//!
//! Step-size control ([`Controller`]): a step is accepted when the weighted max norm of the filtered
//! estimate ([`weighted_max_norm`]) is ≤ 1; the next step is h·clamp(s·err^(−1/3), 0.2, growth),
//! optionally limited by Gustafsson's predictive controller and held after a rejection; a rejected
//! step retries with h·clamp(s·err^(−1/3), 0.2, shrink). [`ControllerOptions`] holds each model's
//! constants and says why they differ.

/// γ = 2 − √2, where the TR stage ends (fraction of h).
pub(crate) const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;
/// d = γ/2, the implicit weight of both stages.
pub(crate) const D_WEIGHT: f64 = GAMMA / 2.0;
/// w = (1 − γ)²/(γ(2 − γ)), the extrapolation weight of the BDF2 stage.
pub(crate) const W_EXTRAP: f64 = (1.0 - GAMMA) * (1.0 - GAMMA) / (GAMMA * (2.0 - GAMMA));
/// Error constant of TR-BDF2, LTE = C h³ y''' with C = (−3γ² + 4γ − 2)/(12(2 − γ)) (Bank et al. 1985).
pub(crate) const ERROR_CONSTANT: f64 = (-3.0 * GAMMA * GAMMA + 4.0 * GAMMA - 2.0) / (12.0 * (2.0 - GAMMA));

/// 1/γ and 1/(1 − γ), for the error estimate.
const INV_GAMMA: f64 = 1.0 / GAMMA;
const INV_ONE_MINUS_GAMMA: f64 = 1.0 / (1.0 - GAMMA);

/// Smallest error a controller divides by (an exactly zero estimate gives the largest growth).
const ERROR_FLOOR: f64 = 1e-10;

/// The points of a step where a model's right-hand side is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    /// t_n, the start of the step.
    Start,
    /// t_n + γh, the end of the TR stage.
    Gamma,
    /// t_n + h, the end of the step.
    End,
}

/// The two implicit stages of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The trapezoidal stage from t_n to t_n + γh.
    Trapezoidal,
    /// The BDF2 stage from t_n + γh to t_n + h.
    Bdf2,
}

/// What a stage solve knows of the step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StageInput<'a> {
    /// Which stage.
    pub stage: Stage,
    /// Step size h [s].
    pub h: f64,
    /// State at the step start y_n.
    pub y_n: &'a [f64],
    /// Right-hand side at the step start f(y_n).
    pub f_n: &'a [f64],
    /// State at the end of the TR stage y_γ (empty during the TR stage).
    pub y_gamma: &'a [f64],
    /// The stage's known part ψ: solve M y − d h f(y) = M ψ.
    pub psi: &'a [f64],
}

/// A model's side of a TR-BDF2 step: its right-hand side, its stage solves and its error filter.
pub(crate) trait Stages {
    /// Why a stage solve failed (the controller retries with a smaller step).
    type Failure;
    /// The right-hand side f(y) at `node` of the present step into `out` (for algebraic rows: their
    /// residual). A model keeps its own algebraic unknowns (the symmetric cell's current) per node.
    fn rates(&mut self, node: Node, y: &[f64], out: &mut [f64]);
    /// Solves the implicit stage `M y − d h f(y) = M ψ` into `out`.
    fn solve(&mut self, input: StageInput<'_>, out: &mut [f64]) -> Result<(), Self::Failure>;
    /// Filters the raw estimate `raw` (C h³ y''', in place) and returns its weighted max norm
    /// relative to the step's end state `y_new` (≤ 1 is acceptable).
    fn error_norm(&mut self, h: f64, raw: &mut [f64], y_new: &[f64]) -> f64;
}

/// Scratch space of the scheme: the stage state and the right-hand sides at the three nodes.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrBdf2 {
    f_n: Vec<f64>,
    f_gamma: Vec<f64>,
    f_end: Vec<f64>,
    psi: Vec<f64>,
    stage: Vec<f64>,
    raw: Vec<f64>,
}

impl TrBdf2 {
    /// Scratch for `n` unknowns.
    pub fn new(n: usize) -> Self {
        let z = vec![0.0; n];
        TrBdf2 {
            f_n: z.clone(),
            f_gamma: z.clone(),
            f_end: z.clone(),
            psi: z.clone(),
            stage: z.clone(),
            raw: z,
        }
    }

    /// One step of size `h` from `y` into `out` (both stages; no error estimate).
    pub fn step<S: Stages>(
        &mut self,
        model: &mut S,
        y: &[f64],
        h: f64,
        out: &mut [f64],
    ) -> Result<(), S::Failure> {
        model.rates(Node::Start, y, &mut self.f_n);
        for ((p, yk), fk) in self.psi.iter_mut().zip(y).zip(&self.f_n) {
            *p = yk + D_WEIGHT * h * fk;
        }
        let input =
            StageInput { stage: Stage::Trapezoidal, h, y_n: y, f_n: &self.f_n, y_gamma: &[], psi: &self.psi };
        model.solve(input, &mut self.stage)?;
        for ((p, s), yk) in self.psi.iter_mut().zip(&self.stage).zip(y) {
            *p = s + W_EXTRAP * (s - yk);
        }
        let input = StageInput {
            stage: Stage::Bdf2,
            h,
            y_n: y,
            f_n: &self.f_n,
            y_gamma: &self.stage,
            psi: &self.psi,
        };
        model.solve(input, out)
    }

    /// The weighted error norm of the step just taken by [`TrBdf2::step`] (size `h`, ending at
    /// `y_new`): C h³ y''' = C·2h·((f₊ − f_γ)/(1 − γ) − (f_γ − f_n)/γ), filtered by the model.
    pub fn error<S: Stages>(&mut self, model: &mut S, h: f64, y_new: &[f64]) -> f64 {
        model.rates(Node::Gamma, &self.stage, &mut self.f_gamma);
        model.rates(Node::End, y_new, &mut self.f_end);
        let c = ERROR_CONSTANT * 2.0 * h;
        for (k, r) in self.raw.iter_mut().enumerate() {
            let (f0, fg, f1) = (self.f_n[k], self.f_gamma[k], self.f_end[k]);
            *r = c * ((f1 - fg) * INV_ONE_MINUS_GAMMA - (fg - f0) * INV_GAMMA);
        }
        model.error_norm(h, &mut self.raw, y_new)
    }
}

/// max_k |e_k| / weight(k), infinite when not finite (NaN entries are skipped). Divides only when
/// an entry exceeds the running maximum (|e_k| > m·weight(k)).
pub(crate) fn weighted_max_norm(e: &[f64], weight: impl Fn(usize) -> f64) -> f64 {
    let mut m = 0.0f64;
    for (k, ek) in e.iter().enumerate() {
        let (a, w) = (ek.abs(), weight(k));
        if a > m * w {
            m = m.max(a / w);
        }
    }
    if m.is_finite() {
        m
    } else {
        f64::INFINITY
    }
}

/// Constants of the step-size controller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ControllerOptions {
    /// Safety factor s of h·s·err^(−1/3) [1].
    pub safety: f64,
    /// Largest growth factor after an accepted step [1].
    pub max_growth: f64,
    /// Largest factor after a rejected step [1] (the smallest factor is always 0.2).
    pub max_shrink: f64,
    /// Limit the growth by Gustafsson's predictive controller (follows a steadily growing error).
    pub predictive: bool,
    /// No growth on the step after a rejection (avoids reject/accept cycles).
    pub hold_after_rejection: bool,
    /// Factor after a failed stage solve (Newton) [1].
    pub failure_shrink: f64,
}

impl ControllerOptions {
    /// The symmetric cell: a linear (or Picard-converged) tridiagonal problem whose error varies
    /// smoothly, so the classic controller with growth up to 4 (fewest steps over the long rests and
    /// half-cycles of a 1000-cycle run); stage solves do not fail.
    pub const SYMMETRIC: ControllerOptions = ControllerOptions {
        safety: 0.9,
        max_growth: 4.0,
        max_shrink: 0.5,
        predictive: false,
        hold_after_rejection: false,
        failure_shrink: 0.5,
    };
    /// The DFN: Newton with a reused Jacobian converges only near the last step's size, and the error
    /// grows steeply towards electrolyte depletion and the end of discharge, so a cautious safety
    /// factor, growth ≤ 2, the predictive controller and no growth right after a rejection.
    pub const DFN: ControllerOptions = ControllerOptions {
        safety: 0.85,
        max_growth: 2.0,
        max_shrink: 0.9,
        predictive: true,
        hold_after_rejection: true,
        failure_shrink: 0.25,
    };
}

/// The step-size controller: the next step size from the error of the last attempt.
#[derive(Debug, Clone)]
pub(crate) struct Controller {
    options: ControllerOptions,
    /// Size and error of the last accepted step (predictive controller).
    previous: Option<(f64, f64)>,
    just_rejected: bool,
}

impl Controller {
    /// A controller with no history.
    pub fn new(options: ControllerOptions) -> Self {
        Controller { options, previous: None, just_rejected: false }
    }

    /// Factor for the next step after a step of size `h` was accepted with error `err` (≤ 1).
    pub fn accepted(&mut self, h: f64, err: f64) -> f64 {
        let o = &self.options;
        let err = err.max(ERROR_FLOOR);
        let mut factor = (o.safety * err.powf(-1.0 / 3.0)).clamp(0.2, o.max_growth);
        if o.predictive {
            if let Some((h_prev, err_prev)) = self.previous {
                let predictive = o.safety * (h / h_prev) * (err_prev / (err * err)).powf(1.0 / 3.0);
                factor = factor.min(predictive.max(0.2));
            }
            self.previous = Some((h, err));
        }
        if o.hold_after_rejection && self.just_rejected {
            factor = factor.min(1.0);
        }
        self.just_rejected = false;
        factor
    }

    /// Factor for the retry after a step was rejected with error `err` (> 1, or ∞).
    pub fn rejected(&mut self, err: f64) -> f64 {
        self.just_rejected = true;
        (self.options.safety * err.max(ERROR_FLOOR).powf(-1.0 / 3.0)).clamp(0.2, self.options.max_shrink)
    }

    /// Factor for the retry after a stage solve failed.
    pub fn failed(&self) -> f64 {
        self.options.failure_shrink
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// y' = λ y (scalar, M = 1): the stages are solved exactly.
    struct Linear(f64);

    impl Stages for Linear {
        type Failure = ();
        fn rates(&mut self, _node: Node, y: &[f64], out: &mut [f64]) {
            out[0] = self.0 * y[0];
        }
        fn solve(&mut self, input: StageInput<'_>, out: &mut [f64]) -> Result<(), ()> {
            out[0] = input.psi[0] / (1.0 - D_WEIGHT * input.h * self.0);
            Ok(())
        }
        fn error_norm(&mut self, _h: f64, raw: &mut [f64], _y_new: &[f64]) -> f64 {
            weighted_max_norm(raw, |_| 1.0)
        }
    }

    #[test]
    fn second_order_on_a_linear_decay_and_l_stable() {
        let mut scheme = TrBdf2::new(1);
        let mut model = Linear(-1.0);
        let err_at = |n: u32, scheme: &mut TrBdf2, model: &mut Linear| {
            let (mut y, h) = ([1.0], 1.0 / n as f64);
            let mut out = [0.0];
            for _ in 0..n {
                scheme.step(model, &y, h, &mut out).unwrap();
                y = out;
            }
            (y[0] - (-1.0f64).exp()).abs()
        };
        let (e1, e2) = (err_at(20, &mut scheme, &mut model), err_at(40, &mut scheme, &mut model));
        // Second order: halving h divides the error by 4 (the h³ term of the next order shifts it by ~1 %).
        let order = (e1 / e2).log2();
        assert!((order - 2.0).abs() < 0.05, "order {order}");
        // L-stability: a very stiff mode is damped to (almost) nothing in one step, R(∞) = 0.
        let mut stiff = Linear(-1e12);
        let mut out = [0.0];
        scheme.step(&mut stiff, &[1.0], 1.0, &mut out).unwrap();
        assert!(out[0].abs() < 1e-10, "{}", out[0]);
    }

    #[test]
    fn the_error_estimate_follows_h_cubed() {
        let mut scheme = TrBdf2::new(1);
        let mut model = Linear(-1.0);
        let mut out = [0.0];
        let mut est = |h: f64| {
            scheme.step(&mut model, &[1.0], h, &mut out).unwrap();
            scheme.error(&mut model, h, &out)
        };
        let (a, b) = (est(0.01), est(0.005));
        // C h³ y''': halving h divides the estimate by 8 (to O(h) relative).
        assert!((a / b - 8.0).abs() < 0.1, "{}", a / b);
    }

    #[test]
    fn controller_limits_growth_and_shrink() {
        let mut c = Controller::new(ControllerOptions::SYMMETRIC);
        assert_eq!(c.accepted(1.0, 0.0), 4.0);
        assert_eq!(c.rejected(1e6), 0.2);
        assert_eq!(c.rejected(1.5), 0.5);
        let mut d = Controller::new(ControllerOptions::DFN);
        assert_eq!(d.accepted(1.0, 0.0), 2.0);
        let mut d = Controller::new(ControllerOptions::DFN);
        d.rejected(2.0);
        // Held at 1 right after a rejection.
        assert_eq!(d.accepted(1.0, 0.125), 1.0);
        // The predictive controller follows an error growing ×8 per step of equal size: the classic
        // factor s·1^(−1/3) = 0.85 is cut by (1/8)^(1/3) to 0.425.
        let f = d.accepted(1.0, 1.0);
        assert!((f - 0.425).abs() < 1e-12, "{f}");
        assert_eq!(d.failed(), 0.25);
    }
}
