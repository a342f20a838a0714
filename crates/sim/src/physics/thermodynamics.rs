//! Thermodynamics of the binary salt (dilute theory, thermodynamic factor 1 unless a model says
//! otherwise): the thermal factor f = F/(RT) and the diffusion (concentration) potential between two
//! salt concentrations,
//!
//! ```text
//! Δφ_d = (2RT/F) ∫_{c_low}^{c_high} (1 − t₊(c)) d ln c     (= (2RT/F)(1 − t₊) ln(c_high/c_low) for constant t₊)
//! ```

use spelab_core::constants::{FARADAY, GAS_CONSTANT};

use super::transport::Transport;

/// f = F/(RT) at `temperature` [K] [1/V].
pub fn inverse_thermal_voltage(temperature: f64) -> f64 {
    FARADAY / (GAS_CONSTANT * temperature)
}

/// Diffusion potential (2RT/F) ∫_{c_low}^{c_high} (1 − t₊(c))/c dc of the salt with transport `tr`
/// at `temperature` [K] [V]: the closed form for concentration-independent t₊ (taken at
/// `c_ref` [mol/m³]), else Simpson's rule with 64 intervals in ln c (the integrand is smooth in ln c).
/// Concentrations in mol/m³.
pub fn diffusion_potential(tr: &dyn Transport, c_low: f64, c_high: f64, c_ref: f64, temperature: f64) -> f64 {
    let t = temperature;
    let k = 2.0 * GAS_CONSTANT * t / FARADAY;
    let (a, b) = (c_low.ln(), c_high.ln());
    if tr.is_concentration_independent() {
        return k * (1.0 - tr.transference_number(c_ref, t)) * (b - a);
    }
    let n = 64;
    let h = (b - a) / n as f64;
    let g = |u: f64| 1.0 - tr.transference_number(u.exp(), t);
    let mut sum = g(a) + g(b);
    for i in 1..n {
        sum += if i % 2 == 1 { 4.0 } else { 2.0 } * g(a + i as f64 * h);
    }
    k * sum * h / 3.0
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::physics::{ArrheniusTransport, FnTransport};

    #[test]
    fn simpson_matches_the_closed_form_for_constant_t_plus() {
        let constant = ArrheniusTransport::constant(0.1, 1e-11, 0.3);
        let closure = FnTransport {
            conductivity: Arc::new(|_c, _t| 0.1),
            diffusivity: Arc::new(|_c, _t| 1e-11),
            transference_number: Arc::new(|_c, _t| 0.3),
        };
        let exact = diffusion_potential(&constant, 500.0, 1500.0, 1000.0, 298.15);
        let simpson = diffusion_potential(&closure, 500.0, 1500.0, 1000.0, 298.15);
        // A constant integrand: Simpson's rule is exact up to rounding of 65 terms.
        assert!((exact - simpson).abs() < 1e-14, "{exact} {simpson}");
        let k = 2.0 / inverse_thermal_voltage(298.15);
        assert!((exact - k * 0.7 * 3f64.ln()).abs() < 1e-15);
    }
}
