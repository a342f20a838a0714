//! [`ImpedanceSpectrum`]: complex impedance against frequency (PEIS / GEIS).

use num_complex::Complex64;
use serde::{Deserialize, Serialize};

use super::{check, Metadata};
use crate::CoreError;

/// An impedance spectrum: complex impedance at each measured frequency.
///
/// Invariants (checked by every constructor and by deserialization): at least one point,
/// `frequency` and `impedance` of equal length, every frequency finite and positive, every impedance
/// finite, metadata valid. Points stay in the order given; instruments usually sweep from high to low
/// frequency ([`ImpedanceSpectrum::sorted_descending`] restores that order).
///
/// Serialized as `{"frequency": [...], "impedance": [[re, im], ...], "meta": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ImpedanceSpectrumRaw")]
pub struct ImpedanceSpectrum {
    /// Frequency of each point [Hz].
    frequency: Vec<f64>,
    /// Complex impedance Z = Z' + jZ'' of each point [Ω].
    impedance: Vec<Complex64>,
    /// What is known about the measurement.
    meta: Metadata,
}

/// The unchecked serialized form; deserialization goes through [`ImpedanceSpectrum::new`].
#[derive(Deserialize)]
struct ImpedanceSpectrumRaw {
    frequency: Vec<f64>,
    impedance: Vec<Complex64>,
    #[serde(default)]
    meta: Metadata,
}

impl TryFrom<ImpedanceSpectrumRaw> for ImpedanceSpectrum {
    type Error = CoreError;
    fn try_from(raw: ImpedanceSpectrumRaw) -> Result<Self, CoreError> {
        ImpedanceSpectrum::new(raw.frequency, raw.impedance, raw.meta)
    }
}

impl ImpedanceSpectrum {
    /// Builds a spectrum from frequencies [Hz] and complex impedances [Ω], checking the invariants.
    pub fn new(frequency: Vec<f64>, impedance: Vec<Complex64>, meta: Metadata) -> Result<Self, CoreError> {
        check::min_points("frequency", frequency.len(), 1)?;
        check::same_len("impedance", impedance.len(), "frequency", frequency.len())?;
        check::positive("frequency", &frequency)?;
        if let Some(index) = impedance.iter().position(|z| !(z.re.is_finite() && z.im.is_finite())) {
            return Err(CoreError::NonFinite { what: "impedance", index });
        }
        meta.validate()?;
        Ok(Self { frequency, impedance, meta })
    }

    /// Builds a spectrum from frequencies [Hz] and separate real and imaginary parts [Ω], as most
    /// instrument files store them (mind the sign: pass Z'', not the −Z'' many files list).
    pub fn from_parts(
        frequency: Vec<f64>,
        real: Vec<f64>,
        imag: Vec<f64>,
        meta: Metadata,
    ) -> Result<Self, CoreError> {
        check::same_len("real part", real.len(), "frequency", frequency.len())?;
        check::same_len("imaginary part", imag.len(), "frequency", frequency.len())?;
        let impedance = real.iter().zip(&imag).map(|(&re, &im)| Complex64::new(re, im)).collect();
        Self::new(frequency, impedance, meta)
    }

    /// Number of points (at least 1).
    pub fn len(&self) -> usize {
        self.frequency.len()
    }

    /// Always `false`: a spectrum has at least one point.
    pub fn is_empty(&self) -> bool {
        self.frequency.is_empty()
    }

    /// Frequency of each point [Hz].
    pub fn frequency(&self) -> &[f64] {
        &self.frequency
    }

    /// Complex impedance of each point [Ω].
    pub fn impedance(&self) -> &[Complex64] {
        &self.impedance
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

    /// Angular frequency ω = 2πf of each point [rad/s].
    pub fn angular_frequency(&self) -> Vec<f64> {
        self.frequency.iter().map(|f| 2.0 * std::f64::consts::PI * f).collect()
    }

    /// Real part Z' of each point [Ω].
    pub fn real(&self) -> Vec<f64> {
        self.impedance.iter().map(|z| z.re).collect()
    }

    /// Imaginary part Z'' of each point (negative for capacitive behaviour) [Ω].
    pub fn imag(&self) -> Vec<f64> {
        self.impedance.iter().map(|z| z.im).collect()
    }

    /// Modulus |Z| of each point [Ω].
    pub fn magnitude(&self) -> Vec<f64> {
        self.impedance.iter().map(|z| z.norm()).collect()
    }

    /// Phase angle arg Z of each point (negative for capacitive behaviour) [rad].
    pub fn phase(&self) -> Vec<f64> {
        self.impedance.iter().map(|z| z.arg()).collect()
    }

    /// A copy with the points ordered by frequency from high to low, the order instruments record.
    /// Points of equal frequency keep their relative order.
    pub fn sorted_descending(&self) -> Self {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| self.frequency[b].total_cmp(&self.frequency[a]));
        Self {
            frequency: order.iter().map(|&i| self.frequency[i]).collect(),
            impedance: order.iter().map(|&i| self.impedance[i]).collect(),
            meta: self.meta.clone(),
        }
    }

    /// A new spectrum with the points whose frequency lies in `[f_min, f_max]` (inclusive) [Hz], in
    /// their original order.
    ///
    /// Errors: [`CoreError::InvalidRange`] for a NaN bound or `f_min > f_max`,
    /// [`CoreError::EmptySelection`] when no point lies in the window.
    pub fn window(&self, f_min: f64, f_max: f64) -> Result<Self, CoreError> {
        check::range("frequency window", f_min, f_max)?;
        let keep: Vec<usize> =
            (0..self.len()).filter(|&i| (f_min..=f_max).contains(&self.frequency[i])).collect();
        if keep.is_empty() {
            return Err(CoreError::EmptySelection { what: "frequency", low: f_min, high: f_max });
        }
        Ok(Self {
            frequency: keep.iter().map(|&i| self.frequency[i]).collect(),
            impedance: keep.iter().map(|&i| self.impedance[i]).collect(),
            meta: self.meta.clone(),
        })
    }

    /// Gives back frequency [Hz], impedance [Ω] and metadata.
    pub fn into_parts(self) -> (Vec<f64>, Vec<Complex64>, Metadata) {
        (self.frequency, self.impedance, self.meta)
    }
}
