//! `spelab simulate full-cell`: an LFP | SPE | Li cell of a material cycled over C-rate blocks by the
//! virtual cycler (`spelab_study::simulate::full_cell`), analysed by the same full-cell analysis as
//! measured files.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;
use spelab_core::units::Quantity;
use spelab_sim::fullcell::{coulombic_efficiency_note, segment_end_name, CycleCapacity};
use spelab_study::simulate::full_cell;

use super::super::{print, print_json, Output};
use crate::args::{ExportFormat, SimulateFullCellArgs};

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
    let request = full_cell::Request {
        material: args.material.clone(),
        c_rates: args.c_rates.clone(),
        cycles: args.cycles,
        model: args.model.clone(),
        rest: args.rest.clone(),
        temperature: args.temperature.clone(),
        thickness: args.thickness.clone(),
        salt: args.salt.clone(),
        area: args.area.clone(),
        voltage_step: args.voltage_step.clone(),
        names: Default::default(),
    };
    let (model, run) = full_cell::run(&request)?;
    if let Some(format) = args.to {
        let text = match format {
            ExportFormat::Csv => full_cell::columns(&run.record).to_csv(),
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
            coulombic_efficiency_note(ce, previous_rate, c.c_rate, c.discharge_end)
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
