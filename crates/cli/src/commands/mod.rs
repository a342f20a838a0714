//! One plain function per command. Each returns the process exit code (0 ok, 1 a requested check
//! failed, 2 error) or an error that `main` prints with its context chain (exit 2).

pub mod eis;
pub mod simulate;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use spelab_core::metric::format_conditions;
use spelab_core::units::{parse_quantity, Quantity};

use crate::args::{CheckArgs, ParamsCommand, RunArgs, StepsArgs, UnitsArgs};
use crate::progress::Bar;
use spelab_study::runner::{self, RunObserver, Silent};
use spelab_study::steps::REGISTRY;
use spelab_study::study;

mod analyze;
pub mod bench;
pub mod read;
pub use analyze::analyze;

/// How results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// `--quiet`.
    pub quiet: bool,
    /// `--json`.
    pub json: bool,
}

/// Writes text to stdout; a closed pipe (`spelab ... | head`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Prints exactly one JSON document on stdout.
fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    print(&text)
}

/// `spelab run STUDY [--out DIR]`.
pub fn run(args: &RunArgs, output: Output) -> anyhow::Result<u8> {
    let study = study::load(&args.study)?;
    let out = args.out.clone().unwrap_or_else(|| default_out_dir(&args.study));
    // Ctrl-C: remove the unfinished run's staging folder; the output folder keeps the last whole run.
    ctrlc::set_handler(|| {
        spelab_study::staging::remove_in_progress();
        std::process::exit(130);
    })
    .ok();
    let show_bar = !output.quiet && !output.json;
    let summary = if show_bar {
        let mut bar = Bar::new(study.steps.len());
        let summary = runner::run(&study, &out, &mut bar as &mut dyn RunObserver);
        bar.finish();
        summary
    } else {
        runner::run(&study, &out, &mut Silent)
    }
    .with_context(|| format!("running {}", args.study.display()))?;
    let code = u8::from(summary.failed > 0);
    if output.json {
        print_json(&summary)?;
    } else if !output.quiet {
        let mut text = String::new();
        for s in &summary.steps {
            match &s.message {
                None => text.push_str(&format!("  ok      {:<28} {:>8.2} s\n", s.id, s.duration_s)),
                Some(m) => text.push_str(&format!("  FAILED  {:<28} {:>8.2} s  {m}\n", s.id, s.duration_s)),
            }
        }
        text.push_str(&format!(
            "{}, {} failed, {}\nreport: {}\n",
            plural(summary.steps.len(), "step"),
            summary.failed,
            plural(summary.metrics.len(), "metric"),
            summary.report.display()
        ));
        print(&text)?;
    }
    Ok(code)
}

/// "1 step", "3 steps".
pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `runs/<study stem>`.
fn default_out_dir(study: &Path) -> PathBuf {
    let stem = study.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "study".into());
    PathBuf::from("runs").join(stem)
}

/// `spelab check STUDY`.
pub fn check(args: &CheckArgs, output: Output) -> anyhow::Result<u8> {
    let study = study::load(&args.study)?;
    #[derive(Serialize)]
    struct Checked<'a> {
        study: &'a str,
        materials: Vec<&'a str>,
        steps: Vec<(&'a str, &'a str)>,
        inputs: &'a [PathBuf],
    }
    if output.json {
        print_json(&Checked {
            study: &study.name,
            materials: study.materials.iter().map(|m| m.id.as_str()).collect(),
            steps: study.steps.iter().map(|s| (s.id.as_str(), s.kind)).collect(),
            inputs: &study.inputs,
        })?;
    } else if !output.quiet {
        let data_files = study.inputs.iter().filter(|p| **p != study.path).count();
        print(&format!(
            "{}: ok ({}, {}, {})\n",
            args.study.display(),
            plural(study.materials.len(), "material"),
            plural(study.steps.len(), "step"),
            plural(data_files, "input file")
        ))?;
    }
    Ok(0)
}

/// `spelab calibrate`.
pub fn calibrate(a: &crate::args::CalibrateArgs, output: Output) -> anyhow::Result<u8> {
    use spelab_study::steps::fullcell_calibrate::{compute, text};
    let outcome = compute::command(&a.material, &a.predict, a.knobs.as_deref())?;
    if output.json {
        print_json(&compute::json(&outcome))?;
    } else if !output.quiet {
        print(&text(&outcome))?;
    }
    Ok(0)
}

/// `spelab params list|show`.
pub fn params(command: &ParamsCommand, output: Output) -> anyhow::Result<u8> {
    match command {
        ParamsCommand::List => {
            let presets = spelab_sim::params::all_presets()?;
            if output.json {
                #[derive(Serialize)]
                struct Item<'a> {
                    id: &'a str,
                    name: &'a str,
                    description: &'a str,
                }
                let items: Vec<Item> = presets
                    .iter()
                    .map(|p| Item { id: &p.id, name: &p.name, description: &p.description })
                    .collect();
                print_json(&items)?;
            } else {
                let text: String = presets
                    .iter()
                    .map(|p| format!("{:<8} {:<8} {}\n", p.id, p.name, p.description))
                    .collect();
                print(&text)?;
            }
        }
        ParamsCommand::Export { name, to, out } => {
            anyhow::ensure!(to == "bpx", "--to '{to}': the only export format is bpx");
            let text = spelab_study::simulate::full_cell::export_bpx(name)?;
            match out {
                Some(path) => spelab_study::output::write_file(path, text.as_bytes(), &[])?,
                None => print(&text)?,
            }
        }
        ParamsCommand::Show { name } => {
            let preset = spelab_study::inputs::preset(name)?;
            if output.json {
                print_json(&preset)?;
            } else {
                let mut text = format!(
                    "{} ({})\n{}\nreference: {}\n\n",
                    preset.name, preset.id, preset.description, preset.reference
                );
                let width = preset.values.iter().map(|v| v.key.len()).max().unwrap_or(10);
                for v in &preset.values {
                    let mut value = spelab_study::inputs::value_with_unit(v.value, &v.unit);
                    let display = v.quantity.display(v.si_value);
                    // The display unit only where it reads better: "100 s", not "100 s = 0.0278 h".
                    let shown = v.quantity.to_display(v.si_value).abs();
                    let lowest = if v.quantity == Quantity::Time { 1.0 } else { 0.1 };
                    let readable = shown == 0.0 || (lowest..1e5).contains(&shown);
                    let number = |t: &str| t.split_whitespace().next().unwrap_or_default().to_string();
                    let same = number(&display) == number(&value);
                    if v.quantity != Quantity::Dimensionless && !same && readable {
                        value = format!("{value} = {display}");
                    }
                    let mut extra = Vec::new();
                    let conditions = format_conditions(&v.conditions);
                    if !conditions.is_empty() {
                        extra.push(conditions);
                    }
                    if v.assumed {
                        extra.push("assumed".into());
                    }
                    if let Some(note) = &v.note {
                        extra.push(note.clone());
                    }
                    let extra =
                        if extra.is_empty() { String::new() } else { format!("  [{}]", extra.join("; ")) };
                    text.push_str(&format!("  {:<width$}  {:>28}  {}{}\n", v.key, value, v.source, extra));
                }
                print(&text)?;
            }
        }
    }
    Ok(0)
}

/// `spelab steps [KIND]`.
pub fn steps(args: &StepsArgs, output: Output) -> anyhow::Result<u8> {
    let kinds: Vec<_> =
        REGISTRY.iter().copied().filter(|k| args.kind.as_deref().is_none_or(|n| n == k.name)).collect();
    if kinds.is_empty() {
        anyhow::bail!(
            "unknown step kind '{}'; known kinds: {}",
            args.kind.as_deref().unwrap_or_default(),
            spelab_study::steps::names().join(", ")
        );
    }
    if args.markdown {
        print(&spelab_study::reference::steps_markdown(&kinds))?;
        return Ok(0);
    }
    if output.json {
        #[derive(Serialize)]
        struct Item {
            name: &'static str,
            title: &'static str,
            summary: &'static str,
            example: &'static str,
        }
        let items: Vec<Item> = kinds
            .iter()
            .map(|k| Item { name: k.name, title: k.title, summary: k.summary, example: k.example })
            .collect();
        print_json(&items)?;
    } else {
        let text: String =
            kinds.iter().map(|k| format!("{}: {}\n\n{}\n\n", k.name, k.summary, k.example)).collect();
        print(&text)?;
    }
    Ok(0)
}

/// `spelab units VALUE --quantity Q`.
pub fn units(args: &UnitsArgs, output: Output) -> anyhow::Result<u8> {
    let quantity: Quantity = args.quantity.into();
    let si = parse_quantity(&args.value, quantity)?;
    if output.json {
        #[derive(Serialize)]
        struct Converted<'a> {
            input: &'a str,
            quantity: Quantity,
            value: f64,
            unit: &'static str,
            display: String,
        }
        print_json(&Converted {
            input: &args.value,
            quantity,
            value: si,
            unit: quantity.si_unit(),
            display: quantity.display(si),
        })?;
    } else {
        print(&format!("{si} {} ({})\n", quantity.si_unit(), quantity.display(si)))?;
    }
    Ok(0)
}
