//! Circuit fits of real instrument spectra (read by spelab-io): fits that cannot determine a parameter
//! say so instead of printing a meaningless number.

use spelab_analysis::eis::{fit_circuit, Circuit, EisFitOptions};
use spelab_core::fit::Termination;
use spelab_core::ImpedanceSpectrum;
use spelab_testkit::shared_data;

fn read(path: &std::path::Path) -> ImpedanceSpectrum {
    spelab_io::read_path(path).unwrap().impedance_spectrum().unwrap()
}

/// Gamry's EISPOT example (gamry-parser's test file, MIT; a copy is in `tests/data/`): 10 points from
/// 10 kHz to 0.5 Hz with no arc apex (−Z'' rises down to the lowest frequency). For R0-p(R1,CPE1) the
/// χ² falls monotonically as R1 grows (the block tends to the CPE alone: R0-CPE1 reaches the same χ²),
/// so the automatic-guess fit used to stop "converged" at R1 = 1.3e154 Ω with NaN errors.
fn check_no_apex_spectrum(spectrum: &ImpedanceSpectrum) {
    let circuit: Circuit = "R0-p(R1,CPE1)".parse().unwrap();
    let fit = fit_circuit(spectrum, &circuit, &EisFitOptions::default()).unwrap();
    println!("{} ({:?}): {:?}, chi2 {:e}", fit.termination, fit.undetermined, fit.values(), fit.chi2);
    assert_eq!(fit.termination, Termination::Undetermined);
    assert!(!fit.termination.converged());
    assert_eq!(fit.undetermined, ["R1 → ∞"]);
    assert!(fit.parameter("R1").unwrap().std_error.is_nan());
    // The parameters the data do determine match the reduced circuit R0-CPE1 (the R1 → ∞ limit) to
    // 1e-4, with finite standard errors (computed with R1 held).
    let reduced: Circuit = "R0-CPE1".parse().unwrap();
    let limit = fit_circuit(spectrum, &reduced, &EisFitOptions::default()).unwrap();
    assert!(limit.termination.converged(), "{}", limit.termination);
    for name in ["R0", "CPE1.q", "CPE1.alpha"] {
        let (a, b) = (fit.parameter(name).unwrap(), limit.parameter(name).unwrap());
        assert!((a.value / b.value - 1.0).abs() < 1e-4, "{name}: {} vs R0-CPE1 {}", a.value, b.value);
        assert!(a.std_error.is_finite() && a.std_error > 0.0, "{name}: {}", a.std_error);
        assert!(
            (a.std_error / b.std_error - 1.0).abs() < 0.05,
            "{name}: se {} vs {}",
            a.std_error,
            b.std_error
        );
    }
    assert!((fit.chi2 / limit.chi2 - 1.0).abs() < 1e-6);
}

#[test]
fn a_parameter_running_off_to_infinity_is_reported_not_converged() {
    let copy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gamry_eispot_data.dta");
    check_no_apex_spectrum(&read(&copy));
    if let Some(original) = shared_data("instruments/gamry/eispot_data.dta") {
        check_no_apex_spectrum(&read(&original));
    }
}

#[test]
fn a_spectrum_with_an_arc_still_converges_with_every_parameter_determined() {
    // The same circuit on a spectrum that has its apex: nothing is flagged.
    let circuit: Circuit = "R0-p(R1,CPE1)".parse().unwrap();
    let f: Vec<f64> = (0..=50).map(|k| 10f64.powf(5.0 - k as f64 / 10.0)).collect();
    let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let z = circuit.impedances(&omega, &[224.0, 50.0, 1e-4, 0.8]);
    let spectrum = ImpedanceSpectrum::new(f, z, Default::default()).unwrap();
    let fit = fit_circuit(&spectrum, &circuit, &EisFitOptions::default()).unwrap();
    assert!(fit.termination.converged() && fit.undetermined.is_empty(), "{}", fit.termination);
    assert!((fit.parameter("R1").unwrap().value / 50.0 - 1.0).abs() < 1e-6);
}
