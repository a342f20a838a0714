//! Virtual-lab round trips: spelab-sim's 1D Li|SPE|Li model of each preset recorded by its virtual
//! instruments, then analysed by the same spelab-analysis code that reads measured files; the
//! recovered parameter is compared with the preset's input.

use spelab_analysis::arrhenius::fit_arrhenius;
use spelab_analysis::exchange::{exchange_current, TafelOptions};
use spelab_analysis::transference::{transference_number, Resistances, SteadyStateOptions, Value};
use spelab_sim::lab::{self, EisCell, EisOptions};
use spelab_sim::params::{self, MaterialParams};
use spelab_sim::symmetric::SymmetricCell;

const PRESETS: [&str; 2] = ["pvh", "pvh-im"];

fn material(id: &str) -> MaterialParams {
    params::preset(id).unwrap().material_params().unwrap()
}

fn cell(p: &MaterialParams) -> SymmetricCell {
    SymmetricCell::from_material(p, 1000.0).unwrap()
}

/// Bruce-Vincent t₊ from a 4 h simulated chronoamperogram at `dv` [V], with the model's R_b and
/// R_i = 2 R_ct at rest as the EIS resistances (R_ss = R₀).
fn bruce_vincent(cell: &SymmetricCell, dv: f64) -> f64 {
    let rb = lab::bulk_resistance(cell);
    let ri = 2.0 * lab::charge_transfer_resistance(cell);
    let ca = lab::chronoamperometry(cell, dv, 4.0 * 3600.0, 5.0, None).unwrap();
    let r = transference_number(
        ca.data.time(),
        ca.data.current(),
        Value::exact(dv),
        Some(Resistances {
            bulk_initial: Value::exact(rb),
            interface_initial: Value::exact(ri),
            interface_steady: Value::exact(ri),
        }),
        &SteadyStateOptions::default(),
    )
    .unwrap();
    r.bruce_vincent_computed_i0.unwrap().value
}

/// The known bias of Bruce-Vincent on an ideal (dilute, constant-property) electrolyte: the method
/// linearises the cell, so at finite ΔV the sinh kinetics, the √c dependence of j₀ at the depleted
/// and enriched faces and ln c in the diffusion potential leave an overestimate of order ΔV².
/// Asserted: at 1 mV t₊ is recovered within 0.2 %; at the paper's 10 mV the bias is positive and
/// ≈ 100× the 1 mV bias (quadratic; observed 100× PVH, 107× PVH-IM), i.e. +0.8 % PVH and +7.5 %
/// PVH-IM (where R_i ≫ R_b and t₊ is larger).
#[test]
fn bruce_vincent_recovers_t_plus_within_its_quadratic_finite_voltage_bias() {
    for id in PRESETS {
        let p = material(id);
        let c = cell(&p);
        let t = p.transference_number;
        let small = bruce_vincent(&c, 1e-3);
        assert!((small - t).abs() / t < 2e-3, "{id}: t+ {small} at 1 mV vs input {t}");
        let paper = bruce_vincent(&c, 1e-2);
        let (b1, b10) = (small - t, paper - t);
        assert!(b1 > 0.0 && b10 > 0.0, "{id}: biases {b1} {b10}");
        let ratio = b10 / b1;
        assert!((80.0..130.0).contains(&ratio), "{id}: bias ratio 10 mV / 1 mV = {ratio}, expected ≈ 100");
        assert!(b10 / t < 0.1, "{id}: 10 mV bias {b10}");
    }
}

/// A fast (1 V/s), short (0 → 0.3 V) simulated sweep, iR-corrected with the model's R_b and fitted
/// with the symmetric Butler-Volmer form, recovers the preset i₀ within 2 % (observed −0.8 % PVH,
/// −0.2 % PVH-IM; the residue is the salt's concentration polarization during the 0.3 s sweep).
#[test]
fn fast_sweep_butler_volmer_fit_recovers_i0_within_2_percent() {
    for id in PRESETS {
        let p = material(id);
        let c = cell(&p);
        let sweep = lab::linear_sweep(&c, 0.3, 1.0, 0.003, None).unwrap();
        let j: Vec<f64> = sweep.data.current().iter().map(|i| i / c.area).collect();
        let rb_asr = lab::bulk_resistance(&c) * c.area;
        let fit =
            exchange_current(sweep.data.voltage(), &j, c.temperature, Some(rb_asr), &TafelOptions::default())
                .unwrap();
        let i0 = fit.corrected.unwrap().bv_symmetric.i0;
        let input = p.exchange_current_density;
        assert!((i0 - input).abs() / input < 0.02, "{id}: i0 {i0} vs input {input}");
    }
}

/// σ(T) from the simulated blocking-cell (SS|SPE|SS) spectrum, R_b read at the real-axis minimum
/// (smallest −Z'', between the bulk arc and the blocking spike) — a stand-in until the EIS fitting
/// engine lands — at 0 … 80 °C, through the Arrhenius fit, recovers the preset Ea within 2 %.
#[test]
fn blocking_eis_real_axis_minimum_through_arrhenius_recovers_ea_within_2_percent() {
    let frequencies = lab::log_frequencies(1e7, 1e-2, 20);
    for id in PRESETS {
        let p = material(id);
        let base = cell(&p);
        let temperatures: Vec<f64> = (0..=8).map(|k| 273.15 + 10.0 * k as f64).collect();
        let sigma: Vec<f64> = temperatures
            .iter()
            .map(|&t| {
                let c = base.clone().at_temperature(t);
                let s = lab::impedance_spectrum(
                    &c,
                    EisCell::Blocking,
                    &frequencies,
                    &EisOptions::default(),
                    None,
                )
                .unwrap();
                let z =
                    s.impedance().iter().min_by(|a, b| a.im.abs().total_cmp(&b.im.abs())).copied().unwrap();
                c.thickness / (z.re * c.area)
            })
            .collect();
        let fit = fit_arrhenius(&temperatures, &sigma).unwrap();
        let input = p.activation_energy;
        let ea = fit.activation_energy;
        assert!((ea - input).abs() / input < 0.02, "{id}: Ea {ea} vs input {input} J/mol");
    }
}

/// The simulated blocking-cell DC polarization (0.5 V, 6 h) through the measured-data analysis
/// recovers the preset σ_e within 0.1 % (the double-layer transient has τ < 1 ms; the plateau is exact).
#[test]
fn blocking_dc_polarization_recovers_sigma_e() {
    use spelab_analysis::electronic::{electronic_conductivity_from_series, DcPolarizationSetup};
    for id in PRESETS {
        let p = material(id);
        let c = cell(&p);
        let ts = lab::blocking_dc_polarization(
            &c,
            &EisOptions::default(),
            p.electronic_conductivity,
            0.5,
            6.0 * 3600.0,
            5.0,
        )
        .unwrap();
        let setup = DcPolarizationSetup {
            voltage: Value::exact(0.5),
            thickness: Value::exact(c.thickness),
            area: Value::exact(c.area),
        };
        let r =
            electronic_conductivity_from_series(&ts, &setup, None, &SteadyStateOptions::default()).unwrap();
        let input = p.electronic_conductivity;
        let s = r.conductivity.value;
        assert!((s - input).abs() / input < 1e-3, "{id}: σ_e {s} vs input {input}");
    }
}
