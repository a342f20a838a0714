//! The `full-cell` step's presentation of a measured cell: metrics, the per-cycle and rate tables,
//! the rate, capacity, CE, V-Q and dQ/dV figures, and the replicate summary.

use spelab_analysis::fullcell::{dq_dv, FullCell as FullCellMetrics};
use spelab_analysis::replicates::{aggregate, Replicates};
use spelab_core::measurement::Direction;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_core::CyclingData;
use spelab_report::{Axis, Figure, Series, Table};

use super::measured::ReplicateRow;
use super::{mah_g, FullCell};
use crate::steps::display::mv;
use crate::steps::StepOutput;

/// `x · k` with `d` decimals, or "—" when absent.
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
        fig.with_caption("Mean discharge capacity of each current block with mean ± SD markers; labels give the C-rate (or current).")
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

    /// V–Q and dQ/dV overlays of the first and last discharge.
    pub(super) fn profile_figures(&self, data: &CyclingData) -> [Figure; 2] {
        let o = &self.options;
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
            if let Ok((x, y)) = dq_dv(data, *h, self.dqdv_step, 5) {
                dq = dq.with_series(
                    Series::line(name, x, y.iter().map(|y| mah_g(y / o.active_mass)).collect::<Vec<_>>())
                        .with_color(k),
                );
            }
        }
        [
            vq.with_caption("Discharge voltage profiles of the first and last cycle."),
            dq.with_caption(format!(
                "dQ/dV from Q(V) interpolated on a {:.1} mV grid, 5-bin moving average.",
                mv(self.dqdv_step)
            )),
        ]
    }

    /// The step's options, attached to every metric.
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
