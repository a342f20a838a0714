//! Number formatting for display strings.
//!
//! Rules: 3 significant digits (4 from 100 upward, and never fewer than the integer digits), trailing
//! zeros after the point trimmed; scientific notation when the rounded value is below 1e-3 or at least
//! 1e6; "0" for zero; "NaN", "inf", "-inf" for non-finite values. With an uncertainty, the uncertainty
//! keeps 2 significant digits and the value is rounded to the same place, trailing zeros kept.

use super::Quantity;

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

/// Formats "value ± uncertainty" with the uncertainty at 2 significant digits ("1.234 ± 0.052"), or
/// "(1.80 ± 0.20)e-6" when the larger of the two is outside the fixed-notation range.
pub(super) fn format_with_uncertainty(v: f64, u: f64) -> String {
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
    }
}
