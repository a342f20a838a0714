//! Parsing of the `full-cell-ageing` step's options (file:line errors).

use std::collections::BTreeMap;

use serde::Deserialize;
use spelab_core::units::Quantity;
use spelab_sim::fullcell::ageing::AgeingLaw;
use toml::Spanned;

use super::Ageing;
use crate::spec::{StepSpec, StudyError};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalibrateOn {
    c_rate: Option<f64>,
    cycles: Option<u32>,
    /// Retention [%].
    retention: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    material: Spanned<String>,
    predict: Option<Vec<Spanned<String>>>,
    law: Option<Spanned<String>>,
    calibrate_on: Option<Spanned<CalibrateOn>>,
    knobs: Option<Spanned<BTreeMap<String, f64>>>,
    salt: Option<Spanned<String>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let material = spec.material(&o.material)?;
    let predict = match &o.predict {
        Some(ids) => spec.materials_named(ids)?,
        None => Vec::new(),
    };
    let law = match &o.law {
        None => AgeingLaw::ActiveMaterial,
        Some(name) => AgeingLaw::from_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = AgeingLaw::ALL.iter().map(|l| l.name()).collect();
            spec.error(Some(name.span()), format!("law: expected one of {}", names.join(", ")))
        })?,
    };
    let point = match &o.calibrate_on {
        None => (None, None, None),
        Some(c) => {
            let v = c.get_ref();
            let ok = v.c_rate.is_none_or(|r| r.is_finite() && r > 0.0)
                && v.cycles.is_none_or(|n| n >= 2)
                && v.retention.is_none_or(|r| r > 0.0 && r < 100.0);
            if !ok {
                return Err(spec.error(
                    Some(c.span()),
                    "calibrate_on: c_rate > 0, cycles >= 2, retention in (0, 100) %",
                ));
            }
            (v.c_rate, v.cycles, v.retention.map(|r| r / 100.0))
        }
    };
    let knobs = match &o.knobs {
        None => Vec::new(),
        Some(map) => {
            super::compute::parse_knobs(map.get_ref()).map_err(|e| spec.error(Some(map.span()), e))?
        }
    };
    let salt = spec.positive_quantity(&o.salt, Quantity::Concentration, "salt", 1000.0)?;
    Ok(Box::new(Ageing { material, predict, law, point, knobs, salt }))
}
