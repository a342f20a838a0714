//! `spelab simulate full-cell`: an LFP | SPE | Li cell of a material cycled over C-rate blocks by the
//! virtual cycler, analysed by the same full-cell analysis as measured files; and [`run_full_cell`],
//! which the `full-cell` study step's virtual mode shares.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};
use serde::Serialize;
use spelab_core::units::{parse_quantity, Quantity};
use spelab_sim::fullcell::{
    segment_end_name, CycleCapacity, CyclingProtocol, CyclingRecord, ModelKind, Recording,
};
use spelab_study::steps::fullcell::virtual_lab::{run_full_cell, FullCellSetup};

use super::super::{print, print_json, Output};
use crate::args::{ExportFormat, SimulateFullCellArgs};

fn quantity(text: &str, q: Quantity, option: &str) -> anyhow::Result<f64> {
    parse_quantity(text, q).with_context(|| format!("--{option} '{text}'"))
}

/// `--c-rates 0.1,0.2,...` as numbers.
fn c_rates(text: &str) -> anyhow::Result<Vec<f64>> {
    let rates: Vec<f64> = text
        .split(',')
        .map(|s| {
            let s = s.trim().trim_end_matches(['C', 'c']);
            s.parse::<f64>().with_context(|| format!("--c-rates: '{s}' is not a number"))
        })
        .collect::<anyhow::Result<_>>()?;
    if rates.is_empty() || rates.iter().any(|c| !(c.is_finite() && *c > 0.0)) {
        bail!("--c-rates '{text}': expected positive C-rates separated by commas, e.g. 0.1,0.2,0.5,1");
    }
    Ok(rates)
}

/// The JSON summary.
#[derive(Debug, Serialize)]
struct Summary {
    material: String,
    model: String,
    model_description: String,
    temperature_k: f64,
    active_mass_mg: f64,
    loading_mg_cm2: f64,
    one_c_current_density_ma_cm2: f64,
    theoretical_capacity_mah_g: f64,
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

/// `spelab simulate full-cell`.
pub(crate) fn full_cell(args: &SimulateFullCellArgs, output: Output) -> anyhow::Result<u8> {
    let preset = if Path::new(&args.material).is_file() {
        let text =
            std::fs::read_to_string(&args.material).with_context(|| format!("reading {}", args.material))?;
        spelab_sim::params::preset_from_toml(&text, &args.material)?
    } else {
        spelab_sim::params::preset(&args.material)?
    };
    let material = preset.material_params()?;
    let model = ModelKind::from_name(&args.model).with_context(|| {
        let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
        format!("--model '{}': expected one of {}", args.model, names.join(", "))
    })?;
    if args.cycles == 0 {
        bail!("--cycles must be at least 1");
    }
    let mut protocol = CyclingProtocol::rate_capability(&c_rates(&args.c_rates)?, args.cycles);
    protocol.rest_s = quantity(&args.rest, Quantity::Time, "rest")?;
    let setup = FullCellSetup {
        model,
        protocol,
        area: quantity(&args.area, Quantity::Area, "area")?,
        salt: quantity(&args.salt, Quantity::Concentration, "salt")?,
        thickness: args
            .thickness
            .as_deref()
            .map(|t| quantity(t, Quantity::Length, "thickness"))
            .transpose()?,
        temperature: args
            .temperature
            .as_deref()
            .map(|t| quantity(t, Quantity::Temperature, "temperature"))
            .transpose()?,
        recording: Recording {
            voltage_step: quantity(&args.voltage_step, Quantity::Voltage, "voltage-step")?,
            ..Recording::default()
        },
        reference_cycle: 0,
    };
    let run = run_full_cell(&material, &setup)?;
    if let Some(format) = args.to {
        let text = match format {
            ExportFormat::Csv => to_csv(&run.record),
            ExportFormat::Bdf => {
                spelab_io::export::to_bdf_csv(&super::recording(&run.record.time_series()?))?
            }
        };
        match &args.out {
            Some(path) => spelab_study::output::write_file(path, text.as_bytes(), &[])?,
            None => {
                print(&text)?;
                return Ok(0);
            }
        }
    }
    let mah_g = |q: f64| Quantity::SpecificCapacity.to_display(q);
    let cell = &run.cell;
    let summary = Summary {
        material: args.material.clone(),
        model: model.name().into(),
        model_description: model.description().into(),
        temperature_k: cell.temperature,
        active_mass_mg: Quantity::Mass.to_display(run.record.active_mass),
        loading_mg_cm2: Quantity::Mass.to_display(cell.active_mass_per_area())
            / Quantity::Area.to_display(1.0),
        one_c_current_density_ma_cm2: Quantity::CurrentDensity.to_display(cell.one_c_current_density()),
        theoretical_capacity_mah_g: cell.theoretical_specific_capacity_mah_g(),
        initial_stoichiometry: run.record.initial_stoichiometry,
        cycles: run.record.cycle_capacities(),
        rate_blocks: run
            .metrics
            .rate_blocks
            .iter()
            .map(|b| Block {
                c_rate: b.c_rate,
                first_cycle: b.cycles.0 + 1,
                last_cycle: b.cycles.1 + 1,
                discharge_mah_g_mean: mah_g(b.mean),
                discharge_mah_g_sd: mah_g(b.sd),
            })
            .collect(),
        recovery: run.metrics.recovery,
        samples: run.record.points.len(),
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
        "LFP | {} | Li at {}, {} model: {}",
        s.material,
        Quantity::Temperature.display(s.temperature_k),
        s.model,
        s.model_description
    );
    let _ = writeln!(
        t,
        "  cathode: reference LFP (cellmodel.md), {:.2} mg/cm2, 1C = {:.4} mA/cm2 ({:.1} mAh/g); start x = {:.4}",
        s.loading_mg_cm2, s.one_c_current_density_ma_cm2, s.theoretical_capacity_mah_g, s.initial_stoichiometry
    );
    let _ = writeln!(t, "  cycle  C-rate  q_ch [mAh/g]  q_dis [mAh/g]  CE [%]   discharge end  note");
    let mut previous_rate = None;
    for c in &s.cycles {
        let ce = (c.charge_mah_g > 0.0).then(|| 100.0 * c.discharge_mah_g / c.charge_mah_g);
        let ce_text = ce.map_or("      -".into(), |v| format!("{v:7.3}"));
        let end = segment_end_name(c.discharge_end);
        let _ = writeln!(
            t,
            "  {:5}  {:6.3}  {:12.2}  {:13.2}  {}  {:<13}  {}",
            c.cycle,
            c.c_rate,
            c.charge_mah_g,
            c.discharge_mah_g,
            ce_text,
            end,
            ce_note(ce, previous_rate, c.c_rate, end)
        );
        previous_rate = Some(c.c_rate);
    }
    if s.rate_blocks.len() > 1 {
        let _ = writeln!(t, "  rate capability (discharge, mean ± SD per block):");
        for b in &s.rate_blocks {
            let _ = writeln!(
                t,
                "    cycles {:3}-{:3}  {:>6}  {:8.2} ± {:.2} mAh/g",
                b.first_cycle,
                b.last_cycle,
                b.c_rate.map_or("-".into(), |c| format!("{c:.2}C")),
                b.discharge_mah_g_mean,
                if b.discharge_mah_g_sd.is_finite() { b.discharge_mah_g_sd } else { 0.0 }
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

/// Why a cycle's Coulombic efficiency is away from 100 % although the model loses no lithium: the
/// cause, in the same line as the number (empty when CE is within 0.5 % of 100 %).
fn ce_note(
    ce_percent: Option<f64>,
    previous_rate: Option<f64>,
    rate: f64,
    discharge_end: &str,
) -> &'static str {
    let Some(ce) = ce_percent else { return "" };
    if (ce - 100.0).abs() <= 0.5 {
        ""
    } else if previous_rate.is_none() {
        "first cycle: charged from the assembled state, not from the last discharge"
    } else if previous_rate.is_some_and(|p| (p - rate).abs() > 1e-9) {
        "C-rate changed: the cathode's stoichiometry window shifts (no Li lost)"
    } else if discharge_end.contains("depletion") {
        "salt depletion ends charge and discharge at different charges (no Li lost)"
    } else {
        "the stoichiometry window is still settling after a change (no Li lost)"
    }
}

/// CSV of the record: cycler-sign current [A], the model's current density, voltage, the cumulative
/// charge in mAh/g, mean cathode stoichiometry, smallest electrolyte concentration, cycle and step.
fn to_csv(rec: &CyclingRecord) -> String {
    let mut t = String::from(
        "time_s,current_A,voltage_V,current_density_A_m2,charge_mAh_g,mean_stoichiometry,electrolyte_min_mol_m3,cycle,step\n",
    );
    for p in &rec.points {
        let _ = writeln!(
            t,
            "{},{},{},{},{},{},{},{},{}",
            p.time_s,
            -p.current_density * rec.area,
            p.voltage,
            p.current_density,
            rec.mah_g(p.charge),
            p.mean_stoichiometry,
            p.electrolyte_min,
            p.cycle,
            p.step
        );
    }
    t
}
