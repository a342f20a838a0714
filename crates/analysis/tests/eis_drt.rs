//! DRT: peaks of known circuits at the right time constants; NNLS against a known solution.

use nalgebra::{DMatrix, DVector};
use num_complex::Complex64;
use spelab_analysis::eis::drt::{drt, nnls, DrtOptions};
use spelab_analysis::eis::Circuit;
use spelab_core::{ImpedanceSpectrum, Metadata};
use spelab_testkit::Rng;

fn spectrum(text: &str, p: &[f64], noise: f64) -> ImpedanceSpectrum {
    let circuit: Circuit = text.parse().unwrap();
    let f: Vec<f64> = (0..=70).map(|k| 10f64.powf(6.0 - k as f64 / 10.0)).collect();
    let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let mut rng = Rng::new(11);
    let z = circuit
        .impedances(&omega, p)
        .into_iter()
        .map(|z| z + noise * z.norm() * Complex64::new(rng.normal(), rng.normal()))
        .collect();
    ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap()
}

#[test]
fn two_rc_circuit_gives_two_peaks_at_the_time_constants() {
    // τ₁ = R₁C₁ = 1e-4 s, τ₂ = R₂C₂ = 0.2 s; 0.1 % noise.
    let s = spectrum("R0-p(R1,C1)-p(R2,C2)", &[10.0, 100.0, 1e-6, 200.0, 1e-3], 0.001);
    let d = drt(&s, &DrtOptions::default()).unwrap();
    println!("lambda {:e} (GCV {}), R_inf {:.3}, peaks {:?}", d.lambda, d.lambda_from_gcv, d.r_inf, d.peaks);
    assert_eq!(d.peaks.len(), 2, "{:?}", d.peaks);
    // Within 10 % of the true time constants (the bound; the τ grid has 10 points per decade,
    // refined by a parabola).
    for (peak, truth) in d.peaks.iter().zip([1e-4, 0.2]) {
        assert!((peak.tau / truth - 1.0).abs() < 0.1, "peak at {} vs {truth}", peak.tau);
    }
    // Peak areas are the arc resistances (regularisation broadens but conserves them): 10 %.
    for (peak, r) in d.peaks.iter().zip([100.0, 200.0]) {
        assert!((peak.resistance / r - 1.0).abs() < 0.1, "area {} vs {r}", peak.resistance);
    }
    assert!((d.r_inf - 10.0).abs() < 0.5, "R_inf {}", d.r_inf);
    // Ideal RC arcs are delta functions in ln τ: GCV asks for the least smoothing on its grid.
    assert!(d.lambda_from_gcv && (1e-10..=1.0).contains(&d.lambda));
}

#[test]
fn depressed_arcs_give_peaks_at_their_time_constants_with_interior_gcv_lambda() {
    // Two ZARC elements (γ = 0.8, broad symmetric DRT peaks) at τ = 1e-4 s and 0.2 s; 0.5 % noise.
    let s = spectrum("R0-Zarc1-Zarc2", &[10.0, 100.0, 1e-4, 0.8, 200.0, 0.2, 0.8], 0.005);
    let d = drt(&s, &DrtOptions::default()).unwrap();
    println!("lambda {:e}, R_inf {:.3}, peaks {:?}", d.lambda, d.r_inf, d.peaks);
    // GCV slightly under-smooths noisy broad peaks: a small ripple between them may appear (here
    // ~5 % of the total resistance). The two dominant peaks carry the arcs; ripples stay below 10 %.
    let mut peaks = d.peaks.clone();
    peaks.sort_by(|a, b| b.resistance.total_cmp(&a.resistance));
    let total: f64 = peaks.iter().map(|p| p.resistance).sum();
    for ripple in &peaks[2..] {
        assert!(ripple.resistance < 0.1 * total, "{ripple:?}");
    }
    peaks.truncate(2);
    peaks.sort_by(|a, b| a.tau.total_cmp(&b.tau));
    for (peak, truth) in peaks.iter().zip([1e-4, 0.2]) {
        // 10 %: the bound.
        assert!((peak.tau / truth - 1.0).abs() < 0.1, "peak at {} vs {truth}", peak.tau);
    }
    // With noise and broad peaks GCV picks a λ strictly inside its grid.
    assert!(d.lambda > 1e-10 && d.lambda < 1.0, "lambda {}", d.lambda);
}

#[test]
fn nnls_matches_a_known_active_set_solution() {
    // min ‖Ax − b‖ with x ≥ 0 where the unconstrained optimum has a negative component:
    // A = I (3×3), b = (1, −2, 3) → x = (1, 0, 3) exactly.
    let a = DMatrix::identity(3, 3);
    let b = DVector::from_vec(vec![1.0, -2.0, 3.0]);
    let x = nnls(&a, &b);
    assert!((x[0] - 1.0).abs() < 1e-12 && x[1] == 0.0 && (x[2] - 3.0).abs() < 1e-12, "{x}");
    // A full-rank problem whose solution is positive is the ordinary least-squares solution.
    let a = DMatrix::from_row_slice(4, 2, &[1.0, 0.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0]);
    let b = DVector::from_vec(vec![1.0, 3.0, 5.0, 7.0]); // 1 + 2t exactly
    let x = nnls(&a, &b);
    assert!((x[0] - 1.0).abs() < 1e-12 && (x[1] - 2.0).abs() < 1e-12, "{x}");
}
