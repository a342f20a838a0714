//! The small commands through the real binary: help texts, `params`, `steps`, `units`, and `--json`
//! printing exactly one JSON document.

mod common;

use common::{json, spelab};

/// Every command path of the CLI (`[]`, `["run"]`, `["params", "show"]`, ...), from clap's own tree, so
/// a new command is covered without touching this test.
fn command_paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.clone();
        path.push(sub.get_name().to_string());
        command_paths(sub, path, out);
    }
}

#[test]
fn every_help_explains_itself_with_an_example() {
    use clap::CommandFactory;
    let mut paths = Vec::new();
    command_paths(&spelab_cli::args::Cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() >= 8, "{paths:?}");
    for mut args in paths {
        args.push("--help".into());
        let out = spelab().args(&args).output().expect("run");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Example"), "{args:?} help has no example:\n{text}");
    }
}

#[test]
fn params_show_prints_the_paper_values() {
    let out = spelab().args(["params", "show", "pvh-im"]).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("PVH-IM"));
    assert!(text.contains("1.23 mS/cm"), "{text}");

    let out = spelab().args(["params", "show", "pvh", "--json"]).output().expect("run");
    assert!(out.status.success());
    let doc = json(&out.stdout);
    assert_eq!(doc["id"], "pvh");
    assert!(doc["values"].as_array().is_some_and(|v| v.len() > 10));

    let out = spelab().args(["params", "show", "peo"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pvh-im"));

    let out = spelab().args(["params", "list", "--json"]).output().expect("run");
    assert_eq!(json(&out.stdout).as_array().map(Vec::len), Some(2));
}

#[test]
fn units_converts_and_refuses_mismatches() {
    let out = spelab()
        .args(["units", "0.2 mA/cm2", "--quantity", "current-density", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let doc = json(&out.stdout);
    assert_eq!(doc["unit"], "A/m2");
    assert!((doc["value"].as_f64().expect("value") - 2.0).abs() < 1e-12);

    let out = spelab().args(["units", "5 mV", "--as", "current-density"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a current density"));
}

#[test]
fn steps_lists_every_kind_with_an_example() {
    let out = spelab().args(["steps", "--json"]).output().expect("run");
    assert!(out.status.success());
    let doc = json(&out.stdout);
    let kinds = doc.as_array().expect("array");
    assert!(kinds.iter().any(|k| k["name"] == "arrhenius"));
    for k in kinds {
        // Every example must itself be valid TOML.
        toml::from_str::<toml::Table>(k["example"].as_str().expect("example")).expect("example is TOML");
    }
    let out = spelab().args(["steps", "nope"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

/// With `--json`, a hard error (exit 2) prints `{"error": {"message", "file", "line", "kind"}}` on
/// stdout as well as the human line on stderr, so a script reading stdout always gets JSON.
#[test]
fn json_errors_are_one_json_document_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two_col.csv");
    std::fs::write(&two, "f,Z\n1000,5\n100,6\n").unwrap();
    let out =
        spelab().args(["--json", "eis", "fit"]).arg(&two).args(["--circuit", "R0-C1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["error"]["kind"], "input");
    assert_eq!(doc["error"]["line"], 2);
    assert!(doc["error"]["file"].as_str().unwrap().ends_with("two_col.csv"));
    let message = doc["error"]["message"].as_str().unwrap();
    assert!(message.contains("2 columns found in line 2, expected 3 (f, Z', Z'')"), "{message}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));

    let study = dir.path().join("bad.toml");
    std::fs::write(&study, "[study]\nname = \"x\"\nbogus = 1\n").unwrap();
    let out = spelab().args(["--json", "check"]).arg(&study).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(doc["error"]["kind"], "study");
    assert_eq!(doc["error"]["line"], 3);
}
