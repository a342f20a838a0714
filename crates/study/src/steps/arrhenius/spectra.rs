//! The impedance sources of the `arrhenius` step: measured spectra at several temperatures, and the
//! virtual lab's SS|SPE|SS blocking-cell spectra recorded by spelab-sim's EIS instrument. Both go
//! through `spelab_analysis::arrhenius_eis` (R_b per spectrum, σ = L/(R_b A), Arrhenius fit).

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::arrhenius::ArrheniusForm;
use spelab_analysis::arrhenius_eis::{
    arrhenius_from_spectra, BulkMethod, CellGeometry, ConductivityPoint, SpectrumAtTemperature,
};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use spelab_report::{Figure, Table};
use spelab_sim::lab;

use crate::inputs::read_spectrum;
use crate::spec::Material;
use crate::steps::nyquist_figure::{nyquist_figure, NyquistSpectrum};

/// σ(T) of one material from its spectra.
pub(super) struct EisSeries {
    /// One point per spectrum (R_b, σ, fit).
    pub points: Vec<ConductivityPoint>,
    /// The spectra, in the same order.
    pub spectra: Vec<ImpedanceSpectrum>,
    /// How R_b was read, in words.
    pub method: String,
    /// Geometry used.
    pub geometry: CellGeometry,
}

/// Analyses `(label, temperature, spectrum)` triples into σ(T) (the Arrhenius fit itself is redone by
/// the step on the points, with the step's options).
fn analyse(
    items: Vec<(String, f64, ImpedanceSpectrum)>,
    geometry: CellGeometry,
    method: &BulkMethod,
) -> anyhow::Result<EisSeries> {
    let inputs: Vec<SpectrumAtTemperature<'_>> = items
        .iter()
        .map(|(label, t, s)| SpectrumAtTemperature { label: label.clone(), temperature: *t, spectrum: s })
        .collect();
    let result = arrhenius_from_spectra(&inputs, &geometry, method, ArrheniusForm::Sigma)?;
    Ok(EisSeries {
        points: result.points,
        spectra: items.into_iter().map(|(_, _, s)| s).collect(),
        method: method.describe(),
        geometry,
    })
}

/// Reads measured spectra; temperatures from `temperatures` (same order as `files`) or, when not
/// given, from each file's metadata. Errors name the file.
pub(super) fn measured(
    files: &[(String, PathBuf)],
    temperatures: Option<&[f64]>,
    geometry: CellGeometry,
    method: &BulkMethod,
) -> anyhow::Result<EisSeries> {
    let items = files
        .iter()
        .enumerate()
        .map(|(k, (label, path))| {
            let spectrum = read_spectrum(path)
                .with_context(|| format!("{label}: not an impedance spectrum spelab can read"))?;
            let temperature = match temperatures {
                Some(ts) => ts[k],
                None => spectrum.meta().temperature.with_context(|| {
                    format!(
                        "{label}: the file states no temperature; give `temperatures = [...]` in the order of `files`"
                    )
                })?,
            };
            Ok((label.clone(), temperature, spectrum))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    analyse(items, geometry, method)
}

/// Records the virtual SS|SPE|SS spectrum of `material` at each temperature with the lab's
/// blocking-cell instrument ([`lab::arrhenius_series`]: electrode `area` [m²], relative impedance
/// noise `noise`, the k-th spectrum seeded `seed + k`) and analyses it. Returns the series and the
/// preset's (Ea [J/mol], σ25 [S/m]).
pub(super) fn virtual_lab(
    material: &Material,
    temperatures: &[f64],
    area: f64,
    noise: f64,
    seed: u64,
    method: &BulkMethod,
) -> anyhow::Result<(EisSeries, (f64, f64))> {
    let p = material.preset.material_params().with_context(|| format!("material '{}'", material.id))?;
    let options = lab::BlockingEis { area, relative_noise: noise, ..Default::default() };
    let spectra = lab::arrhenius_series(&p, temperatures, &options, seed)
        .with_context(|| format!("material '{}': virtual EIS", material.id))?;
    let items = temperatures
        .iter()
        .zip(spectra)
        .map(|(&t, spectrum)| {
            (
                format!("virtual {} SS|SPE|SS at {:.1} °C", material.id, Quantity::Temperature.to_display(t)),
                t,
                spectrum,
            )
        })
        .collect();
    let series = analyse(items, CellGeometry::new(p.thickness, area), method)
        .with_context(|| format!("material '{}'", material.id))?;
    Ok((series, (p.activation_energy, p.ionic_conductivity_25c)))
}

/// Rows of the per-spectrum table: material, spectrum, T, R_b, σ.
pub(super) fn rows(table: &mut Table, material: &str, series: &EisSeries) {
    for p in &series.points {
        let c = &p.conductivity;
        table.rows.push(vec![
            material.to_string(),
            p.label.clone(),
            format!("{:.1} °C", Quantity::Temperature.to_display(p.temperature)),
            spelab_core::units::format_with_uncertainty(c.bulk_resistance.value, c.bulk_resistance.std_error),
            c.bulk_resistance.method.to_string(),
            spelab_core::units::format_with_uncertainty(
                Quantity::Conductivity.to_display(c.sigma),
                Quantity::Conductivity.to_display(c.std_error),
            ),
        ]);
    }
}

/// The per-spectrum table (filled by [`rows`]).
pub(super) fn table() -> Table {
    Table {
        title: "σ(T) from impedance spectra, σ = L/(R_b A)".into(),
        columns: ["material", "spectrum", "T", "R_b [Ω]", "R_b method", "σ [mS/cm]"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    }
}

/// Nyquist plot of one material's spectra: one colour per temperature (sequential map), the fitted
/// circuit over the points, R_b on the real axis, equal units, and an inset on the hottest spectra.
pub(super) fn nyquist(material: &Material, series: &EisSeries) -> Figure {
    let items: Vec<NyquistSpectrum<'_>> = series
        .spectra
        .iter()
        .zip(&series.points)
        .map(|(s, p)| NyquistSpectrum {
            label: format!("{:.1} °C", Quantity::Temperature.to_display(p.temperature)),
            spectrum: s,
            bulk_resistance: p.conductivity.bulk_resistance.value,
            fit: p.fit.as_ref(),
        })
        .collect();
    let fitted =
        if series.points.iter().any(|p| p.fit.is_some()) { "lines: the fitted circuit; " } else { "" };
    nyquist_figure(
        format!("arrhenius-nyquist-{}", material.id),
        format!("Impedance spectra of {} at each temperature", material.preset.name),
        &items,
    )
    .with_caption(format!(
        "{}; L = {:.1} µm, A = {:.3} cm². Points: spectra, coloured from the coldest (dark purple) to the \
         hottest (orange); {fitted}rings: R_b on the real axis. Equal units on both axes; Z' up to {:.1} × the largest R_b \
         (the low-frequency spikes run off the top); the inset, when shown, zooms on the smallest R_b. R_b falls \
         as the temperature rises.",
        series.method,
        Quantity::Length.to_display(series.geometry.thickness),
        Quantity::Area.to_display(series.geometry.area),
        2.5
    ))
}
