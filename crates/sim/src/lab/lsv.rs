//! Virtual anodic LSV of a Li | SPE | SS cell (stainless-steel working electrode, Li counter and
//! reference) for the oxidative-stability window.
//!
//! The model is phenomenological, not a prediction: the decomposition onset is an **input**, taken
//! from the paper (PVH-IM "stable up to 4.90 V", PVH "rises at approximately 4.10 V"; values
//! `oxidation_onset_v` of the presets), so analysing the virtual sweep with the onset analysis is a
//! round trip of that analysis, nothing more. With E the applied potential vs Li/Li⁺, ν the sweep rate
//! and E* = E − j·ASR the potential left after the ohmic drop in the membrane:
//!
//! ```text
//! j(E) = C_dl ν + j_k j_L / (j_k + j_L),    j_k = j_on · 10^((E* − E_on)/b)
//! ```
//!
//! - C_dl ν: capacitive background of the blocking SS interface (C_dl of the EIS model, 10 µF/cm²);
//! - ohmic drop j·ASR with ASR = L/σ of the membrane (implicit in j, solved per point by bisection);
//! - j_k: anodic decomposition current rising exponentially with Tafel slope b; it equals j_on at
//!   E* = E_on (the onset is where the decomposition current reaches j_on = 10 µA/cm², the usual
//!   threshold criterion);
//! - j_L: the decomposition wave levels off at j_L (finite supply of the oxidised species; the peak
//!   of PVH at 4.30 V, a depleting reservoir, is not modelled).
//!
//! b, j_on and j_L are assumptions, stored as `[model]` values `lsv_tafel_slope_mv`,
//! `lsv_onset_current_density_ua_cm2` and `lsv_limiting_current_density_ma_cm2` of each preset.
//!
//! What each onset definition of `spelab_analysis::lsv` returns on this curve (no ohmic drop, flat
//! baseline; closed forms used by the tests): threshold j_t: E_on + b·log10(j_t j_L / (j_on (j_L − j_t)));
//! derivative threshold d_t: where (ln 10 / b)·j(1 − j/j_L) = d_t; tangent at the steepest rise
//! (j = j_L/2, at E_½ = E_on + b·log10(j_L/j_on)): E_½ − 2b/ln 10.

use spelab_core::constants::T_REF;
use spelab_core::metric::Conditions;
use spelab_core::units::Quantity;
use spelab_core::{Metadata, MetricId, Technique, TimeSeries};

use spelab_core::random::Rng;

use super::noise::Noise;
use crate::error::{check_param, SimError};
use crate::params::{ParamsError, Preset};

/// Parameters of the virtual LSV (module docs). SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct OxidationLsv {
    /// Onset potential E_on vs Li/Li⁺ (an input from the paper) [V].
    pub onset_potential: f64,
    /// Where E_on comes from (figure and section of the source).
    pub onset_source: String,
    /// Decomposition current at the onset, j_on [A/m²].
    pub onset_current_density: f64,
    /// Tafel slope b of the decomposition current [V/decade].
    pub tafel_slope: f64,
    /// Height j_L of the decomposition wave [A/m²].
    pub limiting_current_density: f64,
    /// Double-layer capacitance of the SS working electrode per area [F/m²].
    pub double_layer_capacitance: f64,
    /// Area-specific ohmic resistance of the membrane, L/σ [Ω·m²].
    pub area_specific_resistance: f64,
    /// Electrode area [m²].
    pub area: f64,
    /// Cell temperature [K].
    pub temperature: f64,
}

/// SI value of the first value of `preset` whose key is `name` followed by a unit suffix and whose
/// quantity is `quantity`.
fn model_value(preset: &Preset, name: &str, quantity: Quantity) -> Result<f64, ParamsError> {
    preset
        .values
        .iter()
        .find(|v| v.quantity == quantity && v.key.starts_with(&format!("{name}_")))
        .map(|v| v.si_value)
        .ok_or_else(|| ParamsError::Missing { id: preset.id.clone(), key: format!("{name}_<unit>") })
}

impl OxidationLsv {
    /// The virtual LSV of a preset: E_on from its paper value `oxidation_onset` (25 °C), b, j_on and
    /// j_L from its `[model]` values, ASR = L/σ(25 °C), C_dl = 0.1 F/m², area 1 cm².
    pub fn from_preset(preset: &Preset) -> Result<Self, ParamsError> {
        let mut at_25c = Conditions::new();
        at_25c.insert("temperature_K".to_string(), T_REF);
        let onset = preset
            .input_paper_value(MetricId::OxidationOnset, &at_25c)
            .ok_or_else(|| ParamsError::Missing { id: preset.id.clone(), key: "oxidation_onset".into() })?;
        let params = preset.material_params()?;
        Ok(Self {
            onset_potential: onset.si_value,
            onset_source: onset.source.clone(),
            onset_current_density: model_value(
                preset,
                "lsv_onset_current_density",
                Quantity::CurrentDensity,
            )?,
            // Stored per decade in a voltage unit.
            tafel_slope: model_value(preset, "lsv_tafel_slope", Quantity::Voltage)?,
            limiting_current_density: model_value(
                preset,
                "lsv_limiting_current_density",
                Quantity::CurrentDensity,
            )?,
            double_layer_capacitance: 0.1,
            area_specific_resistance: params.thickness / params.ionic_conductivity_25c,
            area: 1e-4,
            temperature: params.temperature,
        })
    }

    fn validate(&self) -> Result<(), SimError> {
        let pos = |name, v: f64| check_param(name, v, v > 0.0, "> 0");
        check_param("onset_potential", self.onset_potential, true, "finite")?;
        pos("onset_current_density", self.onset_current_density)?;
        pos("tafel_slope", self.tafel_slope)?;
        check_param(
            "limiting_current_density",
            self.limiting_current_density,
            self.limiting_current_density > self.onset_current_density,
            "> onset_current_density",
        )?;
        check_param(
            "double_layer_capacitance",
            self.double_layer_capacitance,
            self.double_layer_capacitance >= 0.0,
            ">= 0",
        )?;
        check_param(
            "area_specific_resistance",
            self.area_specific_resistance,
            self.area_specific_resistance >= 0.0,
            ">= 0",
        )?;
        pos("area", self.area)?;
        pos("temperature", self.temperature)
    }

    /// Decomposition current density at the interfacial potential E* [A/m²].
    pub fn decomposition_current_density(&self, interfacial_potential: f64) -> f64 {
        let jk = self.onset_current_density
            * 10f64.powf((interfacial_potential - self.onset_potential) / self.tafel_slope);
        if jk.is_infinite() {
            return self.limiting_current_density;
        }
        jk * self.limiting_current_density / (jk + self.limiting_current_density)
    }

    /// Current density at applied potential `potential` [V] during a sweep at `rate` [V/s]: the root of
    /// j = C_dl ν + j_dec(E − j·ASR), found by bisection (the right side falls as j rises) [A/m²].
    pub fn current_density(&self, potential: f64, rate: f64) -> f64 {
        let background = self.double_layer_capacitance * rate;
        let f = |j: f64| {
            j - background - self.decomposition_current_density(potential - j * self.area_specific_resistance)
        };
        let (mut lo, mut hi) = (background, background + self.decomposition_current_density(potential));
        if self.area_specific_resistance == 0.0 || hi <= lo {
            return hi;
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if f(mid) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

/// Records an anodic sweep from `start` to `end` [V] at `rate` [V/s], one point every
/// `sample_step` [V], current in A (j·area) with optional seeded noise on current and potential;
/// technique LSV, cell "Li|SPE|SS".
///
/// ```
/// use spelab_sim::lab::{oxidation_sweep, OxidationLsv};
/// let lsv = OxidationLsv::from_preset(&spelab_sim::params::preset("pvh-im")?)?;
/// assert_eq!(lsv.onset_potential, 4.90); // the paper's value, an input
/// let ts = oxidation_sweep(&lsv, 3.0, 5.5, 1e-3, 1e-3, None)?;
/// assert_eq!(ts.len(), 2501);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn oxidation_sweep(
    model: &OxidationLsv,
    start: f64,
    end: f64,
    rate: f64,
    sample_step: f64,
    noise: Option<&Noise>,
) -> Result<TimeSeries, SimError> {
    model.validate()?;
    check_param("start", start, true, "finite")?;
    check_param("end", end, end > start, "> start (an anodic sweep)")?;
    check_param("rate", rate, rate > 0.0, "> 0 V/s")?;
    check_param(
        "sample_step",
        sample_step,
        sample_step > 0.0 && sample_step <= end - start,
        "in (0, end − start] V",
    )?;
    let n = ((end - start) / sample_step).round() as usize;
    if n > 10_000_000 {
        return Err(SimError::InvalidProtocol(format!("{n} points: use a larger sample step")));
    }
    let mut rng = noise.map(|n| Rng::new(n.seed));
    let (mut time, mut current, mut voltage) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..=n {
        let e = if k == n { end } else { start + k as f64 * sample_step };
        let (mut i, mut u) = (model.current_density(e, rate) * model.area, e);
        if let (Some(r), Some(nz)) = (&mut rng, noise) {
            i += nz.current_std * r.normal();
            u += nz.voltage_std * r.normal();
        }
        time.push((e - start) / rate);
        current.push(i);
        voltage.push(u);
    }
    let meta = Metadata::default()
        .with_source("simulation")
        .with_instrument("spelab virtual potentiostat")
        .with_technique(Technique::Lsv)
        .with_temperature(model.temperature)
        .with_area(model.area)
        .with_extra("cell", "Li|SPE|SS")
        .with_extra("onset_input_V", format!("{}", model.onset_potential));
    Ok(TimeSeries::new(time, current, voltage, meta)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> OxidationLsv {
        OxidationLsv {
            onset_potential: 4.5,
            onset_source: "test".into(),
            onset_current_density: 0.1,
            tafel_slope: 0.12,
            limiting_current_density: 1.0,
            double_layer_capacitance: 0.1,
            area_specific_resistance: 1e-3,
            area: 1e-4,
            temperature: 298.15,
        }
    }

    #[test]
    fn the_current_solves_the_implicit_ohmic_equation() {
        let m = model();
        for e in [3.0, 4.4, 4.5, 4.62, 5.0, 6.0] {
            let j = m.current_density(e, 1e-3);
            let rhs = 1e-4 + m.decomposition_current_density(e - j * 1e-3);
            // Bisection to adjacent floats: residual at rounding level.
            assert!((j - rhs).abs() <= 1e-14 * j.abs().max(1e-4), "E = {e}: {j} vs {rhs}");
        }
        // At the onset j_dec = j_on j_L / (j_on + j_L), lowered by the 9e-5 V ohmic drop by
        // (ln 10 / b)(1 − j/j_L)·9e-5 = 0.16 %.
        let j = m.current_density(4.5, 1e-3) - 1e-4;
        assert!((j - 0.1 / 1.1).abs() < 2e-3 * 0.1 / 1.1, "{j}");
        // Far above: the wave height j_L (+ background).
        assert!((m.current_density(8.0, 1e-3) - 1.0001).abs() < 1e-9);
    }

    #[test]
    fn sweep_is_seeded_and_validated() {
        let m = model();
        let a = oxidation_sweep(&m, 3.0, 5.0, 1e-3, 1e-3, Some(&Noise::typical(4))).unwrap();
        let b = oxidation_sweep(&m, 3.0, 5.0, 1e-3, 1e-3, Some(&Noise::typical(4))).unwrap();
        assert_eq!(a.current(), b.current());
        assert_eq!(a.len(), 2001);
        assert!((a.time().last().unwrap() - 2000.0).abs() < 1e-9);
        assert!(oxidation_sweep(&m, 5.0, 3.0, 1e-3, 1e-3, None).is_err());
        let bad = OxidationLsv { limiting_current_density: 0.05, ..m };
        assert!(oxidation_sweep(&bad, 3.0, 5.0, 1e-3, 1e-3, None).is_err());
    }
}
