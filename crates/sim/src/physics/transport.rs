//! Electrolyte transport properties κ(c, T), D(c, T), t₊(c, T): the [`Transport`] trait, constant
//! properties with Arrhenius temperature dependence ([`ArrheniusTransport`]) and user closures
//! ([`FnTransport`]).
//!
//! Arrhenius law used for every thermally activated property X ∈ {σ, D}:
//!
//! ```text
//! X(T) = X_ref · exp(−Ea/R · (1/T − 1/T_ref))
//! ```

use std::fmt;
use std::sync::Arc;

use spelab_core::constants::{FARADAY, GAS_CONSTANT, T_REF};

use crate::error::{check_param, SimError};

/// Concentration- and temperature-dependent transport of a binary salt in the membrane.
///
/// Every method takes the local salt concentration `c` [mol/m³] and the temperature `temperature`
/// [K]. Implementations must return finite, positive κ and D for c > 0 and t₊ in (0, 1].
pub trait Transport: Send + Sync + fmt::Debug {
    /// Ionic conductivity κ [S/m].
    fn conductivity(&self, c: f64, temperature: f64) -> f64;
    /// Salt diffusion coefficient D [m²/s].
    fn diffusivity(&self, c: f64, temperature: f64) -> f64;
    /// Cation transference number t₊ [1].
    fn transference_number(&self, c: f64, temperature: f64) -> f64;
    /// Whether κ, D and t₊ do not depend on c. The solver then skips the Picard iterations of the
    /// nonlinear problem (the discrete problem is linear). Default `false`.
    fn is_concentration_independent(&self) -> bool {
        false
    }
}

/// Multiplier `exp(−Ea/R·(1/T − 1/T_ref))` of the Arrhenius law [1].
pub fn arrhenius_factor(activation_energy: f64, temperature: f64, reference_temperature: f64) -> f64 {
    (-activation_energy / GAS_CONSTANT * (1.0 / temperature - 1.0 / reference_temperature)).exp()
}

/// Salt diffusion coefficient from conductivity and transference number by the ideal Nernst-Einstein
/// relation for a fully dissociated 1:1 salt [m²/s]:
/// `D₊ + D₋ = σRT/(F²c₀)`, `D₊ = t₊(D₊ + D₋)`, `D = 2D₊D₋/(D₊ + D₋)`, i.e. `D = 2t₊(1 − t₊)σRT/(F²c₀)`.
///
/// ```
/// // SPE A of cellmodel.md: 1.23 mS/cm, t+ = 0.49, c0 = 1000 mol/m³ -> 1.637e-11 m²/s.
/// let d = spelab_sim::physics::nernst_einstein_diffusivity(0.123, 0.49, 1000.0, 298.15);
/// assert!((d - 1.636996571e-11).abs() < 1e-19);
/// ```
pub fn nernst_einstein_diffusivity(conductivity: f64, t_plus: f64, c0: f64, temperature: f64) -> f64 {
    let sum = conductivity * GAS_CONSTANT * temperature / (FARADAY * FARADAY * c0);
    let (dp, dm) = (t_plus * sum, (1.0 - t_plus) * sum);
    2.0 * dp * dm / (dp + dm)
}

/// Concentration-independent κ, D, t₊ given at a reference temperature, with Arrhenius temperature
/// dependence of κ (activation energy `conductivity_activation_energy`) and D
/// (`diffusivity_activation_energy`); t₊ is taken as temperature independent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArrheniusTransport {
    /// κ at `reference_temperature` [S/m].
    pub conductivity_ref: f64,
    /// D at `reference_temperature` [m²/s].
    pub diffusivity_ref: f64,
    /// t₊ [1].
    pub transference_number: f64,
    /// Activation energy of κ [J/mol].
    pub conductivity_activation_energy: f64,
    /// Activation energy of D [J/mol].
    pub diffusivity_activation_energy: f64,
    /// Temperature the reference values hold at [K].
    pub reference_temperature: f64,
}

impl ArrheniusTransport {
    /// Constant properties at 298.15 K with no temperature dependence (Ea = 0).
    pub fn constant(conductivity: f64, diffusivity: f64, transference_number: f64) -> Self {
        Self {
            conductivity_ref: conductivity,
            diffusivity_ref: diffusivity,
            transference_number,
            conductivity_activation_energy: 0.0,
            diffusivity_activation_energy: 0.0,
            reference_temperature: T_REF,
        }
    }

    /// Sets one activation energy for κ and D [J/mol] (the paper reports one Ea, from σ(T)).
    pub fn with_activation_energy(mut self, activation_energy: f64) -> Self {
        self.conductivity_activation_energy = activation_energy;
        self.diffusivity_activation_energy = activation_energy;
        self
    }

    /// Checks ranges: κ > 0, D > 0, 0 < t₊ < 1, Ea ≥ 0, T_ref > 0.
    pub fn validate(&self) -> Result<(), SimError> {
        check_param("conductivity", self.conductivity_ref, self.conductivity_ref > 0.0, "> 0 S/m")?;
        check_param("diffusivity", self.diffusivity_ref, self.diffusivity_ref > 0.0, "> 0 m2/s")?;
        let tp = self.transference_number;
        check_param("transference_number", tp, tp > 0.0 && tp < 1.0, "in (0, 1)")?;
        let (ea_k, ea_d) = (self.conductivity_activation_energy, self.diffusivity_activation_energy);
        check_param("conductivity_activation_energy", ea_k, ea_k >= 0.0, ">= 0 J/mol")?;
        check_param("diffusivity_activation_energy", ea_d, ea_d >= 0.0, ">= 0 J/mol")?;
        let t = self.reference_temperature;
        check_param("reference_temperature", t, t > 0.0, "> 0 K")
    }
}

impl Transport for ArrheniusTransport {
    fn conductivity(&self, _c: f64, temperature: f64) -> f64 {
        self.conductivity_ref
            * arrhenius_factor(self.conductivity_activation_energy, temperature, self.reference_temperature)
    }
    fn diffusivity(&self, _c: f64, temperature: f64) -> f64 {
        self.diffusivity_ref
            * arrhenius_factor(self.diffusivity_activation_energy, temperature, self.reference_temperature)
    }
    fn transference_number(&self, _c: f64, _temperature: f64) -> f64 {
        self.transference_number
    }
    fn is_concentration_independent(&self) -> bool {
        true
    }
}

/// A property as a closure of (c [mol/m³], T [K]).
pub type PropertyFn = Arc<dyn Fn(f64, f64) -> f64 + Send + Sync>;

/// Transport given by three closures of (c, T), e.g. κ(c) → 0 as c → 0.
///
/// ```
/// use std::sync::Arc;
/// use spelab_sim::physics::{FnTransport, Transport};
/// let t = FnTransport {
///     conductivity: Arc::new(|c, _t| 0.1 * c / 1000.0),
///     diffusivity: Arc::new(|_c, _t| 1e-11),
///     transference_number: Arc::new(|_c, _t| 0.4),
/// };
/// assert!((t.conductivity(500.0, 298.15) - 0.05).abs() < 1e-15);
/// ```
#[derive(Clone)]
pub struct FnTransport {
    /// κ(c, T) [S/m].
    pub conductivity: PropertyFn,
    /// D(c, T) [m²/s].
    pub diffusivity: PropertyFn,
    /// t₊(c, T) [1].
    pub transference_number: PropertyFn,
}

impl fmt::Debug for FnTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTransport { .. }")
    }
}

impl Transport for FnTransport {
    fn conductivity(&self, c: f64, temperature: f64) -> f64 {
        (self.conductivity)(c, temperature)
    }
    fn diffusivity(&self, c: f64, temperature: f64) -> f64 {
        (self.diffusivity)(c, temperature)
    }
    fn transference_number(&self, c: f64, temperature: f64) -> f64 {
        (self.transference_number)(c, temperature)
    }
}
