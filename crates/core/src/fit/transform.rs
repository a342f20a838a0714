//! Parameter bounds and the transformations that turn a bounded parameter into an unconstrained one.

use serde::{Deserialize, Serialize};

/// The range a parameter may take, `lower <= p <= upper` (either may be infinite).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// Smallest value (may be −∞).
    pub lower: f64,
    /// Largest value (may be +∞).
    pub upper: f64,
}

impl Bounds {
    /// No bounds.
    pub const FREE: Bounds = Bounds { lower: f64::NEG_INFINITY, upper: f64::INFINITY };
    /// p > 0, optimised in log space.
    pub const POSITIVE: Bounds = Bounds { lower: 0.0, upper: f64::INFINITY };

    /// Internal (unconstrained) value of natural value `p`. A value on a bound is first moved inside
    /// by a tiny amount (1e-9 of the range, or of |p| for a one-sided bound), so that the transform
    /// keeps a non-zero derivative.
    pub fn to_internal(&self, p: f64) -> f64 {
        match (self.lower.is_finite(), self.upper.is_finite()) {
            (true, true) => {
                let width = self.upper - self.lower;
                let u = ((p - self.lower) / width).clamp(1e-9, 1.0 - 1e-9);
                (2.0 * u - 1.0).asin()
            }
            (true, false) => {
                let d = p - self.lower;
                if d > 0.0 {
                    d.ln()
                } else {
                    (1e-9 * p.abs().max(1e-300)).ln()
                }
            }
            (false, true) => {
                let d = self.upper - p;
                if d > 0.0 {
                    d.ln()
                } else {
                    (1e-9 * p.abs().max(1e-300)).ln()
                }
            }
            (false, false) => p,
        }
    }

    /// Natural value of internal value `x`.
    pub fn from_internal(&self, x: f64) -> f64 {
        match (self.lower.is_finite(), self.upper.is_finite()) {
            (true, true) => self.lower + (self.upper - self.lower) * (1.0 + x.sin()) / 2.0,
            (true, false) => self.lower + x.exp(),
            (false, true) => self.upper - x.exp(),
            (false, false) => x,
        }
    }

    /// dp/dx at internal value `x`.
    pub fn derivative(&self, x: f64) -> f64 {
        match (self.lower.is_finite(), self.upper.is_finite()) {
            (true, true) => (self.upper - self.lower) * x.cos() / 2.0,
            (true, false) => x.exp(),
            (false, true) => -x.exp(),
            (false, false) => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transforms_round_trip_and_derivatives_match_differences() {
        let cases = [
            (Bounds::POSITIVE, 3.7e-6),
            (Bounds { lower: 0.0, upper: 1.0 }, 0.62),
            (Bounds { lower: f64::NEG_INFINITY, upper: 2.0 }, -5.0),
            (Bounds::FREE, -1.25),
        ];
        for (b, p) in cases {
            let x = b.to_internal(p);
            // Round trip to 1e-12 relative: asin/sin, ln/exp lose only a few ulps.
            assert!((b.from_internal(x) - p).abs() <= 1e-12 * p.abs(), "{b:?} {p}");
            let h = 1e-6;
            let fd = (b.from_internal(x + h) - b.from_internal(x - h)) / (2.0 * h);
            // Central difference error ~h² p''' ≈ 1e-12 relative, plus rounding ~1e-10.
            assert!((fd - b.derivative(x)).abs() <= 1e-8 * b.derivative(x).abs().max(1e-300), "{b:?}");
        }
    }
}
