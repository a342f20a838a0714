//! Columns EC-Lab computes on export and the `.mpr` lacks, derived the same way so an `.mpr` gives
//! what its `.mpt` export gives (each checked against the paired exports of the corpus):
//! - current `<I>` = dq / Δt (GCPL files store no current);
//! - `cycle number` = half cycle / 2;
//! - `Q charge` = max(Q charge/discharge, 0), `Q discharge` = max(−Q charge/discharge, 0),
//!   `Capacity` = |Q charge/discharge|;
//! - `control/V` and `control/mA` split from `control/V/mA` by the mode flag (1 galvanostatic in mA,
//!   2 potentiostatic in V, otherwise 0).
//!
//! Derived columns carry `derived: true` and a source label saying how they were computed. Each is a
//! [`Derived`] with the stored columns it needs ([`Derived::inputs`]); a file gets those it does not
//! store and can compute ([`derivable`]), and a read that asks for some columns computes only the
//! derived ones asked for ([`derive_columns`]).

use std::borrow::Cow;

use crate::channel::Channel;
use crate::recording::{Column, Recording, Values};

/// A column EC-Lab computes on export, in the order spelab appends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// `<I>` = dq / Δt.
    Current,
    /// `cycle number` = half cycle / 2.
    CycleNumber,
    /// `Q charge` = max(Q charge/discharge, 0).
    ChargeCapacity,
    /// `Q discharge` = max(−Q charge/discharge, 0).
    DischargeCapacity,
    /// `Capacity` = |Q charge/discharge|.
    Capacity,
    /// `control/V`: `control/V/mA` in potentiostatic steps, else 0.
    ControlVoltage,
    /// `control/mA`: `control/V/mA` in galvanostatic steps, else 0.
    ControlCurrent,
}

impl Derived {
    /// Every derived column, in the order they are appended.
    pub const ALL: [Derived; 7] = [
        Derived::Current,
        Derived::CycleNumber,
        Derived::ChargeCapacity,
        Derived::DischargeCapacity,
        Derived::Capacity,
        Derived::ControlVoltage,
        Derived::ControlCurrent,
    ];

    /// The spelab column name ("current").
    pub fn name(self) -> &'static str {
        self.channel().name()
    }

    fn channel(self) -> &'static Channel {
        match self {
            Derived::Current => &Channel::Current,
            Derived::CycleNumber => &Channel::CycleIndex,
            Derived::ChargeCapacity => &Channel::ChargeCapacity,
            Derived::DischargeCapacity => &Channel::DischargeCapacity,
            Derived::Capacity => &Channel::Capacity,
            Derived::ControlVoltage => &Channel::ControlVoltage,
            Derived::ControlCurrent => &Channel::ControlCurrent,
        }
    }

    /// The names of the stored columns it is computed from.
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Derived::Current => &["time", "charge_increment"],
            Derived::CycleNumber => &["half_cycle"],
            Derived::ChargeCapacity | Derived::DischargeCapacity | Derived::Capacity => {
                &["half_cycle_charge"]
            }
            Derived::ControlVoltage | Derived::ControlCurrent => &["control_v_or_ma", "control_mode"],
        }
    }
}

/// The columns derived for a file storing the columns named `stored`: those it does not store and
/// whose inputs it stores.
pub fn derivable(stored: &[&str]) -> Vec<Derived> {
    Derived::ALL
        .into_iter()
        .filter(|d| !stored.contains(&d.name()) && d.inputs().iter().all(|i| stored.contains(i)))
        .collect()
}

/// Appends the `wanted` derived columns (see [`derivable`]) computed from `rec`'s columns; one whose
/// input is missing or not of the kind it needs (a half cycle that is not whole) is not appended.
pub fn derive_columns(rec: &mut Recording, wanted: &[Derived]) {
    // Computed from borrowed columns first, pushed after.
    let columns: Vec<Column> = wanted.iter().filter_map(|&d| derive(rec, d)).collect();
    for column in columns {
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

fn derive(rec: &Recording, d: Derived) -> Option<Column> {
    let input = |k: usize| rec.column_named(d.inputs()[k]).map(|c| &c.values);
    Some(match d {
        Derived::Current => {
            // EC-Lab's export: <I> = dq / Δt (dq [C] per point), 0 at the first point and at Δt = 0.
            let (t, dq) = (floats(input(0)?), floats(input(1)?));
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
            derived(Channel::Current, "<I>/mA (derived: dq/dt)", Values::Float(current), 1e-3)
        }
        // EC-Lab's cycle number: two half cycles per cycle, counted from 0.
        Derived::CycleNumber => match input(0)? {
            Values::Int(half) => {
                let cycle = Values::Int(half.iter().map(|h| h / 2).collect());
                derived(Channel::CycleIndex, "cycle number (derived: half cycle / 2)", cycle, 1.0)
            }
            Values::Float(_) => return None,
        },
        // Q charge, Q discharge and Capacity from the signed charge of the half cycle.
        Derived::ChargeCapacity | Derived::DischargeCapacity | Derived::Capacity => {
            let q = floats(input(0)?);
            let (values, source): (Vec<f64>, _) = match d {
                Derived::ChargeCapacity => (
                    q.iter().map(|&x| x.max(0.0)).collect(),
                    "Q charge/mA.h (derived: Q charge/discharge > 0)",
                ),
                Derived::DischargeCapacity => (
                    q.iter().map(|&x| (-x).max(0.0)).collect(),
                    "Q discharge/mA.h (derived: -Q charge/discharge > 0)",
                ),
                _ => (q.iter().map(|&x| x.abs()).collect(), "Capacity/mA.h (derived: |Q charge/discharge|)"),
            };
            derived(d.channel().clone(), source, Values::Float(values), 3.6)
        }
        Derived::ControlVoltage | Derived::ControlCurrent => {
            let (control, mode) = (floats(input(0)?), input(1)?);
            // Mode 1 = galvanostatic (value in mA), 2 = potentiostatic (value in V), 3 = rest.
            let (m, scale, source) = match d {
                Derived::ControlVoltage => (2.0, 1.0, "control/V (derived from control/V/mA and mode)"),
                _ => (1.0, 1e-3, "control/mA (derived from control/V/mA and mode)"),
            };
            let value = |(&c, md): (&f64, f64)| if md == m { c * scale } else { 0.0 };
            let values = match mode {
                // Flags are integers: compared as the floats they convert to, without a copy.
                Values::Int(mode) => {
                    control.iter().zip(mode.iter().map(|&md| md as f64)).map(value).collect()
                }
                Values::Float(mode) => control.iter().zip(mode.iter().copied()).map(value).collect(),
            };
            derived(d.channel().clone(), source, Values::Float(values), scale)
        }
    })
}

/// A column spelab computed; `scale` converts its values back to the vendor unit of `source`.
fn derived(channel: Channel, source: &str, values: Values, scale: f64) -> Column {
    Column { channel, source: source.to_string(), values, scale, offset: 0.0, derived: true }
}
