//! The full-cell SPM against PyBaMM's SPM on the same parameters and mesh (20 shells):
//! `shared/data/pybamm/curves/spm_{liquid,spe_A,spe_B}_L80_{0.1C,0.2C,0.5C,1C}.csv` and the
//! capacities of `rate_summary.json` (IDAKLU rtol 1e-4; CSV voltages carry 6 significant digits).
//! The files carry no license, so they are read in place through `spelab_testkit::shared_data`.
//! Achieved (12 curves, 200 rows each): max |dV| = 0.16 mV (bound 1 mV), max |dQ| = 0.033 mAh/g (bound
//! 0.05 mAh/g).

use spelab_sim::fullcell::{FullCell, FullCellModel, Limits, ReferenceElectrolyte, SegmentEnd, Spm};

/// Rows (time [s], capacity [mAh/g], voltage [V]) of a curve.
fn read(name: &str) -> Option<Vec<[f64; 3]>> {
    let path = spelab_testkit::shared_data(&format!("pybamm/curves/{name}"))?;
    let text = std::fs::read_to_string(path).unwrap();
    Some(
        text.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
                [v[0], v[1], v[2]]
            })
            .collect(),
    )
}

/// PyBaMM's SPM capacity of a case at a C-rate from `rate_summary.json` [mAh/g].
fn capacity(summary: &serde_json::Value, electrolyte: &str, c_rate: f64) -> f64 {
    summary["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["model"] == "SPM" && c["electrolyte"] == electrolyte && c["C_rate"].as_f64() == Some(c_rate)
        })
        .unwrap_or_else(|| panic!("SPM {electrolyte} {c_rate}C in rate_summary.json"))["capacity_mAh_per_g"]
        .as_f64()
        .unwrap()
}

const CASES: [&str; 3] = ["liquid", "spe_A", "spe_B"];
const RATES: [(&str, f64); 4] = [("0.1C", 0.1), ("0.2C", 0.2), ("0.5C", 0.5), ("1C", 1.0)];

#[test]
fn spm_matches_pybamm_voltage_and_capacity() {
    let limits = Limits { voltage_min: 2.5, voltage_max: 4.0, electrolyte_min: 1.0 };
    let Some(path) = spelab_testkit::shared_data("pybamm/rate_summary.json") else { return };
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut worst_v, mut worst_q): (f64, f64) = (0.0, 0.0);
    for case in CASES {
        let electrolyte = match case {
            "liquid" => ReferenceElectrolyte::Liquid,
            "spe_A" => ReferenceElectrolyte::SpeA,
            _ => ReferenceElectrolyte::SpeB,
        };
        let cell = FullCell::prada2013(electrolyte).unwrap();
        for (label, c_rate) in RATES {
            let cap = capacity(&summary, case, c_rate);
            let Some(rows) = read(&format!("spm_{case}_L80_{label}.csv")) else { return };
            let i = c_rate * cell.one_c_current_density();
            // Voltage at PyBaMM's output times (all but the final event row), by exact stepping.
            let mut spm = Spm::new(&cell, 0.0038, 20).unwrap();
            let mut t = 0.0;
            for r in &rows[..rows.len() - 1] {
                let end = spm.advance(i, r[0] - t, &limits, &mut |_| {}).unwrap();
                assert_eq!(end, SegmentEnd::Duration, "{case} {label} t = {}", r[0]);
                t = r[0];
                let s = spm.sample();
                let dv = (s.voltage - r[2]).abs();
                worst_v = worst_v.max(dv);
                assert!(dv <= 1e-3, "{case} {label} t = {}: V {} vs PyBaMM {}", r[0], s.voltage, r[2]);
            }
            // Capacity at the 2.5 V event.
            let mut spm = Spm::new(&cell, 0.0038, 20).unwrap();
            let end = spm.advance(i, 2e5, &limits, &mut |_| {}).unwrap();
            assert_eq!(end, SegmentEnd::VoltageMin);
            let q = cell.specific_capacity_mah_g(spm.sample().charge);
            worst_q = worst_q.max((q - cap).abs());
            assert!((q - cap).abs() <= 0.05, "{case} {label}: {q} vs PyBaMM {cap} mAh/g");
            assert!((spm.sample().voltage - 2.5).abs() < 1e-4);
        }
    }
    eprintln!("SPM vs PyBaMM: max |dV| = {:.3} mV, max |dQ| = {:.4} mAh/g", worst_v * 1e3, worst_q);
}
