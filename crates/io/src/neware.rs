//! Neware BTS `.nda` binary reader (nda version 29 and the BTS 9.0 layout of version 130).
//!
//! Layout (reverse-engineered by NewareNDA, BSD-3; `shared/docs/formats.md`): `NEWARE` + date, the
//! version byte at offset 14.
//! - Version < 130: records of 86 bytes after the first `00 00 00 00 55 00` whose record has a
//!   non-zero status and is followed by another `55`. Data records start `55 00`: index u32 @2,
//!   cycle u32 @6 (from 0), step u8 @10, status u8 @12, time u64 [ms] @14, voltage i32 [0.1 mV] @22,
//!   current i32 @26, charge / discharge capacity i64 @38 / @46, charge / discharge energy i64 @54 /
//!   @62 (current, capacity and energy scaled by the current range i32 @78), date @70. The record area
//!   must hold a whole number of records: a cut file is an error.
//! - Version 130 (BTS 9.0): records of 88 bytes from offset 1024, each data record starting with the
//!   same 6 bytes as the first; step u8 @9, status u8 @10, index u32 @16, time u64 [µs] @28, voltage
//!   f32 [V] @36, current f32 [mA] @40, charge capacity / energy f32 [mAs / mWs] @52 / @56, discharge
//!   capacity / energy @60 / @64, unix time u64 [µs] @68. The data block must be followed by the
//!   file's closing block; a file that ends inside the data records is an error. BTS 9.1 files keep
//!   version 130 with another layout (NewareNDA issue 72): they are refused with a clear error.
//!
//! Cycle numbers follow BTSDA's "charge first" rule (as NewareNDA and fastnda regenerate them); the
//! stored counter is kept as `stored_cycle`. Auxiliary (temperature) records are not read yet: they are
//! counted in a warning.

use crate::channel::Channel;
use crate::recording::{Column, Format, Recording, Values};
use crate::IoError;

/// Status code → label (NewareNDA's table).
fn status_label(code: u8) -> &'static str {
    match code {
        1 => "CC_Chg",
        2 => "CC_DChg",
        3 => "CV_Chg",
        4 => "Rest",
        5 => "Cycle",
        7 => "CCCV_Chg",
        8 => "CP_DChg",
        9 => "CP_Chg",
        10 => "CR_DChg",
        13 => "Pause",
        16 => "Pulse",
        17 => "SIM",
        19 => "CV_DChg",
        20 => "CCCV_DChg",
        21 => "Control",
        22 => "OCV",
        26 => "CPCV_DChg",
        27 => "CPCV_Chg",
        _ => "unknown",
    }
}

/// Current-range code → factor from the stored integer to mA (NewareNDA's table).
pub(crate) fn range_factor(range: i32) -> Option<f64> {
    Some(match range {
        -100_000_000 => 10.0,
        -200_000..=-1000 => 1e-2,
        -500 | -100 => 1e-3,
        -50 | -25 | -20 | -10 => 1e-4,
        -5 | -2 | -1 => 1e-5,
        0 => 0.0,
        1 | 2 | 5 => 1e-4,
        10 | 20 | 25 | 50 => 1e-3,
        100 | 200 | 250 | 500 => 1e-2,
        1000..=200_000 => 1e-1,
        _ => return None,
    })
}

#[derive(Default)]
struct Rows {
    index: Vec<i64>,
    cycle: Vec<i64>,
    step: Vec<i64>,
    status: Vec<i64>,
    time_s: Vec<f64>,
    voltage_v: Vec<f64>,
    current_ma: Vec<f64>,
    charge_mah: Vec<f64>,
    discharge_mah: Vec<f64>,
    charge_mwh: Vec<f64>,
    discharge_mwh: Vec<f64>,
    unix_s: Vec<f64>,
}

fn le<const N: usize>(b: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&b[at..at + N]);
    out
}

/// Reads a Neware `.nda` file from its bytes; `name` is used in error messages.
pub fn read_nda(b: &[u8], name: &str) -> Result<Recording, IoError> {
    if b.len() < 16 || !b.starts_with(b"NEWARE") {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "the Neware .nda magic 'NEWARE'".into(),
            found: format!("{:?}", String::from_utf8_lossy(&b[..b.len().min(8)])),
        });
    }
    let version = b[14];
    let mut rec = Recording::new(Format::NewareNda, name);
    rec.metadata.instrument = Some("Neware BTS".into());
    let (rows, aux) = if version < 130 { read_v29(b, name)? } else { read_v130(b, name)? };
    rec.version =
        Some(format!("nda version {version}{}", if version >= 130 { " (BTS 9.0 layout)" } else { "" }));
    if aux > 0 {
        rec.warnings.push(format!("{aux} auxiliary (temperature / voltage) records not read yet"));
    }
    if rows.index.is_empty() {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "at least one data record".into(),
            found: "none".into(),
        });
    }
    let float = |channel: Channel, source: &str, v: Vec<f64>, scale: f64| Column {
        channel,
        source: source.to_string(),
        values: Values::Float(v.iter().map(|x| x * scale).collect()),
        scale,
        offset: 0.0,
        derived: false,
    };
    let int = |channel: Channel, source: &str, v: Vec<i64>| Column::new(channel, source, Values::Int(v));
    let test_time = test_time(&rows.time_s, &rows.step);
    let time_column = Column {
        channel: Channel::Time,
        source: "test time (derived: sum of step times)".into(),
        values: Values::Float(test_time),
        scale: 1.0,
        offset: 0.0,
        derived: true,
    };
    rec.push(int(Channel::other("record", "1"), "Index", rows.index));
    let cycle = charge_first_cycles(&rows.status);
    rec.push(int(Channel::other("stored cycle", "1"), "Cycle (stored + 1)", rows.cycle));
    rec.push(Column {
        channel: Channel::CycleIndex,
        source: "cycle (derived: BTSDA 'charge first' rule)".into(),
        values: Values::Int(cycle),
        scale: 1.0,
        offset: 0.0,
        derived: true,
    });
    rec.push(int(Channel::StepIndex, "Step", rows.step));
    rec.push(int(Channel::other("status", "1"), "Status code", rows.status));
    rec.push(time_column);
    rec.push(float(Channel::StepTime, "Time/s", rows.time_s, 1.0));
    rec.push(float(Channel::Voltage, "Voltage/V", rows.voltage_v, 1.0));
    rec.push(float(Channel::Current, "Current/mA", rows.current_ma, 1e-3));
    rec.push(float(Channel::ChargeCapacity, "Charge_Capacity/mAh", rows.charge_mah, 3.6));
    rec.push(float(Channel::DischargeCapacity, "Discharge_Capacity/mAh", rows.discharge_mah, 3.6));
    rec.push(float(Channel::ChargeEnergy, "Charge_Energy/mWh", rows.charge_mwh, 3.6));
    rec.push(float(Channel::DischargeEnergy, "Discharge_Energy/mWh", rows.discharge_mwh, 3.6));
    rec.push(float(Channel::UnixTime, "Timestamp/s", rows.unix_s, 1.0));
    let labels: std::collections::BTreeSet<&str> = rec
        .column_named("status")
        .map(|c| c.values.to_f64().iter().map(|&s| status_label(s as u8)).collect())
        .unwrap_or_default();
    rec.metadata.extra.insert(
        "status_codes".into(),
        "1 CC_Chg, 2 CC_DChg, 3 CV_Chg, 4 Rest, 7 CCCV_Chg, 16 Pulse, 17 SIM, 20 CCCV_DChg, 21 Control"
            .into(),
    );
    rec.metadata.extra.insert("steps".into(), labels.into_iter().collect::<Vec<_>>().join(", "));
    Ok(rec)
}

/// BTSDA's "charge first" cycle numbering (as NewareNDA regenerates it): a new cycle starts at the
/// first record of a charge step (CC, CCCV or CP charge) that follows a discharge (or a SIM step).
pub(crate) fn charge_first_cycles(status: &[i64]) -> Vec<i64> {
    /// What a status label says about cycles: a `mode_Chg`/`mode_DChg` label, SIM, or neither.
    #[derive(Clone, Copy)]
    enum Kind {
        Charge,
        Discharge,
        Sim,
        Other,
    }
    // Classified once per status code from its label, not per record.
    let kinds: [Kind; 256] = std::array::from_fn(|code| {
        let label = status_label(code as u8);
        match label.split_once('_') {
            Some((_, "DChg")) => Kind::Discharge,
            Some(_) => Kind::Charge,
            None if label == "SIM" => Kind::Sim,
            None => Kind::Other,
        }
    });
    let is_charge = |s: i64| matches!(s, 1 | 7 | 9);
    let mut cycle = 1;
    let mut discharged = false;
    // Whether the previous record is a charge record (none before the first).
    let mut previous_charge = false;
    status
        .iter()
        .map(|&s| {
            let charge = is_charge(s);
            let starts_charge = charge && !previous_charge;
            previous_charge = charge;
            match kinds[usize::from(s as u8)] {
                Kind::Charge | Kind::Discharge if starts_charge && discharged => {
                    cycle += 1;
                    discharged = false;
                }
                Kind::Discharge | Kind::Sim => discharged = true,
                Kind::Charge | Kind::Other => {}
            }
            cycle
        })
        .collect()
}

/// Test time: step time plus the lengths of the steps before (a new step starts when the step number
/// changes or the step time falls back) [s].
pub(crate) fn test_time(step_time: &[f64], step: &[i64]) -> Vec<f64> {
    let mut offset = 0.0;
    // (step, step time) of the previous record (none before the first).
    let mut previous: Option<(i64, f64)> = None;
    step_time
        .iter()
        .zip(step)
        .map(|(&t, &s)| {
            if let Some((previous_step, previous_t)) = previous {
                if s != previous_step || t < previous_t {
                    offset += previous_t;
                }
            }
            previous = Some((s, t));
            offset + t
        })
        .collect()
}

/// Version < 130: 86-byte records.
fn read_v29(b: &[u8], name: &str) -> Result<(Rows, usize), IoError> {
    const LEN: usize = 86;
    let id = [0u8, 0, 0, 0, 0x55, 0];
    let mut from = 0;
    let start = loop {
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
            break s;
        }
        from = i + 4;
    };
    let area = b.len() - start;
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
    let mut aux = 0;
    for (k, r) in b[start..].chunks_exact(LEN).enumerate() {
        if r[0] == 0x65 {
            aux += 1;
            continue;
        }
        if r[0..2] != [0x55, 0] {
            continue;
        }
        let index = u32::from_le_bytes(le(r, 2));
        let status = r[12];
        if index == 0 || status == 0 {
            continue;
        }
        let range = i32::from_le_bytes(le(r, 78));
        let factor = range_factor(range).ok_or_else(|| IoError::Corrupt {
            name: name.to_string(),
            offset: start + k * LEN + 78,
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
    Ok((rows, aux))
}

/// Version 130, BTS 9.0 layout: 88-byte records from byte 1024.
fn read_v130(b: &[u8], name: &str) -> Result<(Rows, usize), IoError> {
    const LEN: usize = 88;
    const START: usize = 1024;
    if b.len() < START + LEN {
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: START,
            what: "the first data record".into(),
            expected: LEN,
            available: b.len().saturating_sub(START),
            hint: String::new(),
        });
    }
    let id: [u8; 6] = le(b, START);
    // BTS 9.0 data records repeat the first record's 6 leading bytes on the 88-byte grid; BTS 9.1
    // files (same version byte) do not.
    let second_ok = b.get(START + LEN..START + LEN + 6) == Some(&id[..]);
    if !second_ok {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: START + LEN,
            expected: "a BTS 9.0 data record (88-byte grid); BTS 9.1 .nda files are not supported yet".into(),
            found: format!("{:02X?}", &b[START + LEN..(START + LEN + 6).min(b.len())]),
        });
    }
    let mut rows = Rows::default();
    let mut aux = 0;
    let mut pos = START;
    let mut closed = false;
    while pos + LEN <= b.len() {
        let r = &b[pos..pos + LEN];
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
        } else if r[..5] == [0, 0, 0, 0, 0x65] {
            aux += 1;
        } else {
            closed = true;
        }
        pos += LEN;
    }
    if !closed {
        return Err(IoError::Truncated {
            name: name.to_string(),
            offset: pos,
            what: "the closing block after the data records".into(),
            expected: LEN,
            available: b.len() - pos,
            hint: format!("; the file ends inside the data ({} complete records)", rows.index.len()),
        });
    }
    Ok((rows, aux))
}

/// Seconds since 1970-01-01 of a (zone-less) civil date and seconds of day.
pub(crate) fn civil_seconds(y: i64, m: i64, d: i64, seconds: i64) -> f64 {
    (spelab_core::calendar::days_from_civil(y, m, d) * 86_400 + seconds) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_and_ranges() {
        assert_eq!(civil_seconds(2020, 3, 25, 0), 1_585_094_400.0);
        assert_eq!(range_factor(5), Some(1e-4));
        assert_eq!(range_factor(7), None);
        assert!(read_nda(b"NEWARE", "x.nda").is_err());
    }
}
