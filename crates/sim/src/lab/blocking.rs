//! The one blocking-cell instrument: a membrane between two ionically blocking (stainless-steel)
//! electrodes, SS | SPE | SS, measured by impedance (ionic conductivity) and by DC polarization
//! (electronic conductivity, Hebb-Wagner).
//!
//! ```text
//! Z(ω) = R_b ∥ C_g  +  2 · Z_int,      R_b = L/(σA),   C_g = ε₀ε_r A/L,   Z_int = 1/((jω)^n Q A)
//! I(t) = V/R_e + V/R_b · exp(−t/τ),     R_e = L/(σ_e A),   τ = R_b·C_dl·A/2          (n = 1)
//! ```
//!
//! - R_b ∥ C_g: the bulk of the membrane, a semicircle of diameter R_b whose apex lies at
//!   ω = 1/(R_b C_g) (tens of MHz and above for these membranes, so a 1 MHz sweep sees the spike);
//! - Z_int: each electrode's interface, a constant-phase element of coefficient Q (per area) and
//!   exponent n; n = 1 is the ideal double-layer capacitor C_dl = Q. The low-frequency spike has
//!   slope d log|Z''| / d log ω = −n and phase −nπ/2. The parameters, with their defaults and why,
//!   are those of [`EisOptions`](super::EisOptions) (ε_r, Q = `double_layer_capacitance`,
//!   n = `blocking_cpe_exponent`);
//! - DC polarization: the ionic branch R_b in series with the two double layers (ideal capacitors
//!   C_dl·A/2 in series) charges with τ, in parallel with the electronic leak R_e. Salt polarization
//!   of the blocking cell (a slower ionic decay) is not modelled.
//!
//! The 1D Li | SPE | Li model has no blocking electrodes and no electronic conduction, so this
//! instrument is the equivalent circuit above; [`BlockingCell`] carries only what it needs (σ, L, A,
//! T) and is built from a material, from the membrane of a [`SymmetricCell`], or by hand.

use num_complex::Complex64;
use spelab_core::constants::VACUUM_PERMITTIVITY;
use spelab_core::{ImpedanceSpectrum, Metadata, Technique, TimeSeries};

use super::noise::Noise;
use super::spectrometer::{parallel, record_spectrum, EisOptions};
use crate::error::{check_param, SimError};
use crate::params::MaterialParams;
use crate::symmetric::{SymmetricCell, DEFAULT_AREA};

/// A blocking SS | SPE | SS cell: the membrane and its geometry (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockingCell {
    /// Ionic conductivity σ of the membrane at the cell temperature [S/m].
    pub conductivity: f64,
    /// Membrane thickness L [m].
    pub thickness: f64,
    /// Electrode area A [m²].
    pub area: f64,
    /// Cell temperature (metadata of the record) [K].
    pub temperature: f64,
}

impl BlockingCell {
    /// The blocking cell of a material at `temperature` [K]: σ(T) from its Arrhenius parameters
    /// ([`MaterialParams::ionic_conductivity_at`]), its membrane thickness, area 1 cm².
    pub fn of_material(material: &MaterialParams, temperature: f64) -> Self {
        Self {
            conductivity: material.ionic_conductivity_at(temperature),
            thickness: material.thickness,
            area: DEFAULT_AREA,
            temperature,
        }
    }

    /// The same cell with electrode area `area` [m²].
    pub fn with_area(mut self, area: f64) -> Self {
        self.area = area;
        self
    }

    /// The same cell with membrane thickness `thickness` [m].
    pub fn with_thickness(mut self, thickness: f64) -> Self {
        self.thickness = thickness;
        self
    }

    /// Checks that σ, L, A and T are finite and > 0.
    pub fn validate(&self) -> Result<(), SimError> {
        check_param("conductivity", self.conductivity, self.conductivity > 0.0, "> 0 S/m")?;
        check_param("thickness", self.thickness, self.thickness > 0.0, "> 0 m")?;
        check_param("area", self.area, self.area > 0.0, "> 0 m2")?;
        check_param("temperature", self.temperature, self.temperature > 0.0, "> 0 K")
    }

    /// Bulk resistance R_b = L/(σA) [Ω].
    pub fn bulk_resistance(&self) -> f64 {
        self.thickness / (self.conductivity * self.area)
    }

    /// Geometric capacitance C_g = ε₀ε_r A/L of the membrane [F].
    pub fn geometric_capacitance(&self, relative_permittivity: f64) -> f64 {
        VACUUM_PERMITTIVITY * relative_permittivity * self.area / self.thickness
    }

    /// Impedance Z(ω) = R_b ∥ C_g + 2 Z_int at angular frequency `omega` [rad/s] (module docs) [Ω].
    pub fn impedance(&self, options: &EisOptions, omega: f64) -> Complex64 {
        let jw = Complex64::new(0.0, omega);
        let z_int =
            1.0 / (jw.powf(options.blocking_cpe_exponent) * options.double_layer_capacitance * self.area);
        let bulk = parallel(
            self.bulk_resistance(),
            self.geometric_capacitance(options.relative_permittivity),
            omega,
        );
        bulk + 2.0 * z_int
    }

    /// Metadata of a record of this cell: source "simulation", `instrument`, technique, T, A, L,
    /// cell "SS|SPE|SS".
    fn metadata(&self, instrument: &str, technique: Technique) -> Metadata {
        Metadata::default()
            .with_source("simulation")
            .with_instrument(instrument)
            .with_technique(technique)
            .with_temperature(self.temperature)
            .with_area(self.area)
            .with_thickness(self.thickness)
            .with_extra("cell", "SS|SPE|SS")
    }
}

/// The membrane of a Li | SPE | Li cell between blocking electrodes: σ = κ(c₀, T) of the cell, its
/// thickness, area and temperature.
impl From<&SymmetricCell> for BlockingCell {
    fn from(cell: &SymmetricCell) -> Self {
        Self {
            conductivity: cell.conductivity(),
            thickness: cell.thickness,
            area: cell.area,
            temperature: cell.temperature,
        }
    }
}

impl From<&BlockingCell> for BlockingCell {
    fn from(cell: &BlockingCell) -> Self {
        *cell
    }
}

/// Impedance of the blocking cell `cell` (a [`BlockingCell`], or the membrane of a
/// [`SymmetricCell`]) at angular frequency ω (module docs) [Ω].
pub fn blocking_impedance(cell: impl Into<BlockingCell>, options: &EisOptions, omega: f64) -> Complex64 {
    cell.into().impedance(options, omega)
}

/// Bulk resistance R_b = L/(σA) of the membrane of `cell` [Ω].
pub fn bulk_resistance(cell: impl Into<BlockingCell>) -> f64 {
    cell.into().bulk_resistance()
}

/// A PEIS record of the blocking cell at `frequencies` [Hz], with optional seeded relative noise
/// (|Z|·σ_rel on Z' and on Z'', drawn in frequency order); cell "SS|SPE|SS".
pub fn blocking_spectrum(
    cell: impl Into<BlockingCell>,
    frequencies: &[f64],
    options: &EisOptions,
    noise: Option<&Noise>,
) -> Result<ImpedanceSpectrum, SimError> {
    let cell = cell.into();
    cell.validate()?;
    options.validate()?;
    let meta = cell.metadata("spelab virtual potentiostat", Technique::Peis);
    record_spectrum(frequencies, |omega| cell.impedance(options, omega), noise, meta)
}

/// Records `voltage` [V] held for `duration_s` [s] on the blocking cell `cell` with electronic
/// conductivity `electronic_conductivity` [S/m], sampled every `sample_interval_s` [s] (module docs:
/// ideal double layers C_dl = `options.double_layer_capacitance`); technique DC polarization,
/// current in A.
pub fn blocking_dc_polarization(
    cell: impl Into<BlockingCell>,
    options: &EisOptions,
    electronic_conductivity: f64,
    voltage: f64,
    duration_s: f64,
    sample_interval_s: f64,
) -> Result<TimeSeries, SimError> {
    let cell = cell.into();
    cell.validate()?;
    let s = electronic_conductivity;
    check_param("electronic_conductivity", s, s >= 0.0 && s.is_finite(), ">= 0 S/m")?;
    check_param("voltage", voltage, voltage.is_finite() && voltage != 0.0, "finite and != 0 V")?;
    check_param("duration_s", duration_s, duration_s > 0.0 && duration_s.is_finite(), "> 0 s")?;
    let dt = sample_interval_s;
    check_param("sample_interval_s", dt, dt > 0.0 && dt <= duration_s, "in (0, duration] s")?;
    let c = options.double_layer_capacitance;
    check_param("double_layer_capacitance", c, c > 0.0, "> 0 F/m2")?;
    let r_b = cell.bulk_resistance();
    let tau = r_b * c * cell.area / 2.0;
    let i_e = voltage * s * cell.area / cell.thickness;
    let n = (duration_s / dt).round() as usize;
    let time: Vec<f64> = (0..=n).map(|k| k as f64 * dt).collect();
    let current = time.iter().map(|t| i_e + voltage / r_b * (-t / tau).exp()).collect();
    let meta = cell.metadata("spelab virtual cycler", Technique::DcPolarization);
    Ok(TimeSeries::new(time, current, vec![voltage; n + 1], meta)?)
}
