//! spelab-sim: material parameters, models and virtual instruments; sits above spelab-core and below
//! the CLI; takes values, never paths.
//!
//! A simulation starts from a material: [`params::preset`] gives the built-in PVH and PVH-IM sets of
//! Liu, Pan et al., Nano-Micro Lett. 17:249 (2025), doi:10.1007/s40820-025-01760-x, and
//! [`params::preset_from_toml`] reads a user's material file in the same schema. Every value keeps
//! its unit as written, its SI value, its figure/section source and whether it is an assumption;
//! [`params::Preset::material_params`] turns a preset into the SI parameters models take.
//!
//! # Map
//!
//! Shared pieces first, then the models that use them, then what turns a model into measurements:
//!
//! - [`params`]: material parameter sets (built-in presets, user files) in SI units;
//! - [`physics`]: the physics every model shares: transport of the binary salt (κ, D, t₊, Arrhenius,
//!   Nernst-Einstein), interface kinetics (Butler-Volmer, insertion-electrode j0) and the salt's
//!   thermodynamics (f = F/RT, diffusion potential);
//! - `solver` (crate-private): the one adaptive TR-BDF2 scheme (stages, embedded error estimate,
//!   step-size controller); a model implements its `Stages` trait (right-hand side, implicit stage
//!   solve, error filter) and keeps its own events;
//! - models, one module each, holding only their geometry, discretisation, equations and protocols:
//!   [`symmetric`] (the 1D Li | SPE | Li cell: constant current, cycling, CCD staircase,
//!   potentiostatic steps), [`fullcell`] (LFP | electrolyte | Li metal: the DFN and SPM models, cycling
//!   protocols and their record), [`phase_field`] (2D Li electrodeposition: Allen-Cahn + Butler-Volmer
//!   with binary-salt transport, dendrites and shorts; the same layout, caller-owned state);
//! - [`analytic`]: closed forms of the symmetric cell (limiting current, Sand's time, steady state),
//!   kept independent of the model code because they are its test oracles;
//! - [`lab`]: the virtual lab, the one home of virtual experiments: material → cell → instrument →
//!   the spelab-core measurement a reader would return (time series, cycling data, impedance
//!   spectra), with seeded noise from the workspace's one generator ([`spelab_core::random`]); one
//!   function per study experiment.
//!
//! # Who owns model state
//!
//! Decision: **the caller owns the state.** A model is `Model` (parameters, mesh, solver workspace:
//! built once, never changed by stepping) plus a `State` (everything that evolves: unknowns, time,
//! passed charge, and the step-size history that decides the next step) and steps it with
//! `step(&mut state, dt)` or runs a protocol with `simulate(&model, state, ..)`. Reasons:
//! - continuation and branching are free: a CCD staircase, a rest after a sweep or a study step
//!   starts from a state another run left ([`symmetric::simulate_from`]); a caller can keep, clone,
//!   compare or serialise a state without re-building the model (mesh, factorisations);
//! - one model, many states: parameter sweeps and ensembles (seeded noise, grain orientations in the
//!   phase-field model) share one model and its workspace;
//! - reproducibility: the same model and the same state give the same next step, bit for bit, which
//!   the regression fingerprints rely on; so solver history that changes results (last step size,
//!   controller history, a predictor's slopes) either belongs to the state or is rebuilt the same way
//!   at the start of every run (the symmetric runner restarts its step size in each
//!   [`symmetric::simulate_from`]), and only caches whose reuse does not change results (scratch
//!   vectors) stay in the model;
//! - conservation tests and the instruments read plain data (`state.concentration`) instead of
//!   asking a model object.
//!
//! Where it stands: the symmetric cell follows it ([`symmetric::SymmetricCell`] is the model,
//! [`symmetric::CellState`] the state, [`symmetric::simulate_from`] continues a state). The full-cell
//! models still hold their state inside (`FullCellModel::advance(&mut self, ..)`, driven as
//! `&mut dyn FullCellModel` by [`fullcell::run_cycling`] and the study steps): the DFN's Newton
//! Jacobian and predictor history decide its next step and would move into a `DfnState` with the
//! unknowns, which changes the trait that the study crate drives; that is the next step, not done
//! here. The phase-field model follows the decided layout: [`phase_field::PhaseField`] (parameters, grid,
//! multigrid workspace) + [`phase_field::State`] (fields, time, passed charge) + `step(&mut state)` /
//! `advance(&mut state, t_end, observer)`; it steps explicitly (salt diffusion optionally implicit
//! through its multigrid) with an automatic stable step, which suits a 2D front model better than the
//! TR-BDF2 scheme of the 1D models.
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
pub mod lab;
pub mod params;
pub mod phase_field;
pub mod physics;
mod solver;
pub mod symmetric;

pub use error::SimError;
