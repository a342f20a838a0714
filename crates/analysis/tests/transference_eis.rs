//! Bruce–Vincent with R_b and R_i fitted from impedance spectra before and after polarization:
//! spectra generated from known resistances give the exact t₊; bad spectra name their file.

use spelab_analysis::eis::Circuit;
use spelab_analysis::transference::{transference_number, SteadyStateOptions, Value};
use spelab_analysis::transference_eis::{resistances_from_spectra, InterfaceCircuit};
use spelab_analysis::AnalysisError;
use spelab_core::{ImpedanceSpectrum, Metadata, Technique};

const RB: f64 = 100.0;
const RI0: f64 = 300.0;
const RISS: f64 = 350.0;

fn spectrum(circuit: &str, params: &[f64], technique: Technique) -> ImpedanceSpectrum {
    let c: Circuit = circuit.parse().unwrap();
    let f: Vec<f64> = (0..=70).map(|k| 10f64.powf(6.0 - 0.1 * k as f64)).collect();
    let w: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    ImpedanceSpectrum::new(f, c.impedances(&w, params), Metadata::default().with_technique(technique))
        .unwrap()
}

/// A chronoamperogram decaying from I₀ = ΔV/(R_b + R_i,0) to the I_ss that Bruce–Vincent maps to t₊.
fn ca(dv: f64, t_plus: f64) -> (Vec<f64>, Vec<f64>) {
    let i0 = dv / (RB + RI0);
    let iss = t_plus * i0 * dv / (dv - i0 * RI0 + t_plus * i0 * RISS);
    let t: Vec<f64> = (0..=7200).map(|k| 2.0 * k as f64).collect();
    let i = t.iter().map(|t| iss + (i0 - iss) * (-t / 600.0).exp()).collect();
    (t, i)
}

#[test]
fn spectra_of_known_resistances_give_the_exact_t_plus() {
    let before = spectrum("R0-p(R1,CPE1)", &[RB, RI0, 1e-5, 0.9], Technique::Peis);
    let after = spectrum("R0-p(R1,CPE1)", &[RB, RISS, 1e-5, 0.9], Technique::Peis);
    let r = resistances_from_spectra(
        ("before.mpr", &before),
        ("after.mpr", &after),
        &InterfaceCircuit::default(),
    )
    .unwrap();
    // Noise-free spectra of the fitted circuit: the fit returns the resistances to its tolerance.
    for (got, want) in [
        (r.resistances.bulk_initial.value, RB),
        (r.resistances.interface_initial.value, RI0),
        (r.resistances.interface_steady.value, RISS),
        (r.bulk_after.value, RB),
    ] {
        assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
    }
    let (dv, t_plus) = (0.010, 0.42);
    let (t, i) = ca(dv, t_plus);
    let res =
        transference_number(&t, &i, Value::exact(dv), Some(r.resistances), &SteadyStateOptions::default())
            .unwrap();
    let bv = res.bruce_vincent_computed_i0.unwrap();
    // Resistances to 1e-6 and a plateau exact to 4e-10 (see transference.rs): t₊ to 1e-5.
    assert!((bv.value - t_plus).abs() < 1e-5, "{bv:?}");
}

#[test]
fn two_interfacial_arcs_sum_into_r_i() {
    // SEI and charge transfer as two arcs: R_i = R1 + R2.
    let params = [RB, 120.0, 1e-7, 0.95, 180.0, 1e-5, 0.9];
    let s = spectrum("R0-p(R1,CPE1)-p(R2,CPE2)", &params, Technique::Peis);
    let circuit = InterfaceCircuit::new("R0-p(R1,CPE1)-p(R2,CPE2)", &["R0"], &["R1", "R2"]).unwrap();
    let r = resistances_from_spectra(("b", &s), ("a", &s), &circuit).unwrap();
    assert!((r.resistances.interface_initial.value - 300.0).abs() < 1e-5 * 300.0, "{r:?}");
    assert!(circuit.describe().contains("R1 + R2"));
}

#[test]
fn a_non_eis_record_and_bad_element_names_are_clear_errors() {
    let good = spectrum("R0-p(R1,CPE1)", &[RB, RI0, 1e-5, 0.9], Technique::Peis);
    let ca_record = spectrum("R0-p(R1,CPE1)", &[RB, RI0, 1e-5, 0.9], Technique::Ca);
    let e =
        resistances_from_spectra(("before.mpr", &good), ("ca.mpr", &ca_record), &InterfaceCircuit::default())
            .unwrap_err();
    assert!(
        matches!(&e, AnalysisError::Input { input, error } if input == "ca.mpr"
        && matches!(**error, AnalysisError::WrongTechnique { .. })),
        "{e:?}"
    );
    assert!(e.to_string().starts_with("ca.mpr: "), "{e}");
    assert!(matches!(
        InterfaceCircuit::new("R0-p(R1,CPE1)", &["R0"], &["R7"]),
        Err(AnalysisError::UnknownParameter { .. })
    ));
    assert!(InterfaceCircuit::new("R0-p(R1,CPE1)", &["R0"], &["CPE1.q"]).is_err(), "not a resistance");
    assert!(InterfaceCircuit::new("R0-p(R1,CPE1)", &["R0"], &["R0"]).is_err(), "shared name");
    assert!(InterfaceCircuit::new("R0-p(R1,CPE1)", &[], &["R1"]).is_err());
}
