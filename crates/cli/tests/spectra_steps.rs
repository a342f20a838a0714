//! The thermal and spectroscopic steps (issue #14) at study level: the virtual lab's spectra of both
//! materials are analysed back to the paper's values (round trips), and measured reference files go
//! through `spelab analyze KIND FILE --json` to the reference results of `../shared/data/spectra`.

mod common;

use common::{spelab, Scratch};

const STUDY: &str = r#"
[study]
name = "spectra round trips"

[[material]]
id = "pvh"
preset = "pvh"

[[material]]
id = "pvh-im"
preset = "pvh-im"

[[step]]
kind = "raman-speciation"

[[step]]
kind = "xps-depth"

[[step]]
kind = "ir-peaks"

[[step]]
kind = "dsc-crystallinity"

[[step]]
kind = "tga-steps"
"#;

/// The metric `id` of `material` in metrics.json.
fn metric<'a>(doc: &'a serde_json::Value, id: &str, material: &str) -> &'a serde_json::Value {
    doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id && m["material"] == material)
        .unwrap_or_else(|| panic!("no {id} for {material}"))
}

#[test]
fn virtual_spectra_are_analysed_back_to_the_papers_values() {
    let scratch = Scratch::new();
    let study = scratch.write("study.toml", STUDY);
    let out = scratch.path().join("run");
    spelab().arg("run").arg(&study).arg("-o").arg(&out).arg("--quiet").assert().success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    // (id, absolute tolerance): Raman fractions within 0.02 (seeded 2-count noise on three overlapping
    // bands), LiF share within 1 % relative (Shirley on a flat synthetic background reads it ~0.3 % low),
    // Xc within 1 % relative (the issue's target), solvent within 0.05 wt% (the issue's target).
    for material in ["pvh", "pvh-im"] {
        for (id, tolerance) in [
            ("free_anion_fraction", 0.02),
            ("lif_fraction", 0.01 * 0.733),
            ("crystallinity", 0.01 * 0.341),
            ("solvent_content", 0.0005),
        ] {
            let m = metric(&doc, id, material);
            let value = m["value"].as_f64().unwrap();
            let input = m["input_value"].as_f64().expect("a round trip names its model input");
            assert!((value - input).abs() <= tolerance, "{id} {material}: {value} vs input {input}");
            if let Some(paper) = m["paper_value"].as_f64() {
                assert!((input - paper).abs() < 1e-12, "{id} {material}: the input is the paper's value");
            }
        }
    }
}

/// `spelab analyze KIND FILE --json` on a reference file: the first metric's value.
fn analyze(kind: &str, file: &std::path::Path, sets: &[&str]) -> serde_json::Value {
    let scratch = Scratch::new();
    let mut cmd = spelab();
    cmd.args(["analyze", kind]).arg(file).arg("--json").arg("-o").arg(scratch.path().join("run"));
    for s in sets {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{kind}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn measured_reference_files_go_through_analyze() {
    let Some(tga) = spelab_testkit::shared_data("spectra/tga/netzsch_example_file.txt") else { return };
    // pyTGA reference (expected/netzsch_example_file.txt.json): 27.141 -> 150 °C loses 7.95233 wt%.
    let doc = analyze("tga-steps", &tga, &[r#"boundaries=["27.141 degC","150 degC","430 degC","620 degC"]"#]);
    let solvent = metric(&doc, "solvent_content", "pvh-im")["value"].as_f64().unwrap();
    assert!((solvent - 0.0795233).abs() < 0.0005, "solvent content {solvent}");

    let Some(ir) = spelab_testkit::shared_data("spectra/ftir/ftir_pva_without_header.csv") else { return };
    let doc = analyze("ir-peaks", &ir, &[]);
    assert_eq!(doc["failed"], 0, "{doc}");

    let Some(xps) =
        spelab_testkit::shared_data("spectra/xps/20240228_Au_Nadep_from_MPPipTFSI4AMSIol3_F_1s.csv")
    else {
        return;
    };
    let doc = analyze("xps-depth", &xps, &[]);
    let lif = metric(&doc, "lif_fraction", "pvh-im")["value"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&lif), "fraction {lif}");
}
