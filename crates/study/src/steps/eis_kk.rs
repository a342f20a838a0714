//! Step kind `eis-kk`: the linear Kramers-Kronig test (lin-KK) of measured spectra.
//!
//! Reads three-column spectra (`f [Hz], Z' [Ohm], Z'' [Ohm]`), runs `spelab_analysis::eis::kk::lin_kk`
//! and reports M, μ, the largest residual and pass/fail per file, with a residual plot. A failing
//! spectrum is reported, not an error: the step fails only when a file cannot be analysed.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::eis::kk::{lin_kk, KkFit, LinKkOptions};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::{read_spectrum, Window};
use crate::spec::{StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "eis-kk",
    title: "Kramers-Kronig validation of impedance spectra (lin-KK)",
    summary: "Linear Kramers-Kronig test with automatic number of RC elements: residuals and pass/fail per spectrum",
    example: r#"[[step]]
kind = "eis-kk"
files = ["data/cell_25C.csv", "data/cell_60C.csv"]   # three columns: f [Hz], Z' [Ohm], Z'' [Ohm]
fit = "complex"            # real | imag | complex
mu_cutoff = 0.5
add_capacitance = true
threshold = "1 %"          # largest |residual| to pass
f_max = "1 kHz"            # optional window (also f_min); capacitive_only = true keeps Z'' < 0"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Vec<Spanned<String>>,
    fit: Option<Spanned<String>>,
    mu_cutoff: Option<Spanned<f64>>,
    max_m: Option<Spanned<usize>>,
    #[serde(default)]
    add_capacitance: bool,
    threshold: Option<Spanned<String>>,
    f_min: Option<Spanned<String>>,
    f_max: Option<Spanned<String>>,
    #[serde(default)]
    capacitive_only: bool,
}

struct EisKk {
    files: Vec<(PathBuf, String)>,
    options: LinKkOptions,
    window: Window,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let mu_cutoff = spec.number(&o.mu_cutoff, "mu_cutoff", "in (0, 1)", |x| x > 0.0 && x < 1.0)?;
    let max_m = spec.number(&o.max_m, "max_m", ">= 1", |x| x >= 1.0)?;
    let fit = match &o.fit {
        None => KkFit::Complex,
        Some(f) => match f.get_ref().as_str() {
            "real" => KkFit::Real,
            "imag" => KkFit::Imag,
            "complex" => KkFit::Complex,
            other => {
                return Err(spec.error(Some(f.span()), format!("fit '{other}': use real, imag or complex")))
            }
        },
    };
    let threshold = match &o.threshold {
        Some(t) => spec.quantity(t, Quantity::Fraction, "threshold")?,
        None => 0.01,
    };
    let window = spec.frequency_window(&o.f_min, &o.f_max, o.capacitive_only)?;
    let mut files = Vec::new();
    for f in &o.files {
        files.push((spec.file(f, "files")?, f.get_ref().clone()));
    }
    if files.is_empty() {
        return Err(spec.error(None, "eis-kk needs `files = [\"...\"]`"));
    }
    let options = LinKkOptions {
        mu_cutoff: Some(mu_cutoff.unwrap_or(0.5)),
        max_m: max_m.unwrap_or(100),
        fit,
        add_capacitance: o.add_capacitance,
        threshold,
    };
    Ok(Box::new(EisKk { files, options, window }))
}

impl Step for EisKk {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut table = Table {
            title: format!("lin-KK ({:?} fit, μ cut-off {:?})", self.options.fit, self.options.mu_cutoff),
            columns: ["spectrum", "points", "M", "μ", "max |residual|", "verdict"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let mut figure = Figure::new(
            "eis-kk-residuals",
            "lin-KK residuals (Z − Z_KK)/|Z|",
            Axis::log("f [Hz]"),
            Axis::linear("residual [%]"),
        );
        for (i, (path, label)) in self.files.iter().enumerate() {
            let spectrum = self.window.apply(&read_spectrum(path)?).with_context(|| label.clone())?;
            let kk = lin_kk(&spectrum, &self.options).with_context(|| label.clone())?;
            table.rows.push(vec![
                label.clone(),
                spectrum.len().to_string(),
                kk.m.to_string(),
                format!("{:.3}", kk.mu),
                format!("{:.3} %", 100.0 * kk.max_residual),
                if kk.pass { "pass".into() } else { format!("FAIL (> {:.2} %)", 100.0 * kk.threshold) },
            ]);
            out.notes.extend(kk.warnings.iter().map(|w| format!("{label}: warning: {w}")));
            let pct = |v: &[f64]| v.iter().map(|r| 100.0 * r).collect::<Vec<_>>();
            figure = figure
                .with_series(
                    Series::line_markers(
                        format!("{label} real"),
                        kk.frequency.clone(),
                        pct(&kk.residuals_real),
                    )
                    .with_color(2 * i),
                )
                .with_series(
                    Series::dashed(format!("{label} imag"), kk.frequency.clone(), pct(&kk.residuals_imag))
                        .with_color(2 * i + 1),
                );
            progress((i + 1) as f64 / self.files.len() as f64);
        }
        out.tables.push(table);
        out.figures.push(figure);
        out.notes.push(
            "lin-KK (Schönleber 2014, as impedance.py implements it): a spectrum that a KK-compliant RC series cannot reproduce within the threshold violates causality, linearity or stationarity (e.g. drift).".into(),
        );
        Ok(out)
    }
}
