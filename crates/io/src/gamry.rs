//! Gamry Framework `.DTA` (EXPLAIN text) reader.
//!
//! Layout: line 1 `EXPLAIN`, `TAG <technique>`, then `KEY<TAB>TYPE<TAB>VALUE...` lines (LABEL, QUANT,
//! POTEN, TOGGLE, SELECTOR, TWOPARAM, NOTES) and `NAME<TAB>TABLE[<TAB>n]` blocks: a column-name line,
//! a unit line, and rows that start with whitespace. The declared row count is a maximum (99999) or
//! stale, so the rows present are what counts. `EXPERIMENTABORTED TOGGLE T` marks an aborted run: the
//! rows are kept and a warning says so.
//!
//! The data of the recording: `ZCURVE` for impedance techniques, else every `CURVE` / `CURVEn` table in
//! order (with the table number as [`Channel::CycleIndex`] when there are several). Other tables
//! (`OCVCURVE`, `FRACURVE`, ...) are listed in the metadata. Rows may separate cells with tabs or
//! spaces; decimal commas are detected from the data. The `Over` column (overload flags as text) is
//! not kept.

use std::io::Read;

use spelab_core::constants::ZERO_CELSIUS;
use spelab_core::Technique;

use crate::channel::{si_unit, Channel};
use crate::recording::{Column, Format, Recording, Values};
use crate::text::{decode, lines, parse_number};
use crate::IoError;

/// A table as written in the file.
struct Table {
    name: String,
    line: usize,
    declared: Option<usize>,
    names: Vec<String>,
    units: Vec<String>,
    rows: Vec<Vec<f64>>,
    /// Columns holding text (e.g. `Over`), skipped.
    text_columns: Vec<bool>,
}

/// Channel, scale and offset (si = raw · scale + offset) and integer flag for a Gamry column.
fn resolve(name: &str, unit: &str) -> (Channel, f64, f64, bool) {
    let fixed = |c: Channel, scale: f64| (c, scale, 0.0, false);
    match name {
        "T" | "Time" => fixed(Channel::Time, 1.0),
        "Vf" | "Vdc" => fixed(Channel::Voltage, 1.0),
        "Im" | "Idc" => fixed(Channel::Current, 1.0),
        "Sig" => fixed(Channel::ControlVoltage, 1.0),
        "Freq" => fixed(Channel::Frequency, 1.0),
        "Zreal" => fixed(Channel::ImpedanceReal, 1.0),
        "Zimag" => fixed(Channel::ImpedanceImag, 1.0),
        "Zmod" => fixed(Channel::ImpedanceModulus, 1.0),
        "Zphz" => fixed(Channel::ImpedancePhase, std::f64::consts::PI / 180.0),
        "Temp" => (Channel::Temperature, 1.0, ZERO_CELSIUS, false),
        "IERange" => (Channel::CurrentRange, 1.0, 0.0, true),
        "Pt" | "Cycle" => (Channel::other(name, "1"), 1.0, 0.0, true),
        other => {
            let unit = match unit {
                "V vs. Ref." => "V",
                "ohm" => "Ohm",
                "S" if other == "T" => "s",
                u => u,
            };
            let (si, scale, offset) = si_unit(unit);
            (Channel::other(other, &si), scale, offset, false)
        }
    }
}

fn technique(tag: &str) -> (Option<Technique>, String) {
    let t = match tag {
        "EISPOT" => Some(Technique::Peis),
        "EISGALV" => Some(Technique::Geis),
        "CV" => Some(Technique::Cv),
        "CHRONOA" => Some(Technique::Ca),
        "CHRONOP" => Some(Technique::Cp),
        "CORPOT" => Some(Technique::Ocv),
        "LSV" => Some(Technique::Lsv),
        _ => Some(Technique::Unknown),
    };
    (t, tag.to_string())
}

/// Reads a `.DTA` from any reader; `name` is used in error messages.
pub fn read_dta_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_dta(&bytes, name)
}

fn bad(name: &str, line: usize, message: impl Into<String>) -> IoError {
    IoError::BadLine { name: name.to_string(), line, message: message.into() }
}

/// Reads a Gamry `.DTA` file from its bytes; `name` is used in error messages.
pub fn read_dta(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let text = decode(bytes);
    let all = lines(&text);
    if all.first().map(|l| l.trim()) != Some("EXPLAIN") {
        return Err(bad(name, 1, "expected 'EXPLAIN' (Gamry .DTA)"));
    }
    let mut rec = Recording::new(Format::GamryDta, name);
    rec.metadata.instrument = Some("Gamry".into());
    // Decimal comma when a QUANT value is written with one (Framework follows the Windows locale).
    let comma = all.iter().any(|l| {
        let cells: Vec<&str> = l.split('\t').collect();
        cells.len() > 2 && cells[1] == "QUANT" && cells[2].contains(',')
    });
    let mut tables: Vec<Table> = Vec::new();
    let mut in_table = false;
    let (mut date, mut time) = (None, None);
    let mut i = 1;
    while i < all.len() {
        let line = all[i];
        let number = i + 1;
        i += 1;
        if line.trim().is_empty() {
            continue;
        }
        let starts_blank = line.starts_with([' ', '\t']);
        if in_table && starts_blank {
            let table = tables.last_mut().expect("in_table implies a table");
            let cells: Vec<&str> = line.split_whitespace().collect();
            if cells.len() != table.names.len() {
                return Err(bad(
                    name,
                    number,
                    format!(
                        "table {}: {} cells, its header has {}",
                        table.name,
                        cells.len(),
                        table.names.len()
                    ),
                ));
            }
            let mut row = Vec::with_capacity(cells.len());
            for (k, cell) in cells.iter().enumerate() {
                match parse_number(cell, comma) {
                    Some(v) => row.push(v),
                    None if table.text_columns[k] || table.rows.is_empty() => {
                        table.text_columns[k] = true;
                        row.push(f64::NAN);
                    }
                    None => {
                        return Err(bad(
                            name,
                            number,
                            format!(
                                "table {}: column '{}': {cell:?} is not a number",
                                table.name, table.names[k]
                            ),
                        ))
                    }
                }
            }
            table.rows.push(row);
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if in_table && cells.get(1).map(|s| s.trim()) != Some("TABLE") {
            // A table's rows go on after this line: it is a damaged row, not the end of the table.
            let table = tables.last().expect("in_table implies a table");
            let next = all.get(i).filter(|l| l.starts_with([' ', '\t']));
            if next.is_some_and(|l| l.split_whitespace().count() == table.names.len()) {
                return Err(bad(
                    name,
                    number,
                    format!("table {}: a row that does not start with a tab", table.name),
                ));
            }
        }
        in_table = false;
        let key = cells[0].trim();
        match cells.get(1).map(|s| s.trim()) {
            Some("TABLE") => {
                let header = |k: usize| -> Result<Vec<String>, IoError> {
                    let l = all
                        .get(i + k)
                        .ok_or_else(|| bad(name, i + k + 1, format!("table {key}: header missing")))?;
                    Ok(l.split('\t').skip(1).map(|s| s.trim().to_string()).collect())
                };
                let names = header(0)?;
                let mut units = header(1)?;
                units.resize(names.len(), String::new());
                let declared = cells.get(2).and_then(|s| s.trim().parse().ok());
                let n = names.len();
                tables.push(Table {
                    name: key.to_string(),
                    line: number,
                    declared,
                    names,
                    units,
                    rows: Vec::new(),
                    text_columns: vec![false; n],
                });
                i += 2;
                in_table = true;
            }
            _ => {
                let value = cells.get(2).map(|s| s.trim()).unwrap_or("");
                match key {
                    "TAG" => {
                        let tag = cells.get(1).map(|s| s.trim()).unwrap_or("");
                        let (t, label) = technique(tag);
                        rec.metadata.technique = t;
                        rec.technique = Some(label);
                    }
                    "DATE" => date = Some(value.to_string()),
                    "TIME" => time = Some(value.to_string()),
                    "AREA" => {
                        if let Some(cm2) = parse_number(value, comma).filter(|v| v.is_finite() && *v > 0.0) {
                            rec.metadata.area = Some(cm2 / 1e4);
                        }
                    }
                    "PSTAT" => {
                        rec.metadata.extra.insert("potentiostat".into(), value.to_string());
                    }
                    "FRAMEWORKVERSION" => {
                        rec.metadata.extra.insert("framework_version".into(), value.to_string());
                    }
                    "EXPERIMENTABORTED" if value == "T" => {
                        rec.metadata.extra.insert("experiment_aborted".into(), "true".into());
                        rec.warnings.push(format!(
                            "line {number}: the experiment was aborted; the rows before the abort are kept"
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    if let (Some(d), Some(t)) = (&date, &time) {
        rec.metadata.extra.insert("date".into(), format!("{d} {t}"));
    }
    build_columns(tables, name, &mut rec)?;
    rec.version = rec.metadata.extra.get("framework_version").map(|v| format!("Framework {v}"));
    Ok(rec)
}

fn build_columns(tables: Vec<Table>, name: &str, rec: &mut Recording) -> Result<(), IoError> {
    let impedance = tables.iter().any(|t| t.name == "ZCURVE");
    let is_main = |t: &Table| {
        if impedance {
            t.name == "ZCURVE"
        } else {
            t.name == "CURVE"
                || (t.name.starts_with("CURVE") && t.name[5..].bytes().all(|b| b.is_ascii_digit()))
        }
    };
    let (main, other): (Vec<Table>, Vec<Table>) = tables.into_iter().partition(|t| is_main(t));
    for t in &other {
        rec.metadata
            .extra
            .insert(format!("table_{}", t.name.to_lowercase()), format!("{} rows", t.rows.len()));
    }
    let Some(first) = main.first() else {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "a CURVE or ZCURVE table".to_string(),
            found: format!("tables {:?}", other.iter().map(|t| t.name.as_str()).collect::<Vec<_>>()),
        });
    };
    for t in &main {
        if t.names != first.names {
            return Err(bad(name, t.line, format!("table {} has other columns than {}", t.name, first.name)));
        }
        if let Some(d) = t.declared.filter(|&d| d != t.rows.len() && d != 99_999) {
            rec.warnings.push(format!("table {} declares {d} rows, holds {}", t.name, t.rows.len()));
        }
    }
    let text: Vec<bool> = (0..first.names.len()).map(|k| main.iter().any(|t| t.text_columns[k])).collect();
    for (k, (col, unit)) in first.names.iter().zip(&first.units).enumerate() {
        if text[k] {
            continue;
        }
        let raw: Vec<f64> = main.iter().flat_map(|t| t.rows.iter().map(move |r| r[k])).collect();
        let (mut channel, mut scale, mut offset, integer) = resolve(col, unit);
        // Gamry writes -327.6 °C when no temperature probe is connected.
        if channel == Channel::Temperature && raw.iter().any(|&v| v <= -ZERO_CELSIUS) {
            rec.warnings
                .push(format!("column {col}: no temperature probe ({} °C); kept as raw_temp", raw[0]));
            (channel, scale, offset) = (Channel::other("raw temp", "degC"), 1.0, 0.0);
        }
        let values = if integer && raw.iter().all(|v| v.fract() == 0.0) {
            Values::Int(raw.iter().map(|&v| v as i64).collect())
        } else {
            Values::Float(raw.iter().map(|&v| v * scale + offset).collect())
        };
        rec.push(Column { channel, source: format!("{col}/{unit}"), values, scale, offset, derived: false });
    }
    if main.len() > 1 {
        let curve: Vec<i64> = main
            .iter()
            .enumerate()
            .flat_map(|(n, t)| {
                let number = t.name[5..].parse::<i64>().unwrap_or(n as i64 + 1);
                std::iter::repeat_n(number, t.rows.len())
            })
            .collect();
        rec.push(Column {
            channel: Channel::CycleIndex,
            source: "CURVEn table number".into(),
            values: Values::Int(curve),
            scale: 1.0,
            offset: 0.0,
            derived: true,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DTA: &str = "EXPLAIN\nTAG\tEISPOT\nAREA\tQUANT\t2,00000E+000\t&Area (cm^2)\nZCURVE\tTABLE\n\tPt\tFreq\tZreal\tZimag\tZphz\tOver\n\t#\tHz\tohm\tohm\t°\tbits\n\t0\t1,0E+003\t10\t-1\t-5,7\t...a\n  1 1,0E+002\t12\t-3\t-14\t...a\nEXPERIMENTABORTED\tTOGGLE\tT\tExperiment Aborted\n";

    #[test]
    fn reads_commas_spaces_and_aborts() {
        let r = read_dta(DTA.as_bytes(), "x.dta").expect("read");
        assert_eq!(r.rows(), 2);
        assert_eq!(r.metadata.area, Some(2e-4));
        assert!(r.warnings.iter().any(|w| w.contains("aborted")));
        let s = r.impedance_spectrum().expect("spectrum");
        assert_eq!(s.frequency(), &[1e3, 1e2]);
        assert_eq!(s.imag(), vec![-1.0, -3.0]);
        assert!(r.column_named("over").is_none());
    }

    #[test]
    fn a_short_row_is_an_error_naming_the_line() {
        let cut = DTA.replace("\t-14\t...a", "");
        let e = read_dta(cut.as_bytes(), "x.dta").unwrap_err().to_string();
        assert!(e.starts_with("x.dta:8: table ZCURVE: 4 cells"), "{e}");
    }
}
