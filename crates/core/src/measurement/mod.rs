//! Measurement types: what instrument readers return and what simulated "virtual instruments" record.
//!
//! Analysis code consumes these types and never asks where they came from, so a simulated spectrum and a
//! measured one go through the same code. Every type
//! - holds SI values (`f64`, [`Complex64`](num_complex::Complex64) for impedance) with the unit in
//!   brackets in its docs;
//! - is built by a validating constructor that returns [`CoreError`](crate::CoreError) naming the
//!   column and index at fault, so an existing value always satisfies its invariants (parallel columns
//!   of equal length, finite values, ordered time);
//! - keeps its fields private behind accessors and gives them back with `into_parts`;
//! - serializes with serde; deserializing runs the same validation.
//!
//! | type | holds | from |
//! |---|---|---|
//! | [`ImpedanceSpectrum`] | frequency [Hz], impedance [Ω] | PEIS / GEIS |
//! | [`TimeSeries`] | time [s], current [A], voltage [V], optional temperature / cycle / step | CA, CP, CV, LSV, OCV, GCPL, DC polarization |
//! | [`CyclingData`] | a [`TimeSeries`] split into [`HalfCycle`]s, [`Rest`]s and [`Cycle`]s | GCPL |
//! | [`Spectrum`] | x on a [`SpectrumAxis`] (SI), intensity | Raman, FT-IR, XPS, XRD |
//! | [`Thermogram`] | temperature [K], optional time [s], signal | DSC, TGA |
//!
//! Each carries [`Metadata`]: what is known about the sample and the run, every field optional.
//!
//! ```
//! use num_complex::Complex64;
//! use spelab_core::{ImpedanceSpectrum, Metadata, Technique};
//!
//! let meta = Metadata::default()
//!     .with_technique(Technique::Peis)
//!     .with_temperature(298.15)
//!     .with_area(1.0e-4);
//! // A 100 Ω resistor in parallel with 1 µF, at three frequencies [Hz].
//! let frequency = vec![1.0e5, 1.0e3, 10.0];
//! let impedance = frequency
//!     .iter()
//!     .map(|f: &f64| {
//!         let jwc = Complex64::new(0.0, 2.0 * std::f64::consts::PI * f * 1.0e-6);
//!         Complex64::new(100.0, 0.0) / (Complex64::new(1.0, 0.0) + jwc * 100.0)
//!     })
//!     .collect();
//! let spectrum = ImpedanceSpectrum::new(frequency, impedance, meta)?;
//! assert_eq!(spectrum.len(), 3);
//! assert!((spectrum.real()[2] - 100.0).abs() < 0.1); // low frequency: Z → R
//!
//! // Invalid input is an error, never a panic.
//! let bad = ImpedanceSpectrum::from_parts(vec![1.0, -2.0], vec![1.0, 1.0], vec![0.0, 0.0], Metadata::default());
//! assert!(bad.is_err());
//! # Ok::<(), spelab_core::CoreError>(())
//! ```

mod cycling;
mod impedance;
mod metadata;
mod spectrum;
mod thermogram;
mod time_series;

pub use cycling::{Cycle, CyclingData, Direction, HalfCycle, Rest, SplitOptions};
pub use impedance::ImpedanceSpectrum;
pub use metadata::{Metadata, Technique};
pub use spectrum::{Spectrum, SpectrumAxis};
pub use thermogram::{TgaSignal, Thermogram, ThermogramKind, ThermogramParts};
pub use time_series::{TimeSeries, TimeSeriesParts};

/// Shared checks used by the constructors. Each returns the first problem found.
pub(crate) mod check {
    use crate::CoreError;

    /// `found` must equal `expected`, the length of `reference`.
    pub fn same_len(
        what: &'static str,
        found: usize,
        reference: &'static str,
        expected: usize,
    ) -> Result<(), CoreError> {
        if found == expected {
            Ok(())
        } else {
            Err(CoreError::LengthMismatch { what, reference, expected, found })
        }
    }

    /// At least `needed` points.
    pub fn min_points(what: &'static str, found: usize, needed: usize) -> Result<(), CoreError> {
        if found >= needed {
            Ok(())
        } else {
            Err(CoreError::TooFewPoints { what, needed, found })
        }
    }

    /// Every value finite.
    pub fn finite(what: &'static str, values: &[f64]) -> Result<(), CoreError> {
        match values.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(index) => Err(CoreError::NonFinite { what, index }),
        }
    }

    /// Every value finite and strictly positive.
    pub fn positive(what: &'static str, values: &[f64]) -> Result<(), CoreError> {
        finite(what, values)?;
        match values.iter().position(|&v| v <= 0.0) {
            None => Ok(()),
            Some(index) => Err(CoreError::NonPositive { what, index, value: values[index] }),
        }
    }

    /// Finite values, each `>=` the one before.
    pub fn non_decreasing(what: &'static str, values: &[f64]) -> Result<(), CoreError> {
        finite(what, values)?;
        match values.windows(2).position(|w| w[1] < w[0]) {
            None => Ok(()),
            Some(i) => Err(CoreError::NotMonotonic {
                what,
                expected: "non-decreasing",
                index: i + 1,
                previous: values[i],
                value: values[i + 1],
            }),
        }
    }

    /// Finite values, strictly increasing or strictly decreasing (the first step sets which).
    /// Returns `true` when increasing. Needs at least two values (checked by the caller).
    pub fn strictly_monotonic(what: &'static str, values: &[f64]) -> Result<bool, CoreError> {
        finite(what, values)?;
        let ascending = match values {
            [a, b, ..] => b > a,
            _ => true,
        };
        let breaks = |w: &[f64]| {
            if ascending {
                w[1] <= w[0]
            } else {
                w[1] >= w[0]
            }
        };
        match values.windows(2).position(breaks) {
            None => Ok(ascending),
            Some(i) => Err(CoreError::NotMonotonic {
                what,
                expected: "strictly increasing or strictly decreasing",
                index: i + 1,
                previous: values[i],
                value: values[i + 1],
            }),
        }
    }

    /// A `[low, high]` range with no NaN bound and `low <= high`.
    pub fn range(what: &'static str, low: f64, high: f64) -> Result<(), CoreError> {
        if low <= high {
            Ok(())
        } else {
            Err(CoreError::InvalidRange { what, low, high })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;
    use crate::CoreError;

    #[test]
    fn strictly_monotonic_accepts_both_directions_and_rejects_ties() {
        assert_eq!(check::strictly_monotonic("x", &[1.0, 2.0, 3.0]), Ok(true));
        assert_eq!(check::strictly_monotonic("x", &[3.0, 2.0, 1.0]), Ok(false));
        assert!(matches!(
            check::strictly_monotonic("x", &[3.0, 2.0, 2.0]),
            Err(CoreError::NotMonotonic { index: 2, .. })
        ));
        assert!(matches!(
            check::strictly_monotonic("x", &[1.0, 1.0]),
            Err(CoreError::NotMonotonic { index: 1, .. })
        ));
    }

    #[test]
    fn non_decreasing_allows_repeated_time_stamps() {
        assert_eq!(check::non_decreasing("time", &[0.0, 1.0, 1.0, 2.0]), Ok(()));
        assert!(matches!(
            check::non_decreasing("time", &[0.0, 2.0, 1.0]),
            Err(CoreError::NotMonotonic { index: 2, .. })
        ));
    }

    #[test]
    fn range_rejects_nan_and_reversed_bounds() {
        assert!(check::range("w", 1.0, 1.0).is_ok());
        assert!(check::range("w", 2.0, 1.0).is_err());
        assert!(check::range("w", f64::NAN, 1.0).is_err());
        assert!(check::range("w", 0.0, f64::NAN).is_err());
    }
}
