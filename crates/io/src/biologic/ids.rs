//! The EC-Lab `.mpr` column-ID table: label and stored type of each ID.
//!
//! IDs above 255 occur from EC-Lab 11.2x on; for most of them the low byte is the old ID with the same
//! type (434 = 178 = `(Q-Qo)/C`, 467 = 211, 468 = 212, 441 = 185). A few high IDs have their own
//! meaning (498-502: Q charge, Q discharge, step time, efficiency, capacity) and are looked up first.
//! Meaning can depend on the other IDs present: see [`describe`].
//! Sources: the union of galvani, its datalab fork and yadg (see `shared/docs/formats.md`), checked
//! against the paired `.mpt` exports of the corpus.

/// How a column is stored in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// A bit field in the one shared flags byte; the mask selects it.
    Flag(u8),
    /// Unsigned 8-bit integer.
    U1,
    /// Unsigned 16-bit integer, little-endian.
    U2,
    /// Unsigned 32-bit integer, little-endian.
    U4,
    /// 32-bit float, little-endian.
    F4,
    /// 64-bit float, little-endian.
    F8,
}

impl Dtype {
    /// Bytes in a record (flags share one byte, counted once by the caller).
    pub fn size(self) -> usize {
        match self {
            Dtype::Flag(_) | Dtype::U1 => 1,
            Dtype::U2 => 2,
            Dtype::U4 | Dtype::F4 => 4,
            Dtype::F8 => 8,
        }
    }
}

/// IDs whose full 16-bit value has its own meaning (not the low byte's).
fn high_id(id: u16) -> Option<(&'static str, Dtype)> {
    Some(match id {
        498 => ("Q charge/mA.h", Dtype::F8),
        499 => ("Q discharge/mA.h", Dtype::F8),
        500 => ("step time/s", Dtype::F8),
        501 => ("Efficiency/%", Dtype::F8),
        502 => ("Capacity/mA.h", Dtype::F8),
        _ => return None,
    })
}

/// Label and type of a low-byte ID.
fn low_id(id: u8) -> Option<(&'static str, Dtype)> {
    use Dtype::*;
    Some(match id {
        1 => ("mode", Flag(0x03)),
        2 => ("ox/red", Flag(0x04)),
        3 => ("error", Flag(0x08)),
        21 => ("control changes", Flag(0x10)),
        31 => ("Ns changes", Flag(0x20)),
        65 => ("counter inc.", Flag(0x80)),
        4 => ("time/s", F8),
        5 => ("control/V/mA", F4),
        6 => ("Ewe/V", F4),
        7 => ("dq/mA.h", F8),
        8 => ("I/mA", F4),
        9 => ("Ece/V", F4),
        11 => ("<I>/mA", F8),
        13 => ("(Q-Qo)/mA.h", F8),
        16 => ("Analog IN 1/V", F4),
        17 => ("Analog IN 2/V", F4),
        19 => ("control/V", F4),
        20 => ("control/mA", F4),
        23 => ("dQ/mA.h", F8),
        24 => ("cycle number", F8),
        32 => ("freq/Hz", F4),
        33 => ("|Ewe|/V", F4),
        34 => ("|I|/A", F4),
        35 => ("Phase(Z)/deg", F4),
        36 => ("|Z|/Ohm", F4),
        37 => ("Re(Z)/Ohm", F4),
        38 => ("-Im(Z)/Ohm", F4),
        39 => ("I Range", U2),
        69 => ("R/Ohm", F4),
        70 => ("P/W", F4),
        74 => ("|Energy|/W.h", F8),
        75 => ("Analog OUT/V", F4),
        76 => ("<I>/mA", F4),
        77 => ("<Ewe>/V", F4),
        78 => ("Cs-2/µF-2", F4),
        96 => ("|Ece|/V", F4),
        98 => ("Phase(Zce)/deg", F4),
        99 => ("|Zce|/Ohm", F4),
        100 => ("Re(Zce)/Ohm", F4),
        101 => ("-Im(Zce)/Ohm", F4),
        123 => ("Energy charge/W.h", F8),
        124 => ("Energy discharge/W.h", F8),
        125 => ("Capacitance charge/µF", F8),
        126 => ("Capacitance discharge/µF", F8),
        131 => ("Ns", U2),
        163 => ("|Estack|/V", F4),
        168 => ("Rcmp/Ohm", F4),
        169 => ("Cs/µF", F4),
        172 => ("Cp/µF", F4),
        173 => ("Cp-2/µF-2", F4),
        174 => ("<Ewe>/V", F4),
        175 => ("|Zwe-ce|/Ohm", F4),
        176 => ("Re(Zwe-ce)/Ohm", F4),
        177 => ("-Im(Zwe-ce)/Ohm", F4),
        178 => ("(Q-Qo)/C", F4),
        179 => ("dQ/C", F4),
        182 => ("step time/s", F8),
        185 => ("<Ece>/V", F4),
        206 => ("Temperature/°C", F4),
        211 => ("Q charge/discharge/mA.h", F8),
        212 => ("half cycle", U4),
        213 => ("z cycle", U4),
        215 => ("<Ece>/V", F4),
        217 => ("THD Ewe/%", F4),
        218 => ("THD I/%", F4),
        220 => ("NSD Ewe/%", F4),
        221 => ("NSD I/%", F4),
        223 => ("NSR Ewe/%", F4),
        224 => ("NSR I/%", F4),
        230 => ("|Ewe h2|/V", F4),
        231 => ("|Ewe h3|/V", F4),
        232 => ("|Ewe h4|/V", F4),
        233 => ("|Ewe h5|/V", F4),
        234 => ("|Ewe h6|/V", F4),
        235 => ("|Ewe h7|/V", F4),
        236 => ("|I h2|/A", F4),
        237 => ("|I h3|/A", F4),
        238 => ("|I h4|/A", F4),
        239 => ("|I h5|/A", F4),
        240 => ("|I h6|/A", F4),
        241 => ("|I h7|/A", F4),
        242 => ("|E2|/V", F4),
        248 => ("Rac/Ohm", F4),
        249 => ("Rdc/Ohm", F4),
        253 => ("Acir/Dcir Control", U1),
        _ => return None,
    })
}

/// Label and type of column `id` given all IDs of the file (for context-dependent meanings), or
/// `None` when the ID is unknown.
///
/// Context rule: 174 is `<Ewe>/V` unless 6 (`Ewe`) or 77 (`<Ewe>`) is also present; then it is the
/// phase of the working-minus-counter impedance, `Phase(Zwe-ce)/deg` (EIS with Ece recorded).
pub fn describe(id: u16, all: &[u16]) -> Option<(&'static str, Dtype)> {
    if let Some(found) = high_id(id) {
        return Some(found);
    }
    let low = (id & 0xFF) as u8;
    if low == 174 && all.iter().any(|&o| matches!(o & 0xFF, 6 | 77)) {
        return Some(("Phase(Zwe-ce)/deg", Dtype::F4));
    }
    low_id(low)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_ids_use_the_low_byte_and_context() {
        assert_eq!(describe(434, &[434]), Some(("(Q-Qo)/C", Dtype::F4)));
        assert_eq!(describe(468, &[]), Some(("half cycle", Dtype::U4)));
        assert_eq!(describe(441, &[]), Some(("<Ece>/V", Dtype::F4)));
        assert_eq!(describe(498, &[]), Some(("Q charge/mA.h", Dtype::F8)));
        assert_eq!(describe(174, &[4, 174]), Some(("<Ewe>/V", Dtype::F4)));
        assert_eq!(describe(430, &[77, 430]).map(|d| d.0), Some("Phase(Zwe-ce)/deg"));
        assert_eq!(describe(0x1FE, &[]), None);
    }
}
