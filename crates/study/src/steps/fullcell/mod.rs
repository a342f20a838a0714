//! Step kind `full-cell`: capacities, Coulombic and energy efficiency, retention, rate table and dQ/dV
//! of a full cell (e.g. LFP|SPE|Li) from a galvanostatic record: a table or any instrument file
//! spelab-io reads (format detected by content), or, in the **virtual lab** (no `file`), the record
//! spelab-sim's full-cell model and virtual cycler produce for each material (see [`virtual_lab`]); laid out as `options` (parsing), `measured` (reading and splitting the
//! record), `virtual_lab` (the simulated cell) and `present` (metrics, tables, figures, notes).
//!
//! The record is split by `spelab_core::CyclingData` (1 % rest threshold, a cycle starts at each charge;
//! the instrument's cycle numbers are not used; the instrument's dq count, when stored, gives capacities) and analysed by `spelab_analysis::fullcell`. Metrics: the first- and last-cycle specific
//! discharge capacity, the last cycle's retention against `reference_cycle` and the mean CE.
//!
//! The virtual lab's capacities and CE are predictions, each with an assumed-parameter band
//! ([`bands`]: thickness, c₀, D/D_NE and cathode loading at the ends of their ranges, eight more rate tests per material,
//! all runs in parallel).

mod bands;
mod measured;
mod options;
mod present;
mod present_virtual;
pub mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::fullcell::{full_cell_metrics, FullCellOptions};
use spelab_core::units::Quantity;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;
use virtual_lab::FullCellSetup;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "full-cell",
    title: "Full-cell cycling: capacity, CE, retention, rate capability, dQ/dV",
    summary: "Per-cycle capacity (mAh/g), CE, energy efficiency, retention, rate table and dQ/dV of a full cell, from a table or an instrument file, or simulated from the materials (virtual lab)",
    example: r#"[[step]]
kind = "full-cell"
file = "lfp.csv"                     # or cell.mpr, .nda, .ndax ...; tables: time [s], current [mA], voltage [V]
material = "pvh-im"
active_mass = "3.2 mg"
# optional: nominal_capacity = "170 mAh/g" (C-rates)  reference_cycle = 1  dqdv_step = "5 mV"
#           time_column = "time"  current_column = "current"  voltage_column = "voltage"
#           replicates = [{ file = "lfp-2.csv", active_mass = "3.1 mg" }]   (mean ± SD (n) over the cells)
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# virtual lab (no file): simulate the LFP|SPE|Li cell of each material (reference LFP cathode)
#   materials = ["pvh", "pvh-im"]     c_rates = [0.1, 0.2, 0.5, 1, 0.5, 0.2, 0.1]   cycles = 5 (per C-rate)
#   model = "dfn" (default; or "spm")   rest = "0 s"   area = "1 cm2"   (reference_cycle, dqdv_step as above)"#,
    parse,
};

/// The rate-capability protocol of the paper's Fig. 6h: down and back up [1/h].
pub const DEFAULT_C_RATES: [f64; 7] = [0.1, 0.2, 0.5, 1.0, 0.5, 0.2, 0.1];
/// Cycles per C-rate block by default (the paper does not state its count).
pub const DEFAULT_CYCLES: u32 = 5;

/// A measured full cell (with optional replicate cells).
struct FullCell {
    material: Material,
    input: columns::CycleInput,
    options: FullCellOptions,
    dqdv_step: f64,
    /// Replicate cells: (path, label, active mass [kg]).
    replicates: Vec<(PathBuf, String, f64)>,
}

/// The virtual lab: the LFP | SPE | Li cell of each material, simulated and analysed.
struct VirtualFullCell {
    materials: Vec<Material>,
    setup: FullCellSetup,
    dqdv_step: f64,
}

/// Specific capacity in display units [mAh/g].
fn mah_g(q: f64) -> f64 {
    Quantity::SpecificCapacity.to_display(q)
}

impl Step for FullCell {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = self.load(&self.input.path, &self.input.label)?;
        let r = full_cell_metrics(&data, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let mut out = StepOutput::default();
        if !self.replicates.is_empty() {
            let rows = self.replicate_rows(&r)?;
            self.replicate_summary(&rows, &mut out)?;
        }
        self.cycle_metrics(&r, &mut out);
        out.tables.push(self.cycle_table(&r));
        if r.rate_blocks.len() > 1 {
            out.tables.push(present::rate_table(&r));
            out.figures.push(self.rate_figure(&r));
        }
        out.figures.push(self.capacity_figure(&r));
        out.figures.push(self.ce_figure(&r));
        let [vq, dq] = self.profile_figures(&data, &r);
        out.figures.push(vq);
        out.figures.push(dq);
        self.attach_options(&mut out);
        progress(1.0);
        Ok(out)
    }
}

impl Step for VirtualFullCell {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        use rayon::prelude::*;
        let mut out = StepOutput::default();
        let mut figures = present_virtual::VirtualFigures::new();
        let runs = self
            .materials
            .par_iter()
            .map(|m| {
                let params = m.preset.material_params()?;
                bands::banded_run(&params, &self.setup)
            })
            .collect::<Vec<_>>();
        progress(0.9);
        for (i, (m, run)) in self.materials.iter().zip(runs).enumerate() {
            let run = run.with_context(|| format!("material '{}'", m.id))?;
            self.present_material(i, m, &run, &mut figures, &mut out);
        }
        self.finish(figures, &mut out);
        progress(1.0);
        Ok(out)
    }
}
