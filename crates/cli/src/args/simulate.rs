//! `spelab simulate ...` arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::ExportFormat;

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
        after_help = "Examples:\n  spelab simulate full-cell --material pvh-im\n  spelab simulate full-cell --material pvh --c-rates 0.1,0.2,0.5,1,0.5,0.2,0.1 --cycles 3 --json\n  spelab simulate full-cell --c-rates 0.5 --cycles 20 --model spm --to csv --out lfp.csv\n  spelab simulate full-cell --params cell.bpx.json --protocol discharge --c-rates 1 --to csv --out F.csv"
    )]
    FullCell(Box<SimulateFullCellArgs>),
    /// Li dendrite growth on the anode under the SPE: the phase-field model (phasefield.md) at a
    /// constant plating current until the capacity is deposited (or a short circuit).
    ///
    /// Writes heat maps (phase, concentration, potential, current density; PNG), the final state
    /// (.vti, ParaView), the final metrics (CSV) and metrics.json to --out; prints the morphology metrics (--json: as JSON).
    #[command(
        after_help = "Examples:\n  spelab simulate dendrite --material pvh-im --current 1mA/cm2 --capacity 0.5mAh/cm2 --out pf\n  spelab simulate dendrite --material pvh --current 0.4mA/cm2 --capacity 0.1mAh/cm2 --json"
    )]
    Dendrite(Box<SimulateDendriteArgs>),
}

/// `spelab simulate dendrite`.
#[derive(Debug, Args)]
pub struct SimulateDendriteArgs {
    /// A preset id (pvh, pvh-im) or the path of a material file.
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// Plating current density, e.g. 1mA/cm2.
    #[arg(long, default_value = "1 mA/cm2")]
    pub current: String,
    /// Areal capacity to deposit, e.g. 0.5mAh/cm2.
    #[arg(long, default_value = "0.5 mAh/cm2")]
    pub capacity: String,
    /// Grid spacing (cells are square).
    #[arg(long, default_value = "1 um")]
    pub spacing: String,
    /// Width of the simulated strip of the anode surface.
    #[arg(long, default_value = "64 um")]
    pub width: String,
    /// Seed of the noise and of the SEI heterogeneity.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder (created; files are replaced atomically).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

/// `spelab simulate full-cell`.
#[derive(Debug, Args)]
pub struct SimulateFullCellArgs {
    /// A preset id (pvh, pvh-im) or the path of a material file.
    #[arg(long, default_value = "pvh-im")]
    pub material: String,
    /// A BPX file (Li-metal block under User-defined): the whole cell, its area, cut-offs and initial state.
    #[arg(long, value_name = "FILE.bpx.json")]
    pub params: Option<PathBuf>,
    /// cycling (charge, discharge; --cycles per C-rate) or discharge (one discharge per C-rate, --params).
    #[arg(long, default_value = "cycling")]
    pub protocol: String,
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
