//! Ageing of the Li-metal full cell over hundreds of cycles: the laws ([`AgeingLaws`], [`AgeingLaw`]),
//! the retention curve ([`retention`] by direct sampling, [`predict`] through a capacity table) and
//! the calibration of a law's rate on one retention number ([`calibrate`]).
//!
//! # Laws (Q = areal charge throughput since assembly, charge plus discharge [C/m²])
//!
//! - SEI film at the Li anode ([`AgeingLaw::SeiFilm`]): a side current i_SEI = f_SEI |i| turns Li
//!   into SEI while the cell cycles (the charge-driven law of cellmodel.md §1: every plated coulomb
//!   exposes fresh Li), so the Li consumed is n_Li(Q) = ∫ i_SEI dt / F = f_SEI Q / F. The SEI holds
//!   n_SEI = n_Li / z_SEI formula units of molar volume V̄_SEI, a film of thickness δ = V̄_SEI n_SEI
//!   and resistivity ρ_SEI in series with the Li interface: R_SEI(Q) = R_SEI,0 + k_R Q with
//!   k_R = ρ_SEI V̄_SEI f_SEI / (z_SEI F). PyBaMM's SEI defaults fix the ratio ([`SEI_RESISTIVITY`]
//!   2e5 Ω·m, [`SEI_MOLAR_VOLUME`] 9.585e-5 m³/mol, [`SEI_LITHIUM_PER_UNIT`] 2; Ramadass et al. 2004,
//!   doi:10.1149/1.1634273), so one rate (k_R) sets both. The Li comes from the foil, which holds far
//!   more than the cathode can take (50 µm ≈ 10 mAh/cm² against 1.8), so the loss of Li inventory is
//!   reported but does not limit the capacity while the foil lasts;
//! - loss of active cathode material ([`AgeingLaw::ActiveMaterial`]): u(Q) = u₀ (1 − k_LAM Q)⁺ of the
//!   weighed LFP still cycles (floored at 1e-3 u₀ so the model stays defined).
//!
//! Both laws are linear in Q, so the cell aged by `laws.scaled(s)` to Q is the cell aged by `laws` to
//! s Q: one rate s per law, calibrated on one retention number.
//!
//! # Method (quasi-static)
//!
//! Ageing changes the cell little per cycle, so the capacity of cycle n is one DFN discharge of the
//! cell aged to Q_n, from the charged cathode at the cycle's rate (full charges assumed); Q grows by
//! twice that capacity per cycle: Q₁ = 0, Q_{n+1} = Q_n + 2 C_n. [`retention`] runs one discharge every
//! `stride` cycles (capacity held between samples). [`predict`] and [`calibrate`] tabulate the
//! capacity C(Q) once on a uniform grid of throughput (discharges in parallel), step every cycle
//! through the table (linear interpolation), and check the last cycle with one direct discharge of the
//! cell aged to its throughput ([`RetentionCurve::interpolation_error`]): hundreds of cycles for 15-30
//! discharges. [`calibrate`] finds the throughput z* where C falls to the target (regula falsi on
//! direct discharges of the unit law), then the rate s with which cycle N reaches z*.
//!
//! # The paper's retention (PVH-IM cell as calibrated on its rate capability, `tests/ageing.rs`)
//!
//! Each law alone, its rate calibrated on 95.7 % after 130 cycles at 0.1C, predicts the retention
//! after 280 cycles at 0.5C (paper: 80 %): loss of active material alone (k_LAM = 3.04e-9 m²/C; 15
//! discharges to calibrate, 19 to predict) predicts 91.0 %; the SEI film alone (k_R = 2.32e-8 Ω·m² per
//! C/m², 8.4 Ω·cm² per mAh/cm² of throughput; f_SEI = 2.3e-4, 0.44 µm of Li and a 1.6 µm film after
//! the 130 cycles) predicts 0 % (the growing resistance ends the 0.5C discharges on LFP's flat plateau).
//! The paper's 80 % lies between the two laws: its cells lose both active material and interface
//! conductance.

use rayon::prelude::*;
use spelab_core::constants::FARADAY;

use super::calibration::{discharge_capacity, Knob};
use super::params::FullCell;
use crate::error::{check_param, SimError};

/// SEI resistivity ρ_SEI [Ω·m] (PyBaMM's "SEI resistivity [Ohm.m]", Ramadass et al. 2004).
pub const SEI_RESISTIVITY: f64 = 2e5;
/// SEI partial molar volume V̄_SEI [m³/mol] (PyBaMM's "Outer SEI partial molar volume [m3.mol-1]").
pub const SEI_MOLAR_VOLUME: f64 = 9.585e-5;
/// Li atoms per SEI formula unit z_SEI [1] (PyBaMM's "Ratio of lithium moles to SEI moles").
pub const SEI_LITHIUM_PER_UNIT: f64 = 2.0;

/// Throughput-driven ageing laws (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AgeingLaws {
    /// k_R: SEI resistance growth per throughput [Ω·m² per C/m²].
    pub sei_resistance_per_charge: f64,
    /// f_SEI: fraction of the throughput that forms SEI (Li lost) [1].
    pub sei_lithium_fraction: f64,
    /// k_LAM: fraction of the active cathode lost per throughput [m²/C].
    pub lam_per_charge: f64,
}

/// f_SEI of an SEI film whose resistance grows by `k_r` [Ω·m² per C/m²] (module docs:
/// f_SEI = z_SEI F k_R / (ρ_SEI V̄_SEI)) [1].
pub fn film_lithium_fraction(k_r: f64) -> f64 {
    SEI_LITHIUM_PER_UNIT * FARADAY * k_r / (SEI_RESISTIVITY * SEI_MOLAR_VOLUME)
}

impl AgeingLaws {
    /// The laws scaled by `s` (all rates multiplied).
    pub fn scaled(&self, s: f64) -> AgeingLaws {
        AgeingLaws {
            sei_resistance_per_charge: s * self.sei_resistance_per_charge,
            sei_lithium_fraction: s * self.sei_lithium_fraction,
            lam_per_charge: s * self.lam_per_charge,
        }
    }

    /// `cell` aged to throughput `q` [C/m²].
    pub fn aged(&self, cell: &FullCell, q: f64) -> FullCell {
        let mut c = cell.clone();
        c.lithium.film_resistance += self.sei_resistance_per_charge * q;
        let u = cell.cathode.utilisation * (1.0 - self.lam_per_charge * q).max(1e-3);
        Knob::Utilisation.apply(&mut c, u);
        c
    }

    /// Li consumed by the SEI after throughput `q` [mol/m²].
    pub fn lithium_lost(&self, q: f64) -> f64 {
        self.sei_lithium_fraction * q / FARADAY
    }
}

/// One law alone, at a unit rate that [`calibrate`] scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeingLaw {
    /// Loss of active cathode material (k_LAM = 1e-8 m²/C before scaling).
    ActiveMaterial,
    /// SEI film at the Li anode: resistance and Li loss tied by the film law (k_R = 1e-8 Ω·m² per
    /// C/m² before scaling).
    SeiFilm,
}

impl AgeingLaw {
    /// Both laws.
    pub const ALL: [AgeingLaw; 2] = [AgeingLaw::ActiveMaterial, AgeingLaw::SeiFilm];

    /// The law's name in study files and reports.
    pub const fn name(self) -> &'static str {
        match self {
            AgeingLaw::ActiveMaterial => "active-material",
            AgeingLaw::SeiFilm => "sei-film",
        }
    }

    /// The law named `name`, if any.
    pub fn from_name(name: &str) -> Option<AgeingLaw> {
        AgeingLaw::ALL.into_iter().find(|l| l.name() == name.trim())
    }

    /// The law at its unit rate.
    pub fn unit(self) -> AgeingLaws {
        match self {
            AgeingLaw::ActiveMaterial => AgeingLaws { lam_per_charge: 1e-8, ..AgeingLaws::default() },
            AgeingLaw::SeiFilm => AgeingLaws {
                sei_resistance_per_charge: 1e-8,
                sei_lithium_fraction: film_lithium_fraction(1e-8),
                lam_per_charge: 0.0,
            },
        }
    }
}

/// One cycle of a retention curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetentionPoint {
    /// Cycle number, from 1.
    pub cycle: u32,
    /// Discharge capacity [mAh/g].
    pub capacity_mah_g: f64,
    /// Capacity over that of cycle 1 [1].
    pub retention: f64,
    /// Throughput before the cycle [C/m²].
    pub throughput: f64,
    /// Li interface film resistance [Ω·m²].
    pub film_resistance: f64,
    /// Li consumed by the SEI [mol/m²].
    pub lithium_lost: f64,
}

/// C/m² of throughput per mAh/g of capacity of `cell`.
fn charge_per_mah_g(cell: &FullCell) -> f64 {
    cell.active_mass_per_area() * 1000.0 * 3.6
}

fn point(cell: &FullCell, laws: &AgeingLaws, cycle: u32, cap: f64, first: f64, q: f64) -> RetentionPoint {
    RetentionPoint {
        cycle,
        capacity_mah_g: cap,
        retention: cap / first,
        throughput: q,
        film_resistance: cell.lithium.film_resistance + laws.sei_resistance_per_charge * q,
        lithium_lost: laws.lithium_lost(q),
    }
}

/// The retention curve of `cell` cycled at `c_rate` for `cycles` cycles under `laws`, one direct
/// discharge every `stride` cycles (and at the last cycle), the capacity held between samples.
pub fn retention(
    cell: &FullCell,
    initial_stoichiometry: f64,
    c_rate: f64,
    cycles: u32,
    stride: u32,
    laws: &AgeingLaws,
) -> Result<Vec<RetentionPoint>, SimError> {
    check_param("cycles", f64::from(cycles), cycles >= 1, ">= 1")?;
    check_param("stride", f64::from(stride), stride >= 1, ">= 1")?;
    let per_mah_g = charge_per_mah_g(cell);
    let (mut q, mut n, mut out) = (0.0, 1u32, Vec::<RetentionPoint>::new());
    loop {
        let cap = discharge_capacity(&laws.aged(cell, q), initial_stoichiometry, c_rate)?;
        let first = out.first().map_or(cap, |p| p.capacity_mah_g);
        out.push(point(cell, laws, n, cap, first, q));
        if n >= cycles {
            return Ok(out);
        }
        let step = stride.min(cycles - n);
        q += 2.0 * cap * per_mah_g * f64::from(step);
        n += step;
    }
}

/// Capacity against throughput at one C-rate, tabulated on a uniform grid (linear interpolation; the
/// last value beyond the end).
#[derive(Debug, Clone, PartialEq)]
pub struct CapacityTable {
    /// Throughput of each node [C/m²], from 0.
    pub throughput: Vec<f64>,
    /// Capacity at each node [mAh/g].
    pub capacity_mah_g: Vec<f64>,
}

impl CapacityTable {
    /// Tabulates `cell` aged by `laws` at `c_rate` on `points` (≥ 2) nodes over [0, `end`], the
    /// discharges in parallel.
    pub fn new(
        cell: &FullCell,
        initial_stoichiometry: f64,
        c_rate: f64,
        laws: &AgeingLaws,
        end: f64,
        points: usize,
    ) -> Result<CapacityTable, SimError> {
        check_param("table end", end, end > 0.0, "> 0")?;
        check_param("table points", points as f64, points >= 2, ">= 2")?;
        let throughput: Vec<f64> = (0..points).map(|k| end * k as f64 / (points - 1) as f64).collect();
        let capacity_mah_g = throughput
            .par_iter()
            .map(|&q| discharge_capacity(&laws.aged(cell, q), initial_stoichiometry, c_rate))
            .collect::<Result<Vec<f64>, SimError>>()?;
        Ok(CapacityTable { throughput, capacity_mah_g })
    }

    /// The capacity at throughput `q` [mAh/g].
    pub fn at(&self, q: f64) -> f64 {
        let (x, y) = (&self.throughput, &self.capacity_mah_g);
        let last = x.len() - 1;
        if q >= x[last] {
            return y[last];
        }
        let h = x[1] - x[0];
        let k = ((q.max(0.0) / h) as usize).min(last - 1);
        let t = (q - x[k]) / h;
        y[k] + t * (y[k + 1] - y[k])
    }
}

/// Cycle numbers and throughputs of `cycles` cycles stepped through `table` with the table's
/// throughput scaled by `s` (capacity at Q is `table.at(s Q)`): Q₁ = 0, Q_{n+1} = Q_n + 2 C_n.
fn step_cycles(table: &CapacityTable, s: f64, cycles: u32, per_mah_g: f64) -> Vec<(f64, f64)> {
    let mut q = 0.0;
    (1..=cycles)
        .map(|_| {
            let cap = table.at(s * q);
            let here = (q, cap);
            q += 2.0 * cap * per_mah_g;
            here
        })
        .collect()
}

/// A retention curve with every cycle, and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionCurve {
    /// One point per cycle, from cycle 1; the last point's capacity is a direct discharge.
    pub points: Vec<RetentionPoint>,
    /// DFN discharges run.
    pub discharges: usize,
    /// Interpolated minus direct capacity of the last cycle [mAh/g] (the table's error there).
    pub interpolation_error: f64,
}

impl RetentionCurve {
    /// Retention of the last cycle [1].
    pub fn final_retention(&self) -> f64 {
        self.points.last().map_or(1.0, |p| p.retention)
    }
}

/// Builds the curve from stepped cycles, replacing the last capacity with a direct discharge.
fn curve_from(
    cell: &FullCell,
    initial_stoichiometry: f64,
    c_rate: f64,
    laws: &AgeingLaws,
    stepped: &[(f64, f64)],
    discharges: usize,
) -> Result<RetentionCurve, SimError> {
    let first = stepped[0].1;
    let (q_last, c_interp) = stepped[stepped.len() - 1];
    let direct = discharge_capacity(&laws.aged(cell, q_last), initial_stoichiometry, c_rate)?;
    let points = stepped
        .iter()
        .enumerate()
        .map(|(k, &(q, c))| {
            let c = if k + 1 == stepped.len() { direct } else { c };
            point(cell, laws, k as u32 + 1, c, first, q)
        })
        .collect();
    Ok(RetentionCurve { points, discharges: discharges + 1, interpolation_error: c_interp - direct })
}

/// Nodes of the prediction table.
pub const PREDICTION_NODES: usize = 17;
/// Nodes of the calibration table over [0, z*].
pub const CALIBRATION_NODES: usize = 9;

/// The retention curve of `cell` cycled at `c_rate` for `cycles` cycles under `laws`, every cycle,
/// through a capacity table of [`PREDICTION_NODES`] nodes (module docs).
pub fn predict(
    cell: &FullCell,
    initial_stoichiometry: f64,
    c_rate: f64,
    cycles: u32,
    laws: &AgeingLaws,
) -> Result<RetentionCurve, SimError> {
    check_param("cycles", f64::from(cycles), cycles >= 1, ">= 1")?;
    let per_mah_g = charge_per_mah_g(cell);
    let fresh = discharge_capacity(cell, initial_stoichiometry, c_rate)?;
    // The capacity only falls with ageing, so no cycle passes (N − 1) fresh cycles' throughput.
    let end = (2.0 * fresh * per_mah_g * f64::from(cycles.saturating_sub(1))).max(1e-9);
    let table = CapacityTable::new(cell, initial_stoichiometry, c_rate, laws, end, PREDICTION_NODES)?;
    let stepped = step_cycles(&table, 1.0, cycles, per_mah_g);
    curve_from(cell, initial_stoichiometry, c_rate, laws, &stepped, PREDICTION_NODES + 1)
}

/// A law's rate calibrated on one retention number.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeingFit {
    /// The law calibrated.
    pub law: AgeingLaw,
    /// The rate s: the calibrated laws are `law.unit().scaled(scale)`.
    pub scale: f64,
    /// The calibrated laws.
    pub laws: AgeingLaws,
    /// The retention curve at the calibration's rate and cycles.
    pub curve: RetentionCurve,
}

/// Calibrates the rate of `law` so that `cell` keeps `target` (in (0, 1)) of its capacity after
/// `cycles` (≥ 2) cycles at `c_rate` (module docs): regula falsi for the throughput z* where the unit
/// law's capacity falls to `target` (relative tolerance 1e-6 in capacity), a capacity table on
/// [0, z*], bisection for the rate with which cycle `cycles` reaches z* (1e-10 relative).
pub fn calibrate(
    cell: &FullCell,
    initial_stoichiometry: f64,
    c_rate: f64,
    cycles: u32,
    law: AgeingLaw,
    target: f64,
) -> Result<AgeingFit, SimError> {
    check_param("target retention", target, target > 0.0 && target < 1.0, "in (0, 1)")?;
    check_param("cycles", f64::from(cycles), cycles >= 2, ">= 2")?;
    let unit = law.unit();
    let per_mah_g = charge_per_mah_g(cell);
    let fresh = discharge_capacity(cell, initial_stoichiometry, c_rate)?;
    let mut discharges = 1;
    let mut g = |z: f64| -> Result<f64, SimError> {
        discharges += 1;
        Ok(discharge_capacity(&unit.aged(cell, z), initial_stoichiometry, c_rate)? / fresh - target)
    };
    // Bracket z* from the unit law's throughput, halving or doubling.
    let mut z1 = 2.0 * fresh * per_mah_g * f64::from(cycles - 1);
    let mut g1 = g(z1)?;
    let (mut z0, mut g0) = (0.0, 1.0 - target);
    for _ in 0..60 {
        if g1 < 0.0 {
            break;
        }
        (z0, g0) = (z1, g1);
        z1 *= 2.0;
        g1 = g(z1)?;
    }
    for _ in 0..60 {
        if g1 >= 0.0 || z1 - z0 < 1e-12 * z1 {
            break;
        }
        let mid = 0.5 * z1;
        if mid <= z0 {
            break;
        }
        let gm = g(mid)?;
        if gm < 0.0 {
            (z1, g1) = (mid, gm);
        } else {
            (z0, g0) = (mid, gm);
            break;
        }
    }
    if !(g0 >= 0.0 && g1 < 0.0) {
        return Err(SimError::InvalidProtocol(format!(
            "ageing law '{}' cannot bring the capacity at {c_rate}C down to {target}",
            law.name()
        )));
    }
    // Illinois regula falsi on g(z) = C(z)/C₀ − target.
    let (mut side, mut z_star) = (0i8, z1);
    for _ in 0..60 {
        let z = (z0 * g1 - z1 * g0) / (g1 - g0);
        let gz = g(z)?;
        z_star = z;
        if gz.abs() < 1e-6 {
            break;
        }
        if gz < 0.0 {
            (z1, g1) = (z, gz);
            if side == -1 {
                g0 *= 0.5;
            }
            side = -1;
        } else {
            (z0, g0) = (z, gz);
            if side == 1 {
                g1 *= 0.5;
            }
            side = 1;
        }
    }
    let table = CapacityTable::new(cell, initial_stoichiometry, c_rate, &unit, z_star, CALIBRATION_NODES)?;
    discharges += CALIBRATION_NODES;
    // The last cycle's throughput grows with s; without ageing it would be s0 (N−1)·2C₀, and the
    // capacity stays ≥ target·C₀ below z*, so s lies in [s0, s0/target].
    let reach = |s: f64| s * step_cycles(&table, s, cycles, per_mah_g)[cycles as usize - 1].0 - z_star;
    let s0 = z_star / (2.0 * fresh * per_mah_g * f64::from(cycles - 1));
    let (mut lo, mut hi) = (s0 * 0.999, s0 / target * 1.001);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if reach(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-10 * hi {
            break;
        }
    }
    let scale = 0.5 * (lo + hi);
    let laws = unit.scaled(scale);
    let stepped = step_cycles(&table, scale, cycles, per_mah_g);
    let curve = curve_from(cell, initial_stoichiometry, c_rate, &laws, &stepped, discharges)?;
    Ok(AgeingFit { law, scale, laws, curve })
}
