//! [`Metadata`] about a measurement and the [`Technique`] that produced it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// The electrochemical, thermal or spectroscopic technique a measurement comes from.
///
/// A closed set: readers map vendor technique names onto it, and use [`Technique::Unknown`] (keeping
/// the vendor's name in [`Metadata::extra`]) when none fits. `None` in [`Metadata::technique`] means
/// the technique was not stated at all. Serialized in snake_case (`"dc_polarization"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Technique {
    /// Potentiostatic electrochemical impedance spectroscopy.
    Peis,
    /// Galvanostatic electrochemical impedance spectroscopy.
    Geis,
    /// Chronoamperometry (potential step, current recorded).
    Ca,
    /// Chronopotentiometry (current step, potential recorded).
    Cp,
    /// Cyclic voltammetry.
    Cv,
    /// Linear sweep voltammetry.
    Lsv,
    /// Open-circuit voltage.
    Ocv,
    /// Galvanostatic cycling with potential limitation.
    Gcpl,
    /// DC polarization (e.g. Bruce-Vincent or Hebb-Wagner).
    DcPolarization,
    /// Differential scanning calorimetry.
    Dsc,
    /// Thermogravimetric analysis.
    Tga,
    /// Raman spectroscopy.
    Raman,
    /// X-ray photoelectron spectroscopy.
    Xps,
    /// Fourier-transform infrared spectroscopy.
    Ftir,
    /// X-ray diffraction (a [`Spectrum`](super::Spectrum) on the two-theta axis).
    Xrd,
    /// Stated by the source but not one of the above.
    Unknown,
}

impl Technique {
    /// Short upper-case label used in reports ("PEIS", "DC polarization").
    pub fn label(self) -> &'static str {
        match self {
            Technique::Peis => "PEIS",
            Technique::Geis => "GEIS",
            Technique::Ca => "CA",
            Technique::Cp => "CP",
            Technique::Cv => "CV",
            Technique::Lsv => "LSV",
            Technique::Ocv => "OCV",
            Technique::Gcpl => "GCPL",
            Technique::DcPolarization => "DC polarization",
            Technique::Dsc => "DSC",
            Technique::Tga => "TGA",
            Technique::Raman => "Raman",
            Technique::Xps => "XPS",
            Technique::Ftir => "FT-IR",
            Technique::Xrd => "XRD",
            Technique::Unknown => "unknown",
        }
    }
}

/// What is known about a measurement: its origin, the sample and the run.
///
/// Every field is optional: `None` means unknown, never a magic zero. Fields are public because they
/// carry no invariant on their own; the measurement constructors check them with
/// [`Metadata::validate`] (a quantity, when set, must be finite and positive), so metadata inside a
/// measurement is always valid. Build it with the `with_*` helpers:
///
/// ```
/// use spelab_core::{Metadata, Technique};
/// let meta = Metadata::default()
///     .with_source("cell3.mpr")
///     .with_technique(Technique::Peis)
///     .with_temperature(333.15)
///     .with_area(2.0e-4)
///     .with_thickness(1.0e-4)
///     .with_extra("Ewe range", "-10 V; 10 V");
/// assert_eq!(meta.area, Some(2.0e-4));
/// assert!(meta.validate().is_ok());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// Where the data came from: the file path, or `"simulation"` for a virtual instrument.
    pub source: Option<String>,
    /// Instrument model or name as the source states it ("BioLogic VMP-300").
    pub instrument: Option<String>,
    /// The technique that produced the data.
    pub technique: Option<Technique>,
    /// Sample temperature during the measurement [K].
    pub temperature: Option<f64>,
    /// Electrode / electrolyte area, the one current densities refer to [m²].
    pub area: Option<f64>,
    /// Electrolyte (membrane) thickness between the electrodes [m].
    pub thickness: Option<f64>,
    /// Electrode active-material mass, the one specific capacities refer to [kg].
    pub active_mass: Option<f64>,
    /// Total sample mass, e.g. the DSC / TGA pan loading or the membrane mass [kg].
    pub sample_mass: Option<f64>,
    /// Start of the measurement as ISO 8601 text ("2024-05-01T12:00:00Z"), kept as the source wrote it.
    pub start_time: Option<String>,
    /// Material or sample name ("PVH-IM").
    pub material: Option<String>,
    /// Vendor fields with no place above, kept verbatim (name → value).
    pub extra: BTreeMap<String, String>,
}

impl Metadata {
    /// Sets [`Metadata::source`].
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets [`Metadata::instrument`].
    pub fn with_instrument(mut self, instrument: impl Into<String>) -> Self {
        self.instrument = Some(instrument.into());
        self
    }

    /// Sets [`Metadata::technique`].
    pub fn with_technique(mut self, technique: Technique) -> Self {
        self.technique = Some(technique);
        self
    }

    /// Sets [`Metadata::temperature`] [K].
    pub fn with_temperature(mut self, temperature: f64) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// Sets [`Metadata::area`] [m²].
    pub fn with_area(mut self, area: f64) -> Self {
        self.area = Some(area);
        self
    }

    /// Sets [`Metadata::thickness`] [m].
    pub fn with_thickness(mut self, thickness: f64) -> Self {
        self.thickness = Some(thickness);
        self
    }

    /// Sets [`Metadata::active_mass`] [kg].
    pub fn with_active_mass(mut self, active_mass: f64) -> Self {
        self.active_mass = Some(active_mass);
        self
    }

    /// Sets [`Metadata::sample_mass`] [kg].
    pub fn with_sample_mass(mut self, sample_mass: f64) -> Self {
        self.sample_mass = Some(sample_mass);
        self
    }

    /// Sets [`Metadata::start_time`] (ISO 8601 text).
    pub fn with_start_time(mut self, start_time: impl Into<String>) -> Self {
        self.start_time = Some(start_time.into());
        self
    }

    /// Sets [`Metadata::material`].
    pub fn with_material(mut self, material: impl Into<String>) -> Self {
        self.material = Some(material.into());
        self
    }

    /// Adds one vendor field to [`Metadata::extra`], replacing an earlier value of the same name.
    pub fn with_extra(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// Checks that every physical quantity that is set is finite and positive.
    ///
    /// Returns [`CoreError::InvalidMetadata`] naming the first bad field.
    pub fn validate(&self) -> Result<(), CoreError> {
        let quantities = [
            ("temperature", self.temperature),
            ("area", self.area),
            ("thickness", self.thickness),
            ("active_mass", self.active_mass),
            ("sample_mass", self.sample_mass),
        ];
        for (field, value) in quantities {
            if let Some(value) = value {
                if !(value.is_finite() && value > 0.0) {
                    return Err(CoreError::InvalidMetadata { field, value });
                }
            }
        }
        Ok(())
    }
}
