//! Drawing one chart of a figure (the main plot, a panel under it or a zoomed inset) onto a drawing
//! area: frame, ticks, grid, markers, series, the second axis, the legend, and where an inset goes.

use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::{DashedPathElement, MultiLineText};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::figure::{Figure, Scale, SeriesStyle};
use crate::geometry::{
    choose_inset_corner, prepare_with_aspect, AxisLayout, Corner, MarkerShape, Prepared, PreparedSeries,
};
use crate::labels::draw_marker_labels;
use crate::style::{palette, Px, MARKER_COLOR};
use crate::ticks::{decades, linear_ticks, log_minor_ticks, log_tick_label, LinearTicks};

/// Which kind of chart is drawn: sizes of text and label areas, tick counts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    /// The figure's main plot.
    Main,
    /// A smaller plot in the row under the main one.
    Panel,
    /// A zoomed copy inside the main plot: no title, no axis titles, no legend, no marker labels.
    Inset,
}

impl Look {
    fn tick_size(self) -> f64 {
        match self {
            Look::Main => 15.0,
            Look::Panel => 13.0,
            Look::Inset => 12.0,
        }
    }
    fn tick_counts(self) -> (usize, usize) {
        match self {
            Look::Main => (9, 7),
            Look::Panel => (5, 5),
            Look::Inset => (4, 4),
        }
    }
}

/// Fraction of the plot box an inset covers (width, height).
const INSET_SIZE: (f64, f64) = (0.42, 0.46);

/// Draws one chart of `fig` on `area` (already white), with its inset; dispatches on the axis scales
/// because plotters' log and linear coordinates are different types.
pub(crate) fn draw_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    px: Px,
    look: Look,
) -> Result<(), String> {
    let mut prepared = prepare_with_aspect(fig, None).map_err(|e| e.to_string())?;
    let both_linear = fig.x.scale == Scale::Linear && fig.y.scale == Scale::Linear;
    if fig.equal_aspect && both_linear {
        // Measure the plot box with these ranges, then widen one of them to equal units; the tick
        // labels (and so the box) barely change, so one correction suffices.
        let (w, h) = {
            let chart = build(
                area,
                fig,
                &prepared,
                px,
                look,
                prepared.x.min..prepared.x.max,
                prepared.y.min..prepared.y.max,
            )
            .map_err(|e| e.to_string())?;
            chart.plotting_area().dim_in_pixel()
        };
        area.fill(&WHITE).map_err(|e| e.to_string())?;
        if w > 0 && h > 0 {
            prepared =
                prepare_with_aspect(fig, Some(f64::from(h) / f64::from(w))).map_err(|e| e.to_string())?;
        }
    }
    let (x, y) = (&prepared.x, &prepared.y);
    // Log ranges are widened by 1e-9 relative: plotters finds the first decade with
    // `ceil(ln(min) / ln(10))`, which rounds 1e-3 up to 1e-2 and would drop the first decade label.
    let widen = |a: &AxisLayout| match a.scale {
        Scale::Linear => a.min..a.max,
        Scale::Log10 => a.min * (1.0 - 1e-9)..a.max * (1.0 + 1e-9),
    };
    let (xr, yr) = (widen(x), widen(y));
    let inset_box = match (x.scale, y.scale) {
        (Scale::Linear, Scale::Linear) => draw_chart(area, fig, &prepared, px, look, xr, yr),
        (Scale::Linear, Scale::Log10) => draw_chart(area, fig, &prepared, px, look, xr, yr.log_scale()),
        (Scale::Log10, Scale::Linear) => draw_chart(area, fig, &prepared, px, look, xr.log_scale(), yr),
        (Scale::Log10, Scale::Log10) => {
            draw_chart(area, fig, &prepared, px, look, xr.log_scale(), yr.log_scale())
        }
    }
    .map_err(|e| e.to_string())?;
    if let (Some(inset), Some((x0, y0, w, h))) = (&fig.inset, inset_box) {
        let zoom = Figure {
            id: fig.id.clone(),
            title: String::new(),
            x: fig.x.clone().with_range(inset.x.0, inset.x.1),
            y: fig.y.clone().with_range(inset.y.0, inset.y.1),
            series: fig.series.iter().filter(|s| !s.secondary).cloned().collect(),
            caption: None,
            markers: Vec::new(),
            equal_aspect: fig.equal_aspect,
            inset: None,
            y2: None,
            panels: Vec::new(),
        };
        let sub = area.clone().shrink((x0, y0), (w, h));
        sub.fill(&WHITE).map_err(|e| e.to_string())?;
        draw_figure(&sub, &zoom, px, Look::Inset)?;
    }
    Ok(())
}

/// Tick labels of one axis: how many plotters should aim for, how to format them, the labels it will
/// draw (to size the label area) and, on a linear axis, the tick values.
struct AxisTicks {
    count: usize,
    format: Box<dyn Fn(&f64) -> String>,
    labels: Vec<String>,
    values: Vec<f64>,
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
            AxisTicks { count, format: Box::new(|v: &f64| log_tick_label(*v)), labels, values }
        }
        Scale::Linear => {
            // Our own ticks, drawn by `draw_linear_ticks`; plotters draws none (count 0).
            let ticks = linear_ticks(axis.min, axis.max, linear_count);
            let format = LinearTicks::for_ticks(&ticks);
            let labels = ticks.iter().map(|&v| format.label(v)).collect();
            AxisTicks { count: 0, format: Box::new(move |v: &f64| format.label(*v)), labels, values: ticks }
        }
    }
}

type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
/// The chart plotters builds for coordinate specs `XS` and `YS`.
type Chart<'a, DB, XS, YS> = ChartContext<
    'a,
    DB,
    Cartesian2d<<XS as AsRangedCoord>::CoordDescType, <YS as AsRangedCoord>::CoordDescType>,
>;

/// Width of the widest label [px].
fn widest(labels: &[String], font: &TextStyle<'_>, px: Px) -> i32 {
    labels
        .iter()
        .map(|l| font.font.box_size(l).map(|(w, _)| w as i32).unwrap_or(px.i(9.0) * l.len() as i32))
        .max()
        .unwrap_or(0)
}

/// The second axis' ticks, if the figure has one.
fn y2_ticks(prepared: &Prepared<'_>, look: Look) -> Option<(AxisLayout, AxisTicks)> {
    prepared.y2.map(|l2| (l2, axis_ticks(&l2, look.tick_counts().1)))
}

/// Builds the chart (caption, margins, label areas sized to the tick labels) on `area`.
fn build<'a, DB, XS, YS>(
    area: &'a DrawingArea<DB, Shift>,
    fig: &Figure,
    prepared: &Prepared<'_>,
    px: Px,
    look: Look,
    x_spec: XS,
    y_spec: YS,
) -> DrawResult<Chart<'a, DB, XS, YS>, DB>
where
    DB: DrawingBackend + 'a,
    XS: AsRangedCoord<Value = f64>,
    YS: AsRangedCoord<Value = f64>,
{
    let (_, y_count) = look.tick_counts();
    let y_ticks = axis_ticks(&prepared.y, y_count);
    let tick_font = px.font(look.tick_size());
    let titled = look != Look::Inset;
    // The y label area holds the widest tick label, the tick, a gap and the rotated axis title.
    let title_room = if titled { 22.0 + 12.0 } else { 0.0 };
    let y_area = widest(&y_ticks.labels, &tick_font, px) + px.i(6.0 + 10.0 + title_room);
    let right = match y2_ticks(prepared, look) {
        Some((_, t)) => widest(&t.labels, &tick_font, px) + px.i(6.0 + 10.0 + title_room),
        None if look == Look::Inset => px.i(8.0),
        None => px.i(30.0),
    };
    let x_area = match look {
        Look::Main => 56.0,
        Look::Panel => 46.0,
        Look::Inset => 24.0,
    };
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(px.i(8.0))
        .margin_bottom(px.i(if look == Look::Inset { 4.0 } else { 8.0 }))
        .margin_left(px.i(if look == Look::Inset { 4.0 } else { 10.0 }))
        .margin_right(right)
        .x_label_area_size(px.i(x_area))
        .y_label_area_size(y_area);
    if !fig.title.is_empty() {
        let size = if look == Look::Main { 21.0 } else { 15.0 };
        builder.caption(&fig.title, px.font(size));
    }
    builder.build_cartesian_2d(x_spec, y_spec)
}

/// Draws one chart; returns where its inset goes (`x0, y0, width, height` [px] relative to `area`)
/// when the figure has one and the look allows it.
fn draw_chart<'a, DB, XS, YS>(
    area: &'a DrawingArea<DB, Shift>,
    fig: &Figure,
    prepared: &Prepared<'_>,
    px: Px,
    look: Look,
    x_spec: XS,
    y_spec: YS,
) -> DrawResult<Option<(i32, i32, i32, i32)>, DB>
where
    DB: DrawingBackend + 'a,
    XS: AsRangedCoord<Value = f64>,
    YS: AsRangedCoord<Value = f64>,
    XS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
    YS::CoordDescType: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let (xa, ya) = (&prepared.x, &prepared.y);
    let (x_count, y_count) = look.tick_counts();
    let x_ticks = axis_ticks(xa, x_count);
    let y_ticks = axis_ticks(ya, y_count);
    let tick_font = px.font(look.tick_size());
    let mut chart = build(area, fig, prepared, px, look, x_spec, y_spec)?;

    let thin = px.u(1.0);
    let (x_desc, y_desc) =
        if look == Look::Inset { ("", "") } else { (fig.x.label.as_str(), fig.y.label.as_str()) };
    let desc_size = if look == Look::Main { 17.0 } else { 14.0 };
    chart
        .configure_mesh()
        .x_labels(x_ticks.count)
        .y_labels(y_ticks.count)
        .x_label_formatter(&x_ticks.format)
        .y_label_formatter(&y_ticks.format)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style(tick_font.clone())
        .axis_desc_style(px.font(desc_size))
        .bold_line_style(BLACK.mix(0.1).stroke_width(thin))
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(BLACK.stroke_width(thin))
        .set_all_tick_mark_size(px.i(6.0))
        .draw()?;

    // Linear axes: grid lines, outward ticks and labels at our own tick values.
    let base = area.get_base_pixel();
    let grid = BLACK.mix(0.1).stroke_width(thin);
    let major = px.i(6.0);
    if xa.scale == Scale::Linear {
        let style = tick_font.pos(Pos::new(HPos::Center, VPos::Top));
        for (v, label) in x_ticks.values.iter().zip(&x_ticks.labels) {
            let (bx, top) = chart.backend_coord(&(*v, ya.max));
            let (_, bottom) = chart.backend_coord(&(*v, ya.min));
            let (bx, top, bottom) = (bx - base.0, top - base.1, bottom - base.1);
            area.draw(&PathElement::new(vec![(bx, top), (bx, bottom)], grid))?;
            area.draw(&PathElement::new(vec![(bx, bottom), (bx, bottom + major)], BLACK.stroke_width(thin)))?;
            area.draw(&Text::new(label.clone(), (bx, bottom + major + px.i(4.0)), style.clone()))?;
        }
    }
    if ya.scale == Scale::Linear {
        let style = tick_font.pos(Pos::new(HPos::Right, VPos::Center));
        for (v, label) in y_ticks.values.iter().zip(&y_ticks.labels) {
            let (left, by) = chart.backend_coord(&(xa.min, *v));
            let (right, _) = chart.backend_coord(&(xa.max, *v));
            let (left, right, by) = (left - base.0, right - base.0, by - base.1);
            area.draw(&PathElement::new(vec![(left, by), (right, by)], grid))?;
            area.draw(&PathElement::new(vec![(left - major, by), (left, by)], BLACK.stroke_width(thin)))?;
            area.draw(&Text::new(label.clone(), (left - major - px.i(4.0), by), style.clone()))?;
        }
    }

    // Minor ticks between decades on log axes, outward like the major ones.
    let minor = px.i(3.5);
    let tick_style = BLACK.stroke_width(thin);
    if xa.scale == Scale::Log10 {
        for v in log_minor_ticks(xa.min, xa.max) {
            let (bx, by) = chart.backend_coord(&(v, ya.min));
            let (bx, by) = (bx - base.0, by - base.1);
            area.draw(&PathElement::new(vec![(bx, by), (bx, by + minor)], tick_style))?;
        }
    }
    if ya.scale == Scale::Log10 {
        for v in log_minor_ticks(ya.min, ya.max) {
            let (bx, by) = chart.backend_coord(&(xa.min, v));
            let (bx, by) = (bx - base.0, by - base.1);
            area.draw(&PathElement::new(vec![(bx - minor, by), (bx, by)], tick_style))?;
        }
    }

    // The second axis on the right: ticks, labels and the title, read downwards.
    if let Some((l2, t2)) = y2_ticks(prepared, look) {
        let (lo, hi) = (ya.axis_value(ya.min), ya.axis_value(ya.max));
        let to_primary = |v: f64| ya.data_value(lo + (v - l2.min) / (l2.max - l2.min) * (hi - lo));
        let base = area.get_base_pixel();
        let label_style = tick_font.pos(Pos::new(HPos::Left, VPos::Center));
        for (v, label) in t2.values.iter().zip(&t2.labels) {
            let (bx, by) = chart.backend_coord(&(xa.max, to_primary(*v)));
            let (bx, by) = (bx - base.0, by - base.1);
            area.draw(&PathElement::new(vec![(bx, by), (bx + px.i(6.0), by)], tick_style))?;
            area.draw(&Text::new(label.clone(), (bx + px.i(10.0), by), label_style.clone()))?;
        }
        if look != Look::Inset {
            if let Some(axis) = &fig.y2 {
                let (bx, top) = chart.backend_coord(&(xa.max, ya.max));
                let (_, bottom) = chart.backend_coord(&(xa.max, ya.min));
                let x = bx - base.0 + px.i(16.0) + widest(&t2.labels, &tick_font, px);
                let y = (top + bottom) / 2 - base.1;
                let style = px
                    .font(desc_size)
                    .transform(FontTransform::Rotate90)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                area.draw(&Text::new(axis.label.clone(), (x + px.i(4.0), y), style))?;
            }
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

    // The inset's region, outlined in grey (clipped to the plot box).
    if let (Some(inset), true) = (&fig.inset, look != Look::Inset) {
        let clip_x = |v: f64| v.clamp(xa.min, xa.max);
        let clip_y = |v: f64| v.clamp(ya.min, ya.max);
        let corners = [
            (clip_x(inset.x.0), clip_y(inset.y.0)),
            (clip_x(inset.x.1), clip_y(inset.y.0)),
            (clip_x(inset.x.1), clip_y(inset.y.1)),
            (clip_x(inset.x.0), clip_y(inset.y.1)),
            (clip_x(inset.x.0), clip_y(inset.y.0)),
        ];
        chart.draw_series(DashedLineSeries::new(
            corners,
            px.i(4.0),
            px.i(3.0),
            MARKER_COLOR.stroke_width(thin),
        ))?;
    }

    // Data series, each with a legend entry when it has one.
    let line_width = px.u(if look == Look::Inset { 1.5 } else { 2.0 });
    let radius = px.i(if look == Look::Main { 4.0 } else { 3.0 });
    for ps in &prepared.series {
        let color = series_color(ps);
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
        let ring = px.i(6.0);
        if style == SeriesStyle::Rings {
            let rings = ps.points.iter().map(|&p| Circle::new(p, ring, color.stroke_width(line_width)));
            chart.draw_series(rings)?;
        }
        if !ps.in_legend() || look == Look::Inset {
            continue;
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
                    + Circle::new(
                        (length / 2, 0),
                        ring,
                        visible(style == SeriesStyle::Rings).stroke_width(line_width),
                    )
            });
    }

    // A closed frame around the plot box.
    let frame = Rectangle::new([(xa.min, ya.min), (xa.max, ya.max)], BLACK.stroke_width(thin));
    chart.draw_series(std::iter::once(frame))?;

    // Marker labels on top of everything.
    if look != Look::Inset {
        draw_marker_labels(&mut chart, prepared, px)?;
    }

    let (area_w, area_h) = chart.plotting_area().dim_in_pixel();
    let (area_w, area_h) = (area_w as i32, area_h as i32);
    if prepared.legend_entries > 1 && look != Look::Inset {
        // Place the legend box ourselves (plotters' corner positions use a fixed 5 px inset, which
        // lets the box touch the frame at 2× scale): measure it as plotters will lay it out.
        let legend_font = px.font(if look == Look::Main { 15.0 } else { 12.0 });
        let (margin, symbol) = (px.i(10.0), px.i(34.0));
        let mut text = MultiLineText::<(i32, i32), &str>::new((0, 0), &legend_font);
        for ps in prepared.series.iter().filter(|s| s.in_legend()) {
            text.push_line(ps.series.name.as_str());
        }
        let (w, h) = text.estimate_dimension().unwrap_or((px.i(120.0), px.i(20.0)));
        let (w, h) = (w + symbol + 2 * margin, h + 2 * margin);
        let inset = px.i(10.0);
        let (right, lower) = corner_sides(prepared.legend);
        let x = if right { area_w - w - inset } else { inset };
        let y = match prepared.legend {
            Corner::MiddleRight | Corner::MiddleLeft => (area_h - h) / 2,
            _ if lower => area_h - h - inset,
            _ => inset,
        };
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

    if fig.inset.is_none() || look == Look::Inset {
        return Ok(None);
    }
    let corner = choose_inset_corner(prepared, INSET_SIZE.0, INSET_SIZE.1);
    let (right, lower) = corner_sides(corner);
    let (w, h) = ((f64::from(area_w) * INSET_SIZE.0) as i32, (f64::from(area_h) * INSET_SIZE.1) as i32);
    let pad = px.i(6.0);
    let (base, own) = (chart.plotting_area().get_base_pixel(), area.get_base_pixel());
    let (ox, oy) = (base.0 - own.0, base.1 - own.1);
    let x0 = if right { ox + area_w - w - pad } else { ox + pad };
    let y0 = if lower { oy + area_h - h - pad } else { oy + pad };
    // A thin frame and a white ground, so the inset reads as a separate picture.
    let outline =
        Rectangle::new([(x0 - 1, y0 - 1), (x0 + w + 1, y0 + h + 1)], BLACK.mix(0.6).stroke_width(thin));
    area.draw(&outline)?;
    Ok(Some((x0, y0, w, h)))
}

/// (right, lower) of a corner (a middle counts as upper).
fn corner_sides(corner: Corner) -> (bool, bool) {
    match corner {
        Corner::UpperRight | Corner::MiddleRight => (true, false),
        Corner::UpperLeft | Corner::MiddleLeft => (false, false),
        Corner::LowerRight => (true, true),
        Corner::LowerLeft => (false, true),
    }
}

/// The series colour: its explicit sRGB, else its palette entry.
fn series_color(ps: &PreparedSeries<'_>) -> RGBColor {
    match ps.rgb {
        Some([r, g, b]) => RGBColor(r, g, b),
        None => palette(ps.color),
    }
}
