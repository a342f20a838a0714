//! Step kind `full-cell-design-map`: which electrolyte properties give a cell its rate capability. The
//! high-rate over low-rate capacity (1C / 0.1C by default) of the material's calibrated full cell over a
//! grid of ionic conductivity σ (log-spaced) × transference number t₊, with only σ and t₊ (and
//! optionally the membrane thickness) changed and D following by Nernst-Einstein
//! ([`spelab_sim::fullcell::design_map`]); the grid runs in parallel. The figure marks each cell of the
//! grid by its ratio band, draws the iso-line of `level` (80 % by default) and marks the materials at
//! their measured σ and t₊; a table lists the ratios and, per marked material, the σ at its t₊ where
//! the ratio reaches `level`. With `thicknesses`, the same map at each membrane thickness (small
//! multiples: one panel per thickness with its iso-lines and the materials, under a plot of each
//! material's ratio against thickness; [`thickness`]); all maps run in one parallel batch.
//!
//! The cell is the full-cell-calibrate result (`knobs`), or the default knobs fitted here on the
//! material's paper rate points when `knobs` is absent. Every point is the DFN on PyBaMM's 20/20/20
//! mesh (no coarser mesh). Cost: 2 discharges per grid point (8 x 8: 6.3 s and 20 x 20: 33.7 s on 2 threads of the shared
//! 2-core VM at load 14; `scripts/bench-design-map`).
//!
//! With PVH-IM's calibrated cathode the ratio levels off at 77.8 % (from 1.4 mS/cm at t₊ ≥ 0.44, more σ at lower t₊):
//! LFP's fitted solid diffusivity, not the electrolyte, limits there, so no electrolyte reaches 80 %.

mod options;
mod present;
mod thickness;

use anyhow::Context;
use spelab_sim::fullcell::calibration::Knob;
use spelab_sim::fullcell::design_map::{design_maps, grid_values, DesignGrid};

use super::{Progress, Step, StepContext, StepKind, StepOutput};
use crate::spec::Material;
use crate::steps::fullcell_ageing::compute::calibrated_cell;
use crate::steps::fullcell_calibrate::compute::START_STOICHIOMETRY;
use options::parse;

/// The registry entry.
pub const KIND: StepKind = StepKind {
    name: "full-cell-design-map",
    title: "Full cell: rate capability over electrolyte conductivity x transference number",
    summary: "1C/0.1C capacity ratio of the calibrated LFP|SPE|Li cell over a sigma x t+ grid (DFN, in parallel; optionally one panel per membrane thickness), with the 80 % iso-line and the materials marked",
    example: r#"[[step]]
kind = "full-cell-design-map"
material = "pvh-im"                  # its calibrated cell; only sigma and t+ change over the map
mark = ["pvh", "pvh-im"]             # materials marked at their measured sigma and t+
# optional: grid = 8                 (points per axis, 2-64; 2 DFN discharges per point)
#           conductivity = ["0.01 mS/cm", "10 mS/cm"]  (log-spaced)   transference = [0.1, 0.9]
#           thickness = "100 um"     (default: the material's membrane)
#           thicknesses = ["50 um", "100 um", "150 um"]   (one more map per thickness, as panels)
#           rates = [0.1, 1]         (reference and high C-rate)   level = 0.8   (iso-line of the ratio)
#           knobs = { utilisation = 0.858, particle_diffusivity = 2.29e-19, cathode_bruggeman = 1.34 }
#           salt = "1 mol/L""#,
    parse,
};

/// A parsed step.
pub(crate) struct DesignMapStep {
    material: Material,
    mark: Vec<Material>,
    grid: usize,
    /// σ range [S/m].
    conductivity: [f64; 2],
    transference: [f64; 2],
    /// Membrane thickness [m].
    thickness: Option<f64>,
    /// Membrane thicknesses of the panels, increasing [m].
    thicknesses: Vec<f64>,
    rates: [f64; 2],
    level: f64,
    knobs: Vec<(Knob, f64)>,
    salt: f64,
}

impl Step for DesignMapStep {
    fn run(&self, _cx: &StepContext<'_>, progress: Progress<'_>) -> anyhow::Result<StepOutput> {
        let preset = &self.material.preset;
        let (_, knobs) = calibrated_cell(preset, self.salt, &self.knobs)
            .with_context(|| format!("material '{}'", self.material.id))?;
        let grid = DesignGrid {
            conductivity: grid_values(self.conductivity[0], self.conductivity[1], self.grid, true),
            transference: grid_values(self.transference[0], self.transference[1], self.grid, false),
            thickness: self.thickness,
            low_rate: self.rates[0],
            high_rate: self.rates[1],
        };
        let started = std::time::Instant::now();
        let mut grids = vec![grid.clone()];
        grids.extend(self.thicknesses.iter().map(|&t| DesignGrid { thickness: Some(t), ..grid.clone() }));
        let maps = design_maps(&preset.material_params()?, self.salt, &knobs, START_STOICHIOMETRY, &grids)?;
        let seconds = started.elapsed().as_secs_f64();
        progress(1.0);
        let marks = self
            .mark
            .iter()
            .map(|m| Ok((m.id.clone(), m.preset.material_params()?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let points = maps.iter().map(|m| m.capacity_low.len()).sum();
        let mut out =
            present::output(&self.material.id, &maps[0], &marks, &knobs, self.level, (points, seconds));
        if maps.len() > 1 {
            thickness::output(&self.material.id, &maps[1..], &marks, self.level, &mut out);
        }
        Ok(out)
    }
}
