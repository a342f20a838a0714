//! Round trip: spectra generated from known circuits with 1 % seeded noise are fitted from the
//! automatic initial guess (no user values) back to the true parameters within 3 standard errors.

use num_complex::Complex64;
use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions, Weighting};
use spelab_core::{ImpedanceSpectrum, Metadata};
use spelab_testkit::Rng;

fn synthetic(circuit: &Circuit, truth: &[f64], seed: u64) -> ImpedanceSpectrum {
    // 1 MHz .. 10 mHz, 8 points per decade.
    let f: Vec<f64> = (0..=64).map(|k| 10f64.powf(6.0 - k as f64 / 8.0)).collect();
    let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let mut rng = Rng::new(seed);
    let z: Vec<Complex64> = circuit
        .impedances(&omega, truth)
        .into_iter()
        .map(|z| z + 0.01 * z.norm() * Complex64::new(rng.normal(), rng.normal()))
        .collect();
    ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap()
}

#[test]
fn five_circuit_shapes_are_recovered_from_the_automatic_guess() {
    let cases: [(&str, &[f64]); 6] = [
        ("R0-p(R1,C1)", &[10.0, 100.0, 1e-6]),
        ("R0-p(R1,CPE1)", &[5.0, 200.0, 1e-6, 0.85]),
        // Blocking-electrode SPE cell: bulk arc and electrode spike.
        ("R0-p(R1,CPE1)-CPE2", &[2.0, 500.0, 1e-9, 0.9, 1e-6, 0.8]),
        ("R0-p(R1,C1)-p(R2,C2)", &[10.0, 100.0, 1e-6, 300.0, 1e-3]),
        // Randles cell with finite diffusion.
        ("R0-p(R1-Wo1,C1)", &[10.0, 50.0, 100.0, 10.0, 1e-5]),
        ("R0-p(R1,CPE1)-Ws1", &[3.0, 80.0, 5e-6, 0.8, 40.0, 2.0]),
    ];
    for (k, (text, truth)) in cases.iter().enumerate() {
        let circuit: Circuit = text.parse().unwrap();
        let spectrum = synthetic(&circuit, truth, 100 + k as u64);
        // Noise proportional to |Z|: modulus weights make the residuals homoscedastic.
        let options = EisFitOptions { weighting: Weighting::Modulus, ..EisFitOptions::default() };
        let fit = fit_circuit(&spectrum, &circuit, &options).unwrap();
        assert!(fit.termination.converged(), "{text}: {}", fit.termination);
        for (p, t) in fit.parameters.iter().zip(truth.iter()) {
            let z = (p.value - t) / p.std_error;
            println!("{text} {}: true {t:e}, fitted {:e} ± {:e} ({z:+.2} σ)", p.name, p.value, p.std_error);
            // 3 standard errors: the bound (a Gaussian estimate lies within 3σ with 99.7 %).
            assert!(z.abs() < 3.0, "{text} {}: {} vs true {t} ({z:.2} σ)", p.name, p.value);
        }
        // 1 % noise on both parts: reduced χ² (modulus weights) ≈ 1e-4 (0.01²).
        assert!((0.5e-4..2e-4).contains(&fit.reduced_chi2), "{text}: reduced chi2 {}", fit.reduced_chi2);
    }
}

#[test]
fn every_weighting_recovers_exact_data_and_fixed_values_stay_put() {
    let circuit: Circuit = "R0-p(R1,CPE1)-Wo1".parse().unwrap();
    let truth = [12.0, 150.0, 2e-6, 0.82, 60.0, 3.0];
    let f: Vec<f64> = (0..=64).map(|k| 10f64.powf(6.0 - k as f64 / 8.0)).collect();
    let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let spectrum =
        ImpedanceSpectrum::new(f, circuit.impedances(&omega, &truth), Metadata::default()).unwrap();
    for weighting in [Weighting::Unit, Weighting::Modulus, Weighting::Proportional] {
        let fit = fit_circuit(&spectrum, &circuit, &EisFitOptions { weighting, ..EisFitOptions::default() })
            .unwrap();
        for (p, t) in fit.parameters.iter().zip(truth) {
            // Exact data: the optimum is the truth; 1e-6 relative allows for the stopping tolerance
            // on the flat Warburg directions.
            assert!((p.value / t - 1.0).abs() < 1e-6, "{weighting:?} {}: {} vs {t}", p.name, p.value);
        }
    }
    // A fixed parameter keeps its value exactly, even on its bound (alpha = 1 is an ideal capacitor).
    let options = EisFitOptions { fixed: vec![("CPE1.alpha".into(), 1.0)], ..EisFitOptions::default() };
    let fit = fit_circuit(&spectrum, &circuit, &options).unwrap();
    let alpha = fit.parameter("CPE1.alpha").unwrap();
    assert!(alpha.fixed && alpha.value == 1.0 && alpha.std_error == 0.0);
}

#[test]
fn interchangeable_arcs_are_reported_in_order_of_time_constant() {
    // Two RC arcs given in the "wrong" order (slow arc first): every fit reports block 1 as the fast
    // arc (τ₁ = R₁C₁ < τ₂ = R₂C₂), from any start, so multi-start optima are never label-swapped.
    let circuit: Circuit = "R0-p(R1,CPE1)-p(R2,CPE2)".parse().unwrap();
    let truth = [5.0, 300.0, 1e-3, 0.9, 100.0, 1e-6, 0.85];
    let spectrum = synthetic(&circuit, &truth, 7);
    let tau = |r: f64, q: f64, a: f64| (r * q).powf(1.0 / a);
    for seed in 0..4 {
        for initial in [vec![], vec![("R1".to_string(), 50.0), ("R2".to_string(), 500.0)]] {
            let options =
                EisFitOptions { weighting: Weighting::Modulus, seed, initial, ..EisFitOptions::default() };
            let fit = fit_circuit(&spectrum, &circuit, &options).unwrap();
            let v = fit.values();
            assert!(fit.termination.converged(), "{}", fit.termination);
            let (t1, t2) = (tau(v[1], v[2], v[3]), tau(v[4], v[5], v[6]));
            assert!(t1 < t2, "seed {seed}: tau1 {t1} >= tau2 {t2}");
            // The fast arc is the truth's second block: R 100 Ω, α 0.85 (within 5 %, 1 % noise).
            assert!((v[1] / 100.0 - 1.0).abs() < 0.05 && (v[3] / 0.85 - 1.0).abs() < 0.05, "{v:?}");
            assert!((v[4] / 300.0 - 1.0).abs() < 0.05 && (v[6] / 0.9 - 1.0).abs() < 0.05, "{v:?}");
        }
    }
    // A block holding a fixed parameter keeps its place: ordering changes nothing then.
    let fixed = EisFitOptions {
        weighting: Weighting::Modulus,
        fixed: vec![("CPE1.alpha".to_string(), 0.9)],
        ..EisFitOptions::default()
    };
    let unordered = EisFitOptions { order_arcs: false, ..fixed.clone() };
    let (a, b) = (
        fit_circuit(&spectrum, &circuit, &fixed).unwrap(),
        fit_circuit(&spectrum, &circuit, &unordered).unwrap(),
    );
    assert_eq!(a.values(), b.values());
    assert_eq!(a.values()[3], 0.9);
}
