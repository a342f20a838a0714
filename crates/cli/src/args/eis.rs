//! `spelab eis ...` arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

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
