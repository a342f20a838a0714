//! The `full-cell` step's virtual lab (no `file`): for each material, the LFP | SPE | Li cell of
//! `spelab_sim::fullcell` (the preset's σ(T), t₊, Li j0 and membrane; cellmodel.md's reference LFP
//! cathode) is cycled by the virtual cycler over the rate-capability protocol (charge first from the
//! assembled, discharged cell; CC 2.5-4.0 V; `cycles` cycles per C-rate), the record goes through the
//! same `spelab_analysis::fullcell` analysis as a measured file, and the step reports per-C-rate
//! discharge capacity (mean ± SD over the block) beside the paper's, recovery on return, mean voltages,
//! polarization and CE, with the rate plot and V-Q overlays.

use anyhow::Context;
use spelab_analysis::fullcell::dq_dv;
use spelab_core::constants::{DEFAULT_SALT_CONCENTRATION as MATERIAL_SALT_CONCENTRATION, T_REF};
use spelab_core::measurement::Direction;
use spelab_core::metric::{Conditions, Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::fullcell::{
    segment_end_name, CyclingProtocol, ModelKind, Recording, ASSEMBLED_STOICHIOMETRY, DEFAULT_MODEL,
};
use toml::Spanned;

use super::run::{run_full_cell, FullCellSetup};
use super::{mah_g, Options};
use crate::spec::{Material, StepSpec, StudyError};
use crate::steps::{virtual_cell, Progress, Step, StepContext, StepOutput};

/// The rate-capability protocol of the paper's Fig. 6h: down and back up [1/h].
pub const DEFAULT_C_RATES: [f64; 7] = [0.1, 0.2, 0.5, 1.0, 0.5, 0.2, 0.1];
/// Cycles per C-rate block by default (the paper does not state its count).
pub const DEFAULT_CYCLES: u32 = 5;

struct VirtualFullCell {
    materials: Vec<Material>,
    setup: FullCellSetup,
    dqdv_step: f64,
}

/// Parses the virtual-lab options (module docs); measured-data keys are errors at their line.
pub(super) fn parse(spec: &mut StepSpec<'_>, o: &Options) -> Result<Box<dyn Step>, StudyError> {
    let materials = virtual_cell::materials(spec, &o.material, &o.materials)?;
    let measured_only = [
        ("active_mass", o.active_mass.as_ref().map(Spanned::span), o.active_mass.is_some()),
        ("nominal_capacity", o.nominal_capacity.as_ref().map(Spanned::span), o.nominal_capacity.is_some()),
        ("columns", o.columns.as_ref().map(Spanned::span), o.columns.is_some()),
        ("units", o.units.as_ref().map(Spanned::span), o.units.is_some()),
        ("time_column", None, o.time_column.is_some()),
        ("current_column", None, o.current_column.is_some()),
        ("voltage_column", None, o.voltage_column.is_some()),
        ("replicates", None, !o.replicates.is_empty()),
    ];
    if let Some((key, span, _)) = measured_only.into_iter().find(|m| m.2) {
        return Err(
            spec.error(span, format!("`{key}` is for measured data (`file`); the virtual lab simulates"))
        );
    }
    let c_rates = match &o.c_rates {
        Some(c) => {
            if c.get_ref().is_empty() || c.get_ref().iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(spec.error(Some(c.span()), "c_rates must be a non-empty list of C-rates > 0"));
            }
            c.get_ref().clone()
        }
        None => DEFAULT_C_RATES.to_vec(),
    };
    let cycles = match &o.cycles {
        Some(c) if *c.get_ref() == 0 => return Err(spec.error(Some(c.span()), "cycles must be at least 1")),
        Some(c) => *c.get_ref(),
        None => DEFAULT_CYCLES,
    };
    let model = match &o.model {
        Some(m) => ModelKind::from_name(m.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
            spec.error(
                Some(m.span()),
                format!("unknown model '{}': expected one of {}", m.get_ref(), names.join(", ")),
            )
        })?,
        None => DEFAULT_MODEL,
    };
    let rest = match &o.rest {
        Some(r) => {
            let x = spec.quantity(r, Quantity::Time, "rest")?;
            if !(x.is_finite() && x >= 0.0) {
                return Err(spec.error(Some(r.span()), "rest must be >= 0"));
            }
            x
        }
        None => 0.0,
    };
    let area = spec.positive_quantity(&o.area, Quantity::Area, "area", 1e-4)?;
    let reference_cycle = match &o.reference_cycle {
        Some(r) if *r.get_ref() == 0 => {
            return Err(spec.error(Some(r.span()), "reference_cycle counts from 1"));
        }
        Some(r) => r.get_ref() - 1,
        None => 0,
    };
    let dqdv_step = spec.positive_quantity(&o.dqdv_step, Quantity::Voltage, "dqdv_step", 0.005)?;
    let mut protocol = CyclingProtocol::rate_capability(&c_rates, cycles);
    protocol.rest_s = rest;
    let setup = FullCellSetup {
        model,
        protocol,
        area,
        salt: MATERIAL_SALT_CONCENTRATION,
        thickness: None,
        temperature: None,
        recording: Recording::default(),
        reference_cycle,
    };
    Ok(Box::new(VirtualFullCell { materials, setup, dqdv_step }))
}

/// Mean of the present values.
fn mean(xs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = xs.flatten().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn round_rate(c: f64) -> f64 {
    (c * 1e4).round() / 1e4
}

impl Step for VirtualFullCell {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let mut out = StepOutput::default();
        let model = self.setup.model;
        let mut rate_fig = Figure::new(
            "rate-virtual",
            "Simulated rate capability vs the paper",
            Axis::linear("cycle"),
            Axis::linear("q_dis [mAh/g]"),
        );
        let mut dq_fig = Figure::new(
            "dqdv-virtual",
            "dQ/dV of the last discharge of the first block (simulated)",
            Axis::linear("V [V]"),
            Axis::linear("dQ/dV [mAh/(g V)]"),
        );
        let mut ce_fig = Figure::new(
            "ce-virtual",
            "Coulombic efficiency vs cycle (simulated)",
            Axis::linear("cycle"),
            Axis::linear("CE [%]"),
        );
        let n = self.materials.len();
        for (i, m) in self.materials.iter().enumerate() {
            let params = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
            let run = run_full_cell(&params, &self.setup).with_context(|| format!("material '{}'", m.id))?;
            let r = &run.metrics;
            let caps = run.record.cycle_capacities();
            let temperature = run.cell.temperature;
            let mut seen: Vec<f64> = Vec::new();
            let mut table =
                Table {
                    title: format!(
                    "LFP | {} | Li, simulated ({} model) vs the paper: discharge capacity per C-rate block{}{}",
                    m.preset.name,
                    model.name(),
                    r.recovery.map(|x| format!("; recovery on return {:.2} %", x * 100.0)).unwrap_or_default(),
                    r.cycles.last().and_then(|c| c.retention).map_or(String::new(), |x| format!(
                        "; last cycle {:.2} % of cycle {}",
                        x * 100.0,
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
                };
            let (mut px, mut py) = (Vec::new(), Vec::new());
            let mut vq = Figure::new(
                format!("vq-virtual-{}", m.id),
                format!("LFP | {} | Li: last discharge of each C-rate (simulated)", m.preset.name),
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
                let f =
                    |x: Option<f64>, k: f64, d: usize| x.map_or("—".into(), |x| format!("{:.*}", d, x * k));
                let sd = if b.sd.is_finite() { b.sd } else { 0.0 };
                table.rows.push(vec![
                    format!("{}–{}", b.cycles.0 + 1, b.cycles.1 + 1),
                    format!("{c}C"),
                    format!("{:.2} ± {:.2} ({})", mah_g(b.mean), mah_g(sd), b.n),
                    f(paper, 1.0 / 3600.0, 1),
                    f(paper.map(|p| b.mean / p), 1.0, 3),
                    f(vch, 1.0, 4),
                    f(vdis, 1.0, 4),
                    f(vch.zip(vdis).map(|(a, b)| a - b), 1e3, 1),
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
                    .with_option("model", model.name());
                // A model without noise or ageing repeats itself to rounding: no SD below 1e-6 relative.
                if sd > 1e-6 * b.mean {
                    metric = metric.with_uncertainty(sd);
                }
                out.metrics.push(metric);
                // V-Q of the block's last discharge.
                let data = &run.data;
                if let Some(h) = data.cycles()[b.cycles.1]
                    .half_cycles
                    .iter()
                    .rev()
                    .find(|h| h.direction == Direction::Discharge)
                {
                    let ts = data.time_series();
                    let (tt, ii, vv) = (ts.time(), ts.current(), ts.voltage());
                    let mut q = vec![0.0];
                    for p in h.start_index + 1..h.end_index {
                        q.push(q[q.len() - 1] + 0.5 * (ii[p].abs() + ii[p - 1].abs()) * (tt[p] - tt[p - 1]));
                    }
                    let mass = run.record.active_mass;
                    vq = vq.with_series(
                        Series::line(
                            format!("{c}C"),
                            q.iter().map(|q| mah_g(q / mass)).collect::<Vec<_>>(),
                            vv[h.range()].to_vec(),
                        )
                        .with_color(seen.len() - 1),
                    );
                    if seen.len() == 1 {
                        if let Ok((x, y)) = dq_dv(data, h.index, self.dqdv_step, 5) {
                            dq_fig = dq_fig.with_series(
                                Series::line(
                                    format!("{} {c}C", m.preset.name),
                                    x,
                                    y.iter().map(|y| mah_g(y / mass)).collect::<Vec<_>>(),
                                )
                                .with_color(i),
                            );
                        }
                    }
                }
            }
            let ces: Vec<f64> = r.cycles.iter().filter_map(|c| c.coulombic_efficiency).collect();
            if !ces.is_empty() {
                let (mean, sd) = spelab_analysis::fit::mean_sd(&ces);
                let mut metric = Metric::new(MetricId::CoulombicEfficiency, mean, SOURCE_SIMULATION)
                    .with_material(m.id.clone())
                    .with_method(format!(
                        "mean of Q_dis/Q_ch over the {} simulated cycles ({} model; no side reactions: deviations from 100 % are \
                         shifts of the stoichiometry window, see the step notes)",
                        ces.len(),
                        model.name()
                    ))
                    .with_condition("temperature_K", temperature)
                    .with_option("model", model.name());
                if sd.is_finite() && sd > 0.0 {
                    metric = metric.with_uncertainty(sd);
                }
                out.metrics.push(metric);
            }
            let ce_pts: Vec<(f64, f64)> = r
                .cycles
                .iter()
                .filter_map(|c| c.coulombic_efficiency.map(|x| ((c.index + 1) as f64, x * 100.0)))
                .collect();
            ce_fig = ce_fig.with_series(
                Series::line_markers(
                    m.preset.name.clone(),
                    ce_pts.iter().map(|p| p.0).collect::<Vec<_>>(),
                    ce_pts.iter().map(|p| p.1).collect::<Vec<_>>(),
                )
                .with_color(i),
            );
            rate_fig = rate_fig.with_series(
                Series::line_markers(
                    format!("{} (simulated)", m.preset.name),
                    r.cycles.iter().map(|c| (c.index + 1) as f64).collect::<Vec<_>>(),
                    r.cycles.iter().map(|c| mah_g(c.discharge_capacity)).collect::<Vec<_>>(),
                )
                .with_color(i),
            );
            if !px.is_empty() {
                rate_fig = rate_fig
                    .with_series(Series::markers(format!("{} (paper)", m.preset.name), px, py).with_color(i));
            }
            out.tables.push(table);
            out.figures.push(vq.with_caption(
                "Voltage vs capacity of the last discharge of each C-rate (first block at that rate), from the \
                 simulated record as the analysis sees it.",
            ));
            progress((i + 1) as f64 / n as f64);
        }
        out.figures.insert(
            0,
            rate_fig.with_caption(
                "Discharge capacity of every simulated cycle (lines) and the paper's rate-test values at the \
                 centre of each block with that C-rate (markers).",
            ),
        );
        out.figures.push(ce_fig.with_caption(
            "CE = Q_dis/Q_ch of each simulated cycle (charge first). No side reactions: 100 % except where the \
             stoichiometry window shifts (the first cycle from the assembled cell, the first cycle at a new rate, \
             and blocks whose half-cycles end by salt depletion, where charge and discharge stop after different \
             charges so the state of charge drifts from cycle to cycle).",
        ));
        out.figures.push(dq_fig.with_caption(format!(
            "dQ/dV from Q(V) on a {:.1} mV grid, 5-bin moving average.",
            self.dqdv_step * 1e3
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
        progress(1.0);
        Ok(out)
    }
}
