//! Errors of spelab-core.
//!
//! One enum, [`CoreError`], with structured variants. Each variant names the column or field at fault
//! (`what`, a fixed `&'static str` such as `"voltage"`) and, for per-point problems, the index, so a
//! reader can add the file name and line and the message still reads as plain English.

/// Errors from constructing or slicing the core measurement types.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// Two columns that must be parallel have different lengths.
    #[error("{what} has {found} values but {reference} has {expected}")]
    LengthMismatch {
        /// The column with the wrong length ("voltage").
        what: &'static str,
        /// The column it is compared against ("time").
        reference: &'static str,
        /// Length of `reference`.
        expected: usize,
        /// Length of `what`.
        found: usize,
    },

    /// A column has fewer points than the type needs.
    #[error("{what} needs at least {needed} points but has {found}")]
    TooFewPoints {
        /// The column ("frequency").
        what: &'static str,
        /// Minimum number of points.
        needed: usize,
        /// Number of points given.
        found: usize,
    },

    /// A value is NaN or infinite.
    #[error("{what}[{index}] is not finite (NaN or infinite)")]
    NonFinite {
        /// The column ("impedance").
        what: &'static str,
        /// Index of the first offending value.
        index: usize,
    },

    /// A value that must be strictly positive is zero or negative.
    #[error("{what}[{index}] is {value} but must be positive")]
    NonPositive {
        /// The column ("frequency").
        what: &'static str,
        /// Index of the first offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A column that must be ordered is not.
    #[error("{what} must be {expected}, but {what}[{index}] = {value} follows {previous}")]
    NotMonotonic {
        /// The column ("time").
        what: &'static str,
        /// The order it must have ("non-decreasing").
        expected: &'static str,
        /// Index of the first value that breaks the order.
        index: usize,
        /// The value at `index - 1`.
        previous: f64,
        /// The value at `index`.
        value: f64,
    },

    /// A metadata quantity is set but is not finite and positive (an area of 0 is not "unknown").
    #[error("metadata {field} is {value} but must be finite and positive (use None when unknown)")]
    InvalidMetadata {
        /// The metadata field ("area").
        field: &'static str,
        /// The offending value.
        value: f64,
    },

    /// A scalar argument or option is out of its allowed range.
    #[error("{what} is {value} but must be {expected}")]
    InvalidValue {
        /// The argument ("current_threshold_fraction").
        what: &'static str,
        /// The offending value.
        value: f64,
        /// The allowed range in words ("in [0, 1)").
        expected: &'static str,
    },

    /// A `[low, high]` range argument has `low > high` or a NaN bound.
    #[error("{what} range [{low}, {high}] is invalid: bounds must not be NaN and low must not exceed high")]
    InvalidRange {
        /// What the range selects ("frequency window").
        what: &'static str,
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },

    /// A `[low, high]` selection is valid but contains no point.
    #[error("no {what} value lies in [{low}, {high}]")]
    EmptySelection {
        /// The column selected on ("frequency").
        what: &'static str,
        /// Lower bound.
        low: f64,
        /// Upper bound.
        high: f64,
    },

    /// An index range is empty or reaches past the end of the data.
    #[error("{what} index range {start}..{end} is empty or outside 0..{len}")]
    IndexOutOfRange {
        /// The data indexed ("time series").
        what: &'static str,
        /// First index (inclusive).
        start: usize,
        /// Last index (exclusive).
        end: usize,
        /// Number of points available.
        len: usize,
    },

    /// A cycling record has no point where |current| exceeds the rest threshold.
    #[error("no half-cycle found: |current| never exceeds the rest threshold of {threshold} A")]
    NoHalfCycles {
        /// The rest threshold used [A].
        threshold: f64,
    },
}
