//! Reading measured CSV tables for step kinds: columns with units in their headers, converted to SI.
//!
//! A table's header names each column with its unit (`time [h], current [uA], voltage [mV]`); a column
//! without a unit is an error that says how to write one. Instrument files (any format `spelab-io`
//! detects by content) go through [`read_record`], which takes their time, current and voltage channels;
//! any CSV/TSV with a `columns = {..}` / `units = {..}` mapping ([`parse_map`]) is read the same way.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_core::{Metadata, Technique};
use spelab_io::mapped::ColumnMap;
use spelab_io::table::Table;
use spelab_io::{Channel, Recording};
use toml::Spanned;

use crate::spec::{StepSpec, StudyError};

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

/// A measured record read for a step: the requested columns in SI plus the file's metadata.
pub struct Record {
    /// The requested columns, in the order asked for, converted to SI.
    pub columns: Vec<Vec<f64>>,
    /// Metadata: source, and for instrument files the instrument, technique, area, mass ...
    pub meta: Metadata,
    /// The instrument recording, when the file was an instrument file rather than a table.
    pub recording: Option<Recording>,
}

/// The channel an instrument file stores for `quantity` (time, current, voltage).
fn channel_for(quantity: Quantity) -> anyhow::Result<Channel> {
    Ok(match quantity {
        Quantity::Time => Channel::Time,
        Quantity::Current => Channel::Current,
        Quantity::Voltage => Channel::Voltage,
        other => anyhow::bail!("no instrument channel holds {other:?}"),
    })
}

/// A step's time/current/voltage record: the file, the table column names (for unit-annotated tables)
/// and an optional column mapping (for generic CSV/TSV). Shared by the steps that read cycling data.
pub struct CycleInput {
    /// The file, resolved against the study folder.
    pub path: std::path::PathBuf,
    /// The file as the study wrote it (used in errors, metrics and the report).
    pub label: String,
    /// Table column names of time, current and voltage.
    pub columns: [String; 3],
    /// The `columns = {..}` / `units = {..}` mapping, when given.
    pub map: Option<ColumnMap>,
}

impl CycleInput {
    /// Parses the `file`, `*_column`, `columns` and `units` options of a step.
    pub fn parse(
        spec: &mut StepSpec<'_>,
        file: &Spanned<String>,
        names: [Option<String>; 3],
        columns: &Option<Spanned<BTreeMap<String, toml::Value>>>,
        units: &Option<Spanned<BTreeMap<String, String>>>,
    ) -> Result<CycleInput, StudyError> {
        let [t, i, v] = names;
        Ok(CycleInput {
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            columns: [
                t.unwrap_or_else(|| "time".into()),
                i.unwrap_or_else(|| "current".into()),
                v.unwrap_or_else(|| "voltage".into()),
            ],
            map: parse_map(spec, columns, units)?,
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
    ) -> anyhow::Result<Record> {
        let wanted = [
            (self.columns[0].as_str(), Quantity::Time),
            (self.columns[1].as_str(), Quantity::Current),
            (self.columns[2].as_str(), Quantity::Voltage),
        ];
        read_record(path, label, &wanted, kind, accepted, self.map.as_ref())
    }

    /// [`CycleInput::read_at`] on this input's own file.
    pub fn read(&self, kind: &str, accepted: &[Technique]) -> anyhow::Result<Record> {
        self.read_at(&self.path, &self.label, kind, accepted)
    }
}

/// Reads the columns `wanted` (table column name, quantity) of `path` for the step kind `kind`.
///
/// The format is judged by content: any file `spelab-io` reads (BioLogic `.mpr`/`.mpt`, Gamry `.DTA`,
/// Maccor, Neware `.nda`/`.ndax`, Arbin/Neware/Landt/BDF CSV) gives its time, current and voltage
/// channels (the table column names are then not used); any other text is read as a table with units
/// in its headers; with a column `map` the file is read as a generic CSV/TSV through it. An instrument file recorded with a technique outside `accepted` (when the file states
/// one) or without a wanted channel is an error naming the file.
pub fn read_record(
    path: &Path,
    label: &str,
    wanted: &[(&str, Quantity)],
    kind: &str,
    accepted: &[Technique],
    map: Option<&ColumnMap>,
) -> anyhow::Result<Record> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let recording = if let Some(map) = map {
        spelab_io::mapped::read_mapped(&bytes, label, map)?
    } else if spelab_io::detect(&bytes).is_none() {
        let table = spelab_io::table::read_table(&bytes, label)?;
        let columns = wanted.iter().map(|(name, q)| si(&table, name, *q)).collect::<Result<_, _>>()?;
        return Ok(Record { columns, meta: Metadata::default().with_source(label), recording: None });
    } else {
        spelab_io::read_bytes(&bytes, label)?
    };
    check_technique(&recording, label, kind, accepted)?;
    let mut columns = Vec::with_capacity(wanted.len());
    for (_, quantity) in wanted {
        let channel = channel_for(*quantity)?;
        let column = recording.column(&channel).with_context(|| {
            format!(
                "{label}: this {} file has no '{}' channel, which {kind} needs (channels: {})",
                recording.format.id(),
                channel.name(),
                recording.columns.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
            )
        })?;
        let values = column.values.to_f64();
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            anyhow::bail!(
                "{label}: row {}: channel '{}' holds {}; {kind} needs finite values",
                row + 1,
                channel.name(),
                values[row]
            );
        }
        columns.push(values);
    }
    Ok(Record { columns, meta: recording.metadata.clone(), recording: Some(recording) })
}

/// Refuses an instrument file whose stated technique is not one of `accepted`.
fn check_technique(
    recording: &Recording,
    label: &str,
    kind: &str,
    accepted: &[Technique],
) -> anyhow::Result<()> {
    match recording.metadata.technique {
        Some(t) if t != Technique::Unknown && !accepted.contains(&t) => {
            let names: Vec<&str> = accepted.iter().map(|t| t.label()).collect();
            anyhow::bail!(
                "{label}: a {} record ({} file); {kind} needs {}",
                recording.technique.as_deref().unwrap_or(t.label()),
                recording.format.id(),
                names.join(" or ")
            )
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instrument_file_without_current_names_the_file_and_the_channel() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rest.txt");
        // EC-Lab text without a technique line and without a current column.
        std::fs::write(&path, "EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\n0\t3.1\n1\t3.2\n")
            .expect("write");
        let wanted = [("time", Quantity::Time), ("current", Quantity::Current)];
        let e =
            read_record(&path, "rest.txt", &wanted, "transference", &[Technique::Ca], None).err().unwrap();
        let e = format!("{e:#}");
        assert!(e.contains("rest.txt") && e.contains("'current'") && e.contains("transference"), "{e}");
        // The same text as a table keeps the table path.
        std::fs::write(&path, "time [s],current [uA]\n0,1\n1,2\n").expect("write");
        let r = read_record(&path, "t.csv", &wanted, "transference", &[Technique::Ca], None).expect("table");
        assert_eq!(r.columns[1], vec![1e-6, 2e-6]);
        assert!(r.recording.is_none());
    }
}
