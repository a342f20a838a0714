//! Cycler CSV exports: Arbin (`Data_Point,Test_Time,...`), Neware BTSDA (`DataPoint,Cycle Index,...`),
//! Landt (`test_time_s,voltage_V,...` after a preamble) and the Battery Data Format (BDF, machine names
//! `test_time_second` or labels `Test Time / s` with the unit after ` / `, converted when it is not the
//! canonical one, e.g. `Test Time / h`).
//!
//! The dialect is found from the header line (searched in the first 30 lines). Each known header maps
//! onto a [`Channel`] with its unit conversion; unknown numeric headers become [`Channel::Other`] with
//! the unit from `(unit)` / `[unit]` / ` / unit` when given. Text columns (step type names, switches)
//! are not kept; their names are listed in the metadata (`text_columns`). Empty cells become NaN.
//! Current keeps the file's sign (all four write positive = charge).

use std::io::Read;

use spelab_core::constants::ZERO_CELSIUS;

use crate::channel::{si_unit, snake_case, Channel};
use crate::recording::{Column, Format, Recording, Values};
use crate::text::{cut_line_warning, decode, ends_inside_last_line, lines, parse_number};
use crate::IoError;

/// The CSV dialects this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Arbin MITS CSV export.
    Arbin,
    /// Neware BTSDA CSV export.
    Neware,
    /// Landt (LAND CT2001A) CSV export.
    Landt,
    /// Battery Data Format CSV.
    Bdf,
}

impl Dialect {
    fn format(self) -> Format {
        match self {
            Dialect::Arbin => Format::ArbinCsv,
            Dialect::Neware => Format::NewareCsv,
            Dialect::Landt => Format::LandtCsv,
            Dialect::Bdf => Format::BdfCsv,
        }
    }
}

/// Splits one CSV line (comma, double quotes for cells holding commas).
fn split_csv(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// Dialect and header line index of a CSV export, if the first lines show one.
pub fn detect_dialect(lines: &[&str]) -> Option<(Dialect, usize)> {
    for (i, line) in lines.iter().take(30).enumerate() {
        let cells: Vec<String> = split_csv(line).into_iter().map(|c| c.trim().to_string()).collect();
        let has = |name: &str| cells.iter().any(|c| c == name);
        let dialect = if (has("Test_Time") && (has("Cycle_Index") || has("Data_Point")))
            || (has("Test_ID") && has("Schedule_File_Name"))
        {
            Dialect::Arbin
        } else if has("Cycle Index") && has("Step Type") {
            Dialect::Neware
        } else if has("test_time_s") && has("voltage_V") {
            Dialect::Landt
        } else if has("test_time_second") || cells.iter().any(|c| c.starts_with("Test Time / ")) {
            Dialect::Bdf
        } else {
            continue;
        };
        return Some((dialect, i));
    }
    None
}

/// How a cell is turned into a number.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Integer,
    /// `hh:mm:ss` (hours may exceed 24).
    Hms,
    /// `YYYY-MM-DD hh:mm:ss` or `MM/DD/YYYY hh:mm:ss` → seconds since 1970 of that wall clock.
    DateTime,
}

struct Spec {
    channel: Channel,
    kind: Kind,
    scale: f64,
    offset: f64,
}

fn spec(channel: Channel, kind: Kind, scale: f64) -> Spec {
    Spec { channel, kind, scale, offset: 0.0 }
}

/// Splits `Name / unit`, `Name(unit)` or `Name [unit]` into name and unit.
fn name_and_unit(header: &str) -> (&str, &str) {
    let h = header.trim();
    if let Some((n, u)) = h.rsplit_once(" / ") {
        return (n.trim(), u.trim());
    }
    for (open, close) in [('(', ')'), ('[', ']')] {
        if h.ends_with(close) {
            if let Some(i) = h.rfind(open) {
                return (h[..i].trim(), &h[i + 1..h.len() - 1]);
            }
        }
    }
    (h, "")
}

fn resolve(header: &str) -> Spec {
    use Channel as C;
    use Kind::*;
    let (name, unit) = name_and_unit(header);
    let (si, scale, offset) = si_unit(match unit {
        "1" => "",
        "degC" | "C" if name.to_lowercase().contains("temp") => "°C",
        "ohm" | "mO" => {
            if unit == "mO" {
                "mOhm"
            } else {
                "Ohm"
            }
        }
        u => u,
    });
    let unit_spec = |c: Channel| Spec { channel: c, kind: Number, scale, offset };
    let key = name.to_lowercase().replace([' ', '.'], "_");
    match (header.trim(), key.as_str()) {
        // Arbin
        ("Data_Point", _) | ("DataPoint", _) | (_, "data_point") => {
            spec(C::other("data point", "1"), Integer, 1.0)
        }
        ("", _) => spec(C::other("row", "1"), Integer, 1.0),
        ("Test_Time", _) | ("Test_Time(s)", _) => spec(C::Time, Number, 1.0),
        ("Step_Time", _) | ("Step_Time(s)", _) => spec(C::StepTime, Number, 1.0),
        ("DateTime", _) => spec(C::UnixTime, Number, 1.0),
        ("Step_Index", _) | ("Step Index", _) | ("step_index", _) => spec(C::StepIndex, Integer, 1.0),
        ("Cycle_Index", _) | ("Cycle Index", _) | ("cycle_index", _) | ("cycle_count", _) => {
            spec(C::CycleIndex, Integer, 1.0)
        }
        ("Current", _) | ("Current(A)", _) | ("current_A", _) | ("current_ampere", _) => {
            spec(C::Current, Number, 1.0)
        }
        ("Voltage", _) | ("Voltage(V)", _) | ("voltage_V", _) | ("voltage_volt", _) => {
            spec(C::Voltage, Number, 1.0)
        }
        ("Charge_Capacity", _)
        | ("Chg. Cap.(Ah)", _)
        | ("charge_capacity_Ah", _)
        | ("charging_capacity_ah", _) => spec(C::ChargeCapacity, Number, 3600.0),
        ("Discharge_Capacity", _)
        | ("DChg. Cap.(Ah)", _)
        | ("discharge_capacity_Ah", _)
        | ("discharging_capacity_ah", _) => spec(C::DischargeCapacity, Number, 3600.0),
        ("Charge_Energy", _) | ("Chg. Energy(Wh)", _) | ("charge_energy_Wh", _) => {
            spec(C::ChargeEnergy, Number, 3600.0)
        }
        ("Discharge_Energy", _) | ("DChg. Energy(Wh)", _) | ("discharge_energy_Wh", _) => {
            spec(C::DischargeEnergy, Number, 3600.0)
        }
        ("Internal_Resistance", _) => spec(C::Resistance, Number, 1.0),
        ("Temperature", _) | ("temperature_1_C", _) | ("ambient_temperature_celsius", _) => {
            Spec { channel: C::Temperature, kind: Number, scale: 1.0, offset: ZERO_CELSIUS }
        }
        // Neware BTSDA
        ("Time", _) => spec(C::StepTime, Hms, 1.0),
        ("Cumulative Time", _) => spec(C::Time, Hms, 1.0),
        ("Capacity(Ah)", _) => spec(C::Capacity, Number, 3600.0),
        ("Energy(Wh)", _) => spec(C::Energy, Number, 3600.0),
        ("Power(W)", _) => spec(C::Power, Number, 1.0),
        ("Date", _) | ("date_time_iso_string", _) => spec(C::other("wall clock", "s"), DateTime, 1.0),
        // Landt
        ("test_time_s", _) | ("test_time_second", _) => spec(C::Time, Number, 1.0),
        ("step_time_s", _) => spec(C::StepTime, Number, 1.0),
        ("channel_index", _) => spec(C::other("channel", "1"), Integer, 1.0),
        // BDF labels: the unit after " / " decides the scale.
        (_, "test_time") => unit_spec(C::Time),
        (_, "step_time") => unit_spec(C::StepTime),
        (_, "unix_time") => unit_spec(C::UnixTime),
        (_, "voltage") => unit_spec(C::Voltage),
        (_, "current") => unit_spec(C::Current),
        (_, "cycle_count") => spec(C::CycleIndex, Integer, 1.0),
        (_, "step_index") | (_, "step_count") => spec(C::StepIndex, Integer, 1.0),
        (_, "charge_capacity") | (_, "charging_capacity") => unit_spec(C::ChargeCapacity),
        (_, "discharge_capacity") | (_, "discharging_capacity") => unit_spec(C::DischargeCapacity),
        (_, "charging_energy") | (_, "charge_energy") => unit_spec(C::ChargeEnergy),
        (_, "discharging_energy") | (_, "discharge_energy") => unit_spec(C::DischargeEnergy),
        (_, "ambient_temperature") | (_, "temperature_t1") => unit_spec(C::Temperature),
        _ => Spec { channel: C::other(&snake_case(name), &si), kind: Number, scale, offset },
    }
}

/// `"24:01:00"` → 86460 s.
fn hms(cell: &str) -> Option<f64> {
    let mut p = cell.trim().split(':');
    let (h, m, s) = (p.next()?, p.next()?, p.next()?);
    if p.next().is_some() {
        return None;
    }
    Some(h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().ok()? * 60.0 + s.parse::<f64>().ok()?)
}

/// Wall-clock date-time text → seconds since 1970-01-01 of that (zone-less) time.
fn date_time(cell: &str) -> Option<f64> {
    let (date, time) = cell.trim().split_once([' ', 'T'])?;
    let d: Vec<i64> = date.split(['-', '/']).map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let (y, mo, da) = match (date.contains('-'), d.as_slice()) {
        (true, [y, m, d]) => (*y, *m, *d),
        (false, [m, d, y]) => (*y, *m, *d),
        _ => return None,
    };
    let t = hms(time)?;
    Some(spelab_core::calendar::days_from_civil(y, mo, da) as f64 * 86_400.0 + t)
}

/// Reads a cycler CSV export from any reader; `name` is used in error messages.
pub fn read_cycler_csv_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_cycler_csv(&bytes, name)
}

/// Reads a cycler CSV export (Arbin, Neware BTSDA, Landt or BDF) from its bytes.
pub fn read_cycler_csv(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let text = decode(bytes);
    let all = lines(&text);
    let bad = |line: usize, message: String| IoError::BadLine { name: name.to_string(), line, message };
    let (dialect, h) = detect_dialect(&all)
        .ok_or_else(|| bad(1, "no Arbin / Neware / Landt / BDF CSV header found".into()))?;
    if all[h + 1..].iter().all(|l| l.trim().is_empty()) {
        return Err(bad(h + 1, "no data rows after the column header (a cut or empty file)".into()));
    }
    let mut rec = Recording::new(dialect.format(), name);
    rec.metadata.instrument = Some(dialect.format().instrument().to_string());
    for line in &all[..h] {
        let cells = split_csv(line);
        if let Some((k, v)) = cells.first().and_then(|c| c.split_once(':')) {
            let v = if v.trim().is_empty() { cells.get(1).map(|s| s.trim()).unwrap_or("") } else { v.trim() };
            if !v.is_empty() {
                rec.metadata.extra.insert(snake_case(k), v.to_string());
            }
        }
    }
    let mut headers: Vec<String> = split_csv(all[h]).into_iter().map(|c| c.trim().to_string()).collect();
    while headers.last().is_some_and(|c| c.is_empty()) {
        headers.pop();
    }
    let specs: Vec<Spec> = headers.iter().map(|c| resolve(c)).collect();
    let mut raw: Vec<Vec<f64>> = vec![Vec::new(); headers.len()];
    let mut text_column = vec![false; headers.len()];
    // Arbin, Landt and BDF files end with a line end (BTSDA's CSV may not): a last line without one
    // was cut, and its last value may be too.
    let cut = dialect != Dialect::Neware && all.len() > h + 1 && ends_inside_last_line(&text);
    for (i, line) in all.iter().enumerate().skip(h + 1) {
        if line.trim().is_empty() {
            continue;
        }
        if cut && i + 1 == all.len() {
            rec.warnings.push(cut_line_warning(name, i + 1));
            rec.skipped_records += 1;
            break;
        }
        let mut cells = split_csv(line);
        while cells.len() > headers.len() && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        if cells.len() != headers.len() {
            return Err(bad(i + 1, format!("{} cells, the header has {}", cells.len(), headers.len())));
        }
        for (k, cell) in cells.iter().enumerate() {
            let cell = cell.trim();
            let value = if cell.is_empty() {
                Some(f64::NAN)
            } else {
                match specs[k].kind {
                    Kind::Hms => hms(cell),
                    Kind::DateTime => date_time(cell),
                    _ => parse_number(cell, false),
                }
            };
            match value {
                Some(v) => raw[k].push(v),
                // A column spelab has no meaning for may hold text anywhere (protocol names, notes);
                // a known numeric column may not.
                None if text_column[k]
                    || raw[k].is_empty()
                    || matches!(specs[k].channel, Channel::Other { .. }) =>
                {
                    text_column[k] = true;
                    raw[k].push(f64::NAN);
                }
                None => return Err(bad(i + 1, format!("column '{}': {cell:?} is not a number", headers[k]))),
            }
        }
    }
    let text_names: Vec<&str> =
        headers.iter().zip(&text_column).filter(|(_, t)| **t).map(|(h, _)| h.as_str()).collect();
    if !text_names.is_empty() {
        rec.metadata.extra.insert("text_columns".into(), text_names.join(", "));
    }
    let sidecar = headers.iter().any(|h| h == "Schedule_File_Name");
    for (k, (s, values)) in specs.into_iter().zip(raw).enumerate() {
        if sidecar {
            // Arbin's metadata sidecar: one row of test facts, kept as metadata.
            let cell =
                all.get(h + 1).map(|l| split_csv(l)).and_then(|c| c.get(k).cloned()).unwrap_or_default();
            if !headers[k].is_empty() && !cell.trim().is_empty() {
                rec.metadata.extra.insert(snake_case(&headers[k]), cell.trim().to_string());
            }
        }
        if text_column[k] {
            continue;
        }
        let integer = s.kind == Kind::Integer && values.iter().all(|v| v.fract() == 0.0);
        let (values, scale, offset) = if integer {
            (Values::Int(values.iter().map(|&v| v as i64).collect()), 1.0, 0.0)
        } else {
            (Values::Float(values.iter().map(|&v| v * s.scale + s.offset).collect()), s.scale, s.offset)
        };
        rec.push(Column {
            channel: s.channel,
            source: headers[k].clone(),
            values,
            scale,
            offset,
            derived: false,
        });
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_and_units() {
        assert_eq!(hms("24:01:00"), Some(86_460.0));
        assert_eq!(date_time("1970-01-02 00:00:01"), Some(86_401.0));
        assert_eq!(date_time("01/02/1970 00:00:01"), Some(86_401.0));
        assert_eq!(name_and_unit("Test Time / h"), ("Test Time", "h"));
        assert_eq!(name_and_unit("Current(A)"), ("Current", "A"));
        assert_eq!(split_csv("a,\"b,c\",d"), vec!["a", "b,c", "d"]);
    }

    #[test]
    fn bdf_labels_convert_units() {
        let text = "Test Time / h,Voltage / V,Current / mA,Step Type / 1\n1,3.0,2,charge\n";
        let r = read_cycler_csv(text.as_bytes(), "x.csv").expect("read");
        assert_eq!(r.format, Format::BdfCsv);
        assert_eq!(r.column(&Channel::Time).expect("t").values, Values::Float(vec![3600.0]));
        assert_eq!(r.column(&Channel::Current).expect("i").values, Values::Float(vec![2e-3]));
        assert_eq!(r.metadata.extra.get("text_columns").map(String::as_str), Some("Step Type / 1"));
        let e = read_cycler_csv(b"Test Time / s,Voltage / V\n1,2\n3\n", "x.csv").unwrap_err().to_string();
        assert!(e.starts_with("x.csv:3:"), "{e}");
    }
}
