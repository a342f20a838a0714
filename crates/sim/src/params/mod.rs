//! Material parameters: the built-in presets PVH and PVH-IM, and user material files in the same
//! schema.
//!
//! Source of every paper value: X. X. Liu, L. Pan et al., "Indium-MOF as Multifunctional Promoter to
//! Remove Ionic Conductivity and Electrochemical Stability Constraints on Fluoropolymer Electrolytes
//! for All-Solid-State Lithium Metal Battery", Nano-Micro Lett. 17:249 (2025),
//! doi:10.1007/s40820-025-01760-x. All tests at 25 °C unless stated.
//!
//! | quantity (key) | PVH | PVH-IM | unit | source |
//! |---|---|---|---|---|
//! | ionic conductivity at 25 °C (`ionic_conductivity_25c_s_cm`) | 0.36e-3 | 1.23e-3 | S/cm | Fig. 6a, Sect. 2.4 |
//! | activation energy (`activation_energy_ev`) | 0.21 | 0.18 | eV | Fig. 6b, Sect. 2.4 |
//! | Li⁺ transference number (`transference_number`) | 0.19 | 0.49 | 1 | Fig. 6d, Sect. 2.4 |
//! | electronic conductivity (`electronic_conductivity_25c_s_cm`) | 9.13e-7 | 1.80e-9 | S/cm | Fig. S20, Sect. 2.4 |
//! | exchange current density (`exchange_current_density_ma_cm2`) | 0.049 | 0.067 | mA/cm² | Fig. 2e, Sect. 2.2 |
//! | critical current density (`critical_current_density_ma_cm2`) | 0.4 | 1.7 | mA/cm² | Fig. 2c, Sect. 2.2 |
//! | symmetric-cell life at 0.2 mA/cm² (`cycle_life_0p2ma_cm2_h`) | 34 | ≥ 5550 | h | Fig. 2a, Sect. 2.2 |
//! | crystallinity (`crystallinity_percent`) | 34.1 | 19.2 | % | Fig. 6e, Sect. 2.4 |
//! | free TFSI⁻ (`free_tfsi_fraction_percent`) | 49 | 64 | % | Fig. 6g, Sect. 2.4 |
//! | residual DMF (`residual_dmf_content_wt_percent`) | 14.9 | 14.3 | wt% | Fig. S11, Sect. 2.2 |
//! | LFP capacity at 0.1C (`specific_capacity_0p1c_mah_g`) | 103.4 | 141.7 | mAh/g | Fig. 6h, Sect. 2.5 |
//! | membrane thickness (`thickness_um`, model) | 100, assumed | 100, assumed | µm | not in the paper |
//! | temperature (`temperature_c`, model) | 25 | 25 | °C | Figs. 1, 2, 6 captions |
//!
//! The full set (symmetric-cell lives at 0.1/0.2/0.5 mA/cm², cumulative capacity, LSV, DMF content,
//! LiF share, rate and cycling capacities, pouch and NCM622 cells, FT-IR/Raman/XPS/XRD positions,
//! DFT energies, ToF-SIMS times) is in `presets.toml` beside this file, each value with its figure,
//! section and notes (lower bounds, typos in the paper, derivations).
//!
//! # Schema
//! A material file holds one material:
//!
//! ```toml
//! id = "my-spe"                      # a-z, 0-9 and '-'
//! name = "My SPE"
//! description = "One or two sentences."
//! reference = "doi:10.xxxx/yyyy"
//!
//! [model.thickness_um]               # model settings that are not paper values
//! value = 80.0
//! unit = "um"
//! quantity = "length"                # snake_case spelab_core::units::Quantity
//! source = "micrometer, this work"
//!
//! [values.ionic_conductivity_25c_s_cm]
//! value = 5.0e-4                     # as written, in `unit`
//! unit = "S/cm"
//! metric = "ionic_conductivity"      # a spelab_core::MetricId; fixes the quantity
//! source = "Fig. 2a"
//! conditions = { temperature_K = 298.15 }
//! note = "optional"                  # optional
//! assumed = false                    # optional, default false
//! ```
//!
//! The built-in file holds both materials as tables `[pvh]` and `[pvh-im]` (the table name is the
//! id) with the same content below them (`[pvh-im.values.ionic_conductivity_25c_s_cm]`). Rules,
//! checked on load (unknown fields are rejected with line and column):
//! - every key ends with the suffix its unit gives by [`unit_key_suffix`] (`S/cm` → `_s_cm`,
//!   `%` → `_percent`, `wt%` → `_wt_percent`, `cm-1` → `_cm_inv`); numbers inside keys use `p` for
//!   the decimal point (`0p2`);
//! - `quantity` is required unless `metric` is given, and must agree with the metric's quantity;
//! - condition keys are SI with the unit in the key, one of [`CONDITION_KEYS`];
//! - `[model]` values carry no `metric`; anything not taken from the source is `assumed = true` with
//!   a `note` giving the reasoning.
//!
//! # SI conversion
//! `si_value` is `spelab_core::units::parse_quantity("<value> <unit>", quantity)`. Values whose
//! quantity is `dimensionless` are not converted: `si_value = value` and the unit is kept as text.
//! That covers plain numbers (`"1"`) and the units spelab-core has no quantity for: wavenumbers
//! (`cm-1`), XPS binding energies (`eV`) and XRD angles (`deg`). DFT energies per molecule (`eV`)
//! use the molar-energy quantity `activation_energy` and convert to J/mol.
//!
//! ```
//! use spelab_core::MetricId;
//! use spelab_sim::params;
//! let pvh_im = params::preset("PVH-IM")?;
//! let sigma = pvh_im.get("ionic_conductivity_25c_s_cm").map(|v| v.si_value); // 0.123 S/m
//! let model = pvh_im.material_params()?; // SI, validated
//! let at_60c = model.ionic_conductivity_at(333.15);
//! # Ok::<(), params::ParamsError>(())
//! ```

mod material;
mod schema;

use serde::Serialize;
use spelab_core::metric::{conditions_compatible, conditions_match, Conditions};
use spelab_core::units::Quantity;
use spelab_core::MetricId;

pub use crate::error::ParamsError;
pub use material::MaterialParams;
pub use schema::{is_valid_key, key_matches_unit, unit_key_suffix, CONDITION_KEYS};

/// The built-in presets file, embedded at compile time.
pub const PRESETS_TOML: &str = include_str!("presets.toml");

/// Origin name of the built-in presets in error messages.
const PRESETS_ORIGIN: &str = "built-in presets.toml";

/// The ids of the built-in presets.
const PRESET_IDS: [&str; 2] = ["pvh", "pvh-im"];

/// One material: its description and every value, in file order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preset {
    /// Material id (`"pvh-im"`).
    pub id: String,
    /// Display name (`"PVH-IM"`).
    pub name: String,
    /// One or two sentences on what the material is.
    pub description: String,
    /// Citation with doi of the values' source.
    pub reference: String,
    /// Model settings and paper values, in file order.
    pub values: Vec<PresetValue>,
}

/// One value of a material, as written and in SI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetValue {
    /// Key with the unit at its end (`"ionic_conductivity_25c_s_cm"`).
    pub key: String,
    /// The value as written, in `unit`.
    pub value: f64,
    /// The unit of `value` as written (`"S/cm"`).
    pub unit: String,
    /// The value in the SI unit of `quantity`; equal to `value` for dimensionless quantities.
    pub si_value: f64,
    /// The physical quantity, which fixes the SI unit.
    pub quantity: Quantity,
    /// The metric id, when the value is a paper value of that metric.
    pub metric: Option<MetricId>,
    /// Conditions of the measurement (`temperature_K`, `c_rate`, `current_density_A_m2`, ...), SI.
    pub conditions: Conditions,
    /// Figure and section of the source (`"Fig. 6a, Sect. 2.4"`), or `"assumption ..."`.
    pub source: String,
    /// Remarks: bounds, derivations, inconsistencies in the source.
    pub note: Option<String>,
    /// Whether the value is an assumption rather than taken from the source.
    pub assumed: bool,
}

impl Preset {
    /// The value with this key, if any.
    pub fn get(&self, key: &str) -> Option<&PresetValue> {
        self.values.iter().find(|v| v.key == key)
    }

    /// The paper values: those that carry a metric id.
    pub fn paper_values(&self) -> impl Iterator<Item = &PresetValue> {
        self.values.iter().filter(|v| v.metric.is_some())
    }

    /// The paper value of `metric` measured under exactly `conditions` (by [`conditions_match`]: the
    /// same keys, equal values), the first in file order. This pairs a result with the paper: the
    /// model's fresh 0.1C capacity `{temperature_K, c_rate: 0.1}` finds the rate-test value, never the
    /// capacity after 100 cycles `{temperature_K, c_rate: 0.1, cycle: 100}`.
    pub fn paper_value(&self, metric: MetricId, conditions: &Conditions) -> Option<&PresetValue> {
        self.paper_values().find(|v| v.metric == Some(metric) && conditions_match(&v.conditions, conditions))
    }

    /// The paper value of `metric` a model takes as its input: conditions need only not contradict
    /// (by [`conditions_compatible`]: keys present in both agree), so the activation energy, which
    /// has no temperature, answers a query at 25 °C.
    ///
    /// When several fit, the one sharing the most condition keys with the query wins, and among
    /// those the first in file order. Never use it to pair a result with the paper
    /// ([`Preset::paper_value`] does that).
    pub fn input_paper_value(&self, metric: MetricId, conditions: &Conditions) -> Option<&PresetValue> {
        let mut best: Option<(usize, &PresetValue)> = None;
        for v in self.paper_values() {
            if v.metric != Some(metric) || !conditions_compatible(&v.conditions, conditions) {
                continue;
            }
            let shared = v.conditions.keys().filter(|k| conditions.contains_key(*k)).count();
            if best.is_none_or(|(n, _)| shared > n) {
                best = Some((shared, v));
            }
        }
        best.map(|(_, v)| v)
    }
}

/// The ids of the built-in presets: `["pvh", "pvh-im"]`.
pub fn preset_ids() -> Vec<&'static str> {
    PRESET_IDS.to_vec()
}

/// The built-in preset with this id, case-insensitive (`"pvh"`, `"pvh-im"`, `"PVH-IM"`).
pub fn preset(id: &str) -> Result<Preset, ParamsError> {
    let wanted = id.trim().to_lowercase();
    if !PRESET_IDS.contains(&wanted.as_str()) {
        return Err(ParamsError::UnknownPreset {
            id: id.to_string(),
            known: PRESET_IDS.iter().map(|s| s.to_string()).collect(),
        });
    }
    schema::parse_many(PRESETS_TOML, PRESETS_ORIGIN)?
        .into_iter()
        .find(|p| p.id == wanted)
        .ok_or_else(|| ParamsError::Missing { id: wanted, key: PRESETS_ORIGIN.to_string() })
}

/// Every built-in preset, in the order of [`preset_ids`].
pub fn all_presets() -> Result<Vec<Preset>, ParamsError> {
    let mut presets = schema::parse_many(PRESETS_TOML, PRESETS_ORIGIN)?;
    presets.sort_by_key(|p| PRESET_IDS.iter().position(|id| *id == p.id));
    Ok(presets)
}

/// Reads a user's material file (one material, the schema of the module doc); `origin` names the
/// text in error messages (a file name). Takes the text, never a path.
pub fn preset_from_toml(text: &str, origin: &str) -> Result<Preset, ParamsError> {
    schema::parse_one(text, origin).map_err(|e| e.0)
}

/// A material file's error with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedError {
    /// What is wrong.
    pub error: Box<ParamsError>,
    /// 1-based line and column of the offending value (its table), when known.
    pub place: Option<(usize, usize)>,
}

/// [`preset_from_toml`], its errors with their line and column in `text`.
pub fn preset_from_toml_located(text: &str, origin: &str) -> Result<Preset, LocatedError> {
    schema::parse_one(text, origin).map_err(|located| {
        let (error, offset) = *located;
        LocatedError {
            error: Box::new(error),
            place: offset.map(|offset| {
                let before = &text[..offset.min(text.len())];
                let line_start = before.rfind('\n').map_or(0, |p| p + 1);
                (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
            }),
        }
    })
}
