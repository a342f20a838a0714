//! An error as one JSON document, for `--json` callers: `{"error": {"message", "file", "line",
//! "kind"}}`. A script that reads stdout gets JSON on failure too (exit code 2), with the file and line
//! where spelab knows them.

use serde_json::{json, Value};

use crate::spec::StudyError;

/// What kind of input an error is about.
fn kind_and_place(error: &anyhow::Error) -> (&'static str, Option<String>, Option<usize>) {
    for cause in error.chain() {
        if let Some(e) = cause.downcast_ref::<StudyError>() {
            return ("study", Some(e.path.display().to_string()), e.line);
        }
        if let Some(e) = cause.downcast_ref::<spelab_io::IoError>() {
            let (file, line) = place_of(&e.to_string());
            return ("input", file, line);
        }
        if cause.downcast_ref::<spelab_sim::params::ParamsError>().is_some() {
            return ("parameters", None, None);
        }
        if cause.downcast_ref::<std::io::Error>().is_some() {
            return ("file", None, None);
        }
    }
    ("error", None, None)
}

/// `("cell.csv", Some(3))` from "cell.csv:3: ...", `("a.mpr", None)` from "a.mpr: byte 12: ...".
fn place_of(message: &str) -> (Option<String>, Option<usize>) {
    let Some((head, _)) = message.split_once(": ") else { return (None, None) };
    match head.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(file.to_string()), line.parse().ok())
        }
        _ => (Some(head.to_string()), None),
    }
}

/// The JSON document of `error` (its whole context chain as the message).
///
/// ```
/// let e = anyhow::Error::new(spelab_io::IoError::NoData { name: "a.csv".into(), expected: "f, Z', Z''" });
/// let doc = spelab_study::error_report::json_document(&e);
/// assert_eq!(doc["error"]["kind"], "input");
/// assert_eq!(doc["error"]["file"], "a.csv");
/// ```
pub fn json_document(error: &anyhow::Error) -> Value {
    let (kind, file, line) = kind_and_place(error);
    json!({ "error": { "message": format!("{error:#}"), "file": file, "line": line, "kind": kind } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_read_from_file_line_prefixes() {
        assert_eq!(place_of("cell.csv:3: bad"), (Some("cell.csv".into()), Some(3)));
        assert_eq!(place_of("a.mpr: byte 12: cut"), (Some("a.mpr".into()), None));
        assert_eq!(place_of("no place"), (None, None));
    }

    #[test]
    fn a_study_error_keeps_its_file_and_line() {
        let e = StudyError { path: "s.toml".into(), line: Some(14), column: Some(1), message: "bad".into() };
        let doc = json_document(&anyhow::Error::new(e).context("running s.toml"));
        assert_eq!(doc["error"]["kind"], "study");
        assert_eq!(doc["error"]["file"], "s.toml");
        assert_eq!(doc["error"]["line"], 14);
        assert!(doc["error"]["message"].as_str().unwrap().starts_with("running s.toml: s.toml:14:1: bad"));
    }
}
