//! Neware `.ndax` reader: a ZIP archive of `.ndc` files (layouts from NewareNDA, BSD-3; see
//! `shared/docs/formats.md`). Every `.ndc` has a 4096-byte header (byte 0 file type, byte 2 version)
//! and 4096-byte pages.
//! - ndc 5, `data.ndc` (type 1): each page holds 45 records of 87 bytes from byte 125; a record with
//!   0x55 at byte 7 is a data record (index u32 @8, cycle u32 @12, step u8 @16, status u8 @17, time u64
//!   [ms] @23, voltage i32 [0.1 mV] @31, current i32 @35, capacities i64 @43 / @51, energies @59 /
//!   @67, scaled by the current range i32 @82).
//! - ndc 14 / 17: the record is split. `data.ndc` (type 1) holds (voltage f32 [V], current f32 [A])
//!   pairs from byte 132 of each page, one per record index; `data_runInfo.ndc` (type 18) holds step
//!   time i32 [ms], capacities and energies f32 [Ah, Wh], unix time i32 [s] + ms i16, step number and
//!   record index (55-byte entries from byte 132 for ndc 14, 100-byte entries from byte 232 for 17);
//!   `data_step.ndc` (type 7) holds cycle, step index and status per step.
//!
//! Pages must be whole (a cut archive member is an error via the ZIP size and CRC checks). BTS writes
//! runInfo sparsely: records without an entry are filled as NewareNDA does (see `fill_gaps`) and a
//! warning gives their number. Aux channels are not read yet (a warning says so).

use crate::channel::Channel;
use crate::recording::{Column, Format, Recording, Values};
use crate::zip;
use crate::IoError;

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
    let data = get("data.ndc")?.ok_or_else(|| IoError::Corrupt {
        name: name.to_string(),
        offset: 0,
        expected: "a data.ndc member (Neware .ndax)".into(),
        found: members.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
    })?;
    let check = |ndc: &[u8], member: &str| -> Result<(u8, u8), IoError> {
        if ndc.len() < PAGE || ndc.len() % PAGE != 0 {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: 0,
                expected: format!("{member}: whole 4096-byte pages"),
                found: format!("{} bytes", ndc.len()),
            });
        }
        Ok((ndc[0], ndc[2]))
    };
    let (kind, version) = check(&data, "data.ndc")?;
    let mut rec = Recording::new(Format::NewareNdax, name);
    rec.metadata.instrument = Some("Neware BTS".into());
    rec.version = Some(format!("ndc version {version}"));
    let unsupported = |what: String| IoError::Corrupt {
        name: name.to_string(),
        offset: 0,
        expected: "ndc version 5, 14 or 17 (data.ndc file type 1)".into(),
        found: what,
    };
    let rows = match (version, kind) {
        (5, 1) => read_ndc5(&data)?,
        (14 | 17, 1) => {
            let run = get("data_runInfo.ndc")?.ok_or_else(|| unsupported("no data_runInfo.ndc".into()))?;
            let step = get("data_step.ndc")?.ok_or_else(|| unsupported("no data_step.ndc".into()))?;
            check(&run, "data_runInfo.ndc")?;
            check(&step, "data_step.ndc")?;
            read_split(&data, &run, &step, version, name)?
        }
        _ => return Err(unsupported(format!("ndc version {version}, file type {kind}"))),
    };
    let aux = members.iter().filter(|e| e.name.starts_with("data_AUX")).count();
    if aux > 0 {
        rec.warnings.push(format!("{aux} auxiliary channel file(s) not read yet"));
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
    push_columns(&mut rec, rows);
    Ok(rec)
}

fn read_ndc5(data: &[u8]) -> Result<Rows, IoError> {
    let mut rows = Rows::default();
    for r in entries(data, 125, 56, 87).filter(|r| r[7] == 0x55) {
        let Some(factor) = crate::neware::range_factor(i32_at(r, 82)) else { continue };
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

fn read_split(data: &[u8], run: &[u8], step: &[u8], version: u8, name: &str) -> Result<Rows, IoError> {
    // data.ndc: (V, I [A]) pairs; a zero voltage marks unused slots.
    let vi: Vec<(f64, f64)> =
        entries(data, 132, 4, 8).map(|p| (f32_at(p, 0), f32_at(p, 4))).filter(|p| p.0 != 0.0).collect();
    // runInfo by record index (1-based).
    let (skip, tail, size) = if version == 14 { (132, 59, 55) } else { (232, 64, 100) };
    let mut info: Vec<Option<[f64; 7]>> = vec![None; vi.len() + 1];
    let mut step_of: Vec<i64> = vec![0; vi.len() + 1];
    let mut step_start: Vec<bool> = vec![false; vi.len() + 1];
    for r in entries(run, skip, tail, size) {
        let index = i32_at(r, 41);
        // The first entry of an index wins (BTS sometimes repeats the first record).
        if index <= 0 || index as usize > vi.len() || info[index as usize].is_some() {
            continue;
        }
        let unix = f64::from(i32_at(r, 33) as u32) + f64::from(i16::from_le_bytes([r[45], r[46]])) / 1000.0;
        info[index as usize] = Some([
            f64::from(i32_at(r, 0) as u32) / 1000.0,
            f32_at(r, 5),
            f32_at(r, 9),
            f32_at(r, 13),
            f32_at(r, 17),
            unix,
            0.0,
        ]);
        step_of[index as usize] = i64::from(i32_at(r, 37));
        // dt (logging interval) = 0 marks the first record of a step.
        step_start[index as usize] = i32_at(r, 29) == 0;
    }
    // A step's first record: step time 0 by definition (BTS may log a few ms of delay there), unix
    // time back-computed from the step's next entry (as fastnda / NewareNDA give it).
    for k in 1..info.len() {
        if !step_start[k] {
            continue;
        }
        let next = (k + 1..info.len()).find(|&j| info[j].is_some()).filter(|&j| step_of[j] == step_of[k]);
        if let (Some(j), Some(mut x)) = (next, info[k]) {
            x[0] = 0.0;
            if let Some(y) = info[j] {
                x[5] = y[5] - y[0];
            }
            info[k] = Some(x);
        }
    }
    // Steps: (cycle, status) in file order; ndc 17 numbers them by changes of its step field.
    let steps: Vec<(i64, i64)> = if version == 14 {
        entries(step, 132, 5, 37)
            .filter(|r| i32_at(r, 4) != 0)
            .map(|r| (i64::from(i32_at(r, 0)) + 1, i64::from(r[24])))
            .collect()
    } else {
        entries(step, 132, 64, 100)
            .filter(|r| i32_at(r, 33) != 0)
            .map(|r| (i64::from(i32_at(r, 0)) + 1, i64::from(r[24])))
            .collect()
    };
    // Records without a runInfo entry (BTS writes runInfo sparsely) get step, time, unix time,
    // capacities and energies as NewareNDA fills them (see `fill_gaps`).
    let n = vi.len();
    let mut known = vec![false; n];
    let mut cols: [Vec<f64>; 6] = std::array::from_fn(|_| vec![f64::NAN; n]);
    let mut step_field = vec![0i64; n];
    let mut last_step = None;
    for k in 0..n {
        if let Some(x) = info[k + 1] {
            known[k] = true;
            for (c, v) in
                cols.iter_mut().zip([x[0], x[1] * 1000.0, x[2] * 1000.0, x[3] * 1000.0, x[4] * 1000.0, x[5]])
            {
                c[k] = v;
            }
            last_step = Some(step_of[k + 1]);
        }
        match last_step {
            Some(st) => step_field[k] = st,
            None => {
                return Err(IoError::Corrupt {
                    name: name.to_string(),
                    offset: 0,
                    expected: "a data_runInfo.ndc entry for the first record".into(),
                    found: "none".into(),
                })
            }
        }
    }
    let missing = known.iter().filter(|k| !**k).count();
    let current_ma: Vec<f64> = vi.iter().map(|p| p.1 * 1000.0).collect();
    let voltage: Vec<f64> = vi.iter().map(|p| p.0).collect();
    fill_gaps(&mut cols, &known, &step_field, &current_ma, &voltage);
    let mut rows = Rows { filled: missing, ..Rows::default() };
    let mut step_number = 0i64;
    let mut previous = None;
    for k in 0..n {
        if previous != Some(step_field[k]) {
            step_number += 1;
            previous = Some(step_field[k]);
        }
        let (cycle, status) = steps.get(step_number as usize - 1).copied().unwrap_or((0, 0));
        rows.index.push(k as i64 + 1);
        rows.cycle.push(cycle);
        rows.step.push(step_number);
        rows.status.push(status);
        rows.time_s.push(cols[0][k]);
        rows.voltage_v.push(voltage[k]);
        rows.current_a.push(vi[k].1);
        rows.charge_c.push(cols[1][k] * 3.6);
        rows.discharge_c.push(cols[2][k] * 3.6);
        rows.charge_j.push(cols[3][k] * 3.6);
        rows.discharge_j.push(cols[4][k] * 3.6);
        rows.unix_s.push(cols[5][k]);
    }
    Ok(rows)
}

/// Fills records that have no runInfo entry the way NewareNDA does (so values match it):
/// - step time and unix time: linear by position between known records of the same step, then
///   extrapolated with the last known difference;
/// - capacities [mAh] and energies [mWh]: the last known value plus the sum of increments
///   `dt·|I|/3600` (times V for energies) from that record on, counted for charge when the previous
///   record's current is positive and for discharge when it is negative.
///
/// `cols` = [step time s, Q charge, Q discharge, E charge, E discharge, unix time s].
fn fill_gaps(cols: &mut [Vec<f64>; 6], known: &[bool], step: &[i64], current_ma: &[f64], voltage: &[f64]) {
    let n = known.len();
    for c in [0, 5] {
        let v = &mut cols[c];
        let mut last: Option<usize> = None;
        for k in 0..n {
            if v[k].is_nan() {
                continue;
            }
            if let Some(j) = last.filter(|&j| k > j + 1 && step[j] == step[k]) {
                for m in j + 1..k {
                    v[m] = v[j] + (v[k] - v[j]) * (m - j) as f64 / (k - j) as f64;
                }
            }
            last = Some(k);
        }
        // Differences of the interpolated series, carried forward over gaps.
        let mut diffs = vec![f64::NAN; n];
        let mut carried = f64::NAN;
        for k in 1..n {
            let d = v[k] - v[k - 1];
            if !d.is_nan() {
                carried = d;
            }
            diffs[k] = carried;
        }
        let mut base = f64::NAN;
        let mut steps_since = 0.0;
        let mut base_diff = f64::NAN;
        for k in 0..n {
            if !v[k].is_nan() {
                base = v[k];
                base_diff = diffs[k];
                steps_since = 0.0;
            } else {
                steps_since += 1.0;
                v[k] = base + steps_since * base_diff;
            }
        }
    }
    let t = cols[0].clone();
    for (c, sign, energy) in [(1, 1.0, false), (2, -1.0, false), (3, 1.0, true), (4, -1.0, true)] {
        let v = &mut cols[c];
        let mut base = f64::NAN;
        let mut sum = 0.0;
        for k in 0..n {
            // Increment of record k: dt from the previous record times |I| (and V for energy).
            let inc = if k > 0 {
                let d = (t[k] - t[k - 1]) * current_ma[k].abs() / 3600.0;
                if energy {
                    d * voltage[k]
                } else {
                    d
                }
            } else {
                0.0
            };
            if known[k] {
                base = v[k];
                sum = if inc.is_nan() { 0.0 } else { inc };
                continue;
            }
            // The sum up to the previous record, if that record's current flows this way.
            let counts = k > 0 && current_ma[k - 1] * sign > 0.0;
            v[k] = base + if counts { sum } else { 0.0 };
            if !inc.is_nan() {
                sum += inc;
            }
        }
    }
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
    let test_time = crate::neware::test_time(&rows.time_s, &rows.step);
    let cycle = crate::neware::charge_first_cycles(&rows.status);
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
