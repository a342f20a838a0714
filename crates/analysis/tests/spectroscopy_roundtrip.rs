//! Round trips of the paper-level analyses on synthetic data made from the paper's numbers (these are
//! round trips, not measurements): Raman free-TFSI⁻ fractions 64 / 49 %, an F 1s depth series with
//! LiF 73.3 % at 10 nm, the DMF C=O shift 1655.1 → 1657.5 cm⁻¹, DSC melting peaks whose enthalpy gives
//! X_c = 19.2 / 34.1 %, and a two-step TGA with 14.3 wt% solvent. Seeded noise throughout.

use spelab_analysis::peaks::shapes::profile;
use spelab_analysis::peaks::spectroscopy::{
    ir_peaks, raman_speciation, xps_depth, IrOptions, RamanOptions, XpsOptions,
};
use spelab_analysis::peaks::Shape;
use spelab_analysis::thermal::{dsc_crystallinity, tga_steps, DscOptions, TgaOptions};
use spelab_core::measurement::TgaSignal;
use spelab_core::random::Rng;
use spelab_core::{Metadata, Spectrum, SpectrumAxis, Thermogram, ThermogramKind};

fn spectrum(x: Vec<f64>, y: Vec<f64>, axis: SpectrumAxis) -> Spectrum {
    Spectrum::from_display(x, y, axis, Metadata::default()).unwrap()
}

#[test]
fn raman_free_anion_fraction_of_the_paper_is_recovered() {
    for (seed, free) in [(1, 0.64), (2, 0.49)] {
        let mut rng = Rng::new(seed);
        let (cip, agg) = ((1.0 - free) * 0.7, (1.0 - free) * 0.3);
        let x: Vec<f64> = (0..361).map(|i| 700.0 + 0.25 * i as f64).collect();
        let y: Vec<f64> = x
            .iter()
            .map(|&v| {
                let bands = [(740.9, free), (744.2, cip), (748.7, agg)];
                50.0 + 0.1 * (v - 700.0)
                    + bands
                        .iter()
                        .map(|(c, a)| 5000.0 * a * profile(Shape::PseudoVoigt, v, *c, 5.0, 0.3)[0])
                        .sum::<f64>()
                    + 2.0 * rng.normal()
            })
            .collect();
        let r =
            raman_speciation(&spectrum(x, y, SpectrumAxis::Wavenumber), &RamanOptions::default()).unwrap();
        let (f, se) = r.free_anion_fraction;
        println!("free {f:.4} ± {se:.4} (truth {free})");
        // Within 3 SE of the truth (the linear baseline is exact here).
        assert!(((f - free) / se).abs() < 3.0);
    }
}

#[test]
fn xps_depth_series_recovers_the_lif_fraction_at_each_depth() {
    let depths = [(0.0, 0.40), (5e-9, 0.60), (10e-9, 0.733)];
    let mut owned = Vec::new();
    for (k, (depth, lif)) in depths.iter().enumerate() {
        let mut rng = Rng::new(100 + k as u64);
        let x: Vec<f64> = (0..161).map(|i| 692.0 - 0.0625 * i as f64).collect();
        let peaks: Vec<f64> = x
            .iter()
            .map(|&v| {
                20000.0
                    * (lif * profile(Shape::PseudoVoigt, v, 685.4, 1.7, 0.3)[0]
                        + (1.0 - lif) * profile(Shape::PseudoVoigt, v, 688.4, 1.7, 0.3)[0])
            })
            .collect();
        let y: Vec<f64> = peaks.iter().map(|p| 1000.0 + p + 10.0 * rng.normal()).collect();
        owned.push((*depth, spectrum(x, y, SpectrumAxis::BindingEnergy)));
    }
    let refs: Vec<(f64, &Spectrum)> = owned.iter().map(|(d, s)| (*d, s)).collect();
    let rows = xps_depth(
        &refs,
        &XpsOptions {
            background: spelab_analysis::peaks::spectroscopy::XpsBackground::Linear,
            ..XpsOptions::default()
        },
        "LiF",
    )
    .unwrap();
    for (row, (_, lif)) in rows.iter().zip(depths) {
        println!(
            "{:.0} nm: LiF {:.4} ± {:.4} (truth {lif})",
            row.depth * 1e9,
            row.fraction.0,
            row.fraction.1
        );
        // A flat background under well separated lines: within 1 % relative of the truth.
        assert!((row.fraction.0 / lif - 1.0).abs() < 0.01);
    }
}

#[test]
fn ir_carbonyl_shift_between_samples() {
    let make = |c: f64| {
        let x: Vec<f64> = (0..801).map(|i| 1500.0 + 0.5 * i as f64).collect();
        let y = x.iter().map(|&v| 0.02 + 0.5 * 8.0 * profile(Shape::Lorentzian, v, c, 8.0, 0.0)[0]).collect();
        spectrum(x, y, SpectrumAxis::Wavenumber)
    };
    let (a, b) = (make(1655.1), make(1657.5));
    let res = ir_peaks(&[("PVH", &a), ("PVH-IM", &b)], &IrOptions::default()).unwrap();
    let shift = res[1].bands[0].shift.unwrap();
    // Noise-free Lorentzians sampled every 0.5 cm⁻¹: the parabolic vertex is within 0.01 cm⁻¹.
    assert!((shift - 2.4).abs() < 0.02, "{shift}");
    assert!(res[0].bands[0].present && res[1].bands[0].present);
}

/// A DSC melting endotherm of enthalpy `dh` [J/kg] at 160 °C on a sloped baseline, 10 K/min.
fn dsc_trace(dh: f64, seed: u64) -> Thermogram {
    let mut rng = Rng::new(seed);
    let t: Vec<f64> = (0..1501).map(|i| 353.15 + 0.1 * i as f64).collect();
    let rate = 10.0 / 60.0;
    let time: Vec<f64> = t.iter().map(|v| (v - 353.15) / rate).collect();
    // Heat flow per mass [W/kg]: the peak in temperature has area dh · rate [W/kg·K].
    let q: Vec<f64> = t
        .iter()
        .map(|&v| {
            50.0 + 0.05 * (v - 353.15)
                + dh * rate * profile(Shape::Gaussian, v, 433.15, 8.0, 0.0)[0]
                + 0.02 * rng.normal()
        })
        .collect();
    Thermogram::new(t, q, ThermogramKind::DscSpecific, Metadata::default()).unwrap().with_time(time).unwrap()
}

#[test]
fn dsc_crystallinity_of_the_paper_is_recovered_within_one_percent() {
    // Assumptions (the paper gives X_c only): ΔH_m⁰ = 104.7 J/g, polymer mass fraction w = 0.5
    // (PVDF-HFP : LiTFSI 1 : 1 by mass); ΔH_m = X_c · w · ΔH_m⁰ = 10.05 J/g (PVH-IM), 17.85 J/g (PVH).
    for (seed, xc) in [(7, 0.192), (8, 0.341)] {
        let w = 0.5;
        let dh = xc * w * 104.7e3;
        let options = DscOptions { window: (403.15, 463.15), polymer_fraction: w, ..DscOptions::default() };
        let r = dsc_crystallinity(&dsc_trace(dh, seed), &options).unwrap();
        println!(
            "Xc {:.4} (truth {xc}), Tm {:.2} C, onset {:.2} C",
            r.crystallinity,
            r.peak_temperature - 273.15,
            r.onset_temperature - 273.15
        );
        assert!((r.crystallinity / xc - 1.0).abs() < 0.01);
    }
}

#[test]
fn tga_two_step_solvent_content_is_recovered() {
    // 14.3 wt% solvent lost around 150 °C, then 60 % decomposition around 450 °C.
    let t: Vec<f64> = (0..2401).map(|i| 303.15 + 0.25 * i as f64).collect();
    let step = |v: f64, c: f64, w: f64| 1.0 / (1.0 + (-(v - c) / w).exp());
    let m: Vec<f64> =
        t.iter().map(|&v| 1.0 - 0.143 * step(v, 423.15, 8.0) - 0.60 * step(v, 723.15, 10.0)).collect();
    let tg =
        Thermogram::new(t, m, ThermogramKind::Tga(TgaSignal::MassFraction), Metadata::default()).unwrap();
    let r = tga_steps(&tg, &TgaOptions::default()).unwrap();
    let solvent = r.residual_solvent_content.unwrap();
    println!(
        "steps {:?}, solvent {solvent}",
        r.steps.iter().map(|s| (s.from - 273.15, s.to - 273.15, s.loss)).collect::<Vec<_>>()
    );
    // Boundary at the DTG maximum between the steps: the tails leave < 0.05 wt%.
    assert!((solvent - 0.143).abs() < 5e-4);
}
