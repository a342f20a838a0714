//! spelab-analysis: turns measurements into the numbers an SPE paper reports.
//!
//! Sits above `spelab-core` (whose measurement types it consumes) and below the report and CLI.
//! It takes values, never paths, and never prints. Each module is one method:
//! - [`arrhenius`]: activation energy from σ(T) by an Arrhenius fit;
//! - [`eis`]: equivalent circuits (impedance.py's language), their CNLS fit with automatic guesses.
//!
//! Later modules (EIS, transference number, kinetics, CCD, cycling, full cells, thermal, peaks) follow
//! `../shared/docs/methods.md` and the same conventions: SI inputs, a result struct that derives
//! `Serialize` and carries its diagnostics, and [`AnalysisError`] when no usable answer exists.
//!
//! ```
//! use spelab_analysis::arrhenius::fit_arrhenius;
//! // Two materials' worth of data would come from EIS; here σ(T) is exact Arrhenius with Ea = 0.18 eV.
//! let ea = 0.18 * spelab_core::constants::EV_PER_PARTICLE_IN_J_PER_MOL;
//! let t: Vec<f64> = (0..6).map(|i| 273.15 + 10.0 * i as f64).collect();
//! let sigma: Vec<f64> = t.iter().map(|t| 10.0 * (-ea / (spelab_core::constants::GAS_CONSTANT * t)).exp()).collect();
//! let fit = fit_arrhenius(&t, &sigma).unwrap();
//! assert!((fit.activation_energy_ev() - 0.18).abs() < 1e-9);
//! ```

pub mod arrhenius;
pub mod eis;
pub mod error;

pub use error::AnalysisError;
