//! Errors of spelab-core (placeholder; the measurement helper fills it).

/// Errors from constructing core types.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// Placeholder.
    #[error("invalid data: {0}")]
    Invalid(&'static str),
}
