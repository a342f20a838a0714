//! `spelab read` on an Arbin `.res` (the repository's MIT copy of navani's `arbin_example.res`, so it
//! runs without the shared corpus): summary, `--json`, and `--to csv|bdf` exports of every row.

mod common;

use common::{json, spelab, Scratch};

fn fixture() -> std::path::PathBuf {
    spelab_testkit::workspace_root().join("crates/io/tests/data/arbin/arbin_example.res")
}

#[test]
fn read_res_summary_json_and_exports() {
    let path = fixture();
    let out = spelab().arg("read").arg(&path).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["arbin-res", "rows:       2150", "charge_capacity [C]", "from Charge_Capacity"] {
        assert!(text.contains(needle), "summary lacks {needle:?}:\n{text}");
    }

    let out = spelab().arg("read").arg(&path).arg("--json").output().expect("run");
    let doc = json(&out.stdout);
    assert_eq!(doc["format"], "arbin-res");
    assert_eq!(doc["rows"], 2150);
    assert_eq!(doc["metadata"]["start_time"], "2023-07-24T18:50:00");

    let scratch = Scratch::new();
    let rec = spelab_io::read_path(&path).expect("read");
    let voltage = rec.column_named("voltage").expect("v").values.to_f64();
    for (to, file) in [("csv", "a.csv"), ("bdf", "a.bdf.csv")] {
        let dest = scratch.path().join(file);
        let out =
            spelab().arg("read").arg(&path).args(["--to", to, "--out"]).arg(&dest).output().expect("run");
        assert!(out.status.success(), "{to}: {}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&dest).expect("export");
        // Every voltage comes back exactly (shortest round-trip float text).
        let back = if to == "csv" {
            let t = spelab_io::table::read_table(&bytes, file).expect("table");
            t.column("voltage").expect("v").values.clone()
        } else {
            let r = spelab_io::read_bytes(&bytes, file).expect("bdf");
            assert_eq!(r.format, spelab_io::Format::BdfCsv);
            r.column_named("voltage").expect("v").values.to_f64()
        };
        assert_eq!(back, voltage, "{to}");
    }
}
