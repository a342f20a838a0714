//! Maccor text exports of the shared corpus against their ground truth (`expected/<file>.json`).
//! Values are parsed from the same decimal text as the reference readers, so 1e-9 relative covers
//! the unit scaling round trip.

use serde_json::Value;
use spelab_io::{read_bytes, Channel, Recording};
use spelab_testkit::{assert_close, shared_data};

const REL_TOL: f64 = 1e-9;

fn load(file: &str) -> Option<(Recording, Value)> {
    let path = shared_data(&format!("instruments/maccor/{file}"))?;
    let json = shared_data(&format!("instruments/expected/{file}.json"))?;
    let json: Value = serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("parse");
    let rec = read_bytes(&std::fs::read(&path).expect("read"), file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rec.rows() as u64, json["expected_rows"].as_u64().expect("rows"), "{file}: rows");
    Some((rec, json))
}

fn value(rec: &Recording, channel: Channel, row: usize) -> f64 {
    rec.column(&channel).unwrap_or_else(|| panic!("no {}", channel.name())).values.get(row).expect("row")
}

/// Dialect 1 (`Test (Min)`): battery-data-toolkit 0.4.6 gives test time in seconds.
#[test]
fn minutes_dialect_matches_battery_data_toolkit() {
    for file in ["maccor_example.001", "maccor_example.002"] {
        let Some((rec, json)) = load(file) else { return };
        let r = &json["readers"]["battery-data-toolkit_0.4.6"];
        let last = rec.rows() - 1;
        for (row, v) in [(0, &r["first_rows"][0]), (1, &r["first_rows"][1]), (last, &r["last_row"])] {
            // bdt's 10.001999999999999 s is 0.1667 min x 60 as binary floats: 1e-9 holds.
            assert_close(value(&rec, Channel::Time, row), v["test_time"].as_f64().expect("t"), REL_TOL, file);
            assert_close(
                value(&rec, Channel::Voltage, row),
                v["voltage"].as_f64().expect("v"),
                REL_TOL,
                file,
            );
            assert_eq!(value(&rec, Channel::Current, row), v["current"].as_f64().expect("i"));
        }
    }
}

/// Dialect 2 (`0d 00:00:10.0000` durations, `FRA` states): no reference library reads it; the
/// raw TSV scan is the truth.
#[test]
fn duration_dialect_matches_the_raw_scan() {
    let Some((rec, json)) = load("maccor_test_file_4267-66-6519.041") else { return };
    let scan = &json["readers"]["raw_scan_maccor_tsv"];
    let last = rec.rows() - 1;
    for (row, v) in [(0, &scan["first_row"]), (last, &scan["last_row"])] {
        let volts: f64 = v["Volts"].as_str().expect("volts").parse().expect("number");
        assert_eq!(value(&rec, Channel::Voltage, row), volts);
    }
    assert_eq!(value(&rec, Channel::Time, last), 10.0); // "0d 00:00:10.0000"
    let state = rec.column_named("state").expect("state").values.to_f64();
    assert_eq!(state.iter().filter(|&&s| s == 6.0).count(), 61, "61 FRA records");
}

/// Dialect 3 (KIT, decimal commas, TestTime in minutes, cut last record).
#[test]
fn kit_dialect_matches_cellpy_with_minutes_as_minutes() {
    let Some((rec, json)) = load("maccor_two.txt") else { return };
    let r = &json["readers"]["cellpy_1.0.3_model_two"];
    let last = rec.rows() - 1;
    for (row, v) in [(0, &r["first_rows"][0]), (1, &r["first_rows"][1]), (last, &r["last_row"])] {
        assert_close(
            value(&rec, Channel::Voltage, row),
            v["voltage"].as_f64().expect("v"),
            REL_TOL,
            "voltage",
        );
        // cellpy labels TestTime seconds, but it counts minutes (expected/maccor_two.txt.json notes:
        // the DPT Time wall clock advances 60 s per 1.0): spelab follows the instrument's clock.
        assert_eq!(value(&rec, Channel::Time, row), v["test_time"].as_f64().expect("t") * 60.0);
        assert_eq!(value(&rec, Channel::CycleIndex, row), v["cycle_index"].as_f64().expect("c"));
        assert_eq!(value(&rec, Channel::StepIndex, row), v["step_index"].as_f64().expect("s"));
    }
    let clock = rec.column_named("wall_clock").expect("clock").values.to_f64();
    assert_eq!(clock[1] - clock[0], 60.0, "one TestTime unit = 60 s of wall clock");
    assert_eq!(rec.metadata.extra.get("truncated_last_record").map(String::as_str), Some("229"));
    assert!(rec.warnings.iter().any(|w| w.contains("cut")));
    assert_eq!(rec.metadata.start_time.as_deref(), Some("2021-06-05T11:23:46"));
}
