//! Auxiliary channels of an Arbin `.res` (thermocouples, auxiliary voltage inputs).
//!
//! `Auxiliary_Table` holds one row per logged point and channel: `Test_ID`, `Data_Point` (the row of
//! `Channel_Normal_Table` it belongs to), `Auxiliary_Index` (the channel, from 0), `Data_Type` (0
//! voltage, 1 temperature, further codes for pressure, pH, flow rate, ... in the order of
//! `Global_Table`'s `Mapped_Aux_*` fields), `X` (the value) and, when Arbin logs it, `dX_dt` (its rate
//! of change). `Aux_Global_Data_Table` names each (`Auxiliary_Index`, `Data_Type`) pair: `Nickname`
//! and `Unit` (`V`, `C`). cellpy and galvani's `res2sqlite` join the two the same way: one wide
//! column per pair, joined to the data rows on `Data_Point` (here on (`Test_ID`, `Data_Point`)).
//!
//! Columns: the first temperature channel is spelab's `temperature` [K] (°C + 273.15), further ones
//! `auxN_temperature` [K]; voltages `auxN_voltage` [V]; `dX_dt` becomes `auxN_temperature_rate`
//! [K/s] or `auxN_voltage_rate` [V/s]; any other data type `auxN_type_T` in the file's unit (named
//! in the column's source). A data row with no auxiliary record is NaN there and a warning counts
//! them; an auxiliary record whose data point is not in `Channel_Normal_Table` is counted in a
//! warning too (nothing is dropped silently).

use std::collections::{BTreeMap, HashMap};

use jetdb::Value;

use super::rows::Raw;
use crate::channel::Channel;
use crate::recording::{Column, Values};
use spelab_core::constants::ZERO_CELSIUS;

/// The auxiliary table.
pub(super) const AUX_TABLE: &str = "Auxiliary_Table";
/// The table naming the auxiliary channels.
pub(super) const AUX_GLOBAL_TABLE: &str = "Aux_Global_Data_Table";

/// Name and unit of one (`Auxiliary_Index`, `Data_Type`) pair from `Aux_Global_Data_Table`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct AuxName {
    /// `Nickname` (often empty).
    pub nickname: String,
    /// `Unit` as Arbin writes it (`V`, `C`).
    pub unit: String,
}

/// `Aux_Global_Data_Table`'s rows (column labels, values) as a map from (`Auxiliary_Index`,
/// `Data_Type`) to name and unit; the first row of a pair wins.
pub(super) fn names(labels: &[String], rows: &[Vec<Value>]) -> HashMap<(i64, i64), AuxName> {
    let at = |label: &str| labels.iter().position(|l| l == label);
    let (Some(index), Some(kind)) = (at("Auxiliary_Index"), at("Data_Type")) else {
        return HashMap::new();
    };
    let text = |row: &[Value], i: Option<usize>| match i.and_then(|i| row.get(i)) {
        Some(Value::Text(s)) => s.trim().to_string(),
        _ => String::new(),
    };
    let mut out = HashMap::new();
    for row in rows {
        let (Some(i), Some(t)) = (row.get(index).and_then(int), row.get(kind).and_then(int)) else {
            continue;
        };
        out.entry((i, t))
            .or_insert_with(|| AuxName { nickname: text(row, at("Nickname")), unit: text(row, at("Unit")) });
    }
    out
}

/// An integer field of a row.
fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Byte(b) => Some(i64::from(*b)),
        Value::Int(i) => Some(i64::from(*i)),
        Value::Long(i) => Some(i64::from(*i)),
        Value::BigInt(i) => Some(*i),
        _ => None,
    }
}

/// One column's values as f64 (integers widened; NULL already NaN).
fn floats(raw: &Raw) -> Vec<f64> {
    match raw {
        Raw::Int(v) => v.iter().map(|&x| x as f64).collect(),
        Raw::Float(v) => v.clone(),
    }
}

/// The values of one channel being joined.
struct Joined {
    x: Vec<f64>,
    rate: Option<Vec<f64>>,
    filled: usize,
}

/// The auxiliary columns for the data rows whose (`Test_ID`, `Data_Point`) are `keys` (in row
/// order), from `Auxiliary_Table`'s numeric columns (label, values) and the channel `names`, plus
/// warnings. `has_temperature` says whether the recording already has a `temperature` column.
pub(super) fn columns(
    aux: &[(String, Raw)],
    names: &HashMap<(i64, i64), AuxName>,
    keys: &[(i64, i64)],
    has_temperature: bool,
) -> (Vec<Column>, Vec<String>) {
    let mut warnings = Vec::new();
    let col = |label: &str| aux.iter().find(|(l, _)| l == label).map(|(_, raw)| floats(raw));
    let (Some(point), Some(index), Some(kind), Some(x)) =
        (col("Data_Point"), col("Auxiliary_Index"), col("Data_Type"), col("X"))
    else {
        let labels: Vec<&str> = aux.iter().map(|(l, _)| l.as_str()).collect();
        warnings.push(format!(
            "{AUX_TABLE}: no Data_Point, Auxiliary_Index, Data_Type and X columns (found {}): \
             auxiliary records not read",
            labels.join(", ")
        ));
        return (Vec::new(), warnings);
    };
    let test = col("Test_ID").unwrap_or_else(|| vec![0.0; point.len()]);
    let rate = col("dX_dt");
    let n = keys.len();
    let mut row_of: HashMap<(i64, i64), usize> = HashMap::with_capacity(n);
    for (i, &k) in keys.iter().enumerate() {
        row_of.entry(k).or_insert(i);
    }
    let whole = |v: f64| (v.is_finite() && v.fract() == 0.0).then_some(v as i64);
    let mut channels: BTreeMap<(i64, i64), Joined> = BTreeMap::new();
    let (mut unmatched, mut repeated) = (0usize, 0usize);
    for r in 0..point.len() {
        let key = (whole(test[r]), whole(point[r]));
        let (Some(t), Some(p), Some(i), Some(k)) = (key.0, key.1, whole(index[r]), whole(kind[r])) else {
            unmatched += 1;
            continue;
        };
        let Some(&row) = row_of.get(&(t, p)) else {
            unmatched += 1;
            continue;
        };
        let ch = channels.entry((k, i)).or_insert_with(|| Joined {
            x: vec![f64::NAN; n],
            rate: rate.as_ref().map(|_| vec![f64::NAN; n]),
            filled: 0,
        });
        if ch.x[row].is_nan() && ch.rate.as_ref().is_none_or(|v| v[row].is_nan()) {
            ch.filled += 1;
        } else {
            repeated += 1;
        }
        ch.x[row] = x[r];
        if let (Some(out), Some(rate)) = (ch.rate.as_mut(), rate.as_ref()) {
            out[row] = rate[r];
        }
    }
    if unmatched > 0 {
        warnings.push(format!(
            "{AUX_TABLE}: {unmatched} of {} auxiliary records name no data point of the data table \
             (or have no channel number) and are not shown",
            point.len()
        ));
    }
    if repeated > 0 {
        warnings.push(format!(
            "{AUX_TABLE}: {repeated} auxiliary records repeat a (data point, channel) already read; \
             the last one is shown"
        ));
    }
    let mut out = Vec::new();
    let mut temperature = has_temperature;
    for ((kind, index), ch) in channels {
        let meta = names.get(&(index, kind)).cloned().unwrap_or_default();
        let unit = if meta.unit.is_empty() {
            match kind {
                0 => "V".to_string(),
                1 => "C".to_string(),
                _ => String::new(),
            }
        } else {
            meta.unit.clone()
        };
        let is_celsius = matches!(unit.as_str(), "C" | "°C" | "degC");
        // (channel, its rate's channel, offset to SI).
        let (channel, rate_channel, offset) = match kind {
            1 if is_celsius => {
                let ch = if temperature {
                    Channel::other(&format!("aux{index} temperature"), "K")
                } else {
                    temperature = true;
                    Channel::Temperature
                };
                (ch, Channel::other(&format!("aux{index} temperature rate"), "K/s"), ZERO_CELSIUS)
            }
            0 if unit == "V" => (
                Channel::other(&format!("aux{index} voltage"), "V"),
                Channel::other(&format!("aux{index} voltage rate"), "V/s"),
                0.0,
            ),
            _ => (
                Channel::other(&format!("aux{index} type {kind}"), "1"),
                Channel::other(&format!("aux{index} type {kind} rate"), "1/s"),
                0.0,
            ),
        };
        let nick = if meta.nickname.is_empty() { String::new() } else { format!(", {}", meta.nickname) };
        let source = |field: &str| {
            format!("{AUX_TABLE} {field} (Auxiliary_Index {index}, Data_Type {kind}{nick}) [{unit}]")
        };
        if ch.filled < n {
            warnings.push(format!(
                "{AUX_TABLE}: auxiliary channel {index} (Data_Type {kind}) has values for {} of {n} data \
                 rows; the others are NaN",
                ch.filled
            ));
        }
        let x: Vec<f64> = ch.x.iter().map(|v| v + offset).collect();
        out.push(Column {
            channel,
            source: source("X"),
            values: Values::Float(x),
            scale: 1.0,
            offset,
            derived: false,
        });
        if let Some(rate) = ch.rate.filter(|v| v.iter().any(|x| !x.is_nan())) {
            out.push(Column::new(rate_channel, source("dX_dt"), Values::Float(rate)));
        }
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(unit: &str) -> AuxName {
        AuxName { nickname: String::new(), unit: unit.into() }
    }

    #[test]
    fn aux_rows_join_on_test_and_data_point_with_gaps_counted() {
        // Three data rows (test 1, points 1..3); two channels: a thermocouple (with dX_dt) that misses
        // point 2 and an aux voltage on every point, plus one record for a point that does not exist.
        let aux = vec![
            ("Test_ID".to_string(), Raw::Int(vec![1, 1, 1, 1, 1, 1])),
            ("Data_Point".to_string(), Raw::Int(vec![1, 1, 2, 3, 3, 9])),
            ("Auxiliary_Index".to_string(), Raw::Int(vec![0, 0, 0, 0, 0, 0])),
            ("Data_Type".to_string(), Raw::Int(vec![1, 0, 0, 1, 0, 0])),
            ("X".to_string(), Raw::Float(vec![25.0, 3.1, 3.2, 26.0, 3.3, 9.9])),
            ("dX_dt".to_string(), Raw::Float(vec![0.5, 0.0, 0.0, -0.5, 0.0, 0.0])),
        ];
        let names = HashMap::from([((0, 1), name("C")), ((0, 0), name("V"))]);
        let keys = [(1, 1), (1, 2), (1, 3)];
        let (cols, warnings) = columns(&aux, &names, &keys, false);
        let by =
            |n: &str| cols.iter().find(|c| c.name() == n).unwrap_or_else(|| panic!("{n}")).values.to_f64();
        assert_eq!(by("aux0_voltage"), vec![3.1, 3.2, 3.3]);
        let t = by("temperature");
        assert_eq!((t[0], t[2]), (25.0 + ZERO_CELSIUS, 26.0 + ZERO_CELSIUS));
        assert!(t[1].is_nan());
        let rate = by("aux0_temperature_rate");
        assert_eq!((rate[0], rate[2]), (0.5, -0.5));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("1 of 6 auxiliary records name no data point"), "{warnings:?}");
        assert!(warnings[1].contains("values for 2 of 3 data rows"), "{warnings:?}");
    }

    #[test]
    fn missing_aux_columns_are_a_warning_not_a_silent_skip() {
        let aux = vec![("Data_Point".to_string(), Raw::Int(vec![1]))];
        let (cols, warnings) = columns(&aux, &HashMap::new(), &[(1, 1)], false);
        assert!(cols.is_empty());
        assert!(warnings[0].contains("not read"), "{warnings:?}");
    }
}
