//! Reading a `.res` table's rows with jetdb: numeric columns as stored ([`Raw`]), small tables whole,
//! and the (`Test_ID`, `Data_Point`) order of the data rows.

use std::collections::HashMap;

use jetdb::{ColumnType, PageReader, TableDef, TableRows, Value};

use super::jet_error;
use crate::IoError;

/// The values of one column, as stored.
pub(super) enum Raw {
    Int(Vec<i64>),
    Float(Vec<f64>),
}

impl Raw {
    pub(super) fn len(&self) -> usize {
        match self {
            Raw::Int(v) => v.len(),
            Raw::Float(v) => v.len(),
        }
    }

    pub(super) fn permuted(self, order: &[usize]) -> Raw {
        match self {
            Raw::Int(v) => Raw::Int(order.iter().map(|&i| v[i]).collect()),
            Raw::Float(v) => Raw::Float(order.iter().map(|&i| v[i]).collect()),
        }
    }

    /// Appends a value; a NULL makes an integer column a float one (NaN for the NULLs).
    pub(super) fn push(&mut self, value: &Value) {
        let int = match value {
            Value::Bool(b) => Some(i64::from(*b)),
            Value::Byte(b) => Some(i64::from(*b)),
            Value::Int(i) => Some(i64::from(*i)),
            Value::Long(i) => Some(i64::from(*i)),
            Value::BigInt(i) => Some(*i),
            _ => None,
        };
        let float = match value {
            Value::Float(x) => f64::from(*x),
            Value::Double(x) | Value::Timestamp(x) => *x,
            _ => int.map_or(f64::NAN, |i| i as f64),
        };
        match (self, int) {
            (Raw::Int(v), Some(i)) => v.push(i),
            (Raw::Float(v), _) => v.push(float),
            (this @ Raw::Int(_), None) => {
                let Raw::Int(v) = this else { return };
                let mut f: Vec<f64> = v.iter().map(|&i| i as f64).collect();
                f.push(float);
                *this = Raw::Float(f);
            }
        }
    }
}

/// Numeric columns (Arbin label, values) in table order, and the labels of the columns not read.
pub(super) type Columns = (Vec<(String, Raw)>, Vec<String>);

/// Reads the numeric columns of `def`: (Arbin label, values) in table order, and the labels of the
/// columns not read (text, binary).
pub(super) fn read_columns(
    db: &mut PageReader,
    def: &TableDef,
    name: &str,
    page_size: usize,
    file_len: usize,
) -> Result<Columns, IoError> {
    let rows_expected = def.num_rows as usize;
    // A Jet data page holds at most a few hundred rows: a damaged row count must not reserve gigabytes.
    let capacity = rows_expected.min(def.data_pages.len().saturating_mul(256));
    let mut wanted = Vec::new();
    let mut columns = Vec::new();
    let mut skipped = Vec::new();
    for (i, c) in def.columns.iter().enumerate() {
        let raw = match c.col_type {
            ColumnType::Boolean
            | ColumnType::Byte
            | ColumnType::Int
            | ColumnType::Long
            | ColumnType::BigInt => Raw::Int(Vec::with_capacity(capacity)),
            ColumnType::Float | ColumnType::Double | ColumnType::Timestamp => {
                Raw::Float(Vec::with_capacity(capacity))
            }
            _ => {
                skipped.push(c.name.clone());
                continue;
            }
        };
        wanted.push(i);
        columns.push((c.name.clone(), raw));
    }
    let calculated = HashMap::new();
    let mut rows = TableRows::new(def, &calculated).with_columns(&wanted);
    let mut n = 0usize;
    while let Some(row) = rows
        .next_row(db)
        .map_err(|e| jet_error(name, page_size, file_len, &format!("rows of {}", def.name), e))?
    {
        for ((_, raw), &i) in columns.iter_mut().zip(&wanted) {
            raw.push(row.values.get(i).unwrap_or(&Value::Null));
        }
        n += 1;
    }
    let unreadable = rows.skipped_rows();
    if unreadable > 0 || n != rows_expected {
        let last_page = def.data_pages.last().copied().unwrap_or(0) as usize;
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: last_page * page_size,
            expected: format!("{rows_expected} rows in {} (its table definition's count)", def.name),
            found: format!("{n} readable rows, {unreadable} unreadable"),
        });
    }
    Ok((columns, skipped))
}

/// The first row of a small table (`Global_Table`, `Version_Table`), all columns.
pub(super) fn first_row(
    db: &mut PageReader,
    def: &TableDef,
    name: &str,
    page_size: usize,
    file_len: usize,
) -> Result<Option<Vec<Value>>, IoError> {
    let calculated = HashMap::new();
    let mut rows = TableRows::new(def, &calculated);
    let row = rows
        .next_row(db)
        .map_err(|e| jet_error(name, page_size, file_len, &format!("rows of {}", def.name), e))?;
    Ok(row.map(|r| r.values))
}

/// (`Test_ID`, `Data_Point`) of each data row in the recording's order (`order` applied; 0 for a
/// missing or non-integer field), the key [`aux::columns`] joins on.
pub(super) fn row_keys(columns: &[(String, Raw)], order: Option<&[usize]>) -> Vec<(i64, i64)> {
    let n = columns.first().map_or(0, |(_, raw)| raw.len());
    let ints = |label: &str| match columns.iter().find(|(l, _)| l == label) {
        Some((_, Raw::Int(v))) => v.clone(),
        Some((_, Raw::Float(v))) => v.iter().map(|&x| if x.is_finite() { x as i64 } else { -1 }).collect(),
        // No Data_Point: nothing can join (-1 is no data point).
        None => vec![if label == "Data_Point" { -1 } else { 0 }; n],
    };
    let (test, point) = (ints("Test_ID"), ints("Data_Point"));
    match order {
        Some(order) => order.iter().map(|&i| (test[i], point[i])).collect(),
        None => test.into_iter().zip(point).collect(),
    }
}

/// Every row of a small table (`Aux_Global_Data_Table`), all columns.
pub(super) fn all_rows(
    db: &mut PageReader,
    def: &TableDef,
    name: &str,
    page_size: usize,
    file_len: usize,
) -> Result<Vec<Vec<Value>>, IoError> {
    let calculated = HashMap::new();
    let mut rows = TableRows::new(def, &calculated);
    let mut out = Vec::new();
    while let Some(row) = rows
        .next_row(db)
        .map_err(|e| jet_error(name, page_size, file_len, &format!("rows of {}", def.name), e))?
    {
        out.push(row.values);
    }
    Ok(out)
}

/// The row order sorted by (`Test_ID`, `Data_Point`), or `None` when the rows already are in order.
pub(super) fn data_point_order(columns: &[(String, Raw)]) -> Option<Vec<usize>> {
    let key = |label: &str| {
        columns.iter().find(|(l, _)| l == label).and_then(|(_, raw)| match raw {
            Raw::Int(v) => Some(v),
            Raw::Float(_) => None,
        })
    };
    let point = key("Data_Point")?;
    let zeros = vec![0; point.len()];
    let test = key("Test_ID").unwrap_or(&zeros);
    let k = |i: usize| (test[i], point[i]);
    if (1..point.len()).all(|i| k(i - 1) <= k(i)) {
        return None;
    }
    let mut order: Vec<usize> = (0..point.len()).collect();
    order.sort_by_key(|&i| k(i));
    Some(order)
}
