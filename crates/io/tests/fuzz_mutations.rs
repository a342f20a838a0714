//! Stable-toolchain mutation fuzzer for every binary and text reader (the cargo-fuzz targets in
//! `fuzz/` need nightly). Ignored by default; run for a time budget per reader with
//!
//! `SPELAB_FUZZ_SECS=600 cargo test --release -p spelab-io --test fuzz_mutations -- --ignored --nocapture`
//!
//! Each reader gets seeds from the shared corpus and mutates them (byte flips, boundary integers
//! 0 / 0xFF.. / 0x7F.. at random offsets, truncation, chunk duplication and deletion, splicing two
//! seeds; `res` also gets the aux-channel fixture `tests/data/arbin/aux_multi_x.res.gz`), seeded (`SPELAB_FUZZ_SEED`, default 1) so a failure replays. A panic is caught, the input
//! written to `target/fuzz-crashes/`, and the test fails; crashes found become regression tests in
//! `robustness.rs`. Every returned recording must have columns of equal length.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use spelab_io::recording::Recording;
use spelab_io::IoError;
use spelab_testkit::{shared_data, Rng};

type Reader = fn(&[u8], &str) -> Result<Recording, IoError>;

/// (reader name, reader, corpus seeds). Large files are left out to keep each iteration fast.
fn readers() -> Vec<(&'static str, Reader, Vec<&'static str>)> {
    vec![
        (
            "mpr",
            spelab_io::biologic::mpr::read_mpr,
            vec![
                "biologic/ca.issue_149.mpr",
                "biologic/cv.mpr",
                "biologic/gcpl.issue_149.mpr",
                "biologic/lsv.issue_195.mpr",
                "biologic/ocv.mpr",
                "biologic/peis.mpr",
                "biologic/mb.issue_95.mpr",
            ],
        ),
        ("nda", spelab_io::neware::read_nda, vec!["neware/new_nda_file.nda", "neware/TestFile.nda"]),
        (
            "ndax",
            spelab_io::ndax::read_ndax,
            vec![
                "neware/navani_test.ndax",
                "neware/TESTCELL0001-Test_Data_Collection_Ndc17.ndax",
                "neware/123456789012_Unit27_Example_Data_File.ndax",
            ],
        ),
        (
            "res",
            spelab_io::arbin_res::read_res,
            vec![
                "arbin/arbin_example.res",
                "arbin/20160805_test001_45_cc_01.res",
                "local:arbin/aux_multi_x.res.gz",
            ],
        ),
        ("mpt", spelab_io::biologic::mpt::read_mpt, vec!["biologic/peis.mpt", "biologic/mb.issue_95.de.mpt"]),
        (
            "gamry",
            spelab_io::gamry::read_dta,
            vec!["gamry/exampleDataGamryABORT.DTA", "gamry/cv_data.dta", "gamry/eispot_data.dta"],
        ),
        ("maccor", spelab_io::maccor::read_maccor, vec!["maccor/maccor_two.txt"]),
    ]
}

/// A seed: a shared corpus file, or `local:<path>` under `tests/data` (`.gz` decompressed).
fn load_seed(file: &str) -> Option<Vec<u8>> {
    let Some(local) = file.strip_prefix("local:") else {
        return shared_data(&format!("instruments/{file}")).map(|p| std::fs::read(p).expect("read seed"));
    };
    let bytes =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(local))
            .expect("read seed");
    if !local.ends_with(".gz") {
        return Some(bytes);
    }
    let n = u32::from_le_bytes(bytes[bytes.len() - 4..].try_into().expect("gzip size")) as usize;
    let mut out = vec![0u8; n];
    libdeflater::Decompressor::new().gzip_decompress(&bytes, &mut out).expect("gunzip seed");
    Some(out)
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let pick = |rng: &mut Rng, n: usize| ((rng.uniform() * n as f64) as usize).min(n.saturating_sub(1));
    let mut v = seeds[pick(rng, seeds.len())].clone();
    let ops = 1 + pick(rng, 6);
    for _ in 0..ops {
        if v.is_empty() {
            break;
        }
        let at = pick(rng, v.len());
        match pick(rng, 7) {
            0 | 1 => v[at] = (rng.next_u64() & 0xFF) as u8,
            2 => {
                let pattern: [u8; 4] = match pick(rng, 4) {
                    0 => [0; 4],
                    1 => [0xFF; 4],
                    2 => [0xFF, 0xFF, 0xFF, 0x7F],
                    _ => (rng.next_u64() as u32).to_le_bytes(),
                };
                let end = (at + 4).min(v.len());
                v[at..end].copy_from_slice(&pattern[..end - at]);
            }
            3 => v.truncate(at),
            4 => {
                let len = pick(rng, 256).min(v.len() - at);
                let chunk = v[at..at + len].to_vec();
                let to = pick(rng, v.len());
                v.splice(to..to, chunk);
            }
            5 => {
                let len = pick(rng, 256).min(v.len() - at);
                v.drain(at..at + len);
            }
            _ => {
                let other = &seeds[pick(rng, seeds.len())];
                let from = pick(rng, other.len());
                v.truncate(at);
                v.extend_from_slice(&other[from..]);
            }
        }
    }
    v
}

#[test]
#[ignore = "long-running fuzzer; run with --ignored and SPELAB_FUZZ_SECS"]
fn mutation_fuzz_every_reader() {
    let secs: u64 = std::env::var("SPELAB_FUZZ_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = std::env::var("SPELAB_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let only = std::env::var("SPELAB_FUZZ_ONLY").ok();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for (name, reader, files) in readers() {
        if only.as_deref().is_some_and(|o| !o.split(',').any(|x| x == name)) {
            continue;
        }
        let seeds: Vec<Vec<u8>> = files.iter().filter_map(|f| load_seed(f)).collect();
        if seeds.is_empty() {
            continue;
        }
        let mut rng = Rng::new(seed);
        let start = Instant::now();
        let (mut runs, mut ok) = (0u64, 0u64);
        while start.elapsed() < Duration::from_secs(secs) {
            let input = mutate(&mut rng, &seeds);
            runs += 1;
            match catch_unwind(AssertUnwindSafe(|| reader(&input, "fuzz"))) {
                Ok(Ok(r)) => {
                    ok += 1;
                    if !r.columns.iter().all(|c| c.values.len() == r.rows()) {
                        failures.push(format!("{name}: unequal column lengths (run {runs})"));
                    }
                }
                Ok(Err(_)) => {}
                Err(_) => {
                    let dir =
                        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/fuzz-crashes");
                    std::fs::create_dir_all(&dir).expect("crash dir");
                    let file = dir.join(format!("{name}-seed{seed}-run{runs}.bin"));
                    std::fs::write(&file, &input).expect("write crash");
                    failures.push(format!("{name}: panic, input saved to {}", file.display()));
                }
            }
        }
        println!(
            "{name}: {runs} inputs in {:.0} s ({ok} read as valid), seed {seed}",
            start.elapsed().as_secs_f64()
        );
    }
    let _ = std::panic::take_hook();
    assert!(failures.is_empty(), "{failures:#?}");
}
