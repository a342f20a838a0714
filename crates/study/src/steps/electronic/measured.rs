//! A measured DC polarization: time and current columns of a table (units in the headers).

use std::path::Path;

use spelab_core::units::Quantity;
use spelab_core::Technique;

use super::{Dataset, Electronic};
use crate::spec::Material;
use crate::steps::columns;

impl Electronic {
    /// Reads the measured record of `material` from `path` (`label` as written in the study).
    pub(super) fn measured(
        &self,
        material: &Material,
        path: &Path,
        label: &str,
        time: &str,
        current: &str,
    ) -> anyhow::Result<Dataset> {
        let wanted = [(time, Quantity::Time), (current, Quantity::Current)];
        let mut rec = columns::read_record(
            path,
            label,
            &wanted,
            "electronic-conductivity",
            &[Technique::Ca, Technique::DcPolarization],
            None,
        )?;
        let current = rec.columns.pop().unwrap_or_default();
        let time = rec.columns.pop().unwrap_or_default();
        Ok(Dataset {
            material: material.clone(),
            source: label.to_string(),
            time,
            current,
            thickness: self.thickness.unwrap_or(f64::NAN),
            ionic: self.ionic,
            input: None,
        })
    }
}
