//! Tests of the built-in material presets against the reference paper (Liu, Pan et al.,
//! Nano-Micro Lett. 17:249 (2025)) and of the material-file schema.

use spelab_core::constants::{EV_PER_PARTICLE_IN_J_PER_MOL, HOUR};
use spelab_core::metric::Conditions;
use spelab_core::units::Quantity;
use spelab_core::MetricId;
use spelab_sim::params::{
    all_presets, is_valid_key, key_matches_unit, preset, preset_from_toml, preset_ids, unit_key_suffix,
    ParamsError, Preset, CONDITION_KEYS,
};

/// Unit conversions here are a few decimal scalings, so 1e-12 relative leaves room only for f64
/// rounding.
const REL: f64 = 1e-12;

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= REL * expected.abs().max(f64::MIN_POSITIVE)
}

fn conditions(pairs: &[(&str, f64)]) -> Conditions {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn si(preset: &Preset, key: &str) -> f64 {
    preset.get(key).unwrap_or_else(|| panic!("{} lacks {key}", preset.id)).si_value
}

#[test]
fn built_in_presets_parse_in_id_order() {
    let presets = all_presets().expect("embedded presets parse");
    let ids: Vec<&str> = presets.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, preset_ids());
    assert_eq!(ids, ["pvh", "pvh-im"]);
    for p in &presets {
        assert!(!p.name.is_empty() && !p.description.is_empty());
        assert!(p.reference.contains("10.1007/s40820-025-01760-x"));
        assert!(p.values.len() > 30, "{} has only {} values", p.id, p.values.len());
    }
}

#[test]
fn preset_ids_are_case_insensitive() {
    assert_eq!(preset("PVH-IM").unwrap().id, "pvh-im");
    assert_eq!(preset("pvh-im").unwrap().name, "PVH-IM");
    assert_eq!(preset("Pvh").unwrap().id, "pvh");
}

#[test]
fn unknown_preset_names_the_known_ids() {
    let err = preset("pvx").unwrap_err();
    assert_eq!(err.to_string(), "unknown material preset 'pvx'; known: pvh, pvh-im");
    assert!(matches!(err, ParamsError::UnknownPreset { ref known, .. } if known.len() == 2));
}

#[test]
fn every_value_converts_to_si() {
    for p in all_presets().unwrap() {
        for v in &p.values {
            assert!(v.si_value.is_finite(), "{}.{}", p.id, v.key);
            match (v.quantity, v.unit.as_str()) {
                (Quantity::Dimensionless, _) => assert_eq!(v.si_value, v.value, "{}", v.key),
                (Quantity::Fraction, "%" | "wt%") => assert!(close(v.si_value, v.value / 100.0), "{}", v.key),
                (Quantity::Time, "h") => assert!(close(v.si_value, v.value * HOUR), "{}", v.key),
                (Quantity::Time, "s") | (Quantity::Voltage, "V") => assert_eq!(v.si_value, v.value),
                (Quantity::SpecificCapacity, "mAh/g") => {
                    // 1 mAh/g = 3.6 C/g = 3600 C/kg.
                    assert!(close(v.si_value, v.value * 3600.0), "{}", v.key)
                }
                (Quantity::ActivationEnergy, "eV") => {
                    assert!(close(v.si_value, v.value * EV_PER_PARTICLE_IN_J_PER_MOL), "{}", v.key)
                }
                (Quantity::Conductivity, "S/cm") => assert!(close(v.si_value, v.value * 100.0)),
                (Quantity::CurrentDensity, "mA/cm2") => assert!(close(v.si_value, v.value * 10.0)),
                (Quantity::CurrentDensity, "uA/cm2") => assert!(close(v.si_value, v.value * 0.01)),
                (Quantity::Voltage, "mV") => assert!(close(v.si_value, v.value * 1e-3)),
                (Quantity::ArealCapacity, "mAh/cm2") => {
                    // 1 mAh/cm² = 3.6 C / 1e-4 m² = 36000 C/m².
                    assert!(close(v.si_value, v.value * 36_000.0), "{}", v.key)
                }
                (Quantity::Length, "um") => assert!(close(v.si_value, v.value * 1e-6)),
                (Quantity::Wavenumber, "cm-1") => assert!(close(v.si_value, v.value * 100.0), "{}", v.key),
                (Quantity::Length, "nm") => assert!(close(v.si_value, v.value * 1e-9)),
                (Quantity::Temperature, "degC") => assert!(close(v.si_value, v.value + 273.15)),
                (q, u) => panic!("{}.{}: no check for {q:?} in '{u}'", p.id, v.key),
            }
        }
    }
}

#[test]
fn spot_checks_against_the_paper() {
    let im = preset("pvh-im").unwrap();
    let pvh = preset("pvh").unwrap();
    let sigma = im.get("ionic_conductivity_25c_s_cm").unwrap();
    assert_eq!((sigma.value, sigma.unit.as_str()), (1.23e-3, "S/cm"));
    let checks: [(&Preset, &str, f64); 16] = [
        (&im, "ionic_conductivity_25c_s_cm", 0.123),
        (&im, "activation_energy_ev", 0.18 * 96_485.332_123_31),
        (&im, "exchange_current_density_ma_cm2", 0.67),
        (&im, "critical_current_density_ma_cm2", 17.0),
        (&im, "specific_capacity_0p1c_mah_g", 510_120.0),
        (&im, "crystallinity_percent", 0.192),
        (&im, "transference_number", 0.49),
        (&im, "electronic_conductivity_25c_s_cm", 1.8e-7),
        (&im, "cycle_life_0p2ma_cm2_h", 5550.0 * 3600.0),
        (&im, "cumulative_capacity_0p2ma_cm2_mah_cm2", 1110.0 * 36_000.0),
        (&im, "capacity_retention_0p5c_cycle280_percent", 0.8),
        (&im, "thickness_um", 1e-4),
        (&pvh, "ionic_conductivity_25c_s_cm", 0.036),
        (&pvh, "exchange_current_density_ma_cm2", 0.49),
        (&pvh, "cycle_life_0p2ma_cm2_h", 34.0 * 3600.0),
        (&pvh, "free_tfsi_fraction_percent", 0.49),
    ];
    for (p, key, expected) in checks {
        assert!(close(si(p, key), expected), "{}.{key}: {} vs {expected}", p.id, si(p, key));
    }
    // 25 °C: 25 + 273.15 rounds to the double nearest 298.15 within one ulp.
    assert!(close(si(&im, "temperature_c"), 298.15));
}

#[test]
fn keys_follow_the_unit_rule() {
    let rule = [
        ("S/cm", "s_cm"),
        ("eV", "ev"),
        ("mA/cm2", "ma_cm2"),
        ("mAh/g", "mah_g"),
        ("mAh/cm2", "mah_cm2"),
        ("%", "percent"),
        ("wt%", "wt_percent"),
        ("cm-1", "cm_inv"),
        ("h", "h"),
        ("V", "v"),
        ("degC", "c"),
        ("µm", "um"),
        ("Å", "angstrom"),
        ("1", ""),
    ];
    for (unit, suffix) in rule {
        assert_eq!(unit_key_suffix(unit), suffix, "{unit}");
    }
    assert!(key_matches_unit("cycle_life_0p2ma_cm2_h", "h"));
    assert!(!key_matches_unit("ionic_conductivity_s_m", "S/cm"));
    assert!(!is_valid_key("cycle_life_0.2ma_cm2_h"), "decimal point must be written as p");
    assert!(!is_valid_key("Ionic_conductivity_s_cm"));
    for p in all_presets().unwrap() {
        for v in &p.values {
            assert!(is_valid_key(&v.key), "{}.{}", p.id, v.key);
            assert!(key_matches_unit(&v.key, &v.unit), "{}.{} vs '{}'", p.id, v.key, v.unit);
            for name in v.conditions.keys() {
                assert!(CONDITION_KEYS.contains(&name.as_str()), "{}: {name}", v.key);
            }
        }
    }
}

#[test]
fn every_metric_the_paper_reports_appears() {
    use MetricId::*;
    let common = [
        IonicConductivity,
        ActivationEnergy,
        TransferenceNumber,
        ElectronicConductivity,
        ExchangeCurrentDensity,
        CriticalCurrentDensity,
        CycleLife,
        OxidationOnset,
        Crystallinity,
        ResidualSolventContent,
        FreeAnionFraction,
        LifFraction,
        SpecificCapacity,
        CapacityRetention,
        BandPosition,
    ];
    for p in all_presets().unwrap() {
        let mut expected = common.to_vec();
        if p.id == "pvh-im" {
            expected.push(CumulativeCapacity);
        }
        for metric in MetricId::ALL {
            let present = p.paper_values().any(|v| v.metric == Some(metric));
            // The paper gives Coulombic efficiencies only as curves (Figs. S24, S27), no numbers.
            assert_eq!(present, expected.contains(&metric), "{}: {metric}", p.id);
        }
    }
}

#[test]
fn paper_value_lookup_uses_conditions() {
    let im = preset("pvh-im").unwrap();
    let pvh = preset("pvh").unwrap();
    // Pairing with the paper: the same condition keys, equal values.
    let exact =
        |p: &Preset, m: MetricId, c: &[(&str, f64)]| p.paper_value(m, &conditions(c)).map(|v| v.key.clone());
    // Choosing a model input: keys present in both agree; the most shared keys win.
    let input = |p: &Preset, m: MetricId, c: &[(&str, f64)]| {
        p.input_paper_value(m, &conditions(c)).map(|v| v.key.clone())
    };
    let key = |s: &str| Some(s.to_string());
    let t = ("temperature_K", 298.15);
    use MetricId::*;
    assert_eq!(exact(&im, SpecificCapacity, &[t, ("c_rate", 0.5)]), key("specific_capacity_0p5c_mah_g"));
    assert_eq!(exact(&im, SpecificCapacity, &[t, ("c_rate", 0.1)]), key("specific_capacity_0p1c_mah_g"));
    assert_eq!(exact(&im, SpecificCapacity, &[("c_rate", 0.1)]), None, "a missing key is no match");
    assert_eq!(input(&im, SpecificCapacity, &[("c_rate", 0.1)]), key("specific_capacity_0p1c_mah_g"));
    assert_eq!(
        exact(&im, SpecificCapacity, &[t, ("c_rate", 0.1), ("cycle", 130.0)]),
        key("specific_capacity_0p1c_cycle130_mah_g")
    );
    assert_eq!(
        input(&im, SpecificCapacity, &[("c_rate", 0.1), ("cycle", 130.0)]),
        key("specific_capacity_0p1c_cycle130_mah_g")
    );
    assert_eq!(exact(&pvh, SpecificCapacity, &[t, ("c_rate", 0.1)]), key("specific_capacity_0p1c_mah_g"));
    assert_eq!(exact(&im, CycleLife, &[("current_density_A_m2", 5.0), t]), key("cycle_life_0p5ma_cm2_h"));
    assert_eq!(input(&im, CycleLife, &[("current_density_A_m2", 2.0)]), key("cycle_life_0p2ma_cm2_h"));
    assert_eq!(input(&im, CycleLife, &[("current_density_A_m2", 10.0)]), None);
    assert_eq!(input(&pvh, CycleLife, &[("current_density_A_m2", 1.0)]), key("cycle_life_0p1ma_cm2_h"));
    assert_eq!(
        input(&im, CapacityRetention, &[("c_rate", 0.5), ("cycle", 280.0)]),
        key("capacity_retention_0p5c_cycle280_percent")
    );
    assert_eq!(exact(&im, LifFraction, &[("etch_depth_m", 1e-8)]), key("lif_fraction_10nm_percent"));
    assert_eq!(exact(&im, ActivationEnergy, &[]), key("activation_energy_ev"));
    assert_eq!(exact(&im, ActivationEnergy, &[t]), None);
    assert_eq!(input(&im, ActivationEnergy, &[t]), key("activation_energy_ev"));
    assert_eq!(input(&im, IonicConductivity, &[("temperature_K", 333.15)]), None);
    assert_eq!(input(&pvh, CumulativeCapacity, &[]), None);
    // Pouch and NCM622 cells carry no metric, so they never answer a coin-cell LFP lookup.
    assert!(im.paper_values().all(|v| !v.key.starts_with("pouch") && !v.key.starts_with("ncm622")));
}

#[test]
fn material_params_are_si_and_valid() {
    let im = preset("pvh-im").unwrap().material_params().unwrap();
    assert!(close(im.ionic_conductivity_25c, 0.123));
    assert!(close(im.activation_energy, 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL));
    assert!(close(im.transference_number, 0.49));
    assert!(close(im.electronic_conductivity, 1.8e-7));
    assert!(close(im.exchange_current_density, 0.67));
    assert!(close(im.thickness, 1e-4));
    assert!(close(im.temperature, 298.15));
    let pvh = preset("pvh").unwrap().material_params().unwrap();
    assert!(close(pvh.ionic_conductivity_25c, 0.036));
    assert!(close(pvh.exchange_current_density, 0.49));
    assert!(pvh.validate().is_ok() && im.validate().is_ok());
    // The paper's σ at 25 °C comes back exactly at 298.15 K.
    assert_eq!(im.ionic_conductivity_at(298.15), im.ionic_conductivity_25c);
}

#[test]
fn assumptions_are_marked_and_sources_cite_the_paper() {
    let valid_sections =
        ["Sect. 1", "Sect. 2.1", "Sect. 2.2", "Sect. 2.3", "Sect. 2.4", "Sect. 2.5", "Sect. 3"];
    for p in all_presets().unwrap() {
        let thickness = p.get("thickness_um").unwrap();
        assert!(thickness.assumed && thickness.note.is_some());
        assert!(!p.get("temperature_c").unwrap().assumed);
        for v in &p.values {
            if v.assumed {
                assert!(v.note.as_deref().is_some_and(|n| n.len() > 20), "{}", v.key);
                assert!(v.metric.is_none(), "{}: an assumption is not a paper value", v.key);
                continue;
            }
            assert!(v.source.contains("Fig") && v.source.contains("Sect."), "{}: {}", v.key, v.source);
            // Every "Sect. x" names one of the paper's sections (there is no Sect. 3.1 etc.).
            for (i, _) in v.source.match_indices("Sect. ") {
                let tail = &v.source[i..];
                let cited = tail.split([',', ' ', ')']).take(2).collect::<Vec<_>>().join(" ");
                assert!(valid_sections.contains(&cited.as_str()), "{}: '{cited}'", v.key);
            }
        }
    }
    let im = preset("pvh-im").unwrap();
    let source = |k: &str| im.get(k).unwrap().source.clone();
    assert_eq!(source("ionic_conductivity_25c_s_cm"), "Fig. 6a, Sect. 2.4");
    assert_eq!(source("critical_current_density_ma_cm2"), "Fig. 2c, Sect. 2.2");
    assert_eq!(source("exchange_current_density_ma_cm2"), "Fig. 2e, Sect. 2.2");
    assert_eq!(source("cycle_life_0p2ma_cm2_h"), "Fig. 2a, Sect. 2.2");
    assert_eq!(source("oxidation_onset_v"), "Fig. S23, Sect. 2.5");
    assert_eq!(source("specific_capacity_1c_mah_g"), "Fig. 6h, Sect. 2.5");
}

#[test]
fn values_keep_file_order_and_serialize() {
    let im = preset("pvh-im").unwrap();
    let keys: Vec<&str> = im.values.iter().take(3).map(|v| v.key.as_str()).collect();
    assert_eq!(keys, ["thickness_um", "temperature_c", "ionic_conductivity_25c_s_cm"]);
    let json = serde_json::to_value(&im).unwrap();
    let sigma = &json["values"][2];
    assert_eq!(sigma["metric"], "ionic_conductivity");
    assert_eq!(sigma["quantity"], "conductivity");
    assert_eq!(sigma["conditions"]["temperature_K"], 298.15);
}

const USER_FILE: &str = r#"id = "my-spe"
name = "My SPE"
description = "A test electrolyte."
reference = "doi:10.0000/test"

[model.thickness_um]
value = 80
unit = "um"
quantity = "length"
source = "micrometer, this work"

[model.temperature_c]
value = 60
unit = "degC"
quantity = "temperature"
source = "test protocol"

[values.ionic_conductivity_60c_s_cm]
value = 5.0e-4
unit = "S/cm"
metric = "ionic_conductivity"
source = "Fig. 1"
conditions = { temperature_K = 298.15 }

[values.activation_energy_ev]
value = 0.3
unit = "eV"
metric = "activation_energy"
source = "Fig. 2"

[values.transference_number]
value = 0.3
unit = "1"
metric = "transference_number"
source = "Fig. 3"

[values.electronic_conductivity_s_cm]
value = 1e-9
unit = "S/cm"
metric = "electronic_conductivity"
source = "Fig. 4"

[values.exchange_current_density_ma_cm2]
value = 0.1
unit = "mA/cm2"
metric = "exchange_current_density"
source = "Fig. 5"
"#;

#[test]
fn preset_from_toml_reads_a_user_file() {
    let p = preset_from_toml(USER_FILE, "my-spe.toml").unwrap();
    assert_eq!(p.id, "my-spe");
    let m = p.material_params().unwrap();
    assert!(close(m.thickness, 80e-6));
    assert!(close(m.temperature, 333.15));
    assert!(close(m.ionic_conductivity_25c, 0.05));
    assert!(close(m.exchange_current_density, 1.0));
}

#[test]
fn preset_from_toml_rejects_an_unknown_key_with_its_line() {
    let text = USER_FILE.replace("source = \"Fig. 3\"", "source = \"Fig. 3\"\ncolour = \"red\"");
    let line = text.lines().position(|l| l.starts_with("colour")).unwrap() + 1;
    let err = preset_from_toml(&text, "my-spe.toml").unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, ParamsError::Toml { .. }), "{message}");
    assert!(message.starts_with("my-spe.toml: "), "{message}");
    assert!(message.contains(&format!("line {line}")), "{message}");
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn preset_from_toml_rejects_schema_violations() {
    let bad_unit = USER_FILE.replace("electronic_conductivity_s_cm]", "electronic_conductivity_s_m]");
    let line = bad_unit.lines().position(|l| l.contains("_s_m]")).unwrap() + 1;
    let message = preset_from_toml(&bad_unit, "f.toml").unwrap_err().to_string();
    assert!(message.contains("'_s_cm'") && message.contains(&format!("f.toml, line {line}")), "{message}");

    let no_id = USER_FILE.replace("id = \"my-spe\"\n", "");
    assert!(
        matches!(preset_from_toml(&no_id, "f.toml"), Err(ParamsError::Invalid { key, .. }) if key == "id")
    );

    let bad_condition = USER_FILE.replace("temperature_K = 298.15", "temp = 298.15");
    let message = preset_from_toml(&bad_condition, "f.toml").unwrap_err().to_string();
    assert!(message.contains("unknown condition 'temp'"), "{message}");

    let no_quantity = USER_FILE.replace("quantity = \"length\"\n", "");
    let message = preset_from_toml(&no_quantity, "f.toml").unwrap_err().to_string();
    assert!(message.contains("needs a `metric` or a `quantity`"), "{message}");

    let bad_metric = USER_FILE.replace("metric = \"transference_number\"", "metric = \"t_plus\"");
    assert!(matches!(preset_from_toml(&bad_metric, "f.toml"), Err(ParamsError::Toml { .. })));

    let metric_in_model = USER_FILE.replace("quantity = \"length\"", "metric = \"crystallinity\"");
    let message = preset_from_toml(&metric_in_model, "f.toml").unwrap_err().to_string();
    assert!(message.contains("[model] values are not paper values"), "{message}");
}

#[test]
fn material_params_report_what_is_missing() {
    let cut = USER_FILE.split("[values.exchange_current_density_ma_cm2]").next().unwrap();
    let p = preset_from_toml(cut, "f.toml").unwrap();
    let err = p.material_params().unwrap_err();
    assert_eq!(err.to_string(), "material 'my-spe' has no 'exchange_current_density'");
}
