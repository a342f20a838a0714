//! Text exports cut inside their last line (no line end where every other line has one; the last
//! value may be cut short) are detected (issue #16): Arbin CSV, Landt CSV, BDF CSV and Maccor drop
//! that record with a warning naming the file and line, and count it in `skipped_records`.

use spelab_io::read_bytes;
use spelab_testkit::shared_data;

#[test]
fn a_last_line_without_its_line_end_is_dropped_with_a_warning() {
    for file in [
        "arbin/arbin_example.csv",
        "arbin/2017-05-09_test-TC-contact_CH33.csv",
        "landt/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
        "bdf/batmo_bdf.csv",
        "bdf/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv",
        "maccor/maccor_example.001",
        "maccor/maccor_test_file_4267-66-6519.041",
    ] {
        let Some(path) = shared_data(&format!("instruments/{file}")) else { return };
        let bytes = std::fs::read(path).expect("read");
        let full = read_bytes(&bytes, file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(full.skipped_records, 0, "{file}");
        // Cut inside the last cell: the line end and the last two characters go.
        let body = bytes.trim_ascii_end();
        let cut = &body[..body.len() - 2];
        let lines = cut.iter().filter(|&&b| b == b'\n').count() + 1;
        let rec = read_bytes(cut, file).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((rec.rows(), rec.skipped_records), (full.rows() - 1, 1), "{file}");
        let warning = format!("{file}:{lines}: the file ends inside this line");
        assert!(rec.warnings.iter().any(|w| w.starts_with(&warning)), "{file}: {:?}", rec.warnings);
        // Cut at a line end: a shorter file of the same format, read as it is.
        let at = body.iter().rposition(|&b| b == b'\n').expect("lines") + 1;
        assert_eq!(read_bytes(&body[..at], file).expect("read").skipped_records, 0, "{file}");
    }
}
