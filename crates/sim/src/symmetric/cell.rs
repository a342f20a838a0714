//! [`SymmetricCell`]: geometry, electrolyte, kinetics and films of a Li | SPE | Li cell, and the cell
//! voltage as the sum of its parts ([`VoltageBreakdown`]).

use std::sync::Arc;

use spelab_core::constants::T_REF;

use super::film::FilmGrowth;
use crate::error::{check_param, SimError};
use crate::params::MaterialParams;
use crate::physics::{
    diffusion_potential, nernst_einstein_diffusivity, ArrheniusTransport, ButlerVolmer, Transport,
};

/// Salt concentration assumed when a material states none (LiTFSI in PVDF-HFP is typically cast at
/// about 1 mol/L of polymer volume; cellmodel.md uses the same) [mol/m³].
pub const DEFAULT_SALT_CONCENTRATION: f64 = 1000.0;

/// Electrode area of a 1 cm² coin cell [m²].
pub const DEFAULT_AREA: f64 = 1.0e-4;

/// A Li | SPE | Li symmetric cell.
#[derive(Debug, Clone)]
pub struct SymmetricCell {
    /// Membrane thickness L [m].
    pub thickness: f64,
    /// Initial uniform salt concentration c₀ [mol/m³].
    pub initial_concentration: f64,
    /// Electrode area A (for currents in A and resistances in Ω) [m²].
    pub area: f64,
    /// Cell temperature T, constant during a run [K].
    pub temperature: f64,
    /// κ(c, T), D(c, T), t₊(c, T).
    pub transport: Arc<dyn Transport>,
    /// Butler-Volmer kinetics of both Li interfaces.
    pub kinetics: ButlerVolmer,
    /// Film (SEI) resistance of each electrode and its growth.
    pub film: FilmGrowth,
}

/// The cell voltage U = η(x=0) − η(x=L) + ohmic + diffusion + film, each part [V].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct VoltageBreakdown {
    /// Cell voltage [V].
    pub voltage: f64,
    /// Overpotential of the stripping electrode at x = 0 (positive for J > 0) [V].
    pub eta_x0: f64,
    /// Minus the overpotential of the electrode at x = L (positive for J > 0) [V].
    pub eta_xl: f64,
    /// Ohmic drop in the membrane, J ∫ dx/κ [V].
    pub ohmic: f64,
    /// Diffusion (concentration) potential (2RT/F) ∫ (1 − t₊) d ln c from c(L) to c(0) [V].
    pub diffusion: f64,
    /// Film drop J (R_f,0 + R_f,L) [V].
    pub film: f64,
    /// Salt concentration at x = 0 [mol/m³].
    pub c_x0: f64,
    /// Salt concentration at x = L [mol/m³].
    pub c_xl: f64,
}

impl SymmetricCell {
    /// A cell at 298.15 K, 1 cm², no film, from thickness [m], c₀ [mol/m³], transport and kinetics.
    pub fn new(
        thickness: f64,
        initial_concentration: f64,
        transport: Arc<dyn Transport>,
        kinetics: ButlerVolmer,
    ) -> Self {
        Self {
            thickness,
            initial_concentration,
            area: DEFAULT_AREA,
            temperature: T_REF,
            transport,
            kinetics,
            film: FilmGrowth::default(),
        }
    }

    /// The cell of a material preset: κ25 and Ea from the paper, D by Nernst-Einstein from (κ, t₊, c₀)
    /// at 25 °C, j0 = i0 at c₀, and the same Ea for κ, D and j0 (the paper reports one Ea, from σ(T));
    /// temperature and thickness from the preset's model group, area 1 cm².
    pub fn from_material(material: &MaterialParams, salt_concentration: f64) -> Result<Self, SimError> {
        check_param("salt_concentration", salt_concentration, salt_concentration > 0.0, "> 0 mol/m3")?;
        let kappa = material.ionic_conductivity_25c;
        let tp = material.transference_number;
        let d = nernst_einstein_diffusivity(kappa, tp, salt_concentration, T_REF);
        let transport =
            ArrheniusTransport::constant(kappa, d, tp).with_activation_energy(material.activation_energy);
        transport.validate()?;
        let mut kinetics = ButlerVolmer::symmetric(material.exchange_current_density, salt_concentration);
        kinetics.activation_energy = material.activation_energy;
        let cell = Self {
            temperature: material.temperature,
            ..Self::new(material.thickness, salt_concentration, Arc::new(transport), kinetics)
        };
        cell.validate()?;
        Ok(cell)
    }

    /// Returns the cell at another temperature [K].
    pub fn at_temperature(mut self, temperature: f64) -> Self {
        self.temperature = temperature;
        self
    }

    /// Checks geometry, temperature, kinetics and film.
    pub fn validate(&self) -> Result<(), SimError> {
        check_param("thickness", self.thickness, self.thickness > 0.0, "> 0 m")?;
        let c0 = self.initial_concentration;
        check_param("initial_concentration", c0, c0 > 0.0, "> 0 mol/m3")?;
        check_param("area", self.area, self.area > 0.0, "> 0 m2")?;
        check_param("temperature", self.temperature, self.temperature > 0.0, "> 0 K")?;
        self.kinetics.validate()?;
        self.film.validate()?;
        let t = self.temperature;
        let (k, d, tp) = (
            self.transport.conductivity(c0, t),
            self.transport.diffusivity(c0, t),
            self.transport.transference_number(c0, t),
        );
        check_param("conductivity(c0)", k, k > 0.0, "> 0 S/m")?;
        check_param("diffusivity(c0)", d, d > 0.0, "> 0 m2/s")?;
        check_param("transference_number(c0)", tp, tp > 0.0 && tp < 1.0, "in (0, 1)")
    }

    /// κ(c₀, T) [S/m].
    pub fn conductivity(&self) -> f64 {
        self.transport.conductivity(self.initial_concentration, self.temperature)
    }

    /// D(c₀, T) [m²/s].
    pub fn diffusivity(&self) -> f64 {
        self.transport.diffusivity(self.initial_concentration, self.temperature)
    }

    /// t₊(c₀, T) [1].
    pub fn transference_number(&self) -> f64 {
        self.transport.transference_number(self.initial_concentration, self.temperature)
    }

    /// j0(c₀, T) [A/m²].
    pub fn exchange_current_density(&self) -> f64 {
        self.kinetics.exchange_current_density_at(self.initial_concentration, self.temperature)
    }

    /// Cell voltage and its parts for face concentrations, a profile (for the ohmic integral),
    /// current density `j` [A/m²] and film resistance per electrode `r_film` [Ω·m²].
    ///
    /// A face at or below zero concentration makes the voltage ±∞ with the sign of `j`.
    pub(crate) fn voltage(
        &self,
        faces: (f64, f64),
        profile: &[f64],
        j: f64,
        r_film: f64,
    ) -> VoltageBreakdown {
        let t = self.temperature;
        let (c0, cl) = faces;
        let tr = &*self.transport;
        let ohmic = if tr.is_concentration_independent() {
            j * self.thickness / tr.conductivity(self.initial_concentration, t)
        } else {
            let dx = self.thickness / profile.len() as f64;
            j * profile.iter().map(|&c| dx / tr.conductivity(c.max(1e-9), t)).sum::<f64>()
        };
        let film = 2.0 * j * r_film;
        if c0 <= 0.0 || cl <= 0.0 {
            let inf = if j >= 0.0 { f64::INFINITY } else { f64::NEG_INFINITY };
            return VoltageBreakdown { voltage: inf, ohmic, film, c_x0: c0, c_xl: cl, ..Default::default() };
        }
        let j00 = self.kinetics.exchange_current_density_at(c0, t);
        let j0l = self.kinetics.exchange_current_density_at(cl, t);
        let eta_x0 = self.kinetics.overpotential(j, j00, t);
        let eta_xl = -self.kinetics.overpotential(-j, j0l, t);
        let diffusion = self.diffusion_potential(cl, c0);
        VoltageBreakdown {
            voltage: eta_x0 + eta_xl + ohmic + diffusion + film,
            eta_x0,
            eta_xl,
            ohmic,
            diffusion,
            film,
            c_x0: c0,
            c_xl: cl,
        }
    }

    /// (2RT/F) ∫_{c_low}^{c_high} (1 − t₊(c))/c dc [V] ([`diffusion_potential`]).
    fn diffusion_potential(&self, c_low: f64, c_high: f64) -> f64 {
        diffusion_potential(&*self.transport, c_low, c_high, self.initial_concentration, self.temperature)
    }
}
