//! The study file: what `spelab run` reads.
//!
//! A study is a TOML file with three parts:
//! ```toml
//! [study]                      # name, optional description
//! name = "PVH vs PVH-IM"
//!
//! [[material]]                 # materials: a built-in preset or a parameter file
//! id = "pvh-im"
//! preset = "pvh-im"            # or: file = "my-material.toml"
//!
//! [[step]]                     # steps, run in order; `kind` picks the step kind (see `spelab steps`)
//! kind = "arrhenius"
//! ```
//! Parsing checks everything before anything runs: unknown keys, wrong units, unknown materials and
//! missing files are [`StudyError`]s that name the file, line and column.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::spec::{deserialize, Material, Source, StepSpec, StudyError, STEP_COMMON_KEYS};
use crate::steps::{self, Step};

/// One parsed step, ready to run.
pub struct StudyStep {
    /// Unique id within the study (used in file names).
    pub id: String,
    /// Step kind name.
    pub kind: &'static str,
    /// Title for the report.
    pub title: String,
    /// The step itself.
    pub step: Box<dyn Step>,
}

/// A parsed, validated study.
pub struct Study {
    /// Study name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Path of the study file.
    pub path: PathBuf,
    /// Folder the study's relative paths are resolved against.
    pub base_dir: PathBuf,
    /// Materials, in file order.
    pub materials: Vec<Material>,
    /// Steps, in file order.
    pub steps: Vec<StudyStep>,
    /// Every input file the study reads (study file, parameter files, data files).
    pub inputs: Vec<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StudyHeader {
    name: String,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaterialSpec {
    id: Spanned<String>,
    preset: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct StepHeader {
    kind: Spanned<String>,
    id: Option<Spanned<String>>,
    title: Option<String>,
}

/// Reads and validates a study file.
pub fn load(path: &Path) -> Result<Study, StudyError> {
    let text = std::fs::read_to_string(path).map_err(|e| StudyError {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message: format!("cannot read the study file: {e}"),
    })?;
    parse(&text, path)
}

/// Parses and validates a study from its text; `path` names it in errors and anchors relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Study, StudyError> {
    let source = Source { path: path.to_path_buf(), text: text.to_string() };
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = DeTable::parse(&source.text).map_err(|e| source.toml_error(&e, ""))?;
    let root_span = root.span();
    let mut header = None;
    let mut material_values = Vec::new();
    let mut step_values = Vec::new();
    for (key, value) in root.into_inner() {
        match key.get_ref().as_ref() {
            "study" => header = Some(value),
            "material" => material_values = array_items(value, &source, "material")?,
            "step" => step_values = array_items(value, &source, "step")?,
            other => {
                return Err(source.error(
                    Some(key.span()),
                    format!("unknown top-level key '{other}' (expected [study], [[material]] or [[step]])"),
                ))
            }
        }
    }
    let header = header.ok_or_else(|| {
        source.error(Some(root_span.start..root_span.start), "missing [study] table with `name`")
    })?;
    let header: StudyHeader = deserialize(&header, &source, "[study]")?;

    let mut inputs = vec![path.to_path_buf()];
    let materials = parse_materials(&material_values, &source, &base_dir, &mut inputs)?;
    let steps = parse_steps(step_values, &source, &base_dir, &materials, &mut inputs)?;
    Ok(Study {
        name: header.name,
        description: header.description,
        path: path.to_path_buf(),
        base_dir,
        materials,
        steps,
        inputs,
    })
}

fn array_items<'a>(
    value: Spanned<DeValue<'a>>,
    source: &Source,
    key: &str,
) -> Result<Vec<Spanned<DeValue<'a>>>, StudyError> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => Ok(items.into_iter().collect()),
        _ => Err(source.error(Some(span), format!("`{key}` must be an array of tables: write [[{key}]]"))),
    }
}

fn parse_materials(
    values: &[Spanned<DeValue<'_>>],
    source: &Source,
    base_dir: &Path,
    inputs: &mut Vec<PathBuf>,
) -> Result<Vec<Material>, StudyError> {
    let mut materials: Vec<Material> = Vec::new();
    for value in values {
        let spec: MaterialSpec = deserialize(value, source, "[[material]]")?;
        if materials.iter().any(|m| m.id == *spec.id.get_ref()) {
            return Err(source
                .error(Some(spec.id.span()), format!("material '{}' is defined twice", spec.id.get_ref())));
        }
        let (preset, origin) = match (&spec.preset, &spec.file) {
            (Some(name), None) => {
                let preset = spelab_sim::params::preset(name.get_ref())
                    .map_err(|e| source.error(Some(name.span()), format!("preset: {e}")))?;
                (preset, format!("preset {}", name.get_ref()))
            }
            (None, Some(file)) => {
                let file_path = base_dir.join(file.get_ref());
                let text = std::fs::read_to_string(&file_path).map_err(|e| {
                    source.error(
                        Some(file.span()),
                        format!("file: cannot read '{}' ({}): {e}", file.get_ref(), file_path.display()),
                    )
                })?;
                let origin = file_path.display().to_string();
                let preset = spelab_sim::params::preset_from_toml_located(&text, &origin).map_err(|e| {
                    // The place in the material file itself, when the error has one.
                    let message = format!(
                        "{} (material '{}' of {})",
                        e.error,
                        spec.id.get_ref(),
                        source.path.display()
                    );
                    match e.place {
                        Some((line, column)) => StudyError {
                            path: file_path.clone(),
                            line: Some(line),
                            column: Some(column),
                            message,
                        },
                        None => source.error(Some(file.span()), format!("file: {}", e.error)),
                    }
                })?;
                inputs.push(file_path);
                (preset, origin)
            }
            _ => {
                return Err(source.error(
                    Some(spec.id.span()),
                    format!("material '{}' needs exactly one of `preset` or `file`", spec.id.get_ref()),
                ))
            }
        };
        materials.push(Material { id: spec.id.into_inner(), origin, preset });
    }
    Ok(materials)
}

fn parse_steps(
    values: Vec<Spanned<DeValue<'_>>>,
    source: &Source,
    base_dir: &Path,
    materials: &[Material],
    inputs: &mut Vec<PathBuf>,
) -> Result<Vec<StudyStep>, StudyError> {
    let mut steps = Vec::new();
    let mut ids = BTreeSet::new();
    for (index, value) in values.into_iter().enumerate() {
        let header: StepHeader = deserialize(&value, source, "[[step]]")?;
        let kind = steps::find(header.kind.get_ref()).ok_or_else(|| {
            source.error(
                Some(header.kind.span()),
                format!(
                    "unknown step kind '{}'; known kinds: {}",
                    header.kind.get_ref(),
                    steps::names().join(", ")
                ),
            )
        })?;
        let id = match &header.id {
            Some(id) => {
                if !is_safe_id(id.get_ref()) {
                    return Err(source.error(
                        Some(id.span()),
                        format!("step id '{}' may only hold letters, digits, '-' and '_'", id.get_ref()),
                    ));
                }
                id.get_ref().clone()
            }
            None => format!("{}-{}", kind.name, index + 1),
        };
        if !ids.insert(id.clone()) {
            let span = header.id.as_ref().map(Spanned::span).unwrap_or(header.kind.span());
            return Err(source.error(Some(span), format!("step id '{id}' is used twice")));
        }
        let options = strip_keys(value, &STEP_COMMON_KEYS);
        let mut spec = StepSpec { source, options, base_dir, materials, inputs: Vec::new(), kind: kind.name };
        let step = (kind.parse)(&mut spec)?;
        inputs.append(&mut spec.inputs);
        steps.push(StudyStep {
            id,
            kind: kind.name,
            title: header.title.unwrap_or_else(|| kind.title.to_string()),
            step,
        });
    }
    Ok(steps)
}

fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Removes `keys` from a table value, keeping spans.
fn strip_keys<'a>(value: Spanned<DeValue<'a>>, keys: &[&str]) -> Spanned<DeValue<'a>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => {
            let kept: DeTable<'a> =
                table.into_iter().filter(|(k, _)| !keys.contains(&k.get_ref().as_ref())).collect();
            Spanned::new(span, DeValue::Table(kept))
        }
        other => Spanned::new(span, other),
    }
}
