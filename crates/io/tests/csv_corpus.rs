//! Cycler CSV exports (Arbin, Neware BTSDA, Landt) and BDF CSV of the shared corpus against their
//! ground truth (`expected/<file>.json`). Tolerance 1e-6 relative: BEEP returns Arbin values rounded
//! to f32 (7 significant digits, e.g. step time 0.7229999899864197 for "0.723"); the other readers
//! parse the same decimal text as spelab.

use serde_json::Value;
use spelab_io::{read_bytes, Channel, Recording};
use spelab_testkit::{assert_close, shared_data};

const REL_TOL: f64 = 1e-6;

fn load(path: &str) -> Option<(Recording, Value)> {
    let file = path.rsplit('/').next().expect("name");
    let data = shared_data(&format!("instruments/{path}"))?;
    let json = shared_data(&format!("instruments/expected/{file}.json"))?;
    let json: Value = serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("parse");
    let rec = read_bytes(&std::fs::read(&data).expect("read"), file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rec.rows() as u64, json["expected_rows"].as_u64().expect("rows"), "{file}: rows");
    Some((rec, json))
}

fn get(rec: &Recording, channel: Channel, row: usize) -> f64 {
    rec.column(&channel)
        .unwrap_or_else(|| panic!("{}: no {}", rec.source(), channel.name()))
        .values
        .get(row)
        .expect("row")
}

/// Compares rows 0, 1 and the last with a reference reader's `first_rows` / `last_row`, for the
/// given (reference key, channel, factor from the reference unit to SI, offset) list.
fn compare(rec: &Recording, reader: &Value, keys: &[(&str, Channel, f64, f64)]) {
    let last = rec.rows() - 1;
    for (row, v) in
        [(0, &reader["first_rows"][0]), (1, &reader["first_rows"][1]), (last, &reader["last_row"])]
    {
        for (key, channel, scale, offset) in keys {
            let e = match &v[*key] {
                Value::String(s) => s.parse::<f64>().unwrap_or_else(|_| panic!("{key}: {s}")),
                other => match other.as_f64() {
                    Some(x) => x,
                    None => continue, // null: an empty cell
                },
            };
            let got = get(rec, channel.clone(), row);
            assert_close(got, e * scale + offset, REL_TOL, &format!("{} row {row} {key}", rec.source()));
        }
    }
}

#[test]
fn arbin_csv_matches_beep() {
    for path in ["arbin/arbin_example.csv", "arbin/2017-05-09_test-TC-contact_CH33.csv"] {
        let Some((rec, json)) = load(path) else { return };
        compare(
            &rec,
            &json["readers"]["beep_2026.2.7"],
            &[
                ("test_time", Channel::Time, 1.0, 0.0),
                ("current", Channel::Current, 1.0, 0.0),
                ("voltage", Channel::Voltage, 1.0, 0.0),
                ("charge_capacity", Channel::ChargeCapacity, 3600.0, 0.0),
                ("discharge_capacity", Channel::DischargeCapacity, 3600.0, 0.0),
                ("temperature", Channel::Temperature, 1.0, 273.15),
                ("step_time", Channel::StepTime, 1.0, 0.0),
                ("cycle_index", Channel::CycleIndex, 1.0, 0.0),
                ("step_index", Channel::StepIndex, 1.0, 0.0),
            ],
        );
    }
}

#[test]
fn neware_btsda_csv_matches_cellpy() {
    let Some((rec, json)) = load("neware/neware_uio.csv") else { return };
    compare(
        &rec,
        &json["readers"]["cellpy_1.0.3"],
        &[
            ("test_time", Channel::Time, 1.0, 0.0),
            ("step_time", Channel::StepTime, 1.0, 0.0),
            ("current", Channel::Current, 1.0, 0.0),
            ("voltage", Channel::Voltage, 1.0, 0.0),
            ("charge_capacity", Channel::ChargeCapacity, 3600.0, 0.0),
            ("cycle_index", Channel::CycleIndex, 1.0, 0.0),
            ("step_index", Channel::StepIndex, 1.0, 0.0),
        ],
    );
    // cellpy's discharge capacity on the last row (0.00331516 Ah) is its own per-cycle carry-over; the
    // file's "DChg. Cap.(Ah)" cell on that row (a charge step) is 0.00000000, which spelab keeps.
    assert_eq!(get(&rec, Channel::DischargeCapacity, rec.rows() - 1), 0.0);
    // "Cumulative Time" passes 24 h as "24:01:00" (hours keep counting).
    let t = rec.column(&Channel::Time).expect("t").values.to_f64();
    assert!(t.windows(2).all(|w| w[1] >= w[0]), "test time never decreases");
}

/// The Landt export and the BDF file the BDF project made from it hold the same numbers.
#[test]
fn landt_csv_and_its_bdf_conversion_agree_with_batterydf() {
    let keys = [
        ("Test Time / s", Channel::Time, 1.0, 0.0),
        ("Voltage / V", Channel::Voltage, 1.0, 0.0),
        ("Current / A", Channel::Current, 1.0, 0.0),
        ("Step Index / 1", Channel::StepIndex, 1.0, 0.0),
        ("Discharging Capacity / Ah", Channel::DischargeCapacity, 3600.0, 0.0),
        ("Charging Capacity / Ah", Channel::ChargeCapacity, 3600.0, 0.0),
    ];
    let (Some((landt, lj)), Some((bdf, bj))) = (
        load("landt/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"),
        load("bdf/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"),
    ) else {
        return;
    };
    compare(&landt, &lj["readers"]["batterydf_0.1.0"], &keys);
    compare(&bdf, &bj["readers"]["batterydf_0.1.0"], &keys);
    for channel in [Channel::Time, Channel::Voltage, Channel::Current] {
        assert_eq!(landt.column(&channel).expect("l").values, bdf.column(&channel).expect("b").values);
    }
}

/// `Test Time / h` is converted to seconds (cellpy agrees: 0.138888888888889 h = 500 s).
#[test]
fn bdf_with_non_canonical_units_is_converted() {
    let Some((rec, json)) = load("bdf/batmo_bdf.csv") else { return };
    let r = &json["readers"]["cellpy_1.0.3"];
    compare(
        &rec,
        r,
        &[
            ("test_time", Channel::Time, 1.0, 0.0),
            ("voltage", Channel::Voltage, 1.0, 0.0),
            ("cycle_index", Channel::CycleIndex, 1.0, 0.0),
        ],
    );
    // cellpy flips the sign of the current; the file (BDF: positive = charge) says +0.00605 A.
    assert_close(
        get(&rec, Channel::Current, 0),
        -r["first_rows"][0]["current"].as_f64().expect("i"),
        REL_TOL,
        "I",
    );
}

#[test]
fn arbin_metadata_sidecar_becomes_metadata() {
    let Some((rec, _)) = load("arbin/2017-05-09_test-TC-contact_CH33_Metadata.csv") else { return };
    assert_eq!(
        rec.metadata.extra.get("schedule_file_name").map(String::as_str),
        Some("20170509-6C_1C_36CV.sdu")
    );
}

/// A BioLogic GCPL file written as BDF and read back gives the same time, voltage, current and
/// cycle numbers (capacities go C → Ah → C: 1e-15 relative).
#[test]
fn bdf_written_from_an_mpr_reads_back() {
    let Some(path) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    let rec = spelab_io::read_path(&path).expect("read");
    let text = spelab_io::export::to_bdf_csv(&rec).expect("bdf");
    assert!(
        text.starts_with("Test Time / s,Voltage / V,Current / A,Cycle Count / 1,Step Index / 1,"),
        "{}",
        &text[..120]
    );
    let back = read_bytes(text.as_bytes(), "x.bdf.csv").expect("read back");
    assert_eq!(back.format, spelab_io::Format::BdfCsv);
    assert_eq!(back.rows(), rec.rows());
    for c in [Channel::Time, Channel::Voltage, Channel::Current, Channel::CycleIndex, Channel::StepIndex] {
        assert_eq!(back.column(&c).expect("c").values, rec.column(&c).expect("c").values, "{}", c.name());
    }
    let (a, b) =
        (rec.column(&Channel::ChargeCapacity).expect("q"), back.column(&Channel::ChargeCapacity).expect("q"));
    for (x, y) in a.values.to_f64().iter().zip(b.values.to_f64()) {
        assert!((x - y).abs() <= 1e-15 * x.abs(), "{x} vs {y}");
    }
    // Without a current column BDF cannot be written.
    let Some(ocv) = shared_data("instruments/biologic/ocv.mpr") else { return };
    let e = spelab_io::export::to_bdf_csv(&spelab_io::read_path(&ocv).expect("read")).unwrap_err();
    assert!(e.to_string().contains("BDF"), "{e}");
}
