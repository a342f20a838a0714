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
//! The first run of each file is also reported on its own (for the first file: a cold allocator,
//! every page of the result new to the process, as a one-off `spelab read` sees it).
//!
//! A command rather than a criterion bench so that `scripts/bench-readers` can time spelab and the
//! Python peers (galvani, NewareNDA, fastnda) on the same files in the same run with the same method.

use std::path::Path;
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

/// Wall time of `run` [s] and its result.
fn timed<T>(run: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(f64, T)> {
    let t0 = Instant::now();
    let out = run()?;
    Ok((t0.elapsed().as_secs_f64(), out))
}

/// Best and median of `times`.
fn best_median(times: &[f64]) -> (f64, f64) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    (sorted[0], sorted[sorted.len() / 2])
}

/// Reads `path` from disk into a recording and drops it; returns (format, rows, bytes).
fn read_from_disk(path: &Path, name: &str) -> anyhow::Result<(&'static str, usize, usize)> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
    let rec = spelab_io::read_bytes(&bytes, name)?;
    Ok((rec.format.id(), rec.rows(), bytes.len()))
}

/// `spelab bench read`.
pub fn read(args: &BenchReadArgs, out: Output) -> anyhow::Result<u8> {
    let repeat = args.repeat.max(1);
    let mut timings = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let mut times = Vec::with_capacity(repeat);
        let mut info = None;
        for _ in 0..repeat {
            let (t, i) = timed(|| read_from_disk(path, &name))?;
            times.push(t);
            info = Some(i);
        }
        let (format, rows, size) = info.context("no run")?;
        let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
        let mut memory = Vec::with_capacity(repeat);
        for _ in 0..repeat {
            let (t, rows) = timed(|| Ok(spelab_io::read_bytes(&bytes, &name)?.rows()))?;
            memory.push(t);
            std::hint::black_box(rows);
        }
        let mut file_times = Vec::with_capacity(repeat);
        for _ in 0..repeat {
            let (t, len) =
                timed(|| Ok(std::fs::read(path).with_context(|| format!("reading {name}"))?.len()))?;
            file_times.push(t);
            std::hint::black_box(len);
        }
        let (file_best_s, file_median_s) = best_median(&file_times);
        let (best_s, median_s) = best_median(&times);
        let (memory_best_s, memory_median_s) = best_median(&memory);
        timings.push(Timing {
            file: name,
            format,
            rows,
            bytes: size,
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
