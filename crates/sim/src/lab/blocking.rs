//! DC polarization of a blocking SS | SPE | SS cell for the electronic conductivity (Hebb-Wagner).
//!
//! The 1D Li | SPE | Li model has no electronic conduction and no blocking electrodes, so this
//! instrument uses the equivalent circuit of [`blocking_impedance`](super::blocking_impedance) at DC:
//! the ionic branch R_b in series with the two double layers (C_dl·A/2, ideal capacitors) charges
//! with τ = R_b·C_dl·A/2, in parallel with the electronic leak R_e = L/(σ_e A):
//!
//! ```text
//! I(t) = V/R_e + V/R_b · exp(−t/τ)
//! ```
//!
//! Salt polarization of the blocking cell (a slower ionic decay) is not modelled.

use spelab_core::{Technique, TimeSeries};

use super::eis::{bulk_resistance, EisOptions};
use super::record::simulation_metadata;
use crate::error::{check_param, SimError};
use crate::symmetric::SymmetricCell;

/// Records `voltage` [V] held for `duration_s` [s] on a blocking cell of `cell`'s membrane with
/// electronic conductivity `electronic_conductivity` [S/m], sampled every `sample_interval_s` [s];
/// technique DC polarization, current in A.
pub fn blocking_dc_polarization(
    cell: &SymmetricCell,
    options: &EisOptions,
    electronic_conductivity: f64,
    voltage: f64,
    duration_s: f64,
    sample_interval_s: f64,
) -> Result<TimeSeries, SimError> {
    cell.validate()?;
    let s = electronic_conductivity;
    check_param("electronic_conductivity", s, s >= 0.0 && s.is_finite(), ">= 0 S/m")?;
    check_param("voltage", voltage, voltage.is_finite() && voltage != 0.0, "finite and != 0 V")?;
    check_param("duration_s", duration_s, duration_s > 0.0 && duration_s.is_finite(), "> 0 s")?;
    let dt = sample_interval_s;
    check_param("sample_interval_s", dt, dt > 0.0 && dt <= duration_s, "in (0, duration] s")?;
    let c = options.double_layer_capacitance;
    check_param("double_layer_capacitance", c, c > 0.0, "> 0 F/m2")?;
    let r_b = bulk_resistance(cell);
    let tau = r_b * c * cell.area / 2.0;
    let i_e = voltage * s * cell.area / cell.thickness;
    let n = (duration_s / dt).round() as usize;
    let time: Vec<f64> = (0..=n).map(|k| k as f64 * dt).collect();
    let current = time.iter().map(|t| i_e + voltage / r_b * (-t / tau).exp()).collect();
    let meta = simulation_metadata(cell, Technique::DcPolarization).with_extra("cell", "SS|SPE|SS");
    Ok(TimeSeries::new(time, current, vec![voltage; n + 1], meta)?)
}
