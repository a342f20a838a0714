//! Ageing laws: no ageing keeps the capacity; each law's analytic limit (loss of active material alone
//! gives the retention its law implies; the Li lost equals the integrated SEI side current); the
//! table-stepped curve against direct discharges every cycle; the rate calibrated on the paper's 95.7 %
//! after 130 cycles at 0.1C reproduces it on the calibrated PVH-IM cell.

use spelab_core::constants::FARADAY;
use spelab_sim::fullcell::ageing::{
    calibrate, film_lithium_fraction, predict, retention, AgeingLaw, AgeingLaws, SEI_LITHIUM_PER_UNIT,
    SEI_MOLAR_VOLUME, SEI_RESISTIVITY,
};
use spelab_sim::fullcell::calibration::{with_knobs, Knob};
use spelab_sim::fullcell::{FullCell, ReferenceElectrolyte};

fn cell() -> FullCell {
    FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap()
}

/// C/m² of throughput per mAh/g.
fn per_mah_g(cell: &FullCell) -> f64 {
    cell.active_mass_per_area() * 3600.0
}

/// The PVH-IM cell with the knobs `spelab calibrate` fits on the paper's rate capability.
fn pvh_im() -> FullCell {
    let p = spelab_sim::params::preset("pvh-im").unwrap().material_params().unwrap();
    let base = FullCell::from_material(&p, 1000.0).unwrap();
    let knobs = [Knob::Utilisation, Knob::ParticleDiffusivity, Knob::CathodeBruggeman];
    with_knobs(&base, &knobs, &[0.858, 2.29e-19, 1.340])
}

#[test]
fn without_ageing_the_capacity_is_kept() {
    let curve = retention(&cell(), 0.0038, 0.5, 100, 50, &AgeingLaws::default()).unwrap();
    assert_eq!(curve.iter().map(|p| p.cycle).collect::<Vec<_>>(), [1, 51, 100]);
    for p in &curve {
        assert!((p.retention - 1.0).abs() < 1e-9, "{p:?}");
    }
    // Throughput: twice the capacity per cycle, 99 cycles before the last.
    let q1 = curve[0].capacity_mah_g * per_mah_g(&cell());
    assert!((curve[2].throughput / (2.0 * 99.0 * q1) - 1.0).abs() < 1e-9);
    // Zero rates through the table too: every cycle 100 % (the same discharge, bit for bit), no Li lost.
    let table = predict(&cell(), 0.0038, 0.5, 40, &AgeingLaws::default()).unwrap();
    assert_eq!(table.points.len(), 40);
    for p in &table.points {
        assert!((p.retention - 1.0).abs() < 1e-12 && p.lithium_lost == 0.0, "{p:?}");
    }
}

/// LAM alone at 0.1C (capacity ∝ active material): after one stride the retention is 1 − k Q as the
/// law states, to 2e-3 (the capacity is not exactly proportional to u: the end of the plateau shifts).
#[test]
fn lam_follows_its_law() {
    let laws = AgeingLaws { lam_per_charge: 1e-7, ..AgeingLaws::default() };
    let curve = retention(&cell(), 0.0038, 0.1, 11, 10, &laws).unwrap();
    let expect = 1.0 - 1e-7 * curve[1].throughput;
    assert!((curve[1].retention - expect).abs() < 2e-3, "{} vs {expect}", curve[1].retention);
}

/// The Li consumed equals ∫ i_SEI dt / F with i_SEI = f_SEI |i| over every charge and discharge
/// (each half cycle at the cycle's current for capacity / current), to 1e-9 relative; the film law
/// ties k_R and f_SEI: R_SEI − R₀ = ρ V̄ n_Li / z.
#[test]
fn lithium_lost_is_the_integrated_sei_current() {
    let c = cell();
    let laws = AgeingLaw::SeiFilm.unit().scaled(3.0);
    let curve = predict(&c, 0.0038, 0.5, 30, &laws).unwrap();
    let i = 0.5 * c.one_c_current_density();
    let mut integral = 0.0; // mol/m²
    for (p, next) in curve.points.iter().zip(&curve.points[1..]) {
        let half_cycle_s = p.capacity_mah_g * per_mah_g(&c) / i;
        integral += laws.sei_lithium_fraction * i * 2.0 * half_cycle_s / FARADAY;
        assert!((next.lithium_lost / integral - 1.0).abs() < 1e-9, "{} vs {integral}", next.lithium_lost);
    }
    let last = curve.points.last().unwrap();
    let film = SEI_RESISTIVITY * SEI_MOLAR_VOLUME * last.lithium_lost / SEI_LITHIUM_PER_UNIT;
    assert!((last.film_resistance - c.lithium.film_resistance - film).abs() < 1e-12 * film.max(1.0));
    assert!((film_lithium_fraction(1e-8) - 2.0 * FARADAY * 1e-8 / (2e5 * 9.585e-5)).abs() < 1e-15);
}

/// The table-stepped curve (17 nodes, every cycle) against one direct DFN discharge per cycle:
/// strong LAM at 0.5C over 25 cycles (retention ~0.8); within 2e-3 in retention at every cycle (the
/// linear interpolation between nodes and the solver's ~1e-5 noise).
#[test]
fn table_stepping_matches_direct_discharges() {
    let laws = AgeingLaws { lam_per_charge: 1e-7, ..AgeingLaws::default() };
    let direct = retention(&cell(), 0.0038, 0.5, 25, 1, &laws).unwrap();
    let table = predict(&cell(), 0.0038, 0.5, 25, &laws).unwrap();
    assert!(direct.last().unwrap().retention < 0.9, "{:?}", direct.last());
    for (d, t) in direct.iter().zip(&table.points) {
        assert!(
            (d.retention - t.retention).abs() < 2e-3,
            "cycle {}: {} vs {}",
            d.cycle,
            d.retention,
            t.retention
        );
    }
    assert!(table.interpolation_error.abs() < 0.3, "{}", table.interpolation_error);
}

/// The paper's PVH-IM retention (95.7 % after 130 cycles at 0.1C; 80 % after 280 at 0.5C) on the
/// calibrated cell: each law calibrated on the first number reproduces it within 1e-4 (the root
/// finder's 1e-6 plus the solver's ~1e-5 relative noise in capacity), then the second is predicted;
/// the two laws bracket the paper's 80 %.
#[test]
fn paper_retention_calibrated_at_0p1c_predicted_at_0p5c() {
    let cell = pvh_im();
    let mut predicted = Vec::new();
    for law in AgeingLaw::ALL {
        let fit = calibrate(&cell, 0.0038, 0.1, 130, law, 0.957).unwrap();
        assert!(
            (fit.curve.final_retention() - 0.957).abs() < 1e-4,
            "{law:?}: {}",
            fit.curve.final_retention()
        );
        assert_eq!(fit.curve.points.len(), 130);
        let pred = predict(&cell, 0.0038, 0.5, 280, &fit.laws).unwrap();
        eprintln!(
            "{}: scale {:.4e}, {} + {} discharges; 0.1C x130 {:.4} (paper 0.957); 0.5C x280 predicted {:.4} (paper 0.80), table error {:.3} mAh/g",
            law.name(),
            fit.scale,
            fit.curve.discharges,
            pred.discharges,
            fit.curve.final_retention(),
            pred.final_retention(),
            pred.interpolation_error
        );
        predicted.push(pred.final_retention());
    }
    assert!(predicted[0] > 0.8 && predicted[1] < 0.8, "{predicted:?}");
}
