//! Ageing of the Li-metal full cell over hundreds of cycles ([`retention`]) and the calibration of
//! its rate on one retention number ([`calibrate_rate`]).
//!
//! # Laws (Q = areal charge throughput since assembly, charge plus discharge [C/m²])
//!
//! - SEI at the Li anode: its film resistance grows with throughput, R_SEI(Q) = R_SEI,0 + k_R Q
//!   (the charge-driven law of cellmodel.md §1: every plated coulomb exposes fresh Li), in series with
//!   the Li interface; the Li it consumes, n_Li(Q) = f_SEI Q / F, comes from the foil, which holds
//!   far more Li than the cathode can take (50 µm ≈ 10 mAh/cm² against 1.8), so it is reported but
//!   does not limit the capacity while the foil lasts;
//! - loss of active cathode material: u(Q) = u₀ (1 − k_LAM Q)⁺ of the weighed LFP still cycles.
//!
//! # Method (quasi-static)
//!
//! Ageing changes the cell little per cycle, so the capacity of cycle n is one DFN discharge of the
//! cell aged to Q_n, from the charged cathode at the cycle's rate; Q grows by twice that capacity per
//! cycle. Cycles are sampled every `stride` (capacity held between samples), so 280 cycles cost 28
//! discharges with `stride` 10 (~1 s).
//!
//! # The paper's retention (`tests/ageing.rs`, ignored test; PVH-IM cell as calibrated on its rate
//! capability)
//!
//! Each law alone, its rate calibrated on 95.7 % after 130 cycles at 0.1C, predicts the retention
//! after 280 cycles at 0.5C (paper: 80 %): loss of active material alone (k_LAM = 3.0e-9 m²/C)
//! predicts 91.0 %; SEI resistance growth alone (k_R = 2.3e-8 Ω·m² per C/m², i.e. 8.3 Ω cm² per
//! mAh/cm² of throughput) predicts 0.1 % (the growing resistance ends the 0.5C discharges on LFP's
//! flat plateau). The paper's 80 % lies between the two laws: its cells lose both active material and
//! interface conductance.

use spelab_core::constants::FARADAY;

use super::calibration::{discharge_capacity, Knob};
use super::params::FullCell;
use crate::error::{check_param, SimError};

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
}

/// One sampled cycle.
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

/// The retention curve of `cell` cycled at `c_rate` for `cycles` cycles under `laws`, sampled every
/// `stride` cycles (and at the last cycle).
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
    let per_mah_g = cell.active_mass_per_area() * 1000.0 * 3.6; // C/m² per mAh/g
    let (mut q, mut n, mut out) = (0.0, 1u32, Vec::<RetentionPoint>::new());
    loop {
        let aged = laws.aged(cell, q);
        let cap = discharge_capacity(&aged, initial_stoichiometry, c_rate)?;
        let first = out.first().map_or(cap, |p| p.capacity_mah_g);
        out.push(RetentionPoint {
            cycle: n,
            capacity_mah_g: cap,
            retention: cap / first,
            throughput: q,
            film_resistance: aged.lithium.film_resistance,
            lithium_lost: laws.sei_lithium_fraction * q / FARADAY,
        });
        if n >= cycles {
            return Ok(out);
        }
        let step = stride.min(cycles - n);
        q += 2.0 * cap * per_mah_g * f64::from(step);
        n += step;
    }
}

/// The scale s of `laws` (all rates × s) with which the retention after `cycles` cycles at `c_rate`
/// equals `target` (in (0, 1)), by bisection in log s over [1e-6, 1e6] to 1e-4 in retention.
#[allow(clippy::too_many_arguments)]
pub fn calibrate_rate(
    cell: &FullCell,
    initial_stoichiometry: f64,
    c_rate: f64,
    cycles: u32,
    stride: u32,
    laws: &AgeingLaws,
    target: f64,
) -> Result<f64, SimError> {
    check_param("target retention", target, target > 0.0 && target < 1.0, "in (0, 1)")?;
    let at = |s: f64| -> Result<f64, SimError> {
        let curve = retention(cell, initial_stoichiometry, c_rate, cycles, stride, &laws.scaled(s))?;
        Ok(curve.last().map_or(1.0, |p| p.retention))
    };
    let (mut lo, mut hi) = (1e-6f64.ln(), 1e6f64.ln());
    if at(hi.exp())? > target || at(lo.exp())? < target {
        return Err(SimError::InvalidProtocol(format!(
            "no ageing rate in [1e-6, 1e6] x the laws gives a retention of {target}"
        )));
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        let r = at(mid.exp())?;
        if (r - target).abs() < 1e-4 {
            return Ok(mid.exp());
        }
        if r > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok((0.5 * (lo + hi)).exp())
}
