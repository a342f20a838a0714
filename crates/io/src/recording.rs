//! [`Recording`]: what every instrument reader returns: named, typed SI columns plus metadata.
//!
//! A recording is the file as the instrument stored it, in spelab's vocabulary ([`Channel`]); the
//! conversions [`Recording::time_series`], [`Recording::impedance_spectrum`] and
//! [`Recording::cycling_data`] build the core measurement types the analyses consume.
//!
//! ```
//! use spelab_io::channel::Channel;
//! use spelab_io::recording::{Column, Format, Recording, Values};
//! let mut r = Recording::new(Format::BiologicMpt, "x.mpt");
//! r.push(Column::new(Channel::Time, "time/s", Values::Float(vec![0.0, 1.0])));
//! r.push(Column::new(Channel::Voltage, "Ewe/V", Values::Float(vec![3.0, 3.1])));
//! r.push(Column::new(Channel::Current, "I/mA", Values::Float(vec![1e-3, 1e-3])));
//! let ts = r.time_series().unwrap();
//! assert_eq!(ts.len(), 2);
//! ```

use serde::Serialize;
use spelab_core::measurement::SplitOptions;
use spelab_core::{CyclingData, ImpedanceSpectrum, Metadata, Technique, TimeSeries};

use crate::channel::Channel;
use crate::IoError;

/// The file formats spelab reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// BioLogic EC-Lab binary `.mpr`.
    BiologicMpr,
    /// BioLogic EC-Lab text export `.mpt`.
    BiologicMpt,
    /// Gamry Framework EXPLAIN text `.DTA`.
    GamryDta,
    /// Maccor text export (three header dialects).
    MaccorText,
    /// Arbin CSV export.
    ArbinCsv,
    /// Neware BTSDA CSV export.
    NewareCsv,
    /// Landt CSV export.
    LandtCsv,
    /// Battery Data Format CSV.
    BdfCsv,
    /// Neware BTS binary `.nda`.
    NewareNda,
    /// Neware BTS `.ndax` (ZIP of `.ndc` files).
    NewareNdax,
    /// Any CSV/TSV read with a user-given column mapping ([`crate::mapped`]).
    MappedCsv,
    /// Scribner ZPlot / ZView `.z` impedance export.
    ZPlot,
    /// Arbin MITS `.res` result file (Microsoft Access / Jet 4 database).
    ArbinRes,
}

impl Format {
    /// Short identifier used in JSON output ("biologic-mpr").
    pub fn id(self) -> &'static str {
        match self {
            Format::BiologicMpr => "biologic-mpr",
            Format::BiologicMpt => "biologic-mpt",
            Format::GamryDta => "gamry-dta",
            Format::MaccorText => "maccor-text",
            Format::ArbinCsv => "arbin-csv",
            Format::NewareCsv => "neware-csv",
            Format::LandtCsv => "landt-csv",
            Format::BdfCsv => "bdf-csv",
            Format::NewareNda => "neware-nda",
            Format::NewareNdax => "neware-ndax",
            Format::MappedCsv => "mapped-csv",
            Format::ZPlot => "zplot",
            Format::ArbinRes => "arbin-res",
        }
    }

    /// The instrument family and software that write the format.
    pub fn instrument(self) -> &'static str {
        match self {
            Format::BiologicMpr | Format::BiologicMpt => "BioLogic EC-Lab",
            Format::GamryDta => "Gamry Framework",
            Format::MaccorText => "Maccor",
            Format::ArbinCsv | Format::ArbinRes => "Arbin MITS",
            Format::NewareCsv => "Neware BTSDA",
            Format::LandtCsv => "Landt",
            Format::BdfCsv => "Battery Data Format",
            Format::NewareNda | Format::NewareNdax => "Neware BTS",
            Format::MappedCsv => "generic CSV/TSV (column mapping)",
            Format::ZPlot => "Scribner ZPlot",
        }
    }
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Values {
    /// Measured values in the channel's SI unit.
    Float(Vec<f64>),
    /// Indices, codes and flags.
    Int(Vec<i64>),
}

impl Values {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Values::Float(v) => v.len(),
            Values::Int(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as `f64` (`None` past the end).
    pub fn get(&self, i: usize) -> Option<f64> {
        match self {
            Values::Float(v) => v.get(i).copied(),
            Values::Int(v) => v.get(i).map(|&x| x as f64),
        }
    }

    /// All values as `f64`.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Values::Float(v) => v.clone(),
            Values::Int(v) => v.iter().map(|&x| x as f64).collect(),
        }
    }
}

/// One column of a [`Recording`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// What the column holds (name and SI unit).
    pub channel: Channel,
    /// The vendor's label, e.g. `<I>/mA` (for traceability only; analyses use `channel`).
    pub source: String,
    /// Values in the channel's unit: `si = raw · scale + offset` of the raw file value.
    pub values: Values,
    /// Factor from the raw file value to SI.
    pub scale: f64,
    /// Offset from the raw file value to SI (temperatures in °C).
    pub offset: f64,
    /// Whether spelab computed this column (it is not stored in the file).
    pub derived: bool,
}

impl Column {
    /// A column stored in the file whose raw values already are SI (scale 1, offset 0).
    pub fn new(channel: Channel, source: impl Into<String>, values: Values) -> Column {
        Column { channel, source: source.into(), values, scale: 1.0, offset: 0.0, derived: false }
    }

    /// The spelab column name.
    pub fn name(&self) -> &str {
        self.channel.name()
    }

    /// The SI unit.
    pub fn unit(&self) -> &str {
        self.channel.unit()
    }

    /// Value `i` converted back to the vendor's unit (for comparison with vendor exports).
    pub fn raw(&self, i: usize) -> Option<f64> {
        self.values.get(i).map(|v| (v - self.offset) / self.scale)
    }
}

/// A file read into spelab's vocabulary: format, technique, metadata and columns of equal length.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recording {
    /// The file format.
    pub format: Format,
    /// Format version details ("module header v2, data v0/11, EC-Lab 11.50"), when known.
    pub version: Option<String>,
    /// The vendor's technique label ("GCPL", "MB"), when stated.
    pub technique: Option<String>,
    /// Sample and run metadata (source, instrument, technique, area, mass, start time, extra).
    pub metadata: Metadata,
    /// The columns, in file order, derived columns last.
    pub columns: Vec<Column>,
    /// Start index (row) of each loop, when the file records loops.
    pub loops: Vec<u64>,
    /// Things the reader noticed and the user should know (never silent data loss).
    pub warnings: Vec<String>,
    /// Records the reader skipped: those the vendor's software skips too, and the last record of a
    /// text file cut inside it (each counted here and named in a warning; a record that cannot be
    /// decoded is an error instead).
    pub skipped_records: usize,
}

impl Recording {
    /// An empty recording of `format` read from `source`.
    pub fn new(format: Format, source: &str) -> Recording {
        Recording {
            format,
            version: None,
            technique: None,
            metadata: Metadata::default().with_source(source).with_instrument(format.instrument()),
            columns: Vec::new(),
            loops: Vec::new(),
            warnings: Vec::new(),
            skipped_records: 0,
        }
    }

    /// The input name used in errors (the metadata source).
    pub fn source(&self) -> &str {
        self.metadata.source.as_deref().unwrap_or("")
    }

    /// Appends a column; a second column of the same name gets a `_2`, `_3` ... suffix.
    pub fn push(&mut self, mut column: Column) {
        let base = column.name().to_string();
        let mut n = 1;
        while self.columns.iter().any(|c| c.name() == column.name()) {
            n += 1;
            column.channel = Channel::Other { name: format!("{base}_{n}"), unit: column.unit().to_string() };
        }
        self.columns.push(column);
    }

    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// The first column holding `channel`.
    pub fn column(&self, channel: &Channel) -> Option<&Column> {
        self.columns.iter().find(|c| &c.channel == channel)
    }

    /// The column named `name` (spelab name).
    pub fn column_named(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name() == name)
    }

    /// First and last value of the time column [s].
    pub fn time_span(&self) -> Option<(f64, f64)> {
        let t = self.column(&Channel::Time)?;
        Some((t.values.get(0)?, t.values.get(t.values.len().checked_sub(1)?)?))
    }

    fn require(&self, channel: Channel, wanted_for: &'static str) -> Result<Vec<f64>, IoError> {
        self.column(&channel).map(|c| c.values.to_f64()).ok_or_else(|| IoError::MissingChannel {
            name: self.source().to_string(),
            channel: channel.name().to_string(),
            wanted_for,
            available: self.columns.iter().map(|c| c.name()).collect::<Vec<_>>().join(", "),
        })
    }

    fn index_channel(&self, channel: Channel) -> Option<Vec<u32>> {
        let c = self.column(&channel)?;
        let v = c.values.to_f64();
        v.iter()
            .all(|x| x.is_finite() && *x >= 0.0 && *x <= u32::MAX as f64)
            .then(|| v.iter().map(|&x| x as u32).collect())
    }

    fn core_error(&self, source: spelab_core::CoreError) -> IoError {
        IoError::Invalid { name: self.source().to_string(), source }
    }

    /// The record as a [`TimeSeries`]: time [s], current [A], voltage [V], plus temperature, cycle and
    /// step channels when present.
    ///
    /// An OCV record without a current column gets zero current (no current flows by definition);
    /// any other record without current is an error.
    pub fn time_series(&self) -> Result<TimeSeries, IoError> {
        let time = self.require(Channel::Time, "a time series")?;
        let voltage = self.require(Channel::Voltage, "a time series")?;
        let current = match self.require(Channel::Current, "a time series") {
            Ok(c) => c,
            Err(_) if self.metadata.technique == Some(Technique::Ocv) => vec![0.0; time.len()],
            Err(e) => return Err(e),
        };
        let mut ts =
            TimeSeries::new(time, current, voltage, self.metadata.clone()).map_err(|e| self.core_error(e))?;
        if let Some(t) = self.column(&Channel::Temperature) {
            ts = ts.with_temperature(t.values.to_f64()).map_err(|e| self.core_error(e))?;
        }
        if let Some(cycle) = self.index_channel(Channel::CycleIndex) {
            ts = ts.with_cycle(cycle).map_err(|e| self.core_error(e))?;
        }
        if let Some(step) = self.index_channel(Channel::StepIndex) {
            ts = ts.with_step(step).map_err(|e| self.core_error(e))?;
        }
        // The instrument's own charge count, when every value is usable (it then sets half-cycle charges).
        if let Some(dq) = self.column(&Channel::ChargeIncrement).filter(|c| !c.derived) {
            let dq = dq.values.to_f64();
            if dq.iter().all(|x| x.is_finite()) {
                ts = ts.with_charge_increment(dq).map_err(|e| self.core_error(e))?;
            }
        }
        Ok(ts)
    }

    /// The record as an [`ImpedanceSpectrum`]: frequency [Hz], Z' and Z'' [Ω].
    pub fn impedance_spectrum(&self) -> Result<ImpedanceSpectrum, IoError> {
        let f = self.require(Channel::Frequency, "an impedance spectrum")?;
        let re = self.require(Channel::ImpedanceReal, "an impedance spectrum")?;
        let im = self.require(Channel::ImpedanceImag, "an impedance spectrum")?;
        ImpedanceSpectrum::from_parts(f, re, im, self.metadata.clone()).map_err(|e| self.core_error(e))
    }

    /// The record as [`CyclingData`], split with `options`.
    pub fn cycling_data(&self, options: SplitOptions) -> Result<CyclingData, IoError> {
        CyclingData::from_time_series(self.time_series()?, options).map_err(|e| self.core_error(e))
    }

    /// The metadata as `spelab read --json` prints it: the set fields of [`Recording::metadata`] plus
    /// `format_version`, `time_span_s`, `loops`, `warnings` and `derived_columns` when there are any.
    pub fn metadata_json(&self) -> serde_json::Value {
        let mut meta = serde_json::to_value(&self.metadata).unwrap_or(serde_json::Value::Null);
        if let Some(map) = meta.as_object_mut() {
            map.retain(|_, v| !v.is_null());
            if let Some(version) = &self.version {
                map.insert("format_version".into(), version.clone().into());
            }
            if let Some((t0, t1)) = self.time_span() {
                map.insert("time_span_s".into(), serde_json::json!([t0, t1]));
            }
            if !self.loops.is_empty() {
                map.insert("loops".into(), serde_json::json!(self.loops));
            }
            if !self.warnings.is_empty() {
                map.insert("warnings".into(), serde_json::json!(self.warnings));
            }
            let derived: Vec<&str> = self.columns.iter().filter(|c| c.derived).map(|c| c.name()).collect();
            if !derived.is_empty() {
                map.insert("derived_columns".into(), serde_json::json!(derived));
            }
        }
        meta
    }

    /// Checks that every column has [`Recording::rows`] values.
    pub fn check_lengths(&self) -> Result<(), IoError> {
        let rows = self.rows();
        match self.columns.iter().find(|c| c.values.len() != rows) {
            None => Ok(()),
            Some(c) => Err(IoError::Corrupt {
                name: self.source().to_string(),
                offset: 0,
                expected: format!("{rows} values in column {}", c.name()),
                found: format!("{}", c.values.len()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec() -> Recording {
        let mut r = Recording::new(Format::BiologicMpt, "t.mpt");
        r.push(Column::new(Channel::Frequency, "freq/Hz", Values::Float(vec![1e3, 1e2])));
        r.push(Column::new(Channel::ImpedanceReal, "Re(Z)/Ohm", Values::Float(vec![10.0, 12.0])));
        r.push(Column::new(Channel::ImpedanceImag, "-Im(Z)/Ohm", Values::Float(vec![-1.0, -3.0])));
        r
    }

    #[test]
    fn converts_to_a_spectrum_and_names_missing_channels() {
        let r = rec();
        let s = r.impedance_spectrum().expect("spectrum");
        assert_eq!(s.imag(), vec![-1.0, -3.0]);
        let e = r.time_series().unwrap_err().to_string();
        assert!(e.contains("t.mpt") && e.contains("'time'") && e.contains("frequency, z_real"), "{e}");
    }

    #[test]
    fn duplicate_names_get_a_suffix() {
        let mut r = rec();
        r.push(Column::new(Channel::Frequency, "f2", Values::Float(vec![1.0, 2.0])));
        assert_eq!(r.columns[3].name(), "frequency_2");
        assert!(r.check_lengths().is_ok());
    }
}
