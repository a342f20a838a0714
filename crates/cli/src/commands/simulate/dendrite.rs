//! `spelab simulate dendrite`: the phase-field model of Li deposition (spelab_sim::phase_field) on a
//! material at a plating current until a capacity is deposited; heat maps, animation, .vti, metric
//! series and metrics JSON written atomically to `--out`, a progress bar with simulated time and ETA.

use std::ops::ControlFlow;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use spelab_core::units::Quantity;
use spelab_sim::phase_field::failure::{dendrite_setup, run_to_charge};
use spelab_sim::phase_field::metrics::{self, Morphology};
use spelab_sim::phase_field::output::{self, FieldKind};
use spelab_sim::phase_field::{Parameters, PhaseField};
use spelab_study::output::write_file;
use spelab_study::simulate::OptionNames::Flags;

use super::super::{print, print_json, Output};
use crate::args::SimulateDendriteArgs;

/// The JSON summary (metrics.json).
#[derive(Debug, Serialize)]
struct Summary {
    material: String,
    current_density_a_m2: f64,
    capacity_c_m2: f64,
    grid: [usize; 2],
    spacing_m: f64,
    termination: String,
    steps: u64,
    tip_amplification: f64,
    short_circuit_time_s: Option<f64>,
    metrics: Morphology,
}

/// `spelab simulate dendrite`.
pub(crate) fn dendrite(args: &SimulateDendriteArgs, output: Output) -> anyhow::Result<u8> {
    let preset = if Path::new(&args.material).is_file() {
        let text =
            std::fs::read_to_string(&args.material).with_context(|| format!("reading {}", args.material))?;
        spelab_sim::params::preset_from_toml(&text, &args.material)?
    } else {
        spelab_sim::params::preset(&args.material)?
    };
    // Noise 0.04 (Hong), no SEI heterogeneity: the study's `dendrite-morphology` applies the SEI rule.
    let params =
        Parameters { noise_amplitude: 0.04, ..Parameters::from_material(&preset.material_params()?) };
    let j = Flags.quantity(&args.current, Quantity::CurrentDensity, "current")?;
    let q = Flags.quantity(&args.capacity, Quantity::ArealCapacity, "capacity")?;
    let dx = Flags.quantity(&args.spacing, Quantity::Length, "spacing")?;
    let width = Flags.quantity(&args.width, Quantity::Length, "width")?;
    let setup = dendrite_setup(&params, dx, width, j, args.seed)?;
    let model = PhaseField::new(params, setup)?;
    let g = model.setup().grid;
    let t_end = q / j;
    let bar = crate::progress::fraction_bar(!output.quiet && !output.json, "dendrite");
    let (state, run) = run_to_charge(&model, q, |p| {
        bar.set_position((1000.0 * p.time / t_end).min(1000.0) as u64);
        bar.set_message(format!(
            "t = {} of {}",
            Quantity::Time.display(p.time),
            Quantity::Time.display(t_end)
        ));
        ControlFlow::Continue(())
    })?;
    bar.finish_and_clear();
    let summary = Summary {
        material: args.material.clone(),
        current_density_a_m2: j,
        capacity_c_m2: q,
        grid: [g.nx, g.ny],
        spacing_m: g.spacing,
        termination: format!("{:?}", run.termination),
        steps: state.steps,
        tip_amplification: run.amplification,
        short_circuit_time_s: run.short_circuit_time(model.parameters().thickness),
        metrics: run.morphology,
    };
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for kind in FieldKind::ALL {
            let mut png = Vec::new();
            output::heat_map_png(&output::field(&model, &state, kind), g.nx, g.ny, None, 4, &mut png)?;
            write_file(&dir.join(format!("{}.png", kind.name())), &png, &[])?;
        }
        let mut vti = Vec::new();
        output::write_vti(&model, &state, &mut vti)?;
        write_file(&dir.join("state.vti"), &vti, &[])?;
        let mut csv = Vec::new();
        output::write_series_csv(&[metrics::morphology(&model, &state)], &mut csv)?;
        write_file(&dir.join("metrics.csv"), &csv, &[])?;
        write_file(&dir.join("metrics.json"), serde_json::to_string_pretty(&summary)?.as_bytes(), &[])?;
    }
    if output.json {
        print_json(&summary)?;
    } else if !output.quiet {
        print(&text(&summary, args.out.as_deref()))?;
    }
    Ok(0)
}

fn text(s: &Summary, out: Option<&Path>) -> String {
    let (m, um) = (&s.metrics, |v: f64| Quantity::Length.display(v));
    let short = s.short_circuit_time_s.map_or("none".into(), |v| Quantity::Time.display(v));
    let mut t = format!(
        "dendrite {} at {}, {} ({}x{} cells of {}): {} after {} steps\n  tip {} over mean {} (ratio {:.2}, \
         amplification {:.2}), roughness {}, arc length {:.2}\n  tip c/c0 {:.3}, max |grad c| {:.3e} mol/m4, \
         branches {}, short {short} (extrapolated unless the run shorted)\n",
        s.material,
        Quantity::CurrentDensity.display(s.current_density_a_m2),
        Quantity::ArealCapacity.display(s.capacity_c_m2),
        s.grid[0],
        s.grid[1],
        um(s.spacing_m),
        s.termination,
        s.steps,
        um(m.max_height),
        um(m.mean_height),
        m.height_ratio,
        s.tip_amplification,
        um(m.roughness),
        m.arc_length_ratio,
        m.tip_concentration,
        m.tip_concentration_gradient,
        m.branch_count
    );
    if let Some(p) = out {
        t.push_str(&format!("  outputs: {}\n", p.display()));
    }
    t
}
