//! `spelab simulate full-cell` and the Python package's `spelab.simulate.full_cell` as one library
//! call: the cell of a material preset (or material file), or of a BPX file, cycled (or discharged once
//! per C-rate) by the virtual cycler ([`run`]); the outcome is a summary (JSON or text) and the record
//! ([`columns`], the CLI's `--to csv`). A preset cell is the `full-cell` step's virtual cell
//! ([`crate::steps::fullcell::virtual_lab`]); [`export_bpx`] writes the same cell as BPX.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Serialize;
use spelab_core::constants::DEFAULT_SALT_CONCENTRATION;
use spelab_core::units::Quantity;
use spelab_sim::fullcell::{
    bpx, coulombic_efficiency_note, segment_end_name, CycleCapacity, CyclingProtocol, CyclingRecord,
    FullCell, ModelKind, Recording,
};

use super::{Columns, OptionNames};
use crate::steps::fullcell::virtual_lab::{run_full_cell_with_progress, FullCellSetup};

/// What to simulate; values as users write them (unit strings). `Default` is the command line's defaults.
#[derive(Debug, Clone)]
pub struct Request {
    /// Material preset name or parameter file (ignored with `params`).
    pub material: String,
    /// A BPX file: the cell (cathode, electrolyte, Li foil, area, cut-offs, initial state) from it.
    pub params: Option<PathBuf>,
    /// `cycling` (charge then discharge, `cycles` per C-rate) or `discharge` (one discharge per C-rate,
    /// each from the BPX file's initial state: a fresh cell per C-rate, the records joined in time).
    pub protocol: String,
    /// C-rates of the blocks, `0.1,0.2,0.5,1` (a trailing `C` is allowed).
    pub c_rates: String,
    /// Cycles per C-rate block (cycling).
    pub cycles: u32,
    /// Model name (`dfn`, `spm`).
    pub model: String,
    /// Rest after each half-cycle.
    pub rest: String,
    /// Temperature (None: the material's or the file's).
    pub temperature: Option<String>,
    /// Membrane thickness (None: the material's; presets only).
    pub thickness: Option<String>,
    /// Salt concentration (presets only).
    pub salt: String,
    /// Electrode area (presets only).
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
            params: None,
            protocol: "cycling".into(),
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

/// The BPX text of the full cell `spelab simulate full-cell --material NAME` simulates (reference LFP
/// cathode | the preset's SPE at 1 mol/L salt | Li foil, 1 cm²), charged (x = 0.0038, PyBaMM's start).
pub fn export_bpx(name: &str) -> anyhow::Result<String> {
    let preset = crate::inputs::preset(name)?;
    let cell = FullCell::from_material(&preset.material_params()?, DEFAULT_SALT_CONCENTRATION)?;
    let title = format!("LFP | {} | Li-metal half cell (spelab preset '{}')", preset.name, preset.id);
    Ok(bpx::write(&bpx::from_full_cell(&cell, CHARGED_STOICHIOMETRY, &title)))
}

/// The charged LFP stoichiometry of PyBaMM's reference discharges (86.6628 / 22806).
pub const CHARGED_STOICHIOMETRY: f64 = 0.0038;

/// The summary (JSON with `--json`, and the Python `df.attrs["summary"]`).
#[derive(Debug, Serialize)]
pub struct Summary {
    material: String,
    model: String,
    model_description: String,
    protocol: String,
    temperature_k: f64,
    active_mass_mg: f64,
    loading_mg_cm2: f64,
    one_c_current_density_ma_cm2: f64,
    theoretical_capacity_mah_g: f64,
    cathode_utilisation: f64,
    initial_stoichiometry: f64,
    cycles: Vec<CycleCapacity>,
    rate_blocks: Vec<Block>,
    recovery: Option<f64>,
    samples: usize,
}

#[derive(Debug, Serialize)]
struct Block {
    c_rate: Option<f64>,
    first_cycle: usize,
    last_cycle: usize,
    discharge_mah_g_mean: f64,
    discharge_mah_g_sd: f64,
}

/// A finished `simulate full-cell`.
#[derive(Debug)]
pub struct Outcome {
    /// The summary (JSON with `--json`, text otherwise).
    pub summary: Summary,
    /// The record (`--to csv`).
    pub record: CyclingRecord,
}

/// Runs the request.
pub fn run(r: &Request) -> anyhow::Result<Outcome> {
    run_with_progress(r, &mut |_| {})
}

/// [`run`] reporting the fraction of cycles (C-rates for the `discharge` protocol) done, 0 to 1.
pub fn run_with_progress(r: &Request, progress: &mut dyn FnMut(f64)) -> anyhow::Result<Outcome> {
    let n = r.names;
    let model = ModelKind::from_name(&r.model).with_context(|| {
        let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
        format!("{} '{}': expected one of {}", n.name("model"), r.model, names.join(", "))
    })?;
    let rates = crate::inputs::c_rates(&r.c_rates, &n.name("c-rates"))?;
    let mut protocol = match r.protocol.as_str() {
        "cycling" if r.cycles == 0 => bail!("{} must be at least 1", n.name("cycles")),
        "cycling" => CyclingProtocol::rate_capability(&rates, r.cycles),
        "discharge" => {
            CyclingProtocol { discharge_only: true, ..CyclingProtocol::rate_capability(&rates, 1) }
        }
        other => bail!("{} '{other}': expected cycling or discharge", n.name("protocol")),
    };
    protocol.rest_s = n.quantity(&r.rest, Quantity::Time, "rest")?;
    let optional = |text: &Option<String>, q: Quantity, option: &str| {
        text.as_deref().map(|t| n.quantity(t, q, option)).transpose()
    };
    let temperature = optional(&r.temperature, Quantity::Temperature, "temperature")?;
    let thickness = optional(&r.thickness, Quantity::Length, "thickness")?;
    let recording = Recording {
        voltage_step: n.quantity(&r.voltage_step, Quantity::Voltage, "voltage-step")?,
        ..Recording::default()
    };
    let (label, cell, record, metrics) = if let Some(path) = &r.params {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let doc = bpx::read(&text).with_context(|| format!("{}", path.display()))?;
        let (mut cell, x0) = bpx::to_full_cell(&doc).with_context(|| format!("{}", path.display()))?;
        if let Some(t) = temperature {
            cell.temperature = t;
        }
        if thickness.is_some() {
            bail!(
                "{} applies to material presets; edit the separator in the BPX file instead",
                n.name("thickness")
            );
        }
        let record = if protocol.discharge_only {
            fresh_discharges(model, &cell, x0, &protocol, &recording, progress)
        } else {
            model.run_with_progress(&cell, x0, &protocol, &recording, progress)
        };
        let record = record.with_context(|| format!("simulating the full cell ({} model)", model.name()))?;
        (path.display().to_string(), cell, record, None)
    } else {
        let material = super::material(&r.material)?;
        if protocol.discharge_only {
            bail!(
                "{} discharge needs {} (a preset cell is assembled discharged)",
                n.name("protocol"),
                n.name("params")
            );
        }
        let setup = FullCellSetup {
            model,
            protocol,
            area: n.quantity(&r.area, Quantity::Area, "area")?,
            salt: n.quantity(&r.salt, Quantity::Concentration, "salt")?,
            thickness,
            temperature,
            recording,
            reference_cycle: 0,
        };
        let run = run_full_cell_with_progress(&material, &setup, progress)?;
        (r.material.clone(), run.cell, run.record, Some(run.metrics))
    };
    let mah_g = |q: f64| Quantity::SpecificCapacity.to_display(q);
    let summary = Summary {
        material: label,
        model: model.name().into(),
        model_description: model.description().into(),
        protocol: r.protocol.clone(),
        temperature_k: cell.temperature,
        active_mass_mg: Quantity::Mass.to_display(record.active_mass),
        loading_mg_cm2: Quantity::Mass.to_display(cell.active_mass_per_area())
            / Quantity::Area.to_display(1.0),
        one_c_current_density_ma_cm2: Quantity::CurrentDensity.to_display(cell.one_c_current_density()),
        theoretical_capacity_mah_g: cell.theoretical_specific_capacity_mah_g(),
        cathode_utilisation: cell.cathode.utilisation,
        initial_stoichiometry: record.initial_stoichiometry,
        cycles: record.cycle_capacities(),
        rate_blocks: metrics.as_ref().map_or_else(Vec::new, |m| {
            m.rate_blocks
                .iter()
                .map(|b| Block {
                    c_rate: b.c_rate,
                    first_cycle: b.cycles.0 + 1,
                    last_cycle: b.cycles.1 + 1,
                    discharge_mah_g_mean: mah_g(b.mean),
                    discharge_mah_g_sd: mah_g(b.sd),
                })
                .collect()
        }),
        recovery: metrics.as_ref().and_then(|m| m.recovery),
        samples: record.points.len(),
    };
    Ok(Outcome { summary, record })
}

/// One discharge per C-rate of `protocol`, each on a fresh cell from `x0`, joined into one record
/// (time, charge, cycle and step numbers continue from the previous discharge).
fn fresh_discharges(
    model: ModelKind,
    cell: &FullCell,
    x0: f64,
    protocol: &CyclingProtocol,
    recording: &Recording,
    progress: &mut dyn FnMut(f64),
) -> Result<CyclingRecord, spelab_sim::SimError> {
    let mut joined: Option<CyclingRecord> = None;
    for (k, block) in protocol.blocks.iter().enumerate() {
        let one = CyclingProtocol { blocks: vec![*block], ..protocol.clone() };
        let mut rec = model.run(cell, x0, &one, recording)?;
        progress((k + 1) as f64 / protocol.blocks.len() as f64);
        let Some(all) = joined.as_mut() else {
            joined = Some(rec);
            continue;
        };
        let (t0, q0) = all.points.last().map_or((0.0, 0.0), |p| (p.time_s, p.charge));
        let steps = all.segments.len() as u32;
        for p in &mut rec.points {
            (p.time_s, p.charge, p.cycle, p.step) =
                (p.time_s + t0, p.charge + q0, k as u32 + 1, p.step + steps);
        }
        for s in &mut rec.segments {
            (s.start_s, s.end_s, s.cycle) = (s.start_s + t0, s.end_s + t0, k as u32 + 1);
        }
        all.points.extend(rec.points);
        all.segments.extend(rec.segments);
    }
    Ok(joined.expect("a validated protocol has a block"))
}

impl Outcome {
    /// The text summary; `out` is the data file written, if any.
    pub fn text(&self, out: Option<&Path>) -> String {
        let s = &self.summary;
        let mut t = String::new();
        let _ = writeln!(
            t,
            "LFP | {} | Li at {}, {} model: {}",
            s.material,
            Quantity::Temperature.display(s.temperature_k),
            s.model,
            s.model_description
        );
        let _ = writeln!(
            t,
            "  cathode: {:.2} mg/cm2, 1C = {:.4} mA/cm2 ({:.1} mAh/g); start x = {:.4}",
            s.loading_mg_cm2,
            s.one_c_current_density_ma_cm2,
            s.theoretical_capacity_mah_g,
            s.initial_stoichiometry
        );
        let _ = writeln!(t, "  cycle  C-rate  q_ch [mAh/g]  q_dis [mAh/g]  CE [%]   discharge end  note");
        let mut previous_rate = None;
        for c in &s.cycles {
            let ce = (c.charge_mah_g > 0.0).then(|| 100.0 * c.discharge_mah_g / c.charge_mah_g);
            let ce_text = ce.map_or("      -".into(), |v| format!("{v:7.3}"));
            let end = segment_end_name(c.discharge_end);
            let note = coulombic_efficiency_note(ce, previous_rate, c.c_rate, c.discharge_end);
            let _ = writeln!(
                t,
                "  {:5}  {:6.3}  {:12.2}  {:13.2}  {}  {:<13}  {}",
                c.cycle, c.c_rate, c.charge_mah_g, c.discharge_mah_g, ce_text, end, note
            );
            previous_rate = Some(c.c_rate);
        }
        if s.rate_blocks.len() > 1 {
            let _ = writeln!(t, "  rate capability (discharge, mean ± SD per block):");
            for b in &s.rate_blocks {
                let _ = writeln!(
                    t,
                    "    cycles {:3}-{:3}  {:>6}  {:>16} mAh/g",
                    b.first_cycle,
                    b.last_cycle,
                    b.c_rate.map_or("-".into(), |c| format!("{c:.2}C")),
                    spelab_core::units::format_with_uncertainty(
                        b.discharge_mah_g_mean,
                        if b.discharge_mah_g_sd.is_finite() { b.discharge_mah_g_sd } else { 0.0 }
                    )
                );
            }
            if let Some(r) = s.recovery {
                let _ = writeln!(t, "  recovery on return {:.2} %", Quantity::Fraction.to_display(r));
            }
        }
        let _ = writeln!(t, "  {} samples recorded", s.samples);
        if let Some(p) = out {
            let _ = writeln!(t, "  data: {}", p.display());
        }
        t
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::fullcell::virtual_lab::run_full_cell;

    /// A preset request is the `full-cell` step's virtual cell, bit for bit; a BPX request discharges
    /// the exported preset once per C-rate; errors name the options as the caller writes them.
    #[test]
    fn preset_and_bpx_requests_share_one_cell_and_name_options_as_the_caller() {
        let base = Request { c_rates: "1".into(), cycles: 1, model: "spm".into(), ..Request::default() };
        let preset = run(&base).unwrap();
        let setup = FullCellSetup {
            model: ModelKind::Spm,
            protocol: CyclingProtocol::rate_capability(&[1.0], 1),
            area: 1e-4,
            salt: 1000.0,
            thickness: None,
            temperature: None,
            recording: Recording { voltage_step: 2e-3, ..Recording::default() },
            reference_cycle: 0,
        };
        let step = run_full_cell(&super::super::material("pvh-im").unwrap(), &setup).unwrap();
        assert_eq!(columns(&preset.record), columns(&step.record));
        assert_eq!(preset.summary.rate_blocks.len(), 1);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pvh-im.bpx.json");
        std::fs::write(&path, export_bpx("pvh-im").unwrap()).unwrap();
        let bpx = Request {
            params: Some(path),
            protocol: "discharge".into(),
            model: "dfn".into(),
            names: OptionNames::Keywords,
            ..base.clone()
        };
        let out = run(&bpx).unwrap();
        // PVH-IM at 1C from x = 0.0038: 120.9 mAh/g at salt depletion (PyBaMM from the same BPX: 120.934).
        assert_eq!(out.summary.cycles.len(), 1);
        assert!((out.summary.cycles[0].discharge_mah_g - 120.92).abs() < 0.05, "{:?}", out.summary.cycles);
        assert!(out.summary.rate_blocks.is_empty() && out.summary.protocol == "discharge");

        let error = |r: Request| format!("{:#}", run(&r).unwrap_err());
        let e = error(Request { thickness: Some("50 um".into()), ..bpx.clone() });
        assert!(e.contains("thickness applies to material presets"), "{e}");
        let e = error(Request { params: None, ..bpx.clone() });
        assert!(e.starts_with("protocol discharge needs params"), "{e}");
        let e = error(Request { protocol: "cc".into(), ..base.clone() });
        assert!(e.starts_with("--protocol 'cc'"), "{e}");
        let e = error(Request { cycles: 0, names: OptionNames::Keywords, ..base });
        assert!(e.starts_with("cycles must be at least 1"), "{e}");
    }
}
