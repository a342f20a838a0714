//! What the `spelab eis` commands print: the plain-text and JSON forms of fits, lin-KK tests and
//! DRTs, so the command line only writes them. A fitted value is written to its standard error
//! (the error at 2 significant digits, the value cut at the same place:
//! [`spelab_core::units::scientific_with_uncertainty`]). A value without a number (the standard error of a
//! parameter the data do not determine) reads `n/a` in text and `null` in JSON, never NaN or inf;
//! the analyses' warnings (a flipped Z'') come as `warning: ...` lines and a `warnings` array.

use serde::Serialize;
use spelab_analysis::eis::drt::Drt;
use spelab_analysis::eis::kk::LinKkResult;
use spelab_analysis::eis::{CircuitFit, Weighting};

/// The JSON document of one fit (`spelab eis fit --json`).
#[derive(Serialize)]
pub struct FitJson<'a> {
    /// The file fitted (batch mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    circuit: &'a str,
    parameters: Vec<ParamJson<'a>>,
    chi2: f64,
    reduced_chi2: f64,
    pseudo_chi2: f64,
    points: usize,
    weighting: Weighting,
    termination: String,
    converged: bool,
    undetermined: &'a [String],
    starts: usize,
    starts_at_best: usize,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

#[derive(Serialize)]
struct ParamJson<'a> {
    name: &'a str,
    value: f64,
    std_error: Option<f64>,
    unit: &'a str,
    fixed: bool,
}

/// The JSON document of `fit`, naming `file` when given.
pub fn fit_json(fit: &CircuitFit, file: Option<String>) -> FitJson<'_> {
    FitJson {
        file,
        circuit: &fit.circuit,
        parameters: fit
            .parameters
            .iter()
            .map(|p| ParamJson {
                name: &p.name,
                value: p.value,
                std_error: p.std_error.is_finite().then_some(p.std_error),
                unit: &p.unit,
                fixed: p.fixed,
            })
            .collect(),
        chi2: fit.chi2,
        reduced_chi2: fit.reduced_chi2,
        pseudo_chi2: fit.pseudo_chi2,
        points: fit.points,
        weighting: fit.weighting,
        termination: fit.termination.to_string(),
        converged: fit.termination.converged(),
        undetermined: &fit.undetermined,
        starts: fit.starts,
        starts_at_best: fit.starts_at_best,
        warnings: &fit.warnings,
    }
}

/// `value` in `{:.prec$e}` right-aligned in `width`, or `n/a` when it is not finite.
fn number(value: f64, width: usize, precision: usize) -> String {
    if value.is_finite() {
        format!("{value:>width$.precision$e}")
    } else {
        format!("{:>width$}", "n/a")
    }
}

/// `warning: ...` lines.
fn warning_lines(warnings: &[String]) -> String {
    warnings.iter().map(|w| format!("warning: {w}\n")).collect()
}

/// The text report of a fit: parameters with standard errors and flags, χ², termination.
pub fn fit_text(fit: &CircuitFit) -> String {
    let mut s = format!("circuit {} ({} points, {:?} weights)\n", fit.circuit, fit.points, fit.weighting);
    s.push_str(&format!("  {:<14} {:>14} {:>12} {:>9}  unit\n", "parameter", "value", "std error", "rel"));
    for p in &fit.parameters {
        let rel = p.std_error / p.value.abs();
        let runaway = fit.undetermined.iter().any(|u| u.split(' ').next() == Some(p.name.as_str()));
        let flag = if p.fixed {
            "  (fixed)"
        } else if runaway {
            "  (ran off to infinity: not determined by the data)"
        } else if !p.identifiable() {
            "  (not identifiable: error > 100 %)"
        } else {
            ""
        };
        let rel = if rel.is_finite() { format!("{:>8.2}%", 100.0 * rel) } else { format!("{:>9}", "n/a") };
        // The value's digits stop at its standard error's second significant digit.
        let (value, std_error) = match spelab_core::units::scientific_with_uncertainty(p.value, p.std_error) {
            _ if !p.value.is_finite() => (number(p.value, 14, 4), number(p.std_error, 12, 2)),
            (v, _) if !p.std_error.is_finite() || p.std_error == 0.0 => {
                (format!("{v:>14}"), number(p.std_error, 12, 2))
            }
            (v, u) => (format!("{v:>14}"), format!("{u:>12}")),
        };
        s.push_str(&format!("  {:<14} {value} {std_error} {rel}  {}{flag}\n", p.name, p.unit));
    }
    if !fit.undetermined.is_empty() {
        s.push_str(&format!(
            "{}: the data are fitted as well in that limit; try the circuit without {}\n",
            fit.undetermined.join(", "),
            if fit.undetermined.len() == 1 { "that element" } else { "those elements" }
        ));
    }
    s.push_str(&format!(
        "chi2 {} (reduced {}), pseudo-chi2 {}\ntermination: {} ({} evaluations; {} of {} starts reached the best chi2)\n",
        number(fit.chi2, 0, 6), number(fit.reduced_chi2, 0, 6), number(fit.pseudo_chi2, 0, 6),
        fit.termination, fit.evaluations, fit.starts_at_best, fit.starts
    ));
    s + &warning_lines(&fit.warnings)
}

/// The one-line text report of a lin-KK test (with its warnings).
pub fn kk_text(kk: &LinKkResult) -> String {
    format!(
        "lin-KK: M = {}, mu = {:.4}, max |residual| = {:.3} % -> {} (threshold {:.3} %)\n{}",
        kk.m,
        kk.mu,
        100.0 * kk.max_residual,
        if kk.pass { "pass" } else { "FAIL" },
        100.0 * kk.threshold,
        warning_lines(&kk.warnings)
    )
}

/// The text report of a DRT: λ, R∞, residual and one line per peak (with its warnings).
pub fn drt_text(drt: &Drt) -> String {
    let mut text = format!(
        "DRT: lambda = {:.3e} ({}), R_inf = {:.6e} Ohm, rms relative residual {:.3e}\n",
        drt.lambda,
        if drt.lambda_from_gcv { "GCV" } else { "given" },
        drt.r_inf,
        drt.rms_relative_residual
    );
    for p in &drt.peaks {
        text.push_str(&format!(
            "  peak tau = {:.4e} s (f = {:.4e} Hz), R = {:.4e} Ohm\n",
            p.tau,
            1.0 / (2.0 * std::f64::consts::PI * p.tau),
            p.resistance
        ));
    }
    text + &warning_lines(&drt.warnings)
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_without_a_value_read_n_a() {
        assert_eq!(number(f64::NAN, 6, 2), "   n/a");
        assert_eq!(number(f64::INFINITY, 0, 2), "n/a");
        assert_eq!(number(1234.5, 0, 2), "1.23e3");
    }
}
