//! DSC, TGA and FT-IR files of `../shared/data/spectra/` against their `expected/*.json`: DSC
//! enthalpy within 1 % relative and peak temperature within 0.05 K, TGA step losses within 0.05 wt%,
//! FT-IR band positions within 0.05 cm⁻¹ (the tolerances).

use serde_json::Value;
use spelab_analysis::peaks::find_peaks;
use spelab_analysis::thermal::{dsc_crystallinity, tga_steps, DscOptions, DtgMethod, TgaOptions};
use spelab_io::spectra::{read_spectral_path, SpectralFile};
use spelab_testkit::shared_data;

const C0: f64 = 273.15;

fn load(rel: &str, name: &str) -> Option<(SpectralFile, Value)> {
    let data = shared_data(&format!("spectra/{rel}"))?;
    let exp = shared_data(&format!("spectra/expected/{name}.json"))?;
    let v = serde_json::from_str(&std::fs::read_to_string(exp).unwrap()).unwrap();
    Some((read_spectral_path(&data).unwrap(), v))
}

#[test]
fn dsc_endotherm_area_and_peak_match_the_reference() {
    for (rel, name) in [
        ("dsc/NIST_DSC_N2_10K_1.csv", "NIST_DSC_N2_10K_1.csv"),
        ("dsc/FSRI_DSC_N2_10K_1.csv", "FSRI_DSC_N2_10K_1.csv"),
    ] {
        let Some((file, e)) = load(rel, name) else { return };
        let r = &e["reference_integration"];
        let options = DscOptions { window: (250.0 + C0, 440.0 + C0), ..DscOptions::default() };
        let res = dsc_crystallinity(file.blocks[0].thermogram().unwrap(), &options).unwrap();
        let dh = r["dH_J_per_g_time_integral"].as_f64().unwrap();
        let dh_t = r["dH_J_per_g_temperature_integral_over_mean_rate"].as_f64().unwrap();
        let tp = r["peak_temperature_C"].as_f64().unwrap();
        println!(
            "{name}: dH {:.4} vs {dh:.4} J/g, T-integral {:.4} vs {dh_t:.4}, peak {:.3} vs {tp:.3} C, onset {:.2} C",
            res.enthalpy / 1e3,
            res.enthalpy_temperature_integral / 1e3,
            res.peak_temperature - C0,
            res.onset_temperature - C0
        );
        // Same trapezoid sums over the same points: agreement to rounding (1e-9), far inside 1 %.
        assert!((res.enthalpy / 1e3 / dh - 1.0).abs() < 1e-9);
        assert!((res.enthalpy_temperature_integral / 1e3 / dh_t - 1.0).abs() < 1e-9);
        assert!((res.peak_temperature - C0 - tp).abs() < 0.05);
    }
}

fn check_steps(name: &str, res: &spelab_analysis::thermal::TgaResult, e: &Value) {
    let refs = e["reference"]["step_losses"].as_array().unwrap();
    for (s, r) in res.steps.iter().zip(refs) {
        let want = r["mass_loss_pct_points"].as_f64().unwrap();
        println!("{name}: {:.2}-{:.2} C loss {:.5} vs {want:.5} %", s.from - C0, s.to - C0, s.loss);
        // The tolerance: 0.05 wt%.
        assert!((s.loss - want).abs() < 0.05, "{name} step {:?}", (s.from, s.to));
    }
}

#[test]
fn tga_netzsch_steps_and_dtg_peaks() {
    for name in ["netzsch_example_file.txt", "netzsch2_example_file.txt"] {
        let Some((file, e)) = load(&format!("tga/{name}"), name) else { return };
        let temps: Vec<f64> = e["reference"]["mass_at_temperatures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["T_C"].as_f64().unwrap() + C0)
            .collect();
        let options = TgaOptions { boundaries: Some(temps), ..TgaOptions::default() };
        let res = tga_steps(file.blocks[0].thermogram().unwrap(), &options).unwrap();
        check_steps(name, &res, &e);
        assert!((res.residue - e["reference"]["residue_pct_at_last_point"].as_f64().unwrap()).abs() < 1e-9);
        for p in e["reference"]["dtg"]["peaks"].as_array().unwrap() {
            let w = p["search_window_C"].as_array().unwrap();
            let (lo, hi) = (w[0].as_f64().unwrap() + C0, w[1].as_f64().unwrap() + C0);
            let k = (0..res.temperature.len())
                .filter(|&i| res.temperature[i] >= lo && res.temperature[i] <= hi)
                .min_by(|&a, &b| res.dtg[a].total_cmp(&res.dtg[b]))
                .unwrap();
            let want = p["T_peak_C"].as_f64().unwrap();
            println!("{name}: DTG peak {:.3} vs {want:.3} C", res.temperature[k] - C0);
            assert!((res.temperature[k] - C0 - want).abs() < 0.05);
            assert!((res.dtg[k] - p["dtg_min"].as_f64().unwrap()).abs() < 1e-9);
        }
        // Automatic boundaries (DTG maxima between loss peaks) find the big step too.
        let auto = tga_steps(file.blocks[0].thermogram().unwrap(), &TgaOptions::default()).unwrap();
        assert!(auto.steps.iter().any(|s| s.loss > 60.0), "{:?}", auto.steps);
    }
}

#[test]
fn tga_pyris_segment_4_percent_of_the_first_recorded_mass() {
    let Some((file, e)) = load("tga/PVC.txt", "PVC.txt") else { return };
    let m0 = file.blocks[0].thermogram().unwrap().signal()[0];
    let seg = file.block("4) TGA Temperature Scan").unwrap().thermogram().unwrap();
    let temps: Vec<f64> = e["reference"]["mass_at_temperatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["T_C"].as_f64().unwrap() + C0)
        .collect();
    let options = TgaOptions {
        boundaries: Some(temps),
        reference: Some(m0),
        dtg: DtgMethod::SavitzkyGolay { window: 101 },
        ..TgaOptions::default()
    };
    let res = tga_steps(seg, &options).unwrap();
    check_steps("PVC", &res, &e);
    for (p, step) in e["reference"]["dtg"]["peaks"].as_array().unwrap().iter().zip(&res.steps[1..]) {
        let want = p["T_peak_C"].as_f64().unwrap();
        println!(
            "PVC DTG peak {:.2} vs {want:.2} C ({:.4} vs {:.4} %/min)",
            step.dtg_peak_temperature - C0,
            step.dtg_peak,
            p["dtg_min"]
        );
        // Savitzky-Golay over 101 points: same filter; 0.5 K allows the edge handling to differ.
        assert!((step.dtg_peak_temperature - C0 - want).abs() < 0.5);
    }
}

#[test]
fn ftir_band_positions_by_prominence_and_parabolic_vertex() {
    for (rel, name, prominence, absorbance) in [
        ("ftir/fitr_nitrocellulose.jdx", "fitr_nitrocellulose.jdx", 0.05, true),
        ("ftir/ftir_ldpe_soil.asp", "ftir_ldpe_soil.asp", 0.01, false),
        ("ftir/ftir_pva_without_header.csv", "ftir_pva_without_header.csv", 0.005, false),
    ] {
        let Some((file, e)) = load(rel, name) else { return };
        let s = file.blocks[0].spectrum().unwrap().to_ascending();
        let mut x = s.x_display();
        let mut y: Vec<f64> =
            if absorbance { s.y().iter().map(|r| -r.log10()).collect() } else { s.y().to_vec() };
        let w = e["reference"]["window_cm-1"].as_array().unwrap();
        let (lo, hi) = (w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
        let keep: Vec<bool> = x.iter().map(|v| *v >= lo && *v <= hi).collect();
        let mut k = keep.iter();
        x.retain(|_| *k.next().unwrap());
        let mut k = keep.iter();
        y.retain(|_| *k.next().unwrap());
        let peaks = find_peaks(&x, &y, prominence);
        let refs = e["reference"]["peaks"].as_array().unwrap();
        assert_eq!(
            peaks.len(),
            refs.len(),
            "{name}: {:?}",
            peaks.iter().map(|p| p.position).collect::<Vec<_>>()
        );
        for (p, r) in peaks.iter().zip(refs) {
            let want = r["position_parabolic_cm-1"].as_f64().unwrap();
            assert!((p.position - want).abs() < 0.05, "{name}: {} vs {want}", p.position);
            assert!((p.prominence - r["prominence"].as_f64().unwrap()).abs() < 1e-9);
        }
        println!("{name}: {} bands, all within 0.05 cm-1", peaks.len());
    }
}
