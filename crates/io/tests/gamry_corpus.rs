//! Every Gamry `.DTA` of the shared corpus read and compared with its ground truth
//! (`expected/<file>.json`): row count, first and last row of every curve (gamry-parser 0.4.6), and
//! first / last impedance point (impedance.py 1.7.1) where gamry-parser fails or misreads.
//! Tolerance 1e-9 relative: both sides parse the same decimal text (5-7 significant digits), so the
//! only difference is the SI scaling round trip (~1e-16).

use serde_json::Value;
use spelab_io::{read_bytes, Channel, Recording};
use spelab_testkit::{assert_close, shared_data};

const FILES: [&str; 7] = [
    "chronoa_data.dta",
    "cv_data.dta",
    "eispot_data.dta",
    "eispot_data_curveaborted.dta",
    "exampleDataGamryABORT.DTA",
    "ocp_data.dta",
    "pyimpspec_data.dta",
];

const REL_TOL: f64 = 1e-9;

fn raw(rec: &Recording, source_name: &str, row: usize) -> Option<f64> {
    let c = rec.columns.iter().find(|c| c.source.split('/').next() == Some(source_name))?;
    c.raw(row)
}

#[test]
fn every_dta_matches_the_reference_readers() {
    for file in FILES {
        let Some(path) = shared_data(&format!("instruments/gamry/{file}")) else { return };
        let json = shared_data(&format!("instruments/expected/{file}.json")).expect("json");
        let json: Value = serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("parse");
        let rec = read_bytes(&std::fs::read(&path).expect("read"), file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rec.rows() as u64, json["expected_rows"].as_u64().expect("rows"), "{file}: rows");
        let tag = json["readers"]["raw_scan_dta_tables"]["header"]["TAG"].as_str().expect("tag");
        assert_eq!(rec.technique.as_deref(), Some(tag), "{file}: technique");
        let aborted = json["readers"]["raw_scan_dta_tables"]["header"]["EXPERIMENTABORTED"] == "T";
        assert_eq!(rec.metadata.extra.contains_key("experiment_aborted"), aborted, "{file}: abort flag");

        let parser = &json["readers"]["gamry-parser_0.4.6"];
        // gamry-parser misaligns eispot_data.dta's space-separated rows 6-9 (its last row reads
        // Time = 226.885, which is Zreal); impedance.py and spelab read them correctly.
        if parser["ok"] == true && file != "eispot_data.dta" {
            let mut offset = 0;
            for curve in parser["curves"].as_array().expect("curves") {
                let n = curve["n_rows"].as_u64().expect("n") as usize;
                for (row, key) in [(offset, "first_row"), (offset + n - 1, "last_row")] {
                    for (col, v) in curve[key].as_object().expect("row") {
                        let Some(e) = v.as_f64() else { continue }; // "Over" flags are text
                        let got = raw(&rec, col, row).unwrap_or_else(|| panic!("{file}: no column {col}"));
                        assert_close(got, e, REL_TOL, &format!("{file} {key} {col}"));
                    }
                }
                offset += n;
            }
        }
        let imp = &json["readers"]["impedance_1.7.1"];
        if imp["ok"] == true {
            let s = rec.impedance_spectrum().expect("spectrum");
            for (i, key) in [(0, "first"), (s.len() - 1, "last")] {
                assert_close(s.frequency()[i], imp[key]["freq_Hz"].as_f64().expect("f"), REL_TOL, file);
                assert_close(s.real()[i], imp[key]["Zreal"].as_f64().expect("re"), REL_TOL, file);
                assert_close(s.imag()[i], imp[key]["Zimag"].as_f64().expect("im"), REL_TOL, file);
            }
        }
    }
}

/// The CV file's five CURVEn tables become one record with the table number as cycle index.
#[test]
fn cv_curves_become_cycles() {
    let Some(path) = shared_data("instruments/gamry/cv_data.dta") else { return };
    let rec = read_bytes(&std::fs::read(&path).expect("read"), "cv").expect("read");
    let cycle = rec.column(&Channel::CycleIndex).expect("cycle").values.to_f64();
    assert_eq!((cycle[0], cycle[49]), (1.0, 5.0));
    let ts = rec.time_series().expect("time series");
    assert_eq!(ts.cycle().map(<[u32]>::len), Some(50));
}

/// Truncated copies end in a partial row (an error naming the line) or at a row boundary; a cut
/// inside the header is an error. Never a panic.
#[test]
fn truncated_dta_files_never_panic() {
    let mut rng = spelab_testkit::Rng::new(7);
    for file in FILES {
        let Some(path) = shared_data(&format!("instruments/gamry/{file}")) else { return };
        let bytes = std::fs::read(&path).expect("read");
        for _ in 0..10 {
            let cut = (rng.uniform() * bytes.len() as f64) as usize;
            let _ = read_bytes(&bytes[..cut], file);
        }
    }
}

/// The repository's own copies (MIT, see tests/data/gamry/README.md): run without the shared corpus.
#[test]
fn repository_fixtures_read_without_shared_data() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gamry");
    let cv = spelab_io::read_path(&dir.join("cv_data.dta")).expect("cv");
    assert_eq!(cv.rows(), 50);
    // First row of CURVE1 (gamry-parser 0.4.6): T 0.1 s, Vf 0.49 V, Im 7.80498e-09 A.
    assert_eq!(raw(&cv, "T", 0), Some(0.1));
    assert_eq!(raw(&cv, "Vf", 0), Some(0.49));
    assert_eq!(raw(&cv, "Im", 0), Some(7.80498e-09));
    let eis = spelab_io::read_path(&dir.join("eispot_data_curveaborted.dta")).expect("eis");
    let s = eis.impedance_spectrum().expect("spectrum");
    assert_eq!(s.len(), 5);
    // Last point (impedance.py 1.7.1): 100 Hz, 226.2954 - 6.136346j Ω.
    assert_eq!((s.frequency()[4], s.real()[4], s.imag()[4]), (100.0, 226.2954, -6.136346));
    assert!(eis.warnings.iter().any(|w| w.contains("aborted")));
}
