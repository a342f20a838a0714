//! Study parsing through the real binary: valid studies pass `spelab check`; unknown keys, bad units,
//! unknown materials and missing files exit 2 with a message naming the file and the line.

mod common;

use common::{spelab, Scratch, HEADER};

/// Runs `spelab check` on a study and returns (exit code, stderr).
fn check(study: &str) -> (i32, String, Scratch) {
    let scratch = Scratch::new();
    let path = scratch.write("study.toml", study);
    let out = spelab().arg("check").arg(&path).output().expect("run");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned(), scratch)
}

/// 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in study") + 1
}

#[test]
fn valid_study_checks_ok() {
    let study = format!(
        "{HEADER}\n[[step]]\nkind = \"arrhenius\"\ntemperatures = [\"0 degC\", \"40 degC\", \"80 degC\"]\n"
    );
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn the_reference_study_checks_ok() {
    let path = spelab_testkit::workspace_root().join("examples/pvh-im.toml");
    spelab().arg("check").arg(path).assert().success();
}

#[test]
fn unknown_key_names_file_and_line() {
    let study = format!("{HEADER}\n[[step]]\nkind = \"arrhenius\"\ntemprature = [\"0 degC\"]\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2, "{stderr}");
    let line = line_of(&study, "temprature");
    assert!(stderr.contains(&format!("study.toml:{line}:")), "{stderr}");
    assert!(stderr.contains("temprature"), "{stderr}");
}

#[test]
fn unknown_key_in_study_header_and_material() {
    let study = HEADER.replace("name = \"test study\"", "name = \"x\"\ncolour = \"red\"");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "colour"))), "{stderr}");

    let study = HEADER.replace("preset = \"pvh\"", "preset = \"pvh\"\nthickness = \"100 um\"");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "thickness"))), "{stderr}");
}

#[test]
fn bad_unit_names_file_line_and_the_mismatch() {
    let study =
        format!("{HEADER}\n[[step]]\nkind = \"arrhenius\"\ntemperatures = [\"0 degC\",\n  \"40 mV\"]\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "40 mV"))), "{stderr}");
    assert!(stderr.contains("temperature"), "{stderr}");
    assert!(stderr.contains("mV"), "{stderr}");
}

#[test]
fn missing_file_names_file_and_line() {
    let study =
        format!("{HEADER}\n[[step]]\nkind = \"arrhenius\"\nmaterial = \"pvh\"\nfile = \"nowhere.csv\"\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "nowhere.csv"))), "{stderr}");
    assert!(stderr.contains("nowhere.csv") && stderr.contains("not found"), "{stderr}");
}

#[test]
fn unknown_material_kind_and_preset_are_errors_at_their_line() {
    let study = format!("{HEADER}\n[[step]]\nkind = \"arrhenius\"\nmaterials = [\"peo\"]\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "peo"))), "{stderr}");
    assert!(stderr.contains("unknown material 'peo'"), "{stderr}");

    let study = format!("{HEADER}\n[[step]]\nkind = \"arrhenious\"\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "arrhenious"))), "{stderr}");
    assert!(stderr.contains("known kinds: arrhenius"), "{stderr}");

    let study = HEADER.replace("preset = \"pvh\"", "preset = \"pvx\"");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains(&format!("study.toml:{}:", line_of(&study, "pvx"))), "{stderr}");
}

#[test]
fn toml_syntax_error_and_missing_study_file() {
    let (code, stderr, _s) = check("[study\nname = 1\n");
    assert_eq!(code, 2);
    assert!(stderr.contains("study.toml:1:"), "{stderr}");

    let out = spelab().args(["check", "does-not-exist.toml"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist.toml"));
}

#[test]
fn duplicate_ids_are_errors() {
    let study = format!("{HEADER}\n[[step]]\nid = \"a\"\nkind = \"arrhenius\"\n\n[[step]]\nid = \"a\"\nkind = \"arrhenius\"\n");
    let (code, stderr, _s) = check(&study);
    assert_eq!(code, 2);
    assert!(stderr.contains("used twice"), "{stderr}");
}
