//! The `full-cell` step's options: measured data (`file`, `material`, `active_mass`, replicates) or the
//! virtual lab (`materials`, `c_rates`, `cycles`, `model`, `rest`, `area`); keys of the other mode are
//! errors at their line.

use serde::Deserialize;
use spelab_analysis::fullcell::FullCellOptions;
use spelab_core::units::Quantity;
use spelab_sim::fullcell::{
    CyclingProtocol, ModelKind, Recording, DEFAULT_MODEL, MATERIAL_SALT_CONCENTRATION,
};
use toml::Spanned;

use super::virtual_lab::FullCellSetup;
use super::{FullCell, VirtualFullCell, DEFAULT_CYCLES, DEFAULT_C_RATES};
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::{self, DataSource};
use crate::steps::{columns, Step};

/// The kind's own options (the data-source keys are in [`DataSource`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Options {
    active_mass: Option<Spanned<String>>,
    nominal_capacity: Option<Spanned<String>>,
    reference_cycle: Option<Spanned<usize>>,
    dqdv_step: Option<Spanned<String>>,
    #[serde(default)]
    replicates: Vec<ReplicateOptions>,
    // Virtual lab.
    c_rates: Option<Spanned<Vec<f64>>>,
    cycles: Option<Spanned<u32>>,
    model: Option<Spanned<String>>,
    rest: Option<Spanned<String>>,
    area: Option<Spanned<String>>,
}

/// A replicate cell: its file and, when it differs, its active mass.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplicateOptions {
    file: Spanned<String>,
    active_mass: Option<Spanned<String>>,
}

/// Parses the step: measured data with `file`, the virtual lab without.
pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, source::ALL)?;
    match &src.file {
        Some(file) => parse_measured(spec, file, &src, &o),
        None => parse_virtual(spec, &src, &o),
    }
}

/// Parses the measured-data options; virtual-lab keys are errors at their line.
fn parse_measured(
    spec: &mut StepSpec<'_>,
    file: &Spanned<String>,
    src: &DataSource,
    o: &Options,
) -> Result<Box<dyn Step>, StudyError> {
    let virtual_only = [
        ("materials", src.materials.as_ref().and_then(|m| m.first()).map(Spanned::span)),
        ("c_rates", o.c_rates.as_ref().map(Spanned::span)),
        ("cycles", o.cycles.as_ref().map(Spanned::span)),
        ("model", o.model.as_ref().map(Spanned::span)),
        ("rest", o.rest.as_ref().map(Spanned::span)),
        ("area", o.area.as_ref().map(Spanned::span)),
    ];
    if let Some((key, span)) = virtual_only.into_iter().find(|(_, s)| s.is_some()) {
        return Err(spec.error(
            span,
            format!("`{key}` is for the virtual lab (no `file`); measured data need `material`"),
        ));
    }
    let (Some(material), Some(active_mass)) = (&src.material, &o.active_mass) else {
        return Err(spec.error(
            Some(file.span()),
            "measured data need `material` and `active_mass` (without `file` the step simulates `materials`)",
        ));
    };
    let material = spec.material(material)?;
    let input = columns::CycleInput::parse(spec, file, src)?;
    let mass = spec.required_positive(active_mass, Quantity::Mass, "active_mass")?;
    let mut options = FullCellOptions::new(mass);
    if let Some(n) = &o.nominal_capacity {
        options.nominal_specific_capacity =
            Some(spec.quantity(n, Quantity::SpecificCapacity, "nominal_capacity")?);
    }
    if let Some(r) = &o.reference_cycle {
        if *r.get_ref() == 0 {
            return Err(spec.error(Some(r.span()), "reference_cycle counts from 1"));
        }
        options.reference_cycle = r.get_ref() - 1;
    }
    let dqdv_step = spec.positive_quantity(&o.dqdv_step, Quantity::Voltage, "dqdv_step", 0.005)?;
    let mut replicates = Vec::new();
    for r in &o.replicates {
        let path = spec.file(&r.file, "replicates.file")?;
        let m = spec.positive_quantity(&r.active_mass, Quantity::Mass, "replicates.active_mass", mass)?;
        replicates.push((path, r.file.get_ref().clone(), m));
    }
    Ok(Box::new(FullCell { replicates, material, input, options, dqdv_step }))
}

/// Parses the virtual-lab options (module docs); measured-data keys are errors at their line.
fn parse_virtual(
    spec: &mut StepSpec<'_>,
    src: &DataSource,
    o: &Options,
) -> Result<Box<dyn Step>, StudyError> {
    let materials = src.virtual_materials(spec)?;
    let measured_only = [
        ("active_mass", o.active_mass.as_ref().map(Spanned::span), o.active_mass.is_some()),
        ("nominal_capacity", o.nominal_capacity.as_ref().map(Spanned::span), o.nominal_capacity.is_some()),
        ("columns", src.columns.as_ref().map(Spanned::span), src.columns.is_some()),
        ("units", src.units.as_ref().map(Spanned::span), src.units.is_some()),
        ("time_column", None, src.time_column.is_some()),
        ("current_column", None, src.current_column.is_some()),
        ("voltage_column", None, src.voltage_column.is_some()),
        ("replicates", None, !o.replicates.is_empty()),
    ];
    if let Some((key, span, _)) = measured_only.into_iter().find(|m| m.2) {
        return Err(
            spec.error(span, format!("`{key}` is for measured data (`file`); the virtual lab simulates"))
        );
    }
    let c_rates = match &o.c_rates {
        Some(c) => {
            if c.get_ref().is_empty() || c.get_ref().iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(spec.error(Some(c.span()), "c_rates must be a non-empty list of C-rates > 0"));
            }
            c.get_ref().clone()
        }
        None => DEFAULT_C_RATES.to_vec(),
    };
    let cycles = match &o.cycles {
        Some(c) if *c.get_ref() == 0 => return Err(spec.error(Some(c.span()), "cycles must be at least 1")),
        Some(c) => *c.get_ref(),
        None => DEFAULT_CYCLES,
    };
    let model = match &o.model {
        Some(m) => ModelKind::from_name(m.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = ModelKind::ALL.iter().map(|k| k.name()).collect();
            spec.error(
                Some(m.span()),
                format!("unknown model '{}': expected one of {}", m.get_ref(), names.join(", ")),
            )
        })?,
        None => DEFAULT_MODEL,
    };
    let rest = match &o.rest {
        Some(r) => {
            let x = spec.quantity(r, Quantity::Time, "rest")?;
            if !(x.is_finite() && x >= 0.0) {
                return Err(spec.error(Some(r.span()), "rest must be >= 0"));
            }
            x
        }
        None => 0.0,
    };
    let area = spec.positive_quantity(&o.area, Quantity::Area, "area", 1e-4)?;
    let reference_cycle = match &o.reference_cycle {
        Some(r) if *r.get_ref() == 0 => {
            return Err(spec.error(Some(r.span()), "reference_cycle counts from 1"));
        }
        Some(r) => r.get_ref() - 1,
        None => 0,
    };
    let dqdv_step = spec.positive_quantity(&o.dqdv_step, Quantity::Voltage, "dqdv_step", 0.005)?;
    let mut protocol = CyclingProtocol::rate_capability(&c_rates, cycles);
    protocol.rest_s = rest;
    let setup = FullCellSetup {
        model,
        protocol,
        area,
        salt: MATERIAL_SALT_CONCENTRATION,
        thickness: None,
        temperature: None,
        recording: Recording::default(),
        reference_cycle,
    };
    Ok(Box::new(VirtualFullCell { materials, setup, dqdv_step }))
}
