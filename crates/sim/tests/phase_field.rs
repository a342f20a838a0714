//! Validation checks of the phase-field model (phasefield.md §5), each against its expected number.

use std::ops::ControlFlow;

use spelab_core::constants::{FARADAY, GAS_CONSTANT};
use spelab_sim::phase_field::{
    profile, Control, FarBoundary, Grid, Nucleus, Parameters, PhaseField, Setup, SideWalls, State, Transport,
};

const ELL: f64 = 0.5e-6;

fn go(_: &spelab_sim::phase_field::Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// A 1D-like strip (ny cells wide) with a flat front at `front`, phase only.
fn strip(nx: usize, ny: usize, dx: f64, front: f64, control: Control) -> Setup {
    let grid = Grid { nx, ny, spacing: dx, side_walls: SideWalls::Periodic };
    let mut s = Setup::new(grid, front, control);
    s.reaction = false;
    s.transport = false;
    s
}

/// The liquid-deck interface mobility 2.5e-6 m³/(J s) the expected numbers of phasefield.md §5 use.
fn isotropic() -> Parameters {
    Parameters { anisotropy_strength: 0.0, interface_mobility: 2.5e-6, ..Parameters::default() }
}

fn relaxed(params: Parameters, setup: &Setup, time: f64) -> State {
    let mut s = setup.clone();
    s.reaction = false;
    s.transport = false;
    let m = PhaseField::new(params, s).unwrap();
    let mut st = m.initial_state();
    m.advance(&mut st, time, go).unwrap();
    st
}

/// §5.1: the flat front keeps ξ = ½[1 − tanh(x/2ℓ)] and its energy ∫[g + ½κξ'²]dx = γ = Wℓ/3 =
/// 0.500 J/m² (±2 % at dx = ℓ/2).
#[test]
fn flat_front_equilibrium_and_interface_energy() {
    let p = isotropic();
    let dx = ELL / 2.0;
    let setup = strip(160, 2, dx, 20e-6, Control::Potentiostatic { metal_potential: 0.0 });
    let st = relaxed(p, &setup, 1.0);
    let (w, k) = (p.well_height(), p.gradient_coefficient());
    let row = &st.phase[..160];
    let mut energy = 0.0;
    let mut worst: f64 = 0.0;
    for i in 0..160 {
        let x = row[i];
        energy += w * x * x * (1.0 - x) * (1.0 - x) * dx;
        if i + 1 < 160 {
            energy += 0.5 * k * ((row[i + 1] - x) / dx).powi(2) * dx;
        }
        worst = worst.max((x - profile((i as f64 + 0.5) * dx - 20e-6, ELL)).abs());
    }
    // Discretisation at dx = ℓ/2 moves the discrete profile by < 1 % of the jump.
    assert!(worst < 1e-2, "profile deviation {worst}");
    assert!((energy - 0.5).abs() < 0.01, "interface energy {energy} J/m2");
}

/// §5.2: a circle shrinks by curvature as R² = R₀² − 2L_σκ₀t; R₀ = 10 µm vanishes at 13.3 s (±3 %).
#[test]
fn motion_by_curvature() {
    let p = isotropic();
    let dx = 0.25e-6;
    let grid = Grid { nx: 128, ny: 128, spacing: dx, side_walls: SideWalls::Periodic };
    let mut s = Setup::new(grid, 16e-6, Control::Potentiostatic { metal_potential: 0.0 });
    s.flat_front = false;
    s.nuclei = vec![Nucleus { y: 16e-6, radius: 10e-6 }];
    s.reaction = false;
    s.transport = false;
    let m = PhaseField::new(p, s).unwrap();
    let mut st = m.initial_state();
    let expected_rate = 2.0 * std::f64::consts::PI * p.interface_mobility * p.gradient_coefficient();
    let a0 = st.metal_area(&grid);
    m.advance(&mut st, 6.0, go).unwrap();
    let a1 = st.metal_area(&grid);
    let rate = (a0 - a1) / 6.0;
    // dA/dt = −2πL_σκ₀ for a sharp circle; the diffuse correction to A is constant to O(ℓ²/R²).
    assert!((rate / expected_rate - 1.0).abs() < 0.03, "dA/dt {rate} vs {expected_rate}");
    let mut vanish = None;
    while st.time < 16.0 {
        m.step(&mut st).unwrap();
        if st.phase.iter().all(|&x| x < 0.5) {
            vanish = Some(st.time);
            break;
        }
    }
    let t_end = 1e-10 / (2.0 * p.interface_mobility * p.gradient_coefficient());
    assert!((t_end - 13.33).abs() < 0.01);
    let t = vanish.expect("the circle vanished");
    assert!((t / t_end - 1.0).abs() < 0.03, "vanished at {t} s, expected {t_end} s");
}

/// §5.3: zero front velocity at η_eq = (RT/F) ln c̃ (Chen form): −59.16, −17.81, +17.81 mV.
#[test]
fn nernst_equilibrium() {
    let p = Parameters { transport: Transport::Chen2015, ..isotropic() };
    let setup = strip(80, 2, ELL / 2.0, 10e-6, Control::Galvanostatic { current_density: 0.0 });
    let base = relaxed(p, &setup, 1.0);
    for (c, expected_mv) in [(0.1, -59.16), (0.5, -17.81), (2.0, 17.81)] {
        let mut s = setup.clone();
        s.reaction = true;
        let m = PhaseField::new(p, s).unwrap();
        let mut st = base.clone();
        st.concentration.iter_mut().for_each(|v| *v = c);
        m.step(&mut st).unwrap();
        let eta_mv = st.metal_potential * 1e3;
        // The relaxed discrete front has a residual Allen-Cahn drift ~1e-9 /s; 0.05 mV covers it.
        assert!((eta_mv - expected_mv).abs() < 0.05, "c = {c}: {eta_mv} mV vs {expected_mv}");
        let exact = GAS_CONSTANT * p.temperature / FARADAY * c.ln() * 1e3;
        assert!((exact - expected_mv).abs() < 0.01);
    }
}

/// ∫ξ dx of row 0 [m].
fn thickness(st: &State, nx: usize, dx: f64) -> f64 {
    st.phase[..nx].iter().sum::<f64>() * dx
}

/// §5.4: reaction-limited flat front, v(η) = (i₀/nFc_s)[e^{(1−α)fη} − e^{−αfη}]: i₀ recovered within
/// 5 %, Tafel slope 118.3 mV/dec, bracket 6.86 at −0.1 V and 49.0 at −0.2 V.
#[test]
fn tafel_kinetics() {
    let p = isotropic();
    let dx = ELL / 2.0;
    let setup = strip(80, 2, dx, 10e-6, Control::Potentiostatic { metal_potential: 0.0 });
    let base = relaxed(p, &setup, 1.0);
    let f = p.f();
    let mut currents = Vec::new();
    for eta in [-0.1, -0.2, -0.3] {
        let mut s = setup.clone();
        s.reaction = true;
        s.control = Control::Potentiostatic { metal_potential: eta };
        let m = PhaseField::new(p, s).unwrap();
        let mut st = base.clone();
        m.advance(&mut st, 0.5, go).unwrap();
        let (h0, t0) = (thickness(&st, 80, dx), st.time);
        m.advance(&mut st, 2.5, go).unwrap();
        let v = (thickness(&st, 80, dx) - h0) / (st.time - t0);
        let i = FARADAY * p.site_density * v;
        // Cathodic: e^{−αfη} − e^{(1−α)fη} > 0.
        let bracket =
            (-p.transfer_coefficient * f * eta).exp() - ((1.0 - p.transfer_coefficient) * f * eta).exp();
        let i0 = i / bracket;
        // ∫h'(ξ)dx = 5ℓ holds to the discretisation of the profile: 5 % as the issue states.
        assert!((i0 / p.exchange_current_density - 1.0).abs() < 0.05, "eta {eta}: i0 {i0}");
        currents.push(i);
        if eta == -0.1 {
            assert!((bracket - 6.86).abs() < 0.01, "{bracket}");
        }
        if eta == -0.2 {
            assert!((bracket - 49.0).abs() < 0.05, "{bracket}");
        }
    }
    let slope_mv = 100.0 / (currents[2] / currents[1]).log10();
    // Backward reaction at −0.2 V is 4e-4 of the forward one: the slope is within 0.5 % of 118.3.
    assert!((slope_mv - 118.3).abs() < 0.6, "Tafel slope {slope_mv} mV/dec");
}

fn cell_setup(p: &Parameters, nx: usize, ny: usize, current: f64, far: FarBoundary) -> Setup {
    let grid = Grid { nx, ny, spacing: ELL, side_walls: SideWalls::Periodic };
    let mut s = Setup::new(grid, 5e-6, Control::Galvanostatic { current_density: current });
    s.nuclei = vec![Nucleus { y: grid.width() / 2.0, radius: 2e-6 }];
    s.far_boundary = far;
    s.potential_tolerance = 1e-12;
    let _ = p;
    s
}

/// §5.5: c_s∫Δξ dA/width·F equals ∫J dt to 1e-6 relative with the galvanostatic controller on.
#[test]
fn faraday_law() {
    let p = Parameters { noise_amplitude: 0.04, ..Parameters::default() };
    let s = cell_setup(&p, 48, 32, 10.0, FarBoundary::Reservoir);
    let m = PhaseField::new(p, s).unwrap();
    let mut st = m.initial_state();
    let a0 = st.metal_area(&m.setup().grid);
    m.advance(&mut st, 2.0, go).unwrap();
    let a1 = st.metal_area(&m.setup().grid);
    let q = FARADAY * p.site_density * (a1 - a0) / m.setup().grid.width();
    let expected = 10.0 * 2.0;
    assert!((q / expected - 1.0).abs() < 1e-6, "{q} vs {expected} C/m2");
    assert!((st.deposited_charge / expected - 1.0).abs() < 1e-9);
    // Mean thickness rate 1.357 nm/s per mA/cm².
    let rate = p.thickness_per_charge() * 10.0;
    assert!((rate * 1e9 - 1.357).abs() < 1e-3, "{rate}");
}

fn inventory(m: &PhaseField, st: &State) -> f64 {
    let p = m.parameters();
    let share = match p.transport {
        Transport::Electroneutral => 1.0 - p.transference_number,
        Transport::Chen2015 => 1.0,
    };
    let c: f64 = st.concentration.iter().sum::<f64>() * p.bulk_concentration;
    let x: f64 = st.phase.iter().sum::<f64>() * share * p.site_density;
    c + x
}

/// §5.6: a closed box keeps ∫(c + (1 − t₊)c_sξ)dA (§1.3) or ∫(c₀c̃ + c_sξ)dA (§1.1) to 1e-12
/// relative per step.
#[test]
fn mass_conservation() {
    for transport in [Transport::Electroneutral, Transport::Chen2015] {
        let p = Parameters { transport, noise_amplitude: 0.04, ..Parameters::default() };
        let s = cell_setup(&p, 48, 32, 20.0, FarBoundary::Closed);
        let m = PhaseField::new(p, s).unwrap();
        let mut st = m.initial_state();
        let mut before = inventory(&m, &st);
        for _ in 0..200 {
            m.step(&mut st).unwrap();
            let after = inventory(&m, &st);
            assert!(((after - before) / before).abs() < 1e-12, "{transport:?}: {before} -> {after}");
            before = after;
        }
    }
}

/// §5.7: the ionic current through the far plane equals nFc_s d/dt∫ξ dA per width to the potential
/// tolerance (1e-8 relative).
#[test]
fn charge_balance() {
    for transport in [Transport::Electroneutral, Transport::Chen2015] {
        let p = Parameters { transport, ..Parameters::default() };
        let s = cell_setup(&p, 48, 32, 10.0, FarBoundary::Reservoir);
        let m = PhaseField::new(p, s).unwrap();
        let mut st = m.initial_state();
        for _ in 0..20 {
            m.step(&mut st).unwrap();
        }
        let (far, dep) = (m.far_plane_current_density(&st), m.deposition_current_density(&st));
        assert!(((far - dep) / dep).abs() < 1e-8, "{transport:?}: far {far} vs deposition {dep}");
        assert!((dep / 10.0 - 1.0).abs() < 1e-9);
    }
}
