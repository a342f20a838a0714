//! `spelab simulate full-cell`: the flags mapped onto `spelab_study::simulate::full_cell`, which
//! builds the cell (a preset or a BPX file), runs the virtual cycler and formats the results.

use spelab_study::simulate::full_cell::{columns, run_with_progress, Request};

use super::super::{print, print_json, Output};
use crate::args::{ExportFormat, SimulateFullCellArgs};

/// `spelab simulate full-cell`.
pub(crate) fn full_cell(a: &SimulateFullCellArgs, output: Output) -> anyhow::Result<u8> {
    let request = Request {
        material: a.material.clone(),
        params: a.params.clone(),
        protocol: a.protocol.clone(),
        c_rates: a.c_rates.clone(),
        cycles: a.cycles,
        model: a.model.clone(),
        rest: a.rest.clone(),
        temperature: a.temperature.clone(),
        thickness: a.thickness.clone(),
        salt: a.salt.clone(),
        area: a.area.clone(),
        voltage_step: a.voltage_step.clone(),
        ..Request::default()
    };
    let bar = crate::progress::fraction_bar(!output.quiet && !output.json, "simulating");
    let run = run_with_progress(&request, &mut |f| bar.set_position((1000.0 * f) as u64));
    bar.finish_and_clear();
    let run = run?;
    if let Some(format) = a.to {
        let text = match format {
            ExportFormat::Csv => columns(&run.record).to_csv(),
            ExportFormat::Bdf => {
                spelab_io::export::to_bdf_csv(&super::recording(&run.record.time_series()?))?
            }
        };
        let Some(path) = &a.out else { return print(&text).map(|_| 0) };
        spelab_study::output::write_file(path, text.as_bytes(), &[])?;
    }
    if output.json {
        print_json(&run.summary)?;
    } else if !output.quiet {
        print(&run.text(a.out.as_deref()))?;
    }
    Ok(0)
}
