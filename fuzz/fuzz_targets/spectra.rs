//! Fuzz target: `spelab_io::spectra::read_spectral` on arbitrary bytes must return Ok or Err, never
//! panic (JCAMP-DX ASDF decoding, VAMAS block layout, Pyris segments, the column readers).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(file) = spelab_io::spectra::read_spectral(data, "fuzz") {
        assert!(!file.blocks.is_empty());
    }
});
