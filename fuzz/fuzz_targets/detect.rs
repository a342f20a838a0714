//! Fuzz target: `spelab_io::read_bytes` on arbitrary bytes must return Ok or Err, never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(r) = spelab_io::read_bytes(data, "fuzz") {
        // Every column of a returned recording has the row count.
        assert!(r.columns.iter().all(|c| c.values.len() == r.rows()));
    }
});
