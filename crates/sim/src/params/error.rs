//! The error type of [`crate::params`].

use spelab_core::units::UnitError;

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
