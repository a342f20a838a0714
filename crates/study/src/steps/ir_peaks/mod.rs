//! Step kind `ir-peaks`: FT-IR band positions by prominence, tracked bands (the residual DMF C=O at
//! 1655 cm⁻¹) and their shift between samples.
//!
//! - **virtual lab** (no `file`): each material's carbonyl band drawn at its preset position
//!   (`ftir_dmf_c_o_band_cm_inv`) by [`spelab_sim::lab::ir_carbonyl_band`] (a round trip of the
//!   shift, 1655.1 → 1657.5 cm⁻¹ in the paper);
//! - **measured** (`file` or `files` + `material`): any FT-IR file [`spelab_io::spectra`] reads, one
//!   sample per file, shifts relative to the first.
//!
//! [`spelab_analysis::peaks::spectroscopy::ir_peaks`] finds peaks by prominence and refines each by a
//! parabolic vertex. Each tracked band found gives a `band_position` metric (SI 1/m, shown in cm⁻¹)
//! with the band's nominal position as condition `band_m_inv`.

mod options;
mod present;

use spelab_analysis::peaks::spectroscopy::{ir_peaks, IrOptions};

use super::spectral::{read_spectrum, records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "ir-peaks",
    title: "FT-IR bands: positions, presence and shifts between samples",
    summary: "FT-IR peaks by prominence with parabolic refinement, tracked bands (DMF C=O) and their shift between samples: simulated at the paper's positions, or read from FT-IR files",
    example: r#"[[step]]
kind = "ir-peaks"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all); shifts relative to the first
seed = 1
bands = [1655.0]                     # tracked bands [cm-1]
tolerance = 10.0                     # a tracked band is present within this distance [cm-1]
prominence = 0.01                    # minimum prominence (signal units)
window = [600.0, 4000.0]             # cm-1
absorbance = false                   # true: convert transmittance/reflectance to -log10(y)
# measured instead:  files = ["pvh.jdx", "pvh-im.jdx"]  material = "pvh-im""#,
    parse,
};

struct Ir {
    source: SpectralSource,
    options: IrOptions,
}

impl Step for Ir {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::ir_carbonyl_band, read_spectrum)?;
        let names: Vec<String> = data.iter().map(present::sample_name).collect();
        let samples: Vec<(&str, &spelab_core::Spectrum)> =
            names.iter().zip(&data).map(|(n, d)| (n.as_str(), &d.measurement)).collect();
        let result = ir_peaks(&samples, &self.options)?;
        progress(1.0);
        let mut out = StepOutput::default();
        out.metrics.extend(present::metrics(&data, &result, &self.options));
        out.tables.push(present::bands_table(&data, &result));
        out.tables.push(present::peaks_table(&result));
        out.figures.push(present::figure(&data, &result, &self.options));
        out.notes.push(present::note(&self.source));
        Ok(out)
    }
}
