//! Step kind `transference`: Li⁺ transference number by potentiostatic polarization (Bruce–Vincent).
//!
//! Two sources of the chronoamperogram and the EIS resistances:
//! - **virtual lab** (no `file`): for each material, spelab-sim's 1D Li|SPE|Li model of the preset
//!   (1 M salt) is polarized by ΔV with the virtual potentiostat (`instruments::chronoamperometry`,
//!   4 h, 5 s sampling, optional seeded relative noise), and the virtual spectrometer records the
//!   Li|SPE|Li spectrum before and after (`instruments::impedance_spectrum`: bulk R ∥ C_g, R_ct ∥ C_dl
//!   at both electrodes, SEI film, finite-length salt diffusion; 1 MHz → 1 Hz, the same relative noise);
//!   R_b and R_i come from circuit fits of those spectra, as for measured files;
//! - **measured** (`file` + `material`): a table with time and current columns whose headers carry
//!   units, and the EIS resistances either as options or from spectra before/after polarization
//!   (`eis_before`, `eis_after`: any format `spelab eis` reads).
//!
//! Spectra are fitted with `circuit` (default `R0-p(R1,CPE1)`), R_b = Σ `bulk_element` (default R0),
//! R_i = Σ `interface_element` (default R1), with the fits' standard errors
//! (`spelab_analysis::transference_eis`). Then `spelab_analysis::transference` finds I_ss by the slope
//! test and reports EVB and Bruce–Vincent t₊ with I₀ measured and computed; the metric is the
//! Bruce–Vincent value with the computed I₀ when resistances are known, else EVB.

mod parse;
use parse::parse;

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::transference::{
    transference_number, Resistances, SteadyStateOptions, Transference, Value,
};
use spelab_analysis::transference_eis::{resistances_from_spectra, EisResistances, InterfaceCircuit};
use spelab_core::metric::{Metric, MetricId, SOURCE_SIMULATION};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use spelab_report::{Axis, Figure, Marker, Series, Table};
use spelab_sim::lab::{self as instruments, EisCell, EisOptions, Noise};
use toml::Spanned;

use super::{columns, virtual_cell, Progress, Step, StepContext, StepKind, StepOutput};
use crate::inputs::read_spectrum;
use crate::spec::{Material, StepSpec, StudyError};

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
#   resistance_uncertainty = "2 %"   steady_window = "10 %"   max_drift = "1 %"
# or the resistances from Li|SPE|Li spectra:  eis_before = "eis_0h.mpr"  eis_after = "eis_4h.mpr"
#   circuit = "R0-p(R1,CPE1)"  bulk_element = ["R0"]  interface_element = ["R1"]   (the defaults)"#,
    parse,
};

enum Source {
    Virtual {
        materials: Vec<Material>,
        area: f64,
        noise: f64,
        seed: u64,
    },
    Measured {
        material: Box<Material>,
        path: PathBuf,
        label: String,
        time: String,
        current: String,
        /// Spectra before and after polarization: (label, path) each.
        eis: Option<[(String, PathBuf); 2]>,
    },
}

/// Frequencies of the virtual spectra: 1 MHz → 1 Hz, 10 per decade [Hz]. The interfacial arc
/// (R_ct C_dl ≈ ms) closes above 1 Hz, while the salt's finite-length diffusion (τ = L²/4D ≈ 10³ s)
/// stays below, so R0-p(R1,CPE1) describes the recorded range.
fn virtual_frequencies() -> Vec<f64> {
    instruments::log_frequencies(1e6, 1.0, 10)
}

struct TransferenceStep {
    source: Source,
    voltage: f64,
    resistances: Option<(f64, f64, f64)>,
    resistance_uncertainty: f64,
    options: SteadyStateOptions,
    circuit: InterfaceCircuit,
}

struct Dataset {
    material: Material,
    source: String,
    time: Vec<f64>,
    current: Vec<f64>,
    resistances: Option<Resistances>,
    /// The spectra the resistances came from, when they came from spectra.
    eis: Option<EisDetail>,
    input: Option<f64>,
    temperature: Option<f64>,
}

/// Spectra before/after polarization, their labels and the fitted resistances.
struct EisDetail {
    labels: [String; 2],
    spectra: [ImpedanceSpectrum; 2],
    fitted: EisResistances,
}

impl TransferenceStep {
    /// R_b and R_i from the spectra before and after polarization (errors name the spectrum).
    fn fit_spectra(&self, labels: [String; 2], spectra: [ImpedanceSpectrum; 2]) -> anyhow::Result<EisDetail> {
        let fitted =
            resistances_from_spectra((&labels[0], &spectra[0]), (&labels[1], &spectra[1]), &self.circuit)?;
        Ok(EisDetail { labels, spectra, fitted })
    }

    /// Resistances given as options, with the relative `resistance_uncertainty`.
    fn given_resistances(&self) -> Option<Resistances> {
        let u = self.resistance_uncertainty;
        self.resistances.map(|(rb, r0, rss)| Resistances {
            bulk_initial: Value::new(rb, u * rb),
            interface_initial: Value::new(r0, u * r0),
            interface_steady: Value::new(rss, u * rss),
        })
    }

    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual { materials, area, noise, seed } => materials
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let (p, cell) = virtual_cell::cell(m, *area, None)?;
                    let t = p.transference_number;
                    let run = instruments::chronoamperometry(&cell, self.voltage, 4.0 * 3600.0, 5.0, None)
                        .with_context(|| format!("material '{}': simulated chronoamperometry", m.id))?;
                    let time = run.data.time().to_vec();
                    let mut current = run.data.current().to_vec();
                    super::arrhenius::noisy(&mut current, *noise, seed.wrapping_add(k as u64));
                    // The spectrometer before and after the polarization: the model's interfaces do not
                    // change at 10 mV (no film growth at rest), so the two differ only by their noise.
                    let frequencies = virtual_frequencies();
                    let record = |j: u64| {
                        let noise = (*noise > 0.0).then(|| Noise {
                            voltage_std: 0.0,
                            current_std: 0.0,
                            impedance_relative_std: *noise,
                            seed: seed.wrapping_add(1000 * (k as u64 + 1) + j),
                        });
                        instruments::impedance_spectrum(
                            &cell,
                            EisCell::Symmetric,
                            &frequencies,
                            &EisOptions::default(),
                            noise.as_ref(),
                        )
                        .with_context(|| format!("material '{}': simulated EIS", m.id))
                    };
                    let eis = self
                        .fit_spectra(
                            [
                                format!("virtual {} Li|SPE|Li EIS before", m.id),
                                format!("virtual {} Li|SPE|Li EIS after", m.id),
                            ],
                            [record(0)?, record(1)?],
                        )
                        .with_context(|| format!("material '{}'", m.id))?;
                    Ok(Dataset {
                        material: m.clone(),
                        source: SOURCE_SIMULATION.into(),
                        time,
                        current,
                        resistances: Some(eis.fitted.resistances),
                        eis: Some(eis),
                        input: Some(t),
                        temperature: Some(p.temperature),
                    })
                })
                .collect(),
            Source::Measured { material, path, label, time, current, eis } => {
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
                let eis = match eis {
                    Some([(lb, pb), (la, pa)]) => {
                        let read = |l: &str, p: &std::path::Path| {
                            read_spectrum(p)
                                .with_context(|| format!("{l}: not an impedance spectrum spelab can read"))
                        };
                        Some(self.fit_spectra([lb.clone(), la.clone()], [read(lb, pb)?, read(la, pa)?])?)
                    }
                    None => None,
                };
                Ok(vec![Dataset {
                    material: (**material).clone(),
                    source: match &eis {
                        Some(e) => format!("{label} (EIS {}, {})", e.labels[0], e.labels[1]),
                        None => label.clone(),
                    },
                    time,
                    current,
                    resistances: eis.as_ref().map(|e| e.fitted.resistances).or(self.given_resistances()),
                    eis,
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
        let mut eis_table = Table {
            title: format!("EIS resistances before/after polarization ({})", self.circuit.describe()),
            columns: ["material", "spectrum", "R_b [Ω]", "R_i [Ω]", "fit χ² (pseudo)"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let n = datasets.len();
        for (k, d) in datasets.iter().enumerate() {
            let r = transference_number(
                &d.time,
                &d.current,
                Value::exact(self.voltage),
                d.resistances,
                &self.options,
            )
            .with_context(|| format!("material '{}' ({})", d.material.id, d.source))?;
            let (value, method) = r.recommended();
            let mut m = Metric::new(MetricId::TransferenceNumber, value.value, d.source.clone())
                .with_material(d.material.id.clone())
                .with_method(format!(
                    "{method}; ΔV = {:.4} V; I_ss = mean of the final {:.0} % (slope test: drift < {:.2} %); {}",
                    self.voltage,
                    self.options.window_fraction * 100.0,
                    self.options.max_relative_change * 100.0,
                    match (&d.eis, &d.resistances) {
                        (Some(_), _) => format!(
                            "resistances from EIS before/after polarization ({}, fit standard errors)",
                            self.circuit.describe()
                        ),
                        (None, Some(_)) => format!(
                            "resistances given, uncertainty {:.1} %",
                            self.resistance_uncertainty * 100.0
                        ),
                        (None, None) => "no resistances".into(),
                    }
                ));
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
            if let Some(e) = &d.eis {
                eis_rows(&mut eis_table, &d.material.id, e);
                out.figures.push(nyquist(d, e, k));
            }
            out.metrics.push(m);
            if let (Some(input), Some(bv), Some(res)) = (d.input, r.bruce_vincent_computed_i0, d.resistances)
            {
                let (iss, dv) = (r.steady.current.value, r.applied_voltage.value);
                let gain = 1.0 + iss * res.interface_steady.value / (dv - iss * res.interface_steady.value);
                out.notes.push(format!(
                    "{}: recovered t₊ = {:.4} ± {:.4} vs the preset's {:.4} ({:+.2} %, propagated uncertainty {:.2} %). \
                     Sensitivity: ∂ln t₊/∂ln I_ss = 1 + I_ss R_ss/(ΔV − I_ss R_ss) = {gain:.1}, so where R_i ≫ R_b small \
                     errors of I_ss and of R_i (before vs after) are amplified {gain:.0}-fold.",
                    d.material.id,
                    bv.value,
                    bv.uncertainty,
                    input,
                    (bv.value - input) / input * 100.0,
                    bv.uncertainty / input * 100.0
                ));
            }
            if r.steady.sign_flipped {
                out.notes
                    .push(format!("{}: the current was negative in the file; |I| was analysed.", d.source));
            }
            progress((k + 1) as f64 / n as f64);
        }
        if let Source::Virtual { area, noise, .. } = &self.source {
            out.notes.push(format!(
                "Virtual lab: spelab-sim 1D Li|SPE|Li model of each preset (1 M salt, cell area {:.3} cm²), 4 h simulated \
                 chronoamperogram{}; R_b and R_i from {} fitted to the virtual spectrometer's Li|SPE|Li spectra before \
                 and after ({} points, 1 MHz → 1 Hz; model: R_b ∥ C_g + 2 R_ct ∥ C_dl + SEI + finite-length diffusion, \
                 whose resistances are R_b = L/(κA) and R_i = 2RT/(F j₀ A); the interfaces do not change at rest, so \
                 R_ss ≈ R₀). Known bias: Bruce–Vincent \
                 linearises the cell, so at finite ΔV the sinh kinetics, the concentration dependence of j₀ at the \
                 depleted and enriched faces and ln c in the diffusion potential make it overestimate t₊ by a term \
                 of order ΔV² (10 mV, exact model resistances: ≈ +0.8 % PVH, ≈ +7.5 % PVH-IM, where R_i ≫ R_b; \
                 1 mV: < 0.1 %); the fitted resistances add their own scatter (below).",
                area * 1e4,
                if *noise > 0.0 {
                    format!(", {:.2} % seeded current and impedance noise", noise * 100.0)
                } else {
                    String::new()
                },
                self.circuit.describe(),
                virtual_frequencies().len(),
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
        if !eis_table.rows.is_empty() {
            out.tables.push(eis_table);
        }
        Ok(out)
    }
}

fn eis_rows(table: &mut Table, material: &str, e: &EisDetail) {
    let r = &e.fitted;
    let v = |v: Value| format!("{:.4} ± {:.2e}", v.value, v.uncertainty);
    for (label, rb, ri, fit) in [
        (&e.labels[0], r.resistances.bulk_initial, r.resistances.interface_initial, &r.fit_before),
        (&e.labels[1], r.bulk_after, r.resistances.interface_steady, &r.fit_after),
    ] {
        table.rows.push(vec![
            material.into(),
            label.clone(),
            v(rb),
            v(ri),
            format!("{:.3e}", fit.pseudo_chi2),
        ]);
    }
}

/// Nyquist plot of the spectra before and after, with the fitted circuit's curves.
fn nyquist(d: &Dataset, e: &EisDetail, k: usize) -> Figure {
    let mut f = Figure::new(
        format!("transference-eis-{}", d.material.id),
        format!("Li|SPE|Li impedance before and after polarization, {}", d.material.preset.name),
        Axis::linear("Z' [Ω]"),
        Axis::linear("−Z'' [Ω]"),
    );
    for (j, ((label, s), fit)) in
        e.labels.iter().zip(&e.spectra).zip([&e.fitted.fit_before, &e.fitted.fit_after]).enumerate()
    {
        f = f.with_series(
            Series::markers(label.clone(), s.real(), s.imag().iter().map(|v| -v).collect::<Vec<_>>())
                .with_color(2 * k + j),
        );
        if let Ok(circuit) = fit.circuit.parse::<spelab_analysis::eis::Circuit>() {
            let z = circuit.impedances(&s.angular_frequency(), &fit.values());
            f = f.with_series(
                Series::line(
                    format!("{label}: fit"),
                    z.iter().map(|z| z.re).collect::<Vec<_>>(),
                    z.iter().map(|z| -z.im).collect::<Vec<_>>(),
                )
                .with_color(2 * k + j),
            );
        }
    }
    f.with_caption(format!(
        "Markers: spectra; lines: the fitted circuit. R_b is where the arc starts on the real axis, R_b + R_i where it ends \
         ({}).",
        e.fitted.fit_before.circuit
    ))
}
