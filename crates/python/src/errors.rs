//! Rust errors as Python exceptions: `spelab.SpelabError(message, file, line, kind)`, from the same JSON
//! error document the CLI prints (`spelab_study::error_report`).

use pyo3::prelude::*;

/// `error` as a `spelab.SpelabError` (a `RuntimeError` when the Python class cannot be imported).
pub fn to_py(py: Python<'_>, error: anyhow::Error) -> PyErr {
    let doc = spelab_study::error_report::json_document(&error);
    let e = &doc["error"];
    let message = e["message"].as_str().unwrap_or_default().to_string();
    let file = e["file"].as_str().map(str::to_string);
    let line = e["line"].as_u64();
    let kind = e["kind"].as_str().unwrap_or("error").to_string();
    let class = match py.import("spelab._errors").and_then(|m| m.getattr("SpelabError")) {
        Ok(class) => class,
        Err(_) => return pyo3::exceptions::PyRuntimeError::new_err(message),
    };
    match class.call1((message.clone(), file, line, kind)) {
        Ok(value) => PyErr::from_value(value),
        Err(_) => pyo3::exceptions::PyRuntimeError::new_err(message),
    }
}

/// Runs `f` with the GIL released and turns its error into a Python exception.
pub fn detached<T: Send>(py: Python<'_>, f: impl FnOnce() -> anyhow::Result<T> + Send) -> PyResult<T> {
    py.detach(f).map_err(|e| to_py(py, e))
}
