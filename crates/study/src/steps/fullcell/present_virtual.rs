//! The `full-cell` step's presentation of the virtual lab (no `file`): for each material, the LFP | SPE | Li cell of
//! `spelab_sim::fullcell` (the preset's σ(T), t₊, Li j0 and membrane; cellmodel.md's reference LFP
//! cathode) is cycled by the virtual cycler over the rate-capability protocol (charge first from the
//! assembled, discharged cell; CC 2.5-4.0 V; `cycles` cycles per C-rate), the record goes through the
//! same `spelab_analysis::fullcell` analysis as a measured file, and the step reports per-C-rate
//! discharge capacity (mean ± SD over the block) beside the paper's, recovery on return, mean voltages,
//! polarization and CE, with the rate plot and V-Q overlays.

use spelab_analysis::fullcell::dq_dv;
use spelab_core::constants::T_REF;
use spelab_core::measurement::{Direction, HalfCycle};
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::fullcell::{segment_end_name, ASSEMBLED_STOICHIOMETRY};

use super::bands::{round_rate, BandedRun, CeCycles};
use super::present::half_cycle_profile;
use super::virtual_lab::FullCellRun;
use super::{mah_g, VirtualFullCell};
use crate::compare::band_text;
use crate::spec::Material;
use crate::steps::display::mv;
use crate::steps::StepOutput;

/// The figures that gather every material's series.
pub(super) struct VirtualFigures {
    rate_fig: Figure,
    dq_fig: Figure,
    ce_fig: Figure,
}

impl VirtualFigures {
    /// Empty rate, dQ/dV and CE figures.
    pub(super) fn new() -> Self {
        let rate_fig = Figure::new(
            "rate-virtual",
            "Simulated rate capability and Coulombic efficiency vs the paper",
            Axis::linear("cycle"),
            Axis::linear("q_dis [mAh/g]"),
        )
        .with_y2(Axis::linear("CE [%]"));
        let dq_fig = Figure::new(
            "dqdv-virtual",
            "dQ/dV of the last discharge of the first block (simulated)",
            Axis::linear("V [V]"),
            Axis::linear("dQ/dV [mAh/(g V)]"),
        );
        let ce_fig = Figure::new(
            "ce-virtual",
            "Coulombic efficiency vs cycle (simulated)",
            Axis::linear("cycle"),
            Axis::linear("CE [%]"),
        );
        VirtualFigures { rate_fig, dq_fig, ce_fig }
    }
}

/// Mean of the present values.
fn mean(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = xs.flatten().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Capacity [mAh/g] and voltage [V] of half-cycle `h`, without its first point: that sample sits at
/// the join with the previous step (the voltage before the current switched) and would draw a
/// vertical line at q = 0.
fn profile(run: &FullCellRun, h: &HalfCycle) -> (Vec<f64>, Vec<f64>) {
    half_cycle_profile(&run.data, h, run.record.active_mass)
}

impl VirtualFullCell {
    /// The block table's header, before its rows.
    fn block_table(&self, m: &Material, run: &FullCellRun) -> Table {
        let model = self.setup.model;
        let r = &run.metrics;
        Table {
            title: format!(
                "LFP | {} | Li, simulated ({} model) vs the paper: discharge capacity per C-rate block{}{}",
                m.preset.name,
                model.name(),
                r.recovery
                    .map(|x| format!("; recovery on return {:.2} %", Quantity::Fraction.to_display(x)))
                    .unwrap_or_default(),
                r.cycles.last().and_then(|c| c.retention).map_or(String::new(), |x| format!(
                    "; last cycle {:.2} % of cycle {}",
                    Quantity::Fraction.to_display(x),
                    self.setup.reference_cycle + 1
                ))
            ),
            columns: [
                "cycles",
                "C-rate",
                "q_dis [mAh/g] mean ± SD (n)",
                "paper [mAh/g]",
                "sim / paper",
                "V̄_ch [V]",
                "V̄_dis [V]",
                "ΔV [mV]",
                "CE [%]",
                "discharge ends at",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        }
    }

    /// Table rows, metrics and V-Q/dQ/dV series of material `m` (the `i`-th) from its run and the
    /// assumed-parameter bands of its predictions.
    pub(super) fn present_material(
        &self,
        i: usize,
        m: &Material,
        banded: &BandedRun,
        figures: &mut VirtualFigures,
        out: &mut StepOutput,
    ) {
        let run = &banded.run;
        let VirtualFigures { rate_fig, dq_fig, ce_fig } = figures;
        let model = self.setup.model;
        let r = &run.metrics;
        let caps = run.record.cycle_capacities();
        let temperature = run.cell.temperature;
        let mut seen: Vec<f64> = Vec::new();
        let mut table = self.block_table(m, run);
        let (mut px, mut py) = (Vec::new(), Vec::new());
        let mut vq = Figure::new(
            format!("vq-virtual-{}", m.id),
            format!("LFP | {} | Li: charge and discharge at each C-rate (simulated)", m.preset.name),
            Axis::linear("q [mAh/g]"),
            Axis::linear("V [V]"),
        );
        for b in &r.rate_blocks {
            let c = round_rate(b.c_rate.unwrap_or(f64::NAN));
            let cycles = &r.cycles[b.cycles.0..=b.cycles.1];
            let mut conditions = Conditions::new();
            conditions.insert("temperature_K".into(), T_REF);
            conditions.insert("c_rate".into(), c);
            let paper = m.preset.paper_value(MetricId::SpecificCapacity, &conditions).map(|p| p.si_value);
            let first = !seen.contains(&c);
            let ce = mean(cycles.iter().map(|c| c.coulombic_efficiency));
            let (vch, vdis) = (
                mean(cycles.iter().map(|c| c.mean_charge_voltage)),
                mean(cycles.iter().map(|c| c.mean_discharge_voltage)),
            );
            let f = |x: Option<f64>, k: f64, d: usize| x.map_or("—".into(), |x| format!("{:.*}", d, x * k));
            let sd = if b.sd.is_finite() { b.sd } else { 0.0 };
            let band = if first { banded.capacity_band(c) } else { None };
            table.rows.push(vec![
                format!("{}–{}", b.cycles.0 + 1, b.cycles.1 + 1),
                format!("{c}C"),
                format!(
                    "{} ({}){}",
                    spelab_core::units::format_with_uncertainty(mah_g(b.mean), mah_g(sd)),
                    b.n,
                    band.as_ref().map_or(String::new(), |b| format!(
                        "; band {}",
                        band_text(MetricId::SpecificCapacity, b.low, b.high)
                    ))
                ),
                f(paper.map(|p| Quantity::SpecificCapacity.to_display(p)), 1.0, 1),
                f(paper.map(|p| b.mean / p), 1.0, 3),
                f(vch, 1.0, 4),
                f(vdis, 1.0, 4),
                f(vch.zip(vdis).map(|(a, b)| mv(a - b)), 1.0, 1),
                f(ce, 100.0, 3),
                caps.get(b.cycles.1).map_or("—", |c| segment_end_name(c.discharge_end)).replace('_', " "),
            ]);
            let centre = 0.5 * (b.cycles.0 + b.cycles.1) as f64 + 1.0;
            if let Some(p) = paper {
                px.push(centre);
                py.push(mah_g(p));
            }
            if !first {
                continue;
            }
            seen.push(c);
            let mut metric = Metric::new(MetricId::SpecificCapacity, b.mean, SOURCE_SIMULATION)
                .with_material(m.id.clone())
                .with_method(format!(
                    "virtual LFP|SPE|Li cell ({} model, reference LFP cathode, {:.2} mg/cm²): mean ± SD of \
                     q_dis over the {c}C block (cycles {}–{}) of the rate test, analysed as a measured file",
                    model.name(),
                    run.cell.active_mass_per_area() * 1e2,
                    b.cycles.0 + 1,
                    b.cycles.1 + 1
                ))
                .with_condition("temperature_K", temperature)
                .with_condition("c_rate", c)
                .with_option("model", model.name())
                .with_band(band);
            // A model without noise or ageing repeats itself to rounding: no SD below 1e-6 relative.
            if sd > 1e-6 * b.mean {
                metric = metric.with_uncertainty(sd);
            }
            out.metrics.push(metric);
            // V-Q of the block's last charge and discharge.
            let halves = &run.data.cycles()[b.cycles.1].half_cycles;
            if let Some(h) = halves.iter().rev().find(|h| h.direction == Direction::Charge) {
                let (q, v) = profile(run, h);
                vq = vq.with_series(
                    Series::line(format!("{c}C charge"), q, v).with_color(seen.len() - 1).without_legend(),
                );
            }
            if let Some(h) = halves.iter().rev().find(|h| h.direction == Direction::Discharge) {
                vq = self.block_profile(i, m, run, h, c, seen.len(), vq, dq_fig);
            }
        }
        let ce_cycles = CeCycles::of(run);
        let is_cut = |index: usize| ce_cycles.is_excluded(index);
        let ces = &ce_cycles.kept;
        let excluded_cycles: Vec<String> = ce_cycles.excluded.iter().map(u32::to_string).collect();
        let excluded = if excluded_cycles.is_empty() {
            String::new()
        } else {
            format!(
                "; {} cycle(s) excluded (cycles {}): cut by salt depletion or right after such a cycle. A half-cycle \
                 stopped by depletion ends charge and discharge after different charges, so that cycle's CE, and the \
                 next one's (it starts from the state the cut left), measure the stopping rule, not the cell",
                excluded_cycles.len(),
                excluded_cycles.join(", ")
            )
        };
        if ces.is_empty() && ce_cycles.depleted {
            out.notes.push(format!(
                "{}: no Coulombic efficiency reported: every simulated cycle has a half-cycle cut by salt depletion (or \
                 follows one), where Q_dis/Q_ch measures the stopping rule, not the cell.",
                m.id
            ));
        }
        if !ces.is_empty() {
            let (mean, sd) = spelab_analysis::fit::mean_sd(ces);
            let mut metric = Metric::new(MetricId::CoulombicEfficiency, mean, SOURCE_SIMULATION)
                .with_material(m.id.clone())
                .with_method(format!(
                    "mean of Q_dis/Q_ch over {} simulated cycles ({} model; no side reactions: deviations from 100 % are \
                     shifts of the stoichiometry window, see the step notes){excluded}",
                    ces.len(),
                    model.name()
                ))
                .with_condition("temperature_K", temperature)
                .with_option("model", model.name())
                .with_band(banded.ce.clone());
            if sd.is_finite() && sd > 0.0 {
                metric = metric.with_uncertainty(sd);
            }
            out.metrics.push(metric);
        }
        let ce_points = |cut: bool| -> (Vec<f64>, Vec<f64>) {
            r.cycles
                .iter()
                .filter(|c| is_cut(c.index) == cut)
                .filter_map(|c| {
                    c.coulombic_efficiency.map(|x| ((c.index + 1) as f64, Quantity::Fraction.to_display(x)))
                })
                .unzip()
        };
        let (kept_x, kept_y) = ce_points(false);
        let (cut_x, cut_y) = ce_points(true);
        ce_fig
            .series
            .push(Series::line_markers(m.preset.name.clone(), kept_x.clone(), kept_y.clone()).with_color(i));
        if !cut_x.is_empty() {
            ce_fig.series.push(
                Series::rings(
                    format!("{} (depletion-cut or after one: excluded)", m.preset.name),
                    cut_x,
                    cut_y,
                )
                .with_color(i),
            );
        }
        rate_fig.series.push(
            Series::rings(format!("{} CE (right axis)", m.preset.name), kept_x, kept_y)
                .with_color(i)
                .on_secondary(),
        );
        rate_fig.series.push(
            Series::line_markers(
                format!("{} (simulated)", m.preset.name),
                r.cycles.iter().map(|c| (c.index + 1) as f64).collect::<Vec<_>>(),
                r.cycles.iter().map(|c| mah_g(c.discharge_capacity)).collect::<Vec<_>>(),
            )
            .with_color(i),
        );
        if !px.is_empty() {
            rate_fig.series.push(Series::markers(format!("{} (paper)", m.preset.name), px, py).with_color(i));
        }
        out.tables.push(table);
        out.figures.push(vq.with_caption(
            "Voltage vs capacity of the last charge (rising) and discharge (falling) of each C-rate (first block at \
             that rate, one colour per rate), from the simulated record as the analysis sees it; each curve starts \
             after the step change, so no vertical line joins it to the previous step.",
        ));
    }

    /// The V-Q series of a block's last discharge `h` at C-rate `c` (the `seen`-th rate), and for the
    /// first rate its dQ/dV series.
    #[allow(clippy::too_many_arguments)]
    fn block_profile(
        &self,
        i: usize,
        m: &Material,
        run: &FullCellRun,
        h: &HalfCycle,
        c: f64,
        seen: usize,
        vq: Figure,
        dq_fig: &mut Figure,
    ) -> Figure {
        let data = &run.data;
        let (q, v) = profile(run, h);
        let mass = run.record.active_mass;
        let vq = vq.with_series(Series::line(format!("{c}C"), q, v).with_color(seen - 1));
        if seen == 1 {
            if let Ok((x, y)) = dq_dv(data, h.index, self.dqdv_step, 5) {
                dq_fig.series.push(
                    Series::line(
                        format!("{} {c}C", m.preset.name),
                        x,
                        y.iter().map(|y| mah_g(y / mass)).collect::<Vec<_>>(),
                    )
                    .with_color(i),
                );
            }
        }
        vq
    }

    /// The gathered figures and the notes on the model, protocol and cell.
    pub(super) fn finish(&self, figures: VirtualFigures, out: &mut StepOutput) {
        let VirtualFigures { rate_fig, dq_fig, ce_fig } = figures;
        let model = self.setup.model;
        out.figures.insert(
            0,
            rate_fig.with_caption(
                "Discharge capacity of every simulated cycle (lines, left axis), the paper's rate-test values at the \
                 centre of each block with that C-rate (markers, left axis), and the Coulombic efficiency of every \
                 cycle not cut by salt depletion nor right after such a cycle (rings, right axis).",
            ),
        );
        out.figures.push(ce_fig.with_caption(
            "CE = Q_dis/Q_ch of each simulated cycle (charge first); rings: cycles with a half-cycle cut by salt \
             depletion and the cycle after each, left out of the CE metric. No side reactions: 100 % except where the \
             stoichiometry window shifts (the first cycle from the assembled cell, the first cycle at a new rate, \
             and blocks whose half-cycles end by salt depletion, where charge and discharge stop after different \
             charges so the state of charge drifts from cycle to cycle).",
        ));
        out.figures.push(dq_fig.with_caption(format!(
            "dQ/dV from Q(V) on a {:.1} mV grid, 5-bin moving average.",
            mv(self.dqdv_step)
        )));
        out.notes.push(format!(
            "Model: {} — {}. Protocol: {} cycles per C-rate at {:?} C (1C = 169.9 mA/g of LFP), each cycle a CC \
             charge to 4.0 V then a CC discharge to 2.5 V, no CV step{}; the cell starts assembled, i.e. \
             discharged (LiFePO4 is made fully lithiated: x = {ASSEMBLED_STOICHIOMETRY}), so every cycle starts \
             with the charge. A half-cycle that ends by electrolyte depletion (possible with the DFN at high \
             rate) is treated as a cut-off: the real cell's voltage collapses right after.",
            model.name(),
            model.description(),
            self.setup.protocol.blocks.first().map_or(0, |b| b.cycles),
            self.setup.protocol.blocks.iter().map(|b| b.c_rate).collect::<Vec<_>>(),
            if self.setup.protocol.rest_s > 0.0 {
                format!(", {} s rest after each half-cycle", self.setup.protocol.rest_s)
            } else {
                String::new()
            }
        ));
        out.notes.push(crate::band::full_cell_note(
            "the capacities and the CE",
            "eight more rate tests per material, read as the nominal one",
        ));
        out.notes.push(
            "Cell: the preset's electrolyte (σ(T), t₊, Li|SPE exchange current density, membrane thickness; \
             1 M salt and D by Nernst-Einstein, assumptions) with cellmodel.md's reference LFP cathode (PyBaMM's \
             Prada2013: 80 µm, 10.76 mg/cm², 50 nm particles, pores filled by the polymer). The paper gives no \
             cathode loading, so this cathode is an assumption and the capacities compare a model cathode with \
             the paper's real one."
                .into(),
        );
        out.notes.push(
            "What the model predicts: the rate dependence of the capacity and the polarization from the \
             electrolyte, the Li|SPE kinetics and the cathode. What it cannot: ageing (no SEI growth, Li loss or \
             contact loss), so capacity is constant within a block and the paper's retention over 130-280 cycles \
             is not predicted; side reactions, so the CE is 100 % except where the stoichiometry window shifts: in \
             the first cycle, the first cycle after a rate change, and in blocks whose half-cycles end by salt \
             depletion (the salt runs out at the Li side on charge and at the cathode's back on discharge, after \
             different charges, so the state of charge drifts from cycle to cycle and Q_dis/Q_ch ≠ 1 with no Li \
             lost); and the incomplete utilisation and \
             interface resistances behind the paper's 0.1C capacities (141.7 / 103.4 mAh/g vs ~169 theoretical; \
             cellmodel.md §3): the sim / paper ratios measure that gap."
                .into(),
        );
    }
}
