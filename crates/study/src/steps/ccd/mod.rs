//! Step kind `ccd`: critical current density of a Li|SPE|Li cell from a step-increasing-current record.
//!
//! Reads a measured table (time, current, voltage columns with units in the headers) and runs
//! `spelab_analysis::ccd`: per-step ASR, failure detection (hard short, soft short, divergence) with the
//! thresholds as options, CCD and the last stable current density. Figures: V(t) with the step changes
//! and the failure marked, and ASR per step.
//!
//! Laid out as `options` (parsing, and the failure thresholds `cycling-life` shares) and `present`
//! (metric, notes, table, figures).

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::ccd::{critical_current_density, CcdOptions};
use spelab_core::Technique;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
pub(super) use options::failure_thresholds;
use options::parse;
use present::{figures, steps_table};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "ccd",
    title: "Critical current density (step-increasing current, symmetric cell)",
    summary: "CCD, last stable current, failure mode and per-step ASR from a Li|SPE|Li current staircase read from a table",
    example: r#"[[step]]
kind = "ccd"
file = "ccd.csv"                     # headers with units: time [s], current [mA], voltage [V]
material = "pvh-im"
area = "1.13 cm2"
# optional (defaults shown): time_column = "time"  current_column = "current"  voltage_column = "voltage"
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# rest_current_density = "0.001 mA/cm2"  level_tolerance = "2 %"  settle_fraction = "5 %"
# collapse_fraction = "50 %"  short_voltage = "1 mV"  noise_fraction = "10 %"  cutoff_voltage = "1 V""#,
    parse,
};

struct Ccd {
    material: Material,
    input: columns::CycleInput,
    area: f64,
    options: CcdOptions,
}

impl Step for Ccd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let rec = self.input.read("ccd", &[Technique::Gcpl, Technique::Cp])?;
        let [t, i, v]: [Vec<f64>; 3] =
            rec.columns.try_into().map_err(|_| anyhow::anyhow!("three columns"))?;
        let r = critical_current_density(&t, &i, &v, self.area, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let mut out = StepOutput::default();
        self.metric_and_notes(&r, &mut out);
        out.tables.push(steps_table("Current steps: ASR and failure".into(), &r));
        out.figures.extend(figures(&self.material, &t, &i, &v, self.area, &r));
        self.attach_options(&mut out);
        progress(1.0);
        Ok(out)
    }
}
