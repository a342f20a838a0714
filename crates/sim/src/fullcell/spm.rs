//! The single-particle model (SPM) of the LFP | electrolyte | Li full cell (cellmodel.md §2 "SPM"):
//! the electrolyte stays at c₀ everywhere, every cathode particle sees the same interfacial current
//! density j = −i/(a L_p), and one spherical particle is resolved in `shells` finite-volume shells
//! exactly as PyBaMM discretises it (uniform shells, fluxes through the shell faces weighted by r²,
//! the surface value extrapolated linearly from the two outer shell centres).
//!
//! ```text
//! V = U(x_surf) + (2/f) asinh(−i / (2 a L_p j0(c₀, c_surf))) − η_Li(i, j0_Li(c₀)) − i L_Li/σ_Li − i R_f
//! ```
//!
//! with η_Li from the Li electrode's Butler-Volmer law (stripping current i on discharge) and R_f its
//! film resistance. Under constant current the shell equations are linear with constant coefficients,
//! so they are integrated exactly (modal decomposition of the symmetrised FV operator): the state at
//! any time is exact to rounding, steps only set where samples are reported, and voltage limits are
//! located by bisection on the exact state (to 1e-7 s). Li is conserved to rounding: the particle's
//! mean concentration follows ∫ i dt.
//!
//! What the SPM cannot show: electrolyte polarisation and salt depletion (use the DFN for polymer
//! electrolytes, cellmodel.md §3: the SPM overestimates SPE capacities at high rate).
//!
//! ```
//! use spelab_sim::fullcell::{FullCell, FullCellModel, Limits, ReferenceElectrolyte, SegmentEnd, Spm};
//! let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA)?;
//! let mut spm = Spm::new(&cell, 0.0038, 20)?;
//! let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
//! let i = cell.one_c_current_density();
//! let end = spm.advance(i, 2.0 * 3600.0, &limits, &mut |_| {})?;
//! assert_eq!(end, SegmentEnd::VoltageMin);
//! // PyBaMM's SPM: 166.74 mAh/g at 1C (cellmodel.md §3).
//! let q = cell.specific_capacity_mah_g(spm.sample().charge);
//! assert!((q - 166.74).abs() < 0.05, "{q}");
//! # Ok::<(), spelab_sim::SimError>(())
//! ```

use super::model::{FullCellModel, FullCellSample, Limits, SegmentEnd};
use super::params::FullCell;
use crate::error::{check_param, SimError};
use crate::physics::symmetric_overpotential;
use spelab_core::constants::FARADAY;

/// Largest step between reported samples [s].
const MAX_STEP_S: f64 = 30.0;
/// First step of a segment [s] (resolves the instantaneous kinetic jump for recorders).
const FIRST_STEP_S: f64 = 0.5;
/// Largest voltage change between reported samples; a larger one halves the step [V].
const MAX_VOLTAGE_STEP: f64 = 0.005;
/// Time tolerance of the event location by bisection [s].
const EVENT_TOLERANCE_S: f64 = 1e-7;

/// The single-particle model (module docs).
#[derive(Debug, Clone)]
pub struct Spm {
    cell: FullCell,
    /// Modal coordinates z = Qᵀ V^{1/2} c of the shell concentrations [mol/m³ · m^{3/2}].
    modes: Vec<f64>,
    /// Eigenvalues of the symmetrised operator [1/s] (≤ 0).
    eigenvalues: Vec<f64>,
    /// Modal source per unit current density, Qᵀ V^{1/2} b [.../(A/m²)/s].
    source: Vec<f64>,
    /// Rows of c = V^{-1/2} Q z for the outer two shells (outermost first).
    outer_rows: [Vec<f64>; 2],
    /// Shell volumes / (4π) [m³], for the mean concentration.
    volumes: Vec<f64>,
    /// The mode-to-concentration map V^{-1/2} Q, row-major (shell, mode).
    to_shells: Vec<f64>,
    time_s: f64,
    charge: f64,
    current_density: f64,
}

impl Spm {
    /// The SPM of `cell` at rest with a uniform cathode stoichiometry `initial_stoichiometry` (in
    /// (0, 1): the exchange current density vanishes at 0 and 1) and `shells` finite-volume shells per
    /// particle (≥ 2; PyBaMM's default is 20).
    pub fn new(cell: &FullCell, initial_stoichiometry: f64, shells: usize) -> Result<Spm, SimError> {
        cell.validate()?;
        let x0 = initial_stoichiometry;
        check_param("initial stoichiometry", x0, x0 > 0.0 && x0 < 1.0, "in (0, 1)")?;
        if shells < 2 {
            return Err(SimError::InvalidParameter {
                name: "particle shells",
                value: shells as f64,
                expected: ">= 2",
            });
        }
        let n = shells;
        let c = &cell.cathode;
        let (r, d) = (c.particle_radius, c.particle_diffusivity);
        let h = r / n as f64;
        let edge = |k: usize| k as f64 * h;
        let volumes: Vec<f64> = (0..n).map(|i| (edge(i + 1).powi(3) - edge(i).powi(3)) / 3.0).collect();
        // K (symmetric, tridiagonal): V_i dc_i/dt = Σ K_ik c_k; face k between shells k-1 and k.
        let mut s = vec![0.0; n * n];
        for k in 1..n {
            let g = d * edge(k).powi(2) / h;
            let (a, b) = (k - 1, k);
            s[a * n + a] -= g;
            s[b * n + b] -= g;
            s[a * n + b] += g;
            s[b * n + a] += g;
        }
        let sq: Vec<f64> = volumes.iter().map(|v| v.sqrt()).collect();
        for i in 0..n {
            for k in 0..n {
                s[i * n + k] /= sq[i] * sq[k];
            }
        }
        let (eigenvalues, q) = jacobi_eigen(s, n);
        // Source: V_{n-1} dc/dt += R² i / (a L_p F) on the outer shell (discharge inserts Li).
        let b_outer = r * r / (c.specific_area() * c.thickness * FARADAY) / sq[n - 1];
        let source: Vec<f64> = (0..n).map(|m| q[(n - 1) * n + m] * b_outer).collect();
        let to_shells: Vec<f64> = (0..n * n).map(|ik| q[ik] / sq[ik / n]).collect();
        let outer_rows = [to_shells[(n - 1) * n..].to_vec(), to_shells[(n - 2) * n..(n - 1) * n].to_vec()];
        let c0 = x0 * c.max_concentration;
        let modes: Vec<f64> = (0..n).map(|m| (0..n).map(|i| q[i * n + m] * sq[i] * c0).sum()).collect();
        Ok(Spm {
            cell: cell.clone(),
            modes,
            eigenvalues,
            source,
            outer_rows,
            volumes,
            to_shells,
            time_s: 0.0,
            charge: 0.0,
            current_density: 0.0,
        })
    }

    /// Shell concentrations, centre first [mol/m³].
    pub fn shell_concentrations(&self) -> Vec<f64> {
        let n = self.modes.len();
        (0..n).map(|i| (0..n).map(|m| self.to_shells[i * n + m] * self.modes[m]).sum()).collect()
    }

    /// Modes after `dt` [s] at current density `i` [A/m²] (exact).
    fn propagate(&self, i: f64, dt: f64) -> Vec<f64> {
        self.modes
            .iter()
            .zip(&self.eigenvalues)
            .zip(&self.source)
            .map(|((z, &l), g)| {
                let x = l * dt;
                // (e^{λt} − 1)/λ without cancellation, t for λ → 0.
                let phi = if x.abs() < 1e-12 { dt } else { dt * x.exp_m1() / x };
                z * x.exp() + g * i * phi
            })
            .collect()
    }

    /// Surface stoichiometry of a modal state: linear extrapolation from the two outer shells.
    fn surface_stoichiometry(&self, modes: &[f64]) -> f64 {
        let dot = |row: &[f64]| row.iter().zip(modes).map(|(a, b)| a * b).sum::<f64>();
        let (c_n, c_m) = (dot(&self.outer_rows[0]), dot(&self.outer_rows[1]));
        (c_n + 0.5 * (c_n - c_m)) / self.cell.cathode.max_concentration
    }

    /// Terminal voltage at surface stoichiometry `x` and current density `i` [V].
    fn voltage(&self, x: f64, i: f64) -> f64 {
        let cell = &self.cell;
        let c = &cell.cathode;
        let (t, ce) = (cell.temperature, cell.electrolyte.initial_concentration);
        let u = c.ocp.potential(x);
        let j0 = c.exchange_current_density(ce, x * c.max_concentration, t);
        let eta_p = if i == 0.0 {
            0.0
        } else if j0 > 0.0 {
            symmetric_overpotential(-i, c.specific_area() * c.thickness * j0, cell.f())
        } else {
            f64::INFINITY.copysign(-i)
        };
        let li = &cell.lithium;
        let eta_li = li.kinetics.overpotential(i, li.kinetics.exchange_current_density_at(ce, t), t);
        u + eta_p
            - eta_li
            - i * li.thickness / li.conductivity
            - i * (li.film_resistance + cell.contact_resistance)
    }

    /// Mean stoichiometry of a modal state.
    fn mean_stoichiometry(&self, modes: &[f64]) -> f64 {
        let n = modes.len();
        let total: f64 = (0..n)
            .map(|i| self.volumes[i] * (0..n).map(|m| self.to_shells[i * n + m] * modes[m]).sum::<f64>())
            .sum();
        let r = self.cell.cathode.particle_radius;
        total / (r.powi(3) / 3.0) / self.cell.cathode.max_concentration
    }

    fn sample_of(&self, modes: &[f64], time_s: f64, charge: f64, i: f64) -> FullCellSample {
        FullCellSample {
            time_s,
            voltage: self.voltage(self.surface_stoichiometry(modes), i),
            current_density: i,
            charge,
            electrolyte_min: self.cell.electrolyte.initial_concentration,
            mean_stoichiometry: self.mean_stoichiometry(modes),
        }
    }

    /// The limit `modes` (at current `i`) has reached, if any.
    fn limit_reached(&self, modes: &[f64], i: f64, limits: &Limits) -> Option<SegmentEnd> {
        let x = self.surface_stoichiometry(modes);
        if !(x > 0.0 && x < 1.0) {
            return Some(SegmentEnd::Stoichiometry);
        }
        let v = self.voltage(x, i);
        if i > 0.0 && (v.is_nan() || v <= limits.voltage_min) {
            Some(SegmentEnd::VoltageMin)
        } else if i < 0.0 && (v.is_nan() || v >= limits.voltage_max) {
            Some(SegmentEnd::VoltageMax)
        } else {
            None
        }
    }
}

impl FullCellModel for Spm {
    fn sample(&self) -> FullCellSample {
        self.sample_of(&self.modes, self.time_s, self.charge, self.current_density)
    }

    fn advance(
        &mut self,
        current_density: f64,
        duration_s: f64,
        limits: &Limits,
        observe: &mut dyn FnMut(&FullCellSample),
    ) -> Result<SegmentEnd, SimError> {
        let i = current_density;
        check_param("current density", i, true, "finite A/m2")?;
        check_param("segment duration", duration_s, duration_s >= 0.0, ">= 0 s")?;
        self.current_density = i;
        if let Some(end) = self.limit_reached(&self.modes, i, limits) {
            observe(&self.sample());
            return Ok(end);
        }
        let mut elapsed = 0.0;
        let mut dt = FIRST_STEP_S.min(duration_s);
        let mut v_prev = self.sample().voltage;
        loop {
            let step = dt.min(duration_s - elapsed);
            let next = self.propagate(i, step);
            if let Some(end) = self.limit_reached(&next, i, limits) {
                // Bisect on the exact state for the first time the limit is reached.
                let (mut lo, mut hi) = (0.0, step);
                while hi - lo > EVENT_TOLERANCE_S {
                    let mid = 0.5 * (lo + hi);
                    if self.limit_reached(&self.propagate(i, mid), i, limits).is_some() {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                self.modes = self.propagate(i, hi);
                self.time_s += hi;
                self.charge += i * hi;
                observe(&self.sample());
                return Ok(end);
            }
            let v = self.sample_of(&next, 0.0, 0.0, i).voltage;
            if (v - v_prev).abs() > MAX_VOLTAGE_STEP && step > 1e-3 {
                dt = 0.5 * step;
                continue;
            }
            self.modes = next;
            self.time_s += step;
            self.charge += i * step;
            elapsed += step;
            v_prev = v;
            observe(&self.sample());
            if elapsed >= duration_s {
                return Ok(SegmentEnd::Duration);
            }
            dt = (2.0 * step).min(MAX_STEP_S);
        }
    }
}

/// Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations: returns the
/// eigenvalues and the orthogonal matrix Q (row-major, eigenvectors in columns), S = Q Λ Qᵀ.
fn jacobi_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut q = vec![0.0; n * n];
    for i in 0..n {
        q[i * n + i] = 1.0;
    }
    let scale = a.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&k| k != i).map(move |k| (i, k)))
            .fold(0.0, |s, (i, k)| s + a[i * n + k] * a[i * n + k]);
        if off.sqrt() <= 1e-15 * scale {
            break;
        }
        for p in 0..n {
            for r in p + 1..n {
                let apr = a[p * n + r];
                if apr.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[r * n + r] - a[p * n + p]) / (2.0 * apr);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akr) = (a[k * n + p], a[k * n + r]);
                    a[k * n + p] = c * akp - s * akr;
                    a[k * n + r] = s * akp + c * akr;
                }
                for k in 0..n {
                    let (apk, ark) = (a[p * n + k], a[r * n + k]);
                    a[p * n + k] = c * apk - s * ark;
                    a[r * n + k] = s * apk + c * ark;
                }
                for k in 0..n {
                    let (qkp, qkr) = (q[k * n + p], q[k * n + r]);
                    q[k * n + p] = c * qkp - s * qkr;
                    q[k * n + r] = s * qkp + c * qkr;
                }
            }
        }
    }
    ((0..n).map(|i| a[i * n + i]).collect(), q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fullcell::ReferenceElectrolyte;

    #[test]
    fn jacobi_reconstructs_a_symmetric_matrix() {
        let n = 4;
        let s = vec![4.0, 1.0, 0.0, 0.5, 1.0, 3.0, -1.0, 0.0, 0.0, -1.0, 2.0, 0.25, 0.5, 0.0, 0.25, 1.0];
        let (l, q) = jacobi_eigen(s.clone(), n);
        for i in 0..n {
            for k in 0..n {
                let back: f64 = (0..n).map(|m| q[i * n + m] * l[m] * q[k * n + m]).sum();
                assert!((back - s[i * n + k]).abs() < 1e-12, "({i},{k})");
            }
        }
    }

    #[test]
    fn rest_keeps_a_uniform_particle_and_lithium_is_conserved() {
        let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap();
        let mut spm = Spm::new(&cell, 0.5, 20).unwrap();
        let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
        spm.advance(0.0, 1000.0, &limits, &mut |_| {}).unwrap();
        for c in spm.shell_concentrations() {
            assert!((c / (0.5 * 22806.0) - 1.0).abs() < 1e-12);
        }
        // Discharge, charge, rest: the mean stoichiometry follows ∫ i dt to 1e-12.
        let i = cell.one_c_current_density();
        spm.advance(i, 1200.0, &limits, &mut |_| {}).unwrap();
        spm.advance(-0.5 * i, 900.0, &limits, &mut |_| {}).unwrap();
        spm.advance(0.0, 600.0, &limits, &mut |_| {}).unwrap();
        let s = spm.sample();
        let expect = 0.5 + s.charge / cell.theoretical_capacity();
        assert!((s.mean_stoichiometry - expect).abs() < 1e-12, "{} vs {expect}", s.mean_stoichiometry);
        assert!((s.charge - i * (1200.0 - 450.0)).abs() < 1e-9 * i * 1200.0);
        // After the rest the particle relaxes to uniform (τ = R²/D = 424 s; 600 s leaves < 1e-3).
        let c = spm.shell_concentrations();
        assert!((c[0] - c[19]).abs() / 22806.0 < 1e-3);
    }

    #[test]
    fn voltage_at_switch_on_is_the_closed_form() {
        // Uniform particle at x0: V = U(x0) + (2/f) asinh(−i/(2 a L j0)) − (2/f) asinh(i/(2 j0_Li))
        // − i L_Li/σ_Li − i R_f, exact at t = 0 (zero-duration segment).
        let mut cell = FullCell::prada2013(ReferenceElectrolyte::SpeB).unwrap();
        cell.lithium.film_resistance = 1e-3;
        let limits = Limits { voltage_min: 2.0, voltage_max: 4.5, electrolyte_min: 1.0 };
        for (x0, i) in [(0.3, 18.288), (0.7, -9.1), (0.5, 0.0)] {
            let mut spm = Spm::new(&cell, x0, 20).unwrap();
            spm.advance(i, 0.0, &limits, &mut |_| {}).unwrap();
            let c = &cell.cathode;
            let f = cell.f();
            let j0 = c.reaction_rate
                * (1000.0 * x0 * c.max_concentration * (1.0 - x0) * c.max_concentration).sqrt();
            let expect = c.ocp.potential(x0)
                + (2.0 / f) * (-i / (2.0 * c.specific_area() * c.thickness * j0)).asinh()
                - (2.0 / f) * (i / 2.0).asinh()
                - i * 50e-6 / 10776000.0
                - i * 1e-3;
            let v = spm.sample().voltage;
            assert!((v - expect).abs() < 1e-12, "x0 {x0}, i {i}: {v} vs {expect}");
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let cell = FullCell::prada2013(ReferenceElectrolyte::Liquid).unwrap();
        assert!(Spm::new(&cell, 1.0, 20).is_err());
        assert!(Spm::new(&cell, 0.5, 1).is_err());
        let mut spm = Spm::new(&cell, 0.5, 20).unwrap();
        let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
        assert!(spm.advance(f64::NAN, 1.0, &limits, &mut |_| {}).is_err());
        assert!(spm.advance(1.0, -1.0, &limits, &mut |_| {}).is_err());
    }
}
