//! A virtual full-cell run: the DFN or SPM cell of a material cycled by the lab's virtual cycler
//! ([`lab::full_cell_rate_test`]) and analysed by the same full-cell analysis as measured files. Shared by the `full-cell` step's virtual mode and
//! `spelab simulate full-cell`.

use anyhow::Context;
use spelab_analysis::fullcell::{full_cell_metrics, FullCell as FullCellMetrics, FullCellOptions};
use spelab_core::CyclingData;
use spelab_sim::fullcell::{CyclingProtocol, CyclingRecord, FullCell, ModelKind, Recording};
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
    let mut options = FullCellOptions::new(record.active_mass);
    options.nominal_specific_capacity = Some(cell.theoretical_specific_capacity_mah_g() * 3600.0);
    options.reference_cycle = setup.reference_cycle;
    let metrics = full_cell_metrics(&data, &options).context("analysing the simulated record")?;
    Ok(FullCellRun { cell, record, data, metrics })
}
