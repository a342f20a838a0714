//! Parsing of the `full-cell-design-map` step's options (file:line errors).

use std::collections::BTreeMap;

use serde::Deserialize;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::DesignMapStep;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    material: Spanned<String>,
    mark: Option<Vec<Spanned<String>>>,
    grid: Option<Spanned<usize>>,
    conductivity: Option<Spanned<[String; 2]>>,
    transference: Option<Spanned<[f64; 2]>>,
    thickness: Option<Spanned<String>>,
    thicknesses: Option<Vec<Spanned<String>>>,
    rates: Option<Spanned<[f64; 2]>>,
    level: Option<Spanned<f64>>,
    knobs: Option<Spanned<BTreeMap<String, f64>>>,
    salt: Option<Spanned<String>>,
}

/// Grid points per axis by default (64 cells x 2 discharges: a few seconds).
pub const DEFAULT_GRID: usize = 8;

/// The most thickness panels (each one more map).
const MAX_PANELS: usize = 4;

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let material = spec.material(&o.material)?;
    let mark = match &o.mark {
        Some(ids) => spec.materials_named(ids)?,
        None => vec![material.clone()],
    };
    let grid = match &o.grid {
        None => DEFAULT_GRID,
        Some(g) if (2..=64).contains(g.get_ref()) => *g.get_ref(),
        Some(g) => return Err(spec.error(Some(g.span()), "grid: points per axis, 2 to 64")),
    };
    let conductivity = match &o.conductivity {
        None => [1e-3, 1.0], // 0.01 to 10 mS/cm [S/m]
        Some(range) => {
            let [lo, hi] = range.get_ref();
            let q = |text: &str| -> Result<f64, StudyError> {
                let v = Spanned::new(range.span(), text.to_string());
                spec.required_positive(&v, Quantity::Conductivity, "conductivity")
            };
            let (lo, hi) = (q(lo)?, q(hi)?);
            if lo >= hi {
                return Err(spec.error(Some(range.span()), "conductivity: [low, high] with low < high"));
            }
            [lo, hi]
        }
    };
    let transference = match &o.transference {
        None => [0.1, 0.9],
        Some(t) => {
            let [lo, hi] = *t.get_ref();
            if !(lo > 0.0 && lo < hi && hi < 1.0) {
                return Err(spec.error(Some(t.span()), "transference: [low, high] with 0 < low < high < 1"));
            }
            [lo, hi]
        }
    };
    let rates = match &o.rates {
        None => [0.1, 1.0],
        Some(r) => {
            let [lo, hi] = *r.get_ref();
            if !(lo > 0.0 && lo.is_finite() && hi.is_finite() && hi > 0.0) {
                return Err(spec.error(Some(r.span()), "rates: [reference C-rate, high C-rate], both > 0"));
            }
            [lo, hi]
        }
    };
    let level = match &o.level {
        None => 0.8,
        Some(l) if *l.get_ref() > 0.0 && *l.get_ref() < 2.0 => *l.get_ref(),
        Some(l) => return Err(spec.error(Some(l.span()), "level: the contour's capacity ratio, in (0, 2)")),
    };
    let thickness = spec.optional_positive_quantity(&o.thickness, Quantity::Length, "thickness")?;
    let mut thicknesses = Vec::new();
    for t in o.thicknesses.iter().flatten() {
        thicknesses.push(spec.required_positive(t, Quantity::Length, "thicknesses")?);
    }
    if thicknesses.len() > MAX_PANELS || thicknesses.windows(2).any(|w| w[0] >= w[1]) {
        let span = o.thicknesses.as_ref().and_then(|v| v.first()).map(|t| t.span());
        let text = format!("thicknesses: up to {MAX_PANELS} membrane thicknesses, increasing");
        return Err(spec.error(span, text));
    }
    let knobs = match &o.knobs {
        None => Vec::new(),
        Some(map) => crate::steps::fullcell_ageing::compute::parse_knobs(map.get_ref())
            .map_err(|e| spec.error(Some(map.span()), e))?,
    };
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    Ok(Box::new(DesignMapStep {
        material,
        mark,
        grid,
        conductivity,
        transference,
        thickness,
        thicknesses,
        rates,
        level,
        knobs,
        salt,
    }))
}
