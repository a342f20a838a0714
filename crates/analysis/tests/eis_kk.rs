//! lin-KK against impedance.py 1.7.1 (golden values from `tests/data/gen_eis_linkk.py`), and its
//! verdict on a clean spectrum and on one with drift.

use num_complex::Complex64;
use spelab_analysis::eis::kk::{lin_kk, KkFit, LinKkOptions};
use spelab_analysis::eis::Circuit;
use spelab_core::{ImpedanceSpectrum, Metadata};
use spelab_testkit::Rng;

fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn example(f_max: Option<f64>) -> ImpedanceSpectrum {
    let text = std::fs::read_to_string(data_dir().join("impedancepy_exampleData.csv")).unwrap();
    let (mut f, mut z) = (Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Vec<f64> = line.split(',').map(|x| x.trim().parse().unwrap()).collect();
        if v[2] < 0.0 && f_max.is_none_or(|m| v[0] < m) {
            f.push(v[0]);
            z.push(Complex64::new(v[1], v[2]));
        }
    }
    ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn lin_kk_matches_impedancepy() {
    let text = std::fs::read_to_string(data_dir().join("eis_linkk_reference.json")).unwrap();
    let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
    for case in cases.as_array().unwrap() {
        let spectrum = example(case["f_max"].as_f64());
        assert_eq!(spectrum.len() as u64, case["n_points"].as_u64().unwrap());
        let fit = match case["fit"].as_str().unwrap() {
            "real" => KkFit::Real,
            "imag" => KkFit::Imag,
            _ => KkFit::Complex,
        };
        let options = LinKkOptions {
            mu_cutoff: case["c"].as_f64(),
            max_m: case["max_m"].as_u64().unwrap() as usize,
            fit,
            add_capacitance: case["add_cap"].as_bool().unwrap(),
            ..LinKkOptions::default()
        };
        let kk = lin_kk(&spectrum, &options).unwrap();
        let mu_ref = case["mu"].as_f64().unwrap();
        println!(
            "{fit:?} cap {}: M {} (impedance.py {}), mu {:.10} ({mu_ref:.10}), max residual {:.4e}",
            options.add_capacitance, kk.m, case["m"], kk.mu, kk.max_residual
        );
        assert_eq!(kk.m as u64, case["m"].as_u64().unwrap());
        // μ is a ratio of fitted resistances of an ill-conditioned linear problem (M up to 26
        // log-spaced RC elements, normal equations with condition ~1e12): both solve it in double
        // precision, and the individual Rₖ (not the fit) differ at ~1e-5; 1e-4 absolute on μ.
        assert!((kk.mu - mu_ref).abs() < 1e-4, "mu {} vs {mu_ref}", kk.mu);
        let (re, im) = (floats(&case["residuals_real"]), floats(&case["residuals_imag"]));
        for i in 0..re.len() {
            // Residuals are fractions of |Z| (up to ~4e-3 here); 1e-6 absolute is < 0.1 % of the largest
            // and far below any pass/fail threshold (LU here vs numpy's explicit inverse on normal
            // equations with condition ~1e12 differ at ~1e-8).
            assert!(
                (kk.residuals_real[i] - re[i]).abs() < 1e-6,
                "re[{i}] {} vs {}",
                kk.residuals_real[i],
                re[i]
            );
            assert!(
                (kk.residuals_imag[i] - im[i]).abs() < 1e-6,
                "im[{i}] {} vs {}",
                kk.residuals_imag[i],
                im[i]
            );
        }
    }
}

/// Two depressed arcs (R‖CPE, as real electrolytes show), 0.1 % noise; in the drifting copy R2 grows by 30 % over the sweep (high to low
/// frequency, as instruments measure), a non-stationary cell.
fn two_arc(drift: f64) -> ImpedanceSpectrum {
    let circuit: Circuit = "R0-p(R1,CPE1)-p(R2,CPE2)".parse().unwrap();
    let f: Vec<f64> = (0..=56).map(|k| 10f64.powf(5.0 - k as f64 / 8.0)).collect();
    let mut rng = Rng::new(3);
    let n = f.len();
    let z = f
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let p = [10.0, 100.0, 1e-6, 0.85, 200.0 * (1.0 + drift * i as f64 / (n - 1) as f64), 1e-3, 0.8];
            let z = circuit.impedances(&[2.0 * std::f64::consts::PI * f], &p)[0];
            z + 0.001 * z.norm() * Complex64::new(rng.normal(), rng.normal())
        })
        .collect();
    ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap()
}

#[test]
fn lin_kk_passes_a_clean_spectrum_and_flags_drift() {
    let options = LinKkOptions {
        fit: KkFit::Complex,
        mu_cutoff: Some(0.5),
        threshold: 0.005,
        ..LinKkOptions::default()
    };
    let clean = lin_kk(&two_arc(0.0), &options).unwrap();
    let drifting = lin_kk(&two_arc(0.5), &options).unwrap();
    println!(
        "clean: M {} max residual {:.3e}; drift: M {} max residual {:.3e}",
        clean.m, clean.max_residual, drifting.m, drifting.max_residual
    );
    // 0.1 % noise stays well inside the 1 % threshold; 30 % drift of one arc does not.
    assert!(clean.pass, "clean spectrum failed: {}", clean.max_residual);
    assert!(!drifting.pass, "drift not flagged: {}", drifting.max_residual);
}
