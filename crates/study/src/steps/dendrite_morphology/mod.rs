//! Step kind `dendrite-morphology`: Li deposit morphology of each material from the phase-field model
//! (`spelab_sim::phase_field`) at identical nuclei and seeds, at equal deposited charge and at the
//! paper's 150 s; every material takes the interface mobility fitted on PVH-IM's CCD
//! (`dendrite_calibration`, default staircase and currents, this step's grid and seed) and the
//! SEI of the carry-over rule of `spelab_sim::phase_field::failure` (PVH predicted from its evidence).
//! Laid out as `options` (parsing), `virtual_lab` (the runs) and `present` (metrics, table, notes).

mod options;
mod present;
pub mod virtual_lab;

use anyhow::Context;
use spelab_core::metric::Band;
use spelab_sim::phase_field::failure::DendriteRun;
use spelab_sim::phase_field::Parameters;

use super::dendrite_calibration::{self as calibration, lab::Runs, Variant};
use crate::band;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "dendrite-morphology",
    title: "Li dendrite morphology (phase field): equal charge and the paper's 150 s",
    summary: "Phase-field Li deposition on each material at identical nuclei and seeds: height ratio, roughness, tip concentration gradient, extrapolated short-circuit time",
    example: r#"[[step]]
kind = "dendrite-morphology"
materials = ["pvh", "pvh-im"]        # default: all
current = "1 mA/cm2"                 # plating current density
capacity = "0.1 mAh/cm2"             # equal deposited charge of the comparison
# optional: spacing = "1 um"  width = "64 um"  seed = 1  time = "150 s" (the paper's picture)"#,
    parse,
};

/// The parsed step.
struct DendriteMorphology {
    materials: Vec<Material>,
    reference: Material,
    run: virtual_lab::RunOptions,
    capacity: f64,
    time: f64,
}

impl DendriteMorphology {
    /// The assumed-parameter bands (`dendrite_calibration::bands`) of the four metrics of the runs
    /// `nominal` to `charges` [C/m²]: each end reruns both with the calibration redone under it.
    fn bands(
        &self,
        m: &Material,
        params: &Parameters,
        runs: &Runs,
        charges: [f64; 2],
        nominal: [&DendriteRun; 2],
    ) -> [[Option<Band>; 4]; 2] {
        let stair = calibration::default_staircase();
        let eval = |v: &Variant| -> anyhow::Result<[[f64; 4]; 2]> {
            let f = calibration::fitted_with(&self.reference, runs, &calibration::CURRENTS, &stair, v)?;
            let p = v.apply(calibration::lab::parameters(m, &f.calibration)?);
            let a = virtual_lab::run(&p, &self.run, charges[0])?;
            let b = virtual_lab::run(&p, &self.run, charges[1])?;
            Ok([present::values(&p, &a), present::values(&p, &b)])
        };
        let nan = [[f64::NAN; 4]; 2];
        let ends: Vec<_> = calibration::bands::ends(params, &stair)
            .into_iter()
            .map(|(a, nominal, lo, hi)| (a, nominal, eval(&lo).unwrap_or(nan), eval(&hi).unwrap_or(nan)))
            .collect();
        [0, 1].map(|r| {
            let value = present::values(params, nominal[r]);
            [0, 1, 2, 3].map(|i| {
                let evals: Vec<_> = ends.iter().map(|(a, n, lo, hi)| (*a, *n, lo[r][i], hi[r][i])).collect();
                band::one_at_a_time(value[i], &evals)
            })
        })
    }
}

impl Step for DendriteMorphology {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut rows = Vec::new();
        let n = self.materials.len();
        let runs = super::dendrite_calibration::lab::Runs {
            spacing: self.run.spacing,
            width: self.run.width,
            seed: self.run.seed,
            charge: 3600.0,
        };
        let fit = super::dendrite_calibration::fitted(
            &self.reference,
            &runs,
            &super::dendrite_calibration::CURRENTS,
            &super::dendrite_calibration::default_staircase(),
        )
        .with_context(|| format!("calibration on '{}'", self.reference.id))?;
        for (i, m) in self.materials.iter().enumerate() {
            let params = super::dendrite_calibration::lab::parameters(m, &fit.calibration)
                .with_context(|| format!("material '{}'", m.id))?;
            let at_charge = virtual_lab::run(&params, &self.run, self.capacity)
                .with_context(|| format!("material '{}': run to {} C/m2", m.id, self.capacity))?;
            let at_time = virtual_lab::run(&params, &self.run, self.run.current * self.time)
                .with_context(|| format!("material '{}': run to {} s", m.id, self.time))?;
            let charges = [self.capacity, self.run.current * self.time];
            let [b_charge, b_time] = self.bands(m, &params, &runs, charges, [&at_charge, &at_time]);
            present::metrics(m, &params, &self.run, &at_charge, "equal charge", b_charge, &mut out);
            present::metrics(m, &params, &self.run, &at_time, "paper time", b_time, &mut out);
            rows.push((m.id.clone(), params, at_charge, at_time));
            progress((i + 1) as f64 / n as f64);
        }
        present::table(&rows, &self.run, self.capacity, self.time, &mut out);
        present::notes(&self.run, self.time, &fit, &mut out);
        Ok(out)
    }
}
