//! The exact-length check of a Neware `.nda`: its header records where the record area ends, so a
//! copy cut anywhere after the header, even at a record boundary, is an error rather than fewer rows.
//!
//! Header fields (little-endian; found in the corpus files, trusted only when they agree with each
//! other):
//! - version < 130: u32 at 64 = start of the record area, u32 at 68 = its length, u32 at 72 (and 80) =
//!   their sum, the file length (`new_nda_file.nda`: 85385 + 38270 = 123655 bytes, 445 records of 86);
//! - version 130, BTS 9.0 layout: u32 at 114 = start of the last block, u16 at 122 = its length,
//!   u32 at 130 = their sum, the file length (`2-1-6_61_07005012.nda`: 1372069 + 88 = 1372157).
//!
//! The BTS 9.1 layout (same version byte) chains more blocks and ends before the file does; it only
//! passes here (declared end <= length); the v130 reader checks its data block against the header's
//! block table itself (`docs/formats/neware-nda.md`).
//!
//! ```
//! use spelab_io::neware_length::check_declared_length;
//! let mut b = vec![0u8; 200];
//! b[..6].copy_from_slice(b"NEWARE");
//! b[14] = 29;
//! for (at, v) in [(64, 100u32), (68, 100), (72, 200), (80, 200)] {
//!     b[at..at + 4].copy_from_slice(&v.to_le_bytes());
//! }
//! assert!(check_declared_length(&b, "a.nda").is_ok());
//! let e = check_declared_length(&b[..150], "a.nda").unwrap_err().to_string();
//! assert!(e.starts_with("a.nda: truncated at byte 150"), "{e}");
//! ```

use crate::IoError;

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
}

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    b.get(at..at + 2).map(|s| usize::from(u16::from_le_bytes([s[0], s[1]])))
}

/// The file length an `.nda` header declares, when its fields agree with each other.
pub fn declared_length(b: &[u8]) -> Option<usize> {
    let version = *b.get(14)?;
    let (start, len, end) = if version < 130 {
        let end = u32_at(b, 72)?;
        if u32_at(b, 80)? != end {
            return None;
        }
        (u32_at(b, 64)?, u32_at(b, 68)?, end)
    } else {
        (u32_at(b, 114)?, u16_at(b, 122)?, u32_at(b, 130)?)
    };
    (start > 0 && len > 0 && start.checked_add(len) == Some(end)).then_some(end)
}

/// An error when the header of the `.nda` in `b` declares more bytes than `b` holds.
pub fn check_declared_length(b: &[u8], name: &str) -> Result<(), IoError> {
    match declared_length(b) {
        Some(end) if end > b.len() => Err(IoError::Truncated {
            name: name.to_string(),
            offset: b.len(),
            what: format!("the record area (its header declares a {end}-byte file)"),
            expected: end - b.len(),
            available: 0,
            hint: "; the file was cut".into(),
        }),
        _ => Ok(()),
    }
}
