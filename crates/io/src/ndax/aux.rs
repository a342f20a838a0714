//! Auxiliary channels of a `.ndax`: one `data_AUX_<a>_<b>_<c>.ndc` member per channel (temperature,
//! auxiliary voltage or current of a thermocouple / aux board).
//!
//! The file name carries the channel: `a` is TestInfo.xml's `RealChlID` and `b` its `ChlType` − 100
//! (102 voltage [V], 103 temperature [°C], 104 current [A]; 105-107 the same for "mult" boards), as on
//! every corpus file. fastnda instead pairs the members, sorted by (a, b, c), with TestInfo.xml's Aux
//! entries in order; the values are the same, the labels differ where that order is not the file order.
//!
//! Layout of ndc 14 and 17 (file type 5): after the 4096-byte header, 4096-byte pages each holding up
//! to 990 f32 values from byte 132; bit k (little-endian bit order) of the bitmask from byte 4 says
//! whether value k is used. The used values, in order, belong to records 1, 2, ... of `data.ndc`.
//!
//! ndc 2 names the member `<date>_..._<n>.ndc` and stores 94-byte records as its data.ndc (voltage
//! i32 [0.1 mV] at 31, temperature i16 [0.1 °C] at 41).
//!
//! ndc 11 and 16 (BTSDA 8.x) name the member `data_<n>.ndc` (channel n) and store 7-byte entries from
//! byte 132 of each page (566 per page, same bitmask): marker 0x65, voltage f32 [0.1 mV], temperature
//! i16 [0.1 °C]; a channel whose voltage or temperature is zero throughout has none (as fastnda drops
//! it).

use super::PAGE;
use crate::zip::Entry;
use spelab_core::constants::ZERO_CELSIUS;

/// Values per page.
const PER_PAGE: usize = (PAGE - 132 - 1) / 4;

/// An auxiliary member: its name, the numbers in it, and its values (raw, as stored).
pub(super) struct Aux {
    /// Member name (`data_AUX_144_3_1.ndc`).
    pub member: String,
    /// RealChlID (first number of the name).
    pub real_channel: u64,
    /// ChlType (second number + 100).
    pub kind: u64,
    /// The used values in order (temperatures in K), or `None` when the layout is not read (ndc
    /// version / type).
    pub values: Option<Vec<f64>>,
}

/// The auxiliary members of the archive with the three numbers of their names (`data_<n>.ndc`:
/// `[n, 0, 0]`), sorted by them.
pub(super) fn members(entries: &[Entry]) -> Vec<(&Entry, [u64; 3])> {
    let mut out: Vec<_> = entries
        .iter()
        .filter_map(|e| {
            if !e.name.starts_with("data_AUX_") {
                // `data_<n>.ndc` (ndc 11, 16) or `<anything>_<n>.ndc` (ndc 2).
                let n = e.name.strip_suffix(".ndc")?.rsplit_once('_')?.1.parse::<u64>().ok()?;
                return Some((e, [n, 0, 0]));
            }
            let numbers = e.name.strip_prefix("data_AUX_")?.strip_suffix(".ndc")?;
            let mut it = numbers.split('_').map(|x| x.parse::<u64>().ok());
            let n = [it.next()??, it.next()??, it.next()??];
            it.next().is_none().then_some((e, n))
        })
        .collect();
    out.sort_by_key(|(_, n)| *n);
    out
}

/// The used values of an aux `.ndc` (whole pages, checked by the caller) of ndc version 14 or 17,
/// plus `offset` (273.15 turns °C into K); `None` for other layouts.
pub(super) fn values(ndc: &[u8], offset: f64) -> Option<Vec<f64>> {
    if ndc[0] != 5 || !matches!(ndc[2], 14 | 17) {
        return None;
    }
    let pages = ndc[PAGE..].chunks_exact(PAGE);
    let mut out = Vec::with_capacity(pages.len() * PER_PAGE);
    let f32_at = |x: &[u8]| f64::from(f32::from_le_bytes([x[0], x[1], x[2], x[3]])) + offset;
    for page in pages {
        let mask = &page[4..4 + PER_PAGE.div_ceil(8)];
        let data = page[132..132 + 4 * PER_PAGE].chunks_exact(4);
        let full = mask[..PER_PAGE / 8].iter().all(|&m| m == 0xFF)
            && mask[PER_PAGE / 8] == (1u8 << (PER_PAGE % 8)) - 1;
        if full {
            out.extend(data.map(f32_at));
        } else {
            let used = |k: usize| mask[k / 8] >> (k % 8) & 1 == 1;
            out.extend(data.enumerate().filter(|(k, _)| used(*k)).map(|(_, x)| f32_at(x)));
        }
    }
    Some(out)
}

/// The channels of an aux member (whole pages, checked by the caller) named by `[channel, type, _]`:
/// one per member for ndc 14 / 17, voltage and temperature for ndc 11 / 16 (`data_<n>.ndc`), one
/// with no values for layouts not read.
pub(super) fn read(ndc: &[u8], member: &str, [real_channel, kind, _]: [u64; 3]) -> Vec<Aux> {
    let aux =
        |kind: u64, values: Option<Vec<f64>>| Aux { member: member.to_string(), real_channel, kind, values };
    let two = ndc[0] == 5 && ndc[2] == 2;
    if two || (ndc[0] == 5 && matches!(ndc[2], 11 | 16) && ndc.get(PAGE + 132) == Some(&0x65)) {
        let [voltage, temperature] = if two { values_ndc2(ndc) } else { values_7(ndc) };
        let mut out = Vec::new();
        for (kind, v) in [(102, voltage), (103, temperature)] {
            if v.iter().any(|&x| x != 0.0) {
                let offset = if is_temperature(kind) { ZERO_CELSIUS } else { 0.0 };
                out.push(aux(kind, Some(v.iter().map(|x| x + offset).collect())));
            }
        }
        return out;
    }
    let kind = kind + 100;
    let offset = if is_temperature(kind) { ZERO_CELSIUS } else { 0.0 };
    vec![aux(kind, values(ndc, offset))]
}

/// Voltage [V] and temperature [°C] of the used 7-byte entries of an ndc 11 / 16 aux member.
fn values_7(ndc: &[u8]) -> [Vec<f64>; 2] {
    const PER: usize = (PAGE - 132 - 1) / 7;
    let (mut voltage, mut temperature) = (Vec::new(), Vec::new());
    for page in ndc[PAGE..].chunks_exact(PAGE) {
        for (k, e) in page[132..132 + 7 * PER].chunks_exact(7).enumerate() {
            if page[4 + k / 8] >> (k % 8) & 1 == 1 {
                voltage.push(f64::from(f32::from_le_bytes([e[1], e[2], e[3], e[4]])) * 1e-4);
                temperature.push(f64::from(i16::from_le_bytes([e[5], e[6]])) / 10.0);
            }
        }
    }
    [voltage, temperature]
}

/// Voltage [V] and temperature [°C] of the records of an ndc 2 aux member (94-byte records in
/// 512-byte blocks, as its data.ndc: voltage i32 [0.1 mV] @31, temperature i16 [0.1 °C] @41).
fn values_ndc2(ndc: &[u8]) -> [Vec<f64>; 2] {
    let (mut voltage, mut temperature) = (Vec::new(), Vec::new());
    for r in super::ndc2_records(ndc) {
        voltage.push(f64::from(i32::from_le_bytes([r[31], r[32], r[33], r[34]])) * 1e-4);
        temperature.push(f64::from(i16::from_le_bytes([r[41], r[42]])) / 10.0);
    }
    [voltage, temperature]
}

/// Whether ChlType `kind` is a temperature (stored in °C, read into K).
pub(super) fn is_temperature(kind: u64) -> bool {
    matches!(kind, 103 | 106)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An aux ndc (version 17, type 5) with pages of `used` values each (value k = k + 0.5).
    fn ndc(used: &[usize]) -> Vec<u8> {
        let mut b = vec![0u8; PAGE];
        b[0] = 5;
        b[2] = 17;
        let mut next = 0.0f32;
        for &n in used {
            let mut page = vec![0u8; PAGE];
            for k in 0..n {
                page[4 + k / 8] |= 1 << (k % 8);
                page[132 + 4 * k..136 + 4 * k].copy_from_slice(&(next + 0.5).to_le_bytes());
                next += 1.0;
            }
            b.extend(page);
        }
        b
    }

    #[test]
    fn used_values_of_full_and_partial_pages_in_order() {
        let v = values(&ndc(&[PER_PAGE, 3]), 0.0).expect("layout");
        assert_eq!(v.len(), PER_PAGE + 3);
        assert!(v.iter().enumerate().all(|(k, &x)| x == k as f64 + 0.5));
        let mut other = ndc(&[2]);
        other[2] = 5;
        assert!(values(&other, 0.0).is_none());
        assert_eq!(values(&ndc(&[1]), 273.15), Some(vec![0.5 + 273.15]));
    }

    #[test]
    fn members_are_sorted_by_the_numbers_in_their_names() {
        let entry = |name: &str| Entry::named(name);
        let entries = [entry("data_AUX_144_3_1.ndc"), entry("data.ndc"), entry("data_AUX_1_1022_1.ndc")];
        let m = members(&entries);
        let names: Vec<_> = m.iter().map(|(e, _)| e.name.as_str()).collect();
        assert_eq!(names, ["data_AUX_1_1022_1.ndc", "data_AUX_144_3_1.ndc"]);
        assert_eq!(m[1].1, [144, 3, 1]);
    }
}
