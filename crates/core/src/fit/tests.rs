//! Tests of the Levenberg–Marquardt driver: termination as data, fixed and bounded parameters,
//! finite-difference Jacobians, and agreement with the `levenberg-marquardt` crate.

use super::*;

/// y = a e^(−b t) with a = 2, b = 0.5 on 20 points, plus a fixed offset c.
struct Decay {
    t: Vec<f64>,
    y: Vec<f64>,
}

impl Residuals for Decay {
    fn n_params(&self) -> usize {
        3
    }
    fn n_residuals(&self) -> usize {
        self.t.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        for ((o, t), y) in out.iter_mut().zip(&self.t).zip(&self.y) {
            *o = p[0] * (-p[1] * t).exp() + p[2] - y;
        }
    }
}

fn decay() -> Decay {
    let t: Vec<f64> = (0..20).map(|i| i as f64 * 0.3).collect();
    let y = t.iter().map(|t| 2.0 * (-0.5 * t).exp() + 0.1).collect();
    Decay { t, y }
}

#[test]
fn evaluation_limit_is_reported_not_hidden() {
    let options = FitOptions { patience: 1, ..FitOptions::default() };
    let fit = levenberg_marquardt(
        &decay(),
        &[50.0, 5.0, 0.1],
        &[Bounds::POSITIVE; 3],
        &[false, false, true],
        &options,
    )
    .unwrap();
    assert_eq!(fit.termination, Termination::MaxEvaluations);
    assert!(!fit.termination.converged());
}

#[test]
fn fixed_parameters_stay_and_free_ones_converge_with_finite_difference_jacobian() {
    let fit = levenberg_marquardt(
        &decay(),
        &[1.0, 1.0, 0.1],
        &[Bounds::POSITIVE; 3],
        &[false, false, true],
        &FitOptions::default(),
    )
    .unwrap();
    assert!(fit.termination.converged(), "{}", fit.termination);
    // Exact data: recovered to 1e-9 relative (finite-difference Jacobian, ftol 1e-12).
    assert!((fit.params[0] - 2.0).abs() < 2e-9 && (fit.params[1] - 0.5).abs() < 5e-10);
    assert_eq!(fit.params[2], 0.1);
    assert_eq!(fit.std_errors[2], 0.0);
    assert_eq!(fit.dof, 18);
}

/// y = p₀ e^(p₁ t) + p₂, all three free and unbounded.
struct ExpOffset {
    t: Vec<f64>,
    y: Vec<f64>,
}

impl Residuals for ExpOffset {
    fn n_params(&self) -> usize {
        3
    }
    fn n_residuals(&self) -> usize {
        self.t.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        for ((o, t), y) in out.iter_mut().zip(&self.t).zip(&self.y) {
            *o = p[0] * (p[1] * t).exp() + p[2] - y;
        }
    }
}

/// Moved from spelab-analysis when its second Levenberg–Marquardt solver was retired (issue #11):
/// the same problem and start, the same 1e-10 tolerance, now on this driver.
#[test]
fn exponential_with_offset_from_a_poor_start_to_1e_10() {
    let t: Vec<f64> = (0..30).map(|i| i as f64 * 0.2).collect();
    let y = t.iter().map(|t| 3.0 * (-0.7 * t).exp() + 0.5).collect();
    let fit = levenberg_marquardt(
        &ExpOffset { t, y },
        &[1.0, -0.1, 0.0],
        &[Bounds::FREE; 3],
        &[false; 3],
        &FitOptions::default(),
    )
    .unwrap();
    assert!(fit.termination.converged(), "{}", fit.termination);
    assert!((fit.params[0] - 3.0).abs() < 1e-10, "{:?}", fit.params);
    assert!((fit.params[1] + 0.7).abs() < 1e-10);
    assert!((fit.params[2] - 0.5).abs() < 1e-10);
}

/// Rosenbrock-like exponential model y = a e^(−b t) + c sin(d t) for the cross-check.
struct Wave {
    t: Vec<f64>,
    y: Vec<f64>,
}

impl Wave {
    fn residuals(&self, p: &[f64]) -> Vec<f64> {
        self.t
            .iter()
            .zip(&self.y)
            .map(|(t, y)| p[0] * (-p[1] * t).exp() + p[2] * (p[3] * t).sin() - y)
            .collect()
    }
    fn jacobian(&self, p: &[f64]) -> Vec<[f64; 4]> {
        self.t
            .iter()
            .map(|t| {
                let e = (-p[1] * t).exp();
                [e, -p[0] * t * e, (p[3] * t).sin(), p[2] * t * (p[3] * t).cos()]
            })
            .collect()
    }
}

impl Residuals for Wave {
    fn n_params(&self) -> usize {
        4
    }
    fn n_residuals(&self) -> usize {
        self.t.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&Wave::residuals(self, p));
    }
    fn jacobian(&self, p: &[f64], out: &mut [f64]) -> bool {
        for (row, j) in Wave::jacobian(self, p).iter().enumerate() {
            out[row * 4..row * 4 + 4].copy_from_slice(j);
        }
        true
    }
}

struct CrateWave<'a>(&'a Wave, nalgebra::DVector<f64>);

impl levenberg_marquardt::LeastSquaresProblem<f64, nalgebra::Dyn, nalgebra::U4> for CrateWave<'_> {
    type ResidualStorage = nalgebra::VecStorage<f64, nalgebra::Dyn, nalgebra::U1>;
    type JacobianStorage = nalgebra::VecStorage<f64, nalgebra::Dyn, nalgebra::U4>;
    type ParameterStorage = nalgebra::ArrayStorage<f64, 4, 1>;
    fn set_params(&mut self, x: &nalgebra::Vector4<f64>) {
        self.1 = nalgebra::DVector::from_column_slice(x.as_slice());
    }
    fn params(&self) -> nalgebra::Vector4<f64> {
        nalgebra::Vector4::from_column_slice(self.1.as_slice())
    }
    fn residuals(&self) -> Option<nalgebra::DVector<f64>> {
        Some(nalgebra::DVector::from_vec(Wave::residuals(self.0, self.1.as_slice())))
    }
    fn jacobian(&self) -> Option<nalgebra::OMatrix<f64, nalgebra::Dyn, nalgebra::U4>> {
        let rows = Wave::jacobian(self.0, self.1.as_slice());
        Some(nalgebra::OMatrix::<f64, nalgebra::Dyn, nalgebra::U4>::from_fn(rows.len(), |i, k| rows[i][k]))
    }
}

#[test]
fn minpack_port_follows_the_levenberg_marquardt_crate() {
    // Noisy data (deterministic ripple) so the optimum has non-zero residuals; unbounded
    // parameters, so both optimisers see the same problem.
    let t: Vec<f64> = (0..60).map(|i| i as f64 * 0.1).collect();
    let y =
        t.iter().map(|t| 3.0 * (-0.7 * t).exp() + 0.5 * (2.3 * t).sin() + 0.01 * (17.0 * t).cos()).collect();
    let wave = Wave { t, y };
    let start = [1.0, 0.3, 0.2, 2.0];
    let ours =
        levenberg_marquardt(&wave, &start, &[Bounds::FREE; 4], &[false; 4], &FitOptions::default()).unwrap();
    let solver = levenberg_marquardt::LevenbergMarquardt::new()
        .with_ftol(1e-12)
        .with_xtol(1e-12)
        .with_gtol(1e-14)
        .with_patience(200);
    let (done, report) = solver.minimize(CrateWave(&wave, nalgebra::DVector::from_column_slice(&start)));
    assert!(ours.termination.converged() && report.termination.was_successful());
    // Same algorithm, same path: the same optimum to 1e-10 relative (only summation order differs),
    // and the evaluation counts within a few.
    for (a, b) in ours.params.iter().zip(done.1.iter()) {
        assert!((a - b).abs() <= 1e-10 * b.abs(), "{a} vs {b}");
    }
    let diff = ours.evaluations.abs_diff(report.number_of_evaluations);
    assert!(diff <= 3, "{} vs {} evaluations", ours.evaluations, report.number_of_evaluations);
}

#[test]
fn bad_inputs_are_errors() {
    let d = decay();
    let b = [Bounds::POSITIVE; 3];
    let o = FitOptions::default();
    assert!(matches!(
        levenberg_marquardt(&d, &[1.0, 1.0], &b, &[false; 3], &o),
        Err(FitError::Dimension { .. })
    ));
    assert!(matches!(
        levenberg_marquardt(&d, &[-1.0, 1.0, 0.1], &b, &[false; 3], &o),
        Err(FitError::OutOfBounds { index: 0, .. })
    ));
}
