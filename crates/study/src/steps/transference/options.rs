//! The `transference` step's options (measured files or the virtual lab), with file:line errors.

use super::*;
use crate::steps::source::DataSource;

/// The data-source keys the step accepts.
const KEYS: &[&str] = &["file", "material", "materials", "time_column", "current_column"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    voltage: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
    noise: Option<Spanned<String>>,
    seed: Option<u64>,
    bulk_resistance: Option<Spanned<String>>,
    interface_resistance: Option<Spanned<String>>,
    interface_resistance_steady: Option<Spanned<String>>,
    resistance_uncertainty: Option<Spanned<String>>,
    steady_window: Option<Spanned<String>>,
    max_drift: Option<Spanned<String>>,
    eis_before: Option<Spanned<String>>,
    eis_after: Option<Spanned<String>>,
    circuit: Option<Spanned<String>>,
    bulk_element: Option<Vec<String>>,
    interface_element: Option<Vec<String>>,
    kinetics: Option<Spanned<String>>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let q = |spec: &StepSpec<'_>,
             v: &Option<Spanned<String>>,
             quantity,
             key|
     -> Result<Option<f64>, StudyError> {
        v.as_ref().map(|v| spec.quantity(v, quantity, key)).transpose()
    };
    let voltage = q(spec, &o.voltage, Quantity::Voltage, "voltage")?.unwrap_or(0.010);
    if !(voltage > 0.0 && voltage < 0.1) {
        return Err(spec.error(
            o.voltage.as_ref().map(Spanned::span),
            "voltage must be between 0 and 100 mV (ΔV ≪ RT/F for the method to hold; 10 mV is usual)",
        ));
    }
    let fraction =
        |spec: &StepSpec<'_>, v: &Option<Spanned<String>>, key, default: f64| -> Result<f64, StudyError> {
            let x = q(spec, v, Quantity::Fraction, key)?.unwrap_or(default);
            if !(0.0..=0.5).contains(&x) {
                return Err(
                    spec.error(v.as_ref().map(Spanned::span), format!("{key} must be between 0 and 50 %"))
                );
            }
            Ok(x)
        };
    let options = SteadyStateOptions {
        window_fraction: fraction(spec, &o.steady_window, "steady_window", 0.1)?,
        max_relative_change: fraction(spec, &o.max_drift, "max_drift", 0.01)?,
    };
    let resistance_uncertainty = fraction(spec, &o.resistance_uncertainty, "resistance_uncertainty", 0.0)?;
    let rb = q(spec, &o.bulk_resistance, Quantity::Resistance, "bulk_resistance")?;
    let r0 = q(spec, &o.interface_resistance, Quantity::Resistance, "interface_resistance")?;
    let rss = q(spec, &o.interface_resistance_steady, Quantity::Resistance, "interface_resistance_steady")?;
    let resistances = match (rb, r0, rss) {
        (Some(a), Some(b), Some(c)) => Some((a, b, c)),
        (None, None, None) => None,
        _ => {
            return Err(spec.error(
                o.bulk_resistance.as_ref().or(o.interface_resistance.as_ref()).map(Spanned::span),
                "give all three of bulk_resistance, interface_resistance and interface_resistance_steady, or none",
            ))
        }
    };
    let circuit = {
        let c = o.circuit.as_ref().map(|c| c.get_ref().as_str()).unwrap_or("R0-p(R1,CPE1)");
        let names = |v: &Option<Vec<String>>, default: &'static str| -> Vec<String> {
            v.clone().unwrap_or_else(|| vec![default.to_string()])
        };
        let (bulk, interface) = (names(&o.bulk_element, "R0"), names(&o.interface_element, "R1"));
        let b: Vec<&str> = bulk.iter().map(String::as_str).collect();
        let i: Vec<&str> = interface.iter().map(String::as_str).collect();
        InterfaceCircuit::new(c, &b, &i)
            .map_err(|e| spec.error(o.circuit.as_ref().map(Spanned::span), format!("circuit: {e}")))?
    };
    let kinetic = match o.kinetics.as_ref().map(|k| k.get_ref().as_str()) {
        None | Some("linear") => false,
        Some("butler-volmer") => true,
        Some(other) => {
            return Err(spec.error(
                o.kinetics.as_ref().map(Spanned::span),
                format!("kinetics must be \"linear\" or \"butler-volmer\", not \"{other}\""),
            ))
        }
    };
    let eis_given = o.eis_before.is_some() || o.eis_after.is_some();
    if !eis_given && src.file.is_some() {
        let fit_key = o
            .circuit
            .as_ref()
            .map(|_| "circuit")
            .or(o.bulk_element.as_ref().map(|_| "bulk_element"))
            .or(o.interface_element.as_ref().map(|_| "interface_element"));
        if let Some(key) = fit_key {
            return Err(spec.error(
                o.circuit.as_ref().map(Spanned::span),
                format!("`{key}` is for fitting the spectra `eis_before` / `eis_after`, which this step does not give"),
            ));
        }
    }
    let source = if let Some(file) = &src.file {
        for (present, key) in
            [(src.materials.is_some(), "materials"), (o.noise.is_some(), "noise"), (o.area.is_some(), "area")]
        {
            if present {
                return Err(spec.error(
                    Some(file.span()),
                    format!("`{key}` is for simulated data; a step with `file` reads measured data"),
                ));
            }
        }
        let material = match &src.material {
            Some(m) => spec.material(m)?,
            None => {
                return Err(
                    spec.error(Some(file.span()), "a measured chronoamperogram needs `material = \"...\"`")
                )
            }
        };
        let path = spec.file(file, "file")?;
        let eis = match (&o.eis_before, &o.eis_after) {
            (None, None) => None,
            (Some(before), Some(after)) => {
                if resistances.is_some() || o.resistance_uncertainty.is_some() {
                    return Err(spec.error(
                        Some(before.span()),
                        "give the resistances either as values (bulk_resistance, ...) or from spectra (eis_before, eis_after), not both; \
                         the spectra's fits carry their own uncertainties",
                    ));
                }
                Some([
                    (before.get_ref().clone(), spec.file(before, "eis_before")?),
                    (after.get_ref().clone(), spec.file(after, "eis_after")?),
                ])
            }
            (Some(one), None) | (None, Some(one)) => {
                return Err(spec.error(
                    Some(one.span()),
                    "Bruce–Vincent needs both spectra: `eis_before` (R_b,0, R_i,0) and `eis_after` (R_i,ss)",
                ))
            }
        };
        Source::Measured {
            material: Box::new(material),
            path,
            label: file.get_ref().clone(),
            time: src.time_column.clone().unwrap_or_else(|| "time".into()),
            current: src.current_column.clone().unwrap_or_else(|| "current".into()),
            eis,
        }
    } else {
        if eis_given {
            return Err(spec.error(
                o.eis_before.as_ref().or(o.eis_after.as_ref()).map(Spanned::span),
                "`eis_before` / `eis_after` are for measured data (with `file`); the virtual lab records its own spectra",
            ));
        }
        if resistances.is_some() {
            return Err(spec.error(
                o.bulk_resistance.as_ref().map(Spanned::span),
                "resistances are for measured data; the virtual lab derives them from the material",
            ));
        }
        let materials = src.virtual_materials(spec)?;
        let area = q(spec, &o.area, Quantity::Area, "area")?.unwrap_or(1e-4);
        if area <= 0.0 {
            return Err(spec.error(o.area.as_ref().map(Spanned::span), "area must be > 0"));
        }
        let noise = fraction(spec, &o.noise, "noise", 0.0)?;
        Source::Virtual { materials, area, noise, seed: o.seed.unwrap_or(1) }
    };
    Ok(Box::new(TransferenceStep {
        source,
        voltage,
        resistances,
        resistance_uncertainty,
        options,
        circuit,
        kinetic,
    }))
}
