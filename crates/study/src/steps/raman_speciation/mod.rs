//! Step kind `raman-speciation`: TFSI⁻ speciation (free / contact ion pair / aggregate) from the
//! Raman band at 740 cm⁻¹.
//!
//! - **virtual lab** (no `file`): each material's band drawn from its paper free-anion fraction by
//!   [`spelab_sim::lab::raman_tfsi_band`] (a round trip of the deconvolution);
//! - **measured** (`file` or `files` + `material`): any Raman file [`spelab_io::spectra`] reads.
//!
//! [`spelab_analysis::peaks::spectroscopy::raman_speciation`] subtracts a straight baseline and fits
//! three pseudo-Voigt bands (shared width and η, centres within a tolerance); the metric is the free
//! band's area fraction. Laid out as `options` (parsing) and `present` (metric, table, figure, notes).

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::peaks::spectroscopy::{raman_speciation, RamanOptions};

use super::spectral::{records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "raman-speciation",
    title: "TFSI⁻ speciation by Raman deconvolution (free / CIP / AGG)",
    summary: "Free-anion fraction from the 740 cm-1 TFSI band (three pseudo-Voigt bands on a linear baseline): simulated from the paper's fraction, or read from a Raman file",
    example: r#"[[step]]
kind = "raman-speciation"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
seed = 1
window = [700.0, 790.0]              # cm-1
centers = [740.9, 744.2, 748.7]      # free, CIP, AGG [cm-1]
center_tolerance = 1.5               # cm-1
fwhm_bounds = [3.0, 10.0]            # cm-1
# measured instead:  file = "raman.txt" (or files = [...])  material = "pvh-im"  block = "TFSI""#,
    parse,
};

struct Raman {
    source: SpectralSource,
    options: RamanOptions,
}

impl Step for Raman {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::raman_tfsi_band, super::spectral::read_spectrum)?;
        let mut out = StepOutput::default();
        let mut table = present::table();
        for (k, d) in data.iter().enumerate() {
            let r = raman_speciation(&d.measurement, &self.options)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            present::row(&mut table, d, &r);
            out.metrics.push(present::metric(d, &r, &self.options));
            out.figures.push(present::figure(k, d, &r));
            progress((k + 1) as f64 / data.len() as f64);
        }
        out.tables.push(table);
        out.notes.push(present::note(&self.source, &self.options));
        Ok(out)
    }
}
