//! A virtual full-cell run: the DFN or SPM cell of a material cycled by the lab's virtual cycler
//! ([`lab::full_cell_rate_test`]) and analysed by the same full-cell analysis as measured files. Shared by the `full-cell` step's virtual mode and
//! `spelab simulate full-cell`.

use anyhow::Context;
use spelab_analysis::fullcell::{full_cell_metrics, FullCell as FullCellMetrics, FullCellOptions};
use spelab_core::CyclingData;
use spelab_sim::fullcell::{
    CyclingProtocol, CyclingRecord, FullCell, ModelKind, Recording, ASSEMBLED_STOICHIOMETRY,
};
use spelab_sim::lab::{self, FullCellExperiment, FullCellRecord};
use spelab_sim::params::MaterialParams;

/// What a virtual full-cell run needs besides the material.
#[derive(Debug, Clone)]
pub struct FullCellSetup {
    /// The model.
    pub model: ModelKind,
    /// The cycling protocol.
    pub protocol: CyclingProtocol,
    /// Electrode area [m²].
    pub area: f64,
    /// Salt concentration [mol/m³].
    pub salt: f64,
    /// Membrane thickness [m] (None: the material's).
    pub thickness: Option<f64>,
    /// Temperature [K] (None: the material's).
    pub temperature: Option<f64>,
    /// Thinning of the record.
    pub recording: Recording,
    /// Reference cycle of the retention, as an index (0 = first).
    pub reference_cycle: usize,
}

/// A simulated and analysed full-cell run.
pub struct FullCellRun {
    /// The cell that was simulated.
    pub cell: FullCell,
    /// The record.
    pub record: CyclingRecord,
    /// The record split as the analysis takes it.
    pub data: CyclingData,
    /// The record through spelab-analysis's full-cell analysis (C-rates from the theoretical capacity).
    pub metrics: FullCellMetrics,
}

/// The full cell of `material` under `setup`, cycled from the assembled (discharged) state by the
/// lab ([`lab::full_cell_rate_test`]) and analysed.
pub fn run_full_cell(material: &MaterialParams, setup: &FullCellSetup) -> anyhow::Result<FullCellRun> {
    run_full_cell_with_progress(material, setup, &mut |_| {})
}

/// [`run_full_cell`] reporting the fraction of cycles simulated (0 to 1) to `progress`.
pub fn run_full_cell_with_progress(
    material: &MaterialParams,
    setup: &FullCellSetup,
    progress: &mut dyn FnMut(f64),
) -> anyhow::Result<FullCellRun> {
    let experiment = FullCellExperiment {
        model: setup.model,
        protocol: setup.protocol.clone(),
        area: setup.area,
        salt_concentration: setup.salt,
        thickness: setup.thickness,
        temperature: setup.temperature,
        recording: setup.recording,
    };
    let FullCellRecord { cell, record, data } =
        lab::full_cell_rate_test_with_progress(material, &experiment, progress)
            .with_context(|| format!("simulating the full cell ({} model)", setup.model.name()))?;
    analyse(cell, record, data, setup)
}

/// The cell [`run_full_cell`] simulates for `material` under `setup`, at salt concentration `salt`
/// [mol/m³] (the assumed-parameter bands rebuild it at the ends of c₀'s range).
pub fn setup_cell(material: &MaterialParams, setup: &FullCellSetup, salt: f64) -> anyhow::Result<FullCell> {
    let mut m = *material;
    if let Some(l) = setup.thickness {
        m.thickness = l;
    }
    let mut cell = FullCell::from_material(&m, salt)?;
    cell.area = setup.area;
    if let Some(t) = setup.temperature {
        cell.temperature = t;
    }
    cell.validate()?;
    Ok(cell)
}

/// `cell` (built by [`setup_cell`], then changed) cycled and analysed as [`run_full_cell`] does.
pub fn run_cell(cell: FullCell, setup: &FullCellSetup) -> anyhow::Result<FullCellRun> {
    let record = setup
        .model
        .run(&cell, ASSEMBLED_STOICHIOMETRY, &setup.protocol, &setup.recording)
        .with_context(|| format!("simulating the full cell ({} model)", setup.model.name()))?;
    let data = record.cycling_data()?;
    analyse(cell, record, data, setup)
}

/// A simulated record through the full-cell analysis.
fn analyse(
    cell: FullCell,
    record: CyclingRecord,
    data: CyclingData,
    setup: &FullCellSetup,
) -> anyhow::Result<FullCellRun> {
    let mut options = FullCellOptions::new(record.active_mass);
    options.nominal_specific_capacity = Some(cell.theoretical_specific_capacity_mah_g() * 3600.0);
    options.reference_cycle = setup.reference_cycle;
    let metrics = full_cell_metrics(&data, &options).context("analysing the simulated record")?;
    Ok(FullCellRun { cell, record, data, metrics })
}
