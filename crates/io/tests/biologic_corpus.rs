//! Every BioLogic file of the shared corpus read and compared with its ground truth
//! (`shared/data/instruments/expected/<file>.json`): row count, first two rows, last row, min and max
//! of every column the reference reader reports.
//!
//! Reference readers: galvani 0.5.0 for `.mpr` (datalab-org-galvani 0.6.0 where galvani fails) and
//! galvani 0.5.0 on a CRLF copy for `.mpt`; all readers that succeed agree on these files (README).
//! Tolerance: 1e-6 relative. The `.mpr` values are the stored f4/f8 numbers, so they match exactly up
//! to the SI scaling round trip (~1e-16); the `.mpt` values are the exported text, which the reference
//! parsed from the same text.

use std::path::PathBuf;

use serde_json::Value;
use spelab_io::biologic::labels::resolve;
use spelab_io::{read_bytes, Recording};
use spelab_testkit::{shared_data, Rng};

const MPR: [&str; 14] = [
    "ca.issue_149.mpr",
    "ca.mpr",
    "cp.mpr",
    "cv.mpr",
    "gcpl.issue_149.mpr",
    "gcpl.mpr",
    "geis.issue_149.mpr",
    "jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr",
    "lsv.issue_195.mpr",
    "lsv.mpr",
    "mb.issue_95.mpr",
    "ocv.mpr",
    "peis.issue_149.mpr",
    "peis.mpr",
];

const MPT: [&str; 13] = [
    "ca.issue_149.mpt",
    "ca.mpt",
    "cp.mpt",
    "cv.mpt",
    "gcpl.issue_149.mpt",
    "geis.issue_149.mpt",
    "lsv.issue_195.mpt",
    "lsv.mpt",
    "mb.issue_95.de.mpt",
    "mb.issue_95.mpt",
    "ocv.mpt",
    "peis.issue_149.mpt",
    "peis.mpt",
];

/// Relative tolerance for values (see the module docs for why 1e-6 is ample).
const REL_TOL: f64 = 1e-6;

fn load(file: &str) -> Option<(PathBuf, Vec<u8>, Value)> {
    let path = shared_data(&format!("instruments/biologic/{file}"))?;
    let expected = shared_data(&format!("instruments/expected/{file}.json"))?;
    let bytes = std::fs::read(&path).expect("read corpus file");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(expected).expect("read json")).expect("json");
    Some((path, bytes, json))
}

/// The SI column and value for a reference reader's key and value, or `None` for keys with no single
/// column (galvani's packed "flags").
fn si_of(rec: &Recording, key: &str) -> Option<(String, f64, f64, bool)> {
    if key == "flags" {
        return None;
    }
    // galvani calls ID 185/441 "<Ecv>/V"; the .mpt export calls it "<Ece>/V".
    let key = if key == "<Ecv>/V" { "<Ece>/V" } else { key };
    let r = resolve(key);
    let column = rec.columns.iter().find(|c| c.channel == r.channel && !c.derived).unwrap_or_else(|| {
        panic!("{}: no column for reference key {key:?} ({})", rec.source(), r.channel.name())
    });
    Some((column.name().to_string(), r.scale, r.offset, r.integer))
}

/// A JSON number, or a boolean flag as 0 / 1.
fn num(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_bool().map(|b| f64::from(u8::from(b))))
}

fn check_value(rec: &Recording, key: &str, row: usize, expected: &Value, what: &str) {
    let Some((name, scale, offset, integer)) = si_of(rec, key) else { return };
    let Some(e) = num(expected) else { return };
    let column = rec.column_named(&name).expect("column");
    let got = column.values.get(row).expect("row in range");
    let e_si = if integer { e } else { e * scale + offset };
    let err = (got - e_si).abs();
    assert!(
        err <= REL_TOL * e_si.abs() || err == 0.0,
        "{}: {what} row {row} column {key:?} ({name}): got {got:e}, expected {e_si:e}",
        rec.source()
    );
}

fn compare_with_reference(rec: &Recording, reference: &Value, expected_rows: u64) {
    assert_eq!(rec.rows() as u64, expected_rows, "{}: row count", rec.source());
    assert_eq!(reference["n_rows"].as_u64(), Some(expected_rows));
    let rows = rec.rows();
    for (i, first) in reference["first_rows"].as_array().expect("first_rows").iter().enumerate() {
        for (key, v) in first.as_object().expect("row") {
            check_value(rec, key, i, v, "first rows");
        }
    }
    for (key, v) in reference["last_row"].as_object().expect("last_row") {
        check_value(rec, key, rows - 1, v, "last row");
    }
    for (key, stats) in reference["stats"].as_object().expect("stats") {
        let Some((name, scale, offset, integer)) = si_of(rec, key) else { continue };
        let values = rec.column_named(&name).expect("column").values.to_f64();
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // A negative scale (−Im(Z) → Z'') swaps min and max.
        let (lo, hi) = if scale < 0.0 { ("max", "min") } else { ("min", "max") };
        for (got, which) in [(min, lo), (max, hi)] {
            let Some(e) = num(&stats[which]) else {
                panic!("{}: stat {which} of {key:?} is {}", rec.source(), stats[which])
            };
            let e_si = if integer { e } else { e * scale + offset };
            let err = (got - e_si).abs();
            assert!(
                err <= REL_TOL * e_si.abs() || err == 0.0,
                "{}: {which} of {key:?}: got {got:e}, expected {e_si:e}",
                rec.source()
            );
        }
    }
}

#[test]
fn every_mpr_matches_the_reference_reader() {
    for file in MPR {
        let Some((path, bytes, json)) = load(file) else { return };
        let rec = read_bytes(&bytes, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let readers = &json["readers"];
        let reference = if readers["galvani_0.5.0"]["ok"] == Value::Bool(true) {
            &readers["galvani_0.5.0"]
        } else {
            &readers["datalab-org-galvani_0.6.0"]
        };
        compare_with_reference(&rec, reference, json["expected_rows"].as_u64().expect("rows"));
        // Start time and EC-Lab version from the LOG module equal the independent raw scan.
        let scan = &readers["raw_scan_mpr_layout"]["modules"];
        let log = scan.as_array().expect("modules").iter().find(|m| m["name"] == "VMP LOG").expect("log");
        assert_eq!(
            rec.metadata.extra.get("ec_lab_version").map(String::as_str),
            log["ec_lab_version"].as_str()
        );
        assert!(rec.metadata.start_time.is_some(), "{file}: start time");
        let columns = scan.as_array().expect("m").iter().find(|m| m["name"] == "VMP data").expect("data")
            ["column_ids_u16"]
            .as_array()
            .expect("ids")
            .len();
        let flags = rec.columns.iter().filter(|c| !c.derived).count();
        assert_eq!(flags, columns, "{file}: one spelab column per stored column ID");
    }
}

#[test]
fn every_mpt_matches_the_reference_reader() {
    for file in MPT {
        let Some((path, bytes, json)) = load(file) else { return };
        let rec = read_bytes(&bytes, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let reference = &json["readers"]["galvani_0.5.0_crlf"];
        compare_with_reference(&rec, reference, json["expected_rows"].as_u64().expect("rows"));
        // EC-Lab writes CRLF; the corpus copies have LF. Both must read the same.
        // Byte-wise, so Windows-1252 bytes stay as they are.
        let mut crlf_bytes = Vec::with_capacity(bytes.len() + bytes.len() / 20);
        for &b in &bytes {
            if b == b'\n' {
                crlf_bytes.push(b'\r');
            }
            crlf_bytes.push(b);
        }
        let again = read_bytes(&crlf_bytes, &path.display().to_string()).expect("crlf copy");
        assert_eq!(again.columns, rec.columns, "{file}: CRLF and LF copies differ");
    }
}

/// The German-locale export (decimal commas, one more header line) gives the same numbers as the
/// English one.
#[test]
fn decimal_comma_export_equals_decimal_point_export() {
    let (Some((_, de, _)), Some((_, en, _))) = (load("mb.issue_95.de.mpt"), load("mb.issue_95.mpt")) else {
        return;
    };
    let de = read_bytes(&de, "de").expect("de");
    let en = read_bytes(&en, "en").expect("en");
    assert_eq!(de.rows(), 33);
    for (a, b) in de.columns.iter().zip(&en.columns) {
        assert_eq!(a.values, b.values, "column {}", a.name());
    }
}

/// The `.mpr` and its `.mpt` export hold the same stored columns; what spelab derives (GCPL current
/// from dq/dt, control voltage / current from control/V/mA and the mode) equals EC-Lab's export.
#[test]
fn mpr_equals_its_mpt_export_including_derived_columns() {
    for stem in [
        "ca.issue_149",
        "ca",
        "cp",
        "cv",
        "gcpl.issue_149",
        "geis.issue_149",
        "lsv.issue_195",
        "lsv",
        "mb.issue_95",
        "ocv",
        "peis.issue_149",
        "peis",
    ] {
        let (Some((_, mpr, _)), Some((_, mpt, _))) =
            (load(&format!("{stem}.mpr")), load(&format!("{stem}.mpt")))
        else {
            return;
        };
        let mpr = read_bytes(&mpr, stem).expect("mpr");
        let mpt = read_bytes(&mpt, stem).expect("mpt");
        assert_eq!(mpr.rows(), mpt.rows(), "{stem}");
        let mut compared = Vec::new();
        for a in &mpr.columns {
            let Some(b) = mpt.column_named(a.name()) else { continue };
            let (x, y) = (a.values.to_f64(), b.values.to_f64());
            let peak = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            // EIS quality indicators: EC-Lab exports -1 (THD, NSD, NSR) or 0 (harmonics) for points where
            // they are not valid (the first points of a sweep); the .mpr keeps the raw number.
            let quality =
                ["thd_", "nsd_", "nsr_"].iter().any(|p| a.name().starts_with(p)) || a.name().contains("_h");
            for (i, (p, q)) in x.iter().zip(&y).enumerate() {
                if quality && (*q == -0.01 || *q == 0.0) {
                    continue;
                }
                // The export prints 8 significant digits (f4 columns) or 16 (f8); 1e-6 of the value or
                // of the column's largest magnitude covers both and the derived-column arithmetic.
                let tol = 1e-6 * p.abs().max(1e-3 * peak);
                assert!(
                    (p - q).abs() <= tol,
                    "{stem}: column {} row {i}: mpr {p:e} vs mpt {q:e} (derived: {})",
                    a.name(),
                    a.derived
                );
            }
            compared.push(a.name().to_string());
        }
        assert!(compared.len() >= 3, "{stem}: only {compared:?} in common");
        if stem == "gcpl.issue_149" {
            // Every column spelab derives was compared with EC-Lab's own export.
            for name in [
                "current",
                "cycle_index",
                "charge_capacity",
                "discharge_capacity",
                "capacity",
                "control_voltage",
                "control_current",
            ] {
                assert!(compared.iter().any(|c| c == name), "{stem}: derived {name} not compared");
            }
        }
    }
}

/// Truncated copies of every `.mpr` (cut at 10 seeded offsets each) are errors naming the file, never
/// a panic and never fewer rows presented as the whole file.
#[test]
fn truncated_mpr_files_are_errors_never_short_tables() {
    let mut rng = Rng::new(20_261_129);
    for file in MPR {
        let Some((_, bytes, json)) = load(file) else { return };
        let rows = json["expected_rows"].as_u64().expect("rows") as usize;
        for _ in 0..10 {
            let cut = (rng.uniform() * bytes.len() as f64) as usize;
            match read_bytes(&bytes[..cut], file) {
                Err(e) => {
                    let text = e.to_string();
                    assert!(
                        text.starts_with(file),
                        "{file} cut at {cut}: error does not name the file: {text}"
                    );
                }
                // Only a cut exactly between two modules after the data module can read, and then
                // every row is there.
                Ok(rec) => assert_eq!(rec.rows(), rows, "{file} cut at {cut}: short table without error"),
            }
        }
    }
}
