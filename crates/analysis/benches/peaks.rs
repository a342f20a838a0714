//! Peak-fit timings for `scripts/bench-peaks`, which runs lmfit and lmfitxps on the same data in the
//! same run: (1) a three-band pseudo-Voigt fit (shared η) of `tests/data/bench_three_bands.csv`;
//! (2) an iterative Shirley background plus a spin–orbit doublet fit of lmfitxps's Au 4f example
//! (`tests/data/shirley_lmfitxps_au4f.csv`), the reference fit of the shared README. Plain
//! `harness = false`, `std::time::Instant`; prints `key value` lines in microseconds (best, median).
//!
//! Run: `cargo bench -p spelab-analysis --bench peaks`.

use std::time::Instant;

use spelab_analysis::peaks::xps_background::shirley;
use spelab_analysis::peaks::{fit_peaks, Component, Param, PeakModel, Shape, Which};
use spelab_core::fit::FitOptions;

fn read(name: &str) -> (Vec<f64>, Vec<f64>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    let text = std::fs::read_to_string(path).expect("bench data");
    text.lines()
        .filter(|l| !l.starts_with('#') && l.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|c| c.parse().expect("number")).collect();
            (v[0], v[1])
        })
        .unzip()
}

fn times_us(runs: usize, mut work: impl FnMut()) -> (f64, f64) {
    work();
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            work();
            s.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    t.sort_by(f64::total_cmp);
    (t[0], t[t.len() / 2])
}

fn main() {
    let (x, y) = read("bench_three_bands.csv");
    let mut model = PeakModel::new(
        [("free", 741.0), ("CIP", 744.0), ("AGG", 749.0)]
            .iter()
            .map(|&(l, c)| {
                Component::new(l, Shape::PseudoVoigt, c, 6.0, 1000.0)
                    .center_within(c - 1.5, c + 1.5)
                    .width_within(3.0, 10.0)
                    .with_mix(Param::bounded(0.5, 0.0, 1.0))
            })
            .collect(),
    );
    model.share(Which::Mix, &[0, 1, 2]);
    let opts = FitOptions { ftol: 1.5e-8, xtol: 1.5e-8, gtol: 0.0, patience: 200 };
    let fit = fit_peaks(&x, &y, &model, &opts).expect("fit");
    println!(
        "# three bands: free {:.4} CIP {:.4} AGG {:.4} cm-1, evaluations {}",
        fit.components[0].center.0, fit.components[1].center.0, fit.components[2].center.0, fit.evaluations
    );
    let (best, median) = times_us(2000, || {
        std::hint::black_box(fit_peaks(&x, &y, &model, &opts).expect("fit"));
    });
    println!("pv3_best_us {best:.2}");
    println!("pv3_us {median:.2}");

    let (be, counts) = read("shirley_lmfitxps_au4f.csv");
    let (be, counts): (Vec<f64>, Vec<f64>) =
        be.iter().zip(&counts).filter(|(e, _)| **e >= 83.5 && **e <= 96.0).map(|(a, b)| (*a, *b)).unzip();
    let run = || {
        let n = counts.len();
        let start = counts[..5].iter().sum::<f64>() / 5.0;
        let end = counts[n - 5..].iter().sum::<f64>() / 5.0;
        let bg = shirley(&be, &counts, start, end, 1e-7, 100).expect("shirley").background;
        let ys: Vec<f64> = counts.iter().zip(&bg).map(|(a, b)| a - b).collect();
        let peak = ys.iter().cloned().fold(0.0, f64::max);
        let major = Component::new("Au 4f7/2", Shape::PseudoVoigt, 87.7, 0.5, peak * 0.6)
            .center_within(87.0, 88.5)
            .width_within(0.1, 2.0)
            .with_mix(Param::bounded(0.5, 0.0, 1.0));
        let mut m = PeakModel::new(vec![major]);
        m.add_doublet(0, "Au 4f5/2", 3.67, 0.75);
        fit_peaks(&be, &ys, &m, &opts).expect("fit")
    };
    let fit = run();
    println!(
        "# Au 4f7/2 {:.4} eV, FWHM {:.4}, evaluations {}",
        fit.components[0].center.0, fit.components[0].width.0, fit.evaluations
    );
    let (best, median) = times_us(2000, || {
        std::hint::black_box(run());
    });
    println!("xps_best_us {best:.2}");
    println!("xps_us {median:.2}");
}
