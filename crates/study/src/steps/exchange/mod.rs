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
//!
//! Laid out as `options` (parsing), `virtual_lab` (the simulated sweep), `present` (metric, table,
//! Tafel plot, notes).

mod options;
mod present;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use spelab_analysis::exchange::{exchange_current, i0_from_charge_transfer, TafelOptions};
use spelab_core::units::Quantity;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use options::parse;

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

/// One swept data set: the cell voltage [V] and current density [A/m²] of one material.
struct Dataset {
    material: Material,
    source: String,
    voltage: Vec<f64>,
    current_density: Vec<f64>,
    bulk_resistance: Option<f64>,
    temperature: f64,
    input: Option<f64>,
}

impl Step for Exchange {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets: Vec<Dataset> = match &self.source {
            Source::Virtual(materials) => virtual_lab::datasets(materials, self.area)?,
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
        let mut table = present::table();
        let n = datasets.len();
        let mut tafel = None;
        for (k, d) in datasets.iter().enumerate() {
            let r = exchange_current(
                &d.voltage,
                &d.current_density,
                d.temperature,
                d.bulk_resistance.map(|r| r * self.area),
                &self.tafel,
            )
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            present::rows(&mut table, &d.material.id, "paper-style (V)", &r.uncorrected);
            if let Some(c) = &r.corrected {
                present::rows(&mut table, &d.material.id, "iR-corrected (V − I R_b)", c);
            }
            out.metrics.push(present::metric(d, &r, self.area));
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
            tafel = Some(present::tafel_plot(tafel, k, d, &r));
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
        out.figures.extend(tafel.map(present::tafel_caption));
        if let Source::Virtual(_) = &self.source {
            out.notes.push(virtual_lab::note(self.area));
        }
        out.notes.push(
            "Paper-style values fit the uncorrected cell voltage; corrected values subtract I·R_b. Li kinetics may follow Marcus–Hush–Chidsey rather than BV (methods.md §5).".into(),
        );
        Ok(out)
    }
}
