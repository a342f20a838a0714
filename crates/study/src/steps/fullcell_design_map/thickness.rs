//! The `thicknesses` panels of the `full-cell-design-map` step: the σ × t₊ map at each membrane
//! thickness as a row of small panels (iso-lines, materials marked) under a plot of each marked
//! material's low- and high-rate capacity against thickness (read off each map at its measured σ and
//! t₊, [`DesignMap::value_at`]; their ratio alone would hide a low-rate capacity that itself collapses
//! on a thick membrane), and a table of the same with the ratio and the σ each material would need for
//! `level` at its own t₊.

use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::fullcell::design_map::DesignMap;
use spelab_sim::params::MaterialParams;

use super::present::{map_figure, masked_ratio, ms_cm, COLLAPSED};
use crate::steps::StepOutput;

/// Adds the thickness figure, table and note to `out`; `maps` are the panels, thinnest first.
pub(super) fn output(
    material: &str,
    maps: &[DesignMap],
    marks: &[(String, MaterialParams)],
    level: f64,
    out: &mut StepOutput,
) {
    let Some(first) = maps.first() else { return };
    let (lo, hi) = (first.grid.low_rate, first.grid.high_rate);
    let um: Vec<f64> = maps.iter().map(|m| m.thickness * 1e6).collect();
    let mut fig = Figure::new(
        "fullcell_design_map_thickness",
        // Short enough not to be clipped at the figure's width; the material is named in the caption.
        format!("{lo}C and {hi}C capacity vs membrane thickness"),
        Axis::linear("SPE membrane thickness [µm]"),
        Axis::linear("discharge capacity at the material's σ and t₊ [mAh/g]"),
    );
    let mut rows = Vec::new();
    for (i, (id, p)) in marks.iter().enumerate() {
        let (s, t) = (p.ionic_conductivity_25c, p.transference_number);
        let read = |m: &DesignMap, v: &[f64]| m.value_at(v, s, t).unwrap_or(f64::NAN);
        let low: Vec<f64> = maps.iter().map(|m| read(m, &m.capacity_low)).collect();
        let high: Vec<f64> = maps.iter().map(|m| read(m, &m.capacity_high)).collect();
        fig.series.push(Series::line_markers(format!("{id} {hi}C"), um.clone(), high.clone()).with_color(i));
        fig.series.push(Series::dashed(format!("{id} {lo}C"), um.clone(), low.clone()).with_color(i));
        for (k, m) in maps.iter().enumerate() {
            let best = m.capacity_low.iter().copied().filter(|c| c.is_finite()).fold(0.0, f64::max);
            let ratio = match (high[k] / low[k], low[k] < COLLAPSED * best) {
                (r, _) if !r.is_finite() => "outside the map".to_string(),
                (r, true) => format!("{:.1}*", 100.0 * r),
                (r, false) => format!("{:.1}", 100.0 * r),
            };
            let needed = m.conductivity_for(&masked_ratio(m).0, t, level);
            rows.push(vec![
                format!("{:.0}", m.thickness * 1e6),
                id.clone(),
                format!("{:.1}", low[k]),
                format!("{:.1}", high[k]),
                ratio,
                needed.map_or("not within the map".into(), |s| format!("{:.3}", ms_cm(s))),
            ]);
        }
    }
    for m in maps {
        let mut panel = map_figure("panel", format!("{:.0} µm", m.thickness * 1e6), m, marks, level);
        for s in &mut panel.series {
            s.no_legend = true;
        }
        fig = fig.with_panel(panel);
    }
    out.figures.push(fig.with_caption(format!(
        "Design map per membrane thickness, {material}'s calibrated cell. Top: the {hi}C (solid) and {lo}C \
         (dashed) discharge capacity at each material's measured σ and t₊ \
         (interpolated in log σ and t₊ on each map) against the SPE thickness. Panels: the {hi}C / {lo}C map at \
         each thickness (colours as in the design map; solid line: the {:.0} % iso-line, dashed: 10 points below).",
        100.0 * level
    )));
    out.tables.push(Table {
        title: format!(
            "Capacity at each material's σ and t₊, and the σ it would need for {:.0} % at its t₊, per membrane thickness (*: the {lo}C capacity itself below {:.0} % of the map's best)",
            100.0 * level,
            100.0 * COLLAPSED
        ),
        columns: vec![
            "thickness [µm]".into(),
            "material".into(),
            format!("{lo}C [mAh/g]"),
            format!("{hi}C [mAh/g]"),
            format!("{hi}C / {lo}C [%]"),
            format!("σ for {:.0} % [mS/cm]", 100.0 * level),
        ],
        rows,
    });
    let best: Vec<String> = maps
        .iter()
        .map(|m| {
            let top = masked_ratio(m).0.into_iter().filter(|r| r.is_finite()).fold(0.0, f64::max);
            format!("{:.0} µm {:.1} %", m.thickness * 1e6, 100.0 * top)
        })
        .collect();
    out.notes.push(format!(
        "Design map per membrane thickness: the same grid, knobs and material at {}; best ratio on each map: {}.",
        um.iter().map(|t| format!("{t:.0} µm")).collect::<Vec<_>>().join(", "),
        best.join(", ")
    ));
}
