//! The virtual cycler on the LFP | SPE | Li full cell of [`crate::fullcell`]: a material's cell
//! cycled from the assembled (discharged) state through a protocol, recorded as cycling data.

use spelab_core::CyclingData;

use crate::error::SimError;
use crate::fullcell::{
    CyclingProtocol, CyclingRecord, FullCell, ModelKind, Recording, ASSEMBLED_STOICHIOMETRY, DEFAULT_MODEL,
};
use crate::params::MaterialParams;
use spelab_core::constants::{
    DEFAULT_ELECTRODE_AREA as DEFAULT_AREA, DEFAULT_SALT_CONCENTRATION as MATERIAL_SALT_CONCENTRATION,
};

/// A full-cell cycling experiment; [`FullCellExperiment::new`] gives the values in brackets.
#[derive(Debug, Clone)]
pub struct FullCellExperiment {
    /// The model [[`DEFAULT_MODEL`]].
    pub model: ModelKind,
    /// The cycling protocol (a rate test: [`CyclingProtocol::rate_capability`]).
    pub protocol: CyclingProtocol,
    /// Electrode area [m²] [1 cm²].
    pub area: f64,
    /// Salt concentration [mol/m³] [[`MATERIAL_SALT_CONCENTRATION`]].
    pub salt_concentration: f64,
    /// Membrane thickness [m] [`None`: the material's].
    pub thickness: Option<f64>,
    /// Temperature [K] [`None`: the material's].
    pub temperature: Option<f64>,
    /// Thinning of the record [[`Recording::default`]].
    pub recording: Recording,
}

impl FullCellExperiment {
    /// `protocol` with the defaults above.
    pub fn new(protocol: CyclingProtocol) -> Self {
        Self {
            model: DEFAULT_MODEL,
            protocol,
            area: DEFAULT_AREA,
            salt_concentration: MATERIAL_SALT_CONCENTRATION,
            thickness: None,
            temperature: None,
            recording: Recording::default(),
        }
    }
}

/// What the virtual cycler records on a full cell.
#[derive(Debug, Clone)]
pub struct FullCellRecord {
    /// The cell that was simulated.
    pub cell: FullCell,
    /// The model's record (active mass, segment ends, per-cycle capacities).
    pub record: CyclingRecord,
    /// The record as a cycler file gives it, split into cycles.
    pub data: CyclingData,
}

/// Study step `full-cell` (virtual mode) and `spelab simulate full-cell`: the full cell of
/// `material` (its σ(T), t₊, Li j0 and membrane with the reference LFP cathode) cycled by
/// `experiment.protocol` from the assembled, discharged state (noiseless).
pub fn full_cell_rate_test(
    material: &MaterialParams,
    experiment: &FullCellExperiment,
) -> Result<FullCellRecord, SimError> {
    full_cell_rate_test_with_progress(material, experiment, &mut |_| {})
}

/// [`full_cell_rate_test`] reporting the fraction of cycles done (0 to 1) to `progress`.
pub fn full_cell_rate_test_with_progress(
    material: &MaterialParams,
    experiment: &FullCellExperiment,
    progress: &mut dyn FnMut(f64),
) -> Result<FullCellRecord, SimError> {
    let mut m = *material;
    if let Some(l) = experiment.thickness {
        m.thickness = l;
    }
    let mut cell = FullCell::from_material(&m, experiment.salt_concentration)?;
    cell.area = experiment.area;
    if let Some(t) = experiment.temperature {
        cell.temperature = t;
    }
    cell.validate()?;
    let (protocol, recording) = (&experiment.protocol, &experiment.recording);
    let record =
        experiment.model.run_with_progress(&cell, ASSEMBLED_STOICHIOMETRY, protocol, recording, progress)?;
    let data = record.cycling_data()?;
    Ok(FullCellRecord { cell, record, data })
}
