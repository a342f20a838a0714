//! The discretised DFN right-hand side: the x rows (electrolyte concentration, electrolyte potential,
//! solid potential of every x cell) for given particle surface concentrations, and the particle rows
//! for given reaction current densities, exactly as PyBaMM's finite volumes write them.
//!
//! Unknowns of x cell k: `u[3k] = c_e`, `u[3k+1] = φ_e`, `u[3k+2] = φ_s` (in the separator φ_s is a
//! dummy pinned to 0). For differential unknowns the evaluation returns the rate dy/dt, for algebraic
//! ones the residual of the conservation law (A/m³):
//!
//! ```text
//! c_e:  ε dc/dt = −(N_{k+½} − N_{k−½})/Δx + a j/F,   N = −B D ∂c/∂x + t₊ i_e/F,  N(0) = i/F, N(L) = 0
//! φ_e:  (i_e,{k+½} − i_e,{k−½})/Δx − a j = 0,   i_e = κB [χRT/(Fc) ∂c/∂x − ∂φ_e/∂x],  i_e(L) = 0,
//!       φ_e(0) = φ_ref (Dirichlet through a ghost node, as PyBaMM's Li-metal boundary)
//! φ_s:  (i_s,{k+½} − i_s,{k−½})/Δx + a j = 0,   i_s = −σ (1 − ε)^b ∂φ_s/∂x,  i_s(L_s) = 0, i_s(L) = i
//! c_s:  dc/dt = r⁻² ∂(r² D_s ∂c/∂r)/∂r (spherical FV),  −D_s ∂c/∂r(R) = j/F
//! ```
//!
//! Face coefficients follow PyBaMM's `FiniteVolume`: a coefficient multiplying a gradient is a
//! harmonic mean (weights by cell width), one multiplying any other edge quantity an arithmetic
//! mean; boundary values are linear extrapolations from the two nearest nodes.

use std::sync::Arc;

use spelab_core::constants::{FARADAY, T_REF};

use super::mesh::{harmonic, Grid};
use crate::fullcell::{FullCell, Ocp};
use crate::physics::{
    arrhenius_factor, insertion_exchange_current_density, inverse_thermal_voltage, symmetric_current,
    ButlerVolmer, Transport,
};

/// Reaction current density of one cathode cell and its partial derivatives.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reaction {
    /// j [A/m²] (> 0 anodic: Li leaves the particle).
    pub j: f64,
    /// ∂j/∂c_e.
    pub d_ce: f64,
    /// ∂j/∂φ_e.
    pub d_phie: f64,
    /// ∂j/∂φ_s.
    pub d_phis: f64,
    /// ∂j/∂c_s,surf.
    pub d_cs: f64,
}

/// The constants of the discretised model.
#[derive(Debug, Clone)]
pub(crate) struct Physics {
    pub grid: Grid,
    pub transport: Arc<dyn Transport>,
    pub tdf: f64,
    pub temperature: f64,
    /// F/(RT).
    pub f: f64,
    /// a = 3 ε_s / R_p.
    pub a: f64,
    /// σ (1 − ε)^b (PyBaMM's electrode transport efficiency: the whole solid fraction conducts).
    pub sigma_eff: f64,
    pub cmax: f64,
    pub ocp: Ocp,
    /// m_ref(T) of the cathode exchange current density.
    pub m_ref: f64,
    pub li: ButlerVolmer,
    /// Foil ohmic + film resistance [Ω m²].
    pub li_resistance: f64,
    /// (κ, D, t₊) when the transport does not depend on c (then evaluated once).
    constant: Option<(f64, f64, f64)>,
    /// Particle rate coefficients r²_{m−½} D_s/(Δr V_m) and r²_{m+½} D_s/(Δr V_m) per shell.
    pub p_in: Vec<f64>,
    /// See `p_in`.
    pub p_out: Vec<f64>,
    /// R²/(F V_N): the surface flux coefficient of the outer shell.
    pub p_surf: f64,
}

impl Physics {
    /// The constants of `cell` on `grid`.
    pub fn new(cell: &FullCell, grid: Grid) -> Self {
        let c = &cell.cathode;
        let tr = &cell.electrolyte.transport;
        let t = cell.temperature;
        let c0 = cell.electrolyte.initial_concentration;
        let constant = tr
            .is_concentration_independent()
            .then(|| (tr.conductivity(c0, t), tr.diffusivity(c0, t), tr.transference_number(c0, t)));
        let nr = grid.nr;
        let coef = c.particle_diffusivity / grid.dr;
        let p_in = (0..nr).map(|m| grid.r_face[m].powi(2) * coef / grid.vol[m]).collect();
        let p_out = (0..nr)
            .map(|m| if m + 1 < nr { grid.r_face[m + 1].powi(2) * coef / grid.vol[m] } else { 0.0 })
            .collect();
        let p_surf = c.particle_radius.powi(2) / (FARADAY * grid.vol[nr - 1]);
        Physics {
            constant,
            p_in,
            p_out,
            p_surf,
            grid,
            transport: cell.electrolyte.transport.clone(),
            tdf: cell.electrolyte.thermodynamic_factor,
            temperature: cell.temperature,
            f: inverse_thermal_voltage(cell.temperature),
            a: c.specific_area(),
            sigma_eff: c.conductivity * (1.0 - c.porosity).powf(c.bruggeman_electrode),
            cmax: c.max_concentration,
            ocp: c.ocp.clone(),
            m_ref: c.reaction_rate * arrhenius_factor(c.reaction_activation_energy, cell.temperature, T_REF),
            li: cell.lithium.kinetics,
            li_resistance: cell.lithium.thickness / cell.lithium.conductivity
                + cell.lithium.film_resistance
                + cell.contact_resistance,
        }
    }

    /// R_p² [m²].
    #[cfg(test)]
    fn rp_squared(&self) -> f64 {
        self.p_surf * FARADAY * self.grid.vol[self.grid.nr - 1]
    }

    /// Particle surface concentration (linear extrapolation of the last two nodes) of particle `cs`.
    pub fn surface(&self, cs: &[f64]) -> f64 {
        let n = cs.len();
        1.5 * cs[n - 1] - 0.5 * cs[n - 2]
    }

    /// Butler-Volmer reaction current of a cathode cell, with its partial derivatives.
    pub fn reaction(&self, ce: f64, phie: f64, phis: f64, cs: f64) -> Reaction {
        let x = cs / self.cmax;
        let eta = phis - phie - self.ocp.potential(x);
        let (ce_p, cs_p, cr_p) = (ce.max(1e-12), cs.max(1e-12), (self.cmax - cs).max(1e-12));
        let j0 = insertion_exchange_current_density(self.m_ref, ce, cs, self.cmax, 1e-12);
        let arg = 0.5 * self.f * eta;
        let (s, c) = (arg.sinh(), arg.cosh());
        let j = 2.0 * j0 * s;
        let dj_deta = j0 * self.f * c;
        let dj_dj0 = 2.0 * s;
        Reaction {
            j,
            d_ce: dj_dj0 * j0 / (2.0 * ce_p),
            d_phie: -dj_deta,
            d_phis: dj_deta,
            d_cs: dj_dj0 * j0 * (0.5 / cs_p - 0.5 / cr_p) - dj_deta * self.ocp.slope(x) / self.cmax,
        }
    }

    /// Reaction current density of a cathode cell (value only).
    pub fn reaction_value(&self, ce: f64, phie: f64, phis: f64, cs: f64) -> f64 {
        let eta = phis - phie - self.ocp.potential(cs / self.cmax);
        let j0 = insertion_exchange_current_density(self.m_ref, ce, cs, self.cmax, 1e-12);
        symmetric_current(j0, self.f, eta)
    }

    /// Node quantities of x cell `cell` at concentration `c`: (κB, χRT/(Fc), DB, t₊).
    fn node(&self, cell: usize, c: f64) -> (f64, f64, f64, f64) {
        let [k, q, d, tp] = self.node_values(cell, c);
        (k, q, d, tp)
    }

    /// [`Physics::node`] as an array.
    pub fn node_values(&self, cell: usize, c: f64) -> [f64; 4] {
        let tor = self.grid.tor[cell];
        match self.constant {
            Some((k, d, tp)) => [k * tor, 2.0 * (1.0 - tp) * self.tdf / (self.f * c), d * tor, tp],
            None => {
                let (tr, t) = (&*self.transport, self.temperature);
                let tp = tr.transference_number(c, t);
                [
                    tr.conductivity(c, t) * tor,
                    2.0 * (1.0 - tp) * self.tdf / (self.f * c),
                    tr.diffusivity(c, t) * tor,
                    tp,
                ]
            }
        }
    }

    /// Whether κ, D and t₊ do not depend on c (evaluated once).
    pub fn is_constant_transport(&self) -> bool {
        self.constant.is_some()
    }

    /// (t₊, D) at the Li interface concentration `c_b`.
    pub fn boundary_transport(&self, c_b: f64) -> (f64, f64) {
        match self.constant {
            Some((_, d, tp)) => (tp, d),
            None => (
                self.transport.transference_number(c_b, self.temperature),
                self.transport.diffusivity(c_b, self.temperature),
            ),
        }
    }

    /// Electrolyte potential at the Li interface φ_ref = φ_s,Li − η_Li − i R_film with the foil
    /// grounded, for current density `i` and interface concentration `c_b`.
    pub fn li_potential(&self, i: f64, c_b: f64) -> f64 {
        let j0 = self.li.exchange_current_density_at(c_b, self.temperature);
        -i * self.li_resistance - self.li.overpotential(i, j0, self.temperature)
    }

    /// The x rows for unknowns `u` (3 per x cell), surface concentrations `surf` (one per cathode
    /// cell) and current density `i`: rates (c_e) and residuals (φ_e, φ_s) into `out`; reaction
    /// current densities into `rx` (values only), or taken from `rx` when `fixed_reactions`.
    pub fn eval_x(
        &self,
        u: &[f64],
        surf: &[f64],
        i: f64,
        out: &mut [f64],
        rx: &mut [Reaction],
        fixed_reactions: bool,
    ) {
        let g = &self.grid;
        let (nx, ns) = (g.nx(), g.ns);
        if !fixed_reactions {
            for k in 0..g.np {
                let c = ns + k;
                rx[k].j = self.reaction_value(u[3 * c], u[3 * c + 1], u[3 * c + 2], surf[k]);
            }
        }
        // Left boundary (Li interface): N = i/F; i_e from the Dirichlet ghost node.
        let (c1, c2) = (u[0], u[3]);
        let c_b = 1.5 * c1 - 0.5 * c2;
        let phi_ref = self.li_potential(i, c_b);
        let (k1, q1, d1, tp1) = self.node(0, c1);
        let (k2, q2, _, _) = self.node(1, c2);
        let grad_c0 = self.boundary_gradient(i, c_b);
        let ie0 =
            (1.5 * k1 - 0.5 * k2) * ((1.5 * q1 - 0.5 * q2) * grad_c0 - (u[1] - phi_ref) / (0.5 * g.dx[0]));
        let mut n_left = i / FARADAY;
        let mut ie_left = ie0;
        let mut is_left = 0.0;
        let (mut kap_l, mut q_l, mut d_l, mut tp_l) = (k1, q1, d1, tp1);
        for c in 0..nx {
            let (n_right, ie_right, is_right) = if c + 1 < nx {
                let (kap_r, q_r, d_r, tp_r) = self.node(c + 1, u[3 * (c + 1)]);
                let beta = g.beta[c];
                let inv = 1.0 / g.dist[c];
                let gc = (u[3 * (c + 1)] - u[3 * c]) * inv;
                let gp = (u[3 * (c + 1) + 1] - u[3 * c + 1]) * inv;
                let ie = 0.5 * (kap_l + kap_r) * (harmonic(q_l, q_r, beta) * gc - gp);
                let n = -harmonic(d_l, d_r, beta) * gc + 0.5 * (tp_l + tp_r) * ie / FARADAY;
                let is =
                    if c >= ns { -self.sigma_eff * (u[3 * (c + 1) + 2] - u[3 * c + 2]) * inv } else { 0.0 };
                (kap_l, q_l, d_l, tp_l) = (kap_r, q_r, d_r, tp_r);
                (n, ie, is)
            } else {
                (0.0, 0.0, i)
            };
            let inv_dx = 1.0 / g.dx[c];
            let src = if c >= ns { self.a * rx[c - ns].j } else { 0.0 };
            out[3 * c] = (-(n_right - n_left) * inv_dx + src / FARADAY) / g.eps[c];
            out[3 * c + 1] = (ie_right - ie_left) * inv_dx - src;
            out[3 * c + 2] = if c >= ns { (is_right - is_left) * inv_dx + src } else { u[3 * c + 2] };
            n_left = n_right;
            ie_left = ie_right;
            is_left = is_right;
        }
    }

    /// Particle rates dc_s/dt of all particles `cs` (nr per cathode cell) for reactions `rx`.
    pub fn eval_p(&self, cs: &[f64], rx: &[Reaction], out: &mut [f64]) {
        let nr = self.grid.nr;
        for ((c, o), r) in cs.chunks_exact(nr).zip(out.chunks_exact_mut(nr)).zip(rx) {
            o[0] = self.p_out[0] * (c[1] - c[0]);
            let inner = o[1..nr - 1].iter_mut().zip(c.windows(3)).zip(&self.p_out[1..]).zip(&self.p_in[1..]);
            for (((om, w), po), pi) in inner {
                *om = po * (w[2] - w[1]) - pi * (w[1] - w[0]);
            }
            o[nr - 1] = -self.p_surf * r.j - self.p_in[nr - 1] * (c[nr - 1] - c[nr - 2]);
        }
    }

    /// Terminal voltage of x unknowns `u`: φ_s at the cathode current collector (linear extrapolation
    /// of the last two nodes), the Li foil being grounded.
    pub fn voltage(&self, u: &[f64]) -> f64 {
        let nx = self.grid.nx();
        1.5 * u[3 * (nx - 1) + 2] - 0.5 * u[3 * (nx - 2) + 2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fullcell::dfn::DfnMesh;
    use crate::fullcell::ReferenceElectrolyte;

    fn physics() -> Physics {
        let cell = FullCell::prada2013(ReferenceElectrolyte::Liquid).unwrap();
        let grid = Grid::new(&cell, &DfnMesh { separator: 4, cathode: 5, particle: 6 });
        Physics::new(&cell, grid)
    }

    #[test]
    fn reaction_partials_match_finite_differences() {
        let p = physics();
        let (ce, phie, phis, cs) = (900.0, -0.05, 3.38, 9000.0);
        let r = p.reaction(ce, phie, phis, cs);
        assert!((r.j - p.reaction_value(ce, phie, phis, cs)).abs() < 1e-14 * r.j.abs().max(1.0));
        let fd = |dce: f64, dpe: f64, dps: f64, dcs: f64, h: f64| {
            (p.reaction_value(ce + dce * h, phie + dpe * h, phis + dps * h, cs + dcs * h)
                - p.reaction_value(ce - dce * h, phie - dpe * h, phis - dps * h, cs - dcs * h))
                / (2.0 * h)
        };
        for (an, num) in [
            (r.d_ce, fd(1.0, 0.0, 0.0, 0.0, 1e-3)),
            (r.d_phie, fd(0.0, 1.0, 0.0, 0.0, 1e-7)),
            (r.d_phis, fd(0.0, 0.0, 1.0, 0.0, 1e-7)),
            (r.d_cs, fd(0.0, 0.0, 0.0, 1.0, 1e-3)),
        ] {
            assert!((an - num).abs() <= 1e-6 * an.abs().max(1e-12), "{an} vs {num}");
        }
    }

    #[test]
    fn rest_state_has_zero_residual_and_fluxes_telescope() {
        let p = physics();
        let g = &p.grid;
        let (nx, np, nr) = (g.nx(), g.np, g.nr);
        let x0 = 0.3;
        let u0 = p.ocp.potential(x0);
        let mut u = Vec::new();
        for c in 0..nx {
            u.extend([1200.0, 0.0, if c >= g.ns { u0 } else { 0.0 }]);
        }
        let surf = vec![x0 * p.cmax; np];
        let mut out = vec![0.0; 3 * nx];
        let mut rx = vec![Reaction::default(); np];
        p.eval_x(&u, &surf, 0.0, &mut out, &mut rx, false);
        assert!(out.iter().all(|v| v.abs() < 1e-9), "{out:?}");
        // Particle rates conserve lithium: Σ V_m dc_m/dt = −R² j/F for any profile.
        let cs: Vec<f64> = (0..np * nr).map(|k| 5000.0 + 37.0 * (k as f64).sin()).collect();
        for (k, r) in rx.iter_mut().enumerate() {
            r.j = 0.3 * k as f64 - 0.5;
        }
        let mut rate = vec![0.0; np * nr];
        p.eval_p(&cs, &rx, &mut rate);
        for (k, r) in rx.iter().enumerate() {
            let total: f64 = (0..nr).map(|m| g.vol[m] * rate[k * nr + m]).sum();
            let expect = -p.rp_squared() * r.j / FARADAY;
            assert!((total - expect).abs() < 1e-12 * expect.abs().max(1e-30) + 1e-30, "{total} vs {expect}");
        }
    }
}
