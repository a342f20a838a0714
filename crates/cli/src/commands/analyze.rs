//! `spelab analyze KIND FILE`: one measured-data step run on its own, without writing a study file.
//!
//! The command writes the one-step study it runs (so `--set` values get the same unit checks and
//! file/line-free errors as in a study), runs it into the output folder like `spelab run`, and prints the
//! metrics. Each `--set key=value` becomes an option of the step; a value that is not valid TOML is taken
//! as a string (`--set area="1 cm2"` and `--set area=1cm2` both work). With several files the step gets
//! `files = [...]` instead of `file` (e.g. impedance spectra at several temperatures for `arrhenius`).

use std::path::PathBuf;

use anyhow::Context;

use super::{print, print_json, Output};
use crate::args::AnalyzeArgs;
use spelab_study::runner::{self, Silent};
use spelab_study::study;

fn toml_value(value: &str) -> String {
    let probe = format!("x = {value}");
    if value.parse::<toml::Value>().is_ok() || toml::from_str::<toml::Table>(&probe).is_ok() {
        value.to_string()
    } else {
        toml::Value::String(value.to_string()).to_string()
    }
}

/// The study text for one step of `kind` reading `files` (`file = ...` for one, `files = [...]` for
/// several).
pub fn study_text(args: &AnalyzeArgs, files: &[PathBuf]) -> anyhow::Result<String> {
    let preset = &args.material;
    let quoted: Vec<String> =
        files.iter().map(|f| toml::Value::String(f.display().to_string()).to_string()).collect();
    let file_line = match quoted.as_slice() {
        [one] => format!("file = {one}"),
        many => format!("files = [{}]", many.join(", ")),
    };
    let mut text = format!(
        "[study]\nname = {}\n\n[[material]]\nid = {}\npreset = {}\n\n[[step]]\nid = \"{}\"\nkind = {}\nmaterial = {}\n{file_line}\n",
        toml::Value::String(format!("spelab analyze {} {}", args.kind, args.file.display())),
        toml::Value::String(preset.clone()),
        toml::Value::String(preset.clone()),
        args.kind,
        toml::Value::String(args.kind.clone()),
        toml::Value::String(preset.clone()),
    );
    for set in &args.set {
        let (key, value) = set.split_once('=').with_context(|| format!("--set {set}: expected key=value"))?;
        text.push_str(&format!("{} = {}\n", key.trim(), toml_value(value.trim())));
    }
    Ok(text)
}

/// `spelab analyze KIND FILE [--material ID] [--set key=value]... [--out DIR]`.
pub fn analyze(args: &AnalyzeArgs, output: Output) -> anyhow::Result<u8> {
    let files = std::iter::once(&args.file)
        .chain(&args.more_files)
        .map(|f| std::path::absolute(f).with_context(|| format!("resolving {}", f.display())))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let text = study_text(args, &files)?;
    let anchor = std::env::current_dir()?.join(format!("spelab-analyze-{}.toml", args.kind));
    let study = study::parse(&text, &anchor)
        .map_err(|e| anyhow::anyhow!("{e}\n(the one-step study built from the arguments:\n{text})"))?;
    let out =
        args.out.clone().unwrap_or_else(|| PathBuf::from("runs").join(format!("analyze-{}", args.kind)));
    let summary = runner::run(&study, &out, &mut Silent)?;
    if output.json {
        print_json(&summary)?;
    } else if !output.quiet {
        let mut s = String::new();
        for step in &summary.steps {
            if let Some(m) = &step.message {
                s.push_str(&format!("FAILED {}: {m}\n", step.id));
            }
        }
        for m in &summary.metrics {
            s.push_str(&format!(
                "{:<28} {:<8} {}\n",
                m.id.as_str(),
                m.material.as_deref().unwrap_or(""),
                m.display
            ));
        }
        s.push_str(&format!("report: {}\n", summary.report.display()));
        print(&s)?;
    }
    Ok(u8::from(summary.failed > 0))
}
