//! Metrics, table and notes of `dendrite-life`.

use spelab_core::metric::{Band, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::Table;
use spelab_sim::phase_field::accumulation::Growth;
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
    bands: &[Option<Band>; 2],
    g: &Growth,
) -> Vec<Metric> {
    let bound = if m.id == crate::steps::dendrite_calibration::REFERENCE {
        "; the paper's life of this material is a lower bound (still cycling when reported)"
    } else {
        ""
    };
    let metric = |id: MetricId, v: f64, method: &str| {
        Metric::new(id, v, SOURCE_SIMULATION)
            .with_material(m.id.clone())
            .with_role(super::role(&m.id, j, s.half_cycle))
            .with_method(format!(
                "phase field + reduced model: {method}; null: no failure within 100 000 h{bound}"
            ))
            .with_condition("temperature_K", p.temperature)
            .with_condition("current_density_A_m2", j)
            .with_option("half_cycle", format!("{} s", s.half_cycle))
            .with_option("retained", format!("{:.4}", g.retained))
            .with_option("residue_yield", format!("{:.4e}", g.residue_yield))
            .with_option("sei_factor", format!("{:.3}", g.sei_factor))
            .with_option("sei_heterogeneity_cv", format!("{:.4}", p.interphase.heterogeneity_cv))
    };
    let life = life.unwrap_or(f64::NAN);
    vec![
        metric(
            MetricId::CycleLife,
            life,
            "accumulation model: protrusions span L or the tip reaches its Sand limit",
        )
        .with_band(bands[0].clone()),
        metric(MetricId::CumulativeCapacity, j * life, "current density x cycle life")
            .with_band(bands[1].clone()),
    ]
}

/// The table and the notes.
pub(super) fn finish(
    s: &DendriteLife,
    rows: &[(String, DendriteRun, Option<f64>, Option<Band>)],
    out: &mut StepOutput,
) {
    let mut t = Table {
        title: format!("Phase-field cycle life at ±J, {} half-cycles", Quantity::Time.display(s.half_cycle)),
        columns: ["material", "j", "tip amplification", "cycle life", "band", "cumulative capacity"]
            .map(String::from)
            .to_vec(),
        rows: Vec::new(),
    };
    for (id, r, life, band) in rows {
        t.rows.push(vec![
            id.clone(),
            Quantity::CurrentDensity.display(r.current_density),
            format!("{:.3}", r.amplification),
            life.map_or("no failure".into(), |x| Quantity::Time.display(x)),
            band.as_ref()
                .map_or("-".into(), |b| crate::compare::band_text(MetricId::CycleLife, b.low, b.high)),
            life.map_or("-".into(), |x| Quantity::ArealCapacity.display(x * r.current_density)),
        ]);
    }
    out.tables.push(t);
    out.notes.push(format!(
        "Cycle life from the accumulation model (as in dendrite-ccd): the first half-cycle whose retained protrusion \
         excess spans the membrane or whose tip current a·J exceeds J_lim with a Sand time under the half-cycle; the \
         amplification grows half-cycle by half-cycle with the residue roughness (β·s·(1 − c_tip/c0)·q per \
         half-cycle). Paper: PVH fails after 34 h at 0.2 mA/cm² and at once at 0.5; PVH-IM runs 5550 h at 0.2 and \
         500 h at 0.5 without failing (lower bounds). Calibration on PVH-IM only: L_σ and β on its CCD, the retained \
         fraction r ({:.0} % is the option's upper limit) on its 5550 h at 0.2 mA/cm² (that life is role calibrated, its others predictions); \
         PVH predicted from its own σ, t+, i0 and the SEI rule (residue factor s = 6 from the sputter times).",
        100.0 * s.retained
    ));
    out.notes.push(crate::steps::dendrite_calibration::bands::note());
}
