//! Parameters of the LFP | electrolyte | Li-metal full cell ([`FullCell`]): the cathode (porous
//! electrode of spherical particles), the separator (for an SPE: the dense membrane), the electrolyte
//! (the same [`Transport`] trait as the symmetric cell), the Li-metal counter electrode and the
//! operating window. SI units throughout.
//!
//! [`FullCell::prada2013`] builds the reference half cells of `shared/docs/cellmodel.md` §2-3 (PyBaMM's
//! Prada2013 LFP with a Li-metal electrode: `liquid`, `spe_A`, `spe_B`), so that every model here can be
//! checked against the PyBaMM curves on the same parameters.
//!
//! ```
//! use spelab_sim::fullcell::{FullCell, ReferenceElectrolyte};
//! let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA)?;
//! // 1C = eps_s L cmax F / 3600 s = 18.29 A/m2 and 169.9 mAh/g (cellmodel.md §3).
//! assert!((cell.one_c_current_density() - 18.288138603087586).abs() < 1e-9);
//! assert!((cell.theoretical_specific_capacity_mah_g() - 169.9).abs() < 0.05);
//! # Ok::<(), spelab_sim::SimError>(())
//! ```

use std::fmt;
use std::sync::Arc;

use spelab_core::constants::{FARADAY, T_REF};

use crate::error::{check_param, SimError};
use crate::physics::{
    arrhenius_factor, insertion_exchange_current_density, inverse_thermal_voltage,
    nernst_einstein_diffusivity, ArrheniusTransport, ButlerVolmer, FnTransport, Transport,
};

/// Molar mass of LiFePO4 [kg/mol] (157.757 g/mol), for capacities in mAh/g.
pub const LFP_MOLAR_MASS: f64 = 0.157757;

/// Open-circuit potential of the cathode vs Li/Li⁺ as a function of stoichiometry x = c_s/c_max.
#[derive(Clone)]
pub enum Ocp {
    /// Prada et al. (2013) LFP: `U(x) = 3.4077 − 0.020269 x + 0.5 exp(−150 x) − 0.9 exp(−30 (1 − x))`.
    Prada2013Lfp,
    /// A user function of x [V].
    Function(Arc<dyn Fn(f64) -> f64 + Send + Sync>),
}

impl Ocp {
    /// U(x) [V].
    pub fn potential(&self, x: f64) -> f64 {
        match self {
            Ocp::Prada2013Lfp => {
                3.4077 - 0.020269 * x + 0.5 * (-150.0 * x).exp() - 0.9 * (-30.0 * (1.0 - x)).exp()
            }
            Ocp::Function(f) => f(x),
        }
    }

    /// dU/dx [V], analytic for the built-in curve, central difference (h = 1e-6) otherwise.
    pub fn slope(&self, x: f64) -> f64 {
        match self {
            Ocp::Prada2013Lfp => -0.020269 - 75.0 * (-150.0 * x).exp() - 27.0 * (-30.0 * (1.0 - x)).exp(),
            Ocp::Function(f) => (f(x + 1e-6) - f(x - 1e-6)) / 2e-6,
        }
    }
}

impl fmt::Debug for Ocp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ocp::Prada2013Lfp => f.write_str("Prada2013Lfp"),
            Ocp::Function(_) => f.write_str("Function(..)"),
        }
    }
}

/// The porous cathode: active particles (radius R_p) in a conducting matrix, pores filled with the
/// electrolyte.
#[derive(Debug, Clone)]
pub struct Cathode {
    /// Thickness L_p [m].
    pub thickness: f64,
    /// Electrolyte volume fraction (porosity) ε [1].
    pub porosity: f64,
    /// Active-material volume fraction ε_s [1].
    pub active_fraction: f64,
    /// Bruggeman exponent b of the electrolyte transport efficiency ε^b [1].
    pub bruggeman_electrolyte: f64,
    /// Bruggeman exponent b of the solid conductivity σ (1 − ε)^b [1] (PyBaMM's convention: the whole
    /// solid fraction 1 − ε, binder and carbon included, conducts).
    pub bruggeman_electrode: f64,
    /// Solid-phase conductivity σ_s (before the Bruggeman factor) [S/m].
    pub conductivity: f64,
    /// Particle radius R_p [m].
    pub particle_radius: f64,
    /// Solid diffusivity D_s [m²/s].
    pub particle_diffusivity: f64,
    /// Maximum concentration c_max [mol/m³].
    pub max_concentration: f64,
    /// Open-circuit potential U(x).
    pub ocp: Ocp,
    /// Reaction rate m_ref of `j0 = m_ref √(c_e c_s (c_max − c_s))` at `T_REF` [A/m² (m³/mol)^1.5].
    pub reaction_rate: f64,
    /// Activation energy of m_ref [J/mol].
    pub reaction_activation_energy: f64,
    /// Molar mass of the active material [kg/mol] (for mAh/g).
    pub molar_mass: f64,
    /// Fraction of the weighed active material that takes part in the reaction [1] (1 = all; the rest
    /// is electrically or ionically isolated). The model's particles are the active part
    /// (`active_fraction`); specific capacities and the 1C current count the weighed material, so a
    /// utilisation u caps the specific capacity at u × 169.9 mAh/g for LFP.
    pub utilisation: f64,
}

impl Cathode {
    /// Specific surface area a = 3 ε_s / R_p [1/m].
    pub fn specific_area(&self) -> f64 {
        3.0 * self.active_fraction / self.particle_radius
    }

    /// Exchange current density j0 = m_ref(T) √(c_e c_s (c_max − c_s)) [A/m²]; 0 outside the ranges.
    pub fn exchange_current_density(&self, c_e: f64, c_s_surf: f64, temperature: f64) -> f64 {
        let rate = self.reaction_rate * arrhenius_factor(self.reaction_activation_energy, temperature, T_REF);
        insertion_exchange_current_density(rate, c_e, c_s_surf, self.max_concentration, 0.0)
    }
}

/// The separator between the Li foil and the cathode: a porous film wetted by a liquid, or the dense SPE
/// membrane itself (porosity 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Separator {
    /// Thickness L_s [m].
    pub thickness: f64,
    /// Electrolyte volume fraction ε [1] (1 for a dense SPE membrane).
    pub porosity: f64,
    /// Bruggeman exponent [1].
    pub bruggeman: f64,
}

/// The electrolyte (liquid or polymer): binary salt, dilute theory plus a thermodynamic factor.
#[derive(Debug, Clone)]
pub struct Electrolyte {
    /// κ(c, T), D(c, T), t₊(c, T).
    pub transport: Arc<dyn Transport>,
    /// Initial (and reference) salt concentration c₀ [mol/m³].
    pub initial_concentration: f64,
    /// Thermodynamic factor 1 + d ln f± / d ln c [1].
    pub thermodynamic_factor: f64,
}

/// The Li-metal counter electrode: Butler-Volmer kinetics with j0(c_e), the foil's ohmic drop and an
/// optional interface film.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LithiumMetal {
    /// Li | electrolyte kinetics; c_e at the interface enters j0 through its concentration exponent.
    pub kinetics: ButlerVolmer,
    /// Foil thickness [m].
    pub thickness: f64,
    /// Foil conductivity [S/m].
    pub conductivity: f64,
    /// Interface film (SEI) resistance [Ω·m²] in series with the Li interface.
    pub film_resistance: f64,
}

/// A Li-metal | electrolyte | porous-cathode cell and its operating window.
#[derive(Debug, Clone)]
pub struct FullCell {
    /// The porous cathode.
    pub cathode: Cathode,
    /// The separator / SPE membrane.
    pub separator: Separator,
    /// The electrolyte filling separator and cathode pores.
    pub electrolyte: Electrolyte,
    /// The Li-metal counter electrode.
    pub lithium: LithiumMetal,
    /// Cell temperature [K].
    pub temperature: f64,
    /// Electrode area [m²] (currents in reports: A = current density × area).
    pub area: f64,
    /// Lower voltage cut-off [V].
    pub voltage_min: f64,
    /// Upper voltage cut-off [V].
    pub voltage_max: f64,
    /// Area-specific series resistance of the cathode | electrolyte contact [Ω·m²] (a lumped ohmic
    /// drop i R_c, e.g. a poorly wetted cathode / SPE interface or the current collector contact); 0 in
    /// the reference cells.
    pub contact_resistance: f64,
}

/// The electrolytes of the PyBaMM reference cases (cellmodel.md §2-3, `cases.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceElectrolyte {
    /// Prada2013's LiPF6 in EC:EMC, c₀ = 1200 mol/m³, κ(c) polynomial, D = 2e-10 m²/s, t₊ = 0.36; 25 µm
    /// separator (ε 0.45, b 1.5); Li j0 of Xu2019 (3.5e-8 F c_Li^0.7 c_e^0.3).
    Liquid,
    /// SPE A: σ = 1.23 mS/cm, t₊ = 0.49 (the paper's PVH-IM), D by Nernst-Einstein, c₀ = 1000, 100 µm
    /// dense membrane, Li j0 = 1 A/m² √(c_e/c₀).
    SpeA,
    /// SPE B: σ = 0.36 mS/cm, t₊ = 0.19 (the paper's PVH), otherwise as SPE A.
    SpeB,
}

/// Liquid electrolyte conductivity of Prada2013 [S/m], c in mol/m³.
fn prada_conductivity(c: f64) -> f64 {
    let x = c / 1e6;
    (4.1253e-4 + 5.007 * x - 4721.2 * x * x + 1.5094e6 * x.powi(3) - 1.6018e8 * x.powi(4)) * 1e3
}

impl FullCell {
    /// The PyBaMM reference half cell of cellmodel.md §3 (Prada2013 LFP, 80 µm, ε_s 0.374, R_p 50 nm,
    /// D_s 5.9e-18 m²/s, c_max 22806 mol/m³; Li foil 50 µm; 1 cm²; 2.5-4.0 V; 298.15 K) with the chosen
    /// electrolyte.
    pub fn prada2013(electrolyte: ReferenceElectrolyte) -> Result<Self, SimError> {
        let cathode = Cathode {
            thickness: 80e-6,
            porosity: 0.426,
            active_fraction: 0.374,
            bruggeman_electrolyte: 1.5,
            bruggeman_electrode: 1.5,
            conductivity: 0.33795074,
            particle_radius: 5e-8,
            particle_diffusivity: 5.9e-18,
            max_concentration: 22806.0,
            ocp: Ocp::Prada2013Lfp,
            reaction_rate: 6e-7,
            reaction_activation_energy: 39570.0,
            molar_mass: LFP_MOLAR_MASS,
            utilisation: 1.0,
        };
        let (separator, electrolyte, lithium_j0) = match electrolyte {
            ReferenceElectrolyte::Liquid => {
                let transport = FnTransport {
                    conductivity: Arc::new(|c, _t| prada_conductivity(c)),
                    diffusivity: Arc::new(|_c, _t| 2e-10),
                    transference_number: Arc::new(|_c, _t| 0.36),
                };
                let c0: f64 = 1200.0;
                // Xu2019: j0 = 3.5e-8 F c_Li^0.7 c_e^0.3 with c_Li = 1/1.3e-5 mol/m3.
                let c_li: f64 = 1.0 / 1.3e-5;
                let j0_ref = 3.5e-8 * FARADAY * c_li.powf(0.7) * c0.powf(0.3);
                let mut bv = ButlerVolmer::symmetric(j0_ref, c0);
                bv.concentration_exponent = 0.3;
                (
                    Separator { thickness: 25e-6, porosity: 0.45, bruggeman: 1.5 },
                    Electrolyte {
                        transport: Arc::new(transport),
                        initial_concentration: c0,
                        thermodynamic_factor: 1.0,
                    },
                    bv,
                )
            }
            ReferenceElectrolyte::SpeA | ReferenceElectrolyte::SpeB => {
                let (sigma, t_plus) =
                    if electrolyte == ReferenceElectrolyte::SpeA { (0.123, 0.49) } else { (0.036, 0.19) };
                let c0 = 1000.0;
                let d = nernst_einstein_diffusivity(sigma, t_plus, c0, T_REF);
                (
                    Separator { thickness: 100e-6, porosity: 1.0, bruggeman: 1.5 },
                    Electrolyte {
                        transport: Arc::new(ArrheniusTransport::constant(sigma, d, t_plus)),
                        initial_concentration: c0,
                        thermodynamic_factor: 1.0,
                    },
                    ButlerVolmer::symmetric(1.0, c0),
                )
            }
        };
        let cell = FullCell {
            cathode,
            separator,
            electrolyte,
            lithium: LithiumMetal {
                kinetics: lithium_j0,
                thickness: 50e-6,
                conductivity: 10776000.0,
                film_resistance: 0.0,
            },
            temperature: T_REF,
            area: 1e-4,
            voltage_min: 2.5,
            voltage_max: 4.0,
            contact_resistance: 0.0,
        };
        cell.validate()?;
        Ok(cell)
    }

    /// Theoretical areal capacity of the modelled (active) particles for x from 0 to 1: ε_s L_p c_max F
    /// [C/m²].
    pub fn theoretical_capacity(&self) -> f64 {
        let c = &self.cathode;
        c.active_fraction * c.thickness * c.max_concentration * FARADAY
    }

    /// Areal mass of the weighed active material ε_s L_p c_max M / u [kg/m²] (u the utilisation).
    pub fn active_mass_per_area(&self) -> f64 {
        let c = &self.cathode;
        c.active_fraction * c.thickness * c.max_concentration * c.molar_mass / c.utilisation
    }

    /// Theoretical specific capacity F / (3.6 M) [mAh/g] (169.9 mAh/g for LFP).
    pub fn theoretical_specific_capacity_mah_g(&self) -> f64 {
        FARADAY / (3.6 * self.cathode.molar_mass * 1000.0)
    }

    /// The 1C current density, theoretical capacity of the weighed active material / 1 h [A/m²]
    /// (the modelled capacity / u / 1 h).
    pub fn one_c_current_density(&self) -> f64 {
        self.theoretical_capacity() / self.cathode.utilisation / 3600.0
    }

    /// Converts an areal charge [C/m²] to specific capacity [mAh/g of active material].
    pub fn specific_capacity_mah_g(&self, charge_per_area: f64) -> f64 {
        // C/m2 -> mAh/m2 (/3.6), kg/m2 -> g/m2 (*1000).
        charge_per_area / 3.6 / (self.active_mass_per_area() * 1000.0)
    }

    /// Thermal voltage factor f = F/(RT) [1/V].
    pub fn f(&self) -> f64 {
        inverse_thermal_voltage(self.temperature)
    }

    /// Checks every parameter's range (finite, positive, fractions in (0, 1]).
    pub fn validate(&self) -> Result<(), SimError> {
        let c = &self.cathode;
        let pos = |name, v: f64| check_param(name, v, v > 0.0, "> 0");
        pos("cathode thickness", c.thickness)?;
        check_param("cathode porosity", c.porosity, c.porosity > 0.0 && c.porosity < 1.0, "in (0, 1)")?;
        check_param(
            "cathode active fraction",
            c.active_fraction,
            c.active_fraction > 0.0 && c.active_fraction + c.porosity <= 1.0 + 1e-12,
            "in (0, 1 - porosity]",
        )?;
        pos("cathode conductivity", c.conductivity)?;
        pos("particle radius", c.particle_radius)?;
        pos("particle diffusivity", c.particle_diffusivity)?;
        pos("max concentration", c.max_concentration)?;
        pos("reaction rate", c.reaction_rate)?;
        pos("molar mass", c.molar_mass)?;
        let u = c.utilisation;
        check_param("cathode utilisation", u, u > 0.0 && u <= 1.0, "in (0, 1]")?;
        let s = &self.separator;
        pos("separator thickness", s.thickness)?;
        check_param("separator porosity", s.porosity, s.porosity > 0.0 && s.porosity <= 1.0, "in (0, 1]")?;
        pos("initial electrolyte concentration", self.electrolyte.initial_concentration)?;
        pos("thermodynamic factor", self.electrolyte.thermodynamic_factor)?;
        self.lithium.kinetics.validate()?;
        pos("lithium thickness", self.lithium.thickness)?;
        pos("lithium conductivity", self.lithium.conductivity)?;
        let rf = self.lithium.film_resistance;
        check_param("lithium film resistance", rf, rf >= 0.0, ">= 0 ohm m2")?;
        let rc = self.contact_resistance;
        check_param("contact resistance", rc, rc >= 0.0, ">= 0 ohm m2")?;
        pos("temperature", self.temperature)?;
        pos("area", self.area)?;
        check_param(
            "voltage window",
            self.voltage_max - self.voltage_min,
            self.voltage_max > self.voltage_min,
            "voltage_max > voltage_min",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prada_ocp_slope_matches_finite_difference() {
        let ocp = Ocp::Prada2013Lfp;
        for x in [0.01, 0.2, 0.5, 0.9, 0.99] {
            let fd = (ocp.potential(x + 1e-7) - ocp.potential(x - 1e-7)) / 2e-7;
            assert!((ocp.slope(x) - fd).abs() < 1e-6 * fd.abs().max(1.0), "x = {x}");
        }
    }

    #[test]
    fn reference_cells_validate_and_match_pybamm_scalars() {
        for e in [ReferenceElectrolyte::Liquid, ReferenceElectrolyte::SpeA, ReferenceElectrolyte::SpeB] {
            let cell = FullCell::prada2013(e).unwrap();
            // PyBaMM's "Current function [A]" at 1C for 1 cm2: 1.8288138603087586 mA (PyBaMM's F is
            // 96485.33212, CODATA's 96485.33212331: 3e-11 relative).
            let i = cell.one_c_current_density() * cell.area;
            assert!((i / 0.0018288138603087586 - 1.0).abs() < 1e-10);
        }
        let b = FullCell::prada2013(ReferenceElectrolyte::SpeB).unwrap();
        // cases.py: SPE B D = 2.951e-12 m2/s by Nernst-Einstein.
        let d = b.electrolyte.transport.diffusivity(1000.0, T_REF);
        assert!((d / 2.9506488133903063e-12 - 1.0).abs() < 1e-9);
        // Liquid: kappa(1200) of Prada2013 and Xu2019's Li j0 at c0 (3.5e-8 F c_Li^0.7 c_e^0.3).
        let l = FullCell::prada2013(ReferenceElectrolyte::Liquid).unwrap();
        let j0 = l.lithium.kinetics.exchange_current_density_at(600.0, T_REF);
        let expect = 3.5e-8 * FARADAY * (1.0f64 / 1.3e-5).powf(0.7) * 600f64.powf(0.3);
        assert!((j0 / expect - 1.0).abs() < 1e-12);
    }
}
