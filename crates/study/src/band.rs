//! Assumed-parameter bands: how far a prediction moves over the stated ranges of the parameters the
//! model assumes rather than measures (membrane thickness, salt concentration c₀, the Nernst-Einstein
//! diffusivity, the CCD half-cycle time t_h, the cathode loading).
//!
//! Method (one-at-a-time sensitivities, combined in quadrature of the logarithm): the prediction `v`
//! is recomputed with each assumed parameter at the low and at the high end of its range, the others
//! at their nominal values. For parameter i, `d⁻ᵢ = ln(v / min(v, v_lo,i, v_hi,i))` and
//! `d⁺ᵢ = ln(max(v, v_lo,i, v_hi,i) / v)`; the band is `[v·exp(−√Σd⁻ᵢ²), v·exp(√Σd⁺ᵢ²)]`. For a power
//! law `v ∝ Π pᵢ^aᵢ` this is exact per parameter and treats the parameters as independent; the
//! corner (all at once) envelope would be wider. A prediction that is not positive, or an end whose
//! evaluation fails, combines linearly instead ([`one_at_a_time`] says which in `combination`).
//!
//! The ranges ([`ASSUMED`]) are stated, not measured: the reference paper gives none of these values
//! in its main text.

use spelab_core::metric::{Band, BandParameter};

/// One assumed parameter and its stated range, in the unit named by `unit`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assumed {
    /// What it is ("salt concentration c0").
    pub name: &'static str,
    /// The unit of `low` and `high` as written in the report ("mol/L").
    pub unit: &'static str,
    /// Low end of the stated range [unit].
    pub low: f64,
    /// High end of the stated range [unit].
    pub high: f64,
    /// Why this range.
    pub why: &'static str,
}

/// Salt (LiTFSI) concentration: not stated in the paper's main text; 0.5–2 mol/L spans the salt
/// contents of solution-cast PVDF-HFP SPEs.
pub const SALT: Assumed = Assumed {
    name: "salt concentration c0",
    unit: "mol/L",
    low: 0.5,
    high: 2.0,
    why: "not stated in the paper's main text; typical LiTFSI contents of cast PVDF-HFP SPEs",
};

/// CCD half-cycle time: the paper's CCD protocol time per step is not in its main text.
pub const HALF_CYCLE: Assumed = Assumed {
    name: "CCD half-cycle time t_h",
    unit: "h",
    low: 0.5,
    high: 1.0,
    why: "the paper's CCD step time is not in its main text; 0.5-1 h steps are the common protocols",
};

/// Membrane thickness: 100 µm assumed in the presets.
pub const THICKNESS: Assumed = Assumed {
    name: "membrane thickness L",
    unit: "um",
    low: 50.0,
    high: 150.0,
    why: "not stated in the paper's main text; solution-cast PVDF-HFP films are 50-150 um",
};

/// The salt diffusivity as a multiple of its Nernst-Einstein value from σ, t₊ and c₀ (full
/// dissociation assumed; ion pairing makes the real one differ).
pub const DIFFUSIVITY_FACTOR: Assumed = Assumed {
    name: "D / D_Nernst-Einstein",
    unit: "x",
    low: 0.5,
    high: 2.0,
    why: "D is not measured; Nernst-Einstein assumes full dissociation, ion pairing moves D by up to 2x either way",
};

/// Every assumed parameter with its stated range, for the report's notes.
pub const ASSUMED: [Assumed; 4] = [THICKNESS, SALT, DIFFUSIVITY_FACTOR, HALF_CYCLE];

/// The band of `value` from one-at-a-time evaluations: for each `(parameter, nominal, at_low,
/// at_high)`, the prediction with that parameter at its range's ends (`nominal` [the parameter's
/// unit] is shown in the band's parameter list). Ends that are not finite are left out of the
/// combination (and recorded as NaN). `None` when `value` is not finite.
pub fn one_at_a_time(value: f64, evaluations: &[(Assumed, f64, f64, f64)]) -> Option<Band> {
    if !value.is_finite() {
        return None;
    }
    let ends = |lo: f64, hi: f64| [lo, hi].into_iter().filter(|x| x.is_finite());
    let logarithmic = value > 0.0 && evaluations.iter().all(|(_, _, lo, hi)| ends(*lo, *hi).all(|x| x > 0.0));
    let (mut down, mut up) = (0.0, 0.0);
    for (_, _, lo, hi) in evaluations {
        let min = ends(*lo, *hi).fold(value, f64::min);
        let max = ends(*lo, *hi).fold(value, f64::max);
        let (d, u) =
            if logarithmic { ((value / min).ln(), (max / value).ln()) } else { (value - min, max - value) };
        down += d * d;
        up += u * u;
    }
    let (low, high, combination) = if logarithmic {
        (value * (-down.sqrt()).exp(), value * up.sqrt().exp(), "one-at-a-time, quadrature of ln")
    } else {
        (value - down.sqrt(), value + up.sqrt(), "one-at-a-time, quadrature")
    };
    Some(Band {
        low,
        high,
        combination: combination.to_string(),
        parameters: evaluations
            .iter()
            .map(|(a, nominal, at_low, at_high)| BandParameter {
                name: a.name.to_string(),
                unit: a.unit.to_string(),
                nominal: *nominal,
                low: a.low,
                high: a.high,
                at_low: *at_low,
                at_high: *at_high,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A power law v = c0^½ t_h^−½ (the Sand current): each parameter's end is exact, the two
    /// combine in quadrature of the logarithm.
    #[test]
    fn power_law_band_is_the_quadrature_of_log_ratios() {
        let v = |c0: f64, th: f64| (c0 / th).sqrt();
        let nominal = v(1.0, 0.5);
        let evals = [(SALT, 1.0, v(0.5, 0.5), v(2.0, 0.5)), (HALF_CYCLE, 0.5, v(1.0, 0.5), v(1.0, 1.0))];
        let b = one_at_a_time(nominal, &evals).unwrap();
        // Down: ln √2 from c0 = 0.5 M and ln √2 from t_h = 1 h -> exp(−√2 · ln √2) = 2^(−1/√2).
        let expected_low = nominal * 2f64.powf(-std::f64::consts::FRAC_1_SQRT_2);
        assert!((b.low - expected_low).abs() < 1e-12 * nominal, "{} vs {expected_low}", b.low);
        // Up: only c0 = 2 M raises it, by √2 (t_h = 0.5 h is the nominal).
        assert!((b.high - nominal * 2f64.sqrt()).abs() < 1e-12 * nominal);
        assert_eq!(b.parameters.len(), 2);
        assert_eq!(b.parameters[0].at_high, v(2.0, 0.5));
    }

    /// Signs that cross zero combine linearly; failed ends are skipped; a NaN value has no band.
    #[test]
    fn linear_fallback_and_failed_ends() {
        let b = one_at_a_time(0.1, &[(SALT, 1.0, -0.2, 0.4), (THICKNESS, 100.0, f64::NAN, 0.1)]).unwrap();
        assert!((b.low - (0.1 - 0.3)).abs() < 1e-12 && (b.high - 0.4).abs() < 1e-12);
        assert!(b.combination.ends_with("quadrature"));
        assert!(one_at_a_time(f64::NAN, &[]).is_none());
        let none = one_at_a_time(2.0, &[]).unwrap();
        assert_eq!((none.low, none.high), (2.0, 2.0));
    }
}
