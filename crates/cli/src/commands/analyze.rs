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

/// `spelab analyze KIND FILE [--material ID] [--set key=value]... [--out DIR]`.
pub fn analyze(args: &AnalyzeArgs, output: Output) -> anyhow::Result<u8> {
    let files: Vec<PathBuf> = args.file.iter().chain(&args.more_files).cloned().collect();
    let sets = args
        .set
        .iter()
        .map(|set| {
            let (key, value) =
                set.split_once('=').with_context(|| format!("--set {set}: expected key=value"))?;
            Ok((key.to_string(), value.to_string()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let out =
        args.out.clone().unwrap_or_else(|| PathBuf::from("runs").join(format!("analyze-{}", args.kind)));
    let summary = spelab_study::one_step::run(&args.kind, &args.material, &files, &sets, &out)?;
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
