//! nda version < 130 (BTSDA 7.x, version byte 29): 86-byte records.
//!
//! The record area is where the header says (u32 at 64 = its start, u32 at 68 = its length, their
//! sum at 72 and 80 = the file length; see `neware_length`). When those fields do not agree, the
//! area starts at the first `00 00 00 00 55 00` whose record has a non-zero status and is followed by
//! another `55` (NewareNDA's search) and runs to the end of the file. Either way it must hold a whole
//! number of records, each starting with a known marker: `55 00` data, `65` auxiliary, `AA` step.

use super::{civil_seconds, le, range_factor, Decoded, Rows};
use crate::neware_length::declared_length;
use crate::IoError;

/// Record length [bytes].
const LEN: usize = 86;

/// The record area `(start, end)` the header declares, when its fields agree with each other and
/// with the file.
fn declared_area(b: &[u8]) -> Option<(usize, usize)> {
    let end = declared_length(b)?;
    let start = u32::from_le_bytes(le(b, 64)) as usize;
    (start >= 16 && end == b.len()).then_some((start, end))
}

/// NewareNDA's search for the first data record (the header's fields disagree).
fn scanned_start(b: &[u8], name: &str) -> Result<usize, IoError> {
    let id = [0u8, 0, 0, 0, 0x55, 0];
    let mut from = 0;
    loop {
        let Some(i) = b[from..].windows(6).position(|w| w == id).map(|i| i + from) else {
            return Err(IoError::Truncated {
                name: name.to_string(),
                offset: from,
                what: "the first data record (00 00 00 00 55 00 ...)".into(),
                expected: LEN,
                available: b.len() - from.min(b.len()),
                hint: String::new(),
            });
        };
        let s = i + 4;
        if s + LEN < b.len() && b[s + 12] != 0 && b[s + LEN] == 0x55 {
            return Ok(s);
        }
        from = i + 4;
    }
}

/// Reads the records of a version < 130 file.
pub(super) fn read(b: &[u8], name: &str) -> Result<Decoded, IoError> {
    let (start, end) = match declared_area(b) {
        Some(area) => area,
        None => (scanned_start(b, name)?, b.len()),
    };
    let area = end - start;
    if !area.is_multiple_of(LEN) {
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: start + area / LEN * LEN,
            what: format!("record {} of {LEN} bytes (records start at byte {start})", area / LEN + 1),
            expected: LEN,
            available: area % LEN,
            hint: format!("; {} complete records precede it", area / LEN),
        });
    }
    let mut rows = Rows::default();
    let (mut aux, mut skipped) = (0, 0);
    for (k, r) in b[start..end].chunks_exact(LEN).enumerate() {
        let at = start + k * LEN;
        match (r[0], r[1]) {
            (0x55, 0) => {}
            (0x65, _) => {
                aux += 1;
                continue;
            }
            (0xAA, 0) => continue,
            _ => {
                return Err(IoError::Corrupt {
                    name: name.to_string(),
                    offset: at,
                    expected: format!(
                        "a record marker (55 00 data, 65 auxiliary, AA 00 step) at record {} of the area from \
                         byte {start}",
                        k + 1
                    ),
                    found: format!("{:02X} {:02X}", r[0], r[1]),
                });
            }
        }
        let index = u32::from_le_bytes(le(r, 2));
        let status = r[12];
        if index == 0 || status == 0 {
            skipped += 1;
            continue;
        }
        let range = i32::from_le_bytes(le(r, 78));
        let factor = range_factor(range).ok_or_else(|| IoError::Corrupt {
            name: name.to_string(),
            offset: at + 78,
            expected: "a known Neware current range code".into(),
            found: range.to_string(),
        })?;
        let i64_at = |at: usize| i64::from_le_bytes(le(r, at)) as f64;
        rows.index.push(i64::from(index));
        rows.cycle.push(i64::from(u32::from_le_bytes(le(r, 6))) + 1);
        rows.step.push(i64::from(r[10]));
        rows.status.push(i64::from(status));
        rows.time_s.push(u64::from_le_bytes(le(r, 14)) as f64 / 1000.0);
        rows.voltage_v.push(f64::from(i32::from_le_bytes(le(r, 22))) / 10_000.0);
        rows.current_ma.push(f64::from(i32::from_le_bytes(le(r, 26))) * factor);
        rows.charge_mah.push(i64_at(38) * factor / 3600.0);
        rows.discharge_mah.push(i64_at(46) * factor / 3600.0);
        rows.charge_mwh.push(i64_at(54) * factor / 3600.0);
        rows.discharge_mwh.push(i64_at(62) * factor / 3600.0);
        rows.unix_s.push(civil_seconds(
            i64::from(u16::from_le_bytes(le(r, 70))),
            i64::from(r[72]),
            i64::from(r[73]),
            i64::from(r[74]) * 3600 + i64::from(r[75]) * 60 + i64::from(r[76]),
        ));
    }
    Ok(Decoded { rows, aux, skipped, layout: "" })
}
