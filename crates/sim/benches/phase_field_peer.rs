//! The FiPy peer case of the phase-field bench: spelab's side, and the parameters FiPy needs.

use std::time::Instant;

use spelab_sim::phase_field::{
    Control, FarBoundary, Grid, Nucleus, Parameters, PhaseField, Setup, SideWalls,
};

/// Cells per side and steps of the peer case.
const N: usize = 64;
const STEPS: usize = 200;

/// Runs the case, prints spelab's time and writes the JSON named by `PF_FIPY_CASE` (if set).
pub fn run() {
    let p = Parameters { anisotropy_strength: 0.0, ..Parameters::default() };
    let dx = 0.5e-6;
    let eta = -0.05;
    let grid = Grid { nx: N, ny: N, spacing: dx, side_walls: SideWalls::NoFlux };
    let mut s = Setup::new(grid, 5e-6, Control::Potentiostatic { metal_potential: eta });
    let (ny0, r0) = (0.5 * grid.width(), 2e-6);
    s.nuclei = vec![Nucleus { y: ny0, radius: r0 }];
    s.far_boundary = FarBoundary::Closed;
    s.potential_interval = usize::MAX; // φ = 0: no potential solve (FiPy solves none either)
    s.stop_at_short = false;
    let m = PhaseField::new(p, s).expect("peer case");
    let dt = 0.5 * m.time_step(&m.initial_state());
    // Best wall time of 5 runs (the loaded machine's noise is one-sided); the last run's state.
    let (mut secs, mut st, mut cut) = (f64::INFINITY, m.initial_state(), 0);
    for _ in 0..5 {
        st = m.initial_state();
        cut = 0;
        let t = Instant::now();
        for _ in 0..STEPS {
            m.step_by(&mut st, dt).expect("peer step");
            if st.diagnostics.last_time_step != dt {
                cut += 1;
            }
        }
        secs = secs.min(t.elapsed().as_secs_f64());
    }
    let xi: f64 = st.phase.iter().sum();
    let c: f64 = st.concentration.iter().sum();
    println!(
        "peer case {N}x{N}, {STEPS} steps of {dt:.3e} s: spelab {:.4} s (best of 5); sum xi {xi:.12e}, sum c {c:.12e}{}",
        secs,
        if cut > 0 { format!(" ({cut} steps cut below dt: not comparable)") } else { String::new() }
    );
    let Ok(path) = std::env::var("PF_FIPY_CASE") else { return };
    let case = serde_json::json!({
        "nx": N, "ny": N, "dx": dx, "steps": STEPS, "dt": dt,
        "well_height": p.well_height(), "gradient_coefficient": p.gradient_coefficient(),
        "interface_mobility": p.interface_mobility, "reaction_coefficient": m.reaction_coefficients()[0],
        "f": p.f(), "eta": eta, "alpha": p.transfer_coefficient,
        "diffusivity": p.transport_diffusivity(),
        "sink": (1.0 - p.transference_number) * p.site_density / p.bulk_concentration,
        "front": 5e-6, "nucleus_y": ny0, "nucleus_radius": r0, "interface_width": p.interface_width,
        "spelab_seconds": secs, "spelab_sum_xi": xi, "spelab_sum_c": c,
    });
    if let Err(e) = std::fs::write(&path, serde_json::to_string_pretty(&case).expect("json")) {
        eprintln!("cannot write {path}: {e}");
    }
}
