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
    // Samples every 5 s up to 340 s, then the instrument's stop reading at 344.71 s (compliance
    // voltage, the model's voltage diverges at depletion) with empty model columns.
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 70, "samples every 5 s up to 340 s and the stop reading");
    let last: Vec<&str> = rows[69].split(',').collect();
    assert!(last[0].starts_with("344.7") && last[2] == "10" && last[3].is_empty(), "{}", rows[69]);
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
    // The staircase value is the CCD analysis of the simulated record: the failure is divergence.
    let stair =
        ccd.iter().find(|m| m["method"].as_str().unwrap().starts_with("simulated staircase")).unwrap();
    assert!(stair["method"].as_str().unwrap().contains("divergence"), "{}", stair["method"]);
    // The paper's 0.4 mA/cm² is attached by the runner for the comparison.
    assert_eq!(ccd[0]["paper_value"].as_f64(), Some(4.0));
}

/// Runs a study of one 3-cycle symmetric-cycling step (id `cyc`) on PVH-IM with `extra` step options
/// (exit 0 expected); returns the run directory and its report.html.
fn cycling_study(scratch: &Scratch, extra: &str) -> (std::path::PathBuf, String) {
    let study = scratch.write(
        "cyc.toml",
        &format!(
            "[study]\nname = \"cyc\"\n\n[[material]]\nid = \"pvh-im\"\npreset = \"pvh-im\"\n\n\
             [[step]]\nid = \"cyc\"\nkind = \"symmetric-cycling\"\ncycles = 3\n{extra}"
        ),
    );
    let out = scratch.path().join("run");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    (out, report)
}

/// `spelab check` of a PVH study whose symmetric-cycling step has the option line `option`: exit 2
/// expected; returns stderr.
fn cycling_check_error(scratch: &Scratch, option: &str) -> String {
    let bad = scratch.write(
        "bad.toml",
        &format!(
            "[study]\nname = \"b\"\n[[material]]\nid = \"p\"\npreset = \"pvh\"\n[[step]]\n\
             kind = \"symmetric-cycling\"\n{option}\n"
        ),
    );
    let o = spelab().arg("check").arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn symmetric_cycling_step_tabulates_the_polarization_breakdown() {
    let scratch = Scratch::new();
    let (out, report) = cycling_study(&scratch, "");
    // PVH-IM at 0.2 mA/cm²: 2 asinh(J/2j0)·2RT/F ≈ 122.4 mV kinetics + 1.63 mV ohmic + diffusion.
    assert!(report.contains("125.70 mV"), "polarization missing from the report");
    assert!(out.join("figures/cyc-symmetric_cycling.svg").is_file());
    let err = cycling_check_error(&scratch, "current = \"5 mV\"");
    assert!(err.contains("bad.toml:"), "error names the file and line");
}

#[test]
fn symmetric_cycling_step_takes_a_film() {
    let scratch = Scratch::new();
    let (_, report) = cycling_study(&scratch, "film = \"constant:r0=10ohm.cm2\"\n");
    // A constant 10 Ω cm² film on each electrode adds 2 J R = 2 · 2 A/m² · 1e-3 Ω m² = 4 mV to the
    // 125.70 mV of the film-free cell (test above).
    assert!(report.contains("4.00 mV"), "film part missing from the report");
    assert!(report.contains("129.70 mV"), "polarization with the film missing from the report");
    assert!(report.contains("constant:r0=10ohm.cm2"), "the note names the film");
    let err = cycling_check_error(&scratch, "film = \"cubic:r0=1ohm.cm2\"");
    assert!(err.contains("bad.toml:") && err.contains("unknown film law"), "{err}");
}

/// Runs `simulate symmetric` cycling with extra arguments and returns the CSV rows as numbers (empty
/// cells as NaN).
fn cycling_csv(extra: &[&str]) -> Vec<Vec<f64>> {
    let out = spelab()
        .args(["simulate", "symmetric", "--material", "pvh-im", "--cycles", "20", "--to", "csv"])
        .args(extra)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(|c| c.parse().unwrap_or(f64::NAN)).collect())
        .collect()
}

#[test]
fn film_growth_raises_the_polarization_over_cycles() {
    let bare = cycling_csv(&[]);
    // R = R0 + k t per electrode: 20 Ω cm² + 1 Ω cm²/h = 2e-3 Ω m² + 1e-4/3600 Ω m²/s.
    let film = cycling_csv(&["--film", "linear:r0=20ohm.cm2,rate=1ohm.cm2/h"]);
    assert_eq!(bare.len(), film.len());
    // Under current control the film only adds J (R_f,0 + R_f,L) = 2 J R(t): transport and kinetics
    // are unchanged, so the difference is exact to rounding (1e-12 V).
    for (a, b) in bare.iter().zip(&film) {
        let (t, j) = (a[0], a[3]);
        let r = 2e-3 + 1e-4 / 3600.0 * t;
        assert!((b[2] - a[2] - 2.0 * j * r).abs() < 1e-12, "t = {t}: {} vs {}", b[2] - a[2], 2.0 * j * r);
        assert!((b[8] - 2.0 * j * r).abs() < 1e-12, "film column at t = {t}");
    }
    // The polarization at the end of each charge half-cycle grows cycle after cycle, by 2 J ΔR more
    // than without the film: 19 cycles of 2 h add 38 Ω cm² per electrode, 2 · 2 A/m² · 3.8e-3 Ω m².
    let ends = |rows: &[Vec<f64>]| -> Vec<f64> {
        rows.windows(2).filter(|w| w[0][3] > 0.0 && w[1][3] < 0.0).map(|w| w[0][2]).collect()
    };
    let (with, without) = (ends(&film), ends(&bare));
    assert_eq!(with.len(), 20);
    assert!(with.windows(2).all(|w| w[1] > w[0]), "{with:?}");
    let growth = (with[19] - with[0]) - (without[19] - without[0]);
    assert!((growth - 2.0 * 2.0 * 3.8e-3).abs() < 1e-9, "{growth}");
    let p = cycling_csv(&["--film", "parabolic:r0=20ohm.cm2,tau=10h"]);
    let (last, first) = (p.iter().rev().find(|r| r[3] > 0.0).unwrap(), &p[1]);
    assert!(last[8] > 2.0 * first[8], "parabolic film grows: {} vs {}", last[8], first[8]);
    for bad in
        ["linear:r0=20ohm.cm2", "parabolic:r0=20mV,tau=1h", "spiral:r0=1ohm.cm2", "charge:r0=1ohm.cm2,k=1h"]
    {
        let out = spelab().args(["simulate", "symmetric", "--cycles", "1", "--film", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--film"), "{bad}");
    }
}
