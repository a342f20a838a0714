//! Shared physics of the binary-salt electrolyte and its interfaces, used by every model
//! ([`crate::symmetric`], [`crate::fullcell`], and the phase-field model next). Each law has one home
//! here; a model module holds only its geometry, discretisation, state and the equations that are its
//! own (the symmetric cell's face concentrations, the DFN's porous-electrode balances).
//!
//! - [`transport`]: κ(c, T), D(c, T), t₊(c, T) of the binary salt ([`Transport`], constant properties
//!   with Arrhenius temperature dependence [`ArrheniusTransport`], closures [`FnTransport`]), the
//!   Arrhenius law ([`arrhenius_factor`]) and the Nernst-Einstein salt diffusivity
//!   ([`nernst_einstein_diffusivity`]);
//! - [`kinetics`]: Butler-Volmer kinetics of the Li | electrolyte interface ([`ButlerVolmer`]: j0(c, T),
//!   the overpotential of a current, R_ct), the α = ½ closed forms used by the porous electrode
//!   ([`symmetric_current`], [`symmetric_overpotential`]) and the insertion-electrode exchange current
//!   density ([`insertion_exchange_current_density`]);
//! - [`thermodynamics`]: the thermal factor f = F/(RT) ([`inverse_thermal_voltage`]) and the diffusion
//!   (concentration) potential of the binary salt ([`diffusion_potential`]).
//!
//! ```
//! use spelab_sim::physics::{nernst_einstein_diffusivity, ArrheniusTransport, Transport};
//! // SPE A of cellmodel.md: 1.23 mS/cm, t+ = 0.49, c0 = 1000 mol/m³.
//! let d = nernst_einstein_diffusivity(0.123, 0.49, 1000.0, 298.15);
//! let spe = ArrheniusTransport::constant(0.123, d, 0.49).with_activation_energy(30e3);
//! assert!(spe.conductivity(1000.0, 333.15) > spe.conductivity(1000.0, 298.15));
//! ```

pub mod kinetics;
pub mod thermodynamics;
pub mod transport;

pub use kinetics::{
    insertion_exchange_current_density, symmetric_current, symmetric_overpotential, ButlerVolmer,
};
pub use thermodynamics::{diffusion_potential, inverse_thermal_voltage};
pub use transport::{
    arrhenius_factor, nernst_einstein_diffusivity, ArrheniusTransport, FnTransport, PropertyFn, Transport,
};
