//! spelab-report: figures (SVG, PNG), flat CSV and the self-contained HTML report.
//!
//! This crate sits between `spelab-cli` (above) and `spelab-core` (below). The CLI's study runner
//! collects what the analyses and simulations produced, describes each plot as a declarative
//! [`Figure`], and asks this crate to turn figures and results into text and bytes. The rule is strict:
//! `report` formats and draws. It never computes a metric (deviations, conversions and fits arrive
//! already computed) and never touches files: every function returns a `String` or `Vec<u8>` and the
//! CLI writes them atomically into the run directory.
//!
//! - [`figure`]: the figure model ([`Figure`], [`Axis`], [`Series`], [`Marker`]), serde-serializable;
//! - [`plot`]: [`render_svg`] and [`render_png`] with a publication style (Okabe-Ito palette, decade
//!   ticks on log axes, legend in the emptiest corner);
//! - [`html`]: [`render_html`] builds one page from a [`ReportInput`] (written summary, paper-vs-spelab
//!   tables split by role: predictions, ratios between materials, round-trip checks; all metrics,
//!   materials, one section per step with inline figures, run log);
//! - [`csv`]: [`metrics_csv`] and [`figure_data_csv`].
//!
//! A figure with nothing drawable is an error ([`ReportError::EmptyFigure`]), never a panic:
//!
//! ```
//! use spelab_report::{render_svg, Axis, Figure, Marker, Series};
//!
//! let inverse_t = vec![3.0, 3.1, 3.2, 3.3, 3.4];
//! let sigma = vec![2.1e-3, 1.2e-3, 6.5e-4, 3.3e-4, 1.6e-4];
//! let fig = Figure::new("arrhenius", "Arrhenius plot", Axis::linear("1000/T [1/K]"), Axis::log("σ [S/cm]"))
//!     .with_series(Series::markers("PVH-IM", inverse_t.clone(), sigma))
//!     .with_series(Series::line("fit", inverse_t, vec![2.0e-3, 1.1e-3, 6.3e-4, 3.4e-4, 1.7e-4]))
//!     .with_marker(Marker::vertical("25 °C", 1000.0 / 298.15));
//! let svg = render_svg(&fig).unwrap();
//! assert!(svg.starts_with("<svg"));
//!
//! let empty = Figure::new("empty", "Nothing", Axis::linear("x"), Axis::linear("y"))
//!     .with_series(Series::line("nan", vec![f64::NAN], vec![1.0]));
//! assert!(matches!(render_svg(&empty), Err(spelab_report::ReportError::EmptyFigure { .. })));
//! ```

mod chart;
pub mod csv;
pub mod error;
pub mod figure;
mod geometry;
pub mod html;
pub mod input;
mod labels;
mod placement;
pub mod plot;
mod style;
mod ticks;

pub use csv::{figure_data_csv, metrics_csv};
pub use error::{ReportError, MAX_LOG_DECADES};
pub use figure::{sequential_color, Axis, Figure, Inset, Marker, PointCount, Scale, Series, SeriesStyle};
pub use html::{escape, render_html};
pub use input::{
    Assessment, ComparisonRow, MaterialSummary, MaterialValue, RatioRow, RenderedFigure, ReportInput,
    StepSection, StepStatus, Table,
};
pub use plot::{render_png, render_svg};
