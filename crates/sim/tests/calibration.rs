//! Calibration round trip: capacities simulated with known knobs are fitted back to those knobs.

use spelab_sim::fullcell::calibration::{calibrate, rate_capacities, with_knobs, Knob};
use spelab_sim::fullcell::{FullCell, ReferenceElectrolyte};

/// SPE A with u = 0.8 and b = 1.6: the fit from (0.85, 1.5) recovers both to 1e-3 relative and the
/// capacities to 0.01 mAh/g (solver noise ~1e-5 relative); the 95 % intervals contain the truth.
#[test]
fn known_knobs_are_recovered_from_their_own_capacities() {
    let base = FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap();
    let knobs = [Knob::Utilisation, Knob::CathodeBruggeman];
    let truth = [0.8, 1.6];
    let rates = [0.2, 0.5, 1.0];
    let data = rate_capacities(&with_knobs(&base, &knobs, &truth), 0.0038, &rates);
    let cal = calibrate(&base, 0.0038, &rates, &data, &knobs, Some(&[0.85, 1.5])).unwrap();
    assert!(cal.report.termination.converged(), "{}", cal.report.termination);
    for k in 0..2 {
        assert!((cal.values[k] / truth[k] - 1.0).abs() < 1e-3, "{:?} vs {truth:?}", cal.values);
        assert!(
            (cal.values[k] - truth[k]).abs() <= cal.ci95[k].max(1e-6),
            "{:?} ± {:?}",
            cal.values,
            cal.ci95
        );
    }
    for (q, d) in cal.fitted.iter().zip(&data) {
        assert!((q - d).abs() < 0.01, "{q} vs {d}");
    }
    assert!((cal.correlation[0][1] - cal.correlation[1][0]).abs() < 1e-12);
    // The weighed mass is kept: 1C unchanged, the capacity at low rate scales with u.
    assert!((cal.cell.one_c_current_density() / base.one_c_current_density() - 1.0).abs() < 1e-12);
    assert!(cal.fitted[0] < 0.81 * 169.9);
}

#[test]
fn bad_calibration_inputs_are_errors() {
    let base = FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap();
    assert!(calibrate(&base, 0.0038, &[0.1], &[140.0, 1.0], &[Knob::Utilisation], None).is_err());
    let knobs = [Knob::Utilisation, Knob::CathodeBruggeman];
    assert!(calibrate(&base, 0.0038, &[0.1], &[140.0], &knobs, None).is_err());
    assert!(calibrate(&base, 0.0038, &[0.1, 1.0], &[140.0, 100.0], &knobs, Some(&[0.9])).is_err());
}
