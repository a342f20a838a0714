//! spelab's Python extension, `spelab._native`: thin bindings over the library crates (spelab-io,
//! spelab-analysis, spelab-study) for the pure-Python package in `crates/python/python/spelab`, which
//! gives them their documented API (`spelab.read`, `spelab.eis`, `spelab.analyze`, `spelab.simulate`,
//! `spelab.run_study`, `spelab.distributed`).
//!
//! Conventions: arrays cross as NumPy arrays (`float64`, `complex128`; outputs are vectors handed to
//! NumPy without a copy); structured results cross as the JSON text the CLI's `--json` prints (the
//! Python side parses it); every computation runs with the GIL released (`Python::detach`); errors
//! are raised as `spelab.SpelabError` carrying the same message, file, line and kind as the CLI's JSON
//! error document.

use pyo3::prelude::*;

mod eis;
mod errors;
mod read;
mod study;

/// The native module (`spelab._native`).
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    read::register(m)?;
    eis::register(m)?;
    study::register(m)?;
    Ok(())
}
