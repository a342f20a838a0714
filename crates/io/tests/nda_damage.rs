//! Damaged Neware `.nda` records are never lost silently (issue #16): a record that cannot be decoded
//! is an error naming its byte offset; a data record with a zero index or status (which NewareNDA and
//! BTSDA skip) is skipped, counted in `skipped_records` and named in a warning.

use spelab_io::read_bytes;
use spelab_testkit::shared_data;

fn load(file: &str) -> Option<Vec<u8>> {
    Some(std::fs::read(shared_data(&format!("instruments/neware/{file}"))?).expect("read"))
}

fn error(bytes: &[u8], file: &str) -> String {
    match read_bytes(bytes, file) {
        Ok(rec) => panic!("{file}: read {} rows without error", rec.rows()),
        Err(e) => e.to_string(),
    }
}

/// Version 29: the record area starts at byte 85385 (header u32 at 64); record 11 is a data record.
#[test]
fn v29_bad_marker_is_an_error_and_zero_index_a_counted_skip() {
    let Some(bytes) = load("new_nda_file.nda") else { return };
    let at = 85385 + 10 * 86;
    assert_eq!(bytes[at], 0x55);
    let mut bad = bytes.clone();
    bad[at] = 0x3C;
    let e = error(&bad, "a.nda");
    assert!(e.starts_with(&format!("a.nda: byte {at}: expected a record marker")), "{e}");

    for field in [2usize, 12] {
        let mut zero = bytes.clone();
        if field == 2 {
            zero[at + 2..at + 6].fill(0);
        } else {
            zero[at + 12] = 0;
        }
        let rec = read_bytes(&zero, "a.nda").expect("read");
        assert_eq!((rec.rows(), rec.skipped_records), (438, 1), "field {field}");
        assert!(
            rec.warnings.iter().any(|w| w.starts_with("1 data record(s) with a zero index")),
            "{:?}",
            rec.warnings
        );
    }
}

/// Version 130, both layouts: a record inside the declared data block that is neither data nor
/// auxiliary is an error at its offset; a shortened or damaged block table is caught too.
#[test]
fn v130_unmatched_record_is_an_error_not_the_end() {
    for (file, len, rows) in [("2-1-6_61_07005012.nda", 88, 15567), ("TestFile.nda", 56, 6670)] {
        let Some(bytes) = load(file) else { return };
        let at = 1024 + 100 * len;
        let mut bad = bytes.clone();
        bad[at] ^= 0xFF;
        bad[at + 4] ^= 0xFF;
        let e = error(&bad, file);
        assert!(e.starts_with(&format!("{file}: byte {at}: expected a BTS 9.")), "{e}");

        // The block table declares one record less: the record left over is not the closing block.
        let mut short = bytes.clone();
        let declared = u64::from_le_bytes(short[0x5A..0x62].try_into().expect("8"));
        short[0x5A..0x62].copy_from_slice(&(declared - len as u64).to_le_bytes());
        let e = error(&short, file);
        assert!(e.contains("expected the closing block"), "{e}");

        // No block table entry: records up to the closing block (0x81), all of them.
        let mut no_table = bytes.clone();
        no_table[0x52..0x62].fill(0);
        assert_eq!(read_bytes(&no_table, file).expect("read").rows(), rows, "{file}");
        // ... and without it, a damaged record is still an error, not the end of the data.
        no_table[at] = 0x42;
        assert!(error(&no_table, file).contains(&format!("byte {at}")), "{file}");
    }
}
