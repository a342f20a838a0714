//! The split `.ndc` layouts (ndc 11, 14, 16, 17): `data.ndc` holds (voltage, current) pairs, one per
//! record, `data_runInfo.ndc` the step time, capacities, energies and unix time of some records, and
//! `data_step.ndc` the cycle and status of each step (see `docs/formats/neware-ndc.md`).
//!
//! Speed: inflating `data.ndc` is most of the read (3.4 ms of about 5 for 253k records), so everything
//! that does not need it is done on the other thread meanwhile: [`prepare`] turns runInfo and the steps
//! into the columns made from them alone (step and unix time, step, stored cycle, status, test time,
//! BTSDA's cycle, index) for an upper bound of the record count (the slots of `data.ndc`'s pages, from
//! its stated size). [`read_split`] then cuts them to the real count, or computes them again for it
//! when a runInfo entry lies between the two (never on the corpus): values never depend on the bound,
//! since each of these columns at record k depends on the entries up to k only. What needs `data.ndc`
//! is built on two threads: the current and the capacities on one, the voltage and the energies on the
//! other.

use super::fill::{fill_sums, fill_times, Info};
use super::{f32_at, i32_at, Rows, PAGE};
use crate::IoError;

/// (voltage, current) pairs per `data.ndc` page: 8-byte pairs from byte 132 to 4 bytes before its end.
const PAIRS: usize = (PAGE - 136) / 8;

/// A stated `data.ndc` size over this many times its compressed size is not trusted for the bound
/// (the columns are then computed after inflating; float samples compress about 2x).
const TRUSTED_RATIO: usize = 16;

/// What differs between the split layouts (ndc 11, 14, 16, 17).
struct Split {
    /// data.ndc: factors of the stored voltage and current to V and A.
    data: [f64; 2],
    /// runInfo entries: bytes skipped at the start and end of a page, entry size.
    run: (usize, usize, usize),
    /// runInfo capacities / energies to Ah / Wh.
    to_ah: f64,
    /// data_step.ndc has 100-byte entries (ndc 16, 17), else 37-byte ones.
    long_steps: bool,
}

/// The split layout of ndc `version` (11, 14, 16 or 17).
fn split(version: u8) -> Split {
    // BTSDA 8.x (11, 16): voltage in 0.1 mV, current in mA, capacities in mAs; 14, 17: V, A, Ah.
    let (data, to_ah) =
        if matches!(version, 11 | 16) { ([1e-4, 1e-3], 1.0 / 3.6e6) } else { ([1.0, 1.0], 1.0) };
    let run = match version {
        11 => (132, 16, 47),
        14 => (132, 59, 55),
        16 => (132, 64, 100),
        _ => (232, 64, 100),
    };
    Split { data, run, to_ah, long_steps: version >= 16 }
}

/// The columns made from runInfo and the steps alone, for `n` records.
pub(super) struct Prepared {
    /// The ndc version they were read as (that of `data_runInfo.ndc`).
    version: u8,
    /// Records they were computed for.
    n: usize,
    info: Vec<Info>,
    index: Vec<i64>,
    time_s: Vec<f64>,
    unix_s: Vec<f64>,
    step: Vec<i64>,
    cycle: Vec<i64>,
    status: Vec<i64>,
    test_time: Vec<f64>,
    derived_cycle: Vec<i64>,
}

/// An upper bound of the record count of a `data.ndc` of `size` bytes ([`PAIRS`] per page after the
/// header), or `None` when `size` is not plausible for `compressed` bytes (see [`TRUSTED_RATIO`]).
pub(super) fn slots(size: usize, compressed: usize) -> Option<usize> {
    (size <= compressed.saturating_mul(TRUSTED_RATIO)).then(|| (size / PAGE).saturating_sub(1) * PAIRS)
}

/// The columns of [`Prepared`] for at most `bound` records, from `run` and `step` (whole pages, both
/// checked by the caller), read as the layout of runInfo's ndc version; `None` when that is not a
/// split layout.
pub(super) fn prepare(run: &[u8], step: &[u8], bound: usize) -> Option<Prepared> {
    let version = run[2];
    matches!(version, 11 | 14 | 16 | 17).then(|| {
        let layout = split(version);
        columns(version, entries(run, &layout, bound), &steps(step, &layout), bound)
    })
}

/// [`Prepared`] from the runInfo entries `info` and the steps, for `n` records.
fn columns(version: u8, info: Vec<Info>, steps: &[(i64, i64)], n: usize) -> Prepared {
    let time_s = fill_times(&info, 0, n);
    let unix_s = fill_times(&info, 5, n);
    let (step, cycle, status) = step_columns(&info, steps, n);
    let test_time = crate::neware::test_time(&time_s, &step);
    let derived_cycle = crate::neware::charge_first_cycles(&status);
    let index = (1..=n as i64).collect();
    Prepared { version, n, info, index, time_s, unix_s, step, cycle, status, test_time, derived_cycle }
}

/// The runInfo entries of records 1..=`n` in record order (BTS writes them in order; sorted here when
/// not), a step's first entry with step time 0 and its unix time back-computed.
fn entries(run: &[u8], layout: &Split, n: usize) -> Vec<Info> {
    let (skip, tail, size) = layout.run;
    let to_ah = layout.to_ah;
    let mut info: Vec<Info> = Vec::with_capacity(run.len() / size);
    let mut ordered = true;
    for r in super::entries(run, skip, tail, size) {
        let index = i32_at(r, 41);
        if index <= 0 || index as usize > n {
            continue;
        }
        let at = index as usize - 1;
        ordered &= info.last().is_none_or(|e| e.at < at);
        let unix = f64::from(i32_at(r, 33) as u32) + f64::from(i16::from_le_bytes([r[45], r[46]])) / 1000.0;
        info.push(Info {
            at,
            step: i64::from(i32_at(r, 37)),
            start: i32_at(r, 29) == 0,
            dt: f64::from(i32_at(r, 29)) / 1000.0,
            v: [
                f64::from(i32_at(r, 0) as u32) / 1000.0,
                f32_at(r, 5) * to_ah,
                f32_at(r, 9) * to_ah,
                f32_at(r, 13) * to_ah,
                f32_at(r, 17) * to_ah,
                unix,
            ],
        });
    }
    if !ordered {
        // Stable: the first entry of an index (BTS sometimes repeats the first record) stays and wins.
        info.sort_by_key(|e| e.at);
        info.dedup_by_key(|e| e.at);
    }
    // A step's first record: step time 0 by definition (BTS may log a few ms of delay there), unix
    // time back-computed from the step's next entry (as fastnda / NewareNDA give it).
    for i in 0..info.len() {
        let next = info.get(i + 1).filter(|next| info[i].start && next.step == info[i].step);
        if let Some(unix) = next.map(|next| next.v[5] - next.v[0]) {
            info[i].v[0] = 0.0;
            info[i].v[5] = unix;
        }
    }
    info
}

/// Steps: (cycle, status) in file order; ndc 17 numbers them by changes of its step field.
fn steps(step: &[u8], layout: &Split) -> Vec<(i64, i64)> {
    let (size, used_at) = if layout.long_steps { (100, 33) } else { (37, 4) };
    super::entries(step, 132, if layout.long_steps { 64 } else { 5 }, size)
        .filter(|r| i32_at(r, used_at) != 0)
        .map(|r| (i64::from(i32_at(r, 0)) + 1, i64::from(r[24])))
        .collect()
}

/// One column of the used (voltage, current) pairs of `data.ndc`: the f32 at `at` (0 voltage, 4
/// current) of each pair times `scale`; a zero voltage marks unused slots.
fn pair_column(data: &[u8], at: usize, scale: f64) -> Vec<f64> {
    let pages = data.get(PAGE..).unwrap_or(&[]).chunks_exact(PAGE);
    let mut out = Vec::with_capacity(pages.len() * PAIRS);
    for page in pages {
        let pairs = page[132..PAGE - 4].chunks_exact(8);
        if pairs.clone().all(|p| p[..4] != [0; 4] && p[..4] != [0, 0, 0, 0x80]) {
            // Every slot used (all pages but the last): no test per value.
            out.extend(pairs.map(|p| f32_at(p, at) * scale));
        } else {
            out.extend(pairs.filter(|p| f32_at(p, 0) != 0.0).map(|p| f32_at(p, at) * scale));
        }
    }
    out
}

/// The records of a split-layout `.ndax`: `data`, `run` and `step` are its three members (whole
/// pages), `prepared` what [`prepare`] made of `run` and `step` meanwhile (if it could).
pub(super) fn read_split(
    data: &[u8],
    run: &[u8],
    step: &[u8],
    version: u8,
    name: &str,
    prepared: Option<Prepared>,
) -> Result<Rows, IoError> {
    let layout = split(version);
    let [v_scale, i_scale] = layout.data;
    let (voltage, current_a) =
        rayon::join(|| pair_column(data, 0, v_scale), || pair_column(data, 4, i_scale));
    let n = voltage.len();
    // The prepared columns hold for n records when read as this version and no entry lies past n:
    // then the entries are those of records 1..=n and each column's first n values are its values.
    let fits = |p: &Prepared| p.version == version && p.n >= n && p.info.last().is_none_or(|e| e.at < n);
    let mut p = match prepared.filter(fits) {
        Some(p) => p,
        None => columns(version, entries(run, &layout, n), &steps(step, &layout), n),
    };
    if n > 0 && p.info.first().map(|e| e.at) != Some(0) {
        return Err(IoError::Corrupt {
            name: name.to_string(),
            offset: 0,
            expected: "a data_runInfo.ndc entry for the first record".into(),
            found: "none".into(),
        });
    }
    p.index.truncate(n);
    p.time_s.truncate(n);
    p.unix_s.truncate(n);
    p.step.truncate(n);
    p.cycle.truncate(n);
    p.status.truncate(n);
    p.test_time.truncate(n);
    p.derived_cycle.truncate(n);
    // Records without a runInfo entry get capacities and energies as NewareNDA fills them.
    let (info, time_s) = (&p.info, &p.time_s);
    let ([charge_c, discharge_c], [charge_j, discharge_j]) = rayon::join(
        || fill_sums(info, time_s, &current_a, None, [1, 2]),
        || fill_sums(info, time_s, &current_a, Some(&voltage), [3, 4]),
    );
    Ok(Rows {
        filled: n - p.info.len(),
        index: p.index,
        cycle: p.cycle,
        step: p.step,
        status: p.status,
        time_s: p.time_s,
        voltage_v: voltage,
        current_a,
        charge_c,
        discharge_c,
        charge_j,
        discharge_j,
        unix_s: p.unix_s,
        derived: Some((p.test_time, p.derived_cycle)),
    })
}

/// Step number, stored cycle and status of every record: constant from one runInfo entry to the
/// next; the step number counts changes of the step field, `steps` gives (cycle, status) per step.
fn step_columns(info: &[Info], steps: &[(i64, i64)], n: usize) -> (Vec<i64>, Vec<i64>, Vec<i64>) {
    let (mut step_col, mut cycle, mut status) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    let mut step_number = 0i64;
    let mut previous = None;
    for (i, e) in info.iter().enumerate() {
        if previous != Some(e.step) {
            step_number += 1;
            previous = Some(e.step);
        }
        let (c, st) = steps.get(step_number as usize - 1).copied().unwrap_or((0, 0));
        let end = info.get(i + 1).map_or(n, |next| next.at);
        step_col.resize(end, step_number);
        cycle.resize(end, c);
        status.resize(end, st);
    }
    (step_col, cycle, status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zip;

    /// Every value of the rows, as bits (equal means identical).
    fn bits(r: &Rows) -> Vec<u64> {
        let (test_time, derived_cycle) = r.derived.as_ref().expect("derived");
        let ints = [&r.index, &r.cycle, &r.step, &r.status, derived_cycle];
        let floats = [
            &r.time_s,
            &r.voltage_v,
            &r.current_a,
            &r.charge_c,
            &r.discharge_c,
            &r.charge_j,
            &r.discharge_j,
            &r.unix_s,
            test_time,
        ];
        let mut out: Vec<u64> = ints.iter().flat_map(|c| c.iter().map(|&x| x as u64)).collect();
        out.extend(floats.iter().flat_map(|c| c.iter().map(|x| x.to_bits())));
        out.push(r.filled as u64);
        out
    }

    /// The split archives of the tests' data and (when present) the corpus's largest `.ndax`.
    fn archives() -> Vec<(String, Vec<u8>)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/neware/");
        let mut files: Vec<_> = ["ndc16_46_1_5_60.ndax", "ndc16_ZZZZZZZZTEST.ndax", "ndc11_constructed.ndax"]
            .iter()
            .map(|f| (f.to_string(), std::fs::read(format!("{dir}{f}")).expect("read")))
            .collect();
        let large = "instruments/neware/20260302_IFE_BTS85_2_9_8_1.ndax";
        if let Some(path) = spelab_testkit::shared_data(large) {
            files.push((large.to_string(), std::fs::read(path).expect("read")));
        }
        files
    }

    #[test]
    fn rows_do_not_depend_on_the_prepared_bound() {
        for (name, b) in archives() {
            let members = zip::entries(&b, &name).expect("entries");
            let get = |m: &str| {
                let e = members.iter().find(|e| e.name == m).expect(m);
                zip::extract(&b, e, &name).expect("extract")
            };
            let (data, run, step) = (get("data.ndc"), get("data_runInfo.ndc"), get("data_step.ndc"));
            let version = data[2];
            let read = |p| read_split(&data, &run, &step, version, &name, p).expect("rows");
            let reference = bits(&read(None));
            let n = read(None).index.len();
            let slots = slots(data.len(), data.len()).expect("slots");
            assert!(slots >= n && n > 0, "{name}: {slots} slots, {n} records");
            // The bound of the reader, a tight one, one too small (recomputed) and a far larger one
            // (runInfo entries past the records are then kept by `prepare` and must be dropped).
            for bound in [slots, n, n - 1, n + 100_000] {
                let prepared = prepare(&run, &step, bound).expect("split layout");
                assert_eq!(bits(&read(Some(prepared))), reference, "{name}, bound {bound}");
            }
            // Prepared as another version: not used.
            let mut other = prepare(&run, &step, slots).expect("split layout");
            other.version = if version == 17 { 14 } else { 17 };
            assert_eq!(bits(&read(Some(other))), reference, "{name}, another version");
            // data.ndc cut before the page of runInfo's last entry: prepared with entries past its
            // records.
            let prepared = prepare(&run, &step, slots).expect("split layout");
            let last = prepared.info.last().expect("entries").at;
            if last >= PAIRS {
                let cut = &data[..PAGE * (1 + last / PAIRS)];
                let read_cut = |p| bits(&read_split(cut, &run, &step, version, &name, p).expect("rows"));
                assert!(read_cut(None).len() < reference.len(), "{name}");
                assert_eq!(read_cut(Some(prepared)), read_cut(None), "{name}, data.ndc cut");
            }
        }
    }
}
