//! Assumed-parameter bands ([`crate::band`]) of the `full-cell-ageing` predictions. At each end of
//! the membrane thickness, the salt concentration c₀, D/D_NE and the cathode loading (one at a time, every material's cell
//! changed alike), the reported law's rate is re-fitted on the same calibration point with the fitted
//! material's changed cell, so that the band shows what the assumed parameter does to the predictions
//! once the calibration has absorbed what it can; then every prediction is recomputed. The cell's
//! knobs (utilisation, D_s, Bruggeman) are held at their given values: re-fitting them at each end
//! would take a rate-capability calibration per end (about 10 s each), as in `full-cell-calibrate`,
//! whose bands hold them too. Six more fits and their predictions, in parallel.

use anyhow::Context;
use rayon::prelude::*;
use spelab_core::metric::{Band, MetricId};
use spelab_core::units::Quantity;
use spelab_sim::fullcell::ageing::{calibrate, predict};
use spelab_sim::fullcell::FullCell;

use super::compute::{calibrated_cell, Outcome, Request};
use crate::band::{full_cell_bands, full_cell_ends, CellEnds};
use crate::steps::fullcell_calibrate::compute::START_STOICHIOMETRY;

/// Each predicted value of `o` (SI) with the cells of an end: the calibration re-done on `fitted`,
/// the targets recomputed on `cells` (per material id). NaN for a calibrated target or a failure.
fn values_at_end(o: &Outcome, fitted: &FullCell, cells: &[(&str, &FullCell)]) -> Vec<f64> {
    let nan = vec![f64::NAN; o.targets.len()];
    let p = o.point;
    let Ok(fit) = calibrate(fitted, START_STOICHIOMETRY, p.c_rate, p.cycles, o.law, p.retention) else {
        return nan;
    };
    o.targets
        .par_iter()
        .map(|(m, t, role)| {
            let cell = cells.iter().find(|c| c.0 == m).map(|c| c.1);
            let (Some(cell), "prediction") = (cell, *role) else { return f64::NAN };
            let Ok(curve) = predict(cell, START_STOICHIOMETRY, t.c_rate, t.cycles, &fit.laws) else {
                return f64::NAN;
            };
            curve.points.get(t.cycles as usize - 1).map_or(f64::NAN, |q| match t.metric {
                MetricId::CapacityRetention => q.retention,
                _ => Quantity::SpecificCapacity.from_display(q.capacity_mah_g),
            })
        })
        .collect()
}

/// The band of each of `o.targets` (`None` for the calibrated ones and where no value exists).
pub fn bands(req: &Request<'_>, o: &Outcome) -> anyhow::Result<Vec<Option<Band>>> {
    // Every material's cell (the given knobs) and its ends; the fitted material first.
    let materials = std::iter::once(req.material).chain(req.predict.iter().copied());
    let ends: Vec<(&str, Vec<CellEnds>)> = materials
        .map(|(id, preset)| {
            let rebuild = |c0: f64| Ok(calibrated_cell(preset, c0, &o.knobs)?.0);
            let cell = rebuild(req.salt)?;
            Ok((id, full_cell_ends(&cell, req.salt, &rebuild)?))
        })
        .collect::<anyhow::Result<_>>()
        .context("the cells at the ends of the assumed ranges")?;
    let parameters = ends[0].1.len();
    let jobs: Vec<(usize, bool)> = (0..parameters).flat_map(|k| [(k, false), (k, true)]).collect();
    let at: Vec<Vec<f64>> = jobs
        .par_iter()
        .map(|&(k, high)| {
            let cells: Vec<(&str, &FullCell)> =
                ends.iter().map(|(id, e)| (*id, if high { &e[k].high } else { &e[k].low })).collect();
            values_at_end(o, cells[0].1, &cells)
        })
        .collect();
    let at_ends: Vec<(Vec<f64>, Vec<f64>)> = at.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
    let nominal: Vec<f64> = o
        .targets
        .iter()
        .map(|(m, t, role)| match *role {
            "prediction" => o.value(m, o.law, t).unwrap_or(f64::NAN),
            _ => f64::NAN,
        })
        .collect();
    // The parameters' nominal values of each target's own material.
    Ok(o.targets
        .iter()
        .enumerate()
        .map(|(i, (m, _, _))| {
            let own = ends.iter().find(|e| e.0 == m).map_or(&ends[0].1, |e| &e.1);
            let one: Vec<(Vec<f64>, Vec<f64>)> =
                at_ends.iter().map(|(lo, hi)| (vec![lo[i]], vec![hi[i]])).collect();
            full_cell_bands(&nominal[i..=i], own, &one).pop().flatten()
        })
        .collect())
}
