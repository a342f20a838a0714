//! Spectroscopic and thermal-analysis files: JCAMP-DX, VAMAS, CasaXPS CSV, HORIBA LabSpec text,
//! Agilent `.asp`, NETZSCH Proteus ASCII, PerkinElmer Pyris text, DSC/TGA CSV with a unit row, and
//! plain two-column text or CSV (any delimiter, decimal comma, Latin-1, byte-order marks).
//!
//! Every reader returns a [`SpectralFile`]: one or more labelled [`Block`]s, each a core
//! [`Spectrum`] or [`Thermogram`] in SI units, plus any extra columns the file carries (a CasaXPS
//! export's component and envelope columns, a Pyris file's program temperature). The format is
//! judged from the content by [`detect_spectral`], never from the extension, like the
//! electrochemistry readers in [`crate::detect`]. Damaged files are errors naming the file and the
//! line ([`IoError::BadLine`]).
//!
//! ```
//! use spelab_io::spectra::{read_spectral, SpectralFormat};
//! let text = b"wavenumber,intensity\n700,1.0\n710,2.5\n720,1.2\n";
//! let file = read_spectral(text, "band.csv").unwrap();
//! assert_eq!(file.format, SpectralFormat::TwoColumn);
//! let spectrum = file.blocks[0].spectrum().unwrap();
//! assert!((spectrum.x_display()[1] - 710.0).abs() < 1e-9);
//! ```

pub mod columns;
pub mod jcamp;
mod summary;
pub mod thermal;
pub mod vamas;

use std::path::Path;

use serde::Serialize;
use spelab_core::{Spectrum, SpectrumAxis, Thermogram};

use crate::IoError;

pub use summary::{BlockSummary, SpectralSummary};

/// The spectroscopic or thermal formats spelab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpectralFormat {
    /// JCAMP-DX 4.24 / 5 (`##XYDATA=(X++(Y..Y))` in AFFN or the compressed ASDF forms, `##XYPOINTS`).
    Jcamp,
    /// ISO 14976 VAMAS text (`.vms`, `.npl`), regular scans, any number of blocks.
    Vamas,
    /// CasaXPS CSV export (BE or KE, counts, components, background, envelope).
    CasaXps,
    /// HORIBA LabSpec text export (`#key=\tvalue` header, then two columns).
    LabSpec,
    /// Agilent MicroLab `.asp` (point count, first x, last x, three unused lines, values).
    AgilentAsp,
    /// NETZSCH Proteus ASCII export (`#KEY:value` lines, `##` column line, `;` separated).
    NetzschAscii,
    /// PerkinElmer Pyris text export (numbered program segments).
    PyrisText,
    /// A DSC/TGA table with a header row and a unit row (`time,Temp,Heat Flow` / `[s],[K],[mW/mg]`).
    ThermalCsv,
    /// Two columns of numbers (x, intensity), with or without a header.
    TwoColumn,
}

impl SpectralFormat {
    /// The snake_case id, as in JSON ("jcamp", "casa_xps", "two_column").
    pub fn id(self) -> &'static str {
        match self {
            SpectralFormat::Jcamp => "jcamp",
            SpectralFormat::Vamas => "vamas",
            SpectralFormat::CasaXps => "casa_xps",
            SpectralFormat::LabSpec => "lab_spec",
            SpectralFormat::AgilentAsp => "agilent_asp",
            SpectralFormat::NetzschAscii => "netzsch_ascii",
            SpectralFormat::PyrisText => "pyris_text",
            SpectralFormat::ThermalCsv => "thermal_csv",
            SpectralFormat::TwoColumn => "two_column",
        }
    }
}

/// The measured trace of one block.
#[derive(Debug, Clone, PartialEq)]
pub enum Trace {
    /// Intensity against a spectroscopic axis.
    Spectrum(Spectrum),
    /// A DSC or TGA signal against temperature.
    Thermogram(Thermogram),
}

/// One block of a file: a VAMAS region, a Pyris segment, or the only trace of a simple file.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What the file calls the block ("Mo 3d", "4) TGA Temperature Scan"), or the file's title.
    pub label: String,
    /// The trace itself, in SI units.
    pub trace: Trace,
    /// Further columns aligned with the trace's points, by the file's column name (unit as written).
    pub extra: Vec<(String, Vec<f64>)>,
}

impl Block {
    /// The spectrum, when this block holds one.
    pub fn spectrum(&self) -> Option<&Spectrum> {
        match &self.trace {
            Trace::Spectrum(s) => Some(s),
            Trace::Thermogram(_) => None,
        }
    }

    /// The thermogram, when this block holds one.
    pub fn thermogram(&self) -> Option<&Thermogram> {
        match &self.trace {
            Trace::Thermogram(t) => Some(t),
            Trace::Spectrum(_) => None,
        }
    }

    /// The extra column named `name` (exact match), if present.
    pub fn extra_column(&self, name: &str) -> Option<&[f64]> {
        self.extra.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }
}

/// What a spectroscopic or thermal reader returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SpectralFile {
    /// The detected format.
    pub format: SpectralFormat,
    /// The blocks, in file order (at least one).
    pub blocks: Vec<Block>,
}

impl SpectralFile {
    /// The first block whose label contains `needle` (case-insensitive), e.g. "Mo 3d" or "W 4f".
    pub fn block(&self, needle: &str) -> Option<&Block> {
        let needle = needle.to_lowercase();
        self.blocks.iter().find(|b| b.label.to_lowercase().contains(&needle))
    }
}

/// The spectral format of `bytes`, judged from their content, or `None` when no reader claims them.
pub fn detect_spectral(bytes: &[u8]) -> Option<SpectralFormat> {
    let start = crate::text::decode(&bytes[..bytes.len().min(16384)]);
    let lines: Vec<&str> = crate::text::lines(&start);
    let first = lines
        .iter()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\0'))
        .find(|l| !l.is_empty())?;
    if first.starts_with("VAMAS Surface Chemical Analysis Standard Data Transfer Format") {
        return Some(SpectralFormat::Vamas);
    }
    if first.starts_with("##") && lines.iter().any(|l| l.to_uppercase().starts_with("##JCAMP")) {
        return Some(SpectralFormat::Jcamp);
    }
    if first.starts_with("#FORMAT:NETZSCH") || lines.iter().take(8).any(|l| l.starts_with("#FORMAT:NETZSCH"))
    {
        return Some(SpectralFormat::NetzschAscii);
    }
    if thermal::is_pyris(&lines) {
        return Some(SpectralFormat::PyrisText);
    }
    if lines.iter().take(6).any(|l| l.starts_with("Characteristic Energy eV")) {
        return Some(SpectralFormat::CasaXps);
    }
    if columns::is_labspec(&lines) {
        return Some(SpectralFormat::LabSpec);
    }
    if columns::is_asp(&lines) {
        return Some(SpectralFormat::AgilentAsp);
    }
    if thermal::is_thermal_csv(&lines) {
        return Some(SpectralFormat::ThermalCsv);
    }
    columns::is_two_column(&lines).then_some(SpectralFormat::TwoColumn)
}

/// Reads `bytes` with the reader for their detected spectral format; `name` is used in errors.
pub fn read_spectral(bytes: &[u8], name: &str) -> Result<SpectralFile, IoError> {
    let Some(format) = detect_spectral(bytes) else {
        let shown: String = bytes
            .iter()
            .take(24)
            .map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '.' })
            .collect();
        return Err(IoError::UnknownFormat {
            name: name.to_string(),
            detail: format!("not a spectrum or thermogram spelab reads; starts with '{shown}'"),
        });
    };
    let text = crate::text::decode(bytes);
    let lines = crate::text::lines(&text);
    let blocks = match format {
        SpectralFormat::Jcamp => jcamp::read_jcamp(&lines, name)?,
        SpectralFormat::Vamas => vamas::read_vamas(&lines, name)?,
        SpectralFormat::CasaXps => columns::read_casaxps(&lines, name)?,
        SpectralFormat::LabSpec => columns::read_labspec(&lines, name)?,
        SpectralFormat::AgilentAsp => columns::read_asp(&lines, name)?,
        SpectralFormat::NetzschAscii => thermal::read_netzsch(&lines, name)?,
        SpectralFormat::PyrisText => thermal::read_pyris(&lines, name)?,
        SpectralFormat::ThermalCsv => thermal::read_thermal_csv(&lines, name)?,
        SpectralFormat::TwoColumn => columns::read_two_column(&lines, name)?,
    };
    if blocks.is_empty() {
        return Err(bad_line(name, lines.len().max(1), "no data found"));
    }
    Ok(SpectralFile { format, blocks })
}

/// Reads the file at `path` (see [`read_spectral`]).
pub fn read_spectral_path(path: &Path) -> Result<SpectralFile, IoError> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| IoError::Read { name: name.clone(), message: e.to_string() })?;
    read_spectral(&bytes, &name)
}

/// The summary of the file at `path` when it is a spectroscopic or thermal file and no
/// electrochemistry reader claims it ([`crate::detect::detect`] first, as `spelab read` does), else
/// `None`. Detection reads only the file's first 16 KiB.
pub fn summarize_path(path: &Path) -> Result<Option<SpectralSummary>, IoError> {
    use std::io::Read;
    let name = path.display().to_string();
    let read_error = |e: std::io::Error| IoError::Read { name: name.clone(), message: e.to_string() };
    let mut head = Vec::with_capacity(16384);
    std::fs::File::open(path).and_then(|f| f.take(16384).read_to_end(&mut head)).map_err(read_error)?;
    let format = match (crate::detect::detect(&head), detect_spectral(&head)) {
        (None, Some(format)) => format,
        _ => return Ok(None),
    };
    match read_spectral_path(path) {
        Ok(file) => Ok(Some(file.summary())),
        // Two columns of numbers is a weak claim: when they do not read as a spectrum, the caller's
        // own "unrecognised format" error says more than the spectral reader's.
        Err(_) if format == SpectralFormat::TwoColumn => Ok(None),
        Err(e) => Err(e),
    }
}

/// The spectroscopic axis a column header or unit names ("cm-1", "Raman shift", "BE", "E_kin",
/// "Binding Energy", "nm"), or `None` when it names none.
pub fn axis_from_label(label: &str) -> Option<SpectrumAxis> {
    let l = label.to_lowercase();
    if l.contains("kin") || l.starts_with("ke") || l.contains("#e_kin") {
        Some(SpectrumAxis::KineticEnergy)
    } else if l.contains("binding") || l.starts_with("be") || l.contains(" be") {
        Some(SpectrumAxis::BindingEnergy)
    } else if l.contains("cm-1")
        || l.contains("1/cm")
        || l.contains("wavenumber")
        || l.contains("raman")
        || l.contains("shift")
        || l.contains("wave")
    {
        Some(SpectrumAxis::Wavenumber)
    } else if l.contains("nm") || l.contains("wavelength") {
        Some(SpectrumAxis::Wavelength)
    } else if l.contains("2theta") || l.contains("two-theta") || l.contains("2θ") {
        Some(SpectrumAxis::TwoTheta)
    } else {
        None
    }
}

/// A [`IoError::BadLine`] for line `line` (1-based) of `name`.
pub(crate) fn bad_line(name: &str, line: usize, message: impl Into<String>) -> IoError {
    IoError::BadLine { name: name.to_string(), line, message: message.into() }
}

/// A core invariant failure, attributed to `name`.
pub(crate) fn invalid(name: &str, source: spelab_core::CoreError) -> IoError {
    IoError::Invalid { name: name.to_string(), source }
}

/// Parses a number with a decimal point, or a decimal comma when `comma`, naming the line on failure.
pub(crate) fn number(cell: &str, comma: bool, name: &str, line: usize, what: &str) -> Result<f64, IoError> {
    crate::text::parse_number(cell, comma)
        .filter(|v| v.is_finite())
        .ok_or_else(|| bad_line(name, line, format!("{what}: '{}' is not a number", cell.trim())))
}

/// Builds a spectrum from display-unit x values, as the files store them.
pub(crate) fn spectrum(
    name: &str,
    x: Vec<f64>,
    y: Vec<f64>,
    axis: SpectrumAxis,
    meta: spelab_core::Metadata,
) -> Result<Spectrum, IoError> {
    Spectrum::from_display(x, y, axis, meta.with_source(name)).map_err(|e| invalid(name, e))
}
