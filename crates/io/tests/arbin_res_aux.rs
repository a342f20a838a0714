//! Arbin `.res` auxiliary channels (`Auxiliary_Table` + `Aux_Global_Data_Table`) on cellpy's MIT
//! sample `aux_multi_x.res` (12 aux voltages, 8 thermocouples) against mdbtools' `mdb-export` joined
//! on (`Test_ID`, `Data_Point`) as cellpy does (`tests/data/arbin/aux_multi_x_mdbtools.json`).
//! Tolerance 1e-7 relative: mdb-export prints Arbin's f32 values with 8 significant digits, spelab
//! widens the stored f32 exactly; temperatures are compared after adding 273.15 K.

use serde_json::Value;
use spelab_io::{read_bytes, Recording};
use spelab_testkit::assert_close;

const REL_TOL: f64 = 1e-7;

fn data(file: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/arbin").join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn gunzip(gz: &[u8]) -> Vec<u8> {
    let n = u32::from_le_bytes(gz[gz.len() - 4..].try_into().expect("gzip size")) as usize;
    let mut out = vec![0u8; n];
    let got = libdeflater::Decompressor::new().gzip_decompress(gz, &mut out).expect("gunzip");
    assert_eq!(got, n);
    out
}

fn column(rec: &Recording, name: &str) -> Vec<f64> {
    rec.column_named(name).unwrap_or_else(|| panic!("no {name}")).values.to_f64()
}

#[test]
fn aux_channels_match_mdbtools() {
    let rec =
        read_bytes(&gunzip(&data("aux_multi_x.res.gz")), "aux_multi_x.res").unwrap_or_else(|e| panic!("{e}"));
    let json: Value = serde_json::from_slice(&data("aux_multi_x_mdbtools.json")).expect("reference JSON");
    assert_eq!(rec.rows(), json["rows"].as_u64().expect("rows") as usize);
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
    let channels = json["channels"].as_array().expect("channels");
    assert_eq!(channels.len(), 20);
    let mut first_temperature = true;
    let mut compared = 0;
    for ch in channels {
        let (index, kind) = (ch["index"].as_i64().unwrap(), ch["data_type"].as_i64().unwrap());
        let (name, offset) = match (kind, ch["unit"].as_str()) {
            (0, Some("V")) => (format!("aux{index}_voltage"), 0.0),
            (1, Some("C")) if first_temperature => {
                first_temperature = false;
                ("temperature".to_string(), 273.15)
            }
            (1, Some("C")) => (format!("aux{index}_temperature"), 273.15),
            other => panic!("unexpected channel {other:?}"),
        };
        let got = column(&rec, &name);
        let x = &ch["X"];
        // Every data row has a value (n = rows), so the column has no NaN.
        assert_eq!(x["n"].as_u64(), Some(rec.rows() as u64), "{name}");
        assert!(got.iter().all(|v| v.is_finite()), "{name}: NaN");
        let mut check = |row: &Value, what: &str| {
            let (i, v) = (row[0].as_u64().unwrap() as usize, row[1].as_f64().unwrap());
            assert_close(got[i], v + offset, REL_TOL, &format!("{name} {what} row {i}"));
            compared += 1;
        };
        check(&x["first"], "first");
        check(&x["last"], "last");
        for row in x["every_500th"].as_array().unwrap() {
            check(row, "sample");
        }
        let min = got.iter().copied().fold(f64::INFINITY, f64::min);
        let max = got.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert_close(min, x["min"].as_f64().unwrap() + offset, REL_TOL, &format!("{name} min"));
        assert_close(max, x["max"].as_f64().unwrap() + offset, REL_TOL, &format!("{name} max"));
        let sum: f64 = got.iter().map(|v| v - offset).sum();
        assert_close(sum, x["sum"].as_f64().unwrap(), 1e-6, &format!("{name} sum"));
    }
    assert!(compared >= 20 * 9, "{compared}");
}

#[test]
fn a_file_without_aux_records_has_no_aux_columns_and_no_warning() {
    let rec = read_bytes(&data("arbin_example.res"), "arbin_example.res").unwrap_or_else(|e| panic!("{e}"));
    assert!(rec.columns.iter().all(|c| !c.name().starts_with("aux") && c.name() != "temperature"));
    assert!(rec.warnings.is_empty(), "{:?}", rec.warnings);
}
