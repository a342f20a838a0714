//! What `spelab simulate full-cell` does, so the CLI only maps its flags: the cell of a material
//! preset or of a BPX file ([`FullCellCommand`]), cycled or discharged once by the virtual cycler
//! ([`simulate`]), summarised as JSON or text and written as CSV ([`FullCellOutcome`]).

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
use spelab_sim::params::Preset;

use super::virtual_lab::{run_full_cell_with_progress, FullCellSetup};

/// `text` as a quantity in SI, the option named in errors.
fn quantity(text: &str, q: Quantity, option: &str) -> anyhow::Result<f64> {
    spelab_core::units::parse_quantity(text, q).with_context(|| format!("{option} '{text}'"))
}

/// The options of `spelab simulate full-cell`, as the user typed them (unit strings).
#[derive(Debug, Clone)]
pub struct FullCellCommand {
    /// A preset id or a material file (ignored with `params`).
    pub material: String,
    /// A BPX file: the cell (cathode, electrolyte, Li foil, area, cut-offs, initial state) from it.
    pub params: Option<PathBuf>,
    /// "cycling" (charge then discharge, `cycles` per C-rate) or "discharge" (one discharge per C-rate,
    /// each from the file's initial state: a fresh cell per C-rate, the records joined in time).
    pub protocol: String,
    /// C-rates, comma separated ("0.1,0.2,0.5,1").
    pub c_rates: String,
    /// Cycles per C-rate block (cycling).
    pub cycles: u32,
    /// Model name.
    pub model: String,
    /// Rest after each half-cycle.
    pub rest: String,
    /// Temperature override.
    pub temperature: Option<String>,
    /// Membrane thickness override (presets only).
    pub thickness: Option<String>,
    /// Salt concentration (presets only).
    pub salt: String,
    /// Electrode area (presets only).
    pub area: String,
    /// Thinning step of the record.
    pub voltage_step: String,
}

/// A built-in preset by id, or a material file when `name` is a file's path.
pub fn load_preset(name: &str) -> anyhow::Result<Preset> {
    Ok(if Path::new(name).is_file() {
        let text = std::fs::read_to_string(name).with_context(|| format!("reading {name}"))?;
        spelab_sim::params::preset_from_toml(&text, name)?
    } else {
        spelab_sim::params::preset(name)?
    })
}

/// The BPX text of the full cell `spelab simulate full-cell --material NAME` simulates (reference LFP
/// cathode | the preset's SPE at 1 mol/L salt | Li foil, 1 cm²), charged (x = 0.0038, PyBaMM's start).
pub fn export_bpx(name: &str) -> anyhow::Result<String> {
    let preset = load_preset(name)?;
    let cell = FullCell::from_material(&preset.material_params()?, DEFAULT_SALT_CONCENTRATION)?;
    let title = format!("LFP | {} | Li-metal half cell (spelab preset '{}')", preset.name, preset.id);
    Ok(bpx::write(&bpx::from_full_cell(&cell, CHARGED_STOICHIOMETRY, &title)))
}

/// The charged LFP stoichiometry of PyBaMM's reference discharges (86.6628 / 22806).
pub const CHARGED_STOICHIOMETRY: f64 = 0.0038;

/// The JSON summary.
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
pub struct FullCellOutcome {
    /// The summary (JSON with `--json`, text otherwise).
    pub summary: Summary,
    /// The record (`--to csv`).
    pub record: CyclingRecord,
}

/// Runs the command.
pub fn simulate(cmd: &FullCellCommand) -> anyhow::Result<FullCellOutcome> {
    simulate_with_progress(cmd, &mut |_| {})
}

/// [`simulate`] reporting the fraction of cycles (C-rates for `--protocol discharge`) done, 0 to 1.
pub fn simulate_with_progress(
    cmd: &FullCellCommand,
    progress: &mut dyn FnMut(f64),
) -> anyhow::Result<FullCellOutcome> {
    let model = ModelKind::from_name(&cmd.model).with_context(|| {
        let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
        format!("--model '{}': expected one of {}", cmd.model, names.join(", "))
    })?;
    let rates = crate::inputs::c_rates(&cmd.c_rates, "--c-rates")?;
    let mut protocol = match cmd.protocol.as_str() {
        "cycling" => {
            if cmd.cycles == 0 {
                bail!("--cycles must be at least 1");
            }
            CyclingProtocol::rate_capability(&rates, cmd.cycles)
        }
        "discharge" => {
            CyclingProtocol { discharge_only: true, ..CyclingProtocol::rate_capability(&rates, 1) }
        }
        other => bail!("--protocol '{other}': expected cycling or discharge"),
    };
    protocol.rest_s = quantity(&cmd.rest, Quantity::Time, "--rest")?;
    let temperature = cmd.temperature.as_deref().map(|t| quantity(t, Quantity::Temperature, "--temperature"));
    let temperature = temperature.transpose()?;
    let thickness =
        cmd.thickness.as_deref().map(|t| quantity(t, Quantity::Length, "--thickness")).transpose()?;
    let recording = Recording {
        voltage_step: quantity(&cmd.voltage_step, Quantity::Voltage, "--voltage-step")?,
        ..Recording::default()
    };
    let setup = FullCellSetup {
        model,
        protocol: protocol.clone(),
        area: quantity(&cmd.area, Quantity::Area, "--area")?,
        salt: quantity(&cmd.salt, Quantity::Concentration, "--salt")?,
        thickness,
        temperature,
        recording,
        reference_cycle: 0,
    };
    let (label, cell, record, metrics) = if let Some(path) = &cmd.params {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let doc = bpx::read(&text).with_context(|| format!("{}", path.display()))?;
        let (mut cell, x0) = bpx::to_full_cell(&doc).with_context(|| format!("{}", path.display()))?;
        if let Some(t) = temperature {
            cell.temperature = t;
        }
        if thickness.is_some() {
            bail!("--thickness applies to material presets; edit the separator in the BPX file instead");
        }
        let record = if protocol.discharge_only {
            fresh_discharges(model, &cell, x0, &protocol, &recording, progress)
        } else {
            model.run_with_progress(&cell, x0, &protocol, &recording, progress)
        };
        let record = record.with_context(|| format!("simulating the full cell ({} model)", model.name()))?;
        (path.display().to_string(), cell, record, None)
    } else {
        let preset = load_preset(&cmd.material)?;
        if protocol.discharge_only {
            bail!(
                "--protocol discharge needs --params FILE.bpx.json (a preset cell is assembled discharged)"
            );
        }
        let run = run_full_cell_with_progress(&preset.material_params()?, &setup, progress)?;
        (cmd.material.clone(), run.cell, run.record, Some(run.metrics))
    };
    let mah_g = |q: f64| Quantity::SpecificCapacity.to_display(q);
    let summary = Summary {
        material: label,
        model: model.name().into(),
        model_description: model.description().into(),
        protocol: cmd.protocol.clone(),
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
    Ok(FullCellOutcome { summary, record })
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

impl FullCellOutcome {
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
