//! spelab-analysis: turns measurements into the numbers an SPE paper reports.
//!
//! Sits above `spelab-core` (whose measurement types it consumes) and below the report and CLI.
//! It takes values, never paths, and never prints. Each module is one method:
//! - [`arrhenius`]: activation energy from σ(T) by an Arrhenius fit (σ or σT form).
//! - [`arrhenius_eis`]: σ(T) from impedance spectra at several temperatures, then the Arrhenius fit.
//! - [`eis`]: equivalent circuits (impedance.py's language), CNLS fits with automatic guesses, Lin-KK,
//!   DRT and conductivity from spectra.
//! - [`vtf`]: VTF fit of σ(T) (T₀ fixed or free) and the Arrhenius/VTF choice by AIC.
//! - [`transference`]: Li⁺ transference number (Evans–Vincent–Bruce, Bruce–Vincent) and the
//!   steady-state slope test; [`transference_eis`]: its R_b and R_i from EIS before/after polarization.
//! - [`exchange`]: exchange current density (Tafel window search, symmetric and asymmetric BV, EIS R_ct),
//!   paper-style and iR-corrected.
//! - [`ccd`]: critical current density, per-step ASR and failure mode from a current staircase.
//! - [`electronic`]: electronic conductivity from DC polarization (plateau by slope test).
//! - [`lsv`]: LSV oxidation onset by threshold, tangent intersection and derivative.
//! - [`cycling_life`]: symmetric-cell cycling life, failure mode and cumulative capacity.
//! - [`fullcell`]: full-cell capacities, CE, energy efficiency, retention, rate table and dQ/dV.
//! - [`replicates`]: replicate cells as mean ± SD (n).
//! - [`smoothing`]: Savitzky–Golay smoothing and navani's capacity-on-a-voltage-grid dQ/dV stage.
//! - [`peaks`]: Raman / FT-IR / XPS peak fitting (line shapes, baselines, Shirley, Tougaard,
//!   constraints) and the spectroscopic analyses built on it.
//! - [`thermal`]: DSC crystallinity and TGA mass-loss steps.
//! - [`fit`]: shared OLS line, AIC and summary statistics; nonlinear models go through
//!   [`spelab_core::fit`], the workspace's one Levenberg–Marquardt driver.
//!
//! Later modules (thermal, peaks) follow
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
pub mod arrhenius_eis;
pub mod ccd;
pub mod cycling_life;
pub mod eis;
pub mod electronic;
pub mod error;
pub mod exchange;
pub mod fit;
pub mod fullcell;
pub mod lsv;
pub mod peaks;
pub mod replicates;
pub mod smoothing;
pub mod thermal;
pub mod transference;
pub mod transference_eis;
pub mod vtf;

pub use error::AnalysisError;
