//! The symmetric cell's side of a TR-BDF2 step ([`crate::solver::tr_bdf2`]), for current or voltage
//! control: the finite-volume right-hand side R(y, J), the stage solves `y − d h R(y, J) = ψ` (one
//! matrix I − d h M for both stages) and the filtered error estimate.
//!
//! Under voltage control J is an algebraic unknown solved at each stage from U(y, J) = U_set
//! (stiffly accurate, so the DAE is handled like the ODE); the integrator keeps J at the three nodes
//! of the step.

use super::cell::SymmetricCell;
use super::fv::Mesh;
use super::protocol::Control;
use crate::solver::tr_bdf2::{weighted_max_norm, Node, Stage, StageInput, Stages, TrBdf2, D_WEIGHT, GAMMA};

/// The discretised cell with its scratch space.
#[derive(Debug, Clone)]
pub(crate) struct Integrator<'a> {
    /// The cell.
    pub cell: &'a SymmetricCell,
    /// The finite-volume mesh.
    pub mesh: Mesh,
    scheme: TrBdf2,
    /// Current density at the start, the TR-stage end and the end of the present step [A/m²].
    j: [f64; 3],
    /// Control at the TR-stage end and at the step end.
    controls: [Control; 2],
    /// Film resistance at the TR-stage end and at the step end [Ω·m²].
    films: [f64; 2],
    /// Absolute error tolerance [mol/m³].
    atol: f64,
    /// Relative error tolerance [1].
    rtol: f64,
    est: Vec<f64>,
    y_trial: Vec<f64>,
    /// Count of implicit (tridiagonal) solves, for statistics.
    pub solves: u64,
}

impl<'a> Integrator<'a> {
    /// An integrator for `cell` on `cells` finite volumes with error tolerances `atol` [mol/m³] and
    /// `rtol` [1].
    pub fn new(cell: &'a SymmetricCell, cells: usize, atol: f64, rtol: f64) -> Self {
        Self {
            cell,
            mesh: Mesh::new(
                cells,
                cell.thickness,
                &*cell.transport,
                cell.temperature,
                cell.initial_concentration,
            ),
            scheme: TrBdf2::new(cells),
            j: [0.0; 3],
            controls: [Control::Current(0.0); 2],
            films: [0.0; 2],
            atol,
            rtol,
            est: vec![0.0; cells],
            y_trial: vec![0.0; cells],
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
        self.j = [j, j, j];
        self.controls = [control.at(offset + GAMMA * h), control.at(offset + h)];
        self.films = [r_film(GAMMA * h), r_film(h)];
        let mut scheme = std::mem::take(&mut self.scheme);
        match scheme.step(self, y, h, out) {
            Ok(()) => {}
            Err(never) => match never {},
        }
        self.scheme = scheme;
        self.j[2]
    }

    /// Weighted error norm of the step just taken by [`Integrator::step`] (size `h`, ending at
    /// `y_new`): max_i est_i/(atol + rtol|y_i|), ≤ 1 is acceptable.
    pub fn error(&mut self, h: f64, y_new: &[f64]) -> f64 {
        let mut scheme = std::mem::take(&mut self.scheme);
        let err = scheme.error(self, h, y_new);
        self.scheme = scheme;
        err
    }
}

impl Stages for Integrator<'_> {
    /// The stage solves cannot fail (a depleted face shows as a non-finite state).
    type Failure = std::convert::Infallible;

    fn rates(&mut self, node: Node, y: &[f64], out: &mut [f64]) {
        let j = self.j[node as usize];
        let tr = &*self.cell.transport;
        self.mesh.residual(tr, y, j, self.cell.temperature, out);
    }

    /// `out − d h R(out, J) = ψ` under the stage's control; J from U(out, J) = U_set by a monotone
    /// root search under voltage control.
    fn solve(&mut self, input: StageInput<'_>, out: &mut [f64]) -> Result<(), Self::Failure> {
        let (k, guess) = match input.stage {
            Stage::Trapezoidal => (0, input.y_n),
            Stage::Bdf2 => (1, input.y_gamma),
        };
        let (a_h, j_guess, r_film) = (D_WEIGHT * input.h, self.j[k], self.films[k]);
        let temperature = self.cell.temperature;
        let tr = &*self.cell.transport;
        let j = match self.controls[k] {
            Control::Current(j) => {
                self.mesh.implicit_solve(tr, guess, input.psi, a_h, j, temperature, out);
                self.solves += 1;
                j
            }
            Control::Voltage(u) | Control::VoltageSweep { start: u, .. } => {
                let scale = self.current_scale(u);
                let mut mesh = self.mesh.clone();
                let cell = self.cell;
                let mut solves = 0u64;
                let y = &mut self.y_trial;
                let j = solve_monotone(
                    |j| {
                        mesh.implicit_solve(tr, guess, input.psi, a_h, j, temperature, y);
                        solves += 1;
                        let faces = mesh.faces(tr, y, j, temperature);
                        cell.voltage(faces, y, j, r_film).voltage - u
                    },
                    j_guess,
                    scale,
                );
                self.mesh.implicit_solve(tr, guess, input.psi, a_h, j, temperature, out);
                self.solves += solves + 1;
                j
            }
        };
        self.j[k + 1] = j;
        Ok(())
    }

    /// Shampine's filter (I − d h M)⁻¹ (one more tridiagonal solve), then the weighted max norm.
    fn error_norm(&mut self, h: f64, raw: &mut [f64], y_new: &[f64]) -> f64 {
        let tr = &*self.cell.transport;
        self.mesh.filter(tr, y_new, D_WEIGHT * h, self.j[2], self.cell.temperature, raw, &mut self.est);
        self.solves += 1;
        let (atol, rtol) = (self.atol, self.rtol);
        weighted_max_norm(&self.est, |i| atol + rtol * y_new[i].abs())
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
