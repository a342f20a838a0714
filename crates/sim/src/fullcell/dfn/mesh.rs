//! The finite-volume grid of the DFN model: uniform sub-meshes in the separator and the cathode
//! (PyBaMM's default `Uniform1DSubMesh`), a uniform spherical mesh in every particle, and the
//! per-cell material constants (porosity ε, transport efficiency B = ε^b) the fluxes need.

use super::DfnMesh;
use crate::fullcell::FullCell;

/// Geometry of the x mesh (separator cells first, then cathode cells) and the particle mesh.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// Separator cells.
    pub ns: usize,
    /// Cathode cells.
    pub np: usize,
    /// Radial cells per particle.
    pub nr: usize,
    /// Cell widths [m] (ns + np).
    pub dx: Vec<f64>,
    /// Cell centres [m].
    pub xc: Vec<f64>,
    /// Distance between neighbouring centres [m] (ns + np − 1 internal faces).
    pub dist: Vec<f64>,
    /// Harmonic-mean weight β = dx_left/(dx_left + dx_right) of each internal face.
    pub beta: Vec<f64>,
    /// Electrolyte volume fraction per cell.
    pub eps: Vec<f64>,
    /// Transport efficiency ε^b per cell.
    pub tor: Vec<f64>,
    /// Radial cell width [m].
    pub dr: f64,
    /// Radial faces r_{i+1/2} [m] (nr + 1 values, 0 and R included).
    pub r_face: Vec<f64>,
    /// Radial cell volumes (r_{i+1/2}³ − r_{i−1/2}³)/3 [m³ per steradian].
    pub vol: Vec<f64>,
}

impl Grid {
    /// The grid of `cell` with `mesh` cell counts (already validated: every count ≥ 2).
    pub fn new(cell: &FullCell, mesh: &DfnMesh) -> Self {
        let (ns, np, nr) = (mesh.separator, mesh.cathode, mesh.particle);
        let (ls, lp) = (cell.separator.thickness, cell.cathode.thickness);
        let mut dx = vec![ls / ns as f64; ns];
        dx.extend(std::iter::repeat_n(lp / np as f64, np));
        let mut xc = Vec::with_capacity(ns + np);
        let mut left = 0.0;
        for d in &dx {
            xc.push(left + 0.5 * d);
            left += d;
        }
        let dist: Vec<f64> = xc.windows(2).map(|w| w[1] - w[0]).collect();
        let beta: Vec<f64> = dx.windows(2).map(|w| w[0] / (w[0] + w[1])).collect();
        let sep = &cell.separator;
        let cat = &cell.cathode;
        let mut eps = vec![sep.porosity; ns];
        eps.extend(std::iter::repeat_n(cat.porosity, np));
        let mut tor = vec![sep.porosity.powf(sep.bruggeman); ns];
        tor.extend(std::iter::repeat_n(cat.porosity.powf(cat.bruggeman_electrolyte), np));
        let rp = cat.particle_radius;
        let dr = rp / nr as f64;
        let r_face: Vec<f64> = (0..=nr).map(|i| i as f64 * dr).collect();
        let vol = r_face.windows(2).map(|w| (w[1].powi(3) - w[0].powi(3)) / 3.0).collect();
        Grid { ns, np, nr, dx, xc, dist, beta, eps, tor, dr, r_face, vol }
    }

    /// Number of x cells.
    pub fn nx(&self) -> usize {
        self.ns + self.np
    }
}

/// PyBaMM's harmonic node-to-edge mean of a flux coefficient across a face with weight β.
pub(crate) fn harmonic(d1: f64, d2: f64, beta: f64) -> f64 {
    d1 * d2 / (d2 * beta + d1 * (1.0 - beta) + 1e-16)
}
