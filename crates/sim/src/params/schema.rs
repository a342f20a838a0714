//! The TOML schema of material files, the key/unit naming rule, and the conversion of raw TOML
//! values into [`Preset`]s.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use spelab_core::metric::Conditions;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_core::MetricId;
use toml::Spanned;

use super::{ParamsError, Preset, PresetValue};

/// The condition keys a value may carry, SI with the unit in the key: temperature [K], C-rate [1/h
/// as a plain number], current density [A/m²], cycle number [1], XPS etching depth [m] and the nominal
/// position of a tracked spectroscopic band [1/m].
pub const CONDITION_KEYS: [&str; 6] =
    ["temperature_K", "c_rate", "current_density_A_m2", "cycle", "etch_depth_m", "band_m_inv"];

/// One material as written in TOML (a user file, or one table of the built-in file).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMaterial {
    #[serde(default)]
    id: Option<String>,
    name: String,
    description: String,
    reference: String,
    #[serde(default)]
    model: BTreeMap<String, Spanned<RawValue>>,
    #[serde(default)]
    values: BTreeMap<String, Spanned<RawValue>>,
}

/// One value as written in TOML.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    value: f64,
    unit: String,
    source: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    metric: Option<MetricId>,
    #[serde(default)]
    quantity: Option<Quantity>,
    #[serde(default)]
    conditions: Conditions,
    #[serde(default)]
    assumed: bool,
}

/// The key suffix that the naming rule derives from a unit string.
///
/// Rule (applied to the `unit` field; the key must end with `_` + suffix):
/// - `"1"` (a plain number) has no suffix;
/// - temperatures `"degC"` / `"°C"` give `c`, angles `"deg"` / `"°"` give `deg`;
/// - otherwise: lowercase, `µ` becomes `u`, `Å` becomes `angstrom`, `%` becomes `percent` (`_percent` after
///   a prefix: `wt%` → `wt_percent`),
///   `/` becomes `_`, an exponent `-1` becomes `_inv`, other digits are kept (`cm2`).
///
/// Examples: `S/cm` → `s_cm`, `mA/cm2` → `ma_cm2`, `mAh/g` → `mah_g`, `cm-1` → `cm_inv`,
/// `%` → `percent`, `eV` → `ev`. Numbers inside a key are written with `p` for the decimal point
/// (`cycle_life_0p2ma_cm2_h` for 0.2 mA/cm²), since keys hold only `a-z`, `0-9` and `_`.
///
/// ```
/// use spelab_sim::params::unit_key_suffix;
/// assert_eq!(unit_key_suffix("mA/cm2"), "ma_cm2");
/// assert_eq!(unit_key_suffix("cm-1"), "cm_inv");
/// ```
pub fn unit_key_suffix(unit: &str) -> String {
    match unit.trim() {
        "1" => return String::new(),
        "degC" | "°C" => return "c".to_string(),
        "deg" | "°" => return "deg".to_string(),
        _ => {}
    }
    let parts: Vec<String> = unit
        .trim()
        .split('/')
        .map(|part| {
            let lower = part
                .trim()
                .to_lowercase()
                .replace(['µ', 'μ'], "u")
                .replace('å', "angstrom")
                .replace('%', "_percent");
            let lower = lower.strip_prefix('_').unwrap_or(&lower).to_string();
            match lower.strip_suffix("-1") {
                Some(base) => format!("{base}_inv"),
                None => lower,
            }
        })
        .collect();
    parts.join("_")
}

/// Whether `key` is well formed: starts with `a-z`, holds only `a-z`, `0-9` and single `_`, and does
/// not end with `_` (so decimal points must be written as `p`).
pub fn is_valid_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !key.contains("__")
        && !key.ends_with('_')
}

/// Whether `key` ends with the suffix [`unit_key_suffix`] derives from `unit`.
pub fn key_matches_unit(key: &str, unit: &str) -> bool {
    let suffix = unit_key_suffix(unit);
    suffix.is_empty() || key.ends_with(&format!("_{suffix}"))
}

/// Whether `id` is a well-formed material id: `a-z`, `0-9` and `-`, starting with a letter.
fn is_valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Maps a TOML parse or schema error into [`ParamsError::Toml`].
pub(super) fn toml_error(origin: &str, error: toml::de::Error) -> ParamsError {
    ParamsError::Toml { origin: origin.to_string(), message: error.to_string().trim_end().to_string() }
}

/// Parses the built-in file: one table per material, the table name being the id.
pub(super) fn parse_many(text: &str, origin: &str) -> Result<Vec<Preset>, ParamsError> {
    let raw: BTreeMap<String, RawMaterial> = toml::from_str(text).map_err(|e| toml_error(origin, e))?;
    raw.into_iter()
        .map(|(table, material)| {
            if let Some(id) = &material.id {
                if *id != table {
                    return Err(ParamsError::Invalid {
                        key: format!("{table}.id"),
                        reason: format!("'{id}' differs from the table name ({origin})"),
                    });
                }
            }
            convert(table, material, text, origin)
        })
        .collect()
}

/// An error with the byte offset of its place in the text, when known.
pub(super) type Located = Box<(ParamsError, Option<usize>)>;

/// Parses a one-material file (top-level `id`, `name`, ..., `[model.*]`, `[values.*]`).
/// Errors come with the byte offset of their place in `text`, when known.
pub(super) fn parse_one(text: &str, origin: &str) -> Result<Preset, Located> {
    let material: RawMaterial = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start);
        Box::new((toml_error(origin, e), offset))
    })?;
    let id = material.id.clone().ok_or_else(|| {
        let reason = format!("a material file needs a top-level `id` ({origin})");
        Box::new((ParamsError::Invalid { key: "id".to_string(), reason }, None))
    })?;
    convert_at(id, material, text, origin)
}

/// Checks a raw material and converts every value to SI, in file order.
fn convert(id: String, material: RawMaterial, text: &str, origin: &str) -> Result<Preset, ParamsError> {
    convert_at(id, material, text, origin).map_err(|e| e.0)
}

/// [`convert`], its errors with the byte offset of the offending value's table.
fn convert_at(id: String, material: RawMaterial, text: &str, origin: &str) -> Result<Preset, Located> {
    if !is_valid_id(&id) {
        let reason = format!("'{id}' is not a lowercase id of a-z, 0-9 and '-' ({origin})");
        return Err(Box::new((ParamsError::Invalid { key: "id".to_string(), reason }, None)));
    }
    for (field, text_field) in
        [("name", &material.name), ("description", &material.description), ("reference", &material.reference)]
    {
        if text_field.trim().is_empty() {
            let reason = format!("must not be empty ({origin})");
            return Err(Box::new((ParamsError::Invalid { key: format!("{id}.{field}"), reason }, None)));
        }
    }
    let mut seen = BTreeSet::new();
    let mut values = Vec::new();
    for (group, map) in [("model", material.model), ("values", material.values)] {
        for (key, raw) in map {
            let start = raw.span().start;
            let place = format!("{origin}, line {}", line_of(text, start));
            let qualified = format!("{id}.{group}.{key}");
            if !seen.insert(key.clone()) {
                let reason = format!("key appears in both [model] and [values] ({place})");
                return Err(Box::new((ParamsError::Invalid { key: qualified, reason }, Some(start))));
            }
            let value = convert_value(&key, &qualified, group, raw.into_inner(), &place)
                .map_err(|e| Box::new((e, Some(start))))?;
            values.push((start, value));
        }
    }
    values.sort_by_key(|(start, _)| *start);
    Ok(Preset {
        id,
        name: material.name,
        description: material.description,
        reference: material.reference,
        values: values.into_iter().map(|(_, v)| v).collect(),
    })
}

/// Checks one raw value against the schema rules and converts it to SI.
fn convert_value(
    key: &str,
    qualified: &str,
    group: &str,
    raw: RawValue,
    place: &str,
) -> Result<PresetValue, ParamsError> {
    let invalid = |reason: String| ParamsError::Invalid {
        key: qualified.to_string(),
        reason: format!("{reason} ({place})"),
    };
    if !is_valid_key(key) {
        return Err(invalid("keys hold only a-z, 0-9 and single '_' (decimal point as 'p')".to_string()));
    }
    if raw.unit.trim().is_empty() {
        return Err(invalid("empty unit (write \"1\" for a plain number)".to_string()));
    }
    if !key_matches_unit(key, &raw.unit) {
        return Err(invalid(format!(
            "key must end with '_{}' for unit '{}'",
            unit_key_suffix(&raw.unit),
            raw.unit
        )));
    }
    if !raw.value.is_finite() {
        return Err(invalid(format!("value {} is not finite", raw.value)));
    }
    if raw.source.trim().is_empty() {
        return Err(invalid("empty source (cite figure and section, or say 'assumption')".into()));
    }
    if group == "model" && raw.metric.is_some() {
        return Err(invalid("[model] values are not paper values; move it to [values]".into()));
    }
    let quantity = match (raw.metric, raw.quantity) {
        (Some(metric), Some(q)) if q != metric.quantity() => {
            return Err(invalid(format!(
                "quantity {q:?} contradicts metric '{metric}' ({:?})",
                metric.quantity()
            )))
        }
        (Some(metric), _) => metric.quantity(),
        (None, Some(q)) => q,
        (None, None) => return Err(invalid("needs a `metric` or a `quantity`".into())),
    };
    for (name, v) in &raw.conditions {
        if !CONDITION_KEYS.contains(&name.as_str()) {
            return Err(invalid(format!("unknown condition '{name}'; known: {}", CONDITION_KEYS.join(", "))));
        }
        if !v.is_finite() {
            return Err(invalid(format!("condition '{name}' = {v} is not finite")));
        }
    }
    let si_value = if quantity == Quantity::Dimensionless {
        // No SI conversion: plain numbers ("1") and units spelab-core has no quantity for
        // (wavenumbers "cm-1", XPS binding energies, 2-theta angles) are kept as written.
        raw.value
    } else {
        parse_quantity(&format!("{} {}", raw.value, raw.unit), quantity).map_err(|source| {
            ParamsError::Unit { origin: place.to_string(), key: qualified.to_string(), source }
        })?
    };
    if !si_value.is_finite() {
        return Err(invalid(format!("SI value {si_value} is not finite")));
    }
    if quantity.is_never_negative()
        && (si_value < 0.0 || (quantity == Quantity::Temperature && si_value <= 0.0))
    {
        return Err(invalid(format!(
            "{} {} is below zero, and {} is never negative",
            raw.value,
            raw.unit,
            quantity.name()
        )));
    }
    Ok(PresetValue {
        key: key.to_string(),
        value: raw.value,
        unit: raw.unit,
        si_value,
        quantity,
        metric: raw.metric,
        conditions: raw.conditions,
        source: raw.source,
        note: raw.note,
        assumed: raw.assumed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_before_offset() {
        let text = "a\nbb\nccc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 5), 3);
        assert_eq!(line_of(text, 999), 3);
    }

    #[test]
    fn ids_are_lowercase_with_dashes() {
        assert!(is_valid_id("pvh-im"));
        assert!(!is_valid_id("PVH"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a_b"));
    }
}
