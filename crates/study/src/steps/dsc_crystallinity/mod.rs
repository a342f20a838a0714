//! Step kind `dsc-crystallinity`: polymer crystallinity X_c = (ΔH_m − ΔH_cc)/(w ΔH_m⁰) from the
//! melting endotherm of a DSC heating scan.
//!
//! - **virtual lab** (no `file`): each material's scan drawn from its paper X_c by
//!   [`spelab_sim::lab::dsc_melting`] with w = 0.5 and ΔH_m⁰ = 104.7 J/g (a round trip);
//! - **measured** (`file` or `files` + `material`): any DSC file [`spelab_io::spectra`] reads.
//!
//! [`spelab_analysis::thermal::dsc_crystallinity`] integrates the endotherm above a straight (in
//! time) baseline across `window`. X_c depends on two assumptions the report's notes name: the
//! polymer mass fraction w and ΔH_m⁰.

mod options;
mod present;

use anyhow::Context;
use spelab_analysis::thermal::{dsc_crystallinity, DscOptions};

use super::spectral::{read_thermogram, records, SpectralSource};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dsc-crystallinity",
    title: "Crystallinity from the DSC melting endotherm",
    summary: "X_c = (dHm - dHcc)/(w dHm0) from the melting endotherm (linear baseline in time): simulated from the paper's X_c, or read from a DSC file",
    example: r#"[[step]]
kind = "dsc-crystallinity"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
seed = 1
window = ["130 degC", "190 degC"]    # integration limits
polymer_fraction = 0.5               # w: polymer mass fraction of the sample (assumption)
reference_enthalpy = "104.7 J/g"     # dHm0 of 100 % crystalline PVDF
cold_crystallisation = "0 J/g"       # dHcc subtracted
exo_up = false                       # true for an exo-up export
# measured instead:  file = "dsc.csv" (or files = [...])  material = "pvh-im"  block = "heating"
#   heating_rate = "10 K/min" (when the file has no time column)"#,
    parse,
};

struct Dsc {
    source: SpectralSource,
    options: DscOptions,
}

impl Step for Dsc {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = records(&self.source, spelab_sim::lab::dsc_melting, read_thermogram)?;
        let mut out = StepOutput::default();
        let mut table = present::table();
        for (k, d) in data.iter().enumerate() {
            let r = dsc_crystallinity(&d.measurement, &self.options)
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
