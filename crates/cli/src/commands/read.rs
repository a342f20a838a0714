//! `spelab read FILE [--json] [--to csv|bdf --out PATH]`: read an instrument file, print a summary
//! (instrument, technique, rows, columns with units, time span, metadata) or export every row.

use anyhow::Context;
use serde::Serialize;
use spelab_io::{read_bytes, Recording};

use super::{print, print_json, Output};
use crate::args::{ExportFormat, ReadArgs};
use crate::output;

/// One column in the JSON summary.
#[derive(Serialize)]
struct ColumnSummary<'a> {
    name: &'a str,
    unit: &'a str,
}

/// The JSON summary: `{"format", "technique", "rows", "columns", "metadata"}`.
#[derive(Serialize)]
struct Summary<'a> {
    format: &'static str,
    technique: Option<&'a str>,
    rows: usize,
    columns: Vec<ColumnSummary<'a>>,
    metadata: serde_json::Value,
}

fn metadata_json(rec: &Recording) -> anyhow::Result<serde_json::Value> {
    let mut meta = serde_json::to_value(&rec.metadata)?;
    if let Some(map) = meta.as_object_mut() {
        map.retain(|_, v| !v.is_null());
        if let Some(version) = &rec.version {
            map.insert("format_version".into(), version.clone().into());
        }
        if let Some((t0, t1)) = rec.time_span() {
            map.insert("time_span_s".into(), serde_json::json!([t0, t1]));
        }
        if !rec.loops.is_empty() {
            map.insert("loops".into(), serde_json::json!(rec.loops));
        }
        if !rec.warnings.is_empty() {
            map.insert("warnings".into(), serde_json::json!(rec.warnings));
        }
        let derived: Vec<&str> = rec.columns.iter().filter(|c| c.derived).map(|c| c.name()).collect();
        if !derived.is_empty() {
            map.insert("derived_columns".into(), serde_json::json!(derived));
        }
    }
    Ok(meta)
}

fn text_summary(rec: &Recording) -> String {
    let m = &rec.metadata;
    let mut t = String::new();
    t.push_str(&format!("file:       {}\n", rec.source()));
    t.push_str(&format!("instrument: {}\n", m.instrument.as_deref().unwrap_or(rec.format.instrument())));
    t.push_str(&format!(
        "format:     {}{}\n",
        rec.format.id(),
        rec.version.as_deref().map(|v| format!(" ({v})")).unwrap_or_default()
    ));
    t.push_str(&format!("technique:  {}\n", rec.technique.as_deref().unwrap_or("unknown")));
    t.push_str(&format!("rows:       {}\n", rec.rows()));
    if let Some((t0, t1)) = rec.time_span() {
        t.push_str(&format!("time span:  {t0} s .. {t1} s ({} s)\n", t1 - t0));
    }
    t.push_str(&format!("columns ({}):\n", rec.columns.len()));
    let width = rec.columns.iter().map(|c| c.name().len() + c.unit().len() + 3).max().unwrap_or(10);
    for c in &rec.columns {
        let label = format!("{} [{}]", c.name(), c.unit());
        let derived = if c.derived { ", derived" } else { "" };
        t.push_str(&format!("  {label:<width$}  from {}{derived}\n", c.source));
    }
    t.push_str("metadata:\n");
    let mut fields: Vec<(String, String)> = Vec::new();
    if let Some(v) = &m.start_time {
        fields.push(("start time".into(), v.clone()));
    }
    if let Some(v) = m.active_mass {
        fields.push(("active mass".into(), format!("{v:e} kg")));
    }
    if let Some(v) = m.area {
        fields.push(("electrode area".into(), format!("{v:e} m2")));
    }
    for (k, v) in &m.extra {
        fields.push((k.replace('_', " "), v.clone()));
    }
    if !rec.loops.is_empty() {
        fields.push(("loops".into(), format!("{} (start rows {:?})", rec.loops.len(), rec.loops)));
    }
    for (k, v) in fields {
        t.push_str(&format!("  {k}: {v}\n"));
    }
    for w in &rec.warnings {
        t.push_str(&format!("warning: {w}\n"));
    }
    t
}

/// `spelab read FILE`.
pub fn read(args: &ReadArgs, out: Output) -> anyhow::Result<u8> {
    let name = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {name}"))?;
    let rec = read_bytes(&bytes, &name)?;
    if let Some(path) = &args.out {
        let text = match args.to.unwrap_or(ExportFormat::Csv) {
            ExportFormat::Csv => spelab_io::export::to_csv(&rec),
            ExportFormat::Bdf => spelab_io::export::to_bdf_csv(&rec)?,
        };
        output::write_file(path, text.as_bytes(), std::slice::from_ref(&args.file))?;
        if !out.quiet && !out.json {
            print(&format!(
                "wrote {} ({} rows, {} columns)\n",
                path.display(),
                rec.rows(),
                rec.columns.len()
            ))?;
        }
    }
    if out.json {
        print_json(&Summary {
            format: rec.format.id(),
            technique: rec.technique.as_deref(),
            rows: rec.rows(),
            columns: rec.columns.iter().map(|c| ColumnSummary { name: c.name(), unit: c.unit() }).collect(),
            metadata: metadata_json(&rec)?,
        })?;
    } else if !out.quiet && args.out.is_none() {
        print(&text_summary(&rec))?;
    }
    Ok(0)
}
