//! Columns EC-Lab computes on export and the `.mpr` lacks, derived the same way so an `.mpr` gives
//! what its `.mpt` export gives (each checked against the paired exports of the corpus):
//! - current `<I>` = dq / Δt (GCPL files store no current);
//! - `cycle number` = half cycle / 2;
//! - `Q charge` = max(Q charge/discharge, 0), `Q discharge` = max(−Q charge/discharge, 0),
//!   `Capacity` = |Q charge/discharge|;
//! - `control/V` and `control/mA` split from `control/V/mA` by the mode flag (1 galvanostatic in mA,
//!   2 potentiostatic in V, otherwise 0).
//!
//! Derived columns carry `derived: true` and a source label saying how they were computed.

use std::borrow::Cow;

use crate::channel::Channel;
use crate::recording::{Column, Recording, Values};

/// Adds what EC-Lab derives on export and the analyses need: `<I>` from dq/dt when the file stores
/// no current (GCPL), and control voltage / current split by the mode flag from `control/V/mA`.
pub fn derive_columns(rec: &mut Recording) {
    // Computed from borrowed columns first, pushed after (none of the checks below looks for a
    // column pushed before it, so the order of pushes is the order of the checks).
    let derived_columns = derive(rec);
    for column in derived_columns {
        rec.push(column);
    }
}

/// The values of a column as floats, borrowed when they are floats already.
fn floats(values: &Values) -> Cow<'_, [f64]> {
    match values {
        Values::Float(v) => Cow::Borrowed(v),
        Values::Int(_) => Cow::Owned(values.to_f64()),
    }
}

fn derive(rec: &Recording) -> Vec<Column> {
    let mut out = Vec::new();
    if rec.column(&Channel::Current).is_none() {
        let time = rec.column(&Channel::Time).map(|c| floats(&c.values));
        if let (Some(t), Some(dq)) = (time, rec.column(&Channel::ChargeIncrement)) {
            // EC-Lab's export: <I> = dq / Δt (dq [C] per point), 0 at the first point and at Δt = 0.
            let dq = floats(&dq.values);
            let len = t.len().min(dq.len());
            let current = std::iter::once(0.0)
                .take(len)
                .chain(t[..len].windows(2).zip(dq[..len].iter().skip(1)).map(|(t, &dq)| {
                    if t[1] > t[0] {
                        dq / (t[1] - t[0])
                    } else {
                        0.0
                    }
                }))
                .collect();
            out.push(Column {
                channel: Channel::Current,
                source: "<I>/mA (derived: dq/dt)".into(),
                values: Values::Float(current),
                scale: 1e-3,
                offset: 0.0,
                derived: true,
            });
        }
    }
    // EC-Lab's cycle number: two half cycles per cycle, counted from 0.
    if rec.column(&Channel::CycleIndex).is_none() {
        if let Some(Values::Int(half)) = rec.column(&Channel::HalfCycle).map(|c| &c.values) {
            let cycle = Values::Int(half.iter().map(|h| h / 2).collect());
            out.push(derived(Channel::CycleIndex, "cycle number (derived: half cycle / 2)", cycle, 1.0));
        }
    }
    // Q charge, Q discharge and Capacity from the signed charge of the half cycle.
    if let Some(q) = rec.column(&Channel::HalfCycleCharge).map(|c| floats(&c.values)) {
        let parts = [
            (Channel::ChargeCapacity, "Q charge/mA.h (derived: Q charge/discharge > 0)"),
            (Channel::DischargeCapacity, "Q discharge/mA.h (derived: -Q charge/discharge > 0)"),
            (Channel::Capacity, "Capacity/mA.h (derived: |Q charge/discharge|)"),
        ];
        for (k, (channel, source)) in parts.into_iter().enumerate() {
            if rec.column(&channel).is_none() {
                let values: Vec<f64> = match k {
                    0 => q.iter().map(|&x| x.max(0.0)).collect(),
                    1 => q.iter().map(|&x| (-x).max(0.0)).collect(),
                    _ => q.iter().map(|&x| x.abs()).collect(),
                };
                out.push(derived(channel, source, Values::Float(values), 3.6));
            }
        }
    }
    let raw_control = rec.column_named("control_v_or_ma").map(|c| floats(&c.values));
    let mode = rec.column(&Channel::ControlMode).map(|c| &c.values);
    if let (Some(control), Some(mode)) = (raw_control, mode) {
        // Mode 1 = galvanostatic (value in mA), 2 = potentiostatic (value in V), 3 = rest.
        let pick = |m: f64, scale: f64| -> Vec<f64> {
            let value = |(&c, md): (&f64, f64)| if md == m { c * scale } else { 0.0 };
            match mode {
                // Flags are integers: compared as the floats they convert to, without a copy.
                Values::Int(mode) => {
                    control.iter().zip(mode.iter().map(|&md| md as f64)).map(value).collect()
                }
                Values::Float(mode) => control.iter().zip(mode.iter().copied()).map(value).collect(),
            }
        };
        if rec.column(&Channel::ControlVoltage).is_none() {
            let values = Values::Float(pick(2.0, 1.0));
            out.push(Column {
                channel: Channel::ControlVoltage,
                source: "control/V (derived from control/V/mA and mode)".into(),
                values,
                scale: 1.0,
                offset: 0.0,
                derived: true,
            });
        }
        if rec.column(&Channel::ControlCurrent).is_none() {
            let values = Values::Float(pick(1.0, 1e-3));
            out.push(Column {
                channel: Channel::ControlCurrent,
                source: "control/mA (derived from control/V/mA and mode)".into(),
                values,
                scale: 1e-3,
                offset: 0.0,
                derived: true,
            });
        }
    }
    out
}

/// A column spelab computed; `scale` converts its values back to the vendor unit of `source`.
fn derived(channel: Channel, source: &str, values: Values, scale: f64) -> Column {
    Column { channel, source: source.to_string(), values, scale, offset: 0.0, derived: true }
}
