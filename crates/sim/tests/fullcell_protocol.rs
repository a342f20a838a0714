//! Galvanostatic cycling of the full-cell SPM through `run_cycling`, analysed by spelab-analysis's
//! full-cell analysis exactly as the `full-cell` study step analyses measured files: the analysis's
//! capacities equal the model's own ∫ i dt, Li is conserved, and with no side reactions the CE is
//! 100 % once the stoichiometry window is periodic.

use spelab_analysis::fullcell::{full_cell_metrics, FullCellOptions};
use spelab_sim::fullcell::{
    run_cycling, CyclingProtocol, FullCell, FullCellModel, Recording, ReferenceElectrolyte, SegmentEnd,
    SegmentKind, Spm, ASSEMBLED_STOICHIOMETRY,
};

fn run(protocol: &CyclingProtocol) -> (FullCell, spelab_sim::fullcell::CyclingRecord, Spm) {
    let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap();
    let mut spm = Spm::new(&cell, ASSEMBLED_STOICHIOMETRY, 20).unwrap();
    let rec = run_cycling(&mut spm, &cell, protocol, &Recording::default()).unwrap();
    (cell, rec, spm)
}

#[test]
fn analysis_capacities_equal_the_models_charge_and_lithium_is_conserved() {
    let protocol = CyclingProtocol::rate_capability(&[0.2, 1.0, 0.2], 2);
    let (cell, rec, spm) = run(&protocol);
    assert_eq!(rec.segments.len(), 12);
    for s in &rec.segments {
        let want =
            if s.kind == SegmentKind::Charge { SegmentEnd::VoltageMax } else { SegmentEnd::VoltageMin };
        assert_eq!(s.end, want, "{s:?}");
    }
    let data = rec.cycling_data().unwrap();
    let r = full_cell_metrics(&data, &FullCellOptions::new(rec.active_mass)).unwrap();
    assert_eq!(r.cycles.len(), 6);
    for (c, model) in r.cycles.iter().zip(rec.segments.chunks(2)) {
        let (q_ch, q_dis) = (model[0].charge.abs() * rec.area, model[1].charge.abs() * rec.area);
        assert!((c.charge_capacity * rec.active_mass / q_ch - 1.0).abs() < 1e-9, "cycle {}", c.index);
        assert!((c.discharge_capacity * rec.active_mass / q_dis - 1.0).abs() < 1e-9, "cycle {}", c.index);
    }
    // Three blocks at 0.2, 1, 0.2C; recovery on return.
    assert_eq!(r.rate_blocks.len(), 3);
    let recovery = r.recovery.unwrap();
    assert!((recovery - 1.0).abs() < 1e-3, "recovery {recovery}");
    // Li conservation: the mean stoichiometry follows the total charge (1e-10 after ~10 h of exact
    // modal steps; 8e-12 seen).
    let s = spm.sample();
    let total: f64 = rec.segments.iter().map(|s| s.charge).sum();
    assert!((s.charge - total).abs() < 1e-9 * total.abs().max(1.0));
    let expect = ASSEMBLED_STOICHIOMETRY + s.charge / cell.theoretical_capacity();
    eprintln!("Li balance error {:e}", s.mean_stoichiometry - expect);
    assert!((s.mean_stoichiometry - expect).abs() < 1e-10);
    // No side reactions: CE = 100 % for the second cycle of each block (the window is periodic).
    for k in [1, 3, 5] {
        let ce = r.cycles[k].coulombic_efficiency.unwrap();
        assert!((ce - 1.0).abs() < 2e-3, "cycle {}: CE {ce}", k + 1);
    }
    // Thinning keeps the record small: 2 mV steps, at most 1.5 % of the nominal half-cycle time
    // apart (the sloped ends of the LFP curve take most of the ~400 points per half-cycle).
    eprintln!("{} points", rec.points.len());
    assert!(rec.points.len() < 12 * 500, "{} points", rec.points.len());
    // Capacities per cycle from the model agree with the record's mAh/g.
    let caps = rec.cycle_capacities();
    assert_eq!(caps.len(), 6);
    for (c, m) in caps.iter().zip(&r.cycles) {
        assert!((c.discharge_mah_g * 3600.0 - m.discharge_capacity).abs() < 1e-6 * m.discharge_capacity);
    }
}

#[test]
fn rests_are_rests_in_the_split() {
    let mut protocol = CyclingProtocol::constant(0.5, 2);
    protocol.rest_s = 600.0;
    let (_, rec, _) = run(&protocol);
    assert_eq!(rec.segments.len(), 8);
    let data = rec.cycling_data().unwrap();
    assert_eq!(data.rests().len(), 4);
    assert_eq!(data.cycles().len(), 2);
    let r = full_cell_metrics(&data, &FullCellOptions::new(rec.active_mass)).unwrap();
    let q_dis = rec.segments[2].charge * rec.area;
    assert!((r.cycles[0].discharge_capacity * rec.active_mass / q_dis - 1.0).abs() < 1e-9);
}

#[test]
fn bad_protocols_are_errors() {
    let cell = FullCell::prada2013(ReferenceElectrolyte::SpeA).unwrap();
    let mut spm = Spm::new(&cell, ASSEMBLED_STOICHIOMETRY, 20).unwrap();
    let r = Recording::default();
    assert!(run_cycling(&mut spm, &cell, &CyclingProtocol::rate_capability(&[], 1), &r).is_err());
    assert!(run_cycling(&mut spm, &cell, &CyclingProtocol::constant(0.0, 1), &r).is_err());
    assert!(run_cycling(&mut spm, &cell, &CyclingProtocol::constant(1.0, 0), &r).is_err());
    let bad = Recording { voltage_step: 0.0, ..Recording::default() };
    assert!(run_cycling(&mut spm, &cell, &CyclingProtocol::constant(1.0, 1), &bad).is_err());
}

/// A stand-in for a model whose discharges end by electrolyte depletion (the DFN with an SPE at high
/// rate): V = 3.4 V + 1 mV per C/m² charged, c_min = c0 − 2 mol/m³ per second of discharge.
struct Depleting {
    t: f64,
    q: f64,
    i: f64,
    since: f64,
}

impl Depleting {
    fn state(&self, q: f64, since: f64, i: f64) -> (f64, f64) {
        let c = if i > 0.0 { 1000.0 - 2.0 * since } else { 1000.0 };
        (3.4 - 1e-3 * q, c)
    }
}

impl FullCellModel for Depleting {
    fn sample(&self) -> spelab_sim::fullcell::FullCellSample {
        let (v, c) = self.state(self.q, self.since, self.i);
        spelab_sim::fullcell::FullCellSample {
            time_s: self.t,
            voltage: v,
            current_density: self.i,
            charge: self.q,
            electrolyte_min: c,
            mean_stoichiometry: 0.5 + self.q / 1e5,
        }
    }

    fn advance(
        &mut self,
        i: f64,
        duration_s: f64,
        limits: &spelab_sim::fullcell::Limits,
        observe: &mut dyn FnMut(&spelab_sim::fullcell::FullCellSample),
    ) -> Result<SegmentEnd, spelab_sim::SimError> {
        self.i = i;
        self.since = 0.0;
        let mut elapsed = 0.0;
        loop {
            let dt = 10f64.min(duration_s - elapsed);
            // Exact event times of the linear stand-in.
            let t_dep =
                if i > 0.0 { (1000.0 - limits.electrolyte_min) / 2.0 - self.since } else { f64::INFINITY };
            let v = self.state(self.q, self.since, i).0;
            let t_v = if i < 0.0 { (limits.voltage_max - v) / (1e-3 * -i) } else { f64::INFINITY };
            let (step, end) = if t_dep <= dt {
                (t_dep, Some(SegmentEnd::Depletion))
            } else if t_v <= dt {
                (t_v, Some(SegmentEnd::VoltageMax))
            } else {
                (dt, None)
            };
            self.t += step;
            self.q += i * step;
            self.since += step;
            elapsed += step;
            observe(&self.sample());
            if let Some(end) = end {
                return Ok(end);
            }
            if elapsed >= duration_s {
                return Ok(SegmentEnd::Duration);
            }
        }
    }
}

#[test]
fn a_discharge_ending_by_depletion_ends_the_half_cycle_like_a_cut_off() {
    let mut cell = FullCell::prada2013(ReferenceElectrolyte::SpeB).unwrap();
    cell.voltage_max = 3.5;
    let mut model = Depleting { t: 0.0, q: 0.0, i: 0.0, since: 0.0 };
    let rec =
        run_cycling(&mut model, &cell, &CyclingProtocol::constant(1.0, 3), &Recording::default()).unwrap();
    let i = cell.one_c_current_density();
    for s in &rec.segments {
        match s.kind {
            // 499.5 s of discharge until c_min = 1 mol/m³; the charge then runs to 3.5 V.
            SegmentKind::Discharge => {
                assert_eq!(s.end, SegmentEnd::Depletion);
                assert!((s.end_s - s.start_s - 499.5).abs() < 1e-9);
                assert!((s.charge - i * 499.5).abs() < 1e-9);
            }
            SegmentKind::Charge => assert_eq!(s.end, SegmentEnd::VoltageMax),
            SegmentKind::Rest => unreachable!(),
        }
    }
    // The record keeps the last reading of each depleted discharge and the analysis sees it as the end
    // of that half-cycle: its capacity is the model's ∫ i dt.
    let data = rec.cycling_data().unwrap();
    let r = full_cell_metrics(&data, &FullCellOptions::new(rec.active_mass)).unwrap();
    assert_eq!(r.cycles.len(), 3);
    for (c, s) in r.cycles.iter().zip(rec.segments.chunks(2)) {
        assert!((c.discharge_capacity * rec.active_mass / (s[1].charge * rec.area) - 1.0).abs() < 1e-9);
        assert!((c.charge_capacity * rec.active_mass / (-s[0].charge * rec.area) - 1.0).abs() < 1e-9);
    }
    for caps in rec.cycle_capacities() {
        assert_eq!(caps.discharge_end, SegmentEnd::Depletion);
    }
    let last_discharge = rec.points.iter().rev().find(|p| p.current_density > 0.0).unwrap();
    assert!((last_discharge.electrolyte_min - 1.0).abs() < 1e-9);
}
