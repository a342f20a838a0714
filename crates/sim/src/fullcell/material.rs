//! A full cell from a material preset ([`FullCell::from_material`]): the preset's polymer electrolyte
//! (σ(T), t₊, Li | SPE exchange current density, membrane thickness) between a Li-metal foil and the
//! reference LFP cathode of cellmodel.md §3.
//!
//! Assumptions (the paper gives no cathode loading, porosity or particle data): the cathode is PyBaMM's
//! Prada2013 80 µm LFP (ε_s 0.374, R_p 50 nm, 10.76 mg/cm² of LFP), its pores filled by the same
//! polymer (ε 0.426, Bruggeman 1.5); the salt concentration is c₀ (1000 mol/m³ as the symmetric-cell
//! model assumes) and D follows from σ and t₊ by Nernst-Einstein
//! ([`crate::physics::nernst_einstein_diffusivity`]); σ and D share the preset's activation energy,
//! and so does the Li exchange current density, as in [`crate::symmetric::SymmetricCell::from_material`].

use std::sync::Arc;

use spelab_core::constants::T_REF;

use super::params::{Electrolyte, FullCell, ReferenceElectrolyte, Separator};
use crate::error::{check_param, SimError};
use crate::params::MaterialParams;
use crate::physics::{nernst_einstein_diffusivity, ArrheniusTransport, ButlerVolmer};

/// Salt concentration the material-based cells assume [mol/m³] (the paper states none; the
/// symmetric-cell model and cellmodel.md's SPE cases use the same).
pub const MATERIAL_SALT_CONCENTRATION: f64 = 1000.0;

impl FullCell {
    /// LFP (cellmodel.md §3 reference cathode) | dense SPE membrane of `material` | Li foil at the
    /// material's temperature, salt concentration `salt_concentration` [mol/m³] (module docs).
    ///
    /// ```
    /// use spelab_sim::{fullcell::FullCell, params};
    /// let p = params::preset("pvh-im")?.material_params()?;
    /// let cell = FullCell::from_material(&p, 1000.0)?;
    /// assert!((cell.separator.thickness - 100e-6).abs() < 1e-12);
    /// // SPE A of cellmodel.md is the PVH-IM preset at 25 °C: D = 1.637e-11 m²/s.
    /// let d = cell.electrolyte.transport.diffusivity(1000.0, cell.temperature);
    /// assert!((d / 1.636996571e-11 - 1.0).abs() < 1e-8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_material(material: &MaterialParams, salt_concentration: f64) -> Result<FullCell, SimError> {
        let c0 = salt_concentration;
        check_param("salt_concentration", c0, c0 > 0.0, "> 0 mol/m3")?;
        let (kappa, tp) = (material.ionic_conductivity_25c, material.transference_number);
        check_param("transference_number", tp, tp > 0.0 && tp < 1.0, "in (0, 1) for Nernst-Einstein")?;
        let d = nernst_einstein_diffusivity(kappa, tp, c0, T_REF);
        let transport =
            ArrheniusTransport::constant(kappa, d, tp).with_activation_energy(material.activation_energy);
        transport.validate()?;
        let mut kinetics = ButlerVolmer::symmetric(material.exchange_current_density, c0);
        kinetics.activation_energy = material.activation_energy;
        let mut cell = FullCell::prada2013(ReferenceElectrolyte::SpeA)?;
        cell.separator = Separator { thickness: material.thickness, porosity: 1.0, bruggeman: 1.5 };
        cell.electrolyte = Electrolyte {
            transport: Arc::new(transport),
            initial_concentration: c0,
            thermodynamic_factor: 1.0,
        };
        cell.lithium.kinetics = kinetics;
        cell.temperature = material.temperature;
        cell.validate()?;
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::preset;

    #[test]
    fn presets_give_the_reference_spes_but_for_the_li_kinetics() {
        for (id, reference) in [("pvh-im", ReferenceElectrolyte::SpeA), ("pvh", ReferenceElectrolyte::SpeB)] {
            let p = preset(id).unwrap().material_params().unwrap();
            let cell = FullCell::from_material(&p, MATERIAL_SALT_CONCENTRATION).unwrap();
            let r = FullCell::prada2013(reference).unwrap();
            let t = cell.temperature;
            assert!((t - T_REF).abs() < 1e-9);
            for c in [500.0, 1000.0] {
                let (a, b) = (&cell.electrolyte.transport, &r.electrolyte.transport);
                assert!((a.conductivity(c, t) / b.conductivity(c, t) - 1.0).abs() < 1e-12, "{id}");
                assert!((a.diffusivity(c, t) / b.diffusivity(c, t) - 1.0).abs() < 1e-12, "{id}");
                assert_eq!(a.transference_number(c, t), b.transference_number(c, t));
            }
            // The preset's Li | SPE j0 (0.067 / 0.049 mA/cm²) instead of cellmodel.md's assumed 1 A/m².
            let j0 = cell.lithium.kinetics.exchange_current_density_at(1000.0, t);
            assert!((j0 - p.exchange_current_density).abs() < 1e-12);
            assert_eq!(cell.separator, r.separator);
            assert_eq!(cell.theoretical_capacity(), r.theoretical_capacity());
        }
    }

    #[test]
    fn bad_material_values_are_errors() {
        let mut p = preset("pvh-im").unwrap().material_params().unwrap();
        assert!(FullCell::from_material(&p, 0.0).is_err());
        p.transference_number = 1.0;
        assert!(FullCell::from_material(&p, 1000.0).is_err());
    }
}
