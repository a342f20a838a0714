//! Damaged input never panics: seeded byte flips, truncations and random tails on every corpus file
//! of the supported formats, and random bytes behind each format's magic. (Not a substitute for
//! cargo-fuzz, which is still to be set up; this runs in every `cargo test`.)

use spelab_io::read_bytes;
use spelab_testkit::{shared_data, Rng};

const FILES: [&str; 21] = [
    "neware/navani_test.ndax",
    "neware/TESTCELL0001-Test_Data_Collection_Ndc17.ndax",
    "neware/new_nda_file.nda",
    "neware/2-1-6_61_07005012.nda",
    "biologic/ca.issue_149.mpr",
    "biologic/cv.mpr",
    "biologic/gcpl.issue_149.mpr",
    "biologic/lsv.issue_195.mpr",
    "biologic/ocv.mpr",
    "biologic/peis.mpr",
    "biologic/mb.issue_95.de.mpt",
    "biologic/peis.mpt",
    "gamry/exampleDataGamryABORT.DTA",
    "gamry/cv_data.dta",
    "maccor/maccor_two.txt",
    "maccor/maccor_test_file_4267-66-6519.041",
    "arbin/2017-05-09_test-TC-contact_CH33.csv",
    "neware/neware_uio.csv",
    "bdf/batmo_bdf.csv",
    "landt/SINTEF__LiGrR2032__2024-04-30__25degC__Landt.csv",
    "arbin/2017-05-09_test-TC-contact_CH33_Metadata.csv",
];

#[test]
fn mutated_corpus_files_never_panic() {
    let mut rng = Rng::new(42);
    for file in FILES {
        let Some(path) = shared_data(&format!("instruments/{file}")) else { return };
        let full = std::fs::read(&path).expect("read");
        // Large files: mutate a 64 kB head (text) or the header plus a 64 kB tail (.nda records) to
        // keep the test quick; .ndax archives whole (their CRCs catch the flips).
        let bytes: Vec<u8> = if file.ends_with(".ndax") {
            full.clone()
        } else if file.ends_with(".nda") {
            let mut v = full[..1024.min(full.len())].to_vec();
            v.extend_from_slice(&full[full.len().saturating_sub(65_536)..]);
            v
        } else {
            full[..full.len().min(65_536)].to_vec()
        };
        let bytes = &bytes[..];
        for round in 0..40 {
            let mut copy = bytes.to_vec();
            let flips = 1 + (rng.uniform() * 8.0) as usize;
            for _ in 0..flips {
                let at = (rng.uniform() * copy.len() as f64) as usize;
                copy[at] = (rng.next_u64() & 0xFF) as u8;
            }
            if round % 4 == 0 {
                let cut = (rng.uniform() * copy.len() as f64) as usize;
                copy.truncate(cut);
            }
            let _ = read_bytes(&copy, file);
        }
    }
}

#[test]
fn random_bytes_behind_each_magic_never_panic() {
    let mut rng = Rng::new(7);
    let mut mpr_magic = b"BIO-LOGIC MODULAR FILE\x1a".to_vec();
    mpr_magic.resize(48, b' ');
    mpr_magic.extend_from_slice(&[0; 4]);
    let magics: [&[u8]; 9] = [
        b"PK\x03\x04",
        b"NEWARE20200325\x1d\x00\x00\x00\x00\x00\x55\x00",
        b"NEWARE20160408\x82\x00",
        &mpr_magic,
        b"EC-Lab ASCII FILE\r\nNb header lines : 5\r\n",
        b"EXPLAIN\r\nTAG\tEISPOT\r\nZCURVE\tTABLE\r\n",
        b"Rec#\tCyc#\tStep\tTest (Min)\r\n",
        b"Test Time / s,Voltage / V,Current / A\n",
        b"DataPoint,Cycle Index,Step Index,Step Type,Time\n",
    ];
    for magic in magics {
        for _ in 0..300 {
            let mut b = magic.to_vec();
            let n = (rng.uniform() * 2000.0) as usize;
            // Mix of text-like and binary bytes so both parsers get past their first checks.
            b.extend((0..n).map(|_| {
                let x = rng.next_u64();
                if x.is_multiple_of(3) {
                    b"MODULE\t\r\n0123456789.,-E "[(x >> 8) as usize % 24]
                } else {
                    (x >> 16) as u8
                }
            }));
            let _ = read_bytes(&b, "random");
        }
    }
}

/// Structurally plausible `.mpr` files with random module lengths, versions, column IDs and point
/// counts: every outcome is a recording whose columns all have `rows` values, or an error.
#[test]
fn random_mpr_structures_never_panic_or_misalign() {
    let mut rng = Rng::new(2026);
    let ids: [u16; 14] = [1, 2, 3, 4, 6, 7, 8, 11, 13, 24, 39, 131, 468, 0x1FE];
    for _ in 0..2000 {
        let mut b = b"BIO-LOGIC MODULAR FILE\x1a".to_vec();
        b.resize(48, b' ');
        b.extend_from_slice(&[0; 4]);
        for short in ["VMP Set", "VMP data", "VMP LOG", "VMP loop"] {
            if rng.uniform() < 0.15 {
                continue;
            }
            let v2 = rng.uniform() < 0.5;
            let mut body = Vec::new();
            let version: u32 = [0, 2, 3, 7][(rng.next_u64() % 4) as usize];
            if short == "VMP data" {
                let n_points = (rng.next_u64() % 5) as u32;
                let n_columns = (rng.next_u64() % 6) as u8;
                body.extend(n_points.to_le_bytes());
                body.push(n_columns);
                for _ in 0..n_columns {
                    let id = ids[(rng.next_u64() % ids.len() as u64) as usize];
                    body.extend(if v2 || version == 0 { id.to_be_bytes() } else { id.to_le_bytes() });
                }
                let offset = if v2 || version == 0 { 1007 } else { 406 };
                body.resize(offset + (rng.next_u64() % 120) as usize, 0x3F);
            } else {
                body.extend((0..(rng.next_u64() % 1200)).map(|_| (rng.next_u64() & 0xFF) as u8));
            }
            let mut declared = body.len() as u32;
            if rng.uniform() < 0.2 {
                declared = declared.wrapping_add((rng.next_u64() % 9) as u32).wrapping_sub(4);
            }
            b.extend_from_slice(b"MODULE");
            b.extend(format!("{short:<10}").bytes());
            b.extend(format!("{:<25}", "x").bytes());
            if v2 {
                b.extend([0xFF; 4]);
            }
            b.extend(declared.to_le_bytes());
            b.extend(version.to_le_bytes());
            if v2 {
                b.extend(11u32.to_le_bytes());
            }
            b.extend(b"01/10/24");
            b.extend(body);
        }
        if let Ok(rec) = read_bytes(&b, "random.mpr") {
            assert!(rec.columns.iter().all(|c| c.values.len() == rec.rows()));
        }
    }
}
