//! spelab-testkit: shared helpers for spelab's tests (a dev-dependency only).
//!
//! - [`shared_data`]: the one way tests reach `../shared/data`. When the folder is absent the test is
//!   skipped with a clear message, except under CI (`CI=true`), where its absence is a failure.
//! - [`assert_close`]: relative-tolerance assertions with a readable message.
//! - [`Rng`]: the workspace's seeded random generator, for synthetic data (no global randomness in
//!   tests).
//! - [`workspace_root`] and [`fixture`]: paths of the repository's own test data.
//! - [`browser`]: a headless Chromium over WebDriver, for tests of the rendered report; [`skip`] logs
//!   why a test could not run (a failure under CI).
//!
//! ```
//! use spelab_testkit::{assert_close, Rng};
//! let mut rng = Rng::new(42);
//! let u = rng.uniform();
//! assert!((0.0..1.0).contains(&u));
//! assert_close(1.0 + 1e-12, 1.0, 1e-9, "rounding");
//! ```

use std::path::{Path, PathBuf};

pub mod browser;

/// The workspace root (the folder holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Path of a file in the repository's own test data (`tests/data/<relative>`).
pub fn fixture(relative: &str) -> PathBuf {
    workspace_root().join("tests").join("data").join(relative)
}

/// Whether the tests run under CI (`CI=true`).
pub fn under_ci() -> bool {
    std::env::var("CI").map(|v| v == "true" || v == "1").unwrap_or(false)
}

/// Path of `relative` inside the shared data folder (`../shared/data` beside the repository, or
/// `$SPELAB_SHARED_DATA`), or `None` when it is absent and the test should be skipped.
///
/// Prints the skip reason to stderr. Under CI (`CI=true`) a missing folder or file panics, because a
/// silently skipped reference test would let regressions land.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("SPELAB_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared").join("data"));
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    let message = format!(
        "shared test data '{}' not found (looked in {}); set SPELAB_SHARED_DATA or place ../shared beside the repository",
        relative,
        root.display()
    );
    if under_ci() {
        panic!("{message} (CI=true: missing shared data is a failure)");
    }
    eprintln!("skipping: {message}");
    record_skip(&message);
    None
}

/// Skips the running test for `reason`: prints it and logs it for `scripts/test`'s summary line. Under
/// CI (`CI=true`) it panics instead, because a silently skipped test would let regressions land.
pub fn skip(reason: &str) {
    if under_ci() {
        panic!("{reason} (CI=true: a test may not skip)");
    }
    eprintln!("skipping: {reason}");
    record_skip(reason);
}

/// Appends the running test's name and the reason to the file named by `SPELAB_SKIP_LOG`, if set.
/// `scripts/test` sets it and prints one summary line after the run, because cargo hides the stderr
/// of a passing test and a skip would otherwise look like a pass.
fn record_skip(reason: &str) {
    use std::io::Write as _;
    let Some(log) = std::env::var_os("SPELAB_SKIP_LOG") else { return };
    let test = std::thread::current().name().unwrap_or("unnamed test").to_string();
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
        // One line per skip; a failed write only loses the summary, never the test's result.
        let _ = writeln!(f, "{test}\t{reason}");
    }
}

/// Asserts `|actual − expected| <= rel_tol · max(|expected|, tiny)`, naming `what` on failure.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, rel_tol: f64, what: &str) {
    let scale = expected.abs().max(f64::MIN_POSITIVE);
    let err = (actual - expected).abs() / scale;
    assert!(
        err <= rel_tol,
        "{what}: got {actual:e}, expected {expected:e} (relative error {err:e} > tolerance {rel_tol:e})"
    );
}

/// The workspace's one seeded random generator (SplitMix64 with Box-Muller normals), the same one
/// that draws the virtual lab's measurement noise: `Rng::new(seed)`, then `next_u64`, `uniform`
/// ([0, 1)), `uniform_nonzero` ((0, 1]) and `normal`. See [`spelab_core::random`].
pub use spelab_core::random::Rng;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_reproducible_and_roughly_uniform() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        let mut r = Rng::new(1);
        let mean = (0..10_000).map(|_| r.uniform()).sum::<f64>() / 10_000.0;
        // Standard error of the mean of U(0,1) over 1e4 draws is 0.0029; 0.02 is ~7 sigma.
        assert!((mean - 0.5).abs() < 0.02);
    }

    #[test]
    fn workspace_root_holds_the_workspace_manifest() {
        assert!(workspace_root().join("Cargo.toml").exists());
    }
}
