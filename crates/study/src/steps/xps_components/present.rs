//! What the `xps-components` step shows: one `component_fraction` metric per component, the table of
//! components (centre, FWHM, area, fraction with standard errors), the fit figure and the note.

use spelab_analysis::peaks::spectroscopy::{XpsBackground, XpsFit, XpsOptions};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::Spectrum;
use spelab_report::{Figure, Table};

use crate::steps::spectral::{fit_figure, Record, SpectralSource};

/// The component whose fraction the virtual lab's input is (the preset's LiF share).
const VIRTUAL_TARGET: &str = "LiF";

/// The component table (filled by [`rows`]).
pub(super) fn table() -> Table {
    Table {
        title: "XPS components".into(),
        columns: [
            "material",
            "source",
            "component",
            "centre [eV]",
            "FWHM [eV]",
            "area",
            "fraction [%]",
            "χ²/dof",
            "input [%]",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

/// One row per component of record `d`.
pub(super) fn rows(table: &mut Table, d: &Record<Spectrum>, r: &XpsFit) {
    for c in &r.fit.components {
        let input = match d.input {
            Some(i) if c.label == VIRTUAL_TARGET => format!("{:.1}", 100.0 * i),
            _ => "—".into(),
        };
        table.rows.push(vec![
            d.material.id.clone(),
            d.source.clone(),
            c.label.clone(),
            spelab_core::units::format_with_uncertainty(c.center.0, c.center.1),
            format!("{:.3}", c.fwhm),
            spelab_core::units::format_with_uncertainty(c.area.0, c.area.1),
            spelab_core::units::format_with_uncertainty(100.0 * c.fraction.0, 100.0 * c.fraction.1),
            format!("{:.3}", r.fit.reduced_chi2),
            input,
        ]);
    }
}

/// The `component_fraction` metrics of record `d` (label in the `component` option).
pub(super) fn metrics(d: &Record<Spectrum>, r: &XpsFit, o: &XpsOptions) -> Vec<Metric> {
    let method = format!(
        "XPS {:.2}–{:.2} eV, {:?} background, {:?} lines{}{}; fraction = area / total area (no sensitivity factors within one core level)",
        o.window.0,
        o.window.1,
        o.background,
        o.shape,
        if o.shared_width { " with one FWHM" } else { "" },
        if r.shift != 0.0 { format!(", charge-referenced by {:+.2} eV", r.shift) } else { String::new() },
    );
    r.fit
        .components
        .iter()
        .map(|c| {
            let mut m = Metric::new(MetricId::ComponentFraction, c.fraction.0, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(method.clone())
                .with_uncertainty(c.fraction.1)
                .with_option("component", c.label.clone());
            if let (Some(i), true) = (d.input, c.label == VIRTUAL_TARGET) {
                m = m.with_input_value(i);
            }
            m
        })
        .collect()
}

/// The fit figure of record `d` (index `k`).
pub(super) fn figure(k: usize, d: &Record<Spectrum>, r: &XpsFit, o: &XpsOptions) -> Figure {
    // The active Shirley is part of the fit (its envelope holds it): nothing was subtracted.
    let baseline = if o.background == XpsBackground::ActiveShirley {
        vec![0.0; r.fit.x.len()]
    } else {
        r.background.clone()
    };
    let labels: Vec<&str> = r.fit.components.iter().map(|c| c.label.as_str()).collect();
    fit_figure(
        format!("xps-components-{}-{}", d.material.id, k + 1),
        format!("{} ({}, {})", labels.join(" / "), d.material.preset.name, d.source),
        "binding energy [eV]",
        &baseline,
        &r.fit,
    )
}

/// The note on the method (and the virtual lab).
pub(super) fn note(source: &SpectralSource, o: &XpsOptions) -> String {
    let doublets: Vec<String> = o
        .components
        .iter()
        .filter_map(|c| {
            c.doublet.as_ref().map(|(l, s, a)| format!("{l} = {} + {s} eV, area ratio {a}", c.label))
        })
        .collect();
    let mut base = String::from(
        "Area fractions of one core level assume equal sensitivity of its chemical states (methods.md §12); standard errors from the fit's covariance.",
    );
    if !doublets.is_empty() {
        base.push_str(&format!(" Doublets held fixed: {}.", doublets.join("; ")));
    }
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::xps_f1s, seed {seed}): F 1s at 10 nm with the preset's LiF share (input) on a flat background; the recovered share is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base,
    }
}
