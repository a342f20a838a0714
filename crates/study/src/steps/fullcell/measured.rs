//! The `full-cell` step's measured path: reading a cell's record and splitting it into cycles, and
//! the replicate cells' analyses.

use std::path::Path;

use anyhow::Context;
use spelab_analysis::fullcell::{full_cell_metrics, FullCell as FullCellMetrics, FullCellOptions};
use spelab_core::measurement::{Direction, SplitOptions};
use spelab_core::CyclingData;

use super::FullCell;

/// A replicate cell's analysis: (file label, active mass [kg], metrics).
pub(super) type ReplicateRow = (String, f64, FullCellMetrics);

impl FullCell {
    /// Reads and splits one cell's record.
    pub(super) fn load(&self, path: &Path, label: &str) -> anyhow::Result<CyclingData> {
        // The instrument's own time series keeps its dq count, so capacities equal the instrument's.
        let ts = self.input.series_at(
            path,
            label,
            "full-cell",
            &[spelab_core::Technique::Gcpl, spelab_core::Technique::Cp],
        )?;
        // Cycles start at each charge (cathode charged first), whatever the instrument numbers.
        let split = SplitOptions {
            cycle_start: Some(Direction::Charge),
            use_cycle_channel: false,
            ..SplitOptions::default()
        };
        CyclingData::from_time_series(ts, split).with_context(|| format!("{label}: splitting into cycles"))
    }

    /// Replicate cells (this step's file first, with its analysis `first`), each analysed.
    pub(super) fn replicate_rows(&self, first: &FullCellMetrics) -> anyhow::Result<Vec<ReplicateRow>> {
        let mut rows = vec![(self.input.label.clone(), self.options.active_mass, first.clone())];
        for (path, label, mass) in &self.replicates {
            let data = self.load(path, label)?;
            let options = FullCellOptions { active_mass: *mass, ..self.options };
            let r = full_cell_metrics(&data, &options).with_context(|| format!("replicate {label}"))?;
            rows.push((label.clone(), *mass, r));
        }
        Ok(rows)
    }
}
