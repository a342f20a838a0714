//! The caller-owned state of a run ([`State`]) and its initial condition: a flat front
//! ξ = ½[1 − tanh((x − x₀)/2ℓ)] with semicircular nuclei ξ = ½[1 − tanh((r − R)/2ℓ)] (the larger of
//! the two wins), c̃ = 1, φ = 0.

use super::multigrid::Multigrid;
use super::{Grid, Setup};

/// Counters that tell how a run went numerically.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Diagnostics {
    /// Last time step [s].
    pub last_time_step: f64,
    /// Potential solves done.
    pub potential_solves: u64,
    /// Preconditioned CG iterations over all potential solves.
    pub potential_iterations: u64,
    /// Potential solves that missed their tolerance.
    pub potential_unconverged: u64,
    /// Largest relative residual of a potential solve.
    pub worst_potential_residual: f64,
    /// Cell-steps that left c̃ < 0 (the reaction then sees c̃ = 0; nothing is clamped).
    pub negative_concentration_cells: u64,
    /// Largest excursion of ξ outside [0, 1] (never clamped).
    pub max_phase_overshoot: f64,
    /// Largest Butler-Volmer stiffness L_η,eff(e^{(1−α)fη} + c̃e^{−αfη}) seen [1/s].
    pub max_reaction_stiffness: f64,
}

/// Work arrays, reused between steps.
#[derive(Debug, Clone, Default)]
pub(crate) struct Work {
    pub ac: Vec<f64>,
    pub a: Vec<f64>,
    pub c: Vec<f64>,
    pub xi_new: Vec<f64>,
    pub c_new: Vec<f64>,
    pub rhs: Vec<f64>,
    /// Row spans of ξ (the kernels' bulk runs), recomputed each step.
    pub spans: Vec<super::kernels::RowSpan>,
    pub mg: Multigrid,
    pub stiffness: f64,
    pub max_rate: f64,
}

/// Everything that changes during a run. Owned by the caller: clone it to checkpoint, hold many to
/// run them in parallel.
#[derive(Debug, Clone)]
pub struct State {
    /// Phase field ξ (1 metal, 0 electrolyte), row by row, x fastest [1].
    pub phase: Vec<f64>,
    /// Reduced concentration c̃ = c/c₀ (salt in §1.3, Li⁺ in §1.1) [1].
    pub concentration: Vec<f64>,
    /// Electrolyte potential φ against the Li reference at the counter-electrode plane (§1.3) or the
    /// electrostatic potential (§1.1) [V].
    pub potential: Vec<f64>,
    /// ∂ξ/∂t of the last step [1/s].
    pub rate: Vec<f64>,
    /// Metal (electrode) potential φ_s [V].
    pub metal_potential: f64,
    /// Simulated time [s].
    pub time: f64,
    /// Steps taken.
    pub steps: u64,
    /// Charge passed into deposition per electrode area, nFc_s∫Δξ dA/width [C/m²].
    pub deposited_charge: f64,
    /// Time of the first short circuit (ξ > ½ at the short plane) [s].
    pub short_circuit_time: Option<f64>,
    /// Numerical diagnostics.
    pub diagnostics: Diagnostics,
    pub(crate) work: Work,
}

impl State {
    /// The initial state of `setup` with interface width `width` [m].
    pub(crate) fn initial(setup: &Setup, width: f64) -> Self {
        let g: &Grid = &setup.grid;
        let n = g.len();
        let mut phase = vec![0.0; n];
        for j in 0..g.ny {
            for i in 0..g.nx {
                let (x, y) = (g.x(i), g.y(j));
                let mut v = if setup.flat_front { profile(x - setup.front_position, width) } else { 0.0 };
                for nu in &setup.nuclei {
                    let dy = periodic_distance(y - nu.y, g);
                    let r = ((x - setup.front_position).powi(2) + dy * dy).sqrt();
                    v = v.max(profile(r - nu.radius, width));
                }
                phase[j * g.nx + i] = if v < super::kernels::FLUSH { 0.0 } else { v };
            }
        }
        Self {
            phase,
            concentration: vec![1.0; n],
            potential: vec![0.0; n],
            rate: vec![0.0; n],
            metal_potential: 0.0,
            time: 0.0,
            steps: 0,
            deposited_charge: 0.0,
            short_circuit_time: None,
            diagnostics: Diagnostics::default(),
            work: Work::default(),
        }
    }

    /// ∫ξ dA per unit depth [m²].
    pub fn metal_area(&self, grid: &Grid) -> f64 {
        super::multigrid::dot(&self.phase, &vec![1.0; self.phase.len()]) * grid.spacing * grid.spacing
    }
}

/// The equilibrium profile ½[1 − tanh(d/2ℓ)] at signed distance `d` from the interface.
pub fn profile(d: f64, width: f64) -> f64 {
    0.5 * (1.0 - (d / (2.0 * width)).tanh())
}

fn periodic_distance(dy: f64, g: &Grid) -> f64 {
    if g.side_walls == super::SideWalls::Periodic {
        let w = g.width();
        dy - w * (dy / w).round()
    } else {
        dy
    }
}
