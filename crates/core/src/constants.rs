//! Physical constants in SI units (CODATA 2018 exact values where defined) and the shared defaults
//! of the cells spelab simulates and measures. This is the one home of every such number in the
//! workspace: other crates import them from here rather than writing the value again.

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
/// 0 °C in kelvin [K].
pub const ZERO_CELSIUS: f64 = 273.15;
/// The standard reference temperature, 25 °C [K].
pub const T_REF: f64 = 298.15;
/// One electronvolt per particle as a molar energy [J/mol].
pub const EV_PER_PARTICLE_IN_J_PER_MOL: f64 = ELEMENTARY_CHARGE * AVOGADRO;
/// Seconds in one hour [s].
pub const HOUR: f64 = 3600.0;
/// Vacuum permittivity ε₀ (CODATA 2018, 8.8541878128(13)e-12) [F/m].
pub const VACUUM_PERMITTIVITY: f64 = 8.854_187_812_8e-12;

/// Salt concentration assumed when a material states none: LiTFSI in PVDF-HFP is typically cast at
/// about 1 mol/L of polymer volume, and cellmodel.md's SPE cases use the same (1 M) [mol/m³].
pub const DEFAULT_SALT_CONCENTRATION: f64 = 1000.0;
/// Electrode area of a 1 cm² cell, the default of the simulated symmetric and full cells and of the
/// steps that take an area [m²].
pub const DEFAULT_ELECTRODE_AREA: f64 = 1.0e-4;
/// Electrode area of a 16 mm disc (π · (8 mm)² = 2.01 cm², as papers state it), the default of the
/// SS | SPE | SS blocking cell of the conductivity measurements [m²].
pub const DEFAULT_BLOCKING_CELL_AREA: f64 = 2.01e-4;

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

    #[test]
    fn vacuum_permittivity_matches_its_definition() {
        // ε₀ = 1/(μ₀ c²) with μ₀ = 1.25663706212e-6 N/A² (CODATA 2018) and c exact: both are given to
        // 11-12 significant digits, so they agree to ~1e-10 relative.
        let c = 299_792_458.0_f64;
        let mu0 = 1.256_637_062_12e-6;
        assert!((VACUUM_PERMITTIVITY * mu0 * c * c - 1.0).abs() < 1e-10);
        // The 16 mm disc rounds to 2.01 cm² (3 significant digits, as stated in papers).
        assert!((std::f64::consts::PI * 0.008_f64.powi(2) - DEFAULT_BLOCKING_CELL_AREA).abs() < 0.005e-4);
    }
}
