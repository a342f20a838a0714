//! Step kind `dendrite-ccd`: critical current density of each material predicted by the phase
//! field. The reference cell (`spelab_sim::phase_field::failure`) is run at a few current densities;
//! the accumulation model (`spelab_sim::phase_field::accumulation`: tip amplification growing with
//! the residue of each half-cycle, protrusions closing the gap, the tip's Sand limit) turns their
//! amplification, roughness and tip depletion into a CCD staircase record, which goes through the
//! CCD analysis of measured files (`spelab_analysis::ccd`). Also the extrapolated short-circuit time
//! of each run, and an assumed-parameter band on each predicted CCD.
//!
//! Calibration rule (`calibration`): L_σ and then the residue yield β, which the paper does not
//! measure, are fitted on PVH-IM only so that its staircase fails in the paper's CCD step
//! (1.7 mA/cm²), the retained fraction on its 5550 h at 0.2 mA/cm²; PVH is then predicted from its
//! own σ, t₊, i₀ and the SEI carry-over rule (CV ∝ 1 − LiF share, R_SEI and residue ∝ ToF-SIMS
//! sputter time); nothing is tuned on PVH. The reference's CCD carries role
//! `calibrated`, every other material's `prediction`. Laid out as `options`, `virtual_lab` (the staircase
//! and its analysis) and `present`; the fit and the shared runs are `dendrite_calibration`.

mod options;
mod present;
pub mod virtual_lab;

pub(crate) use options::parse_runs;

use anyhow::Context;
use spelab_core::metric::{Band, Role};
use spelab_sim::phase_field::Parameters;

use super::dendrite_calibration::{self as calibration, lab, steps_to};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use lab::Runs;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dendrite-ccd",
    title: "Critical current density from phase-field dendrites (reduced model, CCD analysis)",
    summary: "Phase-field tip amplification at a few currents turned into a CCD staircase record and analysed like a measured one; short-circuit time vs current",
    example: r#"[[step]]
kind = "dendrite-ccd"
materials = ["pvh", "pvh-im"]        # default: all
currents = ["0.2 mA/cm2", "0.35 mA/cm2", "0.5 mA/cm2", "1 mA/cm2", "1.7 mA/cm2", "2.5 mA/cm2"]
capacity = "0.1 mAh/cm2"             # charge deposited by each run
step = "0.05 mA/cm2"                 # staircase increment
half_cycle = "30 min"
# optional: retained = "100 %" (upper limit of the excess surviving a strip; calibrated on PVH-IM's 5550 h)  spacing = "1 um"  width = "64 um"  seed = 1"#,
    parse,
};

/// The parsed step.
struct DendriteCcd {
    materials: Vec<Material>,
    reference: Material,
    runs: Runs,
    currents: Vec<f64>,
    step: f64,
    half_cycle: f64,
    retained: f64,
}

impl DendriteCcd {
    fn staircase(&self) -> calibration::Staircase {
        calibration::Staircase {
            step: self.step,
            half_cycle: self.half_cycle,
            steps: steps_to(self.step),
            retained: self.retained,
        }
    }
}

impl DendriteCcd {
    /// The assumed-parameter band of a predicted CCD (`calibration::bands`): the staircase failure
    /// current rounded up to the step (the step the record fails in) at each end; none for the
    /// reference (calibrated) and for a null CCD.
    fn band(
        &self,
        m: &Material,
        params: &Parameters,
        stair: &calibration::Staircase,
        fit: &calibration::Fitted,
        ccd: Option<f64>,
    ) -> Option<Band> {
        if calibration::role(&m.id) != Role::Prediction {
            return None;
        }
        calibration::bands::band_of(ccd, params, stair, Some(fit), |v, k| {
            let f = calibration::fitted_with(&self.reference, &self.runs, &self.currents, stair, v)?;
            let p = v.apply(lab::parameters(m, &f.calibration)?);
            let currents = calibration::runnable(&self.currents, p.limiting_current_density());
            let runs =
                currents.iter().map(|j| lab::run(&p, &self.runs, *j)).collect::<anyhow::Result<Vec<_>>>()?;
            let mut g = f.growth(m, self.retained);
            g.residue_yield *= k;
            let jf = calibration::growth::failure_current(&runs, &p, g, &v.staircase(*stair));
            Ok(jf.map(|j| (j / self.step).ceil() * self.step))
        })
    }
}

impl Step for DendriteCcd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut report = present::Report::new(self);
        let total = (self.materials.len() * self.currents.len()).max(1);
        let stair = self.staircase();
        let fit = calibration::fitted(&self.reference, &self.runs, &self.currents, &stair)
            .with_context(|| format!("calibration on '{}'", self.reference.id))?;
        for (i, m) in self.materials.iter().enumerate() {
            let ctx = || format!("material '{}'", m.id);
            let params = lab::parameters(m, &fit.calibration).with_context(ctx)?;
            let currents = calibration::runnable(&self.currents, params.limiting_current_density());
            let mut runs = Vec::new();
            for (k, j) in currents.iter().enumerate() {
                runs.push(lab::run(&params, &self.runs, *j).with_context(ctx)?);
                progress((i * self.currents.len() + k + 1) as f64 / total as f64);
            }
            let growth = fit.growth(m, self.retained);
            let (t, v, r) = virtual_lab::staircase(
                &runs,
                &params,
                growth,
                self.step,
                self.half_cycle,
                steps_to(self.step),
            )
            .with_context(ctx)?;
            let band = self.band(m, &params, &stair, &fit, r.ccd);
            out.metrics.push(present::ccd_metric(self, m, &params, &r, &fit).with_band(band.clone()));
            report.add(i, m, &params, &runs, &t, &v, &r, band.as_ref());
        }
        present::calibration_table(self, &fit, &mut out);
        report.finish(self, &fit, &mut out);
        Ok(out)
    }
}
