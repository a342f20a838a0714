//! What the `full-cell-design-map` step shows: the map as a figure (grid points by ratio band, the
//! iso-line, the materials marked; [`map_figure`], also the thickness panels'), the table of ratios,
//! the σ each marked material would need at its own t₊, and notes.

use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::fullcell::calibration::Knob;
use spelab_sim::fullcell::design_map::{contour, DesignMap};
use spelab_sim::params::MaterialParams;

use crate::steps::StepOutput;

/// Bands of the ratio the figure colours the grid points by: lower bounds below the iso-line's
/// level, and each band's palette colour (a ramp from vermillion to green; black marks collapsed points).
const BANDS: [(f64, usize); 6] = [(-1.0, 1), (-0.55, 4), (-0.3, 3), (-0.1, 5), (-0.05, 0), (0.0, 2)];

/// A point's low-rate capacity below this fraction of the map's best counts as collapsed.
pub(super) const COLLAPSED: f64 = 0.5;

/// S/m to mS/cm.
pub(super) fn ms_cm(s: f64) -> f64 {
    s * 10.0
}

/// The ratio with the points whose low-rate capacity itself collapsed (below [`COLLAPSED`] of the
/// map's best: salt depletion even at the low rate) set to 0, as the iso-lines and read-outs take it;
/// and which points collapsed.
pub(super) fn masked_ratio(map: &DesignMap) -> (Vec<f64>, Vec<bool>) {
    let best_low = map.capacity_low.iter().copied().filter(|c| c.is_finite()).fold(0.0, f64::max);
    let collapsed: Vec<bool> = map.capacity_low.iter().map(|&c| c < COLLAPSED * best_low).collect();
    let masked = map.ratio().iter().zip(&collapsed).map(|(&r, &c)| if c { 0.0 } else { r }).collect();
    (masked, collapsed)
}

/// The map as a figure: grid points coloured by ratio band (black: collapsed), the iso-lines at
/// `level` (solid) and 10 points below (dashed), the materials at their measured σ and t₊.
pub(super) fn map_figure(
    id: &str,
    title: String,
    map: &DesignMap,
    marks: &[(String, MaterialParams)],
    level: f64,
) -> Figure {
    let g = &map.grid;
    let ratio = map.ratio();
    let (masked, collapsed) = masked_ratio(map);
    let ns = g.conductivity.len();
    let s_range = (ms_cm(g.conductivity[0]) / 1.5, ms_cm(g.conductivity[ns - 1]) * 1.5);
    let mut fig = Figure::new(
        id,
        title,
        Axis::log("ionic conductivity σ [mS/cm]").with_range(s_range.0, s_range.1),
        Axis::linear("transference number t₊"),
    );
    let mut band = |name: String, keep: &dyn Fn(usize) -> bool, color: usize| {
        let (x, y): (Vec<f64>, Vec<f64>) = (0..ratio.len())
            .filter(|&k| keep(k))
            .map(|k| (ms_cm(g.conductivity[k % ns]), g.transference[k / ns]))
            .unzip();
        if !x.is_empty() {
            fig.series.push(Series::markers(name, x, y).with_color(color));
        }
    };
    band(format!("{}C < {:.0} % of best", g.low_rate, 100.0 * COLLAPSED), &|k| collapsed[k], 7);
    for (b, &(offset, color)) in BANDS.iter().enumerate() {
        let lower = (level + offset).max(0.0);
        let upper = BANDS.get(b + 1).map_or(f64::INFINITY, |n| level + n.0);
        let name = if upper.is_finite() {
            format!("{:.0}-{:.0} %", 100.0 * lower, 100.0 * upper)
        } else {
            format!("≥ {:.0} %", 100.0 * lower)
        };
        band(name, &|k| !collapsed[k] && ratio[k] >= lower && ratio[k] < upper, color);
    }
    let lx: Vec<f64> = g.conductivity.iter().map(|s| s.ln()).collect();
    for (l, solid) in [(level - 0.1, false), (level, true)] {
        let (mut cx, mut cy) = (Vec::new(), Vec::new());
        for [a, b] in contour(&lx, &g.transference, &masked, l) {
            cx.extend([ms_cm(a.0.exp()), ms_cm(b.0.exp()), f64::NAN]);
            cy.extend([a.1, b.1, f64::NAN]);
        }
        let name = format!("{:.0} % iso-line", 100.0 * l);
        match (cx.is_empty(), solid) {
            (true, _) => {}
            (false, true) => fig.series.push(Series::line(name, cx, cy).with_color(7)),
            (false, false) => fig.series.push(Series::dashed(name, cx, cy).with_color(7)),
        }
    }
    for (id, p) in marks {
        fig = fig.with_marker(Marker::point(
            id.clone(),
            ms_cm(p.ionic_conductivity_25c),
            p.transference_number,
        ));
    }
    fig
}

/// The step's output; `timing`: grid points of all maps and the seconds they took.
pub(super) fn output(
    material: &str,
    map: &DesignMap,
    marks: &[(String, MaterialParams)],
    knobs: &[(Knob, f64)],
    level: f64,
    timing: (usize, f64),
) -> StepOutput {
    let mut out = StepOutput::default();
    let g = &map.grid;
    let (lo, hi) = (g.low_rate, g.high_rate);
    let ratio = map.ratio();
    let ns = g.conductivity.len();
    let (masked, collapsed) = masked_ratio(map);
    let title = format!("Design map: {hi}C / {lo}C capacity of {material}'s calibrated cell over σ × t₊");
    let fig = map_figure("fullcell_design_map", title, map, marks, level).with_caption(format!(
        "DFN, {} x {} grid, {:.0} µm membrane, only σ and t₊ changed: grid points coloured by the ratio band; black: the {lo}C capacity itself below {:.0} % of the map's best (salt depletion at the low rate); solid line: the {:.0} % iso-line, dashed: 10 points below; materials at their measured σ and t₊.",
        ns,
        g.transference.len(),
        map.thickness * 1e6,
        100.0 * COLLAPSED,
        100.0 * level
    ));
    let mut needed = Vec::new();
    for (id, p) in marks {
        let at = |l: f64| {
            map.conductivity_for(&masked, p.transference_number, l)
                .map_or("not within the map".into(), |s| format!("{:.3}", ms_cm(s)))
        };
        needed.push(vec![
            id.clone(),
            format!("{:.3}", ms_cm(p.ionic_conductivity_25c)),
            format!("{:.2}", p.transference_number),
            at(level),
            at(level - 0.1),
        ]);
    }
    out.figures.push(fig);
    let mut columns = vec!["t₊ \\ σ [mS/cm]".to_string()];
    columns.extend(g.conductivity.iter().map(|s| format!("{:.3}", ms_cm(*s))));
    out.tables.push(Table {
        title: format!(
            "Capacity ratio {hi}C / {lo}C [%] (rows: t₊, columns: σ; *: the {lo}C capacity itself below {:.0} % of the map's best)",
            100.0 * COLLAPSED
        ),
        columns,
        rows: g
            .transference
            .iter()
            .enumerate()
            .map(|(j, t)| {
                let mut row = vec![format!("{t:.3}")];
                row.extend((0..ns).map(|i| {
                    let k = j * ns + i;
                    match (ratio[k].is_finite(), collapsed[k]) {
                        (false, _) => "failed".into(),
                        (true, true) => format!("{:.1}*", 100.0 * ratio[k]),
                        (true, false) => format!("{:.1}", 100.0 * ratio[k]),
                    }
                }));
                row
            })
            .collect(),
    });
    out.tables.push(Table {
        title: format!(
            "σ needed for {:.0} % at each material's own t₊ (same cell, same thickness)",
            100.0 * level
        ),
        columns: vec![
            "material".into(),
            "measured σ [mS/cm]".into(),
            "t₊".into(),
            format!("σ for {:.0} % [mS/cm]", 100.0 * level),
            format!("σ for {:.0} % [mS/cm]", 100.0 * (level - 0.1)),
        ],
        rows: needed,
    });
    let knobs: Vec<String> = knobs.iter().map(|(k, v)| format!("{} = {v:.4e}", k.name())).collect();
    out.notes.push(format!(
        "Design map: {material}'s cell with the calibrated knobs ({}), only σ and t₊ changed (D from Nernst-Einstein, \
         the material's i₀, Eₐ and thickness kept); each point one DFN discharge at {lo}C and one at {hi}C from the \
         charged cathode to 2.5 V or salt depletion; {} points in {:.1} s. The iso-line is linear \
         interpolation between grid points in log σ and t₊.",
        knobs.join(", "),
        timing.0,
        timing.1
    ));
    let top = masked.iter().copied().filter(|r| r.is_finite()).fold(0.0, f64::max);
    if top < level {
        out.notes.push(format!(
            "No point of the map reaches {:.0} %: the best is {:.1} %. With the calibrated cathode (its LFP solid \
             diffusivity and utilisation) the cathode itself caps the {hi}C / {lo}C ratio, however well the \
             electrolyte conducts.",
            100.0 * level,
            100.0 * top
        ));
    }
    let failed = ratio.iter().filter(|r| !r.is_finite()).count();
    if failed > 0 {
        out.notes.push(format!("{failed} grid point(s) failed in the model and are left out of the figure."));
    }
    out
}
