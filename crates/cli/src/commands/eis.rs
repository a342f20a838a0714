//! `spelab eis ...`: impedance spectroscopy commands (circuit fits).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Serialize;
use spelab_analysis::eis::input::sign_warnings;
use spelab_analysis::eis::{fit_circuit, Circuit, CircuitFit, EisFitOptions};
use spelab_io::read_spectrum;
use spelab_study::inputs::{fit_options, select};
use spelab_study::printed::{drt_text, fit_json, fit_text, kk_text};

use super::{print, print_json, Output};
use crate::args::{EisCommand, EisConductivityArgs, EisDrtArgs, EisFitArgs, EisKkArgs, KkFitArg};

/// `spelab eis ...`.
pub fn eis(command: &EisCommand, output: Output) -> anyhow::Result<u8> {
    match command {
        EisCommand::Fit(args) => fit(args, output),
        EisCommand::Conductivity(args) => conductivity(args, output),
        EisCommand::Kk(args) => kk(args, output),
        EisCommand::Drt(args) => drt(args, output),
    }
}

/// One file's fit, for batch mode.
fn fit_file(
    path: &Path,
    circuit: &Circuit,
    args: &EisFitArgs,
    options: &EisFitOptions,
) -> anyhow::Result<CircuitFit> {
    let spectrum = read_spectrum(path)?;
    let spectrum = select(&spectrum, args.f_min, args.f_max, args.capacitive_only)
        .with_context(|| path.display().to_string())?;
    fit_circuit(&spectrum, circuit, options)
        .with_context(|| format!("fitting {} to {}", circuit, path.display()))
}

/// `spelab eis fit FILE... --circuit ...`. Exit 1 when a fit did not converge, 2 when a file could
/// not be fitted (the other files are still reported).
pub fn fit(args: &EisFitArgs, output: Output) -> anyhow::Result<u8> {
    use rayon::prelude::*;
    let circuit: Circuit = args.circuit.parse()?;
    let mut options = fit_options(&circuit, args.initial.as_deref(), &args.fix, args.weighting.into())?;
    if let Some(n) = args.multistart {
        options.multistart = n;
    }
    options.seed = args.seed;
    if let [single] = args.files.as_slice() {
        let result = fit_file(single, &circuit, args, &options)?;
        if let Some(prefix) = &args.plot {
            let spectrum = select(&read_spectrum(single)?, args.f_min, args.f_max, args.capacitive_only)?;
            let label = single.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            for figure in spelab_study::steps::eis_fit::fit_figures(&label, &circuit, &spectrum, &result) {
                let suffix = figure.id.trim_start_matches("eis-fit-");
                let path = PathBuf::from(format!("{}-{suffix}.svg", prefix.display()));
                let svg = spelab_report::render_svg(&figure)?;
                std::fs::write(&path, svg).with_context(|| format!("writing {}", path.display()))?;
            }
        }
        if output.json {
            print_json(&fit_json(&result, None))?;
        } else if !output.quiet {
            print(&fit_text(&result))?;
        }
        return Ok(if result.termination.converged() { 0 } else { 1 });
    }
    if args.plot.is_some() {
        bail!("--plot works with a single file");
    }
    let bar = crate::progress::fraction_bar(!output.quiet && !output.json, "fitting");
    bar.set_length(args.files.len() as u64);
    let results: Vec<anyhow::Result<CircuitFit>> = args
        .files
        .par_iter()
        .map(|path| {
            let r = fit_file(path, &circuit, args, &options);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let mut code = 0;
    let mut docs = Vec::new();
    let mut text = String::new();
    for (path, result) in args.files.iter().zip(&results) {
        match result {
            Ok(fit) => {
                if !fit.termination.converged() {
                    code = code.max(1);
                }
                docs.push(serde_json::to_value(fit_json(fit, Some(path.display().to_string())))?);
                text.push_str(&format!("== {}\n{}", path.display(), fit_text(fit)));
            }
            Err(e) => {
                code = 2;
                eprintln!("error: {e:#}");
                docs.push(
                    serde_json::json!({ "file": path.display().to_string(), "error": format!("{e:#}") }),
                );
            }
        }
    }
    if output.json {
        print_json(&docs)?;
    } else if !output.quiet {
        print(&text)?;
    }
    Ok(code)
}

/// `spelab eis conductivity FILE --thickness .. --area ..`.
pub fn conductivity(args: &EisConductivityArgs, output: Output) -> anyhow::Result<u8> {
    use spelab_analysis::eis::conductivity::bulk_resistance;
    use spelab_core::units::{parse_quantity, Quantity};
    let quantity = |text: &Option<String>, q: Quantity, what: &str| -> anyhow::Result<f64> {
        match text {
            Some(t) => parse_quantity(t, q).with_context(|| format!("--{what}")),
            None => Ok(0.0),
        }
    };
    let thickness = parse_quantity(&args.thickness, Quantity::Length).context("--thickness")?;
    let area = parse_quantity(&args.area, Quantity::Area).context("--area")?;
    let thickness_se = quantity(&args.thickness_error, Quantity::Length, "thickness-error")?;
    let area_se = quantity(&args.area_error, Quantity::Area, "area-error")?;
    let spectrum = read_spectrum(&args.file)?;
    let circuit = args.circuit.as_deref().map(str::parse::<Circuit>).transpose()?;
    let names: Vec<&str> = args.element.iter().map(String::as_str).collect();
    let bulk = bulk_resistance(&spectrum, circuit.as_ref(), &names, args.weighting.into())
        .with_context(|| args.file.display().to_string())?;
    let result =
        spelab_analysis::eis::conductivity::conductivity(&bulk, thickness, thickness_se, area, area_se)?;
    if output.json {
        #[derive(Serialize)]
        struct Doc<'a> {
            sigma: f64,
            std_error: f64,
            unit: &'static str,
            bulk_resistance: f64,
            bulk_resistance_std_error: f64,
            method: String,
            detail: &'a spelab_analysis::eis::conductivity::Conductivity,
            warnings: Vec<String>,
        }
        print_json(&Doc {
            sigma: result.sigma,
            std_error: result.std_error,
            unit: "S/m",
            bulk_resistance: bulk.value,
            bulk_resistance_std_error: bulk.std_error,
            method: bulk.method.to_string(),
            detail: &result,
            warnings: sign_warnings(&spectrum),
        })?;
    } else if !output.quiet {
        print(&format!(
            "sigma = {}\nR_b = {} ({})\nL = {}, A = {}\n",
            Quantity::Conductivity.display_with_uncertainty(result.sigma, result.std_error),
            Quantity::Resistance.display_with_uncertainty(bulk.value, bulk.std_error),
            bulk.method,
            Quantity::Length.display(thickness),
            Quantity::Area.display(area)
        ))?;
        sign_warnings(&spectrum).iter().try_for_each(|w| print(&format!("warning: {w}\n")))?;
    }
    Ok(0)
}

/// `spelab eis kk FILE`. Exit 1 when the spectrum fails the test.
pub fn kk(args: &EisKkArgs, output: Output) -> anyhow::Result<u8> {
    use spelab_analysis::eis::kk::{lin_kk, KkFit, LinKkOptions};
    let spectrum = read_spectrum(&args.file)?;
    let spectrum = select(&spectrum, args.f_min, args.f_max, args.capacitive_only)
        .with_context(|| args.file.display().to_string())?;
    let options = LinKkOptions {
        mu_cutoff: Some(args.mu_cutoff),
        max_m: args.max_m,
        fit: match args.fit {
            KkFitArg::Real => KkFit::Real,
            KkFitArg::Imag => KkFit::Imag,
            KkFitArg::Complex => KkFit::Complex,
        },
        add_capacitance: args.add_capacitance,
        threshold: args.threshold,
    };
    let result = lin_kk(&spectrum, &options).with_context(|| args.file.display().to_string())?;
    if output.json {
        print_json(&result)?;
    } else if !output.quiet {
        print(&kk_text(&result))?;
    }
    Ok(if result.pass { 0 } else { 1 })
}

/// `spelab eis drt FILE`.
pub fn drt(args: &EisDrtArgs, output: Output) -> anyhow::Result<u8> {
    use spelab_analysis::eis::drt::{drt, DrtOptions};
    let spectrum = read_spectrum(&args.file)?;
    let spectrum = select(&spectrum, args.f_min, args.f_max, args.capacitive_only)
        .with_context(|| args.file.display().to_string())?;
    let options = DrtOptions { points_per_decade: args.points_per_decade, lambda: args.lambda };
    let result = drt(&spectrum, &options).with_context(|| args.file.display().to_string())?;
    if output.json {
        print_json(&result)?;
    } else if !output.quiet {
        print(&drt_text(&result))?;
    }
    Ok(0)
}
