//! Design map: a grid point at the material's own σ and t₊ is the calibrated cell itself (the same
//! discharge, bit for bit); the 1C/0.1C ratio rises with σ and with t₊; bad grids are errors.

use spelab_sim::fullcell::calibration::{discharge_capacity, with_knobs, Knob};
use spelab_sim::fullcell::design_map::{design_map, DesignGrid};
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
