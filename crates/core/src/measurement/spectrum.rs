//! [`Spectrum`]: intensity against a spectroscopic axis (Raman, FT-IR, XPS, XRD).

use serde::{Deserialize, Serialize};

use super::{check, Metadata};
use crate::constants::ELEMENTARY_CHARGE;
use crate::CoreError;

/// The physical quantity on a spectrum's x axis. Values are stored in SI; spectroscopists' units
/// (cm⁻¹, eV, nm, degrees) come from [`SpectrumAxis::to_display`] and go back with
/// [`SpectrumAxis::from_display`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpectrumAxis {
    /// Wavenumber, absolute (FT-IR) or a Raman shift (may be negative for anti-Stokes lines);
    /// 1 cm⁻¹ = 100 m⁻¹ [1/m].
    Wavenumber,
    /// Photoelectron binding energy (XPS); 1 eV = 1.602176634e-19 J [J].
    BindingEnergy,
    /// Photoelectron kinetic energy (XPS recorded on a kinetic-energy scale, e.g. a VAMAS block or a
    /// synchrotron export); binding energy = photon energy − kinetic energy (− work function) [J].
    KineticEnergy,
    /// Wavelength [m].
    Wavelength,
    /// Diffraction angle 2θ (XRD) [rad].
    TwoTheta,
}

impl SpectrumAxis {
    /// The SI unit stored ("1/m").
    pub fn si_unit(self) -> &'static str {
        match self {
            SpectrumAxis::Wavenumber => "1/m",
            SpectrumAxis::BindingEnergy | SpectrumAxis::KineticEnergy => "J",
            SpectrumAxis::Wavelength => "m",
            SpectrumAxis::TwoTheta => "rad",
        }
    }

    /// The unit the field uses for display ("cm⁻¹", "eV", "nm", "°").
    pub fn display_unit(self) -> &'static str {
        match self {
            SpectrumAxis::Wavenumber => "cm⁻¹",
            SpectrumAxis::BindingEnergy | SpectrumAxis::KineticEnergy => "eV",
            SpectrumAxis::Wavelength => "nm",
            SpectrumAxis::TwoTheta => "°",
        }
    }

    /// Converts an SI value on this axis to the display unit (1/m → cm⁻¹, J → eV, m → nm,
    /// rad → degrees).
    pub fn to_display(self, si_value: f64) -> f64 {
        match self {
            SpectrumAxis::Wavenumber => si_value / 100.0,
            SpectrumAxis::BindingEnergy | SpectrumAxis::KineticEnergy => si_value / ELEMENTARY_CHARGE,
            SpectrumAxis::Wavelength => si_value * 1.0e9,
            SpectrumAxis::TwoTheta => si_value.to_degrees(),
        }
    }

    /// Converts a value in the display unit to SI (cm⁻¹ → 1/m, eV → J, nm → m, degrees → rad).
    pub fn from_display(self, display_value: f64) -> f64 {
        match self {
            SpectrumAxis::Wavenumber => display_value * 100.0,
            SpectrumAxis::BindingEnergy | SpectrumAxis::KineticEnergy => display_value * ELEMENTARY_CHARGE,
            SpectrumAxis::Wavelength => display_value * 1.0e-9,
            SpectrumAxis::TwoTheta => display_value.to_radians(),
        }
    }
}

/// A spectrum: intensity `y` against `x` on a [`SpectrumAxis`].
///
/// Invariants (checked by every constructor and by deserialization): at least two points, `x` and `y`
/// of equal length, every value finite, `x` strictly increasing or strictly decreasing (XPS is
/// usually recorded with falling binding energy; the order is kept as given, see
/// [`Spectrum::is_ascending`]). `y` is in the instrument's intensity unit (counts, counts/s,
/// absorbance, a.u.) and is not converted.
///
/// ```
/// use spelab_core::{Metadata, Spectrum, SpectrumAxis};
/// let axis = SpectrumAxis::BindingEnergy;
/// // An XPS F 1s window, recorded from high to low binding energy [eV].
/// let spectrum = Spectrum::from_display(vec![690.0, 687.0, 684.0], vec![10.0, 80.0, 30.0], axis, Metadata::default())?;
/// assert!(!spectrum.is_ascending());
/// assert!((spectrum.x_display()[1] - 687.0).abs() < 1e-9);
/// # Ok::<(), spelab_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SpectrumRaw")]
pub struct Spectrum {
    x: Vec<f64>,
    y: Vec<f64>,
    axis: SpectrumAxis,
    meta: Metadata,
}

/// The unchecked serialized form; deserialization goes through [`Spectrum::new`].
#[derive(Deserialize)]
struct SpectrumRaw {
    x: Vec<f64>,
    y: Vec<f64>,
    axis: SpectrumAxis,
    #[serde(default)]
    meta: Metadata,
}

impl TryFrom<SpectrumRaw> for Spectrum {
    type Error = CoreError;
    fn try_from(raw: SpectrumRaw) -> Result<Self, CoreError> {
        Spectrum::new(raw.x, raw.y, raw.axis, raw.meta)
    }
}

impl Spectrum {
    /// Builds a spectrum from `x` in the axis's SI unit and intensities `y`, checking the invariants.
    pub fn new(x: Vec<f64>, y: Vec<f64>, axis: SpectrumAxis, meta: Metadata) -> Result<Self, CoreError> {
        check::min_points("x", x.len(), 2)?;
        check::same_len("y", y.len(), "x", x.len())?;
        check::strictly_monotonic("x", &x)?;
        check::finite("y", &y)?;
        meta.validate()?;
        Ok(Self { x, y, axis, meta })
    }

    /// Builds a spectrum from `x` in the axis's display unit (cm⁻¹, eV, nm, degrees), as instrument
    /// files store it, converting to SI.
    pub fn from_display(
        x_display: Vec<f64>,
        y: Vec<f64>,
        axis: SpectrumAxis,
        meta: Metadata,
    ) -> Result<Self, CoreError> {
        let x = x_display.iter().map(|&v| axis.from_display(v)).collect();
        Self::new(x, y, axis, meta)
    }

    /// Number of points (at least 2).
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Always `false`: a spectrum has at least two points.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// The x values in the axis's SI unit ([`SpectrumAxis::si_unit`]).
    pub fn x(&self) -> &[f64] {
        &self.x
    }

    /// The x values in the axis's display unit ([`SpectrumAxis::display_unit`]).
    pub fn x_display(&self) -> Vec<f64> {
        self.x.iter().map(|&v| self.axis.to_display(v)).collect()
    }

    /// The intensities, in the instrument's unit.
    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// The quantity on the x axis.
    pub fn axis(&self) -> SpectrumAxis {
        self.axis
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

    /// `true` when `x` increases along the points, `false` when it decreases.
    pub fn is_ascending(&self) -> bool {
        match self.x.as_slice() {
            [a, b, ..] => b > a,
            _ => true,
        }
    }

    /// A copy with the points ordered by increasing `x` (the same spectrum when already ascending).
    pub fn to_ascending(&self) -> Self {
        let mut copy = self.clone();
        if !copy.is_ascending() {
            copy.x.reverse();
            copy.y.reverse();
        }
        copy
    }

    /// A kinetic-energy spectrum on the binding-energy scale, BE = `photon_energy` − KE −
    /// `work_function` (both [J]); any other axis is returned unchanged. The point order is kept, so
    /// an ascending KE scan becomes a descending BE one.
    pub fn to_binding_energy(&self, photon_energy: f64, work_function: f64) -> Result<Self, CoreError> {
        if self.axis != SpectrumAxis::KineticEnergy {
            return Ok(self.clone());
        }
        let x = self.x.iter().map(|&ke| photon_energy - ke - work_function).collect();
        Spectrum::new(x, self.y.clone(), SpectrumAxis::BindingEnergy, self.meta.clone())
    }

    /// Gives back x (SI), y, the axis and the metadata.
    pub fn into_parts(self) -> (Vec<f64>, Vec<f64>, SpectrumAxis, Metadata) {
        (self.x, self.y, self.axis, self.meta)
    }
}
