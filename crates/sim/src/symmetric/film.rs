//! Interface (SEI) film resistance per electrode and its growth laws.
//!
//! | law | R(t) | from |
//! |---|---|---|
//! | constant | R0 | - |
//! | parabolic (diffusion-limited growth, dδ/dt = k/δ) | R0 √(1 + t/τ) | cellmodel.md §1 |
//! | linear (reaction-limited) | R0 + k_R t | cellmodel.md §1 |
//! | charge-driven (capacity throughput, dead Li) | R0 + k_Q ∫\|J\| dt | cellmodel.md §1 |

use crate::error::{check_param, SimError};

/// Area-specific film resistance of each Li electrode and how it grows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FilmGrowth {
    /// R = R0 [Ω·m²].
    Constant {
        /// Initial film resistance per electrode [Ω·m²].
        r0: f64,
    },
    /// R = R0 √(1 + t/τ) (parabolic growth of the film thickness).
    Parabolic {
        /// Initial film resistance per electrode [Ω·m²].
        r0: f64,
        /// Growth time τ [s].
        tau_s: f64,
    },
    /// R = R0 + k_R t.
    Linear {
        /// Initial film resistance per electrode [Ω·m²].
        r0: f64,
        /// Growth rate k_R [Ω·m²/s].
        rate: f64,
    },
    /// R = R0 + k_Q Q, Q = ∫|J| dt the areal charge passed.
    ChargeDriven {
        /// Initial film resistance per electrode [Ω·m²].
        r0: f64,
        /// Growth per areal charge k_Q [Ω·m²/(C/m²)].
        per_charge: f64,
    },
}

impl Default for FilmGrowth {
    /// No film.
    fn default() -> Self {
        FilmGrowth::Constant { r0: 0.0 }
    }
}

impl FilmGrowth {
    /// Film resistance per electrode after time `t` [s] and areal charge throughput `q` [C/m²] [Ω·m²].
    pub fn resistance(&self, t: f64, q: f64) -> f64 {
        match *self {
            FilmGrowth::Constant { r0 } => r0,
            FilmGrowth::Parabolic { r0, tau_s } => r0 * (1.0 + t / tau_s).sqrt(),
            FilmGrowth::Linear { r0, rate } => r0 + rate * t,
            FilmGrowth::ChargeDriven { r0, per_charge } => r0 + per_charge * q,
        }
    }

    /// Checks every coefficient is finite and non-negative (τ > 0).
    pub fn validate(&self) -> Result<(), SimError> {
        let nonneg = |name, v: f64| check_param(name, v, v >= 0.0, ">= 0");
        match *self {
            FilmGrowth::Constant { r0 } => nonneg("film r0", r0),
            FilmGrowth::Parabolic { r0, tau_s } => {
                nonneg("film r0", r0)?;
                check_param("film tau_s", tau_s, tau_s > 0.0, "> 0 s")
            }
            FilmGrowth::Linear { r0, rate } => {
                nonneg("film r0", r0)?;
                nonneg("film rate", rate)
            }
            FilmGrowth::ChargeDriven { r0, per_charge } => {
                nonneg("film r0", r0)?;
                nonneg("film per_charge", per_charge)
            }
        }
    }
}
