//! The Li | SPE | Li cell of a material under one protocol, recorded by the virtual instrument.

use anyhow::bail;
use spelab_core::units::Quantity;
use spelab_core::TimeSeries;
use spelab_sim::lab::{self, Noise};
use spelab_sim::symmetric::{Simulation, SymmetricCell};

use super::{Columns, OptionNames};

/// The protocol of a symmetric-cell run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Galvanostatic cycling: ±current for half-cycle, rest between, `cycles` times.
    Cycling,
    /// Constant current for duration (to the voltage limit, if any).
    Constant,
    /// CCD staircase: steps of current, each one cycle.
    Ccd,
    /// Chronoamperometry: a voltage step held for duration.
    Ca,
    /// Linear sweep 0 -> voltage over duration.
    Lsv,
}

impl std::str::FromStr for Protocol {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> anyhow::Result<Protocol> {
        Ok(match s {
            "cycling" => Protocol::Cycling,
            "constant" => Protocol::Constant,
            "ccd" => Protocol::Ccd,
            "ca" => Protocol::Ca,
            "lsv" => Protocol::Lsv,
            other => bail!("protocol '{other}': expected cycling, constant, ccd, ca or lsv"),
        })
    }
}

/// What to simulate; values as users write them (`"0.2 mA/cm2"`). `Default` is the command line's
/// defaults.
#[derive(Debug, Clone)]
pub struct Request {
    /// Material preset name or parameter file.
    pub material: String,
    /// The protocol.
    pub protocol: Protocol,
    /// Current density (cycling, constant, and the CCD step).
    pub current: String,
    /// Voltage (ca: the step; lsv: the end).
    pub voltage: String,
    /// Duration (constant, ca, lsv).
    pub duration: String,
    /// Half-cycle time (cycling, ccd).
    pub half_cycle: String,
    /// Rest between half-cycles (cycling).
    pub rest: String,
    /// Number of cycles (cycling).
    pub cycles: u32,
    /// Number of staircase steps (ccd).
    pub steps: u32,
    /// Voltage limit (constant, ccd).
    pub voltage_limit: Option<String>,
    /// Temperature (None: the material's).
    pub temperature: Option<String>,
    /// Membrane thickness (None: the material's).
    pub thickness: Option<String>,
    /// Salt concentration.
    pub salt: String,
    /// Electrode area.
    pub area: String,
    /// Sampling interval of the virtual instrument.
    pub sample_interval: String,
    /// Seed of the instrument's typical noise (None: noise-free).
    pub noise_seed: Option<u64>,
    /// Interphase film growth law (`spelab_study::inputs::film`).
    pub film: Option<String>,
    /// How errors name the options.
    pub names: OptionNames,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            material: "pvh-im".into(),
            protocol: Protocol::Cycling,
            current: "0.2 mA/cm2".into(),
            voltage: "10 mV".into(),
            duration: "1 h".into(),
            half_cycle: "1 h".into(),
            rest: "0 s".into(),
            cycles: 10,
            steps: 100,
            voltage_limit: None,
            temperature: None,
            thickness: None,
            salt: "1 mol/L".into(),
            area: "1 cm2".into(),
            sample_interval: "60 s".into(),
            noise_seed: None,
            film: None,
            names: OptionNames::Flags,
        }
    }
}

/// A finished run.
pub struct Run {
    /// The simulated cell.
    pub cell: SymmetricCell,
    /// What the instrument recorded.
    pub series: TimeSeries,
    /// The model's run (samples with the voltage breakdown, stop reason, final state).
    pub simulation: Simulation,
    /// The staircase's critical current density [A/m²] (ccd).
    pub critical_current_density: Option<f64>,
    /// One line saying what ran.
    pub label: String,
    /// Half-cycle time [s].
    pub half_cycle: f64,
}

/// The cell of the request's material with its overrides.
pub fn cell(r: &Request) -> anyhow::Result<SymmetricCell> {
    let n = r.names;
    let mut material = super::material(&r.material)?;
    if let Some(t) = &r.thickness {
        material.thickness = n.quantity(t, Quantity::Length, "thickness")?;
    }
    let salt = n.quantity(&r.salt, Quantity::Concentration, "salt")?;
    let mut cell = SymmetricCell::from_material(&material, salt)?;
    if let Some(t) = &r.temperature {
        cell = cell.at_temperature(n.quantity(t, Quantity::Temperature, "temperature")?);
    }
    cell.area = n.quantity(&r.area, Quantity::Area, "area")?;
    if let Some(f) = &r.film {
        cell.film = crate::inputs::film(f).map_err(|e| e.context(format!("{} '{f}'", n.name("film"))))?;
    }
    cell.validate()?;
    Ok(cell)
}

/// Runs the request.
pub fn run(r: &Request) -> anyhow::Result<Run> {
    run_with_progress(r, &mut |_| {})
}

/// [`run`], telling `progress` the fraction of a cycling protocol done (for a progress bar).
pub fn run_with_progress(r: &Request, progress: &mut dyn FnMut(f64)) -> anyhow::Result<Run> {
    let n = r.names;
    let cell = cell(r)?;
    let j = n.quantity(&r.current, Quantity::CurrentDensity, "current")?;
    let half = n.quantity(&r.half_cycle, Quantity::Time, "half-cycle")?;
    let interval = n.quantity(&r.sample_interval, Quantity::Time, "sample-interval")?;
    let limit =
        r.voltage_limit.as_deref().map(|v| n.quantity(v, Quantity::Voltage, "voltage-limit")).transpose()?;
    let noise = r.noise_seed.map(Noise::typical);
    let noise = noise.as_ref();
    let cd = |v: f64| Quantity::CurrentDensity.display(v);
    let time = |v: f64| Quantity::Time.display(v);
    let (series, simulation, ccd, label) = match r.protocol {
        Protocol::Cycling => {
            let rest = n.quantity(&r.rest, Quantity::Time, "rest")?;
            if r.cycles == 0 {
                bail!("{} must be at least 1", n.name("cycles"));
            }
            let setup = (j, half, rest, r.cycles);
            let run = lab::galvanostatic_cycling_with_progress(&cell, setup, interval, noise, progress)?;
            let label = format!(
                "cycling {} x ±{}, {} half-cycles, {} rests",
                r.cycles,
                cd(j),
                time(half),
                time(rest)
            );
            (run.data.time_series().clone(), run.simulation, None, label)
        }
        Protocol::Constant => {
            let d = n.quantity(&r.duration, Quantity::Time, "duration")?;
            let run = lab::dc_polarization(&cell, j, d, limit, interval, noise)?;
            (run.data, run.simulation, None, format!("constant current {} for {}", cd(j), time(d)))
        }
        Protocol::Ccd => {
            if r.steps == 0 {
                bail!("{} must be at least 1", n.name("steps"));
            }
            let run = lab::ccd_staircase(&cell, j, half, r.steps, limit, interval, noise)?;
            let label = format!("CCD staircase, steps of {}, {} half-cycles", cd(j), time(half));
            (run.data.time_series().clone(), run.simulation, run.critical_current_density, label)
        }
        Protocol::Ca => {
            let u = n.quantity(&r.voltage, Quantity::Voltage, "voltage")?;
            let d = n.quantity(&r.duration, Quantity::Time, "duration")?;
            let run = lab::chronoamperometry(&cell, u, d, interval, noise)?;
            (run.data, run.simulation, None, format!("chronoamperometry {u} V for {}", time(d)))
        }
        Protocol::Lsv => {
            let u = n.quantity(&r.voltage, Quantity::Voltage, "voltage")?;
            let d = n.quantity(&r.duration, Quantity::Time, "duration")?;
            let run = lab::linear_sweep(&cell, u, u.abs() / d, interval, noise)?;
            (run.data, run.simulation, None, format!("linear sweep 0 -> {u} V in {}", time(d)))
        }
    };
    Ok(Run { cell, series, simulation, critical_current_density: ccd, label, half_cycle: half })
}

impl Run {
    /// The record with the model's voltage breakdown. The stop reading of a failed run (module docs of
    /// `spelab_sim::lab::record`) has no model breakdown: its model columns are NaN (empty in CSV).
    pub fn columns(&self) -> Columns {
        let s = &self.series;
        let n = s.len();
        let model = |f: &dyn Fn(&spelab_sim::symmetric::Sample) -> f64| -> Vec<f64> {
            (0..n).map(|k| self.simulation.samples.get(k).map_or(f64::NAN, f)).collect()
        };
        let ints = |v: Option<&[u32]>| -> Vec<f64> {
            (0..n).map(|k| v.and_then(|v| v.get(k)).map_or(0.0, |&x| f64::from(x))).collect()
        };
        Columns {
            names: vec![
                "time_s",
                "current_A",
                "voltage_V",
                "current_density_A_m2",
                "eta_x0_V",
                "eta_xL_V",
                "ohmic_V",
                "diffusion_V",
                "film_V",
                "c_x0_mol_m3",
                "c_xL_mol_m3",
                "cycle",
                "step",
            ],
            values: vec![
                s.time().to_vec(),
                s.current().to_vec(),
                s.voltage().to_vec(),
                model(&|p| p.current_density),
                model(&|p| p.voltage.eta_x0),
                model(&|p| p.voltage.eta_xl),
                model(&|p| p.voltage.ohmic),
                model(&|p| p.voltage.diffusion),
                model(&|p| p.voltage.film),
                model(&|p| p.voltage.c_x0),
                model(&|p| p.voltage.c_xl),
                ints(s.cycle()),
                ints(s.step()),
            ],
        }
    }
}
