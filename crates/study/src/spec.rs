//! What a step kind's parser sees: [`StepSpec`] (its options, with checks against the study), the
//! study's [`Material`]s and [`StudyError`], which names the file, line and column. Below the steps and
//! the study parser, so that neither imports the other's module.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_sim::params::Preset;
use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

/// A study file could not be used. Names the file and, where known, the line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyError {
    /// The study (or parameter) file.
    pub path: PathBuf,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for StudyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for StudyError {}

/// The source text of a study with its path, for turning byte spans into line numbers.
#[derive(Debug, Clone)]
pub struct Source {
    /// The study file's path as given.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
}

impl Source {
    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text.as_bytes()[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// An error at `span` (or at no place).
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> StudyError {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = self.line_col(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        StudyError { path: self.path.clone(), line, column, message: message.into() }
    }

    pub(crate) fn toml_error(&self, e: &toml::de::Error, context: &str) -> StudyError {
        let message = if context.is_empty() {
            e.message().trim().to_string()
        } else {
            format!("{context}: {}", e.message().trim())
        };
        self.error(e.span(), message)
    }
}

/// A material of the study: its id and parameters.
#[derive(Debug, Clone)]
pub struct Material {
    /// Id used by steps and in metrics ("pvh-im").
    pub id: String,
    /// Where the parameters came from ("preset pvh-im" or a file path).
    pub origin: String,
    /// The parameters and paper values.
    pub preset: Preset,
}

/// Keys every step accepts besides its kind's own options.
pub(crate) const STEP_COMMON_KEYS: [&str; 3] = ["kind", "id", "title"];

/// What a step kind's parser gets: its options and ways to check them against the study.
pub struct StepSpec<'a> {
    pub(crate) source: &'a Source,
    pub(crate) options: Spanned<DeValue<'a>>,
    pub(crate) base_dir: &'a Path,
    pub(crate) materials: &'a [Material],
    pub(crate) inputs: Vec<PathBuf>,
    pub(crate) kind: &'a str,
}

impl<'a> StepSpec<'a> {
    /// Deserializes the step's own options (everything but `kind`, `id`, `title`); unknown keys and
    /// wrong types are errors at their line.
    pub fn options<T: DeserializeOwned>(&self) -> Result<T, StudyError> {
        T::deserialize(ValueDeserializer::from(self.options.clone()))
            .map_err(|e| self.source.toml_error(&e, &format!("step kind '{}'", self.kind)))
    }

    /// Parses a unit string as `quantity` [SI]; a bad unit, a value that is not finite, a negative
    /// amount of a quantity that is never negative ([`Quantity::is_never_negative`]) and an absolute
    /// temperature at or below 0 K are errors at its line.
    pub fn quantity(
        &self,
        value: &Spanned<String>,
        quantity: Quantity,
        key: &str,
    ) -> Result<f64, StudyError> {
        let x = parse_quantity(value.get_ref(), quantity)
            .map_err(|e| self.source.error(Some(value.span()), format!("{key}: {e}")))?;
        let text = value.get_ref();
        let problem = if !x.is_finite() {
            Some(format!("{key} = \"{text}\" is not a finite number"))
        } else if quantity == Quantity::Temperature && x <= 0.0 {
            Some(format!("{key} = \"{text}\" is at or below absolute zero"))
        } else if quantity.is_never_negative() && x < 0.0 {
            Some(format!("{key} = \"{text}\" is negative, and {} is never negative", quantity.name()))
        } else {
            None
        };
        match problem {
            Some(message) => Err(self.source.error(Some(value.span()), message)),
            None => Ok(x),
        }
    }

    /// Resolves a data file relative to the study and checks that it exists; records it as an input.
    pub fn file(&mut self, value: &Spanned<String>, key: &str) -> Result<PathBuf, StudyError> {
        let path = self.base_dir.join(value.get_ref());
        if !path.is_file() {
            return Err(self.source.error(
                Some(value.span()),
                format!(
                    "{key}: file '{}' not found (looked for {})",
                    value.get_ref(),
                    std::path::absolute(&path).unwrap_or_else(|_| path.clone()).display()
                ),
            ));
        }
        self.inputs.push(path.clone());
        Ok(path)
    }

    /// Checks that a material id is defined in the study and returns it.
    pub fn material(&self, id: &Spanned<String>) -> Result<Material, StudyError> {
        self.materials.iter().find(|m| m.id == *id.get_ref()).cloned().ok_or_else(|| {
            self.source.error(
                Some(id.span()),
                format!(
                    "unknown material '{}'; the study defines: {}",
                    id.get_ref(),
                    self.materials.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    }

    /// Every material of the study.
    pub fn all_materials(&self) -> Vec<Material> {
        self.materials.to_vec()
    }

    /// The materials a step names in `materials = [..]`, or every material of the study when it
    /// names none.
    pub fn materials_or_all(&self, ids: &Option<Vec<Spanned<String>>>) -> Result<Vec<Material>, StudyError> {
        ids.as_deref().map_or_else(|| Ok(self.all_materials()), |ids| self.materials_named(ids))
    }

    /// The materials named by `ids`, in their order (an unknown id is an error at its span).
    pub fn materials_named(&self, ids: &[Spanned<String>]) -> Result<Vec<Material>, StudyError> {
        ids.iter().map(|id| self.material(id)).collect()
    }

    /// A quantity option that must be finite and > 0, or `default` when the step does not give it.
    pub fn positive_quantity(
        &self,
        value: &Option<Spanned<String>>,
        quantity: Quantity,
        key: &str,
        default: f64,
    ) -> Result<f64, StudyError> {
        let x = match value {
            Some(v) => self.quantity(v, quantity, key)?,
            None => default,
        };
        if !(x.is_finite() && x > 0.0) {
            return Err(self.error(value.as_ref().map(Spanned::span), format!("{key} must be > 0")));
        }
        Ok(x)
    }

    /// The frequency window of an EIS step from its `f_min`, `f_max` and `capacitive_only` options.
    pub fn frequency_window(
        &self,
        f_min: &Option<Spanned<String>>,
        f_max: &Option<Spanned<String>>,
        capacitive_only: bool,
    ) -> Result<crate::inputs::Window, StudyError> {
        let f = |v: &Option<Spanned<String>>, key| {
            v.as_ref().map(|f| self.quantity(f, Quantity::Frequency, key)).transpose()
        };
        let window =
            crate::inputs::Window { f_min: f(f_min, "f_min")?, f_max: f(f_max, "f_max")?, capacitive_only };
        if let (Some(lo), Some(hi)) = (window.f_min, window.f_max) {
            if lo > hi {
                let span = f_min.as_ref().map(Spanned::span);
                return Err(self.error(span, format!("f_min = {lo} Hz lies above f_max = {hi} Hz")));
            }
        }
        Ok(window)
    }

    /// An optional quantity option that, when given, must be finite and > 0 (`{key} must be > 0` at
    /// its line otherwise).
    pub fn optional_positive_quantity(
        &self,
        value: &Option<Spanned<String>>,
        quantity: Quantity,
        key: &str,
    ) -> Result<Option<f64>, StudyError> {
        value.as_ref().map(|_| self.positive_quantity(value, quantity, key, 0.0)).transpose()
    }

    /// A required quantity option that must be finite and > 0.
    pub fn required_positive(
        &self,
        value: &Spanned<String>,
        quantity: Quantity,
        key: &str,
    ) -> Result<f64, StudyError> {
        let x = self.quantity(value, quantity, key)?;
        if !(x.is_finite() && x > 0.0) {
            return Err(self.error(Some(value.span()), format!("{key} must be > 0")));
        }
        Ok(x)
    }

    /// A plain-number option (`mu_cutoff = 0.5`, no unit): its value, or `None` when the step does
    /// not give it; a value that is not finite or for which `ok` is false is an error at its
    /// file:line:col saying `{key} = {value} must be {rule}`.
    pub fn number<T: OptionNumber>(
        &self,
        value: &Option<Spanned<T>>,
        key: &str,
        rule: &str,
        ok: impl Fn(f64) -> bool,
    ) -> Result<Option<T>, StudyError> {
        let Some(v) = value else { return Ok(None) };
        let x = v.get_ref().to_f64();
        if x.is_finite() && ok(x) {
            return Ok(Some(*v.get_ref()));
        }
        Err(self.error(Some(v.span()), format!("{key} = {} must be {rule}", v.get_ref())))
    }

    /// An error at a span of this step.
    pub fn error(&self, span: Option<Range<usize>>, message: impl Into<String>) -> StudyError {
        self.source.error(span, message)
    }
}

/// A number type of a plain-number step option ([`StepSpec::number`]).
pub trait OptionNumber: Copy + std::fmt::Display {
    /// The value as f64 (for the range check).
    fn to_f64(self) -> f64;
}

impl OptionNumber for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

impl OptionNumber for u32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl OptionNumber for usize {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

pub(crate) fn deserialize<T: DeserializeOwned>(
    value: &Spanned<DeValue<'_>>,
    source: &Source,
    context: &str,
) -> Result<T, StudyError> {
    T::deserialize(ValueDeserializer::from(value.clone())).map_err(|e| source.toml_error(&e, context))
}
