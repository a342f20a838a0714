//! Step kind `exchange-current`: exchange current density i₀ of Li|SPE from a symmetric-cell sweep.
//!
//! - **virtual lab** (no `file`): for each material spelab-sim's 1D Li|SPE|Li model of the preset
//!   (1 M salt) is swept 0 → 0.3 V at 1 V/s by the virtual potentiostat (`lab::tafel_sweep`,
//!   3 mV sampling), with the model's R_b = L/(κA) for the iR correction;
//! - **measured** (`file` + `material`): a table with voltage and current columns (units in headers),
//!   `area`, and optionally `bulk_resistance` (enables the iR-corrected fits) and
//!   `interface_resistance` (the EIS route i₀ = 2RT/(F R_int A)).
//!
//! `spelab_analysis::exchange` fits Tafel lines (automatic window search), the symmetric and
//! asymmetric Butler–Volmer forms, "paper-style" on the uncorrected voltage and iR-corrected. The
//! metric is the iR-corrected symmetric BV i₀ when R_b is known, else the paper-style Tafel i₀.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::exchange::{exchange_current, i0_from_charge_transfer, KineticFits, TafelOptions};
use spelab_core::constants::{FARADAY, GAS_CONSTANT, T_REF};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Series, Table};
use spelab_sim::lab::{self, CellSpec, TafelSweep};
use toml::Spanned;

use super::source::DataSource;
use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "exchange-current",
    title: "Exchange current density (Tafel, Butler-Volmer, EIS; symmetric cell)",
    summary: "i0 of the Li|SPE interface by Tafel window search and Butler-Volmer fits, paper-style and iR-corrected: simulated, or read from a table",
    example: r#"[[step]]
kind = "exchange-current"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
area = "1 cm2"
# measured instead:  file = "tafel.csv"  material = "pvh-im"  area = "1.13 cm2"
#   voltage_column = "voltage"  current_column = "current"      (headers with units: voltage [mV], current [uA])
#   bulk_resistance = "80 ohm"   interface_resistance = "900 ohm"   temperature = "25 degC"
#   min_overpotential = "100 mV"  min_span = "50 mV""#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    area: Option<Spanned<String>>,
    bulk_resistance: Option<Spanned<String>>,
    interface_resistance: Option<Spanned<String>>,
    temperature: Option<Spanned<String>>,
    min_overpotential: Option<Spanned<String>>,
    min_span: Option<Spanned<String>>,
}

enum Source {
    Virtual(Vec<Material>),
    Measured { material: Box<Material>, path: PathBuf, label: String, voltage: String, current: String },
}

struct Exchange {
    source: Source,
    area: f64,
    bulk_resistance: Option<f64>,
    interface_resistance: Option<f64>,
    temperature: f64,
    tafel: TafelOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) =
        DataSource::split(spec, &["file", "material", "materials", "voltage_column", "current_column"])?;
    let q = StepSpec::optional_positive_quantity;
    let area = q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(1e-4);
    let temperature = q(spec, &o.temperature, Quantity::Temperature, "temperature")?.unwrap_or(T_REF);
    let d = TafelOptions::default();
    let tafel = TafelOptions {
        min_overpotential: q(spec, &o.min_overpotential, Quantity::Voltage, "min_overpotential")?
            .unwrap_or(d.min_overpotential),
        min_span: q(spec, &o.min_span, Quantity::Voltage, "min_span")?.unwrap_or(d.min_span),
        ..d
    };
    let bulk_resistance = q(spec, &o.bulk_resistance, Quantity::Resistance, "bulk_resistance")?;
    let interface_resistance =
        q(spec, &o.interface_resistance, Quantity::Resistance, "interface_resistance")?;
    let source = if let Some(file) = &src.file {
        if src.materials.is_some() {
            return Err(spec.error(
                Some(file.span()),
                "`materials` is for simulated data; a step with `file` reads measured data",
            ));
        }
        if o.area.is_none() {
            return Err(spec.error(Some(file.span()), "a measured sweep needs the electrode `area`"));
        }
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => return Err(spec.error(Some(file.span()), "a measured sweep needs `material = \"...\"`")),
        };
        Source::Measured {
            material: Box::new(material),
            path: spec.file(file, "file")?,
            label: file.get_ref().clone(),
            voltage: src.voltage_column.unwrap_or_else(|| "voltage".into()),
            current: src.current_column.unwrap_or_else(|| "current".into()),
        }
    } else {
        if let Some(v) =
            o.bulk_resistance.as_ref().or(o.interface_resistance.as_ref()).or(src.material.as_ref())
        {
            return Err(spec.error(Some(v.span()), "`material` and resistances are for measured data; the virtual lab derives them from the preset"));
        }
        Source::Virtual(spec.materials_or_all(&src.materials)?)
    };
    Ok(Box::new(Exchange { source, area, bulk_resistance, interface_resistance, temperature, tafel }))
}

/// The virtual sweep: the lab's defaults (0 → 0.3 V at 1 V/s, 3 mV sampling: fast enough that the
/// diffusion layer stays thin, so the iR-corrected voltage is the interfacial overpotential) on the
/// material's 1 M cell with the step's electrode `area` [m²].
fn virtual_sweep(area: f64) -> TafelSweep {
    TafelSweep { cell: CellSpec { area: Some(area), ..CellSpec::default() }, ..TafelSweep::default() }
}

struct Dataset {
    material: Material,
    source: String,
    voltage: Vec<f64>,
    current_density: Vec<f64>,
    bulk_resistance: Option<f64>,
    temperature: f64,
    input: Option<f64>,
}

fn rows(table: &mut Table, material: &str, label: &str, f: &KineticFits) {
    let ma = |j: f64| format!("{:.4}", Quantity::CurrentDensity.to_display(j));
    for t in [&f.tafel_anodic, &f.tafel_cathodic].into_iter().flatten() {
        table.rows.push(vec![
            material.into(),
            label.into(),
            format!(
                "Tafel {} ({:.0}–{:.0} mV per electrode)",
                if t.anodic { "anodic" } else { "cathodic" },
                t.window.0 * 1e3,
                t.window.1 * 1e3
            ),
            format!("{} ± {}", ma(t.i0), ma(t.i0_std_error)),
            format!("{:.3}", t.alpha),
            format!("{:.5}", t.line.r_squared),
        ]);
    }
    for (name, b) in [
        ("BV symmetric 2i₀ sinh(Fη/4RT)", Some(&f.bv_symmetric)),
        ("BV asymmetric (α free)", f.bv_asymmetric.as_ref()),
    ] {
        if let Some(b) = b {
            table.rows.push(vec![
                material.into(),
                label.into(),
                name.into(),
                format!("{} ± {}", ma(b.i0), ma(b.i0_std_error)),
                format!("{:.3} ± {:.3}", b.alpha, b.alpha_std_error),
                format!("{:.5}", b.r_squared),
            ]);
        }
    }
}

impl Step for Exchange {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets: Vec<Dataset> = match &self.source {
            Source::Virtual(materials) => materials
                .iter()
                .map(|m| {
                    let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
                    let run = lab::tafel_sweep(&p, &virtual_sweep(self.area))
                        .with_context(|| format!("material '{}': simulated sweep", m.id))?;
                    Ok(Dataset {
                        material: m.clone(),
                        source: SOURCE_SIMULATION.into(),
                        voltage: run.data.voltage().to_vec(),
                        current_density: run.data.current().iter().map(|i| i / run.cell.area).collect(),
                        bulk_resistance: Some(run.bulk_resistance),
                        temperature: p.temperature,
                        input: Some(p.exchange_current_density),
                    })
                })
                .collect::<anyhow::Result<_>>()?,
            Source::Measured { material, path, label, voltage, current } => {
                let table = columns::read(path, label)?;
                let i = columns::si(&table, current, Quantity::Current)?;
                vec![Dataset {
                    material: (**material).clone(),
                    source: label.clone(),
                    voltage: columns::si(&table, voltage, Quantity::Voltage)?,
                    current_density: i.iter().map(|i| i / self.area).collect(),
                    bulk_resistance: self.bulk_resistance,
                    temperature: self.temperature,
                    input: None,
                }]
            }
        };
        let mut out = StepOutput::default();
        let mut table = Table {
            title: "Exchange current density fits (paper-style = uncorrected cell voltage)".into(),
            columns: ["material", "voltage axis", "method", "i₀ [mA/cm²]", "α", "R²"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let n = datasets.len();
        for (k, d) in datasets.iter().enumerate() {
            let r = exchange_current(
                &d.voltage,
                &d.current_density,
                d.temperature,
                d.bulk_resistance.map(|r| r * self.area),
                &self.tafel,
            )
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            rows(&mut table, &d.material.id, "paper-style (V)", &r.uncorrected);
            if let Some(c) = &r.corrected {
                rows(&mut table, &d.material.id, "iR-corrected (V − I R_b)", c);
            }
            let (value, se, method) = match &r.corrected {
                Some(c) => (
                    c.bv_symmetric.i0,
                    c.bv_symmetric.i0_std_error,
                    "symmetric Butler–Volmer fit j = 2 i₀ sinh(Fη/4RT), iR-corrected η = V − I R_b"
                        .to_string(),
                ),
                None => match (&r.uncorrected.tafel_anodic, r.uncorrected.tafel_i0()) {
                    (Some(t), Some(i0)) => (
                        i0,
                        t.i0_std_error,
                        "Tafel, paper-style (uncorrected cell voltage), automatic window search".to_string(),
                    ),
                    _ => (
                        r.uncorrected.bv_symmetric.i0,
                        r.uncorrected.bv_symmetric.i0_std_error,
                        "symmetric Butler–Volmer fit, paper-style (uncorrected)".to_string(),
                    ),
                },
            };
            let mut m = Metric::new(MetricId::ExchangeCurrentDensity, value, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(format!("{method}; T = {:.2} K; area {:.4} cm²", d.temperature, self.area * 1e4))
                .with_condition("temperature_K", d.temperature);
            if let Some(i) = d.input {
                m = m.with_input_value(i);
            }
            // An exact (noise-free) fit has an SE at rounding level: reported as no uncertainty.
            if se > 1e-6 * value.abs() {
                m = m.with_uncertainty(se);
            }
            out.metrics.push(m);
            if let (Some(r_int), Source::Measured { .. }) = (self.interface_resistance, &self.source) {
                let i0 = i0_from_charge_transfer(r_int, self.area, d.temperature, true)?;
                table.rows.push(vec![
                    d.material.id.clone(),
                    "EIS".into(),
                    "i₀ = 2RT/(F R_int A) (two interfaces in the arc)".into(),
                    format!("{:.4}", Quantity::CurrentDensity.to_display(i0)),
                    "—".into(),
                    "—".into(),
                ]);
            }
            let fits = r.corrected.as_ref().unwrap_or(&r.uncorrected);
            let axis = if r.corrected.is_some() { "η = V − I R_b [mV]" } else { "V (uncorrected) [mV]" };
            let ma = |j: f64| Quantity::CurrentDensity.to_display(j.abs());
            let pts: Vec<(f64, f64)> = fits
                .eta_cell
                .iter()
                .zip(&d.current_density)
                .filter(|(_, j)| **j != 0.0)
                .map(|(e, j)| (e * 1e3, ma(*j)))
                .collect();
            let mut fig = Figure::new(
                format!("tafel-{}", d.material.id),
                format!("Tafel plot, {}", d.material.preset.name),
                Axis::linear(axis),
                Axis::log("|j| [mA/cm²]"),
            )
            .with_series(
                Series::markers(
                    "data",
                    pts.iter().map(|p| p.0).collect::<Vec<_>>(),
                    pts.iter().map(|p| p.1).collect::<Vec<_>>(),
                )
                .with_color(k),
            );
            let bv = &fits.bv_symmetric;
            let f = FARADAY / (GAS_CONSTANT * d.temperature);
            let bv_pts: Vec<(f64, f64)> = fits
                .eta_cell
                .iter()
                .filter(|e| **e != 0.0)
                .map(|e| (e * 1e3, ma(2.0 * bv.i0 * (f * e / 4.0).sinh())))
                .collect();
            fig = fig.with_series(Series::line(
                "BV fit",
                bv_pts.iter().map(|p| p.0).collect::<Vec<_>>(),
                bv_pts.iter().map(|p| p.1).collect::<Vec<_>>(),
            ));
            for t in [&fits.tafel_anodic, &fits.tafel_cathodic].into_iter().flatten() {
                // Tafel line from η = 0 (intercept i₀) to the window's far end, in cell overpotential.
                let far = 2.0 * t.window.1;
                let xs = [0.0, far * 1e3];
                let ys = [ma(t.i0), ma(10f64.powf(t.line.at(far.abs() / 2.0)))];
                fig = fig.with_series(Series::dashed(
                    format!("Tafel {}", if t.anodic { "anodic" } else { "cathodic" }),
                    xs.to_vec(),
                    ys.to_vec(),
                ));
            }
            out.figures.push(fig.with_caption(
                "Markers: |j| against the (corrected when R_b is known) cell overpotential; line: symmetric BV fit; dashed: Tafel lines from their automatically chosen windows extrapolated to η = 0, where they meet i₀.",
            ));
            progress((k + 1) as f64 / n as f64);
        }
        let options = [
            ("area", format!("{} m2", self.area)),
            ("min_overpotential", format!("{} V", self.tafel.min_overpotential)),
            ("min_span", format!("{} V", self.tafel.min_span)),
            ("min_points", self.tafel.min_points.to_string()),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        out.tables.push(table);
        if let Source::Virtual(_) = &self.source {
            let sweep = virtual_sweep(self.area);
            out.notes.push(format!(
                "Virtual lab: spelab-sim 1D Li|SPE|Li model of each preset (1 M salt), swept 0 → {} V at \
                 {} V/s; fast and short so that the diffusion layer stays thin and the iR-corrected voltage is \
                 the interfacial overpotential (a slow sweep to 0.5 V is dominated by concentration polarization and \
                 the BV fit then underestimates i₀ several-fold). The recovered i₀ should match the preset's input.",
                sweep.end_voltage, sweep.rate
            ));
        }
        out.notes.push(
            "Paper-style values fit the uncorrected cell voltage; corrected values subtract I·R_b. Li kinetics may follow Marcus–Hush–Chidsey rather than BV (methods.md §5).".into(),
        );
        Ok(out)
    }
}
