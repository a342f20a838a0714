//! What the `exchange-current` step shows: the metric (iR-corrected symmetric BV i₀ when R_b is
//! known, else the paper-style Tafel i₀), the table of every fit, and one Tafel plot per data set.

use spelab_analysis::exchange::{ExchangeCurrent, KineticFits};
use spelab_core::constants::{FARADAY, GAS_CONSTANT};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};

use super::Dataset;
use crate::steps::display::mv;

/// The fit table (filled by [`rows`]).
pub(super) fn table() -> Table {
    Table {
        title: "Exchange current density fits (paper-style = uncorrected cell voltage)".into(),
        columns: ["material", "voltage axis", "method", "i₀ [mA/cm²]", "α", "R²"].map(String::from).to_vec(),
        rows: Vec::new(),
    }
}

/// The rows of every fit in `f`.
pub(super) fn rows(table: &mut Table, material: &str, label: &str, f: &KineticFits) {
    let ma = |j: f64| Quantity::CurrentDensity.to_display(j);
    for t in [&f.tafel_anodic, &f.tafel_cathodic].into_iter().flatten() {
        table.rows.push(vec![
            material.into(),
            label.into(),
            format!(
                "Tafel {} ({:.0}–{:.0} mV per electrode)",
                if t.anodic { "anodic" } else { "cathodic" },
                mv(t.window.0),
                mv(t.window.1)
            ),
            spelab_core::units::format_with_uncertainty(ma(t.i0), ma(t.i0_std_error)),
            format!("{:.3}", t.alpha),
            format!("{:.5}", t.line.r_squared),
        ]);
    }
    for (name, b) in [
        ("BV symmetric 2i₀ sinh(Fη/4RT)", Some(&f.bv_symmetric)),
        ("BV asymmetric (α free)", f.bv_asymmetric.as_ref()),
    ] {
        if let Some(b) = b {
            table.rows.push(vec![
                material.into(),
                label.into(),
                name.into(),
                spelab_core::units::format_with_uncertainty(ma(b.i0), ma(b.i0_std_error)),
                spelab_core::units::format_with_uncertainty(b.alpha, b.alpha_std_error),
                format!("{:.5}", b.r_squared),
            ]);
        }
    }
}

/// The step's metric for data set `d` (electrode `area` [m²]).
pub(super) fn metric(d: &Dataset, r: &ExchangeCurrent, area: f64) -> Metric {
    let (value, se, method) = match &r.corrected {
        Some(c) => (
            c.bv_symmetric.i0,
            c.bv_symmetric.i0_std_error,
            "symmetric Butler–Volmer fit j = 2 i₀ sinh(Fη/4RT), iR-corrected η = V − I R_b".to_string(),
        ),
        None => match (&r.uncorrected.tafel_anodic, r.uncorrected.tafel_i0()) {
            (Some(t), Some(i0)) => (
                i0,
                t.i0_std_error,
                "Tafel, paper-style (uncorrected cell voltage), automatic window search".to_string(),
            ),
            _ => (
                r.uncorrected.bv_symmetric.i0,
                r.uncorrected.bv_symmetric.i0_std_error,
                "symmetric Butler–Volmer fit, paper-style (uncorrected)".to_string(),
            ),
        },
    };
    let mut m = Metric::new(MetricId::ExchangeCurrentDensity, value, d.source.clone())
        .with_material(d.material.id.clone())
        .with_method(format!(
            "{method}; T = {:.2} K; area {:.4} cm²",
            d.temperature,
            Quantity::Area.to_display(area)
        ))
        .with_condition("temperature_K", d.temperature);
    if let Some(i) = d.input {
        m = m.with_input_value(i);
    }
    // An exact (noise-free) fit has an SE at rounding level: reported as no uncertainty.
    if se > 1e-6 * value.abs() {
        m = m.with_uncertainty(se);
    }
    m
}

/// At most this many data points per material are drawn (evenly thinned), so the fitted line stays
/// visible over them.
const MAX_DRAWN_POINTS: usize = 30;

/// Adds data set `d` (colour `k`) to the one Tafel plot of the step (created by the first call):
/// |j| against the cell overpotential, the symmetric BV fit, and dashed Tafel lines (the fitted
/// ones when a Tafel window passed, else the BV fit's high-overpotential asymptote).
pub(super) fn tafel_plot(fig: Option<Figure>, k: usize, d: &Dataset, r: &ExchangeCurrent) -> Figure {
    let fits = r.corrected.as_ref().unwrap_or(&r.uncorrected);
    let axis = if r.corrected.is_some() { "η = V − I R_b [mV]" } else { "V (uncorrected) [mV]" };
    let ma = |j: f64| Quantity::CurrentDensity.to_display(j.abs());
    let pts: Vec<(f64, f64)> = fits
        .eta_cell
        .iter()
        .zip(&d.current_density)
        .filter(|(_, j)| **j != 0.0)
        .map(|(e, j)| (mv(*e), ma(*j)))
        .collect();
    let every = pts.len().div_ceil(MAX_DRAWN_POINTS).max(1);
    let shown: Vec<&(f64, f64)> = pts.iter().step_by(every).collect();
    let name = &d.material.preset.name;
    let fig = fig
        .unwrap_or_else(|| Figure::new("tafel", "Tafel plot", Axis::linear(axis), Axis::log("|j| [mA/cm²]")));
    let mut fig = fig.with_series(
        Series::markers(
            format!("{name} data"),
            shown.iter().map(|p| p.0).collect::<Vec<_>>(),
            shown.iter().map(|p| p.1).collect::<Vec<_>>(),
        )
        .with_color(k),
    );
    let bv = &fits.bv_symmetric;
    let f = FARADAY / (GAS_CONSTANT * d.temperature);
    let eta_max = fits.eta_cell.iter().fold(0.0_f64, |m, e| m.max(e.abs()));
    let grid: Vec<f64> = (1..=80).map(|i| eta_max * i as f64 / 80.0).collect();
    fig = fig.with_series(
        Series::line(
            format!("{name} BV fit, i₀ = {:.3} mA/cm²", ma(bv.i0)),
            grid.iter().map(|e| mv(*e)).collect::<Vec<_>>(),
            grid.iter().map(|e| ma(2.0 * bv.i0 * (f * e / 4.0).sinh())).collect::<Vec<_>>(),
        )
        .with_color(k),
    );
    let tafel: Vec<_> = [&fits.tafel_anodic, &fits.tafel_cathodic].into_iter().flatten().collect();
    if tafel.is_empty() {
        // j = 2 i₀ sinh(Fη/4RT) → i₀ exp(Fη/4RT) at high η: a straight line that meets i₀ at η = 0.
        fig = fig.with_series(
            Series::dashed(
                format!("{name} BV asymptote i₀ exp(Fη/4RT)"),
                vec![0.0, mv(eta_max)],
                vec![ma(bv.i0), ma(bv.i0 * (f * eta_max / 4.0).exp())],
            )
            .with_color(k),
        );
    }
    for t in tafel {
        // Tafel line from η = 0 (intercept i₀) to the window's far end, in cell overpotential.
        let far = 2.0 * t.window.1;
        let xs = [0.0, mv(far)];
        let ys = [ma(t.i0), ma(10f64.powf(t.line.at(far.abs() / 2.0)))];
        let branch = if t.anodic { "anodic" } else { "cathodic" };
        fig = fig.with_series(
            Series::dashed(format!("{name} Tafel {branch}"), xs.to_vec(), ys.to_vec()).with_color(k),
        );
    }
    fig
}

/// The Tafel plot's caption.
pub(super) fn tafel_caption(fig: Figure) -> Figure {
    fig.with_caption(
        "Both materials on one plot. Markers: |j| against the (corrected when R_b is known) cell overpotential, \
         evenly thinned to at most 30 points each; solid lines: symmetric BV fits; dashed: the fitted Tafel lines \
         extrapolated to η = 0, or where no Tafel window passed, the BV fit's high-overpotential asymptote \
         i₀ exp(Fη/4RT); both meet i₀ at η = 0.",
    )
}
