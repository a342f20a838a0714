//! The one error type of `spelab-report`.

/// The most decades a log axis may span; beyond about 308 the ratio max/min overflows.
pub const MAX_LOG_DECADES: f64 = 300.0;

/// Why a figure could not be drawn or encoded.
///
/// Every variant names the figure (`id`, the file stem) so the CLI can say which step's plot failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// The figure has no point that can be drawn: every series is empty, non-finite, or (on a log
    /// axis) non-positive.
    #[error("figure '{id}': no drawable data point (all values missing, non-finite or non-positive on a log axis)")]
    EmptyFigure {
        /// Figure id.
        id: String,
    },
    /// An axis range given by the caller is unusable: not finite, `min >= max`, or `min <= 0` on a
    /// log axis.
    #[error("figure '{id}': invalid {axis} axis range [{min}, {max}]")]
    InvalidRange {
        /// Figure id.
        id: String,
        /// Which axis: `"x"` or `"y"`.
        axis: &'static str,
        /// Lower bound as given [axis unit].
        min: f64,
        /// Upper bound as given [axis unit].
        max: f64,
    },
    /// A log axis would span more decades than can be drawn (the ratio max/min must stay finite).
    #[error("figure '{id}': the {axis} axis would span {decades:.0} decades; a log axis shows at most 300")]
    TooManyDecades {
        /// Figure id.
        id: String,
        /// Which axis: `"x"` or `"y"`.
        axis: &'static str,
        /// Decades the data (or the given range) span.
        decades: f64,
    },
    /// The plotting backend failed (font, drawing or layout error), converted to text.
    #[error("figure '{id}': plotting failed: {message}")]
    Plot {
        /// Figure id.
        id: String,
        /// The backend's error message.
        message: String,
    },
    /// The PNG encoder failed.
    #[error("figure '{id}': PNG encoding failed: {message}")]
    Encode {
        /// Figure id.
        id: String,
        /// The encoder's error message.
        message: String,
    },
}
