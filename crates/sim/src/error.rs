//! The error types of spelab-sim: [`SimError`] (models and virtual instruments) and [`ParamsError`]
//! (material parameters; re-exported by [`crate::params`]). A leaf module: every other module may use it.

use spelab_core::units::UnitError;
use spelab_core::CoreError;

/// Errors from building or running a simulation. Termination of a run (depletion, voltage limit) is
/// not an error: it is reported in [`crate::symmetric::StopReason`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// A model parameter is out of its physical range or not finite.
    #[error("invalid parameter '{name}': {value} is not {expected}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// A protocol is empty or malformed.
    #[error("invalid protocol: {0}")]
    InvalidProtocol(String),
    /// The time integrator could not reach the requested accuracy (step size underflow).
    #[error("time step fell below {min_step_s:e} s at t = {time_s} s")]
    StepSizeUnderflow {
        /// Time at which it happened [s].
        time_s: f64,
        /// The smallest step allowed [s].
        min_step_s: f64,
    },
    /// A recorded measurement failed spelab-core's validation.
    #[error("building the measurement failed: {0}")]
    Measurement(#[from] CoreError),
    /// A material preset lacks a value an experiment needs (the virtual LSV's model values, say).
    #[error(transparent)]
    Params(#[from] ParamsError),
}

/// `Ok` when `value` is finite and `ok`, else [`SimError::InvalidParameter`].
pub(crate) fn check_param(
    name: &'static str,
    value: f64,
    ok: bool,
    expected: &'static str,
) -> Result<(), SimError> {
    if value.is_finite() && ok {
        Ok(())
    } else {
        Err(SimError::InvalidParameter { name, value, expected })
    }
}

/// Errors from loading, converting and checking material parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ParamsError {
    /// No built-in preset has this id.
    #[error("unknown material preset '{id}'; known: {}", .known.join(", "))]
    UnknownPreset {
        /// The id asked for.
        id: String,
        /// The ids of the built-in presets.
        known: Vec<String>,
    },
    /// The TOML text does not parse or does not follow the schema (the message carries line and
    /// column).
    #[error("{origin}: {message}")]
    Toml {
        /// Where the text came from (file name or "built-in presets").
        origin: String,
        /// The TOML parser's message, with line, column and the offending line.
        message: String,
    },
    /// A value's unit could not be converted to SI.
    #[error("{origin}: cannot convert '{key}' to SI")]
    Unit {
        /// Where the text came from, with the line of the value.
        origin: String,
        /// The value's key.
        key: String,
        /// The unit parser's error.
        source: UnitError,
    },
    /// A value a model needs is not in the material.
    #[error("material '{id}' has no '{key}'")]
    Missing {
        /// The material id.
        id: String,
        /// The missing key or metric id.
        key: String,
    },
    /// A value breaks a schema rule or is out of its physical range.
    #[error("invalid value '{key}': {reason}")]
    Invalid {
        /// The offending key (with its table, where there is one).
        key: String,
        /// What is wrong, and where (origin and line) when read from text.
        reason: String,
    },
}
