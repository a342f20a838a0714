//! A BPX document to spelab's LFP | electrolyte | Li-metal cell ([`to_full_cell`]) and back
//! ([`from_full_cell`]), with the conventions of the parent module's docs.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;
use spelab_core::constants::{FARADAY, GAS_CONSTANT, T_REF};

use super::schema::{
    Bpx, BpxFunction, BpxValue, Cell, Electrode, Electrolyte, Header, InitialConditions, Parameterisation,
    Separator, State, ThermalEnvironment,
};
use super::BpxError;
use crate::fullcell::params::{
    Cathode, Electrolyte as CellElectrolyte, FullCell, LithiumMetal, Ocp, Separator as CellSeparator,
    LFP_MOLAR_MASS,
};
use crate::physics::{arrhenius_factor, ArrheniusTransport, ButlerVolmer, FnTransport, Transport};

/// `User-defined` key: Li foil thickness [m].
pub const KEY_LI_THICKNESS: &str = "Lithium metal thickness [m]";
/// `User-defined` key: Li foil conductivity [S/m].
pub const KEY_LI_CONDUCTIVITY: &str = "Lithium metal conductivity [S.m-1]";
/// `User-defined` key: Li partial molar volume [m³/mol] (kept; spelab's planar foil does not use it).
pub const KEY_LI_VOLUME: &str = "Lithium metal partial molar volume [m3.mol-1]";
/// `User-defined` key: Li | electrolyte exchange current density [A/m²], a function of x = c_e.
pub const KEY_LI_J0: &str = "Lithium metal exchange-current density [A.m-2]";
/// `User-defined` key (spelab): activation energy of the Li exchange current density [J/mol].
pub const KEY_LI_J0_EA: &str = "Lithium metal exchange-current density activation energy [J.mol-1]";
/// `User-defined` key (spelab): Li interface film (SEI) resistance [Ω·m²].
pub const KEY_LI_FILM: &str = "Lithium metal interface film resistance [Ohm.m2]";
/// `User-defined` key (spelab): series contact resistance of the cathode | electrolyte interface [Ω·m²].
pub const KEY_CONTACT: &str = "Positive electrode contact resistance [Ohm.m2]";
/// `User-defined` key (spelab): utilisation of the weighed cathode active material [1].
pub const KEY_UTILISATION: &str = "Positive electrode utilisation";
/// `User-defined` key (spelab): molar mass of the cathode active material [kg/mol].
pub const KEY_MOLAR_MASS: &str = "Positive electrode active material molar mass [kg.mol-1]";

/// Li metal molar volume [m³/mol] written on export (PyBaMM's Xu2019 value).
const LI_MOLAR_VOLUME: f64 = 1.3e-5;
/// The Prada2013 LFP OCP as a BPX function string (read back as the analytic curve).
const PRADA_OCP: &str = "3.4077 - 0.020269*x + 0.5*exp(-150*x) - 0.9*exp(-30*(1 - x))";

fn unsupported(msg: impl Into<String>) -> BpxError {
    BpxError::Unsupported(msg.into())
}

fn function(v: &BpxValue, key: &str) -> Result<BpxFunction, BpxError> {
    v.function(key).map_err(BpxError::Unsupported)
}

/// Bruggeman exponent from porosity and transport efficiency (1.5 for a dense membrane, ε = B = 1).
fn bruggeman(section: &str, porosity: f64, efficiency: f64) -> Result<f64, BpxError> {
    let ok = porosity > 0.0 && porosity <= 1.0 && efficiency > 0.0 && efficiency <= 1.0;
    if !ok {
        return Err(unsupported(format!(
            "{section}: porosity {porosity} and transport efficiency {efficiency} must be in (0, 1]"
        )));
    }
    if porosity == 1.0 {
        if (efficiency - 1.0).abs() > 1e-12 {
            return Err(unsupported(format!("{section}: porosity 1 needs transport efficiency 1")));
        }
        return Ok(1.5);
    }
    Ok(efficiency.ln() / porosity.ln())
}

fn user_number(ud: &BTreeMap<String, Value>, key: &str) -> Result<Option<f64>, BpxError> {
    match ud.get(key) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(other) => Err(unsupported(format!("User-defined '{key}': expected a number, found {other}"))),
    }
}

/// spelab's cell and the initial cathode stoichiometry of a BPX half cell (positive electrode,
/// electrolyte, separator, and the Li-metal block under `User-defined`; module docs).
pub fn to_full_cell(doc: &Bpx) -> Result<(FullCell, f64), BpxError> {
    let p = &doc.parameterisation;
    let empty = BTreeMap::new();
    let ud = p.user_defined.as_ref().unwrap_or(&empty);
    let Some(li_j0) = ud.get(KEY_LI_J0) else {
        let what = if p.negative_electrode.is_some() {
            "its negative electrode is an insertion electrode, and spelab's full cell has a lithium-metal one"
        } else {
            "it has no negative electrode"
        };
        return Err(unsupported(format!(
            "cannot build spelab's Li-metal cell: {what}; give the Li foil under User-defined ('{KEY_LI_J0}', \
             '{KEY_LI_THICKNESS}', '{KEY_LI_CONDUCTIVITY}')"
        )));
    };
    let pos = p.positive_electrode.as_ref().ok_or_else(|| unsupported("no 'Positive electrode' section"))?;
    let el = p.electrolyte.as_ref().ok_or_else(|| unsupported("no 'Electrolyte' section"))?;
    let sep = p.separator.as_ref().ok_or_else(|| unsupported("no 'Separator' section"))?;
    let ic = doc.state.as_ref().and_then(|s| s.initial_conditions.as_ref());
    let c0 = ic.and_then(|i| i.electrolyte_concentration).ok_or_else(|| {
        unsupported("no 'State' / 'Initial conditions' / 'Initial electrolyte concentration [mol.m-3]'")
    })?;
    let t_ref = p.cell.reference_temperature.unwrap_or(T_REF);
    let ambient =
        doc.state.as_ref().and_then(|s| s.thermal_environment.as_ref()).and_then(|t| t.ambient_temperature);
    let temperature = ic.and_then(|i| i.temperature).or(ambient).unwrap_or(t_ref);
    let arr = move |ea: Option<f64>, t: f64| arrhenius_factor(ea.unwrap_or(0.0), t, t_ref);

    // Electrolyte.
    let kappa = function(&el.conductivity, "Electrolyte Conductivity [S.m-1]")?;
    let diff = function(&el.diffusivity, "Electrolyte Diffusivity [m2.s-1]")?;
    let tp = el.transference_number;
    let (ea_k, ea_d) = (el.conductivity_activation_energy, el.diffusivity_activation_energy);
    let transport: Arc<dyn Transport> = match (&kappa, &diff) {
        (BpxFunction::Constant(k), BpxFunction::Constant(d)) => {
            let t = ArrheniusTransport {
                conductivity_ref: *k,
                diffusivity_ref: *d,
                transference_number: tp,
                conductivity_activation_energy: ea_k.unwrap_or(0.0),
                diffusivity_activation_energy: ea_d.unwrap_or(0.0),
                reference_temperature: t_ref,
            };
            t.validate()?;
            Arc::new(t)
        }
        _ => Arc::new(FnTransport {
            conductivity: Arc::new(move |c, t| kappa.eval(c) * arr(ea_k, t)),
            diffusivity: Arc::new(move |c, t| diff.eval(c) * arr(ea_d, t)),
            transference_number: Arc::new(move |_c, _t| tp),
        }),
    };

    // Cathode.
    let porosity = pos.porosity.ok_or_else(|| unsupported("Positive electrode: no 'Porosity'"))?;
    let efficiency = pos
        .transport_efficiency
        .ok_or_else(|| unsupported("Positive electrode: no 'Transport efficiency'"))?;
    let sigma =
        pos.conductivity.ok_or_else(|| unsupported("Positive electrode: no 'Conductivity [S.m-1]'"))?;
    if pos.ocp_lithiation.is_some() || pos.ocp_delithiation.is_some() {
        return Err(unsupported(
            "Positive electrode: a hysteretic OCP (lithiation / delithiation branches) is not modelled",
        ));
    }
    let ocp_value = pos.ocp.as_ref().ok_or_else(|| unsupported("Positive electrode: no 'OCP [V]'"))?;
    let entropic = match &pos.entropic_change {
        Some(v) => Some(function(v, "Positive electrode Entropic change coefficient [V.K-1]")?),
        None => None,
    };
    let d_t = temperature - t_ref;
    let entropic = entropic.filter(|e| d_t != 0.0 && !matches!(e, BpxFunction::Constant(v) if *v == 0.0));
    let ocp = match (ocp_value, entropic) {
        (BpxValue::Function(t), None) if t.trim() == PRADA_OCP => Ocp::Prada2013Lfp,
        (v, entropic) => {
            let u = function(v, "Positive electrode OCP [V]")?;
            Ocp::Function(Arc::new(move |x| u.eval(x) + entropic.as_ref().map_or(0.0, |e| e.eval(x) * d_t)))
        }
    };
    let ds = match function(&pos.diffusivity, "Positive electrode Diffusivity [m2.s-1]")? {
        BpxFunction::Constant(d) => d * arr(pos.diffusivity_activation_energy, temperature),
        _ => {
            return Err(unsupported(
                "Positive electrode: spelab's particles take a constant 'Diffusivity [m2.s-1]'",
            ))
        }
    };
    let cmax = pos.maximum_concentration;
    // m_ref at T_ref, moved to spelab's reference temperature T_REF.
    let ea_r = pos.reaction_rate_activation_energy.unwrap_or(0.0);
    let m_ref =
        pos.reaction_rate_constant * FARADAY / (cmax * c0.sqrt()) * arrhenius_factor(ea_r, T_REF, t_ref);
    let cathode = Cathode {
        thickness: pos.thickness,
        porosity,
        active_fraction: pos.surface_area_per_volume * pos.particle_radius / 3.0,
        bruggeman_electrolyte: bruggeman("Positive electrode", porosity, efficiency)?,
        bruggeman_electrode: 0.0,
        conductivity: sigma,
        particle_radius: pos.particle_radius,
        particle_diffusivity: ds,
        max_concentration: cmax,
        ocp,
        reaction_rate: m_ref,
        reaction_activation_energy: ea_r,
        molar_mass: user_number(ud, KEY_MOLAR_MASS)?.unwrap_or(LFP_MOLAR_MASS),
        utilisation: user_number(ud, KEY_UTILISATION)?.unwrap_or(1.0),
    };

    // Lithium metal: j0(c_e) must be a power law j0_ref (c_e/c0)^γ (Butler-Volmer's form).
    let j0_value: BpxValue = serde_json::from_value(li_j0.clone())
        .map_err(|e| unsupported(format!("User-defined '{KEY_LI_J0}': {e}")))?;
    let j0 = function(&j0_value, KEY_LI_J0)?;
    let j0_ref = j0.eval(c0);
    if !j0_ref.is_finite() || j0_ref <= 0.0 {
        return Err(unsupported(format!("'{KEY_LI_J0}' is {j0_ref} at c_e0 = {c0}: must be > 0")));
    }
    let gamma = (j0.eval(0.5 * c0) / j0_ref).ln() / 0.5f64.ln();
    for c in [0.1 * c0, 2.0 * c0] {
        let power = j0_ref * (c / c0).powf(gamma);
        let deviation = (j0.eval(c) / power - 1.0).abs();
        if deviation.is_nan() || deviation >= 1e-6 {
            return Err(unsupported(format!(
                "'{KEY_LI_J0}' must be a power law A*x**g of the electrolyte concentration (spelab's Butler-Volmer form)"
            )));
        }
    }
    let kinetics = ButlerVolmer {
        exchange_current_density: j0_ref,
        alpha_anodic: 0.5,
        alpha_cathodic: 0.5,
        concentration_exponent: gamma,
        reference_concentration: c0,
        activation_energy: user_number(ud, KEY_LI_J0_EA)?.unwrap_or(0.0),
        reference_temperature: t_ref,
    };
    let need =
        |key: &str| user_number(ud, key)?.ok_or_else(|| unsupported(format!("User-defined: no '{key}'")));
    let cell = FullCell {
        cathode,
        separator: CellSeparator {
            thickness: sep.thickness,
            porosity: sep.porosity,
            bruggeman: bruggeman("Separator", sep.porosity, sep.transport_efficiency)?,
        },
        electrolyte: CellElectrolyte { transport, initial_concentration: c0, thermodynamic_factor: 1.0 },
        lithium: LithiumMetal {
            kinetics,
            thickness: need(KEY_LI_THICKNESS)?,
            conductivity: need(KEY_LI_CONDUCTIVITY)?,
            film_resistance: user_number(ud, KEY_LI_FILM)?.unwrap_or(0.0),
        },
        temperature,
        area: p.cell.electrode_area * f64::from(p.cell.electrode_pairs.max(1)),
        voltage_min: p.cell.lower_voltage_cut_off,
        voltage_max: p.cell.upper_voltage_cut_off,
        contact_resistance: user_number(ud, KEY_CONTACT)?.unwrap_or(0.0),
    };
    cell.validate()?;
    let soc = ic.and_then(|i| i.state_of_charge).unwrap_or(1.0);
    if !(0.0..=1.0).contains(&soc) {
        return Err(unsupported(format!("'Initial state-of-charge' {soc} is not in [0, 1]")));
    }
    let (lo, hi) = (pos.minimum_stoichiometry, pos.maximum_stoichiometry);
    let x0 = lo + (1.0 - soc) * (hi - lo);
    if x0 <= 0.0 || x0 >= 1.0 || x0.is_nan() {
        return Err(unsupported(format!("initial positive stoichiometry {x0} is not in (0, 1)")));
    }
    Ok((cell, x0))
}

/// Activation energy of `f(T)` from its values at T_REF and T_REF + 10 K [J/mol].
fn activation_energy(f: impl Fn(f64) -> f64) -> f64 {
    let (t1, t2) = (T_REF, T_REF + 10.0);
    let ea = GAS_CONSTANT * (f(t2) / f(t1)).ln() / (1.0 / t1 - 1.0 / t2);
    if ea.abs() < 1e-6 {
        0.0
    } else {
        ea
    }
}

/// A property of c_e at T_REF: a number when constant, else a table over [0, 3 c0] (61 points).
fn property(f: impl Fn(f64) -> f64, constant: bool, c0: f64) -> BpxValue {
    if constant {
        return BpxValue::Number(f(c0));
    }
    let x: Vec<f64> = (0..=60).map(|k| 3.0 * c0 * k as f64 / 60.0).collect();
    let y = x.iter().map(|&c| f(c)).collect();
    BpxValue::Table { x, y }
}

/// The BPX half-cell ("Partial", Li metal under `User-defined`) of `cell` starting at cathode
/// stoichiometry `initial_stoichiometry` (written as the `Minimum stoichiometry` with state of
/// charge 1), reference temperature 298.15 K, titled `title`. Concentration-dependent properties are
/// tabulated over 0-3 c₀; a user OCP function is tabulated over x in [0, 1] (201 points).
pub fn from_full_cell(cell: &FullCell, initial_stoichiometry: f64, title: &str) -> Bpx {
    let c = &cell.cathode;
    let tr = &cell.electrolyte.transport;
    let c0 = cell.electrolyte.initial_concentration;
    let constant = tr.is_concentration_independent();
    let electrolyte = Electrolyte {
        transference_number: tr.transference_number(c0, T_REF),
        diffusivity: property(|x| tr.diffusivity(x, T_REF), constant, c0),
        diffusivity_activation_energy: Some(activation_energy(|t| tr.diffusivity(c0, t))),
        conductivity: property(|x| tr.conductivity(x, T_REF), constant, c0),
        conductivity_activation_energy: Some(activation_energy(|t| tr.conductivity(c0, t))),
    };
    let ocp = match &c.ocp {
        Ocp::Prada2013Lfp => BpxValue::Function(PRADA_OCP.into()),
        Ocp::Function(f) => {
            let x: Vec<f64> = (0..=200).map(|k| k as f64 / 200.0).collect();
            BpxValue::Table { y: x.iter().map(|&v| f(v)).collect(), x }
        }
    };
    let positive = Electrode {
        thickness: c.thickness,
        porosity: Some(c.porosity),
        transport_efficiency: Some(c.porosity.powf(c.bruggeman_electrolyte)),
        conductivity: Some(c.conductivity * (1.0 - c.porosity).powf(c.bruggeman_electrode)),
        minimum_stoichiometry: initial_stoichiometry,
        maximum_stoichiometry: 0.9995f64.max(initial_stoichiometry),
        maximum_concentration: c.max_concentration,
        particle_radius: c.particle_radius,
        surface_area_per_volume: c.specific_area(),
        diffusivity: BpxValue::Number(c.particle_diffusivity),
        diffusivity_activation_energy: None,
        ocp: Some(ocp),
        ocp_delithiation: None,
        ocp_lithiation: None,
        ocp_hysteresis_decay: None,
        entropic_change: Some(BpxValue::Number(0.0)),
        reaction_rate_constant: c.reaction_rate * c.max_concentration * c0.sqrt() / FARADAY,
        reaction_rate_activation_energy: Some(c.reaction_activation_energy),
    };
    let s = &cell.separator;
    let li = &cell.lithium;
    let k = &li.kinetics;
    // j0 at the cell's reference: j0_ref (x/c_ref)^γ with the kinetics' own temperature law moved to
    // T_REF (the file's reference temperature).
    let j0_ref = k.exchange_current_density_at(k.reference_concentration, T_REF);
    let mut ud = BTreeMap::new();
    let mut put = |key: &str, v: Value| {
        ud.insert(key.to_string(), v);
    };
    put(
        "description",
        Value::from(
            "Lithium-metal counter electrode (planar, OCP 0 V, symmetric Butler-Volmer j = 2 j0 sinh(F eta / 2RT)); \
             x = electrolyte concentration at the Li|electrolyte interface [mol.m-3]",
        ),
    );
    put(KEY_LI_THICKNESS, Value::from(li.thickness));
    put(KEY_LI_CONDUCTIVITY, Value::from(li.conductivity));
    put(KEY_LI_VOLUME, Value::from(LI_MOLAR_VOLUME));
    put(
        KEY_LI_J0,
        Value::from(format!("{j0_ref:e}*(x/{:e})**{}", k.reference_concentration, k.concentration_exponent)),
    );
    if k.activation_energy != 0.0 {
        put(KEY_LI_J0_EA, Value::from(k.activation_energy));
    }
    if li.film_resistance != 0.0 {
        put(KEY_LI_FILM, Value::from(li.film_resistance));
    }
    if cell.contact_resistance != 0.0 {
        put(KEY_CONTACT, Value::from(cell.contact_resistance));
    }
    if c.utilisation != 1.0 {
        put(KEY_UTILISATION, Value::from(c.utilisation));
    }
    if c.molar_mass != LFP_MOLAR_MASS {
        put(KEY_MOLAR_MASS, Value::from(c.molar_mass));
    }
    Bpx {
        header: Header {
            bpx: "1.0.0".into(),
            title: Some(title.into()),
            description: Some(
                "Exported by spelab: positive electrode | electrolyte | lithium metal half cell; the Li-metal \
                 counter electrode is not representable in BPX 1.x and is under User-defined"
                    .into(),
            ),
            references: None,
            model: "Partial".into(),
        },
        parameterisation: Parameterisation {
            cell: Cell {
                electrode_area: cell.area,
                // A CR2032 coin cell's can (PyBaMM's reader needs both; an isothermal model ignores them).
                external_surface_area: Some(8.29e-4),
                volume: Some(1.005e-6),
                electrode_pairs: 1,
                lower_voltage_cut_off: cell.voltage_min,
                upper_voltage_cut_off: cell.voltage_max,
                nominal_capacity: cell.one_c_current_density() * cell.area,
                reference_temperature: Some(T_REF),
                density: None,
                specific_heat_capacity: None,
            },
            electrolyte: Some(electrolyte),
            negative_electrode: None,
            positive_electrode: Some(positive),
            separator: Some(Separator {
                thickness: s.thickness,
                porosity: s.porosity,
                transport_efficiency: s.porosity.powf(s.bruggeman),
            }),
            user_defined: Some(ud),
        },
        state: Some(State {
            initial_conditions: Some(InitialConditions {
                state_of_charge: Some(1.0),
                temperature: Some(cell.temperature),
                electrolyte_concentration: Some(c0),
                hysteresis_positive: None,
                hysteresis_negative: None,
            }),
            thermal_environment: Some(ThermalEnvironment {
                ambient_temperature: Some(cell.temperature),
                heat_transfer_coefficient: None,
            }),
            degradation: None,
        }),
        validation: None,
    }
}
