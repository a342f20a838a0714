//! One measured-data step run on its own, without a study file: what `spelab analyze KIND FILE` and the
//! Python package's `spelab.analyze.<kind>(...)` run.
//!
//! The one-step study is written as TOML text and parsed like any study (so options get the same unit
//! checks and errors), then run into an output folder like `spelab run`.
//!
//! ```
//! let files = [std::path::PathBuf::from("/data/ccd.csv")];
//! let sets = [("area".to_string(), "1cm2".to_string())];
//! let text = spelab_study::one_step::study_text("ccd", "pvh-im", &files, &sets).unwrap();
//! assert!(text.contains("kind = \"ccd\"") && text.contains("file = \"/data/ccd.csv\""));
//! assert!(text.contains("area = \"1cm2\""));
//! ```

use std::path::{Path, PathBuf};

use crate::runner::{self, RunSummary, Silent};
use crate::study;

/// `value` as a TOML value: itself when it is valid TOML (`3`, `[1, 2]`, `"1 cm2"`), else a string.
pub fn toml_value(value: &str) -> String {
    let probe = format!("x = {value}");
    if value.parse::<toml::Value>().is_ok() || toml::from_str::<toml::Table>(&probe).is_ok() {
        value.to_string()
    } else {
        toml::Value::String(value.to_string()).to_string()
    }
}

/// The study text of one step of `kind` on material preset `material` reading `files` (`file = ...`
/// for one, `files = [...]` for several, nothing for none: the options may name them), with the options `sets` (`key`, value as TOML or plain text).
pub fn study_text(
    kind: &str,
    material: &str,
    files: &[PathBuf],
    sets: &[(String, String)],
) -> anyhow::Result<String> {
    let quoted: Vec<String> =
        files.iter().map(|f| toml::Value::String(f.display().to_string()).to_string()).collect();
    let file_line = match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("file = {one}"),
        many => format!("files = [{}]", many.join(", ")),
    };
    let string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let first = files.first().map(|f| format!(" {}", f.display())).unwrap_or_default();
    let mut text = format!(
        "[study]\nname = {}\n\n[[material]]\nid = {}\npreset = {}\n\n[[step]]\nid = {}\nkind = {}\nmaterial = {}\n{file_line}\n",
        string(&format!("spelab analyze {kind}{first}")),
        string(material),
        string(material),
        string(kind),
        string(kind),
        string(material),
    );
    for (key, value) in sets {
        text.push_str(&format!("{} = {}\n", key.trim(), toml_value(value.trim())));
    }
    Ok(text)
}

/// Runs the one-step study of [`study_text`] (files made absolute) into `out` and returns its summary
/// (step failures are in it, as for `spelab run`).
pub fn run(
    kind: &str,
    material: &str,
    files: &[PathBuf],
    sets: &[(String, String)],
    out: &Path,
) -> anyhow::Result<RunSummary> {
    use anyhow::Context;
    let files = files
        .iter()
        .map(|f| std::path::absolute(f).with_context(|| format!("resolving {}", f.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let text = study_text(kind, material, &files, sets)?;
    let anchor = std::env::current_dir()?.join(format!("spelab-analyze-{kind}.toml"));
    let study = study::parse(&text, &anchor)
        .map_err(|e| anyhow::anyhow!("{e}\n(the one-step study built from the arguments:\n{text})"))?;
    runner::run(&study, out, &mut Silent)
}
