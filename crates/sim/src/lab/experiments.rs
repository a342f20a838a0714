//! The virtual experiments: protocol + model + recorder in one call.

use spelab_core::{CyclingData, Technique, TimeSeries};

use super::noise::Noise;
use super::record::{cycling_data, time_series};
use crate::error::{check_param, SimError};
use crate::symmetric::{
    simulate, simulate_with_progress, Protocol, Sampling, Simulation, SolverOptions, SymmetricCell,
};

/// A cycling record and the simulation behind it.
#[derive(Debug, Clone)]
pub struct CyclingRun {
    /// The record as a cycler gives it.
    pub data: CyclingData,
    /// The model run (stop reason, voltage breakdown, final state).
    pub simulation: Simulation,
}

/// A CCD staircase record, the simulation and the simulated CCD.
#[derive(Debug, Clone)]
pub struct CcdRun {
    /// The record as a cycler gives it.
    pub data: CyclingData,
    /// The model run.
    pub simulation: Simulation,
    /// |J| of the step at which the cell failed (depletion or voltage limit), `None` if it never
    /// failed [A/m²].
    pub critical_current_density: Option<f64>,
}

/// A time-series record and the simulation behind it.
#[derive(Debug, Clone)]
pub struct TimeSeriesRun {
    /// The record as a potentiostat gives it.
    pub data: TimeSeries,
    /// The model run.
    pub simulation: Simulation,
}

fn options(sample_interval_s: f64, voltage_limit: Option<f64>) -> Result<SolverOptions, SimError> {
    check_param("sample_interval_s", sample_interval_s, sample_interval_s > 0.0, "> 0 s")?;
    // Instrument accuracy (50 µV noise) does not need the oracle-test settings of the defaults:
    // 100 cells and rtol 1e-6 change the periodic cycling voltage by < 1e-12 V and Sand times by
    // ~1e-5 relative, and halve the cost of long runs.
    Ok(SolverOptions {
        sampling: Sampling::Interval(sample_interval_s),
        voltage_limit,
        cells: 100,
        rtol: 1e-6,
        atol_fraction: 1e-7,
        ..Default::default()
    })
}

/// Galvanostatic cycling: `cycles` × (+J for `half_cycle_s`, rest, −J, rest), sampled every
/// `sample_interval_s` [A/m², s]. A run that fails early (depletion) is recorded up to the failure.
pub fn galvanostatic_cycling(
    cell: &SymmetricCell,
    current_density: f64,
    half_cycle_s: f64,
    rest_s: f64,
    cycles: u32,
    sample_interval_s: f64,
    noise: Option<&Noise>,
) -> Result<CyclingRun, SimError> {
    let setup = (current_density, half_cycle_s, rest_s, cycles);
    galvanostatic_cycling_with_progress(cell, setup, sample_interval_s, noise, &mut |_| {})
}

/// [`galvanostatic_cycling`] of `(current_density, half_cycle_s, rest_s, cycles)`, telling
/// `progress` the fraction done after each half-cycle and rest (for long runs).
pub fn galvanostatic_cycling_with_progress(
    cell: &SymmetricCell,
    (current_density, half_cycle_s, rest_s, cycles): (f64, f64, f64, u32),
    sample_interval_s: f64,
    noise: Option<&Noise>,
    progress: &mut dyn FnMut(f64),
) -> Result<CyclingRun, SimError> {
    let protocol = Protocol::Cycling { current_density, half_cycle_s, rest_s, cycles };
    let simulation = simulate_with_progress(cell, &protocol, &options(sample_interval_s, None)?, progress)?;
    Ok(CyclingRun { data: cycling_data(&simulation, cell, noise)?, simulation })
}

/// CCD staircase: step k is ±k·ΔJ for `half_cycle_s` each, stopping at the first depletion or at
/// |U| ≥ `voltage_limit` (the usual experimental criterion: a voltage spike or a short) [A/m², s, V].
pub fn ccd_staircase(
    cell: &SymmetricCell,
    step_current_density: f64,
    half_cycle_s: f64,
    steps: u32,
    voltage_limit: Option<f64>,
    sample_interval_s: f64,
    noise: Option<&Noise>,
) -> Result<CcdRun, SimError> {
    let protocol = Protocol::CcdStaircase { step_current_density, half_cycle_s, rest_s: 0.0, steps };
    let simulation = simulate(cell, &protocol, &options(sample_interval_s, voltage_limit)?)?;
    let critical_current_density = simulation.stop.failure_current_density().map(f64::abs);
    Ok(CcdRun { data: cycling_data(&simulation, cell, noise)?, simulation, critical_current_density })
}

/// Chronoamperometry: a voltage step ΔU from rest held for `duration_s` (the DC half of the
/// Bruce-Vincent method), technique CA [V, s].
pub fn chronoamperometry(
    cell: &SymmetricCell,
    voltage: f64,
    duration_s: f64,
    sample_interval_s: f64,
    noise: Option<&Noise>,
) -> Result<TimeSeriesRun, SimError> {
    let protocol = Protocol::Potentiostatic { voltage, duration_s };
    let simulation = simulate(cell, &protocol, &options(sample_interval_s, None)?)?;
    Ok(TimeSeriesRun { data: time_series(&simulation, cell, Technique::Ca, noise)?, simulation })
}

/// DC polarization at constant current density for `duration_s`, stopping at depletion or the
/// voltage limit, technique DC polarization [A/m², s, V].
pub fn dc_polarization(
    cell: &SymmetricCell,
    current_density: f64,
    duration_s: f64,
    voltage_limit: Option<f64>,
    sample_interval_s: f64,
    noise: Option<&Noise>,
) -> Result<TimeSeriesRun, SimError> {
    let protocol = Protocol::ConstantCurrent { current_density, duration_s };
    let simulation = simulate(cell, &protocol, &options(sample_interval_s, voltage_limit)?)?;
    let data = time_series(&simulation, cell, Technique::DcPolarization, noise)?;
    Ok(TimeSeriesRun { data, simulation })
}

/// Linear sweep voltammetry of the symmetric cell from 0 V to `end_voltage` at `rate` (a slow
/// sweep, e.g. 1 mV/s, for a Tafel analysis of j0), technique LSV [V, V/s].
pub fn linear_sweep(
    cell: &SymmetricCell,
    end_voltage: f64,
    rate: f64,
    sample_interval_s: f64,
    noise: Option<&Noise>,
) -> Result<TimeSeriesRun, SimError> {
    let protocol = Protocol::LinearSweep { start_voltage: 0.0, end_voltage, rate };
    let simulation = simulate(cell, &protocol, &options(sample_interval_s, None)?)?;
    Ok(TimeSeriesRun { data: time_series(&simulation, cell, Technique::Lsv, noise)?, simulation })
}

/// The three transport-based CCD predictions of cellmodel.md §1 for a staircase with half-cycles of
/// `half_cycle_s`: the limiting current, the Sand current at the half-cycle time and the simulated
/// staircase [A/m²].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CcdPrediction {
    /// J_lim = 2FDc₀/((1 − t₊)L) [A/m²].
    pub limiting_current_density: f64,
    /// J_Sand(t_h) = c₀F√(πD/t_h)/(2(1 − t₊)) [A/m²].
    pub sand_current_density: f64,
    /// |J| of the failing staircase step, `None` if no step up to the last failed [A/m²].
    pub staircase_current_density: Option<f64>,
    /// Why the staircase ended.
    pub stop: crate::symmetric::StopReason,
}

/// Predicts the CCD of `cell` by the three criteria; the staircase uses steps of
/// `step_current_density`, at most `steps` of them, and the optional voltage limit [A/m², s, V].
pub fn ccd_prediction(
    cell: &SymmetricCell,
    step_current_density: f64,
    half_cycle_s: f64,
    steps: u32,
    voltage_limit: Option<f64>,
) -> Result<CcdPrediction, SimError> {
    let c = crate::analytic::ConstantCell::of(cell);
    let protocol = Protocol::CcdStaircase { step_current_density, half_cycle_s, rest_s: 0.0, steps };
    let o = SolverOptions {
        sampling: Sampling::Times(Vec::new()),
        voltage_limit,
        cells: 100,
        ..Default::default()
    };
    let sim = simulate(cell, &protocol, &o)?;
    Ok(CcdPrediction {
        limiting_current_density: crate::analytic::limiting_current_density(&c),
        sand_current_density: crate::analytic::sand_current_density(&c, half_cycle_s),
        staircase_current_density: sim.stop.failure_current_density().map(f64::abs),
        stop: sim.stop,
    })
}
