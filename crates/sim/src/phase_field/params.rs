//! Phase-field parameters in SI units ([`Parameters`]) and their mapping from a measured material
//! (phasefield.md §4): σ enters the charge equation directly, t₊ and σ give D₊ and D_amb by
//! Nernst-Einstein, i₀ gives L_η through the travelling-front invariant i₀ = 6nFc_sℓL_η.
//!
//! That invariant differs from phasefield.md §4 item 3 (5ℓ = ∫h'(ξ)dx, the instantaneous rate of
//! an undeformed tanh front): a steadily moving Allen-Cahn front reshapes until the solvability
//! condition v∫ξ'²dx = ∫S ξ'dx holds, which with S = L_ηB h'(ξ) gives v = L_ηB/∫ξ'²dx = 6ℓL_ηB
//! (measured: the 5ℓ mapping recovers 1.18 i₀, the 6ℓ one i₀ within 1 %).
//!
//! The liquid-electrolyte decks' interface mobility L_σ = 2.5e-6 m³ J⁻¹ s⁻¹ (§2) makes capillary
//! motion Lσκ₀/R ≈ 0.4 µm/s at R = 5 µm, 300 times the deposition speed of 1 mA/cm² (1.36 nm/s):
//! any nucleus dissolves within seconds and the explicit step is 6 ms. The SPE default is 1e-8,
//! the largest value that keeps the interface relaxation L_σW = 0.03 s⁻¹ well above the reaction
//! rate L_ηB ≈ 5e-4 s⁻¹ at 1 mA/cm² (so the 6ℓ invariant holds) while capillarity at R = 1 µm
//! (15 nm/s) stays within an order of magnitude of deposition. It is not measured: a parameter to
//! fit on PVH-IM only (Taghavian et al. arXiv 2502.08292: the interface mobility is the key knob).
//!
//! | symbol | field | default | source |
//! |---|---|---|---|
//! | L_σ | `interface_mobility` | 1e-8 m³ J⁻¹ s⁻¹ | see above (liquid decks: 2.5e-6) |
//! | γ | `interface_energy` | 0.5 J m⁻² | §4.1 |
//! | ℓ | `interface_width` | 0.5 µm | §4.1 (W = 3γ/ℓ, κ₀ = 2Wℓ²) |
//! | δ | `anisotropy_strength` | 0.05 (mode 4) | §4.1 |
//! | α | `transfer_coefficient` | 0.5 | §2 |
//! | c_s | `site_density` | 7.64e4 mol m⁻³ | §2 |
//! | c₀ | `bulk_concentration` | 1000 mol m⁻³ (assumed 1 M) | §4.1 |

use spelab_core::constants::{FARADAY, GAS_CONSTANT};

use super::PhaseFieldError;
use crate::params::MaterialParams;

/// Which transport equations the model solves (phasefield.md §1.1 or §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Electroneutral binary salt with t₊ (§1.3): salt diffusion with D_amb, a (1 − t₊) sink, the
    /// Li-reference potential with the diffusion-potential term. The default for PVH vs PVH-IM.
    Electroneutral,
    /// Chen et al. 2015 (§1.1): Nernst-Planck for Li⁺ with D₊ and migration (Scharfetter-Gummel
    /// fluxes), the full c_s/c₀ sink, the electrostatic potential, Butler-Volmer with the c̃ factor.
    Chen2015,
}

/// The solid-electrolyte interphase at the three levels of phasefield.md §4 item 6; they combine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interphase {
    /// (a) Lumped series resistance R_SEI per area; lowers the apparent exchange current to
    /// i₀/(1 + i₀R_SEI·nF/RT) [Ω m²].
    pub resistance: f64,
    /// (b) Explicit layer: ionic conductivity of the SEI layer on the electrolyte side of the
    /// interface, 0 for none [S/m].
    pub layer_conductivity: f64,
    /// (b) Physical layer thickness δ_SEI; the layer is resolved over `layer_cells` cells and its
    /// conductivity scaled so that its resistance is δ_SEI/σ_SEI [m].
    pub layer_thickness: f64,
    /// (c) Coefficient of variation of the log-normal lateral field multiplying L_η(y) [1].
    pub heterogeneity_cv: f64,
    /// (c) Correlation length of that field [m].
    pub correlation_length: f64,
}

impl Default for Interphase {
    /// No interphase: zero resistance, no layer, a uniform surface (CV 0, correlation 3 µm).
    fn default() -> Self {
        Self {
            resistance: 0.0,
            layer_conductivity: 0.0,
            layer_thickness: 0.0,
            heterogeneity_cv: 0.0,
            correlation_length: 3e-6,
        }
    }
}

/// The physical parameters of the phase-field model, SI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Parameters {
    /// Interface mobility L_σ [m³/(J s)].
    pub interface_mobility: f64,
    /// Li | electrolyte interface energy γ [J/m²].
    pub interface_energy: f64,
    /// Interface width ℓ = √(κ₀/2W) [m].
    pub interface_width: f64,
    /// Anisotropy strength δ of κ(θ) = κ₀[1 + δ cos 4(θ − θ₀)] [1].
    pub anisotropy_strength: f64,
    /// Anisotropy angle θ₀ [rad].
    pub anisotropy_angle: f64,
    /// Charge-transfer coefficient α [1].
    pub transfer_coefficient: f64,
    /// Exchange current density i₀ at c₀ [A/m²].
    pub exchange_current_density: f64,
    /// Molar site density of Li metal c_s [mol/m³].
    pub site_density: f64,
    /// Bulk salt (Li⁺) concentration c₀ [mol/m³].
    pub bulk_concentration: f64,
    /// Li⁺ transference number t₊ [1].
    pub transference_number: f64,
    /// Ionic conductivity of the electrolyte σ [S/m].
    pub conductivity: f64,
    /// Ionic conductivity inside the metal as a fraction of σ (keeps the electrolyte potential defined
    /// there; phasefield.md §7) [1].
    pub metal_conductivity_ratio: f64,
    /// Electronic conductivity of the electrolyte; its leakage current bypasses deposition [S/m].
    pub electronic_conductivity: f64,
    /// Temperature [K].
    pub temperature: f64,
    /// Membrane thickness L (anode surface to counter electrode) [m].
    pub thickness: f64,
    /// Which transport equations are solved.
    pub transport: Transport,
    /// The interphase (SEI).
    pub interphase: Interphase,
    /// Relative amplitude of the seeded noise on the local reaction rate (Hong uses 0.04) [1].
    pub noise_amplitude: f64,
}

impl Default for Parameters {
    /// The liquid-like reference set of phasefield.md §2/§4.1 with PVH-IM transport; see the table
    /// in the module docs.
    fn default() -> Self {
        Self {
            interface_mobility: 1e-8,
            interface_energy: 0.5,
            interface_width: 0.5e-6,
            anisotropy_strength: 0.05,
            anisotropy_angle: 0.0,
            transfer_coefficient: 0.5,
            exchange_current_density: 0.67,
            site_density: 7.64e4,
            bulk_concentration: 1000.0,
            transference_number: 0.49,
            conductivity: 0.123,
            metal_conductivity_ratio: 1e-3,
            electronic_conductivity: 0.0,
            temperature: 298.15,
            thickness: 100e-6,
            transport: Transport::Electroneutral,
            interphase: Interphase::default(),
            noise_amplitude: 0.0,
        }
    }
}

impl Parameters {
    /// Parameters of a measured material (phasefield.md §4.1): σ, t₊, i₀, σ_e, thickness and
    /// temperature from `material`, c₀ = 1 M assumed, everything else the shared defaults.
    pub fn from_material(material: &MaterialParams) -> Self {
        Self {
            conductivity: material.ionic_conductivity_at(material.temperature),
            transference_number: material.transference_number,
            exchange_current_density: material.exchange_current_density,
            electronic_conductivity: material.electronic_conductivity,
            thickness: material.thickness,
            temperature: material.temperature,
            ..Self::default()
        }
    }

    /// Checks every value is finite and in range.
    pub fn validate(&self) -> Result<(), PhaseFieldError> {
        let positive = [
            ("interface_mobility", self.interface_mobility),
            ("interface_energy", self.interface_energy),
            ("interface_width", self.interface_width),
            ("site_density", self.site_density),
            ("bulk_concentration", self.bulk_concentration),
            ("conductivity", self.conductivity),
            ("metal_conductivity_ratio", self.metal_conductivity_ratio),
            ("temperature", self.temperature),
            ("thickness", self.thickness),
            ("correlation_length", self.interphase.correlation_length),
        ];
        for (name, v) in positive {
            check(name, v, v > 0.0, "> 0")?;
        }
        let non_negative = [
            ("exchange_current_density", self.exchange_current_density),
            ("electronic_conductivity", self.electronic_conductivity),
            ("noise_amplitude", self.noise_amplitude),
            ("sei_resistance", self.interphase.resistance),
            ("sei_layer_conductivity", self.interphase.layer_conductivity),
            ("sei_layer_thickness", self.interphase.layer_thickness),
            ("sei_heterogeneity_cv", self.interphase.heterogeneity_cv),
        ];
        for (name, v) in non_negative {
            check(name, v, v >= 0.0, ">= 0")?;
        }
        let t = self.transference_number;
        check("transference_number", t, t > 0.0 && t <= 1.0, "in (0, 1]")?;
        let a = self.transfer_coefficient;
        check("transfer_coefficient", a, a > 0.0 && a < 1.0, "in (0, 1)")?;
        let d = self.anisotropy_strength;
        check("anisotropy_strength", d, (0.0..0.5).contains(&d), "in [0, 0.5)")?;
        check("anisotropy_angle", self.anisotropy_angle, true, "finite")?;
        let i = &self.interphase;
        if i.layer_conductivity > 0.0 && i.layer_thickness <= 0.0 {
            return Err(PhaseFieldError::Invalid {
                name: "sei_layer_thickness",
                value: i.layer_thickness,
                expected: "> 0 when a layer conductivity is given",
            });
        }
        Ok(())
    }

    /// Double-well height W = 3γ/ℓ [J/m³].
    pub fn well_height(&self) -> f64 {
        3.0 * self.interface_energy / self.interface_width
    }

    /// Gradient-energy coefficient κ₀ = 2Wℓ² [J/m].
    pub fn gradient_coefficient(&self) -> f64 {
        2.0 * self.well_height() * self.interface_width * self.interface_width
    }

    /// F/RT [1/V].
    pub fn f(&self) -> f64 {
        FARADAY / (GAS_CONSTANT * self.temperature)
    }

    /// Apparent exchange current density with the lumped SEI resistance,
    /// i₀/(1 + i₀R_SEI·F/RT) [A/m²].
    pub fn apparent_exchange_current_density(&self) -> f64 {
        let i0 = self.exchange_current_density;
        i0 / (1.0 + i0 * self.interphase.resistance * self.f())
    }

    /// Reaction coefficient L_η = i₀,app/(6nFc_sℓ) (travelling-front invariant, module docs) [1/s].
    pub fn reaction_coefficient(&self) -> f64 {
        self.apparent_exchange_current_density() / (6.0 * FARADAY * self.site_density * self.interface_width)
    }

    /// Sum of the ionic diffusivities by Nernst-Einstein, D₊ + D₋ = σRT/(F²c₀) [m²/s].
    pub fn diffusivity_sum(&self) -> f64 {
        self.conductivity * GAS_CONSTANT * self.temperature / (FARADAY * FARADAY * self.bulk_concentration)
    }

    /// Li⁺ diffusivity D₊ = t₊(D₊ + D₋) [m²/s].
    pub fn cation_diffusivity(&self) -> f64 {
        self.transference_number * self.diffusivity_sum()
    }

    /// Ambipolar salt diffusivity D_amb = 2t₊(1 − t₊)(D₊ + D₋) [m²/s].
    pub fn salt_diffusivity(&self) -> f64 {
        let t = self.transference_number;
        2.0 * t * (1.0 - t) * self.diffusivity_sum()
    }

    /// Diffusivity solved for in the concentration equation: D_amb (§1.3) or D₊ (§1.1) [m²/s].
    pub fn transport_diffusivity(&self) -> f64 {
        match self.transport {
            Transport::Electroneutral => self.salt_diffusivity(),
            Transport::Chen2015 => self.cation_diffusivity(),
        }
    }

    /// Transport-limited current of the symmetric cell, J_lim = 4t₊σRT/(FL) [A/m²].
    pub fn limiting_current_density(&self) -> f64 {
        let t = self.transference_number;
        if t >= 1.0 {
            return f64::INFINITY;
        }
        2.0 * FARADAY * self.salt_diffusivity() * self.bulk_concentration / ((1.0 - t) * self.thickness)
    }

    /// Deposited thickness per charge, 1/(nFc_s) [m per C/m²].
    pub fn thickness_per_charge(&self) -> f64 {
        1.0 / (FARADAY * self.site_density)
    }
}

fn check(name: &'static str, value: f64, ok: bool, expected: &'static str) -> Result<(), PhaseFieldError> {
    if value.is_finite() && ok {
        Ok(())
    } else {
        Err(PhaseFieldError::Invalid { name, value, expected })
    }
}
