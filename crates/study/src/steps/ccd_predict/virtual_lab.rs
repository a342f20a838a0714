//! The `ccd-predict` step's virtual lab: the lab's Li|SPE|Li staircase of a material
//! ([`lab::ccd_staircase_experiment`]) and the CCD analysis a measured file gets.

use spelab_analysis::ccd::{critical_current_density_from_series, CcdOptions, CcdResult};
use spelab_sim::lab::{self, CcdExperiment, CcdRun, CellRecord, CellSpec};
use spelab_sim::params::MaterialParams;

/// Options of the CCD analysis of a simulated staircase: the defaults of a measured file, with the
/// rest threshold below the first step, the level tolerance below a quarter of the relative step
/// between the highest levels (the 2 % default would merge 60.5, 61 and 61.5 A/m² into one step of
/// a 0.5 A/m² staircase), and the divergence cut-off at most 0.999 × the voltage limit (the record
/// ends on the limit reading, which must count as divergence).
pub(super) fn analysis_options(step: f64, steps: u32, voltage_limit: Option<f64>) -> CcdOptions {
    let d = CcdOptions::default();
    CcdOptions {
        rest_current_density: d.rest_current_density.min(0.2 * step),
        level_tolerance: d.level_tolerance.min(0.25 / f64::from(steps.max(1))),
        cutoff_voltage: voltage_limit.map_or(d.cutoff_voltage, |l| d.cutoff_voltage.min(0.999 * l)),
        ..d
    }
}

/// The lab's staircase on the cell of `material` at `salt` [mol/m³] (30 readings per half-cycle)
/// and its CCD analysis.
pub(super) fn staircase(
    material: &MaterialParams,
    salt: f64,
    step: f64,
    half_cycle: f64,
    steps: u32,
    voltage_limit: Option<f64>,
) -> anyhow::Result<(CellRecord<CcdRun>, CcdResult)> {
    let experiment = CcdExperiment {
        cell: CellSpec { salt_concentration: Some(salt), ..CellSpec::default() },
        step_current_density: step,
        half_cycle_s: half_cycle,
        steps,
        voltage_limit,
        samples_per_half_cycle: 30,
    };
    let record = lab::ccd_staircase_experiment(material, &experiment)?;
    let r = critical_current_density_from_series(
        record.run.data.time_series(),
        record.cell.area,
        &analysis_options(step, steps, voltage_limit),
    )?;
    Ok((record, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spelab_sim::symmetric::StopReason;

    /// The CCD analysis of the simulated staircase finds the model's own stop step, as divergence,
    /// with or without a voltage limit (depletion: ±10 V compliance reading; limit: the limit).
    #[test]
    fn analysis_of_the_simulated_staircase_finds_the_model_stop_step() {
        for (id, limit) in [("pvh", None), ("pvh", Some(5.0)), ("pvh-im", Some(5.0)), ("pvh", Some(0.5))] {
            let params = spelab_sim::params::preset(id).unwrap().material_params().unwrap();
            let (CellRecord { run, .. }, r) = staircase(&params, 1000.0, 0.5, 1800.0, 400, limit).unwrap();
            let model = run.critical_current_density.expect("the staircase fails");
            // Both are k·ΔJ from the same current values: equal to rounding of I/A.
            let ccd = r.ccd.expect("the analysis sees the failure");
            assert!((ccd - model).abs() < 1e-9 * model, "{id} {limit:?}: analysis {ccd}, model {model}");
            assert!(
                (r.last_stable.unwrap() - (model - 0.5)).abs() < 1e-9 * model,
                "{id} {limit:?}: last stable {:?}, model {model}",
                r.last_stable
            );
            let f = r.failure.unwrap();
            assert_eq!(f.mode, spelab_analysis::ccd::FailureMode::Divergence, "{id} {limit:?}");
            // The failure is the last reading, at the model's stop time.
            let stop = match run.simulation.stop {
                StopReason::Depletion { time_s, .. } | StopReason::VoltageLimit { time_s, .. } => time_s,
                StopReason::Completed => unreachable!(),
            };
            assert!(f.time <= stop && f.time >= stop - 1800.0, "{id}: {} vs {stop}", f.time);
        }
    }
}
