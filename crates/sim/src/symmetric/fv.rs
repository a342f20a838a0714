//! Finite-volume discretisation of the salt balance and the implicit stage solve.
//!
//! N uniform cells of width Δx = L/N, unknowns c_i at cell centres. Anion flux at the inner faces
//! (dilute binary salt, i = J uniform in 1D):
//!
//! ```text
//! N₋(i+½) = −D(c̄) (c_{i+1} − c_i)/Δx − (1 − t₊(c̄)) J/F,   c̄ = (c_i + c_{i+1})/2
//! N₋ = 0 at x = 0 and x = L   (anions are blocked by Li metal)
//! dc_i/dt = −(N₋(i+½) − N₋(i−½))/Δx
//! ```
//!
//! Every flux leaves one cell and enters its neighbour, so Σ c_i Δx changes only by rounding.
//! Face concentrations c(0), c(L) come from a quadratic through the first two cell centres with the
//! known wall gradient dc/dx = −(1 − t₊)J/(F D) (second order, as the PyBaMM-free reference
//! script `symmetric.py` does).
//!
//! Implicit stages `y − a·h·R(y, J) = rhs` are solved by Picard iteration in delta form: with D and t₊
//! frozen at the iterate y_k the residual is linear, R(y) = M_k y + b_k, and
//! `(I − a h M_k) δ = rhs − y_k + a h R(y_k)`, `y_{k+1} = y_k + δ`, one tridiagonal (Thomas) solve per
//! iteration. For concentration-independent transport one iteration is exact. Solving for the
//! increment δ keeps the rounding of the salt balance relative to |δ| rather than to |c|.

use spelab_core::constants::FARADAY;

use crate::physics::Transport;

/// Concentration below which properties are evaluated at this floor, so closures never see c ≤ 0
/// [mol/m³].
const PROPERTY_FLOOR: f64 = 1e-9;

/// Picard iteration limit for concentration-dependent transport.
const MAX_PICARD: usize = 50;

/// The mesh and scratch space of one cell.
#[derive(Debug, Clone)]
pub(crate) struct Mesh {
    /// Number of cells.
    pub n: usize,
    /// Cell width [m].
    pub dx: f64,
    /// Sub-, main and super-diagonal and right-hand side scratch.
    lower: Vec<f64>,
    diag: Vec<f64>,
    upper: Vec<f64>,
    work: Vec<f64>,
    residual: Vec<f64>,
    delta: Vec<f64>,
    /// (D, 1 − t₊) when they do not depend on c, evaluated once (saves two Arrhenius exponentials
    /// per face and evaluation, most of the run time otherwise).
    constant: Option<(f64, f64)>,
}

impl Mesh {
    /// A uniform mesh of `n` cells over `thickness` [m]; D and t₊ are cached when `tr` says they do
    /// not depend on c (at the given temperature and reference concentration `c_ref`).
    pub fn new(n: usize, thickness: f64, tr: &dyn Transport, temperature: f64, c_ref: f64) -> Self {
        let constant = tr
            .is_concentration_independent()
            .then(|| (tr.diffusivity(c_ref, temperature), 1.0 - tr.transference_number(c_ref, temperature)));
        Self {
            constant,
            n,
            dx: thickness / n as f64,
            lower: vec![0.0; n],
            diag: vec![0.0; n],
            upper: vec![0.0; n],
            work: vec![0.0; n],
            residual: vec![0.0; n],
            delta: vec![0.0; n],
        }
    }

    /// Wall gradient dc/dx at a wall of concentration `c_wall` for current density `j` [mol/m⁴].
    fn wall_gradient(&self, tr: &dyn Transport, c_wall: f64, j: f64, temperature: f64) -> f64 {
        if let Some((d, t_minus)) = self.constant {
            return -t_minus * j / (FARADAY * d);
        }
        let c = c_wall.max(PROPERTY_FLOOR);
        -(1.0 - tr.transference_number(c, temperature)) * j / (FARADAY * tr.diffusivity(c, temperature))
    }

    /// Face concentrations (c(0), c(L)) of profile `c` at current density `j` [mol/m³].
    ///
    /// Quadratic c = a + g s + q s² in the distance s from the wall, through the first two centres
    /// (s = Δx/2, 3Δx/2) with slope g at the wall: c_wall = c₀ − gΔx/2 − qΔx²/4,
    /// q = (c₁ − c₀ − gΔx)/(2Δx²). For concentration-dependent t₊ or D the gradient depends on the
    /// wall value itself; a few fixed-point sweeps converge (the dependence is weak, ∝ Δx).
    pub fn faces(&self, tr: &dyn Transport, c: &[f64], j: f64, temperature: f64) -> (f64, f64) {
        let dx = self.dx;
        let n = self.n;
        let wall = |c0: f64, c1: f64, g: f64| {
            let q = (c1 - c0 - g * dx) / (2.0 * dx * dx);
            c0 - g * dx / 2.0 - q * dx * dx / 4.0
        };
        let sweeps = if tr.is_concentration_independent() { 1 } else { 4 };
        let (mut left, mut right) = (c[0], c[n - 1]);
        for _ in 0..sweeps {
            // Gradient in +x at both walls; seen from the right wall the distance runs in −x.
            let g0 = self.wall_gradient(tr, left, j, temperature);
            let gl = self.wall_gradient(tr, right, j, temperature);
            left = wall(c[0], c[1], g0);
            right = wall(c[n - 1], c[n - 2], -gl);
        }
        (left, right)
    }

    /// Residual R(y)_i = −(N₋(i+½) − N₋(i−½))/Δx [mol/(m³ s)] into `self.residual`, and (when
    /// `jacobian_scale` is `Some(a h)`) the Picard matrix I − a h M into the diagonals.
    fn residual_and_matrix(
        &mut self,
        tr: &dyn Transport,
        y: &[f64],
        j: f64,
        temperature: f64,
        jacobian_scale: Option<f64>,
    ) {
        let n = self.n;
        let dx = self.dx;
        for r in self.residual.iter_mut() {
            *r = 0.0;
        }
        if jacobian_scale.is_some() {
            for i in 0..n {
                self.lower[i] = 0.0;
                self.upper[i] = 0.0;
                self.diag[i] = 1.0;
            }
        }
        for i in 0..n - 1 {
            let (d, s) = match self.constant {
                Some((d, t_minus)) => (d, t_minus * j / FARADAY),
                None => {
                    let cbar = (0.5 * (y[i] + y[i + 1])).max(PROPERTY_FLOOR);
                    (
                        tr.diffusivity(cbar, temperature),
                        (1.0 - tr.transference_number(cbar, temperature)) * j / FARADAY,
                    )
                }
            };
            // Anion flux through face i+1/2.
            let flux = -d * (y[i + 1] - y[i]) / dx - s;
            self.residual[i] -= flux / dx;
            self.residual[i + 1] += flux / dx;
            if let Some(ah) = jacobian_scale {
                let k = ah * d / (dx * dx);
                self.diag[i] += k;
                self.diag[i + 1] += k;
                self.upper[i] -= k;
                self.lower[i + 1] -= k;
            }
        }
    }

    /// Solves `y − a_h·R(y, j) = rhs` for `y` (written to `out`), starting from `guess`.
    #[allow(clippy::too_many_arguments)]
    pub fn implicit_solve(
        &mut self,
        tr: &dyn Transport,
        guess: &[f64],
        rhs: &[f64],
        a_h: f64,
        j: f64,
        temperature: f64,
        out: &mut [f64],
    ) {
        out.copy_from_slice(guess);
        let linear = tr.is_concentration_independent();
        let scale = rhs.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1e-300);
        for _ in 0..(if linear { 1 } else { MAX_PICARD }) {
            self.residual_and_matrix(tr, out, j, temperature, Some(a_h));
            for i in 0..self.n {
                self.work[i] = rhs[i] - out[i] + a_h * self.residual[i];
            }
            self.thomas();
            let mut change = 0.0f64;
            for (o, d) in out.iter_mut().zip(&self.delta) {
                *o += d;
                change = change.max(d.abs());
            }
            if change <= 1e-14 * scale {
                break;
            }
        }
    }

    /// Solves (I − a_h M(y_at)) x = rhs with the Picard matrix frozen at `y_at` (the error filter of
    /// the step-size control) into `out`.
    #[allow(clippy::too_many_arguments)]
    pub fn filter(
        &mut self,
        tr: &dyn Transport,
        y_at: &[f64],
        a_h: f64,
        j: f64,
        temperature: f64,
        rhs: &[f64],
        out: &mut [f64],
    ) {
        self.residual_and_matrix(tr, y_at, j, temperature, Some(a_h));
        self.work.copy_from_slice(rhs);
        self.thomas();
        out.copy_from_slice(&self.delta);
    }

    /// Residual R(y, j) into `out` [mol/(m³ s)].
    pub fn residual(&mut self, tr: &dyn Transport, y: &[f64], j: f64, temperature: f64, out: &mut [f64]) {
        self.residual_and_matrix(tr, y, j, temperature, None);
        out.copy_from_slice(&self.residual);
    }

    /// Thomas algorithm: solves the tridiagonal system (lower, diag, upper) δ = work into `delta`.
    /// The matrix I − a h M is strictly diagonally dominant by rows (a h > 0, D > 0), so no
    /// pivoting is needed.
    fn thomas(&mut self) {
        let n = self.n;
        let (a, b, c) = (&self.lower, &self.diag, &self.upper);
        let x = &mut self.delta;
        let d = &mut self.work;
        // Forward sweep: reuse x as the modified super-diagonal c'.
        let mut denom = b[0];
        x[0] = c[0] / denom;
        d[0] /= denom;
        for i in 1..n {
            denom = b[i] - a[i] * x[i - 1];
            let cp = if i + 1 < n { c[i] / denom } else { 0.0 };
            d[i] = (d[i] - a[i] * d[i - 1]) / denom;
            x[i] = cp;
        }
        // Back substitution.
        let mut next = d[n - 1];
        x[n - 1] = next;
        for i in (0..n - 1).rev() {
            next = d[i] - x[i] * next;
            x[i] = next;
        }
    }
}
