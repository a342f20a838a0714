//! The full-cell simulation steps without a study file (`spelab analyze KIND` with no file):
//! `full-cell-ageing` reproduces the calibration number and predicts the other with the paper beside
//! it; `full-cell-design-map` writes its map (PNG + SVG) with the material marked; bad options are
//! errors naming the option.

mod common;

use common::{json, spelab, Scratch};

const KNOBS: &str = "knobs={utilisation=0.858,particle_diffusivity=2.29e-19,cathode_bruggeman=1.34}";

#[test]
fn ageing_calibrates_on_one_retention_and_predicts_the_other() {
    let s = Scratch::new();
    let out = s.path().join("ageing");
    let o = spelab()
        .args(["--json", "analyze", "full-cell-ageing", "--material", "pvh-im", "--set", KNOBS, "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let summary = json(&o);
    let metrics = summary["metrics"].as_array().expect("metrics");
    let retention = |c_rate: f64| {
        metrics
            .iter()
            .find(|m| m["id"] == "capacity_retention" && m["conditions"]["c_rate"] == c_rate)
            .unwrap_or_else(|| panic!("retention at {c_rate}C: {summary}"))
    };
    // Calibrated: 95.7 % after 130 cycles at 0.1C, to 1e-4 (the root finder's 1e-6 and the solver's
    // ~1e-5 relative noise).
    let fitted = retention(0.1);
    assert_eq!(fitted["role"], "calibrated");
    assert!((fitted["value"].as_f64().unwrap() - 0.957).abs() < 1e-4, "{fitted}");
    // Predicted: 80 % after 280 cycles at 0.5C in the paper; loss of active material gives ~91 %.
    let predicted = retention(0.5);
    assert_eq!(predicted["role"], "prediction");
    assert_eq!(predicted["conditions"]["cycle"], 280.0);
    let ratio = predicted["paper_ratio"].as_f64().expect("paper ratio");
    assert!((1.05..1.25).contains(&ratio), "{predicted}");
    for f in ["fullcell_ageing_retention", "fullcell_ageing_capacity"] {
        for ext in ["png", "svg"] {
            assert!(out.join(format!("figures/full-cell-ageing-{f}.{ext}")).is_file(), "{f}.{ext}");
        }
    }
    // A law that does not exist is refused with the known ones.
    let e = spelab()
        .args(["analyze", "full-cell-ageing", "--set", "law=calendar", "--out"])
        .arg(s.path().join("x"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8_lossy(&e).contains("active-material, sei-film"),
        "{}",
        String::from_utf8_lossy(&e)
    );
}

#[test]
fn design_map_runs_without_a_file_and_checks_its_grid() {
    let s = Scratch::new();
    let out = s.path().join("map");
    spelab()
        .args(["--quiet", "analyze", "full-cell-design-map", "--set", "grid=3", "--set", KNOBS])
        .args(["--set", r#"thicknesses=["50 um", "150 um"]"#, "--out"])
        .arg(&out)
        .assert()
        .code(0);
    for ext in ["png", "svg", "csv"] {
        let dir = if ext == "csv" { "data" } else { "figures" };
        assert!(out.join(format!("{dir}/full-cell-design-map-fullcell_design_map.{ext}")).is_file(), "{ext}");
    }
    let svg =
        std::fs::read_to_string(out.join("figures/full-cell-design-map-fullcell_design_map.svg")).unwrap();
    assert!(svg.contains("pvh-im"), "the material is marked");
    // One panel per thickness under the material's ratio against thickness.
    let svg =
        std::fs::read_to_string(out.join("figures/full-cell-design-map-fullcell_design_map_thickness.svg"))
            .expect("thickness figure");
    assert!(svg.contains("50 µm") && svg.contains("150 µm"), "panels");
    for (set, needle) in [
        ("grid=1", "grid"),
        ("transference=[0.5, 0.2]", "transference"),
        ("level=3", "level"),
        (r#"thicknesses=["100 um", "50 um"]"#, "thicknesses"),
    ] {
        let e = spelab()
            .args(["analyze", "full-cell-design-map", "--set", set, "--out"])
            .arg(s.path().join("y"))
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
        assert!(String::from_utf8_lossy(&e).contains(needle), "{set}: {}", String::from_utf8_lossy(&e));
    }
}
