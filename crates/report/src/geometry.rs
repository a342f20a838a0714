//! Layout of a figure before drawing: which points are drawable, the axis ranges, line runs clipped to
//! the plot box, which markers are visible and where the legend goes.
//!
//! All geometry is done in "axis space": the value itself on a linear axis, log10 of it on a log axis,
//! so clipping and padding are straight-line operations on both kinds of axis.

use crate::error::{ReportError, MAX_LOG_DECADES};
use crate::figure::{classify, value_fits, Axis, Figure, PointClass, Scale, Series};

use crate::placement::{choose_legend_corner, clip_run, legend_footprint, weight_in, Sample};
pub(crate) use crate::placement::{Corner, Point};

/// The resolved range of one axis [axis unit].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AxisLayout {
    pub min: f64,
    pub max: f64,
    pub scale: Scale,
}

impl AxisLayout {
    /// Data value to axis space.
    pub fn axis_value(&self, v: f64) -> f64 {
        to_axis(v, self.scale)
    }

    /// Axis space to data value.
    pub fn data_value(&self, t: f64) -> f64 {
        match self.scale {
            Scale::Linear => t,
            Scale::Log10 => 10f64.powf(t),
        }
    }

    /// Whether a data value lies inside the range (with a relative tolerance of 1e-9 of the span in
    /// axis space, so points on the frame still count as inside).
    pub fn contains(&self, v: f64) -> bool {
        if !value_fits(v, self.scale) {
            return false;
        }
        let (lo, hi) = (self.axis_value(self.min), self.axis_value(self.max));
        let tol = 1e-9 * (hi - lo);
        let t = self.axis_value(v);
        t >= lo - tol && t <= hi + tol
    }
}

fn to_axis(v: f64, scale: Scale) -> f64 {
    match scale {
        Scale::Linear => v,
        Scale::Log10 => v.log10(),
    }
}

/// One series ready to draw.
#[derive(Debug)]
pub(crate) struct PreparedSeries<'a> {
    pub series: &'a Series,
    /// Palette index (already defaulted to the series position).
    pub color: usize,
    /// Explicit colour, overriding the palette.
    pub rgb: Option<[u8; 3]>,
    /// Polylines inside the plot box [data units]; a skipped point or the frame breaks a line.
    pub runs: Vec<Vec<Point>>,
    /// Drawable points inside the plot box [data units].
    pub points: Vec<Point>,
}

/// Where a marker sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum MarkerShape {
    Vertical(f64),
    Horizontal(f64),
    Point(f64, f64),
}

/// Which side of its line or point a marker's label sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LabelSide {
    /// Right of a vertical line or point; at the right end of a horizontal line.
    pub right: bool,
    /// At the top end of a vertical line; above a horizontal line or point.
    pub up: bool,
}

/// A marker inside the plot box.
#[derive(Debug)]
pub(crate) struct PreparedMarker<'a> {
    pub label: &'a str,
    pub shape: MarkerShape,
    pub side: LabelSide,
}

/// Everything the renderer needs, with data units throughout.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub x: AxisLayout,
    pub y: AxisLayout,
    pub series: Vec<PreparedSeries<'a>>,
    pub markers: Vec<PreparedMarker<'a>>,
    pub legend: Corner,
    /// Number of legend entries (series with a name, not hidden, with something inside the box).
    pub legend_entries: usize,
    /// The second axis' range; its series are already mapped onto the primary y axis.
    pub y2: Option<AxisLayout>,
}

impl PreparedSeries<'_> {
    /// Whether the series gets a legend entry: named, not hidden, and something of it drawn.
    pub fn in_legend(&self) -> bool {
        !self.series.no_legend
            && !self.series.name.trim().is_empty()
            && (!self.points.is_empty() || !self.runs.is_empty())
    }
}

/// Validates a figure and lays it out; an error when no point is drawable or a fixed range is unusable.
pub(crate) fn prepare(fig: &Figure) -> Result<Prepared<'_>, ReportError> {
    prepare_with_aspect(fig, None)
}

/// As [`prepare`]; with `aspect` (plot-box height / width [px]) and [`Figure::equal_aspect`] set on
/// linear axes, the narrower range is widened at its upper end so one unit spans the same length
/// on both axes.
pub(crate) fn prepare_with_aspect(fig: &Figure, aspect: Option<f64>) -> Result<Prepared<'_>, ReportError> {
    let (xs, ys) = (fig.x.scale, fig.y.scale);
    let y2_axis = fig.y2.as_ref();
    if let Some(a) = y2_axis.filter(|a| a.scale != Scale::Linear) {
        let (min, max) = a.range.unwrap_or((f64::NAN, f64::NAN));
        return Err(ReportError::InvalidRange { id: fig.id.clone(), axis: "y2 (must be linear)", min, max });
    }
    let mut y2_values = Vec::new();
    // Runs of consecutive drawable points in axis space, per series.
    let mut raw_runs: Vec<Vec<Vec<Point>>> = Vec::with_capacity(fig.series.len());
    let (mut x_values, mut y_values) = (Vec::new(), Vec::new());
    for s in &fig.series {
        let mut runs = Vec::new();
        let mut current: Vec<Point> = Vec::new();
        let secondary = s.secondary && y2_axis.is_some();
        let y_scale = if secondary { Scale::Linear } else { ys };
        for (&x, &y) in s.x.iter().zip(&s.y) {
            if classify(x, y, xs, y_scale) == PointClass::Drawable {
                let p = (to_axis(x, xs), to_axis(y, y_scale));
                x_values.push(p.0);
                if secondary {
                    y2_values.push(p.1);
                } else {
                    y_values.push(p.1);
                }
                current.push(p);
            } else if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        raw_runs.push(runs);
    }
    if x_values.is_empty() {
        return Err(ReportError::EmptyFigure { id: fig.id.clone() });
    }
    for m in &fig.markers {
        if let Some(x) = m.x.filter(|&v| value_fits(v, xs)) {
            x_values.push(to_axis(x, xs));
        }
        if let Some(y) = m.y.filter(|&v| value_fits(v, ys)) {
            y_values.push(to_axis(y, ys));
        }
    }
    // A figure whose only data sit on the second axis still needs a primary range.
    if y_values.is_empty() {
        y_values.extend_from_slice(&y2_values);
    }
    let mut x = resolve_axis(&fig.id, "x", &fig.x, &x_values)?;
    let mut y = resolve_axis(&fig.id, "y", &fig.y, &y_values)?;
    if let (true, Some(ratio), Scale::Linear, Scale::Linear) = (fig.equal_aspect, aspect, xs, ys) {
        if ratio.is_finite() && ratio > 0.0 {
            let (dx, dy) = (x.max - x.min, y.max - y.min);
            if dy < dx * ratio {
                y.max = y.min + dx * ratio;
            } else {
                x.max = x.min + dy / ratio;
            }
        }
    }
    let y2 = match y2_axis {
        Some(a) if !y2_values.is_empty() || a.range.is_some() => {
            Some(resolve_axis(&fig.id, "y2", a, &y2_values)?)
        }
        _ => None,
    };
    // Series on the second axis: from its range onto the primary one, in axis space.
    if let Some(l2) = y2 {
        let (lo, hi) = (y.axis_value(y.min), y.axis_value(y.max));
        let map = |v: f64| lo + (v - l2.min) / (l2.max - l2.min) * (hi - lo);
        for (s, runs) in fig.series.iter().zip(raw_runs.iter_mut()) {
            if s.secondary {
                for p in runs.iter_mut().flatten() {
                    p.1 = map(p.1);
                }
            }
        }
    }
    let bounds = [x.axis_value(x.min), x.axis_value(x.max), y.axis_value(y.min), y.axis_value(y.max)];

    let mut series = Vec::with_capacity(fig.series.len());
    for (index, (s, runs)) in fig.series.iter().zip(raw_runs).enumerate() {
        let to_data = |p: Point| (x.data_value(p.0), y.data_value(p.1));
        let mut clipped = Vec::new();
        let mut points = Vec::new();
        for run in &runs {
            for part in clip_run(run, bounds) {
                clipped.push(part.into_iter().map(to_data).collect());
            }
            for &p in run {
                let d = to_data(p);
                if x.contains(d.0) && y.contains(d.1) {
                    points.push(d);
                }
            }
        }
        series.push(PreparedSeries {
            series: s,
            color: s.color.unwrap_or(index),
            rgb: s.rgb,
            runs: clipped,
            points,
        });
    }

    let shapes: Vec<(&str, MarkerShape)> = fig
        .markers
        .iter()
        .filter_map(|m| {
            let shape = match (m.x, m.y) {
                (Some(mx), Some(my)) if x.contains(mx) && y.contains(my) => MarkerShape::Point(mx, my),
                (Some(mx), None) if x.contains(mx) => MarkerShape::Vertical(mx),
                (None, Some(my)) if y.contains(my) => MarkerShape::Horizontal(my),
                _ => return None,
            };
            Some((m.label.as_str(), shape))
        })
        .collect();

    // The legend (bulky) goes to the corner covering the least data and marker lines; then each
    // marker label (small) goes to the side covering the least data, earlier labels and no legend.
    let frame = Frame { x, y };
    let mut samples = data_samples(&series, &frame);
    for &(_, shape) in &shapes {
        samples.extend(marker_line_samples(shape, &frame));
    }
    let legend_entries = series.iter().filter(|s| s.in_legend()).count();
    let legend = choose_legend_corner(legend_entries, &samples);
    let legend_box = (legend_entries > 1).then(|| legend_footprint(legend, legend_entries));
    let mut markers = Vec::with_capacity(shapes.len());
    for (label, shape) in shapes {
        let side = place_label(label, shape, &frame, &samples, legend_box);
        let b = label_box(label, shape, side, &frame);
        samples.extend((0..=18).map(|k| {
            let (s, t) = (f64::from(k % 7) / 6.0, f64::from(k / 7) / 2.0);
            ((b[0] + s * (b[1] - b[0]), b[2] + t * (b[3] - b[2])), LABEL_WEIGHT)
        }));
        markers.push(PreparedMarker { label, shape, side });
    }
    Ok(Prepared { x, y, series, markers, legend, legend_entries, y2 })
}

/// The corner for an inset of `width` × `height` (fractions of the plot box): the one with the least
/// drawn data that is not the legend's.
pub(crate) fn choose_inset_corner(p: &Prepared<'_>, width: f64, height: f64) -> Corner {
    let frame = Frame { x: p.x, y: p.y };
    let samples = data_samples(&p.series, &frame);
    let footprint = |c: Corner| {
        let (right, upper) = match c {
            Corner::UpperRight => (true, true),
            Corner::UpperLeft => (false, true),
            Corner::LowerRight => (true, false),
            _ => (false, false),
        };
        let xs = if right { [1.0 - width, 1.0] } else { [0.0, width] };
        let ys = if upper { [1.0 - height, 1.0] } else { [0.0, height] };
        [xs[0], xs[1], ys[0], ys[1]]
    };
    [Corner::UpperRight, Corner::UpperLeft, Corner::LowerRight, Corner::LowerLeft]
        .into_iter()
        .filter(|&c| p.legend_entries < 2 || c != p.legend)
        .min_by_key(|&c| weight_in(&footprint(c), &samples))
        .unwrap_or(Corner::UpperRight)
}

/// Weight of a data point when counting what a legend or label would cover; samples along lines
/// weigh 1, so hiding a point costs as much as hiding a few line segments.
const POINT_WEIGHT: u32 = 4;
/// Weight of a sample over an already placed marker label.
const LABEL_WEIGHT: u32 = 4;

/// The axis range: the caller's (checked) or one derived from the axis-space values.
fn resolve_axis(
    id: &str,
    name: &'static str,
    axis: &Axis,
    values: &[f64],
) -> Result<AxisLayout, ReportError> {
    if let Some((min, max)) = axis.range {
        let ok =
            min.is_finite() && max.is_finite() && min < max && (axis.scale == Scale::Linear || min > 0.0);
        if !ok {
            return Err(ReportError::InvalidRange { id: id.to_string(), axis: name, min, max });
        }
        return checked_layout(id, name, min, max, axis.scale);
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (min, max) = match axis.scale {
        Scale::Linear => {
            // Halves first, so a span near f64::MAX does not overflow to infinity.
            let half_span = hi / 2.0 - lo / 2.0;
            let pad = if half_span > 0.5e-9 * hi.abs().max(lo.abs()) {
                0.1 * half_span
            } else if hi != 0.0 {
                0.05 * hi.abs()
            } else {
                1.0
            };
            // The span max - min must stay finite for tick placement: data beyond ±f64::MAX/4 are
            // clipped to the frame.
            ((lo - pad).max(-LINEAR_LIMIT), (hi + pad).min(LINEAR_LIMIT))
        }
        // Whole decades; a value within 2 % of a decade of the edge gets one more decade, so no
        // point sits on the frame.
        Scale::Log10 => (10f64.powf((lo - 0.02).floor()), 10f64.powf((hi + 0.02).ceil())),
    };
    checked_layout(id, name, min, max, axis.scale)
}

/// The largest magnitude an automatic linear range reaches [axis unit].
const LINEAR_LIMIT: f64 = f64::MAX / 4.0;

/// Checks a resolved range: finite, increasing, and at most [`MAX_LOG_DECADES`] on a log axis.
fn checked_layout(
    id: &str,
    name: &'static str,
    min: f64,
    max: f64,
    scale: Scale,
) -> Result<AxisLayout, ReportError> {
    // A span that overflows (e.g. a fixed range of ±1e308) cannot be divided into ticks.
    if !(min.is_finite() && max.is_finite() && min < max && (max - min).is_finite()) {
        return Err(ReportError::InvalidRange { id: id.to_string(), axis: name, min, max });
    }
    if scale == Scale::Log10 {
        let decades = max.log10() - min.log10();
        if decades > MAX_LOG_DECADES {
            return Err(ReportError::TooManyDecades { id: id.to_string(), axis: name, decades });
        }
    }
    Ok(AxisLayout { min, max, scale })
}

/// Maps data points to the unit square of the plot box (0 = left/bottom, 1 = right/top).
struct Frame {
    x: AxisLayout,
    y: AxisLayout,
}

impl Frame {
    fn normalize(&self, p: Point) -> Point {
        let unit = |a: &AxisLayout, v: f64| {
            (a.axis_value(v) - a.axis_value(a.min)) / (a.axis_value(a.max) - a.axis_value(a.min))
        };
        (unit(&self.x, p.0), unit(&self.y, p.1))
    }
}

/// Drawn points and samples along drawn lines, in the unit square.
fn data_samples(series: &[PreparedSeries<'_>], frame: &Frame) -> Vec<Sample> {
    let mut samples = Vec::new();
    for s in series {
        samples.extend(s.points.iter().map(|&p| (frame.normalize(p), POINT_WEIGHT)));
        for run in &s.runs {
            for w in run.windows(2) {
                let (a, b) = (frame.normalize(w[0]), frame.normalize(w[1]));
                samples.extend((0..8).map(|i| {
                    let t = f64::from(i) / 8.0;
                    ((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)), 1)
                }));
            }
        }
    }
    samples
}

/// The label's box `[u0, u1, v0, v1]` in the unit square, from a rough text size: about 1.2 % of the
/// plot width per character and 5.5 % of its height per line at the label font size.
fn label_box(label: &str, shape: MarkerShape, side: LabelSide, frame: &Frame) -> [f64; 4] {
    let w = 0.012 * label.chars().count() as f64 + 0.012;
    let (h, g) = (0.055, 0.008);
    let across = |from: f64, right: bool, gap: f64| {
        if right {
            [from + gap, from + gap + w]
        } else {
            [from - gap - w, from - gap]
        }
    };
    let beside = |from: f64, up: bool| if up { [from + g, from + g + h] } else { [from - g - h, from - g] };
    let (xs, ys) = match shape {
        MarkerShape::Vertical(x) => {
            let u = frame.normalize((x, frame.y.min)).0;
            (across(u, side.right, g), if side.up { [1.0 - g - h, 1.0 - g] } else { [g, g + h] })
        }
        MarkerShape::Horizontal(y) => {
            let v = frame.normalize((frame.x.min, y)).1;
            (if side.right { [1.0 - g - w, 1.0 - g] } else { [g, g + w] }, beside(v, side.up))
        }
        MarkerShape::Point(x, y) => {
            let (u, v) = frame.normalize((x, y));
            (across(u, side.right, 2.0 * g), beside(v, side.up))
        }
    };
    [xs[0], xs[1], ys[0], ys[1]]
}

/// The side with the fewest samples under the label; a label that would leave the plot box comes last
/// (ties: right and up first).
fn place_label(
    label: &str,
    shape: MarkerShape,
    frame: &Frame,
    samples: &[Sample],
    legend: Option<[f64; 4]>,
) -> LabelSide {
    let candidates = [(true, true), (false, true), (true, false), (false, false)];
    let cost = |&(right, up): &(bool, bool)| {
        let b = label_box(label, shape, LabelSide { right, up }, frame);
        let outside = b[0] < 0.0 || b[1] > 1.0 || b[2] < 0.0 || b[3] > 1.0;
        let under_legend = legend.is_some_and(|l| b[0] < l[1] && l[0] < b[1] && b[2] < l[3] && l[2] < b[3]);
        u32::from(outside) * 1_000_000 + u32::from(under_legend) * 100_000 + weight_in(&b, samples)
    };
    // `min_by_key` keeps the first of equal minima, so the preference order breaks ties.
    let (right, up) = candidates.iter().min_by_key(|c| cost(c)).copied().unwrap_or((true, true));
    LabelSide { right, up }
}

/// Samples along a marker's dashed lines.
fn marker_line_samples(shape: MarkerShape, frame: &Frame) -> Vec<Sample> {
    let steps = || (0..=24).map(|i| f64::from(i) / 24.0);
    match shape {
        MarkerShape::Vertical(x) => {
            let u = frame.normalize((x, frame.y.min)).0;
            steps().map(|v| ((u, v), 1)).collect()
        }
        MarkerShape::Horizontal(y) => {
            let v = frame.normalize((frame.x.min, y)).1;
            steps().map(|u| ((u, v), 1)).collect()
        }
        MarkerShape::Point(x, y) => {
            let (u, v) = frame.normalize((x, y));
            steps().map(|t| ((u, v * t), 1)).chain(steps().map(|t| ((u * t, v), 1))).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Marker;

    const UNIT_BOX: [f64; 4] = [0.0, 1.0, 0.0, 1.0];

    #[test]
    fn clip_splits_a_line_that_leaves_and_reenters() {
        let run = [(0.1, 0.5), (0.5, 1.5), (0.9, 0.5)];
        let parts = clip_run(&run, UNIT_BOX);
        assert_eq!(parts.len(), 2);
        // The first part ends on the top edge, the second starts there.
        assert!((parts[0][1].1 - 1.0).abs() < 1e-12);
        assert!((parts[1][0].1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn clip_keeps_an_inside_line_whole() {
        let run = [(0.1, 0.1), (0.5, 0.5), (0.9, 0.2)];
        assert_eq!(clip_run(&run, UNIT_BOX), vec![run.to_vec()]);
        assert!(clip_run(&[(2.0, 2.0), (3.0, 3.0)], UNIT_BOX).is_empty());
    }

    #[test]
    fn linear_auto_range_pads_five_percent() {
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::linear("y")).with_series(Series::line(
            "a",
            vec![0.0, 10.0],
            vec![5.0, 5.0],
        ));
        let p = prepare(&fig).expect("prepare");
        assert_eq!((p.x.min, p.x.max), (-0.5, 10.5));
        // Constant y: padded by 5 % of the value.
        assert_eq!((p.y.min, p.y.max), (4.75, 5.25));
    }

    #[test]
    fn log_auto_range_takes_whole_decades() {
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::log("y")).with_series(Series::line(
            "a",
            vec![1.0, 2.0, 3.0],
            vec![2e-4, -1.0, 3e-2],
        ));
        let p = prepare(&fig).expect("prepare");
        assert!((p.y.min - 1e-4).abs() < 1e-18 && (p.y.max - 0.1).abs() < 1e-15);
        // The negative value breaks the line, so no segment is drawn; both valid points are kept.
        assert!(p.series[0].runs.is_empty());
        assert_eq!(p.series[0].points.len(), 2);
    }

    #[test]
    fn markers_outside_a_fixed_range_are_dropped() {
        let fig = Figure::new("f", "F", Axis::linear("x").with_range(0.0, 1.0), Axis::linear("y"))
            .with_series(Series::line("a", vec![0.0, 1.0], vec![0.0, 1.0]))
            .with_marker(Marker::vertical("in", 0.5))
            .with_marker(Marker::vertical("out", 2.0))
            .with_marker(Marker::horizontal("y", 0.5));
        let p = prepare(&fig).expect("prepare");
        assert_eq!(p.markers.len(), 2);
        assert_eq!(p.markers[0].shape, MarkerShape::Vertical(0.5));
    }

    #[test]
    fn legend_avoids_the_data() {
        // Data along the top edge from left to right except the lower right: legend goes lower right.
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::linear("y"))
            .with_series(Series::markers("a", vec![0.0, 0.5, 1.0, 0.0], vec![1.0, 1.0, 1.0, 0.0]))
            .with_series(Series::markers("b", vec![0.1], vec![0.9]));
        assert_eq!(prepare(&fig).expect("prepare").legend, Corner::LowerRight);
    }

    #[test]
    fn equal_aspect_widens_the_narrower_range_at_its_upper_end() {
        let fig = Figure::new(
            "f",
            "F",
            Axis::linear("x").with_range(0.0, 10.0),
            Axis::linear("y").with_range(0.0, 1.0),
        )
        .with_series(Series::line("a", vec![0.0, 10.0], vec![0.0, 1.0]))
        .with_equal_aspect();
        // A box 0.7 times as high as wide: 10 units across need 7 units up.
        let p = prepare_with_aspect(&fig, Some(0.7)).expect("prepare");
        assert_eq!((p.x.min, p.x.max), (0.0, 10.0));
        assert!((p.y.max - 7.0).abs() < 1e-12 && p.y.min == 0.0);
        // Without equal aspect the ranges stay.
        let mut plain = fig.clone();
        plain.equal_aspect = false;
        assert_eq!(prepare_with_aspect(&plain, Some(0.7)).expect("prepare").y.max, 1.0);
    }

    #[test]
    fn secondary_series_are_mapped_onto_the_primary_range() {
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::linear("y").with_range(0.0, 100.0))
            .with_series(Series::line("v", vec![0.0, 1.0], vec![0.0, 100.0]))
            .with_series(Series::line("j", vec![0.0, 1.0], vec![-1.0, 1.0]).on_secondary())
            .with_series(Series::line("hidden", vec![0.0, 1.0], vec![50.0, 50.0]).without_legend())
            .with_y2(Axis::linear("j").with_range(-2.0, 2.0));
        let p = prepare(&fig).expect("prepare");
        let y2 = p.y2.expect("second axis");
        assert_eq!((y2.min, y2.max), (-2.0, 2.0));
        // −1 and 1 on [−2, 2] sit at a quarter and three quarters of [0, 100].
        let run = &p.series[1].runs[0];
        assert!((run[0].1 - 25.0).abs() < 1e-12 && (run[1].1 - 75.0).abs() < 1e-12, "{run:?}");
        assert_eq!(p.legend_entries, 2);
    }

    #[test]
    fn legend_goes_between_lines_along_the_top_and_the_bottom() {
        let xs: Vec<f64> = (0..=20).map(|i| f64::from(i) / 20.0).collect();
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::linear("y"))
            .with_series(Series::line_markers("top", xs.clone(), vec![1.0; 21]))
            .with_series(Series::line_markers("bottom", xs, vec![0.0; 21]));
        assert_eq!(prepare(&fig).expect("prepare").legend, Corner::MiddleRight);
    }

    #[test]
    fn marker_labels_avoid_data_and_the_legend() {
        // Data fills the right half near y = 1; the horizontal marker at y = 0.9 labels at the left.
        let xs: Vec<f64> = (0..=10).map(|i| 0.5 + 0.05 * f64::from(i)).collect();
        let fig = Figure::new(
            "f",
            "F",
            Axis::linear("x").with_range(0.0, 1.0),
            Axis::linear("y").with_range(0.0, 1.0),
        )
        .with_series(Series::markers("a", xs.clone(), vec![0.93; 11]))
        .with_marker(Marker::horizontal("limit", 0.9));
        let p = prepare(&fig).expect("prepare");
        assert_eq!(p.markers[0].side, LabelSide { right: false, up: true });
    }
}
