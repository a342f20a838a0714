//! The `symmetric-cycling` step's tables, figures and notes.

use spelab_core::constants::T_REF;
use spelab_core::metric::Conditions;
use spelab_core::units::Quantity;
use spelab_core::MetricId;
use spelab_report::{Axis, Figure, Series, Table};

use super::virtual_lab::Simulated;
use super::Cycling;
use crate::spec::Material;
use crate::steps::display::{mv, ohm_cm2};
use crate::steps::StepOutput;

/// A voltage in mV to 2 decimals.
fn mv2(v: f64) -> String {
    format!("{:.2} mV", mv(v))
}

/// The step's tables and figures, filled one material at a time.
pub(super) struct Presentation {
    polarization: Table,
    life: Table,
    voltage: Figure,
    overpotential: Figure,
    conditions: Conditions,
}

impl Presentation {
    /// Empty tables and figures titled for the step's current and protocol.
    pub(super) fn new(step: &Cycling) -> Self {
        let polarization = Table {
            title: format!(
                "Simulated polarization at ±{}, {} half-cycles, {} cycles (end of the last charge half-cycle)",
                Quantity::CurrentDensity.display(step.current),
                Quantity::Time.display(step.half_cycle),
                step.cycles
            ),
            columns: ["material", "U (1st half)", "U (last)", "η kinetics", "ohmic", "diffusion", "film", "stop"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        let voltage = Figure::new(
            "symmetric_cycling",
            "Simulated symmetric-cell cycling",
            Axis::linear("time [h]"),
            Axis::linear("voltage [V]"),
        );
        let life = Table {
            title: format!(
                "Cycling-life analysis of the simulated records at ±{} (as for a measured file) vs the paper",
                Quantity::CurrentDensity.display(step.current)
            ),
            columns: [
                "material",
                "overpotential first / last half-cycle",
                "ASR first / last [Ω cm²]",
                "failure (analysis)",
                "time under current",
                "cumulative capacity (both directions)",
                "paper: cell life at this current",
                "paper source",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        };
        let overpotential = Figure::new(
            "symmetric_cycling_overpotential",
            "Overpotential per half-cycle (cycling-life analysis of the simulated records)",
            Axis::linear("time [h]"),
            Axis::linear("overpotential |V| [mV]"),
        );
        let mut conditions = Conditions::new();
        conditions.insert("temperature_K".to_string(), T_REF);
        conditions.insert("current_density_A_m2".to_string(), step.current);
        Presentation { polarization, life, voltage, overpotential, conditions }
    }

    /// Adds one material's rows and series (`i` picks the colour).
    pub(super) fn add(&mut self, m: &Material, s: &Simulated, i: usize) {
        let b = &s.last.voltage;
        self.polarization.rows.push(vec![
            m.id.clone(),
            mv2(s.first.voltage.voltage),
            mv2(b.voltage),
            mv2(b.eta_x0 + b.eta_xl),
            mv2(b.ohmic),
            mv2(b.diffusion),
            mv2(b.film),
            format!("{:?}", s.run.simulation.stop).split_whitespace().next().unwrap_or("").to_string(),
        ]);
        let r = &s.life;
        let (h0, h1) = (&r.half_cycles[0], &r.half_cycles[r.half_cycles.len() - 1]);
        let paper = m.preset.paper_value(MetricId::CycleLife, &self.conditions);
        self.life.rows.push(vec![
            m.id.clone(),
            format!("{} / {}", mv2(h0.plateau_voltage), mv2(h1.plateau_voltage)),
            format!("{:.1} / {:.1}", ohm_cm2(h0.asr), ohm_cm2(h1.asr)),
            r.failure.map_or_else(
                || format!("none in {} half-cycles", r.completed_half_cycles),
                |f| format!("{} at {:.2} h", f.mode.describe(), Quantity::Time.to_display(f.time)),
            ),
            format!("{:.1} h", Quantity::Time.to_display(r.lifetime)),
            format!("{:.2} mAh/cm²", Quantity::ArealCapacity.to_display(r.cumulative_capacity)),
            paper.map_or("-".into(), |p| format!("{} {}", p.value, p.unit)),
            paper.map_or("-".into(), |p| p.source.clone()),
        ]);
        self.overpotential.series.push(
            Series::line_markers(
                m.preset.name.clone(),
                r.half_cycles
                    .iter()
                    .map(|h| Quantity::Time.to_display(0.5 * (h.time.0 + h.time.1)))
                    .collect::<Vec<_>>(),
                r.half_cycles.iter().map(|h| mv(h.plateau_voltage)).collect::<Vec<_>>(),
            )
            .with_color(i),
        );
        let ts = s.run.data.time_series();
        let stride = (ts.len() / 4000).max(1);
        let t: Vec<f64> = ts.time().iter().step_by(stride).map(|t| Quantity::Time.to_display(*t)).collect();
        let u: Vec<f64> = ts.voltage().iter().step_by(stride).copied().collect();
        self.voltage.series.push(Series::line(m.preset.name.clone(), t, u).with_color(i));
    }

    /// Moves the tables, figures and the model's notes into the step's output.
    pub(super) fn finish(self, step: &Cycling, out: &mut StepOutput) {
        out.notes.push(format!(
            "Polarization from the transport + Butler-Volmer model {}: without a film it is dominated by \
             charge transfer (R_ct = RT/(F i0)). The model has no dendrite or short-circuit mechanism, so it \
             predicts polarization, not the cycle lives the paper reports.",
            match &step.film {
                Some((text, _)) => format!("with the interface film '{text}' on both electrodes"),
                None => "with no film (the presets give no SEI resistance)".to_string(),
            }
        ));
        out.notes.push(
            "The simulated records were analysed by the cycling-life analysis (the one run on measured files): \
             per-half-cycle overpotential (median plateau |V|) and ASR, failure tests, time under current and \
             cumulative capacity. The paper reports cell lives, not a polarization value at this current, so \
             the predicted polarization stands beside the paper's life; a simulated 'no failure' is the model's \
             lack of a short-circuit mechanism, not a predicted life."
                .into(),
        );
        out.tables.push(self.polarization);
        out.tables.push(self.life);
        out.figures.push(self.voltage.with_caption("Cell voltage of the simulated Li|SPE|Li cycling."));
        out.figures.push(self.overpotential.with_caption(
            "Median |V| of each constant-current half-cycle found by the cycling-life analysis of the simulated records.",
        ));
    }
}
