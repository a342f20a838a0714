//! Every file of the shared instrument corpus (each `instruments/expected/<file>.json`): spelab reads
//! the reference row count (55 of 55; values are checked per format by the `*_corpus` tests), and
//! seeded truncations and corruptions never give an `Ok` read with fewer rows than the file and no
//! new warning (issue #16: nothing lost silently).
//!
//! The one loss no reader can see: a text file whose every line ends with a line end, cut exactly at
//! one (it is a shorter file of the same format); and, in a format whose files do not end with a line
//! end (EC-Lab `.mpt`, BTSDA CSV, Gamry `.DTA`: `ocp_data.dta` ends without one), a cut inside the
//! last cell of a line, which leaves a file of the same shape. Those cuts may lose the records after the cut, never more.
//! Every other shortened `Ok` read must carry a warning (and `skipped_records`).

use serde_json::Value;
use spelab_io::read_bytes;
use spelab_testkit::{shared_data, Rng};

const FOLDERS: [&str; 7] = ["arbin", "bdf", "biologic", "gamry", "landt", "maccor", "neware"];

/// (file name, bytes, expected rows) of every corpus file with a ground-truth JSON.
fn corpus() -> Option<Vec<(String, Vec<u8>, usize)>> {
    let dir = shared_data("instruments/expected")?;
    let instruments = dir.parent().expect("instruments folder").to_path_buf();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for json in names {
        let file = json.file_stem().expect("stem").to_string_lossy().to_string();
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("read")).expect("json");
        let rows = expected["expected_rows"].as_u64().expect("expected_rows") as usize;
        let path = FOLDERS
            .iter()
            .map(|f| instruments.join(f).join(&file))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("no corpus file for {file}.json"));
        out.push((file, std::fs::read(path).expect("read"), rows));
    }
    Some(out)
}

#[test]
fn every_corpus_file_reads_its_reference_row_count() {
    let Some(corpus) = corpus() else { return };
    assert_eq!(corpus.len(), 55);
    let mut read = 0;
    for (file, bytes, rows) in &corpus {
        let rec = read_bytes(bytes, file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rec.rows(), *rows, "{file}");
        // maccor_two.txt ends inside its last record (fewer cells): dropped and counted.
        assert_eq!(rec.skipped_records, usize::from(file == "maccor_two.txt"), "{file}");
        read += 1;
    }
    assert_eq!(read, 55);
}

/// Whether the corpus file is text (every format but `.mpr`, `.nda`, `.ndax`, `.res`).
fn is_text(file: &str) -> bool {
    ![".mpr", ".nda", ".ndax", ".res"].iter().any(|e| file.ends_with(e))
}

/// `cuts` truncations and `flips` one-byte corruptions per file, seeded; returns the silent losses.
fn sweep(seed: u64, cuts: usize, flips: usize) -> Vec<String> {
    let Some(corpus) = corpus() else { return Vec::new() };
    let mut rng = Rng::new(seed);
    let mut silent = Vec::new();
    for (file, bytes, rows) in &corpus {
        let original = read_bytes(bytes, file).expect("read");
        let text = is_text(file);
        let gamry = file.to_lowercase().ends_with(".dta");
        let ends_with_line_end = !gamry && (bytes.ends_with(b"\n") || bytes.ends_with(b"\r"));
        let mut check = |copy: &[u8], what: String, cut: Option<usize>| {
            let Ok(rec) = read_bytes(copy, file) else { return };
            if rec.rows() >= *rows || rec.skipped_records > 0 || rec.warnings != original.warnings {
                return;
            }
            if let (true, Some(c)) = (text, cut) {
                let at_line_end = c > 0 && matches!(copy[c - 1], b'\n' | b'\r');
                // Lines removed by the cut, the cut one included: the most a same-shape cut may lose.
                let removed = bytes[c..].iter().filter(|&&b| b == b'\n').count() + 1;
                if at_line_end || (!ends_with_line_end && rec.rows() + removed >= *rows) {
                    return;
                }
            }
            silent.push(format!("{file} {what}: {} of {rows} rows, no warning", rec.rows()));
        };
        for _ in 0..cuts {
            let c = (rng.uniform() * bytes.len() as f64) as usize;
            check(&bytes[..c], format!("cut at {c}"), Some(c));
        }
        for _ in 0..flips {
            let at = (rng.uniform() * bytes.len() as f64) as usize;
            let mut copy = bytes.clone();
            copy[at] ^= 1 + (rng.uniform() * 255.0) as u8;
            check(&copy, format!("byte {at} changed"), None);
        }
    }
    silent
}

#[test]
fn seeded_truncation_and_corruption_sweep_loses_nothing_silently() {
    let silent = sweep(16, 3, 3);
    assert!(silent.is_empty(), "{silent:#?}");
}

/// The longer sweep (40 cuts and 40 corruptions per file; about a minute in release).
#[test]
#[ignore]
fn long_truncation_and_corruption_sweep_loses_nothing_silently() {
    let silent = sweep(1616, 40, 40);
    assert!(silent.is_empty(), "{silent:#?}");
}
