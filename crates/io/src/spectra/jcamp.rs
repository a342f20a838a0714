//! JCAMP-DX 4.24 / 5.01 (McDonald & Wilks, Appl. Spectrosc. 42 (1988) 151; Lampen et al. 1994).
//!
//! Reads the first `##XYDATA=(X++(Y..Y))` table in any of its encodings (AFFN, and the ASDF
//! compressions PAC, SQZ, DIF and DUP) and `##XYPOINTS=(XY..XY)` / `##PEAK TABLE=(XY..XY)`.
//! X of an `XYDATA` table comes from `FIRSTX`, `LASTX` and `NPOINTS` (evenly spaced); Y is multiplied by
//! `YFACTOR`. A line that ends in DIF form repeats its last Y as the next line's first value (the "Y
//! check"), which is verified and dropped. Labelled data records become metadata extras.

use spelab_core::{Metadata, SpectrumAxis, Technique};

use super::{bad_line, spectrum, Block, Trace};
use crate::IoError;

/// One decoded ASDF token.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    /// An absolute value (AFFN, PAC or SQZ).
    Value(f64),
    /// A difference from the previous value (DIF).
    Diff(f64),
    /// Repeat the previous token so that it occurs `n` times in all (DUP).
    Dup(usize),
}

/// Splits one data line into tokens.
fn tokenize(line: &str, name: &str, lineno: usize) -> Result<Vec<Token>, IoError> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == ',' || c == '\t' || c == ';' {
            i += 1;
            continue;
        }
        if c == '$' && chars.get(i + 1) == Some(&'$') {
            break; // comment to the end of the line
        }
        // The lead character fixes the kind, sign and first digit.
        let (kind, lead): (u8, Option<(f64, f64)>) = match c {
            '0'..='9' | '.' => (b'v', None),
            '+' => (b'v', Some((1.0, 0.0))),
            '-' => (b'v', Some((-1.0, 0.0))),
            '@' => (b'v', Some((1.0, 0.0))),
            'A'..='I' => (b'v', Some((1.0, f64::from(c as u8 - b'A' + 1)))),
            'a'..='i' => (b'v', Some((-1.0, f64::from(c as u8 - b'a' + 1)))),
            '%' => (b'd', Some((1.0, 0.0))),
            'J'..='R' => (b'd', Some((1.0, f64::from(c as u8 - b'J' + 1)))),
            'j'..='r' => (b'd', Some((-1.0, f64::from(c as u8 - b'j' + 1)))),
            'S'..='Z' => (b'u', Some((1.0, f64::from(c as u8 - b'S' + 1)))),
            's' => (b'u', Some((1.0, 9.0))),
            _ => return Err(bad_line(name, lineno, format!("unexpected character '{c}' in the data table"))),
        };
        let mut j = if lead.is_some() { i + 1 } else { i };
        let mut text = String::new();
        if let Some((sign, digit)) = lead {
            if sign < 0.0 {
                text.push('-');
            }
            if c != '+' && c != '-' {
                text.push_str(&format!("{}", digit as u8));
            }
        }
        while j < chars.len() {
            let d = chars[j];
            let exponent_sign = (d == '+' || d == '-') && text.ends_with(['E', 'e']);
            let affn = matches!(c, '0'..='9' | '.' | '+' | '-');
            let exponent = (d == 'E' || d == 'e') && affn && matches!(chars.get(j + 1), Some('+' | '-'));
            if d.is_ascii_digit() || d == '.' || exponent || exponent_sign {
                // 'E' is an exponent only in an AFFN/PAC value and only before a sign ("1.5E+02"); elsewhere
                // it is the SQZ digit +5.
                text.push(d);
                j += 1;
            } else {
                break;
            }
        }
        let value: f64 = text
            .parse()
            .map_err(|_| bad_line(name, lineno, format!("'{text}' is not a number in the data table")))?;
        out.push(match kind {
            b'v' => Token::Value(value),
            b'd' => Token::Diff(value),
            _ => Token::Dup(value as usize),
        });
        i = j;
    }
    Ok(out)
}

/// Expands one line's tokens (after the leading X) into Y values; returns them and whether the line
/// ended in DIF form.
fn expand(tokens: &[Token], name: &str, lineno: usize) -> Result<(Vec<f64>, bool), IoError> {
    let mut ys: Vec<f64> = Vec::new();
    let mut last: Option<Token> = None;
    let mut ends_dif = false;
    for &t in tokens {
        match t {
            Token::Value(v) => {
                ys.push(v);
                ends_dif = false;
                last = Some(t);
            }
            Token::Diff(d) => {
                let prev =
                    *ys.last().ok_or_else(|| bad_line(name, lineno, "a DIF value with nothing before it"))?;
                ys.push(prev + d);
                ends_dif = true;
                last = Some(t);
            }
            Token::Dup(n) => {
                let prev =
                    last.ok_or_else(|| bad_line(name, lineno, "a DUP count with nothing before it"))?;
                for _ in 1..n {
                    match prev {
                        Token::Diff(d) => {
                            let p = *ys.last().unwrap_or(&0.0);
                            ys.push(p + d);
                        }
                        _ => {
                            let p = *ys.last().unwrap_or(&0.0);
                            ys.push(p);
                        }
                    }
                }
            }
        }
    }
    Ok((ys, ends_dif))
}

/// Reads a JCAMP-DX file's first spectrum.
pub fn read_jcamp(lines: &[&str], name: &str) -> Result<Vec<Block>, IoError> {
    let mut meta = Metadata::default();
    let mut ldr = std::collections::BTreeMap::new();
    let mut data_at = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = line.strip_prefix("##") {
            let (key, value) = rest.split_once('=').unwrap_or((rest, ""));
            let key = key.trim().to_uppercase().replace([' ', '-', '_', '/'], "");
            let value = value.trim().to_string();
            if key == "XYDATA" || key == "XYPOINTS" || key == "PEAKTABLE" {
                data_at = Some((i, key.clone(), value.clone()));
                break;
            }
            ldr.insert(key, value);
        }
    }
    let (start, kind, form) =
        data_at.ok_or_else(|| bad_line(name, lines.len(), "no ##XYDATA or ##XYPOINTS table"))?;
    let num = |k: &str| -> Result<Option<f64>, IoError> {
        match ldr.get(k) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| bad_line(name, 1, format!("##{k}= '{v}' is not a number"))),
        }
    };
    let xfactor = num("XFACTOR")?.unwrap_or(1.0);
    let yfactor = num("YFACTOR")?.unwrap_or(1.0);
    let x_units = ldr.get("XUNITS").cloned().unwrap_or_default().to_uppercase();
    let (axis, x_scale) = match x_units.as_str() {
        u if u.contains("MICROMETER") => (SpectrumAxis::Wavelength, 1000.0),
        u if u.contains("NANOMETER") => (SpectrumAxis::Wavelength, 1.0),
        u if u.contains("EV") => (SpectrumAxis::BindingEnergy, 1.0),
        _ => (SpectrumAxis::Wavenumber, 1.0),
    };
    let data_type = ldr.get("DATATYPE").cloned().unwrap_or_default().to_uppercase();
    if data_type.contains("INFRARED") {
        meta = meta.with_technique(Technique::Ftir);
    } else if data_type.contains("RAMAN") {
        meta = meta.with_technique(Technique::Raman);
    }
    for (k, v) in &ldr {
        meta = meta.with_extra(k.clone(), v.clone());
    }
    let (mut x, mut y): (Vec<f64>, Vec<f64>) = (Vec::new(), Vec::new());
    if kind == "XYDATA" && form.replace(' ', "").to_uppercase().starts_with("(X++(Y..Y))") {
        let mut previous_dif = false;
        for (i, line) in lines.iter().enumerate().skip(start + 1) {
            if line.starts_with("##") {
                break;
            }
            let tokens = tokenize(line, name, i + 1)?;
            if tokens.is_empty() {
                continue;
            }
            let (mut ys, ends_dif) = expand(&tokens[1..], name, i + 1)?;
            if previous_dif && !ys.is_empty() {
                let check = ys.remove(0);
                if let Some(&prev) = y.last() {
                    if (check - prev).abs() > 1e-9 * prev.abs().max(1.0) {
                        return Err(bad_line(
                            name,
                            i + 1,
                            format!(
                                "Y check value {check} differs from the previous line's last value {prev}"
                            ),
                        ));
                    }
                }
            }
            previous_dif = ends_dif;
            y.extend(ys);
        }
        let n = num("NPOINTS")?.map(|v| v as usize).unwrap_or(y.len());
        if y.len() != n {
            return Err(bad_line(
                name,
                start + 1,
                format!("##NPOINTS={n} but the table holds {} values", y.len()),
            ));
        }
        let first = num("FIRSTX")?.ok_or_else(|| bad_line(name, start + 1, "##FIRSTX is missing"))?;
        let last = num("LASTX")?.ok_or_else(|| bad_line(name, start + 1, "##LASTX is missing"))?;
        if n < 2 {
            return Err(bad_line(name, start + 1, "fewer than two points"));
        }
        let step = (last - first) / (n - 1) as f64;
        x = (0..n).map(|i| (first + step * i as f64) * x_scale).collect();
        y.iter_mut().for_each(|v| *v *= yfactor);
    } else {
        // (XY..XY): pairs of AFFN values.
        for (i, line) in lines.iter().enumerate().skip(start + 1) {
            if line.starts_with("##") {
                break;
            }
            let values: Vec<f64> = tokenize(line, name, i + 1)?
                .into_iter()
                .map(|t| match t {
                    Token::Value(v) => Ok(v),
                    _ => Err(bad_line(name, i + 1, "compressed values in an (XY..XY) table")),
                })
                .collect::<Result<_, _>>()?;
            if !values.len().is_multiple_of(2) {
                return Err(bad_line(name, i + 1, "an (XY..XY) line with an odd count of values"));
            }
            for pair in values.chunks(2) {
                x.push(pair[0] * xfactor * x_scale);
                y.push(pair[1] * yfactor);
            }
        }
    }
    let label = ldr.get("TITLE").cloned().unwrap_or_else(|| "JCAMP-DX spectrum".to_string());
    Ok(vec![Block { label, trace: Trace::Spectrum(spectrum(name, x, y, axis, meta)?), extra: Vec::new() }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<f64>, IoError> {
        let lines = crate::text::lines(text);
        let blocks = read_jcamp(&lines, "t.jdx")?;
        Ok(blocks[0].spectrum().unwrap().y().to_vec())
    }

    const HEAD: &str =
        "##TITLE=t\n##JCAMP-DX=4.24\n##XUNITS=1/CM\n##FIRSTX=10\n##LASTX=1\n##NPOINTS=10\n##YFACTOR=1\n";

    #[test]
    fn affn_pac_sqz_dif_dup_all_decode_to_the_same_values() {
        let want: Vec<f64> = vec![1.0, 2.0, 3.0, 3.0, 3.0, 5.0, -1.0, 0.0, 10.0, 12.0];
        let affn = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10 1 2 3 3 3\n5 5 -1 0 10 12\n##END=\n");
        let pac = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10+1+2+3+3+3\n5+5-1+0+10+12\n##END=\n");
        let sqz = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10A B C C C\n5E a @ A0 A2\n##END=\n");
        // DIF with a Y check: the second line repeats 3 (the last Y of line 1) first.
        let dif = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10AJJ%T\n5CKoJA0K\n##END=\n");
        for text in [affn, pac, sqz, dif] {
            assert_eq!(read(&text).unwrap(), want, "{text}");
        }
    }

    #[test]
    fn a_wrong_point_count_or_y_check_names_the_line() {
        let short = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10 1 2 3\n##END=\n");
        assert!(read(&short).unwrap_err().to_string().contains("NPOINTS=10"));
        let bad = format!("{HEAD}##XYDATA=(X++(Y..Y))\n10AJJ%T\n5DKoJA0K\n##END=\n");
        let err = read(&bad).unwrap_err().to_string();
        assert!(err.contains("t.jdx:10") && err.contains("Y check"), "{err}");
    }
}
