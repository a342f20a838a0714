//! [`CyclingData`]: a galvanostatic cycling record split into half-cycles, rests and cycles.
//!
//! # How a record is split
//! 1. The rest threshold is `I_rest = current_threshold` when set, else
//!    `current_threshold_fraction · max|I|` ([`SplitOptions`]).
//! 2. A point with `|I| > I_rest` is active, with the direction of its sign; any other point is at rest.
//! 3. A [`HalfCycle`] is a maximal run of consecutive active points of one direction; a [`Rest`] is a
//!    maximal run of rest points.
//! 4. Half-cycles are grouped into [`Cycle`]s: by the instrument's cycle channel when the record has
//!    one (and [`SplitOptions::use_cycle_channel`] is set), else by pairing (see [`SplitOptions`]).
//!
//! # Charge and duration of a run
//! A half-cycle's duration is the span from its first to its last point. Its charge is
//! - the sum of |dq| over its points when the record carries the instrument's own charge count
//!   ([`TimeSeries::charge_increment`], EC-Lab's `dq`: the charge since the previous point, which the
//!   instrument integrates at its internal rate). This is how EC-Lab and navani count capacity, so
//!   capacities agree with theirs to rounding;
//! - else the trapezoid rule over the intervals whose both ends belong to the run.
//!
//! The gap between the last point of one run and the first point of the next (a rest, often logged
//! sparsely: 170 s between two points in a real EC-Lab GCPL file) is never credited to a half-cycle:
//! a midpoint split would add `|I| · gap / 2` of charge that never flowed. Cyclers log a point on each
//! side of a step at the same instant, so nothing is lost at the edges. Rests span the gaps: from the
//! last point of the run before to the first point of the run after, so half-cycle and rest durations
//! add up to the length of the record.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::TimeSeries;
use crate::CoreError;

/// Direction of current in a half-cycle.
///
/// For a symmetric Li|Li cell, `Charge` (positive current) strips lithium from the working electrode
/// and plates it on the counter electrode, `Discharge` the reverse: the same split under other names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Positive current.
    Charge,
    /// Negative current.
    Discharge,
}

impl Direction {
    /// `+1.0` for `Charge`, `-1.0` for `Discharge` [1].
    pub fn sign(self) -> f64 {
        match self {
            Direction::Charge => 1.0,
            Direction::Discharge => -1.0,
        }
    }

    /// The other direction.
    pub fn opposite(self) -> Self {
        match self {
            Direction::Charge => Direction::Discharge,
            Direction::Discharge => Direction::Charge,
        }
    }
}

/// How [`CyclingData::from_time_series`] splits a record. `Default` gives the values below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SplitOptions {
    /// Rest threshold as a fraction of the largest |current| in the record, used when
    /// `current_threshold` is `None`; must be in `[0, 1)`. Default `0.01`.
    ///
    /// Why 1 %: rests are logged with a small offset or noise current (well under 0.1 % of the
    /// applied current on common cyclers), while the galvanostatic steps of one record rarely span
    /// more than a factor of 20 in current (rate tests from C/10 to 2C). 1 % sits far above the noise
    /// and far below the smallest step, and scales with the cell, unlike any absolute value. For a
    /// record spanning more than ~50× in current (a critical-current-density ramp) set
    /// `current_threshold` instead.
    pub current_threshold_fraction: f64,
    /// Absolute rest threshold; overrides `current_threshold_fraction` when set; finite and `>= 0`.
    /// Default `None` [A].
    pub current_threshold: Option<f64>,
    /// Group half-cycles by the record's cycle channel when it has one. Default `true`.
    pub use_cycle_channel: bool,
    /// When pairing (no cycle channel), the direction that starts a cycle; `None` takes the direction
    /// of the first half-cycle. A new cycle starts at each half-cycle of this direction that follows
    /// a half-cycle of the other direction, so a step interrupted by a rest (charge, rest, charge)
    /// stays in one cycle. Default `None`.
    pub cycle_start: Option<Direction>,
}

impl Default for SplitOptions {
    fn default() -> Self {
        Self {
            current_threshold_fraction: 0.01,
            current_threshold: None,
            use_cycle_channel: true,
            cycle_start: None,
        }
    }
}

impl SplitOptions {
    /// The rest threshold for a record whose largest |current| is `max_abs_current` [A].
    fn threshold(&self, max_abs_current: f64) -> Result<f64, CoreError> {
        match self.current_threshold {
            Some(value) if value.is_finite() && value >= 0.0 => Ok(value),
            Some(value) => Err(CoreError::InvalidValue {
                what: "current_threshold",
                value,
                expected: "finite and >= 0 A",
            }),
            None => {
                let fraction = self.current_threshold_fraction;
                if (0.0..1.0).contains(&fraction) {
                    Ok(fraction * max_abs_current)
                } else {
                    Err(CoreError::InvalidValue {
                        what: "current_threshold_fraction",
                        value: fraction,
                        expected: "in [0, 1)",
                    })
                }
            }
        }
    }
}

/// One half-cycle: a maximal run of same-sign current above the rest threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HalfCycle {
    /// Position in [`CyclingData::half_cycles`], from 0.
    pub index: usize,
    /// Sign of the current.
    pub direction: Direction,
    /// First point in the time series.
    pub start_index: usize,
    /// One past the last point in the time series.
    pub end_index: usize,
    /// Charge passed, always positive: Σ|dq| of the instrument, else ∫|I| dt over the run (see the
    /// module docs) [C].
    pub charge: f64,
    /// Length of the run, from its first to its last point [s].
    pub duration: f64,
    /// Time-averaged current over the run (trapezoid ∫I dt / duration), signed like `direction` [A].
    pub mean_current: f64,
    /// Voltage at the first point [V].
    pub voltage_start: f64,
    /// Voltage at the last point [V].
    pub voltage_end: f64,
    /// Time-averaged voltage [V].
    pub mean_voltage: f64,
}

impl HalfCycle {
    /// The run's points in the time series, for [`TimeSeries::slice_index`].
    pub fn range(&self) -> Range<usize> {
        self.start_index..self.end_index
    }
}

/// A rest: a maximal run of points with |current| at or below the rest threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rest {
    /// First point in the time series.
    pub start_index: usize,
    /// One past the last point in the time series.
    pub end_index: usize,
    /// Length of the rest, from the last point of the run before it to the first point of the run
    /// after it (or its own first/last point at the ends of the record) [s].
    pub duration: f64,
    /// Voltage at the first point [V].
    pub voltage_start: f64,
    /// Voltage at the last point (the relaxed voltage) [V].
    pub voltage_end: f64,
}

/// One cycle: consecutive half-cycles, usually one of each direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cycle {
    /// Position in [`CyclingData::cycles`], from 0.
    pub index: usize,
    /// The instrument's cycle number when the cycle channel was used, else `None` [1].
    pub number: Option<u32>,
    /// The half-cycles of this cycle, in time order.
    pub half_cycles: Vec<HalfCycle>,
}

impl Cycle {
    /// Total charge of this cycle's half-cycles in `direction` [C].
    pub fn charge_in(&self, direction: Direction) -> f64 {
        self.half_cycles.iter().filter(|h| h.direction == direction).map(|h| h.charge).sum()
    }
}

/// A galvanostatic cycling record with its split into half-cycles, rests and cycles.
///
/// Built only by [`CyclingData::from_time_series`], so the split always matches the record.
/// Serialized with the split included; deserializing reads `time_series` and `options` and computes
/// the split again.
///
/// ```
/// use spelab_core::{CyclingData, Metadata, TimeSeries};
/// use spelab_core::measurement::{Direction, SplitOptions};
/// // +1 mA for 2 s, rest, -1 mA for 2 s; a point on each side of every step.
/// let time = vec![0.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.0];
/// let current = vec![1e-3, 1e-3, 1e-3, 0.0, 0.0, -1e-3, -1e-3, -1e-3];
/// let voltage = vec![0.01, 0.01, 0.01, 0.0, 0.0, -0.01, -0.01, -0.01];
/// let ts = TimeSeries::new(time, current, voltage, Metadata::default())?;
/// let data = CyclingData::from_time_series(ts, SplitOptions::default())?;
/// assert_eq!(data.half_cycles().len(), 2);
/// assert_eq!(data.half_cycles()[1].direction, Direction::Discharge);
/// assert!((data.half_cycles()[0].charge - 2e-3).abs() < 1e-15);
/// assert_eq!(data.cycles().len(), 1);
/// # Ok::<(), spelab_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CyclingDataRaw")]
pub struct CyclingData {
    time_series: TimeSeries,
    options: SplitOptions,
    current_threshold: f64,
    half_cycles: Vec<HalfCycle>,
    rests: Vec<Rest>,
    cycles: Vec<Cycle>,
}

/// The serialized form read back: only the record and the options; the stored split (the other
/// fields) is ignored and computed again.
#[derive(Deserialize)]
struct CyclingDataRaw {
    time_series: TimeSeries,
    #[serde(default)]
    options: SplitOptions,
}

impl TryFrom<CyclingDataRaw> for CyclingData {
    type Error = CoreError;
    fn try_from(raw: CyclingDataRaw) -> Result<Self, CoreError> {
        CyclingData::from_time_series(raw.time_series, raw.options)
    }
}

impl CyclingData {
    /// Splits a galvanostatic record into half-cycles, rests and cycles (see the module docs).
    ///
    /// Errors: [`CoreError::InvalidValue`] for an out-of-range option, [`CoreError::NoHalfCycles`]
    /// when no point's |current| exceeds the rest threshold.
    pub fn from_time_series(time_series: TimeSeries, options: SplitOptions) -> Result<Self, CoreError> {
        let current = time_series.current();
        let max_abs_current = current.iter().fold(0.0_f64, |m, i| m.max(i.abs()));
        let threshold = options.threshold(max_abs_current)?;
        let direction_at = |k: usize| {
            let i = current[k];
            if i.abs() <= threshold {
                None
            } else if i > 0.0 {
                Some(Direction::Charge)
            } else {
                Some(Direction::Discharge)
            }
        };

        let mut half_cycles = Vec::new();
        let mut rests = Vec::new();
        let mut k = 0;
        while k < time_series.len() {
            let start = k;
            let direction = direction_at(start);
            while k < time_series.len() && direction_at(k) == direction {
                k += 1;
            }
            match direction {
                Some(direction) => {
                    let index = half_cycles.len();
                    half_cycles.push(half_cycle(&time_series, index, direction, start, k));
                }
                None => rests.push(rest(&time_series, start, k)),
            }
        }
        if half_cycles.is_empty() {
            return Err(CoreError::NoHalfCycles { threshold });
        }

        let groups = match time_series.cycle() {
            Some(channel) if options.use_cycle_channel => group_by_channel(&half_cycles, channel),
            _ => group_by_pairing(&half_cycles, options.cycle_start),
        };
        let cycles = groups
            .into_iter()
            .enumerate()
            .map(|(index, (number, range))| Cycle { index, number, half_cycles: half_cycles[range].to_vec() })
            .collect();

        Ok(Self { time_series, options, current_threshold: threshold, half_cycles, rests, cycles })
    }

    /// The cycles, in time order.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// Every half-cycle, in time order (at least one).
    pub fn half_cycles(&self) -> &[HalfCycle] {
        &self.half_cycles
    }

    /// Every rest, in time order.
    pub fn rests(&self) -> &[Rest] {
        &self.rests
    }

    /// The record that was split.
    pub fn time_series(&self) -> &TimeSeries {
        &self.time_series
    }

    /// The options the record was split with.
    pub fn options(&self) -> &SplitOptions {
        &self.options
    }

    /// The rest threshold that was applied [A].
    pub fn current_threshold(&self) -> f64 {
        self.current_threshold
    }

    /// Gives back the record.
    pub fn into_time_series(self) -> TimeSeries {
        self.time_series
    }
}

/// Time span `[t_a, t_b]` of the rest `start..end`: from the point before it to the point after it,
/// or its own first/last point at the ends of the record.
fn rest_extent(time: &[f64], start: usize, end: usize) -> (f64, f64) {
    let t_a = start.checked_sub(1).map_or(time[start], |before| time[before]);
    let t_b = time.get(end).copied().unwrap_or(time[end - 1]);
    (t_a, t_b)
}

/// ∫ y dt by the trapezoid rule over the intervals whose both ends lie in the run `start..end`.
fn integrate(time: &[f64], y: impl Fn(usize) -> f64, start: usize, end: usize) -> f64 {
    (start + 1..end).map(|k| 0.5 * (y(k - 1) + y(k)) * (time[k] - time[k - 1])).sum()
}

/// Arithmetic mean of `y` over the run, for runs of zero duration.
fn sample_mean(y: &[f64], start: usize, end: usize) -> f64 {
    y[start..end].iter().sum::<f64>() / (end - start) as f64
}

fn half_cycle(ts: &TimeSeries, index: usize, direction: Direction, start: usize, end: usize) -> HalfCycle {
    let (time, current, voltage) = (ts.time(), ts.current(), ts.voltage());
    let duration = time[end - 1] - time[start];
    let trapezoid = integrate(time, |k| current[k].abs(), start, end);
    let charge = match ts.charge_increment() {
        Some(dq) => dq[start..end].iter().map(|q| q.abs()).sum(),
        None => trapezoid,
    };
    let (mean_current, mean_voltage) = if duration > 0.0 {
        (direction.sign() * trapezoid / duration, integrate(time, |k| voltage[k], start, end) / duration)
    } else {
        (sample_mean(current, start, end), sample_mean(voltage, start, end))
    };
    HalfCycle {
        index,
        direction,
        start_index: start,
        end_index: end,
        charge,
        duration,
        mean_current,
        voltage_start: voltage[start],
        voltage_end: voltage[end - 1],
        mean_voltage,
    }
}

fn rest(ts: &TimeSeries, start: usize, end: usize) -> Rest {
    let (t_a, t_b) = rest_extent(ts.time(), start, end);
    Rest {
        start_index: start,
        end_index: end,
        duration: t_b - t_a,
        voltage_start: ts.voltage()[start],
        voltage_end: ts.voltage()[end - 1],
    }
}

/// Consecutive half-cycles whose first point carries the same instrument cycle number.
fn group_by_channel(half_cycles: &[HalfCycle], channel: &[u32]) -> Vec<(Option<u32>, Range<usize>)> {
    let mut groups: Vec<(Option<u32>, Range<usize>)> = Vec::new();
    for (i, h) in half_cycles.iter().enumerate() {
        let number = channel[h.start_index];
        match groups.last_mut() {
            Some((Some(last), range)) if *last == number => range.end = i + 1,
            _ => groups.push((Some(number), i..i + 1)),
        }
    }
    groups
}

/// Pairing: a new cycle starts at each half-cycle of the start direction that follows one of the
/// other direction.
fn group_by_pairing(
    half_cycles: &[HalfCycle],
    cycle_start: Option<Direction>,
) -> Vec<(Option<u32>, Range<usize>)> {
    let Some(first) = half_cycles.first() else {
        return Vec::new();
    };
    let start_direction = cycle_start.unwrap_or(first.direction);
    let mut groups = vec![(None, 0..1)];
    for (i, pair) in half_cycles.windows(2).enumerate() {
        let begins = pair[1].direction == start_direction && pair[0].direction != start_direction;
        match groups.last_mut() {
            Some((_, range)) if !begins => range.end = i + 2,
            _ => groups.push((None, i + 1..i + 2)),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_integrated_between_their_own_points_and_rests_span_the_gaps() {
        // Points at 0, 1, 2 (active) then 3 (rest): the run spans [0, 2], the rest [2, 3].
        let time = [0.0, 1.0, 2.0, 3.0];
        assert_eq!(integrate(&time, |_| 2.0, 0, 3), 4.0);
        assert_eq!(rest_extent(&time, 3, 4), (2.0, 3.0));
    }

    /// Regression: gcpl.issue_149 (EC-Lab) logs a rest sparsely, 170 s between two points. The old
    /// midpoint rule credited the next half-cycle with |I| · 85 s of charge that never flowed.
    #[test]
    fn a_sparsely_logged_rest_adds_no_charge_to_the_next_half_cycle() {
        use crate::Metadata;
        // Rest logged at 0 and 170 s; +1 mA from 170 s (a point on each side of the step) to 180 s.
        let time = vec![0.0, 170.0, 170.0, 175.0, 180.0];
        let current = vec![0.0, 0.0, 1e-3, 1e-3, 1e-3];
        let voltage = vec![3.0, 3.0, 3.1, 3.2, 3.3];
        let ts = TimeSeries::new(time, current, voltage, Metadata::default()).unwrap();
        let data = CyclingData::from_time_series(ts.clone(), SplitOptions::default()).unwrap();
        let h = &data.half_cycles()[0];
        // Exact: 1 mA for 10 s (the old rule gave 1 mA · 95 s). Tolerance: rounding of a sum of 2 terms.
        assert!((h.charge - 1e-2).abs() < 1e-15, "{}", h.charge);
        assert_eq!(h.duration, 10.0);
        assert_eq!(data.rests()[0].duration, 170.0);
        // With the instrument's dq channel its count is used as is: here 0.4 mC + 5 mC + 5 mC.
        let dq = vec![0.0, 0.0, 4e-4, 5e-3, 5e-3];
        let data =
            CyclingData::from_time_series(ts.with_charge_increment(dq).unwrap(), SplitOptions::default())
                .unwrap();
        assert!((data.half_cycles()[0].charge - 1.04e-2).abs() < 1e-15);
    }

    #[test]
    fn pairing_keeps_an_interrupted_step_in_one_cycle() {
        let h = |index, direction| HalfCycle {
            index,
            direction,
            start_index: index,
            end_index: index + 1,
            charge: 1.0,
            duration: 1.0,
            mean_current: direction.sign(),
            voltage_start: 0.0,
            voltage_end: 0.0,
            mean_voltage: 0.0,
        };
        use Direction::{Charge as C, Discharge as D};
        let halves = [h(0, C), h(1, C), h(2, D), h(3, C), h(4, D)];
        let groups = group_by_pairing(&halves, None);
        let ranges: Vec<_> = groups.into_iter().map(|(_, r)| r).collect();
        assert_eq!(ranges, vec![0..3, 3..5]);
        // Starting cycles on discharge: the leading charges form a cycle of their own.
        let groups = group_by_pairing(&halves, Some(D));
        let ranges: Vec<_> = groups.into_iter().map(|(_, r)| r).collect();
        assert_eq!(ranges, vec![0..2, 2..4, 4..5]);
    }
}
