//! What the `full-cell-calibrate` step shows: the fitted knobs (value, standard error, 95 % interval,
//! correlations, sensitivities), the capacities of the calibrated and the predicted material beside the
//! paper with their errors, the figure of capacity against C-rate, and a plain-text version for
//! `spelab calibrate`.

use std::fmt::Write as _;

use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::fullcell::calibration::Knob;

use super::compute::Outcome;
use crate::steps::StepOutput;

/// A knob's value for people: its unit and scale.
fn show(knob: Knob, v: f64) -> String {
    match knob {
        Knob::Utilisation => format!("{:.3}", v),
        Knob::CathodeBruggeman => format!("{:.3}", v),
        Knob::ContactResistance => format!("{:.3} Ω cm²", v * 1e4),
        Knob::ParticleDiffusivity => format!("{:.3e} m²/s", v),
    }
}

fn knob_label(knob: Knob) -> &'static str {
    match knob {
        Knob::Utilisation => "cathode utilisation u",
        Knob::CathodeBruggeman => "Bruggeman exponent of the cathode pores b",
        Knob::ContactResistance => "cathode | SPE contact resistance R_c",
        Knob::ParticleDiffusivity => "LFP solid diffusivity D_s",
    }
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or("—".into(), f)
}

/// The knobs table rows: name, value, SE, 95 % CI.
fn knob_rows(o: &Outcome) -> Vec<Vec<String>> {
    let c = &o.calibration;
    c.knobs
        .iter()
        .enumerate()
        .map(|(k, &knob)| {
            let (v, se, ci) = (c.values[k], c.std_errors[k], c.ci95[k]);
            let finite = |x: f64| x.is_finite();
            vec![
                knob_label(knob).to_string(),
                show(knob, v),
                if finite(se) { show(knob, se) } else { "not determined".into() },
                if finite(ci) {
                    format!("[{}, {}]", show(knob, v - ci), show(knob, v + ci))
                } else {
                    "—".into()
                },
                c.correlation[k]
                    .iter()
                    .map(|r| if r.is_finite() { format!("{r:+.3}") } else { "—".into() })
                    .collect::<Vec<_>>()
                    .join(" "),
                c.sensitivities.iter().map(|s| format!("{:.3e}", s[k])).collect::<Vec<_>>().join(" "),
            ]
        })
        .collect()
}

/// Capacity rows: material, role, C-rate, uncalibrated, model ± CI, paper, error.
fn capacity_rows(o: &Outcome) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for m in &o.materials {
        for r in &m.rows {
            rows.push(vec![
                m.material.clone(),
                m.role.to_string(),
                format!("{}C", r.c_rate),
                format!("{:.1}", r.uncalibrated),
                format!(
                    "{}{}",
                    spelab_core::units::format_with_uncertainty(r.model, r.ci95),
                    r.band.as_ref().map_or(String::new(), |b| format!(
                        "; band {}",
                        crate::compare::band_text(MetricId::SpecificCapacity, b.low, b.high)
                    ))
                ),
                opt(r.paper, |p| format!("{p:.1}")),
                opt(r.error_percent(), |e| format!("{e:+.1} %")),
            ]);
        }
    }
    rows
}

const KNOB_COLUMNS: [&str; 6] = [
    "knob",
    "fitted",
    "standard error",
    "95 % CI",
    "correlation (row)",
    "dQ/dknob per C-rate [mAh/g per unit]",
];
const CAPACITY_COLUMNS: [&str; 7] = [
    "material",
    "role",
    "C-rate",
    "uncalibrated [mAh/g]",
    "model ± 95 % CI [mAh/g]",
    "paper [mAh/g]",
    "error",
];

/// The step's metrics, tables, figure and notes.
pub(super) fn output(o: &Outcome) -> StepOutput {
    let mut out = StepOutput::default();
    let c = &o.calibration;
    let names: Vec<&str> = c.knobs.iter().map(|k| k.name()).collect();
    let fitted_on = &o.materials[0].material;
    for m in &o.materials {
        for r in &m.rows {
            let method = if m.role == "calibrated" {
                format!("DFN calibrated on {fitted_on}'s rate capability ({} fitted)", names.join(", "))
            } else {
                format!(
                    "DFN predicted with the knobs calibrated on {fitted_on} ({}); only the material's own σ, t₊, i₀, Eₐ, L changed",
                    names.join(", ")
                )
            };
            let mut metric = Metric::new(
                MetricId::SpecificCapacity,
                Quantity::SpecificCapacity.from_display(r.model),
                SOURCE_SIMULATION,
            )
            .with_material(m.material.clone())
            .with_method(method)
            .with_condition("temperature_K", o.temperature)
            .with_condition("c_rate", r.c_rate)
            .with_option("role", m.role)
            .with_band(r.band.clone());
            if m.role == "calibrated" {
                metric.role = spelab_core::metric::Role::Calibrated;
            }
            let sd = r.ci95 / o.t975;
            if sd.is_finite() && sd > 0.0 {
                metric = metric.with_uncertainty(Quantity::SpecificCapacity.from_display(sd));
            }
            out.metrics.push(metric);
        }
    }
    out.tables.push(Table {
        title: format!(
            "Calibration on {fitted_on}: {} (χ² = {:.3} (mAh/g)², {} degree(s) of freedom, {}; 95 % CI with t = {:.3})",
            names.join(", "),
            c.report.chi2,
            c.report.dof,
            c.report.termination,
            o.t975
        ),
        columns: KNOB_COLUMNS.map(String::from).to_vec(),
        rows: knob_rows(o),
    });
    out.tables.push(Table {
        title: "Rate capability: calibrated and predicted against the paper".into(),
        columns: CAPACITY_COLUMNS.map(String::from).to_vec(),
        rows: capacity_rows(o),
    });
    let mut fig = Figure::new(
        "fullcell_calibration",
        "Discharge capacity vs C-rate: paper (markers), calibrated / predicted DFN (lines), uncalibrated (dashed)",
        Axis::log("C-rate [1/h]"),
        Axis::linear("capacity [mAh/g]"),
    );
    for m in &o.materials {
        let x: Vec<f64> = m.rows.iter().map(|r| r.c_rate).collect();
        fig.series.push(Series::line_markers(
            format!("{} {}", m.material, m.role),
            x.clone(),
            m.rows.iter().map(|r| r.model).collect::<Vec<_>>(),
        ));
        fig.series.push(Series::dashed(
            format!("{} uncalibrated", m.material),
            x.clone(),
            m.rows.iter().map(|r| r.uncalibrated).collect::<Vec<_>>(),
        ));
        let paper: Vec<(f64, f64)> = m.rows.iter().filter_map(|r| r.paper.map(|p| (r.c_rate, p))).collect();
        fig.series.push(Series::markers(
            format!("{} paper", m.material),
            paper.iter().map(|p| p.0).collect::<Vec<_>>(),
            paper.iter().map(|p| p.1).collect::<Vec<_>>(),
        ));
    }
    out.figures.push(fig);
    if o.materials.iter().flat_map(|m| &m.rows).any(|r| r.band.is_some()) {
        out.notes.push(crate::band::full_cell_note(
            "the predicted capacities",
            "eight more rate tests per predicted material, the knobs held at their calibrated values",
        ));
    }
    out.notes.push(
        "Calibration assumptions: each capacity is one DFN discharge from the charged cathode (x = 0.0038) to 2.5 V or \
         salt depletion, 1C = 169.9 mA per g of weighed LFP; the paper's cells are charged at the same rate, which \
         this ignores. The fitted knobs are effective values of the reference cathode (PyBaMM's Prada2013 LFP), \
         not measurements."
            .into(),
    );
    out
}

/// Plain text of the outcome (`spelab calibrate`).
pub fn text(o: &Outcome) -> String {
    let mut t = String::new();
    let table = |t: &mut String, cols: &[&str], rows: Vec<Vec<String>>| {
        let _ = writeln!(t, "  {}", cols.join(" | "));
        for r in rows {
            let _ = writeln!(t, "  {}", r.join(" | "));
        }
    };
    let c = &o.calibration;
    let _ = writeln!(
        t,
        "calibrated on {}: chi2 = {:.4} (mAh/g)^2, dof = {}, {} ({} evaluations)",
        o.materials[0].material, c.report.chi2, c.report.dof, c.report.termination, c.report.evaluations
    );
    table(&mut t, &KNOB_COLUMNS, knob_rows(o));
    table(&mut t, &CAPACITY_COLUMNS, capacity_rows(o));
    t
}
