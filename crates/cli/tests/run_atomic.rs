//! Run-level atomicity through the real binary (issue #16): a `spelab run` killed (SIGKILL) or
//! interrupted (SIGINT, Ctrl-C) at seeded random points never leaves a mixed output folder; the
//! folder holds the last complete run, an interrupted run leaves no temporary files, and the next run
//! cleans what a killed one left.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{spelab, Scratch, HEADER};

/// Every path under `dir` (relative, sorted), hidden files included.
fn tree(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            out.push(p.strip_prefix(root).unwrap().to_path_buf());
            if p.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Temporary entries (`.spelab-*`) anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str().to_string_lossy().starts_with(".spelab-")))
        .collect()
}

/// A study of `steps` virtual steps whose ids start with `tag`.
fn study(tag: &str, steps: usize) -> String {
    let mut s = format!("{HEADER}\n");
    for k in 0..steps {
        s.push_str(&format!("[[step]]\nkind = \"arrhenius\"\nid = \"{tag}{k}\"\n\n"));
        s.push_str(&format!("[[step]]\nkind = \"eis-conductivity\"\nid = \"{tag}-eis{k}\"\n\n"));
    }
    s
}

/// Runs `study` into `out` to completion; returns its duration.
fn complete(study: &Path, out: &Path) -> Duration {
    let t0 = Instant::now();
    let status = spelab().arg("run").arg(study).arg("--out").arg(out).arg("--quiet").output().expect("run");
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    t0.elapsed()
}

#[test]
fn killing_a_run_at_random_points_never_leaves_a_mixed_folder_or_stray_temporary_files() {
    let s = Scratch::new();
    let (a, b) = (s.write("a.toml", &study("a", 2)), s.write("b.toml", &study("b", 3)));
    let runs = s.path().join("runs");
    let out = runs.join("out");
    complete(&b, &out);
    let tree_b = tree(&out);
    let duration = complete(&a, &out);
    let tree_a = tree(&out);
    assert_ne!(tree_a, tree_b);
    assert!(leftovers(&runs).is_empty(), "{:?}", leftovers(&runs));

    // Seeded points in [0, 1.3] of a complete run's duration (some after its end); SPELAB_KILL_SEED
    // picks other points.
    let mut seed: u64 = std::env::var("SPELAB_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let binary = assert_cmd::cargo::cargo_bin("spelab");
    for k in 0..8 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let fraction = 1.3 * ((seed >> 33) as f64 / (1u64 << 31) as f64);
        let mut child = std::process::Command::new(&binary)
            .arg("run")
            .arg(&b)
            .arg("--out")
            .arg(&out)
            .arg("--quiet")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(duration.mul_f64(fraction));
        let interrupt = k % 2 == 1;
        if interrupt {
            std::process::Command::new("kill")
                .arg("-INT")
                .arg(child.id().to_string())
                .status()
                .expect("kill");
        } else {
            child.kill().ok();
        }
        let status = child.wait().expect("wait");
        if !out.exists() {
            // Killed between the two renames of the commit: the previous run waits, whole, under its
            // `.old` name for the next run to rename it back.
            let old = std::fs::read_dir(&runs)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(".spelab-out.old-"));
            let old = old.expect("neither the output folder nor the previous run aside");
            assert!(tree(&old) == tree_a || tree(&old) == tree_b, "kill {k}: {:?}", tree(&old));
            continue;
        }
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "kill {k} at {fraction:.2} of a run left a mixed folder: {now:?}"
        );
        let log = std::fs::read_to_string(out.join("run.log")).expect("run.log");
        let from_b = log.contains("b.toml");
        assert_eq!(from_b, now == tree_b, "run.log and the files come from different runs");
        if interrupt && status.code() == Some(130) {
            assert!(leftovers(&runs).is_empty(), "Ctrl-C left {:?}", leftovers(&runs));
        }
    }
    // The next complete run cleans whatever the killed ones left.
    complete(&a, &out);
    assert_eq!(tree(&out), tree_a);
    assert!(leftovers(&runs).is_empty(), "{:?}", leftovers(&runs));
}

#[test]
fn a_folder_holding_other_files_is_refused_before_any_step_runs() {
    let s = Scratch::new();
    let study = s.write("study.toml", &study("a", 1));
    let out = s.path().join("mine");
    s.write("mine/notes.txt", "my notes");
    let output = spelab().arg("run").arg(&study).arg("--out").arg(&out).arg("--quiet").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no run.log"));
    assert_eq!(tree(&out), [PathBuf::from("notes.txt")]);
}
