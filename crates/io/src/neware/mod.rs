//! Neware BTS `.nda` binary reader: nda version 29 and both layouts of version 130 (BTS 9.0 and
//! BTS 9.1). The byte layouts, and how the versions differ, are in `docs/formats/neware-nda.md`.
//!
//! - [`v29`]: 86-byte records in the record area the header declares (u32 at 64 and 68);
//! - [`v130`]: the data block the header's block table declares (u64 start / length at 0x52, from
//!   byte 1024): 88-byte records (BTS 9.0) or 56-byte records (BTS 9.1, first byte 0x55).
//!
//! Nothing is lost silently: a record that cannot be decoded (unknown marker, a record area or data
//! block that is not a whole number of records, a current-range code that is not known) is an error
//! naming its byte offset; data records with a zero index or zero status, which NewareNDA (and BTSDA)
//! skip, are skipped and counted in [`Recording::skipped_records`] and a warning.
//!
//! Cycle numbers follow BTSDA's "charge first" rule (as NewareNDA and fastnda regenerate them); the
//! stored counter is kept as `stored_cycle`. Auxiliary records of version 29 and BTS 9.0 are counted
//! in a warning; the BTS 9.1 aux temperature (one per record) is the temperature column.

mod v130;
mod v29;

use crate::channel::Channel;
use crate::recording::{Column, Format, Recording, Values};
use crate::IoError;
use spelab_core::constants::ZERO_CELSIUS;

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

/// The decoded records, one entry per data record (empty optional columns when the layout lacks
/// them).
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
    /// Test time as stored (BTS 9.1) [s]; derived from the step times when empty.
    total_s: Vec<f64>,
    /// Auxiliary temperature (BTS 9.1) [°C].
    temperature_c: Vec<f64>,
}

/// What a layout decoder found.
struct Decoded {
    rows: Rows,
    /// Auxiliary records not read.
    aux: usize,
    /// Data records skipped as the vendor software skips them (zero index or status).
    skipped: usize,
    /// The layout's name for the version string.
    layout: &'static str,
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
    let Decoded { rows, aux, skipped, layout } =
        if version < 130 { v29::read(b, name)? } else { v130::read(b, name)? };
    rec.version = Some(format!("nda version {version}{layout}"));
    if aux > 0 {
        rec.warnings.push(format!("{aux} auxiliary (temperature / voltage) records not read yet"));
    }
    if skipped > 0 {
        rec.skipped_records = skipped;
        rec.warnings.push(format!(
            "{skipped} data record(s) with a zero index or zero status skipped (as NewareNDA and BTSDA skip them)"
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
    let float = |channel: Channel, source: &str, v: Vec<f64>, scale: f64| Column {
        channel,
        source: source.to_string(),
        values: Values::Float(v.iter().map(|x| x * scale).collect()),
        scale,
        offset: 0.0,
        derived: false,
    };
    let int = |channel: Channel, source: &str, v: Vec<i64>| Column::new(channel, source, Values::Int(v));
    let time_column = if rows.total_s.is_empty() {
        Column {
            channel: Channel::Time,
            source: "test time (derived: sum of step times)".into(),
            values: Values::Float(test_time(&rows.time_s, &rows.step)),
            scale: 1.0,
            offset: 0.0,
            derived: true,
        }
    } else {
        Column::new(Channel::Time, "Total time/s", Values::Float(rows.total_s))
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
    if !rows.temperature_c.is_empty() {
        rec.push(Column {
            channel: Channel::Temperature,
            source: "T1/degC (aux temperature)".into(),
            values: Values::Float(rows.temperature_c.iter().map(|t| t + ZERO_CELSIUS).collect()),
            scale: 1.0,
            offset: ZERO_CELSIUS,
            derived: false,
        });
    }
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
