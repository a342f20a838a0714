//! The data-source options block that step kinds share: where the step's data come from.
//!
//! A step reads a measured `file` of one `material`, or simulates `materials` in the virtual lab;
//! a measured table names its time/current/voltage columns (`time_column` ...) or, for any CSV/TSV,
//! maps them (`columns = {..}`, `units = {..}`). Each kind accepts the subset of these keys it uses
//! ([`DataSource::split`] takes them out of the step table) and deserializes the rest as its own
//! options. serde's `deny_unknown_fields` does not combine with `#[serde(flatten)]`, so the split
//! checks the keys itself: an unknown key is an error at its line that lists every valid key, the
//! data-source keys included.

use std::collections::BTreeMap;

use serde::de::{self, Deserialize, DeserializeOwned, Deserializer, Visitor};
use serde::forward_to_deserialize_any;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::spec::{Material, StepSpec, StudyError};

/// The data-source options, each absent unless the step gives it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    /// Measured data file, relative to the study.
    pub file: Option<Spanned<String>>,
    /// The material the measured file belongs to.
    pub material: Option<Spanned<String>>,
    /// Materials to simulate in the virtual lab (default: all of the study).
    pub materials: Option<Vec<Spanned<String>>>,
    /// Table column name of time.
    pub time_column: Option<String>,
    /// Table column name of current.
    pub current_column: Option<String>,
    /// Table column name of voltage.
    pub voltage_column: Option<String>,
    /// Column mapping for a generic CSV/TSV: channel = index or header text.
    pub columns: Option<Spanned<BTreeMap<String, toml::Value>>>,
    /// Units of the mapped columns: channel = unit.
    pub units: Option<Spanned<BTreeMap<String, String>>>,
}

/// Every data-source key, in the order errors list them.
pub const ALL: &[&str] =
    &["file", "material", "materials", "time_column", "current_column", "voltage_column", "columns", "units"];

/// A measured file of one material, or the virtual lab for several.
pub const FILE_OR_MATERIALS: &[&str] = &["file", "material", "materials"];

/// A measured time/current/voltage record (table columns or a mapping) of one material.
pub const CYCLING_FILE: &[&str] =
    &["file", "material", "time_column", "current_column", "voltage_column", "columns", "units"];

impl DataSource {
    /// The materials a virtual-lab step simulates: `materials = [...]` (default: all of the study);
    /// a `material` (the measured-data key) is an error at its line.
    pub fn virtual_materials(&self, spec: &StepSpec<'_>) -> Result<Vec<Material>, StudyError> {
        if let Some(m) = &self.material {
            return Err(spec.error(
                Some(m.span()),
                "`material` is for measured data; use `materials = [...]` to simulate",
            ));
        }
        spec.materials_or_all(&self.materials)
    }

    /// Splits the step's options into the data-source keys `keys` (a subset of [`ALL`]) and the
    /// kind's own options `T`; a key that is neither is an error at its line listing every valid key.
    pub fn split<T: DeserializeOwned>(
        spec: &StepSpec<'_>,
        keys: &[&str],
    ) -> Result<(DataSource, T), StudyError> {
        let context = format!("step kind '{}'", spec.kind);
        let span = spec.options.span();
        let DeValue::Table(table) = spec.options.get_ref() else {
            return Ok((DataSource::default(), spec.options()?));
        };
        let own = field_names::<T>();
        let mut source = DeTable::new();
        let mut rest = DeTable::new();
        for (key, value) in table.iter() {
            if keys.contains(&key.get_ref().as_ref()) {
                source.insert(key.clone(), value.clone());
            } else if own.contains(&key.get_ref().as_ref()) {
                rest.insert(key.clone(), value.clone());
            } else {
                let valid: Vec<&str> = keys.iter().chain(own).copied().collect();
                return Err(spec.error(
                    Some(key.span()),
                    format!("{context}: {}", unknown_field(key.get_ref(), &valid)),
                ));
            }
        }
        fn de(span: std::ops::Range<usize>, t: DeTable<'_>) -> ValueDeserializer<'_> {
            ValueDeserializer::from(Spanned::new(span, DeValue::Table(t)))
        }
        let source = DataSource::deserialize(de(span.clone(), source))
            .map_err(|e| spec.source.toml_error(&e, &context))?;
        let own = T::deserialize(de(span, rest)).map_err(|e| spec.source.toml_error(&e, &context))?;
        Ok((source, own))
    }

    /// The `file` option, which this kind requires.
    pub fn required_file<'s>(&'s self, spec: &StepSpec<'_>) -> Result<&'s Spanned<String>, StudyError> {
        self.file.as_ref().ok_or_else(|| missing(spec, "file"))
    }

    /// The `material` option, which this kind requires.
    pub fn required_material<'s>(&'s self, spec: &StepSpec<'_>) -> Result<&'s Spanned<String>, StudyError> {
        self.material.as_ref().ok_or_else(|| missing(spec, "material"))
    }

    /// The table column names of time, current and voltage as given (defaults applied by the reader).
    pub fn column_names(&self) -> [Option<String>; 3] {
        [self.time_column.clone(), self.current_column.clone(), self.voltage_column.clone()]
    }
}

/// serde's message for a missing field, at the step table.
fn missing(spec: &StepSpec<'_>, key: &str) -> StudyError {
    spec.error(Some(spec.options.span()), format!("step kind '{}': missing field `{key}`", spec.kind))
}

/// serde's message for an unknown field (`unknown field `x`, expected one of `a`, `b``).
fn unknown_field(key: &str, valid: &[&str]) -> String {
    let quoted: Vec<String> = valid.iter().map(|k| format!("`{k}`")).collect();
    match quoted.as_slice() {
        [] => format!("unknown field `{key}`, there are no fields"),
        [one] => format!("unknown field `{key}`, expected {one}"),
        [a, b] => format!("unknown field `{key}`, expected {a} or {b}"),
        all => format!("unknown field `{key}`, expected one of {}", all.join(", ")),
    }
}

/// The field names of a struct that derives `Deserialize` (what serde passes to `deserialize_struct`).
fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that records the field list of the struct asked for and then stops.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("field names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names only"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Own {
        area: String,
        level_tolerance: Option<String>,
    }

    #[test]
    fn field_names_are_the_struct_fields() {
        assert_eq!(field_names::<Own>(), &["area", "level_tolerance"]);
    }

    #[test]
    fn unknown_field_lists_every_valid_key() {
        assert_eq!(
            unknown_field("bogus", &["file", "area", "noise"]),
            "unknown field `bogus`, expected one of `file`, `area`, `noise`"
        );
        assert_eq!(unknown_field("x", &["a", "b"]), "unknown field `x`, expected `a` or `b`");
    }
}
