//! What the `arrhenius` step shows: the Arrhenius plot (data, fit, ±2 SE band, VTF), the fit table,
//! the model comparison, the virtual lab's round trip and the per-spectrum table with its Nyquist
//! plots.

use spelab_analysis::arrhenius::ArrheniusForm;
use spelab_analysis::vtf::{compare_models, ConductivityModel, VogelTemperature, VtfFit};
use spelab_core::metric::Metric;
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};

use anyhow::Context;

use super::{spectra, Dataset, Fitted, StepOutput, ROUND_TRIP_TOLERANCE};
use crate::spec::Material;
use crate::steps::display::kj_mol;

/// The step's figures and tables, filled one material at a time.
pub(super) struct Report {
    figure: Figure,
    table: Table,
    models: Table,
    eis_table: Table,
    recovery: Table,
    nyquists: Vec<Figure>,
    /// The 1000/T grid [1/K] of the current material's fitted lines.
    xs: Vec<f64>,
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// An activation energy [J/mol] in eV per particle.
fn ev(j_per_mol: f64) -> f64 {
    Quantity::ActivationEnergy.to_display(j_per_mol)
}

impl Report {
    pub(super) fn new() -> Self {
        let percent = Quantity::Fraction.to_display(ROUND_TRIP_TOLERANCE);
        Self {
            figure: Figure::new(
                "arrhenius",
                "Arrhenius plot of ionic conductivity",
                Axis::linear("1000/T [1/K]"),
                Axis::log("σ [mS/cm]"),
            ),
            table: Table {
                title: "Arrhenius fits (σ = σ₀ exp(−Ea/RT), OLS on ln σ vs 1/T)".into(),
                columns: columns(&["material", "source", "n", "Ea", "σ(25 °C)", "σ₀", "R²"]),
                rows: Vec::new(),
            },
            models: Table {
                title: "Model comparison on ln σ (AIC = n ln(SSE/n) + 2k; lower is better)".into(),
                columns: columns(&["material", "model", "Ea", "T₀", "R²", "AIC", "choice"]),
                rows: Vec::new(),
            },
            eis_table: spectra::table(),
            recovery: Table {
                title: format!(
                    "Virtual-lab round trip: recovered (EIS → σ(T) → Arrhenius) vs the preset's input vs the paper; accepted within {percent:.0} % of the input"
                ),
                columns: columns(&[
                    "material",
                    "quantity",
                    "recovered",
                    "input",
                    "paper",
                    "recovered − input",
                    "within tolerance",
                ]),
                rows: Vec::new(),
            },
            nyquists: Vec::new(),
            xs: Vec::new(),
        }
    }

    /// The fit row, the data, fitted line and ±2 SE band of material `i`, and its spectra.
    pub(super) fn add_fit(&mut self, i: usize, d: &Dataset, f: &Fitted) {
        let (fit, name) = (&f.fit, &d.material.preset.name);
        if let Some(e) = &d.eis {
            spectra::rows(&mut self.eis_table, &d.material.id, e);
            self.nyquists.push(spectra::nyquist(&d.material, e));
        }
        self.table.rows.push(vec![
            d.material.id.clone(),
            d.source.clone(),
            fit.n_points.to_string(),
            f.activation_energy.display.clone(),
            f.conductivity_25c.display.clone(),
            Quantity::Conductivity.display(fit.prefactor),
            format!("{:.6}", fit.r_squared),
        ]);
        let inv_t: Vec<f64> = d.temperature.iter().map(|t| 1000.0 / t).collect();
        let ms_cm: Vec<f64> = d.conductivity.iter().map(|s| Quantity::Conductivity.to_display(*s)).collect();
        self.push(Series::markers(format!("{name} data"), inv_t.clone(), ms_cm).with_color(i));
        let (lo, hi) =
            inv_t.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        self.xs = (0..=40).map(|k| lo + (hi - lo) * k as f64 / 40.0).collect();
        let ys = self.curve(|t| fit.conductivity_at(t));
        let label = format!("{name} fit, Ea = {}", f.activation_energy.display);
        self.push(Series::line(label, self.xs.clone(), ys).with_color(i));
        // Confidence band of the fitted line: ±2 standard errors of ln σ at each 1/T.
        let band = |k: f64| -> Vec<f64> {
            self.xs
                .iter()
                .map(|x| {
                    let se = f.line.prediction_std_error(x / 1000.0);
                    Quantity::Conductivity.to_display(fit.conductivity_at(1000.0 / x) * (k * 2.0 * se).exp())
                })
                .collect()
        };
        if fit.n_points > 2
            && band(1.0).iter().all(|v| v.is_finite())
            && fit.activation_energy_std_error > 0.0
        {
            let bands = [(1.0, "+"), (-1.0, "−")].map(|(k, sign)| (band(k), sign));
            for (ys, sign) in bands {
                self.push(
                    Series::dashed(format!("{name} fit {sign} 2 SE"), self.xs.clone(), ys).with_color(i),
                );
            }
        }
    }

    /// σ(T) [S/m] on the current 1000/T grid, in mS/cm.
    fn curve(&self, sigma: impl Fn(f64) -> f64) -> Vec<f64> {
        self.xs.iter().map(|x| Quantity::Conductivity.to_display(sigma(1000.0 / x))).collect()
    }

    fn push(&mut self, series: Series) {
        let figure =
            std::mem::replace(&mut self.figure, Figure::new("", "", Axis::linear(""), Axis::linear("")));
        self.figure = figure.with_series(series);
    }

    /// The Arrhenius (σ and σT) and VTF fits of material `i` compared by AIC, and the VTF curve.
    pub(super) fn add_models(
        &mut self,
        i: usize,
        d: &Dataset,
        t0: VogelTemperature,
        notes: &mut Vec<String>,
    ) -> anyhow::Result<()> {
        let c = compare_models(&d.temperature, &d.conductivity, t0)
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
        let choice =
            |m: ConductivityModel| if c.preferred == m { "lowest AIC".into() } else { String::new() };
        for (model, f) in [
            (ConductivityModel::ArrheniusSigma, &c.arrhenius_sigma),
            (ConductivityModel::ArrheniusSigmaT, &c.arrhenius_sigma_t),
        ] {
            self.models.rows.push(vec![
                d.material.id.clone(),
                f.form.describe().into(),
                format!(
                    "{} eV ({:.3} kJ/mol)",
                    spelab_core::units::format_with_uncertainty(
                        ev(f.activation_energy),
                        ev(f.activation_energy_std_error)
                    ),
                    kj_mol(f.activation_energy)
                ),
                "—".into(),
                format!("{:.6}", f.r_squared),
                format!("{:.2}", f.aic),
                choice(model),
            ]);
        }
        match &c.vtf {
            Some(v) => {
                self.models.rows.push(vtf_row(&d.material.id, v, choice(ConductivityModel::Vtf)));
                let ys = self.curve(|t| v.conductivity_at(t));
                let label = format!("{} VTF fit", d.material.preset.name);
                self.push(Series::dashed(label, self.xs.clone(), ys).with_color(i));
            }
            None => notes.push(format!(
                "{}: VTF not fitted: {}",
                d.material.id,
                c.vtf_error.as_deref().unwrap_or("unknown reason")
            )),
        }
        Ok(())
    }

    /// Adds the round-trip rows (recovered vs input vs paper) of one material and a note when a
    /// recovered value misses its input by more than [`ROUND_TRIP_TOLERANCE`].
    pub(super) fn round_trip(&mut self, notes: &mut Vec<String>, material: &Material, f: &Fitted) {
        round_trip(&mut self.recovery, notes, material, &f.activation_energy, &f.conductivity_25c);
    }

    /// The figures and tables into `out`, in the report's order.
    pub(super) fn finish(mut self, form: ArrheniusForm, out: &mut StepOutput) {
        out.figures.push(self.figure.with_caption(
            "Markers: data; lines: Arrhenius fits with their ±2 SE confidence band (dashed, when the data scatter); VTF fits dashed when requested. σ in mS/cm on a log axis against 1000/T.",
        ));
        if form == ArrheniusForm::SigmaT {
            self.table.title =
                "Arrhenius fits (σT = A exp(−Ea/RT), OLS on ln σT vs 1/T; σ₀ column holds A [S K/m])".into();
        }
        out.tables.push(self.table);
        for t in [self.models, self.recovery, self.eis_table] {
            if !t.rows.is_empty() {
                out.tables.push(t);
            }
        }
        out.figures.extend(self.nyquists);
    }
}

/// The model-comparison row of a VTF fit.
fn vtf_row(material: &str, v: &VtfFit, choice: String) -> Vec<String> {
    vec![
        material.to_string(),
        format!("VTF σ = A T^-½ exp(−B/(T−T₀)), T₀ {}", if v.t0_free { "free" } else { "fixed" }),
        format!(
            "{} eV (k_B·B)",
            spelab_core::units::format_with_uncertainty(
                v.activation_energy_ev(),
                ev(v.activation_energy_std_error())
            )
        ),
        format!("{} K", spelab_core::units::format_with_uncertainty(v.t0, v.t0_std_error)),
        format!("{:.6}", v.r_squared),
        format!("{:.2}", v.aic),
        choice,
    ]
}

/// Adds the round-trip rows (recovered vs input vs paper) of one material and a note when a
/// recovered value misses its input by more than [`ROUND_TRIP_TOLERANCE`].
fn round_trip(table: &mut Table, notes: &mut Vec<String>, material: &Material, ea: &Metric, s25: &Metric) {
    for (m, label) in [(ea, "Ea"), (s25, "σ(25 °C)")] {
        let Some(input) = m.input_value else { continue };
        let paper = material.preset.paper_value(m.id, &m.conditions).map(|v| v.si_value);
        let deviation = (m.value - input) / input;
        let ok = deviation.abs() <= ROUND_TRIP_TOLERANCE;
        table.rows.push(vec![
            material.id.clone(),
            label.into(),
            m.display.clone(),
            m.id.display(input),
            paper.map(|p| m.id.display(p)).unwrap_or_else(|| "—".into()),
            format!("{:+.3} %", Quantity::Fraction.to_display(deviation)),
            if ok { "yes".into() } else { "NO".into() },
        ]);
        if !ok {
            notes.push(format!(
                "{}: the recovered {label} misses the input by {:+.2} % (> {:.0} %): the virtual lab's noise or \
                 circuit choice is too rough for this material.",
                material.id,
                Quantity::Fraction.to_display(deviation),
                ROUND_TRIP_TOLERANCE * 100.0
            ));
        }
    }
}
