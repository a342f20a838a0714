//! Step kind `electronic-conductivity`: σ_e from DC polarization of an SS|SPE|SS cell.
//!
//! - **virtual lab** (no `file`): for each material spelab-sim's blocking-cell DC polarization
//!   (`lab::electronic_dc_polarization`: the ionic current V/R_b charges the double layers, in
//!   parallel with the electronic leak σ_e V A / L of the preset; 6 h, 5 s sampling);
//! - **measured** (`file` + `material`): a table with time and current columns (units in headers) and the
//!   cell's `thickness` and `area`.
//!
//! `spelab_analysis::electronic` takes the plateau after the slope test; σ_e/σ_ion is reported when the
//! ionic conductivity is known (the preset's, or `ionic_conductivity`).
//!
//! Laid out as `options` (parsing), `measured` (reading the record), `virtual_lab` (the simulated cell)
//! and `present` (metric, table, figure, notes).

mod measured;
mod options;
mod present;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::electronic::{electronic_conductivity, DcPolarizationSetup};
use spelab_analysis::transference::{SteadyStateOptions, Value};

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "electronic-conductivity",
    title: "Electronic conductivity (DC polarization, blocking electrodes)",
    summary: "σ_e = I_e L/(V A) from the steady-state current of a DC polarization: simulated, or read from a table",
    example: r#"[[step]]
kind = "electronic-conductivity"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
voltage = "0.5 V"
# measured instead:  file = "dc.csv"  material = "pvh-im"  thickness = "100 um"  area = "2 cm2"
#   time_column = "time"  current_column = "current"   ionic_conductivity = "1.23 mS/cm"
#   thickness_uncertainty = "2 %"   steady_window = "10 %"   max_drift = "1 %""#,
    parse,
};

enum Source {
    Virtual(Vec<Material>),
    Measured { material: Box<Material>, path: PathBuf, label: String, time: String, current: String },
}

struct Electronic {
    source: Source,
    voltage: f64,
    thickness: Option<f64>,
    thickness_uncertainty: f64,
    area: f64,
    ionic: Option<f64>,
    options: SteadyStateOptions,
}

/// One DC polarization record, simulated or measured.
struct Dataset {
    material: Material,
    /// Where it came from: the file's label or the simulation.
    source: String,
    /// Time [s].
    time: Vec<f64>,
    /// Current [A].
    current: Vec<f64>,
    /// Electrolyte thickness [m].
    thickness: f64,
    /// Ionic conductivity for σ_e/σ_ion [S/m].
    ionic: Option<f64>,
    /// The simulation's input σ_e, for the round trip [S/m].
    input: Option<f64>,
}

impl Electronic {
    /// The datasets of the step's source, simulated or measured.
    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual(materials) => materials.iter().map(|m| self.simulated(m)).collect(),
            Source::Measured { material, path, label, time, current } => {
                Ok(vec![self.measured(material, path, label, time, current)?])
            }
        }
    }
}

impl Step for Electronic {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets = self.datasets()?;
        let mut out = StepOutput::default();
        let mut table = Self::results_table();
        let n = datasets.len();
        for (k, d) in datasets.iter().enumerate() {
            let setup = DcPolarizationSetup {
                voltage: Value::exact(self.voltage),
                thickness: Value::new(d.thickness, self.thickness_uncertainty * d.thickness),
                area: Value::exact(self.area),
            };
            let r = electronic_conductivity(&d.time, &d.current, &setup, d.ionic, &self.options)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            let m = self.metric(d, &r);
            table.rows.push(Self::row(d, &r, &m));
            out.metrics.push(m);
            out.figures.push(Self::figure(d, &r, k));
            progress((k + 1) as f64 / n as f64);
        }
        self.finish(table, &mut out);
        Ok(out)
    }
}
