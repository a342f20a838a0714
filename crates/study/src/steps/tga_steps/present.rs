//! What the `tga-steps` step shows: the residual-solvent metric, the table of steps, the mass and DTG
//! figure and the note.

use spelab_analysis::thermal::{TgaOptions, TgaResult};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::Thermogram;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use crate::steps::spectral::{Record, SpectralSource};

const C0: f64 = 273.15;

/// The step table (filled by [`rows`]).
pub(super) fn table() -> Table {
    Table {
        title: "TGA mass-loss steps".into(),
        columns: [
            "material",
            "source",
            "step",
            "from [°C]",
            "to [°C]",
            "loss [wt%]",
            "DTG peak [°C]",
            "input solvent [wt%]",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

/// The table rows of record `d`, one per step.
pub(super) fn rows(table: &mut Table, d: &Record<Thermogram>, r: &TgaResult) {
    for (k, s) in r.steps.iter().enumerate() {
        table.rows.push(vec![
            d.material.id.clone(),
            d.source.clone(),
            (k + 1).to_string(),
            format!("{:.1}", s.from - C0),
            format!("{:.1}", s.to - C0),
            format!("{:.3}", s.loss),
            format!("{:.1}", s.dtg_peak_temperature - C0),
            if k == 0 {
                d.input.map_or("—".into(), |i| format!("{:.2}", 100.0 * i))
            } else {
                String::new()
            },
        ]);
    }
}

/// The residual solvent content of record `d`, when the solvent step exists.
pub(super) fn metric(d: &Record<Thermogram>, r: &TgaResult, o: &TgaOptions) -> Option<Metric> {
    let v = r.residual_solvent_content?;
    let k = o.solvent_step.unwrap_or(0);
    let s = r.steps.get(k)?;
    let how = if o.boundaries.is_some() {
        "given boundaries"
    } else {
        "boundaries at the DTG maxima between loss peaks"
    };
    let mut m = Metric::new(MetricId::ResidualSolventContent, v, d.source.clone())
        .with_material(d.material.id.clone())
        .with_method(format!(
            "TGA mass loss of step {} ({:.1}–{:.1} °C, {how}) relative to the initial mass",
            k + 1,
            s.from - C0,
            s.to - C0
        ));
    if let Some(i) = d.input {
        m = m.with_input_value(i);
    }
    Some(m)
}

/// The figure of record `d` (index `k`): mass and DTG against temperature, step boundaries marked.
pub(super) fn figure(k: usize, d: &Record<Thermogram>, r: &TgaResult) -> Figure {
    let t: Vec<f64> = r.temperature.iter().map(|t| t - C0).collect();
    // DTG scaled onto the mass axis: its deepest point 20 % below the lowest mass.
    let low = r.mass_percent.iter().copied().fold(f64::INFINITY, f64::min);
    let deepest = r.dtg.iter().copied().fold(0.0_f64, f64::min);
    let scale = if deepest < 0.0 { 20.0 / -deepest } else { 0.0 };
    let dtg: Vec<f64> = r.dtg.iter().map(|g| low - 5.0 + scale * g).collect();
    let mut fig = Figure::new(
        format!("tga-{}-{}", d.material.id, k + 1),
        format!("TGA, {} ({})", d.material.preset.name, d.source),
        Axis::linear("temperature [°C]"),
        Axis::linear("mass [%]"),
    )
    .with_series(Series::line("mass", t.clone(), r.mass_percent.clone()))
    .with_series(Series::dashed("DTG (scaled, offset)", t, dtg).with_color(2));
    for s in &r.steps {
        fig = fig.with_marker(Marker::vertical(format!("{:.0} °C", s.to - C0), s.to - C0));
    }
    fig.with_caption("Mass against temperature; dashed: the DTG curve scaled and offset below it (minima are the steepest losses); vertical lines: step ends.")
}

/// The note on the method (and the virtual lab).
pub(super) fn note(source: &SpectralSource) -> String {
    let base = "The residual solvent is the loss of the solvent step relative to the initial mass; a step boundary at the DTG maximum between two loss peaks leaves the overlapping tails in the neighbouring steps.";
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::tga_solvent_loss, seed {seed}): the preset's solvent content (input) lost around 150 °C, then 60 % decomposition around 450 °C (assumed); the recovered content is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base.to_string(),
    }
}
