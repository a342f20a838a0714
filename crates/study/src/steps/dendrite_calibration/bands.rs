//! Assumed-parameter bands of the dendrite predictions ([`crate::band`], one at a time): each
//! prediction is recomputed with the membrane thickness (50–150 µm), the salt concentration c₀
//! (0.5–2 M) and the CCD half-cycle (0.5–1 h) at their ends, the calibration on the reference
//! redone under the same assumption (the assumption holds for both materials), and, where the
//! residue yield β enters (CCD, cycle life, cumulative capacity), with β at ±1 sd of its fit. The
//! salt diffusivity factor (D/D_NE 0.5–2) is not varied: the phase field derives D from σ, t₊ and c₀
//! by Nernst-Einstein inside its kernels and has no separate knob. A null prediction has no band.

use spelab_core::metric::Band;
use spelab_sim::phase_field::Parameters;

use super::{Fitted, Staircase};
use crate::band::{self, Assumed};

/// One end of an assumed parameter: what replaces the nominal value (none: nominal).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Variant {
    /// Membrane thickness L [m].
    pub thickness: Option<f64>,
    /// Salt concentration c₀ [mol/m³].
    pub salt: Option<f64>,
    /// Half-cycle of the calibration staircase [s].
    pub half_cycle: Option<f64>,
}

impl Variant {
    /// `p` with this variant's thickness and c₀.
    pub fn apply(&self, mut p: Parameters) -> Parameters {
        if let Some(l) = self.thickness {
            p.thickness = l;
        }
        if let Some(c) = self.salt {
            p.bulk_concentration = c;
        }
        p
    }

    /// `s` with this variant's half-cycle.
    pub fn staircase(&self, s: Staircase) -> Staircase {
        Staircase { half_cycle: self.half_cycle.unwrap_or(s.half_cycle), ..s }
    }

    /// A cache key.
    pub fn key(&self) -> [u64; 3] {
        [self.thickness, self.salt, self.half_cycle].map(|x| x.map_or(u64::MAX, f64::to_bits))
    }
}

/// The assumed parameters with their nominal value [the range's unit] and low and high variants,
/// for parameters `p` and calibration staircase `s`.
pub fn ends(p: &Parameters, s: &Staircase) -> Vec<(Assumed, f64, Variant, Variant)> {
    let (um, molar, hour) = (1e-6, 1e3, 3600.0);
    let t = |x: f64| Variant { thickness: Some(x * um), ..Variant::default() };
    let c = |x: f64| Variant { salt: Some(x * molar), ..Variant::default() };
    let h = |x: f64| Variant { half_cycle: Some(x * hour), ..Variant::default() };
    vec![
        (band::THICKNESS, p.thickness / um, t(band::THICKNESS.low), t(band::THICKNESS.high)),
        (band::SALT, p.bulk_concentration / molar, c(band::SALT.low), c(band::SALT.high)),
        (band::HALF_CYCLE, s.half_cycle / hour, h(band::HALF_CYCLE.low), h(band::HALF_CYCLE.high)),
    ]
}

/// The calibrated β as a band parameter: its ±1 sd ends as factors on β, or `None` when β was not
/// fitted or its uncertainty is not finite.
pub fn yield_spread(f: &Fitted) -> Option<(Assumed, f64, f64, f64)> {
    let g = f.growth_fit?;
    let k = g.fit.ln_uncertainty.exp();
    if !(g.fit.bracketed && k.is_finite()) {
        return None;
    }
    let b = g.fit.interface_mobility;
    let a = Assumed {
        name: "residue yield β (calibrated on PVH-IM, ±1 sd)",
        unit: "1",
        low: b / k,
        high: b * k,
        why: "the fit's standard uncertainty from the staircase step",
    };
    Some((a, b, 1.0 / k, k))
}

/// The band of `value` (none when null) from `eval(variant, β factor)` at each end of
/// [`ends`] (β factor 1) and, when `fit`'s β has a finite uncertainty, at its ±1 sd (nominal
/// variant); an end whose evaluation fails or gives no value is left out (NaN).
pub fn band_of(
    value: Option<f64>,
    p: &Parameters,
    s: &Staircase,
    fit: Option<&Fitted>,
    mut eval: impl FnMut(&Variant, f64) -> anyhow::Result<Option<f64>>,
) -> Option<Band> {
    let value = value.filter(|v| v.is_finite())?;
    let mut at = |v: &Variant, k: f64| eval(v, k).ok().flatten().unwrap_or(f64::NAN);
    let mut evals: Vec<(Assumed, f64, f64, f64)> =
        ends(p, s).into_iter().map(|(a, nominal, lo, hi)| (a, nominal, at(&lo, 1.0), at(&hi, 1.0))).collect();
    if let Some((a, b, klo, khi)) = fit.and_then(yield_spread) {
        let nominal = Variant::default();
        evals.push((a, b, at(&nominal, klo), at(&nominal, khi)));
    }
    band::one_at_a_time(value, &evals)
}

/// The report note on these bands: the ranges, how they combine, what is not varied.
pub fn note() -> String {
    let ranges: Vec<String> = [band::THICKNESS, band::SALT, band::HALF_CYCLE]
        .iter()
        .map(|a| format!("{} {}–{} {} ({})", a.name, a.low, a.high, a.unit, a.why))
        .collect();
    format!(
        "Bands of the dendrite predictions (`band` in metrics.json): each prediction recomputed with one assumed \
         parameter at an end of its stated range, the calibration on PVH-IM redone under it, the logarithmic \
         deviations combined in quadrature on each side; CCD, cycle life and cumulative capacity also with the \
         fitted residue yield β at ±1 sd. Ranges: {}. D/D_NE is not varied (the phase field takes D from σ, t+ and \
         c0 by Nernst-Einstein inside its kernels); a null prediction (no failure) has no band; the reference's \
         calibrated values carry none.",
        ranges.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A prediction ∝ L/c₀ spans exactly the ends' ratios; a null one has no band.
    #[test]
    fn band_follows_the_variants() {
        let p = Parameters::default();
        let s = Staircase { step: 0.5, half_cycle: 1800.0, steps: 100, retained: 1.0 };
        let f = |v: &Variant, _k: f64| {
            let q = v.apply(p);
            Ok(Some(q.thickness / p.thickness * p.bulk_concentration / q.bulk_concentration))
        };
        let b = band_of(Some(1.0), &p, &s, None, f).unwrap();
        assert_eq!(b.parameters.len(), 3);
        // Down: ln 2 (c₀ = 2 M) and ln 2 (50 µm): exp(−√2 ln 2); up: 1.5 and 2 in quadrature.
        assert!((b.low - (-(2f64.sqrt()) * 2f64.ln()).exp()).abs() < 1e-12, "{}", b.low);
        let up = (1.5f64.ln().powi(2) + 2f64.ln().powi(2)).sqrt().exp();
        assert!((b.high - up).abs() < 1e-12, "{}", b.high);
        assert!(band_of(None, &p, &s, None, f).is_none());
        assert!(band_of(Some(f64::NAN), &p, &s, None, f).is_none());
    }
}
