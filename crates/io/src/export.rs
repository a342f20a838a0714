//! Writing a [`Recording`] out: CSV with `name [unit]` headers (readable back by [`crate::table`]),
//! and Battery Data Format (BDF) CSV with the preferred labels and canonical units.

use std::fmt::Write as _;

use spelab_core::constants::ZERO_CELSIUS;

use crate::channel::Channel;
use crate::recording::{Recording, Values};
use crate::IoError;

/// BDF columns spelab writes: channel, preferred label, factor SI → BDF unit, offset.
/// Current keeps its sign: BDF and spelab both count charging current positive.
const BDF_COLUMNS: [(Channel, &str, f64, f64); 11] = [
    (Channel::Time, "Test Time / s", 1.0, 0.0),
    (Channel::Voltage, "Voltage / V", 1.0, 0.0),
    (Channel::Current, "Current / A", 1.0, 0.0),
    (Channel::UnixTime, "Unix Time / s", 1.0, 0.0),
    (Channel::CycleIndex, "Cycle Count / 1", 1.0, 0.0),
    (Channel::StepIndex, "Step Index / 1", 1.0, 0.0),
    (Channel::ChargeCapacity, "Charging Capacity / Ah", 1.0 / 3600.0, 0.0),
    (Channel::DischargeCapacity, "Discharging Capacity / Ah", 1.0 / 3600.0, 0.0),
    (Channel::ChargeEnergy, "Charging Energy / Wh", 1.0 / 3600.0, 0.0),
    (Channel::DischargeEnergy, "Discharging Energy / Wh", 1.0 / 3600.0, 0.0),
    (Channel::Temperature, "Ambient Temperature / degC", 1.0, -ZERO_CELSIUS),
];

/// The recording as Battery Data Format CSV: test time, voltage and current (required) and the
/// optional BDF columns it has (unix time, cycle count, step index, capacities, energies, ambient
/// temperature), with BDF's preferred labels and units (s, V, A, Ah, Wh, degC).
///
/// Errors: [`IoError::MissingChannel`] when time, voltage or current is absent.
pub fn to_bdf_csv(recording: &Recording) -> Result<String, IoError> {
    let mut columns: Vec<(&str, Vec<f64>, bool)> = Vec::new();
    for (channel, label, scale, offset) in BDF_COLUMNS {
        let Some(c) = recording.column(&channel) else {
            if matches!(channel, Channel::Time | Channel::Voltage | Channel::Current) {
                return Err(IoError::MissingChannel {
                    name: recording.source().to_string(),
                    channel: channel.name().to_string(),
                    wanted_for: "a BDF file (test time, voltage and current are required)",
                    available: recording.columns.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "),
                });
            }
            continue;
        };
        let integer = matches!(c.values, Values::Int(_));
        let values =
            c.values.to_f64().iter().map(|v| if integer { *v } else { v * scale + offset }).collect();
        columns.push((label, values, integer));
    }
    let mut out = String::with_capacity(recording.rows() * columns.len() * 12 + 128);
    out.push_str(&columns.iter().map(|c| c.0).collect::<Vec<_>>().join(","));
    out.push('\n');
    for row in 0..recording.rows() {
        for (i, (_, values, integer)) in columns.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let v = values[row];
            let _ = if *integer { write!(out, "{}", v as i64) } else { write!(out, "{v}") };
        }
        out.push('\n');
    }
    Ok(out)
}

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
