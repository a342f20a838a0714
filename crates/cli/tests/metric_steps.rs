//! The electrochemical-metric step kinds through the real binary: transference (virtual lab),
//! CCD (measured staircase table), Arrhenius with the VTF / AIC comparison, and clear failures on bad
//! tables.

mod common;

use std::path::Path;

use common::{json, spelab, Scratch, HEADER};

fn metrics(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("metrics.json")).expect("metrics.json");
    json(text.as_bytes())["metrics"].as_array().expect("metrics").clone()
}

#[test]
fn virtual_transference_recovers_the_preset_t_plus() {
    let s = Scratch::new();
    let study =
        s.write("study.toml", &format!("{HEADER}\n[[step]]\nid = \"tplus\"\nkind = \"transference\"\n"));
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let m = metrics(&out);
    assert_eq!(m.len(), 2);
    for x in &m {
        assert_eq!(x["id"], "transference_number");
        let (v, input) = (x["value"].as_f64().unwrap(), x["input_value"].as_f64().unwrap());
        // Simulated by the 1D model at the paper's 10 mV: Bruce-Vincent's known finite-ΔV bias is an
        // overestimate of order ΔV² (+0.8 % PVH, +7.5 % PVH-IM; tests/virtual_round_trip.rs).
        assert!(v > input && (v - input) / input < 0.1, "{x}");
        assert!(x["method"].as_str().unwrap().contains("Bruce"));
        assert!(x["paper_value"].as_f64().is_some(), "{x}");
    }
    assert!(out.join("figures/tplus-transference-pvh-im.svg").is_file());
}

/// Staircase 0.1 … 2.0 mA/cm² on 1 cm², ±j for 30 min each, 60 s sampling, ASR 100 Ω cm²; the cell
/// collapses to 0.2 mV 10 min into the 1.7 mA/cm² step. Current in mA, voltage in mV.
fn staircase_csv() -> String {
    let mut text = String::from("time [s],current [mA],voltage [mV]\n");
    let mut now = 0.0;
    for step in 1..=20 {
        let j = step as f64 * 0.1; // mA/cm² = mA on 1 cm²
        for sign in [1.0, -1.0] {
            for s in 0..=30 {
                let tau = s as f64 * 60.0;
                let mut v = sign * (100.0 * j + 5.0 * (1.0 - (-tau / 120.0).exp()));
                if step >= 17 && tau > 600.0 {
                    v = sign * 0.2;
                }
                text.push_str(&format!("{},{},{}\n", now + tau, sign * j, v));
            }
            now += 1800.0 + 60.0;
        }
    }
    text
}

#[test]
fn measured_staircase_gives_ccd_1_7_ma_cm2() {
    let s = Scratch::new();
    s.write("ccd.csv", &staircase_csv());
    let study = s.write(
        "study.toml",
        &format!("{HEADER}\n[[step]]\nid = \"ccd\"\nkind = \"ccd\"\nfile = \"ccd.csv\"\nmaterial = \"pvh-im\"\narea = \"1 cm2\"\n"),
    );
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let m = metrics(&out);
    let ccd = m.iter().find(|x| x["id"] == "critical_current_density").expect("ccd metric");
    // 1.7 mA/cm² = 17 A/m²; the table's values are exact decimals, 1e-9 covers parsing.
    assert!((ccd["value"].as_f64().unwrap() - 17.0).abs() < 1e-9, "{ccd}");
    assert!(ccd["method"].as_str().unwrap().contains("hard short"));
    assert_eq!(ccd["source"], "ccd.csv");
    assert_eq!(ccd["options"]["short_voltage"], "0.001 V", "options echoed: {ccd}");
    assert_eq!(ccd["options"]["collapse_fraction"], "50 %");
    assert!(out.join("figures/ccd-ccd-pvh-im.svg").is_file());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("last stable step 1.6"), "note with the last stable step");
}

#[test]
fn arrhenius_with_vtf_names_the_lowest_aic_model() {
    let s = Scratch::new();
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nid = \"arr\"\nkind = \"arrhenius\"\nnoise = \"1 %\"\nform = \"sigma\"\nvtf_t0 = \"free\"\n"
        ),
    );
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Model comparison"));
    assert!(report.contains("lowest AIC"));
    // A bad form is an error at its line.
    let bad = s.write("bad.toml", &format!("{HEADER}\n[[step]]\nkind = \"arrhenius\"\nform = \"sigmaT\"\n"));
    let o = spelab().arg("check").arg(&bad).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&o).contains("sigma_t"));
}

#[test]
fn bad_tables_fail_the_step_with_a_clear_message() {
    let s = Scratch::new();
    s.write("nan.csv", "time [s],current [uA]\n0,20\n1,NaN\n2,10\n");
    s.write("noisy.csv", "time [s],current [mA],voltage\n0,1,1\n");
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nid = \"t\"\nkind = \"transference\"\nfile = \"nan.csv\"\nmaterial = \"pvh\"\n\
             \n[[step]]\nid = \"c\"\nkind = \"ccd\"\nfile = \"noisy.csv\"\nmaterial = \"pvh\"\narea = \"1 cm2\"\n"
        ),
    );
    let out = s.path().join("out");
    let o = spelab()
        .arg("run")
        .arg(&study)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let summary = json(&o);
    let steps = summary["steps"].as_array().unwrap();
    let msg =
        |id: &str| steps.iter().find(|s| s["id"] == id).unwrap()["message"].as_str().unwrap().to_string();
    assert!(msg("t").contains("nan.csv:3"), "{}", msg("t"));
    assert!(msg("c").contains("no unit"), "{}", msg("c"));
}

fn run_ok(s: &Scratch, steps: &str) -> Vec<serde_json::Value> {
    let study = s.write("study.toml", &format!("{HEADER}\n{steps}"));
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    metrics(&out)
}

fn find<'a>(m: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    m.iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("no metric {id}: {m:?}"))
}

#[test]
fn virtual_exchange_current_and_electronic_conductivity_recover_the_presets() {
    let s = Scratch::new();
    let m =
        run_ok(&s, "[[step]]\nkind = \"exchange-current\"\n\n[[step]]\nkind = \"electronic-conductivity\"\n");
    assert_eq!(m.len(), 4);
    for x in &m {
        let (v, input) = (x["value"].as_f64().unwrap(), x["input_value"].as_f64().unwrap());
        // Exchange current: a simulated 1D-model sweep, within 2 % (residual concentration polarization);
        // electronic conductivity: a noise-free synthetic plateau, exact to 1e-6.
        let tol = if x["id"] == "exchange_current_density" { 0.02 } else { 1e-6 };
        assert!((v - input).abs() < tol * input, "{x}");
    }
}

#[test]
fn measured_lsv_cycling_life_and_full_cell_tables() {
    let s = Scratch::new();
    // LSV: baseline 1 µA/cm² + 2 µA/cm²/V, then +2 mA/cm²/V above 4.9 V; 1 mV steps; current in µA on 1 cm².
    let mut lsv = String::from("potential [V],current [uA]\n");
    for k in 0..=3000 {
        let e = 3.0 + k as f64 * 1e-3;
        lsv.push_str(&format!("{e},{}\n", 1.0 + 2.0 * (e - 3.0) + 2000.0 * (e - 4.9).max(0.0)));
    }
    s.write("lsv.csv", &lsv);
    // Li|Li: ±0.2 mA on 1 cm² for 1 h each, 20 mV, 10 half-cycles, rests of 10 min; time in h.
    let mut li = String::from("time [h],current [mA],voltage [mV]\n");
    let mut now = 0.0;
    for h in 0..10 {
        let sign = if h % 2 == 0 { 1.0 } else { -1.0 };
        for k in 0..=60 {
            li.push_str(&format!("{},{},{}\n", now + k as f64 / 60.0, sign * 0.2, sign * 20.0));
        }
        now += 1.0 + 1.0 / 60.0;
        for k in 0..10 {
            li.push_str(&format!("{},0,0\n", now + k as f64 / 60.0));
        }
        now += 10.0 / 60.0;
    }
    s.write("li.csv", &li);
    // Full cell: 1 mA for 10 h charge (3.3→3.5 V), discharge 9.9 h (3.4→3.2 V), 3 cycles; 10 mg active.
    let mut fc = String::from("time [s],current [mA],voltage [V]\n");
    let mut now = 0.0;
    for _ in 0..3 {
        for (sign, hours, a, b) in [(1.0, 10.0, 3.3, 3.5), (-1.0, 9.9, 3.4, 3.2)] {
            for k in 0..=100 {
                let x = k as f64 / 100.0;
                fc.push_str(&format!("{},{},{}\n", now + x * hours * 3600.0, sign, a + (b - a) * x));
            }
            now += hours * 3600.0;
        }
    }
    s.write("fc.csv", &fc);
    let m = run_ok(
        &s,
        "[[step]]\nkind = \"lsv-onset\"\nfile = \"lsv.csv\"\nmaterial = \"pvh-im\"\narea = \"1 cm2\"\nmethod = \"tangent\"\n\n\
         [[step]]\nkind = \"cycling-life\"\nfile = \"li.csv\"\nmaterial = \"pvh-im\"\narea = \"1 cm2\"\n\n\
         [[step]]\nkind = \"full-cell\"\nfile = \"fc.csv\"\nmaterial = \"pvh-im\"\nactive_mass = \"10 mg\"\nnominal_capacity = \"100 mAh/g\"\n",
    );
    // Tangent on a straight rise meets the straight baseline at the kink (1e-6 V covers CSV rounding).
    assert!((find(&m, "oxidation_onset")["value"].as_f64().unwrap() - 4.9).abs() < 1e-6);
    // 10 h under current, rests excluded; both directions: 2 A/m² · 36000 s = 72000 C/m² (2 mAh/cm²).
    let life = find(&m, "cycle_life");
    assert!((life["value"].as_f64().unwrap() - 36000.0).abs() < 1e-6 * 36000.0, "{life}");
    assert_eq!(life["conditions"]["current_density_A_m2"], 2.0);
    assert!((find(&m, "cumulative_capacity")["value"].as_f64().unwrap() - 72000.0).abs() < 1e-6 * 72000.0);
    // 1 mA · 9.9 h / 10 mg = 990 mAh/g = 3.564e6 C/kg; CE 0.99; C-rate 1 mA / (100 mAh/g · 10 mg) = 1C.
    let q = find(&m, "specific_capacity");
    assert!((q["value"].as_f64().unwrap() - 3.564e6).abs() < 1e-6 * 3.564e6, "{q}");
    assert_eq!(q["conditions"]["c_rate"], 1.0);
    assert!((find(&m, "coulombic_efficiency")["value"].as_f64().unwrap() - 0.99).abs() < 1e-9);
    assert!((find(&m, "capacity_retention")["value"].as_f64().unwrap() - 1.0).abs() < 1e-9);
}

#[test]
fn analyze_runs_one_step_on_a_table() {
    let s = Scratch::new();
    let file = s.write("ccd.csv", &staircase_csv());
    let out = s.path().join("an");
    let o = spelab()
        .args(["analyze", "ccd"])
        .arg(&file)
        .args(["--set", "area=1 cm2", "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&o);
    assert!(text.contains("critical_current_density") && text.contains("1.7 mA/cm²"), "{text}");
    assert!(out.join("metrics.json").is_file());
    // An unknown option is refused with the list of known ones; help has an example.
    let e = spelab()
        .args(["analyze", "ccd"])
        .arg(&file)
        .args(["--set", "area=1cm2", "--set", "bogus=1"])
        .arg("--out")
        .arg(s.path().join("x"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&e).contains("unknown field `bogus`"));
    let h = spelab().args(["analyze", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&h.stdout).contains("Example"));
}

#[test]
fn option_errors_name_the_line() {
    let s = Scratch::new();
    s.write("x.csv", "time [s],current [uA]\n0,1\n");
    for (step, needle) in [
        ("kind = \"transference\"\nfile = \"x.csv\"\nmaterial = \"pvh\"\nbulk_resistance = \"10 ohm\"\n", "give all three"),
        ("kind = \"transference\"\nvoltage = \"0.5 V\"\n", "between 0 and 100 mV"),
        ("kind = \"ccd\"\nfile = \"x.csv\"\nmaterial = \"pvh\"\narea = \"1 cm2\"\nshort_voltage = \"1 mA\"\n", "short_voltage"),
        ("kind = \"lsv-onset\"\nfile = \"x.csv\"\nmaterial = \"pvh\"\narea = \"1 cm2\"\nmethod = \"knee\"\n", "tangent"),
        ("kind = \"full-cell\"\nfile = \"x.csv\"\nmaterial = \"pvh\"\nactive_mass = \"3 mg\"\nreference_cycle = 0\n", "counts from 1"),
        ("kind = \"exchange-current\"\nfile = \"x.csv\"\nmaterial = \"pvh\"\n", "area"),
    ] {
        let study = s.write("study.toml", &format!("{HEADER}\n[[step]]\n{step}"));
        let o = spelab().arg("check").arg(&study).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&o);
        assert!(err.contains("study.toml:") && err.contains(needle), "{step}: {err}");
    }
}

#[test]
fn every_step_example_checks_ok() {
    let o = spelab().args(["steps", "--json"]).output().unwrap();
    let kinds = json(&o.stdout);
    let kinds = kinds.as_array().expect("kinds");
    assert!(kinds.len() >= 8, "{kinds:?}");
    for k in kinds {
        let example = k["example"].as_str().expect("example");
        let s = Scratch::new();
        // Create the data files the example names, so `check` gets past the file test.
        for line in example.lines() {
            if let Some(rest) = line.trim().strip_prefix("file = \"") {
                let name = rest.split('"').next().unwrap();
                s.write(name, "x [s]\n0\n");
            }
            // `files = ["a.csv", "b.csv"]`: every quoted name before a comment.
            if let Some(rest) = line.trim().strip_prefix("files = [") {
                let list = rest.split(']').next().unwrap();
                for name in list.split('"').skip(1).step_by(2) {
                    s.write(name, "x [s]\n0\n");
                }
            }
        }
        let study = s.write("study.toml", &format!("{HEADER}\n{example}\n"));
        let out = spelab().arg("check").arg(&study).output().unwrap();
        assert!(out.status.success(), "{}: {}", k["name"], String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn ccd_reads_a_vendor_tsv_through_a_columns_mapping() {
    let s = Scratch::new();
    // The same staircase as a vendor-style TSV: bare time header, EC-Lab style `I/mA`, voltage by index.
    let tsv =
        staircase_csv().replacen("time [s],current [mA],voltage [mV]", "t,I/mA,E", 1).replace(',', "\t");
    s.write("ccd.tsv", &tsv);
    let m = run_ok(
        &s,
        "[[step]]\nid = \"ccd\"\nkind = \"ccd\"\nfile = \"ccd.tsv\"\nmaterial = \"pvh-im\"\narea = \"1 cm2\"\n\
         columns = { time = 0, current = \"I/mA\", voltage = 2 }\nunits = { time = \"s\", voltage = \"mV\" }\n",
    );
    // Same 1.7 mA/cm² as the unit-annotated table (exact decimals, 1e-9 covers parsing).
    let ccd = find(&m, "critical_current_density");
    assert!((ccd["value"].as_f64().unwrap() - 17.0).abs() < 1e-9, "{ccd}");

    let study = s.write(
        "bad.toml",
        &format!(
            "{HEADER}\n[[step]]\nkind = \"ccd\"\nfile = \"ccd.tsv\"\nmaterial = \"pvh-im\"\narea = \"1 cm2\"\n\
             units = {{ voltage = \"mV\" }}\n"
        ),
    );
    let out = spelab().arg("check").arg(&study).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml:") && err.contains("units needs a columns table"), "{err}");
}
