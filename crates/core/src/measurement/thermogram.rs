//! [`Thermogram`]: a thermal-analysis signal against temperature (DSC, TGA).

use serde::{Deserialize, Serialize};

use super::{check, Metadata};
use crate::CoreError;

/// What a TGA thermogram's `signal` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TgaSignal {
    /// Sample mass [kg].
    Mass,
    /// Sample mass divided by the initial sample mass, 1 at the start (not percent) [1].
    MassFraction,
}

/// The kind of thermogram, which fixes the meaning and unit of its `signal`.
///
/// Serialized as `"dsc"`, `"dsc_specific"` or `{"tga": "mass"}` / `{"tga": "mass_fraction"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThermogramKind {
    /// Differential scanning calorimetry: `signal` is the heat flow into the sample, positive for an
    /// endothermic event (melting shows as a peak up, "endo up") [W].
    ///
    /// One sign convention inside spelab: readers of instruments that plot "exo up" flip the sign.
    /// The signal is not normalized by mass; the sample mass goes in
    /// [`Metadata::sample_mass`] [kg], so W/g is `signal / sample_mass` when known.
    Dsc,
    /// Differential scanning calorimetry exported per unit initial sample mass (mW/mg files with no
    /// mass): `signal` is the specific heat flow, endothermic positive as for [`ThermogramKind::Dsc`]
    /// [W/kg].
    DscSpecific,
    /// Thermogravimetric analysis: `signal` is the sample mass or mass fraction, as stated.
    Tga(TgaSignal),
}

/// A thermogram: a DSC or TGA signal against sample temperature, with the time of each point when
/// logged.
///
/// Invariants (checked by every constructor and by deserialization): at least two points, `signal`
/// (and `time`, when present) as long as `temperature`, every value finite, temperatures positive,
/// `time` non-decreasing. Temperature need not be monotonic (heat-cool-heat DSC programs).
///
/// ```
/// use spelab_core::{Metadata, Thermogram, ThermogramKind};
/// use spelab_core::measurement::TgaSignal;
/// let tga = Thermogram::new(
///     vec![300.0, 400.0, 500.0],
///     vec![1.0, 0.98, 0.95],
///     ThermogramKind::Tga(TgaSignal::MassFraction),
///     Metadata::default().with_sample_mass(5.0e-6),
/// )?
/// .with_time(vec![0.0, 600.0, 1200.0])?;
/// assert_eq!(tga.len(), 3);
/// # Ok::<(), spelab_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ThermogramParts")]
pub struct Thermogram {
    temperature: Vec<f64>,
    time: Option<Vec<f64>>,
    signal: Vec<f64>,
    kind: ThermogramKind,
    meta: Metadata,
}

/// The columns of a [`Thermogram`] as plain public fields, unchecked.
///
/// [`Thermogram::into_parts`] returns it; `Thermogram::try_from(parts)` checks it. It is also the
/// serialized form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThermogramParts {
    /// Sample temperature at each point [K].
    pub temperature: Vec<f64>,
    /// Time since the start of the run, when logged [s].
    #[serde(default)]
    pub time: Option<Vec<f64>>,
    /// The signal, in the unit `kind` fixes ([W] for DSC; [kg] or [1] for TGA).
    pub signal: Vec<f64>,
    /// DSC or TGA, and what `signal` holds.
    pub kind: ThermogramKind,
    /// What is known about the measurement.
    #[serde(default)]
    pub meta: Metadata,
}

impl TryFrom<ThermogramParts> for Thermogram {
    type Error = CoreError;
    fn try_from(parts: ThermogramParts) -> Result<Self, CoreError> {
        let thermogram = Thermogram::new(parts.temperature, parts.signal, parts.kind, parts.meta)?;
        match parts.time {
            Some(time) => thermogram.with_time(time),
            None => Ok(thermogram),
        }
    }
}

impl Thermogram {
    /// Builds a thermogram from temperatures [K] and the signal (unit fixed by `kind`), checking the
    /// invariants.
    pub fn new(
        temperature: Vec<f64>,
        signal: Vec<f64>,
        kind: ThermogramKind,
        meta: Metadata,
    ) -> Result<Self, CoreError> {
        check::min_points("temperature", temperature.len(), 2)?;
        check::same_len("signal", signal.len(), "temperature", temperature.len())?;
        check::positive("temperature", &temperature)?;
        check::finite("signal", &signal)?;
        meta.validate()?;
        Ok(Self { temperature, time: None, signal, kind, meta })
    }

    /// Adds (or replaces) the time channel [s]; finite and non-decreasing.
    pub fn with_time(mut self, time: Vec<f64>) -> Result<Self, CoreError> {
        check::same_len("time", time.len(), "temperature", self.len())?;
        check::non_decreasing("time", &time)?;
        self.time = Some(time);
        Ok(self)
    }

    /// Number of points (at least 2).
    pub fn len(&self) -> usize {
        self.temperature.len()
    }

    /// Always `false`: a thermogram has at least two points.
    pub fn is_empty(&self) -> bool {
        self.temperature.is_empty()
    }

    /// Sample temperature at each point [K].
    pub fn temperature(&self) -> &[f64] {
        &self.temperature
    }

    /// Time since the start of the run, when logged [s].
    pub fn time(&self) -> Option<&[f64]> {
        self.time.as_deref()
    }

    /// The signal, in the unit [`Thermogram::kind`] fixes ([W] for DSC; [kg] or [1] for TGA).
    pub fn signal(&self) -> &[f64] {
        &self.signal
    }

    /// DSC or TGA, and what the signal holds.
    pub fn kind(&self) -> ThermogramKind {
        self.kind
    }

    /// What is known about the measurement.
    pub fn meta(&self) -> &Metadata {
        &self.meta
    }

    /// Replaces the metadata after checking it with [`Metadata::validate`].
    pub fn set_meta(&mut self, meta: Metadata) -> Result<(), CoreError> {
        meta.validate()?;
        self.meta = meta;
        Ok(())
    }

    /// Gives back every column, the kind and the metadata.
    pub fn into_parts(self) -> ThermogramParts {
        ThermogramParts {
            temperature: self.temperature,
            time: self.time,
            signal: self.signal,
            kind: self.kind,
            meta: self.meta,
        }
    }
}
