//! Critical current density (CCD) from step-increasing-current Li|SPE|Li data (methods.md §6).
//!
//! The record (time, current, voltage) is split into constant-current half-cycles: maximal runs of
//! same-sign current whose |j| stays within `level_tolerance` of the run's first point; points with
//! |j| < `rest_current_density` are rests and are skipped. Half-cycles of (nearly) equal |j| in a row
//! form a step. For each half-cycle the plateau |V| is the median after the first `settle_fraction` of
//! its duration, the ASR = plateau |V| / |j|, and the failure tests run in this order:
//! - **divergence** (contact loss, voids): |V| > `cutoff_voltage` anywhere;
//! - **hard short**: after the settling part, |V| stays below `short_voltage` for 3 points in a row, or
//!   falls below `collapse_fraction` × the half-cycle's early plateau (the median over the next 20 % of
//!   its duration) for 3 points in a row, or the early plateau's ASR is already below
//!   `collapse_fraction` × the previous stable half-cycle's ASR (a cell that shorts at the step change);
//! - **soft short**: the high-frequency noise of V (RMS of second differences / √6, which is σ for
//!   white noise and ≈ 0 for a smooth plateau) exceeds `noise_fraction` × the plateau |V|.
//!
//! Runs of fewer than 3 points are dropped unless |V| exceeds the cut-off in them (a divergence right
//! after a step change, or a record ending on the reading that tripped the instrument's limit).
//!
//! CCD = |j| of the step in which the first failure occurs; the last stable current density is that
//! of the step before (both are reported, as papers use either).

use serde::Serialize;
use spelab_core::{Technique, TimeSeries};

use crate::error::{check_finite, check_len, check_param_positive, check_technique};
use crate::fit::median;
use crate::AnalysisError;

const WHAT: &str = "critical current density";

/// Thresholds of the CCD analysis; `Default` gives the values documented on each field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CcdOptions {
    /// |j| below this is a rest [A/m²]. Default 0.01 A/m² (1 µA/cm²).
    pub rest_current_density: f64,
    /// Relative |j| change that starts a new half-cycle or step [1]. Default 0.02.
    pub level_tolerance: f64,
    /// Leading fraction of each half-cycle ignored for the plateau and short tests [1]. Default 0.05.
    pub settle_fraction: f64,
    /// A drop of |V| below this fraction of the reference plateau is a hard short [1]. Default 0.5.
    pub collapse_fraction: f64,
    /// |V| below this is a hard short whatever the reference [V]. Default 1 mV.
    pub short_voltage: f64,
    /// Noise above this fraction of the plateau |V| is a soft short [1]. Default 0.1.
    pub noise_fraction: f64,
    /// |V| above this is divergence (contact loss) [V]. Default 1 V.
    pub cutoff_voltage: f64,
}

impl Default for CcdOptions {
    fn default() -> Self {
        CcdOptions {
            rest_current_density: 0.01,
            level_tolerance: 0.02,
            settle_fraction: 0.05,
            collapse_fraction: 0.5,
            short_voltage: 1e-3,
            noise_fraction: 0.1,
            cutoff_voltage: 1.0,
        }
    }
}

/// How a cell failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureMode {
    /// Abrupt voltage collapse: a lithium filament bridges the electrolyte.
    HardShort,
    /// Noisy voltage: intermittent (soft) shorts.
    SoftShort,
    /// |V| beyond the cut-off: contact loss / voids, not a short.
    Divergence,
}

impl FailureMode {
    /// Words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            FailureMode::HardShort => "hard short (voltage collapse)",
            FailureMode::SoftShort => "soft short (voltage noise)",
            FailureMode::Divergence => "divergence (|V| above cut-off: contact loss)",
        }
    }
}

/// A detected failure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Failure {
    /// Mode.
    pub mode: FailureMode,
    /// Time of detection [s].
    pub time: f64,
    /// |j| of the half-cycle in which it happened [A/m²].
    pub current_density: f64,
}

/// One constant-current half-cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HalfCycleSummary {
    /// Index range of its points in the record.
    pub range: (usize, usize),
    /// Start and end time [s].
    pub time: (f64, f64),
    /// Signed current density (median) [A/m²].
    pub current_density: f64,
    /// Plateau |V| (median after settling) [V].
    pub plateau_voltage: f64,
    /// Area-specific resistance plateau |V| / |j| [Ω m²].
    pub asr: f64,
    /// High-frequency voltage noise [V].
    pub noise: f64,
    /// Failure detected in this half-cycle.
    pub failure: Option<Failure>,
}

/// One current step (half-cycles of one |j|).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepSummary {
    /// |j| [A/m²].
    pub current_density: f64,
    /// Indices into [`CcdResult::half_cycles`].
    pub half_cycles: Vec<usize>,
    /// Median ASR of the step's half-cycles before any failure [Ω m²].
    pub asr: f64,
    /// First failure in this step.
    pub failure: Option<Failure>,
}

/// How the staircase was run (methods.md §6: the CCD depends on it, so it is reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepProtocol {
    /// Every half-cycle lasts the same time (capacity grows with j).
    FixedTime,
    /// Every half-cycle passes the same areal capacity (time shrinks with j).
    FixedCapacity,
    /// Neither within 5 % (or a single step).
    Other,
}

/// Result of [`critical_current_density`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CcdResult {
    /// Every half-cycle.
    pub half_cycles: Vec<HalfCycleSummary>,
    /// Every step.
    pub steps: Vec<StepSummary>,
    /// CCD: |j| of the step where the cell first failed [A/m²]; None when it never failed.
    pub ccd: Option<f64>,
    /// |j| of the last step completed without failure [A/m²]; None when the first step failed.
    pub last_stable: Option<f64>,
    /// The first failure.
    pub failure: Option<Failure>,
    /// Fixed half-cycle time or fixed capacity, judged from the completed half-cycles.
    pub protocol: StepProtocol,
    /// Options used.
    pub options: CcdOptions,
}

/// First index from `from` where `cond` holds for 3 points in a row (or to the end of the range).
fn sustained(range: std::ops::Range<usize>, cond: impl Fn(usize) -> bool) -> Option<usize> {
    let end = range.end;
    range.clone().find(|&k| (k..(k + 3).min(end)).all(&cond))
}

/// Analyses a step-increasing-current record: `time` [s], `current` [A], `voltage` [V], electrode
/// `area` [m²].
pub fn critical_current_density(
    time: &[f64],
    current: &[f64],
    voltage: &[f64],
    area: f64,
    options: &CcdOptions,
) -> Result<CcdResult, AnalysisError> {
    check_len(WHAT, ("time", time.len()), ("current", current.len()), 10)?;
    check_len(WHAT, ("time", time.len()), ("voltage", voltage.len()), 10)?;
    check_finite(WHAT, "time", time)?;
    check_finite(WHAT, "current", current)?;
    check_finite(WHAT, "voltage", voltage)?;
    check_param_positive(WHAT, "area", area)?;
    for (name, v) in [
        ("rest_current_density", options.rest_current_density),
        ("level_tolerance", options.level_tolerance),
        ("collapse_fraction", options.collapse_fraction),
        ("short_voltage", options.short_voltage),
        ("noise_fraction", options.noise_fraction),
        ("cutoff_voltage", options.cutoff_voltage),
    ] {
        check_param_positive(WHAT, name, v)?;
    }
    if !(0.0..0.5).contains(&options.settle_fraction) {
        return Err(AnalysisError::InvalidParameter {
            what: WHAT,
            name: "settle_fraction",
            value: options.settle_fraction,
            expected: "in [0, 0.5)",
        });
    }
    let j: Vec<f64> = current.iter().map(|i| i / area).collect();

    // 1. Constant-current runs.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < j.len() {
        if j[k].abs() < options.rest_current_density {
            k += 1;
            continue;
        }
        let start = k;
        let reference = j[k];
        while k < j.len()
            && j[k].abs() >= options.rest_current_density
            && j[k].signum() == reference.signum()
            && (j[k] - reference).abs() <= options.level_tolerance * reference.abs()
        {
            k += 1;
        }
        // A run of < 3 points is kept only when it crosses the cut-off: a cell that diverges right
        // after a step change (or a record that ends on the reading that tripped the cut-off) failed,
        // however few points it logged.
        if k - start >= 3 || voltage[start..k].iter().any(|v| v.abs() > options.cutoff_voltage) {
            runs.push((start, k));
        }
    }
    if runs.is_empty() {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!(
                "no constant-current half-cycle of ≥ 3 points with |j| ≥ {} A/m² was found; is this a galvanostatic record with the right area?",
                options.rest_current_density
            ),
        });
    }

    // 2. Half-cycle summaries and failure tests.
    let mut half_cycles = Vec::with_capacity(runs.len());
    let mut ref_asr: Option<f64> = None;
    for &(a, b) in &runs {
        let jj = median(&j[a..b]);
        let (t0, t1) = (time[a], time[b - 1]);
        let dur = t1 - t0;
        let settle_t = t0 + options.settle_fraction * dur;
        let s = (a..b).find(|&k| time[k] >= settle_t).unwrap_or(a);
        let early_end = (s..b).find(|&k| time[k] > settle_t + 0.2 * dur).unwrap_or(b).max((s + 3).min(b));
        let abs_v: Vec<f64> = voltage[a..b].iter().map(|v| v.abs()).collect();
        let plateau = median(&abs_v[s - a..]);
        let early = median(&abs_v[s - a..early_end - a]);
        let noise = if b - s >= 5 {
            let d2: Vec<f64> =
                (s + 1..b - 1).map(|k| voltage[k + 1] - 2.0 * voltage[k] + voltage[k - 1]).collect();
            (d2.iter().map(|v| v * v).sum::<f64>() / d2.len() as f64 / 6.0).sqrt()
        } else {
            0.0
        };
        let fail = |mode, k: usize| Some(Failure { mode, time: time[k], current_density: jj.abs() });
        let mut failure = None;
        if let Some(k) = (a..b).find(|&k| voltage[k].abs() > options.cutoff_voltage) {
            failure = fail(FailureMode::Divergence, k);
        }
        if failure.is_none() {
            let early_asr = early / jj.abs();
            if ref_asr.is_some_and(|r| early_asr < options.collapse_fraction * r) {
                failure = fail(FailureMode::HardShort, s);
            } else if let Some(k) = sustained(s..b, |k| {
                let v = voltage[k].abs();
                v < options.short_voltage || (k >= early_end && v < options.collapse_fraction * early)
            }) {
                failure = fail(FailureMode::HardShort, k);
            }
        }
        if failure.is_none() && plateau > 0.0 && noise > options.noise_fraction * plateau {
            failure = fail(FailureMode::SoftShort, s);
        }
        let asr = plateau / jj.abs();
        if failure.is_none() {
            ref_asr = Some(asr);
        }
        half_cycles.push(HalfCycleSummary {
            range: (a, b),
            time: (t0, t1),
            current_density: jj,
            plateau_voltage: plateau,
            asr,
            noise,
            failure,
        });
    }

    // 3. Steps.
    let mut steps: Vec<StepSummary> = Vec::new();
    for (h, hc) in half_cycles.iter().enumerate() {
        let level = hc.current_density.abs();
        match steps.last_mut() {
            Some(step)
                if (level - step.current_density).abs() <= options.level_tolerance * step.current_density =>
            {
                step.half_cycles.push(h);
            }
            _ => steps.push(StepSummary {
                current_density: level,
                half_cycles: vec![h],
                asr: f64::NAN,
                failure: None,
            }),
        }
    }
    for step in &mut steps {
        let hcs: Vec<&HalfCycleSummary> = step.half_cycles.iter().map(|&h| &half_cycles[h]).collect();
        step.failure = hcs.iter().find_map(|h| h.failure);
        let ok: Vec<f64> = hcs.iter().take_while(|h| h.failure.is_none()).map(|h| h.asr).collect();
        step.asr = median(&ok);
    }
    let first = steps.iter().position(|s| s.failure.is_some());
    let (ccd, last_stable, failure) = match first {
        Some(p) => (
            Some(steps[p].current_density),
            p.checked_sub(1).map(|q| steps[q].current_density),
            steps[p].failure,
        ),
        None => (None, steps.last().map(|s| s.current_density), None),
    };
    let protocol = protocol(&half_cycles);
    Ok(CcdResult { half_cycles, steps, ccd, last_stable, failure, protocol, options: *options })
}

fn protocol(half_cycles: &[HalfCycleSummary]) -> StepProtocol {
    let ok: Vec<&HalfCycleSummary> = half_cycles.iter().take_while(|h| h.failure.is_none()).collect();
    let spread = |v: Vec<f64>| {
        let (lo, hi) = v.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(*x), b.max(*x)));
        (hi - lo) / hi.abs().max(1e-300)
    };
    let levels = ok
        .iter()
        .map(|h| h.current_density.abs())
        .fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    if ok.len() < 2 || levels.1 <= levels.0 * 1.05 {
        return StepProtocol::Other;
    }
    let durations: Vec<f64> = ok.iter().map(|h| h.time.1 - h.time.0).collect();
    let capacities: Vec<f64> = ok.iter().map(|h| (h.time.1 - h.time.0) * h.current_density.abs()).collect();
    if spread(durations) <= 0.05 {
        StepProtocol::FixedTime
    } else if spread(capacities) <= 0.05 {
        StepProtocol::FixedCapacity
    } else {
        StepProtocol::Other
    }
}

/// As [`critical_current_density`] for a [`TimeSeries`]; refuses records whose technique is not
/// galvanostatic (GCPL or CP).
pub fn critical_current_density_from_series(
    series: &TimeSeries,
    area: f64,
    options: &CcdOptions,
) -> Result<CcdResult, AnalysisError> {
    check_technique(
        WHAT,
        "galvanostatic (GCPL or CP)",
        series.meta().technique,
        &[Technique::Gcpl, Technique::Cp],
    )?;
    critical_current_density(series.time(), series.current(), series.voltage(), area, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: f64 = 1e-4; // 1 cm²
    const ASR: f64 = 0.01; // 100 Ω cm²

    /// Staircase 0.1, 0.2, ... 2.0 mA/cm² (1..20 A/m²), +j then −j for 30 min each, 10 s sampling,
    /// 60 s rest between half-cycles; `fault(step_j, t_in_half_cycle, v) -> v` alters the voltage.
    fn staircase(fault: impl Fn(f64, f64, f64, usize) -> f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let (mut t, mut i, mut v) = (Vec::new(), Vec::new(), Vec::new());
        let mut now = 0.0;
        let mut k = 0usize;
        for step in 1..=20 {
            let jj = step as f64; // A/m²
            for sign in [1.0, -1.0] {
                for s in 0..=180 {
                    let tau = s as f64 * 10.0;
                    let healthy = sign * (ASR * jj + 0.005 * (1.0 - (-tau / 60.0).exp()));
                    t.push(now + tau);
                    i.push(sign * jj * AREA);
                    v.push(fault(jj, tau, healthy, k));
                    k += 1;
                }
                now += 1800.0 + 10.0;
                for s in 0..6 {
                    t.push(now + s as f64 * 10.0);
                    i.push(0.0);
                    v.push(0.0);
                    k += 1;
                }
                now += 60.0;
            }
        }
        (t, i, v)
    }

    #[test]
    fn staircase_collapsing_at_1_7_ma_cm2_gives_ccd_1_7() {
        let (t, i, v) =
            staircase(|j, tau, v, _| if j >= 16.5 && tau > 600.0 { v.signum() * 2e-4 } else { v });
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        // Current densities come from I/A exactly; 1e-9 relative covers division rounding.
        assert!((r.ccd.unwrap() - 17.0).abs() < 1e-9 * 17.0, "{:?}", r.ccd);
        assert!((r.last_stable.unwrap() - 16.0).abs() < 1e-9 * 16.0);
        let f = r.failure.unwrap();
        assert_eq!(f.mode, FailureMode::HardShort);
        assert_eq!(r.steps.len(), 20);
        assert_eq!(r.protocol, StepProtocol::FixedTime);
        // Per-step ASR of the healthy steps: plateau = ASR·j + ~5 mV polarization.
        let s1 = &r.steps[9]; // 1.0 mA/cm²
        assert!((s1.asr - (ASR * 10.0 + 0.005) / 10.0).abs() < 1e-5, "{}", s1.asr);
    }

    #[test]
    fn divergence_and_soft_short_are_told_apart() {
        let (t, i, v) = staircase(|j, tau, v, _| if j >= 11.5 && tau > 900.0 { v.signum() * 1.5 } else { v });
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        assert_eq!(r.failure.unwrap().mode, FailureMode::Divergence);
        assert!((r.ccd.unwrap() - 12.0).abs() < 1e-9);
        let (t, i, v) = staircase(|j, _, v, k| {
            if j >= 8.5 {
                let u = ((k as f64 * 12.9898).sin() * 43758.5453).fract();
                v * (1.0 + 0.4 * u)
            } else {
                v
            }
        });
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        assert_eq!(r.failure.unwrap().mode, FailureMode::SoftShort);
        assert!((r.ccd.unwrap() - 9.0).abs() < 1e-9);
        assert!((r.last_stable.unwrap() - 8.0).abs() < 1e-9);
    }

    #[test]
    fn a_record_ending_on_a_cut_off_reading_right_after_a_step_change_diverges() {
        // Healthy up to the 1.2 mA/cm² step, whose +j half-cycle logs one point and then the 10 V
        // reading that stopped the instrument (2 points: shorter than a run, but over the cut-off).
        let (mut t, mut i, mut v) = staircase(|_, _, v, _| v);
        let end = t.iter().position(|&x| x >= 11.0 * 2.0 * 1870.0).unwrap();
        let j = 12.0 * AREA;
        t.truncate(end);
        i.truncate(end);
        v.truncate(end);
        let t0 = *t.last().unwrap() + 10.0;
        t.extend([t0, t0 + 5.0]);
        i.extend([j, j]);
        v.extend([ASR * 12.0, 10.0]);
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        let f = r.failure.unwrap();
        assert_eq!(f.mode, FailureMode::Divergence);
        assert_eq!(f.time, t0 + 5.0);
        assert!((r.ccd.unwrap() - 12.0).abs() < 1e-9 * 12.0, "{:?}", r.ccd);
        assert!((r.last_stable.unwrap() - 11.0).abs() < 1e-9 * 11.0);
        // Two points under the cut-off are still too few for a half-cycle.
        let n = v.len();
        v[n - 1] = ASR * 12.0;
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        assert!(r.failure.is_none() && r.steps.len() == 11);
    }

    #[test]
    fn a_healthy_staircase_has_no_ccd() {
        let (t, i, v) = staircase(|_, _, v, _| v);
        let r = critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()).unwrap();
        assert!(r.ccd.is_none() && r.failure.is_none());
        assert!((r.last_stable.unwrap() - 20.0).abs() < 1e-9);
    }

    #[test]
    fn a_ca_record_is_the_wrong_technique() {
        let (t, i, v) = staircase(|_, _, v, _| v);
        let meta = spelab_core::Metadata::default().with_technique(Technique::Ca);
        let ts = TimeSeries::new(t, i, v, meta).unwrap();
        assert!(matches!(
            critical_current_density_from_series(&ts, AREA, &CcdOptions::default()),
            Err(AnalysisError::WrongTechnique { .. })
        ));
    }

    #[test]
    fn bad_input_is_an_error() {
        let (t, i, mut v) = staircase(|_, _, v, _| v);
        assert!(critical_current_density(&t[..5], &i[..5], &v[..5], AREA, &CcdOptions::default()).is_err());
        assert!(critical_current_density(&t, &i, &v, 0.0, &CcdOptions::default()).is_err());
        let zeros = vec![0.0; t.len()];
        assert!(matches!(
            critical_current_density(&t, &zeros, &v, AREA, &CcdOptions::default()),
            Err(AnalysisError::Unusable { .. })
        ));
        v[3] = f64::NAN;
        assert!(matches!(
            critical_current_density(&t, &i, &v, AREA, &CcdOptions::default()),
            Err(AnalysisError::NotFinite { .. })
        ));
    }
}
