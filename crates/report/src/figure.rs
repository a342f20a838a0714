//! A small declarative figure model: what to draw, not how.
//!
//! A [`Figure`] is plain data (serde-serializable), built by the analysis or simulation glue in the CLI
//! and drawn by [`crate::plot::render_svg`] / [`crate::plot::render_png`]. Values are in the units
//! that the axis label names (the caller converts SI values to display units before building the
//! figure; `report` never converts).
//!
//! ```
//! use spelab_report::figure::{Axis, Figure, Marker, Series};
//! let fig = Figure::new("arrhenius", "Arrhenius plot", Axis::linear("1000/T [1/K]"), Axis::log("σ [S/cm]"))
//!     .with_series(Series::markers("PVH-IM", vec![3.0, 3.2, 3.4], vec![1e-3, 5e-4, 2e-4]))
//!     .with_marker(Marker::vertical("25 °C", 1000.0 / 298.15))
//!     .with_caption("Ionic conductivity vs inverse temperature.");
//! assert_eq!(fig.point_count().drawable, 3);
//! ```

use serde::{Deserialize, Serialize};

/// One figure: a title, two axes, data series, reference markers and an optional caption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Identifier and file stem (`"arrhenius"` gives `figures/arrhenius.svg`).
    pub id: String,
    /// Title drawn at the top of the plot.
    pub title: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Data series, drawn in order (later series on top).
    pub series: Vec<Series>,
    /// Caption for the report (not drawn in the image).
    pub caption: Option<String>,
    /// Reference lines and points (a paper value, a temperature, a cut-off voltage).
    pub markers: Vec<Marker>,
    /// One data unit spans the same length on both axes (a Nyquist plot); the renderer widens the
    /// narrower range at its upper end. Linear axes only (ignored otherwise).
    #[serde(default)]
    pub equal_aspect: bool,
    /// A zoomed copy of the plot in the corner with the least data (the high-frequency arc of a
    /// Nyquist plot); its region is outlined in the main plot.
    #[serde(default)]
    pub inset: Option<Inset>,
    /// A second, linear vertical axis on the right for the series marked
    /// [`Series::secondary`] (the current steps under a voltage trace).
    #[serde(default)]
    pub y2: Option<Axis>,
    /// Smaller plots drawn in one row under the main plot (zoomed windows, a companion panel); each
    /// is a complete figure whose `id` and caption are ignored. The image grows by
    /// [`crate::plot::PANEL_HEIGHT`].
    #[serde(default)]
    pub panels: Vec<Figure>,
}

/// A zoomed region of a figure, drawn as an inset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inset {
    /// Horizontal range `(min, max)` [x-axis unit].
    pub x: (f64, f64),
    /// Vertical range `(min, max)` [y-axis unit].
    pub y: (f64, f64),
}

/// One axis: its label (with unit), scale and optional fixed range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Axis {
    /// Label with the unit in brackets (`"1000/T [1/K]"`).
    pub label: String,
    /// Linear or base-10 logarithmic.
    pub scale: Scale,
    /// Fixed `(min, max)` [axis unit]; `None` chooses the range from the data: 5 % padding on a linear
    /// axis, whole decades on a log axis.
    pub range: Option<(f64, f64)>,
}

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Linear axis.
    Linear,
    /// Base-10 logarithmic axis with decade ticks; non-positive values are skipped.
    Log10,
}

/// One data series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Legend entry (and CSV column prefix).
    pub name: String,
    /// Horizontal values [x-axis unit].
    pub x: Vec<f64>,
    /// Vertical values [y-axis unit]; paired with `x` by index.
    pub y: Vec<f64>,
    /// How the points are drawn.
    pub style: SeriesStyle,
    /// Palette index (Okabe-Ito, wraps after 8); `None` takes the series' position in the figure.
    pub color: Option<usize>,
    /// An explicit sRGB colour (e.g. from [`sequential_color`]); overrides `color`.
    #[serde(default)]
    pub rgb: Option<[u8; 3]>,
    /// Drawn against the figure's second axis ([`Figure::y2`]).
    #[serde(default)]
    pub secondary: bool,
    /// Left out of the legend (a confidence band's second edge, a fit line per spectrum).
    #[serde(default)]
    pub no_legend: bool,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeriesStyle {
    /// Solid line through the points (a fit, a simulation).
    Line,
    /// Filled circles only (measured data).
    Markers,
    /// Solid line with filled circles.
    LineMarkers,
    /// Dashed line (a model, an extrapolation).
    Dashed,
    /// Open rings, larger than data points (a value read off the data: R_b on a Nyquist plot).
    Rings,
}

impl SeriesStyle {
    /// Whether the style draws a line between points.
    pub fn has_line(self) -> bool {
        !matches!(self, SeriesStyle::Markers | SeriesStyle::Rings)
    }

    /// Whether the style draws a circle at each point.
    pub fn has_markers(self) -> bool {
        matches!(self, SeriesStyle::Markers | SeriesStyle::LineMarkers)
    }
}

/// A labelled reference: a vertical line at `x`, a horizontal line at `y`, or a point if both are set.
/// Drawn dashed in dark grey with its label; not listed in the legend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Text drawn next to the marker (`"paper: 1.2 mS/cm"`).
    pub label: String,
    /// Position on the x axis [x-axis unit].
    pub x: Option<f64>,
    /// Position on the y axis [y-axis unit].
    pub y: Option<f64>,
}

/// How many points of a figure can be drawn and why the others cannot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointCount {
    /// Points with finite coordinates, positive on log axes.
    pub drawable: usize,
    /// Points skipped because x or y is NaN or infinite.
    pub skipped_non_finite: usize,
    /// Points skipped because a coordinate on a log axis is zero or negative.
    pub skipped_non_positive: usize,
    /// Values without a partner because a series' `x` and `y` differ in length.
    pub unpaired: usize,
}

impl PointCount {
    /// All points skipped for any reason.
    pub fn skipped(&self) -> usize {
        self.skipped_non_finite + self.skipped_non_positive + self.unpaired
    }
}

impl Figure {
    /// A figure with no series, markers or caption yet.
    pub fn new(id: impl Into<String>, title: impl Into<String>, x: Axis, y: Axis) -> Figure {
        Figure {
            id: id.into(),
            title: title.into(),
            x,
            y,
            series: Vec::new(),
            caption: None,
            markers: Vec::new(),
            equal_aspect: false,
            inset: None,
            y2: None,
            panels: Vec::new(),
        }
    }

    /// Draws one data unit at the same length on both axes (see [`Figure::equal_aspect`]).
    pub fn with_equal_aspect(mut self) -> Figure {
        self.equal_aspect = true;
        self
    }

    /// Adds a zoomed inset of the region `x` × `y` [axis units].
    pub fn with_inset(mut self, x: (f64, f64), y: (f64, f64)) -> Figure {
        self.inset = Some(Inset { x, y });
        self
    }

    /// Adds a second, linear vertical axis on the right (see [`Series::on_secondary`]).
    pub fn with_y2(mut self, axis: Axis) -> Figure {
        self.y2 = Some(axis);
        self
    }

    /// Adds a panel under the main plot (see [`Figure::panels`]).
    pub fn with_panel(mut self, panel: Figure) -> Figure {
        self.panels.push(panel);
        self
    }

    /// Adds a series (drawn after, so on top of, the earlier ones).
    pub fn with_series(mut self, series: Series) -> Figure {
        self.series.push(series);
        self
    }

    /// Sets the caption shown under the figure in the report.
    pub fn with_caption(mut self, caption: impl Into<String>) -> Figure {
        self.caption = Some(caption.into());
        self
    }

    /// Adds a reference marker.
    pub fn with_marker(mut self, marker: Marker) -> Figure {
        self.markers.push(marker);
        self
    }

    /// Counts drawable and skipped points (the renderers skip the same points).
    pub fn point_count(&self) -> PointCount {
        let mut count = PointCount::default();
        for s in &self.series {
            count.unpaired += s.x.len().abs_diff(s.y.len());
            for (&x, &y) in s.x.iter().zip(&s.y) {
                match classify(x, y, self.x.scale, self.y.scale) {
                    PointClass::Drawable => count.drawable += 1,
                    PointClass::NonFinite => count.skipped_non_finite += 1,
                    PointClass::NonPositive => count.skipped_non_positive += 1,
                }
            }
        }
        count
    }
}

impl Axis {
    /// A linear axis with an automatic range; the label carries the unit (`"t [h]"`).
    pub fn linear(label: impl Into<String>) -> Axis {
        Axis { label: label.into(), scale: Scale::Linear, range: None }
    }

    /// A base-10 log axis with an automatic whole-decade range (`"|Z| [Ω]"`).
    pub fn log(label: impl Into<String>) -> Axis {
        Axis { label: label.into(), scale: Scale::Log10, range: None }
    }

    /// Fixes the range to `[min, max]` [axis unit] (checked when rendering).
    pub fn with_range(mut self, min: f64, max: f64) -> Axis {
        self.range = Some((min, max));
        self
    }
}

impl Series {
    /// A series with the given style and the default colour.
    pub fn new(
        name: impl Into<String>,
        x: impl Into<Vec<f64>>,
        y: impl Into<Vec<f64>>,
        style: SeriesStyle,
    ) -> Series {
        Series {
            name: name.into(),
            x: x.into(),
            y: y.into(),
            style,
            color: None,
            rgb: None,
            secondary: false,
            no_legend: false,
        }
    }

    /// A solid line.
    pub fn line(name: impl Into<String>, x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Series {
        Series::new(name, x, y, SeriesStyle::Line)
    }

    /// Filled circles only.
    pub fn markers(name: impl Into<String>, x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Series {
        Series::new(name, x, y, SeriesStyle::Markers)
    }

    /// A solid line with filled circles.
    pub fn line_markers(name: impl Into<String>, x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Series {
        Series::new(name, x, y, SeriesStyle::LineMarkers)
    }

    /// A dashed line.
    pub fn dashed(name: impl Into<String>, x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Series {
        Series::new(name, x, y, SeriesStyle::Dashed)
    }

    /// Open rings (see [`SeriesStyle::Rings`]).
    pub fn rings(name: impl Into<String>, x: impl Into<Vec<f64>>, y: impl Into<Vec<f64>>) -> Series {
        Series::new(name, x, y, SeriesStyle::Rings)
    }

    /// Picks a palette colour by index (0 = blue, 1 = vermillion, 2 = bluish green, ...).
    pub fn with_color(mut self, palette_index: usize) -> Series {
        self.color = Some(palette_index);
        self
    }

    /// Sets an explicit sRGB colour (overrides the palette).
    pub fn with_rgb(mut self, rgb: [u8; 3]) -> Series {
        self.rgb = Some(rgb);
        self
    }

    /// Draws the series against the figure's second axis ([`Figure::y2`]).
    pub fn on_secondary(mut self) -> Series {
        self.secondary = true;
        self
    }

    /// Leaves the series out of the legend.
    pub fn without_legend(mut self) -> Series {
        self.no_legend = true;
        self
    }
}

impl Marker {
    /// A vertical dashed line at `x` [x-axis unit].
    pub fn vertical(label: impl Into<String>, x: f64) -> Marker {
        Marker { label: label.into(), x: Some(x), y: None }
    }

    /// A horizontal dashed line at `y` [y-axis unit].
    pub fn horizontal(label: impl Into<String>, y: f64) -> Marker {
        Marker { label: label.into(), x: None, y: Some(y) }
    }

    /// A labelled point at (`x`, `y`) with dashed drop lines to both axes.
    pub fn point(label: impl Into<String>, x: f64, y: f64) -> Marker {
        Marker { label: label.into(), x: Some(x), y: Some(y) }
    }
}

/// Anchors of a sequential colour map from dark blue through teal and green to dark orange (the
/// viridis path with its pale yellow end replaced by an orange that stays visible on white), sRGB.
const SEQUENTIAL: [[u8; 3]; 6] = [
    [0x44, 0x01, 0x54],
    [0x3B, 0x52, 0x8B],
    [0x21, 0x90, 0x8C],
    [0x3E, 0xB0, 0x5A],
    [0xA8, 0xA2, 0x1A],
    [0xE0, 0x6C, 0x00],
];

/// Colour `index` of `count` along a sequential colour map (first dark purple, last dark orange), for
/// series ordered by a quantity (spectra by temperature): every index gets its own colour, neighbours
/// differ least.
pub fn sequential_color(index: usize, count: usize) -> [u8; 3] {
    let t = if count > 1 { index.min(count - 1) as f64 / (count - 1) as f64 } else { 0.0 };
    let s = t * (SEQUENTIAL.len() - 1) as f64;
    let k = (s.floor() as usize).min(SEQUENTIAL.len() - 2);
    let f = s - k as f64;
    let (a, b) = (SEQUENTIAL[k], SEQUENTIAL[k + 1]);
    std::array::from_fn(|c| (f64::from(a[c]) + f * (f64::from(b[c]) - f64::from(a[c]))).round() as u8)
}

/// Whether one point can be drawn on axes with the given scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PointClass {
    Drawable,
    NonFinite,
    NonPositive,
}

/// Classifies a point: non-finite first, then non-positive on a log axis.
pub(crate) fn classify(x: f64, y: f64, x_scale: Scale, y_scale: Scale) -> PointClass {
    if !x.is_finite() || !y.is_finite() {
        PointClass::NonFinite
    } else if !value_fits(x, x_scale) || !value_fits(y, y_scale) {
        PointClass::NonPositive
    } else {
        PointClass::Drawable
    }
}

/// Whether a single finite-or-not value can sit on an axis of this scale.
pub(crate) fn value_fits(v: f64, scale: Scale) -> bool {
    v.is_finite() && (scale == Scale::Linear || v > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_count_separates_the_reasons() {
        let fig = Figure::new("f", "F", Axis::linear("x"), Axis::log("y"))
            .with_series(Series::line("a", vec![1.0, 2.0, f64::NAN, 4.0, 5.0], vec![1.0, -1.0, 3.0, 0.0]))
            .with_series(Series::markers("b", vec![1.0], vec![f64::INFINITY]));
        let c = fig.point_count();
        assert_eq!(c.drawable, 1);
        assert_eq!(c.skipped_non_finite, 2);
        assert_eq!(c.skipped_non_positive, 2);
        assert_eq!(c.unpaired, 1);
        assert_eq!(c.skipped(), 5);
    }

    #[test]
    fn sequential_colours_are_distinct_and_ordered() {
        let c: Vec<[u8; 3]> = (0..10).map(|i| sequential_color(i, 10)).collect();
        assert_eq!(c[0], SEQUENTIAL[0]);
        assert_eq!(c[9], SEQUENTIAL[5]);
        for i in 0..10 {
            for j in 0..i {
                assert_ne!(c[i], c[j], "colours {i} and {j}");
            }
        }
        // Every colour is dark enough to read on white: luma below 200 of 255.
        for rgb in &c {
            let luma = 0.299 * f64::from(rgb[0]) + 0.587 * f64::from(rgb[1]) + 0.114 * f64::from(rgb[2]);
            assert!(luma < 200.0, "{rgb:?}");
        }
        assert_eq!(sequential_color(0, 1), SEQUENTIAL[0]);
    }

    #[test]
    fn older_figure_json_without_the_new_fields_still_reads() {
        let json = r#"{"id":"f","title":"F","x":{"label":"x","scale":"linear","range":null},
            "y":{"label":"y","scale":"log10","range":null},"caption":null,"markers":[],
            "series":[{"name":"a","x":[1.0],"y":[2.0],"style":"line","color":null}]}"#;
        let fig: Figure = serde_json::from_str(json).expect("old JSON");
        assert!(!fig.equal_aspect && fig.inset.is_none() && fig.y2.is_none() && fig.panels.is_empty());
        assert!(!fig.series[0].secondary && fig.series[0].rgb.is_none());
    }

    #[test]
    fn serde_names_are_snake_case() {
        let json = serde_json::to_string(&Axis::log("y")).expect("serialize");
        assert!(json.contains("\"log10\""), "{json}");
        let s = Series::line_markers("a", vec![1.0], vec![2.0]);
        let json = serde_json::to_string(&s).expect("serialize");
        assert!(json.contains("\"line_markers\""), "{json}");
    }
}
