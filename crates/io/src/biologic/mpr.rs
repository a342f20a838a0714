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
//!
//! [`read_mpr`] decodes every column; [`read_mpr_columns`] only those a caller asks for
//! ([`MprColumns`]: some by name, or the stored fields alone), each exactly as the full read gives it.
//! The data module's layout and decoder are in [`super::mpr_data`].

use std::io::Read;

use crate::biologic::labels::technique_from_code;
use crate::biologic::mpr_data::read_data_module;
pub use crate::biologic::mpr_data::MprColumns;
use crate::recording::{Format, Recording};
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

/// Reads an `.mpr` file from its bytes, every column; `name` is used in error messages.
pub fn read_mpr(b: &[u8], name: &str) -> Result<Recording, IoError> {
    read_mpr_columns(b, name, MprColumns::All)
}

/// Reads an `.mpr` file from its bytes, decoding only the columns `columns` asks for (each exactly
/// as [`read_mpr`] gives it); metadata, loops and checks as [`read_mpr`].
pub fn read_mpr_columns(b: &[u8], name: &str, columns: MprColumns) -> Result<Recording, IoError> {
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
    read_data_module(
        data.body,
        data.body_offset,
        (data.version, data.version2),
        name,
        &ec_lab_version,
        columns,
        &mut rec,
    )?;
    rec.version = Some(format!(
        "module header {}, data module version {}{}, EC-Lab {}",
        if data.version2.is_some() { "v2" } else { "v1" },
        data.version,
        data.version2.map(|v| format!("/{v}")).unwrap_or_default(),
        ec_lab_version
    ));
    Ok(rec)
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
    use crate::recording::Values;

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
    fn named_columns_equal_the_full_read_and_unknown_names_are_errors() {
        let b = synthetic(None);
        let full = read_mpr(&b, "s.mpr").expect("read");
        let some =
            read_mpr_columns(&b, "s.mpr", MprColumns::Named(&["step_index", "voltage"])).expect("read");
        assert_eq!(some.columns, [&full.columns[3], &full.columns[5]].map(Clone::clone));
        let e = read_mpr_columns(&b, "s.mpr", MprColumns::Named(&["volts"])).unwrap_err().to_string();
        assert!(
            e.contains("s.mpr: missing column 'volts' (columns: control_mode, ox_red, time, voltage"),
            "{e}"
        );
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
