//! The one blocking-cell instrument (SS | SPE | SS) against its analytic limits: the bulk semicircle
//! of diameter R_b = L/(σA), the geometric capacitance ε₀ε_r A/L, the CPE spike's slope −n; and seeded
//! reproducibility of its records.

use num_complex::Complex64;
use spelab_core::constants::VACUUM_PERMITTIVITY;
use spelab_sim::lab::{self, BlockingCell, EisOptions, Noise};
use spelab_sim::params;

/// 100 µm, 0.1 S/m, 1 cm² at 25 °C: R_b = 1e-4 / (0.1 · 1e-4) = 10 Ω.
fn cell() -> BlockingCell {
    BlockingCell { conductivity: 0.1, thickness: 100e-6, area: 1e-4, temperature: 298.15 }
}

#[test]
fn bulk_arc_is_a_semicircle_of_diameter_l_over_sigma_a() {
    let c = cell();
    let o = EisOptions::default();
    let r_b = c.bulk_resistance();
    assert!((r_b - 10.0).abs() < 1e-12);
    let c_g = c.geometric_capacitance(o.relative_permittivity);
    // Apex of the arc at ω = 1/(R_b C_g): Z = R_b/2 − j R_b/2 plus the interfaces' 2/(jω C_dl A),
    // which is C_g/(C_dl A/2) = 7e-10/1e-5 ≈ 1e-4 of R_b there: tolerance 1e-3 relative.
    let apex = 1.0 / (r_b * c_g);
    let z = c.impedance(&o, apex);
    assert!((z.re - r_b / 2.0).abs() < 1e-3 * r_b, "{z}");
    assert!((-z.im - r_b / 2.0).abs() < 1e-3 * r_b, "{z}");
    // The bulk part alone lies on the circle |Z − R_b/2| = R_b/2 at every frequency (rounding only).
    for omega in [1e3, 1e6, 1e8, apex, 1e11, 1e13] {
        let z_int = 2.0 / (Complex64::new(0.0, omega) * o.double_layer_capacitance * c.area);
        let bulk = c.impedance(&o, omega) - z_int;
        assert!(((bulk - r_b / 2.0).norm() - r_b / 2.0).abs() < 1e-9 * r_b, "ω = {omega}: {bulk}");
    }
}

#[test]
fn high_frequency_capacitance_is_the_geometric_one() {
    let c = cell();
    for eps_r in [8.0, 10.0] {
        let o = EisOptions { relative_permittivity: eps_r, ..EisOptions::default() };
        let expected = VACUUM_PERMITTIVITY * eps_r * c.area / c.thickness;
        assert!((c.geometric_capacitance(eps_r) - expected).abs() < 1e-15 * expected);
        // Far above the apex (ω R_b C_g = 1e4) Z → 1/(jω C): C_g in series with the two ideal
        // double layers C_dl A (which lower C by 2 C_g/(C_dl A) = 1.4e-5 relative), so
        // C = −1/(ω Z'') = 1/(1/C_g + 2/(C_dl A)) to 1e-7 (the neglected (ω R_b C_g)⁻² term is 1e-8).
        let omega = 1e4 / (c.bulk_resistance() * expected);
        let z = c.impedance(&o, omega);
        let c_seen = -1.0 / (omega * z.im);
        let series = 1.0 / (1.0 / expected + 2.0 / (o.double_layer_capacitance * c.area));
        assert!((c_seen - series).abs() < 1e-7 * series, "ε_r = {eps_r}: {c_seen} vs {series}");
    }
}

#[test]
fn low_frequency_spike_has_the_cpe_slope_and_phase() {
    let c = cell();
    for n in [1.0, 0.9, 0.75] {
        let o = EisOptions { blocking_cpe_exponent: n, ..EisOptions::default() };
        let (w1, w2) = (2.0 * std::f64::consts::PI * 0.1, 2.0 * std::f64::consts::PI * 1.0);
        let (z1, z2) = (c.impedance(&o, w1), c.impedance(&o, w2));
        let slope = ((-z2.im).ln() - (-z1.im).ln()) / (w2.ln() - w1.ln());
        // The bulk's share of Z'' at 1 Hz is ω R_b² C_g ≈ 4e-7 Ω against ≥ 3e3 Ω: slope to 1e-6.
        assert!((slope + n).abs() < 1e-6, "n = {n}: slope {slope}");
        // Phase of Z − R_b: −nπ/2 (R_b ∥ C_g is R_b to 1e-17 relative at 0.1 Hz).
        let phase = (z1 - c.bulk_resistance()).arg();
        assert!((phase + n * std::f64::consts::FRAC_PI_2).abs() < 1e-9, "n = {n}: phase {phase}");
        // The spike's magnitude: 2/(ω^n Q A).
        let expected = 2.0 / (w1.powf(n) * o.double_layer_capacitance * c.area);
        assert!(((z1 - c.bulk_resistance()).norm() - expected).abs() < 1e-9 * expected);
    }
}

/// The eis-conductivity step's former private simulator, (R_b ∥ C_geo) + CPE with ε_r = 10 and one
/// CPE of Q = 10 µF s^(α−1)/cm² × A, α = 0.9, is this instrument with ε_r = 10, n = 0.9 and
/// Q = 0.2 F s^(n−1)/m² per electrode (two in series halve it).
#[test]
fn the_former_eis_conductivity_cell_is_a_parameter_choice() {
    let c = cell().with_area(2.01e-4);
    let o = EisOptions {
        relative_permittivity: 10.0,
        double_layer_capacitance: 0.2,
        blocking_cpe_exponent: 0.9,
        ..EisOptions::default()
    };
    let (rb, c_geo, q) =
        (c.bulk_resistance(), VACUUM_PERMITTIVITY * 10.0 * c.area / c.thickness, 0.1 * c.area);
    for f in lab::log_frequencies(1e6, 0.1, 10) {
        let omega = 2.0 * std::f64::consts::PI * f;
        let jw = Complex64::new(0.0, omega);
        let old = rb / (1.0 + jw * rb * c_geo) + 1.0 / (q * jw.powf(0.9));
        let new = c.impedance(&o, omega);
        assert!((new - old).norm() < 1e-12 * old.norm(), "f = {f}: {new} vs {old}");
    }
}

#[test]
fn spectra_are_seeded_and_noiseless_without_noise() {
    let c = cell();
    let f = lab::log_frequencies(1e6, 0.1, 10);
    let o = EisOptions::default();
    let noise = |seed| Noise { voltage_std: 0.0, current_std: 0.0, impedance_relative_std: 0.01, seed };
    let a = lab::blocking_spectrum(c, &f, &o, Some(&noise(5))).unwrap();
    let b = lab::blocking_spectrum(c, &f, &o, Some(&noise(5))).unwrap();
    let d = lab::blocking_spectrum(c, &f, &o, Some(&noise(6))).unwrap();
    assert_eq!(a.impedance(), b.impedance());
    assert_ne!(a.impedance(), d.impedance());
    let clean = lab::blocking_spectrum(c, &f, &o, None).unwrap();
    for (k, (z, &fk)) in clean.impedance().iter().zip(&f).enumerate() {
        assert_eq!(*z, c.impedance(&o, 2.0 * std::f64::consts::PI * fk));
        // 1 % relative noise: each component within 6 sigma.
        let dz = a.impedance()[k] - z;
        assert!(dz.re.abs() < 0.06 * z.norm() && dz.im.abs() < 0.06 * z.norm(), "point {k}");
    }
    assert_eq!(clean.meta().extra.get("cell").map(String::as_str), Some("SS|SPE|SS"));
    assert_eq!(clean.meta().area, Some(c.area));
}

/// The symmetric cell's membrane and a material's blocking cell are the same cell: σ(T) by the same
/// Arrhenius factor, bit for bit, so the arrhenius step's spectra do not change with the instrument.
#[test]
fn membrane_of_a_symmetric_cell_is_the_materials_blocking_cell() {
    let p = params::preset("pvh-im").unwrap().material_params().unwrap();
    for t in [273.15, 298.15, 353.15] {
        let sym = spelab_sim::symmetric::SymmetricCell::from_material(&p, 1000.0).unwrap().at_temperature(t);
        let a = BlockingCell::from(&sym);
        let b = BlockingCell::of_material(&p, t);
        assert_eq!(a, b);
    }
}
