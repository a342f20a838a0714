//! The symmetric-cell model against the reference curves in `shared/data/pybamm/symmetric/`
//! (scipy BDF rtol 1e-9 on the same FV mesh, N = 400, by `scripts/symmetric.py`). The files carry
//! no license, so they are read in place through `spelab_testkit::shared_data`, never copied.

use std::sync::Arc;

use spelab_sim::symmetric::{
    simulate, ArrheniusTransport, ButlerVolmer, FilmGrowth, Protocol, Sampling, SolverOptions, StopReason,
    SymmetricCell,
};

fn spe(name: &str) -> SymmetricCell {
    let (kappa, d, tp) = match name {
        "spe_A" => (0.123, 1.636996571210512e-11, 0.49),
        "spe_B" => (0.036, 2.9506488133903063e-12, 0.19),
        _ => unreachable!(),
    };
    SymmetricCell::new(
        1e-4,
        1000.0,
        Arc::new(ArrheniusTransport::constant(kappa, d, tp)),
        ButlerVolmer::symmetric(1.0, 1000.0),
    )
}

/// Rows of (time, J, voltage, c(0), c(L)) from a reference CSV.
fn read(name: &str) -> Option<Vec<[f64; 5]>> {
    let path = spelab_testkit::shared_data(&format!("pybamm/symmetric/{name}"))?;
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (it, ij, iv, i0, il) =
        (col("time_s"), col("J_A_m2"), col("voltage_V"), col("c_x0_mol_m3"), col("c_xL_mol_m3"));
    Some(
        lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
                [v[it], v[ij], v[iv], v[i0], v[il]]
            })
            .collect(),
    )
}

/// Largest |ΔU| over rows whose plating-face concentration is above `c_min` [V], and the number
/// compared.
fn compare(
    cell: &SymmetricCell,
    name: &str,
    protocol: Protocol,
    c_min: f64,
    skip: impl Fn(f64) -> bool,
) -> Option<(f64, usize)> {
    let rows = read(name)?;
    let times: Vec<f64> = rows.iter().map(|r| r[0]).filter(|t| !skip(*t)).collect();
    let o = SolverOptions { cells: 400, sampling: Sampling::Times(times), ..Default::default() };
    let sim = simulate(cell, &protocol, &o).unwrap();
    let mut worst: f64 = 0.0;
    let mut n = 0;
    for s in &sim.samples {
        let r = rows.iter().find(|r| (r[0] - s.time_s).abs() < 1e-9 * r[0].max(1.0)).unwrap();
        if r[3].min(r[4]) < c_min {
            continue;
        }
        worst = worst.max((s.voltage.voltage - r[2]).abs());
        n += 1;
    }
    eprintln!("{name}: max |dU| {worst:e} V over {n} rows");
    Some((worst, n))
}

#[test]
fn polarisation_curves_match_reference_within_0_1_mv() {
    for (name, case, j) in [
        ("polarisation_spe_A_J10.csv", "spe_A", 10.0),
        ("polarisation_spe_B_J5.csv", "spe_B", 5.0),
        ("polarisation_spe_B_J10.csv", "spe_B", 10.0),
        ("polarisation_spe_B_J20.csv", "spe_B", 20.0),
        ("polarisation_spe_A_J100.csv", "spe_A", 100.0),
    ] {
        let cell = spe(case);
        let protocol = Protocol::ConstantCurrent { current_density: j, duration_s: 10800.0 };
        // All rows are compared, up to the last one before depletion (c_face ≈ 0.2 mol/m³, where
        // dU/dt ≈ 0.5 V/s); the files print 7 significant digits (≤ 0.05 µV on U).
        let Some((worst, n)) = compare(&cell, name, protocol, 0.0, |_| false) else { return };
        assert!(n > 300, "{name}: only {n} rows compared");
        // The tolerance: 0.1 mV.
        assert!(worst < 1e-4, "{name}: max |dU| = {worst:e} V over {n} rows");
    }
}

#[test]
fn cycling_with_parabolic_film_growth_matches_reference_within_0_1_mv() {
    let mut cell = spe("spe_A");
    cell.film = FilmGrowth::Parabolic { r0: 1e-3, tau_s: 18000.0 };
    let protocol = Protocol::Cycling { current_density: 1.0, half_cycle_s: 3600.0, rest_s: 0.0, cycles: 5 };
    // Rows at the current switches exist twice (both currents); they are skipped. This run once
    // stalled: a sample time equal to the state time at t ≈ 1.6e4 s, where t + 1e-12 == t.
    let on_switch = |t: f64| (t / 3600.0 - (t / 3600.0).round()).abs() < 1e-9 && t > 0.0;
    let Some((worst, n)) = compare(&cell, "cycling_spe_A_J1_Rgrowth.csv", protocol.clone(), 0.0, on_switch)
    else {
        return;
    };
    assert!(n > 400, "only {n} rows");
    assert!(worst < 1e-4, "max |dU| = {worst:e} V");
    // summary.json: U at the end of the first and last half-cycles.
    let sim = simulate(&cell, &protocol, &SolverOptions { cells: 400, ..Default::default() }).unwrap();
    assert_eq!(sim.stop, StopReason::Completed);
    let at = |t: f64, j: f64| {
        sim.samples
            .iter()
            .find(|s| (s.time_s - t).abs() < 1e-9 && s.current_density == j)
            .unwrap()
            .voltage
            .voltage
    };
    assert!((at(3600.0, 1.0) - 0.05330864917420186).abs() < 1e-4);
    assert!((at(36000.0, -1.0) - -0.054581860558882866).abs() < 1e-4);
}
