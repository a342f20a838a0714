//! Virtual instruments: run the [`crate::symmetric`] model through a protocol and record it as the
//! spelab-core measurement a real instrument file would give, so the analysis code cannot tell a
//! simulation from a measurement.
//!
//! | experiment | function | record |
//! |---|---|---|
//! | EIS of SS \| SPE \| SS (σ) and Li \| SPE \| Li (R_ct, SEI, diffusion) | [`impedance_spectrum`] | [`ImpedanceSpectrum`](spelab_core::ImpedanceSpectrum) |
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
mod lsv;
mod noise;
mod record;

pub use blocking::blocking_dc_polarization;
pub use eis::{
    blocking_impedance, bulk_resistance, charge_transfer_resistance, impedance_spectrum, log_frequencies,
    symmetric_impedance, EisCell, EisOptions,
};
pub use experiments::{
    ccd_prediction, ccd_staircase, chronoamperometry, dc_polarization, galvanostatic_cycling, linear_sweep,
    CcdPrediction, CcdRun, CyclingRun, TimeSeriesRun,
};
pub use lsv::{oxidation_sweep, OxidationLsv};
pub use noise::Noise;
pub use record::{cycling_data, simulation_metadata, stop_reading, time_series, COMPLIANCE_VOLTAGE};
