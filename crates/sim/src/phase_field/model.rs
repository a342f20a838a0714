//! The model ([`PhaseField`]): built once from [`Parameters`] and a [`Setup`], immutable, stepping
//! a caller-owned [`State`]. One step: (1) Allen-Cahn and Butler-Volmer coefficients, (2) the metal
//! potential from the current (galvanostatic: a scalar Newton solve makes nFc_s Σ∂_tξ dA/width
//! equal the current exactly) or given, (3) ξ and (4) c̃ in one fused pass (explicit diffusion) or ξ
//! then implicit diffusion,
//! (5) the potential by multigrid, (6) the short-circuit check.

use std::ops::ControlFlow;

use spelab_core::constants::FARADAY;

use super::kernels::{self, Coefficients, FarInflow};
use super::sei::{cell_conductivity, reaction_map};
use super::state::State;
use super::{Control, FarBoundary, Parameters, PhaseFieldError, Setup, SideWalls, Transport};

/// Largest |fφ_s| the controller searches (|φ_s| ≈ 5 V at 298 K) [1].
const S_LIMIT: f64 = 200.0;

/// Progress reported to an observer after each step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Simulated time [s].
    pub time: f64,
    /// Time the run is heading for [s].
    pub end_time: f64,
    /// Steps taken.
    pub steps: u64,
    /// Metal potential [V].
    pub metal_potential: f64,
}

/// How a run ended (data, not an error).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Termination {
    /// Reached the end time.
    EndTime,
    /// A short circuit at this time [s].
    ShortCircuit(f64),
    /// The interface can no longer carry the current (no reacting cell or no Li⁺ left) [s].
    Depleted(f64),
    /// The observer asked to stop.
    Stopped,
}

/// The phase-field model.
#[derive(Debug, Clone)]
pub struct PhaseField {
    params: Parameters,
    setup: Setup,
    k: Coefficients,
    l_eta: Vec<f64>,
    short_column: usize,
}

impl PhaseField {
    /// Validates and builds the model.
    pub fn new(params: Parameters, setup: Setup) -> Result<Self, PhaseFieldError> {
        params.validate()?;
        setup.validate()?;
        if setup.implicit_diffusion && params.transport == Transport::Chen2015 {
            return Err(PhaseFieldError::Unsupported(
                "implicit diffusion with the Chen 2015 transport (migration)",
            ));
        }
        let t = params.transference_number;
        let ratio = params.site_density / params.bulk_concentration;
        let th0 = 4.0 * params.anisotropy_angle;
        let k = Coefficients {
            dx: setup.grid.spacing,
            l_sigma: params.interface_mobility,
            w: params.well_height(),
            kappa0: params.gradient_coefficient(),
            delta: params.anisotropy_strength,
            cos4: th0.cos(),
            sin4: th0.sin(),
            alpha: params.transfer_coefficient,
            f: params.f(),
            chen: params.transport == Transport::Chen2015,
            noise: params.noise_amplitude,
            seed: setup.seed,
            diffusivity: params.transport_diffusivity(),
            sink: match params.transport {
                Transport::Electroneutral => (1.0 - t) * ratio,
                Transport::Chen2015 => ratio,
            },
            reaction: setup.reaction,
        };
        let l_eta = reaction_map(&params, &setup.grid, setup.seed);
        let short_column = ((setup.short_plane / setup.grid.spacing) as usize).min(setup.grid.nx - 1);
        Ok(Self { params, setup, k, l_eta, short_column })
    }

    /// The physical parameters.
    pub fn parameters(&self) -> &Parameters {
        &self.params
    }

    /// The setup.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// L_η of each row (the SEI map) [1/s].
    pub fn reaction_coefficients(&self) -> &[f64] {
        &self.l_eta
    }

    /// The initial state.
    pub fn initial_state(&self) -> State {
        State::initial(&self.setup, self.params.interface_width)
    }

    /// The stable explicit time step for `state` (phasefield.md §3): ξ Jacobian bound
    /// L_σ(2W + 8κ₀(1 + 5δ)/dx²) + 5.77·(Butler-Volmer stiffness), dx²/(4D) for explicit diffusion
    /// (×(1 + f max|Δφ|) with migration), times the safety factor [s].
    pub fn time_step(&self, state: &State) -> f64 {
        let (p, k) = (&self.params, &self.k);
        let dx2 = k.dx * k.dx;
        let stiff = if state.work.stiffness > 0.0 {
            state.work.stiffness
        } else {
            let j = match self.setup.control {
                Control::Galvanostatic { current_density } => current_density.abs(),
                Control::Potentiostatic { metal_potential } => {
                    p.apparent_exchange_current_density() * (k.f * metal_potential.abs()).exp()
                }
            };
            let max_l = self.l_eta.iter().fold(0.0f64, |a, &b| a.max(b));
            max_l
                * (2.0 + 2.0 * j / p.apparent_exchange_current_density().max(1e-300))
                * (1.0 + 3.0 * k.noise)
        };
        let stiff = if self.setup.reaction { stiff } else { 0.0 };
        let lam = k.l_sigma * (2.0 * k.w + 8.0 * k.kappa0 * (1.0 + 5.0 * k.delta) / dx2) + 5.77 * stiff;
        let mut dt = 2.0 / lam;
        if self.setup.transport && !self.setup.implicit_diffusion {
            let mut pe = 0.0;
            if k.chen {
                pe = k.f * max_jump(&state.potential, &self.setup);
            }
            dt = dt.min(dx2 / (4.0 * k.diffusivity * (1.0 + pe)));
        }
        // Accuracy: ξ changes by at most 0.1 per step (the potential and c̃ are lagged by one step).
        let r = state.work.max_rate;
        if r > 0.0 {
            dt = dt.min(0.1 / r);
        }
        (self.setup.time_step_safety * dt).min(self.setup.max_time_step)
    }

    /// One step of the automatic size.
    pub fn step(&self, state: &mut State) -> Result<(), PhaseFieldError> {
        let dt = self.time_step(state);
        self.step_by(state, dt)
    }

    /// One step of size `dt` (at most the stable step; larger values are cut to it) [s].
    pub fn step_by(&self, state: &mut State, dt: f64) -> Result<(), PhaseFieldError> {
        let dt = dt.min(self.time_step(state));
        if !(dt > 0.0 && dt.is_finite()) {
            return Err(PhaseFieldError::Invalid {
                name: "time step",
                value: dt,
                expected: "> 0 and finite",
            });
        }
        let g = &self.setup.grid;
        let n = g.len();
        let w = &mut state.work;
        for v in [&mut w.ac, &mut w.a, &mut w.c, &mut w.xi_new, &mut w.c_new, &mut w.rhs] {
            v.resize(n, 0.0);
        }
        w.spans.resize(g.ny, kernels::RowSpan::default());
        let sums = kernels::reaction_terms(
            &self.k,
            g,
            &self.l_eta,
            &state.phase,
            &state.concentration,
            &state.potential,
            state.steps,
            &mut w.spans,
            &mut w.ac,
            &mut w.a,
            &mut w.c,
        );
        let dx = g.spacing;
        let f = self.k.f;
        let s = match self.setup.control {
            Control::Potentiostatic { metal_potential } => f * metal_potential,
            Control::Galvanostatic { current_density } => {
                let leak =
                    self.params.electronic_conductivity * (-state.metal_potential) / self.params.thickness;
                let j_dep = current_density - leak;
                let target = j_dep * g.ny as f64 / (FARADAY * self.params.site_density * dx) - sums.ac;
                solve_metal_potential(sums.a, sums.c, target, self.k.alpha, f * state.metal_potential)
                    .ok_or(PhaseFieldError::Depleted { time: state.time })?
            }
        };
        state.metal_potential = s / f;
        // ξ, and c̃ in the same pass when its diffusion is explicit; the counter-electrode inflow
        // needs this step's deposition current, so its column is finished after the pass.
        let explicit_transport = self.setup.transport && !self.setup.implicit_diffusion;
        let re = kernels::Reaction { s, dt, spans: &w.spans, xi: &state.phase, ac: &w.ac, a: &w.a, c: &w.c };
        let st = if explicit_transport {
            let far = match self.setup.far_boundary {
                FarBoundary::Reservoir => Some(FarInflow::Reservoir),
                FarBoundary::Closed => Some(FarInflow::Closed),
                FarBoundary::CounterElectrode => None,
            };
            let tr = kernels::Transport { far, conc: &state.concentration, phi: &state.potential };
            kernels::update_cells(&self.k, g, &re, &tr, &mut w.xi_new, &mut state.rate, &mut w.c_new)
        } else {
            kernels::update_phase(&self.k, g, &re, &mut w.xi_new, &mut state.rate)
        };
        w.stiffness = st.stiffness;
        w.max_rate = st.max_rate;
        let d = &mut state.diagnostics;
        d.max_phase_overshoot = d.max_phase_overshoot.max(st.overshoot);
        d.max_reaction_stiffness = d.max_reaction_stiffness.max(st.stiffness);
        d.last_time_step = dt;
        d.negative_concentration_cells += st.negative;
        let j_dep = FARADAY * self.params.site_density * st.delta * dx / (g.ny as f64 * dt);
        state.deposited_charge += FARADAY * self.params.site_density * st.delta * dx / g.ny as f64;
        if self.setup.transport {
            let far = match self.setup.far_boundary {
                FarBoundary::Reservoir => FarInflow::Reservoir,
                FarBoundary::Closed => FarInflow::Closed,
                FarBoundary::CounterElectrode => {
                    let share = if self.k.chen { 1.0 } else { 1.0 - self.params.transference_number };
                    FarInflow::Flux(share * j_dep / (FARADAY * self.params.bulk_concentration))
                }
            };
            if self.setup.implicit_diffusion {
                self.implicit_concentration(state, far, dt);
            } else {
                let w = &mut state.work;
                if let FarInflow::Flux(u) = far {
                    let neg = kernels::add_far_inflow(g.nx, &self.k, dt, u, &mut w.c_new);
                    state.diagnostics.negative_concentration_cells += neg;
                }
                std::mem::swap(&mut state.concentration, &mut w.c_new);
            }
        }
        std::mem::swap(&mut state.phase, &mut state.work.xi_new);
        state.time += dt;
        state.steps += 1;
        if self.setup.transport && state.steps.is_multiple_of(self.setup.potential_interval as u64) {
            self.solve_potential(state);
        }
        if state.short_circuit_time.is_none() {
            let c = self.short_column;
            if (0..g.ny).any(|j| state.phase[j * g.nx + c] > 0.5) {
                state.short_circuit_time = Some(state.time);
            }
        }
        Ok(())
    }

    /// Steps until `end_time` (the last step lands on it), a short (when the setup stops there), or
    /// the observer breaks; the observer sees every step.
    pub fn advance(
        &self,
        state: &mut State,
        end_time: f64,
        mut observer: impl FnMut(&Progress) -> ControlFlow<()>,
    ) -> Result<Termination, PhaseFieldError> {
        while state.time < end_time * (1.0 - 1e-15) {
            if self.setup.stop_at_short {
                if let Some(t) = state.short_circuit_time {
                    return Ok(Termination::ShortCircuit(t));
                }
            }
            match self.step_by(state, end_time - state.time) {
                Ok(()) => {}
                Err(PhaseFieldError::Depleted { time }) => return Ok(Termination::Depleted(time)),
                Err(e) => return Err(e),
            }
            let p = Progress {
                time: state.time,
                end_time,
                steps: state.steps,
                metal_potential: state.metal_potential,
            };
            if observer(&p).is_break() {
                return Ok(Termination::Stopped);
            }
        }
        match state.short_circuit_time {
            Some(t) if self.setup.stop_at_short => Ok(Termination::ShortCircuit(t)),
            _ => Ok(Termination::EndTime),
        }
    }

    /// 2(1 − t₊)RT/F of the diffusion potential (0 in the Chen form) [V].
    fn diffusion_potential_factor(&self) -> f64 {
        if self.k.chen {
            0.0
        } else {
            2.0 * (1.0 - self.params.transference_number) / self.k.f
        }
    }

    /// ln c̃ at the far plane, or `None` when it equals the cell's (zero gradient).
    fn far_log_concentration(&self) -> Option<f64> {
        (self.setup.far_boundary == FarBoundary::Reservoir).then_some(0.0)
    }

    /// Solves ∇·(σ∇φ) = nFc_s∂_tξ + ∇·(σ k_d ∇ln c̃) with φ = 0 at the far plane.
    fn solve_potential(&self, state: &mut State) {
        let g = &self.setup.grid;
        let (nx, ny) = (g.nx, g.ny);
        let periodic = g.side_walls == SideWalls::Periodic;
        let sigma: Vec<f64> = state.phase.iter().map(|&x| cell_conductivity(&self.params, x)).collect();
        let lc: Vec<f64> = state.concentration.iter().map(|&c| c.max(1e-8).ln()).collect();
        let kd = self.diffusion_potential_factor();
        let far_lc = self.far_log_concentration();
        let w = &mut state.work;
        let op = w.mg.fine_mut(nx, ny, periodic);
        fill_faces(op, &sigma, nx, ny, periodic);
        for j in 0..ny {
            op.gx[j * (nx + 1) + nx] = 2.0 * sigma[j * nx + nx - 1];
        }
        let src = FARADAY * self.params.site_density * g.spacing * g.spacing;
        for j in 0..ny {
            for i in 0..nx {
                let p = j * nx + i;
                let mut b = -src * state.rate[p];
                if kd != 0.0 {
                    let (ge, gw) = (op.gx[j * (nx + 1) + i + 1], op.gx[j * (nx + 1) + i]);
                    let (gs, gn) = (op.gy[j * nx + i], op.gy[(j + 1) * nx + i]);
                    let (jb, ja) = g.neighbour_rows(j);
                    let e = if i + 1 < nx { lc[p + 1] } else { far_lc.unwrap_or(lc[p]) };
                    let wv = if i > 0 { lc[p - 1] } else { lc[p] };
                    b -= kd
                        * ((ge * (e - lc[p]) + gw * (wv - lc[p]))
                            + (gs * (lc[jb * nx + i] - lc[p]) + gn * (lc[ja * nx + i] - lc[p])));
                }
                w.rhs[p] = b;
            }
        }
        let rep = w.mg.solve(&mut state.potential, &w.rhs, self.setup.potential_tolerance, 200);
        let d = &mut state.diagnostics;
        d.potential_solves += 1;
        d.potential_iterations += rep.iterations as u64;
        d.worst_potential_residual = d.worst_potential_residual.max(rep.relative_residual);
        if !rep.converged {
            d.potential_unconverged += 1;
        }
    }

    /// Backward-Euler salt diffusion (electroneutral form) with the deposition sink and far inflow.
    fn implicit_concentration(&self, state: &mut State, far: FarInflow, dt: f64) {
        let g = &self.setup.grid;
        let (nx, ny) = (g.nx, g.ny);
        let periodic = g.side_walls == SideWalls::Periodic;
        let dcell: Vec<f64> =
            state.phase.iter().map(|&x| self.k.diffusivity * (1.0 - kernels::interpolation(x))).collect();
        let dx = g.spacing;
        let w = &mut state.work;
        let op = w.mg.fine_mut(nx, ny, periodic);
        fill_faces(op, &dcell, nx, ny, periodic);
        op.diag.iter_mut().for_each(|v| *v = dx * dx / dt);
        for (p, b) in w.rhs.iter_mut().enumerate() {
            *b = dx * dx / dt * (state.concentration[p] - self.k.sink * (w.xi_new[p] - state.phase[p]));
        }
        for j in 0..ny {
            let p = j * nx + nx - 1;
            match far {
                FarInflow::Reservoir => {
                    op.gx[j * (nx + 1) + nx] = 2.0 * dcell[p];
                    w.rhs[p] += 2.0 * dcell[p];
                }
                FarInflow::Closed => {}
                FarInflow::Flux(u) => w.rhs[p] += u * dx,
            }
        }
        let rep = w.mg.solve(&mut state.concentration, &w.rhs, 1e-13, 200);
        if !rep.converged {
            state.diagnostics.potential_unconverged += 1;
        }
    }

    /// Ionic current density through the far plane, positive toward the electrode (equals the
    /// deposition current density nFc_s Σ∂_tξ dA/width to the potential tolerance) [A/m²].
    pub fn far_plane_current_density(&self, state: &State) -> f64 {
        let g = &self.setup.grid;
        let (nx, ny) = (g.nx, g.ny);
        let kd = self.diffusion_potential_factor();
        let mut total = 0.0;
        for j in 0..ny {
            let p = j * nx + nx - 1;
            let gb = 2.0 * cell_conductivity(&self.params, state.phase[p]);
            let lc = state.concentration[p].max(1e-8).ln();
            let lb = self.far_log_concentration().unwrap_or(lc);
            // Current leaving the far face in +x: −σ∂φ/∂x + σ k_d ∂ln c/∂x (face form).
            total += -gb * (0.0 - state.potential[p]) + gb * kd * (lb - lc);
        }
        -total / (ny as f64 * g.spacing)
    }

    /// Deposition current density of the last step, nFc_s Σ∂_tξ dA/width [A/m²].
    pub fn deposition_current_density(&self, state: &State) -> f64 {
        let g = &self.setup.grid;
        let sum: f64 = state.rate.chunks(g.nx).map(|r| r.iter().sum::<f64>()).sum();
        FARADAY * self.params.site_density * sum * g.spacing / g.ny as f64
    }
}

/// Face conductances as harmonic means of the cell values; no flux at x = 0, side walls per `periodic`.
fn fill_faces(op: &mut super::multigrid::Operator, cell: &[f64], nx: usize, ny: usize, periodic: bool) {
    op.diag.iter_mut().for_each(|v| *v = 0.0);
    for j in 0..ny {
        let row = &cell[j * nx..(j + 1) * nx];
        let gx = &mut op.gx[j * (nx + 1)..(j + 1) * (nx + 1)];
        gx[0] = 0.0;
        for i in 1..nx {
            gx[i] = kernels::harmonic(row[i - 1], row[i]);
        }
        gx[nx] = 0.0;
    }
    for j in 1..ny {
        for i in 0..nx {
            op.gy[j * nx + i] = kernels::harmonic(cell[(j - 1) * nx + i], cell[j * nx + i]);
        }
    }
    for i in 0..nx {
        let wall = if periodic { kernels::harmonic(cell[(ny - 1) * nx + i], cell[i]) } else { 0.0 };
        op.gy[i] = wall;
        op.gy[ny * nx + i] = wall;
    }
}

/// Solves SC e^{−αs} − SA e^{(1−α)s} = target for s (strictly decreasing in s): safeguarded Newton
/// from `guess`; `None` when no reacting cell or no s in [−S_LIMIT, S_LIMIT] carries it.
fn solve_metal_potential(sa: f64, sc: f64, target: f64, alpha: f64, guess: f64) -> Option<f64> {
    if !(sa > 0.0 || sc > 0.0) {
        return None;
    }
    let g = |s: f64| sc * (-alpha * s).exp() - sa * ((1.0 - alpha) * s).exp() - target;
    let dg = |s: f64| -alpha * sc * (-alpha * s).exp() - (1.0 - alpha) * sa * ((1.0 - alpha) * s).exp();
    let (mut lo, mut hi) = (-S_LIMIT, S_LIMIT);
    if g(lo) < 0.0 || g(hi) > 0.0 {
        return None;
    }
    let mut s = guess.clamp(lo, hi);
    for _ in 0..200 {
        let v = g(s);
        if v > 0.0 {
            lo = s;
        } else {
            hi = s;
        }
        let scale = sc * (-alpha * s).exp() + sa * ((1.0 - alpha) * s).exp() + target.abs();
        if v.abs() <= 1e-15 * scale || hi - lo < 1e-15 {
            return Some(s);
        }
        let mut next = s - v / dg(s);
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        s = next;
    }
    Some(s)
}

/// Largest potential difference between neighbouring cells [V].
fn max_jump(phi: &[f64], setup: &Setup) -> f64 {
    let g = &setup.grid;
    let mut m = 0.0f64;
    for j in 0..g.ny {
        let (_, ja) = g.neighbour_rows(j);
        for i in 0..g.nx {
            let p = phi[j * g.nx + i];
            if i + 1 < g.nx {
                m = m.max((phi[j * g.nx + i + 1] - p).abs());
            }
            m = m.max((phi[ja * g.nx + i] - p).abs());
        }
    }
    m
}
