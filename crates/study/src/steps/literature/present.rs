//! What the `literature` step shows: σ vs Ea and CCD vs cumulative capacity, the study's materials
//! among the published points (one legend entry per point, named by its row key), the table of every
//! point with its reference, and the coverage notes.

use spelab_core::metric::MetricId;
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};

use super::table::Row;
use super::StepOutput;
use crate::spec::Material;

/// One point of a figure: label, x, y, and whether it is one of the study's materials.
pub(super) struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub study: bool,
}

/// The study material `m` as a row: σ [S/cm], Ea [eV], CCD [mA/cm²] and cumulative capacity
/// [mAh/cm²] from its preset (the largest j × t of its cycle-life values when it states no
/// cumulative capacity, labelled derived).
pub(super) fn material_row(m: &Material) -> Row {
    let first = |id: MetricId| m.preset.paper_values().find(|v| v.metric == Some(id));
    let display = |id: MetricId, si: f64| id.quantity().to_display(si);
    let sigma =
        first(MetricId::IonicConductivity).map(|v| display(MetricId::IonicConductivity, v.si_value) / 1e3);
    let ea = first(MetricId::ActivationEnergy).map(|v| display(MetricId::ActivationEnergy, v.si_value));
    let ccd = first(MetricId::CriticalCurrentDensity)
        .map(|v| display(MetricId::CriticalCurrentDensity, v.si_value));
    let stated =
        first(MetricId::CumulativeCapacity).map(|v| display(MetricId::CumulativeCapacity, v.si_value));
    // j [mA/cm²] and t [h] of the longest symmetric-cell test (largest j × t).
    let sym = m
        .preset
        .paper_values()
        .filter(|v| v.metric == Some(MetricId::CycleLife))
        .filter_map(|v| {
            let j = v.conditions.get("current_density_A_m2")?;
            Some((Quantity::CurrentDensity.to_display(*j), Quantity::Time.to_display(v.si_value)))
        })
        .max_by(|a, b| (a.0 * a.1).total_cmp(&(b.0 * b.1)));
    Row {
        key: m.preset.name.clone(),
        system: format!("{} (this study: the preset's paper values)", m.preset.name),
        sigma_s_cm: sigma,
        sigma_t_c: Some(25.0),
        ea_ev: ea,
        ccd_ma_cm2: ccd,
        cumulative_mah_cm2: stated,
        sym: sym.map_or((None, None), |(j, t)| (Some(j), Some(t))),
        doi: m.preset.reference.rsplit("doi:").next().unwrap_or("").trim().to_string(),
        value_source: format!("preset '{}'", m.id),
        origin: format!("material '{}'", m.id),
    }
}

/// Whether table row `r` is one of the study's materials' own paper (same DOI).
fn from_study_paper(r: &Row, studied: &[Row]) -> bool {
    !r.doi.is_empty() && studied.iter().any(|s| s.doi.eq_ignore_ascii_case(&r.doi))
}

/// The scatter points of `rows`: (x, y) from `xy`, the study's materials first.
fn points(studied: &[Row], rows: &[&Row], xy: impl Fn(&Row) -> Option<(f64, f64)>) -> Vec<Point> {
    let s =
        studied.iter().filter_map(|r| xy(r).map(|(x, y)| Point { label: r.key.clone(), x, y, study: true }));
    let l =
        rows.iter().filter_map(|r| xy(r).map(|(x, y)| Point { label: r.key.clone(), x, y, study: false }));
    s.chain(l).collect()
}

/// One series per point, so the legend names every point's source.
fn scatter(id: &str, title: &str, x: Axis, y: Axis, points: &[Point]) -> Figure {
    let mut figure = Figure::new(id, title, x, y);
    for (i, p) in points.iter().enumerate() {
        let name = if p.study { format!("{} (this study)", p.label) } else { p.label.clone() };
        figure = figure.with_series(Series::markers(name, vec![p.x], vec![p.y]).with_color(i));
    }
    figure
}

/// A table number with the report's display rules (3-4 significant digits), blank when absent.
fn cell(x: Option<f64>) -> String {
    x.map_or(String::new(), |x| Quantity::Dimensionless.display(x))
}

/// Figures, the table of every row and the notes into `out`.
pub(super) fn present(materials: &[Material], rows: &[Row], out: &mut StepOutput) {
    let studied: Vec<Row> = materials.iter().map(material_row).collect();
    let (own, literature): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| from_study_paper(r, &studied));
    let sigma_ea = points(&studied, &literature, |r| Some((r.ea_ev?, r.sigma_s_cm? * 1e3)));
    let ccd_q = points(&studied, &literature, |r| Some((r.cumulative()?.0, r.ccd_ma_cm2?)));
    out.figures.push(
        scatter(
            "literature_sigma_ea",
            "σ vs Ea among published SPEs (cf. paper Fig. 6c)",
            Axis::linear("Ea [eV]"),
            Axis::log("σ [mS/cm]"),
            &sigma_ea,
        )
        .with_caption(
            "One point per electrolyte with both σ (room temperature, see the table) and Ea; the legend names \
             each point's row, the table below gives its reference.",
        ),
    );
    out.figures.push(
        scatter(
            "literature_ccd_capacity",
            "CCD vs cumulative capacity among published SPEs (cf. paper Fig. 2d)",
            Axis::log("cumulative capacity [mAh/cm²]"),
            Axis::linear("CCD [mA/cm²]"),
            &ccd_q,
        )
        .with_caption(
            "One point per electrolyte with a CCD and a cumulative Li plating capacity (stated, or j × t of its \
             symmetric-cell test: 'derived' in the table); the legend names each point's row.",
        ),
    );
    let mut table = Table {
        title: "Every point with its reference (blank: not stated in the source)".into(),
        columns: [
            "point",
            "system",
            "σ [S/cm]",
            "T [°C]",
            "Ea [eV]",
            "CCD [mA/cm²]",
            "cumulative [mAh/cm²]",
            "reference",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for r in studied.iter().chain(literature.iter().copied()) {
        let cumulative = r.cumulative().map_or(String::new(), |(q, derived)| {
            if derived {
                format!("{} (derived j × t)", cell(Some(q)))
            } else {
                cell(Some(q))
            }
        });
        table.rows.push(vec![
            r.key.clone(),
            r.system.clone(),
            cell(r.sigma_s_cm),
            cell(r.sigma_t_c),
            cell(r.ea_ev),
            cell(r.ccd_ma_cm2),
            cumulative,
            r.reference(),
        ]);
    }
    out.tables.push(table);
    let count = |f: &dyn Fn(&Row) -> bool| literature.iter().filter(|r| f(r)).count();
    out.notes.push(format!(
        "{} published rows: {} with σ, {} with σ and Ea, {} with a CCD, {} with a CCD and a cumulative capacity \
         (stated or derived). Rows differ in temperature (22–30 °C or unstated), residual solvent and \
         plasticiser (see the table's notes column in the CSV): read the figures as placement, not ranking.",
        literature.len(),
        count(&|r| r.sigma_s_cm.is_some()),
        count(&|r| r.sigma_s_cm.is_some() && r.ea_ev.is_some()),
        count(&|r| r.ccd_ma_cm2.is_some()),
        count(&|r| r.ccd_ma_cm2.is_some() && r.cumulative().is_some()),
    ));
    if !own.is_empty() {
        out.notes.push(format!(
            "Rows from the study materials' own paper ({}) are drawn as the study's points, not twice.",
            own.iter().map(|r| r.key.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
}
