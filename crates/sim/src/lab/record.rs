//! Recording a [`Simulation`] as a cycler or potentiostat would: a [`TimeSeries`] in amperes and
//! volts with temperature, cycle and step channels and optional seeded noise, or [`CyclingData`].
//!
//! A run that fails ends with one more reading at the stop time, as an instrument logs the point
//! that trips its limit: at a voltage-limit stop the limit (±U_lim), at a depletion (Sand) stop the
//! instrument's compliance voltage ±[`COMPLIANCE_VOLTAGE`] with the sign of the current. The model's
//! voltage diverges there (ln c → −∞ in the diffusion potential, j0(c) → 0 in the kinetics), so any
//! finite instrument limit is crossed at the depletion time itself; without this reading the last
//! logged point can lie far below the analysis cut-offs and the failure would not show in the data.

use spelab_core::measurement::SplitOptions;
use spelab_core::{CyclingData, Metadata, Technique, TimeSeries};

use spelab_core::random::Rng;

use super::noise::Noise;
use crate::error::SimError;
use crate::symmetric::{Simulation, StopReason, SymmetricCell};

/// Voltage the virtual instruments read when the cell voltage diverges at a depletion stop (the
/// ±10 V compliance of common potentiostat/cycler channels) [V].
pub const COMPLIANCE_VOLTAGE: f64 = 10.0;

/// The reading an instrument logs at a failed run's stop: (time [s], current density [A/m²],
/// voltage [V]); `None` for a completed run.
pub fn stop_reading(sim: &Simulation) -> Option<(f64, f64, f64)> {
    match sim.stop {
        StopReason::Completed => None,
        StopReason::Depletion { time_s, current_density, .. } => {
            Some((time_s, current_density, COMPLIANCE_VOLTAGE.copysign(current_density)))
        }
        StopReason::VoltageLimit { time_s, current_density, voltage, .. } => {
            Some((time_s, current_density, voltage))
        }
    }
}

/// Metadata of a simulated record: source "simulation", technique, temperature, area, thickness.
pub fn simulation_metadata(cell: &SymmetricCell, technique: Technique) -> Metadata {
    Metadata::default()
        .with_source("simulation")
        .with_instrument("spelab virtual cycler")
        .with_technique(technique)
        .with_temperature(cell.temperature)
        .with_area(cell.area)
        .with_thickness(cell.thickness)
}

/// The run as a time series: current J·A [A], voltage [V], temperature [K], cycle and step
/// (segment index + 1) channels, with optional seeded Gaussian noise on current and voltage, and the
/// stop reading of a failed run (module docs; no noise on it).
pub fn time_series(
    sim: &Simulation,
    cell: &SymmetricCell,
    technique: Technique,
    noise: Option<&Noise>,
) -> Result<TimeSeries, SimError> {
    let mut rng = noise.map(|n| Rng::new(n.seed));
    let mut time = Vec::with_capacity(sim.samples.len());
    let mut current = Vec::with_capacity(sim.samples.len());
    let mut voltage = Vec::with_capacity(sim.samples.len());
    for s in &sim.samples {
        let (mut i, mut u) = (s.current_density * cell.area, s.voltage.voltage);
        if let (Some(r), Some(n)) = (&mut rng, noise) {
            i += n.current_std * r.normal();
            u += n.voltage_std * r.normal();
        }
        time.push(s.time_s);
        current.push(i);
        voltage.push(u);
    }
    let mut cycle: Vec<u32> = sim.samples.iter().map(|s| s.cycle).collect();
    let mut step: Vec<u32> = sim.samples.iter().map(|s| s.segment as u32 + 1).collect();
    if let Some((t, j, u)) = stop_reading(sim) {
        let segment = match sim.stop {
            StopReason::Depletion { segment, .. } | StopReason::VoltageLimit { segment, .. } => segment,
            StopReason::Completed => 0,
        };
        let last_cycle = cycle.last().copied().unwrap_or(1);
        if time.last().is_some_and(|&last| last >= t) {
            // The model already logged the stop time (voltage-limit stop): the reading is the limit.
            let k = time.len() - 1;
            if u.abs() > voltage[k].abs() {
                voltage[k] = u;
            }
        } else {
            time.push(t);
            current.push(j * cell.area);
            voltage.push(u);
            cycle.push(last_cycle);
            step.push(segment as u32 + 1);
        }
    }
    let n = time.len();
    Ok(TimeSeries::new(time, current, voltage, simulation_metadata(cell, technique))?
        .with_temperature(vec![cell.temperature; n])?
        .with_cycle(cycle)?
        .with_step(step)?)
}

/// The run as galvanostatic cycling data (technique GCPL), split with a rest threshold of half the
/// smallest non-zero |current| in the record (robust for CCD staircases spanning many decades).
pub fn cycling_data(
    sim: &Simulation,
    cell: &SymmetricCell,
    noise: Option<&Noise>,
) -> Result<CyclingData, SimError> {
    let ts = time_series(sim, cell, Technique::Gcpl, noise)?;
    let smallest = sim
        .samples
        .iter()
        .map(|s| (s.current_density * cell.area).abs())
        .filter(|&i| i > 0.0)
        .fold(f64::INFINITY, f64::min);
    let threshold = if smallest.is_finite() { 0.5 * smallest } else { 0.0 };
    let options = SplitOptions { current_threshold: Some(threshold), ..Default::default() };
    Ok(CyclingData::from_time_series(ts, options)?)
}
