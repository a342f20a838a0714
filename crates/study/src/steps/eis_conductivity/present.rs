//! The `eis-conductivity` step's metric, table, Nyquist figure and note.

use spelab_analysis::eis::conductivity::{BulkResistance, Conductivity};
use spelab_analysis::eis::fit::CircuitFit;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use spelab_report::Table;

use super::{EisConductivity, Input, Source};
use crate::steps::nyquist_figure::{nyquist_figure, NyquistSpectrum};
use crate::steps::StepOutput;

/// The step's table, figure and metrics, filled one spectrum at a time.
pub(super) struct Presentation {
    table: Table,
    /// Each spectrum with its label, R_b [Ω] and fit, for the Nyquist figure.
    spectra: Vec<(String, ImpedanceSpectrum, f64, Option<CircuitFit>)>,
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
        Presentation { table, spectra: Vec::new(), metrics: Vec::new() }
    }

    /// Adds one spectrum's metric (from `source`, with the simulation's `input_value`), row and series.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
        &mut self,
        input: &Input,
        spectrum: &ImpedanceSpectrum,
        bulk: &BulkResistance,
        fit: Option<CircuitFit>,
        sigma: &Conductivity,
        source: String,
        input_value: Option<f64>,
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
        self.spectra.push((input.label.clone(), spectrum.clone(), bulk.value, fit));
        self.metrics.push(metric);
    }

    /// Moves the metrics, table, figure and the virtual-lab note into the step's output.
    pub(super) fn finish(self, step: &EisConductivity, out: &mut StepOutput) {
        out.metrics.extend(self.metrics);
        out.tables.push(self.table);
        let items: Vec<NyquistSpectrum<'_>> = self
            .spectra
            .iter()
            .map(|(label, spectrum, rb, fit)| NyquistSpectrum {
                label: label.clone(),
                spectrum,
                bulk_resistance: *rb,
                fit: fit.as_ref(),
            })
            .collect();
        let figure =
            nyquist_figure("eis-conductivity-nyquist".into(), "Nyquist plots".into(), &items).with_caption(
                "Each spectrum analysed (points), the fitted circuit over it when R_b came from a fit (lines), \
                 and R_b on the real axis (rings); R_b is read where the spike meets the real axis or from the fit. \
                 Equal units on both axes, Z' up to 2.5 × the largest R_b; the inset zooms on the smallest R_b.",
            );
        out.figures.push(figure);
        if step.inputs.iter().any(|i| matches!(i.source, Source::Virtual { .. })) {
            out.notes.push(format!(
                "Virtual lab: the blocking-cell instrument's SS|SPE|SS spectra (R_b ∥ C_g + 2 double layers) from each material's σ(T), thickness and A = {:.3} cm²; the analysis should recover the input σ within its uncertainty.",
                Quantity::Area.to_display(step.area)
            ));
        }
    }
}
