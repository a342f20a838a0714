//! Number formatting for display strings.
//!
//! Rules: 3 significant digits (4 from 100 upward, and never fewer than the integer digits), trailing
//! zeros after the point trimmed; scientific notation when the rounded value is below 1e-3 or at least
//! 1e6; "0" for zero; "NaN", "inf", "-inf" for non-finite values.
//!
//! With an uncertainty ([`round_to_uncertainty`]): the uncertainty keeps 2 significant digits and the
//! value is rounded to the same decimal place, trailing zeros kept ("128.71179 ± 0.00051",
//! "0.180 ± 0.012", "5550 ± 120"). This is the PDG's rule without its 355-949 one-digit case: always
//! two digits, so that a table's uncertainty column reads alike. A zero, NaN or infinite uncertainty
//! carries no place: the value is then written with the rules above ("1.23 ± 0", "1.23 ± NaN").

use super::Quantity;

impl Quantity {
    /// Formats an SI value with its standard uncertainty [same SI unit] in the display unit, the
    /// uncertainty rounded to 2 significant digits and the value to the same decimal place
    /// ("1.234 ± 0.052 mS/cm", "0.180 ± 0.012 eV"; "(1.80 ± 0.20)e-6 mS/cm" for tiny values).
    pub fn display_with_uncertainty(self, si_value: f64, uncertainty: f64) -> String {
        let scale = self.display_scale();
        // An uncertainty is a difference: it scales with the unit but takes no offset (1 K = 1 °C).
        let u = uncertainty / scale.factor();
        let body = format_with_uncertainty(self.to_display(si_value), u);
        attach_unit(self, body, self.display_unit())
    }

    /// Formats a standard uncertainty alone [SI] in the display unit at 2 significant digits, as
    /// [`Quantity::display_with_uncertainty`] writes it ("0.052 mS/cm", "1.2e-7 mS/cm", "NaN eV").
    pub fn display_uncertainty(self, uncertainty: f64) -> String {
        let u = uncertainty / self.display_scale().factor();
        attach_unit(self, format_uncertainty(u), self.display_unit())
    }
}

/// Appends the unit to a formatted number: "1.23 mS/cm", "0.1C", "0.49" (no unit).
pub(super) fn attach_unit(quantity: Quantity, number: String, unit: &str) -> String {
    match quantity {
        Quantity::CRate if number.contains('±') && !number.starts_with('(') => format!("({number}){unit}"),
        Quantity::CRate => format!("{number}{unit}"),
        _ if unit.is_empty() => number,
        _ => format!("{number} {unit}"),
    }
}

/// Formats a value with the display rules ("1.23", "141.7", "5550", "1.8e-6", "0").
pub(super) fn format_number(v: f64) -> String {
    if let Some(text) = non_finite(v) {
        return text;
    }
    if v == 0.0 {
        return "0".to_string();
    }
    let digits = if v.abs() >= 100.0 { 4 } else { 3 };
    let exponent = decimal_exponent(v, digits);
    if !(-3..6).contains(&exponent) {
        return trim_scientific(&format!("{v:.2e}"));
    }
    let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
    trim_zeros(format!("{v:.decimals$}"))
}

/// A value rounded to its uncertainty: the uncertainty to 2 significant digits and the value to the
/// same decimal place `10^place` (so `value` and `uncertainty` are multiples of `10^place`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rounded {
    /// The value rounded to `10^place`.
    pub value: f64,
    /// The uncertainty (absolute value) rounded to 2 significant digits.
    pub uncertainty: f64,
    /// Decimal exponent of the last kept digit (−5 for 0.00051, 1 for 120).
    pub place: i32,
}

/// Rounds `value` to its standard uncertainty `uncertainty` (the rule of this module's opening doc);
/// `None` when either is not finite or the uncertainty is zero (no place to round to). The sign of
/// the uncertainty is ignored; an uncertainty larger than the value rounds the value coarsely
/// (0.012 ± 0.5 -> 0.01 ± 0.50 at place −2).
///
/// ```
/// use spelab_core::units::round_to_uncertainty;
/// let r = round_to_uncertainty(128.711_794, 0.000_513).unwrap();
/// assert_eq!(r.place, -5);
/// assert!((r.value - 128.711_79).abs() < 1e-9 && (r.uncertainty - 0.000_51).abs() < 1e-12);
/// assert!(round_to_uncertainty(1.0, 0.0).is_none());
/// ```
pub fn round_to_uncertainty(value: f64, uncertainty: f64) -> Option<Rounded> {
    let u = uncertainty.abs();
    if !value.is_finite() || !u.is_finite() || u == 0.0 {
        return None;
    }
    // The uncertainty's leading digit (after rounding to 2 digits) is at 10^e; keep 10^(e-1).
    let place = decimal_exponent(u, 2) - 1;
    let step = 10f64.powi(place);
    let round = |x: f64| {
        let r = (x / step).round() * step;
        if r == 0.0 {
            0.0
        } else {
            r
        }
    };
    Some(Rounded { value: round(value), uncertainty: round(u), place })
}

/// "value ± uncertainty" in scientific notation for fit tables, the value's mantissa cut at the
/// uncertainty's place: ("1.234567e2", "3.4e-3") for 123.4567 ± 0.0034; without a usable uncertainty
/// the value keeps 4 decimals of mantissa and the uncertainty reads "n/a" (non-finite) or "0".
///
/// ```
/// use spelab_core::units::scientific_with_uncertainty;
/// assert_eq!(scientific_with_uncertainty(123.4567, 0.0034), ("1.234567e2".to_string(), "3.4e-3".to_string()));
/// assert_eq!(scientific_with_uncertainty(-2.5e-6, 1.2e-7), ("-2.50e-6".to_string(), "1.2e-7".to_string()));
/// ```
pub fn scientific_with_uncertainty(value: f64, uncertainty: f64) -> (String, String) {
    match round_to_uncertainty(value, uncertainty) {
        Some(r) => {
            let exponent = if r.value == 0.0 { r.place } else { decimal_exponent(r.value, 1).max(r.place) };
            let decimals = (exponent - r.place).clamp(0, 15) as usize;
            (format!("{:.decimals$e}", r.value), format!("{:.1e}", r.uncertainty))
        }
        None if value.is_finite() => {
            let u = if uncertainty == 0.0 { "0".to_string() } else { "n/a".to_string() };
            (format!("{value:.4e}"), u)
        }
        None => (format_number(value), "n/a".to_string()),
    }
}

/// Formats "value ± uncertainty" with the uncertainty at 2 significant digits ("1.234 ± 0.052"), or
/// "(1.80 ± 0.20)e-6" when the larger of the two is outside the fixed-notation range. Every table that
/// shows a value with its uncertainty uses this (through [`super::Quantity::display_with_uncertainty`]
/// when it has a unit).
pub fn format_with_uncertainty(v: f64, u: f64) -> String {
    let u = u.abs();
    if non_finite(v).is_some() || non_finite(u).is_some() {
        return format!("{} ± {}", format_number(v), format_number(u));
    }
    // An uncertainty below 1e-12 of the value is rounding noise of an exact (constrained) value.
    if u <= 1e-12 * v.abs() {
        return format!("{} ± 0", format_number(v));
    }
    let larger = decimal_exponent(v.abs().max(u), 3);
    let (v, u, shift) = if (-3..6).contains(&larger) {
        (v, u, 0)
    } else {
        let power = 10f64.powi(larger);
        (v / power, u / power, larger)
    };
    // The uncertainty's leading digit is at 10^e, its second significant digit at 10^(e-1).
    let e = decimal_exponent(u, 2);
    let body = if e <= 1 {
        // Capped: an uncertainty below 1e-15 of the value carries no information in f64.
        let decimals = (1 - e).min(15) as usize;
        format!("{} ± {u:.decimals$}", unsigned_zero(format!("{v:.decimals$}")))
    } else {
        let step = 10f64.powi(e - 1);
        let round = |x: f64| (x / step).round() * step;
        format!("{} ± {:.0}", unsigned_zero(format!("{:.0}", round(v))), round(u))
    };
    if shift == 0 {
        body
    } else {
        format!("({body})e{shift}")
    }
}

/// An uncertainty alone at 2 significant digits ("0.052", "120", "1.2e-7"; "0", "NaN").
pub fn format_uncertainty(u: f64) -> String {
    let u = u.abs();
    if let Some(text) = non_finite(u) {
        return text;
    }
    if u == 0.0 {
        return "0".to_string();
    }
    let e = decimal_exponent(u, 2);
    if (-3..6).contains(&e) {
        let step = 10f64.powi(e - 1);
        let decimals = (1 - e).max(0) as usize;
        format!("{:.decimals$}", (u / step).round() * step)
    } else {
        format!("{u:.1e}")
    }
}

fn non_finite(v: f64) -> Option<String> {
    match v {
        _ if v.is_nan() => Some("NaN".to_string()),
        f64::INFINITY => Some("inf".to_string()),
        f64::NEG_INFINITY => Some("-inf".to_string()),
        _ => None,
    }
}

/// The decimal exponent of `v` after rounding to `digits` significant digits (99.96 -> 2 at 3 digits).
fn decimal_exponent(v: f64, digits: usize) -> i32 {
    let text = format!("{v:.prec$e}", prec = digits.saturating_sub(1));
    text.rsplit('e').next().and_then(|e| e.parse().ok()).unwrap_or(0)
}

/// "1.80e-6" -> "1.8e-6", "1.00e6" -> "1e6".
fn trim_scientific(text: &str) -> String {
    match text.split_once('e') {
        Some((mantissa, exponent)) => format!("{}e{exponent}", trim_zeros(mantissa.to_string())),
        None => text.to_string(),
    }
}

/// "0.180" -> "0.18", "5550." -> "5550", "25.000" -> "25".
fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// "-0.000" -> "0.000": a value that rounds to zero prints without a sign.
fn unsigned_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_and_notation() {
        let cases = [
            (1.23, "1.23"),
            (0.18, "0.18"),
            (0.180_000_000_1, "0.18"),
            (19.2, "19.2"),
            (141.7, "141.7"),
            (5550.0, "5550"),
            (12_345.0, "12345"),
            (99.96, "100"),
            (0.49, "0.49"),
            (25.0, "25"),
            (-5.0, "-5"),
            (0.001, "0.001"),
            (0.000_999_96, "0.001"),
            (0.000_9, "9e-4"),
            (1.8e-6, "1.8e-6"),
            (999_999.7, "1e6"),
            (2.5e6, "2.5e6"),
            (0.0, "0"),
            (-0.0, "0"),
        ];
        for (v, text) in cases {
            assert_eq!(format_number(v), text, "{v}");
        }
        assert_eq!(format_number(f64::NAN), "NaN");
        assert_eq!(format_number(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn uncertainty_sets_the_decimals() {
        assert_eq!(format_with_uncertainty(1.2341, 0.0523), "1.234 ± 0.052");
        assert_eq!(format_with_uncertainty(0.18, 0.012), "0.180 ± 0.012");
        assert_eq!(format_with_uncertainty(0.18, -0.012), "0.180 ± 0.012");
        assert_eq!(format_with_uncertainty(25.04, 1.23), "25.0 ± 1.2");
        assert_eq!(format_with_uncertainty(5551.0, 123.0), "5550 ± 120");
        assert_eq!(format_with_uncertainty(-0.0001, 0.012), "0.000 ± 0.012");
        assert_eq!(format_with_uncertainty(1.8e-6, 2.04e-7), "(1.80 ± 0.20)e-6");
        assert_eq!(format_with_uncertainty(1.23, 0.0), "1.23 ± 0");
        assert_eq!(format_with_uncertainty(1.23, f64::NAN), "1.23 ± NaN");
        assert_eq!(format_with_uncertainty(128.711_794, 0.000_513), "128.71179 ± 0.00051");
        // The uncertainty rounds up into the next decade: 0.0996 -> 0.10, value to 0.01.
        assert_eq!(format_with_uncertainty(1.2345, 0.0996), "1.23 ± 0.10");
    }

    #[test]
    fn rounding_to_the_uncertainty_edge_cases() {
        // Zero, NaN and infinite uncertainties give no place; so does a non-finite value.
        for (v, u) in [(1.0, 0.0), (1.0, -0.0), (1.0, f64::NAN), (1.0, f64::INFINITY), (f64::NAN, 0.1)] {
            assert!(round_to_uncertainty(v, u).is_none(), "{v} ± {u}");
        }
        // Uncertainty larger than the value: the value rounds to the uncertainty's second digit.
        let r = round_to_uncertainty(0.012, 0.5).unwrap();
        assert_eq!(r.place, -2);
        assert!((r.value - 0.01).abs() < 1e-15 && (r.uncertainty - 0.5).abs() < 1e-15);
        assert_eq!(format_with_uncertainty(0.012, 0.5), "0.01 ± 0.50");
        assert_eq!(format_with_uncertainty(3.0, 47.0), "3 ± 47");
        assert_eq!(format_with_uncertainty(3.0, 470.0), "0 ± 470");
        // Negative values and negative uncertainties.
        let r = round_to_uncertainty(-0.536_21, -0.006_3).unwrap();
        assert!((r.value + 0.536_2).abs() < 1e-12 && (r.uncertainty - 0.006_3).abs() < 1e-12);
        assert_eq!(format_with_uncertainty(-0.536_21, 0.006_3), "-0.5362 ± 0.0063");
        // A value that rounds to zero carries no sign.
        assert_eq!(round_to_uncertainty(-0.001, 0.5).unwrap().value.to_bits(), 0.0f64.to_bits());
        // Exponents: large and small magnitudes keep the rule in scientific notation.
        assert_eq!(round_to_uncertainty(6.02e23, 3.1e21).unwrap().place, 20);
        assert_eq!(format_with_uncertainty(6.02e23, 3.1e21), "(6.020 ± 0.031)e23");
        assert_eq!(format_with_uncertainty(-1.8e-9, 2.04e-11), "(-1.800 ± 0.020)e-9");
        assert_eq!(format_with_uncertainty(12_345_678.0, 45.0), "(1.2345678 ± 0.0000045)e7");
    }

    #[test]
    fn uncertainties_alone_keep_two_digits() {
        let cases = [(0.0523, "0.052"), (123.0, "120"), (0.0996, "0.10"), (1.23e-7, "1.2e-7"), (0.0, "0")];
        for (u, text) in cases {
            assert_eq!(format_uncertainty(u), text, "{u}");
        }
        assert_eq!(format_uncertainty(-0.0523), "0.052");
        assert_eq!(format_uncertainty(f64::NAN), "NaN");
    }

    #[test]
    fn scientific_columns_follow_the_uncertainty() {
        assert_eq!(scientific_with_uncertainty(123.4567, 0.0034), ("1.234567e2".into(), "3.4e-3".into()));
        assert_eq!(scientific_with_uncertainty(0.012, 0.5), ("1e-2".into(), "5.0e-1".into()));
        assert_eq!(scientific_with_uncertainty(1e5, 2.5e6), ("1e5".into(), "2.5e6".into()));
        assert_eq!(scientific_with_uncertainty(2.0, 0.0), ("2.0000e0".into(), "0".into()));
        assert_eq!(scientific_with_uncertainty(2.0, f64::NAN), ("2.0000e0".into(), "n/a".into()));
        assert_eq!(scientific_with_uncertainty(f64::INFINITY, 1.0), ("inf".into(), "n/a".into()));
    }
}
