//! Interface kinetics: Butler-Volmer kinetics of the Li | electrolyte interface ([`ButlerVolmer`]),
//! its α = ½ closed forms, and the exchange current density of an insertion electrode.
//!
//! ```text
//! J = j0(c, T) · [exp(αa f η) − exp(−αc f η)],    f = F/(RT)
//! j0(c, T) = j0_ref · (c/c_ref)^γ · exp(−Ea/R · (1/T − 1/T_ref))
//! αa = αc = ½:  J = 2 j0 sinh(f η/2),  η = (2/f) asinh(J/(2 j0))
//! insertion electrode:  j0 = k √(c_e c_s (c_max − c_s))
//! ```
//!
//! J is the anodic (stripping) current density of that electrode. For αa = αc = α the overpotential
//! has the closed form η = asinh(J/(2 j0)) / (α f); otherwise η is found by a safeguarded Newton
//! iteration (the residual is monotone in η, so a bracket always exists).

use spelab_core::constants::{FARADAY, GAS_CONSTANT, T_REF};

use super::transport::arrhenius_factor;
use crate::error::{check_param, SimError};

/// Butler-Volmer parameters of one Li | electrolyte interface (both electrodes of a symmetric cell
/// share them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ButlerVolmer {
    /// Exchange current density at `reference_concentration` and `reference_temperature` [A/m²].
    pub exchange_current_density: f64,
    /// Anodic transfer coefficient αa [1].
    pub alpha_anodic: f64,
    /// Cathodic transfer coefficient αc [1].
    pub alpha_cathodic: f64,
    /// Exponent γ of j0 ∝ (c/c_ref)^γ [1]; 0.5 for αa = αc = 0.5 in dilute theory.
    pub concentration_exponent: f64,
    /// Concentration at which j0 = `exchange_current_density` [mol/m³].
    pub reference_concentration: f64,
    /// Activation energy of j0 [J/mol].
    pub activation_energy: f64,
    /// Temperature at which j0 = `exchange_current_density` [K].
    pub reference_temperature: f64,
}

impl ButlerVolmer {
    /// Symmetric kinetics (αa = αc = 0.5, j0 ∝ √c) with j0 given at c_ref and 298.15 K, no temperature
    /// dependence.
    pub fn symmetric(exchange_current_density: f64, reference_concentration: f64) -> Self {
        Self {
            exchange_current_density,
            alpha_anodic: 0.5,
            alpha_cathodic: 0.5,
            concentration_exponent: 0.5,
            reference_concentration,
            activation_energy: 0.0,
            reference_temperature: T_REF,
        }
    }

    /// Checks ranges: j0 > 0, α's in (0, 1], γ ≥ 0, c_ref > 0, Ea ≥ 0, T_ref > 0.
    pub fn validate(&self) -> Result<(), SimError> {
        let j0 = self.exchange_current_density;
        check_param("exchange_current_density", j0, j0 > 0.0, "> 0 A/m2")?;
        let (aa, ac) = (self.alpha_anodic, self.alpha_cathodic);
        check_param("alpha_anodic", aa, aa > 0.0 && aa <= 1.0, "in (0, 1]")?;
        check_param("alpha_cathodic", ac, ac > 0.0 && ac <= 1.0, "in (0, 1]")?;
        let g = self.concentration_exponent;
        check_param("concentration_exponent", g, g >= 0.0, ">= 0")?;
        let c = self.reference_concentration;
        check_param("reference_concentration", c, c > 0.0, "> 0 mol/m3")?;
        let ea = self.activation_energy;
        check_param("kinetics activation_energy", ea, ea >= 0.0, ">= 0 J/mol")?;
        let t = self.reference_temperature;
        check_param("kinetics reference_temperature", t, t > 0.0, "> 0 K")
    }

    /// j0 at concentration `c` [mol/m³] and temperature [K] [A/m²]. Non-positive c gives 0.
    pub fn exchange_current_density_at(&self, c: f64, temperature: f64) -> f64 {
        let ratio = (c / self.reference_concentration).max(0.0);
        self.exchange_current_density
            * ratio.powf(self.concentration_exponent)
            * arrhenius_factor(self.activation_energy, temperature, self.reference_temperature)
    }

    /// Overpotential η [V] that drives anodic current density `j` [A/m²] through an interface with
    /// exchange current density `j0` [A/m²] at `temperature` [K]. `j0 = 0` gives ±∞.
    pub fn overpotential(&self, j: f64, j0: f64, temperature: f64) -> f64 {
        let f = FARADAY / (GAS_CONSTANT * temperature);
        if j == 0.0 {
            return 0.0;
        }
        if j0 <= 0.0 {
            return f64::INFINITY.copysign(j);
        }
        let (aa, ac) = (self.alpha_anodic, self.alpha_cathodic);
        if aa == ac {
            return (j / (2.0 * j0)).asinh() / (aa * f);
        }
        // Newton on g(η) = exp(aa f η) − exp(−ac f η) − j/j0, monotone increasing; start from the
        // Tafel branch of the dominant direction, keep a bracket [lo, hi] and bisect when Newton leaves it.
        let r = j / j0;
        // expm1 avoids the cancellation of exp(x) − exp(−y) near η = 0.
        let g = |eta: f64| (aa * f * eta).exp_m1() - (-ac * f * eta).exp_m1() - r;
        let dg = |eta: f64| aa * f * (aa * f * eta).exp() + ac * f * (-ac * f * eta).exp();
        let (mut lo, mut hi) =
            if r > 0.0 { (0.0, (1.0 + r).ln() / (aa * f)) } else { ((1.0 - r).ln() / -(ac * f), 0.0) };
        let mut eta = 0.5 * (lo + hi);
        for _ in 0..200 {
            let gv = g(eta);
            if gv > 0.0 {
                hi = eta;
            } else {
                lo = eta;
            }
            let mut next = eta - gv / dg(eta);
            if !(next > lo && next < hi) {
                next = 0.5 * (lo + hi);
            }
            if (next - eta).abs() <= 4.0 * f64::EPSILON * eta.abs() {
                return next;
            }
            eta = next;
        }
        eta
    }

    /// Charge-transfer resistance of one electrode from the linearised law, R_ct = 1/((αa+αc) f j0)
    /// at concentration c and temperature [Ω·m²]; RT/(F j0) for αa + αc = 1.
    pub fn charge_transfer_resistance(&self, c: f64, temperature: f64) -> f64 {
        let f = FARADAY / (GAS_CONSTANT * temperature);
        1.0 / ((self.alpha_anodic + self.alpha_cathodic)
            * f
            * self.exchange_current_density_at(c, temperature))
    }
}

/// Butler-Volmer current density with αa = αc = ½, J = 2 j0 sinh(f η/2), for exchange current
/// density `j0` [A/m²], f = F/(RT) `f` [1/V] and overpotential `eta` [V] [A/m²].
pub fn symmetric_current(j0: f64, f: f64, eta: f64) -> f64 {
    2.0 * j0 * (0.5 * f * eta).sinh()
}

/// Overpotential that drives current density `j` [A/m²] through α = ½ Butler-Volmer kinetics,
/// η = (2/f) asinh(J/(2 j0)), for `j0` [A/m²] and `f` = F/(RT) [1/V] [V].
pub fn symmetric_overpotential(j: f64, j0: f64, f: f64) -> f64 {
    (2.0 / f) * (j / (2.0 * j0)).asinh()
}

/// Exchange current density of an insertion electrode, j0 = k √(c_e c_s (c_max − c_s)) [A/m²], for
/// rate constant `rate` k [A/m² (m³/mol)^1.5], electrolyte concentration `c_e`, surface concentration
/// `c_s` and maximum concentration `c_max` [mol/m³]; each of the three factors is floored at `floor`
/// [mol/m³] (0 for the value, a small positive floor where derivatives divide by them).
pub fn insertion_exchange_current_density(rate: f64, c_e: f64, c_s: f64, c_max: f64, floor: f64) -> f64 {
    rate * (c_e.max(floor) * c_s.max(floor) * (c_max - c_s).max(floor)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_invert_each_other() {
        let f = FARADAY / (GAS_CONSTANT * T_REF);
        let j = symmetric_current(2.0, f, 0.05);
        assert!((symmetric_overpotential(j, 2.0, f) - 0.05).abs() < 1e-15);
        // The general law with αa = αc = ½ gives the same overpotential (to rounding).
        let bv = ButlerVolmer::symmetric(2.0, 1000.0);
        assert!((bv.overpotential(j, 2.0, T_REF) - 0.05).abs() < 1e-15);
        // j0 = k √(c_e c_s (c_max − c_s)); a negative factor counts as the floor.
        assert_eq!(insertion_exchange_current_density(2.0, 4.0, 1.0, 5.0, 0.0), 8.0);
        assert_eq!(insertion_exchange_current_density(2.0, 4.0, 6.0, 5.0, 0.0), 0.0);
    }

    #[test]
    fn asymmetric_newton_inverts_butler_volmer() {
        let bv =
            ButlerVolmer { alpha_anodic: 0.3, alpha_cathodic: 0.7, ..ButlerVolmer::symmetric(2.0, 1000.0) };
        let f = FARADAY / (GAS_CONSTANT * T_REF);
        for &j in &[-500.0, -3.0, -1e-6, 1e-6, 0.7, 40.0, 1e4] {
            let eta = bv.overpotential(j, 2.0, T_REF);
            let back = 2.0 * ((0.3 * f * eta).exp_m1() - (-0.7 * f * eta).exp_m1());
            // Newton stops at a relative change of 4 ulp in η; the current then matches to ~1e-13 relative.
            assert!((back - j).abs() <= 1e-10 * j.abs(), "j {j}: back {back}");
        }
    }

    #[test]
    fn symmetric_case_matches_asinh_and_equal_alphas_agree_with_newton_limit() {
        let bv = ButlerVolmer::symmetric(1.0, 1000.0);
        let f = FARADAY / (GAS_CONSTANT * T_REF);
        let eta = bv.overpotential(10.0, 1.0, T_REF);
        assert!((eta - 2.0 / f * 5.0f64.asinh()).abs() < 1e-15);
        // Nearly equal alphas go through Newton and must agree with the closed form to O(Δα).
        let near = ButlerVolmer { alpha_anodic: 0.5 + 1e-9, ..bv };
        assert!((near.overpotential(10.0, 1.0, T_REF) - eta).abs() < 1e-8);
    }
}
