//! The `eis-conductivity` step's metric, table, Nyquist figure and note.

use spelab_analysis::eis::conductivity::{BulkResistance, Conductivity};
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use spelab_report::{Axis, Figure, Series, Table};

use super::{EisConductivity, Input, Source};
use crate::steps::StepOutput;

/// The step's table, figure and metrics, filled one spectrum at a time.
pub(super) struct Presentation {
    table: Table,
    nyquist: Figure,
    metrics: Vec<Metric>,
}

impl Presentation {
    /// The empty table and Nyquist figure.
    pub(super) fn new() -> Self {
        let table = Table {
            title: "Ionic conductivity σ = L/(R_b A)".into(),
            columns: ["material", "spectrum", "T", "R_b [Ω]", "method", "σ"].map(String::from).to_vec(),
            rows: Vec::new(),
        };
        let nyquist = Figure::new(
            "eis-conductivity-nyquist",
            "Nyquist plots",
            Axis::linear("Z' [Ω]"),
            Axis::linear("−Z'' [Ω]"),
        );
        Presentation { table, nyquist, metrics: Vec::new() }
    }

    /// Adds one spectrum's metric (from `source`, with the simulation's `input_value`), row and series.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
        &mut self,
        input: &Input,
        spectrum: &ImpedanceSpectrum,
        bulk: &BulkResistance,
        sigma: &Conductivity,
        source: String,
        input_value: Option<f64>,
        i: usize,
    ) {
        let mut metric = Metric::new(MetricId::IonicConductivity, sigma.sigma, source)
            .with_material(input.material.id.clone())
            .with_method(format!("EIS, σ = L/(R_b A), R_b from {}", bulk.method))
            .with_condition("temperature_K", input.temperature)
            .with_uncertainty(sigma.std_error);
        if let Some(v) = input_value {
            metric = metric.with_input_value(v);
        }
        self.table.rows.push(vec![
            input.material.id.clone(),
            input.label.clone(),
            format!("{:.1} °C", Quantity::Temperature.to_display(input.temperature)),
            spelab_core::units::format_with_uncertainty(bulk.value, bulk.std_error),
            bulk.method.to_string(),
            metric.display.clone(),
        ]);
        self.nyquist.series.push(
            Series::line_markers(
                input.label.clone(),
                spectrum.real(),
                spectrum.imag().iter().map(|v| -v).collect::<Vec<_>>(),
            )
            .with_color(i),
        );
        self.metrics.push(metric);
    }

    /// Moves the metrics, table, figure and the virtual-lab note into the step's output.
    pub(super) fn finish(self, step: &EisConductivity, out: &mut StepOutput) {
        out.metrics.extend(self.metrics);
        out.tables.push(self.table);
        out.figures.push(self.nyquist.with_caption(
            "Each spectrum analysed; R_b is read where the spike meets the real axis or from the fit.",
        ));
        if step.inputs.iter().any(|i| matches!(i.source, Source::Virtual { .. })) {
            out.notes.push(format!(
                "Virtual lab: the blocking-cell instrument's SS|SPE|SS spectra (R_b ∥ C_g + 2 double layers) from each material's σ(T), thickness and A = {:.3} cm²; the analysis should recover the input σ within its uncertainty.",
                Quantity::Area.to_display(step.area)
            ));
        }
    }
}
