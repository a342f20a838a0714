//! Thermal analysis: DSC melting enthalpy and crystallinity ([`dsc`]) and TGA mass-loss steps
//! ([`tga`]), following `methods.md` §9–10. Inputs are core [`spelab_core::Thermogram`]s in SI
//! (K, s, W or W/kg, kg or mass fraction); results carry the curves their figures need.

pub mod dsc;
pub mod tga;

pub use dsc::{dsc_crystallinity, DscOptions, DscResult, SignConvention};
pub use tga::{tga_steps, DtgMethod, TgaOptions, TgaResult, TgaStep};

/// Linear interpolation of (xs, ys) at `x`, bracketing by binary search on xs as `numpy.interp` does
/// (xs assumed increasing; clamped to the end values outside).
pub fn interp(x: f64, xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len();
    if x <= xs[0] {
        return ys[0];
    }
    if x >= xs[n - 1] {
        return ys[n - 1];
    }
    let j = xs.partition_point(|&v| v <= x).clamp(1, n - 1) - 1;
    let (x0, x1) = (xs[j], xs[j + 1]);
    if x1 == x0 {
        return ys[j];
    }
    ys[j] + (ys[j + 1] - ys[j]) * (x - x0) / (x1 - x0)
}
