//! `spelab run` through the real binary: the run directory, the metrics contract, the report, a failing
//! step that leaves everything else intact, and outputs that never overwrite an input.

mod common;

use std::path::Path;

use common::{json, spelab, Scratch, HEADER};

const VIRTUAL_STEP: &str = r#"
[[step]]
id = "virtual"
kind = "arrhenius"
temperatures = ["0 degC", "20 degC", "40 degC", "60 degC", "80 degC"]
"#;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn metrics(out: &Path) -> Vec<serde_json::Value> {
    let doc = json(read(&out.join("metrics.json")).as_bytes());
    assert!(doc["spelab_version"].is_string());
    assert_eq!(doc["study"], "test study");
    doc["metrics"].as_array().expect("metrics array").clone()
}

#[test]
fn virtual_arrhenius_recovers_the_inputs_and_writes_the_run_directory() {
    let s = Scratch::new();
    let study = s.write("study.toml", &format!("{HEADER}{VIRTUAL_STEP}"));
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    for f in [
        "metrics.json",
        "metrics.csv",
        "report.html",
        "run.log",
        "figures/virtual-arrhenius.svg",
        "figures/virtual-arrhenius.png",
        "data/virtual-arrhenius.csv",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let metrics = metrics(&out);
    assert_eq!(metrics.len(), 4, "Ea and σ25 for two materials");
    let keys = [
        "id",
        "material",
        "value",
        "unit",
        "display",
        "uncertainty",
        "method",
        "source",
        "conditions",
        "input_value",
        "paper_value",
        "role",
        "paper_ratio",
    ];
    for m in &metrics {
        let obj = m.as_object().expect("object");
        for k in keys {
            assert!(obj.contains_key(k), "metric lacks '{k}': {m}");
        }
        assert_eq!(m["source"], "simulation");
        let value = m["value"].as_f64().expect("value");
        let input = m["input_value"].as_f64().expect("input_value");
        // Noise-free virtual EIS through R0-CPE1 fits: the only bias is the bulk arc (R_b ∥ C_g, above
        // 1 MHz) that R0 ignores, which moves Ea and σ(25 °C) by ~3e-5; 1e-4 leaves margin.
        assert!((value - input).abs() <= 1e-4 * input.abs(), "{m}");
        // The presets hold the paper's values for both metrics, at 25 °C.
        let paper = m["paper_value"].as_f64().expect("paper_value");
        assert!((paper - input).abs() <= 1e-9 * input.abs(), "{m}");
    }
    let ea =
        metrics.iter().find(|m| m["id"] == "activation_energy" && m["material"] == "pvh-im").expect("Ea");
    assert_eq!(ea["unit"], "J/mol");
    assert!(ea["display"].as_str().expect("display").contains("eV"));
    let sigma =
        metrics.iter().find(|m| m["id"] == "ionic_conductivity" && m["material"] == "pvh-im").expect("σ");
    assert_eq!(sigma["unit"], "S/m");
    // σ(25 °C) through the virtual EIS fits: 1e-4 relative, as above.
    assert!((sigma["value"].as_f64().expect("value") - 0.123).abs() < 1e-4 * 0.123);
    assert_eq!(sigma["conditions"]["temperature_K"], 298.15);
    let csv = read(&out.join("metrics.csv"));
    assert!(csv.starts_with(
        "id,material,value,unit,display,uncertainty,method,source,conditions,input_value,paper_value,role,paper_ratio"
    ));
    assert_eq!(csv.lines().count(), 5);
}

#[test]
fn report_holds_the_tables_and_every_figure_and_svgs_are_xml() {
    let s = Scratch::new();
    let study = s.write("study.toml", &format!("{HEADER}{VIRTUAL_STEP}"));
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let html = read(&out.join("report.html"));
    assert!(html.contains("Round-trip checks"), "comparison table");
    assert!(html.contains("Summary"), "summary table");
    assert!(html.contains("Materials") && html.contains("PVH-IM"), "materials table");
    assert!(
        !html.contains("http://") || html.contains("xmlns=\"http://www.w3.org/2000/svg\""),
        "no network links"
    );
    let figures: Vec<_> =
        std::fs::read_dir(out.join("figures")).expect("figures").map(|e| e.expect("entry").path()).collect();
    let svgs: Vec<_> = figures.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")).collect();
    assert!(!svgs.is_empty());
    for svg in svgs {
        let text = read(svg);
        roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{} is not XML: {e}", svg.display()));
        let stem = svg.file_stem().expect("stem").to_string_lossy();
        assert!(html.contains(&format!("figures/{stem}.svg")), "report links {stem}");
    }
    assert_eq!(html.matches("<svg").count(), figures.len() / 2, "every figure inline once");
}

#[test]
fn a_failing_step_exits_1_and_leaves_the_other_outputs_intact() {
    let s = Scratch::new();
    // One row only: the Arrhenius fit needs two, so this step fails at run time.
    s.write("bad.csv", "temperature [degC],conductivity [mS/cm]\n25,1.23\n");
    let study = s.write(
        "study.toml",
        &format!("{HEADER}\n[[step]]\nid = \"broken\"\nkind = \"arrhenius\"\nmaterial = \"pvh\"\nfile = \"bad.csv\"\n{VIRTUAL_STEP}"),
    );
    let out = s.path().join("out");
    let output = spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--json").output().expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let summary = json(&output.stdout);
    assert_eq!(summary["failed"], 1);
    assert_eq!(summary["steps"][0]["status"], "failed");
    assert!(summary["steps"][0]["message"].as_str().expect("message").contains("needs at least 2 points"));
    assert_eq!(summary["steps"][1]["status"], "ok");
    // The step after the failure ran and wrote everything.
    assert_eq!(metrics(&out).len(), 4);
    assert!(out.join("figures/virtual-arrhenius.svg").is_file());
    let html = read(&out.join("report.html"));
    assert!(html.contains("needs at least 2 points"), "the report shows the failure");
    assert!(read(&out.join("run.log")).contains("FAILED"));
}

#[test]
fn measured_table_gives_the_same_numbers_as_the_virtual_lab() {
    let s = Scratch::new();
    let data = s.fixture("sigma_T_pvh-im.csv");
    let study = s.write(
        "study.toml",
        &format!("{HEADER}\n[[step]]\nid = \"measured\"\nkind = \"arrhenius\"\nmaterial = \"pvh-im\"\nfile = \"sigma_T_pvh-im.csv\"\n"),
    );
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let metrics = metrics(&out);
    let ea = metrics.iter().find(|m| m["id"] == "activation_energy").expect("Ea");
    assert_eq!(ea["source"], data.file_name().expect("name").to_string_lossy().as_ref());
    assert!(ea["input_value"].is_null());
    // The fixture is printed to 12 significant digits, so Ea is exact to ~1e-11 relative; 1e-8 is safe.
    let expected = 0.18 * 96_485.332_123_310_01;
    assert!((ea["value"].as_f64().expect("value") - expected).abs() < 1e-8 * expected, "{ea}");
}

#[test]
fn outputs_never_overwrite_an_input() {
    let s = Scratch::new();
    let out = s.path().join("out");
    // The data file sits where the run would write metrics.csv.
    let data = s.write("out/metrics.csv", "temperature [degC],conductivity [mS/cm]\n0,0.6\n80,3.6\n");
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nkind = \"arrhenius\"\nmaterial = \"pvh\"\nfile = \"out/metrics.csv\"\n"
        ),
    );
    let before = read(&data);
    let output = spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is an input"));
    assert_eq!(read(&data), before, "the input is untouched");
}
