//! Reading measured CSV tables for step kinds: columns with units in their headers, converted to SI.
//!
//! A table's header names each column with its unit (`time [h], current [uA], voltage [mV]`); a column
//! without a unit is an error that says how to write one. Vendor files come through `spelab-io`
//! readers; these steps read the CSV/TSV form every instrument can export, instrument files directly
//! ([`read_with`]), and any CSV/TSV with a `columns = {..}` / `units = {..}` mapping ([`parse_map`]).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_io::mapped::ColumnMap;
use spelab_io::table::{Column as TableColumn, Table};
use spelab_io::Recording;
use toml::Spanned;

use crate::study::{StepSpec, StudyError};

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

/// The step options `columns = { time = 0, voltage = "Ewe/V", current = 2 }` and
/// `units = { current = "mA" }`: a column mapping for a generic CSV/TSV (the same as
/// `spelab read --map .. --unit ..`), or `None` when the step gives no `columns`.
pub fn parse_map(
    spec: &StepSpec<'_>,
    columns: &Option<Spanned<BTreeMap<String, toml::Value>>>,
    units: &Option<Spanned<BTreeMap<String, String>>>,
) -> Result<Option<ColumnMap>, StudyError> {
    let Some(columns) = columns else {
        if let Some(u) = units {
            return Err(
                spec.error(Some(u.span()), "units needs a columns table (e.g. columns = { current = 2 })")
            );
        }
        return Ok(None);
    };
    let mut pairs = Vec::new();
    for (k, v) in columns.get_ref() {
        let v = match v {
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::String(s) => s.clone(),
            other => {
                return Err(spec.error(
                    Some(columns.span()),
                    format!("columns.{k} = {other}: give a 0-based column index or a header text"),
                ))
            }
        };
        pairs.push((k.clone(), v));
    }
    let unit_pairs: Vec<(String, String)> =
        units.as_ref().map(|u| u.get_ref().clone().into_iter().collect()).unwrap_or_default();
    let span = units.as_ref().map_or(columns.span(), |u| u.span());
    ColumnMap::from_pairs(&pairs, &unit_pairs).map(Some).map_err(|e| spec.error(Some(span), e.to_string()))
}

/// A recording as a [`Table`]: spelab column names, SI units, rows numbered from 1.
fn recording_table(rec: &Recording) -> Table {
    let columns = rec
        .columns
        .iter()
        .map(|c| TableColumn {
            name: c.name().to_string(),
            unit: Some(c.unit().to_string()),
            values: c.values.to_f64(),
            lines: (1..=c.values.len()).collect(),
        })
        .collect();
    Table { name: rec.source().to_string(), columns }
}

/// Reads `path` for a step: with a column mapping (generic CSV/TSV), as an instrument file when its
/// content says which (BioLogic, Neware, Gamry, ...; columns then carry spelab names and SI units),
/// or as a table with units in its header ([`read`]).
pub fn read_with(path: &Path, label: &str, map: Option<&ColumnMap>) -> anyhow::Result<Table> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if let Some(map) = map {
        return Ok(recording_table(&spelab_io::mapped::read_mapped(&bytes, label, map)?));
    }
    match spelab_io::detect(&bytes) {
        Some(_) => Ok(recording_table(&spelab_io::read_bytes(&bytes, label)?)),
        None => Ok(spelab_io::table::read_table(&bytes, label)?),
    }
}
