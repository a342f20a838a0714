//! Calibration of a full cell on measured rate capability ([`calibrate`]): least squares
//! (`spelab_core::fit`) of a few parameters that the electrolyte measurements do not give
//! ([`Knob`]: cathode utilisation, the Bruggeman exponent of the cathode pores, a cathode | SPE
//! contact resistance) to discharge capacities at several C-rates, with sensitivities, standard
//! errors, 95 % confidence intervals (Student t on the fit's degrees of freedom) and correlations;
//! then [`rate_capacities`] predicts another cell (another electrolyte) with the calibrated values.
//!
//! The capacity at a C-rate is one DFN discharge (PyBaMM's 20/20/20 mesh, rtol 1e-5: capacities within 0.002 mAh/g of rtol 1e-6) from the charged
//! cathode (`initial_stoichiometry`) to the lower cut-off or salt depletion, 1C counted on the weighed
//! active material; the rates run in parallel. The Jacobian is a central difference with a 1e-3
//! relative step (the adaptive solver makes capacities smooth only to ~1e-5 relative, far coarser
//! than the optimiser's default step).

use rayon::prelude::*;
use spelab_core::fit::{levenberg_marquardt, Bounds, FitOptions, FitReport, Residuals};

use super::dfn::{Dfn, DfnMesh};
use super::model::{FullCellModel, Limits, SegmentEnd};
use super::params::FullCell;
use crate::error::SimError;

/// A parameter the calibration may fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knob {
    /// Fraction u of the weighed cathode active material that cycles [1]: the modelled particles are
    /// u × the cell's active fraction, the weighed mass (and so 1C and mAh/g) unchanged. Caps the
    /// low-rate capacity at u × 169.9 mAh/g.
    Utilisation,
    /// Bruggeman exponent b of the electrolyte in the cathode pores (transport efficiency ε^b) [1]:
    /// how fast salt reaches the back of the cathode, which sets when it depletes at high rate.
    CathodeBruggeman,
    /// Series resistance of the cathode | SPE contact [Ω·m²] (an ohmic drop i R_c).
    ContactResistance,
    /// Solid diffusivity D_s of the cathode particles [m²/s] (with R_p, the time R_p²/D_s that lets the
    /// capacity fall gradually with rate; the paper measures neither).
    ParticleDiffusivity,
}

impl Knob {
    /// Every knob.
    pub const ALL: [Knob; 4] =
        [Knob::Utilisation, Knob::ParticleDiffusivity, Knob::CathodeBruggeman, Knob::ContactResistance];

    /// The knob's name in study files and reports.
    pub const fn name(self) -> &'static str {
        match self {
            Knob::Utilisation => "utilisation",
            Knob::CathodeBruggeman => "cathode_bruggeman",
            Knob::ContactResistance => "contact_resistance",
            Knob::ParticleDiffusivity => "particle_diffusivity",
        }
    }

    /// The knob named `name`, if any.
    pub fn from_name(name: &str) -> Option<Knob> {
        Knob::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// Its value in `cell`.
    pub fn value(self, cell: &FullCell) -> f64 {
        match self {
            Knob::Utilisation => cell.cathode.utilisation,
            Knob::CathodeBruggeman => cell.cathode.bruggeman_electrolyte,
            Knob::ContactResistance => cell.contact_resistance,
            Knob::ParticleDiffusivity => cell.cathode.particle_diffusivity,
        }
    }

    /// Sets the knob in `cell` (the utilisation rescales the modelled active fraction, keeping the
    /// weighed mass).
    pub fn apply(self, cell: &mut FullCell, value: f64) {
        match self {
            Knob::Utilisation => {
                let c = &mut cell.cathode;
                c.active_fraction *= value / c.utilisation;
                c.utilisation = value;
            }
            Knob::CathodeBruggeman => cell.cathode.bruggeman_electrolyte = value,
            Knob::ContactResistance => cell.contact_resistance = value,
            Knob::ParticleDiffusivity => cell.cathode.particle_diffusivity = value,
        }
    }

    /// Bounds of the fit.
    pub fn bounds(self) -> Bounds {
        match self {
            Knob::Utilisation => Bounds { lower: 0.3, upper: 1.0 },
            Knob::CathodeBruggeman => Bounds { lower: 0.5, upper: 10.0 },
            Knob::ContactResistance | Knob::ParticleDiffusivity => Bounds::POSITIVE,
        }
    }

    /// The value a fit starts from.
    pub fn initial(self) -> f64 {
        match self {
            Knob::Utilisation => 0.85,
            Knob::CathodeBruggeman => 1.5,
            Knob::ContactResistance => 1e-3,
            Knob::ParticleDiffusivity => 1e-18,
        }
    }

    /// The finite-difference step of the Jacobian at `value`.
    fn step(self, value: f64) -> f64 {
        match self {
            Knob::ContactResistance => 1e-3 * value.abs().max(1e-4),
            Knob::ParticleDiffusivity => 1e-3 * value.abs(),
            _ => 1e-3 * value.abs().max(0.1),
        }
    }
}

/// Discharge capacities [mAh/g] of `cell` at `c_rates` [1/h], each one DFN discharge from
/// `initial_stoichiometry` (module docs), in parallel. A capacity is NaN if the model fails.
pub fn rate_capacities(cell: &FullCell, initial_stoichiometry: f64, c_rates: &[f64]) -> Vec<f64> {
    c_rates
        .par_iter()
        .map(|&c| discharge_capacity(cell, initial_stoichiometry, c).unwrap_or(f64::NAN))
        .collect()
}

/// One discharge at `c_rate` to the cut-off or depletion [mAh/g].
pub fn discharge_capacity(cell: &FullCell, initial_stoichiometry: f64, c_rate: f64) -> Result<f64, SimError> {
    let mut dfn = Dfn::new(cell, initial_stoichiometry, DfnMesh::default())?.with_tolerance(1e-5)?;
    let limits =
        Limits { voltage_min: cell.voltage_min, voltage_max: cell.voltage_max, electrolyte_min: 1.0 };
    let i = c_rate * cell.one_c_current_density();
    for _ in 0..10 {
        if dfn.advance(i, 3600.0 / c_rate, &limits, &mut |_| {})? != SegmentEnd::Duration {
            break;
        }
    }
    Ok(dfn.capacity_mah_g())
}

/// The result of [`calibrate`].
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The knobs, in the order of the vectors below.
    pub knobs: Vec<Knob>,
    /// Fitted values.
    pub values: Vec<f64>,
    /// One-sigma standard errors (NaN when the data do not determine a knob).
    pub std_errors: Vec<f64>,
    /// Half-widths of the 95 % confidence intervals (Student t with the fit's degrees of freedom).
    pub ci95: Vec<f64>,
    /// Correlation matrix of the knobs.
    pub correlation: Vec<Vec<f64>>,
    /// Sensitivities ∂Q(rate)/∂ knob at the optimum [mAh/g per knob unit], one row per C-rate.
    pub sensitivities: Vec<Vec<f64>>,
    /// The C-rates fitted [1/h].
    pub c_rates: Vec<f64>,
    /// The measured capacities [mAh/g].
    pub measured: Vec<f64>,
    /// The calibrated model's capacities [mAh/g].
    pub fitted: Vec<f64>,
    /// The calibrated cell.
    pub cell: FullCell,
    /// The optimiser's report (χ², degrees of freedom, termination, evaluations).
    pub report: FitReport,
}

struct Problem<'a> {
    base: &'a FullCell,
    x0: f64,
    knobs: &'a [Knob],
    c_rates: &'a [f64],
    measured: &'a [f64],
}

impl Problem<'_> {
    fn capacities(&self, p: &[f64]) -> Vec<f64> {
        rate_capacities(&with_knobs(self.base, self.knobs, p), self.x0, self.c_rates)
    }
}

/// `base` with `knobs` set to `values`.
pub fn with_knobs(base: &FullCell, knobs: &[Knob], values: &[f64]) -> FullCell {
    let mut cell = base.clone();
    for (k, &v) in knobs.iter().zip(values) {
        k.apply(&mut cell, v);
    }
    cell
}

impl Residuals for Problem<'_> {
    fn n_params(&self) -> usize {
        self.knobs.len()
    }
    fn n_residuals(&self) -> usize {
        self.c_rates.len()
    }
    fn residuals(&self, p: &[f64], out: &mut [f64]) {
        for ((o, q), m) in out.iter_mut().zip(self.capacities(p)).zip(self.measured) {
            *o = q - m;
        }
    }
    fn jacobian(&self, p: &[f64], out: &mut [f64]) -> bool {
        let g = capacity_sensitivities(self.base, self.x0, self.knobs, p, self.c_rates);
        out.copy_from_slice(&g);
        out.iter().all(|v| v.is_finite())
    }
}

/// ∂Q(rate)/∂knob of `base` with `knobs` at `values`, row-major (one row per C-rate) [mAh/g per knob
/// unit]: central differences with a 1e-3 relative step, one-sided at a bound.
pub fn capacity_sensitivities(
    base: &FullCell,
    initial_stoichiometry: f64,
    knobs: &[Knob],
    values: &[f64],
    c_rates: &[f64],
) -> Vec<f64> {
    let n = knobs.len();
    let mut out = vec![0.0; c_rates.len() * n];
    for (k, knob) in knobs.iter().enumerate() {
        let h = knob.step(values[k]);
        let b = knob.bounds();
        let (lo, hi) = ((values[k] - h).max(b.lower), (values[k] + h).min(b.upper));
        let mut q = values.to_vec();
        q[k] = hi;
        let up = rate_capacities(&with_knobs(base, knobs, &q), initial_stoichiometry, c_rates);
        q[k] = lo;
        let down = rate_capacities(&with_knobs(base, knobs, &q), initial_stoichiometry, c_rates);
        for (i, (u, d)) in up.iter().zip(&down).enumerate() {
            out[i * n + k] = (u - d) / (hi - lo);
        }
    }
    out
}

/// 97.5 % quantile of Student's t with `dof` degrees of freedom (exact table to 10, Cornish-Fisher
/// beyond: within 1e-3).
pub fn student_t975(dof: usize) -> f64 {
    const T: [f64; 10] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];
    match dof {
        0 => f64::NAN,
        1..=10 => T[dof - 1],
        _ => {
            let (z, v): (f64, f64) = (1.959964, dof as f64);
            z + (z.powi(3) + z) / (4.0 * v) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

/// Fits `knobs` of `base` to the measured `capacities` [mAh/g] at `c_rates` [1/h] (module docs),
/// starting from `start` (one value per knob) or each knob's [`Knob::initial`].
pub fn calibrate(
    base: &FullCell,
    initial_stoichiometry: f64,
    c_rates: &[f64],
    capacities: &[f64],
    knobs: &[Knob],
    start: Option<&[f64]>,
) -> Result<Calibration, SimError> {
    if c_rates.len() != capacities.len() || c_rates.is_empty() {
        return Err(SimError::InvalidProtocol("calibration needs one capacity per C-rate".into()));
    }
    if knobs.len() > c_rates.len() {
        return Err(SimError::InvalidProtocol(format!(
            "{} knobs cannot be fitted to {} capacities",
            knobs.len(),
            c_rates.len()
        )));
    }
    base.validate()?;
    let problem = Problem { base, x0: initial_stoichiometry, knobs, c_rates, measured: capacities };
    let initial: Vec<f64> = match start {
        Some(s) if s.len() == knobs.len() => s.to_vec(),
        Some(_) => return Err(SimError::InvalidProtocol("calibration: one start value per knob".into())),
        None => knobs.iter().map(|k| k.initial()).collect(),
    };
    let bounds: Vec<Bounds> = knobs.iter().map(|k| k.bounds()).collect();
    // Capacities carry ~1e-5 relative solver noise: tighter tolerances only add evaluations.
    let options = FitOptions { ftol: 1e-6, xtol: 1e-6, gtol: 1e-10, patience: 40 };
    let report = levenberg_marquardt(&problem, &initial, &bounds, &vec![false; knobs.len()], &options)
        .map_err(|e| SimError::InvalidProtocol(format!("calibration: {e}")))?;
    let values = report.params.clone();
    let mut jac = vec![0.0; c_rates.len() * knobs.len()];
    problem.jacobian(&values, &mut jac);
    let t = student_t975(report.dof);
    Ok(Calibration {
        knobs: knobs.to_vec(),
        std_errors: report.std_errors.clone(),
        ci95: report.std_errors.iter().map(|s| s * t).collect(),
        correlation: report.correlation.clone(),
        sensitivities: jac.chunks(knobs.len()).map(|r| r.to_vec()).collect(),
        c_rates: c_rates.to_vec(),
        measured: capacities.to_vec(),
        fitted: problem.capacities(&values),
        cell: with_knobs(base, knobs, &values),
        values,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_matches_tables() {
        assert_eq!(student_t975(2), 4.303);
        assert!((student_t975(20) - 2.086).abs() < 1e-3);
        assert!((student_t975(60) - 2.000).abs() < 1e-3);
        assert!(student_t975(0).is_nan());
    }

    #[test]
    fn utilisation_keeps_the_weighed_mass() {
        let mut cell = FullCell::prada2013(super::super::ReferenceElectrolyte::SpeA).unwrap();
        let (m, i1c) = (cell.active_mass_per_area(), cell.one_c_current_density());
        Knob::Utilisation.apply(&mut cell, 0.8);
        assert!((cell.active_mass_per_area() / m - 1.0).abs() < 1e-12);
        assert!((cell.one_c_current_density() / i1c - 1.0).abs() < 1e-12);
        assert!((cell.cathode.active_fraction - 0.8 * 0.374).abs() < 1e-12);
        assert_eq!(Knob::Utilisation.value(&cell), 0.8);
        for k in Knob::ALL {
            assert_eq!(Knob::from_name(k.name()), Some(k));
        }
    }
}
