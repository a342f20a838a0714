//! `spelab simulate symmetric` and `spelab simulate full-cell` as library calls, shared by the CLI and
//! the Python package (`spelab.simulate`): a request of user-facing values (unit strings) in, the run
//! and its record as a [`Columns`] table (SI units in the column names) out.
//!
//! - [`symmetric`]: the Li | SPE | Li cell under one protocol (cycling, constant, ccd, ca, lsv);
//! - [`full_cell`]: the LFP | SPE | Li rate test (DFN or SPM) of a preset or a BPX file.

use std::fmt::Write as _;

use anyhow::Context;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_sim::params::MaterialParams;

pub mod full_cell;
pub mod symmetric;

/// A table of equal-length columns; NaN marks an empty cell (written as an empty CSV field).
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// Column names with their SI unit (`time_s`, `voltage_V`).
    pub names: Vec<&'static str>,
    /// The values, one vector per column.
    pub values: Vec<Vec<f64>>,
}

impl Columns {
    /// The table as CSV: a header line, then one line per row.
    ///
    /// ```
    /// let t = spelab_study::simulate::Columns { names: vec!["a", "b"], values: vec![vec![1.0, 2.5], vec![3.0, f64::NAN]] };
    /// assert_eq!(t.to_csv(), "a,b\n1,3\n2.5,\n");
    /// ```
    pub fn to_csv(&self) -> String {
        let rows = self.values.first().map_or(0, Vec::len);
        let mut t = self.names.join(",");
        t.push('\n');
        for k in 0..rows {
            for (i, column) in self.values.iter().enumerate() {
                if i > 0 {
                    t.push(',');
                }
                if column[k].is_finite() {
                    let _ = write!(t, "{}", column[k]);
                }
            }
            t.push('\n');
        }
        t
    }
}

/// How options are named in error messages: `--half-cycle` (command line) or `half_cycle` (Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OptionNames {
    /// `--half-cycle`.
    #[default]
    Flags,
    /// `half_cycle`.
    Keywords,
}

impl OptionNames {
    /// `option` (written as a flag without dashes, `half-cycle`) as the caller names it.
    pub fn name(self, option: &str) -> String {
        match self {
            OptionNames::Flags => format!("--{option}"),
            OptionNames::Keywords => option.replace('-', "_"),
        }
    }

    /// `text` as a quantity `q` in SI; errors name the option.
    pub fn quantity(self, text: &str, q: Quantity, option: &str) -> anyhow::Result<f64> {
        parse_quantity(text, q).with_context(|| format!("{} '{text}'", self.name(option)))
    }
}

/// The material parameters of the preset or material file `name` ([`crate::inputs::preset`]).
pub fn material(name: &str) -> anyhow::Result<MaterialParams> {
    Ok(crate::inputs::preset(name)?.material_params()?)
}
