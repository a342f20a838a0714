//! The Newton matrix of an implicit step, `A = α M − ∂f/∂y`, and its solution.
//!
//! The particles are eliminated by a Schur complement (the PETLION trick): every particle's radial
//! block is tridiagonal and couples to its x cell only through the reaction current j(c_s,surf,
//! c_e, φ_e, φ_s), so with `w = P⁻¹ e_N s_p` the particle unknowns drop out and the x system gets a
//! rank-one correction of its 3×3 diagonal block. What remains is block tridiagonal with 3×3 blocks
//! (c_e, φ_e, φ_s per x cell), solved by block LU ([`BlockTridiagonal`]). The x block's transport
//! Jacobian (j held fixed) is analytic ([`Physics::jacobian_x`]), as are the particle blocks and
//! every j coupling.
//!
//! All particles share one radial mesh and diffusivity, so their tridiagonal blocks differ only in
//! the last row (the ∂j/∂c_s,surf coupling): the Thomas factors of the other rows are computed once
//! per factorisation and shared, and `w = P⁻¹ e_N s_p = s_p π_k z` with one shared vector z (π_k the
//! particle's last inverted pivot).

use spelab_core::constants::FARADAY;

use super::block::BlockTridiagonal;
use super::residual::Physics;

/// The factored Newton matrix of one step.
#[derive(Debug, Clone)]
pub(crate) struct NewtonMatrix {
    /// ∂(x rows)/∂u with the reactions held fixed (from the last Jacobian evaluation).
    jac: BlockTridiagonal,
    /// The factored x system.
    band: BlockTridiagonal,
    /// Shared Thomas factors of the particle rows 0..N−1: multipliers, inverted pivots, super
    /// diagonal.
    p_l: Vec<f64>,
    p_dinv: Vec<f64>,
    p_sup: Vec<f64>,
    /// Shared back-substitution vector z (z_{N−1} = 1) of `P⁻¹ e_N`.
    z: Vec<f64>,
    /// Last-row multiplier and inverted pivot per particle.
    last_l: Vec<f64>,
    last_piv: Vec<f64>,
    /// ∂j/∂c_s,surf per cathode cell.
    jc: Vec<f64>,
    /// (∂j/∂c_e, ∂j/∂φ_e, ∂j/∂φ_s) per cathode cell.
    ju: Vec<[f64; 3]>,
    /// ∂(x rows)/∂j of a cathode cell.
    sx: [f64; 3],
    /// Whether the particle and c_e unknowns are frozen (consistent initialisation).
    algebraic_only: bool,
    // Scratch.
    surf: Vec<f64>,
}

impl NewtonMatrix {
    /// Storage for `phys`.
    pub fn new(phys: &Physics) -> Self {
        let g = &phys.grid;
        let (np, nr) = (g.np, g.nr);
        NewtonMatrix {
            jac: BlockTridiagonal::new(g.nx()),
            band: BlockTridiagonal::new(g.nx()),
            p_l: vec![0.0; nr],
            p_dinv: vec![0.0; nr],
            p_sup: vec![0.0; nr],
            z: vec![0.0; nr],
            last_l: vec![0.0; np],
            last_piv: vec![0.0; np],
            jc: vec![0.0; np],
            ju: vec![[0.0; 3]; np],
            sx: [0.0; 3],
            algebraic_only: false,
            surf: vec![0.0; np],
        }
    }

    /// Evaluates the Jacobian of the x rows (analytic, [`Physics::jacobian_x`]) and the reaction
    /// partials at x unknowns `u`, particles `cs` and current `i`.
    pub fn jacobian(&mut self, phys: &Physics, u: &[f64], cs: &[f64], i: f64) {
        let g = &phys.grid;
        for (s, c) in self.surf.iter_mut().zip(cs.chunks_exact(g.nr)) {
            *s = phys.surface(c);
        }
        for k in 0..g.np {
            let c = g.ns + k;
            let r = phys.reaction(u[3 * c], u[3 * c + 1], u[3 * c + 2], self.surf[k]);
            self.jc[k] = r.d_cs;
            self.ju[k] = [r.d_ce, r.d_phie, r.d_phis];
        }
        phys.jacobian_x(u, i, &mut self.jac);
    }

    /// Assembles and factors `α M − ∂f/∂y` from the last [`NewtonMatrix::jacobian`]. With
    /// `algebraic_only` the differential unknowns are frozen (identity rows). `false` if singular.
    pub fn factor(&mut self, phys: &Physics, alpha: f64, algebraic_only: bool) -> bool {
        let g = &phys.grid;
        let (nx, ns, np, nr) = (g.nx(), g.ns, g.np, g.nr);
        self.algebraic_only = algebraic_only;
        // c_e rows: α ε − ε ∂rate/∂u (or identity rows when frozen); potential rows as they are.
        self.band.copy_from(&self.jac);
        for c in 0..nx {
            let (scale, diag) = if algebraic_only { (0.0, 1.0) } else { (-g.eps[c], alpha * g.eps[c]) };
            self.band.scale_row(3 * c, scale);
            self.band.add(3 * c, 3 * c, diag);
        }
        // The reaction's dependence on the cell's own unknowns (the x rows' Jacobian holds j fixed):
        // ∂(rows)/∂u += s_x ⊗ ∂j/∂u, with s_x = ∂(c_e, φ_e, φ_s rows)/∂j.
        self.sx = [-phys.a / FARADAY, -phys.a, phys.a];
        for k in 0..np {
            let c = ns + k;
            for a in usize::from(algebraic_only)..3 {
                for b in 0..3 {
                    self.band.add(3 * c + a, 3 * c + b, self.sx[a] * self.ju[k][b]);
                }
            }
        }
        if !algebraic_only {
            // Shared rows of P = α I − ∂rate/∂c: Thomas factors (pivots inverted) of rows 0..N−1.
            let n1 = nr - 1;
            for m in 0..nr {
                self.p_sup[m] = -phys.p_out[m];
            }
            self.p_dinv[0] = 1.0 / (alpha + phys.p_in[0] + phys.p_out[0]);
            for m in 1..n1 {
                let l = -phys.p_in[m] * self.p_dinv[m - 1];
                self.p_l[m] = l;
                self.p_dinv[m] = 1.0 / (alpha + phys.p_in[m] + phys.p_out[m] - l * self.p_sup[m - 1]);
            }
            self.z[n1] = 1.0;
            for m in (0..n1).rev() {
                self.z[m] = -self.p_sup[m] * self.z[m + 1] * self.p_dinv[m];
            }
            let s_p = phys.p_surf;
            let ws_unit = 1.5 - 0.5 * self.z[n1 - 1];
            for k in 0..np {
                let d_cs = self.jc[k];
                // The last row, with the j(c_surf) coupling (c_surf = 1.5 c_{N−1} − 0.5 c_{N−2}).
                let sub = -phys.p_in[n1] - 0.5 * s_p * d_cs;
                let diag = alpha + phys.p_in[n1] + phys.p_out[n1] + 1.5 * s_p * d_cs;
                let l = sub * self.p_dinv[n1 - 1];
                let piv = 1.0 / (diag - l * self.p_sup[n1 - 1]);
                self.last_l[k] = l;
                self.last_piv[k] = piv;
                // c_surf of w = s_p π_k z.
                let ws = s_p * piv * ws_unit;
                let c = ns + k;
                for (a, sa) in self.sx.iter().enumerate() {
                    for (b, jb) in self.ju[k].iter().enumerate() {
                        self.band.add(3 * c + a, 3 * c + b, -sa * d_cs * ws * jb);
                    }
                }
            }
        }
        self.band.factor()
    }

    /// Solves A δ = r in place: `rx` holds the x part, `rp` the particle part.
    pub fn solve(&self, phys: &Physics, rx: &mut [f64], rp: &mut [f64]) {
        let g = &phys.grid;
        let (ns, nr) = (g.ns, g.nr);
        if self.algebraic_only {
            rp.fill(0.0);
            self.band.solve(rx);
            return;
        }
        let n1 = nr - 1;
        // The Thomas recursions run over all particles at each shell (shell-major), so the
        // particles' independent chains overlap instead of waiting on each other's latency.
        for m in 1..n1 {
            let lm = self.p_l[m];
            for v in rp.chunks_exact_mut(nr) {
                v[m] -= lm * v[m - 1];
            }
        }
        for ((v, ll), piv) in rp.chunks_exact_mut(nr).zip(&self.last_l).zip(&self.last_piv) {
            v[n1] = (v[n1] - ll * v[n1 - 1]) * piv;
        }
        for m in (0..n1).rev() {
            let (sm, dm) = (self.p_sup[m], self.p_dinv[m]);
            for v in rp.chunks_exact_mut(nr) {
                v[m] = (v[m] - sm * v[m + 1]) * dm;
            }
        }
        for (k, v) in rp.chunks_exact_mut(nr).enumerate() {
            let vs = 1.5 * v[n1] - 0.5 * v[n1 - 1];
            let c = ns + k;
            let jv = self.jc[k] * vs;
            for (r, s) in rx[3 * c..3 * c + 3].iter_mut().zip(&self.sx) {
                *r -= s * jv;
            }
        }
        self.band.solve(rx);
        let s_p = phys.p_surf;
        for (k, v) in rp.chunks_exact_mut(nr).enumerate() {
            let c = ns + k;
            let ju = self.ju[k];
            let t = ju[0] * rx[3 * c] + ju[1] * rx[3 * c + 1] + ju[2] * rx[3 * c + 2];
            let coef = s_p * self.last_piv[k] * t;
            for (vm, zm) in v.iter_mut().zip(&self.z) {
                *vm -= coef * zm;
            }
        }
    }
}
