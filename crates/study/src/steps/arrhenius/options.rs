//! Parsing of the `arrhenius` step options into a [`super::Arrhenius`] (file:line errors).

use serde::Deserialize;
use spelab_analysis::arrhenius::ArrheniusForm;
use spelab_analysis::arrhenius_eis::{BulkMethod, CellGeometry};
use spelab_analysis::vtf::VogelTemperature;
use spelab_core::units::Quantity;
use toml::Spanned;

use super::{Arrhenius, Source, Step, DEFAULT_AREA_M2, DEFAULT_LADDER_C};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::{self, DataSource};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    temperatures: Option<Vec<Spanned<String>>>,
    noise: Option<Spanned<String>>,
    seed: Option<u64>,
    temperature_column: Option<String>,
    conductivity_column: Option<String>,
    form: Option<Spanned<String>>,
    vtf_t0: Option<Spanned<String>>,
    files: Option<Vec<Spanned<String>>>,
    thickness: Option<Spanned<String>>,
    thickness_error: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    area_error: Option<Spanned<String>>,
    circuit: Option<Spanned<String>>,
    element: Option<Vec<String>>,
}

/// `circuit` + `element` as a [`BulkMethod`]; `default` when neither is given.
fn bulk_method(
    spec: &StepSpec<'_>,
    o: &Options,
    default: Option<(&str, &str)>,
) -> Result<Option<BulkMethod>, StudyError> {
    match (&o.circuit, &o.element) {
        (Some(c), Some(e)) => {
            let names: Vec<&str> = e.iter().map(String::as_str).collect();
            BulkMethod::circuit(c.get_ref(), &names)
                .map(Some)
                .map_err(|err| spec.error(Some(c.span()), format!("circuit: {err}")))
        }
        (Some(c), None) => Err(spec.error(Some(c.span()), "`circuit` needs `element = [\"R0\"]` naming R_b")),
        (None, Some(_)) => Err(spec.error(None, "`element` needs `circuit = \"...\"`")),
        (None, None) => {
            Ok(default.map(|(c, e)| BulkMethod::circuit(c, &[e]).expect("valid default circuit")))
        }
    }
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, source::FILE_OR_MATERIALS)?;
    let form = match o.form.as_ref().map(|f| f.get_ref().as_str()) {
        None | Some("sigma") => ArrheniusForm::Sigma,
        Some("sigma_t") => ArrheniusForm::SigmaT,
        Some(other) => {
            return Err(spec.error(
                o.form.as_ref().map(Spanned::span),
                format!("form = \"{other}\": expected \"sigma\" (σ = σ₀ exp(−Ea/RT)) or \"sigma_t\" (σT = A exp(−Ea/RT))"),
            ))
        }
    };
    let vtf = match &o.vtf_t0 {
        None => None,
        Some(v) if v.get_ref() == "free" => Some(VogelTemperature::Free),
        Some(v) => Some(VogelTemperature::Fixed(spec.quantity(v, Quantity::Temperature, "vtf_t0")?)),
    };
    let measured_only = [
        (o.thickness.as_ref(), "thickness"),
        (o.thickness_error.as_ref(), "thickness_error"),
        (o.area_error.as_ref(), "area_error"),
    ];
    let source = if let Some(files) = &o.files {
        if let Some(file) = &src.file {
            return Err(spec.error(
                Some(file.span()),
                "give either `file` (a σ(T) table) or `files` (impedance spectra), not both",
            ));
        }
        for (present, key) in [(src.materials.is_some(), "materials"), (o.noise.is_some(), "noise")] {
            if present {
                return Err(spec.error(
                    files.first().map(Spanned::span),
                    format!("`{key}` is for simulated data; a step with `files` reads measured spectra"),
                ));
            }
        }
        let first = files.first().map(Spanned::span);
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => return Err(spec.error(first, "measured spectra need `material = \"...\"`")),
        };
        if files.len() < 2 {
            return Err(spec.error(
                first,
                format!(
                    "an Arrhenius fit needs spectra at two or more temperatures; `files` has {} ({})",
                    files.len(),
                    files.iter().map(|f| f.get_ref().as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        let temperatures = match &o.temperatures {
            Some(ts) => {
                if ts.len() != files.len() {
                    return Err(spec.error(
                        ts.first().map(Spanned::span),
                        format!(
                            "`temperatures` has {} values but `files` has {} spectra; give one temperature per file, in the same order",
                            ts.len(),
                            files.len()
                        ),
                    ));
                }
                Some(
                    ts.iter()
                        .map(|t| spec.quantity(t, Quantity::Temperature, "temperatures"))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
            None => None,
        };
        let (Some(thickness), Some(area)) = (&o.thickness, &o.area) else {
            return Err(
                spec.error(first, "measured spectra need the cell's `thickness` and `area` (σ = L/(R_b A))")
            );
        };
        let geometry = CellGeometry {
            thickness: spec.positive_quantity(
                &Some(thickness.clone()),
                Quantity::Length,
                "thickness",
                0.0,
            )?,
            thickness_std_error: match &o.thickness_error {
                Some(v) => spec.quantity(v, Quantity::Length, "thickness_error")?,
                None => 0.0,
            },
            area: spec.positive_quantity(&Some(area.clone()), Quantity::Area, "area", 0.0)?,
            area_std_error: match &o.area_error {
                Some(v) => spec.quantity(v, Quantity::Area, "area_error")?,
                None => 0.0,
            },
        };
        let method = bulk_method(spec, &o, None)?.unwrap_or(BulkMethod::Spectrum);
        let mut paths = Vec::new();
        for f in files {
            paths.push((f.get_ref().clone(), spec.file(f, "files")?));
        }
        Source::Spectra { material, files: paths, temperatures, geometry, method }
    } else if let Some(file) = &src.file {
        for (present, key) in [
            (src.materials.is_some(), "materials"),
            (o.temperatures.is_some(), "temperatures"),
            (o.noise.is_some(), "noise"),
            (o.area.is_some(), "area"),
            (o.circuit.is_some(), "circuit"),
        ]
        .into_iter()
        .chain(measured_only.iter().map(|(v, k)| (v.is_some(), *k)))
        {
            if present {
                return Err(spec.error(
                    Some(file.span()),
                    format!("`{key}` does not apply to a σ(T) table (`file`); use `files = [...]` for impedance spectra"),
                ));
            }
        }
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => {
                return Err(spec.error(Some(file.span()), "a measured σ(T) table needs `material = \"...\"`"))
            }
        };
        let path = spec.file(file, "file")?;
        Source::Measured {
            material,
            path,
            label: file.get_ref().clone(),
            temperature_column: o.temperature_column.clone().unwrap_or_else(|| "temperature".into()),
            conductivity_column: o.conductivity_column.clone().unwrap_or_else(|| "conductivity".into()),
        }
    } else {
        if let Some(m) = &src.material {
            return Err(spec.error(
                Some(m.span()),
                "`material` is for measured data; use `materials = [...]` to simulate",
            ));
        }
        if let Some((v, key)) = measured_only.iter().find_map(|(v, k)| v.map(|v| (v, *k))) {
            return Err(spec.error(
                Some(v.span()),
                format!("`{key}` is for measured spectra; the virtual cell takes the preset's thickness"),
            ));
        }
        let materials = spec.materials_or_all(&src.materials)?;
        let temperatures = match &o.temperatures {
            Some(ts) => ts
                .iter()
                .map(|t| spec.quantity(t, Quantity::Temperature, "temperatures"))
                .collect::<Result<Vec<_>, _>>()?,
            None => DEFAULT_LADDER_C.iter().map(|c| Quantity::Temperature.from_display(*c)).collect(),
        };
        let noise = match &o.noise {
            Some(n) => spec.quantity(n, Quantity::Fraction, "noise")?,
            None => 0.0,
        };
        if !(0.0..0.5).contains(&noise) {
            return Err(spec.error(o.noise.as_ref().map(Spanned::span), "noise must be between 0 and 50 %"));
        }
        let area = spec.positive_quantity(&o.area, Quantity::Area, "area", DEFAULT_AREA_M2)?;
        let method = bulk_method(spec, &o, Some(("R0-CPE1", "R0")))?.unwrap_or(BulkMethod::Spectrum);
        Source::Virtual { materials, temperatures, noise, seed: o.seed.unwrap_or(1), area, method }
    };
    Ok(Box::new(Arrhenius { source, form, vtf }))
}
