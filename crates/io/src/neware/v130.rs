//! nda version 130: BTS 9.0 (88-byte records) and BTS 9.1 (56-byte records, first byte 0x55).
//!
//! The header's block table (16-byte entries of u64 start, u64 length from byte 0x12) declares the
//! data block in its entry at 0x52: it starts at byte 1024 and is followed by the closing block
//! (first byte 0x81). When that entry holds no block, records are read from byte 1024 up to the first
//! record starting with 0x81. Every record of the data block must be a data record or a known
//! auxiliary record: anything else is an error naming its byte offset.

use super::{le, Decoded, Rows};
use crate::IoError;

/// Where the data block starts.
const START: usize = 1024;

/// The end of the data block the header's block table declares (`None`: no such entry).
fn declared_end(b: &[u8]) -> Option<usize> {
    let u64_at = |at: usize| b.get(at..at + 8).map(|s| u64::from_le_bytes(le(s, 0)));
    let (start, len) = (u64_at(0x52)?, u64_at(0x5A)?);
    (start == START as u64 && len > 0).then(|| usize::try_from(START as u64 + len).ok()).flatten()
}

/// Reads the data block of a version 130 file.
pub(super) fn read(b: &[u8], name: &str) -> Result<Decoded, IoError> {
    if b.len() < START + 8 {
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: START.min(b.len()),
            what: "the first data record".into(),
            expected: 8,
            available: b.len().saturating_sub(START),
            hint: String::new(),
        });
    }
    let end = declared_end(b);
    if let Some(end) = end {
        if end >= b.len() {
            return Err(IoError::Truncated {
                name: name.to_string(),
                offset: b.len(),
                what: format!("the data block (bytes {START}..{end} by the header) and the closing block"),
                expected: end + 1 - b.len(),
                available: 0,
                hint: "; the file was cut".into(),
            });
        }
        if b[end] != 0x81 {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: end,
                expected: format!("the closing block (first byte 81) after the data block {START}..{end}"),
                found: format!("{:02X}", b[end]),
            });
        }
    }
    if b[START] == 0x55 {
        read_bts91(b, name, end)
    } else {
        read_bts90(b, name, end)
    }
}

/// The record length of a BTS 9.1 data block: with a declared block, the shortest length (52 to 128
/// bytes) that divides the block and on whose grid most records start with `id`; else the distance
/// to the next `id` (as NewareNDA and fastnda find it).
fn bts91_length(b: &[u8], id: &[u8], end: Option<usize>) -> Option<usize> {
    match end {
        Some(end) => (52..=128).find(|&len| {
            let block = &b[START..end];
            if !block.len().is_multiple_of(len) {
                return false;
            }
            let matches = block.chunks_exact(len).filter(|r| &r[..2] == id).count();
            2 * matches > block.len() / len
        }),
        None => {
            let next = b[START + 2..].windows(2).position(|w| w == id)? + 2;
            (52..=128).contains(&next).then_some(next)
        }
    }
}

/// The error for a record that is neither data, auxiliary nor the closing block.
fn unknown_record(name: &str, at: usize, expected: &str, r: &[u8]) -> IoError {
    IoError::Corrupt {
        name: name.to_string(),
        offset: at,
        expected: expected.to_string(),
        found: format!("{:02X?}", &r[..r.len().min(6)]),
    }
}

/// The records from `START` to the declared end, or to the first record starting with 0x81 (an error
/// when the file ends first).
fn records<'a>(
    b: &'a [u8],
    name: &str,
    len: usize,
    end: Option<usize>,
) -> Result<impl Iterator<Item = (usize, &'a [u8])>, IoError> {
    let end = match end {
        Some(end) => end,
        None => {
            let mut at = START;
            while at + len <= b.len() && b[at] != 0x81 {
                at += len;
            }
            if b.get(at) != Some(&0x81) {
                return Err(IoError::Truncated {
                    name: name.to_string(),
                    offset: at,
                    what: "the closing block after the data records".into(),
                    expected: len,
                    available: b.len() - at,
                    hint: format!(
                        "; the file ends inside the data ({} complete records)",
                        (at - START) / len
                    ),
                });
            }
            at
        }
    };
    if !(end - START).is_multiple_of(len) {
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: START + (end - START) / len * len,
            what: format!("the last record of the data block {START}..{end}"),
            expected: len,
            available: (end - START) % len,
            hint: String::new(),
        });
    }
    Ok(b[START..end].chunks_exact(len).enumerate().map(move |(k, r)| (START + k * len, r)))
}

/// BTS 9.0: 88-byte records; data records start with the first record's 6 bytes.
fn read_bts90(b: &[u8], name: &str, end: Option<usize>) -> Result<Decoded, IoError> {
    const LEN: usize = 88;
    let id: [u8; 6] = le(b, START);
    let mut rows = Rows::default();
    let mut aux = 0;
    for (at, r) in records(b, name, LEN, end)? {
        if r[..6] == id {
            let f32_at = |at: usize| f64::from(f32::from_le_bytes(le(r, at)));
            rows.index.push(i64::from(u32::from_le_bytes(le(r, 16))));
            rows.cycle.push(1);
            rows.step.push(i64::from(r[9]));
            rows.status.push(i64::from(r[10]));
            rows.time_s.push(u64::from_le_bytes(le(r, 28)) as f64 / 1e6);
            rows.voltage_v.push(f32_at(36));
            rows.current_ma.push(f32_at(40));
            rows.charge_mah.push(f32_at(52) / 3600.0);
            rows.charge_mwh.push(f32_at(56) / 3600.0);
            rows.discharge_mah.push(f32_at(60) / 3600.0);
            rows.discharge_mwh.push(f32_at(64) / 3600.0);
            rows.unix_s.push(u64::from_le_bytes(le(r, 68)) as f64 / 1e6);
        } else if r[..5] == [0, 0, 0, 0, 0x65] || (r[..4] == id[..4] && matches!(r[4], 0x58 | 0x59)) {
            aux += 1;
        } else {
            let expected = format!("a BTS 9.0 data record ({:02X?}) or an auxiliary record", id);
            return Err(unknown_record(name, at, &expected, r));
        }
    }
    Ok(Decoded { rows, aux, skipped: 0, layout: " (BTS 9.0 layout)" })
}

/// BTS 9.1: records of 56 bytes (52 without the aux temperature) starting `55 06`; total time, not
/// step time, is stored (step time is the total time since the previous step's last record).
fn read_bts91(b: &[u8], name: &str, end: Option<usize>) -> Result<Decoded, IoError> {
    let id: [u8; 2] = le(b, START);
    let len = bts91_length(b, &id, end).ok_or_else(|| IoError::Corrupt {
        name: name.to_string(),
        offset: START,
        expected: "BTS 9.1 data records of 52 to 128 bytes starting with the first record's 2 bytes".into(),
        found: format!("{:02X?} with no record grid", id),
    })?;
    let mut rows = Rows::default();
    // (step, total time) of the previous record, and the total time when the current step began.
    let (mut previous, mut step_start) = (None::<(u8, f64)>, 0.0);
    for (at, r) in records(b, name, len, end)? {
        if r[..2] != id {
            let expected = format!("a BTS 9.1 data record (starting {:02X?}, {len} bytes)", id);
            return Err(unknown_record(name, at, &expected, r));
        }
        let f32_at = |at: usize| f64::from(f32::from_le_bytes(le(r, at)));
        let u32_at = |at: usize| f64::from(u32::from_le_bytes(le(r, at)));
        let total = u32_at(12) + u32_at(16) * 1e-9;
        if let Some((step, t)) = previous {
            if step != r[2] {
                step_start = t;
            }
        }
        previous = Some((r[2], total));
        let (capacity, energy) = (f32_at(28) / 3600.0, f32_at(32) / 3600.0);
        rows.index.push(i64::from(u32::from_le_bytes(le(r, 8))));
        rows.cycle.push(i64::from(u32::from_le_bytes(le(r, 36))) + 1);
        rows.step.push(i64::from(r[2]));
        rows.status.push(i64::from(r[3]));
        rows.total_s.push(total);
        rows.time_s.push(total - step_start);
        rows.current_ma.push(f32_at(20));
        rows.voltage_v.push(f32_at(24));
        rows.charge_mah.push(capacity.max(0.0));
        rows.discharge_mah.push((-capacity).max(0.0));
        rows.charge_mwh.push(energy.max(0.0));
        rows.discharge_mwh.push((-energy).max(0.0));
        rows.unix_s.push(u32_at(44) + u32_at(48) * 1e-9);
        if len >= 56 {
            rows.temperature_c.push(f32_at(52));
        }
    }
    Ok(Decoded { rows, aux: 0, skipped: 0, layout: " (BTS 9.1 layout)" })
}
