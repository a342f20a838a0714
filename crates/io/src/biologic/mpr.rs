//! BioLogic EC-Lab binary `.mpr` reader.
//!
//! Layout (little-endian; reverse-engineered, see `shared/docs/formats.md`):
//! - 52-byte magic `BIO-LOGIC MODULAR FILE\x1a`, spaces to 48 bytes, 4 zero bytes;
//! - modules, each `MODULE` then a header: v1 (EC-Lab < 11.50, 51 bytes) short name [10], long name
//!   [25], length u32, version u32, date [8]; v2 (>= 11.50, 59 bytes, bytes 35..39 = FF FF FF FF)
//!   short [10], long [25], max length u32, length u32, version u32, version2 u32, date [8];
//! - `VMP Set` (technique code at byte 0, active mass [mg] f4 at 0x107, electrode area [cm²] f4 at
//!   0x211), `VMP data`, `VMP LOG` (start time as OLE date f8 at 0x249, EC-Lab version as a Pascal
//!   string at 0x3B7, device serial at 0x3CF), optional `VMP loop` (u32 count, u32 start rows).
//! - `VMP data`: n_points u32, n_columns u8, column IDs (u16 LE in data versions 2/3, u16 BE in
//!   version 0 of >= 11.50 files), records from byte 405 (v2), 406 (v3) or 1007 (>= 11.50); packed,
//!   all flag IDs share one byte at the position of the first flag.
//!
//! Checks: every module's length must be present in the input, and the data module's length must equal
//! `data offset + n_points × record size` exactly. A truncated file is [`IoError::Truncated`] (with the
//! number of complete records), an unknown column ID is [`IoError::UnknownColumn`]: nothing is guessed.

use std::io::Read;

use crate::biologic::ids::{describe, Dtype};
use crate::biologic::labels::{resolve, technique_from_code, Resolved};
use crate::recording::{Column, Format, Recording, Values};
use crate::IoError;

/// The 52-byte file magic.
pub const MAGIC: &[u8; 52] = b"BIO-LOGIC MODULAR FILE\x1a                         \0\0\0\0";

/// One module of the file.
#[derive(Debug, Clone)]
struct Module<'a> {
    /// Short name, trimmed ("VMP data").
    short: String,
    /// Offset of the module body in the file.
    body_offset: usize,
    /// Module version.
    version: u32,
    /// Second version field of v2 headers.
    version2: Option<u32>,
    /// The module body.
    body: &'a [u8],
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn f32_at(b: &[u8], at: usize) -> Option<f32> {
    b.get(at..at + 4).map(|s| f32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn f64_at(b: &[u8], at: usize) -> Option<f64> {
    b.get(at..at + 8).and_then(|s| s.try_into().ok()).map(f64::from_le_bytes)
}

/// Reads an `.mpr` from any reader; `name` is used in error messages.
pub fn read_mpr_from(mut reader: impl Read, name: &str) -> Result<Recording, IoError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::Read { name: name.to_string(), message: e.to_string() })?;
    read_mpr(&bytes, name)
}

fn split_modules<'a>(b: &'a [u8], name: &str) -> Result<Vec<Module<'a>>, IoError> {
    let mut modules = Vec::new();
    let mut pos = MAGIC.len();
    while pos < b.len() {
        let truncated = |what: String, expected: usize| IoError::Truncated {
            name: name.to_string(),
            offset: pos,
            what,
            expected,
            available: b.len() - pos,
            hint: String::new(),
        };
        if b.len() - pos < 6 + 51 {
            return Err(truncated(format!("module header #{}", modules.len() + 1), 6 + 51));
        }
        if &b[pos..pos + 6] != b"MODULE" {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: pos,
                expected: "'MODULE' (start of the next module)".to_string(),
                found: format!("{:02X?}", &b[pos..pos + 6]),
            });
        }
        let h = &b[pos + 6..];
        let v2 = h[35..39] == [0xFF; 4];
        let header_len = if v2 { 59 } else { 51 };
        if b.len() - pos < 6 + header_len {
            return Err(truncated(format!("module header #{} (v2)", modules.len() + 1), 6 + header_len));
        }
        let short = String::from_utf8_lossy(&h[..10]).trim().to_string();
        let field = |at: usize| u32_at(h, at).unwrap_or(0);
        let (length, version, version2) =
            if v2 { (field(39), field(43), Some(field(47))) } else { (field(35), field(39), None) };
        let length = length as usize;
        let body_offset = pos + 6 + header_len;
        let available = b.len() - body_offset;
        if length > available {
            return Err(IoError::Truncated {
                name: name.to_string(),
                offset: body_offset,
                what: format!("module '{short}'"),
                expected: length,
                available,
                hint: String::new(),
            });
        }
        modules.push(Module {
            short,
            body_offset,
            version,
            version2,
            body: &b[body_offset..body_offset + length],
        });
        pos = body_offset + length;
    }
    Ok(modules)
}

/// One column of the record layout.
struct Field {
    id: u16,
    label: &'static str,
    dtype: Dtype,
    offset: usize,
}

/// Reads an `.mpr` file from its bytes; `name` is used in error messages.
pub fn read_mpr(b: &[u8], name: &str) -> Result<Recording, IoError> {
    if b.len() < MAGIC.len() || &b[..MAGIC.len()] != MAGIC {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "the BioLogic .mpr magic 'BIO-LOGIC MODULAR FILE'".to_string(),
            found: format!("{:?}", String::from_utf8_lossy(&b[..b.len().min(24)])),
        });
    }
    let modules = split_modules(b, name)?;
    let find = |short: &str| modules.iter().find(|m| m.short == short);
    let mut rec = Recording::new(Format::BiologicMpr, name);

    // LOG first: its EC-Lab version goes into error messages.
    let mut ec_lab_version = "unknown".to_string();
    if let Some(log) = find("VMP LOG") {
        if let Some(&n) = log.body.get(0x3B7) {
            if let Some(v) = log.body.get(0x3B8..0x3B8 + n as usize) {
                ec_lab_version = String::from_utf8_lossy(v).trim().to_string();
                rec.metadata.extra.insert("ec_lab_version".into(), ec_lab_version.clone());
            }
        }
        if let Some(&n) = log.body.get(0x3CF) {
            if let Some(v) = log.body.get(0x3D0..0x3D0 + n as usize) {
                rec.metadata.extra.insert("device_serial".into(), String::from_utf8_lossy(v).to_string());
            }
        }
        if let Some(days) = f64_at(log.body, 0x249).filter(|d| (1.0..2_958_465.0).contains(d)) {
            rec.metadata.start_time = Some(ole_date_to_iso(days));
        }
    } else {
        rec.warnings.push("no VMP LOG module: start time and EC-Lab version unknown".into());
    }

    if let Some(set) = find("VMP Set") {
        if let Some(&code) = set.body.first() {
            let (technique, label) = technique_from_code(code);
            rec.metadata.technique = technique;
            rec.technique = Some(label.to_string());
            rec.metadata.extra.insert("technique_code".into(), code.to_string());
        }
        // EC-Lab writes 0.001 (its default) when the user gave no value: that is "unknown".
        let set_value = |at: usize| f32_at(set.body, at).filter(|v| v.is_finite() && *v > 0.0 && *v != 0.001);
        if let Some(mg) = set_value(0x107) {
            rec.metadata.active_mass = Some(f64::from(mg) / 1e6);
        }
        if let Some(cm2) = set_value(0x211) {
            rec.metadata.area = Some(f64::from(cm2) / 1e4);
        }
    } else {
        rec.warnings.push("no VMP Set module: technique unknown".into());
    }

    if let Some(lp) = find("VMP loop") {
        let n = u32_at(lp.body, 0).unwrap_or(0) as usize;
        let need = n.checked_mul(4).and_then(|x| x.checked_add(4)).unwrap_or(usize::MAX);
        if need > lp.body.len() {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: lp.body_offset,
                expected: format!("{n} loop indices ({need} bytes) in module 'VMP loop'"),
                found: format!("{} bytes", lp.body.len()),
            });
        }
        rec.loops = (0..n).filter_map(|i| u32_at(lp.body, 4 + 4 * i)).map(u64::from).collect();
    }

    let data = find("VMP data").ok_or_else(|| IoError::Corrupt {
        name: name.to_string(),
        offset: b.len(),
        expected: "a 'VMP data' module".to_string(),
        found: format!("modules {:?}", modules.iter().map(|m| m.short.as_str()).collect::<Vec<_>>()),
    })?;
    read_data_module(data, name, &ec_lab_version, &mut rec)?;
    rec.version = Some(format!(
        "module header {}, data module version {}{}, EC-Lab {}",
        if data.version2.is_some() { "v2" } else { "v1" },
        data.version,
        data.version2.map(|v| format!("/{v}")).unwrap_or_default(),
        ec_lab_version
    ));
    Ok(rec)
}

fn read_data_module(m: &Module, name: &str, version: &str, rec: &mut Recording) -> Result<(), IoError> {
    let body = m.body;
    let at = m.body_offset;
    let short = |need: usize, what: &str| IoError::Truncated {
        name: name.to_string(),
        offset: at,
        what: format!("the 'VMP data' {what}"),
        expected: need,
        available: body.len(),
        hint: String::new(),
    };
    if body.len() < 6 {
        return Err(short(6, "header"));
    }
    let n_points = u32_at(body, 0).unwrap_or(0) as usize;
    let n_columns = body[4] as usize;
    // (IDs, offset of the records)
    let (ids, data_offset): (Vec<u16>, usize) = match m.version {
        0 if body[5] != 0 && m.version2.is_none() => {
            // Very old files: one byte per ID, records at byte 100.
            if body.len() < 5 + n_columns {
                return Err(short(5 + n_columns, "column list"));
            }
            (body[5..5 + n_columns].iter().map(|&x| u16::from(x)).collect(), 100)
        }
        0 => {
            if body.len() < 5 + 2 * n_columns {
                return Err(short(5 + 2 * n_columns, "column list"));
            }
            let ids =
                (0..n_columns).map(|i| u16::from_be_bytes([body[5 + 2 * i], body[6 + 2 * i]])).collect();
            (ids, 1007)
        }
        2 | 3 => {
            if body.len() < 5 + 2 * n_columns {
                return Err(short(5 + 2 * n_columns, "column list"));
            }
            let ids =
                (0..n_columns).map(|i| u16::from_le_bytes([body[5 + 2 * i], body[6 + 2 * i]])).collect();
            (ids, if m.version == 2 { 405 } else { 406 })
        }
        v => {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: at,
                expected: "'VMP data' module version 0, 2 or 3".to_string(),
                found: format!("version {v}"),
            })
        }
    };

    // Record layout.
    let mut fields: Vec<Field> = Vec::with_capacity(ids.len());
    let mut record = 0usize;
    let mut flag_offset: Option<usize> = None;
    for (position, &id) in ids.iter().enumerate() {
        let Some((label, dtype)) = describe(id, &ids) else {
            let id_offset = at + 5 + if data_offset == 100 { position } else { 2 * position };
            return Err(IoError::UnknownColumn {
                name: name.to_string(),
                offset: id_offset,
                id,
                low: (id & 0xFF) as u8,
                position,
                after: fields.last().map_or("(start)".to_string(), |f| f.label.to_string()),
                version: version.to_string(),
            });
        };
        let offset = match dtype {
            Dtype::Flag(_) => *flag_offset.get_or_insert_with(|| {
                record += 1;
                record - 1
            }),
            _ => {
                record += dtype.size();
                record - dtype.size()
            }
        };
        fields.push(Field { id, label, dtype, offset });
    }

    let expected = n_points.checked_mul(record).and_then(|x| x.checked_add(data_offset));
    if expected != Some(body.len()) {
        let complete = body.len().saturating_sub(data_offset) / record.max(1);
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: at,
            expected: format!(
                "module 'VMP data' of {} bytes ({data_offset} + {n_points} records x {record} bytes for column IDs {ids:?})",
                expected.map_or("overflowing".to_string(), |e| e.to_string())
            ),
            found: format!("{} bytes (room for {complete} complete records)", body.len()),
        });
    }

    // Decoded in blocks of records that stay in the L2 cache while every column takes its values
    // from them (one column at a time over the whole module would stream it from memory per column).
    let records = &body[data_offset..];
    let resolved: Vec<_> = fields.iter().map(|f| resolve(f.label)).collect();
    let mut columns: Vec<Decoded> = fields
        .iter()
        .zip(&resolved)
        .map(|(f, r)| match f.dtype {
            Dtype::Flag(_) | Dtype::U1 | Dtype::U2 | Dtype::U4 => Decoded::Int(Vec::with_capacity(n_points)),
            Dtype::F4 | Dtype::F8 if r.integer => Decoded::Raw(Vec::with_capacity(n_points)),
            Dtype::F4 | Dtype::F8 => Decoded::Float(Vec::with_capacity(n_points)),
        })
        .collect();
    if record > 0 {
        for block in records.chunks(record * BLOCK) {
            for ((f, r), column) in fields.iter().zip(&resolved).zip(&mut columns) {
                decode_block(block, record, f, r, column);
            }
        }
    }
    for ((f, resolved), column) in fields.iter().zip(resolved).zip(columns) {
        let values = match column {
            Decoded::Int(v) => Values::Int(v),
            Decoded::Float(v) => Values::Float(v),
            Decoded::Raw(v) if v.iter().all(|v| v.fract() == 0.0 && v.abs() < 9.0e15) => {
                Values::Int(v.iter().map(|&v| v as i64).collect())
            }
            Decoded::Raw(mut v) => {
                v.iter_mut().for_each(|v| *v = *v * resolved.scale + resolved.offset);
                Values::Float(v)
            }
        };
        let (scale, offset) = match values {
            Values::Int(_) => (1.0, 0.0),
            Values::Float(_) => (resolved.scale, resolved.offset),
        };
        rec.push(Column {
            channel: resolved.channel,
            source: if f.id > 255 { format!("{} (ID {})", f.label, f.id) } else { f.label.to_string() },
            values,
            scale,
            offset,
            derived: false,
        });
    }
    super::derive::derive_columns(rec);
    Ok(())
}

/// Records decoded per block (a few hundred kB of records).
const BLOCK: usize = 2048;

/// A column being decoded.
enum Decoded {
    /// Flags and unsigned integers.
    Int(Vec<i64>),
    /// Floats in SI units (`raw · scale + offset`).
    Float(Vec<f64>),
    /// Floats of a whole-number column, raw: integers if every value is whole.
    Raw(Vec<f64>),
}

/// Appends the values of field `f` in the records of `block` (whole records of `record` bytes): one
/// pass over the block per column, the type and unit conversion chosen once per column.
fn decode_block(block: &[u8], record: usize, f: &Field, r: &Resolved, column: &mut Decoded) {
    let o = f.offset;
    let rows = block.chunks_exact(record);
    let (scale, offset) = (r.scale, r.offset);
    match (f.dtype, column) {
        (Dtype::Flag(mask), Decoded::Int(v)) => {
            let shift = mask.trailing_zeros();
            v.extend(rows.map(|x| i64::from((x[o] & mask) >> shift)));
        }
        (Dtype::U1, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(x[o]))),
        (Dtype::U2, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(u16::from_le_bytes(bytes(x, o))))),
        (Dtype::U4, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(u32::from_le_bytes(bytes(x, o))))),
        (Dtype::F4, Decoded::Float(v)) => {
            v.extend(rows.map(|x| f64::from(f32::from_le_bytes(bytes(x, o))) * scale + offset))
        }
        (Dtype::F8, Decoded::Float(v)) => {
            v.extend(rows.map(|x| f64::from_le_bytes(bytes(x, o)) * scale + offset))
        }
        (Dtype::F4, Decoded::Raw(v)) => v.extend(rows.map(|x| f64::from(f32::from_le_bytes(bytes(x, o))))),
        (Dtype::F8, Decoded::Raw(v)) => v.extend(rows.map(|x| f64::from_le_bytes(bytes(x, o)))),
        // The column kind follows the dtype (see `read_data_module`).
        _ => {}
    }
}

/// The `N` bytes of a record at offset `o` (one bounds check; the layout puts every field inside the
/// record, so this never fails on a record of the layout's size).
#[inline(always)]
fn bytes<const N: usize>(record: &[u8], o: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&record[o..o + N]);
    out
}

/// OLE automation date (days since 1899-12-30, local time) as ISO 8601 text without zone,
/// millisecond resolution: 45301.460068125 → "2024-01-10T11:02:29.886".
pub fn ole_date_to_iso(days: f64) -> String {
    let ms_total = (days * 86_400_000.0).round() as i64;
    let day = ms_total.div_euclid(86_400_000);
    let ms = ms_total.rem_euclid(86_400_000);
    // Days from 1899-12-30 to 1970-01-01 are 25569.
    let (y, m, d) = spelab_core::calendar::civil_from_days(day - 25_569);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::Channel;

    #[test]
    fn ole_dates_convert_to_iso() {
        assert_eq!(ole_date_to_iso(45301.460068125), "2024-01-10T11:02:29.886");
        assert_eq!(ole_date_to_iso(25569.0), "1970-01-01T00:00:00.000");
        assert_eq!(ole_date_to_iso(36526.5), "2000-01-01T12:00:00.000");
    }

    /// A module: `MODULE`, v1 header (short name, long name, length, version, date), body.
    fn module(short: &str, version: u32, body: &[u8]) -> Vec<u8> {
        let mut m = b"MODULE".to_vec();
        m.extend(format!("{short:<10}").bytes());
        m.extend(format!("{:<25}", "long name").bytes());
        m.extend((body.len() as u32).to_le_bytes());
        m.extend(version.to_le_bytes());
        m.extend(b"01/10/24");
        m.extend_from_slice(body);
        m
    }

    /// A minimal data-version-3 file: flags (mode, ox/red), time f8, Ewe f4, I/mA f4, Ns u2;
    /// `ids` replaces the column IDs when given.
    fn synthetic(ids: Option<&[u16]>) -> Vec<u8> {
        let ids = ids.unwrap_or(&[1, 2, 4, 6, 8, 131]);
        let mut data = 3u32.to_le_bytes().to_vec();
        data.push(ids.len() as u8);
        for id in ids {
            data.extend(id.to_le_bytes());
        }
        data.resize(406, 0);
        for k in 0..3u8 {
            data.push(if k == 0 { 3 } else { 1 | 0x04 }); // mode 3 (rest), then 1 + ox/red
            data.extend((f64::from(k) * 0.5).to_le_bytes());
            data.extend((3.0f32 + f32::from(k) * 0.125).to_le_bytes());
            data.extend((if k == 0 { 0.0f32 } else { 2.5 }).to_le_bytes());
            data.extend(u16::from(k).to_le_bytes());
        }
        let mut set = vec![0x19u8]; // CP
        set.resize(0x300, 0);
        set[0x107..0x10B].copy_from_slice(&2.5f32.to_le_bytes());
        let mut b = MAGIC.to_vec();
        b.extend(module("VMP Set", 0, &set));
        b.extend(module("VMP data", 3, &data));
        b
    }

    #[test]
    fn reads_a_synthetic_file_with_flags_and_si_units() {
        let r = read_mpr(&synthetic(None), "s.mpr").expect("read");
        assert_eq!(r.rows(), 3);
        assert_eq!(r.technique.as_deref(), Some("CP"));
        // 2.5 mg active mass [kg]; 2.5 mg -> 2.5e-6 kg, f32 exact.
        assert_eq!(r.metadata.active_mass, Some(2.5e-6));
        assert_eq!(r.column(&Channel::ControlMode).expect("mode").values, Values::Int(vec![3, 1, 1]));
        assert_eq!(r.column_named("ox_red").expect("ox/red").values, Values::Int(vec![0, 1, 1]));
        assert_eq!(r.column(&Channel::Time).expect("t").values, Values::Float(vec![0.0, 0.5, 1.0]));
        assert_eq!(r.column(&Channel::Voltage).expect("v").values, Values::Float(vec![3.0, 3.125, 3.25]));
        // 2.5 mA = 2.5e-3 A (exact to one rounding of the product).
        let i = r.column(&Channel::Current).expect("i").values.to_f64();
        assert!((i[1] - 2.5e-3).abs() < 1e-18, "{i:?}");
        assert_eq!(r.column(&Channel::StepIndex).expect("Ns").values, Values::Int(vec![0, 1, 2]));
        assert!(r.warnings.iter().any(|w| w.contains("LOG")));
        let ts = r.time_series().expect("time series");
        assert_eq!(ts.step(), Some(&[0u32, 1, 2][..]));
    }

    #[test]
    fn every_truncation_of_the_synthetic_file_is_an_error() {
        let b = synthetic(None);
        for cut in 0..b.len() {
            let e = read_mpr(&b[..cut], "s.mpr").expect_err("truncated file must not read");
            assert!(e.to_string().starts_with("s.mpr"), "{e}");
        }
    }

    #[test]
    fn unknown_column_ids_are_errors_naming_the_id_and_neighbour() {
        let e = read_mpr(&synthetic(Some(&[1, 2, 4, 0x1FE, 8, 131])), "s.mpr").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("unknown EC-Lab column ID 510") && text.contains("after column 'time/s'"),
            "{text}"
        );
        assert!(matches!(e, IoError::UnknownColumn { position: 3, .. }));
        // A wrong-size layout (IDs that do not add up to the stored records) is caught by the
        // exact-length check.
        let e = read_mpr(&synthetic(Some(&[1, 2, 4, 6, 4, 131])), "s.mpr").unwrap_err().to_string();
        assert!(e.contains("room for"), "{e}");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(read_mpr(b"", "x.mpr").is_err());
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(b"MODULE");
        let e = read_mpr(&b, "x.mpr").unwrap_err().to_string();
        assert!(e.contains("x.mpr: truncated at byte 52"), "{e}");
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&[0u8; 80]);
        let e = read_mpr(&b, "x.mpr").unwrap_err().to_string();
        assert!(e.contains("expected 'MODULE'"), "{e}");
    }
}
