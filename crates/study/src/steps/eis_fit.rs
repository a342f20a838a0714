//! Step kind `eis-fit`: fit an equivalent circuit to a measured impedance spectrum.
//!
//! Reads a three-column spectrum (`f [Hz], Z' [Ohm], Z'' [Ohm]`, impedance.py's example format),
//! fits the circuit with `spelab_analysis::eis` (CNLS, automatic initial guess, seeded multi-start)
//! and reports the parameters with standard errors, χ² and the termination reason, plus Nyquist and
//! Bode figures of data and fit and a residual plot.

use std::path::PathBuf;

use anyhow::Context;
use num_complex::Complex64;
use serde::Deserialize;
use spelab_analysis::eis::{fit_circuit, Circuit, CircuitFit, Weighting};
use spelab_core::ImpedanceSpectrum;
use spelab_report::{Axis, Figure, Series, Table};
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::{fit_options, read_spectrum, Window};
use crate::spec::{StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "eis-fit",
    title: "Equivalent-circuit fit of an impedance spectrum",
    summary: "Fit a circuit such as R0-p(R1,CPE1)-Wo1 to a spectrum (f, Z', Z''): parameters, standard errors, Nyquist and Bode plots",
    example: r#"[[step]]
kind = "eis-fit"
file = "data/cell.csv"               # three columns: f [Hz], Z' [Ohm], Z'' [Ohm]
circuit = "R0-p(R1,CPE1)-Wo1"
initial = "R0=0.01,CPE1.alpha=0.9"   # optional; others from the automatic guess
fix = ["R0=0.016"]                   # optional
weighting = "unit"                   # unit | modulus | proportional
f_max = "1 kHz"                      # optional window (also f_min)
capacitive_only = true               # keep Z'' < 0 only"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    file: Spanned<String>,
    circuit: Spanned<String>,
    initial: Option<Spanned<String>>,
    #[serde(default)]
    fix: Vec<Spanned<String>>,
    weighting: Option<Spanned<String>>,
    f_min: Option<Spanned<String>>,
    f_max: Option<Spanned<String>>,
    #[serde(default)]
    capacitive_only: bool,
    multistart: Option<Spanned<usize>>,
    seed: Option<u64>,
}

struct EisFit {
    path: PathBuf,
    label: String,
    circuit: Circuit,
    initial: Option<String>,
    fix: Vec<String>,
    weighting: Weighting,
    window: Window,
    multistart: Option<usize>,
    seed: u64,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let circuit: Circuit = o
        .circuit
        .get_ref()
        .parse()
        .map_err(|e| spec.error(Some(o.circuit.span()), format!("circuit: {e}")))?;
    let weighting = match &o.weighting {
        Some(w) => w.get_ref().parse().map_err(|e: String| spec.error(Some(w.span()), e))?,
        None => Weighting::Unit,
    };
    let window = spec.frequency_window(&o.f_min, &o.f_max, o.capacitive_only)?;
    let fix: Vec<String> = o.fix.iter().map(|f| f.get_ref().clone()).collect();
    let initial = o.initial.as_ref().map(|i| i.get_ref().clone());
    if let Err(e) = fit_options(&circuit, initial.as_deref(), &fix, weighting) {
        let span = o.initial.as_ref().map(Spanned::span).or_else(|| o.fix.first().map(Spanned::span));
        return Err(spec.error(span, e.to_string()));
    }
    let path = spec.file(&o.file, "file")?;
    Ok(Box::new(EisFit {
        path,
        label: o.file.get_ref().clone(),
        circuit,
        initial,
        fix,
        weighting,
        window,
        multistart: spec.number(&o.multistart, "multistart", ">= 1", |x| x >= 1.0)?,
        seed: o.seed.unwrap_or(0),
    }))
}

impl Step for EisFit {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let spectrum = read_spectrum(&self.path)?;
        let spectrum = self.window.apply(&spectrum).with_context(|| self.label.clone())?;
        let mut options = fit_options(&self.circuit, self.initial.as_deref(), &self.fix, self.weighting)?;
        if let Some(n) = self.multistart {
            options.multistart = n;
        }
        options.seed = self.seed;
        let fit = fit_circuit(&spectrum, &self.circuit, &options)
            .with_context(|| format!("fitting {} to {}", self.circuit, self.label))?;
        progress(0.8);

        let mut out = StepOutput::default();
        let mut table = Table {
            title: format!(
                "{} fitted to {} ({} points, {:?} weights)",
                fit.circuit, self.label, fit.points, fit.weighting
            ),
            columns: ["parameter", "value", "std. error", "rel. error", "unit"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        for p in &fit.parameters {
            let rel = p.std_error / p.value.abs();
            table.rows.push(vec![
                p.name.clone(),
                format!("{:.6e}", p.value),
                match (p.fixed, p.std_error.is_finite()) {
                    (true, _) => "fixed".into(),
                    (false, true) => format!("{:.3e}", p.std_error),
                    (false, false) => "n/a".into(),
                },
                if p.fixed || !rel.is_finite() { String::new() } else { format!("{:.2} %", 100.0 * rel) },
                p.unit.clone(),
            ]);
        }
        out.tables.push(table);
        out.notes.push(format!(
            "{}: χ² = {:.4e} (reduced {:.4e}), pseudo-χ² = {:.4e}; {} after {} evaluations; {} of {} starts reached the best χ².",
            self.label, fit.chi2, fit.reduced_chi2, fit.pseudo_chi2, fit.termination, fit.evaluations, fit.starts_at_best, fit.starts
        ));
        out.notes.extend(fit.warnings.iter().map(|w| format!("{}: warning: {w}", self.label)));
        let unidentifiable: Vec<&str> =
            fit.parameters.iter().filter(|p| !p.identifiable()).map(|p| p.name.as_str()).collect();
        if !unidentifiable.is_empty() {
            out.notes.push(format!(
                "Not identifiable from these data (standard error > 100 %): {}.",
                unidentifiable.join(", ")
            ));
        }
        if !fit.termination.converged() {
            anyhow::bail!("the fit did not converge: {}", fit.termination);
        }

        out.figures.extend(fit_figures(&self.label, &self.circuit, &spectrum, &fit));
        progress(1.0);
        Ok(out)
    }
}

/// Nyquist, Bode (|Z|, phase) and residual figures of a fit: data as markers, the fitted circuit as a
/// line over the measured frequency range.
pub fn fit_figures(
    label: &str,
    circuit: &Circuit,
    spectrum: &ImpedanceSpectrum,
    fit: &CircuitFit,
) -> Vec<Figure> {
    // Model on a dense grid spanning the data.
    let f = spectrum.frequency();
    let (lo, hi) = f.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let grid: Vec<f64> = (0..=200).map(|k| lo * (hi / lo).powf(k as f64 / 200.0)).collect();
    let omega: Vec<f64> = grid.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let model = circuit.impedances(&omega, &fit.values());
    let data = spectrum.impedance();
    let nyquist = Figure::new(
        "eis-fit-nyquist",
        format!("Nyquist plot: {} and {} fit", label, fit.circuit),
        Axis::linear("Z' [Ω]"),
        Axis::linear("−Z'' [Ω]"),
    )
    .with_series(
        Series::markers("data", spectrum.real(), data.iter().map(|z| -z.im).collect::<Vec<_>>())
            .with_color(0),
    )
    .with_series(
        Series::line(
            format!("fit {}", fit.circuit),
            model.iter().map(|z| z.re).collect::<Vec<_>>(),
            model.iter().map(|z| -z.im).collect::<Vec<_>>(),
        )
        .with_color(1),
    )
    .with_caption("Markers: measured points; line: fitted circuit over the measured frequency range.");
    let modulus =
        Figure::new("eis-fit-bode-modulus", "Bode plot: |Z|", Axis::log("f [Hz]"), Axis::log("|Z| [Ω]"))
            .with_series(Series::markers("data", f.to_vec(), spectrum.magnitude()).with_color(0))
            .with_series(
                Series::line("fit", grid.clone(), model.iter().map(|z| z.norm()).collect::<Vec<_>>())
                    .with_color(1),
            );
    let phase = Figure::new(
        "eis-fit-bode-phase",
        "Bode plot: phase",
        Axis::log("f [Hz]"),
        Axis::linear("−phase [°]"),
    )
    .with_series(
        Series::markers("data", f.to_vec(), data.iter().map(|z| -z.arg().to_degrees()).collect::<Vec<_>>())
            .with_color(0),
    )
    .with_series(
        Series::line("fit", grid, model.iter().map(|z| -z.arg().to_degrees()).collect::<Vec<_>>())
            .with_color(1),
    );
    // Residuals (Z_data − Z_fit)/|Z_data| of the fitted points.
    let at_data = circuit.impedances(&spectrum.angular_frequency(), &fit.values());
    let rel: Vec<Complex64> = data.iter().zip(&at_data).map(|(d, m)| (d - m) / d.norm()).collect();
    let residuals = Figure::new(
        "eis-fit-residuals",
        "Relative residuals (Z_data − Z_fit)/|Z_data|",
        Axis::log("f [Hz]"),
        Axis::linear("residual [%]"),
    )
    .with_series(
        Series::line_markers("real", f.to_vec(), rel.iter().map(|r| 100.0 * r.re).collect::<Vec<_>>())
            .with_color(0),
    )
    .with_series(
        Series::line_markers("imaginary", f.to_vec(), rel.iter().map(|r| 100.0 * r.im).collect::<Vec<_>>())
            .with_color(1),
    );
    vec![nyquist, modulus, phase, residuals]
}
