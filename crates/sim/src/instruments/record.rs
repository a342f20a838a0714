//! Recording a [`Simulation`] as a cycler or potentiostat would: a [`TimeSeries`] in amperes and
//! volts with temperature, cycle and step channels and optional seeded noise, or [`CyclingData`].

use spelab_core::measurement::SplitOptions;
use spelab_core::{CyclingData, Metadata, Technique, TimeSeries};

use super::noise::{Noise, Rng};
use crate::error::SimError;
use crate::symmetric::{Simulation, SymmetricCell};

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
/// (segment index + 1) channels, with optional seeded Gaussian noise on current and voltage.
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
    let n = time.len();
    Ok(TimeSeries::new(time, current, voltage, simulation_metadata(cell, technique))?
        .with_temperature(vec![cell.temperature; n])?
        .with_cycle(sim.samples.iter().map(|s| s.cycle).collect())?
        .with_step(sim.samples.iter().map(|s| s.segment as u32 + 1).collect())?)
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
