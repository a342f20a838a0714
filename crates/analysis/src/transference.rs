//! Li⁺ transference number by potentiostatic polarization (methods.md §3).
//!
//! - Evans–Vincent–Bruce (EVB): t₊ = I_ss / I₀.
//! - Bruce–Vincent corrected (BV): t₊ = I_ss (ΔV − I₀R₀) / [I₀ (ΔV − I_ss R_ss)], with R₀ and R_ss the
//!   interfacial resistances before and after polarization (from EIS).
//!
//! I₀ is reported both **measured** (the first point of the chronoamperogram, inflated by double-layer
//! charging) and **computed** as ΔV / (R_b,0 + R_i,0) when the resistances are given; each t₊ is given
//! with both. I_ss is the mean of the final window after a **slope test**: the line fitted to I(t) in
//! the final window must change by less than `max_relative_change` across the window, else the record
//! is not at steady state and the analysis refuses. The first window (same width) that passes the same
//! test gives the time at which steady state was reached.
//!
//! - Bruce–Vincent with Butler–Volmer interfaces ([`kinetic_bruce_vincent`]): the interfacial drop
//!   I·R_i of the linear formula becomes η_BV(I) = (4RT/F) asinh(I R_i F / 4RT) (two identical
//!   electrodes, symmetric kinetics, R_i their linearised resistance), and I₀ solves
//!   ΔV = I₀ R_b + η_BV(I₀), so t₊ = I_ss R_b / (ΔV − η_BV(I_ss; R_ss)). It removes the linearisation
//!   bias of order ΔV² that grows where R_i ≫ R_b.
//!
//! Uncertainties: u(I_ss)² = SEM² + (drift/2)² over the final window (drift = fitted change across the
//! window); u(I₀, computed) from u(R_b,0), u(R_i,0), u(ΔV); u(I₀, measured) = 0 (it is one reading);
//! propagated to t₊ by first-order (central-difference) sensitivities, inputs taken as independent.

use serde::Serialize;

use spelab_core::constants::{FARADAY, GAS_CONSTANT};
use spelab_core::{Technique, TimeSeries};

use crate::error::{check_finite, check_len, check_param_positive, check_technique};
use crate::fit::{fit_line, mean_sd};
use crate::AnalysisError;

const WHAT: &str = "transference number";

/// A value with its standard uncertainty (same unit).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The value.
    pub value: f64,
    /// Its standard uncertainty (0 when unknown or exact).
    pub uncertainty: f64,
}

impl Value {
    /// A value with an uncertainty.
    pub fn new(value: f64, uncertainty: f64) -> Value {
        Value { value, uncertainty }
    }

    /// An exact value (uncertainty 0).
    pub fn exact(value: f64) -> Value {
        Value { value, uncertainty: 0.0 }
    }
}

/// Resistances from EIS before and after polarization [Ω].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Resistances {
    /// Bulk resistance before polarization R_b,0 [Ω].
    pub bulk_initial: Value,
    /// Interfacial resistance before polarization R₀ [Ω].
    pub interface_initial: Value,
    /// Interfacial resistance at steady state R_ss [Ω].
    pub interface_steady: Value,
}

/// Options of the steady-state test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SteadyStateOptions {
    /// Final window as a fraction of the record's duration [1]. Default 0.1.
    pub window_fraction: f64,
    /// Largest accepted change of the fitted line across the window, relative to the window mean [1].
    /// Default 0.01 (1 %).
    pub max_relative_change: f64,
}

impl Default for SteadyStateOptions {
    fn default() -> Self {
        SteadyStateOptions { window_fraction: 0.1, max_relative_change: 0.01 }
    }
}

/// A steady-state plateau found by the slope test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plateau {
    /// Mean |I| over the final window [A].
    pub current: Value,
    /// Start and end time of the final window [s].
    pub window: (f64, f64),
    /// Points in the final window [1].
    pub n_points: usize,
    /// Fitted change across the final window relative to its mean [1].
    pub relative_change: f64,
    /// Start of the first window that passes the slope test [s].
    pub reached_at: f64,
    /// Whether the current was negative in the file and its sign flipped.
    pub sign_flipped: bool,
}

/// Finds the steady-state plateau of a decaying current record (time [s], current [A]).
///
/// Used by the transference-number and electronic-conductivity analyses.
pub fn steady_state(
    what: &'static str,
    time: &[f64],
    current: &[f64],
    options: &SteadyStateOptions,
) -> Result<Plateau, AnalysisError> {
    check_len(what, ("time", time.len()), ("current", current.len()), 10)?;
    check_finite(what, "time", time)?;
    check_finite(what, "current", current)?;
    if !(options.window_fraction > 0.0 && options.window_fraction <= 0.5) {
        return Err(AnalysisError::InvalidParameter {
            what,
            name: "window_fraction",
            value: options.window_fraction,
            expected: "in (0, 0.5]",
        });
    }
    check_param_positive(what, "max_relative_change", options.max_relative_change)?;
    let (t0, t1) = (time[0], time[time.len() - 1]);
    if t1 <= t0 {
        return Err(AnalysisError::Degenerate { what, column: "time" });
    }
    let width = options.window_fraction * (t1 - t0);
    let sign_flipped = current.iter().sum::<f64>() < 0.0;
    let sign = if sign_flipped { -1.0 } else { 1.0 };
    let abs_current: Vec<f64> = current.iter().map(|i| i * sign).collect();
    let window = |start: f64| -> Option<(Vec<f64>, Vec<f64>)> {
        let idx: Vec<usize> =
            (0..time.len()).filter(|&k| time[k] >= start && time[k] <= start + width).collect();
        if idx.len() < 5 {
            return None;
        }
        Some((idx.iter().map(|&k| time[k]).collect(), idx.iter().map(|&k| abs_current[k]).collect()))
    };
    let test = |t: &[f64], i: &[f64]| -> Option<(f64, f64, f64)> {
        let line = fit_line(what, t, i).ok()?;
        let (mean, sd) = mean_sd(i);
        let drift = line.slope * (t[t.len() - 1] - t[0]);
        Some((drift.abs() / mean.abs(), mean, (sd * sd / i.len() as f64 + (drift / 2.0).powi(2)).sqrt()))
    };
    let (wt, wi) = window(t1 - width).ok_or(AnalysisError::TooFewPoints { what, needed: 5, found: 0 })?;
    if wi.iter().any(|i| *i <= 0.0) {
        return Err(AnalysisError::Unusable {
            what,
            reason: "the current is zero or changes sign in the final window; a polarization current keeps one sign"
                .into(),
        });
    }
    let (relative_change, mean, u) =
        test(&wt, &wi).ok_or(AnalysisError::Degenerate { what, column: "time" })?;
    if relative_change > options.max_relative_change {
        return Err(AnalysisError::Unusable {
            what,
            reason: format!(
                "not at steady state: the current changes by {:.3} % across the final {:.0} s window \
                 (slope test threshold {:.3} %); polarize longer or raise max_relative_change",
                relative_change * 100.0,
                width,
                options.max_relative_change * 100.0
            ),
        });
    }
    // Earliest window passing the test, scanned in steps of a tenth of the window.
    let mut reached_at = t1 - width;
    let mut start = t0;
    while start < t1 - width {
        if let Some((t, i)) = window(start) {
            if let Some((rc, _, _)) = test(&t, &i) {
                if rc <= options.max_relative_change && i.iter().all(|v| *v > 0.0) {
                    reached_at = start;
                    break;
                }
            }
        }
        start += width / 10.0;
    }
    Ok(Plateau {
        current: Value::new(mean, u),
        window: (wt[0], wt[wt.len() - 1]),
        n_points: wt.len(),
        relative_change,
        reached_at,
        sign_flipped,
    })
}

/// Result of a transference-number analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transference {
    /// Applied polarization ΔV [V].
    pub applied_voltage: Value,
    /// Measured I₀: the first point of the record [A].
    pub i0_measured: Value,
    /// Computed I₀ = ΔV/(R_b,0 + R_i,0) [A] (when resistances are given).
    pub i0_computed: Option<Value>,
    /// Steady-state plateau.
    pub steady: Plateau,
    /// EVB t₊ = I_ss/I₀ with the measured I₀ [1].
    pub evb_measured_i0: Value,
    /// EVB t₊ with the computed I₀ [1].
    pub evb_computed_i0: Option<Value>,
    /// Bruce–Vincent corrected t₊ with the measured I₀ [1].
    pub bruce_vincent_measured_i0: Option<Value>,
    /// Bruce–Vincent corrected t₊ with the computed I₀ [1] (the recommended value).
    pub bruce_vincent_computed_i0: Option<Value>,
    /// Resistances used.
    pub resistances: Option<Resistances>,
}

impl Transference {
    /// The recommended value: Bruce–Vincent with computed I₀ when resistances are given, else EVB with
    /// the measured I₀.
    pub fn recommended(&self) -> (Value, &'static str) {
        match self.bruce_vincent_computed_i0 {
            Some(v) => (v, "Bruce–Vincent corrected, I₀ = ΔV/(R_b,0 + R_i,0)"),
            None => (self.evb_measured_i0, "Evans–Vincent–Bruce I_ss/I₀, I₀ measured (first point)"),
        }
    }
}

/// Value and first-order uncertainty of `f` at `x` with independent uncertainties `u`.
fn propagate(f: impl Fn(&[f64]) -> f64, x: &[f64], u: &[f64]) -> Value {
    let value = f(x);
    let mut var = 0.0;
    for k in 0..x.len() {
        if u[k] == 0.0 {
            continue;
        }
        let h = 1e-6 * x[k].abs().max(1e-300);
        let mut a = x.to_vec();
        let mut b = x.to_vec();
        a[k] += h;
        b[k] -= h;
        let d = (f(&a) - f(&b)) / (2.0 * h);
        var += (d * u[k]).powi(2);
    }
    Value::new(value, var.sqrt())
}

/// Bruce–Vincent corrected t₊ = I_ss (ΔV − I₀R₀) / [I₀ (ΔV − I_ss R_ss)].
pub fn bruce_vincent(i0: f64, i_ss: f64, dv: f64, r0: f64, r_ss: f64) -> f64 {
    i_ss * (dv - i0 * r0) / (i0 * (dv - i_ss * r_ss))
}

/// The total interfacial overpotential [V] of two identical electrodes carrying current `i` [A] under
/// symmetric Butler–Volmer kinetics (α = ½), whose linearised resistance (both interfaces) is `r` [Ω],
/// at `temperature` [K]: η = (4RT/F) asinh(i r F / 4RT); η → i r for small currents.
///
/// ```
/// use spelab_analysis::transference::butler_volmer_overpotential;
/// let small = butler_volmer_overpotential(1e-9, 1000.0, 298.15);
/// assert!((small - 1e-6).abs() < 1e-15);
/// assert!(butler_volmer_overpotential(1e-5, 1000.0, 298.15) < 1e-2);
/// ```
pub fn butler_volmer_overpotential(i: f64, r: f64, temperature: f64) -> f64 {
    let scale = 4.0 * GAS_CONSTANT * temperature / FARADAY;
    scale * (i * r / scale).asinh()
}

/// Bruce–Vincent t₊ with Butler–Volmer interfaces: t₊ = I_ss R_b / (ΔV − η_BV(I_ss; R_ss)), with
/// [`butler_volmer_overpotential`] at `temperature` [K] (I₀ = the current that solves
/// ΔV = I₀ R_b + η_BV(I₀; R₀), so it needs no I₀ reading).
pub fn bruce_vincent_butler_volmer(i_ss: f64, dv: f64, r_b: f64, r_ss: f64, temperature: f64) -> f64 {
    i_ss * r_b / (dv - butler_volmer_overpotential(i_ss, r_ss, temperature))
}

/// The Butler–Volmer Bruce–Vincent t₊ of an analysis with resistances, at `temperature` [K], with its
/// propagated uncertainty; `None` without resistances or when ΔV − η_BV(I_ss) is not positive.
pub fn kinetic_bruce_vincent(t: &Transference, temperature: f64) -> Option<Value> {
    let r = t.resistances?;
    let x = [t.applied_voltage.value, r.bulk_initial.value, t.steady.current.value, r.interface_steady.value];
    let u = [
        t.applied_voltage.uncertainty,
        r.bulk_initial.uncertainty,
        t.steady.current.uncertainty,
        r.interface_steady.uncertainty,
    ];
    let f = |x: &[f64]| bruce_vincent_butler_volmer(x[2], x[0], x[1], x[3], temperature);
    let v = propagate(f, &x, &u);
    (v.value.is_finite() && v.value > 0.0).then_some(v)
}

/// Computes EVB and Bruce–Vincent t₊ from a chronoamperogram (time [s], current [A]) under the
/// applied polarization `applied_voltage` [V], with EIS resistances when available.
pub fn transference_number(
    time: &[f64],
    current: &[f64],
    applied_voltage: Value,
    resistances: Option<Resistances>,
    options: &SteadyStateOptions,
) -> Result<Transference, AnalysisError> {
    check_param_positive(WHAT, "applied voltage", applied_voltage.value.abs())?;
    let dv = applied_voltage.value.abs();
    let steady = steady_state(WHAT, time, current, options)?;
    let sign = if steady.sign_flipped { -1.0 } else { 1.0 };
    let i0m = current[0] * sign;
    if i0m.is_nan() || i0m <= 0.0 {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!(
                "the first current reading {} A has the opposite sign to the plateau",
                current[0]
            ),
        });
    }
    let iss = steady.current;
    if iss.value > i0m {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!(
                "I_ss = {:.4e} A exceeds I₀ = {:.4e} A: the current grew, which a polarization test cannot do",
                iss.value, i0m
            ),
        });
    }
    let i0_measured = Value::exact(i0m);
    let evb = |x: &[f64]| x[1] / x[0];
    let evb_measured_i0 = propagate(evb, &[i0m, iss.value], &[0.0, iss.uncertainty]);
    let (mut i0_computed, mut evb_computed_i0, mut bv_m, mut bv_c) = (None, None, None, None);
    if let Some(r) = &resistances {
        for (name, v) in [
            ("R_b,0", r.bulk_initial.value),
            ("R_i,0", r.interface_initial.value),
            ("R_i,ss", r.interface_steady.value),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(AnalysisError::Unusable {
                    what: WHAT,
                    reason: format!("{name} = {v} Ω must be finite and >= 0"),
                });
            }
        }
        let i0c = |x: &[f64]| x[0] / (x[1] + x[2]);
        let xc = [dv, r.bulk_initial.value, r.interface_initial.value];
        let uc = [applied_voltage.uncertainty, r.bulk_initial.uncertainty, r.interface_initial.uncertainty];
        let i0 = propagate(i0c, &xc, &uc);
        i0_computed = Some(i0);
        // Computed-I₀ values: parameters (ΔV, R_b, R0, I_ss, R_ss).
        let x = [dv, r.bulk_initial.value, r.interface_initial.value, iss.value, r.interface_steady.value];
        let u = [
            applied_voltage.uncertainty,
            r.bulk_initial.uncertainty,
            r.interface_initial.uncertainty,
            iss.uncertainty,
            r.interface_steady.uncertainty,
        ];
        evb_computed_i0 = Some(propagate(|x| x[3] / (x[0] / (x[1] + x[2])), &x, &u));
        bv_c = Some(propagate(|x| bruce_vincent(x[0] / (x[1] + x[2]), x[3], x[0], x[2], x[4]), &x, &u));
        let xm = [dv, i0m, r.interface_initial.value, iss.value, r.interface_steady.value];
        let um = [applied_voltage.uncertainty, 0.0, r.interface_initial.uncertainty, iss.uncertainty, u[4]];
        bv_m = Some(propagate(|x| bruce_vincent(x[1], x[3], x[0], x[2], x[4]), &xm, &um));
        if dv - iss.value * r.interface_steady.value <= 0.0 || dv - i0m * r.interface_initial.value <= 0.0 {
            return Err(AnalysisError::Unusable {
                what: WHAT,
                reason: "ΔV − I·R_i is not positive: the resistances are inconsistent with the currents (check units, Ω)"
                    .into(),
            });
        }
    }
    Ok(Transference {
        applied_voltage: Value::new(dv, applied_voltage.uncertainty),
        i0_measured,
        i0_computed,
        steady,
        evb_measured_i0,
        evb_computed_i0,
        bruce_vincent_measured_i0: bv_m,
        bruce_vincent_computed_i0: bv_c,
        resistances,
    })
}

/// As [`transference_number`] for a [`TimeSeries`]; refuses records whose technique is not a
/// potentiostatic hold (CA or DC polarization).
pub fn transference_number_from_series(
    series: &TimeSeries,
    applied_voltage: Value,
    resistances: Option<Resistances>,
    options: &SteadyStateOptions,
) -> Result<Transference, AnalysisError> {
    check_technique(
        WHAT,
        "CA or DC polarization",
        series.meta().technique,
        &[Technique::Ca, Technique::DcPolarization],
    )?;
    transference_number(series.time(), series.current(), applied_voltage, resistances, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CA curve decaying from `i0` to `iss` with τ = 600 s over 4 h, 2 s sampling.
    fn ca(i0: f64, iss: f64) -> (Vec<f64>, Vec<f64>) {
        let t: Vec<f64> = (0..=7200).map(|k| 2.0 * k as f64).collect();
        let i = t.iter().map(|t| iss + (i0 - iss) * (-t / 600.0).exp()).collect();
        (t, i)
    }

    fn resistances() -> Resistances {
        Resistances {
            bulk_initial: Value::new(100.0, 2.0),
            interface_initial: Value::new(300.0, 6.0),
            interface_steady: Value::new(350.0, 7.0),
        }
    }

    #[test]
    fn synthetic_ca_gives_the_exact_t_plus() {
        let (dv, t_true) = (0.010, 0.49);
        let r = resistances();
        let i0 = dv / (100.0 + 300.0);
        // Solve the Bruce–Vincent formula for I_ss given t₊ = 0.49.
        let iss = t_true * i0 * dv / (dv - i0 * 300.0 + t_true * i0 * 350.0);
        // Record starting exactly at the computed I₀, negative as many instruments export it.
        let (t, i) = ca(i0, iss);
        let neg: Vec<f64> = i.iter().map(|v| -v).collect();
        let res =
            transference_number(&t, &neg, Value::exact(dv), Some(r), &SteadyStateOptions::default()).unwrap();
        assert!(res.steady.sign_flipped);
        // The tail exp(−t/τ) at t ≥ 12960 s is < 4e-10 relative: t₊ exact to 1e-8.
        let bv = res.bruce_vincent_computed_i0.unwrap();
        assert!((bv.value - t_true).abs() < 1e-8, "{bv:?}");
        assert!((res.evb_measured_i0.value - iss / i0).abs() < 1e-8);
        assert!((res.bruce_vincent_measured_i0.unwrap().value - t_true).abs() < 1e-8);
        assert!((res.i0_computed.unwrap().value - i0).abs() < 1e-15);
        // Propagated uncertainty is positive and of the size the 2 % resistance errors imply (< 10 %).
        assert!(bv.uncertainty > 0.0 && bv.uncertainty < 0.1 * t_true);
        // Steady state is reached after several τ: the window drift (1 %) is met by t ≈ 5 τ.
        assert!(
            res.steady.reached_at > 1200.0 && res.steady.reached_at < 6000.0,
            "{}",
            res.steady.reached_at
        );
    }

    #[test]
    fn a_gcpl_record_is_the_wrong_technique() {
        let (t, i) = ca(2e-5, 1e-5);
        let v = vec![0.01; t.len()];
        let meta = spelab_core::Metadata::default().with_technique(Technique::Gcpl);
        let ts = TimeSeries::new(t, i, v, meta).unwrap();
        let e =
            transference_number_from_series(&ts, Value::exact(0.01), None, &SteadyStateOptions::default());
        assert!(matches!(e, Err(AnalysisError::WrongTechnique { .. })), "{e:?}");
        let ts = TimeSeries::new(
            ts.time().to_vec(),
            ts.current().to_vec(),
            ts.voltage().to_vec(),
            Default::default(),
        )
        .unwrap();
        assert!(transference_number_from_series(
            &ts,
            Value::exact(0.01),
            None,
            &SteadyStateOptions::default()
        )
        .is_ok());
    }

    #[test]
    fn propagated_uncertainty_matches_the_analytic_formula() {
        // EVB with computed I₀: t = I_ss (R_b + R₀)/ΔV, so (u_t/t)² = (u_Iss/I_ss)² + (u_Rb² + u_R0²)/(R_b + R₀)².
        let (t, i) = ca(2.5e-5, 1.2e-5);
        let r = resistances();
        let res =
            transference_number(&t, &i, Value::exact(0.01), Some(r), &SteadyStateOptions::default()).unwrap();
        let evb = res.evb_computed_i0.unwrap();
        let iss = res.steady.current;
        let rel = ((iss.uncertainty / iss.value).powi(2)
            + (2.0f64.powi(2) + 6.0f64.powi(2)) / 400.0f64.powi(2))
        .sqrt();
        // Central differences with h = 1e-6 relative: first-order propagation agrees to 1e-6 relative.
        assert!(
            (evb.uncertainty - evb.value * rel).abs() < 1e-6 * evb.uncertainty,
            "{evb:?} vs {}",
            evb.value * rel
        );
    }

    #[test]
    fn evb_without_resistances() {
        let (t, i) = ca(2e-5, 1e-5);
        let res =
            transference_number(&t, &i, Value::exact(0.01), None, &SteadyStateOptions::default()).unwrap();
        assert!((res.evb_measured_i0.value - 0.5).abs() < 1e-8);
        assert!(res.bruce_vincent_computed_i0.is_none());
        assert_eq!(res.recommended().0, res.evb_measured_i0);
    }

    #[test]
    fn unsteady_nan_short_and_growing_records_are_errors() {
        let (t, i) = ca(2e-5, 1e-5);
        // Cut at 15 min: still decaying.
        let e = transference_number(
            &t[..450],
            &i[..450],
            Value::exact(0.01),
            None,
            &SteadyStateOptions::default(),
        );
        assert!(matches!(e, Err(AnalysisError::Unusable { .. })), "{e:?}");
        let mut bad = i.clone();
        bad[10] = f64::NAN;
        assert!(matches!(
            transference_number(&t, &bad, Value::exact(0.01), None, &SteadyStateOptions::default()),
            Err(AnalysisError::NotFinite { .. })
        ));
        assert!(matches!(
            transference_number(&t[..3], &i[..3], Value::exact(0.01), None, &SteadyStateOptions::default()),
            Err(AnalysisError::TooFewPoints { .. })
        ));
        let (t, grow) = ca(1e-5, 2e-5);
        assert!(
            transference_number(&t, &grow, Value::exact(0.01), None, &SteadyStateOptions::default()).is_err()
        );
        assert!(transference_number(&t, &i, Value::exact(0.0), None, &SteadyStateOptions::default()).is_err());
    }

    #[test]
    fn the_butler_volmer_estimator_recovers_t_plus_of_a_butler_volmer_cell_exactly() {
        // A dilute cell whose interfaces follow symmetric Butler–Volmer kinetics: at steady state
        // ΔV = I_ss R_b / t₊ + η_BV(I_ss), solved by bisection; the linear Bruce–Vincent formula is
        // biased by its linearisation (of order ΔV²), the kinetic one is exact.
        let (t_plus, r_b, r_i, temperature) = (0.49, 8.0, 767.0, 298.15);
        for dv in [0.001, 0.010, 0.030] {
            let residual = |i: f64| i * r_b / t_plus + butler_volmer_overpotential(i, r_i, temperature) - dv;
            let (mut lo, mut hi) = (0.0, dv / r_b);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if residual(mid) > 0.0 {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            let i_ss = 0.5 * (lo + hi);
            let kinetic = bruce_vincent_butler_volmer(i_ss, dv, r_b, r_i, temperature);
            assert!((kinetic - t_plus).abs() < 1e-9, "ΔV {dv}: {kinetic}");
            let i0 = dv / (r_b + r_i);
            let linear = bruce_vincent(i0, i_ss, dv, r_i, r_i);
            if dv >= 0.01 {
                assert!(linear - t_plus > 0.01 * t_plus, "ΔV {dv}: the linear formula is biased: {linear}");
            }
        }
    }
}
