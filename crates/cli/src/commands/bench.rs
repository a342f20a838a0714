//! `spelab bench read FILE.. [--repeat N]`: time spelab's readers on real files (whole file from
//! memory to a [`spelab_io::Recording`], as `spelab read` does), best and median of N runs.
//!
//! A command rather than a criterion bench so that `scripts/bench-readers` can time spelab and the
//! Python peers (galvani, NewareNDA, fastnda) on the same files in the same run with the same method
//! (file bytes already in memory / page cache; best of N wall-clock runs).

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
    best_s: f64,
    median_s: f64,
}

/// `spelab bench read`.
pub fn read(args: &BenchReadArgs, out: Output) -> anyhow::Result<u8> {
    let repeat = args.repeat.max(1);
    let mut timings = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("reading {name}"))?;
        let mut times = Vec::with_capacity(repeat);
        let mut rec = None;
        for _ in 0..repeat {
            let t0 = Instant::now();
            let r = spelab_io::read_bytes(&bytes, &name)?;
            times.push(t0.elapsed().as_secs_f64());
            rec = Some(r);
        }
        times.sort_by(f64::total_cmp);
        let rec = rec.context("no run")?;
        timings.push(Timing {
            file: name,
            format: rec.format.id(),
            rows: rec.rows(),
            bytes: bytes.len(),
            repeat,
            best_s: times[0],
            median_s: times[times.len() / 2],
        });
    }
    if out.json {
        print_json(&timings)?;
    } else if !out.quiet {
        let mut text = String::new();
        for t in &timings {
            text.push_str(&format!(
                "{}: {} rows ({}), best {:.3} ms, median {:.3} ms of {} runs, {:.0} MB/s\n",
                t.file,
                t.rows,
                t.format,
                t.best_s * 1e3,
                t.median_s * 1e3,
                t.repeat,
                t.bytes as f64 / t.best_s / 1e6
            ));
        }
        print(&text)?;
    }
    Ok(0)
}
