//! The self-contained HTML report: one page with inline CSS and inline SVG figures.
//!
//! The page needs nothing from the network: no scripts, no fonts, no stylesheets; the only links are
//! in-page anchors and relative links to the run directory's own files (`figures/x.png`). Every piece
//! of caller text is escaped. The markup is also well-formed XML (void elements self-closed, only the
//! five XML entities), so tests can parse it and tools can post-process it.
//!
//! Layout: header (title, study, version, time, description), status line (steps, then predictions
//! outside the stated band of the paper and round trips off their input) with failed steps listed
//! first, "Summary" ([`summary`]: the written summary, then paper vs spelab split by role:
//! predictions, ratios between materials, round-trip checks, measured values, paper values without a
//! counterpart), "All metrics", "Materials", one section per step (status, duration, notes, metrics,
//! tables, figures with captions and file links) and the run log.

mod summary;

use std::collections::HashSet;
use std::fmt::Write as _;

use spelab_core::Metric;

pub use crate::csv::{figure_data_csv, metrics_csv};
pub use crate::input::{
    Assessment, ComparisonRow, MaterialSummary, MaterialValue, RatioRow, RenderedFigure, ReportInput,
    StepSection, StepStatus, Table,
};

/// Shown for a missing value.
const MISSING: &str = "—";

/// Escapes text for HTML element content and attribute values (`& < > " '`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page style: readable on screen, printable (colours kept for status and deviations).
const CSS: &str = include_str!("../report.css");

/// Renders the whole report as one HTML5 page.
pub fn render_html(report: &ReportInput) -> String {
    let mut anchors = Anchors::default();
    let step_anchors: Vec<String> = report.steps.iter().map(|s| anchors.unique("step", &s.id)).collect();
    let mut h = String::with_capacity(64 * 1024);
    let title = escape(&report.title);
    let version = escape(&report.spelab_version);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <meta name=\"generator\" content=\"spelab {version}\" />\n\
         <title>{title} — spelab report</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    );

    // Header.
    let _ = write!(
        h,
        "<header>\n<h1>{title}</h1>\n<dl class=\"meta\">\n\
         <dt>Study</dt><dd><code>{}</code></dd>\n<dt>spelab</dt><dd>{version}</dd>\n\
         <dt>Generated</dt><dd>{}</dd>\n</dl>\n",
        escape(&report.study_path),
        escape(&report.generated)
    );
    if let Some(description) = &report.description {
        for paragraph in description.split("\n\n").filter(|p| !p.trim().is_empty()) {
            let _ = writeln!(h, "<p class=\"description\">{}</p>", escape(paragraph.trim()));
        }
    }
    h.push_str("</header>\n");

    // Navigation: the page's sections; the steps are listed at the top of their section.
    h.push_str("<nav>\n<ul>\n");
    for (anchor, label) in [
        ("summary", "Summary"),
        ("metrics", "All metrics"),
        ("materials", "Materials"),
        ("steps", "Steps"),
        ("log", "Run log"),
    ] {
        let _ = writeln!(h, "<li><a href=\"#{anchor}\">{label}</a></li>");
    }
    h.push_str("</ul>\n</nav>\n");

    status_section(&mut h, report, &step_anchors);

    summary::summary_section(&mut h, report);

    h.push_str("<section id=\"metrics\">\n<h2>All metrics</h2>\n");
    if report.metrics.is_empty() {
        h.push_str("<p class=\"empty\">No metrics were computed.</p>\n");
    } else {
        metrics_table(&mut h, &report.metrics);
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"materials\">\n<h2>Materials</h2>\n");
    if report.materials.is_empty() {
        h.push_str("<p class=\"empty\">No materials in this study.</p>\n");
    }
    for material in &report.materials {
        material_section(&mut h, material, &mut anchors);
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"steps\">\n<h2>Steps</h2>\n");
    if report.steps.is_empty() {
        h.push_str("<p class=\"empty\">No steps in this study.</p>\n");
    } else {
        h.push_str("<nav class=\"toc\">\n<ul>\n");
        for (step, anchor) in report.steps.iter().zip(&step_anchors) {
            let _ = writeln!(h, "<li><a href=\"#{anchor}\">{}</a></li>", escape(&step.title));
        }
        h.push_str("</ul>\n</nav>\n");
    }
    let mut figure_number = 0;
    for (step, anchor) in report.steps.iter().zip(&step_anchors) {
        step_section(&mut h, step, anchor, &mut figure_number, &mut anchors);
    }
    h.push_str("</section>\n");

    let _ = write!(
        h,
        "<section id=\"log\">\n<h2>Run log</h2>\n<pre class=\"log\">{}</pre>\n</section>\n\
         <footer>Generated by spelab {version}. This page is self-contained; figures, data and \
         metrics files sit beside it in the run directory.</footer>\n</body>\n</html>\n",
        escape(&report.log.join("\n"))
    );
    h
}

/// The status line: counts, and every failed step with its message, linked.
fn status_section(h: &mut String, report: &ReportInput, anchors: &[String]) {
    let count = |f: fn(&StepStatus) -> bool| report.steps.iter().filter(|s| f(&s.status)).count();
    let ok = count(|s| matches!(s, StepStatus::Ok));
    let failed = count(|s| matches!(s, StepStatus::Failed { .. }));
    let skipped = count(|s| matches!(s, StepStatus::Skipped { .. }));
    let assessment = report.assessment.as_ref().map(summary::assessment_line);
    let class = match (failed > 0, assessment.as_ref().is_some_and(|(_, attention)| *attention)) {
        (true, _) => "has-failed",
        (false, true) => "has-warnings",
        (false, false) => "all-ok",
    };
    let steps = if report.steps.len() == 1 { "step" } else { "steps" };
    let _ = write!(
        h,
        "<section id=\"status\" class=\"status {class}\">\n<p>{} {steps}: {ok} ok, {failed} failed, \
         {skipped} skipped</p>\n",
        report.steps.len()
    );
    if let Some((line, _)) = assessment {
        let _ = writeln!(h, "<p class=\"assessment\">{}</p>", escape(&line));
    }
    if failed > 0 {
        h.push_str("<ul class=\"failures\">\n");
        for (step, anchor) in report.steps.iter().zip(anchors) {
            if let StepStatus::Failed { message } = &step.status {
                let _ = writeln!(
                    h,
                    "<li><a href=\"#{anchor}\">{}</a> ({}): <span class=\"message\">{}</span></li>",
                    escape(&step.title),
                    escape(&step.id),
                    escape(message)
                );
            }
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

/// Conditions as `key = value; key = value`.
fn conditions_text(metric: &Metric) -> String {
    spelab_core::metric::format_conditions(&metric.conditions)
}

fn or_missing(text: Option<&str>) -> String {
    match text {
        Some(t) if !t.is_empty() => escape(t),
        _ => MISSING.to_string(),
    }
}

/// The metrics table used by the summary and by each step.
fn metrics_table(h: &mut String, metrics: &[Metric]) {
    h.push_str(
        "<table class=\"metrics\">\n<thead><tr><th>Metric</th><th>Material</th><th class=\"num\">Value</th>\
         <th class=\"num\">Uncertainty</th><th>Role</th><th>Method</th><th>Source</th><th>Conditions</th></tr>\
         </thead>\n<tbody>\n",
    );
    for m in metrics {
        let uncertainty =
            m.uncertainty.filter(|u| u.is_finite()).map(|u| format!("± {}", m.id.display_uncertainty(u)));
        // The assumed-parameter band, beside the statistical uncertainty.
        let band =
            m.band.as_ref().map(|b| format!("band {} – {}", m.id.display(b.low), m.id.display(b.high)));
        let uncertainty = match (uncertainty, band) {
            (Some(u), Some(b)) => Some(format!("{u}; {b}")),
            (u, b) => u.or(b),
        };
        let conditions = conditions_text(m);
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(m.id.label()),
            or_missing(m.material.as_deref()),
            escape(&m.display),
            or_missing(uncertainty.as_deref()),
            m.role.as_str().replace('_', " "),
            or_missing(m.method.as_deref()),
            escape(&m.source),
            or_missing(Some(&conditions)),
        );
    }
    h.push_str("</tbody>\n</table>\n");
}

fn material_section(h: &mut String, material: &MaterialSummary, anchors: &mut Anchors) {
    let anchor = anchors.unique("material", &material.id);
    let _ = writeln!(
        h,
        "<h3 id=\"{anchor}\">{} <code>{}</code></h3>",
        escape(&material.name),
        escape(&material.id)
    );
    if !material.description.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", escape(&material.description));
    }
    if let Some(reference) = &material.reference {
        let _ = writeln!(h, "<p class=\"note\">Reference: {}</p>", escape(reference));
    }
    let table = Table {
        title: format!("{}: preset values", material.name),
        columns: ["Quantity", "Value", "Conditions", "Source"].map(String::from).to_vec(),
        rows: material
            .values
            .iter()
            .map(|v| vec![v.label.clone(), v.display.clone(), v.conditions.clone(), v.source.clone()])
            .collect(),
    };
    plain_table(h, &table);
}

/// Wall time as text: `0.42 s`, `12.3 s`, `2 min 05 s`, `1 h 02 min`.
fn format_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return MISSING.to_string();
    }
    if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if seconds < 3600.0 {
        let s = seconds.round() as u64;
        format!("{} min {:02} s", s / 60, s % 60)
    } else {
        let m = (seconds / 60.0).round() as u64;
        format!("{} h {:02} min", m / 60, m % 60)
    }
}

fn step_section(
    h: &mut String,
    step: &StepSection,
    anchor: &str,
    figure_number: &mut usize,
    anchors: &mut Anchors,
) {
    let (class, badge) = match &step.status {
        StepStatus::Ok => ("ok", "ok"),
        StepStatus::Failed { .. } => ("failed", "failed"),
        StepStatus::Skipped { .. } => ("skipped", "skipped"),
    };
    let _ = write!(
        h,
        "<section class=\"step {class}\" id=\"{anchor}\">\n<h3>{} <span class=\"badge {class}\">{badge}</span></h3>\n\
         <p class=\"step-meta\">Step <code>{}</code> · {} · {}</p>\n",
        escape(&step.title),
        escape(&step.id),
        escape(&step.kind),
        format_duration(step.duration_s)
    );
    match &step.status {
        StepStatus::Ok => {}
        StepStatus::Failed { message } => {
            let _ = writeln!(
                h,
                "<div class=\"error\"><strong>Failed:</strong> <span class=\"message\">{}</span></div>",
                escape(message)
            );
        }
        StepStatus::Skipped { reason } => {
            let _ = writeln!(h, "<p class=\"note\">Skipped: {}</p>", escape(reason));
        }
    }
    if !step.notes.is_empty() {
        h.push_str("<ul class=\"notes\">\n");
        for note in &step.notes {
            let _ = writeln!(h, "<li>{}</li>", escape(note));
        }
        h.push_str("</ul>\n");
    }
    if !step.metrics.is_empty() {
        metrics_table(h, &step.metrics);
    }
    for table in &step.tables {
        plain_table(h, table);
    }
    for figure in &step.figures {
        *figure_number += 1;
        let figure_anchor = anchors.unique("figure", &format!("{}-{}", step.id, figure.id));
        figure_block(h, figure, &figure_anchor, *figure_number);
    }
    h.push_str("</section>\n");
}

fn figure_block(h: &mut String, figure: &RenderedFigure, anchor: &str, number: usize) {
    let _ = writeln!(h, "<figure class=\"plot\" id=\"{anchor}\">");
    match inline_svg(&figure.svg, anchor) {
        Some(svg) => {
            h.push_str(&svg);
            h.push('\n');
        }
        None => {
            let _ = writeln!(
                h,
                "<p class=\"error\">Figure '{}' could not be embedded: not a plain SVG document.</p>",
                escape(&figure.id)
            );
        }
    }
    let _ = write!(
        h,
        "<figcaption><strong>Figure {number}.</strong> {}.",
        escape(figure.title.trim_end_matches('.'))
    );
    if let Some(caption) = &figure.caption {
        let _ = write!(h, " {}", escape(caption));
    }
    if !figure.files.is_empty() {
        let links: Vec<String> = figure.files.iter().map(|f| file_link(f)).collect();
        let _ = write!(h, " <span class=\"files\">[{}]</span>", links.join(" · "));
    }
    h.push_str("</figcaption>\n</figure>\n");
}

/// A link to a file of the run directory; anything that is not a plain relative path (a URL, an
/// absolute path) is shown as text, so the page never links outside the run directory.
fn file_link(path: &str) -> String {
    let relative = !path.is_empty()
        && !path.starts_with(['/', '\\', '#'])
        && !path.contains(':')
        && !path.split(['/', '\\']).any(|part| part == "..");
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if relative {
        format!("<a href=\"{}\">{}</a>", escape(path), escape(name))
    } else {
        format!("<code>{}</code>", escape(path))
    }
}

fn looks_numeric(cell: &str) -> bool {
    let t = cell.trim_start_matches(['-', '+', '−', '±', ' ']);
    t.starts_with(|c: char| c.is_ascii_digit()) || (t.starts_with('.') && t.len() > 1)
}

/// A caption, header row and rows; short rows are padded with empty cells. A column whose every
/// non-empty cell is a number is right-aligned, heading included; a number with its uncertainty
/// ("0.901276 ± 0.000033") may wrap before its "±" so wide tables fit.
fn plain_table(h: &mut String, table: &Table) {
    let width = table.rows.iter().map(Vec::len).chain([table.columns.len()]).max().unwrap_or(0);
    let numeric: Vec<bool> = (0..width)
        .map(|i| {
            let mut cells = table.rows.iter().filter_map(|r| r.get(i)).filter(|c| !c.trim().is_empty());
            let first = cells.next();
            first.is_some_and(|c| looks_numeric(c)) && cells.all(|c| looks_numeric(c))
        })
        .collect();
    let class = |i: usize| if numeric[i] { " class=\"num\"" } else { "" };
    h.push_str("<table>\n");
    if !table.title.is_empty() {
        let _ = writeln!(h, "<caption>{}</caption>", escape(&table.title));
    }
    h.push_str("<thead><tr>");
    for i in 0..width {
        let column = table.columns.get(i).map(String::as_str).unwrap_or("");
        let _ = write!(h, "<th{}>{}</th>", class(i), escape(column));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        h.push_str("<tr>");
        for (i, &is_number) in numeric.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            if is_number && cell.contains(" ± ") {
                // A value with its uncertainty may wrap before the "±", never inside "± u".
                let text = escape(cell).replace(" ± ", " ±\u{a0}");
                let _ = write!(h, "<td class=\"num pm\">{text}</td>");
            } else {
                let _ = write!(h, "<td{}>{}</td>", class(i), escape(cell));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

/// Allocates unique, HTML-safe anchor ids.
#[derive(Default)]
struct Anchors {
    used: HashSet<String>,
}

impl Anchors {
    fn unique(&mut self, kind: &str, raw: &str) -> String {
        let slug: String = raw
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
            .collect();
        let base = format!("{kind}-{slug}");
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.used.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }
}

/// Prepares an SVG document for inline use: strips the XML declaration, doctype and leading
/// comments, refuses anything that is not a plain `<svg>` (scripts, foreign objects, `javascript:`)
/// and prefixes every `id` (and its `url(#..)` / `href="#.."` references) so ids from several figures
/// cannot collide on one page.
fn inline_svg(svg: &str, prefix: &str) -> Option<String> {
    let mut s = svg.trim_start_matches('\u{feff}').trim_start();
    loop {
        let skip_to = if s.starts_with("<?") {
            s.find("?>").map(|i| i + 2)
        } else if s.starts_with("<!--") {
            s.find("-->").map(|i| i + 3)
        } else if s.get(..9).is_some_and(|p| p.eq_ignore_ascii_case("<!doctype")) {
            s.find('>').map(|i| i + 1)
        } else {
            break;
        };
        s = s.get(skip_to?..)?.trim_start();
    }
    let lower = s.to_ascii_lowercase();
    if !lower.starts_with("<svg")
        || ["<script", "<foreignobject", "javascript:", "<!entity"].iter().any(|bad| lower.contains(bad))
    {
        return None;
    }
    Some(prefix_svg_ids(s.trim_end(), prefix))
}

fn prefix_svg_ids(svg: &str, prefix: &str) -> String {
    let mut out = svg.to_string();
    for quote in ['"', '\''] {
        for space in [' ', '\n', '\t', '\r'] {
            out = out.replace(&format!("{space}id={quote}"), &format!("{space}id={quote}{prefix}-"));
        }
        out = out.replace(&format!("href={quote}#"), &format!("href={quote}#{prefix}-"));
    }
    out.replace("url(#", &format!("url(#{prefix}-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape("σ = 1.2 mS/cm"), "σ = 1.2 mS/cm");
    }

    #[test]
    fn inline_svg_strips_the_declaration_and_prefixes_ids() {
        let svg = "<?xml version=\"1.0\"?>\n<!-- c -->\n<svg xmlns=\"http://www.w3.org/2000/svg\">\
                   <defs><clipPath id=\"c1\"><rect/></clipPath></defs>\
                   <rect clip-path=\"url(#c1)\"/><use href=\"#c1\"/></svg>";
        let out = inline_svg(svg, "figure-a").expect("plain svg");
        assert!(out.starts_with("<svg"));
        assert!(out.contains("id=\"figure-a-c1\""));
        assert!(out.contains("url(#figure-a-c1)"));
        assert!(out.contains("href=\"#figure-a-c1\""));
        assert!(inline_svg("<svg><script>x</script></svg>", "p").is_none());
        assert!(inline_svg("<p>not svg</p>", "p").is_none());
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(0.4213), "0.42 s");
        assert_eq!(format_duration(125.0), "2 min 05 s");
        assert_eq!(format_duration(3720.0), "1 h 02 min");
        assert_eq!(format_duration(f64::NAN), MISSING);
    }

    #[test]
    fn links_stay_inside_the_run_directory() {
        assert_eq!(file_link("figures/a.svg"), "<a href=\"figures/a.svg\">a.svg</a>");
        assert!(file_link("https://example.org/x").starts_with("<code>"));
        assert!(file_link("/etc/passwd").starts_with("<code>"));
        assert!(file_link("../x.csv").starts_with("<code>"));
    }

    #[test]
    fn anchors_are_unique_and_safe() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("step", "eis 25°C"), "step-eis-25-C");
        assert_eq!(a.unique("step", "eis 25°C"), "step-eis-25-C-2");
    }
}
