//! Rendering: SVG is well-formed and self-contained, PNG has the promised size, bad input is an
//! error and never a panic.

use spelab_report::plot::{HEIGHT, PNG_SCALE, WIDTH};
use spelab_report::{render_png, render_svg, Axis, Figure, Marker, ReportError, Series};

fn arrhenius() -> Figure {
    let inverse_t: Vec<f64> = (0..8).map(|i| 2.9 + 0.075 * f64::from(i)).collect();
    let sigma = |ea: f64, s0: f64| -> Vec<f64> { inverse_t.iter().map(|x| s0 * (-ea * x).exp()).collect() };
    Figure::new("arrhenius", "Arrhenius plot", Axis::linear("1000/T [1/K]"), Axis::log("σ [S/cm]"))
        .with_series(Series::markers("PVH", inverse_t.clone(), sigma(5.5, 2e4)))
        .with_series(Series::line("PVH-IM", inverse_t.clone(), sigma(4.8, 1e4)))
        .with_marker(Marker::vertical("25 °C", 1000.0 / 298.15))
        .with_marker(Marker::horizontal("paper: 1.2×10⁻⁴ S/cm", 1.2e-4))
        .with_caption("σ(T) with Arrhenius fits.")
}

fn assert_well_formed_svg(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not XML: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some(WIDTH.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(HEIGHT.to_string().as_str()));
    // Self-contained: nothing refers outside the document.
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in node.attributes() {
            assert!(
                !attr.value().contains("http") || attr.name() == "xmlns",
                "{}={}",
                attr.name(),
                attr.value()
            );
            assert!(!attr.name().contains("href"), "external reference {}", attr.value());
        }
    }
    doc
}

#[test]
fn svg_with_a_log_axis_is_well_formed_xml_with_title_and_text() {
    let svg = render_svg(&arrhenius()).expect("render");
    let doc = assert_well_formed_svg(&svg);
    let texts: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
    let has = |needle: &str| texts.iter().any(|t| t.contains(needle));
    assert!(has("Arrhenius plot"), "title missing: {texts:?}");
    assert!(has("1000/T [1/K]") && has("σ [S/cm]"), "axis labels missing: {texts:?}");
    assert!(has("10⁻"), "decade tick labels missing: {texts:?}");
    assert!(has("PVH-IM"), "legend missing: {texts:?}");
    assert!(has("25 °C"), "marker label missing: {texts:?}");
    assert!(doc.descendants().any(|n| n.has_tag_name("title")));
    // Every text uses the one font family.
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        assert_eq!(t.attribute("font-family"), Some("sans-serif"));
    }
}

#[test]
fn svg_with_linear_and_log_log_axes_is_well_formed() {
    let linear = Figure::new("v", "Voltage <profile> & more", Axis::linear("t [h]"), Axis::linear("E [V]"))
        .with_series(Series::line_markers("cell 1", vec![0.0, 1.0, 2.0, 3.0], vec![-0.05, 0.02, 0.04, -0.01]))
        .with_series(Series::dashed("model", vec![0.0, 3.0], vec![0.0, 0.0]))
        .with_marker(Marker::point("onset", 1.5, 0.03));
    let svg = render_svg(&linear).expect("render");
    let doc = assert_well_formed_svg(&svg);
    assert!(doc.descendants().any(|n| n.text() == Some("Voltage <profile> & more")));

    let nyquist_bode = Figure::new("bode", "Bode", Axis::log("f [Hz]"), Axis::log("|Z| [Ω]"))
        .with_series(Series::line("Z", vec![1e-2, 1.0, 1e2, 1e4, 1e6], vec![5e4, 2e4, 1e3, 120.0, 100.0]));
    assert_well_formed_svg(&render_svg(&nyquist_bode).expect("render"));
}

#[test]
fn png_has_the_signature_and_the_promised_size() {
    let png = render_png(&arrhenius()).expect("render");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR is the first chunk: length (4), "IHDR" (4), width (4, big-endian), height (4).
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((width, height), (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE));
}

#[test]
fn figures_without_drawable_points_are_errors() {
    let no_series = Figure::new("none", "None", Axis::linear("x"), Axis::linear("y"));
    let nan_only = Figure::new("nan", "NaN", Axis::linear("x"), Axis::linear("y"))
        .with_series(Series::line("a", vec![f64::NAN, 1.0], vec![1.0, f64::INFINITY]))
        .with_marker(Marker::vertical("marker alone is not data", 1.0));
    let empty_series = Figure::new("empty", "Empty", Axis::linear("x"), Axis::log("y"))
        .with_series(Series::markers("a", Vec::new(), Vec::new()))
        .with_series(Series::markers("b", vec![1.0, 2.0], vec![0.0, -3.0]));
    for fig in [no_series, nan_only, empty_series] {
        let expected = ReportError::EmptyFigure { id: fig.id.clone() };
        assert_eq!(render_svg(&fig), Err(expected.clone()));
        assert_eq!(render_png(&fig), Err(expected));
    }
}

#[test]
fn log_axis_skips_non_positive_values_and_still_renders() {
    let fig = Figure::new("cd", "Current", Axis::linear("E [V]"), Axis::log("|j| [mA/cm²]")).with_series(
        Series::line_markers("LSV", vec![3.0, 3.5, 4.0, 4.5, 5.0], vec![1e-4, 0.0, -2e-3, 1e-2, 0.5]),
    );
    let count = fig.point_count();
    assert_eq!((count.drawable, count.skipped_non_positive), (3, 2));
    let svg = render_svg(&fig).expect("render");
    let doc = assert_well_formed_svg(&svg);
    // Three drawable points inside the frame: three filled data circles (markers have no legend with
    // one series).
    let circles = doc.descendants().filter(|n| n.has_tag_name("circle")).count();
    assert_eq!(circles, 3);
    assert!(render_png(&fig).is_ok());
}

#[test]
fn unusable_fixed_ranges_are_reported_not_drawn() {
    let data = Series::line("a", vec![1.0, 2.0], vec![1.0, 2.0]);
    let reversed = Figure::new("r", "R", Axis::linear("x").with_range(2.0, 1.0), Axis::linear("y"))
        .with_series(data.clone());
    assert!(matches!(render_svg(&reversed), Err(ReportError::InvalidRange { axis: "x", .. })));
    let log_zero =
        Figure::new("l", "L", Axis::linear("x"), Axis::log("y").with_range(0.0, 10.0)).with_series(data);
    assert!(matches!(render_png(&log_zero), Err(ReportError::InvalidRange { axis: "y", .. })));
}

#[test]
fn data_outside_a_fixed_range_is_clipped_to_the_frame() {
    let fig = Figure::new(
        "zoom",
        "Zoom",
        Axis::linear("x").with_range(0.0, 1.0),
        Axis::linear("y").with_range(0.0, 1.0),
    )
    .with_series(Series::line_markers("a", vec![-1.0, 0.5, 2.0], vec![0.5, 0.5, 5.0]));
    let svg = render_svg(&fig).expect("render");
    let doc = assert_well_formed_svg(&svg);
    // Only the point inside the range gets a circle.
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("circle")).count(), 1);
}

#[test]
fn figures_round_trip_through_json() {
    let fig = arrhenius();
    let json = serde_json::to_string(&fig).expect("serialize");
    let back: Figure = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, fig);
}

#[test]
fn awkward_data_renders_without_panicking() {
    let line = |x: Vec<f64>, y: Vec<f64>| Series::line_markers("s", x, y);
    let cases = vec![
        ("single point", Axis::linear("x"), Axis::linear("y"), line(vec![1.0], vec![2.0])),
        ("constant zero", Axis::linear("x"), Axis::linear("y"), line(vec![0.0, 0.0], vec![0.0, 0.0])),
        (
            "tiny span",
            Axis::linear("x"),
            Axis::linear("y"),
            line(vec![1.0, 1.0 + 1e-12], vec![3.0, 3.0 + 1e-13]),
        ),
        ("huge values", Axis::linear("x"), Axis::linear("y"), line(vec![-1e308, 1e308], vec![1e300, -1e300])),
        (
            "tiny values",
            Axis::linear("x"),
            Axis::linear("y"),
            line(vec![1e-300, 2e-300], vec![5e-310, 1e-309]),
        ),
        ("many decades", Axis::log("x"), Axis::log("y"), line(vec![1e-90, 1e140], vec![1e-100, 1e100])),
        (
            "sub-decade log",
            Axis::log("x").with_range(2.0, 8.0),
            Axis::log("y"),
            line(vec![3.0, 5.0], vec![1.0, 1.0]),
        ),
    ];
    for (name, x, y, series) in cases {
        let fig = Figure::new("edge", name, x, y)
            .with_series(series)
            .with_marker(Marker::point("nan marker", f64::NAN, 1.0))
            .with_marker(Marker::vertical("far away", 1e200));
        let svg = render_svg(&fig).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_well_formed_svg(&svg);
    }
}

#[test]
fn log_axes_beyond_three_hundred_decades_are_a_clear_error() {
    let fig = Figure::new("wide", "wide", Axis::log("x"), Axis::linear("y")).with_series(Series::line(
        "s",
        vec![1e-300, 1e300],
        vec![1.0, 2.0],
    ));
    let err = render_svg(&fig).unwrap_err();
    assert!(matches!(err, ReportError::TooManyDecades { axis: "x", .. }), "{err}");
    assert!(err.to_string().contains("at most 300"), "{err}");
    let fixed = Figure::new("wide", "wide", Axis::linear("x").with_range(-1e308, 1e308), Axis::linear("y"))
        .with_series(Series::line("s", vec![0.0, 1.0], vec![1.0, 2.0]));
    assert!(matches!(render_svg(&fixed).unwrap_err(), ReportError::InvalidRange { axis: "x", .. }));
}

#[test]
fn png_lines_of_noisy_data_stay_inside_their_data_band() {
    // 2000 points of seeded noise in [-0.5, 0.5] on a [-5, 5] axis: the band is the middle tenth of
    // the plot. Mitred joins of a thick polyline used to throw spikes up to ±3 here.
    let mut rng = spelab_testkit::Rng::new(12345);
    let x: Vec<f64> = (0..2000).map(f64::from).collect();
    let y: Vec<f64> = x.iter().map(|_| rng.uniform() - 0.5).collect();
    let fig = Figure::new("noisy", "noisy", Axis::linear("x"), Axis::linear("y").with_range(-5.0, 5.0))
        .with_series(Series::line("s", x, y));
    let png = render_png(&fig).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut rgb = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut rgb).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    // Rows holding the series colour (Okabe-Ito blue, clearly not grey or black text).
    let rows: Vec<usize> = (0..h)
        .filter(|&r| {
            (0..w).any(|c| {
                let p = &rgb[3 * (r * w + c)..3 * (r * w + c) + 3];
                p[2] > 120 && i32::from(p[2]) - i32::from(p[0]) > 80
            })
        })
        .collect();
    let (top, bottom) = (*rows.first().unwrap() as f64 / h as f64, *rows.last().unwrap() as f64 / h as f64);
    assert!(top > 0.35 && bottom < 0.6, "series drawn from {top:.3} to {bottom:.3} of the height");
}

/// A figure with every addition of the redesign: a second axis, an inset, equal aspect, panels,
/// sequential colours, rings and a hidden legend entry.
fn composite() -> Figure {
    let t: Vec<f64> = (0..200).map(|i| f64::from(i) * 0.1).collect();
    let v: Vec<f64> = t.iter().map(|x| (x * 3.0).sin() * (1.0 + x / 10.0)).collect();
    let j: Vec<f64> =
        t.iter().map(|x| if (x * 3.0).sin() >= 0.0 { 0.1 } else { -0.1 } * (1.0 + x.floor())).collect();
    let zoom = |t0: f64| {
        Figure::new(
            "",
            format!("from {t0} h"),
            Axis::linear("t [h]").with_range(t0, t0 + 2.0),
            Axis::linear("V [mV]"),
        )
        .with_series(Series::line("V", t.clone(), v.clone()))
    };
    Figure::new("composite", "Composite", Axis::linear("t [h]"), Axis::linear("V [mV]"))
        .with_series(Series::line("V", t.clone(), v.clone()))
        .with_series(Series::line("j (right axis)", t.clone(), j).on_secondary().with_color(1))
        .with_series(
            Series::rings("marks", vec![5.0, 10.0], vec![0.0, 0.0])
                .with_rgb(spelab_report::sequential_color(3, 10)),
        )
        .with_series(Series::line("hidden", vec![0.0, 1.0], vec![0.0, 0.5]).without_legend())
        .with_y2(Axis::linear("j [mA/cm²]"))
        .with_inset((0.0, 2.0), (-1.0, 1.0))
        .with_panel(zoom(0.0))
        .with_panel(zoom(10.0))
        .with_panel(zoom(17.0))
}

#[test]
fn figures_with_panels_grow_by_the_panel_row_and_stay_well_formed() {
    use spelab_report::plot::PANEL_HEIGHT;
    let fig = composite();
    let svg = render_svg(&fig).expect("render");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    assert_eq!(doc.root_element().attribute("height"), Some((HEIGHT + PANEL_HEIGHT).to_string().as_str()));
    // The second axis' title and the panels' titles are drawn.
    for text in ["j [mA/cm²]", "from 0 h", "from 10 h", "from 17 h", "j (right axis)"] {
        assert!(svg.contains(text), "{text} missing");
    }
    // The hidden series has no legend entry.
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect();
    assert!(texts.iter().any(|t| t == "marks") && !texts.iter().any(|t| t == "hidden"), "{texts:?}");
    let png = render_png(&fig).expect("render");
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!(height, (HEIGHT + PANEL_HEIGHT) * PNG_SCALE);
    // PNGs of the report must stay under 300 KB (the report test checks a whole study run).
    assert!(png.len() < 300_000, "{} bytes", png.len());
}

#[test]
fn a_log_second_axis_is_an_error_not_a_panic() {
    let fig = composite().with_y2(Axis::log("j"));
    assert!(matches!(render_svg(&fig), Err(ReportError::InvalidRange { .. })));
}

#[test]
fn the_last_linear_tick_inside_the_range_is_labelled() {
    // 1000/T from 2.79 to 3.70: plotters' own key points dropped the 3.6 label.
    let x: Vec<f64> = vec![2.83, 3.0, 3.2, 3.4, 3.66];
    let fig = Figure::new("t", "T", Axis::linear("1000/T [1/K]"), Axis::log("σ"))
        .with_series(Series::markers("a", x, vec![1.0, 0.8, 0.5, 0.3, 0.2]));
    let svg = render_svg(&fig).expect("render");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert!(labels.contains(&"3.6") && labels.contains(&"2.8"), "{labels:?}");
}
