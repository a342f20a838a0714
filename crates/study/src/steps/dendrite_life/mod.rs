//! Step kind `dendrite-life`: symmetric-cell cycle life and cumulative capacity of each material
//! from the phase field's accumulation model (`spelab_sim::phase_field::accumulation::cycle_life`):
//! the reference-cell run at that current (shared with `dendrite-ccd` through its run cache) drives
//! a tip amplification that grows half-cycle by half-cycle with the residue of each half-cycle,
//! until the retained protrusions span the membrane or the tip reaches its Sand limit (null: no
//! failure within 100 000 h). Same calibration as `dendrite-ccd` (L_σ and β fitted on PVH-IM's CCD
//! with that step's default staircase and currents, the retained fraction on PVH-IM's 5550 h at
//! 0.2 mA/cm², PVH by the SEI carry-over); PVH-IM's life at that constraint is role `calibrated`, every
//! other life (PVH-IM's at other currents included) a `prediction` with an assumed-parameter band.

mod options;
mod present;

use anyhow::Context;
use spelab_core::metric::{Band, Role};
use spelab_sim::phase_field::Parameters;

use super::dendrite_calibration as calibration;
use super::dendrite_calibration::lab::{self, Runs};
use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;
use spelab_sim::phase_field::accumulation::cycle_life;

/// Longest cycling simulated: 100 000 h (null beyond) [s].
pub(crate) const HORIZON: f64 = 1e5 * 3600.0;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dendrite-life",
    title: "Symmetric-cell cycle life from phase-field dendrites (reduced model)",
    summary:
        "Cycle life and cumulative capacity at a few currents from the protrusion excess of phase-field runs",
    example: r#"[[step]]
kind = "dendrite-life"
materials = ["pvh", "pvh-im"]        # default: all
currents = ["0.2 mA/cm2", "0.5 mA/cm2"]
half_cycle = "1 h"
capacity = "0.1 mAh/cm2"             # charge deposited by each run
# optional: retained = "100 %" (upper limit of the excess surviving a strip; calibrated on PVH-IM's 5550 h)  spacing = "1 um"  width = "64 um"  seed = 1"#,
    parse,
};

/// Role of `m`'s life at `j` with half-cycles `half_cycle` [s]: `calibrated` only for the reference at
/// its life constraint (0.2 mA/cm², 1-h half-cycles, where the retained fraction is fitted); every
/// other life, the reference's included, is a prediction.
pub(crate) fn role(m: &str, j: f64, half_cycle: f64) -> Role {
    use calibration::growth::{CONSTRAINT_CURRENT, CONSTRAINT_HALF_CYCLE};
    let at_constraint = (j - CONSTRAINT_CURRENT).abs() <= 1e-9 * CONSTRAINT_CURRENT
        && (half_cycle - CONSTRAINT_HALF_CYCLE).abs() <= 1e-9 * CONSTRAINT_HALF_CYCLE;
    if calibration::role(m) == Role::Calibrated && at_constraint {
        Role::Calibrated
    } else {
        Role::Prediction
    }
}

/// The parsed step.
struct DendriteLife {
    materials: Vec<Material>,
    reference: Material,
    runs: Runs,
    currents: Vec<f64>,
    half_cycle: f64,
    retained: f64,
}

impl DendriteLife {
    /// The assumed-parameter band of `scale` × the predicted life at `j` (`calibration::bands`;
    /// scale 1: the life, J: the cumulative capacity); none for a calibrated life and a null life.
    fn band(
        &self,
        m: &Material,
        params: &Parameters,
        fit: &calibration::Fitted,
        j: f64,
        life: Option<f64>,
        scale: f64,
    ) -> Option<Band> {
        if role(&m.id, j, self.half_cycle) != Role::Prediction {
            return None;
        }
        let stair = calibration::default_staircase();
        calibration::bands::band_of(life.map(|t| t * scale), params, &stair, Some(fit), |v, k| {
            let f = calibration::fitted_with(&self.reference, &self.runs, &calibration::CURRENTS, &stair, v)?;
            let p = v.apply(lab::parameters(m, &f.calibration)?);
            let run = lab::run(&p, &self.runs, j)?;
            let mut g = f.growth(m, self.retained);
            g.residue_yield *= k;
            let drives = calibration::drives(std::slice::from_ref(&run));
            Ok(cycle_life(&drives, &p, g, j, self.half_cycle, HORIZON).map(|t| t * scale))
        })
    }
}

impl Step for DendriteLife {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut rows = Vec::new();
        let total = (self.materials.len() * self.currents.len()).max(1);
        for (i, m) in self.materials.iter().enumerate() {
            let ctx = || format!("material '{}'", m.id);
            let (params, fit) = calibration::material_parameters(
                m,
                &self.reference,
                &self.runs,
                &calibration::CURRENTS,
                &calibration::default_staircase(),
            )
            .with_context(ctx)?;
            for (k, j) in self.currents.iter().enumerate() {
                let run = lab::run(&params, &self.runs, *j).with_context(ctx)?;
                let drives = calibration::drives(std::slice::from_ref(&run));
                let growth = fit.growth(m, self.retained);
                let life = cycle_life(&drives, &params, growth, *j, self.half_cycle, HORIZON);
                let bands = [1.0, *j].map(|scale| self.band(m, &params, &fit, *j, life, scale));
                out.metrics.extend(present::metrics(self, m, &params, *j, life, &bands, &growth));
                rows.push((m.id.clone(), run, life, bands[0].clone()));
                progress((i * self.currents.len() + k + 1) as f64 / total as f64);
            }
        }
        present::finish(self, &rows, &mut out);
        Ok(out)
    }
}
