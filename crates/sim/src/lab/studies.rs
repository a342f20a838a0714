//! The experiments of the study steps, each from a material in one call: material → cell →
//! instrument → the noisy measurement a reader would return (plus what the step reports beside it).
//!
//! The table of steps and functions is in the [`lab`](super) module docs.
//!
//! Noise is seeded: a function that records more than one noisy measurement draws each from its own
//! sub-stream of the one seed ([`spelab_core::random::derive_seed`]), so streams never overlap.

use spelab_core::random::{derive_seed, Rng};
use spelab_core::{ImpedanceSpectrum, TimeSeries};

use super::blocking::{blocking_dc_polarization, blocking_spectrum, BlockingCell};
use super::eis::{impedance_spectrum, EisCell};
use super::experiments::{
    ccd_staircase, chronoamperometry, galvanostatic_cycling, linear_sweep, CcdRun, CyclingRun,
};
use super::lsv::{oxidation_sweep, OxidationLsv};
use super::noise::Noise;
use super::spectrometer::{log_frequencies, EisOptions};
use crate::error::{check_param, SimError};
use crate::params::{MaterialParams, Preset};
use crate::symmetric::{FilmGrowth, Simulation, SymmetricCell, DEFAULT_AREA, DEFAULT_SALT_CONCENTRATION};

/// How a material becomes a Li | SPE | Li cell. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CellSpec {
    /// Salt concentration c₀ [mol/m³] [`None`: 1 M, [`DEFAULT_SALT_CONCENTRATION`]].
    pub salt_concentration: Option<f64>,
    /// Electrode area [m²] [`None`: 1 cm², [`DEFAULT_AREA`]].
    pub area: Option<f64>,
    /// Membrane thickness [m] [`None`: the material's].
    pub thickness: Option<f64>,
    /// Film (SEI) growth of both Li electrodes [`None`: no film].
    pub film: Option<FilmGrowth>,
}

/// The Li | SPE | Li cell of `material` built as `spec` says ([`SymmetricCell::from_material`], then
/// area, thickness and film).
pub fn symmetric_cell(material: &MaterialParams, spec: &CellSpec) -> Result<SymmetricCell, SimError> {
    let salt = spec.salt_concentration.unwrap_or(DEFAULT_SALT_CONCENTRATION);
    let mut cell = SymmetricCell::from_material(material, salt)?;
    cell.area = spec.area.unwrap_or(DEFAULT_AREA);
    if let Some(l) = spec.thickness {
        cell.thickness = l;
    }
    if let Some(film) = &spec.film {
        cell.film = *film;
    }
    cell.validate()?;
    Ok(cell)
}

/// A record and the cell it was measured on.
#[derive(Debug, Clone)]
pub struct CellRecord<R> {
    /// The cell as built from the material.
    pub cell: SymmetricCell,
    /// The run and its record.
    pub run: R,
}

/// Multiplies each value by (1 + `relative`·n), n standard normal from `rng` (relative noise of a
/// current reading).
fn relative_noise(values: &mut [f64], relative: f64, rng: &mut Rng) {
    for v in values {
        *v *= 1.0 + relative * rng.normal();
    }
}

fn check_noise(relative_noise: f64) -> Result<(), SimError> {
    check_param("relative_noise", relative_noise, (0.0..0.5).contains(&relative_noise), "in [0, 0.5)")
}

/// Impedance noise of relative size `relative` from the stream `seed`; `None` when zero.
fn impedance_noise(relative: f64, seed: u64) -> Option<Noise> {
    (relative > 0.0).then_some(Noise {
        voltage_std: 0.0,
        current_std: 0.0,
        impedance_relative_std: relative,
        seed,
    })
}

/// A blocking-cell impedance sweep. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockingEis {
    /// Electrode area [m²] [2.01 cm², a 16 mm disc].
    pub area: f64,
    /// Membrane thickness [m] [`None`: the material's].
    pub thickness: Option<f64>,
    /// Frequencies of the sweep [Hz] [1 MHz → 0.1 Hz, 10 per decade, a usual lab sweep].
    pub frequencies: Vec<f64>,
    /// Relative impedance noise, |Z|·σ_rel on Z' and Z'' [1] [0].
    pub relative_noise: f64,
    /// The cell's permittivity and interface ([`EisOptions`] defaults).
    pub cell: EisOptions,
}

impl Default for BlockingEis {
    fn default() -> Self {
        Self {
            area: 2.01e-4,
            thickness: None,
            frequencies: log_frequencies(1e6, 0.1, 10),
            relative_noise: 0.0,
            cell: EisOptions::default(),
        }
    }
}

/// Study step `eis-conductivity`: the SS | SPE | SS spectrum of `material` at `temperature` [K]
/// (σ(T) from the material's Arrhenius parameters), swept as `options` says, noise seeded by `seed`.
pub fn conductivity_spectrum(
    material: &MaterialParams,
    temperature: f64,
    options: &BlockingEis,
    seed: u64,
) -> Result<ImpedanceSpectrum, SimError> {
    check_noise(options.relative_noise)?;
    let mut cell = BlockingCell::of_material(material, temperature).with_area(options.area);
    if let Some(l) = options.thickness {
        cell = cell.with_thickness(l);
    }
    let noise = impedance_noise(options.relative_noise, seed);
    blocking_spectrum(cell, &options.frequencies, &options.cell, noise.as_ref())
}

/// Study step `arrhenius`: [`conductivity_spectrum`] at each temperature [K], the k-th seeded by
/// `seed + k` (one spectrum per step of the temperature ladder, as a climate chamber records them).
pub fn arrhenius_series(
    material: &MaterialParams,
    temperatures: &[f64],
    options: &BlockingEis,
    seed: u64,
) -> Result<Vec<ImpedanceSpectrum>, SimError> {
    temperatures
        .iter()
        .enumerate()
        .map(|(k, &t)| conductivity_spectrum(material, t, options, seed.wrapping_add(k as u64)))
        .collect()
}

/// A Bruce-Vincent experiment on a Li | SPE | Li cell. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferenceExperiment {
    /// The cell [1 M, 1 cm², the material's membrane].
    pub cell: CellSpec,
    /// Applied polarization ΔV [V] [10 mV, the paper's].
    pub voltage: f64,
    /// Duration of the polarization [s] [4 h: past 3τ = 3L²/(π²D) of these membranes].
    pub duration_s: f64,
    /// Sampling interval of the chronoamperogram [s] [5 s].
    pub sample_interval_s: f64,
    /// Frequencies of the spectra before and after [Hz] [1 MHz → 1 Hz, 10 per decade: the
    /// interfacial arc (ms) closes above 1 Hz, the salt's diffusion (10³ s) stays below].
    pub frequencies: Vec<f64>,
    /// Relative noise on the current and on |Z| [1] [0].
    pub relative_noise: f64,
    /// Capacitances of the Li | SPE | Li impedance ([`EisOptions`] defaults).
    pub eis: EisOptions,
}

impl Default for TransferenceExperiment {
    fn default() -> Self {
        Self {
            cell: CellSpec::default(),
            voltage: 0.010,
            duration_s: 4.0 * 3600.0,
            sample_interval_s: 5.0,
            frequencies: log_frequencies(1e6, 1.0, 10),
            relative_noise: 0.0,
            eis: EisOptions::default(),
        }
    }
}

/// What a Bruce-Vincent experiment records.
#[derive(Debug, Clone)]
pub struct TransferenceRecord {
    /// The cell as built from the material.
    pub cell: SymmetricCell,
    /// The chronoamperogram (technique CA), current with relative noise.
    pub chronoamperogram: TimeSeries,
    /// The Li | SPE | Li spectra before and after the polarization. The model's interfaces do not
    /// change at a few mV (no film growth at rest), so the two differ only by their noise.
    pub spectra: [ImpedanceSpectrum; 2],
    /// The model run behind the chronoamperogram.
    pub simulation: Simulation,
}

/// Study step `transference`: polarizes the Li | SPE | Li cell of `material` by ΔV and records the
/// spectra before and after. Noise: current from sub-stream 0 of `seed`, spectra from 1 and 2.
pub fn transference_experiment(
    material: &MaterialParams,
    options: &TransferenceExperiment,
    seed: u64,
) -> Result<TransferenceRecord, SimError> {
    check_noise(options.relative_noise)?;
    let cell = symmetric_cell(material, &options.cell)?;
    let run = chronoamperometry(&cell, options.voltage, options.duration_s, options.sample_interval_s, None)?;
    let mut chronoamperogram = run.data;
    if options.relative_noise > 0.0 {
        let mut parts = chronoamperogram.into_parts();
        relative_noise(&mut parts.current, options.relative_noise, &mut Rng::new(derive_seed(seed, 0)));
        chronoamperogram = TimeSeries::try_from(parts)?;
    }
    let record = |stream: u64| {
        let noise = impedance_noise(options.relative_noise, derive_seed(seed, stream));
        impedance_spectrum(&cell, EisCell::Symmetric, &options.frequencies, &options.eis, noise.as_ref())
    };
    let spectra = [record(1)?, record(2)?];
    Ok(TransferenceRecord { cell, chronoamperogram, spectra, simulation: run.simulation })
}

/// A DC polarization of the blocking cell. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct ElectronicExperiment {
    /// Applied voltage [V] [0.5 V: well below decomposition, large against noise].
    pub voltage: f64,
    /// Electrode area [m²] [1 cm²].
    pub area: f64,
    /// Membrane thickness [m] [`None`: the material's].
    pub thickness: Option<f64>,
    /// Duration [s] [6 h: the ionic decay τ = R_b C_dl A/2 is over long before].
    pub duration_s: f64,
    /// Sampling interval [s] [5 s].
    pub sample_interval_s: f64,
    /// The blocking cell's interface ([`EisOptions`] defaults).
    pub cell: EisOptions,
}

impl Default for ElectronicExperiment {
    fn default() -> Self {
        Self {
            voltage: 0.5,
            area: DEFAULT_AREA,
            thickness: None,
            duration_s: 6.0 * 3600.0,
            sample_interval_s: 5.0,
            cell: EisOptions::default(),
        }
    }
}

/// Study step `electronic-conductivity`: the DC polarization of the SS | SPE | SS cell of
/// `material` at its temperature, with its electronic conductivity (noiseless).
pub fn electronic_dc_polarization(
    material: &MaterialParams,
    options: &ElectronicExperiment,
) -> Result<TimeSeries, SimError> {
    let mut cell = BlockingCell::of_material(material, material.temperature).with_area(options.area);
    if let Some(l) = options.thickness {
        cell = cell.with_thickness(l);
    }
    blocking_dc_polarization(
        cell,
        &options.cell,
        material.electronic_conductivity,
        options.voltage,
        options.duration_s,
        options.sample_interval_s,
    )
}

/// A fast linear sweep of a Li | SPE | Li cell for a Tafel analysis. `Default` gives the values in
/// brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct TafelSweep {
    /// The cell [1 M, 1 cm², the material's membrane].
    pub cell: CellSpec,
    /// End voltage of the sweep from 0 V [V] [0.3 V: 0.15 V per electrode, beyond which the
    /// iR-corrected voltage starts to carry the salt's concentration polarization].
    pub end_voltage: f64,
    /// Sweep rate [V/s] [1 V/s: the 0.3 s sweep keeps the diffusion layer thin].
    pub rate: f64,
    /// Sampling interval [s] [3 ms, one point per 3 mV].
    pub sample_interval_s: f64,
}

impl Default for TafelSweep {
    fn default() -> Self {
        Self { cell: CellSpec::default(), end_voltage: 0.3, rate: 1.0, sample_interval_s: 0.003 }
    }
}

/// What a Tafel sweep records.
#[derive(Debug, Clone)]
pub struct TafelRecord {
    /// The cell as built from the material.
    pub cell: SymmetricCell,
    /// The sweep (technique LSV, current in A).
    pub data: TimeSeries,
    /// The membrane's bulk resistance R_b = L/(κA), for the iR correction [Ω].
    pub bulk_resistance: f64,
    /// The model run.
    pub simulation: Simulation,
}

/// Study step `exchange-current`: sweeps the Li | SPE | Li cell of `material` (noiseless).
pub fn tafel_sweep(material: &MaterialParams, options: &TafelSweep) -> Result<TafelRecord, SimError> {
    let cell = symmetric_cell(material, &options.cell)?;
    let run = linear_sweep(&cell, options.end_voltage, options.rate, options.sample_interval_s, None)?;
    let bulk_resistance = BlockingCell::from(&cell).bulk_resistance();
    Ok(TafelRecord { cell, data: run.data, bulk_resistance, simulation: run.simulation })
}

/// An anodic LSV of a Li | SPE | SS cell. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct OxidationSweep {
    /// Electrode area [m²] [1 cm²].
    pub area: f64,
    /// Start potential vs Li/Li⁺ [V] [3 V].
    pub start: f64,
    /// End potential vs Li/Li⁺ [V] [5.5 V].
    pub end: f64,
    /// Sweep rate [V/s] [1 mV/s, the paper's].
    pub rate: f64,
    /// Potential step between points [V] [1 mV].
    pub sample_step: f64,
}

impl Default for OxidationSweep {
    fn default() -> Self {
        Self { area: DEFAULT_AREA, start: 3.0, end: 5.5, rate: 1e-3, sample_step: 1e-3 }
    }
}

/// What a virtual LSV records, and the model behind it (its onset is an input).
#[derive(Debug, Clone)]
pub struct LsvRecord {
    /// The phenomenological model of the preset, with the sweep's area.
    pub model: OxidationLsv,
    /// The sweep (technique LSV, current in A).
    pub data: TimeSeries,
}

/// Study step `lsv-onset` (`virtual = true`): the oxidation sweep of `preset` with typical
/// potentiostat noise ([`Noise::typical`]) seeded by `seed`.
pub fn oxidation_lsv(preset: &Preset, options: &OxidationSweep, seed: u64) -> Result<LsvRecord, SimError> {
    let mut model = OxidationLsv::from_preset(preset)?;
    model.area = options.area;
    let noise = Noise::typical(seed);
    let data =
        oxidation_sweep(&model, options.start, options.end, options.rate, options.sample_step, Some(&noise))?;
    Ok(LsvRecord { model, data })
}

/// A CCD staircase on a Li | SPE | Li cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CcdExperiment {
    /// The cell.
    pub cell: CellSpec,
    /// Current-density step ΔJ: step k is ±k·ΔJ [A/m²].
    pub step_current_density: f64,
    /// Duration of each half-cycle [s].
    pub half_cycle_s: f64,
    /// Largest number of steps.
    pub steps: u32,
    /// Voltage limit that ends the staircase [V].
    pub voltage_limit: Option<f64>,
    /// Readings per half-cycle (the sampling interval is half_cycle_s / this).
    pub samples_per_half_cycle: u32,
}

/// Study step `ccd-predict`: the staircase of the cell of `material` (noiseless), stopping at the
/// first depletion or voltage-limit hit.
pub fn ccd_staircase_experiment(
    material: &MaterialParams,
    options: &CcdExperiment,
) -> Result<CellRecord<CcdRun>, SimError> {
    let cell = symmetric_cell(material, &options.cell)?;
    let n = options.samples_per_half_cycle;
    check_param("samples_per_half_cycle", f64::from(n), n > 0, ">= 1")?;
    let run = ccd_staircase(
        &cell,
        options.step_current_density,
        options.half_cycle_s,
        options.steps,
        options.voltage_limit,
        options.half_cycle_s / f64::from(n),
        None,
    )?;
    Ok(CellRecord { cell, run })
}

/// Galvanostatic cycling of a Li | SPE | Li cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CyclingExperiment {
    /// The cell.
    pub cell: CellSpec,
    /// Current density J of both half-cycles (+J, then −J) [A/m²].
    pub current_density: f64,
    /// Duration of each half-cycle [s].
    pub half_cycle_s: f64,
    /// Rest after each half-cycle [s].
    pub rest_s: f64,
    /// Number of cycles.
    pub cycles: u32,
    /// Readings per half-cycle (the sampling interval is half_cycle_s / this).
    pub samples_per_half_cycle: u32,
}

/// Study step `symmetric-cycling`: cycles the cell of `material` (noiseless); a run that fails early
/// (depletion) is recorded up to the failure.
pub fn cycling_experiment(
    material: &MaterialParams,
    options: &CyclingExperiment,
) -> Result<CellRecord<CyclingRun>, SimError> {
    let cell = symmetric_cell(material, &options.cell)?;
    let n = options.samples_per_half_cycle;
    check_param("samples_per_half_cycle", f64::from(n), n > 0, ">= 1")?;
    let run = galvanostatic_cycling(
        &cell,
        options.current_density,
        options.half_cycle_s,
        options.rest_s,
        options.cycles,
        options.half_cycle_s / f64::from(n),
        None,
    )?;
    Ok(CellRecord { cell, run })
}
