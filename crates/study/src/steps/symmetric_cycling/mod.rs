//! Step kind `symmetric-cycling`: galvanostatic cycling of Li|SPE|Li cells simulated from each
//! material's parameters (virtual cycler), with the predicted polarization and its breakdown into
//! kinetic, ohmic, diffusion and film parts.
//!
//! The simulated record is then analysed by `spelab_analysis::cycling_life` exactly as a measured
//! file (per-half-cycle overpotential and ASR, failure detection, lifetime, cumulative capacity), and
//! the predicted polarization at the cycling current is tabulated beside the paper's cell life.
//!
//! The model (spelab_sim::symmetric) has no short-circuit or dendrite mechanism: it predicts the
//! polarization, not the cycle life the paper reports; the note says so.
//!
//! Laid out as `options` (parsing), `virtual_lab` (one simulated record per material) and `present`
//! (tables, figures, notes).

mod options;
mod present;
mod virtual_lab;

use spelab_sim::symmetric::FilmGrowth;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;
use present::Presentation;
use virtual_lab::simulate;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "symmetric-cycling",
    title: "Li|SPE|Li galvanostatic cycling (simulated)",
    summary: "Polarization of symmetric cells cycled at constant current, simulated from σ, t+, i0 with its breakdown",
    example: r#"[[step]]
kind = "symmetric-cycling"
materials = ["pvh", "pvh-im"]        # default: all
current = "0.2 mA/cm2"
half_cycle = "1 h"
cycles = 100
salt = "1 mol/L"                     # salt concentration (not in the presets)
# film = "parabolic:r0=20ohm.cm2,tau=10h"   # interface film growth, as `spelab simulate symmetric --film`"#,
    parse,
};

struct Cycling {
    materials: Vec<Material>,
    current: f64,
    half_cycle: f64,
    cycles: u32,
    salt: f64,
    /// Interface film growth on both electrodes: the `film` option as written, and parsed.
    film: Option<(String, FilmGrowth)>,
}

impl Step for Cycling {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut p = Presentation::new(self);
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let sim = simulate(self, m)?;
            p.add(m, &sim, i);
            progress((i + 1) as f64 / n as f64);
        }
        let mut out = StepOutput::default();
        p.finish(self, &mut out);
        Ok(out)
    }
}
