//! What the `dsc-crystallinity` step shows: the crystallinity metric, the table of enthalpies and
//! temperatures, the endotherm figure and the note naming the assumptions (w, ΔH_m⁰).

use spelab_analysis::thermal::{DscOptions, DscResult};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::Thermogram;
use spelab_report::{Axis, Figure, Series, Table};

use crate::steps::spectral::{Record, SpectralSource};

const C0: f64 = 273.15;

/// The result table (filled by [`row`]).
pub(super) fn table() -> Table {
    Table {
        title: "DSC melting endotherm".into(),
        columns: [
            "material",
            "source",
            "ΔH_m [J/g]",
            "ΔH_m (T-integral) [J/g]",
            "T_peak [°C]",
            "T_onset [°C]",
            "X_c [%]",
            "input X_c [%]",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    }
}

/// The table row of record `d`.
pub(super) fn row(table: &mut Table, d: &Record<Thermogram>, r: &DscResult) {
    table.rows.push(vec![
        d.material.id.clone(),
        d.source.clone(),
        format!("{:.3}", r.enthalpy / 1e3),
        format!("{:.3}", r.enthalpy_temperature_integral / 1e3),
        format!("{:.2}", r.peak_temperature - C0),
        format!("{:.2}", r.onset_temperature - C0),
        format!("{:.2}", 100.0 * r.crystallinity),
        d.input.map_or("—".into(), |i| format!("{:.1}", 100.0 * i)),
    ]);
}

/// The crystallinity of record `d`.
pub(super) fn metric(d: &Record<Thermogram>, r: &DscResult, o: &DscOptions) -> Metric {
    let mut m = Metric::new(MetricId::Crystallinity, r.crystallinity, d.source.clone())
        .with_material(d.material.id.clone())
        .with_method(format!(
            "DSC melting endotherm {:.1}–{:.1} °C above a straight baseline in time; X_c = (ΔH_m − ΔH_cc)/(w ΔH_m⁰), w = {} (assumed), ΔH_m⁰ = {} J/g, ΔH_cc = {} J/g",
            o.window.0 - C0,
            o.window.1 - C0,
            o.polymer_fraction,
            o.reference_enthalpy / 1e3,
            o.cold_crystallisation / 1e3
        ))
        .with_option("polymer_fraction", o.polymer_fraction.to_string())
        .with_option("reference_enthalpy", format!("{} J/g", o.reference_enthalpy / 1e3));
    if let Some(i) = d.input {
        m = m.with_input_value(i);
    }
    m
}

/// The endotherm figure of record `d` (index `k`): signal, baseline and window.
pub(super) fn figure(k: usize, d: &Record<Thermogram>, r: &DscResult) -> Figure {
    let t: Vec<f64> = r.temperature.iter().map(|t| t - C0).collect();
    let residual: Vec<f64> = r.signal.iter().zip(&r.baseline).map(|(s, b)| s - b).collect();
    Figure::new(
        format!("dsc-{}-{}", d.material.id, k + 1),
        format!("DSC melting endotherm, {} ({})", d.material.preset.name, d.source),
        Axis::linear("temperature [°C]"),
        Axis::linear("heat flow, endo up [W/kg]"),
    )
    .with_series(Series::line("data", t.clone(), r.signal.clone()))
    .with_series(Series::dashed("baseline", t.clone(), r.baseline.clone()))
    .with_series(Series::line("endotherm (data − baseline)", t, residual).with_color(2))
    .with_caption("The integrated window: the heat flow, the straight baseline between the window ends and the endotherm above it, whose area over the heating rate is ΔH_m.")
}

/// The note naming the assumptions (and the virtual lab).
pub(super) fn note(source: &SpectralSource, o: &DscOptions) -> String {
    let base = format!(
        "X_c assumes a polymer mass fraction w = {} of the sample (PVDF-HFP : LiTFSI 1 : 1 by mass when not given; the paper gives X_c only) and ΔH_m⁰ = {} J/g for 100 % crystalline PVDF (Nakagawa & Ishida 1973); X_c scales as 1/w and 1/ΔH_m⁰.",
        o.polymer_fraction,
        o.reference_enthalpy / 1e3
    );
    match source {
        SpectralSource::Virtual { seed, .. } => format!(
            "{base} Virtual lab (spelab_sim::lab::dsc_melting, seed {seed}): a Gaussian endotherm of ΔH_m = X_c · w · ΔH_m⁰ with the preset's X_c (input) and w = 0.5; the recovered X_c is a round trip, not a measurement."
        ),
        SpectralSource::Measured { .. } => base,
    }
}
