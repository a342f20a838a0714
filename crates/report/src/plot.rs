//! Drawing a [`Figure`] with plotters: SVG for the report, PNG for slides and papers.
//!
//! Both backends draw the same picture: 800×560 px (the PNG at 2× scale, 1600×1120 px, tagged 144 dpi),
//! white background, a closed black frame, faint major grid lines, outward ticks, log axes labelled at
//! decades (`10⁻³`) with minor ticks, lines 2 px wide, filled circles for data points, the Okabe-Ito
//! colour-blind-safe palette, the title at the top and a legend box (when there is more than one
//! series) in the corner with the least data. Text uses the family `"sans-serif"`; the PNG renders it
//! with the embedded DejaVu Sans, so output does not depend on the fonts installed.

use std::sync::OnceLock;

use plotters::coord::ranged1d::{AsRangedCoord, BoldPoints, Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, MultiLineText};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::ReportError;
use crate::figure::{Figure, Scale, SeriesStyle};
use crate::geometry::{prepare, AxisLayout, Corner, LabelSide, MarkerShape, Prepared};
use crate::ticks::{decades, log_minor_ticks, log_tick_label, LinearTicks};

/// Width of a rendered figure [px] (the PNG is [`PNG_SCALE`] times larger).
pub const WIDTH: u32 = 800;
/// Height of a rendered figure [px] (the PNG is [`PNG_SCALE`] times larger).
pub const HEIGHT: u32 = 560;
/// Pixel scale of the PNG relative to the SVG, for crisp text and lines.
pub const PNG_SCALE: u32 = 2;
/// The Okabe-Ito palette (colour-blind safe), in the order series take it.
pub const PALETTE: [&str; 8] =
    ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
const PALETTE_RGB: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x00, 0x00),
];
/// Reference markers: dark grey, so they read as annotations rather than data.
const MARKER_COLOR: RGBColor = RGBColor(0x55, 0x55, 0x55);
const FONT: &str = "sans-serif";

/// The palette colour for an index (wraps after 8).
fn palette(index: usize) -> RGBColor {
    PALETTE_RGB[index % PALETTE_RGB.len()]
}

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

/// Renders a figure as a self-contained SVG document (800×560, no external references).
///
/// Errors: [`ReportError::EmptyFigure`] when no point is drawable, [`ReportError::InvalidRange`] for an
/// unusable fixed range, [`ReportError::Plot`] when plotters fails.
pub fn render_svg(fig: &Figure) -> Result<String, ReportError> {
    let prepared = prepare(fig)?;
    let plot_error = |message: String| ReportError::Plot { id: fig.id.clone(), message };
    ensure_fonts().map_err(plot_error)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, fig, &prepared, 1.0, false).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.to_string()))?;
    }
    Ok(insert_svg_title(svg, &fig.title))
}

/// Renders a figure as PNG bytes: 1600×1120 px (800×560 at 2× scale), 8-bit RGB, 144 dpi.
///
/// Errors as [`render_svg`], plus [`ReportError::Encode`] when PNG encoding fails.
pub fn render_png(fig: &Figure) -> Result<Vec<u8>, ReportError> {
    let prepared = prepare(fig)?;
    let plot_error = |message: String| ReportError::Plot { id: fig.id.clone(), message };
    ensure_fonts().map_err(plot_error)?;
    let (width, height) = (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE);
    let (big_width, big_height) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut buffer = vec![255u8; big_width as usize * big_height as usize * 3];
    {
        // The buffer has exactly width × height RGB pixels, so `with_buffer` cannot reject it.
        let root = BitMapBackend::with_buffer(&mut buffer, (big_width, big_height)).into_drawing_area();
        draw(&root, fig, &prepared, f64::from(PNG_SCALE * SUPERSAMPLE), true).map_err(plot_error)?;
        root.present().map_err(|e| plot_error(e.to_string()))?;
    }
    let rgb = downsample(&buffer, big_width as usize, SUPERSAMPLE as usize);
    encode_png(&rgb, width, height)
        .map_err(|e| ReportError::Encode { id: fig.id.clone(), message: e.to_string() })
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

/// Sizes in pixels at a render scale, and how lines must be drawn on the target.
#[derive(Clone, Copy)]
struct Px {
    scale: f64,
    /// Draw data lines segment by segment with round joins. Plotters' bitmap backend joins thick
    /// polylines with unlimited miters, so a noisy series grows spikes far outside its data; SVG
    /// viewers apply a miter limit and get the polyline.
    segment_lines: bool,
}

impl Px {
    fn i(self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }
    fn u(self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }
    fn font(self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, size * self.scale).into_font()).color(&BLACK)
    }
}

/// Draws the whole figure; dispatches on the axis scales because plotters' log and linear
/// coordinates are different types.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    fig: &Figure,
    prepared: &Prepared<'_>,
    scale: f64,
    segment_lines: bool,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (x, y) = (&prepared.x, &prepared.y);
    // Log ranges are widened by 1e-9 relative: plotters finds the first decade with
    // `ceil(ln(min) / ln(10))`, which rounds 1e-3 up to 1e-2 and would drop the first decade label.
    let widen = |a: &AxisLayout| match a.scale {
        Scale::Linear => a.min..a.max,
        Scale::Log10 => a.min * (1.0 - 1e-9)..a.max * (1.0 + 1e-9),
    };
    let (xr, yr) = (widen(x), widen(y));
    let px = Px { scale, segment_lines };
    match (x.scale, y.scale) {
        (Scale::Linear, Scale::Linear) => draw_chart(root, fig, prepared, px, xr, yr),
        (Scale::Linear, Scale::Log10) => draw_chart(root, fig, prepared, px, xr, yr.log_scale()),
        (Scale::Log10, Scale::Linear) => draw_chart(root, fig, prepared, px, xr.log_scale(), yr),
        (Scale::Log10, Scale::Log10) => draw_chart(root, fig, prepared, px, xr.log_scale(), yr.log_scale()),
    }
    .map_err(|e| e.to_string())
}

/// Tick labels of one axis: how many plotters should aim for, how to format them, and (to size the
/// label area) the labels it will draw.
struct AxisTicks {
    count: usize,
    format: Box<dyn Fn(&f64) -> String>,
    labels: Vec<String>,
}

fn axis_ticks(axis: &AxisLayout, linear_count: usize) -> AxisTicks {
    match axis.scale {
        Scale::Log10 => {
            let decade_values = decades(axis.min, axis.max);
            let n = decade_values.len();
            // With at least two decades inside, ask for one label per decade (at most 10, beyond that
            // plotters labels every other decade); otherwise let it label 2×, 3×, ... in between.
            let (count, values) = if n >= 2 {
                (n.min(10), decade_values)
            } else {
                (10, [decade_values, log_minor_ticks(axis.min, axis.max)].concat())
            };
            let labels = values.iter().map(|&v| log_tick_label(v)).collect();
            AxisTicks { count, format: Box::new(|v: &f64| log_tick_label(*v)), labels }
        }
        Scale::Linear => {
            let coord: RangedCoordf64 = (axis.min..axis.max).into();
            let ticks = coord.key_points(BoldPoints(linear_count));
            let format = LinearTicks::for_ticks(&ticks);
            let labels = ticks.iter().map(|&v| format.label(v)).collect();
            AxisTicks { count: linear_count, format: Box::new(move |v: &f64| format.label(*v)), labels }
        }
    }
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw_chart<'a, DB, XS, YS>(
    root: &'a DrawingArea<DB, Shift>,
    fig: &Figure,
    prepared: &Prepared<'_>,
    px: Px,
    x_spec: XS,
    y_spec: YS,
) -> DrawResult<DB>
where
    DB: DrawingBackend + 'a,
    XS: AsRangedCoord<Value = f64>,
    YS: AsRangedCoord<Value = f64>,
    XS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
    YS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let (xa, ya) = (&prepared.x, &prepared.y);
    let x_ticks = axis_ticks(xa, 9);
    let y_ticks = axis_ticks(ya, 7);
    let tick_font = px.font(15.0);
    // The y label area holds the widest tick label, the tick, a gap and the rotated axis title.
    let widest = y_ticks
        .labels
        .iter()
        .map(|l| tick_font.font.box_size(l).map(|(w, _)| w as i32).unwrap_or(px.i(9.0) * l.len() as i32))
        .max()
        .unwrap_or(0);
    let y_area = widest + px.i(6.0 + 10.0 + 22.0 + 12.0);
    let mut chart = ChartBuilder::on(root)
        .margin_top(px.i(8.0))
        .margin_bottom(px.i(8.0))
        .margin_left(px.i(10.0))
        .margin_right(px.i(30.0))
        .caption(&fig.title, px.font(21.0))
        .x_label_area_size(px.i(56.0))
        .y_label_area_size(y_area)
        .build_cartesian_2d(x_spec, y_spec)?;

    let thin = px.u(1.0);
    chart
        .configure_mesh()
        .x_labels(x_ticks.count)
        .y_labels(y_ticks.count)
        .x_label_formatter(&x_ticks.format)
        .y_label_formatter(&y_ticks.format)
        .x_desc(fig.x.label.as_str())
        .y_desc(fig.y.label.as_str())
        .label_style(tick_font.clone())
        .axis_desc_style(px.font(17.0))
        .bold_line_style(BLACK.mix(0.1).stroke_width(thin))
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(BLACK.stroke_width(thin))
        .set_all_tick_mark_size(px.i(6.0))
        .draw()?;

    // Minor ticks between decades on log axes, outward like the major ones.
    let minor = px.i(3.5);
    let tick_style = BLACK.stroke_width(thin);
    if xa.scale == Scale::Log10 {
        for v in log_minor_ticks(xa.min, xa.max) {
            let (bx, by) = chart.backend_coord(&(v, ya.min));
            root.draw(&PathElement::new(vec![(bx, by), (bx, by + minor)], tick_style))?;
        }
    }
    if ya.scale == Scale::Log10 {
        for v in log_minor_ticks(ya.min, ya.max) {
            let (bx, by) = chart.backend_coord(&(xa.min, v));
            root.draw(&PathElement::new(vec![(bx - minor, by), (bx, by)], tick_style))?;
        }
    }

    // Reference markers under the data.
    let dash = (px.i(7.0), px.i(5.0));
    let marker_line = MARKER_COLOR.stroke_width(px.u(1.5));
    for m in &prepared.markers {
        let path = match m.shape {
            MarkerShape::Vertical(x) => vec![(x, ya.min), (x, ya.max)],
            MarkerShape::Horizontal(y) => vec![(xa.min, y), (xa.max, y)],
            MarkerShape::Point(x, y) => vec![(x, ya.min), (x, y), (xa.min, y)],
        };
        chart.draw_series(DashedLineSeries::new(path, dash.0, dash.1, marker_line))?;
        if let MarkerShape::Point(x, y) = m.shape {
            chart.draw_series(std::iter::once(Circle::new((x, y), px.i(6.0), marker_line)))?;
        }
    }

    // Data series, each with a legend entry.
    let line_width = px.u(2.0);
    let radius = px.i(4.0);
    for ps in &prepared.series {
        let color = palette(ps.color);
        let style = ps.series.style;
        let line = color.stroke_width(line_width);
        if style.has_line() {
            for run in &ps.runs {
                if style == SeriesStyle::Dashed {
                    let points = run.iter().copied();
                    chart.draw_series(DashedLineSeries::new(points, dash.0 + 2, dash.1, line))?;
                } else if px.segment_lines {
                    let segments = run.windows(2).map(|w| PathElement::new(vec![w[0], w[1]], line));
                    chart.draw_series(segments)?;
                    let joint = (line_width / 2) as i32;
                    let joints = run.iter().skip(1).take(run.len().saturating_sub(2));
                    chart.draw_series(joints.map(|&p| Circle::new(p, joint, color.filled())))?;
                } else {
                    chart.draw_series(LineSeries::new(run.iter().copied(), line))?;
                }
            }
        }
        if style.has_markers() {
            let circles = ps.points.iter().map(|&p| Circle::new(p, radius, color.filled()));
            chart.draw_series(circles)?;
        }
        chart
            .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
            .label(ps.series.name.as_str())
            .legend(move |(x, y)| {
                // One element type for every style (plotters' legend closures cannot return boxed
                // elements for borrowed backends); the parts a style does not use are transparent.
                let length = px.i(26.0);
                let visible = |on: bool| if on { color.to_rgba() } else { TRANSPARENT };
                let solid = visible(style.has_line() && style != SeriesStyle::Dashed);
                let dashed = visible(style == SeriesStyle::Dashed);
                let line = vec![(0, 0), (length, 0)];
                EmptyElement::at((x, y))
                    + PathElement::new(line.clone(), solid.stroke_width(line_width))
                    + DashedPathElement::new(line, px.i(7.0), px.i(4.0), dashed.stroke_width(line_width))
                    + Circle::new((length / 2, 0), radius, visible(style.has_markers()).filled())
            });
    }

    // A closed frame around the plot box.
    let frame = Rectangle::new([(xa.min, ya.min), (xa.max, ya.max)], BLACK.stroke_width(thin));
    chart.draw_series(std::iter::once(frame))?;

    // Marker labels on top of everything.
    let label_font = px.font(14.0).color(&MARKER_COLOR);
    for m in &prepared.markers {
        let (anchor, offset, pos) = marker_label_place(m.shape, m.side, xa, ya, px);
        let style = label_font.pos(pos);
        // A translucent white box behind the label keeps it legible over grid lines and data.
        let (w, h) = style.font.box_size(m.label).unwrap_or((0, 0));
        let (w, h) = (w as i32, h as i32);
        let x0 = match pos.h_pos {
            HPos::Left => offset.0,
            HPos::Center => offset.0 - w / 2,
            HPos::Right => offset.0 - w,
        };
        let y0 = match pos.v_pos {
            VPos::Top => offset.1,
            VPos::Center => offset.1 - h / 2,
            VPos::Bottom => offset.1 - h,
        };
        let pad = px.i(2.0);
        let backdrop =
            Rectangle::new([(x0 - pad, y0 - pad), (x0 + w + pad, y0 + h + pad)], WHITE.mix(0.8).filled());
        let text = Text::new(m.label.to_string(), offset, style);
        chart.draw_series(std::iter::once(EmptyElement::at(anchor) + backdrop + text))?;
    }

    if prepared.series.len() > 1 {
        // Place the legend box ourselves (plotters' corner positions use a fixed 5 px inset, which
        // lets the box touch the frame at 2× scale): measure it as plotters will lay it out.
        let legend_font = px.font(15.0);
        let (margin, symbol) = (px.i(10.0), px.i(34.0));
        let mut text = MultiLineText::<(i32, i32), &str>::new((0, 0), &legend_font);
        for ps in &prepared.series {
            text.push_line(ps.series.name.as_str());
        }
        let (w, h) = text.estimate_dimension().unwrap_or((px.i(120.0), px.i(20.0)));
        let (w, h) = (w + symbol + 2 * margin, h + 2 * margin);
        let (area_w, area_h) = chart.plotting_area().dim_in_pixel();
        let (area_w, area_h) = (area_w as i32, area_h as i32);
        let inset = px.i(10.0);
        let (right, lower) = match prepared.legend {
            Corner::UpperRight => (true, false),
            Corner::UpperLeft => (false, false),
            Corner::LowerRight => (true, true),
            Corner::LowerLeft => (false, true),
        };
        let x = if right { area_w - w - inset } else { inset };
        let y = if lower { area_h - h - inset } else { inset };
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::Coordinate(x.max(0), y.max(0)))
            .margin(margin)
            .legend_area_size(symbol)
            .label_font(legend_font.clone())
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.5).stroke_width(thin))
            .draw()?;
    }
    Ok(())
}

/// Where a marker's label goes: the anchor point in data units, a pixel offset from it and the text
/// anchor, on the side that `geometry` chose (the one covering the least data).
fn marker_label_place(
    shape: MarkerShape,
    side: LabelSide,
    xa: &AxisLayout,
    ya: &AxisLayout,
    px: Px,
) -> ((f64, f64), (i32, i32), Pos) {
    let gap = px.i(5.0);
    let sign = |positive: bool| if positive { 1 } else { -1 };
    let h_from = |right: bool| if right { HPos::Left } else { HPos::Right };
    match shape {
        MarkerShape::Vertical(x) => {
            let anchor = (x, if side.up { ya.max } else { ya.min });
            let v = if side.up { VPos::Top } else { VPos::Bottom };
            (anchor, (sign(side.right) * gap, sign(side.up) * gap), Pos::new(h_from(side.right), v))
        }
        MarkerShape::Horizontal(y) => {
            let anchor = (if side.right { xa.max } else { xa.min }, y);
            let h = if side.right { HPos::Right } else { HPos::Left };
            let v = if side.up { VPos::Bottom } else { VPos::Top };
            (anchor, (-sign(side.right) * gap, -sign(side.up) * gap), Pos::new(h, v))
        }
        MarkerShape::Point(x, y) => {
            let v = if side.up { VPos::Bottom } else { VPos::Top };
            ((x, y), (sign(side.right) * 2 * gap, -sign(side.up) * gap), Pos::new(h_from(side.right), v))
        }
    }
}
