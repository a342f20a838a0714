//! Progress of long commands (issue #16): the bars (with ETA) go to a terminal's stderr only, so under
//! `--quiet` and `--json`, as in any pipe, a long simulation or batch fit writes nothing but its result.
//! The library side (the fraction done reported after each segment) is the doc-test of
//! `spelab_sim::symmetric::simulate_with_progress`.

mod common;

use common::{json, spelab, Scratch};

#[test]
fn quiet_and_json_runs_of_long_commands_print_no_progress() {
    let cycling = ["simulate", "symmetric", "--cycles", "40", "--half-cycle", "10 min"];
    let out = spelab().args(cycling).arg("--quiet").output().expect("run");
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = spelab().args(cycling).arg("--json").output().expect("run");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    json(&out.stdout);

    let s = Scratch::new();
    let example =
        spelab_testkit::workspace_root().join("crates/analysis/tests/data/impedancepy_exampleData.csv");
    let text = std::fs::read_to_string(example).expect("example data");
    let files: Vec<_> = (0..3).map(|k| s.write(&format!("s{k}.csv"), &text)).collect();
    let out = spelab()
        .args(["eis", "fit", "--circuit", "R0-p(R1,CPE1)-Wo1", "--capacitive-only", "--json"])
        .args(&files)
        .output()
        .expect("run");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out.stdout).as_array().map(Vec::len), Some(3));
}
