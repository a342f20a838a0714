//! The study steps' experiments in one call (`spelab_sim::lab::studies`): each gives the record the
//! step's own sequence of instrument calls gives for the same inputs and seed.

use spelab_sim::fullcell::{CyclingProtocol, FullCell, ModelKind, ASSEMBLED_STOICHIOMETRY};
use spelab_sim::lab::{self, EisCell, EisOptions, Noise};
use spelab_sim::params::{self, MaterialParams};
use spelab_sim::symmetric::SymmetricCell;

fn material(id: &str) -> MaterialParams {
    params::preset(id).unwrap().material_params().unwrap()
}

/// The arrhenius step's former loop: the preset's Li|SPE|Li cell (1 M) with the step's area at each
/// temperature, recorded as a blocking cell with noise seeded `seed + j`.
#[test]
fn arrhenius_series_is_the_steps_former_spectra_bit_for_bit() {
    let p = material("pvh-im");
    let temperatures = [273.15, 298.15, 333.15];
    let options = lab::BlockingEis { relative_noise: 0.02, ..Default::default() };
    let new = lab::arrhenius_series(&p, &temperatures, &options, 2025).unwrap();
    let mut cell = SymmetricCell::from_material(&p, 1000.0).unwrap();
    cell.area = 2.01e-4;
    for (j, &t) in temperatures.iter().enumerate() {
        let noise =
            Noise { voltage_std: 0.0, current_std: 0.0, impedance_relative_std: 0.02, seed: 2025 + j as u64 };
        let old = lab::impedance_spectrum(
            &cell.clone().at_temperature(t),
            EisCell::Blocking,
            &lab::log_frequencies(1e6, 0.1, 10),
            &EisOptions::default(),
            Some(&noise),
        )
        .unwrap();
        assert_eq!(new[j], old, "T = {t}");
    }
    // One spectrum is conductivity_spectrum at that temperature and seed.
    let one = lab::conductivity_spectrum(&p, 298.15, &options, 2026).unwrap();
    assert_eq!(one, new[1]);
}

#[test]
fn electronic_dc_polarization_is_the_steps_former_record() {
    let p = material("pvh");
    let o = lab::ElectronicExperiment { thickness: Some(80e-6), ..Default::default() };
    let new = lab::electronic_dc_polarization(&p, &o).unwrap();
    let mut cell = SymmetricCell::from_material(&p, 1000.0).unwrap();
    cell.thickness = 80e-6;
    let old = lab::blocking_dc_polarization(
        &cell,
        &EisOptions::default(),
        p.electronic_conductivity,
        0.5,
        6.0 * 3600.0,
        5.0,
    )
    .unwrap();
    assert_eq!(new, old);
}

#[test]
fn tafel_sweep_is_the_steps_former_sweep() {
    let p = material("pvh-im");
    let new = lab::tafel_sweep(&p, &lab::TafelSweep::default()).unwrap();
    let cell = SymmetricCell::from_material(&p, 1000.0).unwrap();
    let old = lab::linear_sweep(&cell, 0.3, 1.0, 0.003, None).unwrap();
    assert_eq!(new.data, old.data);
    assert_eq!(new.bulk_resistance, lab::bulk_resistance(&cell));
}

#[test]
fn oxidation_lsv_is_the_steps_former_sweep() {
    let preset = params::preset("pvh").unwrap();
    let new = lab::oxidation_lsv(&preset, &lab::OxidationSweep::default(), 7).unwrap();
    let model = lab::OxidationLsv::from_preset(&preset).unwrap();
    let old = lab::oxidation_sweep(&model, 3.0, 5.5, 1e-3, 1e-3, Some(&Noise::typical(7))).unwrap();
    assert_eq!(new.data, old);
    assert_eq!(new.model, model);
}

#[test]
fn staircase_and_cycling_are_the_steps_former_runs() {
    let p = material("pvh");
    let cell = SymmetricCell::from_material(&p, 1000.0).unwrap();
    let ccd = lab::CcdExperiment {
        cell: lab::CellSpec::default(),
        step_current_density: 0.5,
        half_cycle_s: 1800.0,
        steps: 4,
        voltage_limit: Some(5.0),
        samples_per_half_cycle: 30,
    };
    let new = lab::ccd_staircase_experiment(&p, &ccd).unwrap();
    let old = lab::ccd_staircase(&cell, 0.5, 1800.0, 4, Some(5.0), 60.0, None).unwrap();
    assert_eq!(new.run.data, old.data);
    assert_eq!(new.run.critical_current_density, old.critical_current_density);
    let cycling = lab::CyclingExperiment {
        cell: lab::CellSpec::default(),
        current_density: 2.0,
        half_cycle_s: 3600.0,
        rest_s: 0.0,
        cycles: 2,
        samples_per_half_cycle: 60,
    };
    let new = lab::cycling_experiment(&p, &cycling).unwrap();
    let old = lab::galvanostatic_cycling(&cell, 2.0, 3600.0, 0.0, 2, 60.0, None).unwrap();
    assert_eq!(new.run.data, old.data);
    assert_eq!(new.cell.area, cell.area);
}

#[test]
fn transference_experiment_records_the_cell_and_seeds_its_noise() {
    let p = material("pvh-im");
    let clean = lab::transference_experiment(&p, &lab::TransferenceExperiment::default(), 1).unwrap();
    let cell = SymmetricCell::from_material(&p, 1000.0).unwrap();
    let ca = lab::chronoamperometry(&cell, 0.01, 4.0 * 3600.0, 5.0, None).unwrap();
    assert_eq!(clean.chronoamperogram, ca.data);
    let f = lab::log_frequencies(1e6, 1.0, 10);
    let eis = lab::impedance_spectrum(&cell, EisCell::Symmetric, &f, &EisOptions::default(), None).unwrap();
    assert_eq!(clean.spectra[0], eis);
    assert_eq!(clean.spectra[1], eis);

    let o = lab::TransferenceExperiment { relative_noise: 5e-4, ..Default::default() };
    let a = lab::transference_experiment(&p, &o, 2025).unwrap();
    let b = lab::transference_experiment(&p, &o, 2025).unwrap();
    let c = lab::transference_experiment(&p, &o, 2026).unwrap();
    assert_eq!(a.chronoamperogram, b.chronoamperogram);
    assert_eq!(a.spectra, b.spectra);
    assert_ne!(a.chronoamperogram.current(), c.chronoamperogram.current());
    // Before and after draw from different streams.
    assert_ne!(a.spectra[0].impedance(), a.spectra[1].impedance());
    // Relative current noise: every point within 6 sigma of the clean current, time and voltage kept.
    for (i, i0) in a.chronoamperogram.current().iter().zip(ca.data.current()) {
        assert!((i / i0 - 1.0).abs() < 6.0 * 5e-4, "{i} vs {i0}");
    }
    assert_eq!(a.chronoamperogram.time(), ca.data.time());
    assert_eq!(a.chronoamperogram.voltage(), ca.data.voltage());
}

#[test]
fn full_cell_rate_test_is_the_models_run() {
    let p = material("pvh-im");
    let mut experiment = lab::FullCellExperiment::new(CyclingProtocol::rate_capability(&[1.0], 1));
    experiment.model = ModelKind::Spm;
    let new = lab::full_cell_rate_test(&p, &experiment).unwrap();
    let cell = FullCell::from_material(&p, experiment.salt_concentration).unwrap();
    let old = ModelKind::Spm
        .run(&cell, ASSEMBLED_STOICHIOMETRY, &experiment.protocol, &experiment.recording)
        .unwrap();
    assert_eq!(new.record, old);
    assert_eq!(new.data, old.cycling_data().unwrap());
}
