//! One TR-BDF2 step of the discretised cell, for current or voltage control.
//!
//! TR-BDF2 (Bank et al., IEEE Trans. Electron Devices 32 (1985) 1992, doi:10.1109/T-ED.1985.22232;
//! Hosea & Shampine, Appl. Numer. Math. 20 (1996) 21, doi:10.1016/0168-9274(95)00115-8) with
//! γ = 2 − √2, d = γ/2:
//!
//! ```text
//! TR stage:    y_γ − d h R(y_γ, J_γ) = y_n + d h R(y_n, J_n)
//! BDF2 stage:  y₊ − d h R(y₊, J₊)   = y_γ + w (y_γ − y_n),   w = (1 − γ)²/(γ(2 − γ))
//! ```
//!
//! Both stages have the same matrix I − d h M. Under voltage control J is an algebraic unknown
//! solved at each stage from U(y, J) = U_set (stiffly accurate, so the DAE is handled like the ODE).

use super::cell::SymmetricCell;
use super::fv::Mesh;
use super::protocol::Control;

/// γ = 2 − √2.
const GAMMA: f64 = 2.0 - std::f64::consts::SQRT_2;
/// d = γ/2, the implicit weight of both stages.
const D_WEIGHT: f64 = GAMMA / 2.0;
/// w = (1 − γ)²/(γ(2 − γ)).
const W_EXTRAP: f64 = (1.0 - GAMMA) * (1.0 - GAMMA) / (GAMMA * (2.0 - GAMMA));
/// Error constant of TR-BDF2, LTE = C h³ y''' with C = (−3γ² + 4γ − 2)/(12(2 − γ)) (Bank et al. 1985).
const ERROR_CONSTANT: f64 = (-3.0 * GAMMA * GAMMA + 4.0 * GAMMA - 2.0) / (12.0 * (2.0 - GAMMA));

/// The discretised cell with its scratch space.
#[derive(Debug, Clone)]
pub(crate) struct Integrator<'a> {
    /// The cell.
    pub cell: &'a SymmetricCell,
    /// The finite-volume mesh.
    pub mesh: Mesh,
    residual: Vec<f64>,
    rhs: Vec<f64>,
    stage: Vec<f64>,
    j_gamma: f64,
    f_gamma: Vec<f64>,
    f_new: Vec<f64>,
    raw: Vec<f64>,
    /// Count of implicit (tridiagonal) solves, for statistics.
    pub solves: u64,
}

impl<'a> Integrator<'a> {
    /// An integrator for `cell` on `cells` finite volumes.
    pub fn new(cell: &'a SymmetricCell, cells: usize) -> Self {
        Self {
            cell,
            mesh: Mesh::new(
                cells,
                cell.thickness,
                &*cell.transport,
                cell.temperature,
                cell.initial_concentration,
            ),
            residual: vec![0.0; cells],
            rhs: vec![0.0; cells],
            stage: vec![0.0; cells],
            j_gamma: 0.0,
            f_gamma: vec![0.0; cells],
            f_new: vec![0.0; cells],
            raw: vec![0.0; cells],
            solves: 0,
        }
    }

    /// Cell voltage of profile `y` at current density `j` and film resistance `r_film` [V].
    pub fn voltage(&self, y: &[f64], j: f64, r_film: f64) -> super::cell::VoltageBreakdown {
        let faces = self.mesh.faces(&*self.cell.transport, y, j, self.cell.temperature);
        self.cell.voltage(faces, y, j, r_film)
    }

    /// Face concentrations of `y` at current density `j` [mol/m³].
    pub fn faces(&self, y: &[f64], j: f64) -> (f64, f64) {
        self.mesh.faces(&*self.cell.transport, y, j, self.cell.temperature)
    }

    /// The current density consistent with profile `y` under `control` at film resistance `r_film`:
    /// the set current, or the J that gives U(y, J) = U_set [A/m²].
    pub fn consistent_current(&self, y: &[f64], control: Control, j_guess: f64, r_film: f64) -> f64 {
        match control.at(0.0) {
            Control::Current(j) => j,
            Control::Voltage(u) | Control::VoltageSweep { start: u, .. } => {
                let scale = self.current_scale(u);
                solve_monotone(|j| self.voltage(y, j, r_film).voltage - u, j_guess, scale)
            }
        }
    }

    /// A current-density scale for the root finder: U over the small-signal resistance [A/m²].
    fn current_scale(&self, u: f64) -> f64 {
        let c = self.cell;
        let r = c.thickness / c.conductivity()
            + 2.0 * c.kinetics.charge_transfer_resistance(c.initial_concentration, c.temperature);
        (u.abs() / r).max(1e-6 * c.exchange_current_density())
    }

    /// One implicit stage `out − a_h R(out, J) = rhs` under `control`; returns J.
    fn stage_solve(
        &mut self,
        guess: &[f64],
        a_h: f64,
        control: Control,
        j_guess: f64,
        r_film: f64,
        out: &mut [f64],
    ) -> f64 {
        let temperature = self.cell.temperature;
        let tr = self.cell.transport.clone();
        match control {
            Control::Current(j) => {
                self.mesh.implicit_solve(&*tr, guess, &self.rhs, a_h, j, temperature, out);
                self.solves += 1;
                j
            }
            Control::Voltage(u) | Control::VoltageSweep { start: u, .. } => {
                let scale = self.current_scale(u);
                let rhs = self.rhs.clone();
                let mut mesh = self.mesh.clone();
                let cell = self.cell;
                let mut solves = 0u64;
                let mut y = vec![0.0; out.len()];
                let j = solve_monotone(
                    |j| {
                        mesh.implicit_solve(&*tr, guess, &rhs, a_h, j, temperature, &mut y);
                        solves += 1;
                        let faces = mesh.faces(&*tr, &y, j, temperature);
                        cell.voltage(faces, &y, j, r_film).voltage - u
                    },
                    j_guess,
                    scale,
                );
                self.mesh.implicit_solve(&*tr, guess, &self.rhs, a_h, j, temperature, out);
                self.solves += solves + 1;
                j
            }
        }
    }

    /// One TR-BDF2 step of size `h` from (`y`, `j`) into `out`; returns the new J. `offset` is the
    /// time into the segment at the step start [s] (for sweeps); `r_film` gives the film resistance
    /// at a time offset within the step [Ω·m²].
    #[allow(clippy::too_many_arguments)]
    pub fn step(
        &mut self,
        y: &[f64],
        j: f64,
        h: f64,
        control: Control,
        offset: f64,
        r_film: &dyn Fn(f64) -> f64,
        out: &mut [f64],
    ) -> f64 {
        let temperature = self.cell.temperature;
        let tr = self.cell.transport.clone();
        // TR stage.
        self.mesh.residual(&*tr, y, j, temperature, &mut self.residual);
        for ((r, yi), res) in self.rhs.iter_mut().zip(y).zip(&self.residual) {
            *r = yi + D_WEIGHT * h * res;
        }
        let mut stage = std::mem::take(&mut self.stage);
        let j_gamma = self.stage_solve(
            y,
            D_WEIGHT * h,
            control.at(offset + GAMMA * h),
            j,
            r_film(GAMMA * h),
            &mut stage,
        );
        // BDF2 stage.
        for ((r, s), yi) in self.rhs.iter_mut().zip(&stage).zip(y) {
            *r = s + W_EXTRAP * (s - yi);
        }
        let j_new = self.stage_solve(&stage, D_WEIGHT * h, control.at(offset + h), j_gamma, r_film(h), out);
        self.stage = stage;
        self.j_gamma = j_gamma;
        j_new
    }

    /// Local error estimate of the step just taken by [`Integrator::step`] from `y` (size `h`,
    /// ending at `y_new`, `j_new`) into `est` [mol/m³].
    ///
    /// h³y''' from the quadratic through f_n, f_γ, f₊ (at 0, γh, h), times the error constant C, then
    /// filtered by (I − d h M)⁻¹ so that stiff, well-damped components are not over-estimated
    /// (Shampine's filter, as in Hosea & Shampine 1996).
    pub fn error_estimate(&mut self, h: f64, y_new: &[f64], j_new: f64, est: &mut [f64]) {
        let temperature = self.cell.temperature;
        let tr = self.cell.transport.clone();
        self.mesh.residual(&*tr, &self.stage, self.j_gamma, temperature, &mut self.f_gamma);
        self.mesh.residual(&*tr, y_new, j_new, temperature, &mut self.f_new);
        for i in 0..self.raw.len() {
            let (f0, fg, f1) = (self.residual[i], self.f_gamma[i], self.f_new[i]);
            self.raw[i] = ERROR_CONSTANT * 2.0 * h * ((f1 - fg) / (1.0 - GAMMA) - (fg - f0) / GAMMA);
        }
        self.mesh.filter(&*tr, y_new, D_WEIGHT * h, j_new, temperature, &self.raw, est);
        self.solves += 1;
    }
}

/// Root of a monotone increasing function `g` of the current density: expands a bracket from
/// `guess` in steps growing ×2 from `scale`, then Illinois regula falsi to |ΔJ| ≤ 1e-13·(|J| + scale).
/// ±∞ values (a depleted face) are fine inside the bracket search.
pub(crate) fn solve_monotone(mut g: impl FnMut(f64) -> f64, guess: f64, scale: f64) -> f64 {
    let mut a = guess;
    let mut ga = g(a);
    if ga == 0.0 {
        return a;
    }
    // Walk towards the root until the sign changes.
    let dir = if ga > 0.0 { -1.0 } else { 1.0 };
    let mut step = scale;
    let mut b = a + dir * step;
    let mut gb = g(b);
    let mut expansions = 0;
    while gb.signum() == ga.signum() && gb != 0.0 && expansions < 200 {
        a = b;
        ga = gb;
        step *= 2.0;
        b = a + dir * step;
        gb = g(b);
        expansions += 1;
    }
    if gb == 0.0 {
        return b;
    }
    let tol = 1e-13;
    let mut side = 0;
    for _ in 0..300 {
        let width = (b - a).abs();
        if width <= tol * (a.abs().max(b.abs()) + scale) {
            break;
        }
        let x = if ga.is_finite() && gb.is_finite() {
            let s = b - gb * (b - a) / (gb - ga);
            if s.is_finite() && (s - a) * (s - b) < 0.0 {
                s
            } else {
                0.5 * (a + b)
            }
        } else {
            0.5 * (a + b)
        };
        let gx = g(x);
        if gx == 0.0 {
            return x;
        }
        if gx.signum() == gb.signum() {
            b = x;
            gb = gx;
            if side == -1 {
                ga *= 0.5;
            }
            side = -1;
        } else {
            a = x;
            ga = gx;
            if side == 1 {
                gb *= 0.5;
            }
            side = 1;
        }
    }
    if ga.abs() < gb.abs() {
        a
    } else {
        b
    }
}
