//! Step kind `eis-drt`: distribution of relaxation times of measured spectra.
//!
//! Reads three-column spectra, computes the DRT (`spelab_analysis::eis::drt`, Tikhonov + NNLS, λ by
//! GCV unless given) and reports its peaks (τ, frequency, resistance) with a plot of γ against τ.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::eis::drt::{drt, DrtOptions};
use spelab_report::{Axis, Figure, Series, Table};
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::{read_spectrum, Window};
use crate::spec::{StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "eis-drt",
    title: "Distribution of relaxation times (DRT)",
    summary: "DRT by Tikhonov-regularised NNLS with λ from GCV: peaks (τ, R) and γ(τ) plot per spectrum",
    example: r#"[[step]]
kind = "eis-drt"
files = ["data/cell.csv"]        # three columns: f [Hz], Z' [Ohm], Z'' [Ohm]
capacitive_only = true          # the DRT does not model inductive points
# lambda = 1e-4                 # fixed regularisation instead of GCV
# points_per_decade = 10"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Vec<Spanned<String>>,
    lambda: Option<Spanned<f64>>,
    points_per_decade: Option<Spanned<usize>>,
    f_min: Option<Spanned<String>>,
    f_max: Option<Spanned<String>>,
    #[serde(default)]
    capacitive_only: bool,
}

struct EisDrt {
    files: Vec<(PathBuf, String)>,
    options: DrtOptions,
    window: Window,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let window = spec.frequency_window(&o.f_min, &o.f_max, o.capacitive_only)?;
    let mut files = Vec::new();
    for f in &o.files {
        files.push((spec.file(f, "files")?, f.get_ref().clone()));
    }
    if files.is_empty() {
        return Err(spec.error(None, "eis-drt needs `files = [\"...\"]`"));
    }
    let lambda = spec.number(&o.lambda, "lambda", ">= 0", |x| x >= 0.0)?;
    let points = spec.number(&o.points_per_decade, "points_per_decade", ">= 1", |x| x >= 1.0)?;
    let options = DrtOptions { points_per_decade: points.unwrap_or(10), lambda };
    Ok(Box::new(EisDrt { files, options, window }))
}

impl Step for EisDrt {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut table = Table {
            title: "DRT peaks".into(),
            columns: ["spectrum", "λ", "R∞ [Ω]", "τ [s]", "f [Hz]", "R [Ω]"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut figure = Figure::new(
            "eis-drt",
            "Distribution of relaxation times",
            Axis::log("τ [s]"),
            Axis::linear("γ [Ω]"),
        );
        for (i, (path, label)) in self.files.iter().enumerate() {
            let spectrum = self.window.apply(&read_spectrum(path)?).with_context(|| label.clone())?;
            let d = drt(&spectrum, &self.options).with_context(|| label.clone())?;
            out.notes.extend(d.warnings.iter().map(|w| format!("{label}: warning: {w}")));
            for p in &d.peaks {
                table.rows.push(vec![
                    label.clone(),
                    format!("{:.2e}{}", d.lambda, if d.lambda_from_gcv { " (GCV)" } else { "" }),
                    format!("{:.4e}", d.r_inf),
                    format!("{:.4e}", p.tau),
                    format!("{:.4e}", 1.0 / (2.0 * std::f64::consts::PI * p.tau)),
                    format!("{:.4e}", p.resistance),
                ]);
            }
            figure =
                figure.with_series(Series::line(label.clone(), d.tau.clone(), d.gamma.clone()).with_color(i));
            progress((i + 1) as f64 / self.files.len() as f64);
        }
        out.tables.push(table);
        out.figures.push(figure);
        out.notes.push("DRT: Tikhonov (first differences) + non-negative least squares on Z/|Z|; λ by generalised cross-validation on a log grid unless fixed. Peaks below 5 % of the highest are not listed.".into());
        Ok(out)
    }
}
