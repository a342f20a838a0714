//! What the virtual-lab modes of the `transference`, `electronic-conductivity` and `exchange-current`
//! steps share: the materials a virtual step simulates (`materials = [...]`, never the measured-data
//! `material`), the preset's cell at 1 M salt with the step's area (and thickness), and optional
//! positive quantity options.

use anyhow::Context;
use spelab_core::units::Quantity;
use spelab_sim::params::MaterialParams;
use spelab_sim::symmetric::SymmetricCell;
use toml::Spanned;

use crate::spec::{Material, StepSpec, StudyError};

/// Salt concentration of the virtual cells [mol/m³] (1 M, as ccd-predict and symmetric-cycling).
pub const SALT_CONCENTRATION: f64 = spelab_core::constants::DEFAULT_SALT_CONCENTRATION;

/// The materials a virtual-lab step simulates: `materials = [...]` (default: all of the study); a
/// `material` (the measured-data key) is an error at its line.
pub fn materials(
    spec: &StepSpec<'_>,
    material: &Option<Spanned<String>>,
    materials: &Option<Vec<Spanned<String>>>,
) -> Result<Vec<Material>, StudyError> {
    if let Some(m) = material {
        return Err(spec
            .error(Some(m.span()), "`material` is for measured data; use `materials = [...]` to simulate"));
    }
    spec.materials_or_all(materials)
}

/// The preset's parameters and its Li|SPE|Li cell (1 M salt) with electrode `area` [m²] and, when
/// given, membrane `thickness` [m] (else the preset's); errors name the material.
pub fn cell(
    material: &Material,
    area: f64,
    thickness: Option<f64>,
) -> anyhow::Result<(MaterialParams, SymmetricCell)> {
    let p = material.preset.material_params().with_context(|| format!("material '{}'", material.id))?;
    let mut cell = SymmetricCell::from_material(&p, SALT_CONCENTRATION)
        .with_context(|| format!("material '{}'", material.id))?;
    cell.area = area;
    if let Some(l) = thickness {
        cell.thickness = l;
    }
    Ok((p, cell))
}

/// An optional quantity option that, when given, must be finite and > 0 (`{key} must be > 0` at its
/// line otherwise).
pub fn positive_option(
    spec: &StepSpec<'_>,
    value: &Option<Spanned<String>>,
    quantity: Quantity,
    key: &str,
) -> Result<Option<f64>, StudyError> {
    let x = value.as_ref().map(|v| spec.quantity(v, quantity, key)).transpose()?;
    if let Some(x) = x {
        if !(x.is_finite() && x > 0.0) {
            return Err(spec.error(value.as_ref().map(Spanned::span), format!("{key} must be > 0")));
        }
    }
    Ok(x)
}
