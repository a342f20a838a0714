//! `.nda` copies cut exactly at a record boundary (which the record-size check cannot see) are errors:
//! the header declares the file length (crates/io/src/neware_length.rs).

use spelab_io::neware_length::declared_length;
use spelab_io::read_bytes;
use spelab_testkit::shared_data;

#[test]
fn nda_cut_at_record_boundaries_is_an_error() {
    for (file, record) in [("new_nda_file.nda", 86), ("2-1-6_61_07005012.nda", 88)] {
        let Some(path) = shared_data(&format!("instruments/neware/{file}")) else { return };
        let bytes = std::fs::read(path).expect("read");
        assert_eq!(declared_length(&bytes), Some(bytes.len()), "{file}");
        for k in [1, 2, 7, 100] {
            let cut = bytes.len() - k * record;
            let e = read_bytes(&bytes[..cut], file).map(|r| r.rows()).unwrap_err().to_string();
            assert!(e.starts_with(&format!("{file}: truncated at byte {cut}")), "{file} cut at {cut}: {e}");
        }
    }
    // BTS 9.1 (same version byte): the header's chained blocks end before the file; not a cut.
    let Some(path) = shared_data("instruments/neware/TestFile.nda") else { return };
    let bytes = std::fs::read(path).expect("read");
    assert!(declared_length(&bytes).is_some_and(|end| end < bytes.len()));
}
