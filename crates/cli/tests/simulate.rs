//! `spelab simulate symmetric` through the real binary: summaries, JSON, CSV export, stop reasons
//! and input errors.

mod common;

use common::{json, spelab, Scratch};

#[test]
fn simulate_help_has_examples() {
    let out = spelab().args(["simulate", "symmetric", "--help"]).output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Example"));
}

#[test]
fn cycling_json_summary_reports_completion_and_transport_bounds() {
    let out = spelab()
        .args([
            "simulate",
            "symmetric",
            "--material",
            "pvh-im",
            "--protocol",
            "cycling",
            "--current",
            "0.2mA/cm2",
        ])
        .args(["--cycles", "3", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json(&out.stdout);
    assert_eq!(doc["stop"]["reason"], "completed");
    // J_lim = 2FDc0/((1 − t+)L) with Nernst-Einstein D of PVH-IM: 61.94 A/m² (cellmodel.md SPE A).
    let j_lim = doc["limiting_current_density_a_m2"].as_f64().unwrap();
    assert!((j_lim - 61.9397).abs() < 1e-3, "{j_lim}");
    assert!(doc["samples"].as_u64().unwrap() > 360);
}

#[test]
fn constant_current_above_j_lim_stops_at_depletion_and_csv_is_written() {
    let scratch = Scratch::new();
    let csv = scratch.path().join("pol.csv");
    let out = spelab()
        .args([
            "simulate",
            "symmetric",
            "--material",
            "pvh",
            "--protocol",
            "constant",
            "--current",
            "1mA/cm2",
        ])
        .args(["--duration", "2h", "--sample-interval", "5s", "--to", "csv", "--out"])
        .arg(&csv)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    // PVH at 10 A/m² is the SPE B case of summary.json: depletion after 344.71 s.
    assert!(text.contains("salt depletion (Sand)") && text.contains("344.7"), "{text}");
    let data = std::fs::read_to_string(&csv).unwrap();
    let mut lines = data.lines();
    assert!(lines.next().unwrap().starts_with("time_s,current_A,voltage_V"));
    assert_eq!(lines.count(), 69, "samples every 5 s up to 340 s");
}

#[test]
fn ccd_reports_simulated_critical_current() {
    let out = spelab()
        .args(["simulate", "symmetric", "--material", "pvh", "--protocol", "ccd", "--current", "0.05mA/cm2"])
        .args(["--half-cycle", "30min", "--voltage-limit", "5V", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let doc = json(&out.stdout);
    // summary.json ccd_spe_B_th1800: 7.5 A/m² staircase CCD.
    assert_eq!(doc["critical_current_density_a_m2"].as_f64(), Some(7.5));
}

#[test]
fn bad_units_are_errors_naming_the_option() {
    let out = spelab().args(["simulate", "symmetric", "--current", "5 mV"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--current"));
    let out = spelab().args(["simulate", "symmetric", "--material", "peo"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ccd_study_step_reports_three_criteria_beside_the_paper() {
    let scratch = Scratch::new();
    let study = scratch.write(
        "ccd.toml",
        r#"[study]
name = "ccd"

[[material]]
id = "pvh"
preset = "pvh"

[[step]]
id = "ccd"
kind = "ccd-predict"
step = "0.05 mA/cm2"
half_cycle = "1 h"
"#,
    );
    let out = scratch.path().join("run");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let doc = json(std::fs::read_to_string(out.join("metrics.json")).unwrap().as_bytes());
    let ccd: Vec<&serde_json::Value> =
        doc["metrics"].as_array().unwrap().iter().filter(|m| m["id"] == "critical_current_density").collect();
    assert_eq!(ccd.len(), 3, "J_lim, Sand and staircase");
    let value = |method: &str| {
        ccd.iter().find(|m| m["method"].as_str().unwrap().starts_with(method)).unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    // summary.json ccd_spe_B_th3600 (PVH = SPE B): 7.03, 3.02 and 7.5 A/m².
    assert!((value("limiting") - 7.029489647640683).abs() < 1e-8);
    assert!((value("Sand") - 3.022238466661632).abs() < 1e-8);
    assert_eq!(value("simulated staircase"), 7.5);
    // The paper's 0.4 mA/cm² is attached by the runner for the comparison.
    assert_eq!(ccd[0]["paper_value"].as_f64(), Some(4.0));
}

#[test]
fn symmetric_cycling_step_tabulates_the_polarization_breakdown() {
    let scratch = Scratch::new();
    let study = scratch.write(
        "cyc.toml",
        r#"[study]
name = "cyc"

[[material]]
id = "pvh-im"
preset = "pvh-im"

[[step]]
id = "cyc"
kind = "symmetric-cycling"
cycles = 3
"#,
    );
    let out = scratch.path().join("run");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    // PVH-IM at 0.2 mA/cm²: 2 asinh(J/2j0)·2RT/F ≈ 122.4 mV kinetics + 1.63 mV ohmic + diffusion.
    assert!(report.contains("125.70 mV"), "polarization missing from the report");
    assert!(out.join("figures/cyc-symmetric_cycling.svg").is_file());
    let bad = scratch.write("bad.toml", "[study]\nname = \"b\"\n[[material]]\nid = \"p\"\npreset = \"pvh\"\n[[step]]\nkind = \"symmetric-cycling\"\ncurrent = \"5 mV\"\n");
    let o = spelab().arg("check").arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.toml:"), "error names the file and line");
}
