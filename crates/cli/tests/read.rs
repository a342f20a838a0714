//! `spelab read` through the real binary: summaries, `--json`, CSV export, and refusals.

mod common;

use common::{json, spelab, Scratch};
use spelab_testkit::shared_data;

const BIOLOGIC: [&str; 27] = [
    "ca.issue_149.mpr",
    "ca.issue_149.mpt",
    "ca.mpr",
    "ca.mpt",
    "cp.mpr",
    "cp.mpt",
    "cv.mpr",
    "cv.mpt",
    "gcpl.issue_149.mpr",
    "gcpl.issue_149.mpt",
    "gcpl.mpr",
    "geis.issue_149.mpr",
    "geis.issue_149.mpt",
    "jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr",
    "lsv.issue_195.mpr",
    "lsv.issue_195.mpt",
    "lsv.mpr",
    "lsv.mpt",
    "mb.issue_95.de.mpt",
    "mb.issue_95.mpr",
    "mb.issue_95.mpt",
    "ocv.mpr",
    "ocv.mpt",
    "peis.issue_149.mpr",
    "peis.issue_149.mpt",
    "peis.mpr",
    "peis.mpt",
];

const GAMRY: [&str; 7] = [
    "chronoa_data.dta",
    "cv_data.dta",
    "eispot_data.dta",
    "eispot_data_curveaborted.dta",
    "exampleDataGamryABORT.DTA",
    "ocp_data.dta",
    "pyimpspec_data.dta",
];

const CSV: [(&str, &str); 17] = [
    ("neware", "navani_test.ndax"),
    ("neware", "TESTCELL0001-Test_Data_Collection_Ndc17.ndax"),
    ("neware", "123456789012_Unit27_Example_Data_File.ndax"),
    ("neware", "test_2.ndax"),
    ("neware", "20260302_IFE_BTS85_2_9_8_1.ndax"),
    ("neware", "new_nda_file.nda"),
    ("neware", "2-1-6_61_07005012.nda"),
    ("neware", "TestFile.nda"),
    ("arbin", "2017-05-09_test-TC-contact_CH33.csv"),
    ("arbin", "2017-05-09_test-TC-contact_CH33_Metadata.csv"),
    ("arbin", "arbin_example.csv"),
    ("arbin", "arbin_example.res"),
    ("arbin", "20160805_test001_45_cc_01.res"),
    ("bdf", "SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv"),
    ("bdf", "batmo_bdf.csv"),
    ("landt", "SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv"),
    ("neware", "neware_uio.csv"),
];

const MACCOR: [&str; 4] =
    ["maccor_example.001", "maccor_example.002", "maccor_test_file_4267-66-6519.041", "maccor_two.txt"];

#[test]
fn read_json_reports_every_supported_corpus_file() {
    let files = BIOLOGIC
        .iter()
        .map(|f| ("biologic", *f))
        .chain(GAMRY.iter().map(|f| ("gamry", *f)))
        .chain(MACCOR.iter().map(|f| ("maccor", *f)))
        .chain(CSV.iter().copied());
    for (folder, file) in files {
        let Some(path) = shared_data(&format!("instruments/{folder}/{file}")) else { return };
        let expected = shared_data(&format!("instruments/expected/{file}.json")).expect("json");
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(expected).expect("read")).expect("parse");
        let out = spelab().arg("read").arg(&path).arg("--json").output().expect("run");
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let doc = json(&out.stdout);
        assert_eq!(doc["rows"], expected["expected_rows"], "{file}");
        let skipped = u64::from(file == "maccor_two.txt");
        assert_eq!(doc["skipped_records"].as_u64(), Some(skipped), "{file}: skipped_records");
        assert!(doc["rows"].is_u64(), "{file}: rows is a whole number");
        let format = match (folder, file.ends_with(".mpr")) {
            ("gamry", _) => "gamry-dta",
            ("maccor", _) => "maccor-text",
            ("arbin", _) if file.ends_with(".res") => "arbin-res",
            ("arbin", _) => "arbin-csv",
            ("bdf", _) => "bdf-csv",
            ("landt", _) => "landt-csv",
            ("neware", _) if file.ends_with(".nda") => "neware-nda",
            ("neware", _) if file.ends_with(".ndax") => "neware-ndax",
            ("neware", _) => "neware-csv",
            (_, true) => "biologic-mpr",
            _ => "biologic-mpt",
        };
        assert_eq!(doc["format"], format);
        if matches!(folder, "biologic" | "gamry") {
            assert!(doc["technique"].is_string(), "{file}: technique");
        }
        let columns = doc["columns"].as_array().expect("columns");
        if !file.ends_with("_Metadata.csv") {
            assert!(columns.iter().any(|c| c["name"] == "time" && c["unit"] == "s"), "{file}: time [s]");
        }
        assert!(columns.iter().all(|c| c["name"].is_string() && c["unit"].is_string()));
        assert!(doc["metadata"].is_object());
    }
}

#[test]
fn read_prints_a_summary_and_exports_every_row_as_csv() {
    let Some(path) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    let out = spelab().arg("read").arg(&path).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "technique:  GCPL",
        "rows:       132",
        "time [s]",
        "current [A]",
        "EC-Lab 11.50",
        "start time: 2024-01-10T11:02:29.886",
    ] {
        assert!(text.contains(needle), "summary lacks {needle:?}:\n{text}");
    }

    let scratch = Scratch::new();
    let csv = scratch.path().join("gcpl.csv");
    let out = spelab().arg("read").arg(&path).args(["--to", "csv", "--out"]).arg(&csv).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let table = spelab_io::table::read_table(&std::fs::read(&csv).expect("csv"), "gcpl.csv").expect("table");
    assert_eq!(table.rows(), 132);
    assert_eq!(table.column("time").expect("time").unit.as_deref(), Some("s"));
    // Values round-trip exactly (shortest round-trip float formatting).
    let rec = spelab_io::read_path(&path).expect("read");
    let t = rec.column_named("time").expect("t").values.to_f64();
    assert_eq!(table.column("time").expect("time").values, t);
}

#[test]
fn read_refuses_to_overwrite_its_input_and_unknown_formats() {
    let scratch = Scratch::new();
    let input = scratch.write("data.mpt", "EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\n0\t3.1\n");
    let out =
        spelab().arg("read").arg(&input).args(["--to", "csv", "--out"]).arg(&input).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is an input"));
    assert!(std::fs::read_to_string(&input).expect("read").starts_with("EC-Lab ASCII FILE"));

    let junk = scratch.write("junk.mpr", "not a data file");
    let out = spelab().arg("read").arg(&junk).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("junk.mpr") && err.contains("unrecognised file format"), "{err}");

    let out = spelab().args(["read", "--help"]).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Example"));
}

#[test]
fn convert_writes_bdf_next_to_the_input_and_csv_where_asked() {
    let scratch = Scratch::new();
    let input = scratch.write(
        "cell.mpt",
        "EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\tI/mA\n0\t3.1\t1\n1\t3.2\t1\n2\t3.3\t-1\n",
    );
    let out = spelab().arg("convert").arg(&input).args(["--to", "bdf"]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bdf = scratch.path().join("cell.bdf.csv");
    let rec = spelab_io::read_path(&bdf).expect("BDF reads back");
    assert_eq!(rec.format, spelab_io::Format::BdfCsv);
    assert_eq!(rec.rows(), 3);
    // mA -> A exactly as the reader converts it (tolerance 1e-15 A).
    let i = rec.column_named("current").expect("current").values.to_f64();
    assert!((i[2] + 1e-3).abs() < 1e-15, "{i:?}");

    let csv = scratch.path().join("cell.csv");
    let out =
        spelab().arg("--json").arg("convert").arg(&input).args(["--to", "csv", "-o"]).arg(&csv).output();
    let out = out.expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = json(&out.stdout);
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["to"], "csv");
    let table = spelab_io::table::read_table(&std::fs::read(&csv).expect("csv"), "cell.csv").expect("table");
    assert_eq!(table.column("voltage").expect("v").values, vec![3.1, 3.2, 3.3]);
}

#[test]
fn read_and_convert_take_a_column_mapping_for_generic_csv() {
    let scratch = Scratch::new();
    let input =
        scratch.write("log.tsv", "t\tEwe/V\tI\tnote\n0\t3,1\t2\tstart\n10\t3,2\t2\t\n20\t3,3\t-2\tend\n");
    let out = spelab()
        .arg("--json")
        .arg("read")
        .arg(&input)
        .args(["--map", "time=0,voltage=\"Ewe/V\",current=2", "--unit", "time=s,current=mA"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = json(&out.stdout);
    assert_eq!(summary["format"], "mapped-csv");
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["columns"][2]["unit"], "A");

    let out = spelab()
        .arg("convert")
        .arg(&input)
        .args([
            "--to",
            "bdf",
            "--map",
            "time=0,voltage=1,current=2",
            "--unit",
            "time=s",
            "--unit",
            "current=mA",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rec = spelab_io::read_path(&scratch.path().join("log.bdf.csv")).expect("BDF");
    assert_eq!(rec.column_named("current").expect("i").values.to_f64(), vec![2e-3, 2e-3, -2e-3]);

    // A dimensional column without a unit is refused, naming the flag to use.
    let out = spelab().arg("read").arg(&input).args(["--map", "time=0,current=2"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no unit for 'time'") && err.contains("--unit time=s"), "{err}");
}

/// A record NewareNDA skips (zero index) is counted in the summary and the JSON (`skipped_records`).
#[test]
fn read_counts_skipped_records_in_summary_and_json() {
    let Some(path) = shared_data("instruments/neware/new_nda_file.nda") else { return };
    let mut bytes = std::fs::read(path).expect("read");
    // Record 11 of the area that starts at byte 85385 is a data record; zero its index.
    let at = 85385 + 10 * 86;
    bytes[at + 2..at + 6].fill(0);
    let scratch = Scratch::new();
    let file = scratch.path().join("zero.nda");
    std::fs::write(&file, &bytes).expect("write");
    let out = spelab().arg("read").arg(&file).arg("--json").output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json(&out.stdout);
    assert_eq!((doc["rows"].as_u64(), doc["skipped_records"].as_u64()), (Some(438), Some(1)));
    let out = spelab().arg("read").arg(&file).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("skipped records: 1") && text.contains("warning: 1 data record(s)"), "{text}");
}

/// `spelab bench read` times the full read, and with `--stored` an `.mpr`'s stored fields alone (the
/// equal-work comparison `scripts/bench-readers` makes with galvani); `--stored` on another format is
/// an error, not a full read under that name.
#[test]
fn bench_read_times_the_full_read_and_with_stored_the_stored_fields() {
    let Some(mpr) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    for stored in [false, true] {
        let mut cmd = spelab();
        cmd.args(["--json", "bench", "read"]).arg(&mpr).args(["--repeat", "2"]);
        if stored {
            cmd.arg("--stored");
        }
        let out = cmd.output().expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let t = &json(&out.stdout)[0];
        assert_eq!((t["rows"].as_u64(), t["format"].as_str()), (Some(132), Some("biologic-mpr")));
        assert_eq!(t["times_s"].as_array().map(Vec::len), Some(2));
    }
    let Some(mpt) = shared_data("instruments/biologic/gcpl.issue_149.mpt") else { return };
    let out = spelab().args(["bench", "read"]).arg(&mpt).arg("--stored").output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("BioLogic .mpr magic"));
}
