//! What the `raman-speciation` step shows: the free-anion metric, the table of the three fractions,
//! the fit figure and the note on the method.

use spelab_analysis::peaks::spectroscopy::{RamanOptions, Speciation};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::Spectrum;
use spelab_report::{Figure, Table};

use crate::steps::spectral::{fit_figure, Record, SpectralSource};

/// Temperature of the paper's Raman spectra and of the virtual ones (room temperature) [K].
const ROOM_TEMPERATURE: f64 = 298.15;

/// The fraction table (filled by [`row`]).
pub(super) fn table() -> Table {
    Table {
        title: "TFSI⁻ speciation (band area fractions)".into(),
        columns: [
            "material",
            "source",
            "free [%]",
            "CIP [%]",
            "AGG [%]",
            "FWHM [cm⁻¹]",
            "χ²/dof",
            "input free [%]",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

/// Percent with its SE.
fn pct((v, se): (f64, f64)) -> String {
    spelab_core::units::format_with_uncertainty(100.0 * v, 100.0 * se)
}

/// The table row of record `d`.
pub(super) fn row(table: &mut Table, d: &Record<Spectrum>, r: &Speciation) {
    table.rows.push(vec![
        d.material.id.clone(),
        d.source.clone(),
        pct(r.free_anion_fraction),
        pct(r.contact_ion_pair_fraction),
        pct(r.aggregate_fraction),
        format!("{:.2}", r.fit.components.first().map_or(f64::NAN, |c| c.fwhm)),
        format!("{:.3}", r.fit.reduced_chi2),
        d.input.map_or("—".into(), |i| format!("{:.1}", 100.0 * i)),
    ]);
}

/// The free-anion fraction of record `d`.
pub(super) fn metric(d: &Record<Spectrum>, r: &Speciation, o: &RamanOptions) -> Metric {
    let (v, se) = r.free_anion_fraction;
    let mut m = Metric::new(MetricId::FreeAnionFraction, v, d.source.clone())
        .with_material(d.material.id.clone())
        .with_method(format!(
            "Raman TFSI⁻ band {:.0}–{:.0} cm⁻¹: linear baseline, free / CIP / AGG pseudo-Voigt bands at {:.1} / {:.1} / {:.1} ± {} cm⁻¹ (shared FWHM and η); free = area fraction",
            o.window.0, o.window.1, o.centers[0], o.centers[1], o.centers[2], o.center_tolerance
        ))
        .with_uncertainty(se);
    if let Some(i) = d.input {
        m = m.with_input_value(i).with_condition("temperature_K", ROOM_TEMPERATURE);
    }
    m
}

/// The fit figure of record `d` (index `k`).
pub(super) fn figure(k: usize, d: &Record<Spectrum>, r: &Speciation) -> Figure {
    fit_figure(
        format!("raman-{}-{}", d.material.id, k + 1),
        format!("Raman TFSI⁻ band, {} ({})", d.material.preset.name, d.source),
        "Raman shift [cm⁻¹]",
        &r.baseline,
        &r.fit,
    )
}

/// The note on the method (and on the virtual lab).
pub(super) fn note(source: &SpectralSource, _o: &RamanOptions) -> String {
    let base = "Free (SSIP), contact-ion-pair and aggregate TFSI⁻ bands share one FWHM and η: bands 3–4 cm⁻¹ apart with free widths are poorly determined (methods.md §11). Area fractions assume equal Raman cross-sections.";
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::raman_tfsi_band, seed {seed}): each band drawn from the preset's free fraction (input), the bound anions split 70 : 30 CIP : AGG (assumption); the recovered fraction is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base.to_string(),
    }
}
