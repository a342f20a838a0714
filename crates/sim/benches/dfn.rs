//! Benchmark: 1C constant-current discharges of the DFN half cell (default 20/20/20 mesh, default
//! rtol 1e-4) with the three reference electrolytes, from PyBaMM's initial stoichiometry to 2.5 V or
//! electrolyte depletion; each timed run builds the model too (`Dfn::new`, spelab has no separate
//! build). Prints best and median (wall clock) and the mean CPU time of 30 runs with the integration counters (the lines
//! `scripts/bench-dfn` reads), next to PyBaMM's stored solve-only medians (IDAKLU, rtol 1e-4) from
//! `shared/data/pybamm/rate_summary.json` when that file is present; `scripts/bench-dfn` runs PyBaMM
//! itself in the same run.

// criterion_group! expands to an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use spelab_sim::fullcell::{Dfn, DfnMesh, FullCell, FullCellModel, Limits, ReferenceElectrolyte, SegmentEnd};

const LIMITS: Limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };

fn discharge(cell: &FullCell) -> Dfn {
    let mut dfn = Dfn::new(cell, 86.6628 / 22806.0, DfnMesh::default()).expect("dfn");
    let i = cell.one_c_current_density();
    while dfn.advance(i, 7200.0, &LIMITS, &mut |_| {}).expect("run") == SegmentEnd::Duration {}
    dfn
}

/// PyBaMM's solve-only median [s] of the DFN 1C case for `electrolyte`, if the shared data is there.
fn pybamm_median(electrolyte: &str) -> Option<f64> {
    let path = std::env::var_os("SPELAB_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("/work/shared/data"))
        .join("pybamm/rate_summary.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["cases"].as_array()?.iter().find_map(|c| {
        (c["model"] == "DFN" && c["electrolyte"] == electrolyte && c["C_rate"].as_f64() == Some(1.0))
            .then(|| c["solve_only_median_s"].as_f64())
            .flatten()
    })
}

/// CPU time of the calling thread [s] (Linux `/proc/thread-self/schedstat`, ns), if available.
fn thread_cpu_s() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<f64>().ok()? * 1e-9)
}

fn dfn_1c(c: &mut Criterion) {
    let mut group = c.benchmark_group("dfn 1C discharge (502-state mesh)");
    group.sample_size(20);
    for (name, e) in [
        ("liquid", ReferenceElectrolyte::Liquid),
        ("spe_A", ReferenceElectrolyte::SpeA),
        ("spe_B", ReferenceElectrolyte::SpeB),
    ] {
        let cell = FullCell::prada2013(e).expect("cell");
        // Best and median of 30 in wall-clock time, and the mean CPU time of the 30 (the machine is
        // shared: CPU time is what preemption does not inflate; the kernel updates it per scheduler
        // tick, ~4 ms, so only the total over all runs is precise).
        let mut wall = Vec::new();
        let cpu_start = thread_cpu_s();
        for _ in 0..30 {
            let start = std::time::Instant::now();
            std::hint::black_box(discharge(&cell));
            wall.push(start.elapsed().as_secs_f64());
        }
        let cpu_mean = thread_cpu_s().zip(cpu_start).map_or(f64::NAN, |(b, a)| (b - a) / 30.0);
        wall.sort_by(f64::total_cmp);
        let (ours, median) = (wall[0], wall[wall.len() / 2]);
        let dfn = discharge(&cell);
        let st = dfn.stats();
        println!(
            "dfn {name} 1C: spelab {:.2} ms best, {:.2} ms median, {:.2} ms CPU mean (new + solve), \
             {:.2} mAh/g, {} steps, {} rejected, {} Newton iterations, {} factorisations, {} Jacobians",
            ours * 1e3,
            median * 1e3,
            cpu_mean * 1e3,
            dfn.capacity_mah_g(),
            st.steps,
            st.rejected,
            st.newton_iterations,
            st.factorisations,
            st.jacobians
        );
        if let Some(p) = pybamm_median(name) {
            println!("    stored PyBaMM solve-only median {:.1} ms (idle VM): {:.2}x", p * 1e3, p / median);
        }
        group.bench_function(name, |b| b.iter(|| discharge(&cell).capacity_mah_g()));
    }
    group.finish();
}

criterion_group!(benches, dfn_1c);
criterion_main!(benches);
