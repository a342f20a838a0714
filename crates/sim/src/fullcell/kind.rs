//! Which full-cell model a command or study runs ([`ModelKind`]), and [`DEFAULT_MODEL`], the one the
//! CLI and the study use when none is named.
//! The CLI (`--model`, its default), the `full-cell` step's `model` option and their error messages
//! follow from this file.

use super::model::FullCellModel;
use super::params::FullCell;
use super::protocol::{run_cycling_with_progress, CyclingProtocol};
use super::record::{CyclingRecord, Recording};
use super::spm::Spm;
use crate::error::SimError;

/// A full-cell model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// The single-particle model ([`Spm`], 20 shells): no electrolyte polarisation or depletion.
    Spm,
    /// The Doyle-Fuller-Newman model ([`super::Dfn`], PyBaMM's 20/20/20 mesh).
    Dfn,
}

const SPM_DESCRIPTION: &str = "single-particle model (20 shells; electrolyte at c0: no electrolyte \
                               polarisation or salt depletion, so it overestimates SPE capacities at high rate)";

/// The model used when none is named: the DFN (the SPM has no electrolyte, which is what limits SPE
/// cells).
pub const DEFAULT_MODEL: ModelKind = ModelKind::Dfn;

impl ModelKind {
    /// Every model, for help texts and errors.
    pub const ALL: [ModelKind; 2] = [ModelKind::Dfn, ModelKind::Spm];

    /// The model's name on the command line and in study files ("dfn", "spm").
    pub const fn name(self) -> &'static str {
        match self {
            ModelKind::Spm => "spm",
            ModelKind::Dfn => "dfn",
        }
    }

    /// The model named `name` (case-insensitive), if any.
    pub fn from_name(name: &str) -> Option<ModelKind> {
        ModelKind::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name.trim()))
    }

    /// One line on what the model resolves and what it leaves out.
    pub fn description(self) -> &'static str {
        match self {
            ModelKind::Spm => SPM_DESCRIPTION,
            ModelKind::Dfn => "Doyle-Fuller-Newman model (PyBaMM's mesh: 20 separator, 20 cathode, 20 particle cells; electrolyte transport and depletion)",
        }
    }

    /// The model of `cell` at rest with cathode stoichiometry `initial_stoichiometry`.
    pub fn build(
        self,
        cell: &FullCell,
        initial_stoichiometry: f64,
    ) -> Result<Box<dyn FullCellModel>, SimError> {
        Ok(match self {
            ModelKind::Spm => Box::new(Spm::new(cell, initial_stoichiometry, 20)?),
            ModelKind::Dfn => {
                Box::new(super::Dfn::new(cell, initial_stoichiometry, super::DfnMesh::default())?)
            }
        })
    }

    /// Builds the model at `initial_stoichiometry` and runs `protocol` on it ([`run_cycling`](super::run_cycling)).
    pub fn run(
        self,
        cell: &FullCell,
        initial_stoichiometry: f64,
        protocol: &CyclingProtocol,
        recording: &Recording,
    ) -> Result<CyclingRecord, SimError> {
        self.run_with_progress(cell, initial_stoichiometry, protocol, recording, &mut |_| {})
    }

    /// [`ModelKind::run`] reporting the fraction of cycles done ([`run_cycling_with_progress`]).
    pub fn run_with_progress(
        self,
        cell: &FullCell,
        initial_stoichiometry: f64,
        protocol: &CyclingProtocol,
        recording: &Recording,
        progress: &mut dyn FnMut(f64),
    ) -> Result<CyclingRecord, SimError> {
        let mut model = self.build(cell, initial_stoichiometry)?;
        run_cycling_with_progress(model.as_mut(), cell, protocol, recording, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in ModelKind::ALL {
            assert_eq!(ModelKind::from_name(k.name()), Some(k));
        }
        assert_eq!(ModelKind::from_name(" SPM "), Some(ModelKind::Spm));
        assert_eq!(ModelKind::from_name("p2d"), None);
        assert!(ModelKind::ALL.contains(&DEFAULT_MODEL));
    }
}
