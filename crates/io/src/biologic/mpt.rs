//! BioLogic EC-Lab `.mpt` text export reader.
//!
//! Layout: line 1 `EC-Lab ASCII FILE` (or `BT-Lab ASCII FILE`), line 2 `Nb header lines : N`, the
//! settings header, line N the tab-separated column labels (`time/s`, `<I>/mA`, trailing tab), then
//! one tab-separated row per record. Accepted: CRLF, LF or CR line endings, UTF-8 or Windows-1252
//! (`µ` = 0xB5), decimal point or decimal comma (detected from the data, not the locale).
//! A row with a different number of cells than the header (a truncated last line) is an error naming
//! the line.

use std::io::Read;

use crate::biologic::labels::{resolve, technique_from_title};
use crate::recording::{Column, Format, Recording, Values};
use crate::text::{decode, lines, parse_number};
use crate::IoError;

/// Reads an `.mpt` from any reader; `name` is used in error messages.
pub fn read_mpt_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_mpt(&bytes, name)
}

fn bad(name: &str, line: usize, message: impl Into<String>) -> IoError {
    IoError::BadLine { name: name.to_string(), line, message: message.into() }
}

/// `"01/10/2024 11:02:29.886"` (EC-Lab, month first) → `"2024-01-10T11:02:29.886"`.
fn iso_from_ec_lab(text: &str) -> Option<String> {
    let (date, time) = text.trim().split_once(' ')?;
    let parts: Vec<&str> = date.split(['/', '.', '-']).collect();
    let [m, d, y] = parts.as_slice() else { return None };
    let ok = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (ok(m, 2) && ok(d, 2) && ok(y, 4)).then(|| format!("{y}-{m}-{d}T{}", time.trim()))
}

/// Reads an `.mpt` file from its bytes; `name` is used in error messages.
pub fn read_mpt(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let text = decode(bytes);
    let all = lines(&text);
    let first = all.first().map(|l| l.trim()).unwrap_or("");
    if first != "EC-Lab ASCII FILE" && first != "BT-Lab ASCII FILE" {
        return Err(bad(name, 1, format!("expected 'EC-Lab ASCII FILE', found {first:?}")));
    }
    let n_header = all
        .get(1)
        .and_then(|l| l.split_once(':'))
        .filter(|(k, _)| k.trim() == "Nb header lines")
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .ok_or_else(|| bad(name, 2, "expected 'Nb header lines : N'"))?;
    if n_header < 3 || n_header > all.len() {
        return Err(bad(
            name,
            2,
            format!("{n_header} header lines announced, the file has {} lines", all.len()),
        ));
    }
    let mut rec = Recording::new(Format::BiologicMpt, name);
    read_header(&all[2..n_header - 1], &mut rec);

    let labels: Vec<&str> = {
        let mut cells: Vec<&str> = all[n_header - 1].split('\t').collect();
        while cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        cells
    };
    if labels.is_empty() {
        return Err(bad(name, n_header, "empty column header line"));
    }
    if labels.iter().all(|l| parse_number(l, true).is_some() || parse_number(l, false).is_some()) {
        return Err(bad(
            name,
            n_header,
            "expected the column labels, found numbers (the header line count does not fit the file)",
        ));
    }
    let data: Vec<(usize, &str)> = all[n_header..]
        .iter()
        .enumerate()
        .map(|(i, l)| (n_header + i + 1, *l))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    // Decimal comma when a number cell of the first row holds a comma (tab is the only delimiter).
    let comma = data.first().is_some_and(|(_, l)| l.split('\t').any(|c| c.contains(',')));

    let resolved: Vec<_> = labels.iter().map(|l| resolve(l)).collect();
    let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(data.len()); labels.len()];
    for (line, row) in &data {
        let mut n = 0;
        for (i, cell) in row.split('\t').enumerate() {
            if i >= labels.len() {
                if cell.trim().is_empty() {
                    continue;
                }
                return Err(bad(name, *line, format!("{} cells, the header has {}", i + 1, labels.len())));
            }
            let v = parse_number(cell, comma).ok_or_else(|| {
                bad(name, *line, format!("column '{}': {:?} is not a number", labels[i], cell.trim()))
            })?;
            columns[i].push(v);
            n = i + 1;
        }
        if n != labels.len() {
            return Err(bad(
                name,
                *line,
                format!("{n} cells, the header has {} (truncated line?)", labels.len()),
            ));
        }
    }
    // A cut last line still parses when the cut falls inside a number; EC-Lab writes every float
    // column in one fixed E format, so a last-row cell shaped unlike the row before it is a cut.
    let ends_complete = text.ends_with('\n');
    if let (false, [.., (_, before), (line, last)]) = (ends_complete, data.as_slice()) {
        for (i, (a, b)) in before.split('\t').zip(last.split('\t')).enumerate() {
            if let Some(shape) = e_shape(a) {
                if e_shape(b) != Some(shape) {
                    return Err(bad(
                        name,
                        *line,
                        format!(
                            "column '{}': {:?} is shorter than the column's format ({:?} on the line before): the file is cut inside its last line",
                            labels.get(i).copied().unwrap_or("?"),
                            b.trim(),
                            a.trim()
                        ),
                    ));
                }
            }
        }
    }
    for ((label, r), raw) in labels.iter().zip(resolved).zip(columns) {
        let integer = r.integer && raw.iter().all(|v| v.fract() == 0.0 && v.abs() < 9.0e15);
        let (values, scale, offset) = if integer {
            (Values::Int(raw.iter().map(|&v| v as i64).collect()), 1.0, 0.0)
        } else {
            (Values::Float(raw.iter().map(|&v| v * r.scale + r.offset).collect()), r.scale, r.offset)
        };
        rec.push(Column {
            channel: r.channel,
            source: label.to_string(),
            values,
            scale,
            offset,
            derived: false,
        });
    }
    rec.version = Some(format!(
        "EC-Lab {}, decimal {}",
        rec.metadata.extra.get("ec_lab_version").map_or("unknown", |s| s.as_str()),
        if comma { "comma" } else { "point" }
    ));
    Ok(rec)
}

/// `(mantissa decimals, exponent digits)` of a number in E format (`1.5201430E+005` → (7, 3)).
fn e_shape(cell: &str) -> Option<(usize, usize)> {
    let cell = cell.trim();
    let (mantissa, exponent) = cell.split_once(['E', 'e'])?;
    let decimals = mantissa.split_once(['.', ',']).map_or(0, |(_, d)| d.len());
    Some((decimals, exponent.trim_start_matches(['+', '-']).len()))
}

/// Picks the technique and the metadata spelab uses out of the settings header.
fn read_header(header: &[&str], rec: &mut Recording) {
    for line in header {
        let line = line.trim();
        if rec.technique.is_none() {
            if let Some((technique, label)) = technique_from_title(line) {
                rec.metadata.technique = technique;
                rec.technique = Some(label.to_string());
                continue;
            }
        }
        if let Some(v) =
            line.strip_prefix("EC-Lab for windows v").or_else(|| line.strip_prefix("BT-Lab for windows v"))
        {
            let version = v.split_whitespace().next().unwrap_or("").to_string();
            rec.metadata.extra.insert("ec_lab_version".into(), version);
            continue;
        }
        let Some((key, value)) = line.split_once(" : ") else { continue };
        let (key, value) = (key.trim(), value.trim());
        let number = |unit: &str| -> Option<f64> {
            let v = value.strip_suffix(unit)?.trim();
            let x = parse_number(v, v.contains(','))?;
            // EC-Lab's default 0.001 means "not given".
            (x.is_finite() && x > 0.0 && x != 0.001).then_some(x)
        };
        match key {
            "Acquisition started on" => {
                if let Some(iso) = iso_from_ec_lab(value) {
                    rec.metadata.start_time = Some(iso);
                } else {
                    rec.metadata.extra.insert("acquisition_started_on".into(), value.to_string());
                }
            }
            "Device" => {
                let (model, serial) = value.split_once(" (SN ").unwrap_or((value, ""));
                rec.metadata.instrument = Some(format!("BioLogic {}", model.trim()));
                if !serial.is_empty() {
                    rec.metadata
                        .extra
                        .insert("device_serial".into(), serial.trim_end_matches(')').to_string());
                }
            }
            "Mass of active material" => {
                if let Some(mg) = number("mg") {
                    rec.metadata.active_mass = Some(mg / 1e6);
                }
            }
            "Electrode surface area" => {
                if let Some(cm2) = number("cm²").or_else(|| number("cm2")) {
                    rec.metadata.area = Some(cm2 / 1e4);
                }
            }
            "Run on channel" => {
                rec.metadata.extra.insert("channel".into(), value.to_string());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::Channel;

    const MPT: &str = "EC-Lab ASCII FILE\r\nNb header lines : 5\r\n\r\nOpen Circuit Voltage\r\nmode\ttime/s\tEwe/V\t<I>/mA\t\r\n3\t0,0E+000\t2,5E-001\t1,0E+000\r\n3\t1,0E+000\t2,6E-001\t2,0E+000\r\n";

    #[test]
    fn reads_decimal_commas_crlf_and_converts_units() {
        let r = read_mpt(MPT.as_bytes(), "x.mpt").expect("read");
        assert_eq!(r.rows(), 2);
        assert_eq!(r.technique.as_deref(), Some("OCV"));
        let i = r.column(&Channel::Current).expect("current");
        assert_eq!(i.values, Values::Float(vec![1e-3, 2e-3]));
        assert_eq!(i.raw(1), Some(2.0));
        assert_eq!(r.column(&Channel::ControlMode).expect("mode").values, Values::Int(vec![3, 3]));
        let lf = MPT.replace("\r\n", "\n");
        assert_eq!(read_mpt(lf.as_bytes(), "x.mpt").expect("lf").columns, r.columns);
    }

    #[test]
    fn a_truncated_last_line_is_an_error_naming_the_line() {
        let cut = &MPT[..MPT.len() - 12];
        let e = read_mpt(cut.as_bytes(), "x.mpt").unwrap_err().to_string();
        assert!(e.starts_with("x.mpt:7:"), "{e}");
        let e = read_mpt(b"hello", "x.mpt").unwrap_err().to_string();
        assert!(e.contains("x.mpt:1: expected 'EC-Lab ASCII FILE'"), "{e}");
    }

    #[test]
    fn a_last_line_cut_inside_a_number_is_an_error() {
        // Every cut inside the last number still parses as a number; the E-format shape gives it away.
        let full = MPT.trim_end();
        for cut in 1..7 {
            let e = read_mpt(&full.as_bytes()[..full.len() - cut], "x.mpt").unwrap_err().to_string();
            assert!(e.starts_with("x.mpt:7: column '<I>/mA'"), "{e}");
            // "2,0E+00", "2,0E+0", "2,0": numbers, caught by their shape ("2,0E+", "2,0E" are not numbers).
            if [1, 2, 5].contains(&cut) {
                assert!(e.contains("cut inside its last line"), "{e}");
            }
        }
        assert_eq!(read_mpt(full.as_bytes(), "x.mpt").expect("whole").rows(), 2);
        assert_eq!(e_shape("1.5201430E+005"), Some((7, 3)));
        assert_eq!(e_shape("24"), None);
    }
}
