//! ISO 14976 VAMAS surface-analysis text files (`.vms`; PHI MultiPak writes them as `.npl`).
//!
//! One value per line. The experiment header gives the mode (NORM, SDP, MAP, ...), the scan mode
//! (REGULAR is read; IRREGULAR and MAPPING are refused with a clear error), the experimental
//! variables and the number of blocks; every block then repeats the acquisition parameters and ends
//! with its ordinate values, interleaved when a block has several corresponding variables (Kratos
//! writes intensity and transmission). The first corresponding variable is the spectrum; the others
//! are extra columns. Abscissae labelled "Kinetic energy" give a [`SpectrumAxis::KineticEnergy`]
//! spectrum (the photon energy is kept in the metadata: `photon energy [eV]`), "Binding energy" a
//! [`SpectrumAxis::BindingEnergy`] one. Leading empty lines (some Kratos exports) and NUL padding in
//! labels are ignored. Only files whose parameter-inclusion list is empty (every entry present) are
//! read: a list that drops entries is reported as unsupported.

use spelab_core::{Metadata, SpectrumAxis, Technique};

use super::{bad_line, spectrum, Block, Trace};
use crate::IoError;

/// A cursor over the file's lines, naming the line of any failure.
struct Cursor<'a> {
    lines: Vec<&'a str>,
    at: usize,
    offset: usize,
    name: &'a str,
}

impl<'a> Cursor<'a> {
    fn text(&mut self, what: &str) -> Result<String, IoError> {
        let line = self.lines.get(self.at).ok_or_else(|| {
            bad_line(self.name, self.at + self.offset + 1, format!("file ends where {what} was expected"))
        })?;
        self.at += 1;
        Ok(line.trim_matches(|c: char| c == '\0' || c.is_whitespace()).to_string())
    }

    fn line_no(&self) -> usize {
        self.at + self.offset
    }

    fn real(&mut self, what: &str) -> Result<f64, IoError> {
        let t = self.text(what)?;
        t.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad_line(self.name, self.line_no(), format!("{what}: '{t}' is not a number")))
    }

    fn int(&mut self, what: &str) -> Result<i64, IoError> {
        let t = self.text(what)?;
        t.parse::<i64>()
            .map_err(|_| bad_line(self.name, self.line_no(), format!("{what}: '{t}' is not an integer")))
    }

    fn count(&mut self, what: &str) -> Result<usize, IoError> {
        let v = self.int(what)?;
        usize::try_from(v)
            .map_err(|_| bad_line(self.name, self.line_no(), format!("{what}: {v} is negative")))
    }

    fn skip(&mut self, n: usize, what: &str) -> Result<(), IoError> {
        for _ in 0..n {
            self.text(what)?;
        }
        Ok(())
    }
}

/// Reads every block of a VAMAS file.
pub fn read_vamas(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let offset = lines
        .iter()
        .position(|l| !l.trim_matches(|c: char| c == '\0' || c.is_whitespace()).is_empty())
        .unwrap_or(0);
    let mut c = Cursor { lines: lines[offset..].to_vec(), at: 0, offset, name };
    c.text("the format identifier")?;
    c.text("the institution")?;
    let instrument = c.text("the instrument model")?;
    c.text("the operator")?;
    c.text("the experiment identifier")?;
    let comments = c.count("the number of comment lines")?;
    c.skip(comments, "a comment line")?;
    let mode = c.text("the experiment mode")?;
    let scan_mode = c.text("the scan mode")?;
    if scan_mode != "REGULAR" {
        return Err(bad_line(
            name,
            c.line_no(),
            format!("scan mode '{scan_mode}' is not supported (REGULAR only)"),
        ));
    }
    if matches!(mode.as_str(), "MAP" | "MAPDP" | "NORM" | "SDP") {
        c.count("the number of spectral regions")?;
    }
    if matches!(mode.as_str(), "MAP" | "MAPDP") {
        c.skip(3, "the analysis positions")?;
    }
    let n_variables = c.count("the number of experimental variables")?;
    c.skip(2 * n_variables, "an experimental variable label or unit")?;
    let n_inclusion = c.count("the parameter inclusion list length")?;
    if n_inclusion != 0 {
        return Err(bad_line(name, c.line_no(), "a parameter inclusion/exclusion list is not supported"));
    }
    let n_manual = c.count("the number of manually entered items")?;
    c.skip(n_manual, "a manually entered item")?;
    let n_future_exp = c.count("the number of future experiment entries")?;
    let n_future_block = c.count("the number of future block entries")?;
    c.skip(n_future_exp, "a future experiment entry")?;
    let n_blocks = c.count("the number of blocks")?;
    let mut blocks = Vec::with_capacity(n_blocks);
    for _ in 0..n_blocks {
        blocks.push(read_block(&mut c, &mode, n_variables, n_future_block, &instrument)?);
    }
    Ok(blocks)
}

/// Reads one block at the cursor.
fn read_block(
    c: &mut Cursor<'_>,
    mode: &str,
    n_variables: usize,
    n_future_block: usize,
    instrument: &str,
) -> Result<Block, IoError> {
    let name = c.name;
    let block_id = c.text("the block identifier")?;
    let sample = c.text("the sample identifier")?;
    c.skip(7, "the acquisition date and time")?;
    let comments = c.count("the number of block comment lines")?;
    c.skip(comments, "a block comment line")?;
    let technique = c.text("the technique")?;
    if matches!(mode, "MAP" | "MAPDP") {
        c.skip(2, "the x/y coordinates")?;
    }
    c.skip(n_variables, "an experimental variable value")?;
    let source = c.text("the analysis source label")?;
    let sputter_technique =
        ["FABMS", "FABMS energy spec", "ISS", "SIMS", "SIMS energy spec", "SNMS", "SNMS energy spec"];
    if matches!(mode, "MAPDP" | "MAPSVDP" | "SDP" | "SDPSV")
        || sputter_technique.contains(&technique.as_str())
    {
        c.skip(3, "the sputtering ion")?;
    }
    let photon_energy = c.real("the analysis source characteristic energy")?;
    c.skip(3, "the analysis source strength and beam widths")?;
    if matches!(mode, "MAP" | "MAPDP" | "MAPSV" | "MAPSVDP" | "SEM") {
        c.skip(2, "the field of view")?;
    }
    if matches!(mode, "MAPSV" | "MAPSVDP" | "SEM") {
        c.skip(6, "the linescan coordinates")?;
    }
    c.skip(2, "the source polar and azimuth angles")?;
    c.text("the analyser mode")?;
    c.text("the pass energy")?;
    if technique == "AES diff" {
        c.text("the differential width")?;
    }
    c.text("the magnification")?;
    let work_function = c.real("the analyser work function")?;
    c.skip(5, "the target bias, analysis widths and take-off angles")?;
    let species = c.text("the species label")?;
    let transition = c.text("the transition label")?;
    c.text("the charge of the detected particle")?;
    let x_label = c.text("the abscissa label")?;
    c.text("the abscissa unit")?;
    let x_start = c.real("the abscissa start")?;
    let x_step = c.real("the abscissa increment")?;
    let n_corresponding = c.count("the number of corresponding variables")?;
    if n_corresponding == 0 {
        return Err(bad_line(name, c.line_no(), "a block with no corresponding variable"));
    }
    let mut labels = Vec::with_capacity(n_corresponding);
    for _ in 0..n_corresponding {
        let label = c.text("a corresponding variable label")?;
        let unit = c.text("a corresponding variable unit")?;
        labels.push(format!("{label} [{unit}]"));
    }
    c.skip(4, "the signal mode, collection time, scan count and time correction")?;
    let spectroscopy = ["AES diff", "AES dir", "EDX", "ELS", "UPS", "XPS", "XRF"];
    if matches!(mode, "MAPDP" | "MAPSVDP" | "SDP" | "SDPSV") && spectroscopy.contains(&technique.as_str()) {
        c.skip(7, "the sputtering source parameters")?;
    }
    c.skip(3, "the sample tilt and rotation")?;
    let n_extra = c.count("the number of additional numerical parameters")?;
    c.skip(3 * n_extra, "an additional numerical parameter")?;
    c.skip(n_future_block, "a future block entry")?;
    let n_values = c.count("the number of ordinate values")?;
    c.skip(2 * n_corresponding, "an ordinate minimum or maximum")?;
    if n_values % n_corresponding != 0 {
        return Err(bad_line(
            name,
            c.line_no(),
            format!("{n_values} ordinate values do not divide among {n_corresponding} variables"),
        ));
    }
    let n = n_values / n_corresponding;
    let mut columns = vec![Vec::with_capacity(n); n_corresponding];
    for i in 0..n_values {
        columns[i % n_corresponding].push(c.real("an ordinate value")?);
    }
    let x: Vec<f64> = (0..n).map(|i| x_start + x_step * i as f64).collect();
    let lower = x_label.to_lowercase();
    let axis =
        if lower.contains("kinetic") { SpectrumAxis::KineticEnergy } else { SpectrumAxis::BindingEnergy };
    let meta = Metadata::default()
        .with_technique(if technique.contains("XPS") { Technique::Xps } else { Technique::Unknown })
        .with_instrument(instrument)
        .with_material(sample.clone())
        .with_extra("photon energy [eV]", format!("{photon_energy}"))
        .with_extra("work function [eV]", format!("{work_function}"))
        .with_extra("analysis source", source)
        .with_extra("block", block_id.clone());
    let label = format!("{species} {transition}").trim().to_string();
    let label = if label.is_empty() { block_id } else { label };
    let mut columns = columns.into_iter();
    let y = columns.next().unwrap_or_default();
    let extra = labels.into_iter().skip(1).zip(columns).collect();
    let _ = sample;
    Ok(Block { label, trace: Trace::Spectrum(spectrum(name, x, y, axis, meta)?), extra })
}
