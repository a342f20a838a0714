//! Step kind `xps-depth`: the LiF share of the F 1s signal at each Ar⁺ etch depth (SEI composition).
//!
//! - **virtual lab** (no `file`): each material's F 1s at 10 nm drawn from its paper LiF share by
//!   [`spelab_sim::lab::xps_f1s`] (a round trip);
//! - **measured** (`file` or `files` + `material`, `depths` one per file): any XPS file
//!   [`spelab_io::spectra`] reads (VAMAS, CasaXPS CSV, ...), block `block` or the first spectrum.
//!
//! Each spectrum is fitted by [`spelab_analysis::peaks::spectroscopy::xps_components`] (LiF 685.4 eV,
//! C–F 688.4 eV, shared FWHM, background `background`); the metric is the LiF area fraction with the
//! etch depth as its condition.

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::peaks::spectroscopy::{xps_components, XpsOptions};

use super::spectral::{read_spectrum, records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "xps-depth",
    title: "SEI composition by XPS: LiF share of F 1s against etch depth",
    summary: "LiF (685.4 eV) vs C-F (688.4 eV) area fractions of F 1s at each etch depth: simulated at 10 nm from the paper's share, or read from XPS files",
    example: r#"[[step]]
kind = "xps-depth"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all), F 1s at 10 nm
seed = 1
window = [682.0, 692.0]              # binding energy [eV]
background = "shirley"               # shirley, active_shirley, tougaard or linear
# measured instead:  files = ["f1s_0nm.vms", "f1s_10nm.vms"]  depths = ["0 nm", "10 nm"]
#   material = "pvh-im"  block = "F 1s""#,
    parse,
};

struct Xps {
    source: SpectralSource,
    depths: Option<Vec<f64>>,
    options: XpsOptions,
}

impl Step for Xps {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::xps_f1s, read_spectrum)?;
        let mut out = StepOutput::default();
        let mut table = present::table();
        for (k, d) in data.iter().enumerate() {
            let depth = match (&self.depths, d.input) {
                (_, Some(_)) => Some(spelab_sim::lab::XPS_ETCH_DEPTH),
                (Some(depths), None) => depths.get(k).copied(),
                (None, None) => None,
            };
            let r = xps_components(&d.measurement, &self.options)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            present::row(&mut table, d, depth, &r);
            out.metrics.extend(present::metric(d, depth, &r, &self.options));
            out.figures.push(present::figure(k, d, depth, &r, &self.options));
            progress((k + 1) as f64 / data.len() as f64);
        }
        out.tables.push(table);
        out.notes.push(present::note(&self.source));
        Ok(out)
    }
}
