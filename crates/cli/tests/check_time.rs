//! `spelab check` catches what would otherwise fail only at run time (issue #16): out-of-range step
//! options at their study file:line:col, errors of a material file at that file's line, and output
//! folders a run must not replace, all before any step runs.

mod common;

use common::{spelab, Scratch, HEADER};

/// Runs `spelab check` on `study` in `scratch` and returns (exit code, stderr).
fn check(scratch: &Scratch, study: &str) -> (i32, String) {
    let path = scratch.write("study.toml", study);
    let out = spelab().arg("check").arg(&path).output().expect("run");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// 1-based (line, column) of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let line = text.lines().position(|l| l.contains(needle)).expect("needle") + 1;
    let column = text.lines().nth(line - 1).unwrap().find(needle).unwrap() + 1;
    (line, column)
}

#[test]
fn a_negative_thickness_fails_check_at_its_line_and_column() {
    let s = Scratch::new();
    let study = format!(
        "{HEADER}\n[[step]]\nkind = \"eis-conductivity\"\nmaterials = [\"pvh\"]\nthickness = \"-100 um\"\n"
    );
    let (code, stderr) = check(&s, &study);
    assert_eq!(code, 2, "{stderr}");
    let (line, column) = place(&study, "\"-100 um\"");
    assert!(
        stderr.contains(&format!("study.toml:{line}:{column}: thickness = \"-100 um\" is negative")),
        "{stderr}"
    );
}

#[test]
fn out_of_range_quantities_of_any_step_fail_check() {
    let s = Scratch::new();
    for (step, bad, reason) in [
        (
            "kind = \"eis-conductivity\"\nmaterials = [\"pvh\"]\narea = \"-2 cm2\"",
            "\"-2 cm2\"",
            "an area is never negative",
        ),
        (
            "kind = \"arrhenius\"\ntemperatures = [\"25 degC\", \"-300 degC\"]",
            "\"-300 degC\"",
            "at or below absolute zero",
        ),
        (
            "kind = \"eis-kk\"\nfiles = [\"study.toml\"]\nf_min = \"1 kHz\"\nf_max = \"1 Hz\"",
            "\"1 kHz\"",
            "f_min = 1000 Hz lies above f_max = 1 Hz",
        ),
    ] {
        let study = format!("{HEADER}\n[[step]]\n{step}\n");
        let (code, stderr) = check(&s, &study);
        assert_eq!(code, 2, "{stderr}");
        let (line, column) = place(&study, bad);
        assert!(
            stderr.contains(&format!("study.toml:{line}:{column}: ")) && stderr.contains(reason),
            "{stderr}"
        );
    }
}

#[test]
fn an_error_in_a_material_file_names_that_file_and_line() {
    let s = Scratch::new();
    let material = "id = \"mine\"\nname = \"Mine\"\ndescription = \"test\"\nreference = \"none\"\n\n\
                    [model.thickness_um]\nvalue = -100.0\nunit = \"um\"\nquantity = \"length\"\nsource = \"assumption\"\n";
    s.write("mine.toml", material);
    let study = "[study]\nname = \"x\"\n\n[[material]]\nid = \"m\"\nfile = \"mine.toml\"\n";
    let (code, stderr) = check(&s, study);
    assert_eq!(code, 2, "{stderr}");
    // The line of the offending value's table.
    let (line, _) = place(material, "[model.thickness_um]");
    assert!(stderr.contains(&format!("mine.toml:{line}:")) && stderr.contains("never negative"), "{stderr}");
    // A syntax error: the material file's line and column.
    s.write("mine.toml", &material.replace("value = -100.0", "value = = 100.0"));
    let (code, stderr) = check(&s, study);
    assert_eq!(code, 2, "{stderr}");
    let (line, column) = place(&material.replace("value = -100.0", "value = = 100.0"), "= 100.0");
    assert!(stderr.contains(&format!("mine.toml:{line}:{column}:")), "{stderr}");
}

#[test]
fn out_of_range_plain_numbers_fail_check_at_their_line_and_column() {
    let s = Scratch::new();
    // One case per kind of check: an open interval, a count, a bounded count, a half-open fraction,
    // a lower bound, a non-negative value.
    for (step, bad, reason) in [
        (
            "kind = \"eis-kk\"\nfiles = [\"study.toml\"]\nmu_cutoff = 1.5",
            "1.5",
            "mu_cutoff = 1.5 must be in (0, 1)",
        ),
        ("kind = \"eis-kk\"\nfiles = [\"study.toml\"]\nmax_m = 0", "0", "max_m = 0 must be >= 1"),
        (
            "kind = \"symmetric-cycling\"\nmaterials = [\"pvh\"]\ncycles = 200000",
            "200000",
            "cycles = 200000 must be between 1 and 100000",
        ),
        ("kind = \"ccd-predict\"\nsteps = 0", "0", "steps = 0 must be >= 1"),
        (
            "kind = \"eis-drt\"\nfiles = [\"study.toml\"]\nlambda = -0.001",
            "-0.001",
            "lambda = -0.001 must be >= 0",
        ),
        (
            "kind = \"eis-drt\"\nfiles = [\"study.toml\"]\npoints_per_decade = 0",
            "0",
            "points_per_decade = 0 must be >= 1",
        ),
    ] {
        let study = format!("{HEADER}\n[[step]]\n{step}\n");
        let (code, stderr) = check(&s, &study);
        assert_eq!(code, 2, "{step}: {stderr}");
        let key = step.lines().last().unwrap().split(" = ").next().unwrap();
        let (line, _) = place(&study, &format!("{key} = {bad}"));
        let column = key.len() + 4;
        assert!(
            stderr.contains(&format!("study.toml:{line}:{column}: {reason}")),
            "{step}: expected study.toml:{line}:{column}: {reason}\n{stderr}"
        );
    }
}
