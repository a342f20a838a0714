//! The potentiostat exports impedance.py reads (CH Instruments, ZView "Autolab", PowerSuite,
//! VersaStudio, Parstat),
//! read by `spelab_io::read_spectrum` through their labelled headers (detected by content), each
//! against its file: number of points and the first and last rows exactly as written.

use spelab_io::read_spectrum;

/// Reads `tests/data/impedancepy/<name>` and checks the point count and the (f, Z', Z'') of the first
/// and last points.
fn check(name: &str, points: usize, first: [f64; 3], last: [f64; 3]) {
    let path = spelab_testkit::fixture(&format!("impedancepy/{name}"));
    let s = read_spectrum(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(s.len(), points, "{name}");
    let row = |i: usize| [s.frequency()[i], s.impedance()[i].re, s.impedance()[i].im];
    assert_eq!(row(0), first, "{name}: first row");
    assert_eq!(row(points - 1), last, "{name}: last row");
}

#[test]
fn ch_instruments_export() {
    check("exampleDataCHInstruments.txt", 73, [9.961e4, 9.891e1, -2.748], [0.1, 5.685e3, -1.586e4]);
}

#[test]
fn zview_z60w_export_that_impedancepy_reads_as_autolab() {
    check(
        "exampleDataAutolab.txt",
        41,
        [10000.0, 0.013785863964281, 0.007191946305823],
        [0.1, 0.0345697771923854, -0.00390292888845954],
    );
}

#[test]
fn powersuite_export() {
    check("exampleDataPowersuite.txt", 30, [0.1, 423929.46, -49014.063], [2000000.0, -470.54113, -1397.7358]);
}

#[test]
fn versastudio_par_file() {
    check(
        "exampleDataVersaStudio.par",
        61,
        [100000.0, 55.31571, 4.575431],
        [0.02154435, 1516.313, -122.8279],
    );
}

#[test]
fn parstat_export_skips_the_dc_rows_before_the_sweep() {
    check(
        "exampleDataParstat.txt",
        31,
        [10000.0, -0.00049816280376104, 0.0175143479976367],
        [10.0, 0.0270946491457229, -0.00399791080333837],
    );
}

#[test]
fn a_labelled_export_cut_inside_its_last_line_is_an_error() {
    let text =
        std::fs::read_to_string(spelab_testkit::fixture("impedancepy/exampleDataPowersuite.txt")).unwrap();
    let cut = &text[..text.len() - 4];
    let e = spelab_io::spectrum::spectrum_from_bytes(cut.as_bytes(), "ps.txt").unwrap_err();
    assert!(e.to_string().starts_with("ps.txt:31: the last line is cut"), "{e}");
}
