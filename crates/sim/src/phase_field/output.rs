//! Outputs that need no path: PNG heat maps and animated PNG (APNG) of a field, VTK ImageData
//! (`.vti`, ParaView) of the whole state, CSV of metric time series. Each writes to any
//! `std::io::Write`; the caller (study, CLI) owns the files.
//!
//! Images put the surface (y) horizontally and the growth direction (x) upward, the anode at the
//! bottom; colours follow an 8-anchor approximation of viridis.

use std::io::Write;

use super::kernels::interpolation;
use super::metrics::Morphology;
use super::sei::cell_conductivity;
use super::{PhaseField, PhaseFieldError, State, Transport};

/// A field to draw or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Phase ξ [1].
    Phase,
    /// Concentration c = c₀c̃ [mol/m³].
    Concentration,
    /// Electrolyte potential φ [V].
    Potential,
    /// Magnitude of the ionic current density |σ(∇φ − k_d∇ln c̃)| [A/m²].
    CurrentDensity,
}

impl FieldKind {
    /// All kinds, in output order.
    pub const ALL: [FieldKind; 4] =
        [FieldKind::Phase, FieldKind::Concentration, FieldKind::Potential, FieldKind::CurrentDensity];

    /// File-name stem ("phase", "concentration", "potential", "current_density").
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Phase => "phase",
            FieldKind::Concentration => "concentration",
            FieldKind::Potential => "potential",
            FieldKind::CurrentDensity => "current_density",
        }
    }
}

/// The values of `kind` on every cell, row by row (x fastest), SI.
pub fn field(model: &PhaseField, state: &State, kind: FieldKind) -> Vec<f64> {
    let p = model.parameters();
    match kind {
        FieldKind::Phase => state.phase.clone(),
        FieldKind::Concentration => state.concentration.iter().map(|c| c * p.bulk_concentration).collect(),
        FieldKind::Potential => state.potential.clone(),
        FieldKind::CurrentDensity => {
            let g = &model.setup().grid;
            let (nx, ny, dx) = (g.nx, g.ny, g.spacing);
            let kd = match p.transport {
                Transport::Electroneutral => 2.0 * (1.0 - p.transference_number) / p.f(),
                Transport::Chen2015 => 0.0,
            };
            let u: Vec<f64> = state
                .potential
                .iter()
                .zip(&state.concentration)
                .map(|(f, c)| f - kd * c.max(1e-8).ln())
                .collect();
            let mut out = vec![0.0; nx * ny];
            for j in 0..ny {
                let (jb, ja) = g.neighbour_rows(j);
                for i in 0..nx {
                    let k = j * nx + i;
                    let (e, w) = (u[j * nx + (i + 1).min(nx - 1)], u[j * nx + i.saturating_sub(1)]);
                    let span = ((i + 1).min(nx - 1) - i.saturating_sub(1)) as f64 * dx;
                    let gx = (e - w) / span;
                    let gy = (u[ja * nx + i] - u[jb * nx + i]) / (2.0 * dx);
                    out[k] = cell_conductivity(p, state.phase[k]) * (gx * gx + gy * gy).sqrt();
                }
            }
            out
        }
    }
}

/// (min, max) of finite values, widened to a non-empty range.
pub fn value_range(values: &[f64]) -> (f64, f64) {
    let (lo, hi) =
        values.iter().filter(|v| v.is_finite()).fold((f64::MAX, f64::MIN), |a, &v| (a.0.min(v), a.1.max(v)));
    if lo > hi {
        (0.0, 1.0)
    } else if hi - lo < 1e-300 + 1e-12 * hi.abs() {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

const VIRIDIS: [[f64; 3]; 8] = [
    [68.0, 1.0, 84.0],
    [70.0, 50.0, 127.0],
    [54.0, 92.0, 141.0],
    [39.0, 127.0, 142.0],
    [31.0, 161.0, 135.0],
    [74.0, 194.0, 109.0],
    [159.0, 218.0, 58.0],
    [253.0, 231.0, 37.0],
];

/// Viridis colour of t ∈ [0, 1].
fn colour(t: f64) -> [u8; 3] {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * 7.0;
    let k = (t.floor() as usize).min(6);
    let f = t - k as f64;
    let (a, b) = (VIRIDIS[k], VIRIDIS[k + 1]);
    [0, 1, 2].map(|c| (a[c] + f * (b[c] - a[c])).round() as u8)
}

/// RGB pixels of a heat map: `values` on nx × ny cells, each cell `scale` pixels.
fn pixels(values: &[f64], nx: usize, ny: usize, range: (f64, f64), scale: usize) -> Vec<u8> {
    let (w, h) = (ny * scale, nx * scale);
    let mut px = vec![0u8; w * h * 3];
    for row in 0..h {
        let i = nx - 1 - row / scale;
        for col in 0..w {
            let j = col / scale;
            let c = colour((values[j * nx + i] - range.0) / (range.1 - range.0));
            px[(row * w + col) * 3..(row * w + col) * 3 + 3].copy_from_slice(&c);
        }
    }
    px
}

fn png_err(e: impl std::fmt::Display) -> PhaseFieldError {
    PhaseFieldError::Output(e.to_string())
}

fn check_size(values: &[f64], nx: usize, ny: usize, scale: usize) -> Result<(), PhaseFieldError> {
    if values.len() != nx * ny || nx == 0 || ny == 0 || scale == 0 || scale > 64 {
        return Err(PhaseFieldError::Output(format!(
            "heat map of {} values does not fit {nx} x {ny} cells at scale {scale} (1..=64)",
            values.len()
        )));
    }
    Ok(())
}

/// Writes a PNG heat map of `values` (nx × ny cells) over `range` (`None`: min to max).
pub fn heat_map_png(
    values: &[f64],
    nx: usize,
    ny: usize,
    range: Option<(f64, f64)>,
    scale: usize,
    out: impl Write,
) -> Result<(), PhaseFieldError> {
    check_size(values, nx, ny, scale)?;
    let range = range.unwrap_or_else(|| value_range(values));
    let mut enc = png::Encoder::new(out, (ny * scale) as u32, (nx * scale) as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(png_err)?;
    w.write_image_data(&pixels(values, nx, ny, range, scale)).map_err(png_err)?;
    w.finish().map_err(png_err)
}

/// Writes an animated PNG (APNG, looping) of `frames` on one colour range, `delay_ms` per frame.
pub fn animation_png(
    frames: &[Vec<f64>],
    nx: usize,
    ny: usize,
    range: Option<(f64, f64)>,
    scale: usize,
    delay_ms: u16,
    out: impl Write,
) -> Result<(), PhaseFieldError> {
    if frames.is_empty() {
        return Err(PhaseFieldError::Output("an animation needs at least one frame".into()));
    }
    for f in frames {
        check_size(f, nx, ny, scale)?;
    }
    let range = range.unwrap_or_else(|| value_range(&frames.concat()));
    let mut enc = png::Encoder::new(out, (ny * scale) as u32, (nx * scale) as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_animated(frames.len() as u32, 0).map_err(png_err)?;
    enc.set_frame_delay(delay_ms, 1000).map_err(png_err)?;
    let mut w = enc.write_header().map_err(png_err)?;
    for f in frames {
        w.write_image_data(&pixels(f, nx, ny, range, scale)).map_err(png_err)?;
    }
    w.finish().map_err(png_err)
}

/// Writes the state as VTK XML ImageData (ASCII) with point data at the cell centres: phase,
/// concentration [mol/m³], potential [V], current_density [A/m²], deposition_rate [1/s],
/// metal_fraction h(ξ).
pub fn write_vti(model: &PhaseField, state: &State, mut out: impl Write) -> Result<(), PhaseFieldError> {
    let g = &model.setup().grid;
    let dx = g.spacing;
    let io = |e: std::io::Error| PhaseFieldError::Output(e.to_string());
    writeln!(out, "<?xml version=\"1.0\"?>").map_err(io)?;
    writeln!(out, "<VTKFile type=\"ImageData\" version=\"0.1\" byte_order=\"LittleEndian\">").map_err(io)?;
    writeln!(
        out,
        "<ImageData WholeExtent=\"0 {} 0 {} 0 0\" Origin=\"{} {} 0\" Spacing=\"{dx:e} {dx:e} {dx:e}\">",
        g.nx - 1,
        g.ny - 1,
        0.5 * dx,
        0.5 * dx
    )
    .map_err(io)?;
    writeln!(out, "<Piece Extent=\"0 {} 0 {} 0 0\">", g.nx - 1, g.ny - 1).map_err(io)?;
    writeln!(out, "<PointData Scalars=\"phase\">").map_err(io)?;
    let mut arrays: Vec<(&str, Vec<f64>)> =
        FieldKind::ALL.iter().map(|&k| (k.name(), field(model, state, k))).collect();
    arrays.push(("deposition_rate", state.rate.clone()));
    arrays.push(("metal_fraction", state.phase.iter().map(|&x| interpolation(x)).collect()));
    for (name, values) in arrays {
        writeln!(out, "<DataArray type=\"Float64\" Name=\"{name}\" format=\"ascii\">").map_err(io)?;
        for row in values.chunks(g.nx) {
            let line: Vec<String> = row.iter().map(|v| format!("{v:e}")).collect();
            writeln!(out, "{}", line.join(" ")).map_err(io)?;
        }
        writeln!(out, "</DataArray>").map_err(io)?;
    }
    writeln!(out, "</PointData>\n</Piece>\n</ImageData>\n</VTKFile>").map_err(io)?;
    Ok(())
}

/// Writes morphology samples as CSV, SI units in the header.
pub fn write_series_csv(samples: &[Morphology], mut out: impl Write) -> Result<(), PhaseFieldError> {
    let io = |e: std::io::Error| PhaseFieldError::Output(e.to_string());
    writeln!(
        out,
        "time_s,deposited_charge_C_m2,max_height_m,mean_height_m,height_ratio,roughness_m,mean_roughness_m,\
         arc_length_ratio,area_ratio,tip_concentration,tip_concentration_gradient_mol_m4,focusing_factor,\
         uniformity,branch_count,fractal_dimension"
    )
    .map_err(io)?;
    for m in samples {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            m.time,
            m.deposited_charge,
            m.max_height,
            m.mean_height,
            m.height_ratio,
            m.roughness,
            m.mean_roughness,
            m.arc_length_ratio,
            m.area_ratio,
            m.tip_concentration,
            m.tip_concentration_gradient,
            m.focusing_factor,
            m.uniformity,
            m.branch_count,
            m.fractal_dimension
        )
        .map_err(io)?;
    }
    Ok(())
}
