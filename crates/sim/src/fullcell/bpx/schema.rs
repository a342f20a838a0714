//! The BPX document as typed data ([`Bpx`]): the sections and keys of the BPX 1.x schema
//! (github.com/FaradayInstitution/BPX, `bpx/schema.py`) that PyBaMM reads, unknown keys rejected
//! as the schema does (except under `User-defined`, which is free), so that a file read and written
//! back holds the same values. Values that may be functions are [`BpxValue`]s. An optional key is an
//! `Option` field: absent when read (serde's default for `Option`) and left out when written
//! (`serde_with::skip_serializing_none` on every section).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::expr::{Expression, ExpressionError};

/// A number, a function string of `x` ([`Expression`]) or a table {x: [..], y: [..]} (linear
/// interpolation, extrapolated linearly beyond the ends as PyBaMM's CasADi interpolant does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BpxValue {
    /// A constant.
    Number(f64),
    /// A Python-syntax expression of `x`.
    Function(String),
    /// A table, x ascending after sorting.
    Table {
        /// Abscissae.
        x: Vec<f64>,
        /// Values.
        y: Vec<f64>,
    },
}

/// A [`BpxValue`] ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum BpxFunction {
    /// A constant.
    Constant(f64),
    /// A parsed expression.
    Expression(Expression),
    /// A sorted table (x ascending), interpolated linearly, extrapolated linearly beyond the ends.
    Table(Vec<f64>, Vec<f64>),
}

impl BpxValue {
    /// Parses the value for evaluation; `key` names it in errors.
    pub fn function(&self, key: &str) -> Result<BpxFunction, String> {
        match self {
            BpxValue::Number(v) => Ok(BpxFunction::Constant(*v)),
            BpxValue::Function(t) => Expression::parse(t)
                .map(BpxFunction::Expression)
                .map_err(|e: ExpressionError| format!("'{key}': {e}")),
            BpxValue::Table { x, y } => {
                if x.len() != y.len() || x.is_empty() {
                    return Err(format!("'{key}': a table needs x and y of the same, non-zero length"));
                }
                let mut pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
                if pairs.iter().any(|(a, b)| !a.is_finite() || !b.is_finite()) {
                    return Err(format!("'{key}': the table holds a value that is not a finite number"));
                }
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
                    return Err(format!("'{key}': the table repeats an x value"));
                }
                Ok(BpxFunction::Table(
                    pairs.iter().map(|p| p.0).collect(),
                    pairs.iter().map(|p| p.1).collect(),
                ))
            }
        }
    }

    /// The number, if the value is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            BpxValue::Number(v) => Some(*v),
            _ => None,
        }
    }
}

impl BpxFunction {
    /// The value at `x`.
    pub fn eval(&self, x: f64) -> f64 {
        match self {
            BpxFunction::Constant(v) => *v,
            BpxFunction::Expression(e) => e.eval(x),
            BpxFunction::Table(xs, ys) => {
                let n = xs.len();
                if n == 1 {
                    return ys[0];
                }
                let k = xs.partition_point(|&v| v <= x).clamp(1, n - 1);
                let (x0, x1, y0, y1) = (xs[k - 1], xs[k], ys[k - 1], ys[k]);
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            }
        }
    }
}

/// A BPX file.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bpx {
    /// Format version, title, model.
    #[serde(rename = "Header")]
    pub header: Header,
    /// The parameters.
    #[serde(rename = "Parameterisation")]
    pub parameterisation: Parameterisation,
    /// Initial and thermal state (BPX 1.1+).
    #[serde(rename = "State")]
    pub state: Option<State>,
    /// Validation experiments, kept as given.
    #[serde(rename = "Validation")]
    pub validation: Option<serde_json::Value>,
}

/// `Header`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// BPX version, e.g. "1.0.0".
    #[serde(rename = "BPX")]
    pub bpx: String,
    /// Title.
    #[serde(rename = "Title")]
    pub title: Option<String>,
    /// Description.
    #[serde(rename = "Description")]
    pub description: Option<String>,
    /// References.
    #[serde(rename = "References")]
    pub references: Option<String>,
    /// "SPM", "SPMe", "DFN" or "Partial".
    #[serde(rename = "Model")]
    pub model: String,
}

/// `Parameterisation` (the DFN, SPM and Partial variants in one: every section optional).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameterisation {
    /// `Cell`.
    #[serde(rename = "Cell")]
    pub cell: Cell,
    /// `Electrolyte`.
    #[serde(rename = "Electrolyte")]
    pub electrolyte: Option<Electrolyte>,
    /// `Negative electrode`.
    #[serde(rename = "Negative electrode")]
    pub negative_electrode: Option<Electrode>,
    /// `Positive electrode`.
    #[serde(rename = "Positive electrode")]
    pub positive_electrode: Option<Electrode>,
    /// `Separator`.
    #[serde(rename = "Separator")]
    pub separator: Option<Separator>,
    /// `User-defined`: free keys (spelab's Li-metal block lives here).
    #[serde(rename = "User-defined")]
    pub user_defined: Option<BTreeMap<String, serde_json::Value>>,
}

/// `Cell`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// Electrode area [m²].
    #[serde(rename = "Electrode area [m2]")]
    pub electrode_area: f64,
    /// External surface area [m²].
    #[serde(rename = "External surface area [m2]")]
    pub external_surface_area: Option<f64>,
    /// Volume [m³].
    #[serde(rename = "Volume [m3]")]
    pub volume: Option<f64>,
    /// Electrode pairs in parallel.
    #[serde(rename = "Number of electrode pairs connected in parallel to make a cell")]
    pub electrode_pairs: u32,
    /// Lower voltage cut-off [V].
    #[serde(rename = "Lower voltage cut-off [V]")]
    pub lower_voltage_cut_off: f64,
    /// Upper voltage cut-off [V].
    #[serde(rename = "Upper voltage cut-off [V]")]
    pub upper_voltage_cut_off: f64,
    /// Nominal capacity [A h].
    #[serde(rename = "Nominal cell capacity [A.h]")]
    pub nominal_capacity: f64,
    /// Reference temperature of the Arrhenius laws [K].
    #[serde(rename = "Reference temperature [K]")]
    pub reference_temperature: Option<f64>,
    /// Lumped density [kg/m³].
    #[serde(rename = "Density [kg.m-3]")]
    pub density: Option<f64>,
    /// Lumped specific heat capacity [J/(K kg)].
    #[serde(rename = "Specific heat capacity [J.K-1.kg-1]")]
    pub specific_heat_capacity: Option<f64>,
}

/// `Electrolyte`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Electrolyte {
    /// t₊ [1].
    #[serde(rename = "Cation transference number")]
    pub transference_number: f64,
    /// D(c_e) [m²/s].
    #[serde(rename = "Diffusivity [m2.s-1]")]
    pub diffusivity: BpxValue,
    /// Activation energy of D [J/mol].
    #[serde(rename = "Diffusivity activation energy [J.mol-1]")]
    pub diffusivity_activation_energy: Option<f64>,
    /// κ(c_e) [S/m].
    #[serde(rename = "Conductivity [S.m-1]")]
    pub conductivity: BpxValue,
    /// Activation energy of κ [J/mol].
    #[serde(rename = "Conductivity activation energy [J.mol-1]")]
    pub conductivity_activation_energy: Option<f64>,
}

/// `Negative electrode` / `Positive electrode` (single particle; blended electrodes are not read).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Electrode {
    /// Thickness [m].
    #[serde(rename = "Thickness [m]")]
    pub thickness: f64,
    /// Porosity (electrolyte volume fraction) [1] (absent in SPM files).
    #[serde(rename = "Porosity")]
    pub porosity: Option<f64>,
    /// Transport efficiency ε^b [1].
    #[serde(rename = "Transport efficiency")]
    pub transport_efficiency: Option<f64>,
    /// Effective solid conductivity [S/m].
    #[serde(rename = "Conductivity [S.m-1]")]
    pub conductivity: Option<f64>,
    /// Low end of the stoichiometry window [1] (the positive electrode's at 100 % state of charge).
    #[serde(rename = "Minimum stoichiometry")]
    pub minimum_stoichiometry: f64,
    /// The window's high end [1].
    #[serde(rename = "Maximum stoichiometry")]
    pub maximum_stoichiometry: f64,
    /// c_max [mol/m³].
    #[serde(rename = "Maximum concentration [mol.m-3]")]
    pub maximum_concentration: f64,
    /// Particle radius [m].
    #[serde(rename = "Particle radius [m]")]
    pub particle_radius: f64,
    /// a = 3 ε_s / R_p [1/m].
    #[serde(rename = "Surface area per unit volume [m-1]")]
    pub surface_area_per_volume: f64,
    /// D_s(x) [m²/s].
    #[serde(rename = "Diffusivity [m2.s-1]")]
    pub diffusivity: BpxValue,
    /// Activation energy of D_s [J/mol].
    #[serde(rename = "Diffusivity activation energy [J.mol-1]")]
    pub diffusivity_activation_energy: Option<f64>,
    /// U(x) [V].
    #[serde(rename = "OCP [V]")]
    pub ocp: Option<BpxValue>,
    /// Delithiation branch of a hysteretic OCP [V] (kept, not modelled).
    #[serde(rename = "OCP (delithiation) [V]")]
    pub ocp_delithiation: Option<BpxValue>,
    /// Lithiation branch of a hysteretic OCP [V] (kept, not modelled).
    #[serde(rename = "OCP (lithiation) [V]")]
    pub ocp_lithiation: Option<BpxValue>,
    /// Hysteresis decay constant (kept, not modelled).
    #[serde(rename = "OCP hysteresis decay constant")]
    pub ocp_hysteresis_decay: Option<BpxValue>,
    /// dU/dT(x) [V/K].
    #[serde(rename = "Entropic change coefficient [V.K-1]")]
    pub entropic_change: Option<BpxValue>,
    /// k of j0 = F k √(c_e/c_e0 · x (1 − x)) [mol/(m² s)].
    #[serde(rename = "Reaction rate constant [mol.m-2.s-1]")]
    pub reaction_rate_constant: f64,
    /// Activation energy of k [J/mol].
    #[serde(rename = "Reaction rate constant activation energy [J.mol-1]")]
    pub reaction_rate_activation_energy: Option<f64>,
}

/// `Separator`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Separator {
    /// Thickness [m].
    #[serde(rename = "Thickness [m]")]
    pub thickness: f64,
    /// Porosity [1] (1 for a dense polymer membrane).
    #[serde(rename = "Porosity")]
    pub porosity: f64,
    /// Transport efficiency ε^b [1].
    #[serde(rename = "Transport efficiency")]
    pub transport_efficiency: f64,
}

/// `State`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// `Initial conditions`.
    #[serde(rename = "Initial conditions")]
    pub initial_conditions: Option<InitialConditions>,
    /// `Thermal environment`.
    #[serde(rename = "Thermal environment")]
    pub thermal_environment: Option<ThermalEnvironment>,
    /// `Degradation` (LLI, LAM), kept as given.
    #[serde(rename = "Degradation")]
    pub degradation: Option<serde_json::Value>,
}

/// `State` / `Initial conditions`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialConditions {
    /// Initial state of charge [1].
    #[serde(rename = "Initial state-of-charge")]
    pub state_of_charge: Option<f64>,
    /// Initial temperature [K].
    #[serde(rename = "Initial temperature [K]")]
    pub temperature: Option<f64>,
    /// Initial electrolyte concentration c_e0 [mol/m³].
    #[serde(rename = "Initial electrolyte concentration [mol.m-3]")]
    pub electrolyte_concentration: Option<f64>,
    /// Initial hysteresis state of the positive electrode (kept).
    #[serde(rename = "Initial hysteresis state: Positive electrode")]
    pub hysteresis_positive: Option<serde_json::Value>,
    /// Initial hysteresis state of the negative electrode (kept).
    #[serde(rename = "Initial hysteresis state: Negative electrode")]
    pub hysteresis_negative: Option<serde_json::Value>,
}

/// `State` / `Thermal environment`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThermalEnvironment {
    /// Ambient temperature [K].
    #[serde(rename = "Ambient temperature [K]")]
    pub ambient_temperature: Option<f64>,
    /// Heat transfer coefficient [W/(m² K)].
    #[serde(rename = "Heat transfer coefficient [W.m-2.K-1]")]
    pub heat_transfer_coefficient: Option<f64>,
}
