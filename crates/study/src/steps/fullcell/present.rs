//! The `full-cell` step's presentation of a measured cell: metrics, the per-cycle and rate tables,
//! the rate, capacity, CE, V-Q and dQ/dV figures, and the replicate summary.

use spelab_analysis::fullcell::{dq_dv, FullCell as FullCellMetrics};
use spelab_analysis::replicates::{aggregate, Replicates};
use spelab_core::measurement::{Direction, HalfCycle};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_core::CyclingData;
use spelab_report::{Axis, Figure, Series, Table};

use super::measured::ReplicateRow;
use super::{mah_g, FullCell};
use crate::steps::display::mv;
use crate::steps::StepOutput;

/// `x · k` with `d` decimals, or "—" when absent.
/// Capacity [mAh/g] (per `active_mass` [kg]) and voltage [V] of half-cycle `h`, without its first
/// point: that sample sits at the join with the previous step (the voltage before the current
/// switched) and would draw a vertical line at q = 0.
pub(super) fn half_cycle_profile(
    data: &CyclingData,
    h: &HalfCycle,
    active_mass: f64,
) -> (Vec<f64>, Vec<f64>) {
    let ts = data.time_series();
    let (tt, ii, vv) = (ts.time(), ts.current(), ts.voltage());
    let mut q = 0.0;
    let (mut qs, mut vs) = (Vec::new(), Vec::new());
    for p in h.start_index + 1..h.end_index {
        q += 0.5 * (ii[p].abs() + ii[p - 1].abs()) * (tt[p] - tt[p - 1]);
        qs.push(mah_g(q / active_mass));
        vs.push(vv[p]);
    }
    (qs, vs)
}

pub(super) fn fmt_scaled(x: Option<f64>, k: f64, d: usize) -> String {
    x.map(|x| format!("{:.*}", d, x * k)).unwrap_or_else(|| "—".into())
}

/// The rate-capability table (mean ± SD (n) of q_dis per current block).
pub(super) fn rate_table(r: &FullCellMetrics) -> Table {
    let f = fmt_scaled;
    Table {
        title: format!(
            "Rate capability (mean ± SD (n) of q_dis per current block){}",
            r.recovery
                .map(|x| format!("; recovery on return {:.1} %", Quantity::Fraction.to_display(x)))
                .unwrap_or_default()
        ),
        columns: ["cycles", "current [mA]", "C-rate", "q_dis [mAh/g]"].map(String::from).to_vec(),
        rows: r
            .rate_blocks
            .iter()
            .map(|b| {
                vec![
                    format!("{}–{}", b.cycles.0 + 1, b.cycles.1 + 1),
                    format!("{:.4}", Quantity::Current.to_display(b.current)),
                    f(b.c_rate, 1.0, 3),
                    format!(
                        "{} ({})",
                        spelab_core::units::format_with_uncertainty(
                            mah_g(b.mean),
                            if b.sd.is_finite() { mah_g(b.sd) } else { 0.0 }
                        ),
                        b.n
                    ),
                ]
            })
            .collect(),
    }
}

impl FullCell {
    /// The replicate cells' cycle-1 discharge capacity as mean ± SD (n): a metric and a table.
    pub(super) fn replicate_summary(
        &self,
        rows: &[ReplicateRow],
        out: &mut StepOutput,
    ) -> anyhow::Result<()> {
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
                    let ce = aggregate(&ces)
                        .map(|a| format!("{:.3}", Quantity::Fraction.to_display(a.mean)))
                        .unwrap_or("—".into());
                    vec![
                        label.clone(),
                        format!("{:.4}", Quantity::Mass.to_display(*mass)),
                        format!("{:.2}", mah_g(r.cycles[0].discharge_capacity)),
                        ce,
                    ]
                })
                .collect(),
        });
        Ok(())
    }

    /// The first- and last-cycle capacity, the retention and the mean CE.
    pub(super) fn cycle_metrics(&self, r: &FullCellMetrics, out: &mut StepOutput) {
        let o = &self.options;
        let base = format!(
            "active mass {:.4} mg; capacities from ∫|I|dt per half-cycle",
            Quantity::Mass.to_display(o.active_mass)
        );
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
    }

    /// The per-cycle table.
    pub(super) fn cycle_table(&self, r: &FullCellMetrics) -> Table {
        let o = &self.options;
        let f = fmt_scaled;
        Table {
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
                        f(c.polarization.map(mv), 1.0, 1),
                        f(c.c_rate, 1.0, 3),
                    ]
                })
                .collect(),
        }
    }

    /// Mean discharge capacity of each current block with mean ± SD markers.
    pub(super) fn rate_figure(&self, r: &FullCellMetrics) -> Figure {
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
                None => format!("{:.3} mA", Quantity::Current.to_display(b.current)),
            };
            fig = fig.with_marker(spelab_report::Marker::point(label, *x, mah_g(b.mean)));
        }
        let (ce_x, ce_y): (Vec<f64>, Vec<f64>) = r
            .cycles
            .iter()
            .filter_map(|c| {
                c.coulombic_efficiency.map(|x| ((c.index + 1) as f64, Quantity::Fraction.to_display(x)))
            })
            .unzip();
        if !ce_x.is_empty() {
            fig = fig.with_y2(Axis::linear("CE [%]")).with_series(
                Series::rings("CE per cycle (right axis)", ce_x, ce_y).with_color(3).on_secondary(),
            );
        }
        fig.with_caption(
            "Mean discharge capacity of each current block with mean ± SD markers (left axis; labels give the C-rate or \
             current) and the Coulombic efficiency of every cycle (rings, right axis).",
        )
    }

    /// Charge and discharge capacity vs cycle.
    pub(super) fn capacity_figure(&self, r: &FullCellMetrics) -> Figure {
        let cyc: Vec<f64> = r.cycles.iter().map(|c| (c.index + 1) as f64).collect();
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
        )
    }

    /// CE vs cycle.
    pub(super) fn ce_figure(&self, r: &FullCellMetrics) -> Figure {
        let ce_pts: Vec<(f64, f64)> = r
            .cycles
            .iter()
            .filter_map(|c| {
                c.coulombic_efficiency.map(|x| ((c.index + 1) as f64, Quantity::Fraction.to_display(x)))
            })
            .collect();
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
        .with_caption("CE = discharge / charge capacity of each cycle (cathode charged first).")
    }

    /// V–Q of the last charge and discharge of the first block at each current (one colour per block;
    /// the first and last cycle when there are no blocks), and dQ/dV of the first and last discharge.
    pub(super) fn profile_figures(&self, data: &CyclingData, r: &FullCellMetrics) -> [Figure; 2] {
        let o = &self.options;
        let dis: Vec<usize> = data
            .half_cycles()
            .iter()
            .filter(|h| h.direction == Direction::Discharge)
            .map(|h| h.index)
            .collect();
        let mut vq = Figure::new(
            format!("vq-{}", self.material.id),
            "Voltage vs capacity (charge and discharge)",
            Axis::linear("q [mAh/g]"),
            Axis::linear("V [V]"),
        );
        let mut dq = Figure::new(
            format!("dqdv-{}", self.material.id),
            "dQ/dV (discharge)",
            Axis::linear("V [V]"),
            Axis::linear("dQ/dV [mAh/(g V)]"),
        );
        // (label, cycle index) of each profile pair.
        let mut picks: Vec<(String, usize)> = Vec::new();
        let blocks = if r.rate_blocks.len() > 1 { r.rate_blocks.as_slice() } else { &[] };
        for b in blocks {
            let label = match b.c_rate {
                Some(c) => format!("{c:.2}C"),
                None => format!("{:.3} mA", Quantity::Current.to_display(b.current)),
            };
            if !picks.iter().any(|(l, _)| *l == label) {
                picks.push((label, b.cycles.1));
            }
        }
        let n_cycles = data.cycles().len();
        if picks.is_empty() && n_cycles > 0 {
            picks.push(("first cycle".into(), 0));
            if n_cycles > 1 {
                picks.push(("last cycle".into(), n_cycles - 1));
            }
        }
        for (k, (label, cycle)) in picks.iter().enumerate() {
            let Some(c) = data.cycles().get(*cycle) else { continue };
            for direction in [Direction::Charge, Direction::Discharge] {
                if let Some(h) = c.half_cycles.iter().rev().find(|h| h.direction == direction) {
                    let (q, v) = half_cycle_profile(data, h, o.active_mass);
                    let series = Series::line(label.clone(), q, v).with_color(k);
                    vq = vq.with_series(if direction == Direction::Charge {
                        series.without_legend()
                    } else {
                        series
                    });
                }
            }
        }
        let firsts: Vec<usize> = match (dis.first(), dis.last()) {
            (Some(a), Some(b)) if a != b => vec![*a, *b],
            (Some(a), _) => vec![*a],
            _ => vec![],
        };
        for (k, h) in firsts.iter().enumerate() {
            let name = if k == 0 { "first discharge" } else { "last discharge" };
            if let Ok((x, y)) = dq_dv(data, *h, self.dqdv_step, 5) {
                dq = dq.with_series(
                    Series::line(name, x, y.iter().map(|y| mah_g(y / o.active_mass)).collect::<Vec<_>>())
                        .with_color(k),
                );
            }
        }
        [
            vq.with_caption(
                "Charge (rising) and discharge (falling) voltage profiles of the last cycle of the first block at each \
                 current, one colour per block; each curve starts after the step change, so no vertical line joins it \
                 to the previous step.",
            ),
            dq.with_caption(format!(
                "dQ/dV of the first and last discharge from Q(V) interpolated on a {:.1} mV grid, 5-bin moving average.",
                mv(self.dqdv_step)
            )),
        ]
    }

    pub(super) fn attach_options(&self, out: &mut StepOutput) {
        let o = &self.options;
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
    }
}
