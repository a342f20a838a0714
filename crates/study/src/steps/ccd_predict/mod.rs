//! Step kind `ccd-predict`: critical current density of each material predicted from its transport
//! parameters by the three criteria of cellmodel.md §1, beside the paper's measured CCD.
//!
//! - J_lim = 2FDc₀/((1 − t₊)L): above it no steady state exists;
//! - J_Sand(t_h) = c₀F√(πD/t_h)/(2(1 − t₊)): the salt at the plating face runs out within one
//!   half-cycle of a semi-infinite cell;
//! - the simulated staircase (Li|SPE|Li model, `spelab_sim::symmetric`): ±k·ΔJ for t_h each, history
//!   carried over, failing at the first depletion or voltage-limit hit. The recorded V(t) (the virtual
//!   cycler logs the reading that trips its limit: the voltage limit, or its ±10 V compliance at a
//!   depletion) is analysed by `spelab_analysis::ccd` exactly as a measured file: per-step ASR,
//!   failure detection and mode, CCD and last stable current. The analysis's CCD is the metric; it is
//!   checked against the model's own stop step (a note says so if they ever differ).
//!
//! J_lim and the staircase are transport-only upper bounds (no dendrite mechanics, current focusing or
//! interphase growth, which can only fail a real cell earlier). J_Sand is not a bound where it lies
//! below J_lim (as for both presets): it is a conservative estimate of the transport failure current
//! for one half-cycle, since the finite cell's stripping electrode feeds salt back. Each of the three
//! carries an assumed-parameter band ([`crate::band`]: thickness, c₀, D/D_NE, t_h); the note states
//! the √(c₀/t_h) scaling of J_Sand. The report states the ratio to the paper's value and does not tune
//! anything to it.
//!
//! Laid out as `options` (parsing), `virtual_lab` (the simulated staircase and its CCD analysis) and
//! `present` (metrics, table, figures, notes).

mod options;
mod present;
mod virtual_lab;

use anyhow::Context;
use rayon::prelude::*;
use spelab_core::metric::Band;
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::lab::{self, CellSpec};
use spelab_sim::params::MaterialParams;

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::band;
use crate::spec::Material;
use options::parse;
use present::{Prediction, Report};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "ccd-predict",
    title: "Critical current density predicted from transport (J_lim, Sand, staircase)",
    summary: "CCD of Li|SPE|Li cells by three transport criteria, simulated from the materials' σ, t+, i0",
    example: r#"[[step]]
kind = "ccd-predict"
materials = ["pvh", "pvh-im"]        # default: all
step = "0.05 mA/cm2"                 # staircase increment ΔJ
half_cycle = "30 min"                # t_h of each +J / −J half-cycle
voltage_limit = "5 V"                # optional second failure criterion
salt = "1 mol/L"                     # salt concentration (not in the presets)"#,
    parse,
};

/// A parsed `ccd-predict` step: ΔJ [A/m²], t_h [s], voltage limit [V], salt [mol/m³].
struct Ccd {
    materials: Vec<Material>,
    step: f64,
    half_cycle: f64,
    voltage_limit: Option<f64>,
    salt: f64,
    steps: u32,
}

impl Ccd {
    /// The three predictions for material `m`: J_lim, J_Sand(t_h) and the analysed staircase.
    fn predict(&self, m: &Material) -> anyhow::Result<Prediction> {
        let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
        let (record, analysis) = virtual_lab::staircase(
            &params,
            self.salt,
            self.step,
            self.half_cycle,
            self.steps,
            self.voltage_limit,
        )
        .with_context(|| format!("material '{}': staircase", m.id))?;
        let c = ConstantCell::of(&record.cell);
        let limiting = analytic::limiting_current_density(&c);
        let sand = analytic::sand_current_density(&c, self.half_cycle);
        let (limiting_band, sand_band) = self.bands(&params, &c, limiting, sand);
        let staircase_band = analysis.ccd.and_then(|ccd| self.staircase_band(&params, ccd));
        Ok(Prediction { limiting, sand, limiting_band, sand_band, staircase_band, record, analysis })
    }

    /// The staircase CCD's band over thickness, c₀ and t_h (five more staircase runs; an end that
    /// does not fail within the step count is left out). D itself is not varied: the lab builds the
    /// cell's D from σ, t₊ and c₀ by Nernst-Einstein.
    fn staircase_band(&self, params: &MaterialParams, ccd: f64) -> Option<Band> {
        let run = |p: &MaterialParams, salt: f64, half_cycle: f64| {
            virtual_lab::staircase(p, salt, self.step, half_cycle, self.steps, self.voltage_limit)
                .ok()
                .and_then(|(_, r)| r.ccd)
                .unwrap_or(f64::NAN)
        };
        let (um, molar, hour) = (1e-6, 1000.0, 3600.0);
        let thick = |l: f64| (MaterialParams { thickness: l, ..*params }, self.salt, self.half_cycle);
        // The five ends (t_h = its nominal needs no run), run in parallel.
        let configs = [
            thick(band::THICKNESS.low * um),
            thick(band::THICKNESS.high * um),
            (*params, band::SALT.low * molar, self.half_cycle),
            (*params, band::SALT.high * molar, self.half_cycle),
            (*params, self.salt, band::HALF_CYCLE.low * hour),
            (*params, self.salt, band::HALF_CYCLE.high * hour),
        ];
        let ends: Vec<f64> = configs
            .par_iter()
            .map(|(p, salt, t)| {
                if (t - self.half_cycle).abs() < 1e-9 * t && p == params && *salt == self.salt {
                    ccd
                } else {
                    run(p, *salt, *t)
                }
            })
            .collect();
        let evals = [
            (band::THICKNESS, params.thickness / um, ends[0], ends[1]),
            (band::SALT, self.salt / molar, ends[2], ends[3]),
            (band::HALF_CYCLE, self.half_cycle / hour, ends[4], ends[5]),
        ];
        band::one_at_a_time(ccd, &evals)
    }

    /// The assumed-parameter bands of J_lim and J_Sand ([`crate::band`]): thickness, c₀ (D follows
    /// by Nernst-Einstein), D itself and t_h, one at a time at the ends of their stated ranges.
    fn bands(
        &self,
        params: &MaterialParams,
        nominal: &ConstantCell,
        limiting: f64,
        sand: f64,
    ) -> (Option<Band>, Option<Band>) {
        // The constant-property cell at another thickness [m] or salt concentration [mol/m³].
        let cell = |thickness: f64, salt: f64| {
            let spec = CellSpec {
                salt_concentration: Some(salt),
                thickness: Some(thickness),
                ..CellSpec::default()
            };
            lab::symmetric_cell(params, &spec).map(|c| ConstantCell::of(&c)).ok()
        };
        let scaled_d = |f: f64| ConstantCell { diffusivity: f * nominal.diffusivity, ..*nominal };
        let (um, molar, hour) = (1e-6, 1000.0, 3600.0);
        // (parameter, nominal [its unit], cell at low, cell at high, t_h at low, t_h at high)
        let variants = [
            (
                band::THICKNESS,
                params.thickness / um,
                cell(band::THICKNESS.low * um, self.salt),
                cell(band::THICKNESS.high * um, self.salt),
            ),
            (
                band::SALT,
                self.salt / molar,
                cell(params.thickness, band::SALT.low * molar),
                cell(params.thickness, band::SALT.high * molar),
            ),
            (
                band::DIFFUSIVITY_FACTOR,
                1.0,
                Some(scaled_d(band::DIFFUSIVITY_FACTOR.low)),
                Some(scaled_d(band::DIFFUSIVITY_FACTOR.high)),
            ),
        ];
        let value =
            |c: &Option<ConstantCell>, f: &dyn Fn(&ConstantCell) -> f64| c.as_ref().map_or(f64::NAN, f);
        let lim = |c: &ConstantCell| analytic::limiting_current_density(c);
        let sand_at = |t: f64| move |c: &ConstantCell| analytic::sand_current_density(c, t);
        let th = self.half_cycle;
        let mut lim_evals: Vec<_> =
            variants.iter().map(|(a, n, lo, hi)| (*a, *n, value(lo, &lim), value(hi, &lim))).collect();
        let mut sand_evals: Vec<_> = variants
            .iter()
            .map(|(a, n, lo, hi)| (*a, *n, value(lo, &sand_at(th)), value(hi, &sand_at(th))))
            .collect();
        let (t_lo, t_hi) = (band::HALF_CYCLE.low * hour, band::HALF_CYCLE.high * hour);
        lim_evals.push((band::HALF_CYCLE, th / hour, limiting, limiting));
        sand_evals.push((
            band::HALF_CYCLE,
            th / hour,
            analytic::sand_current_density(nominal, t_lo),
            analytic::sand_current_density(nominal, t_hi),
        ));
        (band::one_at_a_time(limiting, &lim_evals), band::one_at_a_time(sand, &sand_evals))
    }
}

impl Step for Ccd {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let mut report = Report::new(self);
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let p = self.predict(m)?;
            out.metrics.extend(report.metrics(self, m, &p));
            if p.analysis.ccd != p.record.run.critical_current_density {
                out.notes.push(present::disagreement_note(m, &p));
            }
            report.add(i, m, &p);
            progress((i + 1) as f64 / n as f64);
        }
        report.finish(&mut out);
        Ok(out)
    }
}
