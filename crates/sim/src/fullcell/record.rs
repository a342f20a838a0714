//! The record of a full-cell cycling run ([`CyclingRecord`]) and its conversion to the spelab-core
//! measurement types the analysis takes: a [`TimeSeries`] in amperes (current × area, positive =
//! charge as cyclers log it, the opposite of the model's sign) and volts, and [`CyclingData`] split
//! with each cycle starting at a charge, exactly as the `full-cell` study step splits measured files.
//!
//! Samples are thinned ([`Recording`]): a sample is kept when the voltage moved by `voltage_step`
//! or `max_interval_s` passed since the last kept one; the first and last sample of each segment are
//! always kept. The current is constant inside a segment, so the trapezoid charge of the thinned
//! record equals the model's ∫ i dt to rounding.

use serde::Serialize;
use spelab_core::measurement::{Direction, SplitOptions};
use spelab_core::{CyclingData, Metadata, Technique, TimeSeries};

use super::model::{FullCellSample, SegmentEnd};
use super::params::FullCell;
use crate::error::{check_param, SimError};

/// How samples are thinned (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recording {
    /// Keep a sample when the voltage moved this much since the last kept one [V]. Default 2 mV.
    pub voltage_step: f64,
    /// Keep a sample when this much time passed since the last kept one; `None`: 1 % of the
    /// segment's longest duration [s].
    pub max_interval_s: Option<f64>,
}

impl Default for Recording {
    fn default() -> Self {
        Recording { voltage_step: 2e-3, max_interval_s: None }
    }
}

impl Recording {
    /// Checks the thinning options (positive, finite).
    pub fn validate(&self) -> Result<(), SimError> {
        check_param("recording voltage_step", self.voltage_step, self.voltage_step > 0.0, "> 0 V")?;
        if let Some(t) = self.max_interval_s {
            check_param("recording max_interval_s", t, t > 0.0, "> 0 s")?;
        }
        Ok(())
    }
}

/// What a segment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    /// Constant-current charge (cathode delithiated) towards the upper cut-off.
    Charge,
    /// Constant-current discharge towards the lower cut-off.
    Discharge,
    /// Open circuit.
    Rest,
}

/// One recorded sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RecordPoint {
    /// Time [s].
    pub time_s: f64,
    /// Current density, model sign (> 0 discharge) [A/m²].
    pub current_density: f64,
    /// Terminal voltage [V].
    pub voltage: f64,
    /// ∫ i dt since the start [C/m²].
    pub charge: f64,
    /// Mean cathode stoichiometry [1].
    pub mean_stoichiometry: f64,
    /// Smallest electrolyte concentration [mol/m³].
    pub electrolyte_min: f64,
    /// Cycle number, from 1.
    pub cycle: u32,
    /// Segment number, from 1.
    pub step: u32,
}

/// One segment as the model ran it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentSummary {
    /// Charge, discharge or rest.
    pub kind: SegmentKind,
    /// C-rate (0 for a rest) [1/h].
    pub c_rate: f64,
    /// Cycle number, from 1.
    pub cycle: u32,
    /// Current density (> 0 discharge) [A/m²].
    pub current_density: f64,
    /// Start time [s].
    pub start_s: f64,
    /// End time [s].
    pub end_s: f64,
    /// The model's ∫ i dt over the segment [C/m²] (> 0 on discharge).
    pub charge: f64,
    /// Why it ended.
    #[serde(serialize_with = "serialize_end")]
    pub end: SegmentEnd,
    /// Voltage at the end [V].
    pub end_voltage: f64,
}

fn serialize_end<S: serde::Serializer>(end: &SegmentEnd, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(segment_end_name(*end))
}

/// Why a simulated cycle's Coulombic efficiency [%] is away from 100 % although the model loses no
/// lithium, for a report to print beside the number (empty when CE is within 0.5 % of 100 %):
/// `previous_rate` is the C-rate of the cycle before (None for the first cycle).
pub fn coulombic_efficiency_note(
    ce_percent: Option<f64>,
    previous_rate: Option<f64>,
    rate: f64,
    discharge_end: SegmentEnd,
) -> &'static str {
    let Some(ce) = ce_percent else { return "" };
    if (ce - 100.0).abs() <= 0.5 {
        ""
    } else if previous_rate.is_none() {
        "first cycle: charged from the assembled state, not from the last discharge"
    } else if previous_rate.is_some_and(|p| (p - rate).abs() > 1e-9) {
        "C-rate changed: the cathode's stoichiometry window shifts (no Li lost)"
    } else if discharge_end == SegmentEnd::Depletion {
        "salt depletion ends charge and discharge at different charges (no Li lost)"
    } else {
        "the stoichiometry window is still settling after a change (no Li lost)"
    }
}

/// A short name of a segment end ("duration", "voltage_min", "voltage_max", "depletion",
/// "stoichiometry").
pub fn segment_end_name(end: SegmentEnd) -> &'static str {
    match end {
        SegmentEnd::Duration => "duration",
        SegmentEnd::VoltageMin => "voltage_min",
        SegmentEnd::VoltageMax => "voltage_max",
        SegmentEnd::Depletion => "depletion",
        SegmentEnd::Stoichiometry => "stoichiometry",
    }
}

/// A recorded cycling run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CyclingRecord {
    /// The thinned samples, in time order.
    pub points: Vec<RecordPoint>,
    /// Every segment, in order.
    pub segments: Vec<SegmentSummary>,
    /// Electrode area [m²].
    pub area: f64,
    /// Active-material mass of the cell [kg].
    pub active_mass: f64,
    /// Cell temperature [K].
    pub temperature: f64,
    /// Theoretical capacity per area, for stoichiometry checks [C/m²].
    pub theoretical_capacity: f64,
    /// The state the run started from.
    pub initial_stoichiometry: f64,
}

/// Per-cycle capacities from the model's own ∫ i dt.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CycleCapacity {
    /// Cycle number, from 1.
    pub cycle: u32,
    /// C-rate of the cycle [1/h].
    pub c_rate: f64,
    /// Charge capacity [mAh/g].
    pub charge_mah_g: f64,
    /// Discharge capacity [mAh/g].
    pub discharge_mah_g: f64,
    /// How the discharge ended.
    #[serde(serialize_with = "serialize_end")]
    pub discharge_end: SegmentEnd,
}

impl CyclingRecord {
    /// An empty record of `cell` starting at `start`.
    pub fn new(cell: &FullCell, start: FullCellSample) -> CyclingRecord {
        CyclingRecord {
            points: Vec::new(),
            segments: Vec::new(),
            area: cell.area,
            active_mass: cell.active_mass_per_area() * cell.area,
            temperature: cell.temperature,
            theoretical_capacity: cell.theoretical_capacity(),
            initial_stoichiometry: start.mean_stoichiometry,
        }
    }

    /// Converts an areal charge [C/m²] to mAh/g of active material.
    pub fn mah_g(&self, charge_per_area: f64) -> f64 {
        charge_per_area * self.area / 3.6 / (self.active_mass * 1000.0)
    }

    /// Charge and discharge capacity of each cycle from the model's ∫ i dt (no thinning involved).
    pub fn cycle_capacities(&self) -> Vec<CycleCapacity> {
        let mut out: Vec<CycleCapacity> = Vec::new();
        for s in &self.segments {
            if s.kind == SegmentKind::Rest {
                continue;
            }
            if out.last().is_none_or(|c| c.cycle != s.cycle) {
                out.push(CycleCapacity {
                    cycle: s.cycle,
                    c_rate: s.c_rate,
                    charge_mah_g: 0.0,
                    discharge_mah_g: 0.0,
                    discharge_end: SegmentEnd::Duration,
                });
            }
            let c = out.last_mut().expect("pushed above");
            match s.kind {
                SegmentKind::Charge => c.charge_mah_g += self.mah_g(s.charge.abs()),
                SegmentKind::Discharge => {
                    c.discharge_mah_g += self.mah_g(s.charge.abs());
                    c.discharge_end = s.end;
                }
                SegmentKind::Rest => {}
            }
        }
        out
    }

    /// The record as a galvanostatic time series (technique GCPL): current = −i × area [A] (cycler
    /// sign: positive charges the cathode), voltage [V], temperature, cycle and step channels.
    pub fn time_series(&self) -> Result<TimeSeries, SimError> {
        let meta = Metadata::default()
            .with_source("simulation")
            .with_instrument("spelab virtual cycler")
            .with_technique(Technique::Gcpl)
            .with_temperature(self.temperature)
            .with_area(self.area)
            .with_active_mass(self.active_mass);
        let p = &self.points;
        let n = p.len();
        Ok(TimeSeries::new(
            p.iter().map(|p| p.time_s).collect(),
            p.iter().map(|p| -p.current_density * self.area).collect(),
            p.iter().map(|p| p.voltage).collect(),
            meta,
        )?
        .with_temperature(vec![self.temperature; n])?
        .with_cycle(p.iter().map(|p| p.cycle).collect())?
        .with_step(p.iter().map(|p| p.step).collect())?)
    }

    /// The split the `full-cell` step applies to measured records: a cycle starts at each charge
    /// (the instrument's cycle channel is not used); the rest threshold is half the smallest
    /// non-zero |current|.
    pub fn cycling_data(&self) -> Result<CyclingData, SimError> {
        let smallest = self
            .points
            .iter()
            .map(|p| (p.current_density * self.area).abs())
            .filter(|&i| i > 0.0)
            .fold(f64::INFINITY, f64::min);
        let options = SplitOptions {
            current_threshold: smallest.is_finite().then_some(0.5 * smallest),
            cycle_start: Some(Direction::Charge),
            use_cycle_channel: false,
            ..SplitOptions::default()
        };
        Ok(CyclingData::from_time_series(self.time_series()?, options)?)
    }
}
