//! Scribner ZPlot / ZView `.z` impedance export reader.
//!
//! Layout: a header starting `ZPlot2 Ascii` (or any header) that ends with a line `End Comments`, then
//! one row per frequency: `Freq(Hz), Ampl, Bias, Time(Sec), Z'(a), Z''(b), GD, Err, Range`, separated by
//! commas, tabs or spaces (as impedance.py's `readZPlot` reads it: frequency, Z' and Z'' in columns 1, 5
//! and 6). Detection is by content: the `ZPlot2 Ascii` banner or an `End Comments` line in the header.
//!
//! ```
//! use spelab_io::detect::read_bytes;
//! let text = b"ZPlot2 Ascii\nEnd Comments\n1000,0,0,1.0,10.5,-2.0,0,0,1\n100,0,0,2.0,12.0,-5.5,0,0,1\n";
//! let spectrum = read_bytes(text, "a.z").unwrap().impedance_spectrum().unwrap();
//! assert_eq!(spectrum.imag(), vec![-2.0, -5.5]);
//! ```

use spelab_core::Technique;

use crate::channel::Channel;
use crate::recording::{Column, Format, Recording, Values};
use crate::text::{decode, lines};
use crate::IoError;

/// Whether the text starting at `lines` is a ZPlot export.
pub fn is_zplot(lines: &[&str]) -> bool {
    lines.first().is_some_and(|l| l.trim_start().starts_with("ZPlot"))
        || lines.iter().take(200).any(|l| l.trim() == "End Comments")
}

/// Reads a ZPlot `.z` export; `name` is used in error messages.
pub fn read_zplot(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let text = decode(bytes);
    let all = lines(&text);
    let start = all.iter().position(|l| l.trim() == "End Comments").map(|i| i + 1).ok_or_else(|| {
        IoError::BadLine { name: name.into(), line: all.len(), message: "no 'End Comments' line".into() }
    })?;
    let (mut f, mut re, mut im) = (Vec::new(), Vec::new(), Vec::new());
    for (i, line) in all.iter().enumerate().skip(start) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let cells: Vec<&str> =
            line.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()).collect();
        let number = |k: usize| -> Result<f64, IoError> {
            let cell = cells.get(k).ok_or_else(|| IoError::BadLine {
                name: name.into(),
                line: i + 1,
                message: format!(
                    "expected at least 6 columns (Freq, Ampl, Bias, Time, Z', Z''), found {}",
                    cells.len()
                ),
            })?;
            cell.parse::<f64>().map_err(|_| IoError::BadLine {
                name: name.into(),
                line: i + 1,
                message: format!("'{cell}' is not a number"),
            })
        };
        f.push(number(0)?);
        re.push(number(4)?);
        im.push(number(5)?);
    }
    let mut rec = Recording::new(Format::ZPlot, name);
    rec.metadata.technique = Some(Technique::Peis);
    rec.technique = Some("EIS".into());
    rec.push(Column::new(Channel::Frequency, "Freq(Hz)", Values::Float(f)));
    rec.push(Column::new(Channel::ImpedanceReal, "Z'(a)", Values::Float(re)));
    rec.push(Column::new(Channel::ImpedanceImag, "Z''(b)", Values::Float(im)));
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "ZPlot2 Ascii\r\nCall Experiment\r\nEnd Comments\r\n\
        1.0E+05\t0.01\t0\t1.2\t2.5E+01\t-1.0E+00\t0\t0\t1\r\n\
        1.0E+02\t0.01\t0\t3.4\t1.2E+02\t-4.5E+01\t0\t0\t1\r\n";

    #[test]
    fn reads_frequency_and_impedance_columns() {
        let bytes = SAMPLE.as_bytes();
        assert_eq!(crate::detect::detect(bytes), Some(Format::ZPlot));
        let s = crate::detect::read_bytes(bytes, "t.z").unwrap().impedance_spectrum().unwrap();
        assert_eq!(s.frequency(), vec![1e5, 1e2]);
        assert_eq!(s.real(), vec![25.0, 120.0]);
        assert_eq!(s.imag(), vec![-1.0, -45.0]);
    }

    #[test]
    fn short_row_is_an_error_naming_the_line() {
        let text = "ZPlot2 Ascii\nEnd Comments\n1e3,0,0,1,10\n";
        let e = read_zplot(text.as_bytes(), "t.z").unwrap_err().to_string();
        assert!(e.contains("t.z:3") && e.contains("6 columns"), "{e}");
    }
}
