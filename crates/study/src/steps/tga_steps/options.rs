//! Parsing of the `tga-steps` step's options (file:line errors).

use serde::Deserialize;
use spelab_analysis::thermal::{DtgMethod, TgaOptions};
use spelab_core::units::Quantity;
use toml::Spanned;

use super::Tga;
use crate::spec::{StepSpec, StudyError};
use crate::steps::source::DataSource;
use crate::steps::spectral::{parse_source, KEYS};
use crate::steps::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    files: Option<Vec<Spanned<String>>>,
    block: Option<Spanned<String>>,
    seed: Option<u64>,
    boundaries: Option<Vec<Spanned<String>>>,
    solvent_step: Option<usize>,
    min_peak_share: Option<Spanned<f64>>,
    dtg_window: Option<usize>,
}

pub(super) fn parse(spec: &mut StepSpec<'_>) -> Result<Box<dyn Step>, StudyError> {
    let (src, o): (DataSource, Options) = DataSource::split(spec, KEYS)?;
    let d = TgaOptions::default();
    let boundaries = match &o.boundaries {
        Some(b) => {
            let t = b
                .iter()
                .map(|v| spec.quantity(v, Quantity::Temperature, "boundaries"))
                .collect::<Result<Vec<_>, _>>()?;
            if t.len() < 2 || t.windows(2).any(|w| w[0] >= w[1]) {
                return Err(spec.error(None, "`boundaries` needs at least two increasing temperatures"));
            }
            Some(t)
        }
        None => None,
    };
    let solvent_step = match o.solvent_step {
        Some(0) => return Err(spec.error(None, "`solvent_step` counts from 1")),
        Some(n) => Some(n - 1),
        None => d.solvent_step,
    };
    let dtg = match o.dtg_window {
        Some(w) if w >= 5 && w % 2 == 1 => DtgMethod::SavitzkyGolay { window: w },
        Some(_) => return Err(spec.error(None, "`dtg_window` must be an odd number of points, at least 5")),
        None => d.dtg,
    };
    let share = spec.number(&o.min_peak_share, "min_peak_share", "in (0, 1)", |x| x > 0.0 && x < 1.0)?;
    let min_peak_share = share.unwrap_or(d.min_peak_share);
    let options = TgaOptions { boundaries, solvent_step, dtg, min_peak_share, ..d };
    let source = parse_source(spec, &src, &o.files, &o.block, o.seed)?;
    Ok(Box::new(Tga { source, options }))
}
