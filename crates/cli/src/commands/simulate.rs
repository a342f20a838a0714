//! `spelab simulate symmetric`: run the Li|SPE|Li model on a material and print a summary or the
//! recorded data; `spelab simulate full-cell` lives in [`full_cell`], `spelab simulate dendrite` in
//! [`dendrite`].

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Serialize;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_core::TimeSeries;
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::lab::{self, Noise};
use spelab_sim::symmetric::{Electrode, Simulation, StopReason, SymmetricCell};

use super::{print, print_json, Output};
use crate::args::{ExportFormat, ProtocolArg, SimulateCommand, SimulateSymmetricArgs};

pub(crate) mod dendrite;
pub(crate) mod full_cell;

/// `spelab simulate ...`.
pub fn simulate(command: &SimulateCommand, output: Output) -> anyhow::Result<u8> {
    match command {
        SimulateCommand::Symmetric(args) => symmetric(args, output),
        SimulateCommand::FullCell(args) => full_cell::full_cell(args, output),
        SimulateCommand::Dendrite(args) => dendrite::dendrite(args, output),
    }
}

fn quantity(text: &str, q: Quantity, option: &str) -> anyhow::Result<f64> {
    parse_quantity(text, q).with_context(|| format!("--{option} '{text}'"))
}

/// The cell of `--material` with the overrides of the command line.
fn cell(args: &SimulateSymmetricArgs) -> anyhow::Result<SymmetricCell> {
    let preset = if Path::new(&args.material).is_file() {
        let text =
            std::fs::read_to_string(&args.material).with_context(|| format!("reading {}", args.material))?;
        spelab_sim::params::preset_from_toml(&text, &args.material)?
    } else {
        spelab_sim::params::preset(&args.material)?
    };
    let mut material = preset.material_params()?;
    if let Some(t) = &args.thickness {
        material.thickness = quantity(t, Quantity::Length, "thickness")?;
    }
    let salt = quantity(&args.salt, Quantity::Concentration, "salt")?;
    let mut cell = SymmetricCell::from_material(&material, salt)?;
    if let Some(t) = &args.temperature {
        cell = cell.at_temperature(quantity(t, Quantity::Temperature, "temperature")?);
    }
    cell.area = quantity(&args.area, Quantity::Area, "area")?;
    if let Some(f) = &args.film {
        cell.film = spelab_study::inputs::film(f).with_context(|| format!("--film '{f}'"))?;
    }
    cell.validate()?;
    Ok(cell)
}

/// The JSON summary.
#[derive(Debug, Serialize)]
struct Summary {
    material: String,
    protocol: String,
    temperature_k: f64,
    conductivity_s_m: f64,
    diffusivity_m2_s: f64,
    transference_number: f64,
    exchange_current_density_a_m2: f64,
    limiting_current_density_a_m2: f64,
    sand_current_density_at_half_cycle_a_m2: f64,
    stop: StopReason,
    critical_current_density_a_m2: Option<f64>,
    duration_s: f64,
    samples: usize,
    final_voltage_v: Option<f64>,
    max_abs_voltage_v: f64,
    solver_steps: u64,
}

fn symmetric(args: &SimulateSymmetricArgs, output: Output) -> anyhow::Result<u8> {
    let cell = cell(args)?;
    let j = quantity(&args.current, Quantity::CurrentDensity, "current")?;
    let half = quantity(&args.half_cycle, Quantity::Time, "half-cycle")?;
    let interval = quantity(&args.sample_interval, Quantity::Time, "sample-interval")?;
    let limit =
        args.voltage_limit.as_deref().map(|v| quantity(v, Quantity::Voltage, "voltage-limit")).transpose()?;
    let noise = args.noise_seed.map(Noise::typical);
    let noise = noise.as_ref();
    let cd = |v: f64| Quantity::CurrentDensity.display(v);
    let time = |v: f64| Quantity::Time.display(v);
    let (series, sim, ccd, label): (TimeSeries, Simulation, Option<f64>, String) = match args.protocol {
        ProtocolArg::Cycling => {
            let rest = quantity(&args.rest, Quantity::Time, "rest")?;
            if args.cycles == 0 {
                bail!("--cycles must be at least 1");
            }
            let bar = crate::progress::fraction_bar(!output.quiet && !output.json, "cycling");
            let mut tell = |f: f64| bar.set_position((1000.0 * f) as u64);
            let run = lab::galvanostatic_cycling_with_progress(
                &cell,
                (j, half, rest, args.cycles),
                interval,
                noise,
                &mut tell,
            );
            bar.finish_and_clear();
            let run = run?;
            let label = format!(
                "cycling {} x ±{}, {} half-cycles, {} rests",
                args.cycles,
                cd(j),
                time(half),
                time(rest)
            );
            (run.data.time_series().clone(), run.simulation, None, label)
        }
        ProtocolArg::Constant => {
            let d = quantity(&args.duration, Quantity::Time, "duration")?;
            let run = lab::dc_polarization(&cell, j, d, limit, interval, noise)?;
            (run.data, run.simulation, None, format!("constant current {} for {}", cd(j), time(d)))
        }
        ProtocolArg::Ccd => {
            if args.steps == 0 {
                bail!("--steps must be at least 1");
            }
            let run = lab::ccd_staircase(&cell, j, half, args.steps, limit, interval, noise)?;
            let label = format!("CCD staircase, steps of {}, {} half-cycles", cd(j), time(half));
            (run.data.time_series().clone(), run.simulation, run.critical_current_density, label)
        }
        ProtocolArg::Ca => {
            let u = quantity(&args.voltage, Quantity::Voltage, "voltage")?;
            let d = quantity(&args.duration, Quantity::Time, "duration")?;
            let run = lab::chronoamperometry(&cell, u, d, interval, noise)?;
            (run.data, run.simulation, None, format!("chronoamperometry {u} V for {}", time(d)))
        }
        ProtocolArg::Lsv => {
            let u = quantity(&args.voltage, Quantity::Voltage, "voltage")?;
            let d = quantity(&args.duration, Quantity::Time, "duration")?;
            let run = lab::linear_sweep(&cell, u, u.abs() / d, interval, noise)?;
            (run.data, run.simulation, None, format!("linear sweep 0 -> {u} V in {}", time(d)))
        }
    };
    if let Some(format) = args.to {
        let text = match format {
            ExportFormat::Csv => to_csv(&series, &sim),
            ExportFormat::Bdf => spelab_io::export::to_bdf_csv(&recording(&series))?,
        };
        match &args.out {
            Some(path) => spelab_study::output::write_file(path, text.as_bytes(), &[])?,
            None => {
                print(&text)?;
                return Ok(0);
            }
        }
    }
    let c = ConstantCell::of(&cell);
    let summary = Summary {
        material: args.material.clone(),
        protocol: label,
        temperature_k: cell.temperature,
        conductivity_s_m: c.conductivity,
        diffusivity_m2_s: c.diffusivity,
        transference_number: c.transference_number,
        exchange_current_density_a_m2: c.exchange_current_density,
        limiting_current_density_a_m2: analytic::limiting_current_density(&c),
        sand_current_density_at_half_cycle_a_m2: analytic::sand_current_density(&c, half),
        stop: sim.stop,
        critical_current_density_a_m2: ccd,
        duration_s: sim.state.time_s,
        samples: series.len(),
        final_voltage_v: series.voltage().last().copied(),
        max_abs_voltage_v: series.voltage().iter().fold(0.0, |m: f64, v| m.max(v.abs())),
        solver_steps: sim.stats.accepted,
    };
    if output.json {
        print_json(&summary)?;
    } else if !output.quiet {
        print(&text_summary(&summary, args.out.as_deref()))?;
    }
    Ok(0)
}

fn text_summary(s: &Summary, out: Option<&Path>) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "material {} at {}: {}",
        s.material,
        Quantity::Temperature.display(s.temperature_k),
        s.protocol
    );
    let _ = writeln!(
        t,
        "  σ {}, D {}, t+ {:.3}, i0 {}",
        Quantity::Conductivity.display(s.conductivity_s_m),
        Quantity::Diffusivity.display(s.diffusivity_m2_s),
        s.transference_number,
        Quantity::CurrentDensity.display(s.exchange_current_density_a_m2)
    );
    let _ = writeln!(
        t,
        "  J_lim {}, J_Sand(half-cycle) {}",
        Quantity::CurrentDensity.display(s.limiting_current_density_a_m2),
        Quantity::CurrentDensity.display(s.sand_current_density_at_half_cycle_a_m2)
    );
    let stop = match s.stop {
        StopReason::Completed => "completed".to_string(),
        StopReason::Depletion { time_s, electrode, current_density, .. } => format!(
            "salt depletion (Sand) at the {} electrode after {} at {}",
            match electrode {
                Electrode::X0 => "x = 0",
                Electrode::XL => "x = L",
            },
            seconds(time_s),
            Quantity::CurrentDensity.display(current_density)
        ),
        StopReason::VoltageLimit { time_s, voltage, current_density, .. } => {
            format!(
                "voltage limit {voltage:.3} V after {} at {}",
                seconds(time_s),
                Quantity::CurrentDensity.display(current_density)
            )
        }
    };
    let _ = writeln!(t, "  stop: {stop}");
    if let Some(ccd) = s.critical_current_density_a_m2 {
        let _ = writeln!(t, "  simulated CCD {}", Quantity::CurrentDensity.display(ccd));
    }
    let _ = writeln!(
        t,
        "  {} samples over {} ({} solver steps); final U {} V, max |U| {:.5} V",
        s.samples,
        seconds(s.duration_s),
        s.solver_steps,
        s.final_voltage_v.map_or("-".into(), |v| format!("{v:.5}")),
        s.max_abs_voltage_v
    );
    if let Some(p) = out {
        let _ = writeln!(t, "  data: {}", p.display());
    }
    t
}

/// A time of the run in seconds to 4 digits ("344.7 s"): events are read against the record's time
/// column, which is in seconds.
fn seconds(t: f64) -> String {
    spelab_core::units::format_in(t, Quantity::Time, "s").unwrap_or_else(|_| format!("{t} s"))
}

/// CSV of the record with the model's voltage breakdown (SI units in the column names).
/// The record as a spelab-io recording (time, voltage, current, cycle and step), for the BDF writer.
fn recording(series: &TimeSeries) -> spelab_io::Recording {
    use spelab_io::{Channel, Column, Recording, Values};
    let mut rec = Recording::new(spelab_io::Format::BdfCsv, "spelab simulate");
    rec.push(Column::new(Channel::Time, "simulation", Values::Float(series.time().to_vec())));
    rec.push(Column::new(Channel::Voltage, "simulation", Values::Float(series.voltage().to_vec())));
    rec.push(Column::new(Channel::Current, "simulation", Values::Float(series.current().to_vec())));
    let ints = |v: &[u32]| Values::Int(v.iter().map(|&k| i64::from(k)).collect());
    if let Some(cycle) = series.cycle() {
        rec.push(Column::new(Channel::CycleIndex, "simulation", ints(cycle)));
    }
    if let Some(step) = series.step() {
        rec.push(Column::new(Channel::StepIndex, "simulation", ints(step)));
    }
    rec
}

fn to_csv(series: &TimeSeries, sim: &Simulation) -> String {
    let mut t = String::from(
        "time_s,current_A,voltage_V,current_density_A_m2,eta_x0_V,eta_xL_V,ohmic_V,diffusion_V,film_V,c_x0_mol_m3,c_xL_mol_m3,cycle,step\n",
    );
    let cycles = series.cycle().unwrap_or(&[]);
    let steps = series.step().unwrap_or(&[]);
    for k in 0..series.len() {
        // The stop reading of a failed run (module docs of spelab_sim::lab::record) has no
        // model breakdown: its columns are empty.
        let parts = match sim.samples.get(k) {
            Some(s) => {
                let v = &s.voltage;
                format!(
                    "{},{},{},{},{},{},{},{}",
                    s.current_density, v.eta_x0, v.eta_xl, v.ohmic, v.diffusion, v.film, v.c_x0, v.c_xl
                )
            }
            None => String::from(",,,,,,,"),
        };
        let _ = writeln!(
            t,
            "{},{},{},{},{},{}",
            series.time()[k],
            series.current()[k],
            series.voltage()[k],
            parts,
            cycles.get(k).copied().unwrap_or(0),
            steps.get(k).copied().unwrap_or(0)
        );
    }
    t
}
