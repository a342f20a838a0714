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

/// The Tafel plot of data set `d` (colour `k`): |j| against the cell overpotential, the symmetric
/// BV fit and the Tafel lines.
pub(super) fn tafel_plot(k: usize, d: &Dataset, r: &ExchangeCurrent) -> Figure {
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
    let mut fig = Figure::new(
        format!("tafel-{}", d.material.id),
        format!("Tafel plot, {}", d.material.preset.name),
        Axis::linear(axis),
        Axis::log("|j| [mA/cm²]"),
    )
    .with_series(
        Series::markers(
            "data",
            pts.iter().map(|p| p.0).collect::<Vec<_>>(),
            pts.iter().map(|p| p.1).collect::<Vec<_>>(),
        )
        .with_color(k),
    );
    let bv = &fits.bv_symmetric;
    let f = FARADAY / (GAS_CONSTANT * d.temperature);
    let bv_pts: Vec<(f64, f64)> = fits
        .eta_cell
        .iter()
        .filter(|e| **e != 0.0)
        .map(|e| (mv(*e), ma(2.0 * bv.i0 * (f * e / 4.0).sinh())))
        .collect();
    fig = fig.with_series(Series::line(
        "BV fit",
        bv_pts.iter().map(|p| p.0).collect::<Vec<_>>(),
        bv_pts.iter().map(|p| p.1).collect::<Vec<_>>(),
    ));
    for t in [&fits.tafel_anodic, &fits.tafel_cathodic].into_iter().flatten() {
        // Tafel line from η = 0 (intercept i₀) to the window's far end, in cell overpotential.
        let far = 2.0 * t.window.1;
        let xs = [0.0, mv(far)];
        let ys = [ma(t.i0), ma(10f64.powf(t.line.at(far.abs() / 2.0)))];
        fig = fig.with_series(Series::dashed(
            format!("Tafel {}", if t.anodic { "anodic" } else { "cathodic" }),
            xs.to_vec(),
            ys.to_vec(),
        ));
    }
    fig.with_caption(
        "Markers: |j| against the (corrected when R_b is known) cell overpotential; line: symmetric BV fit; dashed: Tafel lines from their automatically chosen windows extrapolated to η = 0, where they meet i₀.",
    )
}
