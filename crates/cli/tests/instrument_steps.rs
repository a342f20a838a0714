//! Measured-data steps on real instrument files (`../shared/data/instruments/`, read in place: several
//! are GPL-3.0 and never copied here), through `spelab analyze KIND FILE`: the format is detected by
//! content, a file of the wrong technique is refused naming the file.

mod common;

use std::path::Path;

use common::{json, spelab, Scratch};
use spelab_testkit::shared_data;

fn metrics(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("metrics.json")).expect("metrics.json");
    json(text.as_bytes())["metrics"].as_array().expect("metrics").clone()
}

fn analyze(kind: &str, file: &Path, sets: &[&str], out: &Path) -> (i32, String) {
    let mut cmd = spelab();
    cmd.args(["analyze", kind]).arg(file).arg("--out").arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    let o = cmd.output().expect("run spelab");
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned())
}

/// full-cell on an EC-Lab .mpr: the first discharge equals navani's capacity of that half-cycle
/// (8.331483295342575e-05 mAh, crates/analysis/tests/data/fullcell_reference.json) per 1 mg.
#[test]
fn full_cell_reads_an_ec_lab_mpr() {
    let Some(file) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    let s = Scratch::new();
    let out = s.path().join("fc");
    let (code, text) = analyze("full-cell", &file, &["active_mass=1 mg"], &out);
    assert_eq!(code, 0, "{text}");
    let m = metrics(&out);
    let q = m.iter().find(|x| x["id"] == "specific_capacity").expect("specific capacity");
    let expected = 8.331483295342575e-05 * 3.6 / 1e-6; // mAh per mg → C/kg
    let value = q["value"].as_f64().unwrap();
    // Both sum EC-Lab's dq over the same points: 1e-6 relative is the tolerance.
    assert!((value - expected).abs() <= 1e-6 * expected, "{value} vs {expected}");
    assert!(q["source"].as_str().unwrap().ends_with("gcpl.issue_149.mpr"), "{q}");
}

/// A file of another technique is refused by name; the step fails and the command exits 1.
#[test]
fn a_wrong_technique_is_refused_naming_the_file() {
    let (Some(ca), Some(peis)) =
        (shared_data("instruments/biologic/ca.mpr"), shared_data("instruments/biologic/peis.mpr"))
    else {
        return;
    };
    let s = Scratch::new();
    let (code, text) = analyze("full-cell", &ca, &["active_mass=1 mg"], &s.path().join("a"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("ca.mpr: a CA record") && text.contains("needs GCPL or CP"), "{text}");
    let (code, text) = analyze("lsv-onset", &peis, &["area=1 cm2"], &s.path().join("b"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("peis.mpr: a PEIS record") && text.contains("needs LSV or CV"), "{text}");
}

/// transference and electronic-conductivity on an EC-Lab CA .mpr: t₊ = I_ss/I₀ (no resistances) in
/// (0, 1], σ_e positive; a CA record is no cycling record.
#[test]
fn ca_mpr_gives_transference_and_electronic_conductivity() {
    let Some(file) = shared_data("instruments/biologic/ca.mpr") else { return };
    let s = Scratch::new();
    // ca.mpr is a reader test file, its current still falls ~10 % over the last window: drift 25 %.
    let out = s.path().join("t");
    let (code, text) = analyze("transference", &file, &["voltage=10 mV", "max_drift=25 %"], &out);
    assert_eq!(code, 0, "{text}");
    let t = metrics(&out)[0]["value"].as_f64().unwrap();
    assert!(t > 0.0 && t <= 1.0, "{t}");
    let out = s.path().join("e");
    let sets = ["voltage=0.3 V", "thickness=100 um", "area=1 cm2", "max_drift=25 %"];
    let (code, text) = analyze("electronic-conductivity", &file, &sets, &out);
    assert_eq!(code, 0, "{text}");
    let sigma = metrics(&out)[0]["value"].as_f64().unwrap();
    assert!(sigma > 0.0 && sigma < 1e-3, "σ_e {sigma} S/m");
    let (code, text) = analyze("cycling-life", &file, &["area=1 cm2"], &s.path().join("c"));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("ca.mpr: a CA record"), "{text}");
}

/// Replicate cells in one full-cell step: three runs of the same navani-checked EC-Lab file (given as
/// three paths: the .mpr twice at 1 mg and once at 2 mg) aggregate as mean ± SD (n = 3) of the cycle-1
/// discharge capacity: q, q, q/2 → mean 5q/6, SD q/(2√3).
#[test]
fn full_cell_replicates_aggregate_as_mean_sd_n() {
    let Some(file) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    let s = Scratch::new();
    let f = toml::Value::String(file.display().to_string());
    let study = s.write(
        "study.toml",
        &format!(
            "{}\n[[step]]\nid = \"fc\"\nkind = \"full-cell\"\nfile = {f}\nmaterial = \"pvh-im\"\nactive_mass = \"1 mg\"\n\
             replicates = [{{ file = {f} }}, {{ file = {f}, active_mass = \"2 mg\" }}]\n",
            common::HEADER
        ),
    );
    let out = s.path().join("out");
    spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").assert().code(0);
    let m = metrics(&out);
    let agg = m.iter().find(|x| x["conditions"]["replicates"] == 3.0).expect("replicate metric");
    let q = 8.331483295342575e-05 * 3.6 / 1e-6; // navani's first discharge [mAh] per 1 mg, in C/kg
    let (mean, sd) = (agg["value"].as_f64().unwrap(), agg["uncertainty"].as_f64().unwrap());
    // Exact arithmetic on one navani-matched value: 1e-9 relative covers rounding.
    assert!((mean - 5.0 * q / 6.0).abs() < 1e-9 * q, "{agg}");
    assert!((sd - q / (2.0 * 3f64.sqrt())).abs() < 1e-9 * q, "{agg}");
}
