//! Units at the edge: parse the unit strings users write ("0.2 mA/cm2", "100 um", "25 degC") into SI,
//! and format SI values in the units the field uses (mS/cm, mA/cm², mAh/g, eV, °C).
//!
//! Inside spelab every value is SI `f64`. This module is the one place where unit strings are read and
//! where display units are chosen.
//!
//! # Reading
//! [`parse_quantity`] reads "number unit" for a requested [`Quantity`] and checks the dimension:
//! "0.2 mA/cm2", "0.2mA/cm2", "1e-3 S cm-1", "17.4 kJ/mol", "0.18 eV" (an activation energy per
//! particle, converted with N_A), "25 °C", "0.1C" and "C/10" (C-rates), "19.2 %". A bare number is
//! accepted only for [`Quantity::Fraction`] and [`Quantity::Dimensionless`]; "100" as a thickness is
//! ambiguous and an error. [`parse_unit`] reads a unit expression alone into a [`Unit`].
//!
//! Unit expressions are factors joined by `/`, `*`, `·`, `.` or spaces, with exponents written `cm2`,
//! `cm^2`, `cm²`, `cm-2`, `cm^-2` or `cm⁻²`; after the first `/` every factor is in the denominator,
//! and parentheses group ("J/(mol K)" = "J mol-1 K-1"). Symbols: m, g, s, min, h, A, K, mol, V, ohm/Ω,
//! S, C, F, J, W, eV, cal, Hz, Ah, Wh, L/l, M (mol/L), %, wt%, vol%, mol%, ppm and the temperature
//! scales degC/°C/℃ (alone only), with the prefixes p n u/µ/μ m c d k M G. An exact symbol wins over
//! prefix + symbol ("min", "mol", "M" = molar; "mM" = millimolar, "mAh" = milli-ampere-hour).
//! A lone "C" means °C when a temperature is requested and 1C when a C-rate is requested.
//!
//! # Display
//! [`Quantity::display`] prints 3 significant digits (4 from 100 upward), trailing zeros trimmed, in
//! scientific notation below 1e-3 and from 1e6 on: "1.23 mS/cm", "0.18 eV", "141.7 mAh/g", "5550 h",
//! "1.8e-6 mS/cm". [`Quantity::display_with_uncertainty`] rounds the uncertainty to 2 significant digits
//! and the value to match: "1.234 ± 0.052 mS/cm". [`format_in`] and [`convert`] use any compatible unit.
//!
//! ```
//! use spelab_core::units::{format_in, Quantity};
//! assert_eq!(Quantity::Conductivity.display(0.123), "1.23 mS/cm");
//! assert_eq!(format_in(1.8e-7, Quantity::Conductivity, "S/cm").unwrap(), "1.8e-9 S/cm");
//! ```

use std::ops::{Div, Mul};

use serde::{Deserialize, Serialize};

use crate::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, HOUR, ZERO_CELSIUS};

mod display;
mod parse;

use display::{attach_unit, format_number};
pub use display::{
    format_uncertainty, format_with_uncertainty, round_to_uncertainty, scientific_with_uncertainty, Rounded,
};
use parse::{parse_expression, resolve, split_number, Scale};

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
    /// Area-specific resistance (ASR) [Ω m²]; display Ω cm².
    AreaSpecificResistance,
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
    /// Wavenumber of a spectroscopic band [1/m]; display cm⁻¹.
    Wavenumber,
    /// A fraction [1]; display %.
    Fraction,
    /// A plain number [1]; display without unit.
    Dimensionless,
}

impl Quantity {
    /// Every quantity, in declaration order.
    pub const ALL: [Quantity; 23] = [
        Quantity::Length,
        Quantity::Area,
        Quantity::Mass,
        Quantity::Time,
        Quantity::Temperature,
        Quantity::Current,
        Quantity::CurrentDensity,
        Quantity::Voltage,
        Quantity::Resistance,
        Quantity::AreaSpecificResistance,
        Quantity::Conductivity,
        Quantity::ActivationEnergy,
        Quantity::Charge,
        Quantity::ArealCapacity,
        Quantity::SpecificCapacity,
        Quantity::Frequency,
        Quantity::Capacitance,
        Quantity::Concentration,
        Quantity::Diffusivity,
        Quantity::CRate,
        Quantity::Wavenumber,
        Quantity::Fraction,
        Quantity::Dimensionless,
    ];

    /// SI unit symbol of this quantity in ASCII, as written into JSON and CSV ("S/m", "A/m2").
    ///
    /// Every one except "C-rate" reads back with [`parse_unit`] as factor 1.
    pub fn si_unit(self) -> &'static str {
        match self {
            Quantity::Length => "m",
            Quantity::Area => "m2",
            Quantity::Mass => "kg",
            Quantity::Time => "s",
            Quantity::Temperature => "K",
            Quantity::Current => "A",
            Quantity::CurrentDensity => "A/m2",
            Quantity::Voltage => "V",
            Quantity::Resistance => "ohm",
            Quantity::AreaSpecificResistance => "ohm m2",
            Quantity::Conductivity => "S/m",
            Quantity::ActivationEnergy => "J/mol",
            Quantity::Charge => "C",
            Quantity::ArealCapacity => "C/m2",
            Quantity::SpecificCapacity => "C/kg",
            Quantity::Frequency => "Hz",
            Quantity::Capacitance => "F",
            Quantity::Concentration => "mol/m3",
            Quantity::Diffusivity => "m2/s",
            Quantity::CRate => "C-rate",
            Quantity::Wavenumber => "1/m",
            Quantity::Fraction | Quantity::Dimensionless => "1",
        }
    }

    /// The unit the field reports this quantity in ("mS/cm"); "C" for a C-rate, "" for a plain number.
    pub fn display_unit(self) -> &'static str {
        match self {
            Quantity::Length => "µm",
            Quantity::Area => "cm²",
            Quantity::Mass => "mg",
            Quantity::Time => "h",
            Quantity::Temperature => "°C",
            Quantity::Current => "mA",
            Quantity::CurrentDensity => "mA/cm²",
            Quantity::Voltage => "V",
            Quantity::Resistance => "Ω",
            Quantity::AreaSpecificResistance => "Ω cm²",
            Quantity::Conductivity => "mS/cm",
            Quantity::ActivationEnergy => "eV",
            Quantity::Charge => "mAh",
            Quantity::ArealCapacity => "mAh/cm²",
            Quantity::SpecificCapacity => "mAh/g",
            Quantity::Frequency => "Hz",
            Quantity::Capacitance => "F",
            Quantity::Concentration => "mol/L",
            Quantity::Diffusivity => "cm²/s",
            Quantity::CRate => "C",
            Quantity::Wavenumber => "cm⁻¹",
            Quantity::Fraction => "%",
            Quantity::Dimensionless => "",
        }
    }

    /// Whether a value of this quantity is never negative: lengths, areas, masses, durations,
    /// resistances, conductivities, capacities, frequencies, capacitances, concentrations,
    /// diffusivities and absolute temperatures (currents, voltages, charges, energies, fractions and
    /// plain numbers may have a sign).
    ///
    /// ```
    /// use spelab_core::units::Quantity;
    /// assert!(Quantity::Length.is_never_negative() && !Quantity::Voltage.is_never_negative());
    /// ```
    pub fn is_never_negative(self) -> bool {
        use Quantity::*;
        matches!(
            self,
            Length
                | Area
                | Mass
                | Time
                | Temperature
                | Resistance
                | AreaSpecificResistance
                | Conductivity
                | ArealCapacity
                | SpecificCapacity
                | Frequency
                | Capacitance
                | Concentration
                | Diffusivity
        )
    }

    /// The quantity's name with its article, as used in error messages ("a current density").
    pub fn name(self) -> &'static str {
        match self {
            Quantity::Length => "a length",
            Quantity::Area => "an area",
            Quantity::Mass => "a mass",
            Quantity::Time => "a time",
            Quantity::Temperature => "a temperature",
            Quantity::Current => "a current",
            Quantity::CurrentDensity => "a current density",
            Quantity::Voltage => "a voltage",
            Quantity::Resistance => "a resistance",
            Quantity::AreaSpecificResistance => "an area-specific resistance",
            Quantity::Conductivity => "a conductivity",
            Quantity::ActivationEnergy => "an activation energy",
            Quantity::Charge => "a charge",
            Quantity::ArealCapacity => "an areal capacity",
            Quantity::SpecificCapacity => "a specific capacity",
            Quantity::Frequency => "a frequency",
            Quantity::Capacitance => "a capacitance",
            Quantity::Concentration => "a concentration",
            Quantity::Diffusivity => "a diffusivity",
            Quantity::CRate => "a C-rate",
            Quantity::Wavenumber => "a wavenumber",
            Quantity::Fraction => "a fraction",
            Quantity::Dimensionless => "a dimensionless number",
        }
    }

    /// The SI dimension a unit must have to be read as this quantity.
    ///
    /// C-rates, fractions and plain numbers are dimensionless. An activation energy also accepts an
    /// energy per particle (eV, J), converted with the Avogadro constant.
    pub fn dimension(self) -> Dimension {
        let d = Dimension::new;
        match self {
            Quantity::Length => d(1, 0, 0, 0, 0, 0),
            Quantity::Area => d(2, 0, 0, 0, 0, 0),
            Quantity::Mass => d(0, 1, 0, 0, 0, 0),
            Quantity::Time => d(0, 0, 1, 0, 0, 0),
            Quantity::Temperature => d(0, 0, 0, 0, 1, 0),
            Quantity::Current => d(0, 0, 0, 1, 0, 0),
            Quantity::CurrentDensity => d(-2, 0, 0, 1, 0, 0),
            Quantity::Voltage => d(2, 1, -3, -1, 0, 0),
            Quantity::Resistance => d(2, 1, -3, -2, 0, 0),
            Quantity::AreaSpecificResistance => d(4, 1, -3, -2, 0, 0),
            Quantity::Conductivity => d(-3, -1, 3, 2, 0, 0),
            Quantity::ActivationEnergy => d(2, 1, -2, 0, 0, -1),
            Quantity::Charge => d(0, 0, 1, 1, 0, 0),
            Quantity::ArealCapacity => d(-2, 0, 1, 1, 0, 0),
            Quantity::SpecificCapacity => d(0, -1, 1, 1, 0, 0),
            Quantity::Frequency => d(0, 0, -1, 0, 0, 0),
            Quantity::Capacitance => d(-2, -1, 4, 2, 0, 0),
            Quantity::Concentration => d(-3, 0, 0, 0, 0, 1),
            Quantity::Diffusivity => d(2, 0, -1, 0, 0, 0),
            Quantity::Wavenumber => d(-1, 0, 0, 0, 0, 0),
            Quantity::CRate | Quantity::Fraction | Quantity::Dimensionless => Dimension::NONE,
        }
    }

    /// Converts an SI value to the display unit (0.123 S/m -> 1.23 mS/cm; 298.15 K -> 25 °C).
    pub fn to_display(self, si: f64) -> f64 {
        self.display_scale().to_unit(si)
    }

    /// Converts a value in the display unit to SI (1.23 mS/cm -> 0.123 S/m; 25 °C -> 298.15 K).
    pub fn from_display(self, value: f64) -> f64 {
        self.display_scale().to_si(value)
    }

    /// Formats an SI value in the display unit ("1.23 mS/cm"); NaN and infinities print as "NaN mS/cm".
    pub fn display(self, si_value: f64) -> String {
        attach_unit(self, format_number(self.to_display(si_value)), self.display_unit())
    }

    /// How the display unit relates to SI; checked against parsing the display unit in the tests.
    fn display_scale(self) -> Scale {
        let (mantissa, pow10, offset) = match self {
            Quantity::Length => (1.0, -6, 0.0),
            Quantity::Area => (1.0, -4, 0.0),
            Quantity::Mass => (1.0, -6, 0.0),
            Quantity::Time => (HOUR, 0, 0.0),
            Quantity::Temperature => (1.0, 0, ZERO_CELSIUS),
            Quantity::Current => (1.0, -3, 0.0),
            Quantity::CurrentDensity => (1.0, 1, 0.0),
            Quantity::AreaSpecificResistance => (1.0, -4, 0.0),
            Quantity::Conductivity => (1.0, -1, 0.0),
            Quantity::ActivationEnergy => (EV_PER_PARTICLE_IN_J_PER_MOL, 0, 0.0),
            Quantity::Charge => (HOUR, -3, 0.0),
            Quantity::ArealCapacity => (HOUR, 1, 0.0),
            Quantity::SpecificCapacity => (HOUR, 0, 0.0),
            Quantity::Concentration => (1.0, 3, 0.0),
            Quantity::Diffusivity => (1.0, -4, 0.0),
            Quantity::Wavenumber => (1.0, 2, 0.0),
            Quantity::Fraction => (1.0, -2, 0.0),
            Quantity::Voltage
            | Quantity::Resistance
            | Quantity::Frequency
            | Quantity::Capacitance
            | Quantity::CRate
            | Quantity::Dimensionless => (1.0, 0, 0.0),
        };
        Scale { mantissa, pow10, offset }
    }
}

/// Errors from reading unit strings. Each names the offending text and the whole input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// The input was empty or only whitespace.
    #[error("empty input: expected a number with a unit")]
    Empty,
    /// The input does not start with a readable number, or the number overflows.
    #[error("bad number in '{input}'")]
    BadNumber {
        /// The whole input.
        input: String,
    },
    /// The number uses a decimal comma ("1,5 V").
    #[error("decimal comma in '{input}': write the number with a decimal point (1.5, not 1,5)")]
    DecimalComma {
        /// The whole input.
        input: String,
    },
    /// A bare number where the quantity needs a unit ("100" as a length).
    #[error("missing unit in '{input}': expected {expected} with a unit")]
    MissingUnit {
        /// Name of the requested quantity ("a length").
        expected: &'static str,
        /// The whole input.
        input: String,
    },
    /// A unit symbol that is neither known nor a prefix plus a known symbol.
    #[error("unknown unit '{unit}' in '{input}'")]
    UnknownUnit {
        /// The unknown symbol.
        unit: String,
        /// The whole input.
        input: String,
    },
    /// A known unit of the wrong dimension for the requested quantity ("5 mV" as a current density).
    #[error("expected {expected}, got '{unit}' in '{input}'")]
    Mismatch {
        /// Name of the requested quantity ("a current density").
        expected: &'static str,
        /// The unit as written.
        unit: String,
        /// The whole input.
        input: String,
    },
    /// An exponent that is missing, zero or larger than 12 in magnitude ("cm^", "m0").
    #[error("bad exponent after '{unit}' in '{input}'")]
    BadExponent {
        /// The symbol the exponent belongs to.
        unit: String,
        /// The whole input.
        input: String,
    },
    /// A temperature scale with an offset (°C) inside a compound unit or raised to a power.
    #[error("'{unit}' has an offset and works only alone, not in '{input}'; use K in compound units")]
    OffsetInCompound {
        /// The offset unit ("degC").
        unit: String,
        /// The whole input.
        input: String,
    },
    /// A character that has no place in a unit expression ("5 V#").
    #[error("unexpected character '{found}' in '{input}'")]
    UnexpectedChar {
        /// The character.
        found: char,
        /// The whole input.
        input: String,
    },
    /// A malformed unit expression: unbalanced parentheses, nothing after '/', a stray number.
    #[error("{problem} in '{input}'")]
    Syntax {
        /// What is wrong ("unbalanced parenthesis").
        problem: &'static str,
        /// The whole input.
        input: String,
    },
}

/// Exponents of the SI base units (m, kg, s, A, K, mol) in a unit; `Dimension::NONE` is a pure number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Dimension {
    /// Exponent of the metre.
    pub length: i8,
    /// Exponent of the kilogram.
    pub mass: i8,
    /// Exponent of the second.
    pub time: i8,
    /// Exponent of the ampere.
    pub current: i8,
    /// Exponent of the kelvin.
    pub temperature: i8,
    /// Exponent of the mole.
    pub amount: i8,
}

impl Dimension {
    /// A pure number.
    pub const NONE: Dimension = Dimension::new(0, 0, 0, 0, 0, 0);
    /// Energy, J = kg m² s⁻².
    pub const ENERGY: Dimension = Dimension::new(2, 1, -2, 0, 0, 0);

    /// A dimension from the exponents of m, kg, s, A, K and mol.
    pub const fn new(length: i8, mass: i8, time: i8, current: i8, temperature: i8, amount: i8) -> Self {
        Dimension { length, mass, time, current, temperature, amount }
    }

    /// This dimension raised to an integer power (saturating at the `i8` range).
    pub fn powi(self, n: i32) -> Dimension {
        let p = |e: i8| (i32::from(e) * n).clamp(i8::MIN.into(), i8::MAX.into()) as i8;
        Dimension::new(
            p(self.length),
            p(self.mass),
            p(self.time),
            p(self.current),
            p(self.temperature),
            p(self.amount),
        )
    }

    fn zip(self, other: Dimension, f: impl Fn(i8, i8) -> i8) -> Dimension {
        Dimension::new(
            f(self.length, other.length),
            f(self.mass, other.mass),
            f(self.time, other.time),
            f(self.current, other.current),
            f(self.temperature, other.temperature),
            f(self.amount, other.amount),
        )
    }
}

impl Mul for Dimension {
    type Output = Dimension;
    /// The dimension of a product (exponents add, saturating).
    fn mul(self, other: Dimension) -> Dimension {
        self.zip(other, i8::saturating_add)
    }
}

impl Div for Dimension {
    type Output = Dimension;
    /// The dimension of a quotient (exponents subtract, saturating).
    fn div(self, other: Dimension) -> Dimension {
        self.zip(other, i8::saturating_sub)
    }
}

/// A parsed unit: a value `v` in this unit is `v * factor + offset` in SI.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Size of one unit in SI (1e-6 for "um", 3.6 for "mAh").
    pub factor: f64,
    /// Zero point in SI; non-zero only for a lone temperature scale (273.15 for "degC") [SI].
    pub offset: f64,
    /// The SI dimension.
    pub dimension: Dimension,
}

impl Unit {
    /// Converts a value in this unit to SI.
    pub fn to_si(&self, value: f64) -> f64 {
        value * self.factor + self.offset
    }

    /// Converts an SI value to this unit.
    pub fn from_si(&self, si: f64) -> f64 {
        (si - self.offset) / self.factor
    }
}

/// Parses "0.2 mA/cm2" as the given quantity and returns the SI value.
///
/// The unit's dimension must match the quantity; a bare number is accepted only for
/// [`Quantity::Fraction`] and [`Quantity::Dimensionless`]. Powers of ten are applied to the decimal
/// text, so "100 um" gives exactly the `f64` nearest 1e-4.
///
/// ```
/// use spelab_core::units::{parse_quantity, Quantity};
/// assert_eq!(parse_quantity("0.2 mA/cm2", Quantity::CurrentDensity).unwrap(), 2.0); // A/m²
/// assert_eq!(parse_quantity("25 °C", Quantity::Temperature).unwrap(), 298.15); // K
/// assert_eq!(parse_quantity("C/10", Quantity::CRate).unwrap(), 0.1);
/// let err = parse_quantity("5 mV", Quantity::CurrentDensity).unwrap_err();
/// assert_eq!(err.to_string(), "expected a current density, got 'mV' in '5 mV'");
/// ```
pub fn parse_quantity(input: &str, quantity: Quantity) -> Result<f64, UnitError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(UnitError::Empty);
    }
    let bad_number = || UnitError::BadNumber { input: text.to_string() };
    if quantity == Quantity::CRate {
        if let Some(after) = text.strip_prefix('C') {
            return parse_c_rate_fraction(after, text);
        }
    }
    let (number, rest) = split_number(text).ok_or_else(bad_number)?;
    let mut after = rest.chars();
    if after.next() == Some(',') && after.next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(UnitError::DecimalComma { input: text.to_string() });
    }
    let scale = resolve(quantity, rest, text)?;
    number.value(scale.pow10).map(|v| v * scale.mantissa + scale.offset).ok_or_else(bad_number)
}

/// The rest of a C-rate written "C", "C/10" or "C / 2.5" after its leading 'C'.
fn parse_c_rate_fraction(after: &str, text: &str) -> Result<f64, UnitError> {
    let bad_number = || UnitError::BadNumber { input: text.to_string() };
    let after = after.trim();
    if after.is_empty() {
        return Ok(1.0);
    }
    let denominator = after.strip_prefix('/').ok_or_else(bad_number)?.trim();
    match split_number(denominator) {
        Some((number, "")) => match number.value(0) {
            Some(d) if d != 0.0 => Ok(1.0 / d),
            _ => Err(bad_number()),
        },
        _ => Err(bad_number()),
    }
}

/// Parses a unit expression alone ("mA cm-2", "J/(mol K)") into its SI factor, offset and dimension.
///
/// "C" is the coulomb here; "eV" is an energy per particle (J).
pub fn parse_unit(unit: &str) -> Result<Unit, UnitError> {
    let term = parse_expression(unit.trim(), unit.trim())?;
    Ok(Unit { factor: term.scale.factor(), offset: term.scale.offset, dimension: term.dimension })
}

/// Converts an SI value of the given quantity to a value in `unit` (0.123 S/m in "mS/cm" -> 1.23).
pub fn convert(si_value: f64, quantity: Quantity, unit: &str) -> Result<f64, UnitError> {
    Ok(resolve(quantity, unit, unit.trim())?.to_unit(si_value))
}

/// Formats an SI value in any unit compatible with the quantity, with the display rules of
/// [`Quantity::display`]: 1.8e-7 S/m in "S/cm" -> "1.8e-9 S/cm".
pub fn format_in(si_value: f64, quantity: Quantity, unit: &str) -> Result<String, UnitError> {
    let value = convert(si_value, quantity, unit)?;
    Ok(attach_unit(quantity, format_number(value), unit.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_scale_matches_parsing_the_display_unit() {
        for q in Quantity::ALL {
            let from_table = q.display_scale();
            let parsed = resolve(q, q.display_unit(), q.display_unit()).unwrap();
            // Both sides multiply at most two exact constants, so 2 ulp covers the rounding.
            let rel = (from_table.factor() - parsed.factor()).abs() / from_table.factor();
            assert!(rel <= 4.0 * f64::EPSILON, "{q:?}: {from_table:?} vs {parsed:?}");
            assert_eq!(from_table.offset, parsed.offset, "{q:?}");
        }
    }

    #[test]
    fn dimension_arithmetic() {
        let m = Dimension::new(1, 0, 0, 0, 0, 0);
        let s = Dimension::new(0, 0, 1, 0, 0, 0);
        assert_eq!((m.powi(2) / s), Quantity::Diffusivity.dimension());
        assert_eq!(m * m / m.powi(2), Dimension::NONE);
        assert_eq!(
            Dimension::ENERGY / Dimension::new(0, 0, 0, 0, 0, 1),
            Quantity::ActivationEnergy.dimension()
        );
    }
}
