//! Time, current and voltage of a measured file, in SI: [`read_channels`] and [`read_series`].
//!
//! The format is judged by content. Any file spelab-io reads (BioLogic `.mpr`/`.mpt`, Gamry `.DTA`,
//! Maccor, Neware `.nda`/`.ndax`, Arbin/Neware/Landt/BDF CSV) gives its time, current and voltage
//! channels; any other text is read as a [`Table`] with the unit of each column in its header
//! (`time [h], current [uA], voltage [mV]`), and a column without a unit is an error that says how to
//! write one; with a [`ColumnMap`] (`--map` on the command line, `columns = {..}` in a study) the file
//! is read as a generic CSV/TSV through it. A [`SeriesMap`] holds the table column names and the
//! optional mapping; it is plain data, so the CLI and the study file fill it from their own syntax.

use spelab_core::units::{parse_quantity, Quantity};
use spelab_core::{Metadata, Technique, TimeSeries};

use crate::mapped::{read_mapped, ColumnMap};
use crate::table::{read_table, Table};
use crate::{Channel, IoError, Recording};

/// Where a series' channels are in a file that is not an instrument file.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesMap {
    /// Table column names (without unit) of time, current and voltage, in that order.
    pub columns: [String; 3],
    /// A column mapping for a generic CSV/TSV; when given, the table column names are not used.
    pub map: Option<ColumnMap>,
}

impl Default for SeriesMap {
    /// Columns `time`, `current` and `voltage`, no mapping.
    fn default() -> Self {
        SeriesMap { columns: ["time".into(), "current".into(), "voltage".into()], map: None }
    }
}

impl SeriesMap {
    /// The (table column name, quantity) pairs of time, current and voltage.
    pub fn wanted(&self) -> [(&str, Quantity); 3] {
        [
            (self.columns[0].as_str(), Quantity::Time),
            (self.columns[1].as_str(), Quantity::Current),
            (self.columns[2].as_str(), Quantity::Voltage),
        ]
    }
}

/// What a reader of a series accepts: the techniques and a name of the purpose for errors.
#[derive(Debug, Clone, Copy)]
pub struct Purpose<'a> {
    /// What the data are read for ("transference"), named in errors.
    pub name: &'a str,
    /// Techniques an instrument file may state (an unstated or unknown technique is accepted).
    pub accepted: &'a [Technique],
}

/// Channels read from a file: the requested columns in SI plus the file's metadata.
#[derive(Debug, Clone)]
pub struct Channels {
    /// The requested columns, in the order asked for, converted to SI.
    pub columns: Vec<Vec<f64>>,
    /// Metadata: source, and for instrument files the instrument, technique, area, mass ...
    pub meta: Metadata,
    /// The instrument recording, when the file was an instrument file rather than a table.
    pub recording: Option<Recording>,
}

/// Column `name` of `table` converted to SI as `quantity`, each value checked with its line number.
pub fn column_si(table: &Table, name: &str, quantity: Quantity) -> Result<Vec<f64>, IoError> {
    let label = &table.name;
    let c = table.column(name)?;
    let unit =
        c.unit.as_deref().ok_or_else(|| IoError::NoUnit { name: label.clone(), column: name.to_string() })?;
    // One conversion factor for the column (units here are linear, no offset, except temperature).
    if quantity != Quantity::Temperature {
        let scale = parse_quantity(&format!("1 {unit}"), quantity).map_err(|e| IoError::ColumnUnit {
            name: label.clone(),
            column: name.to_string(),
            unit: unit.to_string(),
            reason: e.to_string(),
        })?;
        return c
            .values
            .iter()
            .zip(&c.lines)
            .map(|(v, line)| {
                if v.is_finite() {
                    Ok(v * scale)
                } else {
                    Err(IoError::NotFinite {
                        name: label.clone(),
                        line: *line,
                        column: name.to_string(),
                        value: *v,
                    })
                }
            })
            .collect();
    }
    c.values
        .iter()
        .zip(&c.lines)
        .map(|(v, line)| {
            parse_quantity(&format!("{v} {unit}"), quantity).map_err(|e| IoError::BadLine {
                name: label.clone(),
                line: *line,
                message: format!("column '{name}': {e}"),
            })
        })
        .collect()
}

/// The channel an instrument file stores for `quantity` (time, current, voltage).
fn channel_for(quantity: Quantity) -> Option<Channel> {
    Some(match quantity {
        Quantity::Time => Channel::Time,
        Quantity::Current => Channel::Current,
        Quantity::Voltage => Channel::Voltage,
        _ => return None,
    })
}

/// Reads the columns `wanted` (table column name, quantity) of the file `bytes`, named `label`.
///
/// Instrument files give their time, current and voltage channels (the table column names are then
/// not used); other text is a table with units in its headers; with a column `map` the file is read
/// as a generic CSV/TSV through it. An instrument file recorded with a technique outside
/// `purpose.accepted` (when the file states one) or without a wanted channel is an error naming the
/// file. Only time, current and voltage can be asked of an instrument file.
pub fn read_channels(
    bytes: &[u8],
    label: &str,
    wanted: &[(&str, Quantity)],
    map: Option<&ColumnMap>,
    purpose: Purpose<'_>,
) -> Result<Channels, IoError> {
    let recording = if let Some(map) = map {
        read_mapped(bytes, label, map)?
    } else if crate::detect(bytes).is_none() {
        let table = read_table(bytes, label)?;
        let columns = wanted.iter().map(|(name, q)| column_si(&table, name, *q)).collect::<Result<_, _>>()?;
        return Ok(Channels { columns, meta: Metadata::default().with_source(label), recording: None });
    } else {
        crate::read_bytes(bytes, label)?
    };
    check_technique(&recording, label, purpose)?;
    let mut columns = Vec::with_capacity(wanted.len());
    for (_, quantity) in wanted {
        let channel = channel_for(*quantity).ok_or_else(|| IoError::Mapping {
            name: label.to_string(),
            message: format!("no instrument channel holds {quantity:?}"),
        })?;
        let column = recording.column(&channel).ok_or_else(|| IoError::ChannelAbsent {
            name: label.to_string(),
            format: recording.format.id(),
            channel: channel.name().to_string(),
            purpose: purpose.name.to_string(),
            available: recording.columns.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "),
        })?;
        let values = column.values.to_f64();
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            return Err(IoError::ChannelNotFinite {
                name: label.to_string(),
                row: row + 1,
                channel: channel.name().to_string(),
                purpose: purpose.name.to_string(),
                value: values[row],
            });
        }
        columns.push(values);
    }
    Ok(Channels { columns, meta: recording.metadata.clone(), recording: Some(recording) })
}

/// Reads a galvanostatic or potentiostatic record as a [`TimeSeries`] (see [`read_channels`]).
///
/// An instrument file gives its own time series, which keeps the instrument's charge count (`dq`)
/// and cycle numbers; a table gives time, current and voltage with the file as source.
pub fn read_series(
    bytes: &[u8],
    label: &str,
    map: &SeriesMap,
    purpose: Purpose<'_>,
) -> Result<TimeSeries, IoError> {
    let channels = read_channels(bytes, label, &map.wanted(), map.map.as_ref(), purpose)?;
    match &channels.recording {
        Some(recording) => recording.time_series(),
        None => {
            let mut columns = channels.columns.into_iter();
            let mut next = || columns.next().unwrap_or_default();
            let (t, i, v) = (next(), next(), next());
            TimeSeries::new(t, i, v, channels.meta.with_source(label))
                .map_err(|source| IoError::Invalid { name: label.to_string(), source })
        }
    }
}

/// Refuses an instrument file whose stated technique is not one of `purpose.accepted`.
fn check_technique(recording: &Recording, label: &str, purpose: Purpose<'_>) -> Result<(), IoError> {
    match recording.metadata.technique {
        Some(t) if t != Technique::Unknown && !purpose.accepted.contains(&t) => {
            let names: Vec<&str> = purpose.accepted.iter().map(|t| t.label()).collect();
            Err(IoError::WrongTechnique {
                name: label.to_string(),
                technique: recording.technique.as_deref().unwrap_or(t.label()).to_string(),
                format: recording.format.id(),
                purpose: purpose.name.to_string(),
                accepted: names.join(" or "),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: Purpose<'static> = Purpose { name: "transference", accepted: &[Technique::Ca] };

    #[test]
    fn an_instrument_file_without_current_names_the_file_and_the_channel() {
        // EC-Lab text without a technique line and without a current column.
        let text = "EC-Lab ASCII FILE\nNb header lines : 3\ntime/s\tEwe/V\n0\t3.1\n1\t3.2\n";
        let wanted = [("time", Quantity::Time), ("current", Quantity::Current)];
        let e = read_channels(text.as_bytes(), "rest.txt", &wanted, None, CA).err().unwrap();
        let e = e.to_string();
        assert!(e.contains("rest.txt") && e.contains("'current'") && e.contains("transference"), "{e}");
        // The same text as a table keeps the table path.
        let table = "time [s],current [uA]\n0,1\n1,2\n";
        let r = read_channels(table.as_bytes(), "t.csv", &wanted, None, CA).expect("table");
        assert_eq!(r.columns[1], vec![1e-6, 2e-6]);
        assert!(r.recording.is_none());
    }

    #[test]
    fn a_table_becomes_a_series_in_si() {
        let table = "time [h],current [mA],voltage [mV]\n0,1,3000\n0.5,-1,2900\n";
        let s = read_series(table.as_bytes(), "c.csv", &SeriesMap::default(), CA).expect("series");
        assert_eq!(s.time(), &[0.0, 1800.0]);
        assert_eq!(s.current(), &[1e-3, -1e-3]);
        assert_eq!(s.voltage(), &[3.0, 2.9]);
        assert_eq!(s.meta().source.as_deref(), Some("c.csv"));
    }

    #[test]
    fn a_column_without_unit_says_how_to_write_one() {
        let table = "time,current [mA],voltage [V]\n0,1,3\n";
        let e = read_series(table.as_bytes(), "c.csv", &SeriesMap::default(), CA).err().unwrap();
        assert_eq!(e.to_string(), "c.csv: column 'time' has no unit in its header; write 'time [unit]'");
    }

    #[test]
    fn a_mapped_csv_is_read_through_its_map() {
        let map =
            ColumnMap::parse("time=0,current=1,voltage=2", &["time=s,current=mA,voltage=V"]).expect("map");
        let map = SeriesMap { map: Some(map), ..SeriesMap::default() };
        let s = read_series(b"t,i,v\n0,1,3\n1,2,3.1\n", "m.csv", &map, CA).expect("mapped");
        assert_eq!(s.current(), &[1e-3, 2e-3]);
    }
}
