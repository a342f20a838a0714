//! Parsing of the `xps-components` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::peaks::spectroscopy::{XpsBackground, XpsComponentSpec, XpsOptions};
use spelab_analysis::peaks::Shape;
use toml::Spanned;

use super::Xps;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::spectral::{parse_source, range, KEYS};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Option<Vec<Spanned<String>>>,
    block: Option<Spanned<String>>,
    seed: Option<u64>,
    window: Option<[f64; 2]>,
    background: Option<XpsBackground>,
    shape: Option<Shape>,
    fwhm: Option<[f64; 2]>,
    shared_width: Option<bool>,
    photon_energy: Option<f64>,
    charge_reference: Option<[f64; 2]>,
    components: Option<Vec<ComponentOption>>,
}

/// One entry of `components`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentOption {
    label: String,
    center: f64,
    /// How far the centre may move [eV]; default 0.5.
    tolerance: Option<f64>,
    doublet: Option<DoubletOption>,
}

/// The spin–orbit partner of a component.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DoubletOption {
    label: String,
    /// Splitting from the main line [eV] (positive: partner at higher binding energy).
    splitting: f64,
    /// Area of the partner over the main line's (e.g. 0.75 for 4f, 2/3 for 3d, 0.5 for 2p).
    ratio: f64,
}

fn finite(v: f64) -> bool {
    v.is_finite()
}

fn component(spec: &StepSpec<'_>, c: ComponentOption) -> Result<XpsComponentSpec, StudyError> {
    let tolerance = c.tolerance.unwrap_or(0.5);
    if c.label.trim().is_empty() || !finite(c.center) || !(tolerance.is_finite() && tolerance > 0.0) {
        return Err(spec.error(
            None,
            format!("component '{}': needs a label, a finite `center` and a `tolerance` > 0 [eV]", c.label),
        ));
    }
    let doublet = match c.doublet {
        None => None,
        Some(d) if finite(d.splitting) && d.splitting != 0.0 && d.ratio.is_finite() && d.ratio > 0.0 => {
            Some((d.label, d.splitting, d.ratio))
        }
        Some(_) => {
            return Err(spec.error(
                None,
                format!(
                    "component '{}': a doublet needs a non-zero `splitting` [eV] and a `ratio` > 0",
                    c.label
                ),
            ));
        }
    };
    Ok(XpsComponentSpec {
        label: c.label,
        center: c.center,
        center_bounds: (c.center - tolerance, c.center + tolerance),
        doublet,
    })
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = XpsOptions::default();
    let components = match o.components {
        None => d.components.clone(),
        Some(list) if list.is_empty() => return Err(spec.error(None, "`components` is empty")),
        Some(list) => list.into_iter().map(|c| component(spec, c)).collect::<Result<Vec<_>, _>>()?,
    };
    let photon_energy = match o.photon_energy {
        None => d.photon_energy,
        Some(e) if e.is_finite() && e > 0.0 => e,
        Some(_) => return Err(spec.error(None, "`photon_energy` must be > 0 [eV]")),
    };
    let charge_reference = match o.charge_reference {
        None => None,
        Some([m, t]) if m.is_finite() && t.is_finite() => Some((m, t)),
        Some(_) => return Err(spec.error(None, "`charge_reference` must be [measured, true] in eV")),
    };
    let options = XpsOptions {
        window: range(spec, o.window, "window", d.window)?,
        components,
        shape: o.shape.unwrap_or(d.shape),
        fwhm_bounds: range(spec, o.fwhm, "fwhm", d.fwhm_bounds)?,
        shared_width: o.shared_width.unwrap_or(d.shared_width),
        background: o.background.unwrap_or(d.background),
        charge_reference,
        photon_energy,
    };
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    if matches!(source, crate::steps::spectral::SpectralSource::Virtual { .. })
        && options.components != d.components
    {
        return Err(spec.error(
            None,
            "the virtual lab simulates F 1s (LiF / C-F): custom `components` need measured `file`s",
        ));
    }
    Ok(Box::new(Xps { source, options }))
}
