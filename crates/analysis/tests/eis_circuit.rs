//! Circuit language and elements: parsing, printing, impedance.py golden values, derivatives.

use num_complex::Complex64;
use spelab_analysis::eis::{Circuit, ElementKind};
use spelab_testkit::Rng;

fn golden() -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eis_elements_golden.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn every_element_matches_impedancepy_golden_values() {
    let cases = golden();
    let mut kinds = std::collections::HashSet::new();
    for case in cases.as_array().unwrap() {
        let text = case["circuit"].as_str().unwrap();
        let circuit: Circuit = text.parse().unwrap();
        for e in circuit.elements() {
            kinds.insert(e.kind);
        }
        let params = floats(&case["params"]);
        let f = floats(&case["frequency"]);
        let omega: Vec<f64> = f.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
        let z = circuit.impedances(&omega, &params);
        let (re, im) = (floats(&case["re"]), floats(&case["im"]));
        for i in 0..f.len() {
            let expected = Complex64::new(re[i], im[i]);
            // 1e-10 relative to |Z|: both sides are double precision evaluations of the same formula;
            // our stable coth/tanh differ from numpy's only by rounding.
            let err = (z[i] - expected).norm() / expected.norm();
            assert!(
                err < 1e-10,
                "{text} at f = {} Hz: {} vs impedance.py {} (rel {err:e})",
                f[i],
                z[i],
                expected
            );
        }
    }
    for kind in ElementKind::ALL {
        assert!(kinds.contains(&kind), "no golden values for {kind:?}");
    }
}

/// Random parameters in a plausible range for each kind.
fn random_params(kind: ElementKind, rng: &mut Rng) -> Vec<f64> {
    kind.params()
        .iter()
        .map(|spec| {
            if spec.bounds.upper.is_finite() {
                0.3 + 0.69 * rng.uniform()
            } else if spec.name == "phi" {
                0.2 + 3.0 * rng.uniform()
            } else {
                10f64.powf(-6.0 + 8.0 * rng.uniform())
            }
        })
        .collect()
}

/// Checks the analytic gradient of `circuit` against central differences at several frequencies.
fn check_gradient(circuit: &Circuit, p: &[f64], what: &str) {
    let n = p.len();
    let mut grad = vec![Complex64::new(0.0, 0.0); n];
    let mut scratch = grad.clone();
    for k in -4..=6 {
        let omega = 10f64.powf(k as f64 * 0.7);
        let z = circuit.impedance(omega, p, &mut grad);
        for j in 0..n {
            let h = 1e-6 * p[j];
            let mut q = p.to_vec();
            q[j] = p[j] + h;
            let zp = circuit.impedance(omega, &q, &mut scratch);
            q[j] = p[j] - h;
            let zm = circuit.impedance(omega, &q, &mut scratch);
            let fd = (zp - zm) / (2.0 * h);
            // Compare sensitivities p·dZ/dp on the scale of |Z|: central differences with h = 1e-6 p
            // are good to ~1e-11 relative (truncation h², rounding eps/h); 1e-7 leaves a margin.
            let err = ((fd - grad[j]) * p[j]).norm();
            let scale = z.norm() + (grad[j] * p[j]).norm();
            assert!(
                err <= 1e-7 * scale,
                "{what}: d/d{} at ω = {omega}: analytic {} vs fd {}",
                j,
                grad[j],
                fd
            );
        }
    }
}

#[test]
fn analytic_derivatives_match_finite_differences_property() {
    let mut rng = Rng::new(7);
    for kind in ElementKind::ALL {
        let circuit: Circuit = format!("{}1", kind.prefix()).parse().unwrap();
        for _ in 0..25 {
            let p = random_params(kind, &mut rng);
            check_gradient(&circuit, &p, kind.prefix());
        }
    }
    // Nested parallel blocks: the chain rule through p(..) inside p(..).
    let circuit: Circuit = "R0-p(R1-p(R2,CPE2),C1,Wo1)-Zarc1".parse().unwrap();
    let p = [1.0, 10.0, 30.0, 1e-5, 0.8, 1e-6, 20.0, 1.0, 5.0, 1e-3, 0.7];
    check_gradient(&circuit, &p, "nested");
    // More parallel branches than the evaluator keeps on the stack (8): ten 10 Ω resistors = 1 Ω.
    let wide: Circuit = "p(R1,R2,R3,R4,R5,R6,R7,R8,R9,C10)".parse().unwrap();
    let p = [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 1e-3];
    check_gradient(&wide, &p, "wide");
    let z = wide.impedances(&[1e9], &p)[0];
    // At 1 GHz the capacitor shorts the network: |Z| = 1/(ωC) ≈ 1e-6 Ω (to 1e-6 relative).
    assert!((z.norm() - 1.0 / (1e9 * 1e-3)).abs() < 1e-12, "{z}");
    let ten: Circuit = "p(R1,R2,R3,R4,R5,R6,R7,R8,R9,R10)".parse().unwrap();
    let z = ten.impedances(&[1.0], &[10.0; 10])[0];
    assert!((z.re - 1.0).abs() < 1e-14 && z.im == 0.0, "{z}");
}

#[test]
fn display_round_trips_and_names_follow_the_grammar() {
    for text in [
        "R0",
        "R0-p(R1,CPE1)-Wo1",
        "R0-p(R1,C1)-p(R2-Wo1,C2)",
        "p(R1-p(R2,p(C3,L3)),CPE1,G1)-TLMQ1",
        "La1-Zarc_a-K2-Gs9-Ws1-W1",
    ] {
        let c: Circuit = text.parse().unwrap();
        assert_eq!(c.to_string(), text);
        let again: Circuit = c.to_string().parse().unwrap();
        assert_eq!(again, c);
    }
    let c: Circuit = " R0 - p( R1 , CPE1 ) ".parse().unwrap();
    assert_eq!(c.to_string(), "R0-p(R1,CPE1)");
    let c: Circuit = "R0-p(R1,CPE1)-Wo1".parse().unwrap();
    assert_eq!(c.param_names(), ["R0", "R1", "CPE1.q", "CPE1.alpha", "Wo1.R", "Wo1.tau"]);
    assert_eq!(c.param_index("CPE1.alpha"), Some(3));
    assert_eq!(c.param_index("R0.R"), Some(0));
    assert_eq!(c.param_index("Wo1.TAU"), Some(5));
    assert_eq!(c.params()[2].spec.unit, "Ohm^-1 s^alpha");
    // Aliases print canonically.
    assert_eq!("ZARC1-TLM2".parse::<Circuit>().unwrap().to_string(), "Zarc1-TLMQ2");
}

#[test]
fn parse_errors_point_at_the_character() {
    let cases = [
        ("R0-p(R1,X1)", 8, "unknown element"),
        ("R0-p(R1,C1", 10, "unclosed"),
        ("R0--R1", 3, "expected an element name"),
        ("R0-p(R1)", 3, "at least two"),
        ("R0-R0", 3, "twice"),
        ("R0-CPE", 6, "identifier"),
        ("R0)", 2, "unexpected ')'"),
        ("", 0, "ended"),
        ("R0-p(R1;C1)", 7, "expected ',' or ')'"),
    ];
    for (text, position, message) in cases {
        let err = text.parse::<Circuit>().unwrap_err();
        assert_eq!(err.position, position, "{text}: {err}");
        assert!(err.message.contains(message), "{text}: {}", err.message);
        let shown = err.to_string();
        // The caret sits under the offending character.
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[2].find('^'), Some(position + 2), "{shown}");
    }
}
