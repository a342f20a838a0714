//! The analytic Jacobian of the DFN's x rows ([`Physics::eval_x`] with the reaction currents held
//! fixed): ∂(c_e, φ_e, φ_s rows)/∂(c_e, φ_e, φ_s) of the finite-volume fluxes, block tridiagonal with
//! 3×3 blocks ([`BlockTridiagonal`]).
//!
//! Every face flux depends on the unknowns of its two cells only:
//!
//! ```text
//! i_e = K (H ∂c − ∂φ_e),   K = (κB_l + κB_r)/2,  H = harm(q_l, q_r),  q = 2(1 − t₊) TDF/(f c)
//! N   = −harm(DB_l, DB_r) ∂c + T i_e/F,           T = (t₊,l + t₊,r)/2
//! i_s = −σ_eff ∂φ_s
//! ```
//!
//! with ∂ the difference over the centre distance and harm PyBaMM's weighted harmonic mean, so the
//! partials follow by the chain rule from the node functions' derivatives. Those are exact for
//! concentration-independent transport (only q = const/c varies) and central differences of the
//! scalar property functions otherwise. The Li-interface boundary (ghost node at the electrolyte
//! potential φ_ref(c_b) of the Li kinetics, boundary gradient from the salt flux) uses a central
//! difference of φ_ref and of the boundary gradient in c_b. The coloured finite differences this
//! replaces (9 residual evaluations) stay as the test oracle.

use spelab_core::constants::FARADAY;

use super::block::BlockTridiagonal;
use super::residual::Physics;

/// Node values (κB, q, DB, t₊) and their derivatives in c at one x cell.
#[derive(Debug, Clone, Copy, Default)]
struct Node {
    value: [f64; 4],
    slope: [f64; 4],
}

/// Weighted harmonic mean of [`super::mesh::harmonic`] and its partials (∂/∂a, ∂/∂b).
fn harmonic_partials(a: f64, b: f64, beta: f64) -> (f64, f64, f64) {
    let den = b * beta + a * (1.0 - beta) + 1e-16;
    let h = a * b / den;
    (h, b * (b * beta + 1e-16) / (den * den), a * (a * (1.0 - beta) + 1e-16) / (den * den))
}

/// Relative step of the central differences of scalar property functions.
const REL_STEP: f64 = 1e-6;

impl Physics {
    /// Node values and their c-derivatives at x cell `cell` and concentration `c`.
    fn node_partials(&self, cell: usize, c: f64) -> Node {
        let value = self.node_values(cell, c);
        let slope = if self.is_constant_transport() {
            [0.0, -value[1] / c, 0.0, 0.0]
        } else {
            let h = REL_STEP * c.abs().max(1e-3);
            let (p, m) = (self.node_values(cell, c + h), self.node_values(cell, c - h));
            std::array::from_fn(|k| (p[k] - m[k]) / (2.0 * h))
        };
        Node { value, slope }
    }

    /// The x rows' Jacobian at unknowns `u` and current density `i` (reaction currents held fixed)
    /// into `jac` (overwritten).
    pub fn jacobian_x(&self, u: &[f64], i: f64, jac: &mut BlockTridiagonal) {
        let g = &self.grid;
        let (nx, ns) = (g.nx(), g.ns);
        jac.clear();
        let mut add = |row: usize, col: usize, v: f64| jac.add(row, col, v);
        // Separator φ_s rows pin the dummy unknown: out = u.
        for c in 0..ns {
            add(3 * c + 2, 3 * c + 2, 1.0);
        }
        // Left boundary: i_e(0) from the ghost node φ_ref(c_b), c_b = 1.5 c₁ − 0.5 c₂, into the φ_e row
        // of cell 0 (with a minus sign and 1/Δx); N(0) = i/F is constant.
        let (c1, c2) = (u[0], u[3]);
        let n1 = self.node_partials(0, c1);
        let n2 = self.node_partials(1, c2);
        let c_b = 1.5 * c1 - 0.5 * c2;
        let hb = REL_STEP * c_b.abs().max(1e-3);
        let grad = |c: f64| self.boundary_gradient(i, c);
        let (gc0, dgc0) = (grad(c_b), (grad(c_b + hb) - grad(c_b - hb)) / (2.0 * hb));
        let phi_ref = self.li_potential(i, c_b);
        let dphi_ref = (self.li_potential(i, c_b + hb) - self.li_potential(i, c_b - hb)) / (2.0 * hb);
        let half = 0.5 * g.dx[0];
        let a = 1.5 * n1.value[0] - 0.5 * n2.value[0];
        let bq = 1.5 * n1.value[1] - 0.5 * n2.value[1];
        let p = bq * gc0 - (u[1] - phi_ref) / half;
        // ∂p/∂c_b (through the boundary gradient and φ_ref).
        let dp_db = bq * dgc0 + dphi_ref / half;
        let d_c1 = 1.5 * n1.slope[0] * p + a * (1.5 * n1.slope[1] * gc0 + 1.5 * dp_db);
        let d_c2 = -0.5 * n2.slope[0] * p + a * (-0.5 * n2.slope[1] * gc0 - 0.5 * dp_db);
        let inv0 = 1.0 / g.dx[0];
        add(1, 0, -d_c1 * inv0);
        add(1, 3, -d_c2 * inv0);
        add(1, 1, a / half * inv0);
        // Internal faces.
        let mut left = n1;
        for c in 0..nx - 1 {
            let right = if c == 0 { n2 } else { self.node_partials(c + 1, u[3 * (c + 1)]) };
            let (l, r) = (3 * c, 3 * (c + 1));
            let inv = 1.0 / g.dist[c];
            let beta = g.beta[c];
            let gc = (u[r] - u[l]) * inv;
            let gp = (u[r + 1] - u[l + 1]) * inv;
            let k = 0.5 * (left.value[0] + right.value[0]);
            let (hq, hq_l, hq_r) = harmonic_partials(left.value[1], right.value[1], beta);
            let (hd, hd_l, hd_r) = harmonic_partials(left.value[2], right.value[2], beta);
            let t = 0.5 * (left.value[3] + right.value[3]);
            let inner = hq * gc - gp;
            let ie = k * inner;
            // Partials of i_e and N over (c_l, φe_l, c_r, φe_r).
            let ie_cl = 0.5 * left.slope[0] * inner + k * (hq_l * left.slope[1] * gc - hq * inv);
            let ie_cr = 0.5 * right.slope[0] * inner + k * (hq_r * right.slope[1] * gc + hq * inv);
            let ie_pl = k * inv;
            let ie_pr = -k * inv;
            let n_cl =
                -hd_l * left.slope[2] * gc + hd * inv + (0.5 * left.slope[3] * ie + t * ie_cl) / FARADAY;
            let n_cr =
                -hd_r * right.slope[2] * gc - hd * inv + (0.5 * right.slope[3] * ie + t * ie_cr) / FARADAY;
            let (n_pl, n_pr) = (t * ie_pl / FARADAY, t * ie_pr / FARADAY);
            // The face is the right face of cell c (+flux/Δx) and the left face of cell c + 1 (−).
            for (cell, sign) in [(c, 1.0), (c + 1, -1.0)] {
                let row = 3 * cell;
                let s = sign / g.dx[cell];
                let sc = -s / g.eps[cell];
                add(row, l, sc * n_cl);
                add(row, r, sc * n_cr);
                add(row, l + 1, sc * n_pl);
                add(row, r + 1, sc * n_pr);
                add(row + 1, l, s * ie_cl);
                add(row + 1, r, s * ie_cr);
                add(row + 1, l + 1, s * ie_pl);
                add(row + 1, r + 1, s * ie_pr);
                if c >= ns {
                    // i_s = −σ (φ_s,r − φ_s,l)/d.
                    add(row + 2, l + 2, s * self.sigma_eff * inv);
                    add(row + 2, r + 2, -s * self.sigma_eff * inv);
                }
            }
            left = right;
        }
    }

    /// The salt gradient at the Li interface that carries the boundary flux N = i/F:
    /// ∂c/∂x = −(1 − t₊) i/(B D F) at concentration `c_b`.
    pub fn boundary_gradient(&self, i: f64, c_b: f64) -> f64 {
        let (tp, d) = self.boundary_transport(c_b);
        -(1.0 - tp) * i / (self.grid.tor[0] * d * FARADAY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fullcell::dfn::mesh::Grid;
    use crate::fullcell::dfn::residual::Reaction;
    use crate::fullcell::dfn::DfnMesh;
    use crate::fullcell::{FullCell, ReferenceElectrolyte};

    const HALF: usize = 5;
    const BAND: usize = 2 * HALF + 1;

    /// The coloured finite differences the analytic Jacobian replaced (9 evaluations of the x rows
    /// with the reactions held fixed), as the oracle.
    fn jacobian_fd(p: &Physics, u: &[f64], surf: &[f64], i: f64) -> Vec<f64> {
        let g = &p.grid;
        let (nx, n) = (g.nx(), u.len());
        let mut rx = vec![Reaction::default(); g.np];
        let (mut f0, mut f1) = (vec![0.0; n], vec![0.0; n]);
        p.eval_x(u, surf, i, &mut f0, &mut rx, false);
        let mut jac = vec![0.0; n * BAND];
        let mut up = u.to_vec();
        let mut step = vec![0.0; nx];
        for colour in 0..3 {
            for var in 0..3 {
                for c in (colour..nx).step_by(3) {
                    let col = 3 * c + var;
                    step[c] = 1e-7 * u[col].abs().max(1.0);
                    up[col] = u[col] + step[c];
                }
                p.eval_x(&up, surf, i, &mut f1, &mut rx, true);
                for c in (colour..nx).step_by(3) {
                    let col = 3 * c + var;
                    up[col] = u[col];
                    for row in 3 * c.saturating_sub(1)..3 * (c + 2).min(nx) {
                        jac[row * BAND + col + HALF - row] = (f1[row] - f0[row]) / step[c];
                    }
                }
            }
        }
        jac
    }

    /// A non-uniform state: salt gradients, potential drops and a mid-discharge particle surface.
    fn state(p: &Physics) -> (Vec<f64>, Vec<f64>) {
        let g = &p.grid;
        let mut u = Vec::new();
        for c in 0..g.nx() {
            let x = c as f64 / g.nx() as f64;
            let phis = if c >= g.ns { 3.35 - 0.01 * x } else { 0.0 };
            u.extend([900.0 + 400.0 * x * x, -0.02 - 0.05 * x, phis]);
        }
        let surf = (0..g.np).map(|k| p.cmax * (0.3 + 0.01 * k as f64)).collect();
        (u, surf)
    }

    /// Analytic against finite differences for a concentration-dependent liquid (κ(c) polynomial)
    /// and constant-property polymers, at rest and under ±1C: every entry within 1e-5 of the largest
    /// entry of its row (the differences' own truncation and round-off are ~1e-7 of it).
    #[test]
    fn analytic_jacobian_matches_finite_differences() {
        for e in [ReferenceElectrolyte::Liquid, ReferenceElectrolyte::SpeA, ReferenceElectrolyte::SpeB] {
            let cell = FullCell::prada2013(e).unwrap();
            let p = Physics::new(&cell, Grid::new(&cell, &DfnMesh { separator: 5, cathode: 6, particle: 4 }));
            let (u, surf) = state(&p);
            let n = u.len();
            for i in [0.0, 18.0, -18.0] {
                let fd = jacobian_fd(&p, &u, &surf, i);
                let mut an = BlockTridiagonal::new(p.grid.nx());
                p.jacobian_x(&u, i, &mut an);
                for row in 0..n {
                    let r = &fd[row * BAND..(row + 1) * BAND];
                    let scale = r.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                    for (k, f) in r.iter().enumerate() {
                        let Some(col) = (row + k).checked_sub(HALF).filter(|&c| c < n) else { continue };
                        let a = an.get(row, col);
                        assert!(
                            (a - f).abs() <= 1e-5 * scale,
                            "{e:?} i {i}: row {row} col {col}: analytic {a} vs fd {f}"
                        );
                    }
                }
            }
        }
    }
}
