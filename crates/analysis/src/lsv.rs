//! LSV oxidation onset (methods.md §8): three definitions, all reported.
//!
//! The sweep (potential E [V], current density j [A/m²]) is sorted by E (an anodic sweep). A baseline
//! line is fitted by OLS over `baseline_window` (default: the lowest 20 % of the potential range); then
//! - **threshold**: the first E where j − baseline ≥ `threshold` for 3 points in a row
//!   (default 0.1 A/m² = 10 µA/cm²);
//! - **tangent intersection**: the tangent at the steepest rise (max dj/dE of the smoothed curve)
//!   intersected with the baseline line;
//! - **derivative**: the first E above the baseline window where the smoothed dj/dE − baseline slope ≥
//!   `derivative_threshold` for 3 points in a row (default 1 A/m²/V = 10 µA/cm² per 100 mV).
//!
//! Smoothing is a centered moving average over `smoothing_points` points (default 5) before the
//! central-difference derivative.

use serde::Serialize;
use spelab_core::{Technique, TimeSeries};

use crate::error::{check_finite, check_len, check_param_positive, check_technique};
use crate::fit::{fit_line, Line};
use crate::AnalysisError;

const WHAT: &str = "LSV oxidation onset";

/// Options of the onset analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LsvOptions {
    /// Baseline window (E_low, E_high) [V]; None = the lowest 20 % of the swept range.
    pub baseline_window: Option<(f64, f64)>,
    /// Current-density threshold above baseline [A/m²]. Default 0.1 (10 µA/cm²).
    pub threshold: f64,
    /// Derivative threshold above the baseline slope [A/m²/V]. Default 1.
    pub derivative_threshold: f64,
    /// Moving-average width [points] (odd; even values are rounded up). Default 5.
    pub smoothing_points: usize,
}

impl Default for LsvOptions {
    fn default() -> Self {
        LsvOptions { baseline_window: None, threshold: 0.1, derivative_threshold: 1.0, smoothing_points: 5 }
    }
}

/// Result of [`oxidation_onset`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LsvOnset {
    /// Onset by the current threshold [V] (None when never crossed).
    pub threshold_onset: Option<f64>,
    /// Onset by tangent intersection [V] (None when the steepest rise exceeds the baseline slope by less
    /// than `derivative_threshold`, or the tangent meets the baseline outside the sweep).
    pub tangent_onset: Option<f64>,
    /// Onset by the derivative threshold [V].
    pub derivative_onset: Option<f64>,
    /// Baseline line j = a + b E.
    pub baseline: Line,
    /// Baseline window used [V].
    pub baseline_window: (f64, f64),
    /// Point of steepest rise (E [V], j [A/m²]) and its slope [A/m²/V].
    pub steepest: (f64, f64, f64),
    /// Options used.
    pub options: LsvOptions,
}

fn smooth(y: &[f64], width: usize) -> Vec<f64> {
    let h = width / 2;
    (0..y.len())
        .map(|k| {
            let (a, b) = (k.saturating_sub(h), (k + h + 1).min(y.len()));
            y[a..b].iter().sum::<f64>() / (b - a) as f64
        })
        .collect()
}

fn first_sustained(n: usize, from: usize, cond: impl Fn(usize) -> bool) -> Option<usize> {
    (from..n).find(|&k| (k..(k + 3).min(n)).all(&cond))
}

/// Finds the oxidation onset of an anodic LSV sweep: `potential` [V], `current_density` [A/m²].
pub fn oxidation_onset(
    potential: &[f64],
    current_density: &[f64],
    options: &LsvOptions,
) -> Result<LsvOnset, AnalysisError> {
    check_len(WHAT, ("potential", potential.len()), ("current density", current_density.len()), 10)?;
    check_finite(WHAT, "potential", potential)?;
    check_finite(WHAT, "current density", current_density)?;
    check_param_positive(WHAT, "threshold", options.threshold)?;
    check_param_positive(WHAT, "derivative_threshold", options.derivative_threshold)?;
    let mut pts: Vec<(f64, f64)> = potential.iter().copied().zip(current_density.iter().copied()).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let e: Vec<f64> = pts.iter().map(|p| p.0).collect();
    let j: Vec<f64> = pts.iter().map(|p| p.1).collect();
    let n = e.len();
    let (lo, hi) = (e[0], e[n - 1]);
    if hi - lo <= 0.0 {
        return Err(AnalysisError::Degenerate { what: WHAT, column: "potential" });
    }
    let window = options.baseline_window.unwrap_or((lo, lo + 0.2 * (hi - lo)));
    let idx: Vec<usize> = (0..n).filter(|&k| e[k] >= window.0 && e[k] <= window.1).collect();
    if idx.len() < 3 {
        return Err(AnalysisError::TooFewPoints { what: "LSV baseline window", needed: 3, found: idx.len() });
    }
    let bx: Vec<f64> = idx.iter().map(|&k| e[k]).collect();
    let by: Vec<f64> = idx.iter().map(|&k| j[k]).collect();
    let baseline = fit_line(WHAT, &bx, &by)?;
    let after = idx[idx.len() - 1] + 1;
    let threshold_onset =
        first_sustained(n, after, |k| j[k] - baseline.at(e[k]) >= options.threshold).map(|k| e[k]);
    let js = smooth(&j, options.smoothing_points.max(1) | 1);
    let d: Vec<f64> = (0..n)
        .map(|k| {
            let (a, b) = (k.saturating_sub(1), (k + 1).min(n - 1));
            if e[b] > e[a] {
                (js[b] - js[a]) / (e[b] - e[a])
            } else {
                0.0
            }
        })
        .collect();
    let derivative_onset =
        first_sustained(n, after, |k| d[k] - baseline.slope >= options.derivative_threshold).map(|k| e[k]);
    let steep = (after..n).max_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap_or(n - 1);
    let steepest = (e[steep], js[steep], d[steep]);
    // A tangent onset needs a rise steeper than the baseline by the derivative threshold (else the
    // curve has no onset, e.g. an ohmic sweep) and an intersection inside the sweep (a curved baseline
    // steeper than the tangent, as in a real EC-Lab file, meets it outside).
    let tangent_onset = if d[steep] - baseline.slope >= options.derivative_threshold {
        // Tangent: j = js[steep] + d (E − E_s); baseline: j = a + b E.
        let x = (baseline.intercept - js[steep] + d[steep] * e[steep]) / (d[steep] - baseline.slope);
        (lo..=hi).contains(&x).then_some(x)
    } else {
        None
    };
    Ok(LsvOnset {
        threshold_onset,
        tangent_onset,
        derivative_onset,
        baseline,
        baseline_window: window,
        steepest,
        options: *options,
    })
}

/// As [`oxidation_onset`] for a [`TimeSeries`] (voltage and current / `area` [m²]); refuses records
/// whose technique is not LSV or CV.
pub fn oxidation_onset_from_series(
    series: &TimeSeries,
    area: f64,
    options: &LsvOptions,
) -> Result<LsvOnset, AnalysisError> {
    check_technique(WHAT, "LSV or CV", series.meta().technique, &[Technique::Lsv, Technique::Cv])?;
    check_param_positive(WHAT, "area", area)?;
    let j: Vec<f64> = series.current().iter().map(|i| i / area).collect();
    oxidation_onset(series.voltage(), &j, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sloped baseline plus a linear rise of slope s from 4.9 V, sampled every 1 mV from 3 to 6 V.
    fn sweep(s: f64) -> (Vec<f64>, Vec<f64>) {
        let e: Vec<f64> = (0..=3000).map(|k| 3.0 + k as f64 * 1e-3).collect();
        let j = e.iter().map(|e| 0.01 + 0.002 * (e - 3.0) + s * (e - 4.9).max(0.0)).collect();
        (e, j)
    }

    #[test]
    fn three_onsets_of_a_kinked_sweep() {
        let (e, j) = sweep(20.0);
        let r = oxidation_onset(&e, &j, &LsvOptions::default()).unwrap();
        // Threshold: s (E − 4.9) = 0.1 ⇒ E = 4.905 (to the 1 mV grid, + rounding of the sum).
        assert!((r.threshold_onset.unwrap() - 4.905).abs() < 1.5e-3, "{r:?}");
        // Tangent on the straight rise meets the straight baseline exactly at the kink.
        assert!((r.tangent_onset.unwrap() - 4.9).abs() < 1e-9, "{r:?}");
        // The 5-point smoothing blurs the kink by ±2 mV.
        assert!((r.derivative_onset.unwrap() - 4.9).abs() < 3e-3, "{r:?}");
    }

    #[test]
    fn no_rise_and_bad_data() {
        let (e, j) = sweep(0.0);
        let r = oxidation_onset(&e, &j, &LsvOptions::default()).unwrap();
        assert!(r.threshold_onset.is_none() && r.derivative_onset.is_none());
        assert!(oxidation_onset(&e[..5], &j[..5], &LsvOptions::default()).is_err());
        let mut bad = j.clone();
        bad[7] = f64::INFINITY;
        assert!(matches!(
            oxidation_onset(&e, &bad, &LsvOptions::default()),
            Err(AnalysisError::NotFinite { .. })
        ));
    }
}
