//! Step kind `transference`: Li⁺ transference number by potentiostatic polarization (Bruce–Vincent).
//!
//! Two sources of the chronoamperogram:
//! - **virtual lab** (no `file`): for each material, spelab-sim's 1D Li|SPE|Li model of the preset
//!   (1 M salt) is polarized by ΔV with the virtual potentiostat (`instruments::chronoamperometry`,
//!   4 h, 5 s sampling, optional seeded relative noise); the EIS resistances are the model's
//!   R_b = L/(κA) and R_i = 2RT/(F j₀ A) at rest (R_ss = R₀);
//! - **measured** (`file` + `material`): a table with time and current columns whose headers carry units,
//!   and the EIS resistances as options.
//!
//! Either way `spelab_analysis::transference` finds I_ss by the slope test and reports EVB and
//! Bruce–Vincent t₊ with I₀ measured and computed; the metric is the Bruce–Vincent value with the
//! computed I₀ when resistances are known, else EVB.

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::transference::{
    transference_number, Resistances, SteadyStateOptions, Transference, Value,
};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::instruments;
use spelab_sim::symmetric::SymmetricCell;
use toml::Spanned;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::study::{Material, StepSpec, StudyError};

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "transference",
    title: "Li+ transference number (potentiostatic polarization, Bruce-Vincent)",
    summary: "t+ by Evans-Vincent-Bruce and Bruce-Vincent from a chronoamperogram and EIS resistances: simulated, or read from a table",
    example: r#"[[step]]
kind = "transference"
materials = ["pvh", "pvh-im"]        # virtual lab (default: all)
voltage = "10 mV"                    # applied polarization ΔV
area = "1 cm2"                       # virtual cell area
noise = "0.2 %"                      # optional relative current noise (seeded)
# measured instead:  file = "ca.csv"  material = "pvh-im"
#   time_column = "time"  current_column = "current"          (headers with units: time [s], current [uA])
#   bulk_resistance = "95 ohm"  interface_resistance = "310 ohm"  interface_resistance_steady = "360 ohm"
#   resistance_uncertainty = "2 %"   steady_window = "10 %"   max_drift = "1 %""#,
    parse,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    materials: Option<Vec<Spanned<String>>>,
    material: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    time_column: Option<String>,
    current_column: Option<String>,
    voltage: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    noise: Option<Spanned<String>>,
    seed: Option<u64>,
    bulk_resistance: Option<Spanned<String>>,
    interface_resistance: Option<Spanned<String>>,
    interface_resistance_steady: Option<Spanned<String>>,
    resistance_uncertainty: Option<Spanned<String>>,
    steady_window: Option<Spanned<String>>,
    max_drift: Option<Spanned<String>>,
}

enum Source {
    Virtual { materials: Vec<Material>, area: f64, noise: f64, seed: u64 },
    Measured { material: Box<Material>, path: PathBuf, label: String, time: String, current: String },
}

/// Salt concentration of the virtual cells [mol/m³] (1 M, as ccd-predict and symmetric-cycling).
const SALT_CONCENTRATION: f64 = 1000.0;

struct TransferenceStep {
    source: Source,
    voltage: f64,
    resistances: Option<(f64, f64, f64)>,
    resistance_uncertainty: f64,
    options: SteadyStateOptions,
}

fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let o: Options = spec.options()?;
    let q = |spec: &StepSpec<'_>,
             v: &Option<Spanned<String>>,
             quantity,
             key|
     -> Result<Option<f64>, StudyError> {
        v.as_ref().map(|v| spec.quantity(v, quantity, key)).transpose()
    };
    let voltage = q(spec, &o.voltage, Quantity::Voltage, "voltage")?.unwrap_or(0.010);
    if !(voltage > 0.0 && voltage < 0.1) {
        return Err(spec.error(
            o.voltage.as_ref().map(Spanned::span),
            "voltage must be between 0 and 100 mV (ΔV ≪ RT/F for the method to hold; 10 mV is usual)",
        ));
    }
    let fraction =
        |spec: &StepSpec<'_>, v: &Option<Spanned<String>>, key, default: f64| -> Result<f64, StudyError> {
            let x = q(spec, v, Quantity::Fraction, key)?.unwrap_or(default);
            if !(0.0..=0.5).contains(&x) {
                return Err(
                    spec.error(v.as_ref().map(Spanned::span), format!("{key} must be between 0 and 50 %"))
                );
            }
            Ok(x)
        };
    let options = SteadyStateOptions {
        window_fraction: fraction(spec, &o.steady_window, "steady_window", 0.1)?,
        max_relative_change: fraction(spec, &o.max_drift, "max_drift", 0.01)?,
    };
    let resistance_uncertainty = fraction(spec, &o.resistance_uncertainty, "resistance_uncertainty", 0.0)?;
    let rb = q(spec, &o.bulk_resistance, Quantity::Resistance, "bulk_resistance")?;
    let r0 = q(spec, &o.interface_resistance, Quantity::Resistance, "interface_resistance")?;
    let rss = q(spec, &o.interface_resistance_steady, Quantity::Resistance, "interface_resistance_steady")?;
    let resistances = match (rb, r0, rss) {
        (Some(a), Some(b), Some(c)) => Some((a, b, c)),
        (None, None, None) => None,
        _ => {
            return Err(spec.error(
                o.bulk_resistance.as_ref().or(o.interface_resistance.as_ref()).map(Spanned::span),
                "give all three of bulk_resistance, interface_resistance and interface_resistance_steady, or none",
            ))
        }
    };
    let source = if let Some(file) = &o.file {
        for (present, key) in
            [(o.materials.is_some(), "materials"), (o.noise.is_some(), "noise"), (o.area.is_some(), "area")]
        {
            if present {
                return Err(spec.error(
                    Some(file.span()),
                    format!("`{key}` is for simulated data; a step with `file` reads measured data"),
                ));
            }
        }
        let material = match &o.material {
            Some(m) => spec.material(m)?,
            None => {
                return Err(
                    spec.error(Some(file.span()), "a measured chronoamperogram needs `material = \"...\"`")
                )
            }
        };
        let path = spec.file(file, "file")?;
        Source::Measured {
            material: Box::new(material),
            path,
            label: file.get_ref().clone(),
            time: o.time_column.unwrap_or_else(|| "time".into()),
            current: o.current_column.unwrap_or_else(|| "current".into()),
        }
    } else {
        if resistances.is_some() {
            return Err(spec.error(
                o.bulk_resistance.as_ref().map(Spanned::span),
                "resistances are for measured data; the virtual lab derives them from the material",
            ));
        }
        if let Some(m) = &o.material {
            return Err(spec.error(
                Some(m.span()),
                "`material` is for measured data; use `materials = [...]` to simulate",
            ));
        }
        let materials = spec.materials_or_all(&o.materials)?;
        let area = q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(1e-4);
        if area <= 0.0 {
            return Err(spec.error(o.area.as_ref().map(Spanned::span), "area must be > 0"));
        }
        let noise = fraction(spec, &o.noise, "noise", 0.0)?;
        Source::Virtual { materials, area, noise, seed: o.seed.unwrap_or(1) }
    };
    Ok(Box::new(TransferenceStep { source, voltage, resistances, resistance_uncertainty, options }))
}

struct Dataset {
    material: Material,
    source: String,
    time: Vec<f64>,
    current: Vec<f64>,
    resistances: Option<(f64, f64, f64)>,
    input: Option<f64>,
    temperature: Option<f64>,
}

impl TransferenceStep {
    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual { materials, area, noise, seed } => materials
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let p = m.preset.material_params().with_context(|| format!("material '{}'", m.id))?;
                    let mut cell = SymmetricCell::from_material(&p, SALT_CONCENTRATION)
                        .with_context(|| format!("material '{}'", m.id))?;
                    cell.area = *area;
                    let rb = instruments::bulk_resistance(&cell);
                    let ri = 2.0 * instruments::charge_transfer_resistance(&cell);
                    let t = p.transference_number;
                    let run = instruments::chronoamperometry(&cell, self.voltage, 4.0 * 3600.0, 5.0, None)
                        .with_context(|| format!("material '{}': simulated chronoamperometry", m.id))?;
                    let time = run.data.time().to_vec();
                    let mut current = run.data.current().to_vec();
                    super::arrhenius::noisy(&mut current, *noise, seed.wrapping_add(k as u64));
                    Ok(Dataset {
                        material: m.clone(),
                        source: SOURCE_SIMULATION.into(),
                        time,
                        current,
                        resistances: Some((rb, ri, ri)),
                        input: Some(t),
                        temperature: Some(p.temperature),
                    })
                })
                .collect(),
            Source::Measured { material, path, label, time, current } => {
                let wanted = [(time.as_str(), Quantity::Time), (current.as_str(), Quantity::Current)];
                let mut rec = columns::read_record(
                    path,
                    label,
                    &wanted,
                    "transference",
                    &[spelab_core::Technique::Ca, spelab_core::Technique::DcPolarization],
                    None,
                )?;
                let current = rec.columns.pop().unwrap_or_default();
                let time = rec.columns.pop().unwrap_or_default();
                Ok(vec![Dataset {
                    material: (**material).clone(),
                    source: label.clone(),
                    time,
                    current,
                    resistances: self.resistances,
                    input: None,
                    temperature: None,
                }])
            }
        }
    }

    fn figure(&self, d: &Dataset, r: &Transference, k: usize) -> Figure {
        let sign = if r.steady.sign_flipped { -1.0 } else { 1.0 };
        let hours: Vec<f64> = d.time.iter().map(|t| t / 3600.0).collect();
        let ua: Vec<f64> = d.current.iter().map(|i| sign * i * 1e6).collect();
        let mut f = Figure::new(
            format!("transference-{}", d.material.id),
            format!(
                "Potentiostatic polarization, {} (ΔV = {:.1} mV)",
                d.material.preset.name,
                self.voltage * 1e3
            ),
            Axis::linear("time [h]"),
            Axis::linear("|I| [µA]"),
        )
        .with_series(Series::line(format!("{} |I(t)|", d.material.preset.name), hours, ua).with_color(k))
        .with_marker(Marker::horizontal(
            format!("I₀ measured = {:.4} µA", r.i0_measured.value * 1e6),
            r.i0_measured.value * 1e6,
        ))
        .with_marker(Marker::horizontal(
            format!("I_ss = {:.4} µA", r.steady.current.value * 1e6),
            r.steady.current.value * 1e6,
        ))
        .with_marker(Marker::vertical("steady-state window", r.steady.window.0 / 3600.0))
        .with_marker(Marker::vertical("steady state reached (slope test)", r.steady.reached_at / 3600.0));
        if let Some(i0) = r.i0_computed {
            f = f.with_marker(Marker::horizontal(
                format!("I₀ = ΔV/(R_b+R_i) = {:.4} µA", i0.value * 1e6),
                i0.value * 1e6,
            ));
        }
        f.with_caption(
            "Chronoamperogram with the initial currents (measured first point and ΔV/(R_b+R_i)), the steady-state \
             current (mean of the final window that passed the slope test) and the time the slope test was first met.",
        )
    }
}

fn fmt(v: Option<Value>) -> String {
    v.map(|v| format!("{:.4} ± {:.4}", v.value, v.uncertainty)).unwrap_or_else(|| "—".into())
}

impl Step for TransferenceStep {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets = self.datasets()?;
        let mut out = StepOutput::default();
        let mut table = Table {
            title: "Li⁺ transference number (EVB: I_ss/I₀; BV: Bruce–Vincent corrected)".into(),
            columns: [
                "material",
                "source",
                "I₀ meas. [µA]",
                "I₀ calc. [µA]",
                "I_ss [µA]",
                "t₊ EVB (I₀ meas.)",
                "t₊ EVB (I₀ calc.)",
                "t₊ BV (I₀ meas.)",
                "t₊ BV (I₀ calc.)",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        let n = datasets.len();
        for (k, d) in datasets.iter().enumerate() {
            let u = self.resistance_uncertainty;
            let resistances = d.resistances.map(|(rb, r0, rss)| Resistances {
                bulk_initial: Value::new(rb, u * rb),
                interface_initial: Value::new(r0, u * r0),
                interface_steady: Value::new(rss, u * rss),
            });
            let r = transference_number(
                &d.time,
                &d.current,
                Value::exact(self.voltage),
                resistances,
                &self.options,
            )
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            let (value, method) = r.recommended();
            let mut m = Metric::new(MetricId::TransferenceNumber, value.value, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(format!(
                    "{method}; ΔV = {:.4} V; I_ss = mean of the final {:.0} % (slope test: drift < {:.2} %); resistance uncertainty {:.1} %",
                    self.voltage,
                    self.options.window_fraction * 100.0,
                    self.options.max_relative_change * 100.0,
                    u * 100.0
                ))
;
            if value.uncertainty > 1e-6 * value.value.abs() {
                m = m.with_uncertainty(value.uncertainty);
            }
            if let Some(t) = d.temperature {
                m = m.with_condition("temperature_K", t);
            }
            if let Some(i) = d.input {
                m = m.with_input_value(i);
            }
            table.rows.push(vec![
                d.material.id.clone(),
                d.source.clone(),
                format!("{:.4}", r.i0_measured.value * 1e6),
                r.i0_computed.map(|v| format!("{:.4}", v.value * 1e6)).unwrap_or_else(|| "—".into()),
                format!("{:.4} ± {:.4}", r.steady.current.value * 1e6, r.steady.current.uncertainty * 1e6),
                fmt(Some(r.evb_measured_i0)),
                fmt(r.evb_computed_i0),
                fmt(r.bruce_vincent_measured_i0),
                fmt(r.bruce_vincent_computed_i0),
            ]);
            out.figures.push(self.figure(d, &r, k));
            out.metrics.push(m);
            if r.steady.sign_flipped {
                out.notes
                    .push(format!("{}: the current was negative in the file; |I| was analysed.", d.source));
            }
            progress((k + 1) as f64 / n as f64);
        }
        if let Source::Virtual { area, noise, .. } = &self.source {
            out.notes.push(format!(
                "Virtual lab: spelab-sim 1D Li|SPE|Li model of each preset (1 M salt, cell area {:.3} cm²), 4 h simulated \
                 chronoamperogram{}; R_b = L/(κA) and R_i = 2RT/(F j₀ A) at rest, R_ss = R₀. Known bias: Bruce–Vincent \
                 linearises the cell, so at finite ΔV the sinh kinetics, the concentration dependence of j₀ at the \
                 depleted and enriched faces and ln c in the diffusion potential make it overestimate t₊ by a term \
                 of order ΔV² (10 mV: ≈ +0.8 % PVH, ≈ +7.5 % PVH-IM, where R_i ≫ R_b; 1 mV: < 0.1 %).",
                area * 1e4,
                if *noise > 0.0 { format!(", {:.2} % seeded current noise", noise * 100.0) } else { String::new() }
            ));
        }
        out.notes.push(
            "Valid for ideal, dilute electrolytes only; concentrated SPEs need the Newman/Balsara analysis (methods.md §3).".into(),
        );
        let options = [
            ("voltage", format!("{} V", self.voltage)),
            ("steady_window", format!("{} %", self.options.window_fraction * 100.0)),
            ("max_drift", format!("{} %", self.options.max_relative_change * 100.0)),
            ("resistance_uncertainty", format!("{} %", self.resistance_uncertainty * 100.0)),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        out.tables.push(table);
        Ok(out)
    }
}
