//! Arbin `.res` files (Access / Jet 4) of the shared corpus against galvani 0.5.0's `res2sqlite`
//! (mdbtools `mdb-export`) in `expected/<file>.res.json`: row counts, first two rows, last row, min /
//! max of every column. Tolerance 1e-6 relative (mdbtools prints Arbin's f32 columns with 7 to 8
//! significant digits; spelab widens the stored f32 exactly); `DateTime` (OLE days) is compared as
//! Unix seconds to 1 ms absolute. Plus truncated copies (10 seeded cuts each), which must be errors
//! naming the file and the byte offset.

use serde_json::Value;
use spelab_io::arbin_res::ole_date_to_unix_s;
use spelab_io::{read_bytes, Channel, Format, Recording};
use spelab_testkit::{assert_close, shared_data, Rng};

const REL_TOL: f64 = 1e-6;
const FILES: [&str; 2] = ["arbin_example.res", "20160805_test001_45_cc_01.res"];
const GALVANI: &str = "galvani_0.5.0_res2sqlite";

/// (galvani key, spelab channel name, factor from the Arbin unit to SI).
const KEYS: [(&str, &str, f64); 10] = [
    ("Test_ID", "test_id", 1.0),
    ("Data_Point", "data_point", 1.0),
    ("Test_Time", "time", 1.0),
    ("Step_Time", "step_time", 1.0),
    ("Step_Index", "step_index", 1.0),
    ("Cycle_Index", "cycle_index", 1.0),
    ("Current", "current", 1.0),
    ("Voltage", "voltage", 1.0),
    ("Charge_Capacity", "charge_capacity", 3600.0),
    ("Discharge_Capacity", "discharge_capacity", 3600.0),
];

fn load(file: &str) -> Option<(Vec<u8>, Value)> {
    let data = shared_data(&format!("instruments/arbin/{file}"))?;
    let json = shared_data(&format!("instruments/expected/{file}.json"))?;
    let json: Value = serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("parse");
    Some((std::fs::read(data).expect("read"), json))
}

fn column(rec: &Recording, name: &str) -> Vec<f64> {
    rec.column_named(name).unwrap_or_else(|| panic!("{}: no {name}", rec.source())).values.to_f64()
}

fn close(got: f64, expected: f64, what: &str) {
    if expected == 0.0 {
        assert!(got.abs() < 1e-12, "{what}: got {got}, expected 0");
    } else {
        assert_close(got, expected, REL_TOL, what);
    }
}

#[test]
fn res_files_match_galvani_rows_and_statistics() {
    for file in FILES {
        let Some((bytes, json)) = load(file) else { return };
        let rec = read_bytes(&bytes, file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rec.format, Format::ArbinRes);
        let rows = json["expected_rows"].as_u64().expect("rows") as usize;
        assert_eq!(rec.rows(), rows, "{file}: rows");
        assert!(rec.warnings.is_empty(), "{file}: {:?}", rec.warnings);
        let g = &json["readers"][GALVANI];
        assert_eq!(g["n_rows"].as_u64(), Some(rows as u64));
        let last = rows - 1;
        for (row, expected) in [(0, &g["first_rows"][0]), (1, &g["first_rows"][1]), (last, &g["last_row"])] {
            for (key, name, scale) in KEYS {
                let e = expected[key].as_f64().unwrap_or_else(|| panic!("{file}: {key}"));
                close(column(&rec, name)[row], e * scale, &format!("{file} row {row} {key}"));
            }
            let e = ole_date_to_unix_s(expected["DateTime"].as_f64().expect("DateTime"));
            let got = column(&rec, "unix_time")[row];
            assert!((got - e).abs() < 1e-3, "{file} row {row} DateTime: {got} vs {e}");
        }
        for (key, name, scale) in KEYS {
            let values = column(&rec, name);
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            close(min, g["stats"][key]["min"].as_f64().expect("min") * scale, &format!("{file} min {key}"));
            close(max, g["stats"][key]["max"].as_f64().expect("max") * scale, &format!("{file} max {key}"));
        }
        // Data points are 1..=rows in order (no row lost or repeated).
        let points = column(&rec, "data_point");
        assert!(points.iter().enumerate().all(|(i, &p)| p == (i + 1) as f64), "{file}: data points");
    }
}

/// cellpy 1.0.3 reads the same values (a second, independent mdbtools user).
#[test]
fn res_files_agree_with_cellpy_last_rows() {
    for file in FILES {
        let Some((bytes, json)) = load(file) else { return };
        let rec = read_bytes(&bytes, file).unwrap_or_else(|e| panic!("{e}"));
        let c = &json["readers"]["cellpy_1.0.3"]["last_row"];
        let last = rec.rows() - 1;
        for (key, name, scale) in [
            ("test_time", "time", 1.0),
            ("step_time", "step_time", 1.0),
            ("current", "current", 1.0),
            ("voltage", "voltage", 1.0),
            ("charge_capacity", "charge_capacity", 3600.0),
            ("discharge_capacity", "discharge_capacity", 3600.0),
        ] {
            let e = c[key].as_f64().unwrap_or_else(|| panic!("{file}: cellpy {key}"));
            close(column(&rec, name)[last], e * scale, &format!("{file} cellpy last {key}"));
        }
    }
}

#[test]
fn global_table_becomes_metadata() {
    let Some((bytes, _)) = load("20160805_test001_45_cc_01.res") else { return };
    let rec = read_bytes(&bytes, "cc.res").expect("read");
    let m = &rec.metadata;
    // Start_DateTime 42587.67804398148 (OLE days) = 2016-08-05 16:16:23 on the instrument PC's clock.
    assert_eq!(m.start_time.as_deref(), Some("2016-08-05T16:16:23"));
    assert_eq!(m.extra.get("test_name").map(String::as_str), Some("20160805_sic006_45_cc_01-01-003"));
    assert_eq!(m.extra.get("channel_index").map(String::as_str), Some("3"));
    assert_eq!(m.extra.get("mass_g").map(String::as_str), Some("0.000852838"));
    assert_close(m.active_mass.expect("mass"), 0.000852838e-3, 1e-12, "active mass [kg]");
    assert_eq!(rec.version.as_deref(), Some("Results File 5.26, Jet4"));
    assert_eq!(m.instrument.as_deref(), Some("Arbin MITS"));
}

/// Cut copies (10 seeded offsets each) are errors naming the file and a byte offset: the page-size
/// check catches cuts inside a page; the table's page list and TDEF row count catch the rest.
#[test]
fn truncated_res_files_are_errors_naming_the_offset() {
    let mut rng = Rng::new(3);
    for file in FILES {
        let Some((bytes, _)) = load(file) else { return };
        for _ in 0..10 {
            let cut = (rng.uniform() * bytes.len() as f64) as usize;
            let e = match read_bytes(&bytes[..cut], file) {
                Err(e) => e.to_string(),
                Ok(rec) => panic!("{file} cut at {cut}: read {} rows without an error", rec.rows()),
            };
            assert!(e.starts_with(&format!("{file}: ")) && e.contains("byte "), "{file} cut at {cut}: {e}");
        }
        // Cuts at page boundaries inside the data pages (no partial page for the length check).
        for pages in [1, 2, 20, bytes.len() / 4096 - 1] {
            let cut = pages * 4096;
            let e = read_bytes(&bytes[..cut], file).map(|r| r.rows()).unwrap_err().to_string();
            assert!(e.starts_with(&format!("{file}: ")) && e.contains("byte"), "{file} cut at {cut}: {e}");
        }
    }
}

/// The repository's own copy (MIT, tests/data/arbin/README.md): runs without the shared corpus.
#[test]
fn repository_fixture_reads_without_shared_data() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/arbin/arbin_example.res");
    let bytes = std::fs::read(&path).expect("fixture");
    let rec = spelab_io::arbin_res::read_res_from(&bytes[..], "arbin_example.res").expect("read");
    assert_eq!(rec.rows(), 2150);
    assert_eq!(rec.column(&Channel::Voltage).expect("V").source, "Voltage");
    // Row 1 (mdbtools): Test_Time 0.072595419795086 s, Voltage 3.8591957 V (an f32, widened exactly).
    close(column(&rec, "time")[0], 0.072595419795086, "t0");
    assert_eq!(column(&rec, "voltage")[0], f64::from(3.859_195_7_f32));
    assert_eq!(rec.metadata.start_time.as_deref(), Some("2023-07-24T18:50:00"));
    let e = read_bytes(&bytes[..bytes.len() - 100], "cut.res").unwrap_err().to_string();
    assert!(e.starts_with("cut.res: truncated at byte 528384: Jet page 129"), "{e}");
}

/// Seeded byte flips in the repository fixture (header, catalog and data pages alike) give Ok with
/// equal-length columns or an error naming the file, never a panic (jetdb runs under catch_unwind).
#[test]
fn mutated_res_files_never_panic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/arbin/arbin_example.res");
    let bytes = std::fs::read(&path).expect("fixture");
    let mut rng = Rng::new(7);
    for round in 0..60 {
        let mut copy = bytes.clone();
        // Half the rounds hit the first 16 pages (header, catalog, table definitions).
        let span = if round % 2 == 0 { 16 * 4096 } else { copy.len() };
        for _ in 0..1 + (rng.uniform() * 16.0) as usize {
            let at = (rng.uniform() * span as f64) as usize;
            copy[at] = (rng.next_u64() & 0xFF) as u8;
        }
        match read_bytes(&copy, "m.res") {
            Ok(rec) => assert!(rec.columns.iter().all(|c| c.values.len() == rec.rows()), "round {round}"),
            Err(e) => assert!(e.to_string().starts_with("m.res"), "round {round}: {e}"),
        }
    }
}
