//! Column-oriented spectrum files: plain two-column text or CSV, the CasaXPS CSV export, HORIBA
//! LabSpec text and Agilent MicroLab `.asp`.
//!
//! Cells are split at a tab, else a semicolon, else whitespace, else a comma; with any delimiter but
//! the comma, a comma inside a number is a decimal comma ("1,5E+02"). Header and comment lines are
//! those before the first row of numbers; the last of them names the axis ([`super::axis_from_label`]),
//! and with no header the axis is the wavenumber (headerless files are FT-IR or Raman exports).

use spelab_core::{Metadata, SpectrumAxis, Technique};

use super::{bad_line, number, spectrum, Block, Trace};
use crate::IoError;

/// Splits a data line into cells and says whether commas in them are decimal commas.
pub(crate) fn split_cells(line: &str) -> (Vec<&str>, bool) {
    let line = line.trim_matches(|c: char| c == '\u{feff}' || c.is_whitespace());
    if line.contains('\t') {
        (line.split('\t').map(str::trim).filter(|c| !c.is_empty()).collect(), true)
    } else if line.contains(';') {
        (line.split(';').map(str::trim).filter(|c| !c.is_empty()).collect(), true)
    } else if line.split_whitespace().count() >= 2 {
        (line.split_whitespace().collect(), true)
    } else {
        (line.split(',').map(str::trim).collect(), false)
    }
}

/// The first two cells of `line` as numbers, when they are.
fn numeric_pair(line: &str) -> Option<(f64, f64)> {
    let (cells, comma) = split_cells(line);
    if cells.len() < 2 {
        return None;
    }
    let a = crate::text::parse_number(cells[0], comma)?;
    let b = crate::text::parse_number(cells[1], comma)?;
    Some((a, b))
}

/// Whether the first lines hold a row of at least two numbers.
pub(crate) fn is_two_column(lines: &[&str]) -> bool {
    lines.iter().take(60).any(|l| numeric_pair(l).is_some())
}

/// Reads rows of (x, y) from line index `start` to the end; every non-empty line must be a row.
fn rows(lines: &[&str], start: usize, name: &str) -> Result<(Vec<f64>, Vec<f64>), IoError> {
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate().skip(start) {
        if line.trim().is_empty() {
            continue;
        }
        let (cells, comma) = split_cells(line);
        if cells.len() < 2 {
            return Err(bad_line(name, i + 1, format!("expected two columns, found '{}'", line.trim())));
        }
        let xv = number(cells[0], comma, name, i + 1, "x")?;
        let yv = number(cells[1], comma, name, i + 1, "intensity")?;
        if let (Some(&a), Some(&b)) = (x.last(), x.iter().rev().nth(1)) {
            let rising: bool = a > b;
            if (rising && xv <= a) || (!rising && xv >= a) {
                return Err(bad_line(
                    name,
                    i + 1,
                    format!("x = {xv} breaks the monotonic order (previous {a})"),
                ));
            }
        } else if x.last() == Some(&xv) {
            return Err(bad_line(name, i + 1, format!("x = {xv} repeats the previous value")));
        }
        x.push(xv);
        y.push(yv);
    }
    Ok((x, y))
}

/// Reads a plain two-column file (see the module documentation).
pub fn read_two_column(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let start = lines
        .iter()
        .position(|l| numeric_pair(l).is_some())
        .ok_or_else(|| bad_line(name, 1, "no row of two numbers"))?;
    let header = lines[..start].iter().rev().find(|l| !l.trim().is_empty()).copied().unwrap_or("");
    let axis = super::axis_from_label(header).unwrap_or(SpectrumAxis::Wavenumber);
    let (x, y) = rows(lines, start, name)?;
    let mut meta = Metadata::default();
    if axis == SpectrumAxis::KineticEnergy {
        if let Some(hv) = photon_energy_in(header) {
            meta = meta.with_extra("photon energy [eV]", format!("{hv}"));
        }
    }
    let label = header.trim().trim_start_matches('#').trim().to_string();
    Ok(vec![Block { label, trace: Trace::Spectrum(spectrum(name, x, y, axis, meta)?), extra: Vec::new() }])
}

/// A photon energy written as "hv=180eV" / "hν = 1486.6 eV" in a header line [eV].
pub fn photon_energy_in(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let at = lower.find("hv").or_else(|| lower.find("hν"))?;
    let rest = &lower[at..];
    let rest = rest.trim_start_matches(|c: char| c.is_alphabetic() || c == '=' || c == ' ' || c == ':');
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.parse().ok()
}

/// Whether the lines look like a HORIBA LabSpec export (`#key=\tvalue` header lines).
pub(crate) fn is_labspec(lines: &[&str]) -> bool {
    let header: Vec<&&str> = lines.iter().take_while(|l| l.starts_with('#')).collect();
    header.len() >= 3 && header.iter().filter(|l| l.contains("=\t")).count() * 2 >= header.len()
}

/// Reads a HORIBA LabSpec text export; the header keys go to the metadata's extra fields.
pub fn read_labspec(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let start = lines.iter().position(|l| !l.starts_with('#')).unwrap_or(lines.len());
    let mut meta = Metadata::default().with_technique(Technique::Raman).with_instrument("HORIBA LabSpec");
    let mut axis = SpectrumAxis::Wavenumber;
    for line in &lines[..start] {
        if let Some((key, value)) = line[1..].split_once('=') {
            let (key, value) = (key.trim(), value.trim());
            if key == "AxisUnit[1]" {
                axis = super::axis_from_label(value).unwrap_or(axis);
            }
            meta = meta.with_extra(key, value);
        }
    }
    let (x, y) = rows(lines, start, name)?;
    let label = meta.extra.get("Title").cloned().unwrap_or_else(|| "LabSpec spectrum".to_string());
    Ok(vec![Block { label, trace: Trace::Spectrum(spectrum(name, x, y, axis, meta)?), extra: Vec::new() }])
}

/// Whether the lines look like an Agilent `.asp` file: a point count, two wavenumbers, three
/// integers, then as many single values as counted.
pub(crate) fn is_asp(lines: &[&str]) -> bool {
    let t: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    if t.len() < 8 {
        return false;
    }
    let n: Option<usize> = t[0].parse().ok();
    let floats = t[1..6].iter().all(|c| c.parse::<f64>().is_ok());
    let single = t[6..t.len().min(20)].iter().all(|c| c.is_empty() || c.parse::<f64>().is_ok());
    matches!(n, Some(n) if n >= 2) && floats && single
}

/// Reads an Agilent MicroLab `.asp` export (x evenly spaced from the first to the last wavenumber).
pub fn read_asp(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let n: usize = lines[0].trim().parse().map_err(|_| bad_line(name, 1, "expected the point count"))?;
    let first = number(lines[1], false, name, 2, "first wavenumber")?;
    let last = number(lines[2], false, name, 3, "last wavenumber")?;
    let mut y = Vec::with_capacity(n);
    for (i, line) in lines.iter().enumerate().skip(6) {
        if line.trim().is_empty() {
            continue;
        }
        y.push(number(line, false, name, i + 1, "absorbance")?);
    }
    if y.len() != n || n < 2 {
        return Err(bad_line(
            name,
            lines.len(),
            format!("the header announces {n} values, the file holds {}", y.len()),
        ));
    }
    let step = (last - first) / (n - 1) as f64;
    let x = (0..n).map(|i| first + step * i as f64).collect();
    let meta = Metadata::default().with_technique(Technique::Ftir).with_instrument("Agilent MicroLab");
    Ok(vec![Block {
        label: "Agilent .asp".to_string(),
        trace: Trace::Spectrum(spectrum(name, x, y, SpectrumAxis::Wavenumber, meta)?),
        extra: Vec::new(),
    }])
}

/// Reads a CasaXPS CSV export: `Characteristic Energy eV,<hν>` row, a column header (`BE_…` or
/// `KE_…`, `CPS_…`, components, `Background_…`, `Envelope_…`), then rows. The first two columns make
/// the spectrum; the others are kept as extra columns under their header names.
pub fn read_casaxps(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let energy_row = lines.iter().position(|l| l.starts_with("Characteristic Energy eV")).unwrap_or(0);
    let cells: Vec<&str> = lines[energy_row].split(',').collect();
    let mut meta = Metadata::default().with_technique(Technique::Xps).with_instrument("CasaXPS export");
    if let Some(hv) = cells.get(1).and_then(|c| c.trim().parse::<f64>().ok()) {
        meta = meta.with_extra("photon energy [eV]", format!("{hv}"));
    }
    let header_at = energy_row + 1;
    let header: Vec<String> = lines
        .get(header_at)
        .ok_or_else(|| bad_line(name, header_at + 1, "missing the column header"))?
        .split(',')
        .map(|c| c.trim().to_string())
        .collect();
    if header.len() < 2 {
        return Err(bad_line(name, header_at + 1, "expected at least an energy and a counts column"));
    }
    let axis = if header[0].to_uppercase().starts_with("KE") {
        SpectrumAxis::KineticEnergy
    } else {
        SpectrumAxis::BindingEnergy
    };
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); header.len()];
    for (i, line) in lines.iter().enumerate().skip(header_at + 1) {
        if line.trim().trim_matches(',').is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split(',').collect();
        for (k, col) in columns.iter_mut().enumerate() {
            let cell = cells.get(k).ok_or_else(|| {
                bad_line(
                    name,
                    i + 1,
                    format!("expected {} cells as in the header, found {}", header.len(), cells.len()),
                )
            })?;
            col.push(number(cell, false, name, i + 1, &header[k])?);
        }
    }
    let x = columns[0].clone();
    let y = columns[1].clone();
    let label = header[1].trim_start_matches("CPS_").to_string();
    let extra = header.iter().cloned().zip(columns).skip(2).collect();
    Ok(vec![Block { label, trace: Trace::Spectrum(spectrum(name, x, y, axis, meta)?), extra }])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_any_delimiter_and_decimal_commas() {
        assert_eq!(numeric_pair("1,5;2,5"), Some((1.5, 2.5)));
        assert_eq!(numeric_pair("1,5\t2"), Some((1.5, 2.0)));
        assert_eq!(numeric_pair("700,1.0"), Some((700.0, 1.0)));
        assert_eq!(numeric_pair("6.749918e+002,1.356988e-002"), Some((674.9918, 0.01356988)));
        assert_eq!(numeric_pair("1,5 2,5"), Some((1.5, 2.5)));
        assert_eq!(numeric_pair("#Wave\t\t#Intensity"), None);
    }

    #[test]
    fn damaged_rows_name_the_line() {
        let lines = ["x,y", "1,2", "2,oops", "3,4"];
        let err = read_two_column(&lines, "f.csv").unwrap_err().to_string();
        assert!(err.contains("f.csv:3") && err.contains("oops"), "{err}");
        let lines = ["1,2", "2,3", "1.5,4"];
        let err = read_two_column(&lines, "g.csv").unwrap_err().to_string();
        assert!(err.contains("g.csv:3"), "{err}");
    }

    #[test]
    fn reads_photon_energy_from_a_header() {
        assert_eq!(photon_energy_in("#E_kin, intensity measured at BL11, hv=180eV"), Some(180.0));
    }
}
