//! Text helpers shared by the text readers: decoding (UTF-8 or Windows-1252), line splitting for any
//! line ending, and number parsing with a decimal point or a decimal comma.

/// Windows-1252 code points for bytes 0x80..=0x9F (the rest of the byte range equals Latin-1).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}',
    '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes bytes as UTF-8 (BOM stripped) when valid, else as Windows-1252 (what EC-Lab writes).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// Lines of `text` split at CRLF, LF or a lone CR, without the terminators.
pub fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                out.push(&text[start..i]);
                if b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < b.len() {
        out.push(&text[start..]);
    }
    out
}

/// Whether `text` ends inside its last line: it has line ends, but none after its last line (a file
/// cut while or after it was written; its last value may be cut short).
pub fn ends_inside_last_line(text: &str) -> bool {
    !text.ends_with(['\n', '\r']) && text.contains(['\n', '\r'])
}

/// The warning for a record dropped because the file ends inside it (line `line`, 1-based).
pub fn cut_line_warning(name: &str, line: usize) -> String {
    format!(
        "{name}:{line}: the file ends inside this line (no line end, where every other line has one): the file \
         was cut and this record was dropped"
    )
}

/// Parses a number written with a decimal point, or with a decimal comma when `comma` is set.
pub fn parse_number(cell: &str, comma: bool) -> Option<f64> {
    let cell = cell.trim();
    if comma {
        cell.replacen(',', ".", 1).parse().ok()
    } else {
        cell.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_windows_1252_and_splits_any_line_ending() {
        assert_eq!(decode(b"Cs/\xB5F \x80"), "Cs/µF €");
        assert_eq!(decode("\u{feff}µ".as_bytes()), "µ");
        assert_eq!(lines("a\r\nb\nc\rd"), vec!["a", "b", "c", "d"]);
        assert_eq!(lines("a\n\nb\n"), vec!["a", "", "b"]);
        assert!(ends_inside_last_line("a\r\nb"));
        assert!(
            !ends_inside_last_line("a\r\nb\r\n") && !ends_inside_last_line("a") && !ends_inside_last_line("")
        );
    }

    #[test]
    fn parses_decimal_commas() {
        assert_eq!(parse_number("3,0153E+001", true), Some(30.153));
        assert_eq!(parse_number("1.5E+000", false), Some(1.5));
        assert_eq!(parse_number("1,5", false), None);
    }
}
