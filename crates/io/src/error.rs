//! Errors of spelab-io: each names the input and where in it the problem is.

/// A file could not be read as the format it claims to be.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
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
    /// The file ends before a structure its header announces is complete (a truncated file).
    #[error(
        "{name}: truncated at byte {offset}: {what} needs {expected} bytes, only {available} present{hint}"
    )]
    Truncated {
        /// Input name (file path).
        name: String,
        /// Byte offset where the incomplete structure starts.
        offset: usize,
        /// What was being read ("module 'VMP data' (132 records of 53 bytes)").
        what: String,
        /// Bytes the structure needs.
        expected: usize,
        /// Bytes present from `offset` to the end of the input.
        available: usize,
        /// Extra advice (complete records present ...), may be empty.
        hint: String,
    },
    /// The bytes at an offset are not what the format requires.
    #[error("{name}: byte {offset}: expected {expected}, found {found}")]
    Corrupt {
        /// Input name (file path).
        name: String,
        /// Byte offset (or line number for text formats, as stated in `expected`).
        offset: usize,
        /// What the format requires there.
        expected: String,
        /// What the input holds.
        found: String,
    },
    /// A BioLogic column ID spelab does not know: its size is unknown, so reading on would misalign.
    #[error(
        "{name}: byte {offset}: unknown EC-Lab column ID {id} (low byte {low}) at position {position} after column '{after}' (EC-Lab {version}); please report it with the file"
    )]
    UnknownColumn {
        /// Input name (file path).
        name: String,
        /// Byte offset of the column ID in the file.
        offset: usize,
        /// The 16-bit column ID.
        id: u16,
        /// Its low byte.
        low: u8,
        /// 0-based position in the column list.
        position: usize,
        /// The previous column's vendor label ("(start)" when first).
        after: String,
        /// EC-Lab version from the LOG module, or "unknown".
        version: String,
    },
    /// The input is not in any format spelab reads.
    #[error("{name}: unrecognised file format ({detail})")]
    UnknownFormat {
        /// Input name (file path).
        name: String,
        /// What the first bytes look like.
        detail: String,
    },
    /// A text file line is malformed.
    #[error("{name}:{line}: {message}")]
    BadLine {
        /// Input name (file path).
        name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A conversion needs a channel the recording lacks.
    #[error("{name}: no '{channel}' column, needed for {wanted_for} (columns: {available})")]
    MissingChannel {
        /// Input name (file path).
        name: String,
        /// The spelab channel name.
        channel: String,
        /// What the caller was building.
        wanted_for: &'static str,
        /// Names of the columns present.
        available: String,
    },
    /// The values do not satisfy a core type's invariants.
    #[error("{name}: {source}")]
    Invalid {
        /// Input name (file path).
        name: String,
        /// The core error.
        source: spelab_core::CoreError,
    },
    /// Reading the input failed.
    #[error("{name}: {message}")]
    Read {
        /// Input name (file path).
        name: String,
        /// The operating-system error text.
        message: String,
    },
    /// A column mapping for a generic CSV/TSV is malformed or does not fit the file.
    #[error("{name}: column mapping: {message}")]
    Mapping {
        /// Input name (file path, or "--map" for the command line).
        name: String,
        /// What is wrong and how to write it.
        message: String,
    },
    /// A table column has no unit in its header.
    #[error("{name}: column '{column}' has no unit in its header; write '{column} [unit]'")]
    NoUnit {
        /// Input name (file path).
        name: String,
        /// The column.
        column: String,
    },
    /// A table column's unit is not a unit of the quantity the caller reads.
    #[error("{name}: column '{column}': unit '{unit}': {reason}")]
    ColumnUnit {
        /// Input name (file path).
        name: String,
        /// The column.
        column: String,
        /// The unit text from the header.
        unit: String,
        /// Why the unit does not fit.
        reason: String,
    },
    /// A table value is not finite (NaN or infinite).
    #[error("{name}:{line}: column '{column}' holds {value}; every value must be a finite number")]
    NotFinite {
        /// Input name (file path).
        name: String,
        /// 1-based line number.
        line: usize,
        /// The column.
        column: String,
        /// The value.
        value: f64,
    },
    /// An instrument file lacks a channel the caller needs.
    #[error("{name}: this {format} file has no '{channel}' channel, which {purpose} needs (channels: {available})")]
    ChannelAbsent {
        /// Input name (file path).
        name: String,
        /// The file format's id.
        format: &'static str,
        /// The spelab channel name.
        channel: String,
        /// What the data are read for.
        purpose: String,
        /// Names of the channels present.
        available: String,
    },
    /// An instrument channel holds a value that is not finite.
    #[error("{name}: row {row}: channel '{channel}' holds {value}; {purpose} needs finite values")]
    ChannelNotFinite {
        /// Input name (file path).
        name: String,
        /// 1-based row.
        row: usize,
        /// The spelab channel name.
        channel: String,
        /// What the data are read for.
        purpose: String,
        /// The value.
        value: f64,
    },
    /// An instrument file was recorded with a technique the caller does not accept.
    #[error("{name}: a {technique} record ({format} file); {purpose} needs {accepted}")]
    WrongTechnique {
        /// Input name (file path).
        name: String,
        /// The technique the file states.
        technique: String,
        /// The file format's id.
        format: &'static str,
        /// What the data are read for.
        purpose: String,
        /// The accepted techniques, "GCPL or CP".
        accepted: String,
    },
}
