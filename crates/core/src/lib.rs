//! spelab-core: units and constants, measurement types, metadata and metrics.
//!
//! The bottom layer of the spelab workspace: every other crate depends on it, it depends on none of
//! them. It holds
//! - [`units`]: unit strings at the edge ("0.2 mA/cm2") to SI, and display units for reports;
//! - [`constants`]: physical constants (CODATA 2018 exact values);
//! - [`measurement`]: the measurement types that readers return and simulations record
//!   ([`ImpedanceSpectrum`], [`TimeSeries`], [`CyclingData`], [`Spectrum`], [`Thermogram`]) with [`Metadata`];
//! - [`metric`]: the [`Metric`] rows a study reports;
//! - [`fit`]: the Levenberg-Marquardt least-squares driver every fit uses (bounds, covariance, termination);
//! - [`random`]: the one seeded random generator (virtual-lab noise, synthetic test data).
//!
//! ```
//! use spelab_core::units::{parse_quantity, Quantity};
//! let j = parse_quantity("0.2 mA/cm2", Quantity::CurrentDensity).unwrap();
//! assert!((j - 2.0).abs() < 1e-12); // A/m²
//! ```

pub mod calendar;
pub mod constants;
pub mod error;
pub mod fit;
pub mod measurement;
pub mod metric;
pub mod random;
pub mod units;

pub use error::CoreError;
pub use measurement::{
    Cycle, CyclingData, Direction, HalfCycle, ImpedanceSpectrum, Metadata, Rest, Spectrum, SpectrumAxis,
    SplitOptions, Technique, TgaSignal, Thermogram, ThermogramKind, TimeSeries,
};
pub use metric::{Metric, MetricId};
