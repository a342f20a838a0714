//! The Doyle-Fuller-Newman (pseudo-2D) model of the LiFePO4 | electrolyte | Li-metal half cell
//! ([`Dfn`]), discretised exactly as PyBaMM's `lithium_ion.DFN({"working electrode": "positive"})`
//! and integrated by the shared TR-BDF2 scheme (`crate::solver::tr_bdf2`) with Newton stage solves.
//!
//! # Equations (cellmodel.md §2)
//!
//! Separator 0 < x < L_s, cathode L_s < x < L_s + L_p, the Li foil is the boundary x = 0; i > 0
//! discharges; B = ε^b.
//!
//! ```text
//! particles:   ∂c_s/∂t = r⁻² ∂/∂r (r² D_s ∂c_s/∂r),  ∂c_s/∂r(0) = 0,  −D_s ∂c_s/∂r(R_p) = j/F
//! kinetics:    j = 2 j0 sinh(f η/2),  η = φ_s − φ_e − U(c_s,surf/c_max),
//!              j0 = m_ref √(c_e c_s (c_max − c_s))
//! solid:       ∂i_s/∂x = −a j,  i_s = −σ (1 − ε)^b ∂φ_s/∂x,  i_s(L_s) = 0,  i_s(L) = i
//! electrolyte: ∂i_e/∂x = a j,  i_e = κ B [2(1 − t₊) TDF/(f c_e) ∂c_e/∂x − ∂φ_e/∂x]
//!              ε ∂c_e/∂t = −∂N/∂x + a j/F,  N = −B D ∂c_e/∂x + t₊ i_e/F
//! x = L:       ∂c_e/∂x = 0, i_e = 0
//! x = 0:       N = i/F (−B D ∂c_e/∂x = (1 − t₊) i/F),  φ_e(0) = φ_s,Li − η_Li − i R_film,
//!              φ_s,Li = −i L_Li/σ_Li,  i = 2 j0,Li(c_e(0)) sinh(f η_Li/2)  (ButlerVolmer::overpotential)
//! voltage:     V = φ_s(L)   (Li current collector grounded)
//! ```
//!
//! # Discretisation
//!
//! PyBaMM's finite volumes: uniform sub-meshes (`DfnMesh`, default 20 separator + 20 cathode cells,
//! 20 radial shells: 500 unknowns, PyBaMM's 502 less its Li-interface potential and capacity, which
//! are closed forms here); spherical finite volumes in the particles (exact shell volumes); a
//! coefficient multiplying a gradient is the cell-width-weighted harmonic mean of the node values, one
//! multiplying another edge quantity (κB, t₊) the arithmetic mean; boundary values (c_s,surf, c_e at
//! the Li interface, V) are linear extrapolations of the two nearest nodes; φ_e(0) enters through a
//! ghost node. Salt and lithium are conserved exactly by the discrete fluxes.
//!
//! # Solver
//!
//! TR-BDF2 (one-step, L-stable, stiffly accurate; the same scheme as the symmetric-cell integrator)
//! on the index-1 DAE with Newton on each stage; one-step, so a current jump needs no history
//! restart, only a consistent re-initialisation of the potentials (Newton on the algebraic rows,
//! with continuation in the current when a large current step onto a nearly empty or full particle
//! surface defeats the direct jump).
//! The particles are eliminated by a Schur complement (each radial block is tridiagonal and couples
//! to its x cell only through j), leaving a block tridiagonal system with 3×3 blocks (c_e, φ_e, φ_s
//! per x cell) solved by block LU (3×3 pivot blocks inverted): a Newton solve costs O(N_x N_r). The x
//! rows' Jacobian (transport fluxes, `jacobian.rs`), the particle blocks and the j couplings are
//! analytic; it is evaluated and factored once per step, at the TR stage's predictor (quadratic
//! extrapolation from the last solution points), and kept for the BDF2 stage (same α), so Newton
//! converges fast and a stage mostly needs one update: it is accepted when the predicted remaining
//! error is below 0.1 of the local error weights (IDA's test). The
//! lithium and salt balances are affine in the state (the reaction currents cancel between the
//! particle, φ_s and c_e rows), so every Newton update satisfies them exactly; the next step starts
//! from the rates the stage equations imply, α (y − ψ), not from a new evaluation, and both are
//! conserved to round-off whatever the Newton tolerance. Local error control: max norm over all
//! unknowns, rtol [`DEFAULT_RTOL`] = 1e-4 (absolute floors 1 % of c₀ and c_max, 1 V for
//! potentials); the time-discretisation error of a 1C discharge is then ≤ 0.06 mV against
//! rtol 1e-8 (0.015 mV at rtol 1e-5). Events (V limits, min c_e, surface stoichiometry within 1e-9
//! of 0 or 1) are located by re-stepping with an Illinois iteration on the step size, to 1 µV in V;
//! if the step size collapses with a surface stoichiometry already within 1e-3 of the bound the
//! current drives it to (j0 → 0 makes the kinetics singular there) the segment ends with
//! `SegmentEnd::Stoichiometry`.
//!
//! Why not diffsol: the structure (Schur-eliminated particles, 3×3 block-tridiagonal x system) makes
//! a hand-written stepper both simpler and faster than a general sparse LU, builds in seconds and
//! needs no new dependency.
//!
//! # Accuracy and speed against PyBaMM
//!
//! Same mesh as PyBaMM (`tests/dfn.rs`, stepped through PyBaMM's 400 sample times): max |ΔV| ≤
//! 0.50 mV on all 12 reference discharges (liquid, SPE A, SPE B at 0.1-1C), |ΔQ| ≤ 0.03 mAh/g for
//! 2.5 V cut-offs and ≤ 0.045 mAh/g when electrolyte depletion ends the run. On PyBaMM's fine mesh
//! (x 80+80, r 60) max |ΔV| ≤ 0.23 mV and |ΔQ| ≤ 0.02 mAh/g against its fine curves. Speed
//! (`scripts/bench-dfn`, both codes in one run on the shared 2-core VM at load ~11, 1C discharge,
//! default mesh; docs/benchmarks.md): spelab 1.3-2.4 ms per discharge including `Dfn::new` (best of
//! 30; 1.4-2.5 ms CPU), about 80-140 steps with one Jacobian and factorisation each and 1.2-1.4
//! Newton updates per stage; against PyBaMM 26.10's IDAKLU solve alone 8-15× on CPU time at that load
//! (about 5-7× expected on an idle machine), and against its build + first solve 130-250×.
//!
//! ```
//! use spelab_sim::fullcell::{
//!     Dfn, DfnMesh, FullCell, FullCellModel, Limits, ReferenceElectrolyte, SegmentEnd,
//! };
//! let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA)?;
//! let mut dfn = Dfn::new(&cell, 0.0038, DfnMesh { separator: 5, cathode: 5, particle: 5 })?;
//! let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
//! let i = cell.one_c_current_density();
//! let end = dfn.advance(i, 600.0, &limits, &mut |_| {})?;
//! assert_eq!(end, SegmentEnd::Duration);
//! let s = dfn.sample();
//! assert!((s.charge - 600.0 * i).abs() < 1e-9 * s.charge);
//! assert!(s.voltage > 3.2 && s.voltage < 3.45, "{}", s.voltage);
//! # Ok::<(), spelab_sim::SimError>(())
//! ```

mod advance;
mod block;
mod jacobian;
mod linear;
mod mesh;
mod residual;
mod stepper;

use super::model::{FullCellSample, Limits};
use super::params::FullCell;
use crate::error::{check_param, SimError};
use residual::Physics;
use stepper::Stepper;

/// Cell counts of the DFN mesh (uniform sub-meshes, as PyBaMM's `var_pts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DfnMesh {
    /// Finite volumes across the separator (≥ 2).
    pub separator: usize,
    /// Finite volumes across the cathode (≥ 2).
    pub cathode: usize,
    /// Spherical shells per particle (≥ 2).
    pub particle: usize,
}

impl Default for DfnMesh {
    /// PyBaMM's default: 20 / 20 / 20.
    fn default() -> Self {
        DfnMesh { separator: 20, cathode: 20, particle: 20 }
    }
}

/// Counters of the time integration since the model was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DfnStats {
    /// Accepted steps.
    pub steps: u64,
    /// Rejected step attempts (error too large or Newton failure).
    pub rejected: u64,
    /// Newton iterations.
    pub newton_iterations: u64,
    /// Newton matrix factorisations.
    pub factorisations: u64,
    /// Jacobian evaluations (analytic x rows and reaction partials).
    pub jacobians: u64,
}

/// The DFN model of a [`FullCell`]; implements [`FullCellModel`].
#[derive(Debug, Clone)]
pub struct Dfn {
    cell: FullCell,
    mesh: DfnMesh,
    stepper: Stepper,
    /// State: 3 unknowns (c_e, φ_e, φ_s) per x cell, then the particles (N_r per cathode cell).
    y: Vec<f64>,
    next: Vec<f64>,
    trial: Vec<f64>,
    time: f64,
    charge: f64,
    current: f64,
    steps: u64,
    rejected: u64,
    /// Last accepted step size and its current density, to continue a segment at the same current.
    h_last: Option<(f64, f64)>,
}

/// Default relative tolerance of the local error (max norm over all unknowns).
pub const DEFAULT_RTOL: f64 = 1e-4;

/// Smallest step before the integrator gives up [s].
const MIN_STEP: f64 = 1e-10;

impl Dfn {
    /// A cell at rest with uniform cathode stoichiometry `initial_stoichiometry` (in (0, 1)) and
    /// uniform electrolyte c₀, potentials consistent with zero current.
    pub fn new(cell: &FullCell, initial_stoichiometry: f64, mesh: DfnMesh) -> Result<Dfn, SimError> {
        cell.validate()?;
        let x0 = initial_stoichiometry;
        check_param("initial stoichiometry", x0, x0 > 0.0 && x0 < 1.0, "in (0, 1)")?;
        for (name, n) in [
            ("separator cells", mesh.separator),
            ("cathode cells", mesh.cathode),
            ("particle shells", mesh.particle),
        ] {
            check_param(name, n as f64, (2..=100_000).contains(&n), "an integer in [2, 100000]")?;
        }
        let grid = mesh::Grid::new(cell, &mesh);
        let phys = Physics::new(cell, grid);
        let g = &phys.grid;
        let c0 = cell.electrolyte.initial_concentration;
        let u0 = cell.cathode.ocp.potential(x0);
        check_param("open-circuit potential at the initial stoichiometry", u0, u0.is_finite(), "finite")?;
        let mut y = Vec::with_capacity(3 * g.nx() + g.np * g.nr);
        for c in 0..g.nx() {
            y.extend([c0, 0.0, if c >= g.ns { u0 } else { 0.0 }]);
        }
        y.extend(std::iter::repeat_n(x0 * cell.cathode.max_concentration, g.np * g.nr));
        let mut stepper = Stepper::new(phys, c0, DEFAULT_RTOL);
        if !stepper.reinitialise(&mut y, 0.0) {
            return Err(SimError::InvalidProtocol("the DFN found no consistent state at rest".into()));
        }
        let n = y.len();
        Ok(Dfn {
            cell: cell.clone(),
            mesh,
            stepper,
            y,
            next: vec![0.0; n],
            trial: vec![0.0; n],
            time: 0.0,
            charge: 0.0,
            current: 0.0,
            steps: 0,
            rejected: 0,
            h_last: None,
        })
    }

    /// Sets the relative tolerance of the local error (default [`DEFAULT_RTOL`]); must be in
    /// [1e-12, 1e-2].
    pub fn with_tolerance(mut self, rtol: f64) -> Result<Self, SimError> {
        check_param("relative tolerance", rtol, (1e-12..=1e-2).contains(&rtol), "in [1e-12, 1e-2]")?;
        self.stepper.rtol = rtol;
        Ok(self)
    }

    /// The mesh.
    pub fn mesh(&self) -> DfnMesh {
        self.mesh
    }

    /// The cell parameters.
    pub fn cell(&self) -> &FullCell {
        &self.cell
    }

    fn grid(&self) -> &mesh::Grid {
        &self.stepper.phys.grid
    }

    fn nu(&self) -> usize {
        3 * self.grid().nx()
    }

    /// Centres of the x cells (separator, then cathode) [m], x = 0 at the Li foil.
    pub fn x_centres(&self) -> Vec<f64> {
        self.grid().xc.clone()
    }

    /// Centres of the cathode cells [m].
    pub fn cathode_x_centres(&self) -> Vec<f64> {
        self.grid().xc[self.grid().ns..].to_vec()
    }

    /// Electrolyte concentration at the x-cell centres [mol/m³].
    pub fn electrolyte_concentration(&self) -> Vec<f64> {
        self.y[..self.nu()].iter().step_by(3).copied().collect()
    }

    /// Electrolyte potential at the x-cell centres [V] (vs the grounded Li foil).
    pub fn electrolyte_potential(&self) -> Vec<f64> {
        self.y[1..self.nu()].iter().step_by(3).copied().collect()
    }

    /// Solid potential at the cathode cell centres [V].
    pub fn solid_potential(&self) -> Vec<f64> {
        let ns = self.grid().ns;
        self.y[3 * ns + 2..self.nu()].iter().step_by(3).copied().collect()
    }

    /// Concentrations in the particle of cathode cell `k` at the shell centres [mol/m³] (empty when
    /// `k` is out of range).
    pub fn particle_concentration(&self, k: usize) -> &[f64] {
        let (np, nr) = (self.grid().np, self.grid().nr);
        if k >= np {
            return &[];
        }
        &self.y[self.nu() + k * nr..self.nu() + (k + 1) * nr]
    }

    /// Particle surface stoichiometry c_s,surf/c_max at every cathode cell [1].
    pub fn surface_stoichiometry(&self) -> Vec<f64> {
        let (np, cmax) = (self.grid().np, self.stepper.phys.cmax);
        (0..np).map(|k| self.stepper.phys.surface(self.particle_concentration(k)) / cmax).collect()
    }

    /// Lithium stored in the cathode particles per electrode area [mol/m²].
    pub fn lithium_in_cathode(&self) -> f64 {
        let g = self.grid();
        let vp = g.r_face[g.nr].powi(3) / 3.0;
        let eps_s = self.cell.cathode.active_fraction;
        (0..g.np)
            .map(|k| {
                let c = self.particle_concentration(k);
                let mean: f64 = c.iter().zip(&g.vol).map(|(ci, vi)| ci * vi).sum::<f64>() / vp;
                eps_s * g.dx[g.ns + k] * mean
            })
            .sum()
    }

    /// Salt in the electrolyte per electrode area, ∫ ε c_e dx [mol/m²].
    pub fn salt_in_electrolyte(&self) -> f64 {
        let g = self.grid();
        self.electrolyte_concentration().iter().enumerate().map(|(c, ce)| g.eps[c] * g.dx[c] * ce).sum()
    }

    /// Discharge capacity passed since the start, ∫ i dt, in mAh per g of active material.
    pub fn capacity_mah_g(&self) -> f64 {
        self.cell.specific_capacity_mah_g(self.charge)
    }

    /// Integration counters.
    pub fn stats(&self) -> DfnStats {
        DfnStats {
            steps: self.steps,
            rejected: self.rejected,
            newton_iterations: self.stepper.iterations,
            factorisations: self.stepper.factorisations,
            jacobians: self.stepper.jacobians,
        }
    }

    fn sample_of(&self, y: &[f64]) -> FullCellSample {
        let g = self.grid();
        let nu = self.nu();
        let ce_min = y[..nu].iter().step_by(3).fold(f64::INFINITY, |m, &c| m.min(c));
        let vp = g.r_face[g.nr].powi(3) / 3.0;
        let total: f64 =
            y[nu..].chunks(g.nr).map(|c| c.iter().zip(&g.vol).map(|(ci, vi)| ci * vi).sum::<f64>()).sum();
        FullCellSample {
            time_s: self.time,
            voltage: self.stepper.phys.voltage(&y[..nu]),
            current_density: self.current,
            charge: self.charge,
            electrolyte_min: ce_min,
            mean_stoichiometry: total / (vp * g.np as f64) / self.stepper.phys.cmax,
        }
    }

    /// Event functions of state `y` under current `i` (each > 0 before its event, scaled to O(1)):
    /// voltage [V], electrolyte minimum [c₀], surface stoichiometry [1].
    fn events(&self, y: &[f64], i: f64, limits: &Limits) -> [f64; 3] {
        let s = self.sample_of(y);
        let c0 = self.cell.electrolyte.initial_concentration;
        let inf = f64::INFINITY;
        let (v, sto) = if i > 0.0 {
            let smax = self.surface_of(y).fold(f64::NEG_INFINITY, f64::max);
            (s.voltage - limits.voltage_min, 1.0 - advance::STOICHIOMETRY_MARGIN - smax)
        } else if i < 0.0 {
            let smin = self.surface_of(y).fold(inf, f64::min);
            (limits.voltage_max - s.voltage, smin - advance::STOICHIOMETRY_MARGIN)
        } else {
            (inf, inf)
        };
        [v, (s.electrolyte_min - limits.electrolyte_min) / c0, sto]
    }

    fn surface_of<'a>(&'a self, y: &'a [f64]) -> impl Iterator<Item = f64> + 'a {
        let (nu, nr, cmax) = (self.nu(), self.grid().nr, self.stepper.phys.cmax);
        y[nu..].chunks(nr).map(move |c| self.stepper.phys.surface(c) / cmax)
    }
}
