//! The LiFePO4 | electrolyte | Li-metal full cell (cellmodel.md §2): parameters ([`FullCell`]), the
//! model interface the protocols drive ([`FullCellModel`]).
//!
//! The electrolyte is either a liquid in a porous separator or a solid polymer electrolyte that forms a
//! dense membrane and fills the cathode pores; the Li-metal counter electrode is a boundary at x = 0.
//! The reference parameter sets ([`FullCell::prada2013`]) are PyBaMM's LFP half cells of cellmodel.md
//! §3, so models are tested against the PyBaMM curves in `shared/data/pybamm/curves`.

mod dfn;
mod model;
mod params;

pub use dfn::{Dfn, DfnMesh, DfnStats, DEFAULT_RTOL};
pub use model::{FullCellModel, FullCellSample, Limits, SegmentEnd};
pub use params::{
    Cathode, Electrolyte, FullCell, LithiumMetal, Ocp, ReferenceElectrolyte, Separator, LFP_MOLAR_MASS,
};
