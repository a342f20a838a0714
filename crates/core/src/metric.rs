//! Metrics: the numbers a study reports, with unit, uncertainty and provenance.
//!
//! A [`Metric`] is one row of `metrics.json` / `metrics.csv`. Its field names and meaning are a contract
//! that scripts rely on (see the README): `value` and `uncertainty` are SI in the unit that `unit` names,
//! `display` is the same value in the unit the field uses ("1.23 mS/cm"), `source` is `"simulation"` or
//! the path of the measured data file, `input_value` is the model parameter a simulated measurement was
//! generated from (virtual lab) and `paper_value` the reference paper's value from the material preset.
//! `role` says what kind of number it is ([`Role`]: measured, round trip, prediction, input), so a reader
//! never takes a recovered model input for a validated prediction, and `paper_ratio` is `value /
//! paper_value` where both exist.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::units::{self, Quantity};

/// The fixed identifiers of the metrics spelab reports (snake_case in JSON).
///
/// Each id has one physical [`Quantity`], so its SI unit and display unit are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricId {
    /// Ionic conductivity σ from EIS [S/m].
    IonicConductivity,
    /// Arrhenius activation energy of σ(T) [J/mol].
    ActivationEnergy,
    /// Li⁺ transference number t₊ [1].
    TransferenceNumber,
    /// Electronic conductivity from DC polarization [S/m].
    ElectronicConductivity,
    /// Exchange current density i₀ of the Li|SPE interface [A/m²].
    ExchangeCurrentDensity,
    /// Critical current density of a Li|SPE|Li cell [A/m²].
    CriticalCurrentDensity,
    /// Symmetric-cell cycling life [s].
    CycleLife,
    /// Cumulative plated capacity over the cycling life [C/m²].
    CumulativeCapacity,
    /// LSV oxidation onset potential [V].
    OxidationOnset,
    /// Polymer crystallinity from DSC [1].
    Crystallinity,
    /// Residual solvent mass fraction from TGA [1].
    ResidualSolventContent,
    /// Free (uncoordinated) anion fraction from Raman [1].
    FreeAnionFraction,
    /// LiF share of the F 1s XPS signal [1].
    LifFraction,
    /// Full-cell specific discharge capacity per active mass [C/kg].
    SpecificCapacity,
    /// Capacity retention relative to a reference cycle [1].
    CapacityRetention,
    /// Coulombic efficiency (discharge / charge) [1].
    CoulombicEfficiency,
    /// Dendrite height ratio: highest tip over mean deposit thickness (phase field) [1].
    DendriteHeightRatio,
    /// RMS roughness of the deposit front (phase field) [m].
    DepositRoughness,
    /// Largest salt-concentration gradient at the deposit, |∇c|·L/c₀ (phase field) [1].
    TipConcentrationGradient,
    /// Time to a dendrite short circuit (phase field) [s].
    ShortCircuitTime,
    /// Position of a tracked spectroscopic band (FT-IR, Raman) [1/m]; condition `band_m_inv`, the
    /// band's nominal position [1/m].
    BandPosition,
    /// Area fraction of one fitted component of a spectrum (an XPS core level's chemical state) [1];
    /// the component's label is the metric's `component` option.
    ComponentFraction,
}

impl MetricId {
    /// Every metric id, in report order.
    pub const ALL: [MetricId; 22] = [
        MetricId::IonicConductivity,
        MetricId::ActivationEnergy,
        MetricId::TransferenceNumber,
        MetricId::ElectronicConductivity,
        MetricId::ExchangeCurrentDensity,
        MetricId::CriticalCurrentDensity,
        MetricId::CycleLife,
        MetricId::CumulativeCapacity,
        MetricId::OxidationOnset,
        MetricId::Crystallinity,
        MetricId::ResidualSolventContent,
        MetricId::FreeAnionFraction,
        MetricId::LifFraction,
        MetricId::SpecificCapacity,
        MetricId::CapacityRetention,
        MetricId::CoulombicEfficiency,
        MetricId::DendriteHeightRatio,
        MetricId::DepositRoughness,
        MetricId::TipConcentrationGradient,
        MetricId::ShortCircuitTime,
        MetricId::BandPosition,
        MetricId::ComponentFraction,
    ];

    /// The snake_case id used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricId::IonicConductivity => "ionic_conductivity",
            MetricId::ActivationEnergy => "activation_energy",
            MetricId::TransferenceNumber => "transference_number",
            MetricId::ElectronicConductivity => "electronic_conductivity",
            MetricId::ExchangeCurrentDensity => "exchange_current_density",
            MetricId::CriticalCurrentDensity => "critical_current_density",
            MetricId::CycleLife => "cycle_life",
            MetricId::CumulativeCapacity => "cumulative_capacity",
            MetricId::OxidationOnset => "oxidation_onset",
            MetricId::Crystallinity => "crystallinity",
            MetricId::ResidualSolventContent => "residual_solvent_content",
            MetricId::FreeAnionFraction => "free_anion_fraction",
            MetricId::LifFraction => "lif_fraction",
            MetricId::SpecificCapacity => "specific_capacity",
            MetricId::CapacityRetention => "capacity_retention",
            MetricId::CoulombicEfficiency => "coulombic_efficiency",
            MetricId::DendriteHeightRatio => "dendrite_height_ratio",
            MetricId::DepositRoughness => "deposit_roughness",
            MetricId::TipConcentrationGradient => "tip_concentration_gradient",
            MetricId::ShortCircuitTime => "short_circuit_time",
            MetricId::BandPosition => "band_position",
            MetricId::ComponentFraction => "component_fraction",
        }
    }

    /// A human-readable label for tables ("Ionic conductivity").
    pub fn label(self) -> &'static str {
        match self {
            MetricId::IonicConductivity => "Ionic conductivity",
            MetricId::ActivationEnergy => "Activation energy",
            MetricId::TransferenceNumber => "Li+ transference number",
            MetricId::ElectronicConductivity => "Electronic conductivity",
            MetricId::ExchangeCurrentDensity => "Exchange current density",
            MetricId::CriticalCurrentDensity => "Critical current density",
            MetricId::CycleLife => "Symmetric-cell cycle life",
            MetricId::CumulativeCapacity => "Cumulative capacity",
            MetricId::OxidationOnset => "Oxidation onset",
            MetricId::Crystallinity => "Crystallinity",
            MetricId::ResidualSolventContent => "Residual solvent",
            MetricId::FreeAnionFraction => "Free anion fraction",
            MetricId::LifFraction => "LiF fraction (F 1s)",
            MetricId::SpecificCapacity => "Specific capacity",
            MetricId::CapacityRetention => "Capacity retention",
            MetricId::CoulombicEfficiency => "Coulombic efficiency",
            MetricId::DendriteHeightRatio => "Dendrite height ratio",
            MetricId::DepositRoughness => "Deposit roughness",
            MetricId::TipConcentrationGradient => "Tip concentration gradient",
            MetricId::ShortCircuitTime => "Short-circuit time",
            MetricId::BandPosition => "Band position",
            MetricId::ComponentFraction => "Component fraction",
        }
    }

    /// The physical quantity of this metric, which fixes its SI and display units.
    pub fn quantity(self) -> Quantity {
        match self {
            MetricId::IonicConductivity | MetricId::ElectronicConductivity => Quantity::Conductivity,
            MetricId::ActivationEnergy => Quantity::ActivationEnergy,
            MetricId::TransferenceNumber => Quantity::Dimensionless,
            MetricId::ExchangeCurrentDensity | MetricId::CriticalCurrentDensity => Quantity::CurrentDensity,
            MetricId::CycleLife | MetricId::ShortCircuitTime => Quantity::Time,
            MetricId::DepositRoughness => Quantity::Length,
            MetricId::DendriteHeightRatio | MetricId::TipConcentrationGradient => Quantity::Dimensionless,
            MetricId::CumulativeCapacity => Quantity::ArealCapacity,
            MetricId::OxidationOnset => Quantity::Voltage,
            MetricId::Crystallinity
            | MetricId::ResidualSolventContent
            | MetricId::FreeAnionFraction
            | MetricId::LifFraction
            | MetricId::CapacityRetention
            | MetricId::CoulombicEfficiency
            | MetricId::ComponentFraction => Quantity::Fraction,
            MetricId::BandPosition => Quantity::Wavenumber,
            MetricId::SpecificCapacity => Quantity::SpecificCapacity,
        }
    }

    /// The unit this metric is shown in when it differs from its quantity's display unit: electronic
    /// conductivities (1e-9 S/cm) are written in S/cm, ionic ones in mS/cm.
    pub fn display_unit_override(self) -> Option<&'static str> {
        match self {
            MetricId::ElectronicConductivity => Some("S/cm"),
            _ => None,
        }
    }

    /// Formats an SI value of this metric in the field's display unit ("1.23 mS/cm", "1.8e-9 S/cm").
    pub fn display(self, si_value: f64) -> String {
        let quantity = self.quantity();
        if self == MetricId::BandPosition && si_value.is_finite() {
            // Band positions are compared to 0.1 cm⁻¹ (1655.1 vs 1657.5), finer than 4 digits.
            return format!("{:.1} {}", quantity.to_display(si_value), quantity.display_unit());
        }
        self.display_unit_override()
            .and_then(|unit| units::format_in(si_value, quantity, unit).ok())
            .unwrap_or_else(|| quantity.display(si_value))
    }

    /// Formats an SI value with its standard uncertainty in the field's display unit.
    pub fn display_with_uncertainty(self, si_value: f64, uncertainty: f64) -> String {
        let quantity = self.quantity();
        match self.display_unit_override() {
            Some(unit) => {
                match (units::convert(si_value, quantity, unit), units::convert(uncertainty, quantity, unit))
                {
                    (Ok(v), Ok(u)) => format!("{} {unit}", units::format_with_uncertainty(v, u)),
                    _ => quantity.display_with_uncertainty(si_value, uncertainty),
                }
            }
            None => quantity.display_with_uncertainty(si_value, uncertainty),
        }
    }

    /// Formats a standard uncertainty alone [SI] in the field's display unit at 2 significant digits,
    /// as [`MetricId::display_with_uncertainty`] writes it.
    pub fn display_uncertainty(self, uncertainty: f64) -> String {
        let quantity = self.quantity();
        match self.display_unit_override().map(|unit| (unit, units::convert(uncertainty, quantity, unit))) {
            Some((unit, Ok(u))) => format!("{} {unit}", units::format_uncertainty(u)),
            _ => quantity.display_uncertainty(uncertainty),
        }
    }

    /// Parses a snake_case id; `None` for an unknown id.
    pub fn parse(id: &str) -> Option<MetricId> {
        MetricId::ALL.into_iter().find(|m| m.as_str() == id)
    }
}

impl fmt::Display for MetricId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Experimental conditions of a metric, keyed by name with the unit in the key
/// (`temperature_K`, `c_rate`, `current_density_A_m2`, `cycle`).
pub type Conditions = BTreeMap<String, f64>;

/// Where a metric came from: a simulation or a measured data file.
pub const SOURCE_SIMULATION: &str = "simulation";

/// What kind of number a metric is, for a reader comparing it with a paper (`role` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Analysed from a real data file.
    Measured,
    /// A virtual measurement of a model input, analysed back: agreement with the input checks the
    /// analysis, not the model; agreement with the paper is circular when the input is the paper's value.
    RoundTrip,
    /// A model output that is not one of its inputs: agreement with the paper tests the model.
    /// Files written before roles existed read as this.
    #[default]
    Prediction,
    /// A model input reported as it is.
    Input,
    /// A model output fitted to the paper's values (a calibration): agreement with the paper is by
    /// construction and says how well the model can represent the data, not that it predicts them.
    Calibrated,
}

impl Role {
    /// The snake_case name used in JSON (`"round_trip"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Measured => "measured",
            Role::RoundTrip => "round_trip",
            Role::Prediction => "prediction",
            Role::Input => "input",
            Role::Calibrated => "calibrated",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a prediction moves over the stated ranges of the parameters the model assumes rather than
/// measures (`band` in JSON, present only when computed). `low` and `high` are SI in the metric's
/// unit; `combination` says how the one-at-a-time sensitivities were combined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    /// Lower end [SI, the metric's unit].
    pub low: f64,
    /// Upper end [SI, the metric's unit].
    pub high: f64,
    /// How the sensitivities were combined ("one-at-a-time, quadrature of ln").
    pub combination: String,
    /// The assumed parameters, each with the prediction at the ends of its range.
    pub parameters: Vec<BandParameter>,
}

/// One assumed parameter of a [`Band`]: its stated range and the prediction at each end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandParameter {
    /// What it is ("salt concentration c0").
    pub name: String,
    /// The unit of `nominal`, `low` and `high` ("mol/L").
    pub unit: String,
    /// The value the prediction used [unit].
    pub nominal: f64,
    /// Low end of the stated range [unit].
    pub low: f64,
    /// High end of the stated range [unit].
    pub high: f64,
    /// The prediction with this parameter at `low`, the others nominal [SI, the metric's unit].
    pub at_low: f64,
    /// The prediction with this parameter at `high` [SI, the metric's unit].
    pub at_high: f64,
}

impl Band {
    /// Whether `x` [SI] lies inside the band (ends included).
    pub fn contains(&self, x: f64) -> bool {
        x >= self.low && x <= self.high
    }
}

/// One reported number with its unit, uncertainty and provenance (one row of `metrics.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Fixed metric id.
    pub id: MetricId,
    /// Material id from the study (`"pvh-im"`), if the metric belongs to one.
    pub material: Option<String>,
    /// Value in SI units, see `unit`.
    pub value: f64,
    /// SI unit of `value` and `uncertainty` ("S/m").
    pub unit: String,
    /// Value in the field's display units ("1.23 mS/cm").
    pub display: String,
    /// Standard uncertainty in SI units, when known.
    pub uncertainty: Option<f64>,
    /// How the value was obtained ("Arrhenius OLS fit of ln σ vs 1/T").
    pub method: Option<String>,
    /// `"simulation"` or the path of the measured data file.
    pub source: String,
    /// Conditions (`temperature_K`, `c_rate`, `current_density_A_m2`, ...).
    pub conditions: Conditions,
    /// Model parameter the simulated measurement was generated from, SI (virtual lab only).
    pub input_value: Option<f64>,
    /// The reference paper's value from the material preset, SI, measured under the same conditions.
    pub paper_value: Option<f64>,
    /// What kind of number this is: measured, round trip, prediction or input (see [`Role`]).
    #[serde(default)]
    pub role: Role,
    /// `value / paper_value` where both are finite and the paper value is not zero.
    #[serde(default)]
    pub paper_ratio: Option<f64>,
    /// The analysis options that produced the value, as given (`"voltage": "0.01 V"`); empty when the
    /// method has none.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// The prediction over the stated ranges of its assumed parameters, when computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

impl Metric {
    /// A metric with the unit and display string filled from the id's quantity; optional fields empty.
    /// Its role is [`Role::Prediction`] for the source `"simulation"` and [`Role::Measured`] for a file;
    /// [`Metric::with_input_value`] makes a prediction a round trip.
    ///
    /// ```
    /// use spelab_core::metric::{Metric, MetricId, Role};
    /// let m = Metric::new(MetricId::IonicConductivity, 0.123, "simulation");
    /// assert_eq!(m.unit, "S/m");
    /// assert_eq!(m.display, "1.23 mS/cm");
    /// assert_eq!(m.role, Role::Prediction);
    /// let m = m.with_input_value(0.123).with_paper_value(0.1);
    /// assert_eq!(m.role, Role::RoundTrip);
    /// assert!((m.paper_ratio.unwrap() - 1.23).abs() < 1e-12);
    /// assert_eq!(Metric::new(MetricId::IonicConductivity, 0.1, "cell.mpr").role, Role::Measured);
    /// ```
    pub fn new(id: MetricId, value: f64, source: impl Into<String>) -> Metric {
        let quantity = id.quantity();
        let source = source.into();
        let role = if source == SOURCE_SIMULATION { Role::Prediction } else { Role::Measured };
        Metric {
            id,
            material: None,
            value,
            unit: quantity.si_unit().to_string(),
            // A non-finite value is a result that does not exist (no short within the horizon):
            // never shown as "NaN h".
            display: if value.is_finite() { id.display(value) } else { "none".to_string() },
            uncertainty: None,
            method: None,
            source,
            conditions: Conditions::new(),
            input_value: None,
            paper_value: None,
            role,
            paper_ratio: None,
            options: BTreeMap::new(),
            band: None,
        }
    }

    /// Sets the material id.
    pub fn with_material(mut self, material: impl Into<String>) -> Metric {
        self.material = Some(material.into());
        self
    }

    /// Sets the standard uncertainty [SI] and refreshes `display` to show it.
    pub fn with_uncertainty(mut self, uncertainty: f64) -> Metric {
        self.uncertainty = Some(uncertainty);
        self.display = self.id.display_with_uncertainty(self.value, uncertainty);
        self
    }

    /// Sets the method description.
    pub fn with_method(mut self, method: impl Into<String>) -> Metric {
        self.method = Some(method.into());
        self
    }

    /// Adds one condition (`"temperature_K"`, 298.15).
    pub fn with_condition(mut self, key: impl Into<String>, value: f64) -> Metric {
        self.conditions.insert(key.into(), value);
        self
    }

    /// Sets the model input value [SI] (virtual lab); a prediction becomes a round trip.
    pub fn with_input_value(mut self, value: f64) -> Metric {
        self.set_input_value(value);
        self
    }

    /// Sets the model input value [SI] in place; a prediction becomes a [`Role::RoundTrip`].
    pub fn set_input_value(&mut self, value: f64) {
        self.input_value = Some(value);
        if self.role == Role::Prediction {
            self.role = Role::RoundTrip;
        }
    }

    /// Sets the role.
    pub fn with_role(mut self, role: Role) -> Metric {
        self.role = role;
        self
    }

    /// Attaches the assumed-parameter band.
    pub fn with_band(mut self, band: Option<Band>) -> Metric {
        self.band = band;
        self
    }

    /// Records one analysis option (`"threshold"`, `"0.01 mA/cm2"`).
    pub fn with_option(mut self, key: impl Into<String>, value: impl Into<String>) -> Metric {
        self.options.insert(key.into(), value.into());
        self
    }

    /// Sets the paper value [SI] and `paper_ratio`.
    pub fn with_paper_value(mut self, value: f64) -> Metric {
        self.set_paper_value(value);
        self
    }

    /// Sets the paper value [SI] in place, and `paper_ratio = value / paper_value` when both are finite
    /// and the paper value is not zero (`None` otherwise).
    pub fn set_paper_value(&mut self, value: f64) {
        self.paper_value = Some(value);
        let ratio = self.value / value;
        self.paper_ratio = (value != 0.0 && ratio.is_finite()).then_some(ratio);
    }
}

/// Formats conditions for people: "25 °C, 0.2 mA/cm², 0.1C, cycle 130, 10 nm depth".
///
/// ```
/// use spelab_core::metric::{format_conditions, Conditions};
/// let mut c = Conditions::new();
/// c.insert("temperature_K".into(), 298.15);
/// c.insert("current_density_A_m2".into(), 2.0);
/// assert_eq!(format_conditions(&c), "0.2 mA/cm², 25 °C");
/// ```
pub fn format_conditions(conditions: &Conditions) -> String {
    conditions
        .iter()
        .map(|(k, v)| match k.as_str() {
            "temperature_K" => Quantity::Temperature.display(*v),
            "current_density_A_m2" => Quantity::CurrentDensity.display(*v),
            "c_rate" => Quantity::CRate.display(*v),
            "cycle" => format!("cycle {v}"),
            "etch_depth_m" => units::format_in(*v, Quantity::Length, "nm")
                .map(|d| format!("{d} depth"))
                .unwrap_or_else(|_| format!("etch depth {v} m")),
            "band_m_inv" => format!("band {}", Quantity::Wavenumber.display(*v)),
            other => format!("{other} = {v}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether two condition sets describe the same experiment: the same keys, each value agreeing within
/// 1e-9 relative (so a computed metric at 298.15 K matches the paper's "25 °C" value). A key that only
/// one side has is not a match: the paper's capacity "0.1C, cycle 100" is not the model's fresh 0.1C
/// rate test. Comparison pairs (paper value beside a metric) use this; choosing a model input among a
/// preset's values uses the looser [`conditions_compatible`].
///
/// ```
/// use spelab_core::metric::{conditions_match, Conditions};
/// let fresh: Conditions = [("c_rate".to_string(), 0.1)].into();
/// let mut aged = fresh.clone();
/// aged.insert("cycle".into(), 100.0);
/// assert!(conditions_match(&fresh, &fresh.clone()));
/// assert!(!conditions_match(&fresh, &aged));
/// ```
pub fn conditions_match(a: &Conditions, b: &Conditions) -> bool {
    a.len() == b.len() && conditions_compatible(a, b)
}

/// Whether two condition sets do not contradict each other: every key present in both agrees within
/// 1e-9 relative; a key only one side has is ignored. For picking a model input ("the activation
/// energy, at whatever temperature"), never for pairing a result with a paper value.
pub fn conditions_compatible(a: &Conditions, b: &Conditions) -> bool {
    a.iter().all(|(k, va)| match b.get(k) {
        Some(vb) => (va - vb).abs() <= 1e-9 * va.abs().max(vb.abs()).max(1e-300),
        None => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_json() {
        for id in MetricId::ALL {
            let json = serde_json::to_string(&id).expect("serialize");
            assert_eq!(json, format!("\"{}\"", id.as_str()));
            assert_eq!(MetricId::parse(id.as_str()), Some(id));
        }
    }

    #[test]
    fn electronic_conductivity_is_shown_in_s_per_cm() {
        assert_eq!(MetricId::ElectronicConductivity.display(1.8e-7), "1.8e-9 S/cm");
        assert_eq!(MetricId::IonicConductivity.display(0.123), "1.23 mS/cm");
        let m = Metric::new(MetricId::ElectronicConductivity, 1.8e-7, "x").with_uncertainty(1e-8);
        assert_eq!(m.display, "(1.80 ± 0.10)e-9 S/cm");
        assert_eq!(MetricId::ElectronicConductivity.display_uncertainty(1e-8), "1.0e-10 S/cm");
        assert_eq!(MetricId::IonicConductivity.display_uncertainty(3.9e-5), "3.9e-4 mS/cm");
    }

    #[test]
    fn a_value_that_does_not_exist_is_shown_as_none_and_written_as_null() {
        let m = Metric::new(MetricId::CycleLife, f64::NAN, SOURCE_SIMULATION);
        assert_eq!(m.display, "none");
        assert!(serde_json::to_value(&m).expect("json")["value"].is_null());
    }

    #[test]
    fn options_are_serialized_and_default_to_empty() {
        let m = Metric::new(MetricId::TransferenceNumber, 0.49, "x").with_option("voltage", "0.01 V");
        let json = serde_json::to_value(&m).expect("json");
        assert_eq!(json["options"]["voltage"], "0.01 V");
        let mut old = json.clone();
        old.as_object_mut().expect("object").remove("options");
        let back: Metric = serde_json::from_value(old).expect("metrics.json without options still reads");
        assert!(back.options.is_empty());
        // No band: no key; a band round-trips.
        assert!(json.get("band").is_none());
        let band = Band { low: 0.4, high: 0.6, combination: "x".into(), parameters: Vec::new() };
        let m = m.with_band(Some(band.clone()));
        let back: Metric = serde_json::from_value(serde_json::to_value(&m).expect("json")).expect("reads");
        assert_eq!(back.band, Some(band));
        assert!(m.band.as_ref().is_some_and(|b| b.contains(0.5) && !b.contains(0.61)));
    }

    #[test]
    fn conditions_match_needs_equal_keys_and_compatible_ignores_missing_ones() {
        let mut a = Conditions::new();
        a.insert("temperature_K".into(), 298.15);
        let mut b = a.clone();
        b.insert("c_rate".into(), 0.1);
        assert!(!conditions_match(&a, &b) && !conditions_match(&b, &a));
        assert!(conditions_compatible(&a, &b) && conditions_compatible(&b, &a));
        let mut c = b.clone();
        c.insert("temperature_K".into(), 298.15 * (1.0 + 1e-12));
        assert!(conditions_match(&b, &c));
        b.insert("temperature_K".into(), 333.15);
        assert!(!conditions_match(&a, &b) && !conditions_compatible(&a, &b));
    }
}
