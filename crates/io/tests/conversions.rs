//! Corpus files converted into the core measurement types the analyses consume.

use spelab_core::measurement::SplitOptions;
use spelab_core::Technique;
use spelab_io::{read_path, Channel};
use spelab_testkit::{assert_close, shared_data};

/// PEIS `.mpr` → ImpedanceSpectrum: Z'' is minus the stored −Im(Z), values in Ω, frequency in Hz.
#[test]
fn peis_mpr_becomes_an_impedance_spectrum() {
    let Some(path) = shared_data("instruments/biologic/peis.issue_149.mpr") else { return };
    let rec = read_path(&path).expect("read");
    assert_eq!(rec.metadata.technique, Some(Technique::Peis));
    let s = rec.impedance_spectrum().expect("spectrum");
    assert_eq!(s.len(), 84);
    // First point from the reference reader (galvani 0.5.0): f4 values, exact in f64.
    assert_close(s.frequency()[0], 199998.140625, 1e-12, "f[0]");
    assert_close(s.real()[0], 12.753284454345703, 1e-12, "Z'[0]");
    assert_close(s.imag()[0], -0.9616784453392029, 1e-12, "Z''[0]");
    // |Z| from Z' and Z'' equals the stored |Z| to f4 precision (~6e-8 relative).
    let stored = rec.column(&Channel::ImpedanceModulus).expect("|Z|").values.to_f64();
    for (m, z) in s.magnitude().iter().zip(&stored) {
        assert_close(*m, *z, 1e-6, "|Z|");
    }
}

/// GCPL `.mpr` (no current column stored) → CyclingData: current derived as dq/dt; five loops.
#[test]
fn gcpl_mpr_becomes_cycling_data() {
    let Some(path) = shared_data("instruments/biologic/gcpl.issue_149.mpr") else { return };
    let rec = read_path(&path).expect("read");
    assert_eq!(rec.loops, vec![0, 33, 66, 99, 132]);
    let data = rec.cycling_data(SplitOptions::default()).expect("cycling");
    let ts = data.time_series();
    // ±30 µA galvanostatic steps (control/V/mA = ±0.03 mA): within 0.1 % of the set point.
    let max = ts.current().iter().fold(0.0f64, |m, i| m.max(i.abs()));
    assert_close(max, 3.0e-5, 2e-3, "max |I|");
    // 8 half cycles (half cycle index 0..7), 4 cycles by EC-Lab's cycle number.
    assert_eq!(data.half_cycles().len(), 8);
    assert_eq!(data.cycles().len(), 4);
    // Every half cycle's charge equals EC-Lab's stored Q charge/discharge at its end: CyclingData sums
    // the instrument's dq over the half cycle's points (1e-9: float sums of the same counts). Half
    // cycles followed by the sparsely logged rest (170 s gap) included: no gap is credited any more.
    assert!(ts.charge_increment().is_some(), "the dq channel reaches the time series");
    let q = rec.column(&Channel::HalfCycleCharge).expect("Q").values.to_f64();
    for h in data.half_cycles() {
        assert_close(h.charge, q[h.end_index - 1].abs(), 1e-9, "half-cycle charge");
    }
}

/// OCV records hold no current: the time series gets zero current by definition.
#[test]
fn ocv_becomes_a_time_series_with_zero_current() {
    let Some(path) = shared_data("instruments/biologic/ocv.mpr") else { return };
    let ts = read_path(&path).expect("read").time_series().expect("time series");
    assert_eq!(ts.len(), 602);
    assert!(ts.current().iter().all(|&i| i == 0.0));
}
