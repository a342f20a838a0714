//! Physics checks of the symmetric-cell model beyond the reference cases: temperature
//! (Arrhenius), concentration-dependent transport, voltage control (Bruce-Vincent) and the
//! step-increasing-current (CCD) staircase.

use std::sync::Arc;

use spelab_core::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, T_REF};
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::params;
use spelab_sim::symmetric::{
    arrhenius_factor, nernst_einstein_diffusivity, simulate, ArrheniusTransport, ButlerVolmer, FnTransport,
    Protocol, SolverOptions, StopReason, SymmetricCell, Transport,
};

fn spe_a() -> SymmetricCell {
    SymmetricCell::new(
        1e-4,
        1000.0,
        Arc::new(ArrheniusTransport::constant(0.123, 1.636996571210512e-11, 0.49)),
        ButlerVolmer::symmetric(1.0, 1000.0),
    )
}

fn final_voltage(cell: &SymmetricCell, protocol: &Protocol) -> f64 {
    let sim = simulate(cell, protocol, &SolverOptions::default()).unwrap();
    assert_eq!(sim.stop, StopReason::Completed);
    sim.samples.last().unwrap().voltage.voltage
}

#[test]
fn preset_cell_follows_arrhenius_in_sigma_d_and_i0() {
    let m = params::preset("pvh-im").unwrap().material_params().unwrap();
    let cell25 = SymmetricCell::from_material(&m, 1000.0).unwrap();
    let t60 = 333.15;
    let cell60 = cell25.clone().at_temperature(t60);
    let factor = arrhenius_factor(0.18 * EV_PER_PARTICLE_IN_J_PER_MOL, t60, T_REF);
    // Same Arrhenius factor on κ, D and j0 (one Ea, Fig. 6b); exp/ln rounding only.
    for (name, a, b) in [
        ("kappa", cell60.conductivity(), cell25.conductivity()),
        ("D", cell60.diffusivity(), cell25.diffusivity()),
        ("j0", cell60.exchange_current_density(), cell25.exchange_current_density()),
    ] {
        assert!((a / b - factor).abs() < 1e-12 * factor, "{name}: {} vs {factor}", a / b);
    }
    // κ matches the preset's own Arrhenius law.
    assert!((cell60.conductivity() - m.ionic_conductivity_at(t60)).abs() < 1e-12 * cell60.conductivity());
    // D from Nernst-Einstein at 25 °C (κ = 0.123 S/m, t+ = 0.49, c0 = 1000 mol/m³).
    let d = nernst_einstein_diffusivity(0.123, 0.49, 1000.0, T_REF);
    assert!((cell25.diffusivity() - d).abs() < 1e-15 * d);
    // The simulated steady state at 60 °C matches the closed form with the scaled values (1 µV).
    let j = 2.0;
    let long = 30.0 * cell60.thickness.powi(2) / cell60.diffusivity();
    let u = final_voltage(&cell60, &Protocol::ConstantCurrent { current_density: j, duration_s: long });
    let u_ss = analytic::steady_state_voltage(&ConstantCell::of(&cell60), j).unwrap();
    assert!((u - u_ss).abs() < 1e-6, "{u} vs {u_ss}");
    // Sand's time scales with D: at 60 °C the cell survives longer by the Arrhenius factor (exact
    // series, since t_dep·D is a function of J alone for fixed L, c0, t+).
    let c25 = ConstantCell::of(&cell25);
    let c60 = ConstantCell::of(&cell60);
    let j_hi = 3.0 * analytic::limiting_current_density(&c25);
    let (t25, t60s) = (analytic::sand_time(&c25, j_hi), analytic::sand_time(&c60, j_hi));
    assert!((t60s / t25 - factor).abs() < 1e-12 * factor);
}

#[test]
fn concentration_dependent_path_reproduces_constant_properties() {
    // The same constants as closures: the solver cannot tell they are constant, so it runs the
    // Picard iterations, the fixed-point face values and the quadrature of the diffusion potential.
    let closures = FnTransport {
        conductivity: Arc::new(|_, _| 0.123),
        diffusivity: Arc::new(|_, _| 1.636996571210512e-11),
        transference_number: Arc::new(|_, _| 0.49),
    };
    let mut cell = spe_a();
    let reference =
        final_voltage(&cell, &Protocol::ConstantCurrent { current_density: 100.0, duration_s: 40.0 });
    cell.transport = Arc::new(closures);
    let general =
        final_voltage(&cell, &Protocol::ConstantCurrent { current_density: 100.0, duration_s: 40.0 });
    // Simpson with 64 intervals on a constant integrand is exact; Picard converges to 1e-14.
    assert!((general - reference).abs() < 1e-9, "{general} vs {reference}");
}

#[test]
fn variable_conductivity_and_diffusivity_conserve_salt_and_reach_consistent_steady_state() {
    // κ ∝ c (vanishes at depletion), D and t+ mildly c-dependent.
    let tr = FnTransport {
        conductivity: Arc::new(|c, _| 0.05 * c / 1000.0),
        diffusivity: Arc::new(|c, _| 1e-11 * (1.0 + 0.3 * (c / 1000.0 - 1.0))),
        transference_number: Arc::new(|c, _| 0.3 + 0.05 * (c / 1000.0 - 1.0)),
    };
    let mut cell = spe_a();
    cell.transport = Arc::new(tr.clone());
    let j = 5.0;
    let long = 20.0 * 1e-8 / 1e-11;
    let sim = simulate(
        &cell,
        &Protocol::ConstantCurrent { current_density: j, duration_s: long },
        &SolverOptions::default(),
    )
    .unwrap();
    assert_eq!(sim.stop, StopReason::Completed);
    let m0 = cell.initial_concentration * cell.thickness;
    let m = sim.state.salt_per_area(cell.thickness);
    assert!(((m - m0) / m0).abs() < 1e-10, "salt drift {:e}", (m - m0) / m0);
    // At steady state the anion flux vanishes everywhere: D(c) dc/dx = −(1 − t+(c)) J/F at each face.
    let c = &sim.state.concentration;
    let dx = cell.thickness / c.len() as f64;
    for i in [10, c.len() / 2, c.len() - 10] {
        let cbar = 0.5 * (c[i] + c[i + 1]);
        let flux = -tr.diffusivity(cbar, T_REF) * (c[i + 1] - c[i]) / dx
            - (1.0 - tr.transference_number(cbar, T_REF)) * j / spelab_core::constants::FARADAY;
        // Scale: the migration term (1 − t+) J/F ≈ 3.6e-5 mol/(m² s); tolerance 1e-6 of it.
        assert!(flux.abs() < 1e-6 * 3.6e-5, "face {i}: anion flux {flux:e}");
    }
}

#[test]
fn potentiostatic_step_gives_bruce_vincent_ratio_t_plus_for_an_ideal_cell() {
    // Nernst-Einstein-consistent D, fast kinetics, no film: I_ss/I_0 = R_b/(R_b + R_d) = t+ exactly
    // in the linear limit (cellmodel.md; Bruce & Vincent 1987). ΔV = 1 mV keeps the nonlinearity
    // (Δc/c₀ ≈ 0.03) to ~1e-4 in the ratio.
    let (kappa, tp) = (0.036, 0.19);
    let d = nernst_einstein_diffusivity(kappa, tp, 1000.0, T_REF);
    let cell = SymmetricCell::new(
        1e-4,
        1000.0,
        Arc::new(ArrheniusTransport::constant(kappa, d, tp)),
        ButlerVolmer::symmetric(1e6, 1000.0),
    );
    let long = 15.0 * cell.thickness.powi(2) / d;
    // 2000 cells: at t = 0 the face extrapolation of the uniform profile with the wall gradient gives
    // an O(Δx) face offset (3Δx/8 · g, as in the reference script), worth 3Δx/(4L)·R_d/R_b of the
    // initial resistance: 0.16 % here.
    let o = SolverOptions { cells: 2000, ..Default::default() };
    let sim = simulate(&cell, &Protocol::Potentiostatic { voltage: 1e-3, duration_s: long }, &o).unwrap();
    assert_eq!(sim.stop, StopReason::Completed);
    let i0 = sim.samples.first().unwrap().current_density;
    let iss = sim.samples.last().unwrap().current_density;
    // Initial current: the profile is still uniform, so only ohmic + kinetics (+ the O(Δx) face term).
    let r = cell.thickness / kappa + 2.0 * cell.kinetics.charge_transfer_resistance(1000.0, T_REF);
    assert!((i0 * r / 1e-3 - 1.0).abs() < 2.5e-3, "I0 R/ΔV = {}", i0 * r / 1e-3);
    assert!((iss / i0 - tp).abs() < 1e-3, "Iss/I0 = {} vs t+ = {tp}", iss / i0);
    // Steady current agrees with the closed-form steady state: U_ss(J_ss) = ΔV (1 nV).
    let u = analytic::steady_state_voltage(&ConstantCell::of(&cell), iss).unwrap();
    assert!((u - 1e-3).abs() < 1e-9, "U_ss(J_ss) = {u}");
}

#[test]
fn ccd_staircase_fails_at_first_step_above_j_lim_for_long_steps() {
    // summary.json ccd_spe_A_th1800: staircase CCD 62 A/m² (J_lim 61.94) with ΔJ = 1, t_h = 1800 s.
    // Here ΔJ = 4 from 48 A/m² upwards to keep the test short: the first step above J_lim is 64.
    let cell = spe_a();
    let mut segments =
        Protocol::CcdStaircase { step_current_density: 4.0, half_cycle_s: 1800.0, rest_s: 0.0, steps: 20 }
            .segments()
            .unwrap();
    segments.drain(0..2 * 11); // start at step 12 (48 A/m²)
    let sim = simulate(&cell, &Protocol::Segments(segments), &SolverOptions::default()).unwrap();
    match sim.stop {
        StopReason::Depletion { current_density, .. } => assert_eq!(current_density.abs(), 64.0),
        other => panic!("expected depletion, got {other:?}"),
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    use spelab_sim::symmetric::{Control, Segment};
    use spelab_sim::SimError;
    let ok = Protocol::ConstantCurrent { current_density: 1.0, duration_s: 10.0 };
    let mut cell = spe_a();
    cell.thickness = -1e-4;
    assert!(matches!(
        simulate(&cell, &ok, &SolverOptions::default()),
        Err(SimError::InvalidParameter { .. })
    ));
    let mut cell = spe_a();
    cell.temperature = f64::NAN;
    assert!(simulate(&cell, &ok, &SolverOptions::default()).is_err());
    let cell = spe_a();
    for bad in [
        Protocol::ConstantCurrent { current_density: f64::INFINITY, duration_s: 10.0 },
        Protocol::ConstantCurrent { current_density: 1.0, duration_s: 0.0 },
        Protocol::Cycling { current_density: 1.0, half_cycle_s: 10.0, rest_s: 0.0, cycles: 0 },
        Protocol::LinearSweep { start_voltage: 0.0, end_voltage: 0.0, rate: 1e-3 },
        Protocol::Segments(vec![]),
        Protocol::Segments(vec![Segment { control: Control::Voltage(f64::NAN), duration_s: 1.0, cycle: 1 }]),
    ] {
        assert!(
            matches!(simulate(&cell, &bad, &SolverOptions::default()), Err(SimError::InvalidProtocol(_))),
            "{bad:?}"
        );
    }
    for o in [
        SolverOptions { cells: 1, ..Default::default() },
        SolverOptions { rtol: 0.0, ..Default::default() },
        SolverOptions { voltage_limit: Some(-1.0), ..Default::default() },
        SolverOptions { max_step_s: f64::NAN, ..Default::default() },
    ] {
        assert!(simulate(&cell, &ok, &o).is_err(), "{o:?}");
    }
    let m = params::preset("pvh").unwrap().material_params().unwrap();
    assert!(SymmetricCell::from_material(&m, 0.0).is_err());
}

#[test]
fn asymmetric_butler_volmer_steady_state_matches_closed_form() {
    // αa = 0.3, αc = 0.7, j0 ∝ c^0.7: the steady profile is still linear (transport is unchanged), so
    // U_ss = η(J; j0(c₀+Δ/2)) − η(−J; j0(c₀−Δ/2)) + JL/κ + (2RT/F)(1−t+) ln((c₀+Δ/2)/(c₀−Δ/2)).
    let mut cell = spe_a();
    cell.kinetics =
        ButlerVolmer { alpha_anodic: 0.3, alpha_cathodic: 0.7, concentration_exponent: 0.7, ..cell.kinetics };
    let c = ConstantCell::of(&cell);
    let j = 20.0;
    let delta =
        (1.0 - c.transference_number) * j * c.thickness / (spelab_core::constants::FARADAY * c.diffusivity);
    let (cs, cp) = (c.c0 + delta / 2.0, c.c0 - delta / 2.0);
    let k = &cell.kinetics;
    let rt2_f = 2.0 * spelab_core::constants::GAS_CONSTANT * T_REF / spelab_core::constants::FARADAY;
    let expected = k.overpotential(j, k.exchange_current_density_at(cs, T_REF), T_REF)
        - k.overpotential(-j, k.exchange_current_density_at(cp, T_REF), T_REF)
        + j * c.thickness / c.conductivity
        + rt2_f * (1.0 - c.transference_number) * (cs / cp).ln();
    let long = 30.0 * c.thickness.powi(2) / c.diffusivity;
    let u = final_voltage(&cell, &Protocol::ConstantCurrent { current_density: j, duration_s: long });
    // Same 1 µV tolerance as the symmetric steady-state oracle.
    assert!((u - expected).abs() < 1e-6, "{u} vs {expected}");
    // Reversing the current mirrors the voltage exactly (the two electrodes swap roles).
    let u_neg = final_voltage(&cell, &Protocol::ConstantCurrent { current_density: -j, duration_s: long });
    assert!((u + u_neg).abs() < 1e-9, "{u} vs {u_neg}");
}
