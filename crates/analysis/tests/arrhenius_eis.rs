//! σ(T) from impedance spectra at several temperatures and its Arrhenius fit: spectra synthesised at
//! the R_b(T) of a known activation energy must give it back; bad input names the spectrum.

use num_complex::Complex64;
use spelab_analysis::arrhenius::ArrheniusForm;
use spelab_analysis::arrhenius_eis::{
    arrhenius_from_spectra, BulkMethod, CellGeometry, SpectrumAtTemperature,
};
use spelab_analysis::eis::Circuit;
use spelab_analysis::AnalysisError;
use spelab_core::constants::{BOLTZMANN_EV, T_REF};
use spelab_core::{ImpedanceSpectrum, Metadata, Technique};

const EA_EV: f64 = 0.18;
const SIGMA_25: f64 = 0.123; // 1.23 mS/cm [S/m]
const THICKNESS: f64 = 100e-6;
const AREA: f64 = 2.01e-4;

fn temperatures() -> Vec<f64> {
    (0..9).map(|k| 273.15 + 10.0 * k as f64).collect()
}

fn sigma(t: f64) -> f64 {
    SIGMA_25 * (-EA_EV / BOLTZMANN_EV * (1.0 / t - 1.0 / T_REF)).exp()
}

fn frequencies() -> Vec<f64> {
    (0..=70).map(|k| 10f64.powf(6.0 - 0.1 * k as f64)).collect()
}

/// The spectrum of `circuit` with R_b in the first parameter and `rest` after it, with seeded
/// relative Gaussian noise `noise` on each component (|Z|·noise, as a potentiostat's error scales).
fn spectrum(circuit: &str, rb: f64, rest: &[f64], noise: f64, rng: &mut fastrand::Rng) -> ImpedanceSpectrum {
    let c: Circuit = circuit.parse().unwrap();
    let f = frequencies();
    let w: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let mut p = vec![rb];
    p.extend_from_slice(rest);
    let mut normal = || {
        let (u1, u2) = (1.0 - rng.f64(), rng.f64());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    };
    let z: Vec<Complex64> = c
        .impedances(&w, &p)
        .into_iter()
        .map(|z| z + noise * z.norm() * Complex64::new(normal(), normal()))
        .collect();
    ImpedanceSpectrum::new(f, z, Metadata::default().with_technique(Technique::Peis)).unwrap()
}

fn series(circuit: &str, rest: &[f64], noise: f64, seed: u64) -> Vec<(f64, ImpedanceSpectrum)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    temperatures()
        .into_iter()
        .map(|t| (t, spectrum(circuit, THICKNESS / (sigma(t) * AREA), rest, noise, &mut rng)))
        .collect()
}

fn inputs(series: &[(f64, ImpedanceSpectrum)]) -> Vec<SpectrumAtTemperature<'_>> {
    series
        .iter()
        .map(|(t, s)| SpectrumAtTemperature {
            label: format!("eis_{:.0}C.mpr", t - 273.15),
            temperature: *t,
            spectrum: s,
        })
        .collect()
}

#[test]
fn noise_free_bare_spikes_recover_ea_by_the_intercept_method() {
    // R_b in series with a CPE: the spike Z' = R_b + cot(απ/2)(−Z'') is a straight line, so the
    // extrapolated real-axis intercept is R_b to rounding.
    let data = series("R0-CPE1", &[2e-5, 0.9], 0.0, 1);
    let r = arrhenius_from_spectra(
        &inputs(&data),
        &CellGeometry::new(THICKNESS, AREA),
        &BulkMethod::Spectrum,
        ArrheniusForm::Sigma,
    )
    .unwrap();
    let ea = r.fit.activation_energy_ev();
    // Brief: 1e-4 relative; the line through exact points is exact to ~1e-12.
    assert!((ea - EA_EV).abs() < 1e-4 * EA_EV, "Ea = {ea}");
    let s25 = r.fit.conductivity_at(T_REF);
    assert!((s25 - SIGMA_25).abs() < 1e-4 * SIGMA_25, "σ25 = {s25}");
    for p in &r.points {
        assert!((p.conductivity.sigma - sigma(p.temperature)).abs() < 1e-9 * p.conductivity.sigma);
        assert!(p.fit.is_none());
    }
}

#[test]
fn noise_free_arcs_recover_ea_by_a_circuit_fit() {
    // A visible bulk arc (R_b ∥ C_g, here at ~1e5 Hz) plus the blocking double layer, fitted with
    // the true circuit: R1 is recovered to the optimiser's tolerance (≪ 1e-6).
    let data = series("p(R1,C1)-CPE1", &[1e-7, 2e-5, 0.9], 0.0, 1);
    let method = BulkMethod::circuit("p(R1,C1)-CPE1", &["R1"]).unwrap();
    let r = arrhenius_from_spectra(
        &inputs(&data),
        &CellGeometry::new(THICKNESS, AREA),
        &method,
        ArrheniusForm::Sigma,
    )
    .unwrap();
    let ea = r.fit.activation_energy_ev();
    assert!((ea - EA_EV).abs() < 1e-4 * EA_EV, "Ea = {ea}");
    assert!(r.points.iter().all(|p| p.fit.is_some()));
    // The spectrum method reads the minimum of −Z'' between arc and spike: close, not exact.
    let shape = arrhenius_from_spectra(
        &inputs(&data),
        &CellGeometry::new(THICKNESS, AREA),
        &BulkMethod::Spectrum,
        ArrheniusForm::Sigma,
    )
    .unwrap();
    assert!((shape.fit.activation_energy_ev() - EA_EV).abs() < 0.02 * EA_EV);
}

#[test]
fn noisy_spectra_recover_ea_within_three_standard_errors() {
    let method = BulkMethod::circuit("R0-CPE1", &["R0"]).unwrap();
    for seed in [1, 2, 3] {
        // 1 % relative noise per component, as the study's EIS steps record.
        let data = series("R0-CPE1", &[2e-5, 0.9], 0.01, seed);
        let r = arrhenius_from_spectra(
            &inputs(&data),
            &CellGeometry::new(THICKNESS, AREA),
            &method,
            ArrheniusForm::Sigma,
        )
        .unwrap();
        let (ea, se) = (r.fit.activation_energy_ev(), r.fit.activation_energy_ev_std_error());
        assert!(se > 0.0 && se.is_finite());
        assert!((ea - EA_EV).abs() < 3.0 * se, "seed {seed}: Ea = {ea} ± {se}");
        // Each σ carries the fit's standard error of R_b.
        assert!(r.points.iter().all(|p| p.conductivity.std_error > 0.0));
    }
}

#[test]
fn one_spectrum_is_an_error() {
    let data = series("R0-CPE1", &[2e-5, 0.9], 0.0, 1);
    let e = arrhenius_from_spectra(
        &inputs(&data[..1]),
        &CellGeometry::new(THICKNESS, AREA),
        &BulkMethod::Spectrum,
        ArrheniusForm::Sigma,
    )
    .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("two or more temperatures") && text.contains("eis_0C.mpr"), "{text}");
}

#[test]
fn a_spectrum_of_another_technique_is_named_in_the_error() {
    let mut data = series("R0-CPE1", &[2e-5, 0.9], 0.0, 1);
    let (f, z, _) = data[3].1.clone().into_parts();
    data[3].1 = ImpedanceSpectrum::new(f, z, Metadata::default().with_technique(Technique::Gcpl)).unwrap();
    let e = arrhenius_from_spectra(
        &inputs(&data),
        &CellGeometry::new(THICKNESS, AREA),
        &BulkMethod::Spectrum,
        ArrheniusForm::Sigma,
    )
    .unwrap_err();
    match &e {
        AnalysisError::Input { input, error } => {
            assert_eq!(input, "eis_30C.mpr");
            assert!(matches!(**error, AnalysisError::WrongTechnique { .. }), "{error:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().starts_with("eis_30C.mpr: "), "{e}");
}

#[test]
fn bad_temperature_and_unknown_element_are_errors() {
    let data = series("R0-CPE1", &[2e-5, 0.9], 0.0, 1);
    let mut bad = inputs(&data);
    bad[1].temperature = f64::NAN;
    let e = arrhenius_from_spectra(
        &bad,
        &CellGeometry::new(THICKNESS, AREA),
        &BulkMethod::Spectrum,
        ArrheniusForm::Sigma,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("eis_10C.mpr: "), "{e}");
    assert!(matches!(BulkMethod::circuit("R0-CPE1", &["R9"]), Err(AnalysisError::UnknownParameter { .. })));
    assert!(BulkMethod::circuit("R0-CPE1", &[]).is_err());
    assert!(BulkMethod::circuit("R0-XYZ1", &["R0"]).is_err());
}
