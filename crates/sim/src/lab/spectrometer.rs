//! The spectrometer shared by every virtual impedance experiment: the impedance models' parameters
//! ([`EisOptions`]), the frequency grid, the R ∥ C element and the recording of Z(ω) with seeded noise
//! as an [`ImpedanceSpectrum`]. Both cells ([`super::eis`], [`super::blocking`]) build on it.

use num_complex::Complex64;
use spelab_core::random::Rng;
use spelab_core::{ImpedanceSpectrum, Metadata};

use super::noise::Noise;
use crate::error::{check_param, SimError};

/// Parameters of the impedance models (both cells). `Default` gives the values in brackets, chosen
/// so that one cell describes every virtual experiment of the workspace:
///
/// - ε_r = 8: PVDF-HFP is 8-11 at 1 kHz (8.4 for films cast from DMF); it sets only C_g, whose arc
///   lies above 10 MHz for σ ≥ 10⁻² S/m, so σ read from a ≤ 1 MHz sweep does not depend on it;
/// - Q = C_dl = 0.1 F/m² (10 µF/cm²) per electrode: the double layer of a smooth metal in an
///   electrolyte (10-40 µF/cm²), at its low end for a polymer's partial contact;
/// - n = 1: ideal blocking electrodes, so the spike is vertical and the analyses' R0-CPE1 contains
///   the model exactly; rough steel on a soft polymer gives n ≈ 0.8-0.95 (then Q is in
///   F s^(n−1)/m²), a choice a study can make without changing anything else;
/// - C_f = 0.01 F/m² (1 µF/cm²): a thin SEI film (nm, ε_r ≈ 10) on Li.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EisOptions {
    /// Relative permittivity ε_r of the membrane, for C_g [1] [8].
    pub relative_permittivity: f64,
    /// Double-layer capacitance C_dl of each electrode per area; for a blocking electrode with
    /// n < 1 the CPE coefficient Q [F/m², F s^(n−1)/m²] [0.1].
    pub double_layer_capacitance: f64,
    /// Film (SEI) capacitance per area of each Li electrode [F/m²] [0.01].
    pub film_capacitance: f64,
    /// CPE exponent n of the blocking interface (1 = ideal capacitor) [1] [1].
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
    /// Checks ε_r, C_dl, C_f > 0 and n in (0, 1].
    pub fn validate(&self) -> Result<(), SimError> {
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

/// R ∥ C at angular frequency ω [Ω].
pub(super) fn parallel(r: f64, c: f64, omega: f64) -> Complex64 {
    Complex64::new(r, 0.0) / Complex64::new(1.0, omega * r * c)
}

/// The spectrometer: Z(2πf) at each frequency [Hz] with optional seeded relative noise (|Z|·σ_rel on
/// Z' then Z'', frequency by frequency, from one stream seeded by `noise.seed`).
pub(super) fn record_spectrum(
    frequencies: &[f64],
    impedance: impl Fn(f64) -> Complex64,
    noise: Option<&Noise>,
    meta: Metadata,
) -> Result<ImpedanceSpectrum, SimError> {
    let mut rng = noise.map(|n| Rng::new(n.seed));
    let z: Vec<Complex64> = frequencies
        .iter()
        .map(|&f| {
            let z = impedance(2.0 * std::f64::consts::PI * f);
            match (&mut rng, noise) {
                (Some(r), Some(n)) => {
                    let s = n.impedance_relative_std * z.norm();
                    z + Complex64::new(s * r.normal(), s * r.normal())
                }
                _ => z,
            }
        })
        .collect();
    Ok(ImpedanceSpectrum::new(frequencies.to_vec(), z, meta)?)
}
