//! Impedance spectra from any file: an instrument file spelab reads (BioLogic `.mpr` / `.mpt`
//! PEIS/GEIS, Gamry `.DTA` EIS, ZPlot `.z`; detected by content), else a table whose header names
//! its columns ([`crate::labelled_spectrum`]: CH Instruments, ZView, PowerSuite, VersaStudio,
//! Parstat), else
//! three-column text.
//!
//! The three-column format is impedance.py's example format: `f [Hz], Z' [Ω], Z'' [Ω]` per line,
//! separated by commas, semicolons, tabs or spaces, Z'' signed (negative for a capacitive arc).
//! Leading lines that are not three numbers (a header) are skipped, as are blank lines and `#`
//! comments; once the data started, a bad line is an error naming its line. Extra columns are ignored.
//!
//! ```
//! use spelab_io::spectrum::parse_three_column;
//! let text = "f/Hz,Z'/Ohm,Z''/Ohm\n1e5,100.5,-3.2\n1e4,104.0,-30.1\n";
//! let s = parse_three_column(text, "cell.csv").unwrap();
//! assert_eq!(s.frequency(), &[1e5, 1e4]);
//! assert_eq!(s.impedance()[1].im, -30.1);
//! let e = parse_three_column("1e5,100,-3\n1e4,104\n", "cell.csv").unwrap_err();
//! assert_eq!(e.to_string(), "cell.csv:2: 2 columns found in line 2, expected 3 (f, Z', Z'')");
//! ```

use std::path::Path;

use spelab_core::{ImpedanceSpectrum, Metadata};

use crate::detect::{detect, read_bytes};
use crate::IoError;

/// The columns of a three-column spectrum, as error messages name them.
const COLUMNS: &str = "f, Z', Z''";

/// Reads an impedance spectrum from the file at `path`: any instrument file [`detect`] recognises
/// (its recording must hold frequency, Z' and Z''), else three-column text ([`parse_three_column`]).
pub fn read_spectrum(path: &Path) -> Result<ImpedanceSpectrum, IoError> {
    let name = path.display().to_string();
    spectrum_from_bytes(&read(path, &name)?, &name)
}

/// The spectrum in `bytes` (see [`read_spectrum`]); `name` names the input in errors. Text that is
/// not valid UTF-8 is read with replacement characters, as a header may hold a vendor's Latin-1 µ.
pub fn spectrum_from_bytes(bytes: &[u8], name: &str) -> Result<ImpedanceSpectrum, IoError> {
    if detect(bytes).is_some() {
        return read_bytes(bytes, name)?.impedance_spectrum();
    }
    let text = String::from_utf8_lossy(bytes);
    // A header naming the columns (CH Instruments, ZView, PowerSuite, VersaStudio, Parstat) picks them.
    if let Some(spectrum) = crate::labelled_spectrum::parse_labelled(&text, name) {
        return spectrum;
    }
    parse_three_column(&text, name)
}

/// Reads a three-column text/CSV spectrum `f [Hz], Z' [Ω], Z'' [Ω]` from the file at `path` (the
/// format in the module documentation); the file must be UTF-8 text.
pub fn read_three_column(path: &Path) -> Result<ImpedanceSpectrum, IoError> {
    let name = path.display().to_string();
    let bytes = read(path, &name)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| IoError::NotText { name: name.clone(), offset: e.valid_up_to() })?;
    parse_three_column(text, &name)
}

/// Parses three-column text (the format in the module documentation); `name` names the input in
/// errors, with the 1-based line number where a line is at fault.
pub fn parse_three_column(text: &str, name: &str) -> Result<ImpedanceSpectrum, IoError> {
    let (mut f, mut re, mut im) = (Vec::new(), Vec::new(), Vec::new());
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let numbers: Result<Vec<f64>, _> = line
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::parse::<f64>)
            .collect();
        match numbers {
            Ok(v) if v.len() >= 3 => {
                f.push(v[0]);
                re.push(v[1]);
                im.push(v[2]);
            }
            // Before the first data row: a header line (one that is not all numbers).
            Err(_) if f.is_empty() => continue,
            Ok(v) if v.is_empty() => continue,
            Ok(v) => {
                return Err(IoError::TooFewColumns {
                    name: name.to_string(),
                    line: index + 1,
                    expected: 3,
                    columns: COLUMNS,
                    found: v.len(),
                })
            }
            Err(_) => {
                return Err(IoError::NotNumeric {
                    name: name.to_string(),
                    line: index + 1,
                    text: line.to_string(),
                })
            }
        }
    }
    if f.is_empty() {
        return Err(IoError::NoData {
            name: name.to_string(),
            expected: "three numeric columns f [Hz], Z' [Ohm], Z'' [Ohm]",
        });
    }
    let meta = Metadata { source: Some(name.to_string()), ..Metadata::default() };
    ImpedanceSpectrum::from_parts(f, re, im, meta)
        .map_err(|source| IoError::Invalid { name: name.to_string(), source })
}

/// The whole file, or [`IoError::Read`] naming it.
fn read(path: &Path, name: &str) -> Result<Vec<u8>, IoError> {
    std::fs::read(path).map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_comments_and_blank_lines_are_skipped_and_separators_mixed() {
        let text = "# exported by hand\nfrequency Z' Z''\nHz Ohm Ohm\n\n1e5;100.5;-3.2\n1e4\t104.0\t-30.1\n\n100 150 -80 0.99\n";
        let s = parse_three_column(text, "a.txt").unwrap();
        assert_eq!(s.frequency(), &[1e5, 1e4, 100.0]);
        let z = s.impedance();
        assert_eq!((z[0].re, z[0].im), (100.5, -3.2));
        // A fourth column is ignored.
        assert_eq!((z[2].re, z[2].im), (150.0, -80.0));
        assert_eq!(s.meta().source.as_deref(), Some("a.txt"));
    }

    #[test]
    fn a_bad_line_after_the_data_started_names_its_line() {
        let e = parse_three_column("f,re,im\n1e5,1,-1\n1e4,2,x\n", "b.csv").unwrap_err();
        assert!(matches!(e, IoError::NotNumeric { line: 3, .. }), "{e:?}");
        assert_eq!(e.to_string(), "b.csv:3: not a number in '1e4,2,x'");
    }

    #[test]
    fn too_few_columns_after_the_data_started_is_an_error() {
        let e = parse_three_column("1e5,1,-1\n\n1e4,2\n", "c.csv").unwrap_err();
        assert!(matches!(e, IoError::TooFewColumns { line: 3, expected: 3, found: 2, .. }), "{e:?}");
        assert_eq!(e.to_string(), "c.csv:3: 2 columns found in line 3, expected 3 (f, Z', Z'')");
    }

    #[test]
    fn an_empty_file_or_one_without_data_rows_is_an_error() {
        for text in ["", "\n\n", "f,re,im\n# nothing\n"] {
            let e = parse_three_column(text, "d.csv").unwrap_err();
            assert!(matches!(e, IoError::NoData { .. }), "{text:?}: {e:?}");
            assert_eq!(
                e.to_string(),
                "d.csv: no data rows (expected three numeric columns f [Hz], Z' [Ohm], Z'' [Ohm])"
            );
        }
        // Numeric rows of too few columns are not "no data": the first one is named (issue #18).
        let e = parse_three_column("1,2\n3,4\n", "d.csv").unwrap_err();
        assert!(matches!(e, IoError::TooFewColumns { line: 1, found: 2, .. }), "{e:?}");
    }

    #[test]
    fn values_a_spectrum_refuses_are_invalid() {
        // A negative frequency breaks ImpedanceSpectrum's invariants.
        let e = parse_three_column("-1,2,3\n", "e.csv").unwrap_err();
        assert!(matches!(e, IoError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().starts_with("e.csv: "), "{e}");
    }

    #[test]
    fn instrument_files_are_detected_and_other_text_is_three_columns() {
        // A ZPlot export: Z' and Z'' sit in columns 5 and 6, so reading it as three columns would give
        // Z' = 0 (the bias column); detection must win.
        let zplot =
            b"ZPlot2 Ascii\nEnd Comments\n1000,0,0,1.0,10.5,-2.0,0,0,1\n100,0,0,2.0,12.0,-5.5,0,0,1\n";
        let s = spectrum_from_bytes(zplot, "a.z").unwrap();
        assert_eq!(s.real(), vec![10.5, 12.0]);
        assert_eq!(s.imag(), vec![-2.0, -5.5]);
        let text = b"1e3,10,-1\n1e2,12,-5\n";
        assert!(detect(text).is_none());
        assert_eq!(spectrum_from_bytes(text, "f.txt").unwrap().real(), vec![10.0, 12.0]);
        // An instrument file without impedance columns is an error naming the missing channel.
        let mpt = b"EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\n0\t3.1\n";
        let e = spectrum_from_bytes(mpt, "g.mpt").unwrap_err();
        assert!(matches!(e, IoError::MissingChannel { .. }), "{e:?}");
    }

    #[test]
    fn missing_and_non_utf8_files_name_the_file() {
        let dir = std::env::temp_dir().join(format!("spelab-io-spectrum-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = dir.join("missing.csv");
        let e = read_spectrum(&missing).unwrap_err();
        assert!(matches!(e, IoError::Read { .. }) && e.to_string().contains("missing.csv"), "{e}");
        let latin1 = dir.join("latin1.csv");
        std::fs::write(&latin1, b"f \xb5\n1,2,-3\n").unwrap();
        assert!(matches!(read_three_column(&latin1).unwrap_err(), IoError::NotText { offset: 2, .. }));
        // read_spectrum tolerates the Latin-1 header.
        assert_eq!(read_spectrum(&latin1).unwrap().frequency(), &[1.0]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A two-column table (header + f, |Z|, say) is not "no data rows": the first numeric line is
    /// named with its column count (issue #18).
    #[test]
    fn a_two_column_file_names_its_first_data_line() {
        let e = parse_three_column("freq,Z\n1000,5\n100,6\n", "two.csv").unwrap_err();
        assert_eq!(e.to_string(), "two.csv:2: 2 columns found in line 2, expected 3 (f, Z', Z'')");
    }
}
