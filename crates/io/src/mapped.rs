//! Generic CSV/TSV with a user-given column mapping: which column is time, voltage, current, ...
//! and, where the header does not say, in which unit.
//!
//! The mapping is written the same way on the command line and in a study file:
//! `time=0,voltage=Ewe/V,current=2` (a 0-based column index or a header cell) plus units
//! `current=mA`. A unit comes from, in order: the mapping's unit, the header cell's `name [unit]` /
//! `name (unit)` / `name/unit` suffix, or nothing for dimensionless channels (cycle index, ...). A
//! dimensional channel without a unit is an error: spelab never guesses a unit.
//!
//! The delimiter (tab, `;` or `,`) is detected from the header line; with `;` or tab, decimal commas
//! are accepted. `#` comment lines and blank lines are skipped; columns not mapped may hold anything.
//! A missing or non-numeric cell in a mapped column is an error naming the line.
//!
//! ```
//! use spelab_io::channel::Channel;
//! use spelab_io::mapped::{read_mapped, ColumnMap};
//! let map = ColumnMap::parse("time=0,voltage=Ewe/V,current=2", &["time=s,current=mA"]).unwrap();
//! let text = "t\tEwe/V\tI\tcomment\n0\t3,1\t1,5\tok\n1\t3,2\t1,5\tok\n";
//! let r = read_mapped(text.as_bytes(), "x.tsv", &map).unwrap();
//! assert_eq!(r.rows(), 2);
//! assert_eq!(r.column(&Channel::Current).unwrap().values.get(0), Some(1.5e-3));
//! ```

use crate::channel::{si_unit, Channel};
use crate::recording::{Column, Format, Recording, Values};
use crate::IoError;

/// Which column of the file: by 0-based index or by header text.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// 0-based column index.
    Index(usize),
    /// Header cell text (whole cell, or its name without the unit; case-insensitive).
    Name(String),
}

/// One mapped column: the spelab channel, where it is in the file, and the file's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    /// The spelab channel (by its name, e.g. `voltage`; other names become [`Channel::Other`]).
    pub channel: Channel,
    /// Where the column is.
    pub selector: Selector,
    /// The unit the file writes, when given with the mapping.
    pub unit: Option<String>,
}

/// A column mapping: the channels to read from a generic CSV/TSV.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnMap {
    /// The entries in the order given.
    pub entries: Vec<MapEntry>,
}

fn map_err(message: impl Into<String>) -> IoError {
    IoError::Mapping { name: "--map".into(), message: message.into() }
}

/// Splits `key=value` lists on commas outside double quotes; quotes around values are removed.
fn split_pairs(text: &str) -> Result<Vec<(String, String)>, IoError> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err(map_err(format!("unbalanced quote in '{text}'")));
    }
    parts.push(cur);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| map_err(format!("'{p}' is not key=value (e.g. time=0,voltage=\"Ewe/V\")")))?;
            Ok((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

impl ColumnMap {
    /// Parses `time=0,voltage="Ewe/V",current=2` and units `["current=mA"]` (each unit item may
    /// itself be a comma list). Keys are spelab channel names (`spelab read --json` shows them).
    pub fn parse(map: &str, units: &[&str]) -> Result<ColumnMap, IoError> {
        let pairs = split_pairs(map)?;
        let mut unit_pairs = Vec::new();
        for u in units {
            unit_pairs.extend(split_pairs(u)?);
        }
        ColumnMap::from_pairs(&pairs, &unit_pairs)
    }

    /// Builds a map from `(channel, column)` and `(channel, unit)` pairs (as a study file gives them).
    pub fn from_pairs(
        columns: &[(String, String)],
        units: &[(String, String)],
    ) -> Result<ColumnMap, IoError> {
        if columns.is_empty() {
            return Err(map_err("no columns mapped (e.g. time=0,voltage=1,current=2)"));
        }
        let mut entries: Vec<MapEntry> = Vec::new();
        for (key, column) in columns {
            if key.is_empty() || column.is_empty() {
                return Err(map_err(format!("'{key}={column}': both the channel and the column are needed")));
            }
            let channel = Channel::from_name(key).unwrap_or_else(|| Channel::other(key, ""));
            if entries.iter().any(|e| e.channel.name() == channel.name()) {
                return Err(map_err(format!("channel '{key}' is mapped twice")));
            }
            let selector = match column.parse::<usize>() {
                Ok(i) => Selector::Index(i),
                Err(_) => Selector::Name(column.clone()),
            };
            entries.push(MapEntry { channel, selector, unit: None });
        }
        for (key, unit) in units {
            let e = entries.iter_mut().find(|e| e.channel.name() == key.as_str()).ok_or_else(|| {
                map_err(format!("a unit is given for '{key}', which is not mapped to a column"))
            })?;
            e.unit = Some(unit.clone());
        }
        Ok(ColumnMap { entries })
    }
}

/// Header cell → (name, unit): `name [unit]`, `name (unit)` or `name/unit`.
fn header_unit(cell: &str) -> (String, Option<String>) {
    let cell = cell.trim().trim_matches('"').trim();
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let (Some(a), true) = (cell.rfind(open), cell.ends_with(close)) {
            let unit = cell[a + 1..cell.len() - 1].trim();
            if a > 0 && !unit.is_empty() {
                return (cell[..a].trim().to_string(), Some(unit.to_string()));
            }
        }
    }
    if let Some((name, unit)) = cell.rsplit_once('/') {
        if !name.trim().is_empty() && !unit.trim().is_empty() && !unit.contains(' ') {
            return (name.trim().to_string(), Some(unit.trim().to_string()));
        }
    }
    (cell.to_string(), None)
}

fn parse_cell(cell: &str, decimal_comma: bool) -> Option<f64> {
    let cell = cell.trim().trim_matches('"').trim();
    if decimal_comma && cell.contains(',') {
        cell.replace(',', ".").parse().ok()
    } else {
        cell.parse().ok()
    }
}

/// Reads `bytes` as a delimited table with `map` saying which columns to take; `name` is used in
/// errors. Values are converted to SI with [`si_unit`]; the unit must fit the channel.
pub fn read_mapped(bytes: &[u8], name: &str, map: &ColumnMap) -> Result<Recording, IoError> {
    let err = |message: String| IoError::Mapping { name: name.to_string(), message };
    let text = crate::text::decode(bytes);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .peekable();
    let (_, first) = *lines.peek().ok_or_else(|| IoError::NoHeader { name: name.to_string() })?;
    let first = first.strip_prefix('\u{feff}').unwrap_or(first);
    let delimiter = ['\t', ';', ','].into_iter().max_by_key(|d| first.matches(*d).count()).unwrap_or(',');
    let decimal_comma = delimiter != ',';
    let first_cells: Vec<&str> = first.split(delimiter).collect();
    // A header line unless every selector is an index and the mapped cells of the first line are numbers.
    let headerless = map.entries.iter().all(|e| match e.selector {
        Selector::Index(i) => first_cells.get(i).is_some_and(|c| parse_cell(c, decimal_comma).is_some()),
        Selector::Name(_) => false,
    });
    let header: Vec<(String, Option<String>)> = if headerless {
        (0..first_cells.len()).map(|i| (format!("column {i}"), None)).collect()
    } else {
        lines.next();
        first_cells.iter().map(|c| header_unit(c)).collect()
    };
    let available = || {
        first_cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{i}: {}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Resolve each entry: column index, source label, conversion.
    let mut plan: Vec<(usize, Channel, String, f64, f64)> = Vec::new();
    for e in &map.entries {
        let index = match &e.selector {
            Selector::Index(i) if *i < first_cells.len() => *i,
            Selector::Index(i) => {
                return Err(err(format!(
                    "'{}' is mapped to column {i}, but the file has {} columns ({})",
                    e.channel.name(),
                    first_cells.len(),
                    available()
                )))
            }
            Selector::Name(n) => first_cells
                .iter()
                .position(|c| c.trim().trim_matches('"').trim().eq_ignore_ascii_case(n))
                .or_else(|| header.iter().position(|(h, _)| h.eq_ignore_ascii_case(n)))
                .ok_or_else(|| {
                    err(format!("no column '{n}' for '{}' (columns: {})", e.channel.name(), available()))
                })?,
        };
        let unit = e.unit.clone().or_else(|| header[index].1.clone());
        let source = first_cells[index].trim().trim_matches('"').to_string();
        let (channel, scale, offset) = match (&e.channel, unit) {
            (Channel::Other { name: n, .. }, u) => {
                let (si, scale, offset) = si_unit(u.as_deref().unwrap_or(""));
                (Channel::Other { name: n.clone(), unit: si }, scale, offset)
            }
            (c, None) if c.unit() == "1" => (c.clone(), 1.0, 0.0),
            (c, None) => {
                return Err(err(format!(
                    "no unit for '{}' (column '{source}'): give one, e.g. --unit {}={}",
                    c.name(),
                    c.name(),
                    c.unit()
                )))
            }
            (c, Some(u)) => {
                let (si, scale, offset) = si_unit(&u);
                if si != c.unit() {
                    return Err(err(format!(
                        "unit '{u}' of '{}' (column '{source}') is not a unit of {} [{}]",
                        c.name(),
                        c.name(),
                        c.unit()
                    )));
                }
                (c.clone(), scale, offset)
            }
        };
        plan.push((index, channel, source, scale, offset));
    }
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); plan.len()];
    for (line, row) in lines {
        let cells: Vec<&str> = row.split(delimiter).collect();
        for ((index, _, source, scale, offset), out) in plan.iter().zip(&mut values) {
            let cell = cells.get(*index).ok_or(IoError::RaggedRow {
                name: name.to_string(),
                line,
                expected: first_cells.len(),
                found: cells.len(),
            })?;
            let v = parse_cell(cell, decimal_comma).ok_or_else(|| IoError::BadNumber {
                name: name.to_string(),
                line,
                column: source.clone(),
                cell: cell.trim().to_string(),
            })?;
            out.push(v * scale + offset);
        }
    }
    let mut rec = Recording::new(Format::MappedCsv, name);
    for ((_, channel, source, scale, offset), v) in plan.into_iter().zip(values) {
        let mut c = Column::new(channel, source, Values::Float(v));
        c.scale = scale;
        c.offset = offset;
        rec.push(c);
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_by_index_and_name_with_header_units() {
        let map = ColumnMap::parse("time=\"t [h]\",voltage=Ewe/V,current=I,cycle_index=3", &[]).unwrap();
        let text = "t [h],Ewe/V,I (mA),cycle\n0.5,3.1,-2,1\n1,3.0,-2,2\n";
        let r = read_mapped(text.as_bytes(), "x.csv", &map).unwrap();
        assert_eq!(r.format, Format::MappedCsv);
        assert_eq!(r.column(&Channel::Time).unwrap().values, Values::Float(vec![1800.0, 3600.0]));
        assert_eq!(r.column(&Channel::Current).unwrap().values, Values::Float(vec![-2e-3, -2e-3]));
        assert_eq!(r.column(&Channel::CycleIndex).unwrap().values, Values::Float(vec![1.0, 2.0]));
        let v = r.column(&Channel::Voltage).unwrap();
        assert_eq!((v.source.as_str(), v.values.get(1)), ("Ewe/V", Some(3.0)));
    }

    #[test]
    fn headerless_file_and_other_channels() {
        let map =
            ColumnMap::parse("time=0,voltage=1,current=2,pressure=3", &["time=min,voltage=mV,current=A"])
                .unwrap();
        let r = read_mapped(b"1;3100;0,5;7\n2;3200;0,5;8\n", "x.csv", &map).unwrap();
        assert_eq!(r.rows(), 2);
        assert_eq!(r.column(&Channel::Time).unwrap().values, Values::Float(vec![60.0, 120.0]));
        let v = r.column(&Channel::Voltage).unwrap().values.get(0).unwrap();
        assert!((v - 3.1).abs() < 1e-12, "{v}");
        assert_eq!(r.column_named("pressure").unwrap().values.get(1), Some(8.0));
    }

    #[test]
    fn errors_are_clear() {
        let text = b"t,v,i\n0,1,2\n1,x,3\n";
        let e = |map: &str, units: &[&str]| {
            ColumnMap::parse(map, units).and_then(|m| read_mapped(text, "f.csv", &m)).unwrap_err().to_string()
        };
        assert!(e("time=0", &[]).contains("no unit for 'time'"), "{}", e("time=0", &[]));
        assert!(e("time=0", &["time=mA"]).contains("is not a unit of time [s]"));
        assert!(e("time=7", &["time=s"]).contains("mapped to column 7, but the file has 3 columns"));
        assert!(e("time=q", &["time=s"]).contains("no column 'q' for 'time' (columns: 0: t, 1: v, 2: i)"));
        assert_eq!(e("voltage=v", &["voltage=V"]), "f.csv:3: column 'v': 'x' is not a number");
        assert!(e("time=0,time=1", &[]).contains("mapped twice"));
        assert!(e("time", &[]).contains("not key=value"));
        assert!(e("time=0", &["current=A"]).contains("not mapped to a column"));
        assert!(e("", &[]).contains("no columns mapped"));
    }
}
