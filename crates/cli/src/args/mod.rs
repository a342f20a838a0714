//! Command-line types (clap derive). The doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod eis;
mod simulate;

pub use eis::*;
pub use simulate::*;

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
    /// Calibrate the full-cell model on one material's paper rate capability, predict others' (full-cell-calibrate step).
    #[command(
        after_help = "Example:\n  spelab calibrate --material pvh-im --predict pvh\n  spelab calibrate --knobs utilisation,particle_diffusivity --json"
    )]
    Calibrate(CalibrateArgs),
    /// Check a study file without running it (unknown keys, units, materials, files).
    #[command(after_help = "Example:\n  spelab check examples/pvh-im.toml")]
    Check(CheckArgs),
    /// Built-in material presets and parameter files.
    #[command(
        subcommand,
        after_help = "Examples:\n  spelab params list\n  spelab params show pvh-im --json\n  spelab params export pvh-im --to bpx"
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
    /// Supported: BioLogic EC-Lab .mpr and .mpt, Gamry .DTA, Maccor text, Neware .nda (v29, v130 BTS 9.0) and .ndax, Arbin .res, Arbin / Neware BTSDA / Landt CSV exports, BDF CSV. Columns are printed with spelab names and SI units.
    #[command(
        after_help = "Examples:\n  spelab read cell3.mpr\n  spelab read cell3.mpr --json\n  spelab read cell3.mpt --to csv --out cell3.csv\n  spelab read cell3.mpr --to bdf --out cell3.bdf.csv"
    )]
    Read(ReadArgs),
    /// Convert an instrument file (or a generic CSV/TSV with --map) to BDF or spelab CSV.
    ///
    /// Writes every row; the output defaults to FILE with `.bdf.csv` or `.spelab.csv` in place of its extension.
    #[command(
        after_help = "Examples:\n  spelab convert cell3.mpr --to bdf\n  spelab convert cell3.ndax --to csv --out cell3.csv\n  spelab convert log.tsv --to bdf --map time=0,voltage=\"Ewe/V\",current=2 --unit current=mA"
    )]
    Convert(ConvertArgs),
    /// Benchmarks (`spelab bench read FILE..`).
    #[command(subcommand)]
    #[command(after_help = "Example:\n  spelab bench read cell.mpr cell.ndax --repeat 20")]
    Bench(BenchCommand),
    /// Run one measured-data analysis step on a table without writing a study file.
    #[command(
        after_help = "Examples:\n  spelab analyze ccd staircase.csv --set area=\"1 cm2\"\n  spelab analyze transference ca.csv --set voltage=\"10 mV\" --set bulk_resistance=\"95 ohm\" --set interface_resistance=\"310 ohm\" --set interface_resistance_steady=\"360 ohm\"\n  spelab analyze arrhenius sigma_T.csv --set vtf_t0=free\n  spelab analyze full-cell-ageing --material pvh-im --set law=sei-film\n  (`spelab steps KIND` lists each kind's options)"
    )]
    Analyze(AnalyzeArgs),
    /// Simulate an experiment on a material and record it as an instrument would.
    #[command(
        subcommand,
        after_help = "Example:\n  spelab simulate symmetric --material pvh-im --protocol cycling --current 0.2mA/cm2 --cycles 100"
    )]
    Simulate(SimulateCommand),
    /// Impedance spectroscopy: fit equivalent circuits (impedance.py's circuit language), lin-KK, DRT,
    /// ionic conductivity.
    #[command(
        subcommand,
        after_help = "Examples:\n  spelab eis fit data.csv --circuit \"R0-p(R1,CPE1)-Wo1\"\n  spelab eis kk data.csv\n  spelab eis conductivity data.csv --thickness 100um --area 2.01cm2"
    )]
    Eis(EisCommand),
}

/// `spelab analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// Step kind (`spelab steps` lists them): arrhenius, transference, electronic-conductivity,
    /// exchange-current, ccd, cycling-life, lsv-onset, full-cell.
    pub kind: String,
    /// The measured table (CSV/TSV with units in the headers), or the first of several files; none for simulation steps (full-cell-ageing, full-cell-design-map).
    pub file: Option<PathBuf>,
    /// Further files for steps that take several (`files = [...]`): e.g. the impedance spectra of
    /// `spelab analyze arrhenius eis_0C.mpr eis_40C.mpr eis_80C.mpr --set temperatures=[...]`.
    pub more_files: Vec<PathBuf>,
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
    /// Column mapping for a generic CSV/TSV.
    #[command(flatten)]
    pub map: MapArgs,
}

/// A column mapping for generic CSV/TSV files (`spelab read`, `spelab convert`).
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Read FILE as a generic CSV/TSV with this column mapping: spelab channel = 0-based column index
    /// or header text, e.g. `time=0,voltage="Ewe/V",current=2`.
    #[arg(long, value_name = "CHANNEL=COLUMN,..")]
    pub map: Option<String>,
    /// Unit of a mapped column where its header does not say (repeatable or comma list), e.g. `current=mA`.
    #[arg(long = "unit", value_name = "CHANNEL=UNIT", requires = "map")]
    pub units: Vec<String>,
}

/// `spelab bench` subcommands.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Time the instrument readers on files: best and median wall time of N reads from memory.
    ///
    /// scripts/bench-readers runs this next to galvani, NewareNDA and fastnda on the same files.
    #[command(after_help = "Example:\n  spelab bench read cell.mpr cell.ndax --repeat 20 --json")]
    Read(BenchReadArgs),
}

/// `spelab bench read`.
#[derive(Debug, Args)]
pub struct BenchReadArgs {
    /// Instrument files (format detected from content).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Reads per file.
    #[arg(long, default_value_t = 10)]
    pub repeat: usize,
    /// `.mpr` only: decode the stored fields alone, nothing derived (equal work to galvani + one array per field).
    #[arg(long)]
    pub stored: bool,
}

/// `spelab convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The instrument file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub to: ExportFormat,
    /// Output file (written atomically; never over the input) [default: FILE.bdf.csv / FILE.spelab.csv].
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Column mapping for a generic CSV/TSV.
    #[command(flatten)]
    pub map: MapArgs,
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

/// `spelab calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The preset (or material file) whose paper rate capability is fitted.
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// Presets predicted with the calibrated knobs, comma separated.
    #[arg(long, default_value = "pvh")]
    pub predict: String,
    /// Knobs to fit, comma separated [default: utilisation,particle_diffusivity,cathode_bruggeman].
    #[arg(long)]
    pub knobs: Option<String>,
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
    /// Write the full cell of a preset (reference LFP | its SPE | Li foil) as a BPX file (PyBaMM's format).
    #[command(after_help = "Example:\n  spelab params export pvh-im --to bpx --out pvh-im.bpx.json")]
    Export {
        /// A preset id (pvh, pvh-im) or the path of a parameter file.
        name: String,
        /// The format: bpx.
        #[arg(long, default_value = "bpx")]
        to: String,
        /// Output file [default: stdout].
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
}

/// `spelab steps`.
#[derive(Debug, Args)]
pub struct StepsArgs {
    /// Show only this step kind.
    pub kind: Option<String>,
    /// Print the user guide's step reference (Markdown) instead of plain text.
    #[arg(long, conflicts_with = "kind")]
    pub markdown: bool,
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
