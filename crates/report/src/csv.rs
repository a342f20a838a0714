//! Flat CSV text: `metrics.csv` and the data behind each figure (`data/<id>.csv`).
//!
//! Fields are quoted per RFC 4180 when they contain a comma, a double quote or a line break (quotes
//! doubled); records end with `\n`. Numbers use Rust's shortest round-trip formatting, so a value read
//! back is bit-for-bit the value written.

use std::fmt::Write as _;

use spelab_core::Metric;

use crate::figure::Figure;

/// Header of `metrics.csv`, in column order.
pub const METRICS_CSV_HEADER: [&str; 13] = [
    "id",
    "material",
    "value",
    "unit",
    "display",
    "uncertainty",
    "method",
    "source",
    "conditions",
    "input_value",
    "paper_value",
    "role",
    "paper_ratio",
];

/// Quotes one CSV field if it needs it (RFC 4180).
pub fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A number cell: shortest round-trip form; empty for NaN and infinities (as `null` in JSON).
fn number(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

fn push_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f.as_ref())).collect();
    out.push_str(&line.join(","));
    out.push('\n');
}

/// `metrics.csv`: one row per metric under [`METRICS_CSV_HEADER`].
///
/// Values are SI (see `unit`); `conditions` is `key=value;key=value` in key order; a missing optional
/// value is an empty cell.
pub fn metrics_csv(metrics: &[Metric]) -> String {
    let mut out = String::new();
    push_record(&mut out, &METRICS_CSV_HEADER);
    for m in metrics {
        let conditions = m.conditions.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(";");
        let fields = [
            m.id.as_str().to_string(),
            m.material.clone().unwrap_or_default(),
            number(m.value),
            m.unit.clone(),
            m.display.clone(),
            m.uncertainty.map(number).unwrap_or_default(),
            m.method.clone().unwrap_or_default(),
            m.source.clone(),
            conditions,
            m.input_value.map(number).unwrap_or_default(),
            m.paper_value.map(number).unwrap_or_default(),
            m.role.as_str().to_string(),
            m.paper_ratio.map(number).unwrap_or_default(),
        ];
        push_record(&mut out, &fields);
    }
    out
}

/// The data behind a figure: two columns per series, `<series name> x [<x label>]` and
/// `<series name> y [<y label>]` (the second axis' label for a series drawn against it), then the
/// series of each panel the same way, with every point as given (non-finite values written as `NaN`,
/// `inf`, `-inf`); shorter series are padded with empty cells.
pub fn figure_data_csv(fig: &Figure) -> String {
    let mut out = String::new();
    let figures = std::iter::once(fig).chain(&fig.panels);
    let columns: Vec<(&Figure, &crate::figure::Series)> =
        figures.flat_map(|f| f.series.iter().map(move |s| (f, s))).collect();
    let mut header = Vec::with_capacity(2 * columns.len());
    for (f, s) in &columns {
        let y_label = match (&f.y2, s.secondary) {
            (Some(y2), true) => &y2.label,
            _ => &f.y.label,
        };
        header.push(format!("{} x [{}]", s.name, f.x.label));
        header.push(format!("{} y [{}]", s.name, y_label));
    }
    push_record(&mut out, &header);
    let rows = columns.iter().map(|(_, s)| s.x.len().max(s.y.len())).max().unwrap_or(0);
    for i in 0..rows {
        let mut line = String::new();
        for (j, (_, s)) in columns.iter().enumerate() {
            if j > 0 {
                line.push(',');
            }
            if let Some(x) = s.x.get(i) {
                let _ = write!(line, "{x}");
            }
            line.push(',');
            if let Some(y) = s.y.get(i) {
                let _ = write!(line, "{y}");
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(number(f64::NAN), "");
        assert_eq!(number(0.1), "0.1");
    }
}
