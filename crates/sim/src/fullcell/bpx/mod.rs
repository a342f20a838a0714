//! BPX (Battery Parameter eXchange, github.com/FaradayInstitution/BPX; the JSON format PyBaMM reads
//! with `ParameterValues.create_from_bpx`) in and out: [`read`] a file's text into a typed [`Bpx`]
//! (every key of the 1.x schema; unknown keys are errors with line and column, as the schema forbids
//! them), [`write`] it back (what is read and written reads back equal), [`to_full_cell`] to build
//! spelab's LFP | electrolyte | Li-metal cell from it, and [`from_full_cell`] to export a cell.
//!
//! Function strings are evaluated by a small parser ([`Expression`]: numbers, `x`, `+ - * / **`,
//! `exp`, `tanh`, `cosh`), tables {x, y} by linear interpolation ([`BpxFunction`]).
//!
//! # Conventions (PyBaMM's BPX reader, `pybamm/parameters/bpx.py`, and cellmodel.md §4)
//!
//! - transport efficiency B = ε^b, so the Bruggeman exponent is b = ln B / ln ε (any b when ε = 1,
//!   B must then be 1);
//! - an electrode's `Conductivity` is effective (PyBaMM sets its electrode Bruggeman exponent to 0);
//! - active volume fraction ε_s = a R_p / 3 from `Surface area per unit volume`;
//! - j0 = F k √(c_e/c_e0 · x (1 − x)), so PyBaMM's (and spelab's) m_ref = k F / (c_max √c_e0);
//! - Arrhenius factors exp(E_a/R (1/T_ref − 1/T)) on k, D_s, D_e and κ with T_ref the cell's
//!   `Reference temperature` (298.15 K when absent); D_s and the entropic term are evaluated at the
//!   file's initial temperature;
//! - the positive electrode starts at x = x_max − SOC (x_max − x_min) (`Initial state-of-charge`,
//!   1 when absent: a charged cathode at `Minimum stoichiometry`).
//!
//! # The lithium-metal electrode
//!
//! BPX 1.x has no lithium-metal electrode. As in `shared/data/pybamm/bpx/`, a half cell is a
//! `"Partial"` file (no `Negative electrode`) whose `User-defined` section holds the foil:
//! `Lithium metal thickness [m]`, `Lithium metal conductivity [S.m-1]`, `Lithium metal partial molar
//! volume [m3.mol-1]` and `Lithium metal exchange-current density [A.m-2]` (a function of x = c_e at the
//! interface; symmetric Butler-Volmer). spelab adds, when not at their defaults,
//! [`KEY_LI_J0_EA`], [`KEY_LI_FILM`], [`KEY_CONTACT`], [`KEY_UTILISATION`] and [`KEY_MOLAR_MASS`]
//! (LiFePO4's 157.757 g/mol when absent). A file whose negative electrode is an insertion electrode
//! (graphite, say) reads and writes, but builds no spelab cell.
//!
//! ```
//! use spelab_sim::fullcell::{bpx, FullCell, ReferenceElectrolyte};
//! let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA)?;
//! let doc = bpx::from_full_cell(&cell, 0.0038, "SPE A half cell");
//! let text = bpx::write(&doc);
//! let back = bpx::read(&text)?;
//! assert_eq!(back, doc);
//! let (again, x0) = bpx::to_full_cell(&back)?;
//! assert!((x0 - 0.0038).abs() < 1e-15);
//! assert!((again.one_c_current_density() / cell.one_c_current_density() - 1.0).abs() < 1e-12);
//! # Ok::<(), bpx::BpxError>(())
//! ```

mod convert;
mod expr;
mod schema;

pub use convert::{
    from_full_cell, to_full_cell, KEY_CONTACT, KEY_LI_CONDUCTIVITY, KEY_LI_FILM, KEY_LI_J0, KEY_LI_J0_EA,
    KEY_LI_THICKNESS, KEY_LI_VOLUME, KEY_MOLAR_MASS, KEY_UTILISATION,
};
pub use expr::{Expression, ExpressionError};
pub use schema::{
    Bpx, BpxFunction, BpxValue, Cell, Electrode, Electrolyte, Header, InitialConditions, Parameterisation,
    Separator, State, ThermalEnvironment,
};

use crate::error::SimError;

/// Why a BPX file could not be read or turned into a cell.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BpxError {
    /// Not JSON, or not the BPX schema (the message has line and column).
    #[error("not a valid BPX file: {0}")]
    Syntax(String),
    /// A section or value spelab's cell needs is missing or unusable.
    #[error("BPX: {0}")]
    Unsupported(String),
    /// The cell it describes fails spelab's parameter checks.
    #[error("BPX: {0}")]
    Invalid(#[from] SimError),
}

/// Parses a BPX file's text (keys and sections as in the module docs; `Header.Model` must be one of
/// SPM, SPMe, DFN, Partial).
pub fn read(text: &str) -> Result<Bpx, BpxError> {
    let doc: Bpx = serde_json::from_str(text).map_err(|e| BpxError::Syntax(e.to_string()))?;
    if !["SPM", "SPMe", "DFN", "Partial"].contains(&doc.header.model.as_str()) {
        return Err(BpxError::Syntax(format!(
            "Header.Model '{}' is not one of SPM, SPMe, DFN, Partial",
            doc.header.model
        )));
    }
    Ok(doc)
}

/// The document as pretty-printed JSON (numbers written shortest-exact, so [`read`] gives it back
/// equal).
pub fn write(doc: &Bpx) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("a BPX document serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_files_are_errors_with_positions() {
        let e = read("{\"Header\": 3}").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let cell = crate::fullcell::FullCell::prada2013(crate::fullcell::ReferenceElectrolyte::SpeB).unwrap();
        let text = write(&from_full_cell(&cell, 0.01, "t"));
        let typo = text.replace("\"Porosity\"", "\"Porosty\"");
        let e = read(&typo).unwrap_err().to_string();
        assert!(e.contains("Porosty") && e.contains("line"), "{e}");
        let model = text.replace("\"Partial\"", "\"P2D\"");
        assert!(read(&model).unwrap_err().to_string().contains("P2D"));
    }

    #[test]
    fn tables_interpolate_and_extrapolate_linearly() {
        let v = BpxValue::Table { x: vec![2.0, 0.0, 1.0], y: vec![5.0, 1.0, 3.0] };
        let f = v.function("k").unwrap();
        assert_eq!(f.eval(0.5), 2.0);
        assert_eq!(f.eval(1.5), 4.0);
        assert_eq!(f.eval(-1.0), -1.0);
        assert_eq!(f.eval(3.0), 7.0);
        assert!(BpxValue::Table { x: vec![1.0, 1.0], y: vec![0.0, 1.0] }.function("k").is_err());
        assert!(BpxValue::Table { x: vec![1.0], y: vec![] }.function("k").is_err());
    }
}
