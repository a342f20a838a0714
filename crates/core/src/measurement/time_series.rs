//! [`TimeSeries`]: current and voltage against time (CA, CP, CV, LSV, OCV, GCPL, DC polarization).

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{check, Metadata};
use crate::CoreError;

/// A time-domain electrochemical record: current and voltage sampled against time, with optional
/// temperature, cycle-number and step-number channels.
///
/// Invariants (checked by every constructor and by deserialization): at least one point; every
/// channel as long as `time`; every value finite; `time` non-decreasing. Repeated time stamps are
/// allowed because cyclers log one point on each side of a step change at the same instant.
///
/// Sign convention: positive current charges the cell (oxidation at the working electrode); for a
/// symmetric Li|Li cell positive current strips lithium from the working electrode.
///
/// ```
/// use spelab_core::{Metadata, TimeSeries};
/// let ts = TimeSeries::new(
///     vec![0.0, 1.0, 2.0],
///     vec![1.0e-3, 1.0e-3, 1.0e-3],
///     vec![3.5, 3.6, 3.7],
///     Metadata::default(),
/// )?
/// .with_cycle(vec![1, 1, 1])?;
/// assert_eq!(ts.duration(), 2.0);
/// assert!((ts.charge()[2] - 2.0e-3).abs() < 1e-15);
/// # Ok::<(), spelab_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TimeSeriesParts")]
pub struct TimeSeries {
    time: Vec<f64>,
    current: Vec<f64>,
    voltage: Vec<f64>,
    temperature: Option<Vec<f64>>,
    cycle: Option<Vec<u32>>,
    step: Option<Vec<u32>>,
    charge_increment: Option<Vec<f64>>,
    meta: Metadata,
}

/// The columns of a [`TimeSeries`] as plain public fields, unchecked.
///
/// [`TimeSeries::into_parts`] returns it; `TimeSeries::try_from(parts)` checks it. It is also the
/// serialized form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeSeriesParts {
    /// Time since the start of the record [s].
    pub time: Vec<f64>,
    /// Cell current, positive = charge [A].
    pub current: Vec<f64>,
    /// Cell voltage (working minus counter/reference electrode) [V].
    pub voltage: Vec<f64>,
    /// Sample temperature at each point, when logged [K].
    #[serde(default)]
    pub temperature: Option<Vec<f64>>,
    /// Cycle number at each point as the instrument counts it, when logged [1].
    #[serde(default)]
    pub cycle: Option<Vec<u32>>,
    /// Step (technique sequence) number at each point, when logged [1].
    #[serde(default)]
    pub step: Option<Vec<u32>>,
    /// Charge the instrument counted since the previous point, signed like the current (EC-Lab `dq`),
    /// when logged [C].
    #[serde(default)]
    pub charge_increment: Option<Vec<f64>>,
    /// What is known about the measurement.
    #[serde(default)]
    pub meta: Metadata,
}

impl TryFrom<TimeSeriesParts> for TimeSeries {
    type Error = CoreError;
    fn try_from(parts: TimeSeriesParts) -> Result<Self, CoreError> {
        let mut series = TimeSeries::new(parts.time, parts.current, parts.voltage, parts.meta)?;
        if let Some(temperature) = parts.temperature {
            series = series.with_temperature(temperature)?;
        }
        if let Some(cycle) = parts.cycle {
            series = series.with_cycle(cycle)?;
        }
        if let Some(step) = parts.step {
            series = series.with_step(step)?;
        }
        if let Some(dq) = parts.charge_increment {
            series = series.with_charge_increment(dq)?;
        }
        Ok(series)
    }
}

impl TimeSeries {
    /// Builds a record from time [s], current [A] and voltage [V], checking the invariants.
    pub fn new(
        time: Vec<f64>,
        current: Vec<f64>,
        voltage: Vec<f64>,
        meta: Metadata,
    ) -> Result<Self, CoreError> {
        check::min_points("time", time.len(), 1)?;
        check::same_len("current", current.len(), "time", time.len())?;
        check::same_len("voltage", voltage.len(), "time", time.len())?;
        check::non_decreasing("time", &time)?;
        check::finite("current", &current)?;
        check::finite("voltage", &voltage)?;
        meta.validate()?;
        Ok(Self {
            time,
            current,
            voltage,
            temperature: None,
            cycle: None,
            step: None,
            charge_increment: None,
            meta,
        })
    }

    /// Adds (or replaces) the temperature channel [K]; every value finite and positive.
    pub fn with_temperature(mut self, temperature: Vec<f64>) -> Result<Self, CoreError> {
        check::same_len("temperature", temperature.len(), "time", self.len())?;
        check::positive("temperature", &temperature)?;
        self.temperature = Some(temperature);
        Ok(self)
    }

    /// Adds (or replaces) the instrument's cycle-number channel [1].
    /// [`CyclingData`](super::CyclingData) uses it, when present, to group half-cycles into cycles.
    pub fn with_cycle(mut self, cycle: Vec<u32>) -> Result<Self, CoreError> {
        check::same_len("cycle", cycle.len(), "time", self.len())?;
        self.cycle = Some(cycle);
        Ok(self)
    }

    /// Adds (or replaces) the instrument's step-number channel [1].
    pub fn with_step(mut self, step: Vec<u32>) -> Result<Self, CoreError> {
        check::same_len("step", step.len(), "time", self.len())?;
        self.step = Some(step);
        Ok(self)
    }

    /// Adds (or replaces) the instrument's own charge count per point: the charge passed between the
    /// previous point and this one, signed like the current (EC-Lab's `dq`) [C]; every value finite.
    /// [`CyclingData`](super::CyclingData) sums it for half-cycle charges when present, so capacities
    /// equal the instrument's (and navani's) to rounding.
    pub fn with_charge_increment(mut self, charge_increment: Vec<f64>) -> Result<Self, CoreError> {
        check::same_len("charge_increment", charge_increment.len(), "time", self.len())?;
        check::finite("charge_increment", &charge_increment)?;
        self.charge_increment = Some(charge_increment);
        Ok(self)
    }

    /// The instrument's charge count since the previous point, when logged [C].
    pub fn charge_increment(&self) -> Option<&[f64]> {
        self.charge_increment.as_deref()
    }

    /// Number of points (at least 1).
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always `false`: a record has at least one point.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Time since the start of the record [s].
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Cell current, positive = charge [A].
    pub fn current(&self) -> &[f64] {
        &self.current
    }

    /// Cell voltage [V].
    pub fn voltage(&self) -> &[f64] {
        &self.voltage
    }

    /// Sample temperature, when logged [K].
    pub fn temperature(&self) -> Option<&[f64]> {
        self.temperature.as_deref()
    }

    /// Instrument cycle number, when logged [1].
    pub fn cycle(&self) -> Option<&[u32]> {
        self.cycle.as_deref()
    }

    /// Instrument step number, when logged [1].
    pub fn step(&self) -> Option<&[u32]> {
        self.step.as_deref()
    }

    /// What is known about the measurement.
    pub fn meta(&self) -> &Metadata {
        &self.meta
    }

    /// Replaces the metadata after checking it with [`Metadata::validate`].
    pub fn set_meta(&mut self, meta: Metadata) -> Result<(), CoreError> {
        meta.validate()?;
        self.meta = meta;
        Ok(())
    }

    /// Time from the first to the last point [s].
    pub fn duration(&self) -> f64 {
        match (self.time.first(), self.time.last()) {
            (Some(first), Some(last)) => last - first,
            _ => 0.0,
        }
    }

    /// Cumulative charge passed since the first point, signed like the current [C].
    ///
    /// Trapezoid rule: `Q[0] = 0`, `Q[k] = Q[k-1] + (I[k-1] + I[k]) / 2 · (t[k] - t[k-1])`. Exact for
    /// piecewise-linear current; for smooth current the error is at most `(t_end − t_0)·h²·max|I''|/12`
    /// with `h` the largest time step.
    pub fn charge(&self) -> Vec<f64> {
        let mut total = 0.0;
        let mut charge = Vec::with_capacity(self.len());
        charge.push(0.0);
        for k in 1..self.len() {
            total += 0.5 * (self.current[k - 1] + self.current[k]) * (self.time[k] - self.time[k - 1]);
            charge.push(total);
        }
        charge
    }

    /// A new record with the points whose time lies in `[t0, t1]` (inclusive) [s]. Time stays as
    /// recorded (it is not shifted to start at zero).
    ///
    /// Errors: [`CoreError::InvalidRange`] for a NaN bound or `t0 > t1`, [`CoreError::EmptySelection`]
    /// when no point lies in the range.
    pub fn slice(&self, t0: f64, t1: f64) -> Result<Self, CoreError> {
        check::range("time slice", t0, t1)?;
        // Time is sorted, so the selection is one contiguous index range.
        let start = self.time.partition_point(|&t| t < t0);
        let end = self.time.partition_point(|&t| t <= t1);
        if start >= end {
            return Err(CoreError::EmptySelection { what: "time", low: t0, high: t1 });
        }
        Ok(self.select(start..end))
    }

    /// A new record with the points `range` (by index, end exclusive), e.g. one
    /// [`HalfCycle`](super::HalfCycle)'s `start_index..end_index`.
    ///
    /// Errors: [`CoreError::IndexOutOfRange`] when the range is empty or reaches past the end.
    pub fn slice_index(&self, range: Range<usize>) -> Result<Self, CoreError> {
        if range.start >= range.end || range.end > self.len() {
            return Err(CoreError::IndexOutOfRange {
                what: "time series",
                start: range.start,
                end: range.end,
                len: self.len(),
            });
        }
        Ok(self.select(range))
    }

    /// Copies the points `range`; the caller guarantees it is non-empty and in bounds.
    fn select(&self, range: Range<usize>) -> Self {
        Self {
            time: self.time[range.clone()].to_vec(),
            current: self.current[range.clone()].to_vec(),
            voltage: self.voltage[range.clone()].to_vec(),
            temperature: self.temperature.as_ref().map(|v| v[range.clone()].to_vec()),
            cycle: self.cycle.as_ref().map(|v| v[range.clone()].to_vec()),
            step: self.step.as_ref().map(|v| v[range.clone()].to_vec()),
            charge_increment: self.charge_increment.as_ref().map(|v| v[range].to_vec()),
            meta: self.meta.clone(),
        }
    }

    /// Gives back every column and the metadata.
    pub fn into_parts(self) -> TimeSeriesParts {
        TimeSeriesParts {
            time: self.time,
            current: self.current,
            voltage: self.voltage,
            temperature: self.temperature,
            cycle: self.cycle,
            step: self.step,
            charge_increment: self.charge_increment,
            meta: self.meta,
        }
    }
}
