//! Parsing of the `dsc-crystallinity` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::thermal::{DscOptions, SignConvention};
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Dsc;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::spectral::{parse_source, KEYS};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Option<Vec<Spanned<String>>>,
    block: Option<Spanned<String>>,
    seed: Option<u64>,
    window: Option<[Spanned<String>; 2]>,
    polymer_fraction: Option<Spanned<f64>>,
    reference_enthalpy: Option<Spanned<String>>,
    cold_crystallisation: Option<Spanned<String>>,
    heating_rate: Option<Spanned<String>>,
    exo_up: Option<bool>,
}

/// Specific enthalpy "104.7 J/g" → J/kg.
fn enthalpy(spec: &StepSpec<'_>, v: &Spanned<String>, key: &str) -> Result<f64, StudyError> {
    let text = v.get_ref().trim();
    let (num, unit) = text.split_at(text.find(|c: char| c.is_alphabetic()).unwrap_or(text.len()));
    let factor = match unit.trim() {
        "J/g" => 1e3,
        "J/kg" => 1.0,
        "kJ/kg" => 1e3,
        _ => {
            return Err(spec
                .error(Some(v.span()), format!("{key}: expected a specific enthalpy in J/g, J/kg or kJ/kg")))
        }
    };
    match num.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x * factor),
        _ => {
            Err(spec
                .error(Some(v.span()), format!("{key}: '{text}' is not a non-negative number with a unit")))
        }
    }
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = DscOptions::default();
    let window = match &o.window {
        Some([lo, hi]) => {
            let (lo, hi) = (
                spec.quantity(lo, Quantity::Temperature, "window")?,
                spec.quantity(hi, Quantity::Temperature, "window")?,
            );
            if lo >= hi {
                return Err(spec.error(None, "`window` must be [low, high] with low < high"));
            }
            (lo, hi)
        }
        None => (403.15, 463.15),
    };
    let w = spec.number(&o.polymer_fraction, "polymer_fraction", "in (0, 1]", |x| x > 0.0 && x <= 1.0)?;
    let polymer_fraction = w.unwrap_or(spelab_sim::lab::DSC_POLYMER_FRACTION);
    let options = DscOptions {
        window,
        sign: if o.exo_up == Some(true) { SignConvention::ExoUp } else { SignConvention::EndoUp },
        reference_enthalpy: match &o.reference_enthalpy {
            Some(v) => enthalpy(spec, v, "reference_enthalpy")?,
            None => d.reference_enthalpy,
        },
        polymer_fraction,
        cold_crystallisation: match &o.cold_crystallisation {
            Some(v) => enthalpy(spec, v, "cold_crystallisation")?,
            None => 0.0,
        },
        heating_rate: match &o.heating_rate {
            Some(v) => Some(heating_rate(spec, v)?),
            None => None,
        },
    };
    if options.reference_enthalpy <= 0.0 {
        return Err(spec.error(None, "`reference_enthalpy` must be > 0"));
    }
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    Ok(Box::new(Dsc { source, options }))
}

/// Heating rate "10 K/min" → K/s.
fn heating_rate(spec: &StepSpec<'_>, v: &Spanned<String>) -> Result<f64, StudyError> {
    let text = v.get_ref().trim();
    let (num, unit) = text.split_at(text.find(|c: char| c.is_alphabetic()).unwrap_or(text.len()));
    let per = match unit.trim() {
        "K/min" | "degC/min" | "°C/min" => 60.0,
        "K/s" => 1.0,
        _ => return Err(spec.error(Some(v.span()), "heating_rate: expected K/min or K/s")),
    };
    match num.trim().parse::<f64>() {
        Ok(x) if x > 0.0 => Ok(x / per),
        _ => Err(spec.error(Some(v.span()), "heating_rate: expected a positive number")),
    }
}
