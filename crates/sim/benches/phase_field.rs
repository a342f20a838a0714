//! Phase-field throughput: cell updates per second of the explicit step (ξ and c̃, potential solve
//! amortised away) at 256², 512², 1024², as a fraction of the DRAM roofline of phasefield.md §7
//! (2.8e8 f64 cell updates/s on the 2-core Zen 3 VM), and the time of a one-step potential solve.
//! Informs; never gates. Run through `scripts/bench-phasefield`.

use std::time::Instant;

use spelab_sim::phase_field::{
    Control, FarBoundary, Grid, Nucleus, Parameters, PhaseField, Setup, SideWalls,
};

const ROOFLINE: f64 = 2.8e8;

fn model(n: usize, potential_interval: usize) -> PhaseField {
    let p = Parameters { noise_amplitude: 0.04, ..Parameters::default() };
    let grid = Grid { nx: n, ny: n, spacing: 0.5e-6, side_walls: SideWalls::Periodic };
    let mut s = Setup::new(grid, 5e-6, Control::Galvanostatic { current_density: 10.0 });
    s.nuclei = (0..8).map(|k| Nucleus { y: (k as f64 + 0.5) * grid.width() / 8.0, radius: 2e-6 }).collect();
    s.far_boundary = FarBoundary::CounterElectrode;
    s.potential_interval = potential_interval;
    PhaseField::new(p, s).expect("valid bench model")
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PF_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![256, 512, 1024]);
    println!("threads: {}", rayon::current_num_threads());
    for n in sizes {
        let m = model(n, usize::MAX);
        let mut st = m.initial_state();
        m.step(&mut st).expect("warm-up step");
        let steps = (2e8 / (n * n) as f64).clamp(5.0, 400.0) as usize;
        let t0 = Instant::now();
        for _ in 0..steps {
            m.step(&mut st).expect("step");
        }
        let secs = t0.elapsed().as_secs_f64();
        let rate = (steps * n * n) as f64 / secs;
        let mp = model(n, 1);
        let mut sp = mp.initial_state();
        mp.step(&mut sp).expect("warm-up");
        let t1 = Instant::now();
        let k = 3;
        for _ in 0..k {
            mp.step(&mut sp).expect("step");
        }
        let with_potential = t1.elapsed().as_secs_f64() / k as f64;
        println!(
            "{n}x{n}: {rate:.3e} cell updates/s explicit step ({:.0} % of the {ROOFLINE:.1e} roofline); \
             step with potential solve {:.1} ms ({} PCG iterations/solve)",
            100.0 * rate / ROOFLINE,
            with_potential * 1e3,
            sp.diagnostics.potential_iterations / sp.diagnostics.potential_solves.max(1)
        );
    }
}
