//! The virtual lab, the one home of virtual experiments: material → cell → instrument → the
//! spelab-core measurement a real instrument file would give, so the analysis code cannot tell a
//! simulation from a measurement. Noise is seeded and comes from the workspace's one generator,
//! [`spelab_core::random::Rng`].
//!
//! Each study step's virtual mode is one call:
//!
//! | study step (virtual mode) | function | cell | record |
//! |---|---|---|---|
//! | `eis-conductivity` | [`conductivity_spectrum`] | [`BlockingCell`] | PEIS |
//! | `arrhenius` | [`arrhenius_series`] | [`BlockingCell`] at each T | PEIS per temperature |
//! | `transference` | [`transference_experiment`] | Li \| SPE \| Li | CA + PEIS before/after |
//! | `electronic-conductivity` | [`electronic_dc_polarization`] | [`BlockingCell`] | DC polarization |
//! | `exchange-current` | [`tafel_sweep`] | Li \| SPE \| Li | LSV |
//! | `lsv-onset` | [`oxidation_lsv`] | Li \| SPE \| SS | LSV |
//! | `ccd-predict` | [`ccd_staircase_experiment`] | Li \| SPE \| Li | CCD staircase |
//! | `symmetric-cycling` | [`cycling_experiment`] | Li \| SPE \| Li | GCPL |
//! | `full-cell` | [`full_cell_rate_test`] | LFP \| SPE \| Li | GCPL |
//! | `raman-speciation`, `xps-depth`, `ir-peaks`, `dsc-crystallinity`, `tga-steps` | [`raman_tfsi_band`], [`xps_f1s`], [`ir_carbonyl_band`], [`dsc_melting`], [`tga_solvent_loss`] | film / Li anode | Raman, XPS, FT-IR, DSC, TGA ([`spectra`](self::spectra) module) |
//!
//! Below them, the instruments:
//!
//! | experiment | function | record |
//! |---|---|---|
//! | EIS of the blocking cell SS \| SPE \| SS (σ; the one blocking-cell instrument, [`BlockingCell`]) | [`blocking_spectrum`] | [`ImpedanceSpectrum`](spelab_core::ImpedanceSpectrum) |
//! | EIS of SS \| SPE \| SS and Li \| SPE \| Li (R_ct, SEI, diffusion) of a symmetric cell | [`impedance_spectrum`] | [`ImpedanceSpectrum`](spelab_core::ImpedanceSpectrum) |
//! | galvanostatic cycling with rests | [`galvanostatic_cycling`] | [`CyclingData`](spelab_core::CyclingData) |
//! | CCD staircase | [`ccd_staircase`] | [`CyclingData`](spelab_core::CyclingData) + the failing step |
//! | chronoamperometry (Bruce-Vincent) | [`chronoamperometry`] | [`TimeSeries`](spelab_core::TimeSeries) |
//! | DC polarization at constant current | [`dc_polarization`] | [`TimeSeries`](spelab_core::TimeSeries) |
//! | DC polarization of SS \| SPE \| SS (σ_e, equivalent circuit) | [`blocking_dc_polarization`] | [`TimeSeries`](spelab_core::TimeSeries) |
//! | slow linear sweep (Tafel) | [`linear_sweep`] | [`TimeSeries`](spelab_core::TimeSeries) |
//! | anodic LSV of Li \| SPE \| SS (oxidation onset; onset is an input) | [`oxidation_sweep`] | [`TimeSeries`](spelab_core::TimeSeries) |
//!
//! Sampling is at a fixed interval (plus both sides of every current switch, as cyclers log);
//! noise is optional, Gaussian and seeded ([`Noise`]).
//!
//! ```
//! use spelab_sim::lab::{self, Noise};
//! use spelab_sim::{params, symmetric::SymmetricCell};
//! let cell = SymmetricCell::from_material(&params::preset("pvh")?.material_params()?, 1000.0)?;
//! let run = lab::galvanostatic_cycling(&cell, 2.0, 3600.0, 0.0, 3, 60.0, Some(&Noise::typical(7)))?;
//! assert_eq!(run.data.cycles().len(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocking;
mod eis;
mod experiments;
mod fullcell;
mod lsv;
mod noise;
mod record;
pub mod spectra;
mod spectrometer;
mod studies;

pub use blocking::{
    blocking_dc_polarization, blocking_impedance, blocking_spectrum, bulk_resistance, BlockingCell,
};
pub use eis::{charge_transfer_resistance, impedance_spectrum, symmetric_impedance, EisCell};
pub use experiments::{
    ccd_prediction, ccd_staircase, chronoamperometry, dc_polarization, galvanostatic_cycling,
    galvanostatic_cycling_with_progress, linear_sweep, CcdPrediction, CcdRun, CyclingRun, TimeSeriesRun,
};
pub use fullcell::{
    full_cell_rate_test, full_cell_rate_test_with_progress, FullCellExperiment, FullCellRecord,
};
pub use lsv::{oxidation_sweep, OxidationLsv};
pub use noise::Noise;
pub use record::{cycling_data, simulation_metadata, stop_reading, time_series, COMPLIANCE_VOLTAGE};
pub use spectra::{
    dsc_melting, ir_carbonyl_band, raman_tfsi_band, tga_solvent_loss, xps_f1s, SpectralRun,
    DSC_POLYMER_FRACTION, XPS_ETCH_DEPTH,
};
pub use spectrometer::{log_frequencies, EisOptions};
pub use studies::{
    arrhenius_series, ccd_staircase_experiment, conductivity_spectrum, cycling_experiment,
    electronic_dc_polarization, oxidation_lsv, symmetric_cell, tafel_sweep, transference_experiment,
    BlockingEis, CcdExperiment, CellRecord, CellSpec, CyclingExperiment, ElectronicExperiment, LsvRecord,
    OxidationSweep, TafelRecord, TafelSweep, TransferenceExperiment, TransferenceRecord,
};
