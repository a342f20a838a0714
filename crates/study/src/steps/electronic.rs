//! Step kind `electronic-conductivity`: σ_e from DC polarization of an SS|SPE|SS cell.
//!
//! - **virtual lab** (no `file`): for each material spelab-sim's blocking-cell DC polarization
//!   (`lab::electronic_dc_polarization`: the ionic current V/R_b charges the double layers, in
//!   parallel with the electronic leak σ_e V A / L of the preset; 6 h, 5 s sampling);
//! - **measured** (`file` + `material`): a table with time and current columns (units in headers) and the
//!   cell's `thickness` and `area`.
//!
//! `spelab_analysis::electronic` takes the plateau after the slope test; σ_e/σ_ion is reported when the
//! ionic conductivity is known (the preset's, or `ionic_conductivity`).

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::electronic::{electronic_conductivity, DcPolarizationSetup};
use spelab_analysis::transference::{SteadyStateOptions, Value};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::lab::{self, ElectronicExperiment};
use toml::Spanned;

use super::source::DataSource;
use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "electronic-conductivity",
    title: "Electronic conductivity (DC polarization, blocking electrodes)",
    summary: "σ_e = I_e L/(V A) from the steady-state current of a DC polarization: simulated, or read from a table",
    example: r#"[[step]]
kind = "electronic-conductivity"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
voltage = "0.5 V"
# measured instead:  file = "dc.csv"  material = "pvh-im"  thickness = "100 um"  area = "2 cm2"
#   time_column = "time"  current_column = "current"   ionic_conductivity = "1.23 mS/cm"
#   thickness_uncertainty = "2 %"   steady_window = "10 %"   max_drift = "1 %""#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    voltage: Option<Spanned<String>>,
    thickness: Option<Spanned<String>>,
    thickness_uncertainty: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    ionic_conductivity: Option<Spanned<String>>,
    steady_window: Option<Spanned<String>>,
    max_drift: Option<Spanned<String>>,
}

enum Source {
    Virtual(Vec<Material>),
    Measured { material: Box<Material>, path: PathBuf, label: String, time: String, current: String },
}

struct Electronic {
    source: Source,
    voltage: f64,
    thickness: Option<f64>,
    thickness_uncertainty: f64,
    area: f64,
    ionic: Option<f64>,
    options: SteadyStateOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) =
        DataSource::split(spec, &["file", "material", "materials", "time_column", "current_column"])?;
    let q = StepSpec::optional_positive_quantity;
    let d = SteadyStateOptions::default();
    let options = SteadyStateOptions {
        window_fraction: q(spec, &o.steady_window, Quantity::Fraction, "steady_window")?
            .unwrap_or(d.window_fraction),
        max_relative_change: q(spec, &o.max_drift, Quantity::Fraction, "max_drift")?
            .unwrap_or(d.max_relative_change),
    };
    if options.window_fraction > 0.5 {
        return Err(
            spec.error(o.steady_window.as_ref().map(Spanned::span), "steady_window must be at most 50 %")
        );
    }
    let voltage = q(spec, &o.voltage, Quantity::Voltage, "voltage")?.unwrap_or(0.5);
    let thickness = q(spec, &o.thickness, Quantity::Length, "thickness")?;
    let thickness_uncertainty = o
        .thickness_uncertainty
        .as_ref()
        .map(|v| spec.quantity(v, Quantity::Fraction, "thickness_uncertainty"))
        .transpose()?
        .unwrap_or(0.0);
    let area = q(spec, &o.area, Quantity::Area, "area")?;
    let ionic = q(spec, &o.ionic_conductivity, Quantity::Conductivity, "ionic_conductivity")?;
    let source = if let Some(file) = &src.file {
        let (Some(_), Some(_)) = (thickness, area) else {
            return Err(spec.error(
                Some(file.span()),
                "a measured DC polarization needs the cell's `thickness` and `area`",
            ));
        };
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => return Err(spec.error(Some(file.span()), "a measured record needs `material = \"...\"`")),
        };
        Source::Measured {
            material: Box::new(material),
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            time: src.time_column.unwrap_or_else(|| "time".into()),
            current: src.current_column.unwrap_or_else(|| "current".into()),
        }
    } else {
        Source::Virtual(src.virtual_materials(spec)?)
    };
    Ok(Box::new(Electronic {
        source,
        voltage,
        thickness,
        thickness_uncertainty,
        area: area.unwrap_or(1e-4),
        ionic,
        options,
    }))
}

impl Step for Electronic {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        // (material, source, time, current, thickness, ionic σ, input σ_e)
        type Data = (Material, String, Vec<f64>, Vec<f64>, f64, Option<f64>, Option<f64>);
        let datasets: Vec<Data> = match &self.source {
            Source::Virtual(materials) => materials
                .iter()
                .map(|m| {
                    let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
                    let experiment = ElectronicExperiment {
                        voltage: self.voltage,
                        area: self.area,
                        thickness: self.thickness,
                        ..ElectronicExperiment::default()
                    };
                    let l = self.thickness.unwrap_or(p.thickness);
                    let ts = lab::electronic_dc_polarization(&p, &experiment)
                        .with_context(|| format!("material '{}': simulated DC polarization", m.id))?;
                    let (t, i) = (ts.time().to_vec(), ts.current().to_vec());
                    Ok((
                        m.clone(),
                        SOURCE_SIMULATION.to_string(),
                        t,
                        i,
                        l,
                        Some(p.ionic_conductivity_25c),
                        Some(p.electronic_conductivity),
                    ))
                })
                .collect::<anyhow::Result<_>>()?,
            Source::Measured { material, path, label, time, current } => {
                let wanted = [(time.as_str(), Quantity::Time), (current.as_str(), Quantity::Current)];
                let mut rec = columns::read_record(
                    path,
                    label,
                    &wanted,
                    "electronic-conductivity",
                    &[spelab_core::Technique::Ca, spelab_core::Technique::DcPolarization],
                    None,
                )?;
                let current = rec.columns.pop().unwrap_or_default();
                let time = rec.columns.pop().unwrap_or_default();
                vec![(
                    (**material).clone(),
                    label.clone(),
                    time,
                    current,
                    self.thickness.unwrap_or(f64::NAN),
                    self.ionic,
                    None,
                )]
            }
        };
        let mut out = StepOutput::default();
        let mut table = Table {
            title: "Electronic conductivity (σ_e = I_e L / (V A))".into(),
            columns: ["material", "source", "I_e [nA]", "σ_e [S/cm]", "σ_e/σ_ion", "plateau window [h]"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let n = datasets.len();
        for (k, (material, source, t, i, l, ionic, input)) in datasets.iter().enumerate() {
            let setup = DcPolarizationSetup {
                voltage: Value::exact(self.voltage),
                thickness: Value::new(*l, self.thickness_uncertainty * l),
                area: Value::exact(self.area),
            };
            let r = electronic_conductivity(t, i, &setup, *ionic, &self.options)
                .with_context(|| format!("material '{}' ({source})", material.id))?;
            let mut m = Metric::new(MetricId::ElectronicConductivity, r.conductivity.value, source.clone())
                .with_material(material.id.clone())
                .with_method(format!(
                    "DC polarization at {:.3} V, I_e = mean of the final {:.0} % (slope test: drift < {:.2} %); L = {:.1} µm, A = {:.3} cm²",
                    self.voltage,
                    Quantity::Fraction.to_display(self.options.window_fraction),
                    Quantity::Fraction.to_display(self.options.max_relative_change),
                    Quantity::Length.to_display(*l),
                    Quantity::Area.to_display(self.area)
                ))
;
            if r.conductivity.uncertainty > 1e-6 * r.conductivity.value {
                m = m.with_uncertainty(r.conductivity.uncertainty);
            }
            if let Some(x) = input {
                m = m.with_input_value(*x).with_condition("temperature_K", spelab_core::constants::T_REF);
            }
            table.rows.push(vec![
                material.id.clone(),
                source.clone(),
                format!("{:.4}", r.plateau.current.value * 1e9),
                m.display.clone(),
                r.ratio_to_ionic.map(|x| format!("{x:.3e}")).unwrap_or_else(|| "—".into()),
                format!(
                    "{:.2}–{:.2}",
                    Quantity::Time.to_display(r.plateau.window.0),
                    Quantity::Time.to_display(r.plateau.window.1)
                ),
            ]);
            out.metrics.push(m);
            let sign = if r.plateau.sign_flipped { -1.0 } else { 1.0 };
            let pts: Vec<(f64, f64)> = t
                .iter()
                .zip(i)
                .map(|(t, i)| (Quantity::Time.to_display(*t), sign * i * 1e9))
                .filter(|p| p.1 > 0.0)
                .collect();
            out.figures.push(
                Figure::new(format!("dc-{}", material.id), format!("DC polarization, {}", material.preset.name), Axis::linear("time [h]"), Axis::log("|I| [nA]"))
                    .with_series(Series::line("|I(t)|", pts.iter().map(|p| p.0).collect::<Vec<_>>(), pts.iter().map(|p| p.1).collect::<Vec<_>>()).with_color(k))
                    .with_marker(Marker::horizontal(format!("I_e = {:.4} nA", r.plateau.current.value * 1e9), r.plateau.current.value * 1e9))
                    .with_marker(Marker::vertical("plateau window", Quantity::Time.to_display(r.plateau.window.0)))
                    .with_caption("Current on a log axis; the plateau mean over the marked final window (slope test passed) is I_e."),
            );
            progress((k + 1) as f64 / n as f64);
        }
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
        Ok(out)
    }
}
