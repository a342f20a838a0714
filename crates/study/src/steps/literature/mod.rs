//! Step kind `literature`: the study's materials placed among published solid polymer electrolytes,
//! as the reference paper does in its Fig. 6c (σ at room temperature vs activation energy) and Fig.
//! 2d (critical current density vs cumulative plated capacity of Li|SPE|Li cells).
//!
//! The published points come from a table with the columns of `spe_benchmarks.csv` (hand-tabulated,
//! one row per electrolyte per paper, with its DOI or the page it was read from; see
//! `../shared/data/literature/README.md`). That file has no license of its own, so it is not copied
//! into the repository: the step reads it from the path given by `csv` and reports itself skipped
//! (a note, no figures) when the file is absent. `extra = "mine.csv"` adds rows with the same columns
//! (a missing extra file is an error). A malformed row is an error naming `file:line`.
//!
//! The study's materials are placed with the values of their presets (the paper's numbers: σ and Ea
//! are the model's inputs, the CCD the measured one; the cumulative capacity is the preset's, or the
//! longest symmetric-cell test's j × t, labelled derived). Rows of the table from a material's own
//! paper (same DOI) are those materials and are not drawn twice. The step computes no metric.
//!
//! Laid out as `table` (reading the CSV) and `present` (points, figures, table, notes).

mod present;
mod table;

#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "literature",
    title: "The materials among published SPEs (σ vs Ea, CCD vs cumulative capacity)",
    summary: "Places the study's materials among published SPEs from a benchmark CSV (paper Figs. 2d and 6c)",
    example: r#"[[step]]
kind = "literature"
csv = "../../shared/data/literature/spe_benchmarks.csv"   # skipped (with a note) when absent
# extra = "my_spes.csv"              # more rows, same columns (key, host_polymer, filler, sigma_S_cm,
#                                    # sigma_T_C, ea_eV, ccd_mA_cm2, sym_current_mA_cm2, sym_hours,
#                                    # cumulative_capacity_mAh_cm2, doi, value_source, ...)
materials = ["pvh", "pvh-im"]        # default: all"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    csv: Spanned<String>,
    extra: Option<Spanned<String>>,
    materials: Option<Vec<Spanned<String>>>,
}

/// A parsed `literature` step.
struct Literature {
    materials: Vec<Material>,
    /// The benchmark table (may be absent: the step is then skipped).
    csv: PathBuf,
    /// The user's extra rows (checked to exist at parse time).
    extra: Option<PathBuf>,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let materials = spec.materials_or_all(&o.materials)?;
    let csv = spec.base_dir.join(o.csv.get_ref());
    let extra = match &o.extra {
        Some(path) => Some(spec.file(path, "extra")?),
        None => None,
    };
    Ok(Box::new(Literature { materials, csv, extra }))
}

impl Step for Literature {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut rows = Vec::new();
        if self.csv.is_file() {
            rows = table::read(&self.csv)?;
        } else {
            out.notes.push(format!(
                "Skipped the benchmark table: {} not found (the shared data folder beside the repository \
                 holds spe_benchmarks.csv; point `csv` at a copy).",
                std::path::absolute(&self.csv).unwrap_or_else(|_| self.csv.clone()).display()
            ));
        }
        if let Some(extra) = &self.extra {
            rows.extend(table::read(extra)?);
        }
        if rows.is_empty() && !self.csv.is_file() {
            return Ok(out);
        }
        present::present(&self.materials, &rows, &mut out);
        progress(1.0);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn materials() -> Vec<Material> {
        ["pvh", "pvh-im"]
            .map(|id| Material {
                id: id.to_string(),
                origin: format!("preset {id}"),
                preset: spelab_sim::params::preset(id).expect("built-in preset"),
            })
            .to_vec()
    }

    fn run(step: &Literature) -> anyhow::Result<StepOutput> {
        let materials = materials();
        let cx = StepContext { base_dir: Path::new("."), materials: &materials };
        step.run(&cx, &mut |_| {})
    }

    const HEADER: &str = "key,host_polymer,filler,salt,solvent_note,sigma_S_cm,sigma_T_C,ea_eV,t_plus,ccd_mA_cm2,\
                          sym_current_mA_cm2,sym_hours,cumulative_capacity_mAh_cm2,window_V,doi,value_source,notes";

    /// The step reads the table, places both materials (from their presets) with the published rows,
    /// draws the paper's own rows once, and lists every point with its reference.
    #[test]
    fn places_both_materials_among_the_published_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("bench.csv");
        std::fs::write(
            &csv,
            format!(
                "{HEADER}\nliu2025_nml_pvh_im,PVDF-HFP (PVH),In-MOF,LiTFSI,,1.23e-3,25,0.18,0.49,1.7,0.2,5550,1110,4.9,\
                 10.1007/s40820-025-01760-x,paper,\"a, b\"\nltno,PVDF-HFP,LTNO,LiTFSI,,4.09e-4,,0.16,,,0.1,2400,,,,page,\n\
                 pfpc,PFPC,LLZTO,,,4.25e-4,30,,0.49,2.6,0.1,800,,,10.1/pfpc,page,\n"
            ),
        )
        .expect("write");
        let extra = dir.path().join("mine.csv");
        std::fs::write(&extra, format!("{HEADER}\nmine,PEO,,,,1e-4,25,0.4,,1.0,,,50,,,lab book,\n"))
            .expect("write");
        let out = run(&Literature { materials: materials(), csv, extra: Some(extra) }).expect("runs");
        assert_eq!(out.figures.len(), 2);
        let names = |i: usize| out.figures[i].series.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
        // σ vs Ea: both materials, the LTNO row and the user's row; the paper's own row not twice.
        let sigma_ea = names(0);
        assert_eq!(sigma_ea, ["PVH (this study)", "PVH-IM (this study)", "ltno", "mine"], "{sigma_ea:?}");
        let pvh_im = &out.figures[0].series[1];
        assert!(
            (pvh_im.x[0] - 0.18).abs() < 1e-9 && (pvh_im.y[0] - 1.23).abs() < 1e-9,
            "PVH-IM at 0.18 eV, 1.23 mS/cm"
        );
        // CCD vs cumulative capacity: PVH-IM 1110 mAh/cm² (stated), PVH 0.2 × 34 h (derived), PFPC 0.1 × 800.
        let ccd = &out.figures[1];
        assert_eq!(names(1), ["PVH (this study)", "PVH-IM (this study)", "pfpc", "mine"]);
        assert!((ccd.series[0].x[0] - 6.8).abs() < 1e-9 && (ccd.series[0].y[0] - 0.4).abs() < 1e-9);
        assert!((ccd.series[1].x[0] - 1110.0).abs() < 1e-6 && (ccd.series[1].y[0] - 1.7).abs() < 1e-9);
        // Every point in the table with its reference.
        let table = &out.tables[0];
        assert_eq!(table.rows.len(), 5);
        assert!(table
            .rows
            .iter()
            .any(|r| r[0] == "pfpc" && r[7] == "doi:10.1/pfpc" && r[6] == "80 (derived j × t)"));
        assert!(out.notes.iter().any(|n| n.contains("liu2025_nml_pvh_im")), "{:?}", out.notes);
    }

    /// A malformed row fails the step with file:line; an absent table skips it with a note.
    #[test]
    fn malformed_rows_fail_and_an_absent_table_skips() {
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("bench.csv");
        std::fs::write(
            &csv,
            format!("{HEADER}\nok,PEO,,,,1e-4,25,,,,,,,,,x,\nbad,PEO,,,,1e-4,25,0.4 eV,,,,,,,,x,\n"),
        )
        .expect("write");
        let e = run(&Literature { materials: materials(), csv: csv.clone(), extra: None }).unwrap_err();
        assert_eq!(format!("{e:#}"), format!("{}:3: column ea_ev: '0.4 eV' is not a number", csv.display()));
        let out =
            run(&Literature { materials: materials(), csv: dir.path().join("absent.csv"), extra: None })
                .expect("runs");
        assert!(
            out.figures.is_empty() && out.notes[0].starts_with("Skipped the benchmark table"),
            "{:?}",
            out.notes
        );
    }
}
