//! The top of the report: the status banner's assessment line, the written summary and the
//! comparison tables split by what the spelab value is (predictions, PVH-IM / PVH ratios, round-trip
//! checks, measured values, paper values without a counterpart).
//!
//! Every number arrives computed (ratios, deviations, band counts, assumed-parameter bands and whether
//! the paper's value lies inside them); this module chooses the table and the colour of each cell.

use std::fmt::Write as _;

use spelab_core::metric::Role;

use super::{escape, or_missing, MISSING};
use crate::input::{Assessment, ComparisonRow, RatioRow, ReportInput};

/// The band used to colour ratios when the caller gave no assessment.
const DEFAULT_BAND: (f64, f64) = (0.67, 1.5);

/// The `<section id="summary">`: written summary, then the tables.
pub(super) fn summary_section(h: &mut String, report: &ReportInput) {
    h.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    for paragraph in &report.summary {
        let _ = writeln!(h, "<p class=\"summary-text\">{}</p>", escape(paragraph));
    }
    let band = report.assessment.as_ref().map_or(DEFAULT_BAND, |a| (a.band_low, a.band_high));
    let tolerance = report.assessment.as_ref().map_or(0.05, |a| a.round_trip_tolerance);
    let with = |role: Role| -> Vec<&ComparisonRow> {
        report.comparison.iter().filter(|r| r.role == Some(role)).collect()
    };
    let unmatched: Vec<&ComparisonRow> = report.comparison.iter().filter(|r| r.role.is_none()).collect();
    if report.comparison.is_empty() {
        h.push_str("<p class=\"empty\">No paper values to compare with.</p>\n");
    }
    let band_text = format!("{}–{}×", number(band.0), number(band.1));
    paper_table(
        h,
        "predictions",
        &format!("Predictions vs the paper (model outputs that are not inputs; band {band_text})"),
        &with(Role::Prediction),
        band,
    );
    paper_table(h, "measured", "Measured vs the paper", &with(Role::Measured), band);
    paper_table(
        h,
        "calibrated",
        "Calibrated to the paper (fitted to these values: agreement by construction)",
        &with(Role::Calibrated),
        band,
    );
    ratio_table(h, &report.ratios, band);
    round_trip_table(h, &with(Role::RoundTrip), tolerance);
    paper_table(h, "inputs", "Model inputs reported as they are", &with(Role::Input), band);
    unmatched_table(h, &unmatched);
    let _ = writeln!(
        h,
        "<p class=\"note\">spelab / paper: green inside {band_text}, amber within a factor 2, red beyond. \
         Round trips: green within {} % of the input, amber within {} %. {MISSING} marks a missing value.</p>",
        number(tolerance * 100.0),
        number(tolerance * 400.0)
    );
    h.push_str("</section>\n");
}

/// The assessment sentence of the status banner, and whether it calls for attention.
pub(super) fn assessment_line(a: &Assessment) -> (String, bool) {
    let band = format!("{}–{}×", number(a.band_low), number(a.band_high));
    let mut parts = vec![format!(
        "{} of {} predictions outside {band} of the paper's value",
        a.outside.len(),
        a.predictions
    )];
    if !a.not_predicted.is_empty() {
        parts.push(format!("{} paper values not predicted", a.not_predicted.len()));
    }
    parts.push(format!(
        "{} of {} round trips off their input by more than {} %",
        a.round_trips_off.len(),
        a.round_trips,
        number(a.round_trip_tolerance * 100.0)
    ));
    let attention = !a.outside.is_empty() || !a.not_predicted.is_empty() || !a.round_trips_off.is_empty();
    (parts.join("; "), attention)
}

/// A short number: at most three significant digits, no trailing zeros ("0.67", "1.5", "163").
fn number(x: f64) -> String {
    if !x.is_finite() {
        return MISSING.to_string();
    }
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The CSS class and text of a ratio cell ("1.23×"), by the band.
fn ratio_cell(ratio: Option<f64>, band: (f64, f64)) -> (&'static str, String) {
    match ratio.filter(|r| r.is_finite()) {
        None => ("dev-none", MISSING.to_string()),
        Some(r) => {
            let class = if r >= band.0 && r <= band.1 {
                "dev-ok"
            } else if (0.5..=2.0).contains(&r) {
                "dev-warn"
            } else {
                "dev-bad"
            };
            (class, format!("{}×", number(r)))
        }
    }
}

/// The CSS class and text of a deviation cell [%] against `tolerance` (a fraction).
pub(super) fn deviation_cell(deviation: Option<f64>, tolerance: f64) -> (&'static str, String) {
    match deviation.filter(|d| d.is_finite()) {
        None => ("dev-none", MISSING.to_string()),
        Some(d) => {
            let class = match d.abs() / 100.0 {
                a if a <= tolerance => "dev-ok",
                a if a <= 4.0 * tolerance => "dev-warn",
                _ => "dev-bad",
            };
            let text = format!("{d:+.1} %");
            (class, text.replacen('-', "−", 1))
        }
    }
}

/// Paper vs spelab rows of one role: paper, spelab, spelab / paper.
fn paper_table(h: &mut String, class: &str, caption: &str, rows: &[&ComparisonRow], band: (f64, f64)) {
    if rows.is_empty() {
        return;
    }
    // The assumed-parameter band column appears when a row of the table has one.
    let banded = rows.iter().any(|r| r.band.is_some());
    let _ = write!(
        h,
        "<table class=\"comparison {class}\">\n<caption>{}</caption>\n<thead><tr><th>Quantity</th>\
         <th>Material</th><th>Conditions</th><th class=\"num\">Paper</th><th class=\"num\">spelab</th>\
         <th class=\"num\">spelab / paper</th>{}<th>Method</th></tr></thead>\n<tbody>\n",
        escape(caption),
        if banded { "<th>Assumed-parameter band</th>" } else { "" }
    );
    for r in rows {
        let (class, ratio) = ratio_cell(r.ratio, band);
        let band_cell = if banded { band_cell(r) } else { String::new() };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num {class}\">{ratio}</td>{band_cell}<td>{}</td></tr>",
            escape(&r.metric),
            escape(&r.material),
            or_missing(Some(&r.conditions)),
            or_missing(r.paper.as_deref()),
            or_missing(r.spelab.as_deref()),
            or_missing(Some(&r.source)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

/// The band cell of a comparison row: "0.23–0.7 mA/cm²: paper inside" (green) or "outside" (red).
fn band_cell(r: &ComparisonRow) -> String {
    match (&r.band, r.paper_in_band) {
        (Some(text), Some(inside)) => format!(
            "<td class=\"{}\">{}: paper {}</td>",
            if inside { "dev-ok" } else { "dev-bad" },
            escape(text),
            if inside { "inside" } else { "outside" }
        ),
        (Some(text), None) => format!("<td>{}</td>", escape(text)),
        (None, _) => format!("<td class=\"dev-none\">{MISSING}</td>"),
    }
}

/// Round trips: the input beside the recovered value; the paper only for reference.
fn round_trip_table(h: &mut String, rows: &[&ComparisonRow], tolerance: f64) {
    if rows.is_empty() {
        return;
    }
    h.push_str(
        "<table class=\"comparison round-trips\">\n<caption>Round-trip checks: virtual measurements of model \
         inputs, analysed back. The inputs are the paper's values, so agreement with the paper is circular: \
         it checks the analysis, not the model.</caption>\n<thead><tr><th>Quantity</th><th>Material</th>\
         <th>Conditions</th><th class=\"num\">Input (= paper)</th><th class=\"num\">Recovered</th>\
         <th class=\"num\">vs input</th><th>Method</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let (class, deviation) = deviation_cell(r.input_deviation_percent, tolerance);
        let input = r.input.as_deref().or(r.paper.as_deref());
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num {class}\">{deviation}</td><td>{}</td></tr>",
            escape(&r.metric),
            escape(&r.material),
            or_missing(Some(&r.conditions)),
            or_missing(input),
            or_missing(r.spelab.as_deref()),
            or_missing(Some(&r.source)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

/// Ratios between materials, the paper's beside spelab's.
fn ratio_table(h: &mut String, rows: &[RatioRow], band: (f64, f64)) {
    let mut pairs: Vec<&str> = Vec::new();
    for r in rows {
        if !pairs.contains(&r.pair.as_str()) {
            pairs.push(&r.pair);
        }
    }
    for pair in pairs {
        let _ = write!(
            h,
            "<table class=\"ratios\">\n<caption>{}: the paper's contrasts and spelab's</caption>\n<thead><tr>\
             <th>Quantity</th><th>Conditions</th><th class=\"num\">Paper</th><th class=\"num\">spelab</th>\
             <th class=\"num\">spelab / paper</th><th>Kind</th><th>Method</th></tr></thead>\n<tbody>\n",
            escape(pair)
        );
        for r in rows.iter().filter(|r| r.pair == pair) {
            let (class, agreement) = ratio_cell(r.agreement, band);
            let times = |x: Option<f64>| x.filter(|x| x.is_finite()).map(|x| format!("{}×", number(x)));
            let kind = match r.role {
                Some(Role::RoundTrip) => "round trip (inputs)",
                Some(Role::Prediction) => "prediction",
                Some(Role::Measured) => "measured",
                Some(Role::Input) => "input",
                Some(Role::Calibrated) => "calibrated",
                None => "not predicted",
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num {class}\">{agreement}</td><td>{kind}</td><td>{}</td></tr>",
                escape(&r.metric),
                or_missing(Some(&r.conditions)),
                or_missing(times(r.paper).as_deref()),
                or_missing(times(r.spelab).as_deref()),
                escape(&r.method),
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
}

/// Paper values with no spelab value under the same conditions.
fn unmatched_table(h: &mut String, rows: &[&ComparisonRow]) {
    if rows.is_empty() {
        return;
    }
    h.push_str(
        "<table class=\"comparison unmatched\">\n<caption>Paper values with no spelab value under the same \
         conditions</caption>\n<thead><tr><th>Quantity</th><th>Material</th><th>Conditions</th>\
         <th class=\"num\">Paper</th><th>Source</th></tr></thead>\n<tbody>\n",
    );
    for r in rows {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&r.metric),
            escape(&r.material),
            or_missing(Some(&r.conditions)),
            or_missing(r.paper.as_deref()),
            or_missing(Some(&r.source)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deviation_colours_follow_the_tolerance() {
        assert_eq!(deviation_cell(Some(-5.0), 0.05), ("dev-ok", "−5.0 %".to_string()));
        assert_eq!(deviation_cell(Some(12.0), 0.05).0, "dev-warn");
        assert_eq!(deviation_cell(Some(-20.5), 0.05).0, "dev-bad");
        assert_eq!(deviation_cell(None, 0.05).1, MISSING);
        assert_eq!(deviation_cell(Some(f64::NAN), 0.05).1, MISSING);
    }

    #[test]
    fn ratio_colours_follow_the_band() {
        let band = (0.67, 1.5);
        assert_eq!(ratio_cell(Some(1.2), band), ("dev-ok", "1.2×".to_string()));
        assert_eq!(ratio_cell(Some(0.6), band).0, "dev-warn");
        assert_eq!(ratio_cell(Some(0.19), band).0, "dev-bad");
        assert_eq!(ratio_cell(Some(163.2), band).1, "163×");
        assert_eq!(ratio_cell(None, band).1, MISSING);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(0.67), "0.67");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(4.25), "4.25");
        assert_eq!(number(34.2), "34.2");
        assert_eq!(number(5.0), "5");
    }
}
