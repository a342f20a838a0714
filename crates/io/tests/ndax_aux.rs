//! `.ndax` auxiliary channels (data_AUX_*.ndc) of the shared corpus against fastnda 1.3.1: every aux
//! member's row count, first and last three values, min, max (1e-6 relative; both are f32 values, so
//! they agree to ~1e-13 after spelab's °C -> K -> °C) and sum (1e-9 relative) equal fastnda's, from
//! `tests/data/neware/ndax_aux_fastnda.json` (made by `gen_ndax_aux.py` there).
//!
//! Labels: spelab types each member by its file name (data_AUX_<RealChlID>_<ChlType - 100>_<n>.ndc,
//! equal to TestInfo.xml's entries on every corpus file); fastnda pairs the sorted members with
//! TestInfo.xml's entries in order, which on 20260302_IFE_BTS85_2_9_8_1.ndax labels the type-1122
//! member "voltage_V", the voltage member (all 0 V) "temperature_degC" and the temperature member
//! (25.6-27.0 °C) "?". The values are the same; the test checks spelab's labels separately.

use serde_json::Value;
use spelab_io::{read_bytes, Channel, Column, Recording};
use spelab_testkit::{assert_close, shared_data};

fn golden() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/neware/ndax_aux_fastnda.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read golden")).expect("parse golden")
}

/// The column read from aux member `member`, in the member's own unit (°C for temperatures).
fn aux_values<'a>(rec: &'a Recording, member: &str) -> (&'a Column, Vec<f64>) {
    let column = rec
        .columns
        .iter()
        .find(|c| c.source.starts_with(&format!("{member} ")))
        .unwrap_or_else(|| panic!("no column from {member}"));
    let raw = (0..column.values.len()).map(|i| column.raw(i).expect("row")).collect();
    (column, raw)
}

#[test]
fn aux_channels_equal_fastnda() {
    let golden = golden();
    for (file, expected) in golden["files"].as_object().expect("files") {
        let Some(path) = shared_data(&format!("instruments/neware/{file}")) else { return };
        let rec = read_bytes(&std::fs::read(path).expect("read"), file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rec.rows() as u64, expected["rows"].as_u64().expect("rows"), "{file}");
        assert!(!rec.warnings.iter().any(|w| w.contains("auxiliary")), "{file}: {:?}", rec.warnings);
        for aux in expected["aux"].as_array().expect("aux") {
            let member = aux["member"].as_str().expect("member");
            let what = |k: &str| format!("{file} {member} {k}");
            let (_, v) = aux_values(&rec, member);
            assert_eq!(v.len() as u64, aux["rows"].as_u64().expect("rows"), "{}", what("rows"));
            let n = v.len();
            let pairs = [(&v[..3], &aux["first"]), (&v[n - 3..], &aux["last"])];
            for (got, want) in pairs {
                for (g, w) in got.iter().zip(want.as_array().expect("values")) {
                    let w = w.as_f64().expect("value");
                    if w == 0.0 {
                        assert!(g.abs() < 1e-12, "{}: {g}", what("value"));
                    } else {
                        assert_close(*g, w, 1e-6, &what("value"));
                    }
                }
            }
            let min = v.iter().copied().fold(f64::INFINITY, f64::min);
            let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = v.iter().sum();
            for (got, key, tol) in [(min, "min", 1e-6), (max, "max", 1e-6), (sum, "sum", 1e-9)] {
                let want = aux[key].as_f64().expect("number");
                if want == 0.0 {
                    assert!(got.abs() < 1e-9, "{}: {got}", what(key));
                } else {
                    assert_close(got, want, tol, &what(key));
                }
            }
        }
    }
}

#[test]
fn aux_channels_are_typed_by_their_file_names() {
    let file = "20260302_IFE_BTS85_2_9_8_1.ndax";
    let Some(path) = shared_data(&format!("instruments/neware/{file}")) else { return };
    let rec = read_bytes(&std::fs::read(path).expect("read"), file).expect("read");
    let name = |member: &str| aux_values(&rec, member).0.channel.clone();
    assert_eq!(name("data_AUX_144_3_1.ndc"), Channel::Temperature);
    assert_eq!(name("data_AUX_144_2_1.ndc"), Channel::other("aux2 voltage", "V"));
    assert_eq!(name("data_AUX_1_1022_1.ndc"), Channel::other("aux1 type 1122", "1"));
    // Stored in K: 25.634 °C (first value) + 273.15.
    let t = rec.column(&Channel::Temperature).expect("temperature").values.get(0).expect("row");
    assert!((t - (25.633_996_963_500_977 + 273.15)).abs() < 1e-9, "{t}");
    let file = "123456789012_Unit27_Example_Data_File.ndax";
    let Some(path) = shared_data(&format!("instruments/neware/{file}")) else { return };
    let rec = read_bytes(&std::fs::read(path).expect("read"), file).expect("read");
    assert!(rec.column(&Channel::Temperature).expect("t").source.starts_with("data_AUX_9_3_1.ndc"));
    assert!(rec.column(&Channel::other("aux2 temperature", "K")).is_some());
}
