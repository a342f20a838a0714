//! A measured sweep: potential and current columns of a table (units in the headers).

use std::path::Path;

use spelab_core::units::Quantity;
use spelab_core::Technique;

use super::Lsv;
use crate::steps::columns;

impl Lsv {
    /// Reads the sweep from `path` (`label` as written in the study): E [V] and j = I/area [A/m²].
    pub(super) fn read(
        &self,
        path: &Path,
        label: &str,
        names: &[String; 2],
    ) -> anyhow::Result<(Vec<f64>, Vec<f64>)> {
        let wanted = [(names[0].as_str(), Quantity::Voltage), (names[1].as_str(), Quantity::Current)];
        let accepted = [Technique::Lsv, Technique::Cv];
        let rec = columns::read_record(path, label, &wanted, "lsv-onset", &accepted, None)?;
        let e = rec.columns[0].clone();
        let j: Vec<f64> = rec.columns[1].iter().map(|i| i / self.area).collect();
        Ok((e, j))
    }
}
