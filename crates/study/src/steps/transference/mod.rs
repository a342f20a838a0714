//! Step kind `transference`: Li⁺ transference number by potentiostatic polarization (Bruce–Vincent).
//!
//! Two sources of the chronoamperogram and the EIS resistances:
//! - **virtual lab** (no `file`): for each material, one call to `lab::transference_experiment`:
//!   spelab-sim's 1D Li|SPE|Li model of the preset (1 M salt) is polarized by ΔV with the virtual
//!   potentiostat (4 h, 5 s sampling, optional seeded relative noise), and the virtual spectrometer
//!   records the Li|SPE|Li spectrum before and after (bulk R ∥ C_g, R_ct ∥ C_dl at both electrodes,
//!   SEI film, finite-length salt diffusion; 1 MHz → 1 Hz, the same relative noise); R_b and R_i
//!   come from circuit fits of those spectra, as for measured files;
//! - **measured** (`file` + `material`): a table with time and current columns whose headers carry
//!   units, and the EIS resistances either as options or from spectra before/after polarization
//!   (`eis_before`, `eis_after`: any format `spelab eis` reads).
//!
//! Spectra are fitted with `circuit` (default `R0-p(R1,CPE1)`), R_b = Σ `bulk_element` (default R0),
//! R_i = Σ `interface_element` (default R1), with the fits' standard errors
//! (`spelab_analysis::transference_eis`). Then `spelab_analysis::transference` finds I_ss by the slope
//! test and reports EVB and Bruce–Vincent t₊ with I₀ measured and computed, and Bruce–Vincent with
//! Butler–Volmer interfaces; the metric is the Bruce–Vincent value with the computed I₀ when
//! resistances are known (`kinetics = "butler-volmer"`: the Butler–Volmer one), else EVB.
//!
//! Laid out as `options` (parsing), `measured`, `virtual_lab` (the simulated cell) and `present`
//! (metric, tables, figures, notes).

mod measured;
mod options;
mod present;
mod virtual_lab;

use std::path::PathBuf;

use anyhow::Context;
use serde::Deserialize;
use spelab_analysis::transference::{transference_number, Resistances, SteadyStateOptions, Value};
use spelab_analysis::transference_eis::{resistances_from_spectra, EisResistances, InterfaceCircuit};
use spelab_core::units::Quantity;
use spelab_core::ImpedanceSpectrum;
use toml::Spanned;

use super::{columns, Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::{Material, StepSpec, StudyError};
use options::parse;
use present::{eis_rows, nyquist};

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
kinetics = "linear"                  # or "butler-volmer": the metric takes the interfacial drop as
                                     # (4RT/F) asinh(I R_i F/4RT) instead of I R_i (both are shown)
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

struct TransferenceStep {
    source: Source,
    voltage: f64,
    resistances: Option<(f64, f64, f64)>,
    resistance_uncertainty: f64,
    options: SteadyStateOptions,
    circuit: InterfaceCircuit,
    /// Report Bruce–Vincent with Butler–Volmer interfaces (`kinetics = "butler-volmer"`) as the metric.
    kinetic: bool,
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
    /// Bruce–Vincent's own bias at this ΔV from a noise-free run of the model (virtual lab), linear and
    /// with Butler–Volmer interfaces, fractions.
    bias: Option<(f64, Option<f64>)>,
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

    /// The datasets of the step's source, simulated or measured.
    fn datasets(&self) -> anyhow::Result<Vec<Dataset>> {
        match &self.source {
            Source::Virtual { materials, area, noise, seed } => self.simulated(materials, area, noise, seed),
            Source::Measured { material, path, label, time, current, eis } => {
                self.measured(material, path, label, time, current, eis)
            }
        }
    }
}

impl Step for TransferenceStep {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let datasets = self.datasets()?;
        let mut out = StepOutput::default();
        let mut table = Self::results_table();
        let mut eis_table = self.eis_table();
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
            let m = self.metric(d, &r);
            table.rows.push(Self::row(d, &r));
            out.figures.push(self.figure(d, &r, k));
            if let Some(e) = &d.eis {
                eis_rows(&mut eis_table, &d.material.id, e);
                out.figures.push(nyquist(d, e, k));
            }
            out.metrics.push(m);
            Self::notes(d, &r, &mut out.notes);
            progress((k + 1) as f64 / n as f64);
        }
        self.finish(table, eis_table, &mut out);
        Ok(out)
    }
}
