//! Values of the records that `data_runInfo.ndc` has no entry for (BTS writes runInfo sparsely),
//! filled the way NewareNDA fills them so that spelab's values match it: step and unix times by
//! interpolation within a step and extrapolation across steps ([`fill_times`]), capacities and
//! energies by summing `dt·|I|` (times V) from the last entry ([`fill_sums`]).

/// One `data_runInfo.ndc` entry: the first one of its record index.
pub(super) struct Info {
    /// Record position (index − 1).
    pub at: usize,
    /// The step field.
    pub step: i64,
    /// dt (logging interval) = 0: the first record of a step.
    pub start: bool,
    /// Step time [s], Q charge, Q discharge [Ah], E charge, E discharge [Wh], unix time [s].
    pub v: [f64; 6],
}

/// Step time (`c` = 0) or unix time (`c` = 5) of all `n` records (`info[0]` is record 0), filled
/// where runInfo has no entry the way NewareNDA does (so values match it): linear by position between
/// entries of the same step; other gaps continue from their last value by the last difference of the
/// series so far (differences across a gap do not count), one difference per record.
pub(super) fn fill_times(info: &[Info], c: usize, n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n);
    // The last difference of consecutive known or interpolated values (all finite: they come from
    // integers), and the previous such value (NaN right after an extrapolated gap).
    let (mut carried, mut previous) = (f64::NAN, f64::NAN);
    for (i, e) in info.iter().enumerate() {
        let (j, a) = (e.at, e.v[c]);
        if !(a - previous).is_nan() {
            carried = a - previous;
        }
        v.push(a);
        previous = a;
        let next = info.get(i + 1);
        let k = next.map_or(n, |next| next.at);
        if k == j + 1 {
            continue;
        }
        match next.filter(|next| next.step == e.step) {
            Some(next) => {
                let b = next.v[c];
                v.extend((j + 1..k).map(|m| a + (b - a) * (m - j) as f64 / (k - j) as f64));
                previous = v[k - 1];
                carried = v[k - 1] - v[k - 2];
            }
            None => {
                let base_diff = carried;
                v.extend((1..k - j).map(|s| a + s as f64 * base_diff));
                previous = f64::NAN;
            }
        }
    }
    v
}

/// Q charge, Q discharge [C], E charge, E discharge [J] of every record. Records without a runInfo
/// entry get, as NewareNDA gives them, the last entry's value [mAh, mWh] plus the sum of increments
/// `dt·|I|/3600` (times V for energies) from that entry on, counted for charge when the previous
/// record's current is positive and for discharge when it is negative.
pub(super) fn fill_sums(info: &[Info], time_s: &[f64], voltage: &[f64], current_a: &[f64]) -> [Vec<f64>; 4] {
    let n = time_s.len();
    // Increment of record k: dt from the previous record times |I| [mA] (times V for energy).
    let increment = |t0: f64, t1: f64, i: f64| (t1 - t0) * (i * 1000.0).abs() / 3600.0;
    let mut out: [Vec<f64>; 4] = std::array::from_fn(|_| Vec::with_capacity(n));
    let [q_ch, q_dis, e_ch, e_dis] = &mut out;
    // The charge and energy sums before each record of a segment (the same for charge and discharge:
    // the direction only picks which column shows them), reused from segment to segment.
    let (mut sums_q, mut sums_e) = (Vec::new(), Vec::new());
    // The entries' segments j..end cover 0..n in order (sorted, one per index, the first at 0).
    for (i, e) in info.iter().enumerate() {
        let (j, end) = (e.at, info.get(i + 1).map_or(n, |next| next.at));
        let base = [e.v[1] * 1000.0, e.v[2] * 1000.0, e.v[3] * 1000.0, e.v[4] * 1000.0];
        let q = if j > 0 { increment(time_s[j - 1], time_s[j], current_a[j]) } else { 0.0 };
        let en = if j > 0 { q * voltage[j] } else { 0.0 };
        let (mut sum_q, mut sum_e) = (if q.is_nan() { 0.0 } else { q }, if en.is_nan() { 0.0 } else { en });
        q_ch.push(base[0] * 3.6);
        q_dis.push(base[1] * 3.6);
        e_ch.push(base[2] * 3.6);
        e_dis.push(base[3] * 3.6);
        // Records j+1..end have no entry: the sums up to the previous record, counted for charge when
        // the previous record's current is positive and for discharge when it is negative.
        let (time, current, voltage) = (&time_s[j..end], &current_a[j..end], &voltage[j + 1..end]);
        sums_q.resize(voltage.len(), 0.0);
        sums_e.resize(voltage.len(), 0.0);
        let steps = time.windows(2).zip(&current[1..]).zip(voltage);
        for ((sq, se), ((t, &i1), &v)) in sums_q.iter_mut().zip(sums_e.iter_mut()).zip(steps) {
            (*sq, *se) = (sum_q, sum_e);
            let q = increment(t[0], t[1], i1);
            let en = q * v;
            if !q.is_nan() {
                sum_q += q;
            }
            if !en.is_nan() {
                sum_e += en;
            }
        }
        // The previous record's current [mA] picks the direction.
        let previous = &current[..voltage.len()];
        q_ch.extend(part(base[0], &sums_q, previous, |ma| ma > 0.0));
        q_dis.extend(part(base[1], &sums_q, previous, |ma| ma < 0.0));
        e_ch.extend(part(base[2], &sums_e, previous, |ma| ma > 0.0));
        e_dis.extend(part(base[3], &sums_e, previous, |ma| ma < 0.0));
    }
    out
}

/// `(base + sum)·3.6` where the previous record's current [mA] `counts`, else `base·3.6` [C or J].
fn part<'a>(
    base: f64,
    sums: &'a [f64],
    previous_a: &'a [f64],
    counts: fn(f64) -> bool,
) -> impl Iterator<Item = f64> + 'a {
    previous_a.iter().zip(sums).map(move |(&i, &s)| (base + if counts(i * 1000.0) { s } else { 0.0 }) * 3.6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: usize, step: i64, v: [f64; 6]) -> Info {
        Info { at, step, start: false, v }
    }

    #[test]
    fn gaps_are_interpolated_within_a_step_and_extrapolated_across_steps() {
        // Entries at records 0 and 3 (step 1) and 5 (step 2) of 8: 1, 2 interpolated; 4 continues
        // step 1 by its last difference (1); 6, 7 continue from 10 by the last difference of the series
        // (the jump into the gap does not count).
        let info =
            [entry(0, 1, [0.0; 6]), entry(3, 1, [3.0, 0.0, 0.0, 0.0, 0.0, 3.0]), entry(5, 2, [10.0; 6])];
        let t = fill_times(&info, 0, 8);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0]);
        assert_eq!(fill_times(&info, 5, 8), t);
    }

    #[test]
    fn gap_sums_count_dt_times_current_by_the_previous_records_direction() {
        // 1 h steps; +1 mA then −2 mA at 2 V: 1 mAh / 2 mWh charged before record 2 (an entry of
        // 2 mAh / 4 mWh), then 2 mAh / 4 mWh discharged into record 3. Values out in C and J.
        let info = [entry(0, 1, [0.0; 6]), entry(2, 1, [7200.0, 0.002, 0.0, 0.004, 0.0, 0.0])];
        let t = [0.0, 3600.0, 7200.0, 10_800.0];
        let [q_ch, q_dis, e_ch, e_dis] = fill_sums(&info, &t, &[2.0; 4], &[0.001, 0.001, -0.002, -0.002]);
        let close = |got: &[f64], want: [f64; 4]| {
            assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-12), "{got:?} vs {want:?}")
        };
        close(&q_ch, [0.0, 0.0, 7.2, 7.2]);
        close(&q_dis, [0.0, 0.0, 0.0, 7.2]);
        close(&e_ch, [0.0, 0.0, 14.4, 14.4]);
        close(&e_dis, [0.0, 0.0, 0.0, 14.4]);
    }
}
