//! Thermal-analysis exports: NETZSCH Proteus ASCII, PerkinElmer Pyris text, and DSC/TGA tables with
//! a header row and a unit row (the MaCFP `time,Temp,Heat Flow` / `[s],[K],[mW/mg]` CSVs).
//!
//! Columns are recognised by name and unit: temperature (°C or K → K), time (min or s → s), mass
//! (mg → kg; % → mass fraction), heat flow (mW → W as [`ThermogramKind::Dsc`]; mW/mg or W/g → W/kg as
//! [`ThermogramKind::DscSpecific`]). Signs are kept as exported; the DSC analysis takes the sign
//! convention as an option.

use spelab_core::measurement::TgaSignal;
use spelab_core::{Metadata, Technique, Thermogram, ThermogramKind};

use super::{bad_line, invalid, number, Block, Trace};
use crate::IoError;

/// What one column holds, with the factor to SI.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// Temperature, with the offset added to reach kelvin.
    Temperature(f64),
    /// Time, with the factor to seconds.
    Time(f64),
    /// A signal of this kind, with the factor to SI.
    Signal(ThermogramKind, f64),
    /// Anything else (kept as an extra column).
    Other,
}

/// The role of a column from its name and unit text.
fn role(name: &str, unit: &str) -> Role {
    let n = name.to_lowercase();
    let u = unit.to_lowercase().replace(['(', ')', '[', ']', ' '], "");
    if n.contains("temp") {
        if n.contains("program") {
            return Role::Other;
        }
        return Role::Temperature(if u == "k" { 0.0 } else { 273.15 });
    }
    if n.contains("time") {
        return Role::Time(if u.contains("min") { 60.0 } else { 1.0 });
    }
    if u.contains("mw/mg") || u.contains("w/g") {
        return Role::Signal(ThermogramKind::DscSpecific, 1000.0);
    }
    if n.contains("heat flow") || n.starts_with("dsc") {
        return Role::Signal(ThermogramKind::Dsc, if u.contains("mw") { 1e-3 } else { 1.0 });
    }
    if n.contains("mass") || n.contains("weight") || n.starts_with("tg") {
        if n.contains("baseline") {
            return Role::Other;
        }
        if u.contains('%') {
            return Role::Signal(ThermogramKind::Tga(TgaSignal::MassFraction), 0.01);
        }
        return Role::Signal(
            ThermogramKind::Tga(TgaSignal::Mass),
            if u.contains("µg") { 1e-9 } else { 1e-6 },
        );
    }
    Role::Other
}

/// Builds a block from named columns (names with units) and their roles.
fn block(
    name: &str,
    line: usize,
    label: String,
    heads: &[String],
    roles: &[Role],
    columns: Vec<Vec<f64>>,
    meta: Metadata,
) -> Result<Block, IoError> {
    let find = |f: &dyn Fn(&Role) -> bool| roles.iter().position(f);
    let t_at = find(&|r| matches!(r, Role::Temperature(_)))
        .ok_or_else(|| bad_line(name, line, "no temperature column"))?;
    let s_at = find(&|r| matches!(r, Role::Signal(..)))
        .ok_or_else(|| bad_line(name, line, "no heat-flow or mass column"))?;
    let Role::Temperature(offset) = roles[t_at] else { unreachable!("found as a temperature") };
    let Role::Signal(kind, factor) = roles[s_at] else { unreachable!("found as a signal") };
    let temperature = columns[t_at].iter().map(|v| v + offset).collect();
    let signal = columns[s_at].iter().map(|v| v * factor).collect();
    let technique = if matches!(kind, ThermogramKind::Tga(_)) { Technique::Tga } else { Technique::Dsc };
    let meta = meta.with_technique(technique).with_source(name);
    let mut thermogram = Thermogram::new(temperature, signal, kind, meta).map_err(|e| invalid(name, e))?;
    if let Some(k) = find(&|r| matches!(r, Role::Time(_))) {
        let Role::Time(f) = roles[k] else { unreachable!("found as a time") };
        let time = columns[k].iter().map(|v| v * f).collect();
        thermogram = thermogram.with_time(time).map_err(|e| invalid(name, e))?;
    }
    let extra = heads
        .iter()
        .zip(roles)
        .zip(columns)
        .filter(|((_, r), _)| **r == Role::Other)
        .map(|((h, _), c)| (h.clone(), c))
        .collect();
    Ok(Block { label, trace: Trace::Thermogram(thermogram), extra })
}

/// Reads rows of `width` numbers from `start` until a line whose first cell is not a number.
fn numeric_rows(
    lines: &[&str],
    start: usize,
    width: usize,
    split: &dyn Fn(&str) -> Vec<String>,
    comma: bool,
    name: &str,
) -> Result<(Vec<Vec<f64>>, usize), IoError> {
    let mut columns = vec![Vec::new(); width];
    let mut i = start;
    while i < lines.len() {
        let cells = split(lines[i]);
        if cells.is_empty() || cells.iter().all(|c| c.is_empty()) {
            i += 1;
            continue;
        }
        if crate::text::parse_number(&cells[0], comma).is_none() {
            break;
        }
        if cells.len() < width {
            return Err(bad_line(name, i + 1, format!("expected {width} cells, found {}", cells.len())));
        }
        for (k, col) in columns.iter_mut().enumerate() {
            col.push(number(&cells[k], comma, name, i + 1, "a value")?);
        }
        i += 1;
    }
    Ok((columns, i))
}

/// Splits `Name/unit` or `Name /unit` into name and unit.
fn name_unit(head: &str) -> (String, String) {
    match head.split_once('/') {
        Some((n, u)) => (n.trim().to_string(), u.trim().to_string()),
        None => (head.trim().to_string(), String::new()),
    }
}

/// Reads a NETZSCH Proteus ASCII export.
pub fn read_netzsch(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let mut meta = Metadata::default();
    let mut comma = false;
    let mut sep = ';';
    let mut head_at = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(h) = line.strip_prefix("##") {
            head_at = Some((i, h));
            break;
        }
        if let Some((key, value)) = line.trim_start_matches('#').split_once(':') {
            let (key, value) = (key.trim(), value.trim());
            match key {
                "DECIMAL" => comma = value.eq_ignore_ascii_case("COMMA"),
                "SEPARATOR" if value.eq_ignore_ascii_case("TAB") => sep = '\t',
                "SEPARATOR" if value.eq_ignore_ascii_case("COMMA") => sep = ',',
                "INSTRUMENT" => meta = meta.with_instrument(value),
                "SAMPLE" => meta = meta.with_material(value),
                "SAMPLE MASS /mg" => {
                    if let Ok(m) = value.parse::<f64>() {
                        if m > 0.0 {
                            meta = meta.with_sample_mass(m * 1e-6);
                        }
                    }
                }
                _ => {}
            }
            meta = meta.with_extra(key, value);
        }
    }
    let (at, head) = head_at.ok_or_else(|| bad_line(name, lines.len(), "no '##' column line"))?;
    let heads: Vec<String> = head.split(sep).map(|h| h.trim().to_string()).collect();
    let roles: Vec<Role> = heads
        .iter()
        .map(|h| {
            let (n, u) = name_unit(h);
            role(&n, &u)
        })
        .collect();
    let split = |l: &str| l.split(sep).map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let (columns, end) = numeric_rows(lines, at + 1, heads.len(), &split, comma, name)?;
    if let Some(rest) = lines[end..].iter().position(|l| !l.trim().is_empty()) {
        return Err(bad_line(
            name,
            end + rest + 1,
            format!("'{}' is not a data row", lines[end + rest].trim()),
        ));
    }
    let label = meta.material.clone().unwrap_or_else(|| "NETZSCH".to_string());
    Ok(vec![block(name, at + 1, label, &heads, &roles, columns, meta)?])
}

/// Whether the lines look like a PerkinElmer Pyris text export.
pub(crate) fn is_pyris(lines: &[&str]) -> bool {
    lines.iter().take(400).any(|l| is_pyris_section(l))
        && lines.iter().take(30).any(|l| l.starts_with("Sample Weight:") || l.starts_with("Sample ID:"))
}

/// `1) TGA Isothermal`, `4) DSC Temperature Scan`.
fn is_pyris_section(line: &str) -> bool {
    let t = line.trim();
    match t.split_once(") ") {
        Some((n, rest)) => {
            n.chars().all(|c| c.is_ascii_digit())
                && !n.is_empty()
                && (rest.starts_with("TGA") || rest.starts_with("DSC"))
        }
        None => false,
    }
}

/// Reads a PerkinElmer Pyris text export: one block per program segment.
pub fn read_pyris(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let mut meta = Metadata::default().with_instrument("PerkinElmer Pyris");
    for line in lines.iter().take_while(|l| !is_pyris_section(l)) {
        if let Some((key, value)) = line.split_once(":\t") {
            let (key, value) = (key.trim(), value.trim());
            if key == "Sample Weight" {
                if let Some(mg) = value.trim_end_matches("mg").trim().parse::<f64>().ok().filter(|m| *m > 0.0)
                {
                    meta = meta.with_sample_mass(mg * 1e-6);
                }
            } else if key == "Sample ID" {
                meta = meta.with_material(value);
            }
            meta = meta.with_extra(key, value);
        }
    }
    let split = |l: &str| l.trim().split('\t').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let mut blocks = Vec::new();
    let mut heads: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_pyris_section(lines[i]) {
            i += 1;
            continue;
        }
        let label = lines[i].trim().to_string();
        // Later segments reuse the first segment's two header lines.
        let numeric_next =
            lines.get(i + 1).is_some_and(|l| split(l).first().is_some_and(|c| c.parse::<f64>().is_ok()));
        let data_at = if numeric_next { i + 1 } else { i + 3 };
        if !numeric_next {
            let (h1, h2) = match (lines.get(i + 1), lines.get(i + 2)) {
                (Some(a), Some(b)) => (*a, *b),
                _ => return Err(bad_line(name, i + 1, "a segment without its two header lines")),
            };
            let c1: Vec<&str> = h1.split('\t').skip(1).collect();
            let c2: Vec<&str> = h2.split('\t').skip(1).collect();
            heads = (0..c1.len().max(c2.len()))
                .map(|k| {
                    format!("{} {}", c1.get(k).map_or("", |s| s.trim()), c2.get(k).map_or("", |s| s.trim()))
                        .trim()
                        .to_string()
                })
                .collect();
        }
        if heads.is_empty() {
            return Err(bad_line(name, i + 2, "a segment with no column header before it"));
        }
        let roles: Vec<Role> = heads
            .iter()
            .map(|h| {
                let unit = if h.contains("Time") {
                    "min"
                } else if h.contains("Temperature") {
                    "°C"
                } else if h.contains("Heat Flow") {
                    "mW"
                } else {
                    "mg"
                };
                let r = role(h, unit);
                if h.contains("Purge") {
                    Role::Other
                } else {
                    r
                }
            })
            .collect();
        let (columns, end) = numeric_rows(lines, data_at, heads.len(), &split, false, name)?;
        if columns.first().is_some_and(|c| c.len() >= 2) {
            blocks.push(block(name, i + 1, label, &heads, &roles, columns, meta.clone())?);
        }
        i = end.max(i + 1);
    }
    Ok(blocks)
}

/// Whether the lines are a thermal table with a unit row under the header row.
pub(crate) fn is_thermal_csv(lines: &[&str]) -> bool {
    let mut it = lines.iter().filter(|l| !l.trim().is_empty());
    let (Some(head), Some(units)) = (it.next(), it.next()) else { return false };
    let head = head.to_lowercase();
    let unit_cells: Vec<&str> = units.split(',').map(str::trim).collect();
    unit_cells.len() >= 2
        && unit_cells.iter().all(|c| c.starts_with('[') && c.ends_with(']'))
        && head.contains("temp")
        && (head.contains("heat flow") || head.contains("mass") || head.contains("weight"))
}

/// Reads a thermal CSV with a header row and a unit row.
pub fn read_thermal_csv(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let heads: Vec<String> =
        lines[start].split(',').map(|c| c.trim().trim_start_matches('\u{feff}').to_string()).collect();
    let units: Vec<&str> = lines[start + 1].split(',').map(str::trim).collect();
    let roles: Vec<Role> =
        heads.iter().zip(units.iter().chain(std::iter::repeat(&""))).map(|(h, u)| role(h, u)).collect();
    let split = |l: &str| l.split(',').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let (columns, end) = numeric_rows(lines, start + 2, heads.len(), &split, false, name)?;
    if let Some(rest) = lines[end..].iter().position(|l| !l.trim().is_empty()) {
        return Err(bad_line(
            name,
            end + rest + 1,
            format!("'{}' is not a data row", lines[end + rest].trim()),
        ));
    }
    let heads: Vec<String> = heads.iter().zip(&units).map(|(h, u)| format!("{h} {u}")).collect();
    Ok(vec![block(
        name,
        start + 1,
        "thermal table".to_string(),
        &heads,
        &roles,
        columns,
        Metadata::default(),
    )?])
}
