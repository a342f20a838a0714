//! The `cycling-life` step's metrics, table and figures.

use spelab_analysis::cycling_life::CycleLife;
use spelab_analysis::fit::median;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use super::Life;
use crate::steps::display::mv;
use crate::steps::StepOutput;

impl Life {
    /// Pushes the cycle-life and cumulative-capacity metrics; returns the outcome text.
    pub(super) fn metrics(&self, r: &CycleLife, out: &mut StepOutput) -> String {
        let j = current_density(r);
        let status = match r.failure {
            Some(f) => format!("failed: {}", f.mode.describe()),
            None => "no failure within the record (lifetime is a lower bound)".into(),
        };
        let method = format!(
            "time under current until the first failure, rests excluded; {status}; thresholds: collapse < {:.0} %, |V| < {:.2} mV, noise > {:.0} %, cut-off {:.2} V, polarization > {:.1}× initial",
            Quantity::Fraction.to_display(self.options.failure.collapse_fraction),
            mv(self.options.failure.short_voltage),
            Quantity::Fraction.to_display(self.options.failure.noise_fraction),
            self.options.failure.cutoff_voltage,
            self.options.polarization_factor
        );
        out.metrics.push(
            Metric::new(MetricId::CycleLife, r.lifetime, self.input.label.clone())
                .with_material(self.material.id.clone())
                .with_method(method)
                .with_condition("current_density_A_m2", j),
        );
        out.metrics.push(
            Metric::new(MetricId::CumulativeCapacity, r.cumulative_capacity, self.input.label.clone())
                .with_material(self.material.id.clone())
                .with_method("Σ |j|·t over the half-cycles up to failure, plating and stripping both counted (one-direction value is half)")
                .with_condition("current_density_A_m2", j),
        );
        status
    }

    /// The one-row summary table.
    pub(super) fn table(&self, r: &CycleLife, status: String) -> Table {
        let first = r.half_cycles[0].plateau_voltage;
        let last = r.half_cycles[r.completed_half_cycles.saturating_sub(1)].plateau_voltage;
        Table {
            title: "Symmetric-cell cycling".into(),
            columns: [
                "material",
                "j [mA/cm²]",
                "lifetime [h]",
                "half-cycles",
                "cumulative [mAh/cm²]",
                "overpotential first / last [mV]",
                "outcome",
            ]
            .map(String::from)
            .to_vec(),
            rows: vec![vec![
                self.material.id.clone(),
                format!("{:.3}", Quantity::CurrentDensity.to_display(current_density(r))),
                format!("{:.2}", Quantity::Time.to_display(r.lifetime)),
                r.completed_half_cycles.to_string(),
                format!(
                    "{:.3} (one direction {:.3})",
                    Quantity::ArealCapacity.to_display(r.cumulative_capacity),
                    Quantity::ArealCapacity.to_display(r.one_direction_capacity)
                ),
                format!("{:.2} / {:.2}", mv(first), mv(last)),
                status,
            ]],
        }
    }

    /// Median |V| of each half-cycle against time, the first failure marked.
    pub(super) fn overpotential_figure(&self, r: &CycleLife) -> Figure {
        let hours: Vec<f64> =
            r.half_cycles.iter().map(|h| Quantity::Time.to_display(0.5 * (h.time.0 + h.time.1))).collect();
        let eta: Vec<f64> = r.half_cycles.iter().map(|h| mv(h.plateau_voltage)).collect();
        let mut fig = Figure::new(
            format!("overpotential-{}", self.material.id),
            format!("Overpotential per half-cycle, {}", self.material.preset.name),
            Axis::linear("time [h]"),
            Axis::linear("overpotential |V| [mV]"),
        )
        .with_series(Series::line_markers("median |V| of each half-cycle", hours, eta));
        if let Some(f) = r.failure {
            fig = fig.with_marker(Marker::vertical(
                format!("failure: {}", f.mode.describe()),
                Quantity::Time.to_display(f.time),
            ));
        }
        fig.with_caption("Median |V| of each constant-current half-cycle (rests excluded) against time; the line marks the first failure.")
    }

    /// Zoomed views of the first and last two cycles of the raw voltage.
    pub(super) fn zoom_figures(&self, r: &CycleLife, t: &[f64], v: &[f64]) -> Vec<Figure> {
        let n = r.half_cycles.len();
        [("early", 0..n.min(4)), ("late", n.saturating_sub(4)..n)]
            .into_iter()
            .map(|(name, range)| {
                let (a, b) = (r.half_cycles[range.start].range.0, r.half_cycles[range.end - 1].range.1);
                Figure::new(
                    format!("voltage-{name}-{}", self.material.id),
                    format!(
                        "{} cycles, {}",
                        if name == "early" { "First" } else { "Last" },
                        self.material.preset.name
                    ),
                    Axis::linear("time [h]"),
                    Axis::linear("V [mV]"),
                )
                .with_series(Series::line(
                    "V(t)",
                    t[a..b].iter().map(|x| Quantity::Time.to_display(*x)).collect::<Vec<_>>(),
                    v[a..b].iter().map(|x| mv(*x)).collect::<Vec<_>>(),
                ))
                .with_caption("Zoom on the raw voltage (inset of the overpotential plot).")
            })
            .collect()
    }

    /// Attaches the step's options to every metric.
    pub(super) fn attach_options(&self, out: &mut StepOutput) {
        let f = &self.options.failure;
        let options = [
            ("area", format!("{} m2", self.area)),
            ("polarization_factor", self.options.polarization_factor.to_string()),
            ("collapse_fraction", format!("{} %", Quantity::Fraction.to_display(f.collapse_fraction))),
            ("short_voltage", format!("{} V", f.short_voltage)),
            ("noise_fraction", format!("{} %", Quantity::Fraction.to_display(f.noise_fraction))),
            ("cutoff_voltage", format!("{} V", f.cutoff_voltage)),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
    }
}

/// The median |j| over the half-cycles [A/m²].
fn current_density(r: &CycleLife) -> f64 {
    median(&r.half_cycles.iter().map(|h| h.current_density.abs()).collect::<Vec<_>>())
}
