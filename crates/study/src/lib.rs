//! spelab-study: a study from its file to its run directory.
//!
//! - [`spec`]: what a step parser sees (options with file/line/column errors, materials);
//! - [`study`]: the study file, parsed and validated before anything runs;
//! - [`steps`]: the registry of step kinds a study can run, one folder or file per kind;
//! - [`error_report`]: an error as the JSON document `--json` callers get;
//! - [`inputs`]: user-facing text (spectra files, `NAME=VALUE` lists, film laws) turned into values,
//!   shared with the command line;
//! - [`compare`]: the run's metrics against the paper (equal conditions, roles, ratios between
//!   materials, the banner's band counts, the written summary);
//! - [`one_step`]: one measured-data step without a study file (`spelab analyze`, `spelab.analyze`);
//! - [`runner`]: runs a study and writes the run directory (metrics, figures, report);
//! - [`simulate`]: `spelab simulate symmetric` / `full-cell` runs from user-facing values, records as
//!   tables (shared with the Python package);
//! - [`output`]: atomic writes that never land on an input;
//! - [`staging`]: a run written next to its output folder and renamed into place when complete;
//! - [`printed`]: the text and JSON forms of analysis results that commands print;
//! - [`reference`]: the user guide's step reference, generated from the registry.
//!
//! The CLI and the Python package run a study through this crate alone:
//! ```no_run
//! let study = spelab_study::study::load(std::path::Path::new("examples/pvh-im.toml"))?;
//! # Ok::<(), spelab_study::spec::StudyError>(())
//! ```

pub mod band;
pub mod compare;
pub mod error_report;
pub mod inputs;
pub mod one_step;
pub mod output;
pub mod printed;
pub mod reference;
pub mod runner;
pub mod simulate;
pub mod spec;
pub mod staging;
pub mod steps;
pub mod study;
