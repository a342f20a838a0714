//! Units at the edge: parse the unit strings users write ("0.2 mA/cm2", "100 um", "25 degC") into SI,
//! and format SI values in the units the field uses (mS/cm, mA/cm², mAh/g, eV, °C).
//!
//! Inside spelab every value is SI `f64`. This module is the one place where unit strings are read and
//! where display units are chosen.
//!
//! TODO(helper): implementation in progress.

use serde::{Deserialize, Serialize};

/// Physical quantity kinds spelab reads or reports. Each has one SI unit and one display unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// Length [m]; display µm.
    Length,
    /// Area [m²]; display cm².
    Area,
    /// Mass [kg]; display mg.
    Mass,
    /// Time [s]; display h.
    Time,
    /// Absolute temperature [K]; display °C.
    Temperature,
    /// Electric current [A]; display mA.
    Current,
    /// Current density [A/m²]; display mA/cm².
    CurrentDensity,
    /// Voltage / potential [V]; display V.
    Voltage,
    /// Resistance [Ω]; display Ω.
    Resistance,
    /// Conductivity [S/m]; display mS/cm.
    Conductivity,
    /// Molar activation energy [J/mol]; display eV (per particle).
    ActivationEnergy,
    /// Charge [C]; display mAh.
    Charge,
    /// Areal capacity [C/m²]; display mAh/cm².
    ArealCapacity,
    /// Specific (gravimetric) capacity [C/kg]; display mAh/g.
    SpecificCapacity,
    /// Frequency [Hz]; display Hz.
    Frequency,
    /// Capacitance [F]; display F.
    Capacitance,
    /// Concentration [mol/m³]; display mol/L.
    Concentration,
    /// Diffusion coefficient [m²/s]; display cm²/s.
    Diffusivity,
    /// Charge/discharge rate as a C-rate [1/h as a plain number, "0.5C" = 0.5]; display "0.5C".
    CRate,
    /// A fraction [1]; display %.
    Fraction,
    /// A plain number [1]; display without unit.
    Dimensionless,
}

// ---- API stubs (the helper replaces these with the real implementation) ----

/// Errors from reading unit strings.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// Placeholder.
    #[error("unit parsing not implemented yet: '{0}'")]
    Unimplemented(String),
}

impl Quantity {
    /// SI unit symbol of this quantity ("S/m").
    pub fn si_unit(self) -> &'static str {
        match self {
            Quantity::Conductivity => "S/m",
            _ => "1",
        }
    }
    /// Formats an SI value in the display unit ("1.23 mS/cm").
    pub fn display(self, si_value: f64) -> String {
        match self {
            Quantity::Conductivity => format!("{:.3} mS/cm", si_value * 10.0),
            _ => format!("{si_value}"),
        }
    }
    /// Formats an SI value with its standard uncertainty in the display unit ("1.23 ± 0.05 mS/cm").
    pub fn display_with_uncertainty(self, si_value: f64, uncertainty: f64) -> String {
        format!("{} ± {}", self.display(si_value), self.display(uncertainty))
    }
}

/// Parses "0.2 mA/cm2" as the given quantity and returns the SI value.
pub fn parse_quantity(input: &str, quantity: Quantity) -> Result<f64, UnitError> {
    let _ = quantity;
    Err(UnitError::Unimplemented(input.to_string()))
}
