//! EC-Lab column labels (`<I>/mA`, `Q charge/discharge/mA.h`) mapped onto spelab [`Channel`]s, and
//! EC-Lab technique codes. Shared by the `.mpr` and `.mpt` readers so both give the same columns.

use spelab_core::Technique;

use crate::channel::{si_unit, snake_case, Channel};

/// A vendor label resolved into spelab terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The spelab channel.
    pub channel: Channel,
    /// `si = raw · scale + offset`.
    pub scale: f64,
    /// See `scale`.
    pub offset: f64,
    /// Whether the column holds whole numbers (flags, counters, codes).
    pub integer: bool,
}

/// Labels with a `/` that is part of the name, not a unit separator.
const WHOLE_NAMES: [&str; 2] = ["ox/red", "Q charge/discharge"];

/// Splits `"Q charge/discharge/mA.h"` into `("Q charge/discharge", "mA.h")`.
pub fn split_label(label: &str) -> (&str, &str) {
    let label = label.trim();
    if label == "control/V/mA" {
        return ("control", "V/mA");
    }
    if WHOLE_NAMES.contains(&label) {
        return (label, "");
    }
    match label.rfind('/') {
        Some(i) => (label[..i].trim(), label[i + 1..].trim()),
        None => (label, ""),
    }
}

/// Resolves an EC-Lab column label (as the `.mpt` header or the `.mpr` ID table writes it).
pub fn resolve(label: &str) -> Resolved {
    let (name, unit) = split_label(label);
    let (si, mut scale, offset) = si_unit(unit);
    let fixed = |channel: Channel, scale: f64| Resolved { channel, scale, offset, integer: false };
    let int = |channel: Channel| Resolved { channel, scale: 1.0, offset: 0.0, integer: true };
    match name {
        "time" => fixed(Channel::Time, scale),
        "step time" => fixed(Channel::StepTime, scale),
        "Ewe" | "<Ewe>" | "Ecell" | "<Ecell>" => fixed(Channel::Voltage, scale),
        "Ece" | "<Ece>" => fixed(Channel::CounterVoltage, scale),
        "I" | "<I>" => fixed(Channel::Current, scale),
        "control" if unit == "V" => fixed(Channel::ControlVoltage, scale),
        "control" if unit == "mA" || unit == "A" => fixed(Channel::ControlCurrent, scale),
        // V in potentiostatic steps, mA in galvanostatic ones: kept raw, split by the mode flag.
        "control" => Resolved {
            channel: Channel::other("control V or mA", "V|mA"),
            scale: 1.0,
            offset: 0.0,
            integer: false,
        },
        "(Q-Qo)" => fixed(Channel::Charge, scale),
        "dq" | "dQ" => fixed(Channel::ChargeIncrement, scale),
        "Q charge/discharge" => fixed(Channel::HalfCycleCharge, scale),
        "Q charge" => fixed(Channel::ChargeCapacity, scale),
        "Q discharge" => fixed(Channel::DischargeCapacity, scale),
        "Capacity" => fixed(Channel::Capacity, scale),
        "Efficiency" => fixed(Channel::CoulombicEfficiency, scale),
        "|Energy|" => fixed(Channel::Energy, scale),
        "Energy charge" => fixed(Channel::ChargeEnergy, scale),
        "Energy discharge" => fixed(Channel::DischargeEnergy, scale),
        "P" | "Pwe" => fixed(Channel::Power, scale),
        "freq" => fixed(Channel::Frequency, scale),
        "Re(Z)" => fixed(Channel::ImpedanceReal, scale),
        "-Im(Z)" => fixed(Channel::ImpedanceImag, -scale),
        "|Z|" => fixed(Channel::ImpedanceModulus, scale),
        "Phase(Z)" => fixed(Channel::ImpedancePhase, scale),
        "|Ewe|" => fixed(Channel::VoltageAmplitude, scale),
        "|I|" => fixed(Channel::CurrentAmplitude, scale),
        "R" => fixed(Channel::Resistance, scale),
        "Temperature" => fixed(Channel::Temperature, scale),
        "cycle number" => int(Channel::CycleIndex),
        "Ns" => int(Channel::StepIndex),
        "half cycle" => int(Channel::HalfCycle),
        "mode" => int(Channel::ControlMode),
        "I Range" => int(Channel::CurrentRange),
        "ox/red" | "error" | "control changes" | "Ns changes" | "counter inc." | "z cycle" => {
            int(Channel::other(name, "1"))
        }
        other => {
            // A leading '-' (as in -Im(Zce)) flips the sign so the column holds what its name says.
            let (name, sign) = match other.strip_prefix('-') {
                Some(rest) => (rest, -1.0),
                None => (other, 1.0),
            };
            scale *= sign;
            Resolved { channel: Channel::other(&snake_case(name), &si), scale, offset, integer: false }
        }
    }
}

/// Technique from the first byte of the `VMP Set` module: (spelab technique, EC-Lab label).
pub fn technique_from_code(code: u8) -> (Option<Technique>, &'static str) {
    match code {
        0x04 | 0x77 => (Some(Technique::Gcpl), "GCPL"),
        0x06 | 0x30 => (Some(Technique::Cv), "CV"),
        0x0B => (Some(Technique::Ocv), "OCV"),
        0x16 => (Some(Technique::Unknown), "MP"),
        0x18 => (Some(Technique::Ca), "CA"),
        0x19 => (Some(Technique::Cp), "CP"),
        0x1C => (Some(Technique::Unknown), "WAIT"),
        0x1D => (Some(Technique::Peis), "PEIS"),
        0x1E => (Some(Technique::Geis), "GEIS"),
        0x32 => (Some(Technique::Unknown), "ZIR"),
        0x33 => (Some(Technique::Cv), "CVA"),
        0x6C => (Some(Technique::Lsv), "LSV"),
        0x75 => (Some(Technique::Unknown), "CoV"),
        0x76 => (Some(Technique::Unknown), "CoC"),
        0x7F => (Some(Technique::Unknown), "MB"),
        0x88 => (Some(Technique::Unknown), "BCD"),
        _ => (None, "unknown"),
    }
}

/// Technique from the technique title line of an `.mpt` header: (spelab technique, EC-Lab label).
pub fn technique_from_title(title: &str) -> Option<(Option<Technique>, &'static str)> {
    let t = title.trim();
    let found = match t {
        "Galvanostatic Cycling with Potential Limitation" => (Some(Technique::Gcpl), "GCPL"),
        "Cyclic Voltammetry" => (Some(Technique::Cv), "CV"),
        "Open Circuit Voltage" => (Some(Technique::Ocv), "OCV"),
        "Chronoamperometry / Chronocoulometry" | "Chronoamperometry" => (Some(Technique::Ca), "CA"),
        "Chronopotentiometry" => (Some(Technique::Cp), "CP"),
        "Potentio Electrochemical Impedance Spectroscopy" => (Some(Technique::Peis), "PEIS"),
        "Galvano Electrochemical Impedance Spectroscopy" => (Some(Technique::Geis), "GEIS"),
        "Linear Sweep Voltammetry" => (Some(Technique::Lsv), "LSV"),
        "Modulo Bat" => (Some(Technique::Unknown), "MB"),
        "Wait" => (Some(Technique::Unknown), "WAIT"),
        "Cyclic Voltammetry Advanced" => (Some(Technique::Cv), "CVA"),
        _ => return None,
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_to_si_channels() {
        let r = resolve("<I>/mA");
        assert_eq!((r.channel, r.scale), (Channel::Current, 1e-3));
        let r = resolve("Q charge/discharge/mA.h");
        assert_eq!((r.channel, r.scale), (Channel::HalfCycleCharge, 3.6));
        let r = resolve("-Im(Z)/Ohm");
        assert_eq!((r.channel, r.scale), (Channel::ImpedanceImag, -1.0));
        let r = resolve("-Im(Zce)/Ohm");
        assert_eq!((r.channel.name(), r.scale), ("im_zce", -1.0));
        let r = resolve("Capacitance charge/µF");
        assert_eq!((r.channel.name(), r.channel.unit(), r.scale), ("capacitance_charge", "F", 1e-6));
        assert!(resolve("ox/red").integer);
        assert_eq!(split_label("control/V/mA"), ("control", "V/mA"));
    }
}
