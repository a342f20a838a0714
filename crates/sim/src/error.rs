//! The error type of the models and virtual instruments ([`SimError`]).

use spelab_core::CoreError;

use crate::params::ParamsError;

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
