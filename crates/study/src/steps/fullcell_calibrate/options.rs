//! Parsing of the `full-cell-calibrate` step's options (file:line errors).

use serde::Deserialize;
use spelab_core::units::Quantity;
use spelab_sim::fullcell::calibration::Knob;
use toml::Spanned;

use super::compute::DEFAULT_KNOBS;
use super::Calibrate;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    material: Spanned<String>,
    predict: Option<Vec<Spanned<String>>>,
    knobs: Option<Spanned<Vec<String>>>,
    c_rates: Option<Spanned<Vec<f64>>>,
    capacities: Option<Vec<f64>>,
    salt: Option<Spanned<String>>,
    start: Option<Spanned<std::collections::BTreeMap<String, f64>>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let material = spec.material(&o.material)?;
    let predict = match &o.predict {
        Some(ids) => spec.materials_named(ids)?,
        None => Vec::new(),
    };
    let knobs = match &o.knobs {
        None => DEFAULT_KNOBS.to_vec(),
        Some(k) => {
            let names: Vec<&str> = Knob::ALL.iter().map(|k| k.name()).collect();
            let parsed: Option<Vec<Knob>> = k.get_ref().iter().map(|n| Knob::from_name(n)).collect();
            match parsed {
                Some(v) if !v.is_empty() => v,
                _ => {
                    return Err(
                        spec.error(Some(k.span()), format!("knobs: expected some of {}", names.join(", ")))
                    )
                }
            }
        }
    };
    let points = match (&o.c_rates, &o.capacities) {
        (None, None) => Vec::new(),
        (Some(r), Some(c))
            if r.get_ref().len() == c.len() && r.get_ref().iter().chain(c).all(|v| *v > 0.0) =>
        {
            r.get_ref().iter().copied().zip(c.iter().copied()).collect()
        }
        (r, _) => {
            let span = r.as_ref().map(|r| r.span());
            return Err(spec
                .error(span, "c_rates and capacities (mAh/g) go together, positive, one capacity per rate"));
        }
    };
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    let start = match &o.start {
        None => None,
        Some(map) => {
            let mut values = Vec::new();
            for k in &knobs {
                match map.get_ref().get(k.name()) {
                    Some(&v) if k.bounds().lower <= v && v <= k.bounds().upper => values.push(v),
                    _ => {
                        let msg = format!("start: give each fitted knob a value within its bounds ({} missing or out of range)", k.name());
                        return Err(spec.error(Some(map.span()), msg));
                    }
                }
            }
            if map.get_ref().len() != knobs.len() {
                return Err(spec.error(Some(map.span()), "start: only the fitted knobs"));
            }
            Some(values)
        }
    };
    Ok(Box::new(Calibrate { material, predict, knobs, start, points, salt }))
}
