//! Step kinds: the registry of everything a study can run.
//!
//! A step kind is a name, a title, a one-line summary, an example TOML snippet and a parser that turns
//! the step's options into a runnable [`Step`]. Adding a step kind means writing its module and adding
//! one line to [`REGISTRY`]; the study parser, runner, report and `spelab steps` pick it up from there.

use std::path::Path;

use spelab_core::Metric;
use spelab_report::{Figure, Table};

use crate::spec::{Material, StepSpec, StudyError};

pub mod arrhenius;
pub mod ccd;
pub mod ccd_predict;
pub mod columns;
pub mod cycling_life;
pub mod dendrite_calibration;
pub mod dendrite_ccd;
pub mod dendrite_life;
pub mod dendrite_morphology;
mod display;
pub mod dsc_crystallinity;
pub mod eis_conductivity;
pub mod eis_drt;
pub mod eis_fit;
pub mod eis_kk;
pub mod electronic;
pub mod exchange;
pub mod fullcell;
pub mod fullcell_ageing;
pub mod fullcell_calibrate;
pub mod fullcell_design_map;
pub mod ir_peaks;
pub mod literature;
pub mod lsv;
mod nyquist_figure;
pub mod raman_speciation;
pub mod source;
pub mod spectral;
pub mod symmetric_cycling;
pub mod tga_steps;
pub mod transference;
pub mod xps_components;
pub mod xps_depth;

/// Everything a running step may use.
pub struct StepContext<'a> {
    /// Folder the study's relative paths are resolved against.
    pub base_dir: &'a Path,
    /// The study's materials.
    pub materials: &'a [Material],
}

/// What a step produced: metrics, figures, tables and notes for the report.
#[derive(Debug, Default)]
pub struct StepOutput {
    /// Metrics (paper values are attached by the runner).
    pub metrics: Vec<Metric>,
    /// Figures; each is written as SVG, PNG and the CSV of its data.
    pub figures: Vec<Figure>,
    /// Tables shown in the report.
    pub tables: Vec<Table>,
    /// Notes shown in the report (method choices, caveats).
    pub notes: Vec<String>,
}

/// Reports a step's progress as a fraction in [0, 1].
pub type Progress<'a> = &'a mut dyn FnMut(f64);

/// A parsed step, ready to run.
pub trait Step: Send + Sync {
    /// Runs the step. An `Err` marks the step failed in the report; other steps still run.
    fn run(&self, cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput>;
}

/// A kind of step that studies can name in `kind = "..."`.
pub struct StepKind {
    /// The name used in study files.
    pub name: &'static str,
    /// Default title in the report.
    pub title: &'static str,
    /// One-line summary for `spelab steps`.
    pub summary: &'static str,
    /// An example `[[step]]` table for `spelab steps` and the docs.
    pub example: &'static str,
    /// Parses and validates the step's options.
    pub parse: fn(&mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError>,
}

/// Every step kind, in the order `spelab steps` lists them.
pub const REGISTRY: &[&StepKind] = &[
    &arrhenius::KIND,
    &eis_fit::KIND,
    &eis_conductivity::KIND,
    &eis_kk::KIND,
    &eis_drt::KIND,
    &transference::KIND,
    &electronic::KIND,
    &exchange::KIND,
    &ccd::KIND,
    &cycling_life::KIND,
    &lsv::KIND,
    &literature::KIND,
    &fullcell::KIND,
    &fullcell_calibrate::KIND,
    &fullcell_ageing::KIND,
    &fullcell_design_map::KIND,
    &ccd_predict::KIND,
    &symmetric_cycling::KIND,
    &dendrite_morphology::KIND,
    &raman_speciation::KIND,
    &xps_depth::KIND,
    &xps_components::KIND,
    &ir_peaks::KIND,
    &dsc_crystallinity::KIND,
    &tga_steps::KIND,
    &dendrite_ccd::KIND,
    &dendrite_life::KIND,
];

/// The step kind with this name.
pub fn find(name: &str) -> Option<&'static StepKind> {
    REGISTRY.iter().copied().find(|k| k.name == name)
}

/// Names of every step kind.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|k| k.name).collect()
}
