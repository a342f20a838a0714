//! `.ndax` archives whose `.ndc` members are version 16 (BTSDA 8.x; not in the shared corpus) and
//! version 11 (`ndc11_constructed.ndax`: an ndc 16 sample rewritten into the ndc 11 layout by
//! `make_ndc11.py`, as no public ndc 11 file is known) and version 2 (`ndc2_scrubbed.ndax`, fastnda's
//! test file), against fastnda 1.3.1 on every row (`tests/data/neware/ndc_versions_fastnda.json`, made by
//! `gen_ndc_versions.py` there): voltage, current, step and test time, unix time, cycle and step
//! count, capacity and the aux voltage and temperature of `data_1.ndc`. Tolerance 1e-6 relative (f32
//! values), 1e-9 absolute near zero.

use serde_json::Value;
use spelab_io::{read_bytes, Channel, Recording};
use spelab_testkit::Rng;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/neware/");

fn golden() -> Value {
    let text = std::fs::read_to_string(format!("{DIR}ndc_versions_fastnda.json")).expect("read golden");
    serde_json::from_str(&text).expect("parse golden")
}

fn column(rec: &Recording, name: &str) -> Vec<f64> {
    rec.column_named(name).unwrap_or_else(|| panic!("no column {name}")).values.to_f64()
}

#[test]
fn ndc_2_11_16_archives_equal_fastnda_on_every_row() {
    let golden = golden();
    for (file, expected) in golden["files"].as_object().expect("files") {
        let bytes = std::fs::read(format!("{DIR}{file}")).expect("read");
        let rec = read_bytes(&bytes, file).unwrap_or_else(|e| panic!("{e}"));
        let version = format!("ndc version {}", file[3..].split('_').next().expect("version"));
        assert_eq!(rec.version.as_deref(), Some(version.as_str()), "{file}");
        assert_eq!(rec.rows() as u64, expected["rows"].as_u64().expect("rows"), "{file}");
        // (fastnda column, spelab column, factor from spelab's SI value to fastnda's unit, offset)
        let pairs: [(&str, &str, f64, f64); 10] = [
            ("voltage_V", "voltage", 1.0, 0.0),
            ("current_mA", "current", 1e3, 0.0),
            ("step_time_s", "step_time", 1.0, 0.0),
            ("total_time_s", "time", 1.0, 0.0),
            ("unix_time_s", "unix_time", 1.0, 0.0),
            ("cycle_count", "cycle_index", 1.0, 0.0),
            ("step_count", "step_index", 1.0, 0.0),
            ("index", "record", 1.0, 0.0),
            ("aux1_voltage_V", "aux1_voltage", 1.0, 0.0),
            ("aux1_temperature_degC", "temperature", 1.0, -273.15),
        ];
        for (theirs, ours, factor, offset) in pairs {
            let want = expected["columns"][theirs].as_array().unwrap_or_else(|| panic!("{theirs}"));
            let got = column(&rec, ours);
            assert_eq!(got.len(), want.len(), "{file} {ours}");
            for (row, (g, w)) in got.iter().zip(want).enumerate() {
                let (g, w) = (g * factor + offset, w.as_f64().expect("value"));
                let tol = (1e-6 * w.abs()).max(1e-9);
                assert!((g - w).abs() <= tol, "{file} row {row} {ours}: {g} vs fastnda {w}");
            }
        }
        // Capacity: fastnda's signed net capacity; spelab's charge minus discharge capacity [mAh].
        let q: Vec<f64> = column(&rec, "charge_capacity")
            .iter()
            .zip(column(&rec, "discharge_capacity"))
            .map(|(c, d)| (c - d) / 3.6)
            .collect();
        let want = expected["columns"]["capacity_mAh"].as_array().expect("capacity");
        for (row, (g, w)) in q.iter().zip(want).enumerate() {
            let w = w.as_f64().expect("value");
            assert!((g - w).abs() <= (1e-6 * w.abs()).max(1e-9), "{file} row {row} capacity: {g} vs {w}");
        }
    }
}

/// Cut copies of the ndc 16 archives are errors, never fewer rows without a word.
#[test]
fn truncated_ndc_2_11_16_archives_are_errors() {
    let mut rng = Rng::new(16);
    for file in
        ["ndc16_ZZZZZZZZTEST.ndax", "ndc16_46_1_5_60.ndax", "ndc11_constructed.ndax", "ndc2_scrubbed.ndax"]
    {
        let bytes = std::fs::read(format!("{DIR}{file}")).expect("read");
        let rows = read_bytes(&bytes, file).expect("read").rows();
        for _ in 0..40 {
            let cut = (rng.uniform() * bytes.len() as f64) as usize;
            if let Ok(rec) = read_bytes(&bytes[..cut], file) {
                assert_eq!(rec.rows(), rows, "{file} cut at {cut}");
            }
        }
        assert!(
            rows > 0 && read_bytes(&bytes, file).is_ok_and(|r| r.column(&Channel::Temperature).is_some())
        );
    }
}
