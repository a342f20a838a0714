//! Analytic impedance of blocking (SS | SPE | SS) and non-blocking (Li | SPE | Li) cells, recorded as
//! an [`ImpedanceSpectrum`].
//!
//! ```text
//! blocking:      Z = R_b ∥ C_g  +  2 · Z_int,          Z_int = 1/((jω)^n Q_dl A)   (n = 1: capacitor)
//! non-blocking:  Z = R_b ∥ C_g  +  2 (R_f ∥ C_f)  +  2 (R_ct ∥ C_dl)  +  Z_d
//! R_b = L/(κA),  C_g = ε₀ε_r A/L,  R_ct = RT/((αa + αc) F j0 A)  (= RT/(F j0 A) for αa + αc = 1)
//! Z_d = (R_d/A) · tanh√(jωτ)/√(jωτ),   R_d = 2RT(1 − t₊)²L/(F²Dc₀),   τ = L²/(4D)
//! ```
//!
//! Z_d is the finite-length (transmissive, half-length L/2) diffusion impedance of the salt in a
//! symmetric cell: the linearised model of [`crate::symmetric`] gives exactly this element (its poles
//! are the odd Fourier modes −(2k+1)²π²D/L² of the depletion series) and Z_d(0) = R_d, so
//! Z(ω → 0)·A equals [`crate::analytic::dc_resistance`]. For an ideal (Nernst-Einstein) electrolyte
//! R_d = R_b(1 − t₊)/t₊, the Bruce-Vincent relation. Z_d is placed in series with the interfacial
//! elements (not inside a Randles branch), which is exact at DC and differs only where the
//! double-layer and diffusion time constants overlap (here ms vs. minutes).

use num_complex::Complex64;
use spelab_core::{ImpedanceSpectrum, Metadata, Technique};

use super::noise::{Noise, Rng};
use crate::analytic::{self, ConstantCell};
use crate::error::{check_param, SimError};
use crate::symmetric::SymmetricCell;

/// Vacuum permittivity [F/m].
const EPSILON_0: f64 = spelab_core::constants::VACUUM_PERMITTIVITY;

/// Capacitances of the impedance models. `Default` gives the values in brackets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EisOptions {
    /// Relative permittivity of the membrane, for C_g [8: PVDF-HFP is 8-11 at 1 kHz].
    pub relative_permittivity: f64,
    /// Double-layer capacitance per area of each electrode [0.1 F/m² = 10 µF/cm²].
    pub double_layer_capacitance: f64,
    /// Film (SEI) capacitance per area of each Li electrode [0.01 F/m² = 1 µF/cm²].
    pub film_capacitance: f64,
    /// CPE exponent n of the blocking interface (1 = ideal capacitor) [1].
    pub blocking_cpe_exponent: f64,
}

impl Default for EisOptions {
    fn default() -> Self {
        Self {
            relative_permittivity: 8.0,
            double_layer_capacitance: 0.1,
            film_capacitance: 0.01,
            blocking_cpe_exponent: 1.0,
        }
    }
}

impl EisOptions {
    fn validate(&self) -> Result<(), SimError> {
        let p = |n, v: f64| check_param(n, v, v > 0.0, "> 0");
        p("relative_permittivity", self.relative_permittivity)?;
        p("double_layer_capacitance", self.double_layer_capacitance)?;
        p("film_capacitance", self.film_capacitance)?;
        let n = self.blocking_cpe_exponent;
        check_param("blocking_cpe_exponent", n, n > 0.0 && n <= 1.0, "in (0, 1]")
    }
}

/// `count_per_decade` log-spaced frequencies from `f_max` down to `f_min`, both included [Hz].
pub fn log_frequencies(f_max: f64, f_min: f64, count_per_decade: usize) -> Vec<f64> {
    let decades = (f_max / f_min).log10();
    let n = ((decades * count_per_decade as f64).round() as usize).max(1);
    (0..=n).map(|k| f_max * 10f64.powf(-decades * k as f64 / n as f64)).collect()
}

fn parallel(r: f64, c: f64, omega: f64) -> Complex64 {
    Complex64::new(r, 0.0) / Complex64::new(1.0, omega * r * c)
}

/// Bulk element R_b ∥ C_g of the membrane [Ω].
fn bulk(cell: &SymmetricCell, o: &EisOptions, omega: f64) -> Complex64 {
    let r_b = cell.thickness / (cell.conductivity() * cell.area);
    let c_g = EPSILON_0 * o.relative_permittivity * cell.area / cell.thickness;
    parallel(r_b, c_g, omega)
}

/// Impedance of a blocking SS | SPE | SS cell of the same membrane at angular frequency ω [Ω].
pub fn blocking_impedance(cell: &SymmetricCell, o: &EisOptions, omega: f64) -> Complex64 {
    let jw = Complex64::new(0.0, omega);
    let z_int = 1.0 / (jw.powf(o.blocking_cpe_exponent) * o.double_layer_capacitance * cell.area);
    bulk(cell, o, omega) + 2.0 * z_int
}

/// Impedance of the Li | SPE | Li cell at rest (film resistance at t = 0) at angular frequency ω [Ω].
pub fn symmetric_impedance(cell: &SymmetricCell, o: &EisOptions, omega: f64) -> Complex64 {
    let a = cell.area;
    let c = ConstantCell::of(cell);
    let r_ct = cell.kinetics.charge_transfer_resistance(cell.initial_concentration, cell.temperature) / a;
    let r_f = c.film_resistance / a;
    let film =
        if r_f > 0.0 { parallel(r_f, o.film_capacitance * a, omega) } else { Complex64::new(0.0, 0.0) };
    let r_d = analytic::diffusion_resistance(&c) / a;
    let tau = cell.thickness * cell.thickness / (4.0 * cell.diffusivity());
    let s = Complex64::new(0.0, omega * tau).sqrt();
    // tanh s/s: series near 0, tanh → 1 for Re s > 20 (where exp overflow would give NaN).
    let z_d = if s.norm() < 1e-6 {
        Complex64::new(r_d, 0.0) * (1.0 - s * s / 3.0)
    } else if s.re > 20.0 {
        r_d / s
    } else {
        r_d * s.tanh() / s
    };
    bulk(cell, o, omega) + 2.0 * film + 2.0 * parallel(r_ct, o.double_layer_capacitance * a, omega) + z_d
}

/// Bulk resistance R_b = L/(κA) [Ω].
pub fn bulk_resistance(cell: &SymmetricCell) -> f64 {
    cell.thickness / (cell.conductivity() * cell.area)
}

/// Charge-transfer resistance of one electrode, RT/(F j0 A) for αa + αc = 1 [Ω].
pub fn charge_transfer_resistance(cell: &SymmetricCell) -> f64 {
    cell.kinetics.charge_transfer_resistance(cell.initial_concentration, cell.temperature) / cell.area
}

/// Which cell the spectrometer measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EisCell {
    /// Stainless steel | SPE | stainless steel (ionically blocking).
    Blocking,
    /// Li | SPE | Li at rest.
    Symmetric,
}

/// A PEIS record of `kind` at the given frequencies [Hz], with optional seeded relative noise.
pub fn impedance_spectrum(
    cell: &SymmetricCell,
    kind: EisCell,
    frequencies: &[f64],
    options: &EisOptions,
    noise: Option<&Noise>,
) -> Result<ImpedanceSpectrum, SimError> {
    cell.validate()?;
    options.validate()?;
    let mut rng = noise.map(|n| Rng::new(n.seed));
    let z: Vec<Complex64> = frequencies
        .iter()
        .map(|&f| {
            let omega = 2.0 * std::f64::consts::PI * f;
            let z = match kind {
                EisCell::Blocking => blocking_impedance(cell, options, omega),
                EisCell::Symmetric => symmetric_impedance(cell, options, omega),
            };
            match (&mut rng, noise) {
                (Some(r), Some(n)) => {
                    let s = n.impedance_relative_std * z.norm();
                    z + Complex64::new(s * r.normal(), s * r.normal())
                }
                _ => z,
            }
        })
        .collect();
    let meta = Metadata::default()
        .with_source("simulation")
        .with_instrument("spelab virtual potentiostat")
        .with_technique(Technique::Peis)
        .with_temperature(cell.temperature)
        .with_area(cell.area)
        .with_thickness(cell.thickness)
        .with_extra(
            "cell",
            match kind {
                EisCell::Blocking => "SS|SPE|SS",
                EisCell::Symmetric => "Li|SPE|Li",
            },
        );
    Ok(ImpedanceSpectrum::new(frequencies.to_vec(), z, meta)?)
}
