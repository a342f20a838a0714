//! The virtual full cell through the real binary: `spelab simulate full-cell` (summary, JSON, CSV,
//! errors) and the `full-cell` study step's virtual lab (both presets, paper values attached, option
//! errors at their line).

mod common;

use common::{json, spelab, Scratch, HEADER};

#[test]
fn simulate_full_cell_prints_capacities_per_cycle() {
    let out = spelab()
        .args([
            "simulate",
            "full-cell",
            "--material",
            "pvh-im",
            "--c-rates",
            "0.5,1,0.5",
            "--cycles",
            "2",
            "--model",
            "spm",
            "--json",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = json(&out.stdout);
    assert_eq!(s["model"], "spm");
    let cycles = s["cycles"].as_array().expect("cycles");
    assert_eq!(cycles.len(), 6);
    // SPM on the reference cathode: ~167.4 mAh/g at 0.5C, ~165.7 at 1C (PyBaMM's SPM from x = 0.0038:
    // 167.69 / 166.74; here the window starts from the assembled cell and the preset's Li j0).
    let q = |k: usize| cycles[k]["discharge_mah_g"].as_f64().unwrap();
    assert!((q(1) - 167.4).abs() < 0.5 && (q(3) - 165.7).abs() < 0.5, "{cycles:?}");
    assert!(q(3) < q(1));
    // Recovery on return to 0.5C, exact for a model without ageing.
    assert!((s["recovery"].as_f64().unwrap() - 1.0).abs() < 1e-6);
    for c in cycles {
        assert_eq!(c["discharge_end"], "voltage_min");
    }
    let text = spelab()
        .args(["simulate", "full-cell", "--c-rates", "1", "--cycles", "1", "--model", "spm"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("q_dis [mAh/g]") && text.contains("voltage_min"), "{text}");
}

#[test]
fn simulate_full_cell_exports_csv_and_rejects_bad_options() {
    let s = Scratch::new();
    let path = s.path().join("fc.csv");
    spelab()
        .args(["simulate", "full-cell", "--c-rates", "1", "--cycles", "1", "--to", "csv", "--out"])
        .arg(&path)
        .assert()
        .success();
    let csv = std::fs::read_to_string(&path).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("time_s,current_A,voltage_V"));
    assert!(lines.count() > 50);
    for bad in [["--model", "p2d"], ["--c-rates", "0.1,x"], ["--c-rates", "-1"], ["--cycles", "0"]] {
        let o = spelab().args(["simulate", "full-cell"]).args(bad).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(!o.stderr.is_empty());
    }
}

#[test]
fn virtual_full_cell_step_runs_on_both_presets_with_the_paper_beside() {
    let s = Scratch::new();
    let study = s.write(
        "study.toml",
        &format!(
            "{HEADER}\n[[step]]\nid = \"fc\"\nkind = \"full-cell\"\nmaterials = [\"pvh\", \"pvh-im\"]\n\
             c_rates = [0.1, 1, 0.1]\ncycles = 2\nmodel = \"spm\"\n"
        ),
    );
    let out = s.path().join("run");
    spelab().arg("run").arg(&study).arg("-o").arg(&out).arg("--quiet").assert().success();
    let m = json(&std::fs::read(out.join("metrics.json")).unwrap());
    let metrics = m["metrics"].as_array().unwrap();
    let cap = |material: &str, c: f64| {
        metrics
            .iter()
            .find(|x| {
                x["id"] == "specific_capacity" && x["material"] == material && x["conditions"]["c_rate"] == c
            })
            .unwrap_or_else(|| panic!("{material} {c}C in {metrics:?}"))
    };
    for (material, paper_01, paper_1) in [("pvh", 103.4, 76.7), ("pvh-im", 141.7, 103.5)] {
        let (a, b) = (cap(material, 0.1), cap(material, 1.0));
        assert_eq!(a["source"], "simulation");
        // Paper values attached (mAh/g -> C/kg).
        assert!((a["paper_value"].as_f64().unwrap() / 3600.0 - paper_01).abs() < 1e-9, "{a}");
        assert!((b["paper_value"].as_f64().unwrap() / 3600.0 - paper_1).abs() < 1e-9, "{b}");
        assert!(b["value"].as_f64().unwrap() < a["value"].as_f64().unwrap());
    }
    assert!(metrics.iter().any(|x| x["id"] == "coulombic_efficiency" && x["material"] == "pvh"));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("sim / paper") && report.contains("recovery on return"));
    for f in [
        "fc-rate-virtual.svg",
        "fc-vq-virtual-pvh.svg",
        "fc-vq-virtual-pvh-im.svg",
        "fc-dqdv-virtual.svg",
        "fc-ce-virtual.svg",
    ] {
        assert!(out.join("figures").join(f).is_file(), "{f}");
    }
}

#[test]
fn virtual_full_cell_option_errors_name_the_line() {
    let s = Scratch::new();
    s.write("x.csv", "time [s],current [mA],voltage [V]\n0,1,3\n");
    for (step, needle, bad) in [
        ("materials = [\"pvh\"]\ncrates = [1]\n", "crates", "crates"),
        ("materials = [\"pvh\"]\nmodel = \"p2d\"\n", "unknown model", "model"),
        ("materials = [\"pvh\"]\ncycles = 0\n", "at least 1", "cycles"),
        ("materials = [\"pvh\"]\nc_rates = [0.1, -1]\n", "c_rates", "c_rates"),
        ("materials = [\"pvh\"]\nactive_mass = \"3 mg\"\n", "measured data", "active_mass"),
        ("material = \"pvh\"\n", "materials", "material"),
        (
            "file = \"x.csv\"\nmaterial = \"pvh\"\nactive_mass = \"3 mg\"\nc_rates = [1]\n",
            "virtual lab",
            "c_rates",
        ),
        ("file = \"x.csv\"\nmaterial = \"pvh\"\n", "active_mass", "file"),
    ] {
        let text = format!("{HEADER}\n[[step]]\nkind = \"full-cell\"\n{step}");
        let study = s.write("study.toml", &text);
        let o = spelab().arg("check").arg(&study).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&o);
        let line = text.lines().position(|l| l.starts_with(bad)).unwrap() + 1;
        assert!(err.contains(&format!("study.toml:{line}:")) && err.contains(needle), "{step}: {err}");
    }
}
