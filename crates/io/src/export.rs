//! Writing a [`Recording`] out: CSV with `name [unit]` headers (readable back by [`crate::table`]).

use std::fmt::Write as _;

use crate::recording::{Recording, Values};

/// Every row of `recording` as CSV: a header `time [s],voltage [V],...` then one line per row.
/// Floats use Rust's shortest round-trip form, so reading the CSV back gives the same `f64`s.
///
/// ```
/// use spelab_io::channel::Channel;
/// use spelab_io::export::to_csv;
/// use spelab_io::recording::{Column, Format, Recording, Values};
/// let mut r = Recording::new(Format::BiologicMpt, "x.mpt");
/// r.push(Column::new(Channel::Time, "time/s", Values::Float(vec![0.0, 0.5])));
/// r.push(Column::new(Channel::CycleIndex, "cycle number", Values::Int(vec![1, 2])));
/// assert_eq!(to_csv(&r), "time [s],cycle_index [1]\n0,1\n0.5,2\n");
/// ```
pub fn to_csv(recording: &Recording) -> String {
    let mut out = String::with_capacity(recording.rows() * recording.columns.len() * 12 + 64);
    let header: Vec<String> =
        recording.columns.iter().map(|c| format!("{} [{}]", c.name(), c.unit())).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in 0..recording.rows() {
        for (i, c) in recording.columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = match &c.values {
                Values::Float(v) => write!(out, "{}", v[row]),
                Values::Int(v) => write!(out, "{}", v[row]),
            };
        }
        out.push('\n');
    }
    out
}
