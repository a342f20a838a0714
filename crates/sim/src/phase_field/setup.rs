//! What a run needs besides the physics: grid, initial deposit and nuclei, the current or potential
//! control, boundary conditions, seeds and numerical settings ([`Setup`]).

use super::{Grid, Parameters, PhaseFieldError, SideWalls};

/// Electrical control of the working (plating) electrode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    /// Constant current density; positive plates Li on the electrode at x = 0 [A/m²]. The metal
    /// potential is solved each step so that nFc_s d/dt∫ξ dA / width equals it exactly.
    Galvanostatic {
        /// Current density [A/m²].
        current_density: f64,
    },
    /// Constant metal potential φ_s against the Li reference at the counter-electrode plane [V].
    Potentiostatic {
        /// Metal potential [V].
        metal_potential: f64,
    },
}

/// Boundary condition of the concentration at the far plane x = nx·dx.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FarBoundary {
    /// A reservoir at the bulk concentration c₀ (open box).
    Reservoir,
    /// No flux (closed box; conserves Li exactly).
    Closed,
    /// A stripping Li counter electrode: salt enters at (1 − t₊)J/F (§1.3) or Li⁺ at J/F (§1.1).
    CounterElectrode,
}

/// A semicircular Li nucleus on the initial front.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nucleus {
    /// Lateral position of its centre [m].
    pub y: f64,
    /// Radius [m].
    pub radius: f64,
}

/// Everything about a run except the physical parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Setup {
    /// The grid.
    pub grid: Grid,
    /// Position of the initial flat Li front x₀ and of the nuclei centres [m].
    pub front_position: f64,
    /// Whether the initial deposit has the flat front (off: nuclei only, e.g. a free circle).
    pub flat_front: bool,
    /// Nuclei on the front (identical for compared materials).
    pub nuclei: Vec<Nucleus>,
    /// Current or potential control.
    pub control: Control,
    /// Concentration condition at the far plane.
    pub far_boundary: FarBoundary,
    /// Plane where a short is detected (separator / counter electrode), ξ > ½ there [m].
    pub short_plane: f64,
    /// Seed of the noise and of the SEI heterogeneity field.
    pub seed: u64,
    /// Fraction of the explicit stability limit used as time step (default 0.8) [1].
    pub time_step_safety: f64,
    /// Upper bound on the time step [s].
    pub max_time_step: f64,
    /// Solve the potential every this many steps (default 1) [1].
    pub potential_interval: usize,
    /// Relative residual of the potential solve (default 1e-10) [1].
    pub potential_tolerance: f64,
    /// Implicit (backward Euler, multigrid) salt diffusion: lifts the D time-step limit; only with
    /// the electroneutral transport.
    pub implicit_diffusion: bool,
    /// Solve the Butler-Volmer reaction term (off: pure Allen-Cahn).
    pub reaction: bool,
    /// Solve concentration and potential (off: c̃ = 1 and φ = 0 frozen).
    pub transport: bool,
    /// Stop the run at the first short circuit.
    pub stop_at_short: bool,
}

impl Setup {
    /// A cell of the membrane thickness of `params`: a front at 5 µm, the short plane at 5 µm + L,
    /// the counter-electrode plane there or a little beyond (x rounded up to a multiple of 16 cells
    /// for the multigrid), `width` wide, periodic sides, one nucleus of 2 µm radius in the middle,
    /// galvanostatic at `current_density` [m, m, A/m²].
    pub fn cell(
        params: &Parameters,
        spacing: f64,
        width: f64,
        current_density: f64,
    ) -> Result<Self, PhaseFieldError> {
        let front = 5e-6;
        let mut grid = Grid::covering(front + params.thickness, width, spacing, SideWalls::Periodic)?;
        grid.nx = grid.nx.div_ceil(16) * 16;
        let mut s = Self::new(grid, front, Control::Galvanostatic { current_density });
        s.nuclei = vec![Nucleus { y: 0.5 * grid.width(), radius: 2e-6 }];
        s.far_boundary = FarBoundary::CounterElectrode;
        s.short_plane = (front + params.thickness).min(grid.length() - spacing);
        Ok(s)
    }

    /// Defaults around a grid, front and control: no nuclei, reservoir far boundary, short plane two
    /// cells before the far plane, seed 1, safety 0.8, potential every step to 1e-10.
    pub fn new(grid: Grid, front_position: f64, control: Control) -> Self {
        Self {
            grid,
            front_position,
            flat_front: true,
            nuclei: Vec::new(),
            control,
            far_boundary: FarBoundary::Reservoir,
            short_plane: grid.length() - 2.0 * grid.spacing,
            seed: 1,
            time_step_safety: 0.8,
            max_time_step: f64::INFINITY,
            potential_interval: 1,
            potential_tolerance: 1e-10,
            implicit_diffusion: false,
            reaction: true,
            transport: true,
            stop_at_short: true,
        }
    }

    /// Checks sizes and ranges.
    pub fn validate(&self) -> Result<(), PhaseFieldError> {
        self.grid.validate()?;
        let len = self.grid.length();
        let bad = |name: &'static str, value: f64, expected: &'static str| PhaseFieldError::Invalid {
            name,
            value,
            expected,
        };
        if !(self.front_position.is_finite() && self.front_position >= 0.0 && self.front_position < len) {
            return Err(bad("front_position", self.front_position, "inside the grid"));
        }
        if !(self.short_plane.is_finite()
            && self.short_plane > self.front_position
            && self.short_plane <= len)
        {
            return Err(bad("short_plane", self.short_plane, "between the front and the far plane"));
        }
        for n in &self.nuclei {
            if !(n.radius.is_finite() && n.radius > 0.0 && n.y.is_finite()) {
                return Err(bad("nucleus radius", n.radius, "> 0 with a finite position"));
            }
        }
        match self.control {
            Control::Galvanostatic { current_density: v }
            | Control::Potentiostatic { metal_potential: v } => {
                if !v.is_finite() {
                    return Err(bad("control", v, "finite"));
                }
            }
        }
        let s = self.time_step_safety;
        if !(s > 0.0 && s <= 1.0) {
            return Err(bad("time_step_safety", s, "in (0, 1]"));
        }
        if self.max_time_step.is_nan() || self.max_time_step <= 0.0 {
            return Err(bad("max_time_step", self.max_time_step, "> 0"));
        }
        if self.potential_interval == 0 {
            return Err(bad("potential_interval", 0.0, ">= 1"));
        }
        if !(self.potential_tolerance > 0.0 && self.potential_tolerance < 1.0) {
            return Err(bad("potential_tolerance", self.potential_tolerance, "in (0, 1)"));
        }
        Ok(())
    }
}
