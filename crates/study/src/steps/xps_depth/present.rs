//! What the `xps-depth` step shows: the LiF-fraction metric per spectrum (etch depth as condition),
//! the table of component fractions, the fit figure and the note.

use spelab_analysis::peaks::spectroscopy::{XpsBackground, XpsFit, XpsOptions};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::Spectrum;
use spelab_report::{Figure, Table};

use crate::steps::spectral::{fit_figure, Record, SpectralSource};

/// The component the metric reports.
const TARGET: &str = "LiF";

/// The fraction table (filled by [`row`]).
pub(super) fn table() -> Table {
    Table {
        title: "F 1s components (area fractions)".into(),
        columns: [
            "material",
            "source",
            "depth [nm]",
            "LiF [%]",
            "C–F [%]",
            "FWHM [eV]",
            "χ²/dof",
            "input LiF [%]",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

fn depth_text(depth: Option<f64>) -> String {
    depth.map_or("—".into(), |d| format!("{:.1}", d * 1e9))
}

/// The table row of record `d` at `depth` [m].
pub(super) fn row(table: &mut Table, d: &Record<Spectrum>, depth: Option<f64>, r: &XpsFit) {
    let pct = |label: &str| {
        r.fit.component(label).map_or("—".into(), |c| {
            spelab_core::units::format_with_uncertainty(100.0 * c.fraction.0, 100.0 * c.fraction.1)
        })
    };
    table.rows.push(vec![
        d.material.id.clone(),
        d.source.clone(),
        depth_text(depth),
        pct(TARGET),
        pct("C-F"),
        format!("{:.2}", r.fit.components.first().map_or(f64::NAN, |c| c.fwhm)),
        format!("{:.3}", r.fit.reduced_chi2),
        d.input.map_or("—".into(), |i| format!("{:.1}", 100.0 * i)),
    ]);
}

/// The LiF fraction of record `d` at `depth` [m].
pub(super) fn metric(d: &Record<Spectrum>, depth: Option<f64>, r: &XpsFit, o: &XpsOptions) -> Option<Metric> {
    let c = r.fit.component(TARGET)?;
    let mut m = Metric::new(MetricId::LifFraction, c.fraction.0, d.source.clone())
        .with_material(d.material.id.clone())
        .with_method(format!(
            "XPS F 1s {:.1}–{:.1} eV, {:?} background, LiF (685.4 eV) and C–F (688.4 eV) pseudo-Voigt lines with one FWHM; LiF = area fraction",
            o.window.0, o.window.1, o.background
        ))
        .with_uncertainty(c.fraction.1);
    if let Some(z) = depth {
        m = m.with_condition("etch_depth_m", z);
    }
    if let Some(i) = d.input {
        m = m.with_input_value(i);
    }
    Some(m)
}

/// The fit figure of record `d` (index `k`).
pub(super) fn figure(
    k: usize,
    d: &Record<Spectrum>,
    depth: Option<f64>,
    r: &XpsFit,
    o: &XpsOptions,
) -> Figure {
    // The active Shirley is part of the fit (its envelope holds it): nothing was subtracted.
    let baseline = if o.background == XpsBackground::ActiveShirley {
        vec![0.0; r.fit.x.len()]
    } else {
        r.background.clone()
    };
    fit_figure(
        format!("xps-{}-{}", d.material.id, k + 1),
        format!("F 1s, {} ({}, depth {} nm)", d.material.preset.name, d.source, depth_text(depth)),
        "binding energy [eV]",
        &baseline,
        &r.fit,
    )
}

/// The note on the method (and the virtual lab).
pub(super) fn note(source: &SpectralSource) -> String {
    let base = "Area fractions assume equal sensitivity of the two F 1s chemical states; one FWHM is shared (methods.md §12). The paper's LiF share is at 10 nm (Fig. S16a).";
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::xps_f1s, seed {seed}): F 1s at 10 nm with the preset's LiF share (input) on a flat background; the recovered share is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base.to_string(),
    }
}
