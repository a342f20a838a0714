//! Measured files of step kinds: the step options that say where a file's columns are (toml spans to
//! [`SeriesMap`] / [`ColumnMap`], errors at their line), and thin wrappers over spelab-io's
//! [`spelab_io::read_channels`] / [`spelab_io::read_series`], which do the reading (instrument files by
//! content, tables with units in their headers, generic CSV/TSV through a column mapping).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use spelab_core::units::Quantity;
use spelab_core::{Technique, TimeSeries};
use spelab_io::mapped::ColumnMap;
use spelab_io::table::Table;
use spelab_io::{Channels, Purpose, SeriesMap};
use toml::Spanned;

use super::source::DataSource;
use crate::spec::{StepSpec, StudyError};

/// Reads a delimited table from `path`, named `label` in errors.
pub fn read(path: &Path, label: &str) -> anyhow::Result<Table> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(spelab_io::table::read_table(&bytes, label)?)
}

/// Column `name` of `table` converted to SI as `quantity`, each value checked with its line number.
pub fn si(table: &Table, name: &str, quantity: Quantity) -> anyhow::Result<Vec<f64>> {
    Ok(spelab_io::series::column_si(table, name, quantity)?)
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

/// A step's time/current/voltage record: the file and where its channels are ([`SeriesMap`]: the
/// table column names, or a column mapping for a generic CSV/TSV). Shared by the steps that read
/// cycling data.
pub struct CycleInput {
    /// The file, resolved against the study folder.
    pub path: std::path::PathBuf,
    /// The file as the study wrote it (used in errors, metrics and the report).
    pub label: String,
    /// Where time, current and voltage are in a table.
    pub map: SeriesMap,
}

impl CycleInput {
    /// Parses the `file`, `*_column`, `columns` and `units` options of a step.
    pub fn parse(
        spec: &mut StepSpec<'_>,
        file: &Spanned<String>,
        source: &DataSource,
    ) -> Result<CycleInput, StudyError> {
        let [t, i, v] = source.column_names();
        Ok(CycleInput {
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            map: SeriesMap {
                columns: [
                    t.unwrap_or_else(|| "time".into()),
                    i.unwrap_or_else(|| "current".into()),
                    v.unwrap_or_else(|| "voltage".into()),
                ],
                map: parse_map(spec, &source.columns, &source.units)?,
            },
        })
    }

    /// Reads time, current and voltage of `path` (this input's file or a replicate read the same way)
    /// for the step kind `kind`, which accepts the techniques `accepted`.
    pub fn read_at(
        &self,
        path: &Path,
        label: &str,
        kind: &str,
        accepted: &[Technique],
    ) -> anyhow::Result<Channels> {
        read_record(path, label, &self.map.wanted(), kind, accepted, self.map.map.as_ref())
    }

    /// [`CycleInput::read_at`] on this input's own file.
    pub fn read(&self, kind: &str, accepted: &[Technique]) -> anyhow::Result<Channels> {
        self.read_at(&self.path, &self.label, kind, accepted)
    }

    /// The record of `path` as a time series ([`spelab_io::read_series`]): an instrument file keeps
    /// its own time series with its dq count.
    pub fn series_at(
        &self,
        path: &Path,
        label: &str,
        kind: &str,
        accepted: &[Technique],
    ) -> anyhow::Result<TimeSeries> {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(spelab_io::read_series(&bytes, label, &self.map, Purpose { name: kind, accepted })?)
    }
}

/// Reads the columns `wanted` (table column name, quantity) of `path` for the step kind `kind`
/// ([`spelab_io::read_channels`]: instrument files by content, tables with units in their headers,
/// or a generic CSV/TSV through a column `map`).
pub fn read_record(
    path: &Path,
    label: &str,
    wanted: &[(&str, Quantity)],
    kind: &str,
    accepted: &[Technique],
    map: Option<&ColumnMap>,
) -> anyhow::Result<Channels> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(spelab_io::read_channels(&bytes, label, wanted, map, Purpose { name: kind, accepted })?)
}
