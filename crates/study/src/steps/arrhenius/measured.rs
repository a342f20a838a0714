//! The measured sources of the `arrhenius` step: a σ(T) table with units in its header, or impedance
//! spectra at several temperatures ([`super::spectra::measured`]).

use std::path::Path;

use anyhow::Context;
use spelab_core::units::{parse_quantity, Quantity};

/// Reads the temperature [K] and conductivity [S/m] columns of the table at `path` (`label` in
/// errors); each header must carry its unit (`temperature [degC]`). A spectrum where a table was
/// expected is named as such.
pub(super) fn read_table(
    path: &Path,
    label: &str,
    temperature_column: &str,
    conductivity_column: &str,
) -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
    let read = || -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let table = spelab_io::table::read_table(&bytes, label)?;
        let column = |name: &str, quantity: Quantity| -> anyhow::Result<Vec<f64>> {
            let c = table.column(name)?;
            let unit = c.unit.as_deref().with_context(|| {
                format!("{label}: column '{name}' has no unit in its header; write '{name} [unit]'")
            })?;
            c.values
                .iter()
                .zip(&c.lines)
                .map(|(v, line)| {
                    parse_quantity(&format!("{v} {unit}"), quantity)
                        .with_context(|| format!("{label}:{line}: column '{name}'"))
                })
                .collect()
        };
        Ok((
            column(temperature_column, Quantity::Temperature)?,
            column(conductivity_column, Quantity::Conductivity)?,
        ))
    };
    match read() {
        Ok(columns) => Ok(columns),
        // A spectrum where a table was expected: say so instead of naming a missing column.
        Err(e) if crate::inputs::read_spectrum(path).is_ok() => anyhow::bail!(
            "{label} is an impedance spectrum, not a σ(T) table ({e}); an Arrhenius fit from spectra \
             needs one per temperature: `files = [...]` with `temperatures`, `thickness` and `area`"
        ),
        Err(e) => Err(e),
    }
}
