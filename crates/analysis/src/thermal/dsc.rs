//! DSC: the enthalpy of an endotherm above a straight baseline, the melting temperatures, and the
//! crystallinity X_c = ΔH_m / (w ΔH_m⁰) (methods.md §9).
//!
//! The baseline joins the heat flow linearly interpolated at the window's two temperatures T₁, T₂;
//! the area is the trapezoid integral over time of (signal − baseline), the baseline straight in time
//! (as `shared/data/spectra/scripts/dsc_reference.py`); without a time channel, time is rebuilt from
//! the given `heating_rate`. The temperature integral over the mean heating rate is reported too. The peak temperature is the maximum above a baseline straight in
//! temperature; the onset is the extrapolated onset (tangent at the steepest point of the leading
//! edge meets the baseline). ΔH_m⁰ = 104.7 J/g for PVDF (Nakagawa & Ishida 1973) by default.

use serde::Serialize;
use spelab_core::{Thermogram, ThermogramKind};

use super::interp;
use crate::AnalysisError;

/// Which way an endotherm points in the signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignConvention {
    /// Endothermic events positive (spelab's convention and most exports' "endo up").
    EndoUp,
    /// Endothermic events negative ("exo up" instruments, TA's default): the signal is negated.
    ExoUp,
}

/// Options of [`dsc_crystallinity`].
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct DscOptions {
    /// Integration window, start and end temperature [K].
    pub window: (f64, f64),
    /// Sign convention of the signal. Default: endo up.
    pub sign: SignConvention,
    /// Melting enthalpy of the 100 % crystalline polymer; default 104.7 J/g for PVDF [J/kg].
    pub reference_enthalpy: f64,
    /// Polymer mass fraction w of the sample (salt, filler, solvent excluded); default 1 [1].
    pub polymer_fraction: f64,
    /// Cold-crystallisation enthalpy subtracted from ΔH_m before X_c; default 0 [J/kg].
    pub cold_crystallisation: f64,
    /// Heating rate used when the thermogram has no time channel [K/s].
    pub heating_rate: Option<f64>,
}

impl Default for DscOptions {
    fn default() -> Self {
        DscOptions {
            window: (403.15, 453.15),
            sign: SignConvention::EndoUp,
            reference_enthalpy: spelab_core::constants::PVDF_MELTING_ENTHALPY_100,
            polymer_fraction: 1.0,
            cold_crystallisation: 0.0,
            heating_rate: None,
        }
    }
}

/// What [`dsc_crystallinity`] finds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DscResult {
    /// Enthalpy of the endotherm per sample mass, time integral [J/kg].
    pub enthalpy: f64,
    /// The same from the temperature integral over the mean heating rate [J/kg].
    pub enthalpy_temperature_integral: f64,
    /// Enthalpy per polymer mass, (ΔH − ΔH_cc)/w [J/kg].
    pub enthalpy_per_polymer_mass: f64,
    /// Crystallinity X_c = (ΔH − ΔH_cc)/(w ΔH⁰) [1].
    pub crystallinity: f64,
    /// Peak temperature [K].
    pub peak_temperature: f64,
    /// Extrapolated onset temperature [K].
    pub onset_temperature: f64,
    /// Peak height above the baseline [W/kg].
    pub peak_height: f64,
    /// Baseline values at T₁ and T₂ [W/kg].
    pub baseline_ends: (f64, f64),
    /// Mean heating rate over the window [K/s].
    pub heating_rate: f64,
    /// Temperatures of the integrated points, window ends included [K].
    pub temperature: Vec<f64>,
    /// Specific heat flow there, endo up [W/kg].
    pub signal: Vec<f64>,
    /// Baseline there (straight in time) [W/kg].
    pub baseline: Vec<f64>,
}

/// Integrates the endotherm of `thermogram` in `options.window` (see the module documentation).
pub fn dsc_crystallinity(thermogram: &Thermogram, options: &DscOptions) -> Result<DscResult, AnalysisError> {
    let what = "DSC crystallinity";
    let per_mass = match thermogram.kind() {
        ThermogramKind::DscSpecific => 1.0,
        ThermogramKind::Dsc => match thermogram.meta().sample_mass {
            Some(m) => 1.0 / m,
            None => {
                return Err(AnalysisError::Unusable {
                    what,
                    reason: "the heat flow is in W and the sample mass is unknown; give the mass".into(),
                })
            }
        },
        ThermogramKind::Tga(_) => {
            return Err(AnalysisError::WrongTechnique { what, expected: "DSC", found: "TGA".into() })
        }
    };
    crate::error::check_param_positive(what, "polymer_fraction", options.polymer_fraction)?;
    crate::error::check_param_positive(what, "reference_enthalpy", options.reference_enthalpy)?;
    let sign = if options.sign == SignConvention::ExoUp { -1.0 } else { 1.0 };
    let temps = thermogram.temperature();
    let q: Vec<f64> = thermogram.signal().iter().map(|v| sign * v * per_mass).collect();
    let (t1, t2) = options.window;
    let (lo, hi) = (
        temps.iter().cloned().fold(f64::INFINITY, f64::min),
        temps.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    if !(t1 < t2 && t1 >= lo && t2 <= hi) {
        return Err(AnalysisError::InvalidInput {
            what,
            reason: format!("window {t1:.2}-{t2:.2} K must lie inside the data ({lo:.2}-{hi:.2} K)"),
        });
    }
    let time: Vec<f64> = match (thermogram.time(), options.heating_rate) {
        (Some(t), _) => t.to_vec(),
        (None, Some(rate)) => temps.iter().map(|t| (t - temps[0]) / rate).collect(),
        (None, None) => {
            return Err(AnalysisError::Unusable {
                what,
                reason: "no time channel; give the heating rate".into(),
            })
        }
    };
    let (q1, q2) = (interp(t1, temps, &q), interp(t2, temps, &q));
    let (s1, s2) = (interp(t1, temps, &time), interp(t2, temps, &time));
    let mut tt = vec![s1];
    let mut temp = vec![t1];
    let mut qq = vec![q1];
    for i in 0..temps.len() {
        if temps[i] >= t1 && temps[i] <= t2 {
            tt.push(time[i]);
            temp.push(temps[i]);
            qq.push(q[i]);
        }
    }
    tt.push(s2);
    temp.push(t2);
    qq.push(q2);
    let base_t: Vec<f64> = tt.iter().map(|s| q1 + (q2 - q1) * (s - s1) / (s2 - s1)).collect();
    let base_temp: Vec<f64> = temp.iter().map(|t| q1 + (q2 - q1) * (t - t1) / (t2 - t1)).collect();
    let trapz = |f: &dyn Fn(usize) -> f64, x: &[f64]| -> f64 {
        (1..x.len()).map(|i| 0.5 * (f(i) + f(i - 1)) * (x[i] - x[i - 1])).sum()
    };
    let enthalpy = trapz(&|i| qq[i] - base_t[i], &tt);
    let beta = (t2 - t1) / (s2 - s1);
    let enthalpy_t = trapz(&|i| qq[i] - base_temp[i], &temp) / beta;
    let above: Vec<f64> = qq.iter().zip(&base_temp).map(|(a, b)| a - b).collect();
    let k = above.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i).unwrap_or(0);
    // Extrapolated onset: tangent at the steepest rise before the peak meets the baseline.
    let mut onset = temp[0];
    let mut best = 0.0;
    for i in 1..=k {
        let dt = temp[i] - temp[i - 1];
        if dt > 0.0 {
            let slope = (above[i] - above[i - 1]) / dt;
            if slope > best {
                best = slope;
                let mid_t = 0.5 * (temp[i] + temp[i - 1]);
                let mid_s = 0.5 * (above[i] + above[i - 1]);
                onset = mid_t - mid_s / slope;
            }
        }
    }
    let enthalpy_per_polymer_mass = (enthalpy - options.cold_crystallisation) / options.polymer_fraction;
    let crystallinity = enthalpy_per_polymer_mass / options.reference_enthalpy;
    Ok(DscResult {
        enthalpy,
        enthalpy_temperature_integral: enthalpy_t,
        enthalpy_per_polymer_mass,
        crystallinity,
        peak_temperature: temp[k],
        onset_temperature: onset,
        peak_height: above[k],
        baseline_ends: (q1, q2),
        heating_rate: beta,
        temperature: temp,
        signal: qq,
        baseline: base_t,
    })
}
