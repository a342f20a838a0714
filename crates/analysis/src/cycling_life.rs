//! Symmetric-cell (Li|SPE|Li) cycling life and cumulative capacity (methods.md §7).
//!
//! The record is split into constant-current half-cycles and tested for failure exactly as in the CCD
//! analysis ([`crate::ccd`]: hard short, soft short, divergence beyond the cut-off), plus one criterion
//! for long-term cycling: a plateau |V| above `polarization_factor` × the first half-cycle's plateau
//! is divergence. Per half-cycle the overpotential (median plateau |V|) and ASR are reported.
//!
//! **Lifetime** = time under current until the first failure (rests excluded; the whole record when no
//! failure). **Cumulative capacity** = Σ |j|·t over the same half-cycles, both plating and stripping
//! counted (0.2 mA/cm² × 5550 h = 1110 mAh/cm²); `one_direction_capacity` is half of it, the other
//! convention in use.

use serde::Serialize;
use spelab_core::{Technique, TimeSeries};

use crate::ccd::{critical_current_density, CcdOptions, Failure, FailureMode, HalfCycleSummary};
use crate::AnalysisError;

const WHAT: &str = "symmetric-cell cycling life";

/// Options of the cycling-life analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CycleLifeOptions {
    /// Half-cycle splitting and short / divergence thresholds (as for CCD).
    pub failure: CcdOptions,
    /// A plateau above this factor × the first half-cycle's plateau is divergence [1]. Default 5.
    pub polarization_factor: f64,
}

impl Default for CycleLifeOptions {
    fn default() -> Self {
        CycleLifeOptions { failure: CcdOptions::default(), polarization_factor: 5.0 }
    }
}

/// Result of [`cycling_life`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleLife {
    /// Every half-cycle with overpotential and ASR.
    pub half_cycles: Vec<HalfCycleSummary>,
    /// The first failure (None: survived the whole record).
    pub failure: Option<Failure>,
    /// Time under current until failure (or the record's end), rests excluded [s].
    pub lifetime: f64,
    /// Cumulative capacity Σ |j| t, both directions [C/m²].
    pub cumulative_capacity: f64,
    /// Half of it: one-direction convention [C/m²].
    pub one_direction_capacity: f64,
    /// Half-cycles completed before the failure [1].
    pub completed_half_cycles: usize,
    /// Options used.
    pub options: CycleLifeOptions,
}

/// Cycling life of a symmetric cell: `time` [s], `current` [A], `voltage` [V], electrode `area` [m²].
pub fn cycling_life(
    time: &[f64],
    current: &[f64],
    voltage: &[f64],
    area: f64,
    options: &CycleLifeOptions,
) -> Result<CycleLife, AnalysisError> {
    crate::error::check_param_positive(WHAT, "polarization_factor", options.polarization_factor)?;
    let r = critical_current_density(time, current, voltage, area, &options.failure)?;
    let mut half_cycles = r.half_cycles;
    let first_plateau = half_cycles[0].plateau_voltage;
    for h in &mut half_cycles {
        if h.failure.is_none() && h.plateau_voltage > options.polarization_factor * first_plateau {
            h.failure = Some(Failure {
                mode: FailureMode::Divergence,
                time: h.time.0,
                current_density: h.current_density.abs(),
            });
        }
    }
    let (mut lifetime, mut capacity, mut completed, mut failure) = (0.0, 0.0, 0, None);
    for h in &half_cycles {
        let j = h.current_density.abs();
        if let Some(f) = h.failure {
            let dt = (f.time - h.time.0).max(0.0);
            lifetime += dt;
            capacity += j * dt;
            failure = Some(f);
            break;
        }
        let dt = h.time.1 - h.time.0;
        lifetime += dt;
        capacity += j * dt;
        completed += 1;
    }
    Ok(CycleLife {
        half_cycles,
        failure,
        lifetime,
        cumulative_capacity: capacity,
        one_direction_capacity: capacity / 2.0,
        completed_half_cycles: completed,
        options: *options,
    })
}

/// As [`cycling_life`] for a [`TimeSeries`]; refuses records whose technique is not galvanostatic.
pub fn cycling_life_from_series(
    series: &TimeSeries,
    area: f64,
    options: &CycleLifeOptions,
) -> Result<CycleLife, AnalysisError> {
    crate::error::check_technique(
        WHAT,
        "galvanostatic (GCPL or CP)",
        series.meta().technique,
        &[Technique::Gcpl, Technique::Cp],
    )?;
    cycling_life(series.time(), series.current(), series.voltage(), area, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0.2 mA/cm² (2 A/m²) on 1 cm², 1 h half-cycles sampled every 10 s, 10 min rests between.
    fn record(fail_at: Option<(usize, f64)>) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let (mut t, mut i, mut v) = (Vec::new(), Vec::new(), Vec::new());
        let mut now = 0.0;
        for h in 0..50 {
            let sign = if h % 2 == 0 { 1.0 } else { -1.0 };
            for s in 0..=360 {
                let tau = s as f64 * 10.0;
                let mut volt = sign * (0.02 + 1e-6 * h as f64);
                if let Some((fh, ft)) = fail_at {
                    if h > fh || (h == fh && tau >= ft) {
                        volt = sign * 1e-4;
                    }
                }
                t.push(now + tau);
                i.push(sign * 2e-4);
                v.push(volt);
            }
            now += 3600.0 + 10.0;
            for s in 0..60 {
                t.push(now + s as f64 * 10.0);
                i.push(0.0);
                v.push(0.0);
            }
            now += 600.0;
        }
        (t, i, v)
    }

    #[test]
    fn lifetime_and_cumulative_capacity_exclude_rests() {
        let (t, i, v) = record(Some((39, 1200.0)));
        let r = cycling_life(&t, &i, &v, 1e-4, &CycleLifeOptions::default()).unwrap();
        let f = r.failure.unwrap();
        assert_eq!(f.mode, FailureMode::HardShort);
        assert_eq!(r.completed_half_cycles, 39);
        // 39 full hours under current + 20 min, rests (10 min each) excluded; exact sums of sample times.
        let life = 39.0 * 3600.0 + 1200.0;
        assert!((r.lifetime - life).abs() < 1e-6, "{}", r.lifetime);
        assert!((r.cumulative_capacity - 2.0 * life).abs() < 1e-6);
        assert!((r.one_direction_capacity - life).abs() < 1e-6);
        // Overpotential per half-cycle: 20 mV, ASR 0.01 Ω m² (100 Ω cm²).
        assert!((r.half_cycles[0].plateau_voltage - 0.02).abs() < 1e-12);
        assert!((r.half_cycles[0].asr - 0.01).abs() < 1e-12);
    }

    #[test]
    fn the_convention_example_of_methods_md() {
        // 0.2 mA/cm² = 2 A/m² for 5550 h, both directions: 2 · 5550 · 3600 C/m² = 1110 mAh/cm².
        let (t, i, v) = record(None);
        let r = cycling_life(&t, &i, &v, 1e-4, &CycleLifeOptions::default()).unwrap();
        assert!(r.failure.is_none());
        assert!((r.lifetime - 50.0 * 3600.0).abs() < 1e-6);
        let mah_per_cm2 = r.cumulative_capacity / 3.6 / 1e4 / (r.lifetime / 3600.0) * 5550.0;
        assert!((mah_per_cm2 - 1110.0).abs() < 1e-9, "{mah_per_cm2}");
    }

    #[test]
    fn growing_polarization_is_divergence() {
        let (t, i, mut v) = record(None);
        let n = v.len();
        for x in v[n / 2..].iter_mut() {
            *x *= 6.0;
        }
        let r = cycling_life(&t, &i, &v, 1e-4, &CycleLifeOptions::default()).unwrap();
        assert_eq!(r.failure.unwrap().mode, FailureMode::Divergence);
        assert!(cycling_life(
            &t,
            &i,
            &v,
            1e-4,
            &CycleLifeOptions { polarization_factor: -1.0, ..Default::default() }
        )
        .is_err());
    }
}
