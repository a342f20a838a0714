//! What the `full-cell-ageing` step shows: the retention and capacity values beside the paper (metrics
//! with their roles), a table of both laws' calibrated rates and predictions, the retention and
//! capacity curves against cycle number with the paper's points.

use spelab_core::metric::{Metric, MetricId, Role, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::fullcell::ageing::{AgeingFit, AgeingLaw};

use super::compute::{Outcome, Target};
use crate::steps::StepOutput;

/// A value of `metric` for people.
fn show(metric: MetricId, si: f64) -> String {
    match metric {
        MetricId::CapacityRetention => format!("{:.1} %", 100.0 * si),
        _ => format!("{:.1} mAh/g", Quantity::SpecificCapacity.to_display(si)),
    }
}

fn conditions(t: &Target) -> String {
    let cycles =
        if t.cycle_stated { format!("{}", t.cycles) } else { format!("{} (not stated; assumed)", t.cycles) };
    format!("{}C, cycle {cycles}", t.c_rate)
}

fn law_rate(fit: &AgeingFit) -> String {
    match fit.law {
        AgeingLaw::ActiveMaterial => format!("k_LAM = {:.3e} m²/C", fit.laws.lam_per_charge),
        AgeingLaw::SeiFilm => format!(
            "k_R = {:.3e} Ω·m² per C/m² ({:.2} Ω·cm² per mAh/cm²), f_SEI = {:.3e}",
            fit.laws.sei_resistance_per_charge,
            fit.laws.sei_resistance_per_charge * 1e4 * 3.6e4,
            fit.laws.sei_lithium_fraction
        ),
    }
}

/// Rows of the law table: law, rate, fitted retention, each prediction of the fitted material, Li
/// lost and film resistance after the calibration cycles, discharges.
fn law_rows(o: &Outcome) -> Vec<Vec<String>> {
    o.fits
        .iter()
        .map(|fit| {
            let last = fit.curve.points.last().expect("a calibrated curve has points");
            let predicted: Vec<String> = o
                .targets
                .iter()
                .filter(|(m, _, role)| *m == o.material && *role == "prediction")
                .map(|(m, t, _)| {
                    let v = o.value(m, fit.law, t).map_or("failed".into(), |v| show(t.metric, v));
                    let paper = t.paper.map_or(String::new(), |p| format!(" (paper {})", show(t.metric, p)));
                    format!("{} at {}: {v}{paper}", t.metric.as_str(), conditions(t))
                })
                .collect();
            vec![
                format!("{}{}", fit.law.name(), if fit.law == o.law { " (reported)" } else { "" }),
                law_rate(fit),
                format!("{:.2} %", 100.0 * fit.curve.final_retention()),
                predicted.join("; "),
                format!(
                    "{:.3} mmol/m² ({:.3} µm of Li)",
                    1e3 * last.lithium_lost,
                    last.lithium_lost * 1.3e-5 * 1e6
                ),
                format!("{:.2} Ω·cm²", 1e4 * last.film_resistance),
                fit.curve.discharges.to_string(),
            ]
        })
        .collect()
}

const LAW_COLUMNS: [&str; 7] = [
    "law",
    "calibrated rate",
    "retention at the calibration point",
    "predicted (fitted material)",
    "Li lost by SEI at the calibration point",
    "Li film resistance there",
    "DFN discharges",
];

/// Rows of the value table: material, role, metric, conditions, model, paper, model/paper.
fn value_rows(o: &Outcome) -> Vec<Vec<String>> {
    o.targets
        .iter()
        .enumerate()
        .map(|(i, (m, t, role))| {
            let v = o.value(m, o.law, t);
            let band = o.bands.get(i).and_then(Option::as_ref).map_or(String::new(), |b| {
                format!(" (band {}–{})", show(t.metric, b.low), show(t.metric, b.high))
            });
            vec![
                m.clone(),
                role.to_string(),
                t.metric.as_str().to_string(),
                conditions(t),
                v.map_or("failed".into(), |v| format!("{}{band}", show(t.metric, v))),
                t.paper.map_or("—".into(), |p| show(t.metric, p)),
                match (v, t.paper) {
                    (Some(v), Some(p)) if p != 0.0 => format!("{:.2}", v / p),
                    _ => "—".into(),
                },
            ]
        })
        .collect()
}

const VALUE_COLUMNS: [&str; 7] =
    ["material", "role", "metric", "conditions", "model", "paper", "model / paper"];

/// The two figures: retention [%] and capacity [mAh/g] against cycle number.
fn figures(o: &Outcome) -> Vec<Figure> {
    let other = AgeingLaw::ALL.iter().find(|l| **l != o.law).map_or("", |l| l.name());
    let mut retention = Figure::new(
        "fullcell_ageing_retention",
        format!("Capacity retention vs cycle, ageing calibrated on {}", o.material),
        Axis::linear("cycle"),
        Axis::linear("retention [%]"),
    )
    .with_caption(format!(
        "DFN with the ageing law's rate calibrated on {}'s {:.1} % after {} cycles at {}C; solid: the {} law (reported), dashed: the {other} law; markers: the paper.",
        o.material,
        100.0 * o.point.retention,
        o.point.cycles,
        o.point.c_rate,
        o.law.name(),
    ));
    let mut capacity = Figure::new(
        "fullcell_ageing_capacity",
        "Discharge capacity vs cycle",
        Axis::linear("cycle"),
        Axis::linear("capacity [mAh/g]"),
    )
    .with_caption(format!("DFN with the calibrated {} law (lines), the paper (markers).", o.law.name()));
    for c in &o.curves {
        let x: Vec<f64> = c.curve.points.iter().map(|p| f64::from(p.cycle)).collect();
        let name = format!("{} {}C {}", c.material, c.c_rate, c.law.name());
        let r: Vec<f64> = c.curve.points.iter().map(|p| 100.0 * p.retention).collect();
        let q: Vec<f64> = c.curve.points.iter().map(|p| p.capacity_mah_g).collect();
        if c.law == o.law {
            retention.series.push(Series::line(name.clone(), x.clone(), r));
            capacity.series.push(Series::line(name, x, q));
        } else {
            retention.series.push(Series::dashed(name, x, r));
        }
    }
    let materials: Vec<&String> = o.targets.iter().map(|t| &t.0).fold(Vec::new(), |mut v, m| {
        if !v.contains(&m) {
            v.push(m);
        }
        v
    });
    for m in materials {
        let points = |metric: MetricId, scale: &dyn Fn(f64) -> f64| -> (Vec<f64>, Vec<f64>) {
            o.targets
                .iter()
                .filter(|(tm, t, _)| tm == m && t.metric == metric)
                .filter_map(|(_, t, _)| Some((f64::from(t.cycles), scale(t.paper?))))
                .unzip()
        };
        let (x, y) = points(MetricId::CapacityRetention, &|v| 100.0 * v);
        if !x.is_empty() {
            retention.series.push(Series::markers(format!("{m} paper"), x, y));
        }
        let (x, y) = points(MetricId::SpecificCapacity, &|v| Quantity::SpecificCapacity.to_display(v));
        if !x.is_empty() {
            capacity.series.push(Series::markers(format!("{m} paper"), x, y));
        }
    }
    vec![retention, capacity]
}

/// The step's metrics, tables, figures and notes.
pub(super) fn output(o: &Outcome) -> StepOutput {
    let mut out = StepOutput::default();
    let knobs: Vec<String> = o.knobs.iter().map(|(k, v)| format!("{} = {v:.4e}", k.name())).collect();
    for (i, (m, t, role)) in o.targets.iter().enumerate() {
        let Some(v) = o.value(m, o.law, t) else { continue };
        let method = format!(
            "DFN, one discharge per cycle from the charged cathode, {} law ({}) calibrated on {}'s {:.1} % after {} cycles at {}C{}",
            o.law.name(),
            law_rate(&o.fits[0]),
            o.material,
            100.0 * o.point.retention,
            o.point.cycles,
            o.point.c_rate,
            if t.cycle_stated { String::new() } else { format!("; after {} cycles (the paper states no cycle number)", t.cycles) }
        );
        let mut metric = Metric::new(t.metric, v, SOURCE_SIMULATION)
            .with_material(m.clone())
            .with_method(method)
            .with_condition("temperature_K", o.temperature)
            .with_condition("c_rate", t.c_rate)
            .with_option("law", o.law.name())
            .with_option("role", *role)
            .with_band(o.bands.get(i).cloned().flatten());
        if t.cycle_stated {
            metric = metric.with_condition("cycle", f64::from(t.cycles));
        }
        if *role == "calibrated" {
            metric.role = Role::Calibrated;
        }
        out.metrics.push(metric);
    }
    out.tables.push(Table {
        title: format!(
            "Ageing laws calibrated on {}: {:.1} % after {} cycles at {}C (cell knobs: {})",
            o.material,
            100.0 * o.point.retention,
            o.point.cycles,
            o.point.c_rate,
            knobs.join(", ")
        ),
        columns: LAW_COLUMNS.map(String::from).to_vec(),
        rows: law_rows(o),
    });
    out.tables.push(Table {
        title: format!("Retention and capacity after cycling ({} law) against the paper", o.law.name()),
        columns: VALUE_COLUMNS.map(String::from).to_vec(),
        rows: value_rows(o),
    });
    out.figures.extend(figures(o));
    out.notes.push(
        "Ageing assumptions: quasi-static (the cell aged to its charge throughput, one DFN discharge from the charged \
         cathode per cycle, full charges assumed, throughput = twice the discharge capacity per cycle); the capacity \
         is tabulated against throughput (17 nodes) and stepped through every cycle, the last cycle checked by a \
         direct discharge. Each law alone has one rate, calibrated on one retention number; the other numbers are \
         predictions. The SEI film's Li loss is tied to its resistance by PyBaMM's SEI defaults (2e5 Ω·m, \
         9.585e-5 m³/mol, 2 Li per SEI unit) and comes from the Li foil, so it does not limit the capacity."
            .into(),
    );
    if o.bands.iter().any(Option::is_some) {
        out.notes.push(crate::band::full_cell_note(
            "the predictions",
            "at each end the law's rate re-fitted on the same calibration point, the cell knobs held",
        ));
    }
    let worst = o.curves.iter().map(|c| c.curve.interpolation_error.abs()).fold(0.0, f64::max);
    out.notes.push(format!(
        "Largest difference between the table-stepped and the direct capacity at a curve's last cycle: {worst:.3} mAh/g."
    ));
    for f in &o.failures {
        out.notes.push(format!("Not predicted: {f}"));
    }
    out
}
