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
//!
//! Full-cell predictions share [`full_cell_ends`] (the cell at both ends of the membrane thickness, c₀
//! and D/D_NE, one at a time) and [`evaluate_ends`] (the prediction on every end cell, in parallel).

use std::sync::Arc;

use rayon::prelude::*;
use spelab_core::metric::{Band, BandParameter};
use spelab_sim::fullcell::FullCell;
use spelab_sim::physics::transport::Transport;

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

/// Cathode loading (LFP mass per area): the paper gives none; the presets' reference cathode
/// (Prada2013's 80 µm LFP) carries 10.76 mg/cm². An end scales the cathode's thickness at fixed
/// porosity, so the 1C current scales with it.
pub const LOADING: Assumed = Assumed {
    name: "cathode loading (LFP)",
    unit: "mg/cm2",
    low: 5.0,
    high: 15.0,
    why: "not stated in the paper; 5-15 mg/cm² spans the LFP coatings of SPE coin cells",
};

/// Every assumed parameter with its stated range, for the report's notes.
pub const ASSUMED: [Assumed; 5] = [THICKNESS, SALT, DIFFUSIVITY_FACTOR, HALF_CYCLE, LOADING];

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

/// A transport whose salt diffusivity is `factor` times another's (κ and t₊ unchanged).
#[derive(Debug)]
struct ScaledDiffusivity {
    inner: Arc<dyn Transport>,
    factor: f64,
}

impl Transport for ScaledDiffusivity {
    fn conductivity(&self, c: f64, temperature: f64) -> f64 {
        self.inner.conductivity(c, temperature)
    }
    fn diffusivity(&self, c: f64, temperature: f64) -> f64 {
        self.factor * self.inner.diffusivity(c, temperature)
    }
    fn transference_number(&self, c: f64, temperature: f64) -> f64 {
        self.inner.transference_number(c, temperature)
    }
    fn is_concentration_independent(&self) -> bool {
        self.inner.is_concentration_independent()
    }
}

/// `cell` with its electrolyte's salt diffusivity multiplied by `factor` [1].
pub fn with_scaled_diffusivity(cell: &FullCell, factor: f64) -> FullCell {
    let mut cell = cell.clone();
    let inner = Arc::clone(&cell.electrolyte.transport);
    cell.electrolyte.transport = Arc::new(ScaledDiffusivity { inner, factor });
    cell
}

/// One assumed parameter of a full cell at the two ends of its range, the others nominal.
#[derive(Debug, Clone)]
pub struct CellEnds {
    /// The parameter and its range.
    pub parameter: Assumed,
    /// Its nominal value [the parameter's unit].
    pub nominal: f64,
    /// The cell at the low end.
    pub low: FullCell,
    /// The cell at the high end.
    pub high: FullCell,
}

/// The assumed parameters that enter a full cell, each at both ends of its range: membrane thickness
/// ([`THICKNESS`]), salt concentration ([`SALT`]; the Nernst-Einstein D and the Li kinetics' reference
/// follow it), D/D_NE ([`DIFFUSIVITY_FACTOR`]) and the cathode loading ([`LOADING`], by the cathode's
/// thickness). `cell` is the nominal cell at salt concentration
/// `salt` [mol/m³]; `rebuild(c0)` makes the same cell (knobs, area, temperature) at salt `c0` [mol/m³].
pub fn full_cell_ends(
    cell: &FullCell,
    salt: f64,
    rebuild: &dyn Fn(f64) -> anyhow::Result<FullCell>,
) -> anyhow::Result<Vec<CellEnds>> {
    let (um, molar) = (1e-6, 1000.0);
    let thick = |l: f64| {
        let mut c = cell.clone();
        c.separator.thickness = l * um;
        c
    };
    // Areal mass [kg/m²] → mg/cm²: × 100.
    let loading = 100.0 * cell.active_mass_per_area();
    let loaded = |target: f64| {
        let mut c = cell.clone();
        c.cathode.thickness *= target / loading;
        c
    };
    Ok(vec![
        CellEnds {
            parameter: THICKNESS,
            nominal: cell.separator.thickness / um,
            low: thick(THICKNESS.low),
            high: thick(THICKNESS.high),
        },
        CellEnds {
            parameter: SALT,
            nominal: salt / molar,
            low: rebuild(SALT.low * molar)?,
            high: rebuild(SALT.high * molar)?,
        },
        CellEnds {
            parameter: DIFFUSIVITY_FACTOR,
            nominal: 1.0,
            low: with_scaled_diffusivity(cell, DIFFUSIVITY_FACTOR.low),
            high: with_scaled_diffusivity(cell, DIFFUSIVITY_FACTOR.high),
        },
        CellEnds {
            parameter: LOADING,
            nominal: loading,
            low: loaded(LOADING.low),
            high: loaded(LOADING.high),
        },
    ])
}

/// `predict` on every end cell of `ends`, in parallel: per parameter, (at the low end, at the high end).
pub fn evaluate_ends<T: Send>(ends: &[CellEnds], predict: impl Fn(&FullCell) -> T + Sync) -> Vec<(T, T)> {
    let cells: Vec<&FullCell> = ends.iter().flat_map(|e| [&e.low, &e.high]).collect();
    let mut values: Vec<T> = cells.into_par_iter().map(&predict).collect();
    let mut pairs = Vec::with_capacity(ends.len());
    while values.len() >= 2 {
        let high = values.pop().expect("two left");
        let low = values.pop().expect("two left");
        pairs.push((low, high));
    }
    pairs.reverse();
    pairs
}

/// The band of each of `values` (one per prediction) from `at_ends` (per parameter of `ends`, the
/// predictions at its low and its high end, in the order of `values`; a missing or failed one NaN).
pub fn full_cell_bands(
    values: &[f64],
    ends: &[CellEnds],
    at_ends: &[(Vec<f64>, Vec<f64>)],
) -> Vec<Option<Band>> {
    let at = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    (0..values.len())
        .map(|i| {
            let evals: Vec<(Assumed, f64, f64, f64)> = ends
                .iter()
                .zip(at_ends)
                .map(|(e, (lo, hi))| (e.parameter, e.nominal, at(lo, i), at(hi, i)))
                .collect();
            one_at_a_time(values[i], &evals)
        })
        .collect()
}

/// The note of a step whose full-cell predictions carry bands: `what` ("the capacities") and `how`
/// the ends were evaluated ("eight more rate tests per material").
pub fn full_cell_note(what: &str, how: &str) -> String {
    let range = |a: &Assumed| match a.unit {
        "x" => format!("{} {}–{}×", a.name, a.low, a.high),
        unit => format!("{} {}–{} {unit}", a.name, a.low, a.high),
    };
    format!(
        "Assumed-parameter bands: {what} carry a band over the stated ranges of the assumed parameters that enter \
         the full cell: {}, {} (the Nernst-Einstein D and the Li kinetics follow c0), {} and {} (the cathode's \
         thickness scaled, the 1C current with it), one at a time ({how}), combined in quadrature of ln. The \
         reference LFP cathode's other properties are assumptions too, not varied here.",
        range(&THICKNESS),
        range(&SALT),
        range(&DIFFUSIVITY_FACTOR),
        range(&LOADING)
    )
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

    /// Each end moves one parameter: the thickness ends only the separator, the D ends only D (by
    /// exactly the factor; κ and t₊ kept), the salt ends are the rebuilt cells; evaluation keeps order.
    #[test]
    fn full_cell_ends_move_one_parameter_each() {
        let params = spelab_sim::params::preset("pvh-im").unwrap().material_params().unwrap();
        let build = |c0: f64| Ok(FullCell::from_material(&params, c0)?);
        let cell = build(1000.0).unwrap();
        let ends = full_cell_ends(&cell, 1000.0, &build).unwrap();
        let names: Vec<&str> = ends.iter().map(|e| e.parameter.name).collect();
        assert_eq!(names, [THICKNESS.name, SALT.name, DIFFUSIVITY_FACTOR.name, LOADING.name]);
        // The loading ends scale the cathode only: 10.76 mg/cm² nominal (Prada2013's 80 µm LFP).
        assert!((ends[3].nominal - 10.76).abs() < 0.01, "{}", ends[3].nominal);
        for (end, target) in [(&ends[3].low, LOADING.low), (&ends[3].high, LOADING.high)] {
            assert!((100.0 * end.active_mass_per_area() / target - 1.0).abs() < 1e-12);
            assert_eq!(end.separator, cell.separator);
        }
        assert!((ends[0].nominal - params.thickness * 1e6).abs() < 1e-9);
        assert!((ends[0].low.separator.thickness - 50e-6).abs() < 1e-18);
        assert!((ends[0].high.separator.thickness - 150e-6).abs() < 1e-18);
        assert_eq!(ends[1].nominal, 1.0);
        assert_eq!(ends[1].low.electrolyte.initial_concentration, 500.0);
        assert_eq!(ends[1].high.electrolyte.initial_concentration, 2000.0);
        let (t, c) = (cell.temperature, 800.0);
        let (nominal, d) = (&cell.electrolyte.transport, &ends[2].high.electrolyte.transport);
        assert!((d.diffusivity(c, t) / nominal.diffusivity(c, t) - 2.0).abs() < 1e-15);
        assert_eq!(d.conductivity(c, t), nominal.conductivity(c, t));
        assert_eq!(d.transference_number(c, t), nominal.transference_number(c, t));
        let low = ends[2].low.electrolyte.transport.diffusivity(c, t);
        assert!((low / nominal.diffusivity(c, t) - 0.5).abs() < 1e-15);
        assert_eq!(ends[2].low.separator, cell.separator);
        // Evaluation order: per parameter (low, high).
        let thickness = evaluate_ends(&ends, |c| c.separator.thickness);
        assert_eq!(thickness.len(), 4);
        assert!((thickness[0].0 - 50e-6).abs() < 1e-18 && (thickness[0].1 - 150e-6).abs() < 1e-18);
        assert_eq!(thickness[1], (params.thickness, params.thickness));
        let salt = evaluate_ends(&ends, |c| c.electrolyte.initial_concentration);
        assert_eq!(salt[1], (500.0, 2000.0));
        // Bands: a value per prediction, missing ends skipped.
        let at_ends = vec![
            (vec![1.0, 4.0], vec![3.0]),
            (vec![2.0, 2.0], vec![2.0, 2.0]),
            (vec![], vec![]),
            (vec![2.0, 2.0], vec![2.0, 2.0]),
        ];
        let bands = full_cell_bands(&[2.0, 2.0], &ends, &at_ends);
        let b0 = bands[0].as_ref().unwrap();
        assert!((b0.low - 1.0).abs() < 1e-12 && (b0.high - 3.0).abs() < 1e-12);
        assert!(b0.parameters[2].at_low.is_nan());
        let b1 = bands[1].as_ref().unwrap();
        assert!((b1.low - 2.0).abs() < 1e-12 && (b1.high - 4.0).abs() < 1e-12);
    }
}
