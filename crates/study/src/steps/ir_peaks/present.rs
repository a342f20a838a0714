//! What the `ir-peaks` step shows: the `band_position` metrics, the tracked bands of every sample
//! (position, shift, input), every detected peak, the overlaid spectra and the note.

use spelab_analysis::peaks::spectroscopy::{IrOptions, IrSample};
use spelab_core::metric::{Conditions, Metric, MetricId};
use spelab_core::Spectrum;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use crate::steps::spectral::{Record, SpectralSource};

/// The sample name of record `d`: the material, and the file when measured.
pub(super) fn sample_name(d: &Record<Spectrum>) -> String {
    if d.input.is_some() {
        d.material.id.clone()
    } else {
        d.source.clone()
    }
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or("—".into(), |x| format!("{x:.digits$}"))
}

/// The tracked bands of every sample.
pub(super) fn bands_table(data: &[Record<Spectrum>], result: &[IrSample]) -> Table {
    let mut rows = Vec::new();
    for (d, s) in data.iter().zip(result) {
        for b in &s.bands {
            rows.push(vec![
                s.name.clone(),
                format!("{:.1}", b.band),
                if b.present { "yes" } else { "no" }.into(),
                opt(b.position, 2),
                opt(b.shift, 2),
                opt(d.input, 1),
            ]);
        }
    }
    Table {
        title: "Tracked FT-IR bands (shift relative to the first sample)".into(),
        columns: ["sample", "band [cm⁻¹]", "present", "position [cm⁻¹]", "shift [cm⁻¹]", "input [cm⁻¹]"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

/// The `band_position` metrics: one per sample and tracked band found, in SI (1/m), with the tracked
/// band's nominal position as condition `band_m_inv`; the virtual lab's input and the paper's value
/// (when the preset has one at that band) alongside.
pub(super) fn metrics(data: &[Record<Spectrum>], result: &[IrSample], o: &IrOptions) -> Vec<Metric> {
    let mut out = Vec::new();
    for (d, s) in data.iter().zip(result) {
        for b in &s.bands {
            let Some(position) = b.position else { continue };
            let conditions: Conditions = [("band_m_inv".to_string(), 100.0 * b.band)].into();
            let mut m = Metric::new(MetricId::BandPosition, 100.0 * position, d.source.clone())
                .with_material(d.material.id.clone())
                .with_condition("band_m_inv", 100.0 * b.band)
                .with_method(format!(
                    "FT-IR peak by prominence ≥ {} within ± {} cm⁻¹ of {} cm⁻¹, parabolic vertex through the maximum and its neighbours",
                    o.prominence, o.tolerance, b.band
                ));
            if let Some(i) = d.input {
                m = m.with_input_value(100.0 * i);
            }
            if let Some(p) = d.material.preset.paper_value(MetricId::BandPosition, &conditions) {
                m = m.with_paper_value(p.si_value);
            }
            out.push(m);
        }
    }
    out
}

/// Every detected peak of every sample.
pub(super) fn peaks_table(result: &[IrSample]) -> Table {
    let rows = result
        .iter()
        .flat_map(|s| {
            s.peaks.iter().map(|p| {
                vec![
                    s.name.clone(),
                    format!("{:.2}", p.position),
                    format!("{:.4}", p.height),
                    format!("{:.4}", p.prominence),
                ]
            })
        })
        .collect();
    Table {
        title: "Detected FT-IR peaks".into(),
        columns: ["sample", "position [cm⁻¹]", "height", "prominence"].map(String::from).to_vec(),
        rows,
    }
}

/// The overlaid spectra in the window, tracked band positions marked.
pub(super) fn figure(data: &[Record<Spectrum>], result: &[IrSample], o: &IrOptions) -> Figure {
    let mut fig = Figure::new(
        "ir-peaks",
        "FT-IR spectra and tracked bands",
        Axis::linear("wavenumber [cm⁻¹]"),
        Axis::linear(if o.to_absorbance { "−log₁₀(signal)" } else { "signal" }),
    );
    for (k, (d, s)) in data.iter().zip(result).enumerate() {
        let (x, y): (Vec<f64>, Vec<f64>) = d
            .measurement
            .x_display()
            .into_iter()
            .zip(d.measurement.y())
            .filter(|(x, _)| *x >= o.window.0 && *x <= o.window.1)
            .map(|(x, y)| (x, if o.to_absorbance { -y.log10() } else { *y }))
            .unzip();
        fig = fig.with_series(Series::line(s.name.clone(), x, y).with_color(k));
        for b in s.bands.iter().filter_map(|b| b.position) {
            fig = fig.with_marker(Marker::vertical(format!("{} {b:.1}", s.name), b));
        }
    }
    fig.with_caption(
        "Each sample's spectrum in the window; vertical lines: the refined positions of the tracked bands.",
    )
}

/// The note on the method (and the virtual lab).
pub(super) fn note(source: &SpectralSource) -> String {
    let base = "Peaks by prominence, positions refined by the parabola through the maximum and its neighbours; a tracked band is present when a peak lies within the tolerance. Shifts are relative to the first sample.";
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::ir_carbonyl_band, seed {seed}): a Lorentzian DMF C=O band at each preset's position (input); the recovered shift is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base.to_string(),
    }
}
