//! Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (H. Hinnant's
//! `days_from_civil` / `civil_from_days`), shared by the instrument readers (vendor timestamps) and the
//! report (run time). No time zones: vendor files store wall-clock times.
//!
//! ```
//! use spelab_core::calendar::{civil_from_days, days_from_civil};
//! assert_eq!(days_from_civil(2000, 3, 1), 11_017);
//! assert_eq!(civil_from_days(11_017), (2000, 3, 1));
//! ```

/// Days since 1970-01-01 of the civil date `year`-`month`-`day` (month 1-12, day 1-31).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + (153 * m + 2) / 5 + day - 1;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates_and_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1899, 12, 30), -25_569); // the OLE date epoch
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d));
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
