//! Benchmark: 1000 symmetric-cell cycles of PVH-IM at 0.2 mA/cm² (1 h half-cycles, no rest),
//! recorded every 60 s as the virtual cycler does (issue 6: "finishes in seconds").

// criterion_group! expands to an undocumented public function.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use spelab_sim::lab;
use spelab_sim::params;
use spelab_sim::symmetric::SymmetricCell;

fn thousand_cycles(c: &mut Criterion) {
    let material = params::preset("pvh-im").expect("preset").material_params().expect("params");
    let cell = SymmetricCell::from_material(&material, 1000.0).expect("cell");
    let mut group = c.benchmark_group("symmetric");
    group.sample_size(10);
    group.bench_function("pvh-im 1000 cycles 0.2 mA/cm2, 60 s sampling", |b| {
        b.iter(|| {
            let run = lab::galvanostatic_cycling(&cell, 2.0, 3600.0, 0.0, 1000, 60.0, None).expect("run");
            assert_eq!(run.data.cycles().len(), 1000);
            run
        })
    });
    group.finish();
}

criterion_group!(benches, thousand_cycles);
criterion_main!(benches);
