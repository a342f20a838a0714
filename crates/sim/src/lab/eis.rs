//! Analytic impedance of non-blocking (Li | SPE | Li) cells and the spectrometer that records it (and
//! the blocking cell of [`super::blocking`]) as an [`ImpedanceSpectrum`].
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

use super::blocking::{blocking_spectrum, BlockingCell};
use super::noise::Noise;
use super::spectrometer::{parallel, record_spectrum, EisOptions};
use crate::analytic::{self, ConstantCell};
use crate::error::SimError;
use crate::symmetric::SymmetricCell;

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
    let membrane = BlockingCell::from(cell);
    let bulk =
        parallel(membrane.bulk_resistance(), membrane.geometric_capacitance(o.relative_permittivity), omega);
    bulk + 2.0 * film + 2.0 * parallel(r_ct, o.double_layer_capacitance * a, omega) + z_d
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

/// A PEIS record of `kind` at the given frequencies [Hz], with optional seeded relative noise; the
/// blocking cell is the membrane of `cell` between steel electrodes ([`blocking_spectrum`]).
pub fn impedance_spectrum(
    cell: &SymmetricCell,
    kind: EisCell,
    frequencies: &[f64],
    options: &EisOptions,
    noise: Option<&Noise>,
) -> Result<ImpedanceSpectrum, SimError> {
    cell.validate()?;
    if kind == EisCell::Blocking {
        return blocking_spectrum(cell, frequencies, options, noise);
    }
    options.validate()?;
    let meta = Metadata::default()
        .with_source("simulation")
        .with_instrument("spelab virtual potentiostat")
        .with_technique(Technique::Peis)
        .with_temperature(cell.temperature)
        .with_area(cell.area)
        .with_thickness(cell.thickness)
        .with_extra("cell", "Li|SPE|Li");
    record_spectrum(frequencies, |omega| symmetric_impedance(cell, options, omega), noise, meta)
}
