//! The summary of a [`Recording`] that `spelab read` prints: as text ([`text`]) and as JSON
//! ([`json`]): format, technique, rows, columns with units, time span, metadata, warnings and the
//! number of records the reader skipped (`skipped_records`, 0 when none).
//!
//! ```
//! use spelab_io::recording::{Column, Format, Recording, Values};
//! use spelab_io::{summary, Channel};
//! let mut r = Recording::new(Format::NewareNda, "a.nda");
//! r.push(Column::new(Channel::Time, "t", Values::Float(vec![0.0, 1.0])));
//! r.skipped_records = 2;
//! r.warnings.push("2 data record(s) skipped".into());
//! let j = summary::json(&r);
//! assert_eq!((j.rows, j.skipped_records), (2, 2));
//! assert!(summary::text(&r).contains("skipped records: 2"));
//! ```

use serde::Serialize;
use serde_json::Value;
use spelab_core::units::{format_in, Quantity};

use crate::Recording;

/// One column in the JSON summary.
#[derive(Debug, Serialize)]
pub struct ColumnSummary<'a> {
    /// spelab column name.
    pub name: &'a str,
    /// SI unit.
    pub unit: &'a str,
}

/// The JSON summary; serialized with its fields in this order.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// Format identifier ("neware-nda").
    pub format: &'static str,
    /// The vendor's technique label.
    pub technique: Option<&'a str>,
    /// Data rows read.
    pub rows: usize,
    /// Records skipped the way the vendor's software skips them (0 when none).
    pub skipped_records: usize,
    /// Columns with units.
    pub columns: Vec<ColumnSummary<'a>>,
    /// Metadata, format version, time span, warnings, derived columns.
    pub metadata: Value,
}

/// The JSON summary: `{"format", "technique", "rows", "skipped_records", "columns", "metadata"}`.
pub fn json(rec: &Recording) -> Summary<'_> {
    Summary {
        format: rec.format.id(),
        technique: rec.technique.as_deref(),
        rows: rec.rows(),
        skipped_records: rec.skipped_records,
        columns: rec.columns.iter().map(|c| ColumnSummary { name: c.name(), unit: c.unit() }).collect(),
        metadata: rec.metadata_json(),
    }
}

/// The text summary (one `key: value` per line, a line per column, warnings last).
pub fn text(rec: &Recording) -> String {
    let m = &rec.metadata;
    let mut t = String::new();
    t.push_str(&format!("file:       {}\n", rec.source()));
    t.push_str(&format!("instrument: {}\n", m.instrument.as_deref().unwrap_or(rec.format.instrument())));
    let version = rec.version.as_deref().map(|v| format!(" ({v})")).unwrap_or_default();
    t.push_str(&format!("format:     {}{version}\n", rec.format.id()));
    t.push_str(&format!("technique:  {}\n", rec.technique.as_deref().unwrap_or("unknown")));
    t.push_str(&format!("rows:       {}\n", rec.rows()));
    if rec.skipped_records > 0 {
        t.push_str(&format!("skipped records: {}\n", rec.skipped_records));
    }
    if let Some((t0, t1)) = rec.time_span() {
        let s = |v: f64| format_in(v, Quantity::Time, "s").unwrap_or_else(|_| format!("{v} s"));
        t.push_str(&format!("time span:  {} .. {} ({})\n", s(t0), s(t1), s(t1 - t0)));
    }
    t.push_str(&format!("columns ({}):\n", rec.columns.len()));
    let width = rec.columns.iter().map(|c| c.name().len() + c.unit().len() + 3).max().unwrap_or(10);
    for c in &rec.columns {
        let label = format!("{} [{}]", c.name(), c.unit());
        let derived = if c.derived { ", derived" } else { "" };
        t.push_str(&format!("  {label:<width$}  from {}{derived}\n", c.source));
    }
    t.push_str("metadata:\n");
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(v) = &m.start_time {
        fields.push(("start time".into(), v.clone()));
    }
    if let Some(v) = m.active_mass {
        fields.push(("active mass".into(), format!("{v:e} kg")));
    }
    if let Some(v) = m.area {
        fields.push(("electrode area".into(), format!("{v:e} m2")));
    }
    for (k, v) in &m.extra {
        fields.push((k.replace('_', " "), v.clone()));
    }
    if !rec.loops.is_empty() {
        fields.push(("loops".into(), format!("{} (start rows {:?})", rec.loops.len(), rec.loops)));
    }
    for (k, v) in fields {
        t.push_str(&format!("  {k}: {v}\n"));
    }
    for w in &rec.warnings {
        t.push_str(&format!("warning: {w}\n"));
    }
    t
}
