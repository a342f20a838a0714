//! Design map: a grid point at the material's own σ and t₊ is the calibrated cell itself (the same
//! discharge, bit for bit); the 1C/0.1C ratio rises with σ and with t₊, and as the membrane thins;
//! bad grids are errors.

use spelab_sim::fullcell::calibration::{discharge_capacity, with_knobs, Knob};
use spelab_sim::fullcell::design_map::{design_map, design_maps, grid_values, DesignGrid};
use spelab_sim::fullcell::FullCell;

const KNOBS: [(Knob, f64); 3] =
    [(Knob::Utilisation, 0.858), (Knob::ParticleDiffusivity, 2.29e-19), (Knob::CathodeBruggeman, 1.340)];

#[test]
fn map_point_at_the_material_is_the_calibrated_cell_and_rate_capability_grows_with_transport() {
    let p = spelab_sim::params::preset("pvh-im").unwrap().material_params().unwrap();
    let (s0, t0) = (p.ionic_conductivity_25c, p.transference_number);
    let grid = DesignGrid {
        conductivity: vec![0.3 * s0, s0],
        transference: vec![0.25, t0],
        thickness: None,
        low_rate: 0.1,
        high_rate: 1.0,
    };
    let map = design_map(&p, 1000.0, &KNOBS, 0.0038, &grid).unwrap();
    let (names, values): (Vec<Knob>, Vec<f64>) = KNOBS.iter().copied().unzip();
    let cell = with_knobs(&FullCell::from_material(&p, 1000.0).unwrap(), &names, &values);
    // Row-major [t index * 2 + σ index]: the material is (1, 1) = 3.
    assert_eq!(map.capacity_high[3], discharge_capacity(&cell, 0.0038, 1.0).unwrap());
    assert_eq!(map.capacity_low[3], discharge_capacity(&cell, 0.0038, 0.1).unwrap());
    let r = map.ratio();
    assert!(r[1] > r[0] && r[3] > r[2], "σ: {r:?}");
    assert!(r[2] > r[0] && r[3] > r[1], "t+: {r:?}");
    assert!((map.thickness - p.thickness).abs() < 1e-15);
    let bad = DesignGrid { transference: vec![0.5, 1.2], ..grid };
    assert!(design_map(&p, 1000.0, &KNOBS, 0.0038, &bad).is_err());
}

/// Thickness panels (one σ × t₊ map per membrane thickness, one parallel run): each panel is the
/// single-map run at that thickness; at every grid point a thinner membrane gives at least the 1C
/// capacity and ratio of a thicker one, strictly more where the electrolyte limits (low σ); and the
/// iso-line of a level moves to lower σ as the membrane thins.
#[test]
fn thinner_membranes_raise_the_rate_capability_and_move_the_iso_line_to_lower_conductivity() {
    let p = spelab_sim::params::preset("pvh-im").unwrap().material_params().unwrap();
    let base = DesignGrid {
        conductivity: grid_values(1e-3, 0.3, 3, true),
        transference: vec![0.2, 0.6],
        thickness: None,
        low_rate: 0.1,
        high_rate: 1.0,
    };
    let thicknesses = [50e-6, 100e-6, 150e-6];
    let grids: Vec<DesignGrid> =
        thicknesses.iter().map(|&t| DesignGrid { thickness: Some(t), ..base.clone() }).collect();
    let maps = design_maps(&p, 1000.0, &KNOBS, 0.0038, &grids).unwrap();
    assert_eq!(maps.len(), 3);
    assert_eq!(maps[1], design_map(&p, 1000.0, &KNOBS, 0.0038, &grids[1]).unwrap());
    for (m, t) in maps.iter().zip(thicknesses) {
        assert_eq!(m.thickness, t);
        assert!(m.capacity_high.iter().chain(&m.capacity_low).all(|c| c.is_finite()));
    }
    for pair in maps.windows(2) {
        let (thin, thick) = (&pair[0], &pair[1]);
        let (rt, rk) = (thin.ratio(), thick.ratio());
        for k in 0..rt.len() {
            // 1e-4 relative: the solver's tolerance where the cathode, not the membrane, limits.
            assert!(thin.capacity_high[k] >= thick.capacity_high[k] * (1.0 - 1e-4), "point {k}");
            assert!(thin.capacity_low[k] >= thick.capacity_low[k] * (1.0 - 1e-4), "point {k}");
            // The ratio, where the 0.1C capacity itself has not collapsed (salt depletion at 0.1C
            // shrinks the reference, as at σ = 0.17 mS/cm, t₊ = 0.2 on the 150 µm membrane).
            if thick.capacity_low[k] > 100.0 {
                assert!(rt[k] >= rk[k] - 1e-4, "point {k}: {} < {}", rt[k], rk[k]);
            }
        }
        // σ = 3 mS/cm, t₊ = 0.2: the membrane limits at 1C (78 / 100 / 110 mAh/g from 150 to 50 µm).
        assert!(rt[2] > rk[2] + 0.05, "{} vs {}", rt[2], rk[2]);
    }
    // The 50 % iso-line at t₊ = 0.6 (between 0.17 and 3 mS/cm on every panel) lies at lower σ on the
    // thinner membrane.
    let level = 0.5;
    let sigma: Vec<f64> = maps.iter().map(|m| m.conductivity_for(&m.ratio(), 0.6, level).unwrap()).collect();
    assert!(sigma[0] < sigma[1] && sigma[1] < sigma[2], "{sigma:?}");
    for (m, s) in maps.iter().zip(&sigma) {
        assert!((m.ratio_at(*s, 0.6).unwrap() - level).abs() < 1e-9);
    }
}
