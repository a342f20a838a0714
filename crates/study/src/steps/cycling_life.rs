//! Step kind `cycling-life`: symmetric-cell (Li|SPE|Li) cycling life, failure mode and cumulative
//! capacity from a galvanostatic record read from a table.
//!
//! Runs `spelab_analysis::cycling_life`: per-half-cycle overpotential and ASR, failure detection (hard
//! and soft short, divergence, polarization growth), lifetime under current (rests excluded) and the
//! cumulative capacity with both directions counted. Figures: overpotential vs time, with zoomed views
//! of the first and last cycles.

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::ccd::CcdOptions;
use spelab_analysis::cycling_life::{cycling_life, CycleLifeOptions};
use spelab_analysis::fit::median;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use toml::Spanned;

use super::source::{self, DataSource};
use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "cycling-life",
    title: "Symmetric-cell cycling life and cumulative capacity",
    summary: "Lifetime, failure mode, overpotential/ASR per half-cycle and cumulative capacity of a Li|SPE|Li cell, from a table",
    example: r#"[[step]]
kind = "cycling-life"
file = "li-li.csv"                   # headers with units: time [h], current [mA], voltage [V]
material = "pvh-im"
area = "1 cm2"
# optional (defaults shown): time_column = "time"  current_column = "current"  voltage_column = "voltage"
# or, for any CSV/TSV: columns = { time = 0, voltage = "Ewe/V", current = 2 }  units = { current = "mA" }
# polarization_factor = 5   short_voltage = "1 mV"  collapse_fraction = "50 %"  noise_fraction = "10 %"  cutoff_voltage = "1 V""#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Spanned<String>,
    polarization_factor: Option<f64>,
    short_voltage: Option<Spanned<String>>,
    collapse_fraction: Option<Spanned<String>>,
    noise_fraction: Option<Spanned<String>>,
    cutoff_voltage: Option<Spanned<String>>,
}

struct Life {
    material: Material,
    input: columns::CycleInput,
    area: f64,
    options: CycleLifeOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (source, o): (DataSource, Options) = DataSource::split(spec, source::CYCLING_FILE)?;
    let file = source.required_file(spec)?;
    let material = spec.material(source.required_material(spec)?)?;
    let input = columns::CycleInput::parse(spec, file, &source)?;
    let area = spec.required_positive(&o.area, Quantity::Area, "area")?;
    let d = CcdOptions::default();
    let failure = super::ccd::failure_thresholds(
        spec,
        [&o.short_voltage, &o.collapse_fraction, &o.noise_fraction, &o.cutoff_voltage],
        d,
    )?;
    let polarization_factor = o.polarization_factor.unwrap_or(5.0);
    if !(polarization_factor > 1.0 && polarization_factor.is_finite()) {
        return Err(spec.error(None, "polarization_factor must be > 1"));
    }
    Ok(Box::new(Life { material, input, area, options: CycleLifeOptions { failure, polarization_factor } }))
}

impl Step for Life {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let rec =
            self.input.read("cycling-life", &[spelab_core::Technique::Gcpl, spelab_core::Technique::Cp])?;
        let [t, i, v]: [Vec<f64>; 3] =
            rec.columns.try_into().map_err(|_| anyhow::anyhow!("three columns"))?;
        let r = cycling_life(&t, &i, &v, self.area, &self.options)
            .with_context(|| format!("material '{}' ({})", self.material.id, self.input.label))?;
        progress(0.5);
        let j = median(&r.half_cycles.iter().map(|h| h.current_density.abs()).collect::<Vec<_>>());
        let status = match r.failure {
            Some(f) => format!("failed: {}", f.mode.describe()),
            None => "no failure within the record (lifetime is a lower bound)".into(),
        };
        let method = format!(
            "time under current until the first failure, rests excluded; {status}; thresholds: collapse < {:.0} %, |V| < {:.2} mV, noise > {:.0} %, cut-off {:.2} V, polarization > {:.1}× initial",
            Quantity::Fraction.to_display(self.options.failure.collapse_fraction),
            self.options.failure.short_voltage * 1e3,
            Quantity::Fraction.to_display(self.options.failure.noise_fraction),
            self.options.failure.cutoff_voltage,
            self.options.polarization_factor
        );
        let mut out = StepOutput::default();
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
        let first = r.half_cycles[0].plateau_voltage;
        let last = r.half_cycles[r.completed_half_cycles.saturating_sub(1)].plateau_voltage;
        out.tables.push(Table {
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
                format!("{:.3}", Quantity::CurrentDensity.to_display(j)),
                format!("{:.2}", Quantity::Time.to_display(r.lifetime)),
                r.completed_half_cycles.to_string(),
                format!(
                    "{:.3} (one direction {:.3})",
                    r.cumulative_capacity / 3.6e4,
                    r.one_direction_capacity / 3.6e4
                ),
                format!("{:.2} / {:.2}", first * 1e3, last * 1e3),
                status,
            ]],
        });
        let hours: Vec<f64> =
            r.half_cycles.iter().map(|h| Quantity::Time.to_display(0.5 * (h.time.0 + h.time.1))).collect();
        let eta: Vec<f64> = r.half_cycles.iter().map(|h| h.plateau_voltage * 1e3).collect();
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
        out.figures.push(fig.with_caption("Median |V| of each constant-current half-cycle (rests excluded) against time; the line marks the first failure."));
        // Zoomed views of the first and last two cycles of the raw voltage.
        let n = r.half_cycles.len();
        for (name, range) in [("early", 0..n.min(4)), ("late", n.saturating_sub(4)..n)] {
            let (a, b) = (r.half_cycles[range.start].range.0, r.half_cycles[range.end - 1].range.1);
            out.figures.push(
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
                    v[a..b].iter().map(|x| x * 1e3).collect::<Vec<_>>(),
                ))
                .with_caption("Zoom on the raw voltage (inset of the overpotential plot)."),
            );
        }
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
        progress(1.0);
        Ok(out)
    }
}
