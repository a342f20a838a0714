//! `spelab.run_study`, `spelab.analyze.<kind>` and `spelab.simulate` over spelab-study.

use std::path::PathBuf;

use anyhow::Context;
use numpy::IntoPyArray;
use pyo3::prelude::*;
use spelab_study::simulate::{full_cell, symmetric, Columns, OptionNames};

use crate::errors::detached;

/// Runs the study file `path` into `out` (a temporary folder, removed afterwards, when None); returns
/// the run's `metrics.json` document as JSON text.
#[pyfunction]
#[pyo3(signature = (path, out=None))]
fn run_study(py: Python<'_>, path: PathBuf, out: Option<PathBuf>) -> PyResult<String> {
    detached(py, move || {
        let study = spelab_study::study::load(&path)?;
        let temporary = match out {
            Some(_) => None,
            None => Some(tempfile::tempdir().context("creating a temporary run folder")?),
        };
        let dir = out.unwrap_or_else(|| temporary.as_ref().map(|t| t.path().join("run")).unwrap_or_default());
        spelab_study::runner::run(&study, &dir, &mut spelab_study::runner::Silent)?;
        let metrics = dir.join("metrics.json");
        std::fs::read_to_string(&metrics).with_context(|| format!("reading {}", metrics.display()))
    })
}

/// The step kinds a study can run: `(name, summary)`.
#[pyfunction]
fn step_kinds() -> Vec<(&'static str, &'static str)> {
    spelab_study::steps::REGISTRY.iter().map(|k| (k.name, k.summary)).collect()
}

/// One step of `kind` on `files` with options `options` (`(key, value as JSON text)`), as
/// `spelab analyze`; returns `{"metrics": [...], "failed": [(step, message)], "out": path}` as JSON text.
#[pyfunction]
#[pyo3(signature = (kind, files, material="pvh-im", options=Vec::new(), out=None))]
fn analyze(
    py: Python<'_>,
    kind: &str,
    files: Vec<PathBuf>,
    material: &str,
    options: Vec<(String, String)>,
    out: Option<PathBuf>,
) -> PyResult<String> {
    detached(py, move || {
        let sets = options
            .into_iter()
            .map(|(key, json)| {
                let value: serde_json::Value =
                    serde_json::from_str(&json).with_context(|| format!("option {key}: {json}"))?;
                let value = toml::Value::try_from(value).with_context(|| format!("option {key}: {json}"))?;
                Ok((key, value.to_string()))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let temporary = match out {
            Some(_) => None,
            None => Some(tempfile::tempdir().context("creating a temporary run folder")?),
        };
        let dir = out.unwrap_or_else(|| temporary.as_ref().map(|t| t.path().join("run")).unwrap_or_default());
        let summary = spelab_study::one_step::run(kind, material, &files, &sets, &dir)?;
        let failed: Vec<(&str, &str)> =
            summary.steps.iter().filter_map(|s| s.message.as_deref().map(|m| (s.id.as_str(), m))).collect();
        Ok(serde_json::json!({ "metrics": summary.metrics, "failed": failed, "out": dir }).to_string())
    })
}

/// A [`Columns`] table as `(names, arrays)`.
type Table<'py> = (Vec<&'static str>, Vec<Bound<'py, numpy::PyArray1<f64>>>);

fn table(py: Python<'_>, columns: Columns) -> Table<'_> {
    (columns.names, columns.values.into_iter().map(|v| v.into_pyarray(py)).collect())
}

/// `spelab simulate symmetric`: returns the record's table and a summary (JSON text).
#[pyfunction]
#[pyo3(signature = (material="pvh-im", protocol="cycling", current="0.2 mA/cm2", voltage="10 mV", duration="1 h", half_cycle="1 h", rest="0 s", cycles=10, steps=100, voltage_limit=None, temperature=None, thickness=None, salt="1 mol/L", area="1 cm2", sample_interval="60 s", noise_seed=None, film=None))]
#[allow(clippy::too_many_arguments)]
fn simulate_symmetric<'py>(
    py: Python<'py>,
    material: &str,
    protocol: &str,
    current: &str,
    voltage: &str,
    duration: &str,
    half_cycle: &str,
    rest: &str,
    cycles: u32,
    steps: u32,
    voltage_limit: Option<String>,
    temperature: Option<String>,
    thickness: Option<String>,
    salt: &str,
    area: &str,
    sample_interval: &str,
    noise_seed: Option<u64>,
    film: Option<String>,
) -> PyResult<(Table<'py>, String)> {
    let request = symmetric::Request {
        material: material.into(),
        protocol: symmetric::Protocol::Cycling,
        current: current.into(),
        voltage: voltage.into(),
        duration: duration.into(),
        half_cycle: half_cycle.into(),
        rest: rest.into(),
        cycles,
        steps,
        voltage_limit,
        temperature,
        thickness,
        salt: salt.into(),
        area: area.into(),
        sample_interval: sample_interval.into(),
        noise_seed,
        film,
        names: OptionNames::Keywords,
    };
    let (columns, summary) = detached(py, move || {
        let request = symmetric::Request { protocol: protocol.parse()?, ..request };
        let run = symmetric::run(&request)?;
        let summary = serde_json::json!({
            "protocol": run.label,
            "temperature_k": run.cell.temperature,
            "stop": run.simulation.stop,
            "critical_current_density_a_m2": run.critical_current_density,
            "duration_s": run.simulation.state.time_s,
            "solver_steps": run.simulation.stats.accepted,
        });
        Ok((run.columns(), summary.to_string()))
    })?;
    Ok((table(py, columns), summary))
}

/// `spelab simulate full-cell`: returns the record's table and the command's `--json` summary (JSON
/// text: cell, cycles with capacities, rate blocks, recovery).
#[pyfunction]
#[pyo3(signature = (material="pvh-im", c_rates="0.1,0.2,0.5,1,0.5,0.2,0.1", cycles=3, model=None, rest="0 s", temperature=None, thickness=None, salt="1 mol/L", area="1 cm2", voltage_step="2 mV"))]
#[allow(clippy::too_many_arguments)]
fn simulate_full_cell<'py>(
    py: Python<'py>,
    material: &str,
    c_rates: &str,
    cycles: u32,
    model: Option<String>,
    rest: &str,
    temperature: Option<String>,
    thickness: Option<String>,
    salt: &str,
    area: &str,
    voltage_step: &str,
) -> PyResult<(Table<'py>, String)> {
    let defaults = full_cell::Request::default();
    let request = full_cell::Request {
        material: material.into(),
        c_rates: c_rates.into(),
        cycles,
        model: model.unwrap_or(defaults.model),
        rest: rest.into(),
        temperature,
        thickness,
        salt: salt.into(),
        area: area.into(),
        voltage_step: voltage_step.into(),
        names: OptionNames::Keywords,
        ..defaults
    };
    let (columns, summary) = detached(py, move || {
        let run = full_cell::run(&request)?;
        Ok((full_cell::columns(&run.record), serde_json::to_string(&run.summary)?))
    })?;
    Ok((table(py, columns), summary))
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_study, m)?)?;
    m.add_function(wrap_pyfunction!(step_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(analyze, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_symmetric, m)?)?;
    m.add_function(wrap_pyfunction!(simulate_full_cell, m)?)?;
    Ok(())
}
