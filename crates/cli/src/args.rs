//! Command-line types (clap derive). The doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// spelab: analyse and simulate solid polymer electrolytes for lithium-metal batteries.
///
/// Reads a study (materials, simulated experiments, measured data files), runs every step and writes a
/// report with metrics, figures and a paper-vs-spelab comparison.
#[derive(Debug, Parser)]
#[command(name = "spelab", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  spelab run examples/pvh-im.toml\n  spelab params show pvh-im\n  spelab units \"0.2 mA/cm2\" --quantity current-density\n  spelab steps"
)]
pub struct Cli {
    /// Print nothing but errors (no progress bars, no summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print exactly one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a study and write its run directory (metrics.json, metrics.csv, figures/, data/, report.html, run.log).
    ///
    /// Exit code 0 when every step succeeded, 1 when a step failed (the other steps still ran and the
    /// report shows the failure), 2 when the study could not be read or the output not written.
    #[command(
        after_help = "Example:\n  spelab run examples/pvh-im.toml --out runs/pvh-im\n  spelab run examples/pvh-im.toml --json > summary.json"
    )]
    Run(RunArgs),
    /// Check a study file without running it (unknown keys, units, materials, files).
    #[command(after_help = "Example:\n  spelab check examples/pvh-im.toml")]
    Check(CheckArgs),
    /// Built-in material presets and parameter files.
    #[command(
        subcommand,
        after_help = "Examples:\n  spelab params list\n  spelab params show pvh-im --json"
    )]
    Params(ParamsCommand),
    /// List the step kinds a study can use, with an example of each.
    #[command(after_help = "Example:\n  spelab steps\n  spelab steps arrhenius")]
    Steps(StepsArgs),
    /// Convert a value with units to SI and to the display unit spelab reports.
    #[command(
        after_help = "Examples:\n  spelab units \"0.2 mA/cm2\" --quantity current-density\n  spelab units \"25 degC\" --as temperature\n  spelab units \"0.18 eV\" --as activation-energy --json"
    )]
    Units(UnitsArgs),
    /// Read an instrument file (format detected from its content) and print a summary or export it.
    ///
    /// Supported: BioLogic EC-Lab .mpr and .mpt, Gamry .DTA, Maccor text, Neware .nda (v29, v130 BTS 9.0) and .ndax, Arbin / Neware BTSDA / Landt CSV exports, BDF CSV. Columns are printed with spelab names and SI units.
    #[command(
        after_help = "Examples:\n  spelab read cell3.mpr\n  spelab read cell3.mpr --json\n  spelab read cell3.mpt --to csv --out cell3.csv\n  spelab read cell3.mpr --to bdf --out cell3.bdf.csv"
    )]
    Read(ReadArgs),
    /// Run one measured-data analysis step on a table without writing a study file.
    #[command(
        after_help = "Examples:\n  spelab analyze ccd staircase.csv --set area=\"1 cm2\"\n  spelab analyze transference ca.csv --set voltage=\"10 mV\" --set bulk_resistance=\"95 ohm\" --set interface_resistance=\"310 ohm\" --set interface_resistance_steady=\"360 ohm\"\n  spelab analyze arrhenius sigma_T.csv --set vtf_t0=free\n  (`spelab steps KIND` lists each kind's options)"
    )]
    Analyze(AnalyzeArgs),
    /// Simulate an experiment on a material and record it as an instrument would.
    #[command(
        subcommand,
        after_help = "Example:\n  spelab simulate symmetric --material pvh-im --protocol cycling --current 0.2mA/cm2 --cycles 100"
    )]
    Simulate(SimulateCommand),
}

/// `spelab analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Step kind (`spelab steps` lists them): arrhenius, transference, electronic-conductivity,
    /// exchange-current, ccd, cycling-life, lsv-onset, full-cell.
    pub kind: String,
    /// The measured table (CSV/TSV with units in the headers).
    pub file: PathBuf,
    /// Material preset the data belong to (for the paper comparison).
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// A step option, `key=value` (repeatable), e.g. `--set area="1 cm2"`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Output folder [default: runs/analyze-<kind>].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `spelab read`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The instrument file.
    pub file: PathBuf,
    /// Export every row in this format (needs --out).
    #[arg(long, value_enum, requires = "out")]
    pub to: Option<ExportFormat>,
    /// Output file for --to (written atomically; never over the input).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// Formats `spelab read --to` and `spelab simulate --to` write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values, header `name [unit]`, SI values.
    Csv,
    /// Battery Data Format CSV (preferred labels, canonical units; needs time, voltage, current).
    Bdf,
}

/// `spelab run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The study file (TOML).
    pub study: PathBuf,
    /// Output folder [default: runs/<study file name without .toml>].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `spelab check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The study file (TOML).
    pub study: PathBuf,
}

/// `spelab params ...`.
#[derive(Debug, Subcommand)]
pub enum ParamsCommand {
    /// List the built-in presets.
    #[command(after_help = "Example:\n  spelab params list")]
    List,
    /// Print every value of a preset (or a parameter file) with unit and source.
    #[command(
        after_help = "Examples:\n  spelab params show pvh-im\n  spelab params show my-material.toml --json"
    )]
    Show {
        /// A preset id (pvh, pvh-im) or the path of a parameter file.
        name: String,
    },
}

/// `spelab steps`.
#[derive(Debug, Args)]
pub struct StepsArgs {
    /// Show only this step kind.
    pub kind: Option<String>,
}

/// `spelab units`.
#[derive(Debug, Args)]
pub struct UnitsArgs {
    /// The value with its unit, e.g. "0.2 mA/cm2".
    pub value: String,
    /// What the value is.
    #[arg(long, visible_alias = "as", value_enum)]
    pub quantity: QuantityArg,
}

/// Quantities accepted by `spelab units`.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[allow(missing_docs)]
pub enum QuantityArg {
    Length,
    Area,
    Mass,
    Time,
    Temperature,
    Current,
    CurrentDensity,
    Voltage,
    Resistance,
    Conductivity,
    ActivationEnergy,
    Charge,
    ArealCapacity,
    SpecificCapacity,
    Frequency,
    Capacitance,
    Concentration,
    Diffusivity,
    CRate,
    Fraction,
    Dimensionless,
}

impl From<QuantityArg> for spelab_core::units::Quantity {
    fn from(q: QuantityArg) -> Self {
        use spelab_core::units::Quantity as Q;
        match q {
            QuantityArg::Length => Q::Length,
            QuantityArg::Area => Q::Area,
            QuantityArg::Mass => Q::Mass,
            QuantityArg::Time => Q::Time,
            QuantityArg::Temperature => Q::Temperature,
            QuantityArg::Current => Q::Current,
            QuantityArg::CurrentDensity => Q::CurrentDensity,
            QuantityArg::Voltage => Q::Voltage,
            QuantityArg::Resistance => Q::Resistance,
            QuantityArg::Conductivity => Q::Conductivity,
            QuantityArg::ActivationEnergy => Q::ActivationEnergy,
            QuantityArg::Charge => Q::Charge,
            QuantityArg::ArealCapacity => Q::ArealCapacity,
            QuantityArg::SpecificCapacity => Q::SpecificCapacity,
            QuantityArg::Frequency => Q::Frequency,
            QuantityArg::Capacitance => Q::Capacitance,
            QuantityArg::Concentration => Q::Concentration,
            QuantityArg::Diffusivity => Q::Diffusivity,
            QuantityArg::CRate => Q::CRate,
            QuantityArg::Fraction => Q::Fraction,
            QuantityArg::Dimensionless => Q::Dimensionless,
        }
    }
}

/// `spelab simulate ...`.
#[derive(Debug, Subcommand)]
pub enum SimulateCommand {
    /// A Li|SPE|Li symmetric cell: galvanostatic cycling, constant current (polarisation, Sand),
    /// CCD staircase or chronoamperometry (Bruce-Vincent).
    ///
    /// Prints a summary (stop reason: completed, depletion or voltage limit; polarization;
    /// J_lim and Sand current), or with --to csv the recorded data.
    #[command(
        after_help = "Examples:\n  spelab simulate symmetric --material pvh-im --protocol cycling --current 0.2mA/cm2 --cycles 100\n  spelab simulate symmetric --material pvh --protocol ccd --current 0.05mA/cm2 --half-cycle 30min --voltage-limit 5V\n  spelab simulate symmetric --protocol constant --current 1mA/cm2 --duration 2h --to csv --out pol.csv\n  spelab simulate symmetric --protocol ca --voltage 10mV --duration 3h --json"
    )]
    Symmetric(Box<SimulateSymmetricArgs>),
}

/// Protocols of `spelab simulate symmetric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    /// +J / -J half-cycles (with optional rests), --cycles times.
    Cycling,
    /// Constant current for --duration (stops at depletion or the voltage limit).
    Constant,
    /// Step-increasing current: step k is +-k*current for --half-cycle each, up to --steps.
    Ccd,
    /// Chronoamperometry: a --voltage step held for --duration.
    Ca,
    /// Linear sweep from 0 V to --voltage over --duration (slow sweeps for Tafel plots).
    Lsv,
}

/// `spelab simulate symmetric`.
#[derive(Debug, Args)]
pub struct SimulateSymmetricArgs {
    /// A preset id (pvh, pvh-im) or the path of a material file.
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// The protocol.
    #[arg(long, value_enum, default_value = "cycling")]
    pub protocol: ProtocolArg,
    /// Current density (cycling, constant; the step size for ccd), e.g. 0.2mA/cm2.
    #[arg(long, default_value = "0.2 mA/cm2")]
    pub current: String,
    /// Voltage step for ca, end voltage for lsv, e.g. 10mV.
    #[arg(long, default_value = "10 mV")]
    pub voltage: String,
    /// Duration of constant, ca and lsv runs, e.g. 2h.
    #[arg(long, default_value = "1 h")]
    pub duration: String,
    /// Half-cycle length (cycling, ccd).
    #[arg(long, default_value = "1 h")]
    pub half_cycle: String,
    /// Rest after each half-cycle (cycling).
    #[arg(long, default_value = "0 s")]
    pub rest: String,
    /// Number of cycles (cycling).
    #[arg(long, default_value_t = 10)]
    pub cycles: u32,
    /// Largest number of current steps (ccd).
    #[arg(long, default_value_t = 100)]
    pub steps: u32,
    /// Stop when |U| reaches this, e.g. 5V [default: none; depletion still stops a run].
    #[arg(long)]
    pub voltage_limit: Option<String>,
    /// Cell temperature [default: the material's, 25 degC for the presets].
    #[arg(long)]
    pub temperature: Option<String>,
    /// Membrane thickness [default: the material's].
    #[arg(long)]
    pub thickness: Option<String>,
    /// Salt concentration (not in the presets; an assumption).
    #[arg(long, default_value = "1 mol/L")]
    pub salt: String,
    /// Electrode area.
    #[arg(long, default_value = "1 cm2")]
    pub area: String,
    /// Instrument sampling interval.
    #[arg(long, default_value = "60 s")]
    pub sample_interval: String,
    /// Add typical instrument noise (50 uV, 10 nA) with this seed.
    #[arg(long)]
    pub noise_seed: Option<u64>,
    /// Export the recorded data in this format (to --out, or stdout without --out).
    #[arg(long)]
    pub to: Option<ExportFormat>,
    /// Output file for --to.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}
