//! TGA: mass-loss steps between boundary temperatures, the residue, DTG peaks and the residual
//! solvent content (methods.md §10).
//!
//! Mass in percent of a reference mass (the first point by default, or a given one; a mass-fraction
//! signal is already relative and is used as is unless a reference is given). The mass at each
//! boundary is linearly interpolated in temperature (as `numpy.interp`); step loss = m(T₁) − m(T₂)
//! in percentage points. Boundaries are given by the user or found automatically at the maxima of
//! the DTG curve (least mass-loss rate) between its minima (the loss peaks). DTG: `numpy.gradient`
//! of mass % against temperature, or a Savitzky–Golay first derivative (quadratic, odd window) of
//! mass % against time in %/min.

use serde::{Deserialize, Serialize};
use spelab_core::measurement::TgaSignal;
use spelab_core::{Thermogram, ThermogramKind};

use super::interp;
use crate::AnalysisError;

/// How the DTG curve is computed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DtgMethod {
    /// Second-order central differences of mass % against temperature (`numpy.gradient`) [%/K].
    Gradient,
    /// Savitzky–Golay slope (quadratic) over `window` points of mass % against time [%/min].
    SavitzkyGolay {
        /// Odd window length (points).
        window: usize,
    },
}

/// Options of [`tga_steps`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TgaOptions {
    /// Step boundaries [K] (at least two, increasing); `None` finds them from the DTG.
    pub boundaries: Option<Vec<f64>>,
    /// Reference (100 %) mass in the signal's unit; `None`: the first point for a mass signal, 1 for a
    /// mass fraction.
    pub reference: Option<f64>,
    /// DTG method. Default: gradient.
    pub dtg: DtgMethod,
    /// The step whose loss is the residual solvent content (index into the steps); default 0.
    pub solvent_step: Option<usize>,
    /// Minimum DTG peak depth, as a share of the deepest, for automatic boundaries; default 0.05.
    pub min_peak_share: f64,
}

impl Default for TgaOptions {
    fn default() -> Self {
        TgaOptions {
            boundaries: None,
            reference: None,
            dtg: DtgMethod::Gradient,
            solvent_step: Some(0),
            min_peak_share: 0.05,
        }
    }
}

/// One mass-loss step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TgaStep {
    /// Start temperature [K].
    pub from: f64,
    /// End temperature [K].
    pub to: f64,
    /// Mass at the start [%].
    pub mass_from: f64,
    /// Mass at the end [%].
    pub mass_to: f64,
    /// Loss m(from) − m(to) [percentage points].
    pub loss: f64,
    /// Temperature of the steepest loss (DTG minimum) inside the step [K].
    pub dtg_peak_temperature: f64,
    /// DTG there (%/K or %/min by method).
    pub dtg_peak: f64,
}

/// What [`tga_steps`] finds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TgaResult {
    /// The steps.
    pub steps: Vec<TgaStep>,
    /// Mass at the last point [%].
    pub residue: f64,
    /// First minus last mass [percentage points].
    pub total_loss: f64,
    /// Loss of the solvent step as a mass fraction [1].
    pub residual_solvent_content: Option<f64>,
    /// Temperature [K].
    pub temperature: Vec<f64>,
    /// Mass [%].
    pub mass_percent: Vec<f64>,
    /// DTG curve.
    pub dtg: Vec<f64>,
}

/// `numpy.gradient(y, x)`: second-order central differences inside, first-order at the ends.
pub fn gradient(y: &[f64], x: &[f64]) -> Vec<f64> {
    let n = y.len();
    let mut g = vec![0.0; n];
    if n < 2 {
        return g;
    }
    g[0] = (y[1] - y[0]) / (x[1] - x[0]);
    g[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
    for i in 1..n - 1 {
        let (h1, h2) = (x[i] - x[i - 1], x[i + 1] - x[i]);
        g[i] = (h1 * h1 * y[i + 1] - h2 * h2 * y[i - 1] + (h2 * h2 - h1 * h1) * y[i]) / (h1 * h2 * (h1 + h2));
    }
    g
}

/// Savitzky–Golay slope (quadratic fit; its slope at the centre equals the linear fit's) with
/// sample spacing `dt`; the ends use the nearest full window's slope.
fn sg_slope(y: &[f64], window: usize, dt: f64) -> Vec<f64> {
    let n = y.len();
    let h = (window / 2).min(n.saturating_sub(1) / 2).max(1);
    let denom: f64 = (1..=h).map(|k| 2.0 * (k * k) as f64).sum();
    (0..n)
        .map(|i| {
            let c = i.clamp(h, n - 1 - h);
            (1..=h).map(|k| k as f64 * (y[c + k] - y[c - k])).sum::<f64>() / denom / dt
        })
        .collect()
}

/// Mass-loss steps of a TGA thermogram (see the module documentation).
pub fn tga_steps(thermogram: &Thermogram, options: &TgaOptions) -> Result<TgaResult, AnalysisError> {
    let what = "TGA steps";
    let ThermogramKind::Tga(signal) = thermogram.kind() else {
        return Err(AnalysisError::WrongTechnique { what, expected: "TGA", found: "DSC".into() });
    };
    let s = thermogram.signal();
    let reference = options.reference.unwrap_or(match signal {
        TgaSignal::Mass => s[0],
        TgaSignal::MassFraction => 1.0,
    });
    crate::error::check_param_positive(what, "reference mass", reference)?;
    let temperature = thermogram.temperature().to_vec();
    let mass: Vec<f64> = s.iter().map(|v| 100.0 * v / reference).collect();
    let dtg = match options.dtg {
        DtgMethod::Gradient => gradient(&mass, &temperature),
        DtgMethod::SavitzkyGolay { window } => {
            let time = thermogram.time().ok_or(AnalysisError::Unusable {
                what,
                reason: "the Savitzky-Golay DTG needs a time channel".into(),
            })?;
            let mut steps: Vec<f64> = time.windows(2).map(|w| w[1] - w[0]).collect();
            steps.sort_by(f64::total_cmp);
            let dt_min = steps.get(steps.len() / 2).copied().unwrap_or(1.0) / 60.0;
            sg_slope(&mass, window, dt_min)
        }
    };
    let n = temperature.len();
    let boundaries = match &options.boundaries {
        Some(b) => {
            if b.len() < 2 || b.windows(2).any(|w| w[1] <= w[0]) {
                return Err(AnalysisError::InvalidInput {
                    what,
                    reason: "boundaries must be at least two increasing temperatures".into(),
                });
            }
            b.clone()
        }
        None => auto_boundaries(&temperature, &dtg, options.min_peak_share),
    };
    let mut steps = Vec::new();
    for w in boundaries.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (ma, mb) = (interp(a, &temperature, &mass), interp(b, &temperature, &mass));
        let (mut tp, mut dp) = (f64::NAN, f64::INFINITY);
        for i in 0..n {
            if temperature[i] >= a && temperature[i] <= b && dtg[i] < dp {
                dp = dtg[i];
                tp = temperature[i];
            }
        }
        steps.push(TgaStep {
            from: a,
            to: b,
            mass_from: ma,
            mass_to: mb,
            loss: ma - mb,
            dtg_peak_temperature: tp,
            dtg_peak: dp,
        });
    }
    let residual_solvent_content = options.solvent_step.and_then(|k| steps.get(k)).map(|s| s.loss / 100.0);
    Ok(TgaResult {
        steps,
        residue: mass[n - 1],
        total_loss: mass[0] - mass[n - 1],
        residual_solvent_content,
        temperature,
        mass_percent: mass,
        dtg,
    })
}

/// Boundaries at the DTG maxima between loss peaks (DTG minima deeper than `share` of the deepest),
/// plus the first and last temperature.
fn auto_boundaries(t: &[f64], dtg: &[f64], share: f64) -> Vec<f64> {
    let rate: Vec<f64> = dtg.iter().map(|v| -v).collect();
    let deepest = rate.iter().cloned().fold(0.0, f64::max);
    let peaks = crate::peaks::find_peaks(t, &rate, share * deepest);
    let mut out = vec![t[0]];
    for w in peaks.windows(2) {
        let (i, j) = (w[0].index, w[1].index);
        let k = (i..=j).min_by(|&a, &b| rate[a].total_cmp(&rate[b])).unwrap_or(i);
        out.push(t[k]);
    }
    out.push(t[t.len() - 1]);
    out
}
