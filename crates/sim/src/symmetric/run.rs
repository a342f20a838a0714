//! The driver: runs a [`Protocol`] on a [`SymmetricCell`] with adaptive TR-BDF2 steps, samples the
//! output, and stops at depletion or a voltage limit.
//!
//! Steps and their size come from the shared scheme ([`crate::solver::tr_bdf2`], controller
//! constants `ControllerOptions::SYMMETRIC`): the local error C h³ y''' is formed from the stage
//! derivatives and filtered by (I − d h M)⁻¹ (one extra tridiagonal solve, so a step costs three);
//! it must satisfy max_i err_i/(atol + rtol|y_i|) ≤ 1. Steps end exactly on segment boundaries and
//! sample times, so current jumps never fall inside a step and sampled values are not interpolated.

use spelab_core::constants::FARADAY;

use super::cell::{SymmetricCell, VoltageBreakdown};
use super::integrator::Integrator;
use super::protocol::{Control, Protocol, Segment};
use crate::error::{check_param, SimError};
use crate::solver::tr_bdf2::{Controller, ControllerOptions};

/// When the run records a [`Sample`].
#[derive(Debug, Clone, PartialEq)]
pub enum Sampling {
    /// After every accepted step, plus both sides of every segment boundary.
    EveryStep,
    /// Every so many seconds from t = 0, plus both sides of every segment boundary [s].
    Interval(f64),
    /// Exactly at these times (sorted ascending, within the run) and nowhere else [s].
    Times(Vec<f64>),
}

/// Numerical and stopping options. `Default` gives the values in brackets.
#[derive(Debug, Clone, PartialEq)]
pub struct SolverOptions {
    /// Finite volumes across the membrane [200: Sand times within ~1e-5 relative, see tests].
    pub cells: usize,
    /// Relative local error tolerance [1e-7].
    pub rtol: f64,
    /// Absolute local error tolerance as a fraction of c₀ [1e-8].
    pub atol_fraction: f64,
    /// Largest step [s] [∞].
    pub max_step_s: f64,
    /// Stop when |U| reaches this [V] [None: no limit].
    pub voltage_limit: Option<f64>,
    /// Stop when a face concentration falls to this (Sand / depletion) [mol/m³] [0].
    pub depletion_concentration: f64,
    /// What to record [EveryStep].
    pub sampling: Sampling,
}

impl Default for SolverOptions {
    fn default() -> Self {
        Self {
            cells: 200,
            rtol: 1e-7,
            atol_fraction: 1e-8,
            max_step_s: f64::INFINITY,
            voltage_limit: None,
            depletion_concentration: 0.0,
            sampling: Sampling::EveryStep,
        }
    }
}

/// Which electrode a face concentration refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Electrode {
    /// The electrode at x = 0 (stripping for J > 0).
    X0,
    /// The electrode at x = L (plating for J > 0).
    XL,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum StopReason {
    /// Every segment ran to its end.
    Completed,
    /// The salt concentration at an electrode reached the depletion concentration (Sand's time).
    Depletion {
        /// Time of depletion [s].
        time_s: f64,
        /// The depleted electrode.
        electrode: Electrode,
        /// Index of the running segment.
        segment: usize,
        /// Current density at depletion [A/m²].
        current_density: f64,
    },
    /// |U| reached the voltage limit.
    VoltageLimit {
        /// Time the limit was reached [s].
        time_s: f64,
        /// Voltage at that time (±limit) [V].
        voltage: f64,
        /// Index of the running segment.
        segment: usize,
        /// Current density then [A/m²].
        current_density: f64,
    },
}

impl StopReason {
    /// Whether the run ended early (depletion or voltage limit).
    pub fn failed(&self) -> bool {
        !matches!(self, StopReason::Completed)
    }

    /// The running segment's current density at failure [A/m²], `None` when completed.
    pub fn failure_current_density(&self) -> Option<f64> {
        match *self {
            StopReason::Completed => None,
            StopReason::Depletion { current_density, .. }
            | StopReason::VoltageLimit { current_density, .. } => Some(current_density),
        }
    }
}

/// The state of a cell during a run; the caller may keep it and continue with
/// [`simulate_from`].
#[derive(Debug, Clone, PartialEq)]
pub struct CellState {
    /// Time since the start of the run [s].
    pub time_s: f64,
    /// Salt concentration at the cell centres [mol/m³].
    pub concentration: Vec<f64>,
    /// Present current density [A/m²].
    pub current_density: f64,
    /// Areal charge throughput ∫|J| dt [C/m²].
    pub charge_throughput: f64,
    /// Net areal charge moved from x = 0 to x = L, ∫J dt (Li inventory shift: /F in mol/m²) [C/m²].
    pub charge_moved: f64,
}

impl CellState {
    /// Uniform c₀ at t = 0 on `cells` volumes.
    pub fn rest(cell: &SymmetricCell, cells: usize) -> Self {
        Self {
            time_s: 0.0,
            concentration: vec![cell.initial_concentration; cells],
            current_density: 0.0,
            charge_throughput: 0.0,
            charge_moved: 0.0,
        }
    }

    /// Total salt per area, Σ c_i Δx [mol/m²].
    pub fn salt_per_area(&self, thickness: f64) -> f64 {
        self.concentration.iter().sum::<f64>() * thickness / self.concentration.len() as f64
    }

    /// Net lithium moved from x = 0 to x = L [mol/m²].
    pub fn lithium_moved(&self) -> f64 {
        self.charge_moved / FARADAY
    }
}

/// One recorded point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Time [s].
    pub time_s: f64,
    /// Current density [A/m²].
    pub current_density: f64,
    /// Voltage and its parts.
    pub voltage: VoltageBreakdown,
    /// Index of the segment.
    pub segment: usize,
    /// Cycle number of the segment [1].
    pub cycle: u32,
    /// Film resistance per electrode [Ω·m²].
    pub film_resistance: f64,
}

/// Solver statistics (for regression snapshots and benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SolverStats {
    /// Accepted steps.
    pub accepted: u64,
    /// Rejected steps.
    pub rejected: u64,
    /// Tridiagonal solves.
    pub solves: u64,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Recorded points in time order.
    pub samples: Vec<Sample>,
    /// Why the run ended.
    pub stop: StopReason,
    /// The final state (at the stop time).
    pub state: CellState,
    /// Solver statistics.
    pub stats: SolverStats,
}

/// Runs `protocol` on `cell` from rest (uniform c₀).
///
/// ```
/// use spelab_sim::params;
/// use spelab_sim::symmetric::{simulate, Protocol, SolverOptions, StopReason, SymmetricCell};
/// let cell = SymmetricCell::from_material(&params::preset("pvh-im")?.material_params()?, 1000.0)?;
/// let protocol = Protocol::Cycling { current_density: 2.0, half_cycle_s: 3600.0, rest_s: 0.0, cycles: 2 };
/// let sim = simulate(&cell, &protocol, &SolverOptions::default())?;
/// assert_eq!(sim.stop, StopReason::Completed);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn simulate(
    cell: &SymmetricCell,
    protocol: &Protocol,
    options: &SolverOptions,
) -> Result<Simulation, SimError> {
    simulate_from(cell, CellState::rest(cell, options.cells.max(2)), protocol, options)
}

/// [`simulate`], telling `progress` the fraction of the protocol's segments done (in (0, 1]) after
/// each one, for a progress bar on long runs.
///
/// ```
/// use spelab_sim::params;
/// use spelab_sim::symmetric::{simulate_with_progress, Protocol, SolverOptions, SymmetricCell};
/// let cell = SymmetricCell::from_material(&params::preset("pvh-im")?.material_params()?, 1000.0)?;
/// let protocol = Protocol::Cycling { current_density: 2.0, half_cycle_s: 600.0, rest_s: 0.0, cycles: 3 };
/// let mut done = Vec::new();
/// simulate_with_progress(&cell, &protocol, &SolverOptions::default(), &mut |f| done.push(f))?;
/// assert_eq!(done.len(), 6);
/// assert!(done.windows(2).all(|w| w[0] < w[1]) && done[5] == 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn simulate_with_progress(
    cell: &SymmetricCell,
    protocol: &Protocol,
    options: &SolverOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Simulation, SimError> {
    cell.validate()?;
    let segments = protocol.segments()?;
    let state = CellState::rest(cell, options.cells.max(2));
    validate_options(options, state.concentration.len())?;
    let mut runner = Runner::new(cell, state, options);
    runner.progress = Some(progress);
    runner.run(&segments)
}

/// Runs `protocol` on `cell` from `state` (its time is the protocol's start).
pub fn simulate_from(
    cell: &SymmetricCell,
    state: CellState,
    protocol: &Protocol,
    options: &SolverOptions,
) -> Result<Simulation, SimError> {
    cell.validate()?;
    let segments = protocol.segments()?;
    validate_options(options, state.concentration.len())?;
    Runner::new(cell, state, options).run(&segments)
}

fn validate_options(o: &SolverOptions, cells: usize) -> Result<(), SimError> {
    check_param("cells", o.cells as f64, o.cells >= 2 && cells == o.cells, ">= 2 and equal to the state's")?;
    check_param("rtol", o.rtol, o.rtol > 0.0, "> 0")?;
    check_param("atol_fraction", o.atol_fraction, o.atol_fraction > 0.0, "> 0")?;
    if o.max_step_s != f64::INFINITY {
        check_param("max_step_s", o.max_step_s, o.max_step_s > 0.0, "> 0 s or infinite")?;
    }
    if let Some(v) = o.voltage_limit {
        check_param("voltage_limit", v, v > 0.0, "> 0 V")?;
    }
    check_param(
        "depletion_concentration",
        o.depletion_concentration,
        o.depletion_concentration >= 0.0,
        ">= 0",
    )?;
    match &o.sampling {
        Sampling::Interval(dt) => check_param("sampling interval", *dt, *dt > 0.0, "> 0 s"),
        Sampling::Times(t) if t.windows(2).any(|w| w[1] < w[0]) || t.iter().any(|v| !v.is_finite()) => {
            Err(SimError::InvalidProtocol("sample times must be finite and ascending".into()))
        }
        _ => Ok(()),
    }
}

/// Outcome of trying to advance to a target time.
enum Advance {
    Reached,
    Stopped(StopReason),
}

struct Runner<'a> {
    int: Integrator<'a>,
    options: &'a SolverOptions,
    state: CellState,
    samples: Vec<Sample>,
    stats: SolverStats,
    h: f64,
    controller: Controller,
    next_sample: usize,
    t0: f64,
    /// Start time of the running segment [s].
    seg_start: f64,
    /// Told the fraction of the protocol's segments done after each one.
    progress: Option<&'a mut dyn FnMut(f64)>,
}

impl<'a> Runner<'a> {
    fn new(cell: &'a SymmetricCell, state: CellState, options: &'a SolverOptions) -> Self {
        let cells = state.concentration.len();
        let tau = cell.thickness * cell.thickness / cell.diffusivity();
        Self {
            int: Integrator::new(
                cell,
                cells,
                options.atol_fraction * cell.initial_concentration,
                options.rtol,
            ),
            options,
            t0: state.time_s,
            state,
            samples: Vec::new(),
            stats: SolverStats::default(),
            h: 1e-8 * tau,
            controller: Controller::new(ControllerOptions::SYMMETRIC),
            next_sample: 0,
            seg_start: 0.0,
            progress: None,
        }
    }

    fn film(&self, t: f64, q: f64) -> f64 {
        self.int.cell.film.resistance(t, q)
    }

    fn record(&mut self, segment: usize, seg: &Segment) {
        let s = &self.state;
        let r = self.film(s.time_s, s.charge_throughput);
        let v = self.int.voltage(&s.concentration, s.current_density, r);
        if !v.voltage.is_finite() {
            // A depleted face: no instrument reading exists; the stop reason reports it.
            return;
        }
        self.samples.push(Sample {
            time_s: s.time_s,
            current_density: s.current_density,
            voltage: v,
            segment,
            cycle: seg.cycle,
            film_resistance: r,
        });
    }

    fn edges_recorded(&self) -> bool {
        !matches!(self.options.sampling, Sampling::Times(_))
    }

    /// The next sample time strictly after the present time, if any [s].
    fn next_sample_time(&mut self) -> Option<f64> {
        let t = self.state.time_s;
        match &self.options.sampling {
            Sampling::EveryStep => None,
            Sampling::Interval(dt) => {
                let k = ((t - self.t0) / dt).floor() + 1.0;
                let mut next = self.t0 + k * dt;
                if next <= t + 1e-12 * t.abs().max(1.0) {
                    next += dt;
                }
                Some(next)
            }
            Sampling::Times(times) => {
                let tol = 1e-12 * t.abs().max(1.0);
                while self.next_sample < times.len() && times[self.next_sample] <= t + tol {
                    self.next_sample += 1;
                }
                times.get(self.next_sample).copied()
            }
        }
    }

    /// Records when the present time is a sample time (Interval or Times sampling).
    fn record_if_sample_time(&mut self, segment: usize, seg: &Segment) {
        let t = self.state.time_s;
        let hit = match &self.options.sampling {
            Sampling::EveryStep => true,
            Sampling::Interval(dt) => {
                let k = ((t - self.t0) / dt).round();
                (t - (self.t0 + k * dt)).abs() <= 1e-9 * dt.max(1.0)
            }
            Sampling::Times(times) => times.iter().any(|&s| (s - t).abs() <= 1e-12 * t.abs().max(1.0)),
        };
        if hit {
            self.record(segment, seg);
        }
    }

    fn run(mut self, segments: &[Segment]) -> Result<Simulation, SimError> {
        let mut stop = StopReason::Completed;
        for (index, seg) in segments.iter().enumerate() {
            if index > 0 && self.edges_recorded() {
                // The point before the switch (old current), unless the last step already logged it.
                let t = self.state.time_s;
                if !self.samples.last().is_some_and(|s| s.time_s == t && s.segment == index - 1) {
                    self.record(index - 1, &segments[index - 1]);
                }
            }
            let r = self.film(self.state.time_s, self.state.charge_throughput);
            self.state.current_density = self.int.consistent_current(
                &self.state.concentration,
                seg.control,
                self.state.current_density,
                r,
            );
            if index > 0 && self.edges_recorded() {
                // The point after the switch (new current, same profile).
                self.record(index, seg);
            } else {
                self.record_if_sample_time(index, seg);
            }
            self.seg_start = self.state.time_s;
            let end = self.state.time_s + seg.duration_s;
            match self.advance_to(end, index, seg)? {
                Advance::Reached => {
                    if let Some(progress) = self.progress.as_mut() {
                        progress((index + 1) as f64 / segments.len() as f64);
                    }
                }
                Advance::Stopped(reason) => {
                    stop = reason;
                    break;
                }
            }
        }
        if stop == StopReason::Completed && self.edges_recorded() {
            let last = segments.len() - 1;
            let already = self.samples.last().is_some_and(|s| s.time_s == self.state.time_s);
            if !already {
                self.record(last, &segments[last]);
            }
        }
        self.stats.solves = self.int.solves;
        Ok(Simulation { samples: self.samples, stop, state: self.state, stats: self.stats })
    }

    /// Advances to `end` with adaptive steps, recording samples and checking stop conditions.
    fn advance_to(&mut self, end: f64, index: usize, seg: &Segment) -> Result<Advance, SimError> {
        let mut two = vec![0.0; self.state.concentration.len()];
        let min_step = 1e-12 * end.abs().max(1.0);
        while self.state.time_s < end - 1e-12 * end.abs().max(1.0) {
            let t = self.state.time_s;
            let mut target = end;
            if let Some(ts) = self.next_sample_time() {
                target = target.min(ts);
            }
            let room = target - t;
            let h = self.h.min(self.options.max_step_s).min(room);
            let clipped = h < self.h;
            let (j, q) = (self.state.current_density, self.state.charge_throughput);
            let y = std::mem::take(&mut self.state.concentration);
            let jh = {
                let film = |off: f64| self.int.cell.film.resistance(t + off, q + j.abs() * off);
                let off = t - self.seg_start;
                self.int.step(&y, j, h, seg.control, off, &film, &mut two)
            };
            let err = self.int.error(h, &two);
            if err <= 1.0 && two.iter().all(|v| v.is_finite()) {
                self.stats.accepted += 1;
                let new_h = h * self.controller.accepted(h, err);
                self.h = if clipped { self.h.max(new_h) } else { new_h };
                // Check stop conditions on the new state before committing.
                if let Some(reason) = self.check_events(&y, j, h, seg, index, &two, jh)? {
                    return Ok(Advance::Stopped(reason));
                }
                self.state.concentration = std::mem::replace(&mut two, y);
                self.state.time_s = if h == room { target } else { t + h };
                self.state.charge_throughput += 0.5 * (j.abs() + jh.abs()) * h;
                self.state.charge_moved += 0.5 * (j + jh) * h;
                self.state.current_density = jh;
                self.record_if_sample_time(index, seg);
            } else {
                self.stats.rejected += 1;
                self.state.concentration = y;
                self.h = h * self.controller.rejected(err);
                if self.h < min_step {
                    return Err(SimError::StepSizeUnderflow { time_s: t, min_step_s: min_step });
                }
            }
        }
        self.state.time_s = end;
        Ok(Advance::Reached)
    }

    /// Depletion or voltage limit reached within the step from (y, j) of size h ending at
    /// (y_new, j_new)? If so, locates the crossing, moves the state there and returns the reason.
    #[allow(clippy::too_many_arguments)]
    fn check_events(
        &mut self,
        y: &[f64],
        j: f64,
        h: f64,
        seg: &Segment,
        index: usize,
        y_new: &[f64],
        j_new: f64,
    ) -> Result<Option<StopReason>, SimError> {
        let t = self.state.time_s;
        let q = self.state.charge_throughput;
        let c_dep = self.options.depletion_concentration;
        let (a, b) = self.int.faces(y_new, j_new);
        let depleted = a.min(b) <= c_dep;
        let limit = self.options.voltage_limit;
        let r_new = self.film(t + h, q + j.abs() * h);
        let u_new = self.int.voltage(y_new, j_new, r_new).voltage;
        // NaN counts as over the limit.
        let over = limit.is_some_and(|l| u_new.is_nan() || u_new.abs() >= l);
        if !depleted && !over {
            return Ok(None);
        }
        // g(τ) > 0 before the event, ≤ 0 after: the smaller margin of both conditions.
        let n = y.len();
        let mut out = vec![0.0; n];
        let control = seg.control;
        let off = t - self.seg_start;
        let eval = |int: &mut Integrator<'_>, tau: f64, out: &mut Vec<f64>| -> (f64, f64, f64) {
            let film = |off: f64| int.cell.film.resistance(t + off, q + j.abs() * off);
            let jt = int.step(y, j, tau, control, off, &film, out);
            let (fa, fb) = int.faces(out, jt);
            let dep_margin = (fa.min(fb) - c_dep) / int.cell.initial_concentration;
            let r = int.cell.film.resistance(t + tau, q + j.abs() * tau);
            let u = int.voltage(out, jt, r).voltage;
            let v_margin = limit.map_or(f64::INFINITY, |l| if u.is_nan() { -1.0 } else { (l - u.abs()) / l });
            (dep_margin.min(v_margin), jt, u)
        };
        let (mut lo, mut hi) = (0.0, h);
        for _ in 0..200 {
            if hi - lo <= 1e-13 * (t + hi).max(1e-300) {
                break;
            }
            let mid_tau = 0.5 * (lo + hi);
            let (g, _, _) = eval(&mut self.int, mid_tau, &mut out);
            if g > 0.0 {
                lo = mid_tau;
            } else {
                hi = mid_tau;
            }
        }
        let mut tau = hi;
        let (_, mut jt, mut u) = eval(&mut self.int, tau, &mut out);
        if over && !u.is_finite() {
            // Past a depletion that comes right after the limit: take the last point before it.
            tau = lo;
            (_, jt, u) = eval(&mut self.int, tau, &mut out);
        }
        let (fa, fb) = self.int.faces(&out, jt);
        self.state.concentration = out;
        self.state.time_s = t + tau;
        self.state.charge_throughput += 0.5 * (j.abs() + jt.abs()) * tau;
        self.state.charge_moved += 0.5 * (j + jt) * tau;
        self.state.current_density = jt;
        let dep_now = fa.min(fb) <= c_dep * (1.0 + 1e-12) + 1e-9 * self.int.cell.initial_concentration;
        let reason =
            if over && (!depleted || !dep_now || u.abs() >= limit.unwrap_or(f64::INFINITY) * (1.0 - 1e-9)) {
                let l = limit.unwrap_or(f64::INFINITY);
                // |U| below the limit only when the state was taken just before a depletion that the
                // limit precedes (U diverges there): the limit is crossed at this time, report it.
                let voltage = if u.is_finite() && u.abs() >= l * (1.0 - 1e-9) {
                    u
                } else {
                    l.copysign(if u.is_finite() && u != 0.0 { u } else { jt })
                };
                self.record(index, seg);
                StopReason::VoltageLimit {
                    time_s: t + tau,
                    voltage,
                    segment: index,
                    current_density: seg_current(seg, jt),
                }
            } else {
                StopReason::Depletion {
                    time_s: t + tau,
                    electrode: if fa <= fb { Electrode::X0 } else { Electrode::XL },
                    segment: index,
                    current_density: seg_current(seg, jt),
                }
            };
        Ok(Some(reason))
    }
}

fn seg_current(seg: &Segment, j: f64) -> f64 {
    match seg.control {
        Control::Current(c) => c,
        Control::Voltage(_) | Control::VoltageSweep { .. } => j,
    }
}
