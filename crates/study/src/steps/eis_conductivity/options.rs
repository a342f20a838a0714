//! The `eis-conductivity` step's options (measured spectra or the virtual lab), with file:line errors.

use serde::Deserialize;
use spelab_analysis::eis::Circuit;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::{EisConductivity, Input, Source};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::Step;

/// The data-source keys the step accepts (measured spectra are its own `files`).
const KEYS: &[&str] = &["material", "materials"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    file: Spanned<String>,
    temperature: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    temperatures: Option<Vec<Spanned<String>>>,
    noise: Option<Spanned<String>>,
    seed: Option<u64>,
    files: Option<Vec<FileEntry>>,
    thickness: Option<Spanned<String>>,
    thickness_error: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    area_error: Option<Spanned<String>>,
    circuit: Option<Spanned<String>>,
    #[serde(default)]
    element: Vec<String>,
}

/// The default electrode area, a 16 mm disc [m²].
const DEFAULT_AREA_M2: f64 = spelab_core::constants::DEFAULT_BLOCKING_CELL_AREA;

/// Parses and validates the step's options.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let opt_q = |spec: &StepSpec<'_>, v: &Option<Spanned<String>>, q: Quantity, key: &str| {
        v.as_ref().map(|v| spec.quantity(v, q, key)).transpose()
    };
    let thickness = opt_q(spec, &o.thickness, Quantity::Length, "thickness")?;
    let thickness_error =
        opt_q(spec, &o.thickness_error, Quantity::Length, "thickness_error")?.unwrap_or(0.0);
    let area = opt_q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(DEFAULT_AREA_M2);
    let area_error = opt_q(spec, &o.area_error, Quantity::Area, "area_error")?.unwrap_or(0.0);
    let circuit = match &o.circuit {
        Some(c) => {
            let parsed: Circuit =
                c.get_ref().parse().map_err(|e| spec.error(Some(c.span()), format!("circuit: {e}")))?;
            if o.element.is_empty() {
                return Err(spec.error(Some(c.span()), "`circuit` needs `element = [\"R1\"]` naming R_b"));
            }
            for e in &o.element {
                if parsed.param_index(e).is_none() {
                    return Err(spec.error(
                        Some(c.span()),
                        format!(
                            "element '{e}' is not a parameter of {parsed} ({})",
                            parsed.param_names().join(", ")
                        ),
                    ));
                }
            }
            Some((parsed, o.element.clone()))
        }
        None => None,
    };
    let mut inputs = Vec::new();
    if let Some(files) = &o.files {
        let Some(m) = &src.material else {
            return Err(spec
                .error(files.first().map(|f| f.file.span()), "measured spectra need `material = \"...\"`"));
        };
        let material = spec.material(m)?;
        for entry in files {
            let temperature = spec.quantity(&entry.temperature, Quantity::Temperature, "temperature")?;
            let path = spec.file(&entry.file, "file")?;
            inputs.push(Input {
                material: material.clone(),
                label: entry.file.get_ref().clone(),
                temperature,
                source: Source::File(path),
            });
        }
    } else {
        let materials = spec.materials_or_all(&src.materials)?;
        let temperatures = match &o.temperatures {
            Some(ts) => ts
                .iter()
                .map(|t| spec.quantity(t, Quantity::Temperature, "temperatures"))
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![298.15],
        };
        let noise = opt_q(spec, &o.noise, Quantity::Fraction, "noise")?.unwrap_or(0.0);
        if !(0.0..0.5).contains(&noise) {
            return Err(spec.error(o.noise.as_ref().map(Spanned::span), "noise must be between 0 and 50 %"));
        }
        let seed = o.seed.unwrap_or(1);
        for (i, m) in materials.iter().enumerate() {
            m.preset.material_params().map_err(|e| spec.error(None, format!("material '{}': {e}", m.id)))?;
            for (j, &t) in temperatures.iter().enumerate() {
                inputs.push(Input {
                    material: m.clone(),
                    label: format!("virtual {} at {:.1} °C", m.id, Quantity::Temperature.to_display(t)),
                    temperature: t,
                    source: Source::Virtual { noise, seed: seed.wrapping_add((i * 1000 + j) as u64) },
                });
            }
        }
    }
    Ok(Box::new(EisConductivity { inputs, thickness, thickness_error, area, area_error, circuit }))
}
