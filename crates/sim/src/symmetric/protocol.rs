//! Test protocols as sequences of [`Segment`]s: constant current, galvanostatic cycling with rests,
//! the step-increasing current (CCD) staircase, potentiostatic steps, or any list of segments.

use crate::error::SimError;

/// What the instrument holds fixed during a segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    /// Current density J (positive strips Li at x = 0); 0 is a rest [A/m²].
    Current(f64),
    /// Cell voltage U; the current follows [V].
    Voltage(f64),
    /// Cell voltage swept linearly, U = start + rate·(time in segment); the current follows.
    VoltageSweep {
        /// Voltage at the segment start [V].
        start: f64,
        /// Sweep rate [V/s].
        rate: f64,
    },
}

impl Control {
    /// The control in force `t` seconds into the segment: a sweep becomes the voltage it has reached.
    pub fn at(self, t: f64) -> Control {
        match self {
            Control::VoltageSweep { start, rate } => Control::Voltage(start + rate * t),
            other => other,
        }
    }

    /// Whether the current is an unknown (voltage control or sweep).
    pub fn is_potentiostatic(self) -> bool {
        !matches!(self, Control::Current(_))
    }
}

/// One step of a protocol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// What is held fixed.
    pub control: Control,
    /// Duration [s].
    pub duration_s: f64,
    /// Cycle number the instrument would log (from 1) [1].
    pub cycle: u32,
}

/// A test protocol. Times [s], current densities [A/m²], voltages [V].
#[derive(Debug, Clone, PartialEq)]
pub enum Protocol {
    /// Constant current density for a duration (polarisation, Sand experiment, DC polarization).
    ConstantCurrent {
        /// Current density [A/m²].
        current_density: f64,
        /// Duration [s].
        duration_s: f64,
    },
    /// `cycles` × (+J for `half_cycle_s`, rest, −J for `half_cycle_s`, rest).
    Cycling {
        /// Current density magnitude [A/m²].
        current_density: f64,
        /// Length of each half-cycle [s].
        half_cycle_s: f64,
        /// Rest after each half-cycle (0 for none) [s].
        rest_s: f64,
        /// Number of cycles.
        cycles: u32,
    },
    /// CCD staircase: step k = 1..=`steps` is +k·ΔJ for `half_cycle_s`, rest, −k·ΔJ for
    /// `half_cycle_s`, rest; the history carries over. The run stops at the first failure
    /// (depletion or voltage limit) and the current of that step is the simulated CCD.
    CcdStaircase {
        /// Current increment ΔJ (the first step is ΔJ) [A/m²].
        step_current_density: f64,
        /// Length of each half-cycle [s].
        half_cycle_s: f64,
        /// Rest after each half-cycle [s].
        rest_s: f64,
        /// Largest number of steps.
        steps: u32,
    },
    /// Voltage step from open circuit held for a duration (chronoamperometry, Bruce-Vincent).
    Potentiostatic {
        /// Cell voltage [V].
        voltage: f64,
        /// Duration [s].
        duration_s: f64,
    },
    /// Linear sweep voltammetry from `start_voltage` to `end_voltage` at `rate` (slow sweeps for a
    /// Tafel analysis of j0).
    LinearSweep {
        /// Start voltage [V].
        start_voltage: f64,
        /// End voltage [V].
        end_voltage: f64,
        /// Sweep rate magnitude [V/s].
        rate: f64,
    },
    /// Any sequence of segments.
    Segments(Vec<Segment>),
}

impl Protocol {
    /// The segments, validated: at least one, each with a finite positive duration and a finite value.
    pub fn segments(&self) -> Result<Vec<Segment>, SimError> {
        let seg = |control, duration_s, cycle| Segment { control, duration_s, cycle };
        let list = match *self {
            Protocol::ConstantCurrent { current_density, duration_s } => {
                vec![seg(Control::Current(current_density), duration_s, 1)]
            }
            Protocol::Potentiostatic { voltage, duration_s } => {
                vec![seg(Control::Voltage(voltage), duration_s, 1)]
            }
            Protocol::Cycling { current_density, half_cycle_s, rest_s, cycles } => {
                let mut v = Vec::with_capacity(4 * cycles as usize);
                for k in 1..=cycles {
                    for sign in [1.0, -1.0] {
                        v.push(seg(Control::Current(sign * current_density), half_cycle_s, k));
                        if rest_s > 0.0 {
                            v.push(seg(Control::Current(0.0), rest_s, k));
                        }
                    }
                }
                v
            }
            Protocol::CcdStaircase { step_current_density, half_cycle_s, rest_s, steps } => {
                let mut v = Vec::with_capacity(4 * steps as usize);
                for k in 1..=steps {
                    let j = k as f64 * step_current_density;
                    for sign in [1.0, -1.0] {
                        v.push(seg(Control::Current(sign * j), half_cycle_s, k));
                        if rest_s > 0.0 {
                            v.push(seg(Control::Current(0.0), rest_s, k));
                        }
                    }
                }
                v
            }
            Protocol::LinearSweep { start_voltage, end_voltage, rate } => {
                let span = end_voltage - start_voltage;
                if !(rate.is_finite() && rate > 0.0 && span != 0.0) {
                    return Err(SimError::InvalidProtocol(format!(
                        "linear sweep needs rate > 0 and end != start (rate {rate}, span {span})"
                    )));
                }
                let control = Control::VoltageSweep { start: start_voltage, rate: rate.copysign(span) };
                vec![seg(control, span.abs() / rate, 1)]
            }
            Protocol::Segments(ref s) => s.clone(),
        };
        if list.is_empty() {
            return Err(SimError::InvalidProtocol("no segments (zero cycles or steps?)".into()));
        }
        for (i, s) in list.iter().enumerate() {
            let value = match s.control {
                Control::Current(j) => j,
                Control::Voltage(u) => u,
                Control::VoltageSweep { start, rate } => start + rate,
            };
            if !(s.duration_s.is_finite() && s.duration_s > 0.0 && value.is_finite()) {
                return Err(SimError::InvalidProtocol(format!(
                    "segment {i}: duration {} s and value {value} must be finite, duration > 0",
                    s.duration_s
                )));
            }
        }
        Ok(list)
    }
}
