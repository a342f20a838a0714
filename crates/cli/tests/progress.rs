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

#[test]
fn full_cell_simulation_reports_cycles_done_and_stays_quiet_under_quiet_and_json() {
    use spelab_study::simulate::full_cell::{run, run_with_progress, Request};
    let cmd = Request { c_rates: "1,0.5".into(), cycles: 2, model: "spm".into(), ..Request::default() };
    // One report per cycle (2 blocks x 2 cycles), increasing, ending at 1; the run is the same.
    let mut seen = Vec::new();
    let with = run_with_progress(&cmd, &mut |f| seen.push(f)).expect("simulate");
    assert_eq!(seen, vec![0.25, 0.5, 0.75, 1.0]);
    let without = run(&cmd).expect("simulate");
    assert_eq!(with.record.points.len(), without.record.points.len());
    let (a, b) = (with.record.points.last().unwrap(), without.record.points.last().unwrap());
    assert_eq!((a.time_s, a.voltage, a.charge), (b.time_s, b.voltage, b.charge));

    let args = ["simulate", "full-cell", "--model", "spm", "--c-rates", "1", "--cycles", "1"];
    let out = spelab().args(args).arg("--quiet").output().expect("run");
    assert!(out.status.success());
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = spelab().args(args).arg("--json").output().expect("run");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    json(&out.stdout);
}
