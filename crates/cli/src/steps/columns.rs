//! Reading measured CSV tables for step kinds: columns with units in their headers, converted to SI.
//!
//! A table's header names each column with its unit (`time [h], current [uA], voltage [mV]`); a column
//! without a unit is an error that says how to write one. Vendor files come through `spelab-io`
//! readers; these steps read the CSV/TSV form every instrument can export.

use std::path::Path;

use anyhow::Context;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_io::table::Table;

/// Reads a delimited table from `path`, named `label` in errors.
pub fn read(path: &Path, label: &str) -> anyhow::Result<Table> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(spelab_io::table::read_table(&bytes, label)?)
}

/// Column `name` of `table` converted to SI as `quantity`, each value checked with its line number.
pub fn si(table: &Table, name: &str, quantity: Quantity) -> anyhow::Result<Vec<f64>> {
    let label = &table.name;
    let c = table.column(name)?;
    let unit = c.unit.as_deref().with_context(|| {
        format!("{label}: column '{name}' has no unit in its header; write '{name} [unit]'")
    })?;
    // One conversion factor for the column (units here are linear, no offset, except temperature).
    if quantity != Quantity::Temperature {
        let scale = parse_quantity(&format!("1 {unit}"), quantity)
            .with_context(|| format!("{label}: column '{name}': unit '{unit}'"))?;
        return c
            .values
            .iter()
            .zip(&c.lines)
            .map(|(v, line)| {
                if v.is_finite() {
                    Ok(v * scale)
                } else {
                    anyhow::bail!(
                        "{label}:{line}: column '{name}' holds {v}; every value must be a finite number"
                    )
                }
            })
            .collect();
    }
    c.values
        .iter()
        .zip(&c.lines)
        .map(|(v, line)| {
            parse_quantity(&format!("{v} {unit}"), quantity)
                .with_context(|| format!("{label}:{line}: column '{name}'"))
        })
        .collect()
}
