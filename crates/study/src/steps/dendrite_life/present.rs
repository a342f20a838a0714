//! Metrics, table and notes of `dendrite-life`.

use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::Table;
use spelab_sim::phase_field::failure::DendriteRun;
use spelab_sim::phase_field::Parameters;

use super::DendriteLife;
use crate::spec::Material;
use crate::steps::StepOutput;

/// Cycle life [s] and cumulative capacity J·life [C/m²] of `m` at `j` (null: no failure), with the
/// conditions the preset's paper values carry (temperature, current density).
pub(super) fn metrics(
    s: &DendriteLife,
    m: &Material,
    p: &Parameters,
    j: f64,
    life: Option<f64>,
) -> Vec<Metric> {
    let bound = if m.id == crate::steps::dendrite_calibration::REFERENCE {
        "; the paper's life of this material is a lower bound (still cycling when reported)"
    } else {
        ""
    };
    let metric = |id: MetricId, v: f64, method: &str| {
        Metric::new(id, v, SOURCE_SIMULATION)
            .with_material(m.id.clone())
            .with_role(crate::steps::dendrite_calibration::role(&m.id))
            .with_method(format!(
                "phase field + reduced model: {method}; null: the excess does not accumulate (no short){bound}"
            ))
            .with_condition("temperature_K", p.temperature)
            .with_condition("current_density_A_m2", j)
            .with_option("half_cycle", format!("{} s", s.half_cycle))
            .with_option("retained", format!("{}", s.retained))
            .with_option("sei_heterogeneity_cv", format!("{:.4}", p.interphase.heterogeneity_cv))
    };
    let life = life.unwrap_or(f64::NAN);
    vec![
        metric(MetricId::CycleLife, life, "protrusion excess accumulated until it spans L"),
        metric(MetricId::CumulativeCapacity, j * life, "current density x cycle life"),
    ]
}

/// The table and the notes.
pub(super) fn finish(s: &DendriteLife, rows: &[(String, DendriteRun, Option<f64>)], out: &mut StepOutput) {
    let mut t = Table {
        title: format!("Phase-field cycle life at ±J, {} half-cycles", Quantity::Time.display(s.half_cycle)),
        columns: ["material", "j", "tip amplification", "cycle life", "cumulative capacity"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for (id, r, life) in rows {
        t.rows.push(vec![
            id.clone(),
            Quantity::CurrentDensity.display(r.current_density),
            format!("{:.3}", r.amplification),
            life.map_or("no failure".into(), |x| Quantity::Time.display(x)),
            life.map_or("-".into(), |x| Quantity::ArealCapacity.display(x * r.current_density)),
        ]);
    }
    out.tables.push(t);
    out.notes.push(format!(
        "Cycle life = first half-cycle whose protrusion excess (a − 1)·J·t_h/(nFc_s), {:.0} % of each earlier one \
         retained after its strip (an assumption: not yet measured by a strip/plate run), spans the membrane. \
         Paper: PVH fails after 34 h at 0.2 mA/cm² and at once at 0.5; PVH-IM runs 5550 h at 0.2 and 500 h at 0.5 \
         without failing (lower bounds). Calibration as in dendrite-ccd: L_σ fitted on PVH-IM's CCD only (its \
         lives are role calibrated; no short within 5550 h at 0.2 mA/cm² is the constraint), PVH predicted by the \
         SEI carry-over rule.",
        100.0 * s.retained
    ));
}
