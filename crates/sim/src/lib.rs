//! spelab-sim: material parameters, models and virtual instruments; sits above spelab-core and below
//! the CLI; takes values, never paths.
//!
//! A simulation starts from a material: [`params::preset`] gives the built-in PVH and PVH-IM sets of
//! Liu, Pan et al., Nano-Micro Lett. 17:249 (2025), doi:10.1007/s40820-025-01760-x, and
//! [`params::preset_from_toml`] reads a user's material file in the same schema. Every value keeps
//! its unit as written, its SI value, its figure/section source and whether it is an assumption;
//! [`params::Preset::material_params`] turns a preset into the SI parameters models take.
//!
//! - [`symmetric`]: the 1D Li | SPE | Li cell model and its protocols (constant current, cycling,
//!   CCD staircase, potentiostatic steps);
//! - [`fullcell`]: the LFP | electrolyte | Li-metal full cell (parameters, from a material preset too;
//!   the model interface; the single-particle model; galvanostatic cycling protocols and their record);
//! - [`analytic`]: its closed forms (limiting current, Sand's time, steady state);
//! - [`instruments`]: virtual instruments that record runs as spelab-core measurements (time
//!   series, cycling data, impedance spectra) with optional seeded noise.
//!
//! ```
//! use spelab_sim::params;
//!
//! let pvh_im = params::preset("pvh-im")?;
//! let p = pvh_im.material_params()?;
//! assert!((p.ionic_conductivity_25c - 0.123).abs() < 1e-12); // S/m (1.23 mS/cm)
//! assert!(p.ionic_conductivity_at(333.15) > p.ionic_conductivity_25c); // Arrhenius, 60 °C
//! # Ok::<(), params::ParamsError>(())
//! ```

pub mod analytic;
mod error;
pub mod fullcell;
pub mod instruments;
pub mod params;
pub mod physics;
mod solver;
pub mod symmetric;

pub use error::SimError;
