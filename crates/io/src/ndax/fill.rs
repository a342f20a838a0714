//! Values of the records that `data_runInfo.ndc` has no entry for (BTS writes runInfo sparsely),
//! filled the way NewareNDA and fastnda fill them so that spelab's values match them: step and unix
//! times by adding the logging interval per record ([`fill_times`]), capacities and
//! energies by summing `dt·I` (times V) from the last entry ([`fill_sums`]).

/// One `data_runInfo.ndc` entry: the first one of its record index.
pub(super) struct Info {
    /// Record position (index − 1).
    pub at: usize,
    /// The step field.
    pub step: i64,
    /// dt (logging interval) = 0: the first record of a step.
    pub start: bool,
    /// The logging interval dt [s].
    pub dt: f64,
    /// Step time [s], Q charge, Q discharge [Ah], E charge, E discharge [Wh], unix time [s].
    pub v: [f64; 6],
}

/// Step time (`c` = 0) or unix time (`c` = 5) of all `n` records (`info[0]` is record 0), filled
/// where runInfo has no entry the way NewareNDA and fastnda do (so values match them): the last
/// entry's value plus its logging interval `dt` once per record since that entry.
pub(super) fn fill_times(info: &[Info], c: usize, n: usize) -> Vec<f64> {
    let mut v = Vec::with_capacity(n);
    for (i, e) in info.iter().enumerate() {
        let end = info.get(i + 1).map_or(n, |next| next.at);
        v.extend((0..end - e.at).map(|m| e.v[c] + m as f64 * e.dt));
    }
    v
}

/// Q charge and Q discharge [C] (`voltage` `None`, `base` `[1, 2]`) or E charge and E discharge [J]
/// (`voltage` given, `base` `[3, 4]`) of every record. Records without a runInfo entry get, as
/// NewareNDA and fastnda give them, the last entry's values `v[base]` [mAh, mWh] plus the signed sum of
/// the increments `dt·I/3600` (times V for energies) of the records after that entry up to this one
/// (a NaN increment is skipped): a positive sum adds to the first column, a negative one to the second.
pub(super) fn fill_sums(
    info: &[Info],
    time_s: &[f64],
    current_a: &[f64],
    voltage: Option<&[f64]>,
    base: [usize; 2],
) -> [Vec<f64>; 2] {
    let n = time_s.len();
    let (mut positive, mut negative) = (Vec::with_capacity(n), Vec::with_capacity(n));
    // The entries' segments j..end cover 0..n in order (sorted, one per index, the first at 0).
    for (i, e) in info.iter().enumerate() {
        let (j, end) = (e.at, info.get(i + 1).map_or(n, |next| next.at));
        // Three passes over the segment (in cache): the increments (no dependency between records:
        // vectorised), their running sum (the only serial part), then both columns from it.
        let start = positive.len();
        let dt = time_s[j + 1..end].iter().zip(&time_s[j..end - 1]).map(|(t, previous)| t - previous);
        let dq = dt.zip(&current_a[j + 1..end]).map(|(dt, i)| dt * i * 1000.0 / 3600.0);
        match voltage {
            None => positive.extend(std::iter::once(0.0).chain(dq)),
            Some(v) => {
                positive.extend(std::iter::once(0.0).chain(dq.zip(&v[j + 1..end]).map(|(q, v)| q * v)))
            }
        }
        let sums = &mut positive[start..];
        let mut sum = 0.0f64;
        for x in sums.iter_mut() {
            // Adding 0 leaves the sum as it is (it starts at +0 and never becomes -0).
            sum += if x.is_nan() { 0.0 } else { *x };
            *x = sum;
        }
        let [b0, b1] = base.map(|c| e.v[c].abs() * 1000.0);
        negative.extend(sums.iter().map(|&s| (b1 + (-s).max(0.0)) * 3.6));
        for x in sums.iter_mut() {
            *x = (b0 + x.max(0.0)) * 3.6;
        }
    }
    [positive, negative]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: usize, step: i64, v: [f64; 6]) -> Info {
        Info { at, step, start: false, dt: 1.0, v }
    }

    #[test]
    fn gaps_add_the_logging_interval_per_record() {
        // Entries at records 0 and 3 (dt 1 s) and 5 (dt 2 s) of 8: 1, 2 continue from 0; 4 from 3;
        // 6, 7 from 10 by 2 s.
        let mut info =
            [entry(0, 1, [0.0; 6]), entry(3, 1, [3.5, 0.0, 0.0, 0.0, 0.0, 3.5]), entry(5, 2, [10.0; 6])];
        info[2].dt = 2.0;
        let t = fill_times(&info, 0, 8);
        assert_eq!(t, vec![0.0, 1.0, 2.0, 3.5, 4.5, 10.0, 12.0, 14.0]);
        assert_eq!(fill_times(&info, 5, 8), t);
    }

    #[test]
    fn gap_sums_add_dt_times_current_since_the_last_entry() {
        // 1 h steps; +1 mA into record 1 (1 mAh / 2 mWh charged), an entry of 2 mAh / 4 mWh at
        // record 2, then −2 mA into record 3 (2 mAh / 4 mWh discharged). Values out in C and J.
        let info = [entry(0, 1, [0.0; 6]), entry(2, 1, [7200.0, 0.002, 0.0, 0.004, 0.0, 0.0])];
        let t = [0.0, 3600.0, 7200.0, 10_800.0];
        let current = [0.001, 0.001, -0.002, -0.002];
        let [q_ch, q_dis] = fill_sums(&info, &t, &current, None, [1, 2]);
        let [e_ch, e_dis] = fill_sums(&info, &t, &current, Some(&[2.0; 4]), [3, 4]);
        let close = |got: &[f64], want: [f64; 4]| {
            assert!(got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-12), "{got:?} vs {want:?}")
        };
        close(&q_ch, [0.0, 3.6, 7.2, 7.2]);
        close(&q_dis, [0.0, 0.0, 0.0, 7.2]);
        close(&e_ch, [0.0, 7.2, 14.4, 14.4]);
        close(&e_dis, [0.0, 0.0, 0.0, 14.4]);
    }
}
