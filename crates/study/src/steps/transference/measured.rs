//! The `transference` step's measured path: the chronoamperogram from a table or instrument file and
//! the resistances from spectra before/after polarization or from the options.

use std::path::{Path, PathBuf};

use anyhow::Context;
use spelab_core::units::Quantity;

use super::{columns, Dataset, Material, TransferenceStep};
use crate::inputs::read_spectrum;

impl TransferenceStep {
    /// The measured dataset of `material` from `path` (columns `time`, `current`) and optional spectra.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn measured(
        &self,
        material: &Material,
        path: &Path,
        label: &String,
        time: &str,
        current: &str,
        eis: &Option<[(String, PathBuf); 2]>,
    ) -> anyhow::Result<Vec<Dataset>> {
        let wanted = [(time, Quantity::Time), (current, Quantity::Current)];
        let mut rec = columns::read_record(
            path,
            label,
            &wanted,
            "transference",
            &[spelab_core::Technique::Ca, spelab_core::Technique::DcPolarization],
            None,
        )?;
        let current = rec.columns.pop().unwrap_or_default();
        let time = rec.columns.pop().unwrap_or_default();
        let eis = match eis {
            Some([(lb, pb), (la, pa)]) => {
                let read = |l: &str, p: &std::path::Path| {
                    read_spectrum(p)
                        .with_context(|| format!("{l}: not an impedance spectrum spelab can read"))
                };
                Some(self.fit_spectra([lb.clone(), la.clone()], [read(lb, pb)?, read(la, pa)?])?)
            }
            None => None,
        };
        Ok(vec![Dataset {
            material: material.clone(),
            source: match &eis {
                Some(e) => format!("{label} (EIS {}, {})", e.labels[0], e.labels[1]),
                None => label.clone(),
            },
            time,
            current,
            resistances: eis.as_ref().map(|e| e.fitted.resistances).or(self.given_resistances()),
            eis,
            input: None,
            temperature: None,
            bias: None,
        }])
    }
}
