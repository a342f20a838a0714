//! The thermal and spectroscopic steps (issue #14) at study level: the virtual lab's spectra of both
//! materials are analysed back to the paper's values (round trips), and measured reference files go
//! through `spelab analyze KIND FILE --json` to the reference results of `../shared/data/spectra`;
//! `spelab read` summarises spectral files block by block.

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
            ("residual_solvent_content", 0.0005),
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
    let solvent = metric(&doc, "residual_solvent_content", "pvh-im")["value"].as_f64().unwrap();
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

/// The `component_fraction` metric of `component` in a metrics document.
fn fraction(doc: &serde_json::Value, component: &str) -> f64 {
    doc["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "component_fraction" && m["options"]["component"] == component)
        .unwrap_or_else(|| panic!("no component_fraction of {component}: {doc}"))["value"]
        .as_f64()
        .unwrap()
}

#[test]
fn xps_components_step_matches_the_reference_fits() {
    // F 1s (CasaXPS CSV), lmfitxps-style reference fit of expected/…F_1s.csv.json: Shirley subtracted,
    // two pseudo-Voigt lines with free FWHM and a shared η; C-F 0.990131, fluoride 0.009869.
    let Some(f1s) =
        spelab_testkit::shared_data("spectra/xps/20240228_Au_Nadep_from_MPPipTFSI4AMSIol3_F_1s.csv")
    else {
        return;
    };
    let doc = analyze(
        "xps-components",
        &f1s,
        &[
            "window=[682.0, 694.0]",
            "fwhm=[0.5, 4.0]",
            "shared_width=false",
            r#"components=[{label="C-F", center=688.25, tolerance=1.75}, {label="fluoride", center=684.75, tolerance=1.25}]"#,
        ],
    );
    // Within 1 % relative of the reference (the issue's tolerance for fractions).
    for (label, reference) in [("C-F", 0.99013051794078), ("fluoride", 0.009869482059220029)] {
        let v = fraction(&doc, label);
        assert!((v - reference).abs() <= 0.01 * reference, "{label}: {v} vs {reference}");
    }
    // Au 4f on a kinetic-energy axis (hν = 180 eV): the 4f5/2 partner tied at +3.67 eV with area
    // ratio 3/4, so the fractions are 4/7 and 3/7 by construction.
    let Some(au) = spelab_testkit::shared_data("spectra/xps/clean_Au_4f.csv") else { return };
    let doc = analyze(
        "xps-components",
        &au,
        &[
            "window=[83.5, 96.0]",
            "photon_energy=180.0",
            "fwhm=[0.05, 2.0]",
            r#"components=[{label="Au 4f7/2", center=87.7, tolerance=0.8, doublet={label="Au 4f5/2", splitting=3.67, ratio=0.75}}]"#,
        ],
    );
    assert!((fraction(&doc, "Au 4f7/2") - 4.0 / 7.0).abs() < 1e-9);
    assert!((fraction(&doc, "Au 4f5/2") - 3.0 / 7.0).abs() < 1e-9);
}

#[test]
fn xps_components_and_ir_band_positions_round_trip_in_the_virtual_lab() {
    let scratch = Scratch::new();
    let study = scratch.write(
        "study.toml",
        "[study]\nname = \"xps and ir\"\n\n[[material]]\nid = \"pvh\"\npreset = \"pvh\"\n\n[[material]]\nid = \"pvh-im\"\npreset = \"pvh-im\"\n\n[[step]]\nkind = \"xps-components\"\n\n[[step]]\nkind = \"ir-peaks\"\n",
    );
    let out = scratch.path().join("run");
    spelab().arg("run").arg(&study).arg("-o").arg(&out).arg("--quiet").assert().success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    let metrics = doc["metrics"].as_array().unwrap();
    for material in ["pvh", "pvh-im"] {
        // LiF share within 1 % relative of the input (as the xps-depth round trip).
        let lif = metrics
            .iter()
            .find(|m| {
                m["id"] == "component_fraction"
                    && m["material"] == material
                    && m["options"]["component"] == "LiF"
            })
            .unwrap();
        let (v, i) = (lif["value"].as_f64().unwrap(), lif["input_value"].as_f64().unwrap());
        assert!((v - i).abs() <= 0.01 * i, "{material} LiF {v} vs input {i}");
        // C=O band within 0.1 cm⁻¹ (10 m⁻¹) of its input, with the paper's position beside it.
        let band = metric(&doc, "band_position", material);
        let (v, i) = (band["value"].as_f64().unwrap(), band["input_value"].as_f64().unwrap());
        assert!((v - i).abs() <= 10.0, "{material} C=O band {v} vs input {i} [1/m]");
        assert!((band["paper_value"].as_f64().unwrap() - i).abs() < 1e-6, "the input is the paper's value");
        assert_eq!(band["conditions"]["band_m_inv"], 165500.0);
    }
}

#[test]
fn read_summarises_spectral_files() {
    let Some(npl) = spelab_testkit::shared_data("spectra/xps/Mutlipak_vms.npl") else { return };
    let out = spelab().arg("read").arg(&npl).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["format"], "vamas");
    let blocks = doc["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 5);
    assert_eq!((blocks[0]["label"].as_str(), blocks[0]["points"].as_u64()), (Some("C 1s"), Some(601)));
    assert_eq!(blocks[0]["axis"], "binding_energy");
    let Some(tga) = spelab_testkit::shared_data("spectra/tga/netzsch_example_file.txt") else { return };
    let out = spelab().arg("read").arg(&tga).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("netzsch_ascii") && text.contains("tga_mass_fraction of 270 points"), "{text}");
}
