//! EIS engine timings on impedance.py's example spectrum, for `scripts/bench-eis` (which compares them
//! with impedance.py and pyimpspec in the same run).
//!
//! A plain `harness = false` bench timed with `std::time::Instant` rather than criterion: the batch of
//! 10,000 spectra takes tens of seconds per pass, and criterion's minimum of 10 samples plus warm-up
//! would take many minutes; medians of repeated single runs are what the comparison needs. Prints one
//! `key value` line per measurement (milliseconds) so the script can parse them.
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

/// Median wall time [ms] of `runs` calls of `work`.
fn median_ms(runs: usize, mut work: impl FnMut()) -> f64 {
    work();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
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
    println!("fit_single_ms {:.4}", median_ms(50, || drop(fit_circuit(&spectrum, &circuit, &single))));
    println!("fit_multistart_ms {:.4}", median_ms(20, || drop(fit_circuit(&spectrum, &circuit, &robust))));
    let full = example(false);
    let kk = LinKkOptions::default();
    println!("linkk_ms {:.4}", median_ms(50, || drop(lin_kk(&full, &kk))));
    let drt_options = DrtOptions::default();
    println!("drt_ms {:.4}", median_ms(20, || drop(drt(&full, &drt_options))));
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
