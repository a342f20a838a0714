//! The LFP | SPE | Li rate test of a material by the virtual cycler (the `full-cell` step's virtual
//! mode, [`crate::steps::fullcell::virtual_lab`]), from user-facing values.

use anyhow::{bail, Context};
use spelab_core::units::Quantity;
use spelab_sim::fullcell::{CyclingProtocol, CyclingRecord, ModelKind, Recording};

use super::{Columns, OptionNames};
use crate::steps::fullcell::virtual_lab::{run_full_cell, FullCellRun, FullCellSetup};

/// What to simulate; values as users write them. `Default` is the command line's defaults.
#[derive(Debug, Clone)]
pub struct Request {
    /// Material preset name or parameter file.
    pub material: String,
    /// C-rates of the blocks, `0.1,0.2,0.5,1` (a trailing `C` is allowed).
    pub c_rates: String,
    /// Cycles per C-rate block.
    pub cycles: u32,
    /// Model name (`dfn`, `spm`).
    pub model: String,
    /// Rest after each half-cycle.
    pub rest: String,
    /// Temperature (None: the material's).
    pub temperature: Option<String>,
    /// Membrane thickness (None: the material's).
    pub thickness: Option<String>,
    /// Salt concentration.
    pub salt: String,
    /// Electrode area.
    pub area: String,
    /// Voltage change between recorded points.
    pub voltage_step: String,
    /// How errors name the options.
    pub names: OptionNames,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            material: "pvh-im".into(),
            c_rates: "0.1,0.2,0.5,1,0.5,0.2,0.1".into(),
            cycles: 3,
            model: spelab_sim::fullcell::DEFAULT_MODEL.name().into(),
            rest: "0 s".into(),
            temperature: None,
            thickness: None,
            salt: "1 mol/L".into(),
            area: "1 cm2".into(),
            voltage_step: "2 mV".into(),
            names: OptionNames::Flags,
        }
    }
}

/// Runs the request; returns the model and the run.
pub fn run(r: &Request) -> anyhow::Result<(ModelKind, FullCellRun)> {
    let n = r.names;
    let material = super::material(&r.material)?;
    let model = ModelKind::from_name(&r.model).with_context(|| {
        let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
        format!("{} '{}': expected one of {}", n.name("model"), r.model, names.join(", "))
    })?;
    if r.cycles == 0 {
        bail!("{} must be at least 1", n.name("cycles"));
    }
    let mut protocol =
        CyclingProtocol::rate_capability(&crate::inputs::c_rates(&r.c_rates, &n.name("c-rates"))?, r.cycles);
    protocol.rest_s = n.quantity(&r.rest, Quantity::Time, "rest")?;
    let optional = |text: &Option<String>, q: Quantity, option: &str| {
        text.as_deref().map(|t| n.quantity(t, q, option)).transpose()
    };
    let setup = FullCellSetup {
        model,
        protocol,
        area: n.quantity(&r.area, Quantity::Area, "area")?,
        salt: n.quantity(&r.salt, Quantity::Concentration, "salt")?,
        thickness: optional(&r.thickness, Quantity::Length, "thickness")?,
        temperature: optional(&r.temperature, Quantity::Temperature, "temperature")?,
        recording: Recording {
            voltage_step: n.quantity(&r.voltage_step, Quantity::Voltage, "voltage-step")?,
            ..Recording::default()
        },
        reference_cycle: 0,
    };
    Ok((model, run_full_cell(&material, &setup)?))
}

/// The record: cycler-sign current [A], the model's current density, voltage, the cumulative charge in
/// mAh/g, mean cathode stoichiometry, smallest electrolyte concentration, cycle, step, and
/// `capacity_mAh_g`: the capacity passed since the start of the current step (for a discharge, the
/// discharged capacity per gram of cathode active material, from 0, positive). `spelab simulate
/// full-cell --to csv` writes exactly these columns.
pub fn columns(rec: &CyclingRecord) -> Columns {
    let col = |f: &dyn Fn(&spelab_sim::fullcell::RecordPoint) -> f64| rec.points.iter().map(f).collect();
    let (mut step, mut start) = (0, 0.0);
    let capacity = rec
        .points
        .iter()
        .map(|p| {
            if p.step != step {
                (step, start) = (p.step, p.charge);
            }
            rec.mah_g((p.charge - start).abs())
        })
        .collect();
    Columns {
        names: vec![
            "time_s",
            "current_A",
            "voltage_V",
            "current_density_A_m2",
            "charge_mAh_g",
            "mean_stoichiometry",
            "electrolyte_min_mol_m3",
            "cycle",
            "step",
            "capacity_mAh_g",
        ],
        values: vec![
            col(&|p| p.time_s),
            col(&|p| -p.current_density * rec.area),
            col(&|p| p.voltage),
            col(&|p| p.current_density),
            col(&|p| rec.mah_g(p.charge)),
            col(&|p| p.mean_stoichiometry),
            col(&|p| p.electrolyte_min),
            col(&|p| f64::from(p.cycle)),
            col(&|p| f64::from(p.step)),
            capacity,
        ],
    }
}
