//! `spelab read FILE [--json] [--to csv|bdf --out PATH]`: read an instrument file, print a summary
//! (instrument, technique, rows, columns with units, time span, metadata) or export every row;
//! `spelab convert FILE --to bdf|csv [--out PATH]`: the export alone. Both take `--map` / `--unit`
//! to read a generic CSV/TSV with a column mapping.

use std::path::{Path, PathBuf};

use anyhow::Context;
use spelab_io::mapped::{read_mapped, ColumnMap};
use spelab_io::{read_bytes, Recording};

use super::{print, print_json, Output};
use crate::args::{ConvertArgs, ExportFormat, MapArgs, ReadArgs};
use spelab_study::output;

/// Reads `file`: by content detection, or as a generic CSV/TSV when `map` gives a mapping.
fn load(file: &Path, map: &MapArgs) -> anyhow::Result<Recording> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("reading {name}"))?;
    Ok(match &map.map {
        Some(m) => {
            let units: Vec<&str> = map.units.iter().map(String::as_str).collect();
            let map = ColumnMap::parse(m, &units)?;
            let rec = read_mapped(&bytes, &name, &map)?;
            rec.check_lengths()?;
            rec
        }
        None => read_bytes(&bytes, &name)?,
    })
}

/// Writes every row of `rec` to `path` as `to`, and says so unless quiet.
fn export(rec: &Recording, to: ExportFormat, path: &Path, input: &Path, out: Output) -> anyhow::Result<()> {
    let text = match to {
        ExportFormat::Csv => spelab_io::export::to_csv(rec),
        ExportFormat::Bdf => spelab_io::export::to_bdf_csv(rec)?,
    };
    output::write_file(path, text.as_bytes(), &[input.to_path_buf()])?;
    if !out.quiet && !out.json {
        print(&format!("wrote {} ({} rows, {} columns)\n", path.display(), rec.rows(), rec.columns.len()))?;
    }
    Ok(())
}

/// The default output of `spelab convert`: FILE with `.bdf.csv` / `.spelab.csv` for its extension.
fn default_out(file: &Path, to: ExportFormat) -> PathBuf {
    let ext = match to {
        ExportFormat::Csv => "spelab.csv",
        ExportFormat::Bdf => "bdf.csv",
    };
    file.with_extension(ext)
}

/// `spelab convert FILE --to bdf|csv [--out PATH]`.
pub fn convert(args: &ConvertArgs, out: Output) -> anyhow::Result<u8> {
    let rec = load(&args.file, &args.map)?;
    let path = args.out.clone().unwrap_or_else(|| default_out(&args.file, args.to));
    export(&rec, args.to, &path, &args.file, out)?;
    if out.json {
        print_json(&serde_json::json!({
            "format": rec.format.id(),
            "to": match args.to { ExportFormat::Csv => "csv", ExportFormat::Bdf => "bdf" },
            "out": path.display().to_string(),
            "rows": rec.rows(),
            "columns": rec.columns.len(),
        }))?;
    }
    Ok(0)
}

/// `spelab read FILE` (a spectroscopic or thermal file gets its block summary).
pub fn read(args: &ReadArgs, out: Output) -> anyhow::Result<u8> {
    if let (None, None, Some(s)) = (&args.map.map, &args.out, spelab_io::spectra::summarize_path(&args.file)?)
    {
        return (if out.json { print_json(&s) } else { print(&s.text()) }).map(|_| 0);
    }
    let rec = load(&args.file, &args.map)?;
    if let Some(path) = &args.out {
        export(&rec, args.to.unwrap_or(ExportFormat::Csv), path, &args.file, out)?;
    }
    if out.json {
        print_json(&spelab_io::summary::json(&rec))?;
    } else if !out.quiet && args.out.is_none() {
        print(&spelab_io::summary::text(&rec))?;
    }
    Ok(0)
}
