//! Errors of spelab-analysis: when an analysis has no usable answer.

/// Why an analysis could not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// Fewer points than the method needs.
    #[error("{what}: needs at least {needed} points, got {found}")]
    TooFewPoints {
        /// What was being analysed.
        what: &'static str,
        /// Minimum number of points.
        needed: usize,
        /// Number of points given.
        found: usize,
    },
    /// Two input columns differ in length.
    #[error("{what}: {a} has {len_a} values but {b} has {len_b}")]
    LengthMismatch {
        /// What was being analysed.
        what: &'static str,
        /// First column name.
        a: &'static str,
        /// Its length.
        len_a: usize,
        /// Second column name.
        b: &'static str,
        /// Its length.
        len_b: usize,
    },
    /// A value that must be finite and positive is not.
    #[error("{what}: {column}[{index}] = {value} must be finite and positive")]
    NotPositive {
        /// What was being analysed.
        what: &'static str,
        /// Column name.
        column: &'static str,
        /// Index of the offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// The abscissa has (almost) no spread, so a slope is undefined.
    #[error("{what}: all {column} values are equal; a slope cannot be fitted")]
    Degenerate {
        /// What was being analysed.
        what: &'static str,
        /// Column name.
        column: &'static str,
    },
    /// A circuit string could not be parsed.
    #[error(transparent)]
    Circuit(#[from] crate::eis::ParseError),
    /// A parameter name does not belong to the circuit.
    #[error("circuit '{circuit}' has no parameter '{name}' (its parameters: {known})")]
    UnknownParameter {
        /// The name given.
        name: String,
        /// The circuit.
        circuit: String,
        /// Its parameter names, comma-separated.
        known: String,
    },
    /// A parameter value lies outside its bounds or is not finite.
    #[error("parameter {name} = {value} lies outside [{lower}, {upper}]")]
    ParameterOutOfBounds {
        /// Parameter name.
        name: String,
        /// The value.
        value: f64,
        /// Lower bound.
        lower: f64,
        /// Upper bound.
        upper: f64,
    },
    /// The least-squares driver refused the problem.
    #[error(transparent)]
    Fit(#[from] spelab_core::fit::FitError),
    /// An input value is not usable.
    #[error("{what}: {reason}")]
    InvalidInput {
        /// What was being analysed.
        what: &'static str,
        /// Why.
        reason: String,
    },
}
