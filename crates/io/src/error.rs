//! Errors of spelab-io: each names the input and where in it the problem is.

/// A file could not be read as the format it claims to be.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IoError {
    /// The input is not valid UTF-8 text.
    #[error("{name}: byte {offset}: not UTF-8 text")]
    NotText {
        /// Input name (file path).
        name: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The table has no header line.
    #[error("{name}: no header line found")]
    NoHeader {
        /// Input name (file path).
        name: String,
    },
    /// A row has a different number of cells than the header.
    #[error("{name}:{line}: expected {expected} cells as in the header, found {found}")]
    RaggedRow {
        /// Input name (file path).
        name: String,
        /// 1-based line number.
        line: usize,
        /// Cells in the header.
        expected: usize,
        /// Cells in this row.
        found: usize,
    },
    /// A cell is not a number.
    #[error("{name}:{line}: column '{column}': '{cell}' is not a number")]
    BadNumber {
        /// Input name (file path).
        name: String,
        /// 1-based line number.
        line: usize,
        /// Column name.
        column: String,
        /// The cell text.
        cell: String,
    },
    /// A requested column is absent.
    #[error("{name}: missing column '{column}' (columns: {available})")]
    MissingColumn {
        /// Input name (file path).
        name: String,
        /// The column asked for.
        column: String,
        /// Comma-separated names of the columns present.
        available: String,
    },
}
