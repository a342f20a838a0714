//! A minimal ZIP reader for Neware `.ndax` archives: central directory, stored or deflated members,
//! CRC-32 and size checks. A truncated or damaged archive is an error naming the member and offset.
//!
//! Inflating is most of the time it takes to read an `.ndax` (its `data.ndc` holds f32 samples that
//! barely compress), so members are inflated with libdeflate (`libdeflater`), made for exactly this:
//! a whole deflate stream into a buffer of known size in one call (on the corpus's 2.1 MB
//! `data.ndc`: 4.3 ms against 5.3 ms for `zlib-rs`, the pure-Rust zlib-ng port used before, and
//! ~16 ms for `miniz_oxide`), and checked with `crc32fast` (SIMD CRC-32).

use crate::IoError;

/// One member of the archive.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Member name.
    pub name: String,
    method: u16,
    crc: u32,
    compressed: usize,
    size: usize,
    local_offset: usize,
}

impl Entry {
    /// Uncompressed size [bytes] as the archive states it (checked by [`extract`]).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Compressed size [bytes] as the archive states it.
    pub fn compressed_size(&self) -> usize {
        self.compressed
    }

    /// An entry with only a name (for tests of code that selects members by name).
    #[cfg(test)]
    pub(crate) fn named(name: &str) -> Entry {
        Entry { name: name.to_string(), method: 0, crc: 0, compressed: 0, size: 0, local_offset: 0 }
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn corrupt(name: &str, offset: usize, expected: &str, found: impl Into<String>) -> IoError {
    IoError::Corrupt { name: name.to_string(), offset, expected: expected.to_string(), found: found.into() }
}

/// The archive's members, from its central directory.
pub fn entries(b: &[u8], name: &str) -> Result<Vec<Entry>, IoError> {
    let lowest = b.len().saturating_sub(22 + 65_535);
    let eocd = (lowest..b.len().saturating_sub(21))
        .rev()
        .find(|&i| b[i..i + 4] == [0x50, 0x4B, 0x05, 0x06])
        .ok_or_else(|| IoError::Truncated {
            name: name.to_string(),
            offset: b.len(),
            what: "the ZIP end-of-central-directory record".into(),
            expected: 22,
            available: 0,
            hint: " (the archive is cut or not a ZIP file)".into(),
        })?;
    let count = u16_at(b, eocd + 10).unwrap_or(0) as usize;
    let mut at = u32_at(b, eocd + 16).unwrap_or(0) as usize;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(b, at) != Some(0x0201_4B50) {
            return Err(corrupt(name, at, "a ZIP central-directory entry", "other bytes"));
        }
        let field = |o: usize| u32_at(b, at + o).unwrap_or(0) as usize;
        let short = |o: usize| u16_at(b, at + o).unwrap_or(0) as usize;
        let name_len = short(28);
        let entry_name = b
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| corrupt(name, at, "a ZIP entry name", "the end of the file"))?;
        let mut entry = Entry {
            name: String::from_utf8_lossy(entry_name).to_string(),
            method: short(10) as u16,
            crc: field(16) as u32,
            compressed: field(20),
            size: field(24),
            local_offset: field(42),
        };
        // ZIP64: sizes and offset of 0xFFFFFFFF are in the extra field 0x0001, in this order.
        let extra = b.get(at + 46 + name_len..at + 46 + name_len + short(30)).unwrap_or(&[]);
        let mut e = 0;
        while e + 4 <= extra.len() {
            let (id, len) = (u16_at(extra, e).unwrap_or(0), u16_at(extra, e + 2).unwrap_or(0) as usize);
            if id == 1 {
                let mut k = e + 4;
                for value in [&mut entry.size, &mut entry.compressed, &mut entry.local_offset] {
                    if *value == 0xFFFF_FFFF {
                        let wide = extra
                            .get(k..k + 8)
                            .ok_or_else(|| corrupt(name, at, "a ZIP64 extra field", "a short one"))?;
                        let mut x = [0u8; 8];
                        x.copy_from_slice(wide);
                        *value = usize::try_from(u64::from_le_bytes(x)).unwrap_or(usize::MAX);
                        k += 8;
                    }
                }
            }
            e += 4 + len;
        }
        out.push(entry);
        at += 46 + name_len + short(30) + short(32);
    }
    Ok(out)
}

/// The bytes of member `entry`, checked against its size and CRC-32.
pub fn extract(b: &[u8], entry: &Entry, name: &str) -> Result<Vec<u8>, IoError> {
    let at = entry.local_offset;
    if u32_at(b, at) != Some(0x0403_4B50) {
        return Err(corrupt(name, at, &format!("the ZIP local header of {}", entry.name), "other bytes"));
    }
    let start = at + 30 + u16_at(b, at + 26).unwrap_or(0) as usize + u16_at(b, at + 28).unwrap_or(0) as usize;
    let data = b.get(start..start.saturating_add(entry.compressed)).ok_or_else(|| IoError::Truncated {
        name: name.to_string(),
        offset: start,
        what: format!("ZIP member {}", entry.name),
        expected: entry.compressed,
        available: b.len().saturating_sub(start),
        hint: String::new(),
    })?;
    let bytes = match entry.method {
        0 => data.to_vec(),
        8 => inflate(data, entry, name, start)?,
        m => return Err(corrupt(name, at, "ZIP method 0 (stored) or 8 (deflate)", format!("method {m}"))),
    };
    if bytes.len() != entry.size {
        return Err(corrupt(
            name,
            start,
            &format!("{} bytes in {}", entry.size, entry.name),
            bytes.len().to_string(),
        ));
    }
    if crc32(&bytes) != entry.crc {
        return Err(corrupt(
            name,
            start,
            &format!("CRC-32 {:08X} of {}", entry.crc, entry.name),
            "another CRC",
        ));
    }
    Ok(bytes)
}

/// Deflate's largest expansion: 258 bytes from one length/distance pair of at least 2 bits.
const MAX_RATIO: usize = 1032;

/// Inflates the raw deflate stream `data` of `entry` into exactly `entry.size` bytes.
fn inflate(data: &[u8], entry: &Entry, name: &str, start: usize) -> Result<Vec<u8>, IoError> {
    let what = || format!("deflate data of {} ({} bytes inflated)", entry.name, entry.size);
    // A stated size no deflate stream of this length can reach is damage: refuse it before allocating.
    if entry.size > data.len().saturating_mul(MAX_RATIO).saturating_add(64) {
        return Err(corrupt(name, start, &what(), format!("{} compressed bytes", data.len())));
    }
    let mut out = vec![0u8; entry.size];
    match libdeflater::Decompressor::new().deflate_decompress(data, &mut out) {
        Ok(got) if got == entry.size => Ok(out),
        Ok(got) => Err(corrupt(name, start, &what(), format!("{got} bytes"))),
        Err(libdeflater::DecompressionError::InsufficientSpace) => {
            Err(corrupt(name, start, &what(), "more data than the stated size"))
        }
        Err(libdeflater::DecompressionError::BadData) => {
            Err(corrupt(name, start, &what(), "invalid deflate data"))
        }
    }
}

/// CRC-32 (IEEE, as ZIP uses).
pub fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_of_the_standard_check_string() {
        // The CRC-32 check value of "123456789" is CBF43926.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn a_stored_member_round_trips_and_damage_is_detected() {
        let data = b"hello ndax";
        let crc = crc32(data);
        let mut z = Vec::new();
        z.extend(0x0403_4B50u32.to_le_bytes());
        z.extend([0u8; 22]);
        z.extend(1u16.to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z.push(b'a');
        z.extend_from_slice(data);
        let cd = z.len();
        z.extend(0x0201_4B50u32.to_le_bytes());
        z.extend([0u8; 6]);
        z.extend(0u16.to_le_bytes()); // method
        z.extend([0u8; 4]);
        z.extend(crc.to_le_bytes());
        z.extend((data.len() as u32).to_le_bytes());
        z.extend((data.len() as u32).to_le_bytes());
        z.extend(1u16.to_le_bytes());
        z.extend([0u8; 12]);
        z.extend(0u32.to_le_bytes());
        z.push(b'a');
        z.extend(0x0605_4B50u32.to_le_bytes());
        z.extend([0u8; 6]);
        z.extend(1u16.to_le_bytes());
        z.extend(0u32.to_le_bytes());
        z.extend((cd as u32).to_le_bytes());
        z.extend(0u16.to_le_bytes());
        let e = entries(&z, "t.zip").expect("entries");
        assert_eq!(e[0].name, "a");
        assert_eq!(extract(&z, &e[0], "t.zip").expect("extract"), data);
        let mut bad = z.clone();
        bad[31] ^= 1;
        assert!(extract(&bad, &e[0], "t.zip").unwrap_err().to_string().contains("CRC"));
        assert!(entries(&z[..z.len() - 5], "t.zip").is_err());
    }
}
