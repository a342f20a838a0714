//! What the HTML report shows: plain data assembled by the CLI's study runner.
//!
//! Every value here is already computed and formatted by the caller (metrics by `analysis`, display
//! strings by `core::units`, deviations by the runner); the report only lays them out.

use serde::{Deserialize, Serialize};
use spelab_core::metric::Role;
use spelab_core::Metric;

/// Everything one `report.html` shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ReportInput {
    /// Page title (the study's title).
    pub title: String,
    /// Path of the study file as the user gave it.
    pub study_path: String,
    /// spelab version that produced the run.
    pub spelab_version: String,
    /// When the run finished, as text (RFC 3339 recommended).
    pub generated: String,
    /// The study's description, if any; blank lines separate paragraphs.
    pub description: Option<String>,
    /// The materials of the study with their preset values.
    pub materials: Vec<MaterialSummary>,
    /// Every metric of the run, in report order.
    pub metrics: Vec<Metric>,
    /// Paper-vs-spelab rows, each with the role of its spelab value.
    pub comparison: Vec<ComparisonRow>,
    /// A short written summary at the top of the page, one paragraph per entry (plain text).
    #[serde(default)]
    pub summary: Vec<String>,
    /// Ratios between materials (PVH-IM / PVH), the model's beside the paper's.
    #[serde(default)]
    pub ratios: Vec<RatioRow>,
    /// How the predictions and round trips fare against the stated bands, for the status banner.
    #[serde(default)]
    pub assessment: Option<Assessment>,
    /// One section per study step, in run order.
    pub steps: Vec<StepSection>,
    /// The run log, one line per entry.
    pub log: Vec<String>,
}

/// One material and its preset values with their sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialSummary {
    /// Material id in the study (`"pvh-im"`).
    pub id: String,
    /// Display name (`"PVH-IM"`).
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Citation text (plain text, not a link).
    pub reference: Option<String>,
    /// Preset values.
    pub values: Vec<MaterialValue>,
}

/// One preset value of a material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialValue {
    /// What it is (`"Ionic conductivity"`).
    pub label: String,
    /// Value with its display unit (`"1.23 mS/cm"`).
    pub display: String,
    /// Conditions as text (`"25 °C"`).
    pub conditions: String,
    /// Where in the paper (`"Fig. 2a"`).
    pub source: String,
}

/// One row of the paper-vs-spelab table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonRow {
    /// Metric label (`"Ionic conductivity"`).
    pub metric: String,
    /// Material name.
    pub material: String,
    /// Conditions as text.
    pub conditions: String,
    /// The paper's value, formatted.
    pub paper: Option<String>,
    /// spelab's value, formatted.
    pub spelab: Option<String>,
    /// The model input the simulated measurement came from, formatted (virtual lab).
    pub input: Option<String>,
    /// `(spelab - paper) / paper × 100`, computed by the caller [%].
    pub deviation_percent: Option<f64>,
    /// What the spelab value is (round trip, prediction, ...); `None` when nothing matched.
    #[serde(default)]
    pub role: Option<Role>,
    /// spelab / paper, computed by the caller.
    #[serde(default)]
    pub ratio: Option<f64>,
    /// `(spelab - input) / input × 100` of a round trip, computed by the caller [%].
    #[serde(default)]
    pub input_deviation_percent: Option<f64>,
    /// Where the paper value comes from (`"Fig. 2a"`).
    pub source: String,
    /// The spelab value's assumed-parameter band, formatted ("0.23–0.70 mA/cm²"), when computed.
    #[serde(default)]
    pub band: Option<String>,
    /// Whether the paper's value lies inside that band.
    #[serde(default)]
    pub paper_in_band: Option<bool>,
}

/// One ratio between two materials of one quantity under the same conditions ("σ(PVH-IM) / σ(PVH)").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatioRow {
    /// The two materials (`"PVH-IM / PVH"`).
    pub pair: String,
    /// Metric label.
    pub metric: String,
    /// Conditions as text.
    pub conditions: String,
    /// How spelab obtained its values (the method's first clause), or why there are none.
    pub method: String,
    /// The role of spelab's values; `None` when spelab has none.
    pub role: Option<Role>,
    /// The paper's ratio.
    pub paper: Option<f64>,
    /// spelab's ratio.
    pub spelab: Option<f64>,
    /// spelab's ratio over the paper's, computed by the caller.
    pub agreement: Option<f64>,
}

/// Counts for the status banner: predictions outside a stated band of the paper's value, round trips
/// off their input, paper values with no spelab counterpart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The band of spelab / paper a prediction should fall in, lower end (0.67).
    pub band_low: f64,
    /// Upper end of the band (1.5).
    pub band_high: f64,
    /// Predictions with a paper value and a finite spelab value.
    pub predictions: usize,
    /// Those outside the band, labelled ("PVH CCD (Sand current): 1.07×").
    pub outside: Vec<String>,
    /// Paper values that a prediction step addressed but gave no finite value for (labels).
    pub not_predicted: Vec<String>,
    /// Round trips with an input value.
    pub round_trips: usize,
    /// Largest |spelab − input| / input a round trip may show, as a fraction (0.05).
    pub round_trip_tolerance: f64,
    /// Round trips off their input by more than the tolerance, labelled.
    pub round_trips_off: Vec<String>,
}
/// One step of the study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSection {
    /// Step id from the study file (also the HTML anchor).
    pub id: String,
    /// Step kind (`"eis"`, `"arrhenius"`, `"simulate.symmetric_cell"`).
    pub kind: String,
    /// Heading.
    pub title: String,
    /// Whether it ran.
    pub status: StepStatus,
    /// Wall time [s].
    pub duration_s: f64,
    /// Free-text notes (fit quality, warnings, skipped points).
    pub notes: Vec<String>,
    /// Figures, drawn inline.
    pub figures: Vec<RenderedFigure>,
    /// The step's metrics.
    pub metrics: Vec<Metric>,
    /// Extra tables (fit parameters, cycle summaries).
    pub tables: Vec<Table>,
}

/// How a step ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum StepStatus {
    /// Ran to completion.
    Ok,
    /// Stopped with an error.
    Failed {
        /// The error chain as text.
        message: String,
    },
    /// Not run.
    Skipped {
        /// Why (`"depends on failed step 'eis-25C'"`).
        reason: String,
    },
}

/// A figure already rendered, with the files written for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedFigure {
    /// Figure id (file stem).
    pub id: String,
    /// Title.
    pub title: String,
    /// Caption under the figure.
    pub caption: Option<String>,
    /// The output of [`crate::plot::render_svg`], embedded inline.
    pub svg: String,
    /// Paths relative to the report (`"figures/x.svg"`, `"figures/x.png"`, `"data/x.csv"`), linked.
    pub files: Vec<String>,
}

/// A plain table of preformatted cells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Caption.
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows of cells; short rows are padded with empty cells.
    pub rows: Vec<Vec<String>>,
}
