//! The HTML report: every section is there, user text is escaped, inline figures keep the page valid.

use spelab_core::metric::Role;
use spelab_core::{Metric, MetricId};
use spelab_report::{
    render_html, render_svg, Assessment, Axis, ComparisonRow, Figure, MaterialSummary, MaterialValue,
    RatioRow, RenderedFigure, ReportInput, Series, StepSection, StepStatus, Table,
};

fn figure(id: &str, title: &str) -> RenderedFigure {
    let fig = Figure::new(id, title, Axis::linear("1000/T [1/K]"), Axis::log("σ [S/cm]"))
        .with_series(Series::markers("PVH-IM", vec![3.0, 3.2, 3.4], vec![1e-3, 4e-4, 1e-4]))
        .with_series(Series::line("fit", vec![3.0, 3.4], vec![1.1e-3, 0.9e-4]));
    RenderedFigure {
        id: id.to_string(),
        title: title.to_string(),
        caption: Some(format!("Caption of {id}.")),
        svg: render_svg(&fig).expect("render"),
        files: vec![format!("figures/{id}.svg"), format!("figures/{id}.png"), format!("data/{id}.csv")],
    }
}

fn step(id: &str, status: StepStatus, figures: Vec<RenderedFigure>) -> StepSection {
    StepSection {
        id: id.to_string(),
        kind: "arrhenius".to_string(),
        title: format!("Step {id}"),
        status,
        duration_s: 1.25,
        notes: vec!["fit R² = 0.999".to_string()],
        figures,
        metrics: vec![Metric::new(MetricId::IonicConductivity, 0.123, "simulation").with_material("pvh-im")],
        tables: vec![Table {
            title: "Fit parameters".to_string(),
            columns: vec!["Parameter".to_string(), "Value".to_string()],
            rows: vec![vec!["Ea".to_string(), "0.42 eV".to_string()], vec!["short row".to_string()]],
        }],
    }
}

fn report() -> ReportInput {
    ReportInput {
        title: "PVH vs <b>PVH-IM</b> & friends".to_string(),
        study_path: "examples/pvh-im.toml".to_string(),
        spelab_version: "0.1.0".to_string(),
        generated: "2025-01-01T00:00:00Z".to_string(),
        description: Some("First paragraph.\n\n<script>alert(1)</script>".to_string()),
        materials: vec![MaterialSummary {
            id: "pvh-im".to_string(),
            name: "PVH-IM".to_string(),
            description: "PVDF-HFP with ionic-liquid modified filler".to_string(),
            reference: Some("Doe et al., J. Power Sources 1 (2024) 1".to_string()),
            values: vec![MaterialValue {
                label: "Ionic conductivity".to_string(),
                display: "1.23 mS/cm".to_string(),
                conditions: "25 °C".to_string(),
                source: "Fig. 2a".to_string(),
            }],
        }],
        metrics: vec![
            Metric::new(MetricId::IonicConductivity, 0.123, "simulation")
                .with_material("pvh-im")
                .with_method("EIS, R_b from the high-frequency intercept")
                .with_condition("temperature_K", 298.15),
            Metric::new(MetricId::ActivationEnergy, 30e3, "data/eis.csv").with_uncertainty(1e3),
        ],
        comparison: vec![
            comparison("Ionic conductivity", Some(2.0), Some(Role::RoundTrip)),
            comparison("Activation energy", Some(-12.0), Some(Role::RoundTrip)),
            comparison("Transference number", Some(48.0), Some(Role::RoundTrip)),
            comparison("Critical current density", Some(80.0), Some(Role::Prediction)),
            comparison("Cycle life", Some(-10.0), Some(Role::Prediction)),
            comparison("Crystallinity", None, None),
        ],
        summary: vec!["Two predictions, <one> outside the band.".to_string()],
        ratios: vec![RatioRow {
            pair: "PVH-IM / PVH".to_string(),
            metric: "Critical current density".to_string(),
            conditions: "25 °C".to_string(),
            method: "limiting current".to_string(),
            role: Some(Role::Prediction),
            paper: Some(4.25),
            spelab: Some(8.8),
            agreement: Some(8.8 / 4.25),
        }],
        assessment: Some(Assessment {
            band_low: 0.67,
            band_high: 1.5,
            predictions: 2,
            outside: vec!["PVH-IM CCD: 1.8×".to_string()],
            not_predicted: vec![],
            round_trips: 3,
            round_trip_tolerance: 0.05,
            round_trips_off: vec!["t+: 48 %".to_string()],
        }),
        steps: vec![
            step("eis-25C", StepStatus::Ok, vec![figure("arrhenius", "Arrhenius plot")]),
            step(
                "ccd",
                StepStatus::Failed { message: "solver diverged at t = 3.2 s <dt too large>".to_string() },
                vec![figure("voltage", "Voltage profile")],
            ),
            step(
                "cycling",
                StepStatus::Skipped { reason: "depends on failed step 'ccd'".to_string() },
                vec![],
            ),
        ],
        log: vec!["run started".to_string(), "step ccd failed: <diverged> & stopped".to_string()],
    }
}

fn comparison(metric: &str, deviation: Option<f64>, role: Option<Role>) -> ComparisonRow {
    ComparisonRow {
        role,
        ratio: deviation.map(|d| 1.0 + d / 100.0),
        input_deviation_percent: deviation,
        metric: metric.to_string(),
        material: "PVH-IM".to_string(),
        conditions: "25 °C".to_string(),
        paper: Some("1.20 mS/cm".to_string()),
        spelab: deviation.map(|_| "1.23 mS/cm".to_string()),
        input: None,
        deviation_percent: deviation,
        source: "Fig. 2a".to_string(),
        band: None,
        paper_in_band: None,
    }
}

/// Parses the page as XML (allowing the `<!DOCTYPE html>` line).
fn parse_xml(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(html, options).unwrap_or_else(|e| panic!("not well-formed: {e}"))
}

#[test]
fn page_has_every_section() {
    let html = render_html(&report());
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in [
        "<section id=\"summary\">",
        "<table class=\"metrics\">",
        "<section id=\"metrics\">",
        "<table class=\"comparison predictions\">",
        "<table class=\"comparison round-trips\">",
        "<table class=\"comparison unmatched\">",
        "<table class=\"ratios\">",
        "Two predictions, &lt;one&gt; outside the band.",
        "1 of 2 predictions outside 0.67–1.5× of the paper",
        "<section id=\"materials\">",
        "Fig. 2a",
        "<section id=\"log\">",
        "Ionic conductivity",
        "Activation energy",
        "Fit parameters",
        "fit R² = 0.999",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // Three steps: one of each status.
    assert!(html.contains("3 steps: 1 ok, 1 failed, 1 skipped"));
}

#[test]
fn every_step_figure_is_inline_with_links_to_its_files() {
    let html = render_html(&report());
    assert_eq!(html.matches("<svg").count(), 2, "one inline SVG per figure");
    assert!(!html.contains("<?xml"));
    for id in ["arrhenius", "voltage"] {
        assert!(html.contains(&format!("href=\"figures/{id}.png\"")));
        assert!(html.contains(&format!("href=\"data/{id}.csv\"")));
        assert!(html.contains(&format!("Caption of {id}.")));
    }
    assert!(html.contains("Figure 1.") && html.contains("Figure 2."));
}

#[test]
fn failed_steps_are_listed_at_the_top_and_highlighted() {
    let html = render_html(&report());
    let message = "solver diverged at t = 3.2 s &lt;dt too large&gt;";
    let status = html.find("id=\"status\"").expect("status line");
    let summary = html.find("id=\"summary\"").expect("summary");
    let first = html.find(message).expect("failure message");
    assert!(status < first && first < summary, "failure listed before the summary");
    assert!(html.matches(message).count() >= 2, "also shown in the step section");
    assert!(html.contains("class=\"status has-failed\""));
    assert!(html.contains("class=\"step failed\""));
}

#[test]
fn round_trips_are_coloured_by_their_input_and_predictions_by_the_band() {
    let html = render_html(&report());
    // Round trips against the input, 5 % tolerance.
    assert!(html.contains("dev-ok\">+2.0 %"));
    assert!(html.contains("dev-warn\">−12.0 %"));
    assert!(html.contains("dev-bad\">+48.0 %"));
    // Predictions by spelab / paper against 0.67–1.5×.
    assert!(html.contains("dev-warn\">1.8×"), "CCD 1.8× is outside the band, within a factor 2");
    assert!(html.contains("dev-ok\">0.9×"));
    assert!(html.contains("dev-bad\">2.07×"), "ratio of ratios 8.8 / 4.25");
    // The round trips sit in their own table, after the predictions.
    let predictions = html.find("comparison predictions").expect("predictions");
    let round_trips = html.find("comparison round-trips").expect("round trips");
    assert!(predictions < round_trips);
}

#[test]
fn user_text_is_escaped() {
    let html = render_html(&report());
    assert!(!html.contains("<script"), "no script element may survive");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("PVH vs &lt;b&gt;PVH-IM&lt;/b&gt; &amp; friends"));
    assert!(html.contains("&lt;diverged&gt; &amp; stopped"));
}

#[test]
fn page_is_well_formed_and_self_contained() {
    let html = render_html(&report());
    // The page is polyglot markup: it also parses as XML, which checks that every tag is closed and
    // that the inline SVGs did not break the structure.
    let doc = parse_xml(&html);
    let ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    for node in doc.descendants() {
        for attr in ["href", "src"] {
            if let Some(v) = node.attribute(attr) {
                assert!(!v.contains("://") && !v.starts_with("//"), "external {attr}: {v}");
            }
        }
    }
    assert!(!html.contains("<link") && !html.contains("@import"));
}

#[test]
fn an_empty_report_still_renders() {
    let empty = ReportInput {
        title: "Empty".to_string(),
        study_path: "s.toml".to_string(),
        spelab_version: "0.1.0".to_string(),
        generated: String::new(),
        description: None,
        materials: vec![],
        metrics: vec![],
        comparison: vec![],
        summary: vec![],
        ratios: vec![],
        assessment: None,
        steps: vec![],
        log: vec![],
    };
    let html = render_html(&empty);
    assert!(html.contains("0 steps: 0 ok, 0 failed, 0 skipped"));
    parse_xml(&html);
}

/// A prediction with an assumed-parameter band gets a band column saying whether the paper's value is
/// inside; the metric's band is shown beside its uncertainty; rows without a band show a dash.
#[test]
fn assumed_parameter_bands_are_shown_with_the_paper_inside_or_outside() {
    let mut r = report();
    let mut ccd = comparison("Critical current density", Some(80.0), Some(Role::Prediction));
    ccd.band = Some("0.23–0.7 mA/cm²".to_string());
    ccd.paper_in_band = Some(true);
    let mut life = comparison("Cycle life", Some(-10.0), Some(Role::Prediction));
    life.band = Some("1–2 h".to_string());
    life.paper_in_band = Some(false);
    r.comparison = vec![ccd, life, comparison("Oxidation onset", Some(1.0), Some(Role::Prediction))];
    r.metrics = vec![Metric::new(MetricId::CriticalCurrentDensity, 4.27, "simulation").with_band(Some(
        spelab_core::metric::Band { low: 2.3, high: 7.0, combination: "q".into(), parameters: Vec::new() },
    ))];
    r.steps[0].tables.push(Table {
        title: "t+".into(),
        columns: vec!["t+".into()],
        rows: vec![vec!["0.901276 ± 0.000033".into()]],
    });
    let html = render_html(&r);
    parse_xml(&html);
    // A value with its uncertainty may wrap before the ±, never inside "± u".
    assert!(html.contains("<td class=\"num pm\">0.901276 ±\u{a0}0.000033</td>"), "± cell");
    assert!(html.contains("<th>Assumed-parameter band</th>"), "band column");
    assert!(html.contains("<td class=\"dev-ok\">0.23–0.7 mA/cm²: paper inside</td>"), "inside");
    assert!(html.contains("<td class=\"dev-bad\">1–2 h: paper outside</td>"), "outside");
    assert!(html.contains("<td class=\"dev-none\">—</td>"), "a row without a band");
    assert!(html.contains("band 0.23 mA/cm² – 0.7 mA/cm²"), "metric band beside the uncertainty");
}
