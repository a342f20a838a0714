//! Full-cell cycling metrics (methods.md §13) from a [`CyclingData`] split.
//!
//! Per cycle: charge and discharge capacity per active mass (q = Q/m, [C/kg]; 1 mAh/g = 3.6 C/g),
//! Coulombic efficiency CE = Q_dis/Q_ch (cathode charged first, the navani convention), energy
//! efficiency EE = E_dis/E_ch, charge-weighted mean voltages and their difference (polarization),
//! retention q_dis/q_dis(reference cycle) with the reference cycle stated. Capacities are the core
//! split's charges (∫|I|dt, see `spelab_core::measurement::cycling`); energies are the capacity times
//! the charge-weighted mean voltage Σ V|I|Δt / Σ |I|Δt (trapezoids inside the half-cycle).
//!
//! Rate capability: consecutive cycles whose discharge current agrees within `rate_tolerance` form a
//! block; each block gives mean ± SD (n) of q_dis; the recovery ratio compares the last block with the
//! first when both run at the same current. dQ/dV: [`dq_dv`].

use serde::Serialize;
use spelab_core::measurement::{CyclingData, Direction, HalfCycle};

use crate::error::check_param_positive;
use crate::fit::mean_sd;
use crate::AnalysisError;

const WHAT: &str = "full-cell metrics";

/// Options of [`full_cell_metrics`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FullCellOptions {
    /// Active mass [kg].
    pub active_mass: f64,
    /// Reference cycle for retention, as an index into the cycles (0 = first). Default 0.
    pub reference_cycle: usize,
    /// Relative current tolerance for rate blocks [1]. Default 0.05.
    pub rate_tolerance: f64,
    /// Nominal specific capacity for C-rates, e.g. 170 mAh/g = 612 000 C/kg for LFP [C/kg].
    pub nominal_specific_capacity: Option<f64>,
}

impl FullCellOptions {
    /// Options with this active mass [kg] and the defaults.
    pub fn new(active_mass: f64) -> FullCellOptions {
        FullCellOptions {
            active_mass,
            reference_cycle: 0,
            rate_tolerance: 0.05,
            nominal_specific_capacity: None,
        }
    }
}

/// One cycle's metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleMetrics {
    /// Index into the cycles.
    pub index: usize,
    /// Charge capacity per active mass [C/kg].
    pub charge_capacity: f64,
    /// Discharge capacity per active mass [C/kg].
    pub discharge_capacity: f64,
    /// Coulombic efficiency Q_dis/Q_ch (None without both) [1].
    pub coulombic_efficiency: Option<f64>,
    /// Energy efficiency E_dis/E_ch [1].
    pub energy_efficiency: Option<f64>,
    /// Charge-weighted mean charge voltage [V].
    pub mean_charge_voltage: Option<f64>,
    /// Charge-weighted mean discharge voltage [V].
    pub mean_discharge_voltage: Option<f64>,
    /// Mean charge − mean discharge voltage [V].
    pub polarization: Option<f64>,
    /// q_dis / q_dis(reference) [1].
    pub retention: Option<f64>,
    /// Mean |discharge current| [A].
    pub discharge_current: Option<f64>,
    /// C-rate of the discharge when a nominal capacity was given [1/h].
    pub c_rate: Option<f64>,
}

/// A block of cycles at one current.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateBlock {
    /// Mean |discharge current| [A].
    pub current: f64,
    /// C-rate when known [1/h].
    pub c_rate: Option<f64>,
    /// First and last cycle index.
    pub cycles: (usize, usize),
    /// Mean discharge capacity [C/kg].
    pub mean: f64,
    /// Sample SD (NaN for one cycle) [C/kg].
    pub sd: f64,
    /// Cycles in the block.
    pub n: usize,
}

/// Result of [`full_cell_metrics`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FullCell {
    /// Per-cycle metrics.
    pub cycles: Vec<CycleMetrics>,
    /// Rate-capability blocks.
    pub rate_blocks: Vec<RateBlock>,
    /// Last block mean / first block mean when both run at the same current [1].
    pub recovery: Option<f64>,
    /// Options used.
    pub options: FullCellOptions,
}

fn weighted_voltage(data: &CyclingData, h: &HalfCycle) -> f64 {
    let ts = data.time_series();
    let (t, i, v) = (ts.time(), ts.current(), ts.voltage());
    let (mut e, mut q) = (0.0, 0.0);
    for k in h.start_index..h.end_index.saturating_sub(1) {
        let dt = t[k + 1] - t[k];
        e += 0.5 * (v[k] * i[k].abs() + v[k + 1] * i[k + 1].abs()) * dt;
        q += 0.5 * (i[k].abs() + i[k + 1].abs()) * dt;
    }
    if q > 0.0 {
        e / q
    } else {
        h.mean_voltage
    }
}

/// Per-cycle capacities, efficiencies, retention and the rate table of a full-cell record.
pub fn full_cell_metrics(data: &CyclingData, options: &FullCellOptions) -> Result<FullCell, AnalysisError> {
    check_param_positive(WHAT, "active mass", options.active_mass)?;
    check_param_positive(WHAT, "rate_tolerance", options.rate_tolerance)?;
    crate::error::check_technique(
        WHAT,
        "galvanostatic cycling (GCPL or CP)",
        data.time_series().meta().technique,
        &[spelab_core::Technique::Gcpl, spelab_core::Technique::Cp],
    )?;
    if let Some(c) = options.nominal_specific_capacity {
        check_param_positive(WHAT, "nominal specific capacity", c)?;
    }
    let m = options.active_mass;
    let mut cycles = Vec::new();
    for c in data.cycles() {
        let stats = |d: Direction| -> Option<(f64, f64, f64)> {
            let hs: Vec<&HalfCycle> = c.half_cycles.iter().filter(|h| h.direction == d).collect();
            if hs.is_empty() {
                return None;
            }
            let q: f64 = hs.iter().map(|h| h.charge).sum();
            let e: f64 = hs.iter().map(|h| h.charge * weighted_voltage(data, h)).sum();
            let dur: f64 = hs.iter().map(|h| h.duration).sum();
            // Mean |current|; runs of one point have no duration, so fall back to their sample mean.
            let current = if dur > 0.0 {
                q / dur
            } else {
                hs.iter().map(|h| h.mean_current.abs()).sum::<f64>() / hs.len() as f64
            };
            Some((q, e, current))
        };
        let ch = stats(Direction::Charge);
        let dis = stats(Direction::Discharge);
        let ce = match (ch, dis) {
            (Some(c), Some(d)) if c.0 > 0.0 => Some(d.0 / c.0),
            _ => None,
        };
        let ee = match (ch, dis) {
            (Some(c), Some(d)) if c.1 > 0.0 => Some(d.1 / c.1),
            _ => None,
        };
        let vch = ch.map(|c| c.1 / c.0);
        let vdis = dis.map(|d| d.1 / d.0);
        let current = dis.map(|d| d.2);
        cycles.push(CycleMetrics {
            index: c.index,
            charge_capacity: ch.map_or(0.0, |c| c.0 / m),
            discharge_capacity: dis.map_or(0.0, |d| d.0 / m),
            coulombic_efficiency: ce,
            energy_efficiency: ee,
            mean_charge_voltage: vch,
            mean_discharge_voltage: vdis,
            polarization: vch.zip(vdis).map(|(a, b)| a - b),
            retention: None,
            discharge_current: current,
            c_rate: options.nominal_specific_capacity.zip(current).map(|(nom, i)| i * 3600.0 / (nom * m)),
        });
    }
    let reference = cycles.get(options.reference_cycle).map(|c| c.discharge_capacity).ok_or_else(|| {
        AnalysisError::Unusable {
            what: WHAT,
            reason: format!(
                "reference cycle {} does not exist; the record has {} cycles",
                options.reference_cycle,
                cycles.len()
            ),
        }
    })?;
    if reference <= 0.0 {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!("reference cycle {} has no discharge", options.reference_cycle),
        });
    }
    for c in &mut cycles {
        c.retention = Some(c.discharge_capacity / reference);
    }
    let mut rate_blocks: Vec<RateBlock> = Vec::new();
    let mut members: Vec<Vec<f64>> = Vec::new();
    for c in &cycles {
        let Some(i) = c.discharge_current else { continue };
        match rate_blocks.last_mut() {
            Some(b) if (i - b.current).abs() <= options.rate_tolerance * b.current => {
                b.cycles.1 = c.index;
                members.last_mut().expect("block has members").push(c.discharge_capacity);
            }
            _ => {
                rate_blocks.push(RateBlock {
                    current: i,
                    c_rate: c.c_rate,
                    cycles: (c.index, c.index),
                    mean: 0.0,
                    sd: f64::NAN,
                    n: 0,
                });
                members.push(vec![c.discharge_capacity]);
            }
        }
    }
    for (b, q) in rate_blocks.iter_mut().zip(&members) {
        let (mean, sd) = mean_sd(q);
        b.mean = mean;
        b.sd = sd;
        b.n = q.len();
    }
    let recovery = match (rate_blocks.first(), rate_blocks.last()) {
        (Some(a), Some(b))
            if rate_blocks.len() > 2
                && (a.current - b.current).abs() <= options.rate_tolerance * a.current =>
        {
            Some(b.mean / a.mean)
        }
        _ => None,
    };
    Ok(FullCell { cycles, rate_blocks, recovery, options: *options })
}

/// dQ/dV of one half-cycle by interpolating Q(V) on a voltage grid of step `bin_width` [V] and
/// smoothing with a centered moving average over `smoothing` bins. Returns (V [V], dQ/dV [C/V]).
pub fn dq_dv(
    data: &CyclingData,
    half_cycle: usize,
    bin_width: f64,
    smoothing: usize,
) -> Result<(Vec<f64>, Vec<f64>), AnalysisError> {
    const WHAT: &str = "dQ/dV";
    check_param_positive(WHAT, "bin width", bin_width)?;
    let h = data.half_cycles().get(half_cycle).ok_or(AnalysisError::Unusable {
        what: WHAT,
        reason: format!(
            "half-cycle {half_cycle} does not exist ({} in the record)",
            data.half_cycles().len()
        ),
    })?;
    let ts = data.time_series();
    let (t, i, v) = (ts.time(), ts.current(), ts.voltage());
    let mut q = vec![0.0];
    for k in h.start_index + 1..h.end_index {
        q.push(q[q.len() - 1] + 0.5 * (i[k].abs() + i[k - 1].abs()) * (t[k] - t[k - 1]));
    }
    let mut pts: Vec<(f64, f64)> = v[h.range()].iter().copied().zip(q).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (v0, v1) = (pts[0].0, pts[pts.len() - 1].0);
    let bins = ((v1 - v0) / bin_width).floor() as usize;
    if bins < 2 {
        return Err(AnalysisError::TooFewPoints { what: WHAT, needed: 2, found: bins });
    }
    let interp = |x: f64| -> f64 {
        let k = pts.partition_point(|p| p.0 < x).clamp(1, pts.len() - 1);
        let (a, b) = (pts[k - 1], pts[k]);
        if b.0 > a.0 {
            a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
        } else {
            b.1
        }
    };
    let grid: Vec<f64> = (0..=bins).map(|k| v0 + k as f64 * bin_width).collect();
    let qg: Vec<f64> = grid.iter().map(|x| interp(*x)).collect();
    let raw: Vec<f64> = (0..bins).map(|k| (qg[k + 1] - qg[k]).abs() / bin_width).collect();
    let mid: Vec<f64> = (0..bins).map(|k| grid[k] + bin_width / 2.0).collect();
    let half = smoothing / 2;
    let smoothed = (0..bins)
        .map(|k| {
            let (a, b) = (k.saturating_sub(half), (k + half + 1).min(bins));
            raw[a..b].iter().sum::<f64>() / (b - a) as f64
        })
        .collect();
    Ok((mid, smoothed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spelab_core::measurement::SplitOptions;
    use spelab_core::{Metadata, TimeSeries};

    /// Cycles at `currents` [A]: charge 10 h with V 3.3→3.5, discharge (10 h × fade) with V 3.4→3.2.
    fn record(currents: &[f64], fade: f64) -> CyclingData {
        let (mut t, mut i, mut v) = (Vec::new(), Vec::new(), Vec::new());
        let mut now = 0.0;
        for (c, &cur) in currents.iter().enumerate() {
            let dis_h = 10.0 * fade.powi(c as i32 + 1) * (1e-3 / cur);
            let ch_h = 10.0 * fade.powi(c as i32) * (1e-3 / cur);
            for (sign, hours, va, vb) in [(1.0, ch_h, 3.3, 3.5), (-1.0, dis_h, 3.4, 3.2)] {
                let dur = hours * 3600.0;
                for s in 0..=100 {
                    let x = s as f64 / 100.0;
                    t.push(now + x * dur);
                    i.push(sign * cur);
                    v.push(va + (vb - va) * x);
                }
                now += dur;
            }
        }
        let ts = TimeSeries::new(t, i, v, Metadata::default()).unwrap();
        CyclingData::from_time_series(
            ts,
            SplitOptions { current_threshold: Some(1e-6), ..Default::default() },
        )
        .unwrap()
    }

    #[test]
    fn capacities_ce_ee_and_retention_are_exact_for_cc_cycles() {
        let data = record(&[1e-3; 4], 0.99);
        let m = 1e-5; // 10 mg
        let r = full_cell_metrics(&data, &FullCellOptions::new(m)).unwrap();
        assert_eq!(r.cycles.len(), 4);
        // Charge 10 h at 1 mA = 36 C on 10 mg = 3.6e6 C/kg = 1000 mAh/g; discharge 0.99 of it.
        let c0 = &r.cycles[0];
        assert!((c0.charge_capacity - 3.6e6).abs() < 1e-9 * 3.6e6, "{c0:?}");
        assert!((c0.coulombic_efficiency.unwrap() - 0.99).abs() < 1e-12);
        // Linear ramps: mean voltages 3.4 and 3.3 exactly; EE = 0.99 · 3.3/3.4.
        assert!((c0.mean_charge_voltage.unwrap() - 3.4).abs() < 1e-12);
        assert!((c0.polarization.unwrap() - 0.1).abs() < 1e-12);
        assert!((c0.energy_efficiency.unwrap() - 0.99 * 3.3 / 3.4).abs() < 1e-12);
        assert!((r.cycles[3].retention.unwrap() - 0.99f64.powi(3)).abs() < 1e-12);
    }

    #[test]
    fn rate_blocks_and_recovery() {
        let data = record(&[1e-3, 1e-3, 2e-3, 2e-3, 1e-3, 1e-3], 1.0);
        let mut o = FullCellOptions::new(1e-5);
        o.nominal_specific_capacity = Some(3.6e6);
        let r = full_cell_metrics(&data, &o).unwrap();
        assert_eq!(r.rate_blocks.len(), 3);
        assert_eq!(r.rate_blocks[1].cycles, (2, 3));
        assert!((r.rate_blocks[1].c_rate.unwrap() - 0.2).abs() < 1e-12);
        assert!((r.recovery.unwrap() - 1.0).abs() < 1e-12);
        assert!(full_cell_metrics(&data, &FullCellOptions { reference_cycle: 99, ..o }).is_err());
        assert!(full_cell_metrics(&data, &FullCellOptions::new(0.0)).is_err());
    }

    #[test]
    fn dq_dv_of_a_linear_curve_is_constant() {
        let data = record(&[1e-3], 1.0);
        let (v, d) = dq_dv(&data, 0, 0.005, 3).unwrap();
        // Q rises by 36 C over 0.2 V: dQ/dV = 180 C/V everywhere.
        assert!(v.len() >= 39);
        for x in &d {
            assert!((x - 180.0).abs() < 1e-6, "{x}");
        }
        assert!(dq_dv(&data, 9, 0.005, 3).is_err());
    }
}
