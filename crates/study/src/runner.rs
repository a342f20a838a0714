//! The study runner: runs each step, keeps going past failures, and writes the run directory.
//!
//! Layout written under the output folder (ARCHITECTURE.md):
//! `metrics.json`, `metrics.csv`, `figures/<step>-<figure>.svg|png`, `data/<step>-<figure>.csv`,
//! `report.html`, `run.log`. The run is written into a staging folder next to the output folder and
//! renamed into place when complete ([`crate::staging`]): the output folder always holds one whole
//! run. A step that fails (error or panic) is shown in the report and makes the run's exit code 1; the
//! other steps still run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use spelab_core::metric::{format_conditions, Metric};
use spelab_report::{
    figure_data_csv, metrics_csv, render_html, render_png, render_svg, MaterialSummary, MaterialValue,
    RenderedFigure, ReportInput, StepSection, StepStatus,
};

use crate::compare::{attach_paper_value, compare};
use crate::output::RunDir;
use crate::spec::Material;
use crate::steps::StepContext;
use crate::study::Study;

/// The spelab version written into every output.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Receives the runner's progress; the CLI draws it, tests ignore it.
pub trait RunObserver {
    /// A step is about to run.
    fn step_started(&mut self, index: usize, total: usize, id: &str, title: &str);
    /// The running step reports a fraction done in [0, 1].
    fn step_progress(&mut self, fraction: f64);
    /// A step has finished (ok or failed).
    fn step_finished(&mut self, index: usize, id: &str, ok: bool, duration_s: f64);
}

/// An observer that ignores everything (`--quiet`, tests).
pub struct Silent;

impl RunObserver for Silent {
    fn step_started(&mut self, _: usize, _: usize, _: &str, _: &str) {}
    fn step_progress(&mut self, _: f64) {}
    fn step_finished(&mut self, _: usize, _: &str, _: bool, _: f64) {}
}

/// One step's outcome, as `--json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    /// Step id.
    pub id: String,
    /// Step kind.
    pub kind: String,
    /// "ok" or "failed".
    pub status: &'static str,
    /// The error chain of a failed step.
    pub message: Option<String>,
    /// Wall time [s].
    pub duration_s: f64,
}

/// What a run produced.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// spelab version.
    pub spelab_version: String,
    /// Study name.
    pub study: String,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Path of `report.html`.
    pub report: PathBuf,
    /// Per-step outcome.
    pub steps: Vec<StepSummary>,
    /// Every metric.
    pub metrics: Vec<Metric>,
    /// Number of failed steps.
    pub failed: usize,
}

/// The `metrics.json` document.
#[derive(Serialize)]
struct MetricsDocument<'a> {
    spelab_version: &'a str,
    study: &'a str,
    metrics: &'a [Metric],
}

/// Runs every step of `study` and writes the run directory `out`.
///
/// Returns `Err` only when the output cannot be written at all; step failures are in the summary.
pub fn run(study: &Study, out: &Path, observer: &mut dyn RunObserver) -> anyhow::Result<RunSummary> {
    let started = Instant::now();
    let staging = crate::staging::Staging::begin(out, &study.inputs)?;
    let mut dir = RunDir::create(staging.path(), &study.inputs)?;
    let mut log = vec![
        format!("spelab {VERSION}"),
        format!("started {}", now_utc()),
        format!("study '{}' from {}", study.name, study.path.display()),
        format!("output {}", out.display()),
    ];
    for m in &study.materials {
        log.push(format!("material '{}': {}", m.id, m.origin));
    }
    let cx = StepContext { base_dir: &study.base_dir, materials: &study.materials };
    let total = study.steps.len();
    let mut sections = Vec::new();
    let mut summaries = Vec::new();
    let mut metrics = Vec::new();
    for (index, s) in study.steps.iter().enumerate() {
        observer.step_started(index, total, &s.id, &s.title);
        let t0 = Instant::now();
        let result = {
            let mut progress = |f: f64| observer.step_progress(f);
            catch_unwind(AssertUnwindSafe(|| s.step.run(&cx, &mut progress)))
        };
        let mut section = StepSection {
            id: s.id.clone(),
            kind: s.kind.to_string(),
            title: s.title.clone(),
            status: StepStatus::Ok,
            duration_s: 0.0,
            notes: Vec::new(),
            figures: Vec::new(),
            metrics: Vec::new(),
            tables: Vec::new(),
        };
        let mut failure: Option<String> = None;
        match result {
            Ok(Ok(output)) => {
                section.notes = output.notes;
                section.tables = output.tables;
                for mut metric in output.metrics {
                    attach_paper_value(&mut metric, &study.materials);
                    section.metrics.push(metric);
                }
                for figure in &output.figures {
                    match write_figure(&mut dir, &s.id, figure) {
                        Ok(rendered) => section.figures.push(rendered),
                        Err(e) => {
                            let msg = format!("figure '{}': {e:#}", figure.id);
                            failure = Some(failure.map_or(msg.clone(), |f| format!("{f}; {msg}")));
                        }
                    }
                }
            }
            Ok(Err(e)) => failure = Some(format!("{e:#}")),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                failure = Some(format!("internal error (please report it): {what}"));
            }
        }
        let duration_s = t0.elapsed().as_secs_f64();
        section.duration_s = duration_s;
        if let Some(message) = &failure {
            section.status = StepStatus::Failed { message: message.clone() };
            log.push(format!("step '{}' ({}) FAILED after {duration_s:.3} s: {message}", s.id, s.kind));
        } else {
            log.push(format!(
                "step '{}' ({}) ok in {duration_s:.3} s: {}, {}",
                s.id,
                s.kind,
                count(section.metrics.len(), "metric"),
                count(section.figures.len(), "figure")
            ));
        }
        observer.step_finished(index, &s.id, failure.is_none(), duration_s);
        summaries.push(StepSummary {
            id: s.id.clone(),
            kind: s.kind.to_string(),
            status: if failure.is_some() { "failed" } else { "ok" },
            message: failure,
            duration_s,
        });
        metrics.extend(section.metrics.iter().cloned());
        sections.push(section);
    }
    let failed = summaries.iter().filter(|s| s.status == "failed").count();

    let doc = MetricsDocument { spelab_version: VERSION, study: &study.name, metrics: &metrics };
    dir.write("metrics.json", &serde_json::to_vec_pretty(&doc)?)?;
    dir.write("metrics.csv", metrics_csv(&metrics).as_bytes())?;
    log.push(format!("{} steps: {} ok, {failed} failed; {} metrics", total, total - failed, metrics.len()));
    log.push(format!("finished {} ({:.3} s)", now_utc(), started.elapsed().as_secs_f64()));
    let comparison = compare(&study.materials, &metrics);
    let report = ReportInput {
        title: study.name.clone(),
        study_path: study.path.display().to_string(),
        spelab_version: VERSION.to_string(),
        generated: now_utc(),
        description: study.description.clone(),
        materials: study.materials.iter().map(material_summary).collect(),
        comparison: comparison.rows,
        summary: comparison.summary,
        ratios: comparison.ratios,
        assessment: Some(comparison.assessment),
        metrics: metrics.clone(),
        steps: sections,
        log: log.clone(),
    };
    dir.write("report.html", render_html(&report).as_bytes())?;
    let mut log_text = log.join("\n");
    log_text.push('\n');
    dir.write("run.log", log_text.as_bytes())?;
    staging.commit()?;
    Ok(RunSummary {
        spelab_version: VERSION.to_string(),
        study: study.name.clone(),
        out_dir: out.to_path_buf(),
        report: out.join("report.html"),
        steps: summaries,
        metrics,
        failed,
    })
}

fn write_figure(
    dir: &mut RunDir,
    step_id: &str,
    figure: &spelab_report::Figure,
) -> anyhow::Result<RenderedFigure> {
    let stem = format!("{step_id}-{}", figure.id);
    let svg = render_svg(figure)?;
    let png = render_png(figure)?;
    let files =
        vec![format!("figures/{stem}.svg"), format!("figures/{stem}.png"), format!("data/{stem}.csv")];
    dir.write(&files[0], svg.as_bytes())?;
    dir.write(&files[1], &png)?;
    dir.write(&files[2], figure_data_csv(figure).as_bytes())?;
    Ok(RenderedFigure { id: stem, title: figure.title.clone(), caption: figure.caption.clone(), svg, files })
}

fn material_summary(m: &Material) -> MaterialSummary {
    MaterialSummary {
        id: m.id.clone(),
        name: m.preset.name.clone(),
        description: m.preset.description.clone(),
        reference: Some(m.preset.reference.clone()),
        values: m
            .preset
            .values
            .iter()
            .map(|v| MaterialValue {
                label: v.key.clone(),
                display: crate::inputs::value_with_unit(v.value, &v.unit),
                conditions: format_conditions(&v.conditions),
                source: match (&v.note, v.assumed) {
                    (Some(note), true) => format!("{} (assumed: {note})", v.source),
                    (Some(note), false) => format!("{} ({note})", v.source),
                    (None, true) => format!("{} (assumed)", v.source),
                    (None, false) => v.source.clone(),
                },
            })
            .collect(),
    }
}

/// The current UTC time as ISO 8601 ("2026-11-25T10:13:26Z").
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = spelab_core::calendar::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// "1 metric", "3 metrics": `n` and `noun`, plural unless `n` is 1.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
