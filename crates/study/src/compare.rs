//! A run's metrics against the paper: paper values attached under equal conditions, the
//! paper-vs-spelab rows by role, the ratios between materials (PVH-IM / PVH), the band counts of the
//! status banner and the written summary at the top of the report.
//!
//! A pair needs equal conditions (`spelab_core::metric::conditions_match`: the same keys, equal
//! values), so the paper's capacity "0.1C, cycle 100" never sits beside the model's fresh rate test.
//! A round trip (a virtual measurement of a model input) is compared with its input, never counted
//! as agreement with the paper; a prediction is judged by `spelab / paper` against [`PREDICTION_BAND`].

use spelab_core::metric::{conditions_match, format_conditions, Metric, Role};
use spelab_core::units::Quantity;
use spelab_report::{Assessment, ComparisonRow, RatioRow};

use crate::spec::Material;

/// The band of `spelab / paper` inside which a prediction agrees with the paper: within a factor 1.5.
pub const PREDICTION_BAND: (f64, f64) = (0.67, 1.5);

/// The largest relative miss of a round trip against its input (5 %).
pub const ROUND_TRIP_TOLERANCE: f64 = 0.05;

/// Everything the report shows about the paper comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One row per paper value and matching metric.
    pub rows: Vec<ComparisonRow>,
    /// Ratios of every later material to the first one.
    pub ratios: Vec<RatioRow>,
    /// Counts for the status banner.
    pub assessment: Assessment,
    /// The written summary, one paragraph per entry.
    pub summary: Vec<String>,
}

/// Fills `paper_value` (and `paper_ratio`) from the material's preset when the metric has a material
/// and the preset holds a paper value of that metric under equal conditions.
pub fn attach_paper_value(metric: &mut Metric, materials: &[Material]) {
    if metric.paper_value.is_some() {
        return;
    }
    let Some(material) = metric.material.as_ref().and_then(|id| materials.iter().find(|m| &m.id == id))
    else {
        return;
    };
    if let Some(pv) = material.preset.paper_value(metric.id, &metric.conditions) {
        metric.set_paper_value(pv.si_value);
    }
}

/// The paper comparison of a run's `metrics` (already carrying their paper values).
pub fn compare(materials: &[Material], metrics: &[Metric]) -> Comparison {
    let rows = comparison_rows(materials, metrics);
    let ratios = ratio_rows(materials, metrics);
    let assessment = assess(materials, metrics);
    let summary = written_summary(metrics, &rows, &ratios, &assessment);
    Comparison { rows, ratios, assessment, summary }
}

/// "0.23–0.7 mA/cm²": a band's ends in the metric's display unit.
pub fn band_text(id: spelab_core::MetricId, low: f64, high: f64) -> String {
    let unit = id.quantity().display_unit();
    let end = |x: f64| id.display(x).trim_end_matches(unit).trim().to_string();
    let sep = if unit.is_empty() { "" } else { " " };
    format!("{}–{}{sep}{unit}", end(low), end(high))
}

/// "PVH-IM" for a material id, the id itself when unknown.
fn name<'a>(materials: &'a [Material], id: Option<&'a str>) -> &'a str {
    let id = id.unwrap_or("");
    materials.iter().find(|m| m.id == id).map_or(id, |m| m.preset.name.as_str())
}

/// The metrics of material `id` with metric `pv_metric` under exactly `conditions`.
fn matching<'a>(
    metrics: &'a [Metric],
    material: &str,
    id: spelab_core::MetricId,
    conditions: &spelab_core::metric::Conditions,
) -> Vec<&'a Metric> {
    metrics
        .iter()
        .filter(|x| {
            x.id == id
                && x.material.as_deref() == Some(material)
                && conditions_match(conditions, &x.conditions)
        })
        .collect()
}

/// One row per paper value of every material and per metric of the run under equal conditions (a
/// metric computed by several methods, such as CCD by J_lim, Sand and staircase, gets one row each;
/// the source column names the method). A paper value nothing matched still gets its row
/// (`role: None`), with the paper's source.
fn comparison_rows(materials: &[Material], metrics: &[Metric]) -> Vec<ComparisonRow> {
    let mut rows = Vec::new();
    for m in materials {
        for pv in m.preset.paper_values() {
            let Some(id) = pv.metric else { continue };
            let found = matching(metrics, &m.id, id, &pv.conditions);
            let row = |x: Option<&Metric>| {
                let finite = x.filter(|x| x.value.is_finite());
                ComparisonRow {
                    metric: id.label().to_string(),
                    material: m.preset.name.clone(),
                    conditions: format_conditions(&pv.conditions),
                    paper: Some(id.display(pv.si_value)),
                    spelab: x
                        .map(|x| if x.value.is_finite() { x.display.clone() } else { "no value".into() }),
                    input: x.and_then(|x| x.input_value).map(|v| id.display(v)),
                    deviation_percent: finite
                        .filter(|_| pv.si_value != 0.0)
                        .map(|x| Quantity::Fraction.to_display((x.value - pv.si_value) / pv.si_value)),
                    role: x.map(|x| x.role),
                    ratio: finite.and_then(|x| x.paper_ratio),
                    input_deviation_percent: finite.and_then(|x| {
                        let input = x.input_value.filter(|v| *v != 0.0)?;
                        Some(Quantity::Fraction.to_display((x.value - input) / input))
                    }),
                    band: x.and_then(|x| x.band.as_ref()).map(|b| band_text(id, b.low, b.high)),
                    paper_in_band: x.and_then(|x| x.band.as_ref()).map(|b| b.contains(pv.si_value)),
                    source: x.map_or_else(
                        || format!("paper: {}", pv.source),
                        |x| match &x.method {
                            Some(method) => format!("{}: {}", x.source, short_method(method)),
                            None => x.source.clone(),
                        },
                    ),
                }
            };
            if found.is_empty() {
                rows.push(row(None));
            }
            rows.extend(found.into_iter().map(|x| row(Some(x))));
        }
    }
    rows
}

/// Ratios of every later material to the first, for each quantity both have a paper value of under
/// equal conditions: the paper's ratio beside spelab's, one row per pair of metrics (the k-th metric
/// of one material with the k-th of the other: the same step and method), or one "not predicted" row.
fn ratio_rows(materials: &[Material], metrics: &[Metric]) -> Vec<RatioRow> {
    let mut rows = Vec::new();
    let Some((first, rest)) = materials.split_first() else { return rows };
    for other in rest {
        let pair = format!("{} / {}", other.preset.name, first.preset.name);
        for pb in other.preset.paper_values() {
            let Some(id) = pb.metric else { continue };
            let Some(pa) = first
                .preset
                .paper_values()
                .find(|pa| pa.metric == Some(id) && conditions_match(&pa.conditions, &pb.conditions))
            else {
                continue;
            };
            let paper = pb.si_value / pa.si_value;
            if !paper.is_finite() || pa.si_value == 0.0 {
                continue;
            }
            let a = matching(metrics, &first.id, id, &pb.conditions);
            let b = matching(metrics, &other.id, id, &pb.conditions);
            let base = RatioRow {
                pair: pair.clone(),
                metric: id.label().to_string(),
                conditions: format_conditions(&pb.conditions),
                method: "no spelab value under these conditions".into(),
                role: None,
                paper: Some(paper),
                spelab: None,
                agreement: None,
            };
            if a.is_empty() || b.is_empty() {
                rows.push(base);
                continue;
            }
            for (xa, xb) in a.iter().zip(&b) {
                let spelab = Some(xb.value / xa.value).filter(|r| r.is_finite() && xa.value != 0.0);
                rows.push(RatioRow {
                    method: xb.method.as_deref().map_or_else(|| xb.source.clone(), short_method),
                    role: Some(xb.role),
                    spelab,
                    agreement: spelab.map(|s| s / paper),
                    ..base.clone()
                });
            }
        }
    }
    rows
}

/// "PVH Critical current density (Sand current at t_h = 0.5 h), 1C".
fn label(materials: &[Material], m: &Metric) -> String {
    let method = m.method.as_deref().map(method_tag).map(|s| format!(" ({s})")).unwrap_or_default();
    let conditions: Vec<String> = m
        .conditions
        .iter()
        .filter(|(k, _)| k.as_str() != "temperature_K")
        .map(|(k, v)| format_conditions(&[(k.clone(), *v)].into()))
        .collect();
    let at = if conditions.is_empty() { String::new() } else { format!(" at {}", conditions.join(", ")) };
    format!("{} {}{at}{method}", name(materials, m.material.as_deref()), m.id.label())
}

/// A method in a few words: its first clause up to a parenthesis or colon ("simulated staircase").
fn method_tag(method: &str) -> String {
    let first = method.split(';').next().unwrap_or(method);
    let cut = [": ", " (", ", "].iter().filter_map(|p| first.find(p)).min().unwrap_or(first.len());
    let tag = first[..cut].trim().trim_end_matches(',');
    if tag.is_empty() {
        short_method(method)
    } else {
        tag.to_string()
    }
}

/// The banner's counts: predictions outside the band, paper values a prediction gave no finite value
/// for, round trips off their input.
fn assess(materials: &[Material], metrics: &[Metric]) -> Assessment {
    let (lo, hi) = PREDICTION_BAND;
    let mut a = Assessment {
        band_low: lo,
        band_high: hi,
        predictions: 0,
        outside: Vec::new(),
        not_predicted: Vec::new(),
        round_trips: 0,
        round_trip_tolerance: ROUND_TRIP_TOLERANCE,
        round_trips_off: Vec::new(),
    };
    for m in metrics {
        match m.role {
            Role::Prediction if m.paper_value.is_some() => match m.paper_ratio {
                Some(r) => {
                    a.predictions += 1;
                    if !(lo..=hi).contains(&r) {
                        a.outside.push(format!("{}: {r:.2}×", label(materials, m)));
                    }
                }
                None if !m.value.is_finite() => a.not_predicted.push(label(materials, m)),
                None => {}
            },
            Role::RoundTrip => {
                let Some(input) = m.input_value.filter(|v| *v != 0.0) else { continue };
                a.round_trips += 1;
                let miss = (m.value - input) / input;
                if !miss.is_finite() || miss.abs() > ROUND_TRIP_TOLERANCE {
                    a.round_trips_off.push(format!("{}: {:+.1} %", label(materials, m), 100.0 * miss));
                }
            }
            _ => {}
        }
    }
    a
}

/// At most `n` items joined by "; ", with "and k more".
fn list(items: &[String], n: usize) -> String {
    let mut s = items.iter().take(n).cloned().collect::<Vec<_>>().join("; ");
    if items.len() > n {
        s.push_str(&format!("; and {} more", items.len() - n));
    }
    s
}

/// The written summary: what was compared and how it fared, in a few sentences.
fn written_summary(
    metrics: &[Metric],
    rows: &[ComparisonRow],
    ratios: &[RatioRow],
    a: &Assessment,
) -> Vec<String> {
    let count = |role: Role| metrics.iter().filter(|m| m.role == role).count();
    let band = format!("{}–{}×", a.band_low, a.band_high);
    let mut out = Vec::new();
    let mut first = format!(
        "{} metrics: {} predictions (model outputs that are not inputs), {} round trips (model inputs \
         measured virtually and recovered), {} calibrated (fitted to the paper's values), {} measured.",
        metrics.len(),
        count(Role::Prediction),
        count(Role::RoundTrip),
        count(Role::Calibrated),
        count(Role::Measured),
    );
    if a.predictions > 0 {
        first.push_str(&format!(
            " Of {} predictions with a paper value, {} lie within {band} of it",
            a.predictions,
            a.predictions - a.outside.len()
        ));
        if a.outside.is_empty() {
            first.push('.');
        } else {
            first.push_str(&format!("; outside: {}.", list(&a.outside, 3)));
        }
    }
    if !a.not_predicted.is_empty() {
        let mut what: Vec<String> = Vec::new();
        for m in metrics.iter().filter(|m| m.role == Role::Prediction && m.paper_value.is_some()) {
            let label = m.id.label().to_string();
            if !m.value.is_finite() && !what.contains(&label) {
                what.push(label);
            }
        }
        first.push_str(&format!(
            " Not predicted (no value): {} ({} paper values).",
            what.join(", "),
            a.not_predicted.len()
        ));
    }
    out.push(first);
    if a.round_trips > 0 {
        let mut s = format!(
            "Round trips recover inputs that are the paper's values, so their agreement with the paper \
             checks the analysis, not the model: {} of {} within {} % of their input",
            a.round_trips - a.round_trips_off.len(),
            a.round_trips,
            a.round_trip_tolerance * 100.0
        );
        if a.round_trips_off.is_empty() {
            s.push('.');
        } else {
            s.push_str(&format!("; off: {}.", list(&a.round_trips_off, 2)));
        }
        out.push(s);
    }
    let mut contrasts: Vec<String> = Vec::new();
    let predicted = ratios.iter().filter(|r| matches!(r.role, Some(Role::Prediction) | None));
    for r in predicted {
        let key = format!("{} {}", r.pair, r.metric);
        if contrasts.iter().any(|c| c.starts_with(&key)) {
            continue;
        }
        let same: Vec<String> = ratios
            .iter()
            .filter(|x| x.pair == r.pair && x.metric == r.metric && x.conditions == r.conditions)
            .map(|x| match x.spelab {
                Some(v) => format!("{v:.2}× ({})", method_tag(&x.method)),
                None => "not predicted".into(),
            })
            .collect();
        let paper = r.paper.map_or("—".into(), |p| format!("{p:.2}×"));
        contrasts.push(format!("{key}: paper {paper}, spelab {}", same.join(", ")));
    }
    if !contrasts.is_empty() {
        out.push(format!("Predicted contrasts between the materials: {}.", list(&contrasts, 3)));
    }
    let unmatched = rows.iter().filter(|r| r.role.is_none()).count();
    if unmatched > 0 {
        out.push(format!(
            "{unmatched} paper values (long-term cycling, retention, ...) have no spelab value under the \
             same conditions; they are listed below without one."
        ));
    }
    out
}

/// The first clause of a metric's method ("limiting current 2FDc0/((1-t+)L)"), at most 60 characters.
pub fn short_method(method: &str) -> String {
    let first = method.split(';').next().unwrap_or(method).trim();
    if first.chars().count() <= 60 {
        first.to_string()
    } else {
        format!("{}…", first.chars().take(59).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spelab_core::MetricId;

    fn materials() -> Vec<Material> {
        ["pvh", "pvh-im"]
            .map(|id| Material {
                id: id.into(),
                origin: format!("preset {id}"),
                preset: spelab_sim::params::preset(id).expect("preset"),
            })
            .to_vec()
    }

    fn ccd(material: &str, value: f64, method: &str, materials: &[Material]) -> Metric {
        let mut m = Metric::new(MetricId::CriticalCurrentDensity, value, "simulation")
            .with_material(material)
            .with_method(method)
            .with_condition("temperature_K", 298.15);
        attach_paper_value(&mut m, materials);
        m
    }

    #[test]
    fn the_paper_contrast_sits_beside_the_model_s_and_the_band_counts_predictions() {
        let ms = materials();
        // Paper CCD: PVH 0.4, PVH-IM 1.7 mA/cm² (4.25×); the model: 0.5 and 4.0 A/m² → 8×.
        let metrics = vec![
            ccd("pvh", 5.0, "limiting current 2FDc0/((1-t+)L); more", &ms),
            ccd("pvh-im", 40.0, "limiting current 2FDc0/((1-t+)L); more", &ms),
        ];
        assert!((metrics[0].paper_ratio.unwrap() - 1.25).abs() < 1e-12);
        let c = compare(&ms, &metrics);
        let row = c.ratios.iter().find(|r| r.metric == "Critical current density").expect("CCD ratio");
        assert!((row.paper.unwrap() - 4.25).abs() < 1e-9, "{row:?}");
        assert!((row.spelab.unwrap() - 8.0).abs() < 1e-9, "{row:?}");
        assert!((row.agreement.unwrap() - 8.0 / 4.25).abs() < 1e-9);
        assert_eq!(row.role, Some(Role::Prediction));
        // σ, i₀ and cycle life have paper ratios but no metrics here: "not predicted" rows.
        assert!(c.ratios.iter().any(|r| r.metric == "Ionic conductivity" && r.spelab.is_none()));
        // 1.25× is inside 0.67–1.5×, 40/17 = 2.35× is not.
        assert_eq!(c.assessment.predictions, 2);
        assert_eq!(c.assessment.outside.len(), 1, "{:?}", c.assessment.outside);
        assert!(c.assessment.outside[0].starts_with("PVH-IM Critical current density (limiting current"));
        assert!(c.summary.iter().any(|p| p.contains("1 lie within 0.67–1.5×")), "{:?}", c.summary);
    }

    #[test]
    fn a_round_trip_is_judged_by_its_input_and_unmatched_paper_values_keep_their_row() {
        let ms = materials();
        let mut m = Metric::new(MetricId::TransferenceNumber, 0.5323, "simulation")
            .with_material("pvh-im")
            .with_condition("temperature_K", 298.15)
            .with_input_value(0.49);
        attach_paper_value(&mut m, &ms);
        let c = compare(&ms, &[m]);
        assert_eq!(c.assessment.round_trips, 1);
        assert_eq!(c.assessment.round_trips_off.len(), 1, "+8.6 % is off by more than 5 %");
        let row = c.rows.iter().find(|r| r.role == Some(Role::RoundTrip)).expect("round-trip row");
        assert!((row.input_deviation_percent.unwrap() - 8.6327).abs() < 1e-3, "{row:?}");
        // The paper's capacity after 130 cycles has no counterpart: listed without one.
        assert!(c.rows.iter().any(|r| r.role.is_none() && r.conditions.contains("cycle 130")));
    }

    #[test]
    fn method_tags_are_a_few_words() {
        assert_eq!(method_tag("limiting current 2FDc0/((1-t+)L); x"), "limiting current 2FDc0/((1-t+)L)");
        assert_eq!(method_tag("simulated staircase (transport-only) analysed by"), "simulated staircase");
        assert_eq!(method_tag("phase field + reduced model: staircase"), "phase field + reduced model");
        assert_eq!(method_tag("Bruce–Vincent corrected, I₀ = ΔV/(R_b,0 + R_i,0)"), "Bruce–Vincent corrected");
    }
}
