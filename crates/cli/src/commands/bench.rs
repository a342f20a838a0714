//! `spelab bench read FILE.. [--repeat N]`: time spelab's readers on real files, best and median of
//! N runs, two ways:
//! - from disk: `std::fs::read` of the path plus the reader, the recording dropped inside the timed
//!   region: what galvani's `MPRfile(path)` and fastnda's / NewareNDA's `read(path)` do in
//!   `scripts/bench_readers.py` (the file in the page cache, the result freed before the clock stops);
//! - in memory: the reader alone on bytes already in memory (`spelab_io::read_bytes`);
//! - the file alone: a bare `std::fs::read` of the path, the bytes dropped inside the timed region,
//!   the physical bound of any reader that reads the file (`scripts/bench-readers` prints it next to
//!   the Python readers' times).
//!
//! With `--stored` (`.mpr` only) the reader decodes the fields the file stores and derives nothing
//! (`read_mpr_columns(.., MprColumns::Stored)`): the equal-work comparison with galvani plus one array
//! per field.
//!
//! The first run of each file is also reported on its own (for the first file: a cold allocator,
//! every page of the result new to the process, as a one-off `spelab read` sees it).
//!
//! A command rather than a criterion bench so that `scripts/bench-readers` can time spelab and the
//! Python peers (galvani, NewareNDA, fastnda) on the same files in the same run with the same method.

use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::{print, print_json, Output};
use crate::args::BenchReadArgs;

/// One file's timing.
#[derive(Serialize)]
struct Timing {
    file: String,
    format: &'static str,
    rows: usize,
    bytes: usize,
    repeat: usize,
    /// The first read from disk [s].
    first_s: f64,
    /// Best read from disk [s].
    best_s: f64,
    /// Median read from disk [s].
    median_s: f64,
    /// Every read from disk, in order [s].
    times_s: Vec<f64>,
    /// Best read of bytes already in memory [s].
    memory_best_s: f64,
    /// Median read of bytes already in memory [s].
    memory_median_s: f64,
    /// Best bare `std::fs::read` of the file [s].
    file_best_s: f64,
    /// Median bare `std::fs::read` of the file [s].
    file_median_s: f64,
    /// Every bare `std::fs::read` of the file, in order [s].
    file_times_s: Vec<f64>,
}

/// Wall times of `repeat` runs of `run` [s], each result dropped before its clock stops.
fn timed_runs<T>(repeat: usize, mut run: impl FnMut() -> anyhow::Result<T>) -> anyhow::Result<Vec<f64>> {
    let time = |t0: Instant, out: T| {
        drop(std::hint::black_box(out));
        t0.elapsed().as_secs_f64()
    };
    (0..repeat).map(|_| Ok(time(Instant::now(), run()?))).collect()
}

/// Best and median of `times`.
fn best_median(times: &[f64]) -> (f64, f64) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    (sorted[0], sorted[sorted.len() / 2])
}

/// Reads `bytes` (all columns, or with `stored` an `.mpr`'s stored fields alone).
fn decode(bytes: &[u8], name: &str, stored: bool) -> anyhow::Result<spelab_io::Recording> {
    use spelab_io::biologic::{read_mpr_columns, MprColumns};
    Ok(if stored {
        read_mpr_columns(bytes, name, MprColumns::Stored)?
    } else {
        spelab_io::read_bytes(bytes, name)?
    })
}

/// `spelab bench read`.
pub fn read(args: &BenchReadArgs, out: Output) -> anyhow::Result<u8> {
    let (repeat, stored) = (args.repeat.max(1), args.stored);
    let mut timings = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let file = || std::fs::read(path).with_context(|| format!("reading {name}"));
        let times = timed_runs(repeat, || decode(&file()?, &name, stored))?;
        let bytes = file()?;
        let rec = decode(&bytes, &name, stored)?;
        let memory = timed_runs(repeat, || decode(&bytes, &name, stored))?;
        let file_times = timed_runs(repeat, file)?;
        let (file_best_s, file_median_s) = best_median(&file_times);
        let (best_s, median_s) = best_median(&times);
        let (memory_best_s, memory_median_s) = best_median(&memory);
        timings.push(Timing {
            file: name,
            format: rec.format.id(),
            rows: rec.rows(),
            bytes: bytes.len(),
            repeat,
            first_s: times[0],
            best_s,
            median_s,
            times_s: times,
            memory_best_s,
            memory_median_s,
            file_best_s,
            file_median_s,
            file_times_s: file_times,
        });
    }
    if out.json {
        print_json(&timings)?;
    } else if !out.quiet {
        let mut text = String::new();
        for t in &timings {
            text.push_str(&format!(
                "{}: {} rows ({}), from disk: best {:.3} ms, median {:.3} ms, first {:.3} ms; bytes in \
                 memory: best {:.3} ms, median {:.3} ms; the file alone (std::fs::read): best {:.3} ms, \
                 median {:.3} ms ({} runs each, {:.0} MB/s)\n",
                t.file,
                t.rows,
                t.format,
                t.best_s * 1e3,
                t.median_s * 1e3,
                t.first_s * 1e3,
                t.memory_best_s * 1e3,
                t.memory_median_s * 1e3,
                t.file_best_s * 1e3,
                t.file_median_s * 1e3,
                t.repeat,
                t.bytes as f64 / t.best_s / 1e6
            ));
        }
        print(&text)?;
    }
    Ok(0)
}
