//! `spelab simulate symmetric`: run the Li|SPE|Li model on a material and print a summary or the
//! recorded data; `spelab simulate full-cell` lives in [`full_cell`], `spelab simulate dendrite` in
//! [`dendrite`].

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use spelab_core::units::Quantity;
use spelab_core::TimeSeries;
use spelab_sim::analytic::{self, ConstantCell};
use spelab_sim::symmetric::{Electrode, StopReason};

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
    use spelab_study::simulate::symmetric::{self as sym, Protocol};
    let request = sym::Request {
        material: args.material.clone(),
        protocol: match args.protocol {
            ProtocolArg::Cycling => Protocol::Cycling,
            ProtocolArg::Constant => Protocol::Constant,
            ProtocolArg::Ccd => Protocol::Ccd,
            ProtocolArg::Ca => Protocol::Ca,
            ProtocolArg::Lsv => Protocol::Lsv,
        },
        current: args.current.clone(),
        voltage: args.voltage.clone(),
        duration: args.duration.clone(),
        half_cycle: args.half_cycle.clone(),
        rest: args.rest.clone(),
        cycles: args.cycles,
        steps: args.steps,
        voltage_limit: args.voltage_limit.clone(),
        temperature: args.temperature.clone(),
        thickness: args.thickness.clone(),
        salt: args.salt.clone(),
        area: args.area.clone(),
        sample_interval: args.sample_interval.clone(),
        noise_seed: args.noise_seed,
        film: args.film.clone(),
        names: Default::default(),
    };
    let bar = crate::progress::fraction_bar(!output.quiet && !output.json, "simulating");
    let run = sym::run_with_progress(&request, &mut |f| bar.set_position((1000.0 * f) as u64));
    bar.finish_and_clear();
    let run = run?;
    let (cell, series, sim) = (&run.cell, &run.series, &run.simulation);
    if let Some(format) = args.to {
        let text = match format {
            ExportFormat::Csv => run.columns().to_csv(),
            ExportFormat::Bdf => spelab_io::export::to_bdf_csv(&recording(series))?,
        };
        match &args.out {
            Some(path) => spelab_study::output::write_file(path, text.as_bytes(), &[])?,
            None => {
                print(&text)?;
                return Ok(0);
            }
        }
    }
    let c = ConstantCell::of(cell);
    let summary = Summary {
        material: args.material.clone(),
        protocol: run.label.clone(),
        temperature_k: cell.temperature,
        conductivity_s_m: c.conductivity,
        diffusivity_m2_s: c.diffusivity,
        transference_number: c.transference_number,
        exchange_current_density_a_m2: c.exchange_current_density,
        limiting_current_density_a_m2: analytic::limiting_current_density(&c),
        sand_current_density_at_half_cycle_a_m2: analytic::sand_current_density(&c, run.half_cycle),
        stop: sim.stop,
        critical_current_density_a_m2: run.critical_current_density,
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
