//! Tick labels as a journal prints them: one number of decimals per axis, a true minus sign,
//! `10⁻³` on log axes and `2.5×10⁻⁵` where plain decimals would be unreadable.

/// The minus sign used in tick labels (U+2212, wider than a hyphen).
const MINUS: char = '\u{2212}';

/// `n` as superscript digits (`-3` gives `⁻³`).
pub(crate) fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// Replaces a leading hyphen with the typographic minus; "-0" and "-0.00" become unsigned.
fn with_minus(s: String) -> String {
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => {
            format!("{MINUS}{rest}")
        }
        Some(rest) => rest.to_string(),
        None => s,
    }
}

/// The fewest decimals (at most 8) that show every value to within 1e-9 of `scale`.
fn decimals_needed(values: &[f64], scale: f64) -> usize {
    (0..=8)
        .find(|&d| {
            let f = 10f64.powi(d as i32);
            values.iter().all(|v| ((v * f).round() / f - v).abs() <= 1e-9 * scale)
        })
        .unwrap_or(8)
}

/// Tick values of a linear axis on `[min, max]`: multiples of a "nice" step (1, 2 or 5 × 10ⁿ) chosen
/// so that at most `target` ticks fall inside, every multiple inside included, the ends too when they
/// are multiples (within 1e-9 of the span). Plotters' own key points drop the last tick of some
/// ranges (an Arrhenius axis on [2.79, 3.70] lost its 3.6), so linear axes use these.
pub(crate) fn linear_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    let span = max - min;
    if !(span.is_finite() && span > 0.0) || target < 2 {
        return Vec::new();
    }
    let raw = span / (target - 1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| ((span / s).floor() as usize) < target)
        .unwrap_or(20.0 * magnitude);
    let tol = 1e-9 * span;
    // Snapping to a whole number of hundredths of the step's decade gives the double nearest to the
    // decimal value (2.8, not 2.8000000000000003); only for steps that can be written that way.
    let decimals = (1.0 - step.log10().floor()).clamp(0.0, 15.0) as i32;
    let scale = 10f64.powi(decimals);
    let first = ((min - tol) / step).ceil();
    let mut ticks = Vec::new();
    let mut k = first;
    while k * step <= max + tol && ticks.len() <= target {
        // Snap to the step's multiple and clean values like 0.30000000000000004 and −0.
        let v = k * step;
        let snapped = (v * scale).round() / scale;
        let v = if v.abs() < tol {
            0.0
        } else if snapped.is_finite() && (snapped - v).abs() <= tol {
            snapped
        } else {
            v
        };
        ticks.push(v);
        k += 1.0;
    }
    ticks
}

/// Label format shared by all ticks of a linear axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LinearTicks {
    decimals: usize,
    /// Common power of ten when the magnitudes are very large or small.
    exponent: Option<i32>,
}

impl LinearTicks {
    /// Chooses decimals (and a power of ten for |v| ≥ 1e5 or < 1e-3) that fit every tick.
    pub fn for_ticks(ticks: &[f64]) -> LinearTicks {
        let max_abs = ticks.iter().copied().filter(|v| v.is_finite()).fold(0.0f64, |a, v| a.max(v.abs()));
        if max_abs == 0.0 {
            return LinearTicks { decimals: 0, exponent: None };
        }
        if (1e-3..1e5).contains(&max_abs) {
            return LinearTicks { decimals: decimals_needed(ticks, max_abs), exponent: None };
        }
        let exponent = max_abs.log10().floor() as i32;
        let f = 10f64.powi(exponent);
        let mantissas: Vec<f64> = ticks.iter().map(|v| v / f).collect();
        LinearTicks { decimals: decimals_needed(&mantissas, max_abs / f), exponent: Some(exponent) }
    }

    /// The label of one tick.
    pub fn label(&self, v: f64) -> String {
        match self.exponent {
            None => with_minus(format!("{:.*}", self.decimals, v)),
            Some(_) if v == 0.0 => "0".to_string(),
            Some(e) => {
                let m = with_minus(format!("{:.*}", self.decimals, v / 10f64.powi(e)));
                format!("{m}×10{}", superscript(e))
            }
        }
    }
}

/// The label of a tick on a log axis: `10⁻³` at a decade, `2×10⁻³` between decades.
pub(crate) fn log_tick_label(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return String::new();
    }
    let e = v.log10().floor() as i32;
    // Guard against log10 rounding just below an exact decade.
    let (e, m) = {
        let m = v / 10f64.powi(e);
        if m >= 9.9999999 {
            (e + 1, m / 10.0)
        } else {
            (e, m)
        }
    };
    if (m - 1.0).abs() < 1e-6 {
        format!("10{}", superscript(e))
    } else {
        let d = decimals_needed(&[m], 10.0).min(2);
        format!("{m:.d$}×10{}", superscript(e))
    }
}

/// Decade values `10ᵏ` inside `[min, max]` (both > 0).
pub(crate) fn decades(min: f64, max: f64) -> Vec<f64> {
    let lo = (min.log10() - 1e-9).ceil() as i32;
    let hi = (max.log10() + 1e-9).floor() as i32;
    (lo..=hi).map(|k| 10f64.powi(k)).collect()
}

/// Minor log ticks `m·10ᵏ` (m = 2..9) inside `[min, max]` (both > 0).
pub(crate) fn log_minor_ticks(min: f64, max: f64) -> Vec<f64> {
    let lo = min.log10().floor() as i32;
    let hi = max.log10().ceil() as i32;
    (lo..=hi)
        .flat_map(|k| (2..=9).map(move |m| f64::from(m) * 10f64.powi(k)))
        .filter(|&v| v >= min * (1.0 - 1e-9) && v <= max * (1.0 + 1e-9))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_ticks_keep_the_last_multiple_inside_the_range() {
        // The Arrhenius axis whose 3.6 went missing with plotters' key points.
        let t = linear_ticks(2.7927, 3.6983, 9);
        assert_eq!(t.first().copied(), Some(2.8));
        assert!(t.iter().any(|v| (v - 3.6).abs() < 1e-12), "{t:?}");
        assert!(t.len() <= 9 && t.len() >= 4, "{t:?}");
        // Ends that are multiples are kept; zero is a clean zero.
        assert_eq!(
            linear_ticks(0.0, 200.0, 9),
            vec![0.0, 25.0, 50.0, 75.0, 100.0, 125.0, 150.0, 175.0, 200.0]
        );
        let t = linear_ticks(-1.0, 1.0, 5);
        assert_eq!(t, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert!(linear_ticks(1.0, 1.0, 5).is_empty());
        for (a, b) in [(1e-12, 3e-12), (-7.3, 1234.5), (0.1, 0.30000000000000004), (1e300, 3e300)] {
            let t = linear_ticks(a, b, 7);
            assert!(t.len() >= 2 && t.len() <= 7, "{a} {b} {t:?}");
            assert!(t.iter().all(|v| *v >= a - 1e-9 * (b - a) && *v <= b + 1e-9 * (b - a)), "{t:?}");
        }
    }

    #[test]
    fn linear_ticks_share_decimals_and_use_a_true_minus() {
        let t = LinearTicks::for_ticks(&[-0.5, 0.0, 0.5, 1.0]);
        let labels: Vec<String> = [-0.5, 0.0, 0.5, 1.0].iter().map(|&v| t.label(v)).collect();
        assert_eq!(labels, ["−0.5", "0.0", "0.5", "1.0"]);
        // Floating-point noise from tick generation does not leak into labels.
        let t = LinearTicks::for_ticks(&[0.1, 0.2, 0.30000000000000004]);
        assert_eq!(t.label(0.30000000000000004), "0.3");
        assert_eq!(LinearTicks::for_ticks(&[0.0, 200.0]).label(200.0), "200");
    }

    #[test]
    fn extreme_linear_ticks_use_powers_of_ten() {
        let ticks = [0.0, 2.5e-5, 5e-5];
        let t = LinearTicks::for_ticks(&ticks);
        assert_eq!(t.label(2.5e-5), "2.5×10⁻⁵");
        assert_eq!(t.label(5e-5), "5.0×10⁻⁵");
        assert_eq!(t.label(0.0), "0");
        let t = LinearTicks::for_ticks(&[0.0, 1e6, 2e6]);
        assert_eq!(t.label(2e6), "2×10⁶");
    }

    #[test]
    fn log_labels_are_decades() {
        assert_eq!(log_tick_label(1e-3), "10⁻³");
        assert_eq!(log_tick_label(1000.0), "10³");
        assert_eq!(log_tick_label(1.0), "10⁰");
        assert_eq!(log_tick_label(2e-3), "2×10⁻³");
        assert_eq!(decades(1e-4, 0.1).len(), 4);
        assert_eq!(log_minor_ticks(1.0, 10.0).len(), 8);
    }
}
