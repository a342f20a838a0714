//! Bulk resistance and conductivity: each R_b method on spectra with a known answer.

use spelab_analysis::eis::conductivity::{
    bulk_resistance_from_fit, bulk_resistance_from_spectrum, conductivity, BulkResistanceMethod,
};
use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions, Weighting};
use spelab_core::{ImpedanceSpectrum, Metadata};

fn spectrum(text: &str, p: &[f64]) -> ImpedanceSpectrum {
    let circuit: Circuit = text.parse().unwrap();
    let f: Vec<f64> = (0..=72).map(|k| 10f64.powf(7.0 - k as f64 / 8.0)).collect();
    let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    ImpedanceSpectrum::new(f, circuit.impedances(&omega, p), Metadata::default()).unwrap()
}

#[test]
fn spike_only_spectrum_gives_the_real_axis_intercept() {
    // Blocking cell without a bulk arc: Z = R0 + CPE, a straight line from (R0, 0) in the Nyquist plane,
    // so the extrapolated intercept is R0 to rounding (1e-9 relative).
    let s = spectrum("R0-CPE1", &[120.0, 2e-6, 0.85]);
    let rb = bulk_resistance_from_spectrum(&s).unwrap();
    assert_eq!(rb.method, BulkResistanceMethod::RealAxisIntercept { extrapolated: true });
    assert!((rb.value - 120.0).abs() < 1e-9 * 120.0, "{}", rb.value);
    // With a high-frequency inductance the spectrum crosses the axis: interpolated intercept within
    // 1 % (the crossing lies between two points 1/8 decade apart and L shifts it slightly).
    let s = spectrum("L0-R0-CPE1", &[1e-7, 120.0, 2e-6, 0.85]);
    let rb = bulk_resistance_from_spectrum(&s).unwrap();
    assert_eq!(rb.method, BulkResistanceMethod::RealAxisIntercept { extrapolated: false });
    assert!((rb.value - 120.0).abs() < 0.01 * 120.0, "{}", rb.value);
}

#[test]
fn arc_and_spike_use_the_minimum_of_minus_zimag() {
    // Bulk arc (R1 = 500 Ω, ideal C) then electrode spike: the minimum of −Z'' lies at the arc's
    // right end, R0 + R1 within 2 % (the spike's tail lifts the minimum slightly to the right).
    let s = spectrum("R0-p(R1,C1)-CPE2", &[5.0, 500.0, 1e-10, 1e-6, 0.85]);
    let rb = bulk_resistance_from_spectrum(&s).unwrap();
    assert!(matches!(rb.method, BulkResistanceMethod::MinimumImaginary { .. }), "{:?}", rb.method);
    assert!((rb.value - 505.0).abs() < 0.02 * 505.0, "{}", rb.value);
}

#[test]
fn fitted_elements_and_propagated_uncertainty() {
    let s = spectrum("R0-p(R1,CPE1)-CPE2", &[5.0, 500.0, 1e-9, 0.9, 1e-6, 0.85]);
    let circuit: Circuit = "R0-p(R1,CPE1)-CPE2".parse().unwrap();
    let fit =
        fit_circuit(&s, &circuit, &EisFitOptions { weighting: Weighting::Modulus, ..Default::default() })
            .unwrap();
    let rb = bulk_resistance_from_fit(&fit, &["R0", "R1"]).unwrap();
    // Exact data: the fit recovers R0 + R1 to 1e-6 relative.
    assert!((rb.value - 505.0).abs() < 1e-6 * 505.0, "{}", rb.value);
    let sigma = conductivity(&rb, 100e-6, 2e-6, 2.01e-4, 0.0).unwrap();
    assert!((sigma.sigma - 100e-6 / (505.0 * 2.01e-4)).abs() < 1e-6 * sigma.sigma);
    // Thickness 2 % dominates the (tiny) fit error: relative error 2 % to 1e-3.
    assert!((sigma.std_error / sigma.sigma - 0.02).abs() < 1e-3);
    assert!(bulk_resistance_from_fit(&fit, &["CPE1.q"]).is_err());
    assert!(bulk_resistance_from_fit(&fit, &["R7"]).is_err());
}
