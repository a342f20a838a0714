//! BPX through the real binary: `spelab params export PRESET --to bpx` and the one-discharge contract
//! `spelab simulate full-cell --params FILE.bpx.json --protocol discharge --c-rates 1 --to csv --out F.csv`.

mod common;

use common::{json, spelab, Scratch};

#[test]
fn an_exported_preset_discharges_once_to_its_cut_off() {
    let s = Scratch::new();
    let bpx = s.path().join("pvh-im.bpx.json");
    spelab().args(["params", "export", "pvh-im", "--to", "bpx", "--out"]).arg(&bpx).assert().success();
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&bpx).unwrap()).unwrap();
    assert_eq!(doc["Header"]["Model"], "Partial");
    let ud = &doc["Parameterisation"]["User-defined"];
    assert!(ud["Lithium metal exchange-current density [A.m-2]"].is_string());
    let csv_path = s.path().join("F.csv");
    let args = ["simulate", "full-cell", "--params"];
    let tail = ["--protocol", "discharge", "--c-rates", "1", "--to", "csv", "--out"];
    spelab().args(args).arg(&bpx).args(tail).arg(&csv_path).assert().success();
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    // Today's columns, then capacity_mAh_g.
    assert_eq!(header[..3], ["time_s", "current_A", "voltage_V"]);
    assert_eq!(header.last(), Some(&"capacity_mAh_g"));
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    let cap: Vec<f64> = rows.iter().map(|r| *r.last().unwrap()).collect();
    assert_eq!(cap[0], 0.0);
    assert!(cap.windows(2).all(|w| w[1] >= w[0]), "capacity is not monotonic");
    // PVH-IM at 1C from x = 0.0038: 120.9 mAh/g at salt depletion (PyBaMM from the same BPX: 120.934).
    let end = *cap.last().unwrap();
    assert!((end - 120.92).abs() < 0.05, "{end}");
    assert!(rows.iter().all(|r| r[8] == 1.0), "one discharge, one step");
    // The JSON summary: one discharge, no charge.
    let out =
        spelab().args(args).arg(&bpx).args(["--protocol", "discharge", "--c-rates", "1", "--json"]).output();
    let v = json(&out.unwrap().stdout);
    assert_eq!(v["cycles"].as_array().unwrap().len(), 1);
    assert_eq!(v["cycles"][0]["charge_mah_g"], 0.0);
    assert_eq!(v["cycles"][0]["discharge_end"], "depletion");
}

#[test]
fn bpx_errors_are_clear() {
    let s = Scratch::new();
    let bad = s.write(
        "bad.bpx.json",
        "{\n  \"Header\": {\"BPX\": \"1.0.0\", \"Model\": \"DFN\"},\n  \"Oops\": 1\n}\n",
    );
    let o = spelab().args(["simulate", "full-cell", "--params"]).arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("bad.bpx.json") && e.contains("line"), "{e}");
    let o = spelab().args(["params", "export", "pvh-im", "--to", "toml"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = spelab().args(["simulate", "full-cell", "--protocol", "discharge"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("--params"));
}
