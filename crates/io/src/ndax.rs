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
//! runInfo sparsely: records without an entry are filled as NewareNDA does (see `fill_times` and
//! `fill_sums`) and a warning gives their number. Aux channels are not read yet (a warning says so).

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
        if ndc.len() < PAGE || !ndc.len().is_multiple_of(PAGE) {
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

/// One `data_runInfo.ndc` entry: the first one of its record index.
struct Info {
    /// Record position (index − 1).
    at: usize,
    /// The step field.
    step: i64,
    /// dt (logging interval) = 0: the first record of a step.
    start: bool,
    /// Step time [s], Q charge, Q discharge [Ah], E charge, E discharge [Wh], unix time [s].
    v: [f64; 6],
}

fn read_split(data: &[u8], run: &[u8], step: &[u8], version: u8, name: &str) -> Result<Rows, IoError> {
    // data.ndc: (V, I [A]) pairs; a zero voltage marks unused slots.
    let slots = (data.len() / PAGE).saturating_sub(1) * ((PAGE - 136) / 8);
    let mut voltage = Vec::with_capacity(slots);
    let mut current_a = Vec::with_capacity(slots);
    for p in entries(data, 132, 4, 8) {
        let v = f32_at(p, 0);
        if v != 0.0 {
            voltage.push(v);
            current_a.push(f32_at(p, 4));
        }
    }
    let n = voltage.len();
    // runInfo entries in record order (BTS writes them in order; sorted here when not).
    let (skip, tail, size) = if version == 14 { (132, 59, 55) } else { (232, 64, 100) };
    let mut info: Vec<Info> = Vec::with_capacity(run.len() / size);
    let mut ordered = true;
    for r in entries(run, skip, tail, size) {
        let index = i32_at(r, 41);
        if index <= 0 || index as usize > n {
            continue;
        }
        let at = index as usize - 1;
        ordered &= info.last().is_none_or(|e| e.at < at);
        let unix = f64::from(i32_at(r, 33) as u32) + f64::from(i16::from_le_bytes([r[45], r[46]])) / 1000.0;
        info.push(Info {
            at,
            step: i64::from(i32_at(r, 37)),
            start: i32_at(r, 29) == 0,
            v: [
                f64::from(i32_at(r, 0) as u32) / 1000.0,
                f32_at(r, 5),
                f32_at(r, 9),
                f32_at(r, 13),
                f32_at(r, 17),
                unix,
            ],
        });
    }
    if !ordered {
        // Stable: the first entry of an index (BTS sometimes repeats the first record) stays and wins.
        info.sort_by_key(|e| e.at);
        info.dedup_by_key(|e| e.at);
    }
    if n > 0 && info.first().map(|e| e.at) != Some(0) {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "a data_runInfo.ndc entry for the first record".into(),
            found: "none".into(),
        });
    }
    // A step's first record: step time 0 by definition (BTS may log a few ms of delay there), unix
    // time back-computed from the step's next entry (as fastnda / NewareNDA give it).
    for i in 0..info.len() {
        let next = info.get(i + 1).filter(|next| info[i].start && next.step == info[i].step);
        if let Some(unix) = next.map(|next| next.v[5] - next.v[0]) {
            info[i].v[0] = 0.0;
            info[i].v[5] = unix;
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
    // capacities and energies as NewareNDA fills them.
    let time_s = fill_times(&info, 0, n);
    let unix_s = fill_times(&info, 5, n);
    let [charge_c, discharge_c, charge_j, discharge_j] = fill_sums(&info, &time_s, &voltage, &current_a);
    // Step number, stored cycle and status: constant from one runInfo entry to the next.
    let (mut step_col, mut cycle, mut status) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut step_number = 0i64;
    let mut previous = None;
    for (i, e) in info.iter().enumerate() {
        if previous != Some(e.step) {
            step_number += 1;
            previous = Some(e.step);
        }
        let (c, st) = steps.get(step_number as usize - 1).copied().unwrap_or((0, 0));
        let end = info.get(i + 1).map_or(n, |next| next.at);
        step_col.resize(end, step_number);
        cycle.resize(end, c);
        status.resize(end, st);
    }
    Ok(Rows {
        index: (1..=n as i64).collect(),
        cycle,
        step: step_col,
        status,
        time_s,
        voltage_v: voltage,
        current_a,
        charge_c,
        discharge_c,
        charge_j,
        discharge_j,
        unix_s,
        filled: n - info.len(),
    })
}

/// Step time (`c` = 0) or unix time (`c` = 5) of all `n` records (`info[0]` is record 0), filled
/// where runInfo has no entry the way NewareNDA does (so values match it): linear by position between
/// entries of the same step; other gaps continue from their last value by the last difference of the
/// series so far (differences across a gap do not count), one difference per record.
fn fill_times(info: &[Info], c: usize, n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n);
    // The last difference of consecutive known or interpolated values (all finite: they come from
    // integers), and the previous such value (NaN right after an extrapolated gap).
    let (mut carried, mut previous) = (f64::NAN, f64::NAN);
    for (i, e) in info.iter().enumerate() {
        let (j, a) = (e.at, e.v[c]);
        if !(a - previous).is_nan() {
            carried = a - previous;
        }
        v.push(a);
        previous = a;
        let next = info.get(i + 1);
        let k = next.map_or(n, |next| next.at);
        if k == j + 1 {
            continue;
        }
        match next.filter(|next| next.step == e.step) {
            Some(next) => {
                let b = next.v[c];
                v.extend((j + 1..k).map(|m| a + (b - a) * (m - j) as f64 / (k - j) as f64));
                previous = v[k - 1];
                carried = v[k - 1] - v[k - 2];
            }
            None => {
                let base_diff = carried;
                v.extend((1..k - j).map(|s| a + s as f64 * base_diff));
                previous = f64::NAN;
            }
        }
    }
    v
}

/// Q charge, Q discharge [C], E charge, E discharge [J] of every record. Records without a runInfo
/// entry get, as NewareNDA gives them, the last entry's value [mAh, mWh] plus the sum of increments
/// `dt·|I|/3600` (times V for energies) from that entry on, counted for charge when the previous
/// record's current is positive and for discharge when it is negative.
fn fill_sums(info: &[Info], time_s: &[f64], voltage: &[f64], current_a: &[f64]) -> [Vec<f64>; 4] {
    let n = time_s.len();
    // Increment of record k: dt from the previous record times |I| [mA] (times V for energy).
    let increment = |t0: f64, t1: f64, i: f64| (t1 - t0) * (i * 1000.0).abs() / 3600.0;
    let mut out: [Vec<f64>; 4] = std::array::from_fn(|_| vec![0.0; n]);
    let [q_ch, q_dis, e_ch, e_dis] = &mut out;
    for (i, e) in info.iter().enumerate() {
        let (j, end) = (e.at, info.get(i + 1).map_or(n, |next| next.at));
        let base = [e.v[1] * 1000.0, e.v[2] * 1000.0, e.v[3] * 1000.0, e.v[4] * 1000.0];
        let q = if j > 0 { increment(time_s[j - 1], time_s[j], current_a[j]) } else { 0.0 };
        let en = if j > 0 { q * voltage[j] } else { 0.0 };
        let (q, en) = (if q.is_nan() { 0.0 } else { q }, if en.is_nan() { 0.0 } else { en });
        let mut sum = [q, q, en, en];
        q_ch[j] = base[0] * 3.6;
        q_dis[j] = base[1] * 3.6;
        e_ch[j] = base[2] * 3.6;
        e_dis[j] = base[3] * 3.6;
        // Records j+1..end have no entry: the sums up to the previous record, counted for charge when
        // the previous record's current is positive and for discharge when it is negative.
        let r = j + 1..end;
        let (q_ch, q_dis, e_ch, e_dis) =
            (&mut q_ch[r.clone()], &mut q_dis[r.clone()], &mut e_ch[r.clone()], &mut e_dis[r.clone()]);
        let (time, current, voltage) = (&time_s[j..end], &current_a[j..end], &voltage[r]);
        for m in 0..q_ch.len() {
            let previous_ma = current[m] * 1000.0;
            let (charge, discharge) = (previous_ma > 0.0, previous_ma < 0.0);
            q_ch[m] = (base[0] + if charge { sum[0] } else { 0.0 }) * 3.6;
            q_dis[m] = (base[1] + if discharge { sum[1] } else { 0.0 }) * 3.6;
            e_ch[m] = (base[2] + if charge { sum[2] } else { 0.0 }) * 3.6;
            e_dis[m] = (base[3] + if discharge { sum[3] } else { 0.0 }) * 3.6;
            let q = increment(time[m], time[m + 1], current[m + 1]);
            let en = q * voltage[m];
            if !q.is_nan() {
                sum[0] += q;
                sum[1] += q;
            }
            if !en.is_nan() {
                sum[2] += en;
                sum[3] += en;
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: usize, step: i64, v: [f64; 6]) -> Info {
        Info { at, step, start: false, v }
    }

    #[test]
    fn gaps_are_interpolated_within_a_step_and_extrapolated_across_steps() {
        // Entries at records 0 and 3 (step 1) and 5 (step 2) of 8: 1, 2 interpolated; 4 continues
        // step 1 by its last difference (1); 6, 7 continue from 10 by the last difference of the series
        // (the jump into the gap does not count).
        let info =
            [entry(0, 1, [0.0; 6]), entry(3, 1, [3.0, 0.0, 0.0, 0.0, 0.0, 3.0]), entry(5, 2, [10.0; 6])];
        let t = fill_times(&info, 0, 8);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0]);
        assert_eq!(fill_times(&info, 5, 8), t);
    }

    #[test]
    fn gap_sums_count_dt_times_current_by_the_previous_records_direction() {
        // 1 h steps; +1 mA then −2 mA at 2 V: 1 mAh / 2 mWh charged before record 2 (an entry of
        // 2 mAh / 4 mWh), then 2 mAh / 4 mWh discharged into record 3. Values out in C and J.
        let info = [entry(0, 1, [0.0; 6]), entry(2, 1, [7200.0, 0.002, 0.0, 0.004, 0.0, 0.0])];
        let t = [0.0, 3600.0, 7200.0, 10_800.0];
        let [q_ch, q_dis, e_ch, e_dis] = fill_sums(&info, &t, &[2.0; 4], &[0.001, 0.001, -0.002, -0.002]);
        let close = |got: &[f64], want: [f64; 4]| {
            assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-12), "{got:?} vs {want:?}")
        };
        close(&q_ch, [0.0, 0.0, 7.2, 7.2]);
        close(&q_dis, [0.0, 0.0, 0.0, 7.2]);
        close(&e_ch, [0.0, 0.0, 14.4, 14.4]);
        close(&e_dis, [0.0, 0.0, 0.0, 14.4]);
    }
}
