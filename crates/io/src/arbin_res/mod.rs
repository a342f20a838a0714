//! Arbin MITS `.res` result files: a Microsoft Access (Jet 4) database, read with the pure-Rust
//! [`jetdb`] crate.
//!
//! The data rows are `Channel_Normal_Table` (one row per logged point: `Test_Time`, `Current`,
//! `Voltage`, `Charge_Capacity` [Ah], ...), mapped onto spelab's [`Channel`] vocabulary and SI units
//! with the Arbin label kept as each column's `source`; the test facts are `Global_Table` (test name,
//! channel, start time, schedule, creator, ...), kept as metadata. `DateTime` is an OLE automation date
//! (days since 1899-12-30, the instrument PC's wall clock, no time zone); spelab turns it into seconds
//! since 1970-01-01 of that zone-less time, as the Arbin CSV export writes it. Rows come in
//! (`Test_ID`, `Data_Point`) order, as Arbin's export lists them: Jet does not keep insertion order
//! across pages (the corpus file `arbin_example.res` stores points 1801-1840 before 1321-1360).
//!
//! Auxiliary channels (`Auxiliary_Table`, named by `Aux_Global_Data_Table`: thermocouples, aux
//! voltages) become extra columns joined on (`Test_ID`, `Data_Point`); see [`aux`].
//!
//! A damaged file is an error, never a shorter table presented as the whole file:
//! - a Jet file is whole pages (2048 bytes in Jet 3, 4096 from Jet 4 on), so a length that is not a
//!   multiple of the page size is a truncated file, reported at the start of the incomplete page;
//! - every page a table of the catalog starts at, stores rows on or roots an index at must lie inside
//!   the file (so a cut at a page boundary fails too, unless only free pages were cut);
//! - the rows read must be exactly the row count the table definition (TDEF) records, and no row may
//!   be unreadable (jetdb passes unreadable rows over and only counts them).
//!
//! jetdb reads untrusted bytes through a lot of code (catalog, table definitions, usage maps, long
//! values); to keep spelab's promise "never panic on any input" independent of it, every jetdb call
//! runs under [`std::panic::catch_unwind`] and a panic becomes an [`IoError::Corrupt`] naming jetdb.
//! (The fuzz target `res` aborts on any panic outside jetdb, so spelab's own code is still held to
//! "no panic".)
//!
//! ```
//! use spelab_io::arbin_res::{is_jet_database, ole_date_to_unix_s};
//! assert!(is_jet_database(b"\x00\x01\x00\x00Standard Jet DB\x00"));
//! assert!(!is_jet_database(b"NEWARE"));
//! // 2016-08-05 16:16:23 (Start_DateTime of the corpus file 20160805_test001_45_cc_01.res).
//! assert_eq!(ole_date_to_unix_s(42_587.678_043_981_48).round(), 1_470_413_783.0);
//! ```

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use jetdb::{FileError, PageReader, TableDef, Value};

use crate::channel::{snake_case, Channel};

mod aux;
mod rows;
use crate::recording::{Column, Format, Recording, Values};
use crate::IoError;
use rows::{all_rows, data_point_order, first_row, read_columns, row_keys, Raw};

/// Offset of the Jet / ACE signature in page 0.
const SIGNATURE_AT: usize = 4;
/// Offset of the Jet version byte in page 0 (0 = Jet 3, 1 = Jet 4, 2.. = ACE).
const VERSION_AT: usize = 0x14;
/// Days from the OLE automation epoch (1899-12-30) to the Unix epoch (1970-01-01).
const OLE_UNIX_EPOCH_DAYS: f64 = 25_569.0;
/// The table of logged points.
const DATA_TABLE: &str = "Channel_Normal_Table";

/// Whether `bytes` start like a Microsoft Access database ("Standard Jet DB" or "Standard ACE DB"
/// at byte 4).
pub fn is_jet_database(bytes: &[u8]) -> bool {
    let sig = bytes.get(SIGNATURE_AT..SIGNATURE_AT + 15);
    sig == Some(b"Standard Jet DB") || sig == Some(b"Standard ACE DB")
}

/// Seconds since 1970-01-01 of an OLE automation date (days since 1899-12-30, fraction = time of day).
pub fn ole_date_to_unix_s(days: f64) -> f64 {
    (days - OLE_UNIX_EPOCH_DAYS) * 86_400.0
}

/// Reads an Arbin `.res` file from any reader; `name` is used in error messages.
pub fn read_res_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_res(&bytes, name)
}

/// Reads an Arbin `.res` file from its bytes; `name` is used in error messages.
///
/// jetdb's page reader owns its source, so the bytes are copied once into it.
pub fn read_res(bytes: &[u8], name: &str) -> Result<Recording, IoError> {
    let corrupt = |offset: usize, expected: &str, found: String| IoError::Corrupt {
        name: name.to_string(),
        offset,
        expected: expected.to_string(),
        found,
    };
    if !is_jet_database(bytes) {
        let head = bytes.get(SIGNATURE_AT..bytes.len().min(SIGNATURE_AT + 15)).unwrap_or_default();
        return Err(corrupt(
            SIGNATURE_AT,
            "the Access signature 'Standard Jet DB' or 'Standard ACE DB'",
            format!("{:?}", String::from_utf8_lossy(head)),
        ));
    }
    let Some(&version) = bytes.get(VERSION_AT) else {
        return Err(truncated(name, 0, "the Jet header", VERSION_AT + 1, bytes.len()));
    };
    let page_size = match jetdb::JetVersion::from_byte(version) {
        Ok(v) => v.format().page_size,
        Err(_) => return Err(corrupt(VERSION_AT, "a Jet / ACE version byte (0 to 6)", format!("{version}"))),
    };
    let whole_pages = bytes.len() / page_size;
    if whole_pages == 0 || !bytes.len().is_multiple_of(page_size) {
        let at = whole_pages * page_size;
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: at,
            what: format!("Jet page {whole_pages} ({page_size}-byte pages)"),
            expected: page_size,
            available: bytes.len() - at,
            hint: "; an Access file is whole pages".into(),
        });
    }
    let owned = bytes.to_vec();
    match catch_unwind(AssertUnwindSafe(|| read_database(owned, name, page_size))) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            Err(corrupt(0, "an Access database jetdb can read", format!("jetdb panicked: {message}")))
        }
    }
}

/// An [`IoError::Truncated`] for `what` at `offset`.
fn truncated(name: &str, offset: usize, what: &str, expected: usize, available: usize) -> IoError {
    IoError::Truncated {
        name: name.to_string(),
        offset,
        what: what.to_string(),
        expected,
        available,
        hint: String::new(),
    }
}

/// A jetdb error as an [`IoError`], with `context` saying what was being read.
fn jet_error(name: &str, page_size: usize, file_len: usize, context: &str, e: FileError) -> IoError {
    match e {
        FileError::PageOutOfRange { page, .. } => IoError::Truncated {
            name: name.to_string(),
            offset: file_len,
            what: format!("{context}: page {page} at byte {}", page as usize * page_size),
            expected: page_size,
            available: 0,
            hint: "; the file ends before it".into(),
        },
        FileError::FileTooSmall { expected, actual } => {
            truncated(name, 0, &format!("{context}: the Jet header page"), expected, actual as usize)
        }
        FileError::InvalidRow { page, row, reason } => IoError::Corrupt {
            name: name.to_string(),
            offset: page as usize * page_size,
            expected: format!("{context}: a readable row {row} on page {page}"),
            found: reason.to_string(),
        },
        other => IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: format!("{context}: a readable Access database"),
            found: other.to_string(),
        },
    }
}

/// The jetdb part of [`read_res`], run under `catch_unwind`.
fn read_database(bytes: Vec<u8>, name: &str, page_size: usize) -> Result<Recording, IoError> {
    let file_len = bytes.len();
    let err = |context: &str, e: FileError| jet_error(name, page_size, file_len, context, e);
    let mut db = PageReader::open_reader(Cursor::new(bytes)).map_err(|e| err("header", e))?;
    let jet = format!("{:?}", db.header().version);
    let catalog = jetdb::read_catalog(&mut db).map_err(|e| err("catalog (MSysObjects)", e))?;
    let table = |db: &mut PageReader, table: &str| -> Result<Option<TableDef>, IoError> {
        match catalog.iter().find(|e| e.name == table && !e.is_system()) {
            None => Ok(None),
            Some(e) => {
                let context = format!("table definition of {table}");
                let def = jetdb::read_table_def(db, &e.name, e.table_page).map_err(|e| err(&context, e))?;
                // Every page the table references must be in the file.
                if let Some(&last) = def.data_pages.iter().max() {
                    if last as usize >= file_len / page_size {
                        let missing = FileError::PageOutOfRange { page: last, max_page: 0 };
                        return Err(err(&format!("data pages of {table}"), missing));
                    }
                }
                Ok(Some(def))
            }
        }
    };
    check_pages(&mut db, &catalog, name, page_size, file_len)?;
    let Some(data) = table(&mut db, DATA_TABLE)? else {
        let mut tables: Vec<&str> =
            catalog.iter().filter(|e| !e.is_system()).map(|e| e.name.as_str()).collect();
        tables.truncate(12);
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: format!("an Arbin .res database with a {DATA_TABLE}"),
            found: format!("an Access database with the tables {}", tables.join(", ")),
        });
    };
    let mut rec = Recording::new(Format::ArbinRes, name);
    let (columns, skipped_types) = read_columns(&mut db, &data, name, page_size, file_len)?;
    if columns.is_empty() || columns[0].1.len() == 0 {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: format!("at least one row of numbers in {DATA_TABLE}"),
            found: if columns.is_empty() { "no numeric column".into() } else { "no rows".into() },
        });
    }
    if !skipped_types.is_empty() {
        rec.warnings
            .push(format!("{DATA_TABLE}: non-numeric columns not read: {}", skipped_types.join(", ")));
    }
    let order = data_point_order(&columns);
    let keys = row_keys(&columns, order.as_deref());
    for (label, raw) in columns {
        let raw = match &order {
            Some(order) => raw.permuted(order),
            None => raw,
        };
        rec.push(column(&label, raw));
    }
    let mut version = jet.clone();
    if let Some(def) = table(&mut db, "Version_Table")? {
        if let Some(row) = first_row(&mut db, &def, name, page_size, file_len)? {
            if let Some(Value::Text(v)) = row.first() {
                version = format!("{v}, {jet}");
            }
        }
    }
    rec.version = Some(version);
    if let Some(def) = table(&mut db, "Global_Table")? {
        if let Some(row) = first_row(&mut db, &def, name, page_size, file_len)? {
            global_metadata(&mut rec, &def, &row);
        }
    }
    if let Some(def) = table(&mut db, aux::AUX_TABLE)? {
        if def.num_rows > 0 {
            let names = match table(&mut db, aux::AUX_GLOBAL_TABLE)? {
                Some(g) => {
                    let rows = all_rows(&mut db, &g, name, page_size, file_len)?;
                    let labels: Vec<String> = g.columns.iter().map(|c| c.name.clone()).collect();
                    aux::names(&labels, &rows)
                }
                None => Default::default(),
            };
            let (columns, _) = read_columns(&mut db, &def, name, page_size, file_len)?;
            let has_temperature = rec.column(&Channel::Temperature).is_some();
            let (columns, warnings) = aux::columns(&columns, &names, &keys, has_temperature);
            for c in columns {
                rec.push(c);
            }
            rec.warnings.extend(warnings);
        }
    }
    Ok(rec)
}

/// Every page a table of the catalog (system tables included) starts at, stores rows on or roots an
/// index at must be in the file: a file cut at a page boundary then still fails, unless only free
/// pages were cut. Table definitions jetdb cannot read are passed over here (the tables spelab reads
/// are checked again when read).
fn check_pages(
    db: &mut PageReader,
    catalog: &[jetdb::CatalogEntry],
    name: &str,
    page_size: usize,
    file_len: usize,
) -> Result<(), IoError> {
    let pages = (file_len / page_size) as u32;
    for e in catalog.iter().filter(|e| e.object_type == jetdb::ObjectType::Table && e.table_page != 0) {
        let context = format!("table {}", e.name);
        let out = |page: u32| {
            jet_error(name, page_size, file_len, &context, FileError::PageOutOfRange { page, max_page: 0 })
        };
        if e.table_page >= pages {
            return Err(out(e.table_page));
        }
        let def = match jetdb::read_table_def(db, &e.name, e.table_page) {
            Ok(def) => def,
            Err(FileError::PageOutOfRange { page, .. }) => return Err(out(page)),
            Err(_) => continue,
        };
        let roots = def.indexes.iter().map(|i| i.first_data_page).filter(|&p| p != 0);
        if let Some(last) = def.data_pages.iter().copied().chain(roots).max() {
            if last >= pages {
                return Err(out(last));
            }
        }
    }
    Ok(())
}

/// The spelab column for an Arbin label: channel, factor to SI and offset.
fn channel_of(label: &str) -> (Channel, f64, f64) {
    let c = |channel: Channel| (channel, 1.0, 0.0);
    match label {
        "Test_Time" => c(Channel::Time),
        "Step_Time" => c(Channel::StepTime),
        "DateTime" => (Channel::UnixTime, 86_400.0, -OLE_UNIX_EPOCH_DAYS * 86_400.0),
        "Step_Index" => c(Channel::StepIndex),
        "Cycle_Index" => c(Channel::CycleIndex),
        "Current" => c(Channel::Current),
        "Voltage" => c(Channel::Voltage),
        "Charge_Capacity" => (Channel::ChargeCapacity, 3600.0, 0.0),
        "Discharge_Capacity" => (Channel::DischargeCapacity, 3600.0, 0.0),
        "Charge_Energy" => (Channel::ChargeEnergy, 3600.0, 0.0),
        "Discharge_Energy" => (Channel::DischargeEnergy, 3600.0, 0.0),
        "Internal_Resistance" => c(Channel::Resistance),
        "dV/dt" => c(Channel::other("dV/dt", "V/s")),
        "AC_Impedance" => c(Channel::other("AC_Impedance", "Ohm")),
        // Arbin states the ACI phase angle in degrees.
        "ACI_Phase_Angle" => (Channel::other("ACI_Phase_Angle", "rad"), std::f64::consts::PI / 180.0, 0.0),
        other => c(Channel::other(&snake_case(other), "1")),
    }
}

/// One spelab column from an Arbin label and its stored values.
fn column(label: &str, raw: Raw) -> Column {
    let (channel, scale, offset) = channel_of(label);
    let keep_int = scale == 1.0 && offset == 0.0;
    let values = match raw {
        Raw::Int(v) if keep_int && (channel.is_integer() || matches!(channel, Channel::Other { .. })) => {
            Values::Int(v)
        }
        Raw::Int(v) => Values::Float(v.iter().map(|&x| x as f64 * scale + offset).collect()),
        Raw::Float(v) if keep_int => Values::Float(v),
        Raw::Float(v) => Values::Float(v.iter().map(|&x| x * scale + offset).collect()),
    };
    Column { channel, source: label.to_string(), values, scale, offset, derived: false }
}

/// `Global_Table`'s first row as metadata: start time, active mass, every other field verbatim.
fn global_metadata(rec: &mut Recording, def: &TableDef, row: &[Value]) {
    let mut mass_g = None;
    for (c, value) in def.columns.iter().zip(row) {
        let text = match value {
            Value::Null => continue,
            Value::Text(s) if s.trim().is_empty() => continue,
            Value::Text(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Byte(x) => x.to_string(),
            Value::Int(x) => x.to_string(),
            Value::Long(x) => x.to_string(),
            Value::BigInt(x) => x.to_string(),
            Value::Float(x) => x.to_string(),
            Value::Double(x) | Value::Timestamp(x) => x.to_string(),
            _ => continue,
        };
        let mut key = snake_case(&c.name);
        match (c.name.as_str(), value) {
            ("Start_DateTime", Value::Double(d) | Value::Timestamp(d)) => {
                if let Some(iso) = iso_local(ole_date_to_unix_s(*d)) {
                    rec.metadata.start_time = Some(iso);
                }
                key.push_str("_ole_days");
            }
            ("MASS", _) => {
                mass_g = text.parse::<f64>().ok().filter(|m| *m > 0.0 && m.is_finite());
                key.push_str("_g");
            }
            // Auxiliary channels that are not mapped (0) say nothing.
            (n, _) if n.starts_with("Mapped_Aux") && text == "0" => continue,
            _ => {}
        }
        rec.metadata.extra.insert(key, text);
    }
    // f32 fields are written in their shortest decimal form ("0.000852838", not 0.00085283798...).
    // Arbin MITS Pro keeps the mass in g (the corpus file: 0.000852838 g of silicon with
    // Specific_Capacity 3.579 Ah/g, silicon's 3579 mAh/g).
    if let Some(g) = mass_g {
        rec.metadata.active_mass = Some(g * 1e-3);
    }
}

/// `"2016-08-05T16:16:23"` for seconds since 1970-01-01 of a zone-less wall-clock time (to the second).
fn iso_local(unix_s: f64) -> Option<String> {
    if !unix_s.is_finite() || unix_s.abs() > 1e13 {
        return None;
    }
    let s = unix_s.round() as i64;
    let (days, secs) = (s.div_euclid(86_400), s.rem_euclid(86_400));
    let (y, m, d) = spelab_core::calendar::civil_from_days(days);
    Some(format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ole_dates_convert_to_unix_seconds_and_iso_text() {
        // 1970-01-01 is OLE day 25569; 2000-03-01 12:00 is 36586.5 (11017 days after 1970).
        assert_eq!(ole_date_to_unix_s(25_569.0), 0.0);
        assert_eq!(ole_date_to_unix_s(36_586.5), (11_017.0 * 86_400.0) + 43_200.0);
        assert_eq!(iso_local(ole_date_to_unix_s(36_586.5)).as_deref(), Some("2000-03-01T12:00:00"));
        assert_eq!(
            iso_local(ole_date_to_unix_s(42_587.678_043_981_48)).as_deref(),
            Some("2016-08-05T16:16:23")
        );
        assert_eq!(iso_local(-86_400.0).as_deref(), Some("1969-12-31T00:00:00"));
        assert_eq!(iso_local(f64::NAN), None);
    }

    #[test]
    fn arbin_labels_map_to_si_channels() {
        let (ch, scale, _) = channel_of("Charge_Capacity");
        assert_eq!((ch, scale), (Channel::ChargeCapacity, 3600.0));
        let (ch, scale, offset) = channel_of("DateTime");
        assert_eq!(ch, Channel::UnixTime);
        assert_eq!(36_586.5 * scale + offset, ole_date_to_unix_s(36_586.5));
        assert_eq!(channel_of("dV/dt").0.name(), "dv_dt");
        assert_eq!(channel_of("Data_Point").0.name(), "data_point");
        let c = column("Cycle_Index", Raw::Int(vec![1, 2]));
        assert_eq!(c.values, Values::Int(vec![1, 2]));
        let c = column("Current", Raw::Int(vec![1, 2]));
        assert_eq!(c.values, Values::Float(vec![1.0, 2.0]));
    }

    #[test]
    fn nulls_turn_an_integer_column_into_floats() {
        let mut raw = Raw::Int(Vec::new());
        raw.push(&Value::Long(3));
        raw.push(&Value::Null);
        let Raw::Float(v) = raw else { panic!("float") };
        assert_eq!(v[0], 3.0);
        assert!(v[1].is_nan());
    }

    #[test]
    fn non_access_bytes_and_partial_pages_are_errors() {
        let e = read_res(b"NEWARE....", "x.res").unwrap_err().to_string();
        assert!(e.starts_with("x.res: byte 4:") && e.contains("Standard Jet DB"), "{e}");
        let mut page = vec![0u8; 5000];
        page[4..19].copy_from_slice(b"Standard Jet DB");
        page[VERSION_AT] = 1;
        let e = read_res(&page, "y.res").unwrap_err().to_string();
        assert!(e.starts_with("y.res: truncated at byte 4096: Jet page 1"), "{e}");
    }
}
