//! `.mpr` reads of some columns ([`read_mpr_columns`]) give each column exactly as the full read
//! ([`read_mpr`]) does, for every `.mpr` of the shared corpus: name, channel, source, scale, offset
//! and every value bit for bit (compared with `==` on the whole `Column`), metadata and loops too;
//! a name the file neither stores nor derives is an error listing the names it has.

use spelab_io::biologic::mpr::{read_mpr, read_mpr_columns, MprColumns};
use spelab_io::{IoError, Recording};
use spelab_testkit::shared_data;

/// Every `.mpr` of the corpus: (file name, bytes).
fn corpus() -> Vec<(String, Vec<u8>)> {
    let Some(dir) = shared_data("instruments/biologic") else { return Vec::new() };
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mpr"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the corpus's .mpr files, found {}", files.len());
    files
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).expect("read")))
        .collect()
}

/// `some` is `full` with only the columns `keep` accepts.
fn assert_subset(some: &Recording, full: &Recording, keep: impl Fn(&spelab_io::Column) -> bool, what: &str) {
    let expected: Vec<_> = full.columns.iter().filter(|c| keep(c)).collect();
    let got: Vec<_> = some.columns.iter().collect();
    assert_eq!(got, expected, "{what}");
    assert_eq!(some.metadata, full.metadata, "{what}: metadata");
    assert_eq!((&some.loops, &some.version, &some.technique), (&full.loops, &full.version, &full.technique));
}

#[test]
fn every_column_read_alone_equals_the_full_read() {
    for (file, bytes) in corpus() {
        let full = read_mpr(&bytes, &file).expect("full read");
        assert!(full.columns.len() > 1, "{file}");
        for column in &full.columns {
            let some =
                read_mpr_columns(&bytes, &file, MprColumns::Named(&[column.name()])).expect("one column");
            assert_subset(&some, &full, |c| c.name() == column.name(), &format!("{file}: {}", column.name()));
        }
        let names: Vec<&str> = full.columns.iter().map(|c| c.name()).collect();
        let all = read_mpr_columns(&bytes, &file, MprColumns::Named(&names)).expect("every name");
        assert_eq!(all, full, "{file}: every column by name");
        // Asked in reverse order: still file order, derived last.
        let reversed: Vec<&str> = names.iter().rev().copied().collect();
        let all = read_mpr_columns(&bytes, &file, MprColumns::Named(&reversed)).expect("every name");
        assert_eq!(all, full, "{file}: every column by name, reversed");
    }
}

#[test]
fn stored_reads_every_stored_field_and_derives_nothing() {
    let mut derived_somewhere = false;
    for (file, bytes) in corpus() {
        let full = read_mpr(&bytes, &file).expect("full read");
        let stored = read_mpr_columns(&bytes, &file, MprColumns::Stored).expect("stored");
        assert_subset(&stored, &full, |c| !c.derived, &file);
        assert_eq!(stored.rows(), full.rows(), "{file}");
        derived_somewhere |= full.columns.iter().any(|c| c.derived);
        assert_eq!(read_mpr_columns(&bytes, &file, MprColumns::All).expect("all"), full, "{file}");
    }
    assert!(derived_somewhere, "the corpus has files with derived columns");
}

#[test]
fn a_derived_column_alone_decodes_its_inputs_but_returns_only_itself() {
    let Some((file, bytes)) = corpus().into_iter().find(|(f, _)| f.starts_with("jdb11")) else { return };
    let full = read_mpr(&bytes, &file).expect("full read");
    // current = dq/dt, capacity = |Q charge/discharge|, control_current from control/V/mA and mode.
    let asked = ["capacity", "current", "control_current", "voltage"];
    let some = read_mpr_columns(&bytes, &file, MprColumns::Named(&asked)).expect("derived columns");
    let names: Vec<&str> = some.columns.iter().map(|c| c.name()).collect();
    assert_eq!(names, ["voltage", "current", "capacity", "control_current"]);
    assert_subset(&some, &full, |c| asked.contains(&c.name()), &file);
    assert!(some.column_named("current").expect("current").derived);
}

#[test]
fn unknown_column_names_are_errors_listing_the_names_the_file_has() {
    let Some((file, bytes)) = corpus().into_iter().find(|(f, _)| f.starts_with("jdb11")) else { return };
    let e = read_mpr_columns(&bytes, &file, MprColumns::Named(&["time", "Ewe/V"])).unwrap_err();
    let IoError::MissingColumn { column, available, .. } = &e else { panic!("{e}") };
    assert_eq!(column, "Ewe/V");
    assert!(available.contains("voltage, ") && available.contains("current (derived)"), "{available}");
    let text = e.to_string();
    assert!(text.starts_with(&file) && text.contains("missing column 'Ewe/V'"), "{text}");
    // A column of another technique (impedance) is not in a cycling file.
    assert!(read_mpr_columns(&bytes, &file, MprColumns::Named(&["impedance_real"])).is_err());
    // Nothing asked: no columns, the metadata still read.
    let none = read_mpr_columns(&bytes, &file, MprColumns::Named(&[])).expect("no columns");
    assert!(none.columns.is_empty() && none.metadata.start_time.is_some());
}
