//! Step kind `full-cell`: capacities, Coulombic and energy efficiency, retention, rate table and dQ/dV
//! of a full cell (e.g. LFP|SPE|Li) from a galvanostatic record: a table or any instrument file
//! spelab-io reads (format detected by content), or, in the **virtual lab** (no `file`), the record
//! spelab-sim's full-cell model and virtual cycler produce for each material (see [`virtual_lab`]).
//!
//! The record is split by `spelab_core::CyclingData` (1 % rest threshold, a cycle starts at each charge;
//! the instrument's cycle numbers are not used; the instrument's dq count, when stored, gives capacities) and analysed by `spelab_analysis::fullcell`. Metrics: the first- and last-cycle specific
//! discharge capacity, the last cycle's retention against `reference_cycle` and the mean CE.

pub mod run;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::fullcell::{dq_dv, full_cell_metrics, FullCell as FullCellMetrics, FullCellOptions};
use spelab_analysis::replicates::{aggregate, Replicates};
use spelab_core::measurement::{Direction, SplitOptions};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_core::{CyclingData, TimeSeries};
use spelab_report::{Axis, Figure, Series, Table};
use toml::Spanned;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "full-cell",
    title: "Full-cell cycling: capacity, CE, retention, rate capability, dQ/dV",
    summary: "Per-cycle capacity (mAh/g), CE, energy efficiency, retention, rate table and dQ/dV of a full cell, from a table or an instrument file, or simulated from the materials (virtual lab)",
    example: r#"[[step]]
kind = "full-cell"
file = "lfp.csv"                     # or cell.mpr, .nda, .ndax ...; tables: time [s], current [mA], voltage [V]
material = "pvh-im"
active_mass = "3.2 mg"
# optional: nominal_capacity = "170 mAh/g" (C-rates)  reference_cycle = 1  dqdv_step = "5 mV"
#           time_column = "time"  current_column = "current"  voltage_column = "voltage"
#           replicates = [{ file = "lfp-2.csv", active_mass = "3.1 mg" }]   (mean ± SD (n) over the cells)
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# virtual lab (no file): simulate the LFP|SPE|Li cell of each material (reference LFP cathode)
#   materials = ["pvh", "pvh-im"]     c_rates = [0.1, 0.2, 0.5, 1, 0.5, 0.2, 0.1]   cycles = 5 (per C-rate)
#   model = "dfn" (default; or "spm")   rest = "0 s"   area = "1 cm2"   (reference_cycle, dqdv_step as above)"#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    file: Option<Spanned<String>>,
    material: Option<Spanned<String>>,
    active_mass: Option<Spanned<String>>,
    nominal_capacity: Option<Spanned<String>>,
    reference_cycle: Option<Spanned<usize>>,
    dqdv_step: Option<Spanned<String>>,
    time_column: Option<String>,
    current_column: Option<String>,
    voltage_column: Option<String>,
    #[serde(default)]
    replicates: Vec<ReplicateOptions>,
    columns: Option<Spanned<std::collections::BTreeMap<String, toml::Value>>>,
    units: Option<Spanned<std::collections::BTreeMap<String, String>>>,
    // Virtual lab.
    materials: Option<Vec<Spanned<String>>>,
    c_rates: Option<Spanned<Vec<f64>>>,
    cycles: Option<Spanned<u32>>,
    model: Option<Spanned<String>>,
    rest: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
}

/// A replicate cell: its file and, when it differs, its active mass.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplicateOptions {
    file: Spanned<String>,
    active_mass: Option<Spanned<String>>,
}

struct FullCell {
    material: Material,
    input: columns::CycleInput,
    options: FullCellOptions,
    dqdv_step: f64,
    /// Replicate cells: (path, label, active mass [kg]).
    replicates: Vec<(PathBuf, String, f64)>,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let Some(file) = &o.file else {
        return virtual_lab::parse(spec, &o);
    };
    let virtual_only = [
        ("materials", o.materials.as_ref().and_then(|m| m.first()).map(Spanned::span)),
        ("c_rates", o.c_rates.as_ref().map(Spanned::span)),
        ("cycles", o.cycles.as_ref().map(Spanned::span)),
        ("model", o.model.as_ref().map(Spanned::span)),
        ("rest", o.rest.as_ref().map(Spanned::span)),
        ("area", o.area.as_ref().map(Spanned::span)),
    ];
    if let Some((key, span)) = virtual_only.into_iter().find(|(_, s)| s.is_some()) {
        return Err(spec.error(
            span,
            format!("`{key}` is for the virtual lab (no `file`); measured data need `material`"),
        ));
    }
    let (Some(material), Some(active_mass)) = (&o.material, &o.active_mass) else {
        return Err(spec.error(
            Some(file.span()),
            "measured data need `material` and `active_mass` (without `file` the step simulates `materials`)",
        ));
    };
    let material = spec.material(material)?;
    let input = columns::CycleInput::parse(
        spec,
        file,
        [o.time_column.clone(), o.current_column.clone(), o.voltage_column.clone()],
        &o.columns,
        &o.units,
    )?;
    let mass = spec.required_positive(active_mass, Quantity::Mass, "active_mass")?;
    let mut options = FullCellOptions::new(mass);
    if let Some(n) = &o.nominal_capacity {
        options.nominal_specific_capacity =
            Some(spec.quantity(n, Quantity::SpecificCapacity, "nominal_capacity")?);
    }
    if let Some(r) = &o.reference_cycle {
        if *r.get_ref() == 0 {
            return Err(spec.error(Some(r.span()), "reference_cycle counts from 1"));
        }
        options.reference_cycle = r.get_ref() - 1;
    }
    let dqdv_step = spec.positive_quantity(&o.dqdv_step, Quantity::Voltage, "dqdv_step", 0.005)?;
    let mut replicates = Vec::new();
    for r in &o.replicates {
        let path = spec.file(&r.file, "replicates.file")?;
        let m = spec.positive_quantity(&r.active_mass, Quantity::Mass, "replicates.active_mass", mass)?;
        replicates.push((path, r.file.get_ref().clone(), m));
    }
    Ok(Box::new(FullCell { replicates, material, input, options, dqdv_step }))
}

fn mah_g(q: f64) -> f64 {
    Quantity::SpecificCapacity.to_display(q)
}

impl FullCell {
    /// Reads and splits one cell's record.
    fn load(&self, path: &std::path::Path, label: &str) -> anyhow::Result<CyclingData> {
        let rec = self.input.read_at(
            path,
            label,
            "full-cell",
            &[spelab_core::Technique::Gcpl, spelab_core::Technique::Cp],
        )?;
        let ts = match &rec.recording {
            // The instrument's own time series keeps its dq count, so capacities equal the instrument's.
            Some(recording) => recording.time_series()?,
            None => {
                let [t, i, v]: [Vec<f64>; 3] =
                    rec.columns.try_into().map_err(|_| anyhow::anyhow!("three columns"))?;
                TimeSeries::new(t, i, v, rec.meta.with_source(label))
                    .with_context(|| format!("{label}: not a valid time series"))?
            }
        };
        // Cycles start at each charge (cathode charged first), whatever the instrument numbers.
        let split = SplitOptions {
            cycle_start: Some(Direction::Charge),
            use_cycle_channel: false,
            ..SplitOptions::default()
        };
        CyclingData::from_time_series(ts, split).with_context(|| format!("{label}: splitting into cycles"))
    }

    /// Replicate cells (this step's file first): first-cycle discharge capacity and mean CE of each,
    /// aggregated as mean ± SD (n).
    fn replicates(&self, first: &FullCellMetrics, out: &mut StepOutput) -> anyhow::Result<()> {
        let mut rows = vec![(self.input.label.clone(), self.options.active_mass, first.clone())];
        for (path, label, mass) in &self.replicates {
            let data = self.load(path, label)?;
            let options = FullCellOptions { active_mass: *mass, ..self.options };
            let r = full_cell_metrics(&data, &options).with_context(|| format!("replicate {label}"))?;
            rows.push((label.clone(), *mass, r));
        }
        let q: Vec<f64> = rows.iter().map(|r| r.2.cycles[0].discharge_capacity).collect();
        let agg = aggregate(&q)?;
        let mut m = Metric::new(MetricId::SpecificCapacity, agg.mean, self.input.label.clone())
            .with_material(self.material.id.clone())
            .with_method(format!(
                "mean ± SD (n = {}) of the cycle-1 discharge capacity of replicate cells: {}",
                agg.n,
                rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>().join(", ")
            ))
            .with_condition("cycle", 1.0)
            .with_condition("replicates", agg.n as f64);
        if agg.sd.is_finite() {
            m = m.with_uncertainty(agg.sd);
        }
        out.metrics.push(m);
        out.tables.push(Table {
            title: format!(
                "Replicate cells: cycle-1 discharge capacity {} mAh/g",
                Replicates { mean: mah_g(agg.mean), sd: mah_g(agg.sd), ..agg }.describe(2)
            ),
            columns: ["file", "active mass [mg]", "q_dis cycle 1 [mAh/g]", "mean CE [%]"]
                .map(String::from)
                .to_vec(),
            rows: rows
                .iter()
                .map(|(label, mass, r)| {
                    let ces: Vec<f64> = r.cycles.iter().filter_map(|c| c.coulombic_efficiency).collect();
                    let ce = aggregate(&ces).map(|a| format!("{:.3}", a.mean * 100.0)).unwrap_or("—".into());
                    vec![
                        label.clone(),
                        format!("{:.4}", mass * 1e6),
                        format!("{:.2}", mah_g(r.cycles[0].discharge_capacity)),
                        ce,
                    ]
                })
                .collect(),
        });
        Ok(())
    }
}

impl Step for FullCell {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let data = self.load(&self.input.path, &self.input.label)?;
        let r = full_cell_metrics(&data, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let mut out = StepOutput::default();
        if !self.replicates.is_empty() {
            self.replicates(&r, &mut out)?;
        }
        let o = &self.options;
        let base =
            format!("active mass {:.4} mg; capacities from ∫|I|dt per half-cycle", o.active_mass * 1e6);
        let metric = |id, value: f64, cycle: usize, c_rate: Option<f64>, method: String| {
            let mut m = Metric::new(id, value, self.input.label.clone())
                .with_material(self.material.id.clone())
                .with_method(method)
                .with_condition("cycle", (cycle + 1) as f64);
            if let Some(c) = c_rate {
                m = m.with_condition("c_rate", (c * 100.0).round() / 100.0);
            }
            m
        };
        let first = &r.cycles[0];
        let last = &r.cycles[r.cycles.len() - 1];
        out.metrics.push(metric(
            MetricId::SpecificCapacity,
            first.discharge_capacity,
            0,
            first.c_rate,
            format!("discharge capacity of cycle 1; {base}"),
        ));
        if r.cycles.len() > 1 {
            out.metrics.push(metric(
                MetricId::SpecificCapacity,
                last.discharge_capacity,
                last.index,
                last.c_rate,
                format!("discharge capacity of the last cycle; {base}"),
            ));
            out.metrics.push(metric(
                MetricId::CapacityRetention,
                last.retention.unwrap_or(f64::NAN),
                last.index,
                last.c_rate,
                format!("q_dis(last) / q_dis(cycle {}); {base}", o.reference_cycle + 1),
            ));
        }
        let ces: Vec<f64> = r.cycles.iter().filter_map(|c| c.coulombic_efficiency).collect();
        if !ces.is_empty() {
            let (mean, sd) = spelab_analysis::fit::mean_sd(&ces);
            let mut m = Metric::new(MetricId::CoulombicEfficiency, mean, self.input.label.clone())
                .with_material(self.material.id.clone())
                .with_method(format!("mean of Q_dis/Q_ch over {} cycles (SD as uncertainty)", ces.len()));
            if sd.is_finite() && sd > 0.0 {
                m = m.with_uncertainty(sd);
            }
            out.metrics.push(m);
        }
        let f = |x: Option<f64>, k: f64, d: usize| {
            x.map(|x| format!("{:.*}", d, x * k)).unwrap_or_else(|| "—".into())
        };
        out.tables.push(Table {
            title: format!("Per-cycle metrics (retention vs cycle {})", o.reference_cycle + 1),
            columns: [
                "cycle",
                "q_ch [mAh/g]",
                "q_dis [mAh/g]",
                "CE [%]",
                "EE [%]",
                "retention [%]",
                "V̄_ch [V]",
                "V̄_dis [V]",
                "ΔV [mV]",
                "C-rate",
            ]
            .map(String::from)
            .to_vec(),
            rows: r
                .cycles
                .iter()
                .map(|c| {
                    vec![
                        (c.index + 1).to_string(),
                        format!("{:.2}", mah_g(c.charge_capacity)),
                        format!("{:.2}", mah_g(c.discharge_capacity)),
                        f(c.coulombic_efficiency, 100.0, 3),
                        f(c.energy_efficiency, 100.0, 2),
                        f(c.retention, 100.0, 2),
                        f(c.mean_charge_voltage, 1.0, 4),
                        f(c.mean_discharge_voltage, 1.0, 4),
                        f(c.polarization, 1e3, 1),
                        f(c.c_rate, 1.0, 3),
                    ]
                })
                .collect(),
        });
        if r.rate_blocks.len() > 1 {
            out.tables.push(Table {
                title: format!(
                    "Rate capability (mean ± SD (n) of q_dis per current block){}",
                    r.recovery
                        .map(|x| format!("; recovery on return {:.1} %", x * 100.0))
                        .unwrap_or_default()
                ),
                columns: ["cycles", "current [mA]", "C-rate", "q_dis [mAh/g]"].map(String::from).to_vec(),
                rows: r
                    .rate_blocks
                    .iter()
                    .map(|b| {
                        vec![
                            format!("{}–{}", b.cycles.0 + 1, b.cycles.1 + 1),
                            format!("{:.4}", b.current * 1e3),
                            f(b.c_rate, 1.0, 3),
                            format!(
                                "{:.2} ± {:.2} ({})",
                                mah_g(b.mean),
                                if b.sd.is_finite() { mah_g(b.sd) } else { 0.0 },
                                b.n
                            ),
                        ]
                    })
                    .collect(),
            });
        }
        if r.rate_blocks.len() > 1 {
            let xs: Vec<f64> =
                r.rate_blocks.iter().map(|b| 0.5 * (b.cycles.0 + b.cycles.1) as f64 + 1.0).collect();
            let mut fig = Figure::new(
                format!("rate-{}", self.material.id),
                "Rate capability",
                Axis::linear("cycle (block centre)"),
                Axis::linear("q_dis [mAh/g]"),
            )
            .with_series(Series::line_markers(
                "block mean",
                xs.clone(),
                r.rate_blocks.iter().map(|b| mah_g(b.mean)).collect::<Vec<_>>(),
            ));
            let sd: Vec<(f64, f64, f64)> = xs
                .iter()
                .zip(&r.rate_blocks)
                .filter(|(_, b)| b.sd.is_finite())
                .map(|(x, b)| (*x, mah_g(b.mean - b.sd), mah_g(b.mean + b.sd)))
                .collect();
            if !sd.is_empty() {
                fig = fig.with_series(
                    Series::markers(
                        "mean − SD",
                        sd.iter().map(|p| p.0).collect::<Vec<_>>(),
                        sd.iter().map(|p| p.1).collect::<Vec<_>>(),
                    )
                    .with_color(1),
                );
                fig = fig.with_series(
                    Series::markers(
                        "mean + SD",
                        sd.iter().map(|p| p.0).collect::<Vec<_>>(),
                        sd.iter().map(|p| p.2).collect::<Vec<_>>(),
                    )
                    .with_color(2),
                );
            }
            for (x, b) in xs.iter().zip(&r.rate_blocks) {
                let label = match b.c_rate {
                    Some(c) => format!("{c:.2}C"),
                    None => format!("{:.3} mA", b.current * 1e3),
                };
                fig = fig.with_marker(spelab_report::Marker::point(label, *x, mah_g(b.mean)));
            }
            out.figures.push(fig.with_caption("Mean discharge capacity of each current block with mean ± SD markers; labels give the C-rate (or current)."));
        }
        let cyc: Vec<f64> = r.cycles.iter().map(|c| (c.index + 1) as f64).collect();
        out.figures.push(
            Figure::new(
                format!("capacity-{}", self.material.id),
                "Specific capacity vs cycle",
                Axis::linear("cycle"),
                Axis::linear("q [mAh/g]"),
            )
            .with_series(Series::line_markers(
                "discharge",
                cyc.clone(),
                r.cycles.iter().map(|c| mah_g(c.discharge_capacity)).collect::<Vec<_>>(),
            ))
            .with_series(
                Series::line_markers(
                    "charge",
                    cyc.clone(),
                    r.cycles.iter().map(|c| mah_g(c.charge_capacity)).collect::<Vec<_>>(),
                )
                .with_color(1),
            )
            .with_caption(
                "Charge and discharge capacity per active mass; capacity from ∫|I|dt of each half-cycle.",
            ),
        );
        let ce_pts: Vec<(f64, f64)> = r
            .cycles
            .iter()
            .filter_map(|c| c.coulombic_efficiency.map(|x| ((c.index + 1) as f64, x * 100.0)))
            .collect();
        out.figures.push(
            Figure::new(
                format!("ce-{}", self.material.id),
                "Coulombic efficiency vs cycle",
                Axis::linear("cycle"),
                Axis::linear("CE [%]"),
            )
            .with_series(Series::line_markers(
                "Q_dis/Q_ch",
                ce_pts.iter().map(|p| p.0).collect::<Vec<_>>(),
                ce_pts.iter().map(|p| p.1).collect::<Vec<_>>(),
            ))
            .with_caption("CE = discharge / charge capacity of each cycle (cathode charged first)."),
        );
        // V–Q and dQ/dV overlays of the first and last discharge.
        let ts = data.time_series();
        let dis: Vec<usize> = data
            .half_cycles()
            .iter()
            .filter(|h| h.direction == Direction::Discharge)
            .map(|h| h.index)
            .collect();
        let mut vq = Figure::new(
            format!("vq-{}", self.material.id),
            "Voltage vs capacity (discharge)",
            Axis::linear("q [mAh/g]"),
            Axis::linear("V [V]"),
        );
        let mut dq = Figure::new(
            format!("dqdv-{}", self.material.id),
            "dQ/dV (discharge)",
            Axis::linear("V [V]"),
            Axis::linear("dQ/dV [mAh/(g V)]"),
        );
        let picks: Vec<usize> = match (dis.first(), dis.last()) {
            (Some(a), Some(b)) if a != b => vec![*a, *b],
            (Some(a), _) => vec![*a],
            _ => vec![],
        };
        for (k, h) in picks.iter().enumerate() {
            let hc = &data.half_cycles()[*h];
            let (tt, ii, vv) = (ts.time(), ts.current(), ts.voltage());
            let mut q = vec![0.0];
            for p in hc.start_index + 1..hc.end_index {
                q.push(q[q.len() - 1] + 0.5 * (ii[p].abs() + ii[p - 1].abs()) * (tt[p] - tt[p - 1]));
            }
            let name = if k == 0 { "first discharge" } else { "last discharge" };
            vq = vq.with_series(
                Series::line(
                    name,
                    q.iter().map(|q| mah_g(q / o.active_mass)).collect::<Vec<_>>(),
                    vv[hc.range()].to_vec(),
                )
                .with_color(k),
            );
            if let Ok((x, y)) = dq_dv(&data, *h, self.dqdv_step, 5) {
                dq = dq.with_series(
                    Series::line(name, x, y.iter().map(|y| mah_g(y / o.active_mass)).collect::<Vec<_>>())
                        .with_color(k),
                );
            }
        }
        out.figures.push(vq.with_caption("Discharge voltage profiles of the first and last cycle."));
        out.figures.push(dq.with_caption(format!(
            "dQ/dV from Q(V) interpolated on a {:.1} mV grid, 5-bin moving average.",
            self.dqdv_step * 1e3
        )));
        let mut options = vec![
            ("active_mass", format!("{} kg", o.active_mass)),
            ("reference_cycle", (o.reference_cycle + 1).to_string()),
            ("dqdv_step", format!("{} V", self.dqdv_step)),
        ];
        if let Some(n) = o.nominal_specific_capacity {
            options.push(("nominal_capacity", format!("{n} C/kg")));
        }
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        progress(1.0);
        Ok(out)
    }
}
