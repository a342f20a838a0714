//! Physical constants in SI units (CODATA 2018 exact values where defined).

/// Faraday constant [C/mol].
pub const FARADAY: f64 = 96_485.332_123_310_01;
/// Molar gas constant [J/(mol K)].
pub const GAS_CONSTANT: f64 = 8.314_462_618_153_24;
/// Boltzmann constant [J/K].
pub const BOLTZMANN: f64 = 1.380_649e-23;
/// Boltzmann constant [eV/K].
pub const BOLTZMANN_EV: f64 = 8.617_333_262e-5;
/// Elementary charge [C].
pub const ELEMENTARY_CHARGE: f64 = 1.602_176_634e-19;
/// Avogadro constant [1/mol].
pub const AVOGADRO: f64 = 6.022_140_76e23;
/// Vacuum permittivity ε₀ (CODATA 2018) [F/m].
pub const VACUUM_PERMITTIVITY: f64 = 8.854_187_812_8e-12;
/// 0 °C in kelvin [K].
pub const ZERO_CELSIUS: f64 = 273.15;
/// The standard reference temperature, 25 °C [K].
pub const T_REF: f64 = 298.15;
/// One electronvolt per particle as a molar energy [J/mol].
pub const EV_PER_PARTICLE_IN_J_PER_MOL: f64 = ELEMENTARY_CHARGE * AVOGADRO;
/// Seconds in one hour [s].
pub const HOUR: f64 = 3600.0;

/// Melting enthalpy of 100 % crystalline PVDF, 104.7 J/g (Nakagawa & Ishida, J. Polym. Sci. Polym.
/// Phys. Ed. 11 (1973) 2153; literature uses 104.5–104.7), the default ΔH_m⁰ of the DSC
/// crystallinity [J/kg].
pub const PVDF_MELTING_ENTHALPY_100: f64 = 104.7e3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faraday_is_elementary_charge_times_avogadro() {
        // Both are exact SI definitions, so agreement is limited only by f64 rounding.
        assert!((FARADAY - ELEMENTARY_CHARGE * AVOGADRO).abs() / FARADAY < 1e-15);
        assert!((GAS_CONSTANT - BOLTZMANN * AVOGADRO).abs() / GAS_CONSTANT < 1e-15);
        assert!((BOLTZMANN_EV - BOLTZMANN / ELEMENTARY_CHARGE).abs() / BOLTZMANN_EV < 1e-9);
    }
}
