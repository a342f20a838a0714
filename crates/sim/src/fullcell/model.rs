//! The interface every full-cell model offers to the protocol runner: advance under a constant
//! current until a duration elapses or a limit is reached ([`FullCellModel`]), reporting a
//! [`FullCellSample`] at every accepted time step.
//!
//! Sign convention (PyBaMM's): current density > 0 discharges the cell (Li stripped from the foil,
//! inserted into the cathode), < 0 charges it, 0 is a rest.

use crate::error::SimError;

/// Limits that end a constant-current segment early.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// End the segment when the terminal voltage falls to this value [V] (checked while discharging).
    pub voltage_min: f64,
    /// End the segment when the terminal voltage rises to this value [V] (checked while charging).
    pub voltage_max: f64,
    /// End the segment when the electrolyte concentration anywhere falls to this value [mol/m³]
    /// (cellmodel.md: 1 mol/m³, PyBaMM's added "Electrolyte depletion" event).
    pub electrolyte_min: f64,
}

/// Why a segment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentEnd {
    /// The requested duration elapsed.
    Duration,
    /// The voltage reached `voltage_min` (located to the solver's event tolerance).
    VoltageMin,
    /// The voltage reached `voltage_max`.
    VoltageMax,
    /// The electrolyte concentration reached `electrolyte_min` somewhere.
    Depletion,
    /// The cathode surface stoichiometry reached 0 or 1 somewhere (no more room / no more Li).
    Stoichiometry,
}

/// The state of the cell at one accepted time step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FullCellSample {
    /// Time since the model was created [s].
    pub time_s: f64,
    /// Terminal voltage (cathode current collector vs Li foil) [V].
    pub voltage: f64,
    /// Applied current density [A/m²] (> 0 discharge).
    pub current_density: f64,
    /// Charge passed since the model was created, ∫ i dt [C/m²] (discharge positive).
    pub charge: f64,
    /// Smallest electrolyte concentration in the cell [mol/m³].
    pub electrolyte_min: f64,
    /// Cathode stoichiometry averaged over all particles [1] (the state of charge, 0 = charged LFP).
    pub mean_stoichiometry: f64,
}

/// A full-cell model that a protocol can drive: constant-current segments with limits.
pub trait FullCellModel {
    /// The current state as a sample (current density = that of the last segment, 0 at start).
    fn sample(&self) -> FullCellSample;

    /// Advances under constant current density `current_density` [A/m²] for at most `duration_s` [s],
    /// ending early at the first limit reached (the end time is located to the model's event
    /// tolerance, 1e-6 relative in time or 0.1 mV, whichever comes first). Calls `observe` after every
    /// accepted step, including the last one. On error (solver failure) the state is that of the
    /// last accepted step.
    fn advance(
        &mut self,
        current_density: f64,
        duration_s: f64,
        limits: &Limits,
        observe: &mut dyn FnMut(&FullCellSample),
    ) -> Result<SegmentEnd, SimError>;
}
