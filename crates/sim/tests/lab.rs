//! Virtual instruments: impedance limits against closed forms and the time-domain model, records
//! against the simulation they come from, reproducible noise.

use spelab_core::{Direction, Technique};
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::lab::{self, EisCell, EisOptions, Noise};
use spelab_sim::params;
use spelab_sim::symmetric::{simulate, Protocol, SolverOptions, StopReason, SymmetricCell};

fn pvh_im() -> SymmetricCell {
    SymmetricCell::from_material(&params::preset("pvh-im").unwrap().material_params().unwrap(), 1000.0)
        .unwrap()
}

#[test]
fn symmetric_impedance_dc_limit_equals_small_signal_resistance_of_the_time_domain_model() {
    let mut cell = pvh_im();
    cell.film = spelab_sim::symmetric::FilmGrowth::Constant { r0: 2e-3 };
    let o = EisOptions::default();
    let z0 = lab::symmetric_impedance(&cell, &o, 1e-9);
    let r_dc = analytic::dc_resistance(&ConstantCell::of(&cell)) / cell.area;
    // ω = 1e-9 rad/s: ωτ ~ 1e-7, so Z differs from its DC value by ~1e-7 relative.
    assert!((z0.re - r_dc).abs() < 1e-6 * r_dc, "{} vs {r_dc}", z0.re);
    // Time domain: steady state at a small current, U/I. Nonlinear terms are O((J/j0)²) ~ 1e-6.
    let j = 1e-3;
    let long = 30.0 * cell.thickness.powi(2) / cell.diffusivity();
    let sim = simulate(
        &cell,
        &Protocol::ConstantCurrent { current_density: j, duration_s: long },
        &SolverOptions::default(),
    )
    .unwrap();
    let r_time = sim.samples.last().unwrap().voltage.voltage / (j * cell.area);
    assert!((r_time - r_dc).abs() < 1e-4 * r_dc, "time domain {r_time} vs {r_dc}");
    // Ideal (Nernst-Einstein) electrolyte: R_d = R_b (1 − t+)/t+ (Bruce-Vincent).
    let c = ConstantCell::of(&cell);
    let r_b = lab::bulk_resistance(&cell) * cell.area;
    let tp = c.transference_number;
    assert!((analytic::diffusion_resistance(&c) - r_b * (1.0 - tp) / tp).abs() < 1e-12 * r_b);
    // R_ct = RT/(F i0 A).
    let rt_f = spelab_core::constants::GAS_CONSTANT * cell.temperature / spelab_core::constants::FARADAY;
    let r_ct = lab::charge_transfer_resistance(&cell);
    assert!((r_ct - rt_f / (0.67 * cell.area)).abs() < 1e-12 * r_ct);
}

#[test]
fn blocking_spectrum_shows_bulk_resistance_and_capacitive_tail() {
    let cell = pvh_im();
    let o = EisOptions::default();
    let r_b = lab::bulk_resistance(&cell); // 100 µm / (0.123 S/m · 1 cm²) = 8.13 Ω
    assert!((r_b - 1e-4 / (0.123 * 1e-4)).abs() < 1e-12);
    // Between the geometric (R_b C_g ~ 6e-10 s) and interface (R_b C_dl ~ 8e-5 s) time constants.
    let omega = 2.0 * std::f64::consts::PI * 1e6;
    let z = lab::blocking_impedance(&cell, &o, omega);
    assert!((z.re - r_b).abs() < 2e-3 * r_b, "{z}");
    // Low frequency: −Z'' → 2/(ω C_dl A), Z' → R_b.
    let omega = 1e-2;
    let z = lab::blocking_impedance(&cell, &o, omega);
    let expected = 2.0 / (omega * o.double_layer_capacitance * cell.area);
    assert!((-z.im - expected).abs() < 1e-9 * expected);
    assert!((z.re - r_b).abs() < 1e-9 * r_b);
}

#[test]
fn spectra_are_valid_records_and_noise_is_seeded() {
    let cell = pvh_im();
    let f = lab::log_frequencies(1e6, 0.01, 10);
    assert_eq!(f.len(), 81);
    assert!((f[0] - 1e6).abs() < 1e-6 && (f[80] - 0.01).abs() < 1e-12);
    let clean = lab::impedance_spectrum(&cell, EisCell::Symmetric, &f, &EisOptions::default(), None).unwrap();
    assert_eq!(clean.meta().technique, Some(Technique::Peis));
    assert_eq!(clean.meta().area, Some(1e-4));
    let n1 = Noise::typical(11);
    let a =
        lab::impedance_spectrum(&cell, EisCell::Symmetric, &f, &EisOptions::default(), Some(&n1)).unwrap();
    let b =
        lab::impedance_spectrum(&cell, EisCell::Symmetric, &f, &EisOptions::default(), Some(&n1)).unwrap();
    assert_eq!(a, b, "same seed, same noise");
    let c = lab::impedance_spectrum(
        &cell,
        EisCell::Symmetric,
        &f,
        &EisOptions::default(),
        Some(&Noise::typical(12)),
    )
    .unwrap();
    assert_ne!(a, c);
    // Relative deviation has std 0.2 % per component; 81 points: the RMS lies within 0.1-0.4 %.
    let rms = (a
        .impedance()
        .iter()
        .zip(clean.impedance())
        .map(|(x, y)| ((x - y).norm() / y.norm()).powi(2))
        .sum::<f64>()
        / 81.0)
        .sqrt();
    assert!((1.4e-3..4.5e-3).contains(&rms), "rms {rms}");
}

#[test]
fn cycling_record_matches_the_simulation() {
    let cell = pvh_im();
    let run = lab::galvanostatic_cycling(&cell, 2.0, 3600.0, 600.0, 4, 60.0, None).unwrap();
    assert_eq!(run.simulation.stop, StopReason::Completed);
    let data = &run.data;
    assert_eq!(data.cycles().len(), 4);
    assert_eq!(data.half_cycles().len(), 8);
    assert_eq!(data.rests().len(), 8);
    let q = 2.0 * cell.area * 3600.0; // 0.72 C per half-cycle
    for h in data.half_cycles() {
        // Samples land exactly on the switches, so the trapezoid charge is exact up to rounding.
        assert!((h.charge - q).abs() < 1e-9 * q, "charge {}", h.charge);
    }
    assert_eq!(data.half_cycles()[0].direction, Direction::Charge);
    // Polarization of PVH-IM at 0.2 mA/cm² in the model: positive on charge, mirrored on discharge.
    let v1 = data.half_cycles()[0].voltage_end;
    let v2 = data.half_cycles()[1].voltage_end;
    assert!(v1 > 0.0 && v2 < 0.0 && (v1 + v2).abs() < 1e-3 * v1, "{v1} {v2}");
}

#[test]
fn ccd_staircase_reports_failing_step_and_voltage_limit() {
    let cell =
        SymmetricCell::from_material(&params::preset("pvh").unwrap().material_params().unwrap(), 1000.0)
            .unwrap();
    let run = lab::ccd_staircase(&cell, 1.0, 1800.0, 30, Some(5.0), 30.0, Some(&Noise::typical(1))).unwrap();
    let ccd = run.critical_current_density.expect("PVH fails within 30 A/m²");
    let j_lim = analytic::limiting_current_density(&ConstantCell::of(&cell));
    // t_h = 1800 s is shorter than L²/D ≈ 3400 s, so the first failing step lies at or above
    // max(J_lim, J_Sand(t_h)) and at most one step above the depletion bound for a 1800 s half-cycle.
    assert!(
        ccd >= j_lim.min(analytic::sand_current_density(&ConstantCell::of(&cell), 1800.0)),
        "{ccd} vs {j_lim}"
    );
    assert!(ccd <= j_lim.ceil() + 1.0, "ccd {ccd} vs J_lim {j_lim}");
    assert!(run.simulation.stop.failed());
}

#[test]
fn chronoamperometry_record_decays_to_steady_state() {
    let cell = pvh_im();
    let run = lab::chronoamperometry(&cell, 0.01, 3.0 * 3600.0, 10.0, None).unwrap();
    let i = run.data.current();
    assert_eq!(run.data.meta().technique, Some(Technique::Ca));
    assert!(i.windows(2).all(|w| w[1] <= w[0] * (1.0 + 1e-9)), "current decays monotonically");
    // PVH-IM is kinetics-dominated (2R_ct = 0.077 Ω m² vs R_b = 8.1e-4, R_d = 8.5e-4), so the
    // current falls only to (R_b + 2R_ct)/R_dc ≈ 0.99 of I0. Tolerance: asinh nonlinearity at
    // J/2j0 ≈ 0.1 (~0.2 %) plus the O(Δx) face offset at t = 0.
    let c = ConstantCell::of(&cell);
    let expected = (c.thickness / c.conductivity + 2.0 * lab::charge_transfer_resistance(&cell) * cell.area)
        / analytic::dc_resistance(&c);
    let ratio = i[i.len() - 1] / i[0];
    assert!((ratio - expected).abs() < 5e-3, "Iss/I0 {ratio} vs {expected}");
    let v = run.data.voltage();
    assert!(v.iter().all(|&u| (u - 0.01).abs() < 1e-12));
}

#[test]
fn slow_linear_sweep_follows_the_steady_state_curve() {
    // A 10 µm membrane relaxes in L²/(π²D) ≈ 0.06 s, so a 1 mV/s sweep is quasi-steady: at each
    // point J solves U_ss(J) = U(t). Lag error ~ dU/dt · 0.06 s = 60 µV ≪ U; tolerance 1e-3 on J.
    let mut cell = pvh_im();
    cell.thickness = 1e-5;
    let run = lab::linear_sweep(&cell, 0.2, 1e-3, 5.0, None).unwrap();
    assert_eq!(run.data.meta().technique, Some(Technique::Lsv));
    let (t, v, i) = (run.data.time(), run.data.voltage(), run.data.current());
    for k in 0..t.len() {
        assert!((v[k] - 1e-3 * t[k]).abs() < 1e-12, "U = rate·t at {}", t[k]);
    }
    assert!(i.windows(2).all(|w| w[1] > w[0]));
    let c = ConstantCell::of(&cell);
    for k in [10, 20, t.len() - 1] {
        let j = i[k] / cell.area;
        let u_ss = analytic::steady_state_voltage(&c, j).unwrap();
        assert!((u_ss - v[k]).abs() < 1e-3 * v[k], "t {}: U_ss(J) {u_ss} vs U {}", t[k], v[k]);
    }
}

#[test]
fn ccd_prediction_reproduces_reference_staircases() {
    // summary.json ccd_spe_A_th1800 / ccd_spe_B_th3600: staircase 62 and 7.5 A/m², J_lim 61.94 and
    // 7.03, J_Sand(t_h) 15.99 and 3.02 A/m² (agreement to 1e-8: F and R roundings differ at 1e-11).
    // PVH-IM and PVH presets are SPE A and SPE B with the
    // papers' i0 instead of 1 A/m² (kinetics do not enter a depletion criterion).
    let pvh =
        SymmetricCell::from_material(&params::preset("pvh").unwrap().material_params().unwrap(), 1000.0)
            .unwrap();
    let p = lab::ccd_prediction(&pvh, 0.5, 3600.0, 40, None).unwrap();
    assert_eq!(p.staircase_current_density, Some(7.5));
    assert!((p.limiting_current_density - 7.029489647640683).abs() < 1e-8);
    assert!((p.sand_current_density - 3.022238466661632).abs() < 1e-8, "{}", p.sand_current_density);
    let im = pvh_im();
    let p = lab::ccd_prediction(&im, 1.0, 1800.0, 80, None).unwrap();
    assert_eq!(p.staircase_current_density, Some(62.0));
    assert!((p.sand_current_density - 15.989088008984401).abs() < 1e-8);
}
