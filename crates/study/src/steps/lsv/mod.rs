//! Step kind `lsv-onset`: oxidation onset of an anodic LSV sweep read from a table, or of a virtual
//! sweep (`virtual = true`).
//!
//! Runs `spelab_analysis::lsv` (threshold, tangent intersection, derivative) and reports all three in a
//! table; the metric uses the definition named by `method` (default `threshold`). The figure shows the
//! sweep, the baseline line, the tangent at the steepest rise and the three onsets.
//!
//! Virtual mode records a Li|SPE|SS sweep of each material with `spelab_sim::lab::oxidation_sweep`
//! (capacitive background, ohmic drop, exponential decomposition current above an onset, seeded
//! noise). Its onset is an INPUT taken from the paper (the preset's `oxidation_onset_v`): the step is a
//! round trip of the onset analysis, not a prediction, and its table shows each method beside the input.
//!
//! Laid out as `options` (parsing), `measured` (reading the table), `virtual_lab` (the simulated sweeps)
//! and `present` (the onset analysis of one sweep: metric, figure; tables and notes).

mod measured;
mod options;
mod present;
mod virtual_lab;

use std::path::PathBuf;

use spelab_analysis::lsv::LsvOptions;
use spelab_core::metric::SOURCE_SIMULATION;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::{parse, Method};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "lsv-onset",
    title: "Oxidation onset (linear sweep voltammetry)",
    summary: "LSV oxidation onset by current threshold, tangent intersection and derivative, from a table",
    example: r#"[[step]]
kind = "lsv-onset"
file = "lsv.csv"                     # headers with units: potential [V], current [uA]
material = "pvh-im"
area = "1 cm2"
# optional (defaults shown): potential_column = "potential"  current_column = "current"
# method = "threshold"  (or "tangent", "derivative": which onset becomes the metric)
# threshold = "0.01 mA/cm2"  derivative_threshold = "0.1 mA/cm2/V"  baseline = ["3 V", "3.6 V"]  smoothing = 5
# virtual mode (no file/material): virtual = true  materials = ["pvh", "pvh-im"]  sweep = ["3 V", "5.5 V"]
#   rate = "1 mV/s"  seed = 1   (a simulated Li|SPE|SS sweep whose onset is the paper's value: a round trip)"#,
    parse,
};

/// Where the sweeps come from.
enum Source {
    /// A measured table.
    File { material: Box<Material>, path: PathBuf, label: String, columns: [String; 2] },
    /// Virtual Li|SPE|SS sweeps of each material [V, V, V/s].
    Virtual { materials: Vec<Material>, start: f64, end: f64, rate: f64, seed: u64 },
}

struct Lsv {
    source: Source,
    area: f64,
    method: Method,
    options: LsvOptions,
}

impl Step for Lsv {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        match &self.source {
            Source::File { material, path, label, columns } => {
                let (e, j) = self.read(path, label, columns)?;
                let r = self.analyse(material, label, label, &e, &j, &mut out)?;
                out.tables.insert(0, present::onset_table(material, &r));
            }
            Source::Virtual { materials, start, end, rate, seed } => {
                let mut table = present::round_trip_table(*start, *end, *rate);
                let n = materials.len();
                for (k, m) in materials.iter().enumerate() {
                    let sweep = self.simulate(m, *start, *end, *rate, *seed)?;
                    let first = out.metrics.len();
                    let r = self.analyse(m, &sweep.label, SOURCE_SIMULATION, &sweep.e, &sweep.j, &mut out)?;
                    // The onset is the model's input (the paper's value at the sweep's temperature).
                    for metric in &mut out.metrics[first..] {
                        metric.set_input_value(sweep.model.onset_potential);
                        metric.conditions.insert("temperature_K".into(), sweep.model.temperature);
                    }
                    table.rows.push(present::round_trip_row(m, &sweep.model, &r));
                    progress((k + 1) as f64 / n as f64);
                }
                out.tables.insert(0, table);
                out.notes.push(present::VIRTUAL_NOTE.into());
            }
        }
        progress(1.0);
        Ok(out)
    }
}
