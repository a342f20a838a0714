//! Closed-form results of the constant-property symmetric cell (cellmodel.md §1), used as test
//! oracles and as the "J_lim" and "Sand" CCD criteria.
//!
//! ```text
//! J_lim  = 2 F D c₀ / ((1 − t₊) L)
//! t_Sand = π D (c₀ F)² / (4 [J (1 − t₊)]²)                    (semi-infinite)
//! c(L,t) = c₀ − qL/(2D) + (4qL/(π² D)) Σ_{n odd} n⁻² exp(−n²π² D t / L²),  q = (1 − t₊)J/F
//! U_ss   = (2/f)[asinh(J/2j0(c₀+Δ/2)) + asinh(J/2j0(c₀−Δ/2))] + JL/κ + (2/f)(1−t₊) ln((c₀+Δ/2)/(c₀−Δ/2))
//!          + 2 J R_f,   Δ = (1 − t₊)JL/(FD)   (α = ½, j0 ∝ √c)
//! ```

use spelab_core::constants::{FARADAY, GAS_CONSTANT};

use crate::symmetric::SymmetricCell;

/// The constants of a cell with concentration-independent properties, evaluated at c₀ and the cell
/// temperature. SI units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConstantCell {
    /// Thickness L [m].
    pub thickness: f64,
    /// c₀ [mol/m³].
    pub c0: f64,
    /// D [m²/s].
    pub diffusivity: f64,
    /// t₊ [1].
    pub transference_number: f64,
    /// κ [S/m].
    pub conductivity: f64,
    /// j0 at c₀ [A/m²].
    pub exchange_current_density: f64,
    /// Temperature [K].
    pub temperature: f64,
    /// Film resistance per electrode (constant) [Ω·m²].
    pub film_resistance: f64,
}

impl ConstantCell {
    /// The constants of `cell` at c₀ (exact for concentration-independent transport), film at t = 0.
    pub fn of(cell: &SymmetricCell) -> Self {
        Self {
            thickness: cell.thickness,
            c0: cell.initial_concentration,
            diffusivity: cell.diffusivity(),
            transference_number: cell.transference_number(),
            conductivity: cell.conductivity(),
            exchange_current_density: cell.exchange_current_density(),
            temperature: cell.temperature,
            film_resistance: cell.film.resistance(0.0, 0.0),
        }
    }

    fn q(&self, j: f64) -> f64 {
        (1.0 - self.transference_number) * j / FARADAY
    }
}

/// Limiting current density J_lim = 2FDc₀/((1 − t₊)L) [A/m²].
pub fn limiting_current_density(c: &ConstantCell) -> f64 {
    2.0 * FARADAY * c.diffusivity * c.c0 / ((1.0 - c.transference_number) * c.thickness)
}

/// Semi-infinite Sand's time at current density `j` [s].
pub fn sand_time(c: &ConstantCell, j: f64) -> f64 {
    let x = j * (1.0 - c.transference_number);
    std::f64::consts::PI * c.diffusivity * (c.c0 * FARADAY).powi(2) / (4.0 * x * x)
}

/// The current density whose semi-infinite Sand's time is `t` [A/m²]:
/// J_Sand(t) = c₀F√(πD/t)/(2(1 − t₊)).
pub fn sand_current_density(c: &ConstantCell, t: f64) -> f64 {
    c.c0 * FARADAY * (std::f64::consts::PI * c.diffusivity / t).sqrt() / (2.0 * (1.0 - c.transference_number))
}

/// Exact concentration at the plating face x = L after constant `j` from rest for time `t`, from
/// the Fourier series (terms until they fall below 1e-17 of the sum) [mol/m³].
pub fn plating_face_concentration(c: &ConstantCell, j: f64, t: f64) -> f64 {
    let (l, d, q) = (c.thickness, c.diffusivity, c.q(j));
    let k = std::f64::consts::PI.powi(2) * d * t / (l * l);
    let mut sum = 0.0;
    let mut n = 1.0f64;
    loop {
        let term = (-n * n * k).exp() / (n * n);
        sum += term;
        // Tail bound: Σ_{m>n} 1/m² e^{−m²k} ≤ e^{−n²k}/n for the odd terms; stop when negligible.
        if term / n < 1e-17 * sum || n > 1e7 {
            break;
        }
        n += 2.0;
    }
    c.c0 - q * l / (2.0 * d) + 4.0 * q * l / (std::f64::consts::PI.powi(2) * d) * sum
}

/// Exact finite-cell depletion time at constant `j` from rest, where c(L, t) = 0; `None` when
/// |j| ≤ J_lim (the face never empties) [s]. Bisection to 1e-14 relative.
pub fn depletion_time(c: &ConstantCell, j: f64) -> Option<f64> {
    let j = j.abs();
    if j <= limiting_current_density(c) {
        return None;
    }
    let f = |t: f64| plating_face_concentration(c, j, t);
    let (mut lo, mut hi) = (0.0, c.thickness * c.thickness / c.diffusivity);
    while f(hi) > 0.0 {
        hi *= 2.0;
    }
    while hi - lo > 1e-14 * hi {
        let mid = 0.5 * (lo + hi);
        if f(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// Steady-state voltage at `j` below J_lim (symmetric Butler-Volmer with α = ½ and j0 ∝ √c, the
/// constant film included); `None` at or above J_lim [V].
pub fn steady_state_voltage(c: &ConstantCell, j: f64) -> Option<f64> {
    if j.abs() >= limiting_current_density(c) {
        return None;
    }
    let delta = c.q(j) * c.thickness / c.diffusivity;
    let (c_strip, c_plate) = (c.c0 + delta / 2.0, c.c0 - delta / 2.0);
    let k = 2.0 * GAS_CONSTANT * c.temperature / FARADAY;
    let j0 = |cf: f64| c.exchange_current_density * (cf / c.c0).sqrt();
    Some(
        k * ((j / (2.0 * j0(c_strip))).asinh() + (j / (2.0 * j0(c_plate))).asinh())
            + j * c.thickness / c.conductivity
            + k * (1.0 - c.transference_number) * (c_strip / c_plate).ln()
            + 2.0 * j * c.film_resistance,
    )
}

/// Small-signal (j → 0) DC resistance of the cell per area: L/κ + 2R_ct + 2R_f + R_d, with
/// R_ct = RT/(F j0) and R_d = 2RT(1 − t₊)²L/(F²Dc₀) the salt-diffusion resistance [Ω·m²].
pub fn dc_resistance(c: &ConstantCell) -> f64 {
    let rt_f = GAS_CONSTANT * c.temperature / FARADAY;
    let r_ct = rt_f / c.exchange_current_density;
    c.thickness / c.conductivity + 2.0 * r_ct + 2.0 * c.film_resistance + diffusion_resistance(c)
}

/// Salt-diffusion resistance R_d = 2RT(1 − t₊)²L/(F²Dc₀) [Ω·m²].
pub fn diffusion_resistance(c: &ConstantCell) -> f64 {
    let tm = 1.0 - c.transference_number;
    2.0 * GAS_CONSTANT * c.temperature * tm * tm * c.thickness / (FARADAY * FARADAY * c.diffusivity * c.c0)
}
