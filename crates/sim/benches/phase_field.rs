//! Phase-field throughput (issue #12, run through `scripts/bench-phasefield`; informs, never gates):
//!
//! 1. cell updates per second of the explicit step (ξ and c̃ in the fused pass, potential solve
//!    amortised away) at 256², 512², 1024², per wall second and per CPU second (user + system of the
//!    process, so a loaded machine shows), as a fraction of the DRAM roofline of phasefield.md §7:
//!    15.6 GB/s / 56 B per f64 cell update = 2.8e8 /s on the 2-core Zen 3 VM;
//! 2. the cost of one step with the potential solve at those sizes, and the split of a step of the
//!    study's reference cell (as `failure::dendrite_setup`: 1 µm, 64 µm wide) into the explicit
//!    kernels, the implicit salt solve and the potential solve;
//! 3. the peer case for FiPy (`scripts/bench_phasefield_fipy.py`): isotropic Allen-Cahn +
//!    Butler-Volmer at a fixed metal potential + salt diffusion with D(ξ) and the deposition sink,
//!    no-flux box, fixed Δt; its parameters and spelab's time and integrals go to the JSON file named
//!    by `PF_FIPY_CASE`.
//!
//! `PF_BENCH_SIZES=256,512` limits the sizes; `PF_BENCH_PARTS=explicit` runs only the explicit-step
//! rates (the parts: `explicit`, `potential`, `reference`, `peer`; all by default), e.g. for an A/B
//! comparison of two builds run alternately; `PF_BENCH_REPEAT=5` times each size that many times and
//! reports the best (the noise of a loaded machine only ever slows a run).

#[path = "phase_field_peer.rs"]
mod peer;

use std::time::Instant;

use spelab_sim::phase_field::{
    Control, FarBoundary, Grid, Nucleus, Parameters, PhaseField, Setup, SideWalls,
};

/// DRAM roofline of the explicit f64 step on the reference VM (phasefield.md §7) [1/s].
pub const ROOFLINE: f64 = 2.8e8;

/// User + system CPU time of this process so far, from /proc/self/stat (None off Linux) [s].
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command: utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

fn model(n: usize, potential_interval: usize) -> PhaseField {
    let p = Parameters { noise_amplitude: 0.04, ..Parameters::default() };
    let grid = Grid { nx: n, ny: n, spacing: 0.5e-6, side_walls: SideWalls::Periodic };
    let mut s = Setup::new(grid, 5e-6, Control::Galvanostatic { current_density: 10.0 });
    s.nuclei = (0..8).map(|k| Nucleus { y: (k as f64 + 0.5) * grid.width() / 8.0, radius: 2e-6 }).collect();
    s.far_boundary = FarBoundary::CounterElectrode;
    s.potential_interval = potential_interval;
    PhaseField::new(p, s).expect("valid bench model")
}

/// Seconds per step of `m` over `steps` steps after `warm` unmeasured ones, and the state.
fn per_step(m: &PhaseField, warm: usize, steps: usize) -> (f64, spelab_sim::phase_field::State) {
    let mut st = m.initial_state();
    for _ in 0..warm {
        m.step(&mut st).expect("warm-up step");
    }
    let t = Instant::now();
    for _ in 0..steps {
        m.step(&mut st).expect("step");
    }
    (t.elapsed().as_secs_f64() / steps as f64, st)
}

/// Whether `PF_BENCH_PARTS` (comma-separated; unset = all) asks for `part`.
fn wants(part: &str) -> bool {
    std::env::var("PF_BENCH_PARTS").map_or(true, |v| v.split(',').any(|p| p.trim() == part))
}

fn sizes() {
    let sizes: Vec<usize> = std::env::var("PF_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![256, 512, 1024]);
    let threads = rayon::current_num_threads();
    println!("threads: {threads}; roofline {ROOFLINE:.1e} cell updates/s (phasefield.md §7, DRAM, f64)");
    let repeat: usize = std::env::var("PF_BENCH_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    for n in sizes {
        if wants("explicit") {
            let m = model(n, usize::MAX);
            let steps = (4e8 / (n * n) as f64).clamp(5.0, 800.0) as usize;
            // Best of `repeat` runs, each from the same state after one warm-up step.
            let (mut secs, mut cpu_secs) = (f64::INFINITY, f64::INFINITY);
            for _ in 0..repeat.max(1) {
                let mut st = m.initial_state();
                m.step(&mut st).expect("warm-up step");
                let (t0, c0) = (Instant::now(), cpu_seconds());
                for _ in 0..steps {
                    m.step(&mut st).expect("step");
                }
                secs = secs.min(t0.elapsed().as_secs_f64());
                if let (Some(a), Some(b)) = (c0, cpu_seconds()) {
                    cpu_secs = cpu_secs.min(b - a);
                }
            }
            let cells = (steps * n * n) as f64;
            let rate = cells / secs;
            let cpu = if cpu_secs.is_finite() && cpu_secs > 0.0 {
                format!(
                    "; {:.3e} per CPU second, x{threads} threads = {:.0} % of the roofline if uncontended",
                    cells / cpu_secs,
                    100.0 * cells / cpu_secs * threads as f64 / ROOFLINE
                )
            } else {
                String::new()
            };
            println!(
                "explicit {n}x{n}: {rate:.3e} cell updates/s wall = {:.1} % of the roofline{cpu}",
                100.0 * rate / ROOFLINE
            );
        }
        if wants("potential") {
            let (with_potential, sp) = per_step(&model(n, 1), 1, 3);
            println!(
                "  step with the potential solve {n}x{n}: {:.1} ms ({} PCG iterations per solve)",
                with_potential * 1e3,
                sp.diagnostics.potential_iterations / sp.diagnostics.potential_solves.max(1)
            );
        }
    }
}

/// The study's reference cell, split into its parts by switching them on one at a time.
fn reference_cell() {
    let p = Parameters { noise_amplitude: 0.04, ..Parameters::default() };
    // As failure::dendrite_setup builds it (implicit salt, potential to 1e-6, two nuclei).
    let mut base = Setup::cell(&p, 1e-6, 64e-6, 10.0).expect("reference cell");
    let w = base.grid.width();
    base.nuclei = vec![Nucleus { y: 0.25 * w, radius: 2e-6 }, Nucleus { y: 0.625 * w, radius: 3e-6 }];
    base.potential_tolerance = 1e-6;
    let run = |implicit: bool, potential: bool| {
        let mut s = base.clone();
        s.implicit_diffusion = implicit;
        s.potential_interval = if potential { 1 } else { usize::MAX };
        let m = PhaseField::new(p, s).expect("reference model");
        per_step(&m, 5, 300)
    };
    let (explicit, _) = run(false, false);
    let (implicit, _) = run(true, false);
    let (full, st) = run(true, true);
    let g = base.grid;
    println!(
        "reference cell {}x{} (study step setup): {:.3} ms/step = explicit kernels {:.3} + implicit salt \
         {:.3} + potential {:.3} ms ({} PCG iterations per potential solve)",
        g.nx,
        g.ny,
        full * 1e3,
        explicit * 1e3,
        (implicit - explicit).max(0.0) * 1e3,
        (full - implicit).max(0.0) * 1e3,
        st.diagnostics.potential_iterations / st.diagnostics.potential_solves.max(1)
    );
}

fn main() {
    sizes();
    if wants("reference") {
        reference_cell();
    }
    if wants("peer") {
        peer::run();
    }
}
