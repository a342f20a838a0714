//! Step kind `xps-components`: one XPS core level fitted into its chemical states (area fractions),
//! with charge referencing, spin–orbit doublets, a chosen line shape and background.
//!
//! - **measured** (`file` or `files` + `material`): any XPS file [`spelab_io::spectra`] reads
//!   (VAMAS, CasaXPS CSV, two-column BE or KE text ...), block `block` or the first spectrum; the
//!   components, window, background and constraints from the step (defaults: the F 1s LiF / C–F pair
//!   of the paper);
//! - **virtual lab** (no `file`): each material's F 1s from [`spelab_sim::lab::xps_f1s`] with the
//!   default components (a round trip of the preset's LiF share).
//!
//! The fit is [`spelab_analysis::peaks::spectroscopy::xps_components`]; each component gives a
//! `component_fraction` metric (its label in the metric's `component` option).

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::peaks::spectroscopy::{xps_components, XpsOptions};

use super::spectral::{read_spectrum, records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "xps-components",
    title: "XPS core level: chemical-state components and their area fractions",
    summary: "One core level fitted with charge referencing, doublets (spin-orbit splitting and area ratio), shared widths and a Shirley, Tougaard or linear background; area fractions with standard errors",
    example: r#"[[step]]
kind = "xps-components"
file = "au4f.csv"                    # or files = [...]; any XPS file spelab reads (BE or KE axis)
material = "pvh-im"
block = "Au 4f"                      # block of a multi-block file (default: the first spectrum)
window = [83.5, 96.0]                # binding energy [eV]
background = "shirley"               # shirley, active_shirley, tougaard or linear
shape = "pseudo_voigt"               # gaussian, lorentzian, pseudo_voigt, voigt, gauss_lorentz_product
fwhm = [0.3, 2.0]                    # FWHM bounds [eV], one FWHM shared unless shared_width = false
photon_energy = 180.0                # [eV], for a kinetic-energy axis (default Al Ka 1486.6)
charge_reference = [284.3, 284.8]    # [measured, true] position of a reference line [eV]
components = [
  { label = "Au 4f7/2", center = 87.6, tolerance = 0.5, doublet = { label = "Au 4f5/2", splitting = 3.67, ratio = 0.75 } },
]
# no file: the virtual lab's F 1s (LiF / C-F) of `materials`"#,
    parse,
};

struct Xps {
    source: SpectralSource,
    options: XpsOptions,
}

impl Step for Xps {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::xps_f1s, read_spectrum)?;
        let mut out = StepOutput::default();
        let mut table = present::table();
        for (k, d) in data.iter().enumerate() {
            let r = xps_components(&d.measurement, &self.options)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            present::rows(&mut table, d, &r);
            out.metrics.extend(present::metrics(d, &r, &self.options));
            out.figures.push(present::figure(k, d, &r, &self.options));
            progress((k + 1) as f64 / data.len() as f64);
        }
        out.tables.push(table);
        out.notes.push(present::note(&self.source, &self.options));
        Ok(out)
    }
}
