//! Step kind `cycling-life`: symmetric-cell (Li|SPE|Li) cycling life, failure mode and cumulative
//! capacity from a galvanostatic record read from a table.
//!
//! Runs `spelab_analysis::cycling_life`: per-half-cycle overpotential and ASR, failure detection (hard
//! and soft short, divergence, polarization growth), lifetime under current (rests excluded) and the
//! cumulative capacity with both directions counted. Figures: overpotential vs time, with zoomed views
//! of the first and last cycles.
//!
//! Laid out as `options` (parsing) and `present` (metrics, table, figures).

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::cycling_life::{cycling_life, CycleLifeOptions};
use spelab_core::Technique;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "cycling-life",
    title: "Symmetric-cell cycling life and cumulative capacity",
    summary: "Lifetime, failure mode, overpotential/ASR per half-cycle and cumulative capacity of a Li|SPE|Li cell, from a table",
    example: r#"[[step]]
kind = "cycling-life"
file = "li-li.csv"                   # headers with units: time [h], current [mA], voltage [V]
material = "pvh-im"
area = "1 cm2"
# optional (defaults shown): time_column = "time"  current_column = "current"  voltage_column = "voltage"
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# polarization_factor = 5   short_voltage = "1 mV"  collapse_fraction = "50 %"  noise_fraction = "10 %"  cutoff_voltage = "1 V""#,
    parse,
};

struct Life {
    material: Material,
    input: columns::CycleInput,
    area: f64,
    options: CycleLifeOptions,
}

impl Step for Life {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let rec = self.input.read("cycling-life", &[Technique::Gcpl, Technique::Cp])?;
        let [t, i, v]: [Vec<f64>; 3] =
            rec.columns.try_into().map_err(|_| anyhow::anyhow!("three columns"))?;
        let r = cycling_life(&t, &i, &v, self.area, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let mut out = StepOutput::default();
        let status = self.metrics(&r, &mut out);
        out.tables.push(self.table(&r, status));
        out.figures.push(self.overpotential_figure(&r));
        out.figures.extend(self.zoom_figures(&r, &t, &v));
        self.attach_options(&mut out);
        progress(1.0);
        Ok(out)
    }
}
