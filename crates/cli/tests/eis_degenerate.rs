//! Degenerate spectra through the real `spelab eis` commands (issue #16): each is an error with its
//! reason (exit 2), a flipped Z'' is a warning, and nothing prints NaN or inf as a result.

mod common;

use common::{json, spelab, Scratch};
use num_complex::Complex64;

/// One RC arc (100 Ω + 1 kΩ ‖ 1 nF) at 40 log-spaced frequencies, scaled and with Z'' times `sign`.
fn arc_csv(scale: f64, sign: f64) -> String {
    (0..40)
        .map(|i| {
            let f = 10f64.powf(5.0 - 0.2 * i as f64);
            let z = 100.0 + 1000.0 / Complex64::new(1.0, 2.0 * std::f64::consts::PI * f * 1e-6);
            format!("{f:e},{:e},{:e}\n", z.re * scale, sign * z.im * scale)
        })
        .collect()
}

/// Runs `spelab eis ARGS FILE` and returns (exit code, stdout + stderr).
fn eis(args: &[&str], file: &std::path::Path) -> (i32, String) {
    let out = spelab().arg("eis").args(args).arg(file).output().expect("run");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// No NaN and no infinity printed as a number.
fn assert_no_nan_or_inf(text: &str) {
    let lower = text.to_lowercase();
    let words = lower.split(|c: char| !(c.is_alphanumeric() || "-+_".contains(c)));
    let bad = ["nan", "inf", "-inf", "+inf", "nan%"];
    assert!(words.into_iter().all(|w| !bad.contains(&w)), "{text}");
}

const COMMANDS: [&[&str]; 5] = [
    &["kk"],
    &["drt"],
    &["fit", "--circuit", "R0-p(R1,C1)"],
    &["conductivity", "--thickness", "100 um", "--area", "1 cm2"],
    &[
        "conductivity",
        "--thickness",
        "100 um",
        "--area",
        "1 cm2",
        "--circuit",
        "R0-p(R1,C1)",
        "--element",
        "R1",
    ],
];

/// Every command refuses `file` with exit 2 and a message containing `reason`.
fn refused_everywhere(file: &std::path::Path, reason: &str) {
    for args in COMMANDS {
        let (code, text) = eis(args, file);
        assert_eq!(code, 2, "{args:?}: {text}");
        assert!(text.contains(reason), "{args:?}: {text}");
        assert_no_nan_or_inf(&text);
    }
}

#[test]
fn an_impedance_of_1e_minus_302_ohm_is_refused_not_passed_with_mu_minus_inf() {
    let scratch = Scratch::new();
    let file = scratch.write("tiny.csv", &arc_csv(1e-302, 1.0));
    refused_everywhere(&file, "|Z| spans 9.329e-300 .. 1.100e-299 Ohm, outside the usable");
}

#[test]
fn huge_impedances_are_refused_instead_of_a_chi2_of_inf() {
    let scratch = Scratch::new();
    let file = scratch.write("huge.csv", &arc_csv(1e300, 1.0));
    refused_everywhere(&file, "outside the usable 1e-12 .. 1e15 Ohm");
}

#[test]
fn a_spectrum_of_zeros_is_refused_instead_of_a_nan_residual() {
    let scratch = Scratch::new();
    let zeros: String = (0..20).map(|i| format!("{},0,0\n", 10f64.powi(5 - i / 4))).collect();
    let file = scratch.write("zeros.csv", &zeros);
    refused_everywhere(&file, "Z = 0 at point 0");
}

#[test]
fn points_at_one_frequency_are_refused_instead_of_a_conductivity() {
    let scratch = Scratch::new();
    let one: String = (0..40).map(|i| format!("1000,{},{}\n", 500.0 + 0.01 * i as f64, -200.0)).collect();
    let file = scratch.write("one.csv", &one);
    refused_everywhere(&file, "40 points lie at 1 distinct frequency (all at 1.000000e3 Hz)");
}

#[test]
fn lin_kk_cannot_pass_when_mu_is_undefined() {
    // A negative-resistance arc: no fitted RC resistance is positive at M = 1, so μ has no value.
    let scratch = Scratch::new();
    let text: String = (0..40)
        .map(|i| {
            let f = 10f64.powf(5.0 - 0.2 * i as f64);
            let z = 10.0 - 5.0 / Complex64::new(1.0, 2.0 * std::f64::consts::PI * f * 1e-3);
            format!("{f:e},{:e},{:e}\n", z.re, z.im)
        })
        .collect();
    let file = scratch.write("negative.csv", &text);
    let (code, text) = eis(&["kk"], &file);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("mu is undefined at M = 1"), "{text}");
    assert_no_nan_or_inf(&text);
}

#[test]
fn a_flipped_imaginary_part_gets_a_warning_naming_the_cause() {
    let scratch = Scratch::new();
    let file = scratch.write("flipped.csv", &arc_csv(1.0, -1.0));
    for args in COMMANDS.iter().filter(|a| a.len() != 5) {
        let (_, text) = eis(args, &file);
        assert!(text.contains("the sign of Z'' looks flipped") && text.contains("-Z''"), "{args:?}: {text}");
        assert_no_nan_or_inf(&text);
    }
    let out =
        spelab().args(["eis", "fit", "--json", "--circuit", "R0-p(R1,C1)"]).arg(&file).output().expect("run");
    let doc = json(&out.stdout);
    assert!(doc["warnings"][0].as_str().unwrap().contains("looks flipped"), "{doc}");
    // The same arc the right way round: no warning.
    let good = scratch.write("good.csv", &arc_csv(1.0, 1.0));
    let (code, text) = eis(&["fit", "--circuit", "R0-p(R1,C1)"], &good);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("warning"), "{text}");
}

#[test]
fn undetermined_standard_errors_read_n_a() {
    let scratch = Scratch::new();
    let example =
        spelab_testkit::workspace_root().join("crates/analysis/tests/data/impedancepy_exampleData.csv");
    let file = scratch.write("example.csv", &std::fs::read_to_string(example).expect("example data"));
    // R1 runs off to infinity (no arc apex in the data): its error has no value.
    let (code, text) = eis(&["fit", "--circuit", "R0-p(R1,CPE1)", "--capacitive-only"], &file);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("n/a"), "{text}");
    assert_no_nan_or_inf(&text);
}
