//! Tests of the measurement types through the public API: every constructor accepts valid data and
//! rejects each kind of invalid data with the right `CoreError` variant; JSON round trips; cycling
//! split on synthetic galvanostatic records; `TimeSeries::charge` against analytic integrals.

use num_complex::Complex64;
use spelab_core::measurement::{Direction, SplitOptions, TgaSignal};
use spelab_core::{
    CoreError, CyclingData, ImpedanceSpectrum, Metadata, Spectrum, SpectrumAxis, Technique, Thermogram,
    ThermogramKind, TimeSeries,
};

/// Serializes to JSON and reads back, checking two paths:
/// - through `serde_json::Value` (numbers stay `f64`): the value must come back exactly;
/// - through JSON text: numbers may come back one ulp off, because serde_json without its
///   `float_roundtrip` feature parses 17-digit decimals with a fast, not always correctly rounded,
///   algorithm. So text is compared number by number with a 1-ulp tolerance.
///
/// Returns the value read through `Value`.
fn round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let tree = serde_json::to_value(value).expect("measurement types serialize");
    let text = serde_json::to_string(value).expect("measurement types serialize");
    let from_text: T = serde_json::from_str(&text).expect("serialized measurement reads back");
    assert_close_json(&serde_json::to_value(&from_text).unwrap(), &tree);
    serde_json::from_value(tree).expect("serialized measurement reads back")
}

fn assert_close_json(a: &serde_json::Value, b: &serde_json::Value) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= f64::EPSILON * x.abs().max(y.abs()), "{x} vs {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len());
            x.iter().zip(y).for_each(|(x, y)| assert_close_json(x, y));
        }
        (Value::Object(x), Value::Object(y)) => {
            assert_eq!(x.len(), y.len());
            for (key, x) in x {
                assert_close_json(x, &y[key]);
            }
        }
        _ => assert_eq!(a, b),
    }
}

fn meta() -> Metadata {
    Metadata::default()
        .with_source("simulation")
        .with_instrument("virtual potentiostat")
        .with_technique(Technique::Peis)
        .with_temperature(298.15)
        .with_area(1.0e-4)
        .with_thickness(1.0e-4)
        .with_material("PVH-IM")
        .with_start_time("2024-05-01T12:00:00Z")
        .with_extra("Ewe range", "-10 V; 10 V")
}

// ---- Metadata ----

#[test]
fn metadata_builders_set_fields_and_validate_rejects_magic_zeros() {
    let m = meta();
    assert_eq!(m.temperature, Some(298.15));
    assert_eq!(m.active_mass, None);
    assert_eq!(m.extra.get("Ewe range").map(String::as_str), Some("-10 V; 10 V"));
    assert_eq!(m.validate(), Ok(()));
    assert_eq!(round_trip(&m), m);

    let zero_area = Metadata::default().with_area(0.0);
    assert_eq!(zero_area.validate(), Err(CoreError::InvalidMetadata { field: "area", value: 0.0 }));
    let nan_t = Metadata::default().with_temperature(f64::NAN);
    assert!(matches!(nan_t.validate(), Err(CoreError::InvalidMetadata { field: "temperature", .. })));
    // Constructors refuse invalid metadata too.
    let err = TimeSeries::new(vec![0.0], vec![0.0], vec![0.0], zero_area).unwrap_err();
    assert!(matches!(err, CoreError::InvalidMetadata { field: "area", .. }));
}

#[test]
fn technique_serializes_snake_case_and_missing_metadata_fields_default_to_none() {
    let json = serde_json::to_string(&Technique::DcPolarization).unwrap();
    assert_eq!(json, "\"dc_polarization\"");
    let m: Metadata = serde_json::from_str(r#"{"technique": "gcpl", "area": 2e-4}"#).unwrap();
    assert_eq!(m.technique, Some(Technique::Gcpl));
    assert_eq!(m.area, Some(2e-4));
    assert_eq!(m.temperature, None);
    assert!(m.extra.is_empty());
}

// ---- ImpedanceSpectrum ----

fn rc_spectrum() -> ImpedanceSpectrum {
    let frequency = vec![1.0e5, 1.0e4, 1.0e3, 1.0e2, 10.0];
    let (real, imag): (Vec<f64>, Vec<f64>) =
        frequency.iter().map(|f| (100.0 + 1.0e3 / f, -1.0e4 / f)).unzip();
    ImpedanceSpectrum::from_parts(frequency, real, imag, meta()).expect("valid spectrum")
}

#[test]
fn impedance_spectrum_accepts_valid_data_and_exposes_it() {
    let s = rc_spectrum();
    assert_eq!(s.len(), 5);
    assert!(!s.is_empty());
    assert_eq!(s.frequency()[0], 1.0e5);
    assert_eq!(s.real()[4], 200.0);
    assert_eq!(s.imag()[4], -1.0e3);
    assert_eq!(s.impedance()[4], Complex64::new(200.0, -1.0e3));
    assert!(s.phase()[4] < 0.0);
    assert_eq!(s.meta().technique, Some(Technique::Peis));
    assert_eq!(round_trip(&s), s);
    let (f, z, m) = s.clone().into_parts();
    assert_eq!(ImpedanceSpectrum::new(f, z, m), Ok(s));
}

#[test]
fn impedance_spectrum_rejects_each_invalid_case() {
    let z = |n: usize| vec![Complex64::new(1.0, -1.0); n];
    let m = Metadata::default;
    assert_eq!(
        ImpedanceSpectrum::new(vec![], vec![], m()),
        Err(CoreError::TooFewPoints { what: "frequency", needed: 1, found: 0 })
    );
    assert_eq!(
        ImpedanceSpectrum::new(vec![1.0, 2.0], z(3), m()),
        Err(CoreError::LengthMismatch { what: "impedance", reference: "frequency", expected: 2, found: 3 })
    );
    assert!(matches!(
        ImpedanceSpectrum::from_parts(vec![1.0, 2.0], vec![1.0, 1.0], vec![0.0], m()),
        Err(CoreError::LengthMismatch { what: "imaginary part", .. })
    ));
    assert_eq!(
        ImpedanceSpectrum::new(vec![1.0, f64::NAN], z(2), m()),
        Err(CoreError::NonFinite { what: "frequency", index: 1 })
    );
    assert_eq!(
        ImpedanceSpectrum::new(vec![1.0, 0.0, -1.0], z(3), m()),
        Err(CoreError::NonPositive { what: "frequency", index: 1, value: 0.0 })
    );
    let mut bad_z = z(3);
    bad_z[2].im = f64::INFINITY;
    assert_eq!(
        ImpedanceSpectrum::new(vec![3.0, 2.0, 1.0], bad_z, m()),
        Err(CoreError::NonFinite { what: "impedance", index: 2 })
    );
    assert!(matches!(
        ImpedanceSpectrum::new(vec![1.0], z(1), Metadata::default().with_thickness(-1e-4)),
        Err(CoreError::InvalidMetadata { field: "thickness", .. })
    ));
    // Deserialization validates as well.
    let bad_json = r#"{"frequency": [1.0, -5.0], "impedance": [[1.0, 0.0], [1.0, 0.0]]}"#;
    assert!(serde_json::from_str::<ImpedanceSpectrum>(bad_json).is_err());
}

#[test]
fn impedance_spectrum_sorts_descending_and_windows() {
    let s = ImpedanceSpectrum::from_parts(
        vec![10.0, 1000.0, 100.0],
        vec![3.0, 1.0, 2.0],
        vec![0.0; 3],
        Metadata::default(),
    )
    .unwrap();
    let sorted = s.sorted_descending();
    assert_eq!(sorted.frequency(), &[1000.0, 100.0, 10.0]);
    assert_eq!(sorted.real(), vec![1.0, 2.0, 3.0]);

    let w = rc_spectrum().window(10.0, 1.0e3).unwrap();
    assert_eq!(w.frequency(), &[1.0e3, 1.0e2, 10.0]); // inclusive bounds, order kept
    assert_eq!(w.real()[0], 101.0);
    assert!(matches!(
        rc_spectrum().window(2.0e5, 3.0e5),
        Err(CoreError::EmptySelection { what: "frequency", .. })
    ));
    assert!(matches!(rc_spectrum().window(1.0e3, 10.0), Err(CoreError::InvalidRange { .. })));
    assert!(matches!(rc_spectrum().window(f64::NAN, 10.0), Err(CoreError::InvalidRange { .. })));
}

// ---- TimeSeries ----

#[test]
fn time_series_accepts_valid_data_with_channels() {
    let ts = TimeSeries::new(
        vec![0.0, 1.0, 1.0, 3.0], // a repeated stamp at a step change is allowed
        vec![1e-3, 1e-3, 0.0, 0.0],
        vec![3.0, 3.1, 3.05, 3.04],
        meta(),
    )
    .unwrap()
    .with_temperature(vec![298.0; 4])
    .unwrap()
    .with_cycle(vec![1, 1, 1, 2])
    .unwrap()
    .with_step(vec![0, 0, 1, 1])
    .unwrap();
    assert_eq!(ts.len(), 4);
    assert_eq!(ts.duration(), 3.0);
    assert_eq!(ts.cycle(), Some(&[1, 1, 1, 2][..]));
    assert_eq!(ts.temperature().map(|t| t.len()), Some(4));
    assert_eq!(round_trip(&ts), ts);
    let parts = ts.clone().into_parts();
    assert_eq!(TimeSeries::try_from(parts), Ok(ts));
}

#[test]
fn time_series_rejects_each_invalid_case() {
    let m = Metadata::default;
    let ok = |n: usize| vec![0.0; n];
    assert_eq!(
        TimeSeries::new(vec![], vec![], vec![], m()),
        Err(CoreError::TooFewPoints { what: "time", needed: 1, found: 0 })
    );
    let err = TimeSeries::new(ok(12), ok(12), ok(10), m()).unwrap_err();
    assert_eq!(err.to_string(), "voltage has 10 values but time has 12");
    assert!(matches!(
        TimeSeries::new(ok(3), ok(2), ok(3), m()),
        Err(CoreError::LengthMismatch { what: "current", reference: "time", expected: 3, found: 2 })
    ));
    assert_eq!(
        TimeSeries::new(vec![0.0, 2.0, 1.0], ok(3), ok(3), m()),
        Err(CoreError::NotMonotonic {
            what: "time",
            expected: "non-decreasing",
            index: 2,
            previous: 2.0,
            value: 1.0
        })
    );
    assert_eq!(
        TimeSeries::new(vec![0.0, f64::NAN], ok(2), ok(2), m()),
        Err(CoreError::NonFinite { what: "time", index: 1 })
    );
    assert_eq!(
        TimeSeries::new(ok(2), vec![0.0, f64::INFINITY], ok(2), m()),
        Err(CoreError::NonFinite { what: "current", index: 1 })
    );
    assert_eq!(
        TimeSeries::new(ok(2), ok(2), vec![f64::NAN, 0.0], m()),
        Err(CoreError::NonFinite { what: "voltage", index: 0 })
    );
    let ts = TimeSeries::new(vec![0.0, 1.0], ok(2), ok(2), m()).unwrap();
    assert!(matches!(
        ts.clone().with_temperature(vec![300.0, -1.0]),
        Err(CoreError::NonPositive { what: "temperature", index: 1, .. })
    ));
    assert!(matches!(ts.clone().with_cycle(vec![1]), Err(CoreError::LengthMismatch { what: "cycle", .. })));
    assert!(matches!(ts.with_step(vec![1, 1, 1]), Err(CoreError::LengthMismatch { what: "step", .. })));
}

#[test]
fn time_series_slices_by_time_and_by_index() {
    let time: Vec<f64> = (0..11).map(f64::from).collect();
    let ts = TimeSeries::new(time.clone(), time.clone(), time, Metadata::default())
        .unwrap()
        .with_cycle((0..11).collect())
        .unwrap();
    let s = ts.slice(2.5, 5.0).unwrap();
    assert_eq!(s.time(), &[3.0, 4.0, 5.0]); // inclusive, time not shifted
    assert_eq!(s.cycle(), Some(&[3, 4, 5][..]));
    assert!(matches!(ts.slice(5.0, 2.0), Err(CoreError::InvalidRange { .. })));
    assert!(matches!(ts.slice(3.2, 3.8), Err(CoreError::EmptySelection { what: "time", .. })));
    assert_eq!(ts.slice_index(1..3).unwrap().current(), &[1.0, 2.0]);
    assert!(matches!(ts.slice_index(3..3), Err(CoreError::IndexOutOfRange { .. })));
    assert!(matches!(ts.slice_index(9..12), Err(CoreError::IndexOutOfRange { len: 11, .. })));
}

#[test]
fn time_series_charge_matches_analytic_integrals() {
    // Linear current: the trapezoid rule is exact, so only rounding remains (1e-15 relative).
    let time: Vec<f64> = (0..=100).map(|k| 0.1 * f64::from(k)).collect();
    let current: Vec<f64> = time.iter().map(|t| 1e-3 + 2e-4 * t).collect();
    let n = time.len();
    let ts = TimeSeries::new(time.clone(), current, vec![0.0; n], Metadata::default()).unwrap();
    for (q, t) in ts.charge().iter().zip(&time) {
        let exact = 1e-3 * t + 1e-4 * t * t;
        assert!((q - exact).abs() <= 1e-15 + 1e-13 * exact.abs());
    }

    // I = I0 sin(ωt), Q = I0 (1 − cos ωt) / ω. Composite-trapezoid error bound:
    // |E| <= t · h² · max|I''| / 12 = t h² I0 ω² / 12, plus a rounding allowance far below it.
    let (i0, omega, h, end) = (2e-3, 0.3, 0.01, 50.0);
    let steps = (end / h) as usize;
    let time: Vec<f64> = (0..=steps).map(|k| k as f64 * h).collect();
    let current: Vec<f64> = time.iter().map(|t| i0 * (omega * t).sin()).collect();
    let n = time.len();
    let ts = TimeSeries::new(time.clone(), current, vec![0.0; n], Metadata::default()).unwrap();
    let charge = ts.charge();
    assert_eq!(charge[0], 0.0);
    for (q, t) in charge.iter().zip(&time) {
        let exact = i0 * (1.0 - (omega * t).cos()) / omega;
        let bound = t * h * h * i0 * omega * omega / 12.0 + 1e-15;
        assert!((q - exact).abs() <= bound, "t = {t}: {q} vs {exact}");
    }
}

// ---- CyclingData ----

/// A galvanostatic record logged like a cycler: each step sampled every `dt` from its start to its end
/// inclusive, so each step change has a point on each side at the same time stamp.
fn cycler_record(steps: &[(f64, f64)], dt: f64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut time, mut current, mut voltage) = (Vec::new(), Vec::new(), Vec::new());
    let mut t0 = 0.0;
    for &(i, duration) in steps {
        let n = (duration / dt).round() as usize;
        for k in 0..=n {
            time.push(t0 + k as f64 * dt);
            current.push(i);
            let polarization = 0.05 + 1e-6 * k as f64; // grows through the step [V]
            voltage.push(if i == 0.0 { 0.0 } else { i.signum() * polarization });
        }
        t0 += duration;
    }
    (time, current, voltage)
}

/// ±1 mA, 1 h halves with 10 min rests, 3 cycles.
fn three_cycles() -> Vec<(f64, f64)> {
    [(1e-3, 3600.0), (0.0, 600.0), (-1e-3, 3600.0), (0.0, 600.0)].repeat(3)
}

#[test]
fn cycling_splits_three_galvanostatic_cycles() {
    let (time, current, voltage) = cycler_record(&three_cycles(), 0.25);
    let ts = TimeSeries::new(time, current, voltage, Metadata::default()).unwrap();
    let data = CyclingData::from_time_series(ts, SplitOptions::default()).unwrap();

    assert_eq!(data.half_cycles().len(), 6);
    assert_eq!(data.rests().len(), 6);
    assert_eq!(data.cycles().len(), 3);
    assert!((data.current_threshold() - 1e-5).abs() < 1e-20);
    for (k, h) in data.half_cycles().iter().enumerate() {
        let direction = if k % 2 == 0 { Direction::Charge } else { Direction::Discharge };
        assert_eq!(h.index, k);
        assert_eq!(h.direction, direction);
        // Constant current integrates exactly by the trapezoid rule, and the edge pieces have zero
        // width (both points of a step change share a time stamp), so the only error is rounding in
        // a sum of 14 400 terms: at most ~n·ε ≈ 3e-12 relative. 1e-9 leaves wide margin for that and
        // nothing for a real bug (one lost sample would be 7e-5 relative).
        assert!((h.charge - 3.6).abs() / 3.6 < 1e-9, "half-cycle {k}: {} C", h.charge);
        assert!((h.duration - 3600.0).abs() < 1e-9);
        assert!((h.mean_current / (direction.sign() * 1e-3) - 1.0).abs() < 1e-9); // as charge
        assert_eq!(h.voltage_start, 0.05 * direction.sign());
        assert!(h.mean_voltage * direction.sign() > 0.05);
        assert_eq!(h.end_index - h.start_index, 14_401);
    }
    for (k, cycle) in data.cycles().iter().enumerate() {
        assert_eq!(cycle.index, k);
        assert_eq!(cycle.number, None);
        assert_eq!(cycle.half_cycles.len(), 2);
        assert_eq!(cycle.half_cycles[0].direction, Direction::Charge);
        assert!((cycle.charge_in(Direction::Discharge) - 3.6).abs() < 1e-9);
    }
    assert!((data.rests()[0].duration - 600.0).abs() < 1e-9);
    let half = data.time_series().slice_index(data.half_cycles()[1].range()).unwrap();
    assert!(half.current().iter().all(|&i| i == -1e-3));
    assert_eq!(round_trip(&data), data);
}

#[test]
fn cycling_uses_the_cycle_channel_when_present() {
    let (time, current, voltage) = cycler_record(&three_cycles(), 1.0);
    // The instrument counts a new cycle at each discharge (as some cyclers do), unlike pairing.
    let mut number = 0;
    let mut previous = 0.0;
    let cycle: Vec<u32> = current
        .iter()
        .map(|&i: &f64| {
            if i < 0.0 && previous >= 0.0 {
                number += 1;
            }
            previous = i;
            number
        })
        .collect();
    let ts = TimeSeries::new(time, current, voltage, Metadata::default()).unwrap().with_cycle(cycle).unwrap();
    let data = CyclingData::from_time_series(ts.clone(), SplitOptions::default()).unwrap();
    let numbers: Vec<Option<u32>> = data.cycles().iter().map(|c| c.number).collect();
    assert_eq!(numbers, vec![Some(0), Some(1), Some(2), Some(3)]);
    let sizes: Vec<usize> = data.cycles().iter().map(|c| c.half_cycles.len()).collect();
    assert_eq!(sizes, vec![1, 2, 2, 1]);
    assert_eq!(data.cycles()[1].half_cycles[0].direction, Direction::Discharge);

    // Ignoring the channel falls back to pairing; cycle_start chooses the leading direction.
    let pairing = SplitOptions { use_cycle_channel: false, ..SplitOptions::default() };
    let paired = CyclingData::from_time_series(ts.clone(), pairing.clone()).unwrap();
    assert_eq!(paired.cycles().len(), 3);
    let discharge_first = SplitOptions { cycle_start: Some(Direction::Discharge), ..pairing };
    let data = CyclingData::from_time_series(ts, discharge_first).unwrap();
    assert_eq!(data.cycles().len(), 4);
}

#[test]
fn cycling_on_a_uniform_grid_loses_at_most_half_a_step_per_edge() {
    // A simulated record on a uniform 7 s grid: the step changes fall between samples. The split
    // assumes each change halfway between the two samples around it, so each edge is off by at
    // most |I|·dt/2 and each half-cycle by at most |I|·dt = 7e-3 C.
    let dt = 7.0;
    let program = three_cycles();
    let total: f64 = program.iter().map(|s| s.1).sum();
    let time: Vec<f64> = (0..=(total / dt) as usize).map(|k| k as f64 * dt).collect();
    let current: Vec<f64> = time
        .iter()
        .map(|&t| {
            let mut start = 0.0;
            for &(i, d) in &program {
                if t < start + d {
                    return i;
                }
                start += d;
            }
            0.0
        })
        .collect();
    let n = time.len();
    let ts = TimeSeries::new(time, current, vec![0.0; n], Metadata::default()).unwrap();
    let data = CyclingData::from_time_series(ts, SplitOptions::default()).unwrap();
    assert_eq!(data.half_cycles().len(), 6);
    for h in data.half_cycles() {
        assert!((h.charge - 3.6).abs() <= 1e-3 * dt + 1e-12, "{} C", h.charge);
        assert!((h.charge - 1e-3 * h.duration).abs() < 1e-12); // constant current: Q = |I| t
    }
}

#[test]
fn cycling_rejects_records_without_current_and_bad_options() {
    let ts = TimeSeries::new(vec![0.0, 1.0], vec![0.0, 0.0], vec![3.0, 3.0], Metadata::default());
    let ts = ts.unwrap();
    assert_eq!(
        CyclingData::from_time_series(ts.clone(), SplitOptions::default()),
        Err(CoreError::NoHalfCycles { threshold: 0.0 })
    );
    let bad_fraction = SplitOptions { current_threshold_fraction: 1.5, ..SplitOptions::default() };
    assert!(matches!(
        CyclingData::from_time_series(ts.clone(), bad_fraction),
        Err(CoreError::InvalidValue { what: "current_threshold_fraction", .. })
    ));
    let bad_absolute = SplitOptions { current_threshold: Some(f64::NAN), ..SplitOptions::default() };
    assert!(matches!(
        CyclingData::from_time_series(ts, bad_absolute),
        Err(CoreError::InvalidValue { what: "current_threshold", .. })
    ));
}

// ---- Spectrum ----

#[test]
fn spectrum_accepts_both_directions_and_converts_display_units() {
    let raman = Spectrum::from_display(
        vec![700.0, 740.0, 780.0],
        vec![1.0, 5.0, 2.0],
        SpectrumAxis::Wavenumber,
        Metadata::default().with_technique(Technique::Raman),
    )
    .unwrap();
    assert!(raman.is_ascending());
    assert_eq!(raman.x(), &[70_000.0, 74_000.0, 78_000.0]); // stored in 1/m
    assert_eq!(raman.x_display(), vec![700.0, 740.0, 780.0]);
    assert_eq!(round_trip(&raman), raman);

    let xps = Spectrum::from_display(
        vec![690.0, 687.0, 684.0],
        vec![1.0, 9.0, 3.0],
        SpectrumAxis::BindingEnergy,
        Metadata::default(),
    )
    .unwrap();
    assert!(!xps.is_ascending());
    assert!((xps.x()[0] - 690.0 * 1.602_176_634e-19).abs() < 1e-30);
    let up = xps.to_ascending();
    assert!(up.is_ascending());
    assert_eq!(up.y(), &[3.0, 9.0, 1.0]);
    assert_eq!(round_trip(&xps), xps);
    assert!((SpectrumAxis::TwoTheta.to_display(std::f64::consts::PI) - 180.0).abs() < 1e-12);
    assert!((SpectrumAxis::Wavelength.from_display(532.0) - 532e-9).abs() < 1e-20);
}

#[test]
fn spectrum_rejects_each_invalid_case() {
    let axis = SpectrumAxis::Wavenumber;
    let m = Metadata::default;
    assert_eq!(
        Spectrum::new(vec![1.0], vec![1.0], axis, m()),
        Err(CoreError::TooFewPoints { what: "x", needed: 2, found: 1 })
    );
    assert!(matches!(
        Spectrum::new(vec![1.0, 2.0], vec![1.0], axis, m()),
        Err(CoreError::LengthMismatch { what: "y", reference: "x", .. })
    ));
    assert_eq!(
        Spectrum::new(vec![1.0, f64::NAN], vec![1.0, 1.0], axis, m()),
        Err(CoreError::NonFinite { what: "x", index: 1 })
    );
    assert!(matches!(
        Spectrum::new(vec![1.0, 2.0, 1.5], vec![1.0; 3], axis, m()),
        Err(CoreError::NotMonotonic { what: "x", index: 2, .. })
    ));
    assert!(matches!(
        Spectrum::new(vec![1.0, 1.0], vec![1.0; 2], axis, m()),
        Err(CoreError::NotMonotonic { what: "x", index: 1, .. })
    ));
    assert_eq!(
        Spectrum::new(vec![1.0, 2.0], vec![1.0, f64::NEG_INFINITY], axis, m()),
        Err(CoreError::NonFinite { what: "y", index: 1 })
    );
}

// ---- Thermogram ----

#[test]
fn thermogram_accepts_valid_data_and_round_trips() {
    let dsc = Thermogram::new(
        vec![300.0, 320.0, 340.0, 320.0], // heat then cool: temperature need not be monotonic
        vec![1e-4, 5e-3, 1e-4, -3e-3],
        ThermogramKind::Dsc,
        Metadata::default().with_technique(Technique::Dsc).with_sample_mass(5e-6),
    )
    .unwrap()
    .with_time(vec![0.0, 120.0, 240.0, 360.0])
    .unwrap();
    assert_eq!(dsc.len(), 4);
    assert_eq!(dsc.kind(), ThermogramKind::Dsc);
    assert_eq!(dsc.time().map(<[f64]>::len), Some(4));
    assert_eq!(round_trip(&dsc), dsc);
    assert_eq!(Thermogram::try_from(dsc.clone().into_parts()), Ok(dsc));

    let tga_kind = ThermogramKind::Tga(TgaSignal::Mass);
    assert_eq!(serde_json::to_string(&tga_kind).unwrap(), r#"{"tga":"mass"}"#);
    let tga = Thermogram::new(vec![300.0, 600.0], vec![5e-6, 4e-6], tga_kind, Metadata::default());
    assert_eq!(round_trip(&tga.unwrap()).signal(), &[5e-6, 4e-6]);
}

#[test]
fn thermogram_rejects_each_invalid_case() {
    let kind = ThermogramKind::Dsc;
    let m = Metadata::default;
    assert_eq!(
        Thermogram::new(vec![300.0], vec![0.0], kind, m()),
        Err(CoreError::TooFewPoints { what: "temperature", needed: 2, found: 1 })
    );
    assert!(matches!(
        Thermogram::new(vec![300.0, 301.0], vec![0.0; 3], kind, m()),
        Err(CoreError::LengthMismatch { what: "signal", reference: "temperature", .. })
    ));
    assert_eq!(
        Thermogram::new(vec![300.0, -1.0], vec![0.0; 2], kind, m()),
        Err(CoreError::NonPositive { what: "temperature", index: 1, value: -1.0 })
    );
    assert_eq!(
        Thermogram::new(vec![300.0, 301.0], vec![0.0, f64::NAN], kind, m()),
        Err(CoreError::NonFinite { what: "signal", index: 1 })
    );
    let ok = Thermogram::new(vec![300.0, 301.0], vec![0.0; 2], kind, m()).unwrap();
    assert!(matches!(ok.clone().with_time(vec![0.0]), Err(CoreError::LengthMismatch { what: "time", .. })));
    assert!(matches!(
        ok.with_time(vec![5.0, 1.0]),
        Err(CoreError::NotMonotonic { what: "time", index: 1, .. })
    ));
}
