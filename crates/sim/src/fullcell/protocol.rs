//! Galvanostatic cycling of a full (half) cell: a [`CyclingProtocol`] of C-rate blocks (each cycle: CC
//! charge to V_max, optional rest, CC discharge to V_min, optional rest), and [`run_cycling`], which
//! drives any [`FullCellModel`] through it and records the run as a [`CyclingRecord`].
//!
//! Conventions:
//! - 1C is the cell's theoretical capacity per hour ([`FullCell::one_c_current_density`]: 169.9 mA/g
//!   for LFP); charge and discharge run at the block's C-rate.
//! - Every cycle starts with the charge: an LFP | Li cell is assembled discharged (LiFePO4 is made
//!   fully lithiated), so the cathode must be charged (delithiated) first; [`ASSEMBLED_STOICHIOMETRY`]
//!   is the start state the CLI and study use. PyBaMM's reference discharges start charged instead
//!   (x = 0.0038).
//! - A CC segment ends at its voltage limit, at electrolyte depletion (SPEs at high rate: the real
//!   cell's voltage collapses right after, so depletion ends that half-cycle like a cut-off and the
//!   record keeps the last reading before it), at a surface stoichiometry of 0 or 1, or after
//!   `max_half_cycle_factor` × the nominal half-cycle time (a guard; reported in the segment).
//! - No side reactions are modelled: every coulomb that passes moves Li between foil and cathode, so
//!   the Coulombic efficiency differs from 100 % only through the shift of the stoichiometry window
//!   (the first cycle, which starts from the assembled state, the first cycle after a rate change, and
//!   cycles whose half-cycles both end by depletion: charge and discharge then stop after different
//!   charges, so the state of charge drifts from cycle to cycle).

use super::model::{FullCellModel, Limits};
use super::params::FullCell;
use super::record::{CyclingRecord, RecordPoint, Recording, SegmentKind, SegmentSummary};
use crate::error::{check_param, SimError};

/// Cathode stoichiometry of a freshly assembled LFP | Li cell [1]: LiFePO4 is made fully lithiated;
/// 0.99 keeps the exchange current density (∝ √(x(1 − x))) finite and puts the open-circuit
/// voltage of the Prada2013 curve at 2.72 V, inside the 2.5-4.0 V window.
pub const ASSEMBLED_STOICHIOMETRY: f64 = 0.99;

/// `cycles` cycles at one C-rate (charge and discharge at `c_rate`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateBlock {
    /// C-rate [1/h].
    pub c_rate: f64,
    /// Number of cycles.
    pub cycles: u32,
}

/// A galvanostatic cycling protocol (module docs).
#[derive(Debug, Clone, PartialEq)]
pub struct CyclingProtocol {
    /// The blocks, in order.
    pub blocks: Vec<RateBlock>,
    /// Open-circuit rest after each half-cycle (0 = none) [s].
    pub rest_s: f64,
    /// A CC segment ends after this many times its nominal duration (3600 s / C-rate) [1].
    pub max_half_cycle_factor: f64,
    /// Electrolyte depletion limit [mol/m³] (cellmodel.md: 1 mol/m³).
    pub electrolyte_min: f64,
    /// Each cycle is a discharge alone, from whatever state the last one left (a rate test of
    /// PyBaMM's kind: one discharge from a charged cell, [`CyclingProtocol::discharge`]).
    pub discharge_only: bool,
}

impl CyclingProtocol {
    /// `cycles` cycles at each C-rate in turn (a rate-capability test, e.g. 0.1/0.2/0.5/1/0.5/0.2/0.1C).
    pub fn rate_capability(c_rates: &[f64], cycles: u32) -> CyclingProtocol {
        CyclingProtocol {
            blocks: c_rates.iter().map(|&c_rate| RateBlock { c_rate, cycles }).collect(),
            rest_s: 0.0,
            max_half_cycle_factor: 1.5,
            electrolyte_min: 1.0,
            discharge_only: false,
        }
    }

    /// One constant-current discharge at `c_rate` from the model's state to the lower cut-off (or
    /// depletion), no charge first.
    pub fn discharge(c_rate: f64) -> CyclingProtocol {
        CyclingProtocol { discharge_only: true, ..CyclingProtocol::constant(c_rate, 1) }
    }

    /// `cycles` cycles at one C-rate.
    pub fn constant(c_rate: f64, cycles: u32) -> CyclingProtocol {
        CyclingProtocol::rate_capability(&[c_rate], cycles)
    }

    /// Checks the blocks (at least one; positive finite C-rates; at least one cycle each) and options.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.blocks.is_empty() {
            return Err(SimError::InvalidProtocol(
                "a cycling protocol needs at least one C-rate block".into(),
            ));
        }
        for b in &self.blocks {
            check_param("C-rate", b.c_rate, b.c_rate > 0.0, "> 0 1/h")?;
            if b.cycles == 0 {
                return Err(SimError::InvalidProtocol(format!("the {} C block has no cycles", b.c_rate)));
            }
        }
        check_param("rest", self.rest_s, self.rest_s >= 0.0, ">= 0 s")?;
        let f = self.max_half_cycle_factor;
        check_param("max_half_cycle_factor", f, f >= 1.0, ">= 1")?;
        let e = self.electrolyte_min;
        check_param("electrolyte_min", e, e >= 0.0, ">= 0 mol/m3")
    }

    /// Total number of cycles.
    pub fn cycles(&self) -> u32 {
        self.blocks.iter().map(|b| b.cycles).sum()
    }
}

/// Runs `protocol` on `model` (in whatever state it is: the caller builds it, e.g. at
/// [`ASSEMBLED_STOICHIOMETRY`]) for `cell` (C-rates, voltage window, area, active mass) and records it
/// with `recording`. A model failure is returned as the error with the cycle and segment named.
pub fn run_cycling(
    model: &mut dyn FullCellModel,
    cell: &FullCell,
    protocol: &CyclingProtocol,
    recording: &Recording,
) -> Result<CyclingRecord, SimError> {
    run_cycling_with_progress(model, cell, protocol, recording, &mut |_| {})
}

/// [`run_cycling`], calling `progress` with the fraction of the protocol's cycles done (0 to 1) after
/// each cycle (for a progress bar; it cannot change the run).
pub fn run_cycling_with_progress(
    model: &mut dyn FullCellModel,
    cell: &FullCell,
    protocol: &CyclingProtocol,
    recording: &Recording,
    progress: &mut dyn FnMut(f64),
) -> Result<CyclingRecord, SimError> {
    protocol.validate()?;
    recording.validate()?;
    let limits = Limits {
        voltage_min: cell.voltage_min,
        voltage_max: cell.voltage_max,
        electrolyte_min: protocol.electrolyte_min,
    };
    let mut rec = CyclingRecord::new(cell, model.sample());
    let one_c = cell.one_c_current_density();
    let mut cycle = 0u32;
    for block in &protocol.blocks {
        for _ in 0..block.cycles {
            cycle += 1;
            let nominal = 3600.0 / block.c_rate;
            let kinds: &[SegmentKind] = if protocol.discharge_only {
                &[SegmentKind::Discharge]
            } else {
                &[SegmentKind::Charge, SegmentKind::Discharge]
            };
            for &kind in kinds {
                let sign = if kind == SegmentKind::Charge { -1.0 } else { 1.0 };
                let i = sign * block.c_rate * one_c;
                let duration = protocol.max_half_cycle_factor * nominal;
                segment(model, &mut rec, recording, &limits, kind, block.c_rate, cycle, i, duration)?;
                if protocol.rest_s > 0.0 {
                    let (k, d) = (SegmentKind::Rest, protocol.rest_s);
                    segment(model, &mut rec, recording, &limits, k, 0.0, cycle, 0.0, d)?;
                }
            }
            progress(f64::from(cycle) / f64::from(protocol.cycles().max(1)));
        }
    }
    Ok(rec)
}

/// One segment: a start point at the segment's start time with its current (the voltage of the
/// model's first step: cyclers log a point on each side of a step change at the same instant), the
/// thinned samples, and always the last one.
#[allow(clippy::too_many_arguments)]
fn segment(
    model: &mut dyn FullCellModel,
    rec: &mut CyclingRecord,
    recording: &Recording,
    limits: &Limits,
    kind: SegmentKind,
    c_rate: f64,
    cycle: u32,
    i: f64,
    duration_s: f64,
) -> Result<(), SimError> {
    let start = model.sample();
    let step = rec.segments.len() as u32 + 1;
    let point = |s: &super::model::FullCellSample| RecordPoint {
        time_s: s.time_s,
        current_density: s.current_density,
        voltage: s.voltage,
        charge: s.charge,
        mean_stoichiometry: s.mean_stoichiometry,
        electrolyte_min: s.electrolyte_min,
        cycle,
        step,
    };
    let max_interval = recording.max_interval_s.unwrap_or(0.01 * duration_s);
    let mut pending: Option<RecordPoint> = None;
    let mut kept: Vec<RecordPoint> = Vec::new();
    let mut observe = |s: &super::model::FullCellSample| {
        let p = point(s);
        match kept.last() {
            None => {
                // The start point: the segment's start time and charge, the first step's voltage.
                kept.push(RecordPoint { time_s: start.time_s, charge: start.charge, ..p });
                pending = Some(p);
            }
            Some(last) => {
                if (p.voltage - last.voltage).abs() >= recording.voltage_step
                    || p.time_s - last.time_s >= max_interval
                {
                    kept.push(p);
                    pending = None;
                } else {
                    pending = Some(p);
                }
            }
        }
    };
    let end = model.advance(i, duration_s, limits, &mut observe)?;
    if let Some(p) = pending {
        kept.push(p);
    }
    let last = model.sample();
    if kept.is_empty() {
        // The model ended the segment without a step (a limit already reached at its start).
        kept.push(RecordPoint { current_density: i, voltage: last.voltage, ..point(&start) });
    }
    if kept.len() == 1 || kept.last().is_some_and(|p| p.time_s < last.time_s) {
        kept.push(point(&last));
    }
    rec.segments.push(SegmentSummary {
        kind,
        c_rate,
        cycle,
        current_density: i,
        start_s: start.time_s,
        end_s: last.time_s,
        charge: last.charge - start.charge,
        end,
        end_voltage: last.voltage,
    });
    rec.points.extend(kept);
    Ok(())
}
