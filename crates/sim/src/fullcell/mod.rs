//! The LiFePO4 | electrolyte | Li-metal full cell (cellmodel.md §2): parameters ([`FullCell`]), the
//! model interface the protocols drive ([`FullCellModel`]), the Doyle-Fuller-Newman model ([`Dfn`]),
//! the single-particle model ([`Spm`]), and
//! galvanostatic cycling ([`CyclingProtocol`], [`run_cycling`]) recorded as a [`CyclingRecord`] that
//! converts to the spelab-core types the analysis takes. [`ModelKind`] names the model a command or
//! study runs ([`DEFAULT_MODEL`]); [`FullCell::from_material`] builds the cell of a material preset.
//!
//! The electrolyte is either a liquid in a porous separator or a solid polymer electrolyte that forms a
//! dense membrane and fills the cathode pores; the Li-metal counter electrode is a boundary at x = 0.
//! The reference parameter sets ([`FullCell::prada2013`]) are PyBaMM's LFP half cells of cellmodel.md
//! §3, so models are tested against the PyBaMM curves in `shared/data/pybamm/curves`.
//!
//! On top: [`calibration`] (fit to measured rate capability), [`ageing`] (retention over hundreds of
//! cycles, a law's rate calibrated on one retention number) and [`design_map`] (rate capability over a
//! σ × t₊ grid).

pub mod ageing;
pub mod bpx;
pub mod calibration;
pub mod design_map;
mod dfn;
mod kind;
mod material;
mod model;
mod params;
mod protocol;
mod record;
mod spm;

pub use dfn::{Dfn, DfnMesh, DfnStats, DEFAULT_RTOL};
pub use kind::{ModelKind, DEFAULT_MODEL};
pub use model::{FullCellModel, FullCellSample, Limits, SegmentEnd};
pub use params::{
    Cathode, Electrolyte, FullCell, LithiumMetal, Ocp, ReferenceElectrolyte, Separator, LFP_MOLAR_MASS,
};
pub use protocol::{
    run_cycling, run_cycling_with_progress, CyclingProtocol, RateBlock, ASSEMBLED_STOICHIOMETRY,
};
pub use record::{
    coulombic_efficiency_note, segment_end_name, CycleCapacity, CyclingRecord, RecordPoint, Recording,
    SegmentKind, SegmentSummary,
};
pub use spm::Spm;
