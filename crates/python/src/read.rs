//! `spelab.read`: an instrument file (format detected by content) as columns with SI names and units.

use std::path::PathBuf;

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use spelab_io::Values;

use crate::errors::detached;

/// Reads `path`; returns `{"format", "instrument", "technique", "rows", "metadata" (JSON text),
/// "columns": [(name, unit, source, derived, values)]}` with values as NumPy arrays (float64, or int64
/// for indices and flags) moved, not copied, into NumPy.
#[pyfunction]
fn read<'py>(py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyDict>> {
    let rec = detached(py, || Ok(spelab_io::read_path(&path)?))?;
    let out = PyDict::new(py);
    out.set_item("format", rec.format.id())?;
    out.set_item(
        "instrument",
        rec.metadata.instrument.clone().unwrap_or_else(|| rec.format.instrument().into()),
    )?;
    out.set_item("technique", rec.technique.clone())?;
    out.set_item("rows", rec.rows())?;
    out.set_item("metadata", rec.metadata_json().to_string())?;
    let columns = PyList::empty(py);
    for c in rec.columns {
        let name = c.name().to_string();
        let unit = c.unit().to_string();
        let values = match c.values {
            Values::Float(v) => v.into_pyarray(py).into_any(),
            Values::Int(v) => v.into_pyarray(py).into_any(),
        };
        columns.append((name, unit, c.source, c.derived, values))?;
    }
    out.set_item("columns", columns)?;
    Ok(out)
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(read, m)?)
}
