//! Format detection by content (magic bytes, header lines), and the one entry point [`read_bytes`].
//!
//! The extension is never trusted: an `.mpt` renamed `.txt` is still read as EC-Lab text, and a
//! corrupt file with the right extension gets the format's own error.
//!
//! ```
//! use spelab_io::detect::{detect, read_bytes};
//! use spelab_io::recording::Format;
//! let text = b"EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\n0\t3.1\n";
//! assert_eq!(detect(text), Some(Format::BiologicMpt));
//! assert_eq!(read_bytes(text, "a.txt").unwrap().rows(), 1);
//! assert!(read_bytes(b"\x00\x01garbage", "b.bin").is_err());
//! ```

use std::path::Path;

use crate::biologic::{mpr, mpt};
use crate::recording::{Format, Recording};
use crate::IoError;

/// The format of `bytes`, judged from their content alone, or `None` when no reader claims them.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"BIO-LOGIC MODULAR FILE") {
        return Some(Format::BiologicMpr);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::NewareNdax);
    }
    if bytes.starts_with(b"NEWARE") {
        return Some(Format::NewareNda);
    }
    if crate::arbin_res::is_jet_database(bytes) {
        return Some(Format::ArbinRes);
    }
    let head = &bytes[..bytes.len().min(64)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"EC-Lab ASCII FILE") || head.starts_with(b"BT-Lab ASCII FILE") {
        return Some(Format::BiologicMpt);
    }
    if head.starts_with(b"EXPLAIN\r") || head.starts_with(b"EXPLAIN\n") {
        return Some(Format::GamryDta);
    }
    let start = crate::text::decode(&bytes[..bytes.len().min(8192)]);
    let lines = crate::text::lines(&start);
    if crate::zplot::is_zplot(&lines) {
        return Some(Format::ZPlot);
    }
    if crate::maccor::header_line(&lines).is_some() {
        return Some(Format::MaccorText);
    }
    crate::cycler_csv::detect_dialect(&lines).map(|(d, _)| match d {
        crate::cycler_csv::Dialect::Arbin => Format::ArbinCsv,
        crate::cycler_csv::Dialect::Neware => Format::NewareCsv,
        crate::cycler_csv::Dialect::Landt => Format::LandtCsv,
        crate::cycler_csv::Dialect::Bdf => Format::BdfCsv,
    })
}

/// Reads `bytes` with the reader for their detected format; `name` is used in error messages.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let recording = match detect(bytes) {
        Some(Format::BiologicMpr) => mpr::read_mpr(bytes, name)?,
        Some(Format::BiologicMpt) => mpt::read_mpt(bytes, name)?,
        Some(Format::GamryDta) => crate::gamry::read_dta(bytes, name)?,
        Some(Format::NewareNda) => {
            crate::neware_length::check_declared_length(bytes, name)?;
            crate::neware::read_nda(bytes, name)?
        }
        Some(Format::NewareNdax) => crate::ndax::read_ndax(bytes, name)?,
        Some(Format::ZPlot) => crate::zplot::read_zplot(bytes, name)?,
        Some(Format::ArbinRes) => crate::arbin_res::read_res(bytes, name)?,
        Some(Format::MaccorText) => crate::maccor::read_maccor(bytes, name)?,
        Some(Format::ArbinCsv | Format::NewareCsv | Format::LandtCsv | Format::BdfCsv) => {
            crate::cycler_csv::read_cycler_csv(bytes, name)?
        }
        None | Some(Format::MappedCsv) => {
            let shown: String = bytes
                .iter()
                .take(24)
                .map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '.' })
                .collect();
            return Err(IoError::UnknownFormat {
                name: name.to_string(),
                detail: format!(
                    "starts with {shown:?}; spelab reads BioLogic .mpr / .mpt, Gamry .DTA, Maccor text, Neware .nda / .ndax, Arbin .res, Arbin / Neware / Landt CSV, BDF CSV and ZPlot .z so far"
                ),
            });
        }
    };
    recording.check_lengths()?;
    Ok(recording)
}

/// Reads the file at `path` (whole file into memory, then [`read_bytes`]).
pub fn read_path(path: &Path) -> Result<Recording, IoError> {
    let name = path.display().to_string();
    let bytes =
        std::fs::read(path).map_err(|e| IoError::Read { name: name.clone(), message: e.to_string() })?;
    read_bytes(&bytes, &name)
}
