//! EIS engine timings on impedance.py's example spectrum, for `scripts/bench-eis` (which compares them
//! with impedance.py and pyimpspec in the same run).
//!
//! A plain `harness = false` bench timed with `std::time::Instant` rather than criterion: the batch of
//! 10,000 spectra takes tens of seconds per pass, and criterion's minimum of 10 samples plus warm-up
//! would take many minutes; the best and the median of repeated single runs are what the comparison
//! needs (on a shared machine the best is the cleaner number, the median the typical one). Prints
//! `key value` lines (milliseconds) so the script can parse them.
//!
//! Run: `cargo bench -p spelab-analysis --bench eis` (`SPELAB_BENCH_BATCH=N` changes the batch size).

use std::time::Instant;

use num_complex::Complex64;
use rayon::prelude::*;
use spelab_analysis::eis::drt::{drt, DrtOptions};
use spelab_analysis::eis::kk::{lin_kk, LinKkOptions};
use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions};
use spelab_core::{ImpedanceSpectrum, Metadata};

/// impedance.py's example spectrum; `capacitive_only` keeps Z'' < 0 as the tutorial's `ignoreBelowX`.
fn example(capacitive_only: bool) -> ImpedanceSpectrum {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/impedancepy_exampleData.csv");
    let text = std::fs::read_to_string(path).expect("example data");
    let (mut f, mut z) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Vec<f64> = line.split(',').map(|x| x.trim().parse().expect("number")).collect();
        if !capacitive_only || v[2] < 0.0 {
            f.push(v[0]);
            z.push(Complex64::new(v[1], v[2]));
        }
    }
    ImpedanceSpectrum::new(f, z, Metadata::default()).expect("spectrum")
}

/// Best and median wall time [ms] of `runs` calls of `work` (after one warm-up call).
fn times_ms(runs: usize, mut work: impl FnMut()) -> (f64, f64) {
    work();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[runs / 2])
}

/// Prints `KEY_best_ms` and `KEY_ms` (median).
fn report(key: &str, (best, median): (f64, f64)) {
    println!("{key}_best_ms {best:.4}");
    println!("{key}_ms {median:.4}");
}

fn main() {
    let spectrum = example(true);
    let circuit: Circuit = "R0-p(R1,C1)-p(R2-Wo1,C2)".parse().expect("circuit");
    let guess = [0.01, 0.01, 100.0, 0.01, 0.05, 100.0, 1.0];
    let initial: Vec<(String, f64)> = circuit.param_names().into_iter().zip(guess).collect();
    // One start from the tutorial guess: what impedance.py and pyimpspec do per fit.
    let single =
        EisFitOptions { initial: initial.clone(), auto_start: false, multistart: 0, ..Default::default() };
    // spelab's default: the given guess plus its automatic guess and multi-start.
    let robust = EisFitOptions { initial, ..Default::default() };
    let fit = fit_circuit(&spectrum, &circuit, &single).expect("fit");
    println!(
        "# single-start fit: {} after {} evaluations, chi2 {:.6e}",
        fit.termination, fit.evaluations, fit.chi2
    );
    report("fit_single", times_ms(200, || drop(fit_circuit(&spectrum, &circuit, &single))));
    report("fit_multistart", times_ms(40, || drop(fit_circuit(&spectrum, &circuit, &robust))));
    let full = example(false);
    let kk = LinKkOptions::default();
    report("linkk", times_ms(50, || drop(lin_kk(&full, &kk))));
    let drt_options = DrtOptions::default();
    report("drt", times_ms(30, || drop(drt(&full, &drt_options))));
    let n: usize = std::env::var("SPELAB_BENCH_BATCH").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("pool");
    let start = Instant::now();
    let converged = pool.install(|| {
        (0..n)
            .into_par_iter()
            .filter(|_| fit_circuit(&spectrum, &circuit, &single).is_ok_and(|f| f.termination.converged()))
            .count()
    });
    let batch_ms = start.elapsed().as_secs_f64() * 1e3;
    println!("# batch: {converged} of {n} converged");
    println!("batch_n {n}");
    println!("batch_2cores_ms {batch_ms:.1}");
}
