//! `metrics.csv` and figure data CSV: header, quoting, empty cells.

use spelab_core::{Metric, MetricId};
use spelab_report::{figure_data_csv, metrics_csv, Axis, Figure, Series};

#[test]
fn metrics_csv_has_the_contract_header_and_quotes_fields() {
    let metrics = vec![
        Metric::new(MetricId::IonicConductivity, 0.123, "simulation")
            .with_material("pvh-im")
            .with_method("fit of \"R_b\", high-frequency intercept")
            .with_condition("temperature_K", 298.15)
            .with_condition("c_rate", 0.5)
            .with_paper_value(0.12),
        Metric::new(MetricId::TransferenceNumber, 0.45, "data/cell 1,\nrun 2.csv"),
    ];
    let csv = metrics_csv(&metrics);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,material,value,unit,display,uncertainty,method,source,conditions,input_value,paper_value,role,paper_ratio")
    );
    let first = lines.next().expect("first row");
    assert!(first.starts_with("ionic_conductivity,pvh-im,0.123,S/m,"), "{first}");
    assert!(first.contains(",\"fit of \"\"R_b\"\", high-frequency intercept\",simulation,"), "{first}");
    // Conditions in key order, `;`-separated; missing input_value is an empty cell.
    assert!(
        first.ends_with(",c_rate=0.5;temperature_K=298.15,,0.12,prediction,1.0250000000000001"),
        "{first}"
    );
    // A newline inside a field is quoted, so the record spans two physical lines.
    assert!(csv.contains(",\"data/cell 1,\nrun 2.csv\","), "{csv}");
    // uncertainty, method, conditions, input_value, paper_value and paper_ratio empty; read from a
    // file, so measured.
    assert!(csv.trim_end().ends_with("run 2.csv\",,,,measured,"), "{csv}");
}

#[test]
fn figure_csv_has_two_columns_per_series_padded() {
    let fig = Figure::new("f", "F", Axis::linear("t [h]"), Axis::linear("E [V]"))
        .with_series(Series::line("cell, 1", vec![0.0, 1.0, 2.0], vec![3.1, 3.2, f64::NAN]))
        .with_series(Series::markers("fit", vec![0.5], vec![3.15]));
    let csv = figure_data_csv(&fig);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "\"cell, 1 x [t [h]]\",\"cell, 1 y [E [V]]\",fit x [t [h]],fit y [E [V]]");
    assert_eq!(lines[1], "0,3.1,0.5,3.15");
    assert_eq!(lines[2], "1,3.2,,");
    assert_eq!(lines[3], "2,NaN,,");
    assert_eq!(lines.len(), 4);
}

#[test]
fn figure_csv_names_the_second_axis_and_includes_panels() {
    use spelab_report::{figure_data_csv, Axis, Figure, Series};
    let fig =
        Figure::new("f", "F", Axis::linear("t [h]"), Axis::linear("V [mV]"))
            .with_series(Series::line("V", vec![0.0, 1.0], vec![1.0, 2.0]))
            .with_series(Series::line("j", vec![0.0, 1.0], vec![0.1, 0.2]).on_secondary())
            .with_y2(Axis::linear("j [mA/cm²]"))
            .with_panel(
                Figure::new("", "zoom", Axis::linear("t [h]"), Axis::linear("V [mV]"))
                    .with_series(Series::line("V zoom", vec![0.0], vec![1.0])),
            );
    let csv = figure_data_csv(&fig);
    let header = csv.lines().next().expect("header");
    assert_eq!(
        header,
        "V x [t [h]],V y [V [mV]],j x [t [h]],j y [j [mA/cm²]],V zoom x [t [h]],V zoom y [V [mV]]"
    );
    assert_eq!(csv.lines().count(), 3);
}
