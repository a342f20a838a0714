//! Step kind `dendrite-ccd`: critical current density of each material predicted by the phase
//! field. The reference cell (`spelab_sim::phase_field::failure`) is run at a few current densities;
//! the reduced model turns their tip amplification into a CCD staircase record (the gap closes by
//! the protrusion excess of each plating half-cycle), which goes through the CCD analysis of
//! measured files (`spelab_analysis::ccd`). Also the extrapolated short-circuit time of each run.
//!
//! Calibration rule: parameters the paper does not measure come from PVH-IM only (here the
//! starting values of phasefield.md §4, a fixed assumption, not fitted), PVH is predicted by the
//! SEI carry-over rule. Laid out as `options`, `virtual_lab` (runs, cache shared with
//! `dendrite-life`, the staircase and its analysis) and `present`.

mod options;
mod present;
pub mod virtual_lab;

pub(crate) use options::parse_runs;

use anyhow::Context;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;
use virtual_lab::Runs;

/// Default current densities of the runs: 0.2, 0.35, 0.5 and 1 mA/cm² [A/m²].
pub(crate) const CURRENTS: [f64; 4] = [2.0, 3.5, 5.0, 10.0];

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dendrite-ccd",
    title: "Critical current density from phase-field dendrites (reduced model, CCD analysis)",
    summary: "Phase-field tip amplification at a few currents turned into a CCD staircase record and analysed like a measured one; short-circuit time vs current",
    example: r#"[[step]]
kind = "dendrite-ccd"
materials = ["pvh", "pvh-im"]        # default: all
currents = ["0.2 mA/cm2", "0.35 mA/cm2", "0.5 mA/cm2", "1 mA/cm2"]
capacity = "0.1 mAh/cm2"             # charge deposited by each run
step = "0.05 mA/cm2"                 # staircase increment
half_cycle = "30 min"
# optional: retained = "100 %" (excess surviving a strip)  spacing = "1 um"  width = "64 um"  seed = 1"#,
    parse,
};

/// The parsed step.
struct DendriteCcd {
    materials: Vec<Material>,
    runs: Runs,
    currents: Vec<f64>,
    step: f64,
    half_cycle: f64,
    retained: f64,
}

impl Step for DendriteCcd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut report = present::Report::new(self);
        let total = (self.materials.len() * self.currents.len()).max(1);
        for (i, m) in self.materials.iter().enumerate() {
            let ctx = || format!("material '{}'", m.id);
            let params = virtual_lab::material_parameters(m, &self.runs).with_context(ctx)?;
            let mut runs = Vec::new();
            for (k, j) in self.currents.iter().enumerate() {
                runs.push(virtual_lab::run(m, &params, &self.runs, *j).with_context(ctx)?);
                progress((i * self.currents.len() + k + 1) as f64 / total as f64);
            }
            let (t, v, r) = virtual_lab::staircase(
                &runs,
                &params,
                self.step,
                self.half_cycle,
                steps_to(self.step),
                self.retained,
            )
            .with_context(ctx)?;
            out.metrics.push(present::ccd_metric(self, m, &params, &r));
            report.add(i, m, &params, &runs, &t, &v, &r);
        }
        report.finish(self, &mut out);
        Ok(out)
    }
}

/// Staircase steps up to 5 mA/cm² (above both paper CCDs).
fn steps_to(step: f64) -> u32 {
    ((50.0 / step).ceil() as u32).clamp(1, 1000)
}
