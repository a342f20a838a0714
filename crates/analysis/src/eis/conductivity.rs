//! Ionic conductivity from an impedance spectrum: σ = L / (R_b A).
//!
//! R_b, the bulk resistance, comes from one of
//! - **a fitted circuit element** (or a sum of elements) the user names: value and standard error
//!   from the fit, the sum's variance from the fit's correlation matrix
//!   (var Σ = Σᵢⱼ ρᵢⱼ sᵢ sⱼ);
//! - **the minimum of −Z''** between the bulk arc and the electrode spike (the usual reading for
//!   blocking-electrode cells), refined by a parabola through the three points around it; it counts
//!   only behind an arc (a higher-frequency point 20 % above it and at ≥ 5 % of |Z|), so noise on a bare spike
//!   does not pass for a minimum;
//! - **the real-axis intercept** of the spectrum (for spectra without a bulk arc, typical of
//!   PVDF-based SPEs): Z' where Z'' crosses zero, interpolated between the two points that bracket
//!   the crossing, or extrapolated by a straight line Z' = R_b + k(−Z'') through the five
//!   highest-frequency points of the spike (OLS, standard error of the intercept).
//!
//! For the minimum and the interpolated intercept the standard error is half the Z' spacing of the
//! neighbouring points (the resolution of the reading). Uncertainty propagates as
//! (δσ/σ)² = (δL/L)² + (δR_b/R_b)² + (δA/A)².

use serde::Serialize;
use spelab_core::ImpedanceSpectrum;

use super::fit::CircuitFit;
use crate::AnalysisError;

/// How R_b was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BulkResistanceMethod {
    /// Sum of fitted circuit parameters.
    FittedElements {
        /// Parameter names.
        names: Vec<String>,
    },
    /// Z' at the minimum of −Z'' between arc and spike.
    MinimumImaginary {
        /// Frequency of the minimum [Hz].
        frequency: f64,
    },
    /// Z' where the spectrum crosses the real axis (Z'' = 0).
    RealAxisIntercept {
        /// Whether the crossing was extrapolated beyond the measured points.
        extrapolated: bool,
    },
}

impl std::fmt::Display for BulkResistanceMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::FittedElements { names } => write!(f, "fitted circuit parameter {}", names.join(" + ")),
            Self::MinimumImaginary { frequency } => write!(f, "minimum of -Z'' (at {frequency:.4e} Hz)"),
            Self::RealAxisIntercept { extrapolated: false } => {
                f.write_str("real-axis intercept (interpolated)")
            }
            Self::RealAxisIntercept { extrapolated: true } => {
                f.write_str("real-axis intercept (extrapolated from the high-frequency spike)")
            }
        }
    }
}

/// A bulk resistance with its uncertainty and method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkResistance {
    /// R_b [Ω].
    pub value: f64,
    /// One-sigma uncertainty [Ω].
    pub std_error: f64,
    /// How it was obtained.
    pub method: BulkResistanceMethod,
}

/// R_b as the sum of the fitted parameters `names` (e.g. `["R1"]` or `["R0", "R1"]`).
pub fn bulk_resistance_from_fit(fit: &CircuitFit, names: &[&str]) -> Result<BulkResistance, AnalysisError> {
    let mut idx = Vec::new();
    for name in names {
        let i = fit.parameters.iter().position(|p| p.name == *name).ok_or_else(|| {
            AnalysisError::UnknownParameter {
                name: name.to_string(),
                circuit: fit.circuit.clone(),
                known: fit.parameters.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
            }
        })?;
        if fit.parameters[i].unit != "Ohm" {
            return Err(AnalysisError::InvalidInput {
                what: "bulk resistance",
                reason: format!("parameter {name} is in {}, not Ohm", fit.parameters[i].unit),
            });
        }
        idx.push(i);
    }
    if idx.is_empty() {
        return Err(AnalysisError::InvalidInput {
            what: "bulk resistance",
            reason: "no element named".into(),
        });
    }
    let value = idx.iter().map(|&i| fit.parameters[i].value).sum();
    let mut variance = 0.0;
    for &i in &idx {
        for &k in &idx {
            let (si, sk) = (fit.parameters[i].std_error, fit.parameters[k].std_error);
            let rho = if i == k { 1.0 } else { fit.correlation[i][k] };
            if si > 0.0 && sk > 0.0 {
                variance += rho * si * sk;
            }
        }
    }
    Ok(BulkResistance {
        value,
        std_error: variance.max(0.0).sqrt(),
        method: BulkResistanceMethod::FittedElements { names: names.iter().map(|s| s.to_string()).collect() },
    })
}

/// R_b read from the spectrum's shape (minimum of −Z'' between arc and spike, else the real-axis
/// intercept); see the module documentation.
pub fn bulk_resistance_from_spectrum(spectrum: &ImpedanceSpectrum) -> Result<BulkResistance, AnalysisError> {
    let s = spectrum.sorted_descending();
    let (f, z) = (s.frequency(), s.impedance());
    let n = z.len();
    super::input::check_spectrum("bulk resistance", spectrum, 3)?;
    let nim: Vec<f64> = z.iter().map(|z| -z.im).collect();
    // Interior local minimum of −Z'' on the capacitive side, highest frequency first, behind a real
    // arc: some higher-frequency point must stand at least 20 % above it and at 5 % of |Z| (a noise
    // dip on a bare spike does neither).
    let mut arc_top = 0.0_f64;
    for i in 1..n - 1 {
        arc_top = arc_top.max(nim[i - 1]);
        let real_arc = arc_top > 1.2 * nim[i] && arc_top > 0.05 * z[i].norm();
        if nim[i] > 0.0 && nim[i] < nim[i - 1] && nim[i] <= nim[i + 1] && real_arc {
            // Parabola through (Z', −Z'') of the three points, vertex in Z'.
            let (x0, x1, x2) = (z[i - 1].re, z[i].re, z[i + 1].re);
            let (y0, y1, y2) = (nim[i - 1], nim[i], nim[i + 1]);
            let denom = (x0 - x1) * (x0 - x2) * (x1 - x2);
            let a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denom;
            let b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denom;
            let vertex = -b / (2.0 * a);
            let (lo, hi) = (x0.min(x2), x0.max(x2));
            let value =
                if a > 0.0 && vertex.is_finite() && (lo..=hi).contains(&vertex) { vertex } else { x1 };
            let std_error = 0.25 * ((x1 - x0).abs() + (x2 - x1).abs());
            return Ok(BulkResistance {
                value,
                std_error,
                method: BulkResistanceMethod::MinimumImaginary { frequency: f[i] },
            });
        }
    }
    // Crossing of the real axis (inductive at high f, capacitive below).
    for i in 0..n - 1 {
        if nim[i] <= 0.0 && nim[i + 1] > 0.0 {
            let t = -nim[i] / (nim[i + 1] - nim[i]);
            let value = z[i].re + t * (z[i + 1].re - z[i].re);
            return Ok(BulkResistance {
                value,
                std_error: 0.5 * (z[i + 1].re - z[i].re).abs(),
                method: BulkResistanceMethod::RealAxisIntercept { extrapolated: false },
            });
        }
    }
    // A spike only: a blocking electrode in series with R_b is a straight line from (R_b, 0), so
    // regress Z' on −Z'' over the (up to) five highest-frequency points; the intercept is R_b with
    // its ordinary least-squares standard error (the half spacing of the first two points with only
    // two points).
    let k = n.min(5);
    let (xs, ys): (Vec<f64>, Vec<f64>) = (0..k).map(|i| (nim[i], z[i].re)).unzip();
    if xs.iter().all(|x| *x > 0.0) {
        let mx = xs.iter().sum::<f64>() / k as f64;
        let my = ys.iter().sum::<f64>() / k as f64;
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        if sxx > 0.0 {
            let slope = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / sxx;
            let value = my - slope * mx;
            let std_error = if k > 2 {
                let ssr: f64 = xs.iter().zip(&ys).map(|(x, y)| (y - value - slope * x).powi(2)).sum();
                (ssr / (k - 2) as f64 * (1.0 / k as f64 + mx * mx / sxx)).sqrt()
            } else {
                0.5 * (ys[1] - ys[0]).abs()
            };
            if value.is_finite() && value > 0.0 {
                return Ok(BulkResistance {
                    value,
                    std_error,
                    method: BulkResistanceMethod::RealAxisIntercept { extrapolated: true },
                });
            }
        }
    }
    Err(AnalysisError::InvalidInput {
        what: "bulk resistance",
        reason: "the spectrum has neither a minimum of -Z'' nor a usable real-axis intercept".into(),
    })
}

/// Ionic conductivity with its propagated uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conductivity {
    /// σ [S/m].
    pub sigma: f64,
    /// One-sigma uncertainty of σ [S/m].
    pub std_error: f64,
    /// The bulk resistance used.
    pub bulk_resistance: BulkResistance,
    /// Electrolyte thickness L [m].
    pub thickness: f64,
    /// Electrode area A [m²].
    pub area: f64,
}

/// R_b of `spectrum`: the sum of the parameters `elements` of a converged fit of `circuit` (default fit
/// options, `weighting`) when a circuit is given, else [`bulk_resistance_from_spectrum`]; what
/// `spelab eis conductivity` and `spelab.eis.conductivity` compute.
pub fn bulk_resistance(
    spectrum: &ImpedanceSpectrum,
    circuit: Option<&super::Circuit>,
    elements: &[&str],
    weighting: super::Weighting,
) -> Result<BulkResistance, AnalysisError> {
    let Some(circuit) = circuit else { return bulk_resistance_from_spectrum(spectrum) };
    let options = super::EisFitOptions { weighting, ..super::EisFitOptions::default() };
    let fit = super::fit_circuit(spectrum, circuit, &options)?;
    if !fit.termination.converged() {
        return Err(AnalysisError::InvalidInput {
            what: "conductivity",
            reason: format!("the fit of {circuit} did not converge: {}", fit.termination),
        });
    }
    bulk_resistance_from_fit(&fit, elements)
}

/// σ = L/(R_b A) from thickness `thickness` ± `thickness_se` [m] and area `area` ± `area_se` [m²].
///
/// ```
/// use spelab_analysis::eis::conductivity::{conductivity, BulkResistance, BulkResistanceMethod};
/// let rb = BulkResistance { value: 50.0, std_error: 1.0, method: BulkResistanceMethod::RealAxisIntercept { extrapolated: false } };
/// let s = conductivity(&rb, 100e-6, 0.0, 2.01e-4, 0.0).unwrap();
/// assert!((s.sigma - 100e-6 / (50.0 * 2.01e-4)).abs() < 1e-15);
/// assert!((s.std_error / s.sigma - 0.02).abs() < 1e-12); // 1 Ω of 50 Ω
/// ```
pub fn conductivity(
    bulk: &BulkResistance,
    thickness: f64,
    thickness_se: f64,
    area: f64,
    area_se: f64,
) -> Result<Conductivity, AnalysisError> {
    for (what, v) in [("thickness", thickness), ("area", area), ("bulk resistance", bulk.value)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(AnalysisError::InvalidInput {
                what: "conductivity",
                reason: format!("{what} = {v} must be positive"),
            });
        }
    }
    let sigma = thickness / (bulk.value * area);
    let rel2 =
        (thickness_se / thickness).powi(2) + (bulk.std_error / bulk.value).powi(2) + (area_se / area).powi(2);
    Ok(Conductivity { sigma, std_error: sigma * rel2.sqrt(), bulk_resistance: bulk.clone(), thickness, area })
}
