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
    /// A value that must be finite is NaN or infinite.
    #[error("{what}: {column}[{index}] = {value} must be finite")]
    NotFinite {
        /// What was being analysed.
        what: &'static str,
        /// Column name.
        column: &'static str,
        /// Index of the offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A scalar option or parameter is out of its allowed range.
    #[error("{what}: {name} = {value} is invalid; expected {expected}")]
    InvalidParameter {
        /// What was being analysed.
        what: &'static str,
        /// Parameter name.
        name: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range, in words.
        expected: &'static str,
    },
    /// The measurement was recorded with a technique this analysis cannot use.
    #[error("{what}: needs a {expected} measurement, got {found}")]
    WrongTechnique {
        /// What was being analysed.
        what: &'static str,
        /// The technique(s) the analysis accepts.
        expected: &'static str,
        /// The technique of the data.
        found: String,
    },
    /// The data do not support the analysis (explained in words).
    #[error("{what}: {reason}")]
    Unusable {
        /// What was being analysed.
        what: &'static str,
        /// Why, with the numbers involved.
        reason: String,
    },
    /// An iterative fit did not converge.
    #[error("{what}: the fit did not converge after {evaluations} evaluations ({termination})")]
    NoConvergence {
        /// What was being analysed.
        what: &'static str,
        /// Why the least-squares driver stopped.
        termination: spelab_core::fit::Termination,
        /// Residual evaluations made.
        evaluations: usize,
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
    /// The analysis of one input of several (a file, a spectrum) failed; `input` names it.
    #[error("{input}: {error}")]
    Input {
        /// The input's name (file name or label).
        input: String,
        /// What went wrong with it (shown in this error's message, not as a separate cause).
        error: Box<AnalysisError>,
    },
}

impl AnalysisError {
    /// This error, attributed to the input named `input`.
    pub fn for_input(self, input: impl Into<String>) -> AnalysisError {
        AnalysisError::Input { input: input.into(), error: Box::new(self) }
    }
}

/// Checks that every value of `values` is finite.
pub(crate) fn check_finite(
    what: &'static str,
    column: &'static str,
    values: &[f64],
) -> Result<(), AnalysisError> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((index, &value)) => Err(AnalysisError::NotFinite { what, column, index, value }),
        None => Ok(()),
    }
}

/// Checks that every value of `values` is finite and > 0.
pub(crate) fn check_positive(
    what: &'static str,
    column: &'static str,
    values: &[f64],
) -> Result<(), AnalysisError> {
    match values.iter().enumerate().find(|(_, v)| !(v.is_finite() && **v > 0.0)) {
        Some((index, &value)) => Err(AnalysisError::NotPositive { what, column, index, value }),
        None => Ok(()),
    }
}

/// Checks that two columns have the same length and at least `needed` points.
pub(crate) fn check_len(
    what: &'static str,
    a: (&'static str, usize),
    b: (&'static str, usize),
    needed: usize,
) -> Result<(), AnalysisError> {
    if a.1 != b.1 {
        return Err(AnalysisError::LengthMismatch { what, a: a.0, len_a: a.1, b: b.0, len_b: b.1 });
    }
    if a.1 < needed {
        return Err(AnalysisError::TooFewPoints { what, needed, found: a.1 });
    }
    Ok(())
}

/// Checks that a scalar parameter is finite and > 0.
pub(crate) fn check_param_positive(
    what: &'static str,
    name: &'static str,
    value: f64,
) -> Result<(), AnalysisError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(AnalysisError::InvalidParameter { what, name, value, expected: "finite and > 0" })
    }
}

/// Checks that a record's technique (when its metadata names one) is one of `accepted`.
pub(crate) fn check_technique(
    what: &'static str,
    expected: &'static str,
    found: Option<spelab_core::Technique>,
    accepted: &[spelab_core::Technique],
) -> Result<(), AnalysisError> {
    match found {
        Some(t) if t != spelab_core::Technique::Unknown && !accepted.contains(&t) => {
            Err(AnalysisError::WrongTechnique { what, expected, found: t.label().to_string() })
        }
        _ => Ok(()),
    }
}
