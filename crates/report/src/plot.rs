//! Drawing a [`Figure`] with plotters: SVG for the report, PNG for slides and papers.
//!
//! Both backends draw the same picture: 800×560 px (the PNG at 2× scale, 1600×1120 px, tagged 144 dpi),
//! white background, a closed black frame, faint major grid lines, outward ticks, log axes labelled at
//! decades (`10⁻³`) with minor ticks, lines 2 px wide, filled circles for data points, the Okabe-Ito
//! colour-blind-safe palette, the title at the top and a legend box (when there is more than one
//! series) in the corner with the least data. Text uses the family `"sans-serif"`; the PNG renders it
//! with the embedded DejaVu Sans, so output does not depend on the fonts installed.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::chart::{draw_figure, Look};
use crate::error::ReportError;
use crate::figure::Figure;
use crate::geometry::prepare;
use crate::style::{Px, FONT};

/// Width of a rendered figure [px] (the PNG is [`PNG_SCALE`] times larger).
pub const WIDTH: u32 = 800;
/// Height of a rendered figure [px] (the PNG is [`PNG_SCALE`] times larger).
pub const HEIGHT: u32 = 560;
/// Extra height of a figure with [`Figure::panels`], for the row of panels [px].
pub const PANEL_HEIGHT: u32 = 300;
/// Pixel scale of the PNG relative to the SVG, for crisp text and lines.
pub const PNG_SCALE: u32 = 2;
/// The Okabe-Ito palette (colour-blind safe), in the order series take it, with its yellow
/// (#F0E442, nearly invisible as a line or a legend swatch on white) replaced by Paul Tol's wine.
pub const PALETTE: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#000000"];
/// Registers DejaVu Sans as "sans-serif" for plotters' text layout (both backends measure text with
/// it), once per process.
fn ensure_fonts() -> Result<(), String> {
    static FONTS: OnceLock<Result<(), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
                .map_err(|_| "the embedded DejaVu Sans font could not be loaded".to_string())
        })
        .clone()
}

/// Renders a figure as a self-contained SVG document (800×560, or taller with panels; no external
/// references).
///
/// Errors: [`ReportError::EmptyFigure`] when no point is drawable, [`ReportError::InvalidRange`] for an
/// unusable fixed range, [`ReportError::Plot`] when plotters fails.
pub fn render_svg(fig: &Figure) -> Result<String, ReportError> {
    check(fig)?;
    let plot_error = |message: String| ReportError::Plot { id: fig.id.clone(), message };
    ensure_fonts().map_err(plot_error)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, image_height(fig))).into_drawing_area();
        draw(&root, fig, Px { scale: 1.0, segment_lines: false }).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.to_string()))?;
    }
    Ok(insert_svg_title(svg, &fig.title))
}

/// Renders a figure as PNG bytes: 1600×1120 px (800×560 at 2× scale; taller with panels), 8-bit RGB,
/// 144 dpi.
///
/// Errors as [`render_svg`], plus [`ReportError::Encode`] when PNG encoding fails.
pub fn render_png(fig: &Figure) -> Result<Vec<u8>, ReportError> {
    check(fig)?;
    let plot_error = |message: String| ReportError::Plot { id: fig.id.clone(), message };
    ensure_fonts().map_err(plot_error)?;
    let (width, height) = (WIDTH * PNG_SCALE, image_height(fig) * PNG_SCALE);
    let (big_width, big_height) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut buffer = vec![255u8; big_width as usize * big_height as usize * 3];
    {
        // The buffer has exactly width × height RGB pixels, so `with_buffer` cannot reject it.
        let root = BitMapBackend::with_buffer(&mut buffer, (big_width, big_height)).into_drawing_area();
        let px = Px { scale: f64::from(PNG_SCALE * SUPERSAMPLE), segment_lines: true };
        draw(&root, fig, px).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.to_string()))?;
    }
    let rgb = downsample(&buffer, big_width as usize, SUPERSAMPLE as usize);
    encode_png(&rgb, width, height)
        .map_err(|e| ReportError::Encode { id: fig.id.clone(), message: e.to_string() })
}

/// Height of the rendered figure [px, before the PNG scale]: [`HEIGHT`], plus [`PANEL_HEIGHT`] when
/// the figure has panels.
pub fn image_height(fig: &Figure) -> u32 {
    HEIGHT + if fig.panels.is_empty() { 0 } else { PANEL_HEIGHT }
}

/// The errors a figure can have, found before drawing: the main plot's, then each panel's.
fn check(fig: &Figure) -> Result<(), ReportError> {
    prepare(fig)?;
    for panel in &fig.panels {
        prepare(panel).map_err(|e| match e {
            ReportError::EmptyFigure { .. } => {
                ReportError::EmptyFigure { id: format!("{} (panel '{}')", fig.id, panel.title) }
            }
            other => other,
        })?;
    }
    Ok(())
}

/// Draws the main plot and, under it, the row of panels.
fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, fig: &Figure, px: Px) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    if fig.panels.is_empty() {
        return draw_figure(root, fig, px, Look::Main);
    }
    let (top, bottom) = root.split_vertically((f64::from(HEIGHT) * px.scale).round() as i32);
    draw_figure(&top, fig, px, Look::Main)?;
    for (cell, panel) in bottom.split_evenly((1, fig.panels.len())).iter().zip(&fig.panels) {
        // A panel repeats the main legend's entries without a legend of its own.
        let repeats =
            |s: &crate::figure::Series| fig.series.iter().any(|m| m.name == s.name && m.rgb == s.rgb);
        if panel.series.iter().any(|s| !s.no_legend && repeats(s)) {
            let mut quiet = panel.clone();
            quiet.series.iter_mut().filter(|s| repeats(s)).for_each(|s| s.no_legend = true);
            draw_figure(cell, &quiet, px, Look::Panel)?;
        } else {
            draw_figure(cell, panel, px, Look::Panel)?;
        }
    }
    Ok(())
}

/// Plotters' bitmap backend does not anti-alias lines and circles, so the PNG is drawn at
/// `SUPERSAMPLE` times its size and box-filtered down.
const SUPERSAMPLE: u32 = 2;

/// Averages `factor × factor` blocks of an RGB image `width` pixels wide.
fn downsample(rgb: &[u8], width: usize, factor: usize) -> Vec<u8> {
    let height = rgb.len() / (3 * width);
    let (w, h) = (width / factor, height / factor);
    let area = (factor * factor) as u32;
    let mut out = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            let mut sum = [0u32; 3];
            for dy in 0..factor {
                let row = (y * factor + dy) * width;
                for dx in 0..factor {
                    let i = (row + x * factor + dx) * 3;
                    for (c, total) in sum.iter_mut().enumerate() {
                        *total += u32::from(rgb[i + c]);
                    }
                }
            }
            // Rounded mean of at most 255 × area, so the result fits in a byte.
            out.extend(sum.map(|total| ((total + area / 2) / area) as u8));
        }
    }
    out
}

/// Encodes an RGB buffer as PNG in memory, tagged with the pixel density of a 2× render (144 dpi).
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // 144 dots per inch = 5669 dots per metre.
    encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: 5669, yppu: 5669, unit: png::Unit::Meter }));
    // Per-row filter choice and the strongest deflate level: dense data lines (a 200 h cycling
    // record) otherwise make megabyte PNGs.
    encoder.set_compression(png::Compression::Best);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(bytes)
}

/// Adds a `<title>` (the figure title, for screen readers and tooltips) after the opening `<svg>` tag.
fn insert_svg_title(svg: String, title: &str) -> String {
    match svg.find("<svg").and_then(|start| svg[start..].find('>').map(|e| start + e + 1)) {
        Some(at) => format!("{}\n<title>{}</title>{}", &svg[..at], crate::html::escape(title), &svg[at..]),
        None => svg,
    }
}
