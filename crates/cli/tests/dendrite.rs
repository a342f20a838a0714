//! `spelab simulate dendrite` and the `dendrite-morphology` study step through the real binary:
//! outputs written, metrics JSON, metrics per material with conditions.

mod common;

use common::{json, spelab, Scratch, HEADER};

/// A small, fast run: 2 µm cells over a 32 µm strip, 0.02 mAh/cm² (720 C/m²) at 1 mA/cm².
#[test]
fn simulate_dendrite_writes_outputs_and_json_metrics() {
    let s = Scratch::new();
    let dir = s.path().join("pf");
    let out = spelab()
        .args(["simulate", "dendrite", "--material", "pvh", "--current", "1mA/cm2"])
        .args(["--capacity", "0.02mAh/cm2", "--spacing", "2um", "--width", "32um", "--json", "--out"])
        .arg(&dir)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json(&out.stdout);
    for key in ["height_ratio", "roughness", "tip_concentration_gradient", "max_height", "mean_height"] {
        assert!(doc["metrics"][key].as_f64().is_some(), "{key} in {doc}");
    }
    // Faraday: 720 C/m² passed; the deposit's own charge nFc_s∫Δξ differs by the capillary
    // shrinkage of the nuclei on this coarse grid (measured 0.8 %), hence 2 %.
    let q = doc["metrics"]["deposited_charge"].as_f64().unwrap();
    assert!((q - 720.0).abs() < 0.02 * 720.0, "{q}");
    for f in [
        "phase.png",
        "concentration.png",
        "potential.png",
        "current_density.png",
        "state.vti",
        "metrics.csv",
        "metrics.json",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
}

#[test]
fn dendrite_morphology_step_reports_metrics_for_both_materials_with_conditions() {
    let s = Scratch::new();
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nid = \"pf\"\nkind = \"dendrite-morphology\"\nmaterials = [\"pvh\", \"pvh-im\"]\n\
             capacity = \"0.02 mAh/cm2\"\nspacing = \"2 um\"\nwidth = \"32 um\"\n"
        ),
    );
    let out = s.path().join("run");
    spelab().arg("run").arg(&study).arg("-o").arg(&out).arg("--quiet").assert().success();
    let m = json(&std::fs::read(out.join("metrics.json")).unwrap());
    let metrics = m["metrics"].as_array().unwrap();
    for material in ["pvh", "pvh-im"] {
        for id in
            ["dendrite_height_ratio", "deposit_roughness", "tip_concentration_gradient", "short_circuit_time"]
        {
            let x = metrics
                .iter()
                .find(|x| x["id"] == id && x["material"] == material)
                .unwrap_or_else(|| panic!("{id} for {material} in {metrics:?}"));
            assert_eq!(x["conditions"]["current_density_A_m2"], 10.0, "{x}");
            assert!(x["conditions"]["temperature_K"].as_f64().is_some(), "{x}");
        }
    }
}

/// `dendrite-ccd` and `dendrite-life` on a coarse grid: the CCD, cycle life and cumulative
/// capacity of both materials appear, finite or null, with the conditions the paper values carry.
#[test]
fn dendrite_ccd_and_life_steps_report_metrics_for_both_materials() {
    let s = Scratch::new();
    let grid = "materials = [\"pvh\", \"pvh-im\"]\ncapacity = \"0.02 mAh/cm2\"\nspacing = \"2 um\"\nwidth = \"32 um\"\n";
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nid = \"ccd\"\nkind = \"dendrite-ccd\"\ncurrents = [\"0.2 mA/cm2\", \"0.5 mA/cm2\"]\n{grid}\
             \n[[step]]\nid = \"life\"\nkind = \"dendrite-life\"\n{grid}"
        ),
    );
    let out = s.path().join("run");
    spelab().arg("run").arg(&study).arg("-o").arg(&out).arg("--quiet").assert().success();
    let m = json(&std::fs::read(out.join("metrics.json")).unwrap());
    let metrics = m["metrics"].as_array().unwrap();
    let finite_or_null =
        |x: &serde_json::Value| x["value"].is_null() || x["value"].as_f64().is_some_and(f64::is_finite);
    for material in ["pvh", "pvh-im"] {
        let ccd = metrics
            .iter()
            .find(|x| x["id"] == "critical_current_density" && x["material"] == material)
            .unwrap_or_else(|| panic!("ccd for {material} in {metrics:?}"));
        assert!(finite_or_null(ccd), "{ccd}");
        for id in ["cycle_life", "cumulative_capacity"] {
            for j in [2.0, 5.0] {
                let x = metrics
                    .iter()
                    .find(|x| {
                        x["id"] == id
                            && x["material"] == material
                            && x["conditions"]["current_density_A_m2"] == j
                    })
                    .unwrap_or_else(|| panic!("{id} at {j} for {material} in {metrics:?}"));
                assert!(finite_or_null(x), "{x}");
                assert!(x["conditions"]["temperature_K"].as_f64().is_some(), "{x}");
            }
        }
    }
}
