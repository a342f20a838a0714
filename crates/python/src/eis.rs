//! `spelab.eis`: circuit fits (one spectrum or a batch), circuit evaluation, lin-KK, DRT and ionic
//! conductivity over `spelab_analysis::eis`.

use anyhow::{bail, Context};
use num_complex::Complex64;
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use spelab_analysis::eis::{fit_circuit, Circuit, CircuitFit, EisFitOptions, Weighting};
use spelab_core::{ImpedanceSpectrum, Metadata};

use crate::errors::detached;

/// A spectrum from NumPy arrays (copied once into the spectrum, which owns its data).
fn spectrum(f: Vec<f64>, z: Vec<Complex64>) -> anyhow::Result<ImpedanceSpectrum> {
    if f.len() != z.len() {
        bail!("frequency has {} points but impedance has {}", f.len(), z.len());
    }
    Ok(ImpedanceSpectrum::new(f, z, Metadata::default())?)
}

/// The arrays of a spectrum, copied out of NumPy while the GIL is held.
fn arrays(
    frequency: &PyReadonlyArray1<'_, f64>,
    impedance: &PyReadonlyArray1<'_, Complex64>,
) -> (Vec<f64>, Vec<Complex64>) {
    (frequency.as_array().to_vec(), impedance.as_array().to_vec())
}

/// The frequency window and capacitive-only selection of the CLI's `--f-min/--f-max/--capacitive-only`.
fn window(
    s: ImpedanceSpectrum,
    f_min: Option<f64>,
    f_max: Option<f64>,
    capacitive: bool,
) -> anyhow::Result<ImpedanceSpectrum> {
    if f_min.is_none() && f_max.is_none() && !capacitive {
        return Ok(s);
    }
    spelab_study::inputs::select(&s, f_min, f_max, capacitive)
}

/// Fit options from the Python arguments.
fn options(
    initial: Vec<(String, f64)>,
    fixed: Vec<(String, f64)>,
    weighting: &str,
    multistart: Option<usize>,
    seed: u64,
    auto_start: bool,
) -> anyhow::Result<EisFitOptions> {
    let weighting: Weighting = weighting.parse().map_err(|e: String| anyhow::anyhow!(e))?;
    let mut o = EisFitOptions { weighting, initial, fixed, seed, auto_start, ..EisFitOptions::default() };
    if let Some(n) = multistart {
        o.multistart = n;
    }
    Ok(o)
}

/// Fits `circuit` to one spectrum; returns the fit as JSON text (`CircuitFit`'s fields).
#[pyfunction]
#[pyo3(signature = (frequency, impedance, circuit, initial=Vec::new(), fixed=Vec::new(), weighting="unit", multistart=None, seed=0, f_min=None, f_max=None, capacitive_only=false, auto_start=true))]
#[allow(clippy::too_many_arguments)]
fn fit(
    py: Python<'_>,
    frequency: PyReadonlyArray1<'_, f64>,
    impedance: PyReadonlyArray1<'_, Complex64>,
    circuit: &str,
    initial: Vec<(String, f64)>,
    fixed: Vec<(String, f64)>,
    weighting: &str,
    multistart: Option<usize>,
    seed: u64,
    f_min: Option<f64>,
    f_max: Option<f64>,
    capacitive_only: bool,
    auto_start: bool,
) -> PyResult<String> {
    let (f, z) = arrays(&frequency, &impedance);
    detached(py, move || {
        let s = spectrum(f, z)?;
        let circuit: Circuit = circuit.parse()?;
        let o = options(initial, fixed, weighting, multistart, seed, auto_start)?;
        let s = window(s, f_min, f_max, capacitive_only)?;
        let fit = fit_circuit(&s, &circuit, &o).with_context(|| format!("fitting {circuit}"))?;
        let mut doc = serde_json::to_value(&fit)?;
        doc["converged"] = fit.termination.converged().into();
        Ok(doc.to_string())
    })
}

/// What [`fit_batch`] returns: values and standard errors (spectra × parameters), χ², whether each
/// fit converged, and the error of each spectrum that could not be fitted (None otherwise).
type Batch<'py> = (
    Bound<'py, numpy::PyArray2<f64>>,
    Bound<'py, numpy::PyArray2<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<bool>>,
    Vec<Option<String>>,
);

/// Fits `circuit` to each row of `impedance` (spectra × frequencies) in turn, in this thread with the
/// GIL released (scale-out is `spelab.distributed`'s job); a spectrum that cannot be fitted gives NaN
/// values and its error message.
#[pyfunction]
#[pyo3(signature = (frequency, impedance, circuit, initial=Vec::new(), fixed=Vec::new(), weighting="unit", multistart=None, seed=0, auto_start=true))]
#[allow(clippy::too_many_arguments)]
fn fit_batch<'py>(
    py: Python<'py>,
    frequency: PyReadonlyArray1<'py, f64>,
    impedance: PyReadonlyArray2<'py, Complex64>,
    circuit: &str,
    initial: Vec<(String, f64)>,
    fixed: Vec<(String, f64)>,
    weighting: &str,
    multistart: Option<usize>,
    seed: u64,
    auto_start: bool,
) -> PyResult<Batch<'py>> {
    let f = frequency.as_array().to_vec();
    let z = impedance.as_array();
    let rows: Vec<Vec<Complex64>> = z.rows().into_iter().map(|r| r.to_vec()).collect();
    let (values, errors, chi2, converged, messages, k) = detached(py, move || {
        let circuit: Circuit = circuit.parse()?;
        let o = options(initial, fixed, weighting, multistart, seed, auto_start)?;
        let k = circuit.n_params();
        let n = rows.len();
        let (mut values, mut errors) = (vec![f64::NAN; n * k], vec![f64::NAN; n * k]);
        let (mut chi2, mut converged, mut messages) = (vec![f64::NAN; n], vec![false; n], vec![None; n]);
        for (i, z) in rows.into_iter().enumerate() {
            let result: anyhow::Result<CircuitFit> =
                ImpedanceSpectrum::new(f.clone(), z, Metadata::default())
                    .map_err(anyhow::Error::from)
                    .and_then(|s| Ok(fit_circuit(&s, &circuit, &o)?));
            match result {
                Ok(fit) => {
                    for (j, p) in fit.parameters.iter().enumerate() {
                        values[i * k + j] = p.value;
                        errors[i * k + j] = p.std_error;
                    }
                    chi2[i] = fit.chi2;
                    converged[i] = fit.termination.converged();
                }
                Err(e) => messages[i] = Some(format!("spectrum {i}: {e:#}")),
            }
        }
        Ok((values, errors, chi2, converged, messages, k))
    })?;
    let n = chi2.len();
    let shape = |v: Vec<f64>| Array2::from_shape_vec((n, k), v).map(|a| a.into_pyarray(py));
    let values = shape(values).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let errors = shape(errors).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    Ok((values, errors, chi2.into_pyarray(py), converged.into_pyarray(py), messages))
}

/// The impedance of `circuit` with parameters `parameters` (circuit order) at `frequency` [Hz].
#[pyfunction]
fn predict<'py>(
    py: Python<'py>,
    circuit: &str,
    frequency: PyReadonlyArray1<'py, f64>,
    parameters: Vec<f64>,
) -> PyResult<Bound<'py, PyArray1<Complex64>>> {
    let omega: Vec<f64> = frequency.as_array().iter().map(|f| 2.0 * std::f64::consts::PI * f).collect();
    let z = detached(py, move || {
        let circuit: Circuit = circuit.parse()?;
        if parameters.len() != circuit.n_params() {
            bail!(
                "circuit '{circuit}' has {} parameters ({}), {} given",
                circuit.n_params(),
                circuit.param_names().join(", "),
                parameters.len()
            );
        }
        Ok(circuit.impedances(&omega, &parameters))
    })?;
    Ok(z.into_pyarray(py))
}

/// The parameters of `circuit` in order: `(name, element, unit)` (`("CPE1.q", "CPE1", "Ohm^-1 s^alpha")`).
#[pyfunction]
fn circuit_parameters(py: Python<'_>, circuit: &str) -> PyResult<Vec<(String, String, String)>> {
    detached(py, || {
        let circuit: Circuit = circuit.parse()?;
        let elements = circuit.elements();
        Ok(circuit
            .params()
            .into_iter()
            .map(|p| (p.name, elements[p.element].name(), p.spec.unit.to_string()))
            .collect())
    })
}

/// lin-KK validation; returns the result as JSON text.
#[pyfunction]
#[pyo3(signature = (frequency, impedance, mu_cutoff=0.5, max_m=100, fit="complex", add_capacitance=false, threshold=0.01, f_min=None, f_max=None, capacitive_only=false))]
#[allow(clippy::too_many_arguments)]
fn kk(
    py: Python<'_>,
    frequency: PyReadonlyArray1<'_, f64>,
    impedance: PyReadonlyArray1<'_, Complex64>,
    mu_cutoff: Option<f64>,
    max_m: usize,
    fit: &str,
    add_capacitance: bool,
    threshold: f64,
    f_min: Option<f64>,
    f_max: Option<f64>,
    capacitive_only: bool,
) -> PyResult<String> {
    use spelab_analysis::eis::kk::{lin_kk, KkFit, LinKkOptions};
    let (f, z) = arrays(&frequency, &impedance);
    detached(py, move || {
        let s = spectrum(f, z)?;
        let fit = match fit {
            "real" => KkFit::Real,
            "imag" => KkFit::Imag,
            "complex" => KkFit::Complex,
            other => bail!("fit '{other}': expected real, imag or complex"),
        };
        let s = window(s, f_min, f_max, capacitive_only)?;
        let options = LinKkOptions { mu_cutoff, max_m, fit, add_capacitance, threshold };
        Ok(serde_json::to_string(&lin_kk(&s, &options)?)?)
    })
}

/// Distribution of relaxation times; returns the result as JSON text.
#[pyfunction]
#[pyo3(signature = (frequency, impedance, points_per_decade=10, lambda_=None, f_min=None, f_max=None, capacitive_only=false))]
#[allow(clippy::too_many_arguments)]
fn drt(
    py: Python<'_>,
    frequency: PyReadonlyArray1<'_, f64>,
    impedance: PyReadonlyArray1<'_, Complex64>,
    points_per_decade: usize,
    lambda_: Option<f64>,
    f_min: Option<f64>,
    f_max: Option<f64>,
    capacitive_only: bool,
) -> PyResult<String> {
    use spelab_analysis::eis::drt::{drt, DrtOptions};
    let (f, z) = arrays(&frequency, &impedance);
    detached(py, move || {
        let s = spectrum(f, z)?;
        let s = window(s, f_min, f_max, capacitive_only)?;
        let options = DrtOptions { points_per_decade, lambda: lambda_ };
        Ok(serde_json::to_string(&drt(&s, &options)?)?)
    })
}

/// σ = L/(R_b A) with R_b from a fit of `circuit` (the sum of `elements`) or the real-axis intercept;
/// lengths and areas as unit strings. Returns the CLI's `--json` document as JSON text.
#[pyfunction]
#[pyo3(signature = (frequency, impedance, thickness, area, circuit=None, elements=Vec::new(), weighting="unit", thickness_error=None, area_error=None))]
#[allow(clippy::too_many_arguments)]
fn conductivity(
    py: Python<'_>,
    frequency: PyReadonlyArray1<'_, f64>,
    impedance: PyReadonlyArray1<'_, Complex64>,
    thickness: &str,
    area: &str,
    circuit: Option<&str>,
    elements: Vec<String>,
    weighting: &str,
    thickness_error: Option<&str>,
    area_error: Option<&str>,
) -> PyResult<String> {
    use spelab_analysis::eis::conductivity::{bulk_resistance, conductivity};
    use spelab_core::units::{parse_quantity, Quantity};
    let (f, z) = arrays(&frequency, &impedance);
    detached(py, move || {
        let s = spectrum(f, z)?;
        let q = |text: Option<&str>, quantity: Quantity, what: &str| -> anyhow::Result<f64> {
            text.map_or(Ok(0.0), |t| parse_quantity(t, quantity).with_context(|| format!("{what} '{t}'")))
        };
        let l = q(Some(thickness), Quantity::Length, "thickness")?;
        let a = q(Some(area), Quantity::Area, "area")?;
        let (l_se, a_se) = (
            q(thickness_error, Quantity::Length, "thickness_error")?,
            q(area_error, Quantity::Area, "area_error")?,
        );
        let weighting: Weighting = weighting.parse().map_err(|e: String| anyhow::anyhow!(e))?;
        let circuit = circuit.map(str::parse::<Circuit>).transpose()?;
        let names: Vec<&str> = elements.iter().map(String::as_str).collect();
        let bulk = bulk_resistance(&s, circuit.as_ref(), &names, weighting)?;
        let result = conductivity(&bulk, l, l_se, a, a_se)?;
        Ok(serde_json::json!({
            "sigma": result.sigma,
            "std_error": result.std_error,
            "unit": "S/m",
            "bulk_resistance": bulk.value,
            "bulk_resistance_std_error": bulk.std_error,
            "method": bulk.method.to_string(),
            "detail": result,
        })
        .to_string())
    })
}

/// Adds this module's functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(fit, m)?)?;
    m.add_function(wrap_pyfunction!(fit_batch, m)?)?;
    m.add_function(wrap_pyfunction!(predict, m)?)?;
    m.add_function(wrap_pyfunction!(circuit_parameters, m)?)?;
    m.add_function(wrap_pyfunction!(kk, m)?)?;
    m.add_function(wrap_pyfunction!(drt, m)?)?;
    m.add_function(wrap_pyfunction!(conductivity, m)?)
}
