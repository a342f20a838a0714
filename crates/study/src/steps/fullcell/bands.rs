//! Assumed-parameter bands ([`crate::band`]) of the `full-cell` step's virtual-lab predictions: the
//! rate test of each material rerun with its membrane thickness, salt concentration c₀, D/D_NE and cathode loading at
//! each end of their stated ranges, one at a time (eight more rate tests per material, in parallel with
//! the nominal run), and each predicted value (the first block's mean capacity at each C-rate, the
//! mean CE) read from those runs exactly as from the nominal one.

use spelab_core::metric::Band;
use spelab_sim::fullcell::{SegmentEnd, SegmentKind};
use spelab_sim::params::MaterialParams;

use super::virtual_lab::{run_cell, run_full_cell, setup_cell, FullCellRun, FullCellSetup};
use crate::band::{evaluate_ends, full_cell_bands, full_cell_ends};

/// A C-rate [1/h] rounded to 4 decimals, as the blocks are labelled.
pub(super) fn round_rate(c: f64) -> f64 {
    (c * 1e4).round() / 1e4
}

/// The mean discharge capacity [C/kg] of the first block at each C-rate, in protocol order.
pub(super) fn first_blocks(run: &FullCellRun) -> Vec<(f64, f64)> {
    let mut seen: Vec<(f64, f64)> = Vec::new();
    for b in &run.metrics.rate_blocks {
        let c = round_rate(b.c_rate.unwrap_or(f64::NAN));
        if !seen.iter().any(|s| s.0 == c) {
            seen.push((c, b.mean));
        }
    }
    seen
}

/// The cycles whose CE counts: those with no half-cycle cut by salt depletion, nor right after one.
pub(super) struct CeCycles {
    /// CE of each counted cycle [1].
    pub kept: Vec<f64>,
    /// 1-based numbers of the cycles left out.
    pub excluded: Vec<u32>,
    /// Whether a half-cycle ended by depletion.
    pub depleted: bool,
}

impl CeCycles {
    /// The cycles of `run` (a cut half-cycle ends charge and discharge after different charges, so
    /// that cycle's CE, and the next one's, measure the stopping rule, not the cell).
    pub(super) fn of(run: &FullCellRun) -> CeCycles {
        let mut depleted: Vec<u32> = Vec::new();
        for s in &run.record.segments {
            if s.kind != SegmentKind::Rest && s.end == SegmentEnd::Depletion && !depleted.contains(&s.cycle) {
                depleted.push(s.cycle);
            }
        }
        let is_cut = |n: u32| depleted.contains(&n) || depleted.contains(&(n - 1));
        let cycles = &run.metrics.cycles;
        CeCycles {
            kept: cycles
                .iter()
                .filter(|c| !is_cut(c.index as u32 + 1))
                .filter_map(|c| c.coulombic_efficiency)
                .collect(),
            excluded: cycles.iter().map(|c| c.index as u32 + 1).filter(|&n| is_cut(n)).collect(),
            depleted: !depleted.is_empty(),
        }
    }

    /// Whether cycle `index` (0-based) is left out.
    pub(super) fn is_excluded(&self, index: usize) -> bool {
        self.excluded.contains(&(index as u32 + 1))
    }

    /// Mean CE of the counted cycles [1], NaN when none counts.
    pub(super) fn mean(&self) -> f64 {
        if self.kept.is_empty() {
            f64::NAN
        } else {
            self.kept.iter().sum::<f64>() / self.kept.len() as f64
        }
    }
}

/// The predictions of one run: first-block capacities (C-rate, C/kg) and the mean CE.
struct Predicted {
    capacities: Vec<(f64, f64)>,
    ce: f64,
}

impl Predicted {
    fn of(run: &FullCellRun) -> Predicted {
        Predicted { capacities: first_blocks(run), ce: CeCycles::of(run).mean() }
    }

    /// The values at the nominal run's C-rates `rates`, then the CE (NaN where missing).
    fn values(&self, rates: &[f64]) -> Vec<f64> {
        let at = |c: f64| self.capacities.iter().find(|p| p.0 == c).map_or(f64::NAN, |p| p.1);
        rates.iter().map(|&c| at(c)).chain([self.ce]).collect()
    }
}

/// A material's nominal run and the bands of its predictions.
pub(super) struct BandedRun {
    /// The nominal run.
    pub run: FullCellRun,
    /// The band of the first block's capacity at each C-rate.
    pub capacity: Vec<(f64, Option<Band>)>,
    /// The band of the mean CE.
    pub ce: Option<Band>,
}

impl BandedRun {
    /// The band of the capacity at C-rate `c`.
    pub(super) fn capacity_band(&self, c: f64) -> Option<Band> {
        self.capacity.iter().find(|b| b.0 == c).and_then(|b| b.1.clone())
    }
}

/// The nominal rate test of `material` and, in parallel, its eight end runs; the bands.
pub(super) fn banded_run(material: &MaterialParams, setup: &FullCellSetup) -> anyhow::Result<BandedRun> {
    let rebuild = |c0: f64| setup_cell(material, setup, c0);
    let nominal_cell = rebuild(setup.salt)?;
    let ends = full_cell_ends(&nominal_cell, setup.salt, &rebuild)?;
    let (run, at_ends) = rayon::join(
        || run_full_cell(material, setup),
        || evaluate_ends(&ends, |cell| run_cell(cell.clone(), setup).ok().map(|r| Predicted::of(&r))),
    );
    let run = run?;
    let nominal = Predicted::of(&run);
    let rates: Vec<f64> = nominal.capacities.iter().map(|p| p.0).collect();
    let values = |p: &Option<Predicted>| {
        p.as_ref().map_or_else(|| vec![f64::NAN; rates.len() + 1], |p| p.values(&rates))
    };
    let at_ends: Vec<(Vec<f64>, Vec<f64>)> =
        at_ends.iter().map(|(lo, hi)| (values(lo), values(hi))).collect();
    let mut bands = full_cell_bands(&nominal.values(&rates), &ends, &at_ends);
    let ce = bands.pop().flatten();
    Ok(BandedRun { capacity: rates.into_iter().zip(bands).collect(), ce, run })
}
