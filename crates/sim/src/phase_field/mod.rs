//! Phase-field model of Li electrodeposition at a Li-metal anode under a solid polymer electrolyte:
//! dendrite growth, Li⁺ focusing at tips, short circuits (docs: phasefield.md).
//!
//! # Equations
//! ξ = 1 Li metal, 0 electrolyte; c̃ = c/c₀; φ the electrolyte potential; φ_s the metal potential;
//! f = F/RT; n = 1. Allen-Cahn with Butler-Volmer (Chen et al., J. Power Sources 300 (2015) 376,
//! doi:10.1016/j.jpowsour.2015.09.055):
//!
//! ```text
//! ∂ξ/∂t = −L_σ[g'(ξ) − ∇·F_κ] − L_η(y) h'(ξ) B(ξ, c̃, η),      g = Wξ²(1−ξ)², h'(ξ) = 30ξ²(1−ξ)²
//! F_κ = (κ∂_xξ − ½κ'∂_yξ, κ∂_yξ + ½κ'∂_xξ),  κ(θ) = κ₀[1 + δ cos 4(θ − θ₀)],  θ = atan2(∂_yξ, ∂_xξ)
//! ```
//!
//! Electroneutral binary salt with t₊ (phasefield.md §1.3, [`Transport::Electroneutral`], default),
//! φ measured against a Li reference so η = φ_s − φ and i₀ ∝ c̃^{1−α}:
//!
//! ```text
//! B = c̃^{1−α}[e^{(1−α)fη} − e^{−αfη}]
//! ∂c̃/∂t = ∇·(D_amb(1−h)∇c̃) − (1 − t₊)(c_s/c₀)∂ξ/∂t
//! ∇·(σ(ξ)∇φ) = nFc_s ∂ξ/∂t + ∇·(σ(ξ)·2(1 − t₊)(RT/F)∇ln c̃)
//! ```
//!
//! Chen 2015 (§1.1, [`Transport::Chen2015`]), φ electrostatic: B = e^{(1−α)fη} − c̃e^{−αfη},
//! ∂c̃/∂t = ∇·[D₊(1−h)(∇c̃ + fc̃∇φ)] − (c_s/c₀)∂ξ/∂t, ∇·(σ(ξ)∇φ) = nFc_s∂ξ/∂t. Zero velocity of a flat
//! front at η = (RT/F)ln c̃ in both (Nernst). σ(ξ) = σ[(1−h) + r_m h] (r_m = 10⁻³: the metal is
//! an equipotential φ_s, the ionic potential is only extended into it), in series with an SEI layer
//! when one is given ([`sei`]).
//!
//! # Boundary and initial conditions
//! x = 0 (back of the anode): no flux of anything. x = nx·dx (counter-electrode plane): φ = 0, c̃
//! per [`FarBoundary`]. Side walls periodic or no flux ([`SideWalls`]). Galvanostatic
//! ([`Control::Galvanostatic`]): φ_s solves nFc_s Σ∂_tξ dA/width = J − J_e each step exactly (J_e =
//! σ_e(−φ_s)/L the electronic leakage); potentiostatic: φ_s given. Initially a flat front at x₀
//! with semicircular nuclei, c̃ = 1, φ = 0. A short is ξ > ½ at the short plane.
//!
//! # Parameters
//! See [`params`](self::params): γ, ℓ, L_σ, δ, α, c_s, c₀ shared; σ, t₊, i₀, σ_e, L from the
//! material; i₀ → L_η = i₀/(6nFc_sℓ) (see `Parameters`); SEI: lumped resistance, explicit layer, log-normal L_η(y).
//!
//! # Numerics
//! Cell-centred finite volumes on a uniform grid ([`Grid`]), conservative face fluxes, forward
//! Euler (or implicit salt diffusion, [`Setup::implicit_diffusion`]) with the automatic stable step
//! [`PhaseField::time_step`], multigrid-preconditioned CG for the potential ([`multigrid`]),
//! rayon over rows with deterministic reductions (results do not depend on the thread count),
//! denormals flushed, counter-based seeded noise ([`noise`]).
//!
//! ```
//! use spelab_sim::phase_field::{Parameters, PhaseField, Setup};
//! let params = Parameters::default();
//! let mut setup = Setup::cell(&params, 1e-6, 16e-6, 10.0)?; // 1 µm cells, 16 µm wide, 1 mA/cm²
//! setup.grid.nx = 24; // a short box for the example
//! setup.short_plane = 20e-6;
//! let model = PhaseField::new(params, setup)?;
//! let mut state = model.initial_state();
//! model.advance(&mut state, 0.05, |_| std::ops::ControlFlow::Continue(()))?;
//! assert!((state.deposited_charge - 10.0 * 0.05).abs() < 1e-9); // Faraday: ∫J dt [C/m²]
//! # Ok::<(), spelab_sim::phase_field::PhaseFieldError>(())
//! ```

pub mod accumulation;
pub mod calibrate;
pub mod failure;
mod grid;
mod kernels;
pub mod metrics;
mod model;
pub mod multigrid;
pub mod noise;
pub mod output;
mod params;
pub mod sei;
mod setup;
mod state;

pub use grid::{Grid, SideWalls};
pub use model::{PhaseField, Progress, Termination};
pub use params::{Interphase, Parameters, Transport};
pub use setup::{Control, FarBoundary, Nucleus, Setup};
pub use state::{profile, Diagnostics, State};

/// Errors of the phase-field model. Reaching the end of a run by a short or by depletion is a
/// [`Termination`], not an error, when it comes through [`PhaseField::advance`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PhaseFieldError {
    /// A parameter or setting is out of range or not finite.
    #[error("invalid {name}: {value} is not {expected}")]
    Invalid {
        /// What was wrong.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A combination of options that is not implemented.
    #[error("not supported: {0}")]
    Unsupported(&'static str),
    /// The interface could not carry the requested current (no reacting cell or no Li⁺ left).
    #[error("the interface cannot carry the current at t = {time} s (depleted)")]
    Depleted {
        /// Time [s].
        time: f64,
    },
    /// Writing an output failed.
    #[error("output: {0}")]
    Output(String),
}
