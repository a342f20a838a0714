//! The virtual Li|SPE|SS sweep: one call into `spelab_sim::lab` per material. Its onset is an INPUT
//! (the paper's value), so the step is a round trip of the onset analysis.

use anyhow::Context;
use spelab_sim::lab::{self, LsvRecord, OxidationLsv, OxidationSweep};

use super::Lsv;
use crate::spec::Material;

/// One simulated sweep.
pub(super) struct Sweep {
    /// The phenomenological model the sweep came from.
    pub model: OxidationLsv,
    /// What the analysis errors and notes call it.
    pub label: String,
    /// Potential [V].
    pub e: Vec<f64>,
    /// Current density [A/m²].
    pub j: Vec<f64>,
}

impl Lsv {
    /// The seeded virtual sweep of `m` from `start` to `end` [V] at `rate` [V/s].
    pub(super) fn simulate(
        &self,
        m: &Material,
        start: f64,
        end: f64,
        rate: f64,
        seed: u64,
    ) -> anyhow::Result<Sweep> {
        let sweep = OxidationSweep { area: self.area, start, end, rate, ..OxidationSweep::default() };
        let LsvRecord { model, data: ts } = lab::oxidation_lsv(&m.preset, &sweep, seed)
            .with_context(|| format!("material '{}': virtual LSV", m.id))?;
        let j: Vec<f64> = ts.current().iter().map(|i| i / self.area).collect();
        let label = format!("virtual LSV of {} (onset input {:.2} V)", m.id, model.onset_potential);
        Ok(Sweep { model, label, e: ts.voltage().to_vec(), j })
    }
}

#[cfg(test)]
mod tests {
    use spelab_analysis::lsv::{oxidation_onset, LsvOptions};
    use spelab_sim::lab::{oxidation_sweep, Noise, OxidationLsv};

    /// Virtual LSV of each preset (3 to 5.5 V, 1 mV/s, 1 mV steps), noiseless and with typical seeded
    /// noise (50 µV, 10 nA), analysed with the default options (threshold 10 µA/cm² = j_on, derivative
    /// 1 A/m²/V): each definition lands on its closed form (sim::lab::lsv docs) and within its
    /// stated tolerance of the INPUT onset.
    #[test]
    fn the_onset_analysis_recovers_the_input_onset_of_the_virtual_lsv() {
        let noise = Noise::typical(7);
        for id in ["pvh", "pvh-im"] {
            for noisy in [false, true] {
                let model = OxidationLsv::from_preset(&spelab_sim::params::preset(id).unwrap()).unwrap();
                let ts = oxidation_sweep(&model, 3.0, 5.5, 1e-3, 1e-3, noisy.then_some(&noise)).unwrap();
                let j: Vec<f64> = ts.current().iter().map(|i| i / model.area).collect();
                let r = oxidation_onset(ts.voltage(), &j, &LsvOptions::default()).unwrap();
                let (e_on, b, j_on, j_l) = (
                    model.onset_potential,
                    model.tafel_slope,
                    model.onset_current_density,
                    model.limiting_current_density,
                );
                assert_eq!(e_on, if id == "pvh" { 4.10 } else { 4.90 }, "the paper's onset is the input");
                let case = format!("{id} (noise: {noisy})");
                // Threshold j_t = j_on: E_on + b log10(j_L/(j_L − j_on)) = E_on + 5.5 mV; 2 mV for
                // the 1 mV grid and the ohmic drop j_on·ASR (≤ 0.3 mV).
                let thr = r.threshold_onset.unwrap();
                let thr_exact = e_on + b * (j_l / (j_l - j_on)).log10();
                assert!((thr - thr_exact).abs() < 2e-3, "{case} threshold {thr} vs {thr_exact}");
                assert!((thr - e_on).abs() < 10e-3, "{case}: threshold within 10 mV of the input");
                // Derivative d_t: (ln10/b) j (1 − j/j_L) = d_t, then E from j_k = j j_L/(j_L − j).
                // 3 mV noiseless (grid, 5-point smoothing); 5 mV with noise (σ of the smoothed
                // derivative ≈ 3 % of the threshold ≈ 1.5 mV at a slope growing 19 %/mV).
                let q = 1.0 * b / std::f64::consts::LN_10;
                let jd = 0.5 * (j_l - (j_l * j_l - 4.0 * j_l * q).sqrt());
                let der_exact = e_on + b * (jd * j_l / (j_l - jd) / j_on).log10();
                let der = r.derivative_onset.unwrap();
                let tol = if noisy { 5e-3 } else { 3e-3 };
                assert!((der - der_exact).abs() < tol, "{case} derivative {der} vs {der_exact}");
                assert!((der - e_on).abs() < 40e-3, "{case}: derivative within 40 mV of the input");
                // Tangent at the steepest rise (j = j_L/2): E_on + b (log10(j_L/j_on) − 2/ln10) =
                // +16 mV. Noiseless: 4 mV (ohmic drop j_L/2·ASR ≤ 1.4 mV and the slope it lowers by
                // ≤ 1.3 %). With noise the steepest point is the maximum of a noisy derivative (50 µV
                // on 2 mV differences: ≈ 3.5 % noise), biased high by ~2σ, which moves the tangent's
                // foot up by ~2σ·(j/j') ≈ 7 mV: 15 mV.
                let tan_exact = e_on + b * ((j_l / j_on).log10() - 2.0 / std::f64::consts::LN_10);
                let tan = r.tangent_onset.unwrap();
                let tol = if noisy { 15e-3 } else { 4e-3 };
                assert!((tan - tan_exact).abs() < tol, "{case} tangent {tan} vs {tan_exact}");
                assert!((tan - e_on).abs() < 35e-3, "{case}: tangent within 35 mV of the input");
            }
        }
    }
}
