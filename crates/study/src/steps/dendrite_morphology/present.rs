//! Metrics, the comparison table and the notes of `dendrite-morphology`.

use spelab_core::metric::{Band, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::Table;
use spelab_sim::phase_field::failure::DendriteRun;
use spelab_sim::phase_field::Parameters;

use super::virtual_lab::RunOptions;
use crate::spec::Material;
use crate::steps::dendrite_calibration::Fitted;
use crate::steps::StepOutput;

/// The four metric values of a run of `p`: height ratio, roughness [m], |∇c|·L/c₀ at the tip and
/// the (extrapolated) short-circuit time [s] (NaN: none).
pub(super) fn values(p: &Parameters, r: &DendriteRun) -> [f64; 4] {
    let mo = &r.morphology;
    [
        mo.height_ratio,
        mo.roughness,
        mo.tip_concentration_gradient * p.thickness / p.bulk_concentration,
        r.short_circuit_time(p.thickness).unwrap_or(f64::NAN),
    ]
}

/// The four morphology metrics of one run, with conditions (current, charge, time, temperature) and
/// their assumed-parameter bands.
pub(super) fn metrics(
    m: &Material,
    p: &Parameters,
    o: &RunOptions,
    r: &DendriteRun,
    at: &str,
    bands: [Option<Band>; 4],
    out: &mut StepOutput,
) {
    let mo = &r.morphology;
    let metric = |id: MetricId, v: f64, method: &str| {
        Metric::new(id, v, SOURCE_SIMULATION)
            .with_material(m.id.clone())
            .with_method(format!("phase field ({at}): {method}"))
            .with_condition("temperature_K", p.temperature)
            .with_condition("current_density_A_m2", o.current)
            .with_condition("areal_capacity_C_m2", mo.deposited_charge)
            .with_condition("time_s", mo.time)
            .with_option("spacing", format!("{} m", o.spacing))
            .with_option("width", format!("{} m", o.width))
            .with_option("seed", o.seed.to_string())
            .with_option("sei_heterogeneity_cv", format!("{:.4}", p.interphase.heterogeneity_cv))
    };
    let v = values(p, r);
    let ids = [
        (MetricId::DendriteHeightRatio, "highest tip / mean thickness"),
        (MetricId::DepositRoughness, "RMS of the front h(y)"),
        (MetricId::TipConcentrationGradient, "max |grad c| at the deposit x L / c0"),
        (
            MetricId::ShortCircuitTime,
            "the run's short or t + (L - h_max)/v_tip (late tip velocity); null: the tip does not advance",
        ),
    ];
    for ((id, method), (x, b)) in ids.into_iter().zip(v.into_iter().zip(bands)) {
        out.metrics.push(metric(id, x, method).with_band(b));
    }
}

/// The side-by-side table of both runs per material.
pub(super) fn table(
    rows: &[(String, Parameters, DendriteRun, DendriteRun)],
    o: &RunOptions,
    capacity: f64,
    time: f64,
    out: &mut StepOutput,
) {
    let um = |v: f64| Quantity::Length.display(v);
    let mut t = Table {
        title: format!(
            "Phase-field deposit at {}: equal charge {} and the paper's {}",
            Quantity::CurrentDensity.display(o.current),
            Quantity::ArealCapacity.display(capacity),
            Quantity::Time.display(time)
        ),
        columns: [
            "material",
            "at",
            "tip / mean",
            "roughness",
            "tip c/c0",
            "|∇c|L/c0",
            "tip amplification",
            "short (extrapolated)",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    for (id, p, a, b) in rows {
        for (r, at) in [(a, "equal charge"), (b, "150 s")] {
            let mo = &r.morphology;
            t.rows.push(vec![
                id.clone(),
                at.into(),
                format!("{:.2} ({} / {})", mo.height_ratio, um(mo.max_height), um(mo.mean_height)),
                um(mo.roughness),
                format!("{:.3}", mo.tip_concentration),
                format!("{:.3}", mo.tip_concentration_gradient * p.thickness / p.bulk_concentration),
                format!("{:.2}", r.amplification),
                r.short_circuit_time(p.thickness).map_or("none".into(), |v| Quantity::Time.display(v)),
            ]);
        }
    }
    out.tables.push(t);
}

/// Method notes: the calibration rule and the rate scaling of the 150-s comparison.
pub(super) fn notes(o: &RunOptions, time: f64, fit: &Fitted, out: &mut StepOutput) {
    out.notes.push(format!(
        "Identical nuclei (2 and 3 µm at ¼ and ⅝ of the width), seed {} and grid for both materials; only σ, t+, \
         i0 (measured) and the SEI differ. Calibration on PVH-IM only (dendrite-ccd): {}; SEI rule (PVH \
         predicted): heterogeneity CV ∝ organic share (1 − LiF share of F 1s: 57.2 vs 73.3 %), lumped resistance \
         ∝ ToF-SIMS sputter time (600 vs 100 s), from PVH-IM's assumed CV 0.05 and resistance 0.",
        o.seed,
        crate::steps::dendrite_calibration::describe(fit)
    ));
    out.notes.push(crate::steps::dendrite_calibration::bands::note());
    out.notes.push(format!(
        "Rate scaling: the paper's {} picture is run at the physical rates, which deposit only {} of Li at {} \
         (1.357 nm/s per mA/cm²); the paper's visible dendrites imply accelerated rates. Multiplying every rate \
         (L_σ, L_η, D, σ, J) by S gives the physical run at S × {}; the equal-charge comparison is the meaningful one.",
        Quantity::Time.display(time),
        Quantity::Length.display(o.current * time / (spelab_core::constants::FARADAY * 7.64e4)),
        Quantity::CurrentDensity.display(o.current),
        Quantity::Time.display(time)
    ));
}
