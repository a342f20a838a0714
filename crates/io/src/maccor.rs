//! Maccor text exports (tab-separated), three header dialects:
//! 1. `Today's Date ...` preamble line, then `Rec# Cyc# Step Test (Min) Step (Min) Amp-hr Watt-hr Amps
//!    Volts State ES DPt Time` (times in minutes);
//! 2. the same preamble with `TestTime` / `StepTime` written as durations `0d 00:00:10.0000`;
//! 3. the KIT / Maccor #4 style: `Key:<TAB>value` preamble, a blank line, `Rec Cycle P Cycle C Step
//!    TestTime StepTime Cap. [Ah] Ener. [Wh] Current [A] Voltage [V] Md ES DPT Time VAR1..15`, decimal
//!    commas, and a `TestTime` that counts minutes (the `DPT Time` wall clock advances 60 s per 1.0).
//!
//! Maccor writes current and capacity unsigned; the state column says the direction (`C` charge,
//! `D` discharge), so discharge current is made negative (spelab: positive current charges). The state
//! is kept as [`Channel::Other`] `state` with codes: R rest 0, C charge 1, D discharge 2, O 3, S 4,
//! P 5, FRA 6, anything else -1. A cut last line (fewer cells) is dropped with a warning and the
//! metadata entry `truncated_last_record`; a short line elsewhere is an error.

use std::io::Read;

use crate::channel::{si_unit, Channel};
use crate::recording::{Column, Format, Recording, Values};
use crate::text::{decode, ends_inside_last_line, lines, parse_number};
use crate::IoError;

/// Reads a Maccor text export from any reader; `name` is used in error messages.
pub fn read_maccor_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_maccor(&bytes, name)
}

/// Index of the column header line among the first lines, if these bytes look like a Maccor export.
pub fn header_line(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .take(40)
        .position(|l| l.starts_with("Rec#\tCyc#\tStep\t") || l.starts_with("Rec\tCycle P\tCycle C\tStep\t"))
}

fn bad(name: &str, line: usize, message: impl Into<String>) -> IoError {
    IoError::BadLine { name: name.to_string(), line, message: message.into() }
}

/// `"  0d 00:00:10.0000"` → 10.0 s.
fn duration_s(cell: &str) -> Option<f64> {
    let (days, clock) = cell.trim().split_once("d ")?;
    let mut parts = clock.trim().split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next()?.parse().ok()?;
    Some(days.trim().parse::<f64>().ok()? * 86_400.0 + h * 3600.0 + m * 60.0 + s)
}

/// `"03/31/2016 16:05:31"` (month first) → seconds since 1970-01-01 of that wall-clock time.
fn wall_clock_s(cell: &str) -> Option<f64> {
    let (date, time) = cell.trim().split_once(' ')?;
    let d: Vec<i64> = date.split('/').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let t: Vec<f64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let ([mo, da, y], [h, mi, s]) = (d.as_slice(), t.as_slice()) else { return None };
    let days = spelab_core::calendar::days_from_civil(*y, *mo, *da);
    Some(days as f64 * 86_400.0 + h * 3600.0 + mi * 60.0 + s)
}

fn state_code(cell: &str) -> i64 {
    match cell.trim() {
        "R" => 0,
        "C" => 1,
        "D" => 2,
        "O" => 3,
        "S" => 4,
        "P" => 5,
        "FRA" => 6,
        _ => -1,
    }
}

/// How one column is parsed and what it becomes.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Integer,
    /// A time column: minutes as a number, or a `0d hh:mm:ss` duration.
    Minutes,
    Duration,
    WallClock,
    State,
}

fn resolve(label: &str) -> (Channel, Kind, f64) {
    let int = |c: Channel| (c, Kind::Integer, 1.0);
    match label {
        "Rec#" | "Rec" => int(Channel::other("record", "1")),
        "Cyc#" | "Cycle C" => int(Channel::CycleIndex),
        "Cycle P" => int(Channel::other("cycle p", "1")),
        "Step" => int(Channel::StepIndex),
        "Test (Min)" => (Channel::Time, Kind::Minutes, 60.0),
        "Step (Min)" => (Channel::StepTime, Kind::Minutes, 60.0),
        "Test (Sec)" => (Channel::Time, Kind::Number, 1.0),
        "Step (Sec)" => (Channel::StepTime, Kind::Number, 1.0),
        // Durations in the FRA dialect, minutes as plain numbers in the KIT dialect.
        "TestTime" => (Channel::Time, Kind::Duration, 60.0),
        "StepTime" => (Channel::StepTime, Kind::Duration, 60.0),
        "Amp-hr" | "Cap. [Ah]" => (Channel::Capacity, Kind::Number, 3600.0),
        "Watt-hr" | "Ener. [Wh]" => (Channel::Energy, Kind::Number, 3600.0),
        "Amps" | "Current [A]" => (Channel::Current, Kind::Number, 1.0),
        "Volts" | "Voltage [V]" => (Channel::Voltage, Kind::Number, 1.0),
        "State" | "Md" => (Channel::other("state", "1"), Kind::State, 1.0),
        "ES" => int(Channel::other("es", "1")),
        "DPt Time" | "DPT Time" => (Channel::other("wall clock", "s"), Kind::WallClock, 1.0),
        "DCIR/Ohms" => (Channel::Resistance, Kind::Number, 1.0),
        "Range" => int(Channel::CurrentRange),
        other => {
            let (name, unit) = match other.split_once('/') {
                Some((n, u)) => (n, u.trim_end_matches('s')),
                None => (other, ""),
            };
            let (si, scale, _) = si_unit(unit);
            (Channel::other(name, &si), Kind::Number, scale)
        }
    }
}

/// Reads a Maccor text export from its bytes; `name` is used in error messages.
pub fn read_maccor(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let text = decode(bytes);
    let all = lines(&text);
    let h = header_line(&all)
        .ok_or_else(|| bad(name, 1, "no Maccor column header ('Rec#\\tCyc#\\tStep' or 'Rec\\tCycle P')"))?;
    let mut rec = Recording::new(Format::MaccorText, name);
    rec.metadata.instrument = Some("Maccor".into());
    for line in &all[..h] {
        for (k, v) in preamble_pairs(line) {
            if k == "Started" {
                if let Some((d, t)) = v.split_once(' ') {
                    let p: Vec<&str> = d.split('/').collect();
                    if let [m, d, y] = p.as_slice() {
                        rec.metadata.start_time = Some(format!("{y}-{m}-{d}T{t}"));
                    }
                }
            }
            rec.metadata.extra.insert(crate::channel::snake_case(&k), v);
        }
    }
    let labels: Vec<&str> = all[h].split('\t').map(str::trim).collect();
    let data: Vec<(usize, &str)> = all
        .iter()
        .enumerate()
        .skip(h + 1)
        .map(|(i, l)| (i + 1, *l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if data.is_empty() {
        return Err(bad(name, h + 1, "no data rows after the column header (a cut or empty file)"));
    }
    let comma = data.first().is_some_and(|(_, l)| l.split('\t').any(|c| c.contains(',') && !c.contains(' ')));
    let kinds: Vec<(Channel, Kind, f64)> = labels.iter().map(|l| resolve(l)).collect();
    let mut raw: Vec<Vec<f64>> = vec![Vec::with_capacity(data.len()); labels.len()];
    let mut wall_clock_ok = true;
    // Maccor exports end with a line end: a last line without one was cut (its last value too).
    let cut = ends_inside_last_line(&text);
    for (n, (line, row)) in data.iter().enumerate() {
        let cells: Vec<&str> = row.split('\t').collect();
        if cells.len() != labels.len() {
            if n + 1 == data.len() && cells.len() < labels.len() {
                rec.warnings.push(format!(
                    "line {line}: the last record is cut ({} of {} cells); it was dropped",
                    cells.len(),
                    labels.len()
                ));
                rec.metadata.extra.insert("truncated_last_record".into(), line.to_string());
                rec.skipped_records += 1;
                break;
            }
            return Err(bad(name, *line, format!("{} cells, the header has {}", cells.len(), labels.len())));
        }
        if cut && n + 1 == data.len() && *line == all.len() {
            rec.warnings.push(crate::text::cut_line_warning(name, *line));
            rec.metadata.extra.insert("truncated_last_record".into(), line.to_string());
            rec.skipped_records += 1;
            break;
        }
        for (k, cell) in cells.iter().enumerate() {
            let kind = kinds[k].1;
            let value = match kind {
                Kind::State => Some(state_code(cell) as f64),
                Kind::WallClock => {
                    let v = wall_clock_s(cell);
                    wall_clock_ok &= v.is_some();
                    Some(v.unwrap_or(f64::NAN))
                }
                // Stored in minutes either way (the KIT dialect writes minutes as plain numbers).
                Kind::Duration => duration_s(cell).map(|s| s / 60.0).or_else(|| parse_number(cell, comma)),
                _ if cell.trim() == "N/A" => Some(f64::NAN),
                _ => parse_number(cell, comma),
            };
            let v = value.ok_or_else(|| {
                bad(name, *line, format!("column '{}': {:?} is not a number", labels[k], cell.trim()))
            })?;
            raw[k].push(v);
        }
    }
    let state = kinds.iter().position(|k| k.1 == Kind::State).map(|i| raw[i].clone());
    for (k, ((channel, kind, scale), values)) in kinds.into_iter().zip(raw).enumerate() {
        if kind == Kind::WallClock && !wall_clock_ok {
            rec.warnings.push(format!("column '{}': no full date on every row; not kept", labels[k]));
            continue;
        }
        let mut values = values;
        // Unsigned current and capacity: discharge (state D) is negative.
        if channel == Channel::Current {
            if let Some(state) = &state {
                for (v, s) in values.iter_mut().zip(state) {
                    if *s == 2.0 {
                        *v = -v.abs();
                    }
                }
            }
        }
        let integer = matches!(kind, Kind::Integer | Kind::State) && values.iter().all(|v| v.fract() == 0.0);
        let column_values = if integer {
            Values::Int(values.iter().map(|&v| v as i64).collect())
        } else {
            Values::Float(values.iter().map(|&v| v * scale).collect())
        };
        let scale = if integer { 1.0 } else { scale };
        rec.push(Column {
            channel,
            source: labels[k].to_string(),
            values: column_values,
            scale,
            offset: 0.0,
            derived: false,
        });
    }
    rec.version = Some(
        match (labels.first().copied(), labels.contains(&"TestTime")) {
            (Some("Rec"), _) => "KIT / Maccor #4 dialect (TestTime in minutes)",
            (_, true) => "duration dialect (TestTime as 0d hh:mm:ss)",
            _ => "minutes dialect (Test (Min))",
        }
        .to_string(),
    );
    Ok(rec)
}

/// `Key:<TAB>value` pairs of a preamble line (both `Name:\tX` and `Date of Test:\tY\t Filename:\tZ`).
fn preamble_pairs(line: &str) -> Vec<(String, String)> {
    let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < cells.len() {
        let key = cells[i].trim_end_matches(':');
        let key = key.rsplit("  ").next().unwrap_or(key).trim();
        if !key.is_empty() && !cells[i + 1].is_empty() {
            out.push((key.to_string(), cells[i + 1].to_string()));
        }
        i += 2;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_time_formats() {
        assert_eq!(duration_s("  1d 01:02:03.5000"), Some(86_400.0 + 3723.5));
        assert_eq!(wall_clock_s("01/01/1970 00:01:00"), Some(60.0));
        assert_eq!(wall_clock_s("03/01/2000 00:00:00"), Some(951_868_800.0));
        assert_eq!(wall_clock_s("16:05:31"), None);
    }

    #[test]
    fn reads_minutes_signs_discharge_and_flags_a_cut_last_line() {
        let text = "Today's Date 04/04/2016  Date of Test:\t03/31/2016\n\
            Rec#\tCyc#\tStep\tTest (Min)\tStep (Min)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\tDPt Time\n\
            1\t0\t1\t0.5\t0.5\t0.001\t0.0\t0.1\t3.3\tD\t0\t03/31/2016 16:05:31\n\
            2\t0\t1\t1.0\t1.0\t0.002\t0.0\t0.1\t3.2\tD\t1\t03/31/2016 16:06:01\n\
            3\t0\t1\t1.5\t1.5";
        let r = read_maccor(text.as_bytes(), "m.001").expect("read");
        assert_eq!(r.rows(), 2);
        assert_eq!(r.column(&Channel::Time).expect("t").values, Values::Float(vec![30.0, 60.0]));
        assert_eq!(r.column(&Channel::Current).expect("i").values, Values::Float(vec![-0.1, -0.1]));
        assert!(r.warnings[0].contains("line 5: the last record is cut"), "{:?}", r.warnings);
        assert_eq!(r.metadata.extra.get("date_of_test").map(String::as_str), Some("03/31/2016"));
    }
}
