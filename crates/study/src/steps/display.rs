//! Display conversions the steps print beyond each quantity's display unit (mV, µA, nA, kJ/mol,
//! Ω cm²), every one through `spelab_core::units`' table so a unit has one definition.

use spelab_core::units::{convert, Quantity};

/// An SI value of `quantity` in `unit`, a unit literal of the caller that the table knows.
fn in_unit(si: f64, quantity: Quantity, unit: &str) -> f64 {
    convert(si, quantity, unit).unwrap_or_else(|e| panic!("display unit '{unit}': {e}"))
}

/// A voltage [V] in mV.
pub(crate) fn mv(v: f64) -> f64 {
    in_unit(v, Quantity::Voltage, "mV")
}

/// A current [A] in µA.
pub(crate) fn ua(i: f64) -> f64 {
    in_unit(i, Quantity::Current, "uA")
}

/// A current [A] in nA.
pub(crate) fn na(i: f64) -> f64 {
    in_unit(i, Quantity::Current, "nA")
}

/// A current density [A/m²] in µA/cm².
pub(crate) fn ua_cm2(j: f64) -> f64 {
    in_unit(j, Quantity::CurrentDensity, "uA/cm2")
}

/// A molar activation energy [J/mol] in kJ/mol.
pub(crate) fn kj_mol(e: f64) -> f64 {
    in_unit(e, Quantity::ActivationEnergy, "kJ/mol")
}

/// An area-specific resistance [Ω m²] in Ω cm² (its display unit).
pub(crate) fn ohm_cm2(asr: f64) -> f64 {
    Quantity::AreaSpecificResistance.to_display(asr)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's conversions are the decimal scalings the steps printed before, to the bit for the
    /// exact powers of ten (so no printed or serialized value moves), and to 1 ulp for µA/cm².
    #[test]
    fn conversions_match_the_scalings_they_replace() {
        for x in [0.0123456789, 1.7e-9, 4.2, -3.3e-5, 123456.789] {
            assert_eq!(mv(x), x * 1e3);
            assert_eq!(ua(x), x * 1e6);
            assert_eq!(na(x), x * 1e9);
            assert_eq!(kj_mol(x), x / 1e3);
            assert_eq!(ohm_cm2(x), x * 1e4);
            let old = Quantity::CurrentDensity.to_display(x) * 1e3;
            assert!((ua_cm2(x) - old).abs() <= f64::EPSILON * old.abs(), "{x}");
        }
    }
}
