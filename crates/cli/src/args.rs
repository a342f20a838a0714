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
        after_help = "Examples:\n  spelab analyze ccd staircase.csv --set area=\"1 cm2\"\n  spelab analyze transference ca.csv --set voltage=\"10 mV\" --set bulk_resistance=\"95 ohm\" --set interface_resistance=\"310 ohm\" --set interface_resistance_steady=\"360 ohm\"\n  spelab analyze arrhenius sigma_T.csv --set vtf_t0=free\n  (`spelab steps KIND` lists each kind's options)"
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
    /// The measured table (CSV/TSV with units in the headers), or the first of several files.
    pub file: PathBuf,
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
        after_help = "Examples:\n  spelab simulate symmetric --material pvh-im --protocol cycling --current 0.2mA/cm2 --cycles 100\n  spelab simulate symmetric --material pvh --protocol ccd --current 0.05mA/cm2 --half-cycle 30min --voltage-limit 5V\n  spelab simulate symmetric --protocol constant --current 1mA/cm2 --duration 2h --to csv --out pol.csv\n  spelab simulate symmetric --protocol ca --voltage 10mV --duration 3h --json\n  spelab simulate symmetric --cycles 50 --film \"parabolic:r0=20ohm.cm2,tau=10h\" --to csv --out film.csv"
    )]
    Symmetric(Box<SimulateSymmetricArgs>),
    /// An LFP | SPE | Li full cell: galvanostatic cycling over C-rate blocks (rate capability), each
    /// cycle a CC charge to 4.0 V then a CC discharge to 2.5 V, starting from the assembled
    /// (discharged) cell; the cathode is cellmodel.md's reference LFP (an assumption: the paper gives
    /// no loading).
    ///
    /// Prints the capacity of each cycle (mAh/g of LFP), CE and the rate table, or with --to csv the
    /// recorded data (--json: the summary as JSON).
    #[command(
        after_help = "Examples:\n  spelab simulate full-cell --material pvh-im\n  spelab simulate full-cell --material pvh --c-rates 0.1,0.2,0.5,1,0.5,0.2,0.1 --cycles 3 --json\n  spelab simulate full-cell --c-rates 0.5 --cycles 20 --model spm --to csv --out lfp.csv"
    )]
    FullCell(Box<SimulateFullCellArgs>),
}

/// `spelab simulate full-cell`.
#[derive(Debug, Args)]
pub struct SimulateFullCellArgs {
    /// A preset id (pvh, pvh-im) or the path of a material file.
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// C-rates of the blocks, comma separated (1C = 169.9 mA/g of LFP).
    #[arg(long, default_value = "0.1,0.2,0.5,1,0.5,0.2,0.1")]
    pub c_rates: String,
    /// Cycles per C-rate block.
    #[arg(long, default_value_t = 3)]
    pub cycles: u32,
    /// The cell model: dfn (Doyle-Fuller-Newman, the default) or spm (single particle, no electrolyte).
    #[arg(long, default_value = spelab_sim::fullcell::DEFAULT_MODEL.name())]
    pub model: String,
    /// Rest after each half-cycle.
    #[arg(long, default_value = "0 s")]
    pub rest: String,
    /// Cell temperature [default: the material's, 25 degC for the presets].
    #[arg(long)]
    pub temperature: Option<String>,
    /// SPE membrane thickness [default: the material's].
    #[arg(long)]
    pub thickness: Option<String>,
    /// Salt concentration (not in the presets; an assumption).
    #[arg(long, default_value = "1 mol/L")]
    pub salt: String,
    /// Electrode area.
    #[arg(long, default_value = "1 cm2")]
    pub area: String,
    /// Record a sample when the voltage moved this much (and at least every 1 % of a half-cycle).
    #[arg(long, default_value = "2 mV")]
    pub voltage_step: String,
    /// Export the recorded data in this format (to --out, or stdout without --out).
    #[arg(long)]
    pub to: Option<ExportFormat>,
    /// Output file for --to.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
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
    /// Interface (SEI) film resistance per electrode and its growth law, LAW:KEY=VALUE,..:
    /// `constant:r0=..`, `parabolic:r0=..,tau=..` (R0 sqrt(1 + t/tau)), `linear:r0=..,rate=..`
    /// (R0 + k t), `charge:r0=..,k=..` (R0 + k Q, Q the areal charge passed); values with units, e.g.
    /// r0=20ohm.cm2, tau=100h, rate=0.5ohm.cm2/h, k=1ohm.cm2/(mAh/cm2) [default: no film].
    #[arg(long, value_name = "LAW:KEY=VALUE,..")]
    pub film: Option<String>,
}

/// `spelab eis ...`.
#[derive(Debug, Subcommand)]
pub enum EisCommand {
    /// Fit an equivalent circuit to spectra (complex nonlinear least squares, automatic initial
    /// guess and seeded multi-start; several files in parallel). Exit 1 when a fit did not converge.
    #[command(
        after_help = "Examples:\n  spelab eis fit data.csv --circuit \"R0-p(R1,CPE1)-Wo1\"\n  spelab eis fit data.csv --circuit \"R0-p(R1,C1)\" --initial \"R0=0.01,C1=1e-5\" --fix R0=0.5 --json\n  spelab eis fit spectra/*.csv --circuit \"R0-p(R1,CPE1)\" --json > fits.json"
    )]
    Fit(EisFitArgs),
    /// Ionic conductivity sigma = L/(R_b A) with propagated uncertainty; R_b from a fitted circuit
    /// element (--circuit and --element) or from the spectrum (minimum of -Z'' / real-axis intercept).
    #[command(
        after_help = "Examples:\n  spelab eis conductivity cell.csv --thickness 100um --area 2.01cm2\n  spelab eis conductivity cell.csv --thickness 100um --thickness-error 2um --area 2.01cm2 --circuit \"R0-p(R1,CPE1)-CPE2\" --element R0 --element R1 --json"
    )]
    Conductivity(EisConductivityArgs),
    /// Linear Kramers-Kronig test (lin-KK): residuals and pass/fail. Exit 1 when the spectrum fails.
    #[command(
        after_help = "Examples:\n  spelab eis kk cell.csv\n  spelab eis kk cell.csv --fit complex --add-capacitance --mu-cutoff 0.5 --f-max 1000 --json"
    )]
    Kk(EisKkArgs),
    /// Distribution of relaxation times (Tikhonov + non-negative least squares, lambda by GCV).
    #[command(
        after_help = "Examples:\n  spelab eis drt cell.csv --capacitive-only\n  spelab eis drt cell.csv --lambda 1e-4 --json > drt.json"
    )]
    Drt(EisDrtArgs),
}

/// `spelab eis drt`.
#[derive(Debug, Args)]
pub struct EisDrtArgs {
    /// Spectrum: three columns f [Hz], Z' [Ohm], Z'' [Ohm].
    pub file: PathBuf,
    /// Regularisation parameter [default: chosen by GCV].
    #[arg(long)]
    pub lambda: Option<f64>,
    /// Time constants per decade.
    #[arg(long, default_value_t = 10)]
    pub points_per_decade: usize,
    /// Lowest frequency [Hz].
    #[arg(long)]
    pub f_min: Option<f64>,
    /// Highest frequency [Hz].
    #[arg(long)]
    pub f_max: Option<f64>,
    /// Keep only points with Z'' < 0 (the DRT does not model inductive points).
    #[arg(long)]
    pub capacitive_only: bool,
}

/// `spelab eis kk`.
#[derive(Debug, Args)]
pub struct EisKkArgs {
    /// Spectrum: three columns f [Hz], Z' [Ohm], Z'' [Ohm].
    pub file: PathBuf,
    /// Which part is fitted.
    #[arg(long, value_enum, default_value = "complex")]
    pub fit: KkFitArg,
    /// mu cut-off for choosing the number of RC elements.
    #[arg(long, default_value_t = 0.5)]
    pub mu_cutoff: f64,
    /// Largest number of RC elements.
    #[arg(long, default_value_t = 100)]
    pub max_m: usize,
    /// Add a series capacitance (spectra without a low-frequency intercept).
    #[arg(long)]
    pub add_capacitance: bool,
    /// Pass threshold on the largest |residual|, a fraction of |Z|.
    #[arg(long, default_value_t = 0.01)]
    pub threshold: f64,
    /// Lowest frequency [Hz].
    #[arg(long)]
    pub f_min: Option<f64>,
    /// Highest frequency [Hz].
    #[arg(long)]
    pub f_max: Option<f64>,
    /// Keep only points with Z'' < 0.
    #[arg(long)]
    pub capacitive_only: bool,
}

/// Parts of the spectrum lin-KK fits.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[allow(missing_docs)]
pub enum KkFitArg {
    Real,
    Imag,
    Complex,
}

/// `spelab eis conductivity`.
#[derive(Debug, Args)]
pub struct EisConductivityArgs {
    /// Spectrum: three columns f [Hz], Z' [Ohm], Z'' [Ohm].
    pub file: PathBuf,
    /// Electrolyte thickness, e.g. 100um.
    #[arg(long)]
    pub thickness: String,
    /// One-sigma uncertainty of the thickness, e.g. 2um [default: 0].
    #[arg(long)]
    pub thickness_error: Option<String>,
    /// Electrode area, e.g. 2.01cm2.
    #[arg(long)]
    pub area: String,
    /// One-sigma uncertainty of the area [default: 0].
    #[arg(long)]
    pub area_error: Option<String>,
    /// Circuit to fit; R_b is then the sum of the --element parameters.
    #[arg(long, requires = "element")]
    pub circuit: Option<String>,
    /// Parameter(s) forming R_b, e.g. --element R1 (repeat to sum).
    #[arg(long, requires = "circuit")]
    pub element: Vec<String>,
    /// Residual weighting of the fit.
    #[arg(long, value_enum, default_value = "modulus")]
    pub weighting: WeightingArg,
}

/// `spelab eis fit`.
#[derive(Debug, Args)]
pub struct EisFitArgs {
    /// Spectra: three columns f [Hz], Z' [Ohm], Z'' [Ohm] (text/CSV, signed Z''). Several files are
    /// fitted in parallel (batch mode, with a progress bar).
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Circuit, e.g. "R0-p(R1,CPE1)-Wo1" (`-` series, `p(a,b)` parallel).
    #[arg(long)]
    pub circuit: String,
    /// Initial values, e.g. "R0=0.01,CPE1.q=1e-5,CPE1.alpha=0.9" (others from the automatic guess).
    #[arg(long)]
    pub initial: Option<String>,
    /// Hold parameters fixed, e.g. --fix R0=0.5 (repeat or comma-separate).
    #[arg(long)]
    pub fix: Vec<String>,
    /// Residual weighting.
    #[arg(long, value_enum, default_value = "unit")]
    pub weighting: WeightingArg,
    /// Lowest frequency to fit [Hz].
    #[arg(long)]
    pub f_min: Option<f64>,
    /// Highest frequency to fit [Hz].
    #[arg(long)]
    pub f_max: Option<f64>,
    /// Keep only points with Z'' < 0 (impedance.py's `ignoreBelowX`).
    #[arg(long)]
    pub capacitive_only: bool,
    /// Extra random starts [default: 24].
    #[arg(long)]
    pub multistart: Option<usize>,
    /// Seed of the random starts.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Write Nyquist, Bode and residual plots as PREFIX-nyquist.svg, PREFIX-bode-modulus.svg, ...
    /// (single file only).
    #[arg(long, value_name = "PREFIX")]
    pub plot: Option<PathBuf>,
}

/// Residual weightings.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WeightingArg {
    /// w = 1.
    Unit,
    /// w = 1/|Z|.
    Modulus,
    /// w' = 1/|Z'|, w'' = 1/|Z''|.
    Proportional,
}

impl From<WeightingArg> for spelab_analysis::eis::Weighting {
    fn from(w: WeightingArg) -> Self {
        match w {
            WeightingArg::Unit => Self::Unit,
            WeightingArg::Modulus => Self::Modulus,
            WeightingArg::Proportional => Self::Proportional,
        }
    }
}
