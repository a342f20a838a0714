//! Impedance spectra from text tables whose header names the columns, as the potentiostat exports
//! of the Python peers (impedance.py's readers) lay them out; detected by content: a header line that
//! names a frequency, a real and an imaginary column, wherever they stand.
//!
//! | export | header (columns used) | separators |
//! |---|---|---|
//! | CH Instruments (CHI660E "A.C. Impedance") | `Freq/Hz, Z'/ohm, Z"/ohm, Z/ohm, Phase/deg` after the settings block | comma |
//! | ZView / Autolab `Z60W Data File` | quoted `Freq (Hz)  Ampl  Bias  Time(Sec)  Z'(a)  Z''(b)  GD  Err  Range` | header by spaces, data by comma |
//! | Princeton Applied Research PowerSuite | `Frequency  Zre  Zimg` | tab |
//! | VersaStudio `.par` | `Definition=Segment #, Point #, E(V), ..., Frequency(Hz), ..., Z Real, Z Imag, ...` in `<Segment1>` (one segment) | comma |
//! | Parstat (VersaStudio text export) | `Potential (V) ... Frequency (Hz)  Zre (ohms)  Zim (ohms) ...`; rows at 0 Hz are the DC part before the sweep and are not impedance points | tab |
//!
//! Z'' is signed (negative for a capacitive arc) in all five; a column labelled `-Z''` or `-Im(Z)`
//! is negated. Lines under the header before the first row of numbers (units) are skipped; once the
//! data started, a line that is not numbers, has too few cells, or is cut (the
//! last line without the newline every other line has) is an error naming its line.
//!
//! ```
//! use spelab_io::labelled_spectrum::parse_labelled;
//! let text = "Frequency\t Zre\t Zimg\n1000\t 10.5\t -2.0\n100\t 12.0\t -5.0\n";
//! let s = parse_labelled(text, "ps.txt").unwrap().unwrap();
//! assert_eq!(s.frequency(), &[1000.0, 100.0]);
//! assert_eq!(s.impedance()[1].im, -5.0);
//! assert!(parse_labelled("1000,10.5,-2\n", "plain.csv").is_none());
//! ```

use spelab_core::{ImpedanceSpectrum, Metadata};

use crate::IoError;

/// How many leading lines are searched for the header.
const HEADER_SEARCH_LINES: usize = 200;

/// What a header label names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Frequency,
    Real,
    Imaginary { negated: bool },
}

/// The role of one header label ("Zre (ohms)" → real), if it has one.
fn role(label: &str) -> Option<Role> {
    let label = label.trim().trim_matches('"').trim().to_lowercase();
    let (negated, label) = match label.strip_prefix('-') {
        Some(rest) => (true, rest.trim()),
        None => (false, label.as_str()),
    };
    // The name before its unit: "z'/ohm" → "z'", "zre (ohms)" → "zre", "re(z)/ohm" → "re".
    let name = label.split(['/', '(', '[']).next().unwrap_or("").trim();
    match name {
        "freq" | "frequency" | "f" => Some(Role::Frequency),
        "z'" | "zre" | "zreal" | "z real" | "z_re" | "re" | "real" if !negated => Some(Role::Real),
        "z''" | "z\"" | "zim" | "zimg" | "zimag" | "z imag" | "z_im" | "im" | "imag" => {
            Some(Role::Imaginary { negated })
        }
        _ => None,
    }
}

/// The labels of a header line: tab-, comma- or semicolon-separated, else separated by runs of two or
/// more spaces (a quoted, space-aligned header).
fn labels(line: &str) -> Vec<String> {
    let line = line.trim().trim_matches('"');
    if let Some(sep) = ['\t', ',', ';'].into_iter().find(|c| line.contains(*c)) {
        return line.split(sep).map(|s| s.trim().to_string()).collect();
    }
    line.split("  ").map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The columns (frequency, real, imaginary with its sign) a header line names, if it names all three.
fn header_columns(line: &str) -> Option<[(usize, bool); 3]> {
    let roles: Vec<Option<Role>> = labels(line).iter().map(|l| role(l)).collect();
    let find = |want: fn(Role) -> bool| roles.iter().position(|r| r.is_some_and(want));
    let f = find(|r| r == Role::Frequency)?;
    let re = find(|r| r == Role::Real)?;
    let im = find(|r| matches!(r, Role::Imaginary { .. }))?;
    let negated = matches!(roles[im], Some(Role::Imaginary { negated: true }));
    Some([(f, false), (re, false), (im, negated)])
}

/// Parses a labelled spectrum table (see the module documentation); `None` when no header line
/// names the three columns (the text is not such a table), else the spectrum or the error with its
/// line.
pub fn parse_labelled(text: &str, name: &str) -> Option<Result<ImpedanceSpectrum, IoError>> {
    let lines: Vec<&str> = text.lines().collect();
    let (header, columns) = lines
        .iter()
        .take(HEADER_SEARCH_LINES)
        .enumerate()
        .find_map(|(i, l)| Some((i, header_columns(l)?)))?;
    Some(read_rows(text, &lines[header + 1..], header + 1, columns, name))
}

fn read_rows(
    text: &str,
    rows: &[&str],
    first_line: usize,
    [(fc, _), (rc, _), (ic, negated)]: [(usize, bool); 3],
    name: &str,
) -> Result<ImpedanceSpectrum, IoError> {
    let bad = |line: usize, message: String| IoError::BadLine { name: name.to_string(), line, message };
    let needed = fc.max(rc).max(ic) + 1;
    let (mut f, mut re, mut im) = (Vec::new(), Vec::new(), Vec::new());
    for (k, row) in rows.iter().enumerate() {
        let line = first_line + k + 1;
        let row = row.trim();
        if row.is_empty() {
            continue;
        }
        if row.starts_with('<') {
            // The end of a VersaStudio segment; a second segment would be a second spectrum.
            if rows[k..].iter().any(|r| r.trim_start().starts_with("<Segment")) {
                return Err(bad(line, "a second <Segment>: one spectrum per file is read".into()));
            }
            break;
        }
        let sep = ['\t', ',', ';'].into_iter().find(|c| row.contains(*c));
        let cells: Vec<&str> = match sep {
            Some(sep) => row.split(sep).map(str::trim).collect(),
            None => row.split_whitespace().collect(),
        };
        if cells.len() < needed {
            return Err(bad(line, format!("{} cells, the header's columns need {needed}", cells.len())));
        }
        let number = |c: usize| {
            cells[c].parse::<f64>().map_err(|_| bad(line, format!("'{}' is not a number", cells[c])))
        };
        let values = (number(fc), number(rc), number(ic));
        if f.is_empty() && !(values.0.is_ok() && values.1.is_ok() && values.2.is_ok()) {
            continue; // a units line under the header ("Hz, Ohm, Ohm")
        }
        let (fv, rv, iv) = (values.0?, values.1?, values.2?);
        if fv == 0.0 {
            continue; // a DC row before the sweep (Parstat), not an impedance point
        }
        f.push(fv);
        re.push(rv);
        im.push(if negated { -iv } else { iv });
    }
    let cut = !text.ends_with('\n') && text.matches('\n').count() > first_line;
    if cut {
        let last = first_line + rows.len();
        return Err(bad(last, "the last line is cut (no final newline, as every other line has)".into()));
    }
    if f.is_empty() {
        return Err(IoError::NoData { name: name.to_string(), expected: "impedance rows under the header" });
    }
    let meta = Metadata { source: Some(name.to_string()), ..Metadata::default() };
    ImpedanceSpectrum::from_parts(f, re, im, meta)
        .map_err(|source| IoError::Invalid { name: name.to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_their_roles() {
        assert_eq!(role("Freq/Hz"), Some(Role::Frequency));
        assert_eq!(role("Zre (ohms)"), Some(Role::Real));
        assert_eq!(role("Z\"/ohm"), Some(Role::Imaginary { negated: false }));
        assert_eq!(role("Z''(b)"), Some(Role::Imaginary { negated: false }));
        assert_eq!(role("-Im(Z)/Ohm"), Some(Role::Imaginary { negated: true }));
        assert_eq!(role("Phase/deg"), None);
        let z60w = "\"  Freq (Hz)    Ampl     Bias   Time(Sec)   Z'(a)    Z''(b)    GD   Err   Range\"";
        assert_eq!(header_columns(z60w), Some([(0, false), (4, false), (5, false)]));
    }

    #[test]
    fn a_cut_last_line_and_bad_cells_are_errors_with_their_line() {
        let e =
            parse_labelled("Freq/Hz, Z'/ohm, Z\"/ohm\n100, 1, -1\n10, 2, -", "a.txt").unwrap().unwrap_err();
        assert!(e.to_string().starts_with("a.txt:3: "), "{e}");
        let e = parse_labelled("Freq/Hz, Z'/ohm, Z\"/ohm\n100, 1, -1\n10, x, -2\n", "a.txt")
            .unwrap()
            .unwrap_err();
        assert_eq!(e.to_string(), "a.txt:3: 'x' is not a number");
        let e = parse_labelled("Freq/Hz, Z'/ohm, Z\"/ohm\n100, 1\n", "a.txt").unwrap().unwrap_err();
        assert!(e.to_string().contains("a.txt:2: 2 cells"), "{e}");
    }
}
