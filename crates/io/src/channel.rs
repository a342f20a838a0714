//! The one column vocabulary: what a measured column means, with its SI unit.
//!
//! Every reader maps its vendor columns (`<I>/mA`, `Q charge/discharge/mA.h`, `Zreal`, `Test_Time(s)`)
//! onto a [`Channel`] and converts the values to the channel's SI unit, so analyses never see vendor
//! names or units. Columns with no fixed meaning in spelab (EIS quality indicators, counter-electrode
//! impedance sets, ...) become [`Channel::Other`] with a snake_case name derived from the vendor label
//! and an SI unit from [`si_unit`].
//!
//! ```
//! use spelab_io::channel::{si_unit, Channel};
//! assert_eq!(Channel::Current.name(), "current");
//! assert_eq!(Channel::Current.unit(), "A");
//! let (unit, scale, offset) = si_unit("mA.h");
//! assert_eq!((unit.as_str(), scale, offset), ("C", 3.6, 0.0));
//! ```

use serde::Serialize;
use spelab_core::constants::ZERO_CELSIUS;

/// What a column holds. Fixed variants have a fixed SI unit; [`Channel::Other`] carries its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Time since the start of the test [s].
    Time,
    /// Time since the start of the current step [s].
    StepTime,
    /// Absolute time as seconds since 1970-01-01 UTC [s].
    UnixTime,
    /// Working-electrode (cell) voltage [V].
    Voltage,
    /// Counter-electrode voltage [V].
    CounterVoltage,
    /// Set-point voltage of the control loop [V].
    ControlVoltage,
    /// Set-point current of the control loop [A].
    ControlCurrent,
    /// Cell current, positive = oxidation at the working electrode (charge) [A].
    Current,
    /// Charge passed since the start, signed like the current ((Q-Qo)) [C].
    Charge,
    /// Charge passed since the previous point (dq) [C].
    ChargeIncrement,
    /// Charge passed in the current half cycle, signed (Q charge/discharge) [C].
    HalfCycleCharge,
    /// Charge capacity of the current cycle [C].
    ChargeCapacity,
    /// Discharge capacity of the current cycle [C].
    DischargeCapacity,
    /// Capacity [C].
    Capacity,
    /// Coulombic efficiency (discharge / charge) [1].
    CoulombicEfficiency,
    /// Energy passed, absolute [J].
    Energy,
    /// Energy passed while charging [J].
    ChargeEnergy,
    /// Energy passed while discharging [J].
    DischargeEnergy,
    /// Power [W].
    Power,
    /// Frequency of the impedance measurement [Hz].
    Frequency,
    /// Real part Z' of the impedance [Ω].
    ImpedanceReal,
    /// Imaginary part Z'' of the impedance, negative for capacitive behaviour [Ω].
    ImpedanceImag,
    /// Modulus |Z| of the impedance [Ω].
    ImpedanceModulus,
    /// Phase angle of the impedance, negative for capacitive behaviour [rad].
    ImpedancePhase,
    /// Amplitude of the voltage perturbation or response |Ewe| [V].
    VoltageAmplitude,
    /// Amplitude of the current perturbation or response |I| [A].
    CurrentAmplitude,
    /// Resistance (e.g. a pulse or current-interrupt resistance) [Ω].
    Resistance,
    /// Cycle index as the instrument or its export counts it [1].
    CycleIndex,
    /// Step (sequence) index [1].
    StepIndex,
    /// Half-cycle index [1].
    HalfCycle,
    /// Sample or cell temperature [K].
    Temperature,
    /// Control mode code (BioLogic: 1 galvanostatic, 2 potentiostatic, 3 rest) [1].
    ControlMode,
    /// Current range code of the instrument [1].
    CurrentRange,
    /// Any other column: spelab name (snake_case) and SI unit ("1" for dimensionless).
    Other {
        /// snake_case name derived from the vendor label.
        name: String,
        /// SI unit.
        unit: String,
    },
}

impl Channel {
    /// The spelab column name (snake_case), the same for every vendor.
    pub fn name(&self) -> &str {
        match self {
            Channel::Time => "time",
            Channel::StepTime => "step_time",
            Channel::UnixTime => "unix_time",
            Channel::Voltage => "voltage",
            Channel::CounterVoltage => "counter_voltage",
            Channel::ControlVoltage => "control_voltage",
            Channel::ControlCurrent => "control_current",
            Channel::Current => "current",
            Channel::Charge => "charge",
            Channel::ChargeIncrement => "charge_increment",
            Channel::HalfCycleCharge => "half_cycle_charge",
            Channel::ChargeCapacity => "charge_capacity",
            Channel::DischargeCapacity => "discharge_capacity",
            Channel::Capacity => "capacity",
            Channel::CoulombicEfficiency => "coulombic_efficiency",
            Channel::Energy => "energy",
            Channel::ChargeEnergy => "charge_energy",
            Channel::DischargeEnergy => "discharge_energy",
            Channel::Power => "power",
            Channel::Frequency => "frequency",
            Channel::ImpedanceReal => "z_real",
            Channel::ImpedanceImag => "z_imag",
            Channel::ImpedanceModulus => "z_modulus",
            Channel::ImpedancePhase => "z_phase",
            Channel::VoltageAmplitude => "voltage_amplitude",
            Channel::CurrentAmplitude => "current_amplitude",
            Channel::Resistance => "resistance",
            Channel::CycleIndex => "cycle_index",
            Channel::StepIndex => "step_index",
            Channel::HalfCycle => "half_cycle",
            Channel::Temperature => "temperature",
            Channel::ControlMode => "control_mode",
            Channel::CurrentRange => "current_range",
            Channel::Other { name, .. } => name,
        }
    }

    /// The SI unit of the values ("1" for counts, codes and ratios).
    pub fn unit(&self) -> &str {
        match self {
            Channel::Time | Channel::StepTime | Channel::UnixTime => "s",
            Channel::Voltage
            | Channel::CounterVoltage
            | Channel::ControlVoltage
            | Channel::VoltageAmplitude => "V",
            Channel::Current | Channel::ControlCurrent | Channel::CurrentAmplitude => "A",
            Channel::Charge
            | Channel::ChargeIncrement
            | Channel::HalfCycleCharge
            | Channel::ChargeCapacity
            | Channel::DischargeCapacity
            | Channel::Capacity => "C",
            Channel::Energy | Channel::ChargeEnergy | Channel::DischargeEnergy => "J",
            Channel::Power => "W",
            Channel::Frequency => "Hz",
            Channel::ImpedanceReal
            | Channel::ImpedanceImag
            | Channel::ImpedanceModulus
            | Channel::Resistance => "Ohm",
            Channel::ImpedancePhase => "rad",
            Channel::Temperature => "K",
            Channel::CoulombicEfficiency
            | Channel::CycleIndex
            | Channel::StepIndex
            | Channel::HalfCycle
            | Channel::ControlMode
            | Channel::CurrentRange => "1",
            Channel::Other { unit, .. } => unit,
        }
    }

    /// Whether the values are whole numbers (indices and codes) rather than measurements.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            Channel::CycleIndex
                | Channel::StepIndex
                | Channel::HalfCycle
                | Channel::ControlMode
                | Channel::CurrentRange
        )
    }

    /// The channel whose spelab [`Channel::name`] is `name` (`"voltage"`, `"z_real"`), if it is a
    /// fixed one.
    pub fn from_name(name: &str) -> Option<Channel> {
        FIXED.iter().find(|c| c.name() == name).cloned()
    }

    /// An [`Channel::Other`] whose name is [`snake_case`] of `label` and whose unit is `unit`.
    pub fn other(label: &str, unit: &str) -> Channel {
        Channel::Other { name: snake_case(label), unit: unit.to_string() }
    }
}

/// Every fixed channel (all but [`Channel::Other`]).
pub const FIXED: [Channel; 33] = [
    Channel::Time,
    Channel::StepTime,
    Channel::UnixTime,
    Channel::Voltage,
    Channel::CounterVoltage,
    Channel::ControlVoltage,
    Channel::ControlCurrent,
    Channel::Current,
    Channel::Charge,
    Channel::ChargeIncrement,
    Channel::HalfCycleCharge,
    Channel::ChargeCapacity,
    Channel::DischargeCapacity,
    Channel::Capacity,
    Channel::CoulombicEfficiency,
    Channel::Energy,
    Channel::ChargeEnergy,
    Channel::DischargeEnergy,
    Channel::Power,
    Channel::Frequency,
    Channel::ImpedanceReal,
    Channel::ImpedanceImag,
    Channel::ImpedanceModulus,
    Channel::ImpedancePhase,
    Channel::VoltageAmplitude,
    Channel::CurrentAmplitude,
    Channel::Resistance,
    Channel::CycleIndex,
    Channel::StepIndex,
    Channel::HalfCycle,
    Channel::Temperature,
    Channel::ControlMode,
    Channel::CurrentRange,
];

/// `"THD Ewe"` → `"thd_ewe"`, `"|Ewe h2|"` → `"ewe_h2"`: lower case, runs of other characters → `_`.
pub fn snake_case(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("column");
    }
    out
}

/// The SI unit for a vendor unit text and the conversion `si = raw · scale + offset`.
///
/// Unknown units are kept as written with scale 1 (the column then stays in the vendor's unit, and
/// its unit says so).
pub fn si_unit(unit: &str) -> (String, f64, f64) {
    let unit = unit.trim();
    let (si, scale, offset) = match unit {
        "" => ("1", 1.0, 0.0),
        "s" => ("s", 1.0, 0.0),
        "ms" => ("s", 1e-3, 0.0),
        "min" => ("s", 60.0, 0.0),
        "h" => ("s", 3600.0, 0.0),
        "V" => ("V", 1.0, 0.0),
        "mV" => ("V", 1e-3, 0.0),
        "A" => ("A", 1.0, 0.0),
        "mA" => ("A", 1e-3, 0.0),
        "µA" | "μA" | "uA" => ("A", 1e-6, 0.0),
        "nA" => ("A", 1e-9, 0.0),
        "C" => ("C", 1.0, 0.0),
        "mC" => ("C", 1e-3, 0.0),
        "mA.h" | "mAh" | "mA·h" => ("C", 3.6, 0.0),
        "A.h" | "Ah" | "A·h" => ("C", 3600.0, 0.0),
        "µA.h" | "μA.h" | "uAh" => ("C", 3.6e-3, 0.0),
        "W" => ("W", 1.0, 0.0),
        "mW" => ("W", 1e-3, 0.0),
        "W.h" | "Wh" | "W·h" => ("J", 3600.0, 0.0),
        "mW.h" | "mWh" => ("J", 3.6, 0.0),
        "J" => ("J", 1.0, 0.0),
        "Ohm" | "ohm" | "Ω" => ("Ohm", 1.0, 0.0),
        "mOhm" | "mΩ" => ("Ohm", 1e-3, 0.0),
        "kOhm" | "kΩ" => ("Ohm", 1e3, 0.0),
        "Ohm-1" | "S" => ("S", 1.0, 0.0),
        "mS" => ("S", 1e-3, 0.0),
        "Ohm.cm" => ("Ohm.m", 1e-2, 0.0),
        "mS/cm" => ("S/m", 0.1, 0.0),
        "S/cm" => ("S/m", 100.0, 0.0),
        "Hz" => ("Hz", 1.0, 0.0),
        "kHz" => ("Hz", 1e3, 0.0),
        "deg" | "°" => ("rad", std::f64::consts::PI / 180.0, 0.0),
        "rad" => ("rad", 1.0, 0.0),
        "F" => ("F", 1.0, 0.0),
        "mF" => ("F", 1e-3, 0.0),
        "µF" | "μF" | "uF" => ("F", 1e-6, 0.0),
        "nF" => ("F", 1e-9, 0.0),
        "µF-2" | "μF-2" => ("F-2", 1e12, 0.0),
        "%" => ("1", 1e-2, 0.0),
        "°C" | "degC" => ("K", 1.0, ZERO_CELSIUS),
        "K" => ("K", 1.0, 0.0),
        "mg" => ("kg", 1e-6, 0.0),
        "g" => ("kg", 1e-3, 0.0),
        "cm2" | "cm²" => ("m2", 1e-4, 0.0),
        other => return (other.to_string(), 1.0, 0.0),
    };
    (si.to_string(), scale, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(snake_case("THD Ewe"), "thd_ewe");
        assert_eq!(snake_case("|Ewe h2|"), "ewe_h2");
        assert_eq!(snake_case("Re(Zwe-ce)"), "re_zwe_ce");
        assert_eq!(snake_case("--"), "column");
    }

    #[test]
    fn si_units_convert_exactly() {
        assert_eq!(si_unit("W.h"), ("J".to_string(), 3600.0, 0.0));
        assert_eq!(si_unit("°C"), ("K".to_string(), 1.0, 273.15));
        assert_eq!(si_unit("furlong"), ("furlong".to_string(), 1.0, 0.0));
        // Every fixed channel has a non-empty unit and name.
        for c in [Channel::Time, Channel::ImpedancePhase, Channel::CycleIndex] {
            assert!(!c.name().is_empty() && !c.unit().is_empty());
        }
    }
}
