//! The `electronic-conductivity` step's metric, table, figure and notes.

use spelab_analysis::electronic::ElectronicConductivity;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use super::{Dataset, Electronic, Source};
use crate::steps::display::na;
use crate::steps::StepOutput;

impl Electronic {
    /// The empty results table.
    pub(super) fn results_table() -> Table {
        Table {
            title: "Electronic conductivity (σ_e = I_e L / (V A))".into(),
            columns: ["material", "source", "I_e [nA]", "σ_e [S/cm]", "σ_e/σ_ion", "plateau window [h]"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        }
    }

    /// The σ_e metric of one dataset, with its method, uncertainty and simulation input.
    pub(super) fn metric(&self, d: &Dataset, r: &ElectronicConductivity) -> Metric {
        let mut m = Metric::new(MetricId::ElectronicConductivity, r.conductivity.value, d.source.clone())
            .with_material(d.material.id.clone())
            .with_method(format!(
                "DC polarization at {:.3} V, I_e = mean of the final {:.0} % (slope test: drift < {:.2} %); L = {:.1} µm, A = {:.3} cm²",
                self.voltage,
                Quantity::Fraction.to_display(self.options.window_fraction),
                Quantity::Fraction.to_display(self.options.max_relative_change),
                Quantity::Length.to_display(d.thickness),
                Quantity::Area.to_display(self.area)
            ));
        if r.conductivity.uncertainty > 1e-6 * r.conductivity.value {
            m = m.with_uncertainty(r.conductivity.uncertainty);
        }
        if let Some(x) = d.input {
            m = m.with_input_value(x).with_condition("temperature_K", spelab_core::constants::T_REF);
        }
        m
    }

    /// One dataset's row of the results table.
    pub(super) fn row(d: &Dataset, r: &ElectronicConductivity, m: &Metric) -> Vec<String> {
        vec![
            d.material.id.clone(),
            d.source.clone(),
            format!("{:.4}", na(r.plateau.current.value)),
            m.display.clone(),
            r.ratio_to_ionic.map(|x| format!("{x:.3e}")).unwrap_or_else(|| "—".into()),
            format!(
                "{:.2}–{:.2}",
                Quantity::Time.to_display(r.plateau.window.0),
                Quantity::Time.to_display(r.plateau.window.1)
            ),
        ]
    }

    /// |I(t)| against log time on a log axis with the plateau current and window marked (`k` picks the colour).
    pub(super) fn figure(d: &Dataset, r: &ElectronicConductivity, k: usize) -> Figure {
        let sign = if r.plateau.sign_flipped { -1.0 } else { 1.0 };
        let pts: Vec<(f64, f64)> = d
            .time
            .iter()
            .zip(&d.current)
            .map(|(t, i)| (*t, na(sign * i)))
            .filter(|p| p.0 > 0.0 && p.1 > 0.0)
            .collect();
        let i_e = na(r.plateau.current.value);
        Figure::new(
            format!("dc-{}", d.material.id),
            format!("DC polarization, {}", d.material.preset.name),
            Axis::log("time [s]"),
            Axis::log("|I| [nA]"),
        )
        .with_series(
            Series::line(
                "|I(t)|",
                pts.iter().map(|p| p.0).collect::<Vec<_>>(),
                pts.iter().map(|p| p.1).collect::<Vec<_>>(),
            )
            .with_color(k),
        )
        .with_marker(Marker::horizontal(format!("I_e = {i_e:.4} nA"), i_e))
        .with_marker(Marker::vertical("plateau window", r.plateau.window.0))
        .with_caption(
            "Current against log time (t = 0 left out, so the charging spike of the first instants does not \
             dominate); the plateau mean over the marked final window (slope test passed) is I_e.",
        )
    }

    /// Attaches the step's options to every metric, adds the table and the virtual-lab note.
    pub(super) fn finish(&self, table: Table, out: &mut StepOutput) {
        let options = [
            ("voltage", format!("{} V", self.voltage)),
            ("area", format!("{} m2", self.area)),
            ("steady_window", format!("{} %", Quantity::Fraction.to_display(self.options.window_fraction))),
            ("max_drift", format!("{} %", Quantity::Fraction.to_display(self.options.max_relative_change))),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        out.tables.push(table);
        if let Source::Virtual(_) = &self.source {
            out.notes.push(
                "Virtual lab: spelab-sim's blocking-cell DC polarization, an equivalent circuit (R_b in series with the \
                 double layers, parallel to the electronic leak L/(σ_e A)); the 1D model has no electronic conduction, \
                 and the slower salt polarization of a real blocking cell is not modelled."
                    .into(),
            );
        }
    }
}
