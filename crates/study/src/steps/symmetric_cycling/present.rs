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
    /// Zoomed windows of the voltage figure: (first, last) cycle numbers and (start, end) [s].
    windows: Vec<((usize, usize), (f64, f64))>,
}

/// Cycles shown in each zoomed window of the voltage figure.
const WINDOW_CYCLES: usize = 3;
/// Most points drawn per material in a zoomed window.
const WINDOW_POINTS: usize = 1500;

/// Up to three windows of [`WINDOW_CYCLES`] cycles at the start, middle and end of `cycles` cycles of
/// `cycle_time` [s] each (fewer when the record is short, never overlapping): ((first, last) cycle, (start, end) [s]).
fn zoom_windows(cycles: usize, cycle_time: f64) -> Vec<((usize, usize), (f64, f64))> {
    let n = WINDOW_CYCLES.min(cycles);
    if n == 0 || cycles <= n || cycle_time.is_nan() || cycle_time <= 0.0 {
        return Vec::new();
    }
    // Start, middle and end; a window that would overlap the one before is left out.
    let mut firsts: Vec<usize> = Vec::new();
    for f in [1, (cycles - n) / 2 + 1, cycles - n + 1] {
        if firsts.last().is_none_or(|&last| f > last + n - 1) {
            firsts.push(f);
        }
    }
    firsts
        .into_iter()
        .map(|f| ((f, f + n - 1), ((f - 1) as f64 * cycle_time, (f + n - 1) as f64 * cycle_time)))
        .collect()
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
        let windows = zoom_windows(step.cycles as usize, 2.0 * step.half_cycle);
        let mut voltage = voltage;
        for ((first, last), (t0, t1)) in &windows {
            let h = |t: f64| Quantity::Time.to_display(t);
            voltage = voltage.with_panel(Figure::new(
                "",
                format!("cycles {first}–{last}"),
                Axis::linear("time [h]").with_range(h(*t0), h(*t1)),
                Axis::linear("voltage [V]"),
            ));
        }
        Presentation { polarization, life, voltage, overpotential, conditions, windows }
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
        // The zoomed windows at full resolution (thinned to at most WINDOW_POINTS points).
        for (panel, (_, (t0, t1))) in self.voltage.panels.iter_mut().zip(&self.windows) {
            let inside: Vec<usize> =
                (0..ts.len()).filter(|&k| ts.time()[k] >= *t0 && ts.time()[k] <= *t1).collect();
            let stride = inside.len().div_ceil(WINDOW_POINTS).max(1);
            let (t, u): (Vec<f64>, Vec<f64>) = inside
                .iter()
                .step_by(stride)
                .map(|&k| (Quantity::Time.to_display(ts.time()[k]), ts.voltage()[k]))
                .unzip();
            panel.series.push(Series::line(m.preset.name.clone(), t, u).with_color(i));
        }
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
        let caption = if self.windows.is_empty() {
            "Cell voltage of the simulated Li|SPE|Li cycling.".to_string()
        } else {
            format!(
                "Cell voltage of the simulated Li|SPE|Li cycling: the whole record (top) and {} cycles each at the \
                 start, middle and end (below, full time resolution).",
                WINDOW_CYCLES
            )
        };
        // A panel with no data (a record shorter than planned) would be an empty figure: dropped.
        let mut voltage = self.voltage;
        voltage.panels.retain(|p| p.series.iter().any(|s| !s.x.is_empty()));
        out.figures.push(voltage.with_caption(caption));
        out.figures.push(self.overpotential.with_caption(
            "Median |V| of each constant-current half-cycle found by the cycling-life analysis of the simulated records.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_sit_at_the_start_middle_and_end() {
        let w = zoom_windows(100, 7200.0);
        assert_eq!(w.iter().map(|w| w.0).collect::<Vec<_>>(), vec![(1, 3), (49, 51), (98, 100)]);
        assert_eq!(w[2].1, (97.0 * 7200.0, 100.0 * 7200.0));
        // Short records: fewer windows (no overlaps), none when the whole record fits in one.
        assert_eq!(zoom_windows(6, 1.0).iter().map(|w| w.0).collect::<Vec<_>>(), vec![(1, 3), (4, 6)]);
        assert_eq!(zoom_windows(5, 1.0).len(), 1);
        assert!(zoom_windows(3, 1.0).is_empty());
    }
}
