//! What the spectroscopic and thermal step kinds (`raman-speciation`, `xps-depth`, `ir-peaks`,
//! `dsc-crystallinity`, `tga-steps`) share: where their data come from (measured `file` / `files` of
//! one `material` read by [`spelab_io::spectra`], by content; or the virtual lab's `materials`), the
//! choice of a block in a multi-block file, and the figure of a peak fit (data, baseline, components,
//! envelope, residuals).

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::peaks::PeakFit;
use spelab_core::{Spectrum, Thermogram};
use spelab_io::spectra::{read_spectral_path, Block};
use spelab_report::{Axis, Figure, Series};
use toml::Spanned;

use super::source::DataSource;
use crate::spec::{Material, StepSpec, StudyError};

/// The data-source keys these kinds take from the step table (`files` and `block` are their own).
pub const KEYS: &[&str] = &["file", "material", "materials"];

/// Where a spectral step's data come from.
pub enum SpectralSource {
    /// The virtual lab: one simulated record per material, noise seeded by `seed`.
    Virtual {
        /// Materials simulated.
        materials: Vec<Material>,
        /// Noise seed.
        seed: u64,
    },
    /// Measured files of one material.
    Measured {
        /// The material the files belong to.
        material: Box<Material>,
        /// (path, label as written) of each file, in the order given.
        files: Vec<(PathBuf, String)>,
        /// Text the block's label contains (first block of the right type when absent).
        block: Option<String>,
    },
}

/// Parses the data source: `file` or `files` (measured, with `material`; `block` optional) or the
/// virtual lab (`materials`, `seed`).
pub fn parse_source(
    spec: &mut StepSpec<'_>,
    src: &DataSource,
    files: &Option<Vec<Spanned<String>>>,
    block: &Option<Spanned<String>>,
    seed: Option<u64>,
) -> Result<SpectralSource, StudyError> {
    let given: Vec<Spanned<String>> = match (&src.file, files) {
        (Some(f), Some(_)) => {
            return Err(spec.error(Some(f.span()), "give `file` or `files`, not both"));
        }
        (Some(f), None) => vec![f.clone()],
        (None, Some(fs)) if fs.is_empty() => {
            return Err(spec.error(None, "`files` is empty"));
        }
        (None, Some(fs)) => fs.clone(),
        (None, None) => {
            if let Some(b) = block {
                return Err(spec.error(Some(b.span()), "`block` is for measured files"));
            }
            return Ok(SpectralSource::Virtual {
                materials: src.virtual_materials(spec)?,
                seed: seed.unwrap_or(1),
            });
        }
    };
    if let Some(m) = src.materials.as_ref().and_then(|m| m.first()) {
        return Err(spec.error(
            Some(m.span()),
            "`materials` is for simulated data; a step with `file` reads measured data",
        ));
    }
    if seed.is_some() {
        return Err(spec.error(None, "`seed` is for simulated data (no `file`)"));
    }
    let material = match &src.material {
        Some(m) => spec.material(m)?,
        None => return Err(spec.error(Some(given[0].span()), "measured data need `material = \"...\"`")),
    };
    let files = given
        .iter()
        .map(|f| Ok((spec.file(f, "file")?, f.get_ref().clone())))
        .collect::<Result<Vec<_>, StudyError>>()?;
    Ok(SpectralSource::Measured {
        material: Box::new(material),
        files,
        block: block.as_ref().map(|b| b.get_ref().clone()),
    })
}

/// An increasing pair `[lo, hi]` of positive numbers, or an error naming `key`.
pub fn range(
    spec: &StepSpec<'_>,
    v: Option<[f64; 2]>,
    key: &str,
    default: (f64, f64),
) -> Result<(f64, f64), StudyError> {
    match v {
        None => Ok(default),
        Some([lo, hi]) if lo.is_finite() && hi.is_finite() && lo < hi => Ok((lo, hi)),
        Some(_) => Err(spec.error(None, format!("`{key}` must be [low, high] with low < high"))),
    }
}

/// The block of file `label` whose label contains `needle`, else the first block `pick` accepts.
fn block<'a, T>(
    blocks: &'a [Block],
    label: &str,
    needle: Option<&str>,
    pick: impl Fn(&'a Block) -> Option<&'a T>,
    what: &str,
) -> anyhow::Result<&'a T> {
    let found = match needle {
        Some(n) => {
            let n = n.to_lowercase();
            blocks.iter().filter(|b| b.label.to_lowercase().contains(&n)).find_map(&pick)
        }
        None => blocks.iter().find_map(&pick),
    };
    found.with_context(|| {
        let names: Vec<&str> = blocks.iter().map(|b| b.label.as_str()).collect();
        format!(
            "{label}: no {what} block{} (blocks: {})",
            needle.map(|n| format!(" named '{n}'")).unwrap_or_default(),
            names.join(", ")
        )
    })
}

/// Reads the spectrum of measured file (`path`, `label`), block `needle` or the first spectrum.
pub fn read_spectrum(path: &std::path::Path, label: &str, needle: Option<&str>) -> anyhow::Result<Spectrum> {
    let file = read_spectral_path(path).with_context(|| format!("reading {label}"))?;
    block(&file.blocks, label, needle, Block::spectrum, "spectrum").cloned()
}

/// Reads the thermogram of measured file (`path`, `label`), block `needle` or the first thermogram.
pub fn read_thermogram(
    path: &std::path::Path,
    label: &str,
    needle: Option<&str>,
) -> anyhow::Result<Thermogram> {
    let file = read_spectral_path(path).with_context(|| format!("reading {label}"))?;
    block(&file.blocks, label, needle, Block::thermogram, "thermogram").cloned()
}

/// The figure of a peak fit on baseline-subtracted data: the data (`fit.y` + `baseline`), the
/// baseline, each component and the envelope on the baseline, and the residuals about zero.
pub fn fit_figure(id: String, title: String, x_label: &str, baseline: &[f64], fit: &PeakFit) -> Figure {
    let on = |ys: &[f64]| ys.iter().zip(baseline).map(|(y, b)| y + b).collect::<Vec<_>>();
    let x = fit.x.clone();
    let mut fig = Figure::new(id, title, Axis::linear(x_label), Axis::linear("intensity"))
        .with_series(Series::markers("data", x.clone(), on(&fit.y)))
        .with_series(Series::dashed("baseline", x.clone(), baseline.to_vec()));
    for (k, (c, curve)) in fit.components.iter().zip(&fit.curves).enumerate() {
        fig = fig.with_series(Series::dashed(c.label.clone(), x.clone(), on(curve)).with_color(k + 2));
    }
    fig.with_series(Series::line("envelope", x.clone(), on(&fit.envelope)))
        .with_series(Series::line("residuals", x, fit.residuals.clone()))
        .with_caption(
            "Markers: data; dashed: baseline and each component on it; line: envelope (components + baseline) and the residuals (data − envelope, about zero).",
        )
}

/// One record to analyse: a material's measured or simulated spectrum or thermogram.
pub struct Record<M> {
    /// The material.
    pub material: Material,
    /// `"simulation"` or the file's label.
    pub source: String,
    /// The record.
    pub measurement: M,
    /// The virtual lab's input (the preset value the analysis should recover).
    pub input: Option<f64>,
}

/// The records of `source`: each material simulated by `simulate` (noise seed derived from the step's
/// seed and the material's index), or each measured file read by `read`.
pub fn records<M>(
    source: &SpectralSource,
    simulate: fn(
        &spelab_sim::params::Preset,
        u64,
    ) -> Result<spelab_sim::lab::SpectralRun<M>, spelab_sim::SimError>,
    read: fn(&std::path::Path, &str, Option<&str>) -> anyhow::Result<M>,
) -> anyhow::Result<Vec<Record<M>>> {
    match source {
        SpectralSource::Virtual { materials, seed } => materials
            .iter()
            .enumerate()
            .map(|(k, m)| {
                let run = simulate(&m.preset, spelab_core::random::derive_seed(*seed, k as u64))
                    .with_context(|| format!("material '{}': virtual lab", m.id))?;
                Ok(Record {
                    material: m.clone(),
                    source: spelab_core::metric::SOURCE_SIMULATION.into(),
                    measurement: run.measurement,
                    input: Some(run.input),
                })
            })
            .collect(),
        SpectralSource::Measured { material, files, block } => files
            .iter()
            .map(|(path, label)| {
                Ok(Record {
                    material: (**material).clone(),
                    source: label.clone(),
                    measurement: read(path, label, block.as_deref())?,
                    input: None,
                })
            })
            .collect(),
    }
}
