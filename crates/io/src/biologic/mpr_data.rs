//! The `VMP data` module of an `.mpr`: the record layout from the column IDs, and the decoder that
//! turns the packed records into spelab columns: only the columns a read asks for
//! ([`MprColumns`]), in cache-sized blocks of records.
//!
//! A read that asks for some columns gets each of them exactly as the full read gives it (same name,
//! values, scale and source): stored fields are decoded from their bytes, derived columns
//! ([`super::derive`]) from the fields they need, which are decoded for that and not returned.

use crate::biologic::derive::{self, Derived};
use crate::biologic::ids::{describe, Dtype};
use crate::biologic::labels::{resolve, Resolved};
use crate::channel::Channel;
use crate::recording::{Column, Recording, Values};
use crate::IoError;

/// Which columns [`read_mpr_columns`](super::mpr::read_mpr_columns) returns.
///
/// ```
/// use spelab_io::biologic::mpr::{read_mpr, read_mpr_columns, MprColumns};
/// let Some(path) = spelab_testkit::shared_data("instruments/biologic/gcpl.mpr") else { return };
/// let bytes = std::fs::read(path).unwrap();
/// let some = read_mpr_columns(&bytes, "gcpl.mpr", MprColumns::Named(&["time", "current"])).unwrap();
/// let all = read_mpr(&bytes, "gcpl.mpr").unwrap();
/// assert_eq!(some.columns.len(), 2);
/// assert_eq!(some.column_named("current"), all.column_named("current"));
/// assert!(read_mpr_columns(&bytes, "gcpl.mpr", MprColumns::Named(&["nope"])).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MprColumns<'a> {
    /// Every stored field and every column EC-Lab derives on export: what [`read_mpr`](super::mpr::read_mpr) returns.
    All,
    /// The fields the file stores, one column per field (each flag its own column), nothing derived:
    /// the work of a reader that returns one array per stored field.
    Stored,
    /// The columns of these spelab names (as `spelab read` lists them: `time`, `voltage`,
    /// `current`, ...), stored or derived, in file order, derived last; nothing else is decoded.
    /// A name the file neither stores nor can derive is [`IoError::MissingColumn`], which lists the
    /// names it has.
    Named(&'a [&'a str]),
}

/// One column of the record layout.
struct Field {
    id: u16,
    label: &'static str,
    dtype: Dtype,
    offset: usize,
}

/// Reads the body of the data module (at byte `at` of the file; module `versions`: version and the
/// second version field of v2 headers) into `rec`: the columns `select` asks for; `version`
/// (EC-Lab's) goes into error messages.
pub(super) fn read_data_module(
    body: &[u8],
    at: usize,
    versions: (u32, Option<u32>),
    name: &str,
    version: &str,
    select: MprColumns,
    rec: &mut Recording,
) -> Result<(), IoError> {
    let (module_version, version2) = versions;
    let short = |need: usize, what: &str| IoError::Truncated {
        name: name.to_string(),
        offset: at,
        what: format!("the 'VMP data' {what}"),
        expected: need,
        available: body.len(),
        hint: String::new(),
    };
    if body.len() < 6 {
        return Err(short(6, "header"));
    }
    let n_points = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
    let n_columns = body[4] as usize;
    // (IDs, offset of the records)
    let (ids, data_offset): (Vec<u16>, usize) = match module_version {
        0 if body[5] != 0 && version2.is_none() => {
            // Very old files: one byte per ID, records at byte 100.
            if body.len() < 5 + n_columns {
                return Err(short(5 + n_columns, "column list"));
            }
            (body[5..5 + n_columns].iter().map(|&x| u16::from(x)).collect(), 100)
        }
        0 => {
            if body.len() < 5 + 2 * n_columns {
                return Err(short(5 + 2 * n_columns, "column list"));
            }
            let ids =
                (0..n_columns).map(|i| u16::from_be_bytes([body[5 + 2 * i], body[6 + 2 * i]])).collect();
            (ids, 1007)
        }
        2 | 3 => {
            if body.len() < 5 + 2 * n_columns {
                return Err(short(5 + 2 * n_columns, "column list"));
            }
            let ids =
                (0..n_columns).map(|i| u16::from_le_bytes([body[5 + 2 * i], body[6 + 2 * i]])).collect();
            (ids, if module_version == 2 { 405 } else { 406 })
        }
        v => {
            return Err(IoError::Corrupt {
                name: name.to_string(),
                offset: at,
                expected: "'VMP data' module version 0, 2 or 3".to_string(),
                found: format!("version {v}"),
            })
        }
    };

    // Record layout.
    let mut fields: Vec<Field> = Vec::with_capacity(ids.len());
    let mut record = 0usize;
    let mut flag_offset: Option<usize> = None;
    for (position, &id) in ids.iter().enumerate() {
        let Some((label, dtype)) = describe(id, &ids) else {
            let id_offset = at + 5 + if data_offset == 100 { position } else { 2 * position };
            return Err(IoError::UnknownColumn {
                name: name.to_string(),
                offset: id_offset,
                id,
                low: (id & 0xFF) as u8,
                position,
                after: fields.last().map_or("(start)".to_string(), |f| f.label.to_string()),
                version: version.to_string(),
            });
        };
        let offset = match dtype {
            Dtype::Flag(_) => *flag_offset.get_or_insert_with(|| {
                record += 1;
                record - 1
            }),
            _ => {
                record += dtype.size();
                record - dtype.size()
            }
        };
        fields.push(Field { id, label, dtype, offset });
    }

    let expected = n_points.checked_mul(record).and_then(|x| x.checked_add(data_offset));
    if expected != Some(body.len()) {
        let complete = body.len().saturating_sub(data_offset) / record.max(1);
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: at,
            expected: format!(
                "module 'VMP data' of {} bytes ({data_offset} + {n_points} records x {record} bytes for column IDs {ids:?})",
                expected.map_or("overflowing".to_string(), |e| e.to_string())
            ),
            found: format!("{} bytes (room for {complete} complete records)", body.len()),
        });
    }

    // Every field's column as the full read names it: a repeated channel gets `_2`, `_3` ... as
    // `Recording::push` names it, so a read of some columns names them as the full read does.
    let mut resolved: Vec<Resolved> = Vec::with_capacity(fields.len());
    for f in &fields {
        let mut r = resolve(f.label);
        let base = r.channel.name().to_string();
        let mut n = 1;
        while resolved.iter().any(|p| p.channel.name() == r.channel.name()) {
            n += 1;
            r.channel = Channel::Other { name: format!("{base}_{n}"), unit: r.channel.unit().to_string() };
        }
        resolved.push(r);
    }
    let stored: Vec<&str> = resolved.iter().map(|r| r.channel.name()).collect();
    let derivable = derive::derivable(&stored);
    let (keep, derived): (Vec<bool>, Vec<Derived>) = match select {
        MprColumns::All => (vec![true; fields.len()], derivable.clone()),
        MprColumns::Stored => (vec![true; fields.len()], Vec::new()),
        MprColumns::Named(names) => {
            let mut keep = vec![false; fields.len()];
            let mut wanted = Vec::new();
            for &asked in names {
                if let Some(i) = stored.iter().position(|&s| s == asked) {
                    keep[i] = true;
                } else if let Some(&d) = derivable.iter().find(|d| d.name() == asked) {
                    wanted.push(d);
                } else {
                    return Err(missing(name, asked, &stored, &derivable));
                }
            }
            (keep, derivable.iter().copied().filter(|d| wanted.contains(d)).collect())
        }
    };
    // Fields decoded: those kept and those a derived column is computed from.
    let decode: Vec<bool> =
        stored.iter().zip(&keep).map(|(s, &k)| k || derived.iter().any(|d| d.inputs().contains(s))).collect();

    // Decoded in blocks of records that stay in the cache while every column takes its values
    // from them (one column at a time over the whole module would stream it from memory per column).
    let records = &body[data_offset..];
    let mut columns: Vec<Option<Decoded>> = fields
        .iter()
        .zip(&resolved)
        .zip(&decode)
        .map(|((f, r), &d)| d.then(|| Decoded::new(f.dtype, r.integer, n_points)))
        .collect();
    if record > 0 {
        for block in records.chunks(record * BLOCK) {
            for ((f, r), column) in fields.iter().zip(&resolved).zip(&mut columns) {
                if let Some(column) = column {
                    decode_block(block, record, f, r, column);
                }
            }
        }
    }
    for ((f, resolved), column) in fields.iter().zip(&resolved).zip(columns) {
        let Some(column) = column else { continue };
        let values = match column {
            Decoded::Int(v) => Values::Int(v),
            Decoded::Float(v) => Values::Float(v),
            Decoded::Raw(v) if v.iter().all(|v| v.fract() == 0.0 && v.abs() < 9.0e15) => {
                Values::Int(v.iter().map(|&v| v as i64).collect())
            }
            Decoded::Raw(mut v) => {
                v.iter_mut().for_each(|v| *v = *v * resolved.scale + resolved.offset);
                Values::Float(v)
            }
        };
        let (scale, offset) = match values {
            Values::Int(_) => (1.0, 0.0),
            Values::Float(_) => (resolved.scale, resolved.offset),
        };
        rec.push(Column {
            channel: resolved.channel.clone(),
            source: if f.id > 255 { format!("{} (ID {})", f.label, f.id) } else { f.label.to_string() },
            values,
            scale,
            offset,
            derived: false,
        });
    }
    derive::derive_columns(rec, &derived);
    if decode != keep {
        // Inputs of derived columns that were not asked for.
        let kept: Vec<&str> = stored.iter().zip(&keep).filter(|(_, &k)| k).map(|(&s, _)| s).collect();
        rec.columns.retain(|c| c.derived || kept.contains(&c.name()));
    }
    if let MprColumns::Named(names) = select {
        // A derived column whose inputs hold something else than it needs (a half cycle that is not
        // whole) is not computed: asked for, that is an error too.
        if let Some(asked) = names.iter().find(|&&n| rec.column_named(n).is_none()) {
            return Err(missing(name, asked, &stored, &derivable));
        }
    }
    Ok(())
}

/// The error for a column `asked` that the file neither stores nor can derive.
fn missing(name: &str, asked: &str, stored: &[&str], derivable: &[Derived]) -> IoError {
    let derived = derivable.iter().map(|d| format!("{} (derived)", d.name()));
    IoError::MissingColumn {
        name: name.to_string(),
        column: asked.to_string(),
        available: stored.iter().map(|s| s.to_string()).chain(derived).collect::<Vec<_>>().join(", "),
    }
}

/// Records decoded per block (a few hundred kB of records).
const BLOCK: usize = 2048;

/// A column being decoded.
enum Decoded {
    /// Flags and unsigned integers.
    Int(Vec<i64>),
    /// Floats in SI units (`raw · scale + offset`).
    Float(Vec<f64>),
    /// Floats of a whole-number column, raw: integers if every value is whole.
    Raw(Vec<f64>),
}

impl Decoded {
    /// An empty column for `n` values of a field of type `dtype` (`integer`: a whole-number label).
    fn new(dtype: Dtype, integer: bool, n: usize) -> Decoded {
        match dtype {
            Dtype::Flag(_) | Dtype::U1 | Dtype::U2 | Dtype::U4 => Decoded::Int(Vec::with_capacity(n)),
            Dtype::F4 | Dtype::F8 if integer => Decoded::Raw(Vec::with_capacity(n)),
            Dtype::F4 | Dtype::F8 => Decoded::Float(Vec::with_capacity(n)),
        }
    }
}

/// Appends the values of field `f` in the records of `block` (whole records of `record` bytes): one
/// pass over the block per column, the type and unit conversion chosen once per column.
fn decode_block(block: &[u8], record: usize, f: &Field, r: &Resolved, column: &mut Decoded) {
    let o = f.offset;
    let rows = block.chunks_exact(record);
    let (scale, offset) = (r.scale, r.offset);
    match (f.dtype, column) {
        (Dtype::Flag(mask), Decoded::Int(v)) => {
            let shift = mask.trailing_zeros();
            v.extend(rows.map(|x| i64::from((x[o] & mask) >> shift)));
        }
        (Dtype::U1, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(x[o]))),
        (Dtype::U2, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(u16::from_le_bytes(bytes(x, o))))),
        (Dtype::U4, Decoded::Int(v)) => v.extend(rows.map(|x| i64::from(u32::from_le_bytes(bytes(x, o))))),
        (Dtype::F4, Decoded::Float(v)) => {
            v.extend(rows.map(|x| f64::from(f32::from_le_bytes(bytes(x, o))) * scale + offset))
        }
        (Dtype::F8, Decoded::Float(v)) => {
            v.extend(rows.map(|x| f64::from_le_bytes(bytes(x, o)) * scale + offset))
        }
        (Dtype::F4, Decoded::Raw(v)) => v.extend(rows.map(|x| f64::from(f32::from_le_bytes(bytes(x, o))))),
        (Dtype::F8, Decoded::Raw(v)) => v.extend(rows.map(|x| f64::from_le_bytes(bytes(x, o)))),
        // The column kind follows the dtype (see `read_data_module`).
        _ => {}
    }
}

/// The `N` bytes of a record at offset `o` (one bounds check; the layout puts every field inside the
/// record, so this never fails on a record of the layout's size).
#[inline(always)]
fn bytes<const N: usize>(record: &[u8], o: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&record[o..o + N]);
    out
}
