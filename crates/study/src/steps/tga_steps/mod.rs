//! Step kind `tga-steps`: mass-loss steps of a TGA scan and the residual solvent content (the loss of
//! the first step, or of `solvent_step`).
//!
//! - **virtual lab** (no `file`): each material's scan drawn from its paper solvent content by
//!   [`spelab_sim::lab::tga_solvent_loss`] (a round trip);
//! - **measured** (`file` or `files` + `material`): any TGA file [`spelab_io::spectra`] reads.
//!
//! [`spelab_analysis::thermal::tga_steps`] splits the curve at given temperatures or at the DTG maxima
//! between loss peaks.

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::thermal::{tga_steps, TgaOptions};

use super::spectral::{read_thermogram, records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "tga-steps",
    title: "TGA mass-loss steps and residual solvent",
    summary: "Mass-loss steps (given boundaries or DTG maxima between loss peaks) and the residual solvent content: simulated from the paper's content, or read from a TGA file",
    example: r#"[[step]]
kind = "tga-steps"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
seed = 1
solvent_step = 1                     # which step is the solvent (1 = the first)
min_peak_share = 0.05                # automatic boundaries: DTG peaks deeper than this share of the deepest
# boundaries = ["30 degC", "250 degC", "600 degC"]    (instead of automatic ones)
# dtg_window = 101                   (Savitzky-Golay DTG over this many points instead of the gradient)
# measured instead:  file = "tga.txt" (or files = [...])  material = "pvh-im"  block = "TGA""#,
    parse,
};

struct Tga {
    source: SpectralSource,
    options: TgaOptions,
}

impl Step for Tga {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::tga_solvent_loss, read_thermogram)?;
        let mut out = StepOutput::default();
        let mut table = present::table();
        for (k, d) in data.iter().enumerate() {
            let r = tga_steps(&d.measurement, &self.options)
                .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            present::rows(&mut table, d, &r);
            out.metrics.extend(present::metric(d, &r, &self.options));
            out.figures.push(present::figure(k, d, &r));
            progress((k + 1) as f64 / data.len() as f64);
        }
        out.tables.push(table);
        out.notes.push(present::note(&self.source));
        Ok(out)
    }
}
