//! Neware `.ndax` reader: a ZIP archive of `.ndc` files (layouts from NewareNDA, BSD-3; see
//! `shared/docs/formats.md`). Every `.ndc` has a 4096-byte header (byte 0 file type, byte 2 version)
//! and 4096-byte pages.
//! - ndc 2, `data.ndc` (type 1): 512-byte blocks of five 94-byte records from byte 5, the fields at
//!   the ndc 5 offsets (a record with index 0 is an unused slot).
//! - ndc 5, `data.ndc` (type 1): each page holds 45 records of 87 bytes from byte 125; a record with
//!   0x55 at byte 7 is a data record (index u32 @8, cycle u32 @12, step u8 @16, status u8 @17, time u64
//!   [ms] @23, voltage i32 [0.1 mV] @31, current i32 @35, capacities i64 @43 / @51, energies @59 /
//!   @67, scaled by the current range i32 @82).
//! - ndc 11 / 14 / 16 / 17: the record is split (the layouts differ in units and entry sizes: see
//!   `split` and `docs/formats/neware-ndc.md`; ndc 11 and 16, BTSDA 8.x, store voltage in 0.1 mV,
//!   current in mA and capacities in mAs). `data.ndc` (type 1) holds (voltage f32 [V], current f32 [A])
//!   pairs from byte 132 of each page, one per record index; `data_runInfo.ndc` (type 18) holds step
//!   time i32 [ms], capacities and energies f32 [Ah, Wh], unix time i32 [s] + ms i16, step number and
//!   record index (55-byte entries from byte 132 for ndc 14, 100-byte entries from byte 232 for 17);
//!   `data_step.ndc` (type 7) holds cycle, step index and status per step.
//!
//! Pages must be whole (a cut archive member is an error via the ZIP size and CRC checks). BTS writes
//! runInfo sparsely: records without an entry are filled as NewareNDA does (see `fill_times` and
//! `fill_sums`) and a warning gives their number. Auxiliary channels (`data_AUX_*.ndc` of ndc 14 and
//! 17, `data_<n>.ndc` of ndc 11 and 16) become columns (see `aux`); other aux layouts are named in a
//! warning.
//!
//! Speed: `data.ndc` (2 MB of f32 pairs for 250k records) is inflated on this thread while another
//! inflates `data_runInfo.ndc`, `data_step.ndc` and the aux members and builds every column that does
//! not need `data.ndc` (see `split`); the columns that do are then built on two threads
//! (`rayon::join`). Values do not depend on the threads.

mod aux;
mod fill;
mod split;

use crate::channel::Channel;
use crate::recording::{Column, Format, Recording, Values};
use crate::zip;
use crate::IoError;
use aux::Aux;
use spelab_core::constants::ZERO_CELSIUS;

const PAGE: usize = 4096;

fn f32_at(b: &[u8], at: usize) -> f64 {
    f64::from(f32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
}

fn i32_at(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn i64_at(b: &[u8], at: usize) -> i64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    i64::from_le_bytes(x)
}

/// Fixed-size entries of every page: `skip` bytes at the start and `tail` at the end of each page.
fn entries(ndc: &[u8], skip: usize, tail: usize, size: usize) -> impl Iterator<Item = &[u8]> {
    ndc.get(PAGE..)
        .unwrap_or(&[])
        .chunks_exact(PAGE)
        .flat_map(move |page| page[skip..PAGE - tail].chunks_exact(size))
}

#[derive(Default)]
struct Rows {
    index: Vec<i64>,
    cycle: Vec<i64>,
    step: Vec<i64>,
    status: Vec<i64>,
    time_s: Vec<f64>,
    voltage_v: Vec<f64>,
    current_a: Vec<f64>,
    charge_c: Vec<f64>,
    discharge_c: Vec<f64>,
    charge_j: Vec<f64>,
    discharge_j: Vec<f64>,
    unix_s: Vec<f64>,
    /// Test time [s] and BTSDA's cycle index when computed with the other columns (else from them).
    derived: Option<(Vec<f64>, Vec<i64>)>,
    /// Records whose time / capacity were filled in (no runInfo entry).
    filled: usize,
}

/// Reads a Neware `.ndax` archive from its bytes; `name` is used in error messages.
pub fn read_ndax(b: &[u8], name: &str) -> Result<Recording, IoError> {
    let members = zip::entries(b, name)?;
    let get = |member: &str| -> Result<Option<Vec<u8>>, IoError> {
        match members.iter().find(|e| e.name == member) {
            None => Ok(None),
            Some(e) => zip::extract(b, e, name).map(Some),
        }
    };
    let check = |ndc: &[u8], member: &str| -> Result<(u8, u8), IoError> {
        // ndc 2 is paged in 512-byte blocks, later versions in 4096-byte pages.
        let page = if ndc.get(2) == Some(&2) { NDC2_BLOCK } else { PAGE };
        if ndc.len() < page || !ndc.len().is_multiple_of(page) {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: 0,
                expected: format!("{member}: whole {page}-byte pages"),
                found: format!("{} bytes", ndc.len()),
            });
        }
        Ok((ndc[0], ndc[2]))
    };
    // data.ndc here; the split layouts' runInfo and step files (when present) and the auxiliary
    // channels on another thread.
    let aux_members = aux::members(&members);
    let read_aux = || -> Result<Vec<Aux>, IoError> {
        let mut out = Vec::with_capacity(aux_members.len());
        for &(e, numbers) in &aux_members {
            let ndc = zip::extract(b, e, name)?;
            check(&ndc, &e.name)?;
            out.extend(aux::read(&ndc, &e.name, numbers));
        }
        Ok(out)
    };
    // The split layouts' columns that need runInfo and the steps only are prepared there too, for an
    // upper bound of the record count (see `split`).
    let bound = members
        .iter()
        .find(|e| e.name == "data.ndc")
        .and_then(|e| split::slots(e.size(), e.compressed_size()));
    let side = || {
        let (run, step) = (get("data_runInfo.ndc"), get("data_step.ndc"));
        let prepared = match (&run, &step, bound) {
            (Ok(Some(r)), Ok(Some(s)), Some(bound)) => {
                (check(r, "").is_ok() && check(s, "").is_ok()).then(|| split::prepare(r, s, bound)).flatten()
            }
            _ => None,
        };
        (run, step, prepared, read_aux())
    };
    let (data, (run, step, prepared, aux)) = rayon::join(|| get("data.ndc"), side);
    let data = data?.ok_or_else(|| IoError::Corrupt {
        name: name.to_string(),
        offset: 0,
        expected: "a data.ndc member (Neware .ndax)".into(),
        found: members.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
    })?;
    let (kind, version) = check(&data, "data.ndc")?;
    let mut rec = Recording::new(Format::NewareNdax, name);
    rec.metadata.instrument = Some("Neware BTS".into());
    rec.version = Some(format!("ndc version {version}"));
    let unsupported = |what: String| IoError::Corrupt {
        name: name.to_string(),
        offset: 0,
        expected: "ndc version 2, 5, 11, 14, 16 or 17 (data.ndc file type 1)".into(),
        found: what,
    };
    let rows = match (version, kind) {
        (2, 1) => read_whole_records(ndc2_records(&data), name)?,
        (5, 1) => read_whole_records(entries(&data, 125, 56, 87).filter(|r| r[7] == 0x55), name)?,
        (11 | 14 | 16 | 17, 1) => {
            let run = run?.ok_or_else(|| unsupported("no data_runInfo.ndc".into()))?;
            let step = step?.ok_or_else(|| unsupported("no data_step.ndc".into()))?;
            check(&run, "data_runInfo.ndc")?;
            check(&step, "data_step.ndc")?;
            split::read_split(&data, &run, &step, version, name, prepared)?
        }
        _ => return Err(unsupported(format!("ndc version {version}, file type {kind}"))),
    };
    let aux = aux?;
    let is_aux = |name: &str| name.starts_with("data_AUX");
    let unnamed = members.iter().filter(|e| is_aux(&e.name)).count()
        - aux_members.iter().filter(|(e, _)| is_aux(&e.name)).count();
    let unread = aux.iter().filter(|a| a.values.is_none()).count() + unnamed;
    if unread > 0 {
        rec.warnings.push(format!(
            "{unread} auxiliary channel file(s) not read (only those of ndc version 11, 14, 16 and 17 are)"
        ));
    }
    if rows.filled > 0 {
        rec.warnings.push(format!(
            "{} of {} records have no runInfo entry: their step time, unix time, capacities and energies are \
             interpolated as NewareNDA does",
            rows.filled,
            rows.index.len()
        ));
    }
    if rows.index.is_empty() {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "at least one data record".into(),
            found: "none".into(),
        });
    }
    let n = rows.index.len();
    push_columns(&mut rec, rows);
    push_aux(&mut rec, aux, n);
    Ok(rec)
}

/// Block size of ndc 2 files.
const NDC2_BLOCK: usize = 512;

/// The records of an ndc 2 `data.ndc`: after a 512-byte header, 512-byte blocks of five 94-byte
/// records from byte 5; a record with index 0 is an unused slot.
fn ndc2_records(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data[NDC2_BLOCK..]
        .chunks_exact(NDC2_BLOCK)
        .flat_map(|block| block[5..5 + 5 * 94].chunks_exact(94))
        .filter(|r| i32_at(r, 8) != 0)
}

/// Whole records (ndc 2 and 5): the fields of `.nda` v29 at offsets + 6 (index u32 @8, cycle @12,
/// step @16, status @17, step time u64 [ms] @23, voltage i32 [0.1 mV] @31, current i32 @35,
/// capacities / energies i64 @43..@67, date @75, current range i32 @82). An unknown range code is an
/// error (the record cannot be scaled).
fn read_whole_records<'a>(records: impl Iterator<Item = &'a [u8]>, name: &str) -> Result<Rows, IoError> {
    let mut rows = Rows::default();
    for (k, r) in records.enumerate() {
        let range = i32_at(r, 82);
        let factor = crate::neware::range_factor(range).ok_or_else(|| IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: format!("data.ndc record {}: a known Neware current range code", k + 1),
            found: range.to_string(),
        })?;
        // Stored current / capacity / energy × factor are mA / mAs / mWs.
        rows.index.push(i64::from(i32_at(r, 8) as u32));
        rows.cycle.push(i64::from(i32_at(r, 12) as u32) + 1);
        rows.step.push(i64::from(r[16]));
        rows.status.push(i64::from(r[17]));
        rows.time_s.push(i64_at(r, 23) as f64 / 1000.0);
        rows.voltage_v.push(f64::from(i32_at(r, 31)) / 10_000.0);
        rows.current_a.push(f64::from(i32_at(r, 35)) * factor * 1e-3);
        rows.charge_c.push(i64_at(r, 43) as f64 * factor * 1e-3);
        rows.discharge_c.push(i64_at(r, 51) as f64 * factor * 1e-3);
        rows.charge_j.push(i64_at(r, 59) as f64 * factor * 1e-3);
        rows.discharge_j.push(i64_at(r, 67) as f64 * factor * 1e-3);
        let y = i64::from(u16::from_le_bytes([r[75], r[76]]));
        let seconds = i64::from(r[79]) * 3600 + i64::from(r[80]) * 60 + i64::from(r[81]);
        rows.unix_s.push(crate::neware::civil_seconds(y, i64::from(r[77]), i64::from(r[78]), seconds));
    }
    Ok(rows)
}

fn push_columns(rec: &mut Recording, rows: Rows) {
    let float = |channel: Channel, source: &str, v: Vec<f64>, scale: f64| Column {
        channel,
        source: source.to_string(),
        values: Values::Float(v),
        scale,
        offset: 0.0,
        derived: false,
    };
    let (test_time, cycle) = match rows.derived {
        Some(derived) => derived,
        None => (
            crate::neware::test_time(&rows.time_s, &rows.step),
            crate::neware::charge_first_cycles(&rows.status),
        ),
    };
    rec.push(Column::new(Channel::other("record", "1"), "Index", Values::Int(rows.index)));
    rec.push(Column::new(Channel::other("stored cycle", "1"), "Cycle (stored + 1)", Values::Int(rows.cycle)));
    rec.push(Column {
        channel: Channel::CycleIndex,
        source: "cycle (derived: BTSDA 'charge first' rule)".into(),
        values: Values::Int(cycle),
        scale: 1.0,
        offset: 0.0,
        derived: true,
    });
    rec.push(Column::new(Channel::StepIndex, "Step", Values::Int(rows.step)));
    rec.push(Column::new(Channel::other("status", "1"), "Status code", Values::Int(rows.status)));
    rec.push(Column {
        channel: Channel::Time,
        source: "test time (derived: sum of step times)".into(),
        values: Values::Float(test_time),
        scale: 1.0,
        offset: 0.0,
        derived: true,
    });
    rec.push(float(Channel::StepTime, "Time/s", rows.time_s, 1.0));
    rec.push(float(Channel::Voltage, "Voltage/V", rows.voltage_v, 1.0));
    rec.push(float(Channel::Current, "Current/mA", rows.current_a, 1e-3));
    rec.push(float(Channel::ChargeCapacity, "Charge_Capacity/mAh", rows.charge_c, 3.6));
    rec.push(float(Channel::DischargeCapacity, "Discharge_Capacity/mAh", rows.discharge_c, 3.6));
    rec.push(float(Channel::ChargeEnergy, "Charge_Energy/mWh", rows.charge_j, 3.6));
    rec.push(float(Channel::DischargeEnergy, "Discharge_Energy/mWh", rows.discharge_j, 3.6));
    rec.push(float(Channel::UnixTime, "Timestamp/s", rows.unix_s, 1.0));
}

/// The auxiliary channels as columns of the `n` records: aux value k belongs to record k (as fastnda
/// joins them); a channel with fewer values is NaN after its last one, one with more is cut, and a
/// warning says so. Temperatures (°C in the file, K in `aux.values`) are the temperature channel for
/// the first one, `auxN temperature` for the others.
fn push_aux(rec: &mut Recording, aux: Vec<Aux>, n: usize) {
    let mut temperature = false;
    for (k, a) in aux.into_iter().enumerate() {
        let Some(mut values) = a.values else { continue };
        let k = k + 1;
        let (channel, unit, offset) = match a.kind {
            102 | 105 => (Channel::other(&format!("aux{k} voltage"), "V"), "V", 0.0),
            103 | 106 if !temperature => {
                temperature = true;
                (Channel::Temperature, "degC", ZERO_CELSIUS)
            }
            103 | 106 => (Channel::other(&format!("aux{k} temperature"), "K"), "degC", ZERO_CELSIUS),
            104 | 107 => (Channel::other(&format!("aux{k} current"), "A"), "A", 0.0),
            t => (Channel::other(&format!("aux{k} type {t}"), "1"), "1", 0.0),
        };
        if values.len() != n {
            rec.warnings.push(format!(
                "{}: {} values for {n} records ({})",
                a.member,
                values.len(),
                if values.len() < n { "the last records have NaN" } else { "the extra values are not shown" }
            ));
            values.resize(n, f64::NAN);
        }
        rec.push(Column {
            channel,
            source: format!("{} (aux channel {}, type {}) [{unit}]", a.member, a.real_channel, a.kind),
            values: Values::Float(values),
            scale: 1.0,
            offset,
            derived: false,
        });
    }
}
