//! User-facing inputs turned into values: material presets (or files), frequency windows, `NAME=VALUE` lists, C-rate lists, film-growth laws and
//! compound units, plus spelab-io's [`read_spectrum`] re-exported for the steps. Shared by the study
//! steps and the CLI so that a study option and the matching command-line flag accept exactly the same
//! text.

use anyhow::{bail, Context};
use num_complex::Complex64;
use spelab_analysis::eis::{Circuit, EisFitOptions, Weighting};
use spelab_core::units::{parse_unit, Dimension, Quantity};
use spelab_core::ImpedanceSpectrum;
use spelab_sim::symmetric::FilmGrowth;

/// Reads an impedance spectrum from any instrument file spelab-io reads, else three-column text: the
/// one reader lives in spelab-io ([`spelab_io::spectrum`]); re-exported here for the steps.
pub use spelab_io::read_spectrum;

/// `0.1,0.2,0.5,1` (a trailing `C` allowed) as positive C-rates; errors name `option` (the CLI's
/// `--c-rates` or the Python keyword `c_rates`).
///
/// ```
/// use spelab_study::inputs::c_rates;
/// assert_eq!(c_rates("0.1,1C", "--c-rates").unwrap(), vec![0.1, 1.0]);
/// assert!(c_rates("0.1,-1", "--c-rates").is_err());
/// ```
pub fn c_rates(text: &str, option: &str) -> anyhow::Result<Vec<f64>> {
    let rates: Vec<f64> = text
        .split(',')
        .map(|s| {
            let s = s.trim().trim_end_matches(['C', 'c']);
            s.parse::<f64>().with_context(|| format!("{option}: '{s}' is not a number"))
        })
        .collect::<anyhow::Result<_>>()?;
    if rates.is_empty() || rates.iter().any(|c| !(c.is_finite() && *c > 0.0)) {
        bail!("{option} '{text}': expected positive C-rates separated by commas, e.g. 0.1,0.2,0.5,1");
    }
    Ok(rates)
}

/// Parses `R0=0.01,CPE1.q=1e-5` into name/value pairs.
pub fn parse_assignments(text: &str, what: &str) -> anyhow::Result<Vec<(String, f64)>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (name, value) = item
                .split_once('=')
                .with_context(|| format!("{what}: '{item}' is not NAME=VALUE (e.g. R0=0.01)"))?;
            let value: f64 = value
                .trim()
                .parse()
                .with_context(|| format!("{what}: '{}' in '{item}' is not a number", value.trim()))?;
            Ok((name.trim().to_string(), value))
        })
        .collect()
}

/// The frequency window of the EIS steps (`f_min`, `f_max`, `capacitive_only`), applied by [`select`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// Lowest frequency kept [Hz].
    pub f_min: Option<f64>,
    /// Highest frequency kept [Hz].
    pub f_max: Option<f64>,
    /// Keep only points with Z'' < 0.
    pub capacitive_only: bool,
}

impl Window {
    /// The points of `spectrum` inside the window.
    pub fn apply(&self, spectrum: &ImpedanceSpectrum) -> anyhow::Result<ImpedanceSpectrum> {
        select(spectrum, self.f_min, self.f_max, self.capacitive_only)
    }
}

/// Keeps the points inside the frequency window and, with `capacitive_only`, those with Z'' < 0
/// (impedance.py's `ignoreBelowX`).
pub fn select(
    spectrum: &ImpedanceSpectrum,
    f_min: Option<f64>,
    f_max: Option<f64>,
    capacitive_only: bool,
) -> anyhow::Result<ImpedanceSpectrum> {
    let (f, z): (Vec<f64>, Vec<Complex64>) = spectrum
        .frequency()
        .iter()
        .zip(spectrum.impedance())
        .filter(|(f, z)| {
            f_min.is_none_or(|lo| **f >= lo)
                && f_max.is_none_or(|hi| **f <= hi)
                && (!capacitive_only || z.im < 0.0)
        })
        .map(|(f, z)| (*f, *z))
        .unzip();
    if f.is_empty() {
        bail!("no points left after the frequency window / capacitive-only selection");
    }
    Ok(ImpedanceSpectrum::new(f, z, spectrum.meta().clone())?)
}

/// Options shared by `spelab eis fit` and the `eis-fit` step.
pub fn fit_options(
    circuit: &Circuit,
    initial: Option<&str>,
    fix: &[String],
    weighting: Weighting,
) -> anyhow::Result<EisFitOptions> {
    let initial = match initial {
        Some(text) => parse_assignments(text, "--initial")?,
        None => Vec::new(),
    };
    let mut fixed = Vec::new();
    for item in fix {
        fixed.extend(parse_assignments(item, "--fix")?);
    }
    for (name, _) in initial.iter().chain(&fixed) {
        if circuit.param_index(name).is_none() {
            bail!(
                "circuit '{circuit}' has no parameter '{name}' (its parameters: {})",
                circuit.param_names().join(", ")
            );
        }
    }
    Ok(EisFitOptions { weighting, initial, fixed, ..EisFitOptions::default() })
}

/// A value with a compound unit of the given SI dimension ("20 ohm.cm2", "0.5ohm cm2/h") in SI.
pub fn compound(text: &str, dimension: Dimension, what: &str) -> anyhow::Result<f64> {
    let text = text.trim();
    // The longest leading part that reads as a number; the rest is the unit.
    let split = (1..=text.len())
        .rev()
        .filter(|&k| text.is_char_boundary(k))
        .find(|&k| text[..k].trim().parse::<f64>().is_ok())
        .with_context(|| format!("'{text}': expected a number and a unit ({what})"))?;
    let number: f64 = text[..split].trim().parse()?;
    let unit = parse_unit(&text[split..]).with_context(|| format!("'{text}' ({what})"))?;
    if unit.dimension != dimension || unit.offset != 0.0 {
        bail!("'{text}': the unit is not {what}");
    }
    let v = unit.to_si(number);
    if !(v.is_finite() && v >= 0.0) {
        bail!("'{text}': must be finite and >= 0");
    }
    Ok(v)
}

/// `--film LAW:KEY=VALUE,..` (also the `film` option of the symmetric-cycling step) as a [`FilmGrowth`].
pub fn film(text: &str) -> anyhow::Result<FilmGrowth> {
    let (law, rest) = text.split_once(':').unwrap_or((text, ""));
    let mut values = std::collections::BTreeMap::new();
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').with_context(|| format!("'{part}': expected KEY=VALUE"))?;
        values.insert(k.trim().to_string(), v.trim().to_string());
    }
    let resistance = Quantity::Resistance.dimension();
    let asr = resistance * Quantity::Area.dimension();
    let time = Quantity::Time.dimension();
    let mut take = |key: &str, dimension: Dimension, what: &str| -> anyhow::Result<f64> {
        let v = values.remove(key).with_context(|| format!("{law} film needs {key}=<{what}>"))?;
        compound(&v, dimension, what)
    };
    let r0 = take("r0", asr, "an area-specific resistance such as 20ohm.cm2")?;
    let growth = match law.trim() {
        "constant" => FilmGrowth::Constant { r0 },
        "parabolic" => {
            let tau_s = take("tau", time, "a time such as 100h")?;
            if tau_s <= 0.0 {
                bail!("tau must be > 0");
            }
            FilmGrowth::Parabolic { r0, tau_s }
        }
        "linear" => {
            FilmGrowth::Linear { r0, rate: take("rate", asr / time, "a growth rate such as 0.5ohm.cm2/h")? }
        }
        "charge" | "charge-driven" => FilmGrowth::ChargeDriven {
            r0,
            per_charge: take(
                "k",
                asr / Quantity::ArealCapacity.dimension(),
                "a growth per areal charge such as 1ohm.cm2/(mAh/cm2)",
            )?,
        },
        other => bail!("unknown film law '{other}': expected constant, parabolic, linear or charge"),
    };
    if let Some(k) = values.keys().next() {
        bail!("unknown key '{k}' for a {law} film");
    }
    growth.validate()?;
    Ok(growth)
}

/// "1.8e-9 S/cm", "0.49", "141.7 mAh/g": a preset value as written, in its unit.
pub fn value_with_unit(value: f64, unit: &str) -> String {
    let number = if value != 0.0 && (value.abs() < 1e-3 || value.abs() >= 1e6) {
        format!("{value:e}")
    } else {
        format!("{value}")
    };
    if unit.is_empty() || unit == "1" {
        number
    } else {
        format!("{number} {unit}")
    }
}

/// A built-in preset by id, or a material file in the presets' TOML schema when `name` is a file's path.
pub fn preset(name: &str) -> anyhow::Result<spelab_sim::params::Preset> {
    Ok(if std::path::Path::new(name).is_file() {
        let text = std::fs::read_to_string(name).with_context(|| format!("reading {name}"))?;
        spelab_sim::params::preset_from_toml(&text, name)?
    } else {
        spelab_sim::params::preset(name)?
    })
}
