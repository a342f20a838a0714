//! Delimited text tables with units in the header: `name [unit]` or `name (unit)` per column.
//!
//! Accepted: comma, semicolon or tab delimiters (detected from the header line), `#` comment lines and
//! blank lines anywhere, CRLF or LF line endings, a UTF-8 byte-order mark. Every data cell must be a
//! number (decimal point, optional exponent); a ragged row or a non-number is an error naming the file,
//! line and column. Unit strings are kept as text: the caller parses them with
//! `spelab_core::units` for the quantity it expects.

use serde::Serialize;

use crate::IoError;

/// One column of a [`Table`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Column name without the unit ("temperature").
    pub name: String,
    /// Unit text from the header ("degC"), if any.
    pub unit: Option<String>,
    /// Values as written (in `unit`).
    pub values: Vec<f64>,
    /// 1-based line number of each value, for error messages.
    pub lines: Vec<usize>,
}

/// A numeric table read from delimited text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Name of the input (file path), used in error messages.
    pub name: String,
    /// The columns in file order.
    pub columns: Vec<Column>,
}

impl Table {
    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// The first column whose name equals `name` (case-insensitive), or an error listing the columns.
    pub fn column(&self, name: &str) -> Result<&Column, IoError> {
        self.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
            IoError::MissingColumn {
                name: self.name.clone(),
                column: name.to_string(),
                available: self.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
            }
        })
    }
}

/// Splits `"temperature [degC]"` into `("temperature", Some("degC"))`.
fn split_header(cell: &str) -> (String, Option<String>) {
    let cell = cell.trim().trim_matches('"').trim();
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let (Some(a), true) = (cell.rfind(open), cell.ends_with(close)) {
            let name = cell[..a].trim().to_string();
            let unit = cell[a + 1..cell.len() - 1].trim().to_string();
            if !name.is_empty() {
                return (name, (!unit.is_empty()).then_some(unit));
            }
        }
    }
    (cell.to_string(), None)
}

/// Reads a delimited numeric table from `bytes`; `name` is used in error messages.
pub fn read_table(bytes: &[u8], name: &str) -> Result<Table, IoError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| IoError::NotText { name: name.to_string(), offset: e.valid_up_to() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let (_, header) = lines.next().ok_or_else(|| IoError::NoHeader { name: name.to_string() })?;
    let delimiter = ['\t', ';', ','].into_iter().max_by_key(|d| header.matches(*d).count()).unwrap_or(',');
    let mut columns: Vec<Column> = header
        .split(delimiter)
        .map(|cell| {
            let (name, unit) = split_header(cell);
            Column { name, unit, values: Vec::new(), lines: Vec::new() }
        })
        .collect();
    for (line, row) in lines {
        let cells: Vec<&str> = row.split(delimiter).collect();
        if cells.len() != columns.len() {
            return Err(IoError::RaggedRow {
                name: name.to_string(),
                line,
                expected: columns.len(),
                found: cells.len(),
            });
        }
        for (column, cell) in columns.iter_mut().zip(cells) {
            let value: f64 = cell.trim().trim_matches('"').parse().map_err(|_| IoError::BadNumber {
                name: name.to_string(),
                line,
                column: column.name.clone(),
                cell: cell.trim().to_string(),
            })?;
            column.values.push(value);
            column.lines.push(line);
        }
    }
    Ok(Table { name: name.to_string(), columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_comments_and_delimiters() {
        let text = "\u{feff}# sigma vs T\r\nT (K);sigma [S/cm]\r\n\r\n300;1e-3\r\n310;1.5e-3\r\n";
        let t = read_table(text.as_bytes(), "x.csv").expect("table");
        assert_eq!(t.rows(), 2);
        assert_eq!(t.columns[0].name, "T");
        assert_eq!(t.columns[0].unit.as_deref(), Some("K"));
        assert_eq!(t.column("sigma").expect("col").values, vec![1e-3, 1.5e-3]);
        assert_eq!(t.columns[1].lines, vec![4, 5]);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = read_table(b"a,b\n1,2\n3\n", "f.csv").unwrap_err();
        assert_eq!(e.to_string(), "f.csv:3: expected 2 cells as in the header, found 1");
        let e = read_table(b"a,b\n1,x\n", "f.csv").unwrap_err();
        assert_eq!(e.to_string(), "f.csv:2: column 'b': 'x' is not a number");
        let e = read_table(b"# only a comment\n", "f.csv").unwrap_err();
        assert_eq!(e.to_string(), "f.csv: no header line found");
        let e = read_table(b"a\n\xff\n", "f.csv").unwrap_err();
        assert_eq!(e.to_string(), "f.csv: byte 2: not UTF-8 text");
        let t = read_table(b"a,b\n1,2\n", "f.csv").expect("table");
        assert!(t.column("c").unwrap_err().to_string().contains("columns: a, b"));
    }
}
