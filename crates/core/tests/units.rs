//! Unit strings at the edge: parsing into SI, display, conversion and the error messages users see.

use spelab_core::constants::{AVOGADRO, ELEMENTARY_CHARGE, EV_PER_PARTICLE_IN_J_PER_MOL, HOUR};
use spelab_core::units::{convert, format_in, parse_quantity, parse_unit, Dimension, Quantity, UnitError};

/// Relative tolerance for values that went through a non-decimal factor (3600 s/h, e·N_A) or a
/// display round trip: a handful of f64 roundings, each ≤ 1.1e-16 relative, so 1e-12 leaves a wide
/// margin while still catching any wrong factor (the smallest real mistake is 1e-3 or more).
const REL: f64 = 1e-12;

fn assert_close(actual: f64, expected: f64, what: &str) {
    let rel = (actual - expected).abs() / expected.abs().max(f64::MIN_POSITIVE);
    assert!(rel <= REL, "{what}: got {actual:e}, expected {expected:e} (rel {rel:e})");
}

fn parse(input: &str, quantity: Quantity) -> f64 {
    parse_quantity(input, quantity).unwrap_or_else(|e| panic!("'{input}' as {quantity:?}: {e}"))
}

fn message(input: &str, quantity: Quantity) -> String {
    match parse_quantity(input, quantity) {
        Ok(v) => panic!("'{input}' as {quantity:?} should fail, got {v}"),
        Err(e) => e.to_string(),
    }
}

/// A value in the display unit for each quantity, with the text `display` must print for it.
fn display_examples() -> Vec<(Quantity, f64, &'static str)> {
    vec![
        (Quantity::Length, 100.0, "100 µm"),
        (Quantity::Area, 2.01, "2.01 cm²"),
        (Quantity::Mass, 12.5, "12.5 mg"),
        (Quantity::Time, 5550.0, "5550 h"),
        (Quantity::Temperature, 25.0, "25 °C"),
        (Quantity::Current, 0.0314, "0.0314 mA"),
        (Quantity::CurrentDensity, 0.2, "0.2 mA/cm²"),
        (Quantity::Voltage, 4.35, "4.35 V"),
        (Quantity::Resistance, 1234.0, "1234 Ω"),
        (Quantity::AreaSpecificResistance, 12.5, "12.5 Ω cm²"),
        (Quantity::Conductivity, 1.23, "1.23 mS/cm"),
        (Quantity::ActivationEnergy, 0.18, "0.18 eV"),
        (Quantity::Charge, 1.5, "1.5 mAh"),
        (Quantity::ArealCapacity, 3.2, "3.2 mAh/cm²"),
        (Quantity::SpecificCapacity, 141.7, "141.7 mAh/g"),
        (Quantity::Frequency, 1e6, "1e6 Hz"),
        (Quantity::Capacitance, 2.5e-6, "2.5e-6 F"),
        (Quantity::Concentration, 1.0, "1 mol/L"),
        (Quantity::Diffusivity, 3.4e-8, "3.4e-8 cm²/s"),
        (Quantity::CRate, 0.1, "0.1C"),
        (Quantity::Wavenumber, 1655.0, "1655 cm⁻¹"),
        (Quantity::Fraction, 19.2, "19.2 %"),
        (Quantity::Dimensionless, 0.49, "0.49"),
    ]
}

#[test]
fn display_parse_display_round_trips_for_every_quantity() {
    let examples = display_examples();
    for q in Quantity::ALL {
        let &(_, shown, _) = examples.iter().find(|(e, ..)| *e == q).expect("an example per quantity");
        let si = q.from_display(shown);
        let text = q.display(si);
        let back = parse(&text, q);
        assert_eq!(q.display(back), text, "{q:?}");
        assert_close(back, si, &format!("{q:?} '{text}'"));
        assert_close(q.to_display(si), shown, &format!("{q:?} to_display"));
    }
}

#[test]
fn display_prints_the_field_units() {
    for (q, shown, text) in display_examples() {
        assert_eq!(q.display(q.from_display(shown)), text, "{q:?}");
    }
    assert_eq!(Quantity::Conductivity.display(1.8e-7), "1.8e-6 mS/cm");
    assert_eq!(Quantity::Conductivity.display(f64::NAN), "NaN mS/cm");
    assert_eq!(Quantity::Conductivity.display(f64::INFINITY), "inf mS/cm");
    assert_eq!(Quantity::Voltage.display(0.0), "0 V");
    assert_eq!(Quantity::Temperature.display(298.15), "25 °C");
    assert_eq!(Quantity::Fraction.display(0.192), "19.2 %");
}

#[test]
fn display_with_uncertainty_rounds_to_the_uncertainty() {
    assert_eq!(Quantity::Conductivity.display_with_uncertainty(0.12341, 0.00523), "1.234 ± 0.052 mS/cm");
    let e = EV_PER_PARTICLE_IN_J_PER_MOL;
    assert_eq!(Quantity::ActivationEnergy.display_with_uncertainty(0.18 * e, 0.012 * e), "0.180 ± 0.012 eV");
    // The uncertainty of a temperature is a difference: no 273.15 offset.
    assert_eq!(Quantity::Temperature.display_with_uncertainty(298.15, 0.5), "25.00 ± 0.50 °C");
    assert_eq!(Quantity::Time.display_with_uncertainty(5551.0 * HOUR, 123.0 * HOUR), "5550 ± 120 h");
    assert_eq!(Quantity::Conductivity.display_with_uncertainty(1.8e-7, 2.0e-8), "(1.80 ± 0.20)e-6 mS/cm");
    assert_eq!(Quantity::CRate.display_with_uncertainty(0.1, 0.012), "(0.100 ± 0.012)C");
    assert_eq!(Quantity::Dimensionless.display_with_uncertainty(0.49, 0.031), "0.490 ± 0.031");
    assert_eq!(Quantity::Fraction.display_with_uncertainty(f64::NAN, 0.01), "NaN ± 1 %");
}

#[test]
fn issue_examples_give_exact_si_values() {
    // Decimal prefixes are applied to the decimal text, so these are the f64 nearest the exact value.
    let exact = [
        ("0.2 mA/cm2", Quantity::CurrentDensity, 2.0),
        ("0.2mA/cm2", Quantity::CurrentDensity, 2.0),
        ("100 um", Quantity::Length, 1e-4),
        ("100 µm", Quantity::Length, 1e-4),
        ("100 μm", Quantity::Length, 1e-4),
        ("2.01 cm2", Quantity::Area, 2.01e-4),
        ("25 degC", Quantity::Temperature, 298.15),
        ("25 °C", Quantity::Temperature, 298.15),
        ("25°C", Quantity::Temperature, 298.15),
        ("25 ℃", Quantity::Temperature, 298.15),
        ("25 C", Quantity::Temperature, 298.15),
        ("300 K", Quantity::Temperature, 300.0),
        ("1.23 mS/cm", Quantity::Conductivity, 0.123),
        ("1.23 mS cm-1", Quantity::Conductivity, 0.123),
        ("1.23 mS cm^-1", Quantity::Conductivity, 0.123),
        ("1.23 mS·cm⁻¹", Quantity::Conductivity, 0.123),
        ("1e-3 S/cm", Quantity::Conductivity, 0.1),
        ("0.2 mA cm-2", Quantity::CurrentDensity, 2.0),
        ("0.2 mA cm^-2", Quantity::CurrentDensity, 2.0),
        ("-5 mV", Quantity::Voltage, -5e-3),
        ("17.4 kJ/mol", Quantity::ActivationEnergy, 17_400.0),
        ("17400 J/mol", Quantity::ActivationEnergy, 17_400.0),
        ("0.1C", Quantity::CRate, 0.1),
        ("0.1 C", Quantity::CRate, 0.1),
        ("C/10", Quantity::CRate, 0.1),
        ("2C", Quantity::CRate, 2.0),
        ("19.2 %", Quantity::Fraction, 0.192),
        ("14.3 wt%", Quantity::Fraction, 0.143),
        ("0.192", Quantity::Fraction, 0.192),
        ("0.49", Quantity::Dimensionless, 0.49),
        ("1 M", Quantity::Concentration, 1000.0),
        ("50 mM", Quantity::Concentration, 50.0),
        ("1 mol/L", Quantity::Concentration, 1000.0),
        ("1 mol/(L)", Quantity::Concentration, 1000.0),
        ("5 C", Quantity::Charge, 5.0),
        ("2 kohm", Quantity::Resistance, 2000.0),
        ("12.5 ohm cm2", Quantity::AreaSpecificResistance, 12.5e-4),
        ("2 kΩ", Quantity::Resistance, 2000.0),
        ("10 kHz", Quantity::Frequency, 1e4),
        ("3 nF", Quantity::Capacitance, 3e-9),
        ("1e-8 cm2/s", Quantity::Diffusivity, 1e-12),
        ("50 mg", Quantity::Mass, 5e-5),
    ];
    for (input, q, si) in exact {
        assert_eq!(parse(input, q), si, "'{input}'");
    }
    // Non-decimal factors (e·N_A, 3600 s/h) cost a rounding or two: REL.
    let close = [
        ("0.18 eV", Quantity::ActivationEnergy, 0.18 * 96_485.332_123_310_01),
        ("180 meV", Quantity::ActivationEnergy, 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL),
        ("4.16 kcal/mol", Quantity::ActivationEnergy, 4.16 * 4184.0),
        ("141.7 mAh/g", Quantity::SpecificCapacity, 510_120.0),
        ("141.7 mA h g-1", Quantity::SpecificCapacity, 510_120.0),
        ("2 mAh", Quantity::Charge, 7.2),
        ("3.2 mAh/cm2", Quantity::ArealCapacity, 115_200.0),
        ("5550 h", Quantity::Time, 5550.0 * HOUR),
        ("30 min", Quantity::Time, 1800.0),
    ];
    for (input, q, si) in close {
        assert_close(parse(input, q), si, input);
    }
    assert_eq!(parse("0.18 eV", Quantity::ActivationEnergy), 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL);
}

#[test]
fn parse_unit_reads_compound_units() {
    let molar_heat = Dimension::new(2, 1, -2, 0, -1, -1);
    for text in ["J/(mol K)", "J/(mol·K)", "J mol-1 K-1", "J/mol/K", "J mol^-1 K^-1", "J·mol⁻¹·K⁻¹"]
    {
        let unit = parse_unit(text).unwrap();
        assert_eq!((unit.factor, unit.offset, unit.dimension), (1.0, 0.0, molar_heat), "{text}");
    }
    let ev = parse_unit("eV").unwrap();
    assert_eq!((ev.factor, ev.dimension), (ELEMENTARY_CHARGE, Dimension::ENERGY));
    assert_eq!(ev.factor * AVOGADRO, EV_PER_PARTICLE_IN_J_PER_MOL);
    let celsius = parse_unit("degC").unwrap();
    assert_eq!((celsius.factor, celsius.offset, celsius.to_si(25.0)), (1.0, 273.15, 298.15));
    // mA/cm² = 10 A/m²: the power of ten is applied exactly.
    assert_eq!(parse_unit("mA cm^-2").unwrap().factor, 10.0);
    assert_eq!(parse_unit("S cm^-1").unwrap().factor, 100.0);
    assert_eq!(parse_unit("µm").unwrap(), parse_unit("μm").unwrap());
    assert_eq!(parse_unit("µm").unwrap().factor, 1e-6);
}

#[test]
fn si_units_read_back_as_factor_one() {
    for q in Quantity::ALL.into_iter().filter(|&q| q != Quantity::CRate) {
        let unit = parse_unit(q.si_unit()).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert!(q.si_unit().is_ascii(), "{q:?}");
        assert_eq!((unit.factor, unit.offset, unit.dimension), (1.0, 0.0, q.dimension()), "{q:?}");
        assert_eq!(convert(1.5, q, q.si_unit()).unwrap(), 1.5, "{q:?}");
    }
}

#[test]
fn format_in_and_convert_use_any_compatible_unit() {
    assert_eq!(format_in(1.8e-7, Quantity::Conductivity, "S/cm").unwrap(), "1.8e-9 S/cm");
    assert_eq!(format_in(0.123, Quantity::Conductivity, "mS/cm").unwrap(), "1.23 mS/cm");
    assert_eq!(format_in(310.0, Quantity::Temperature, "K").unwrap(), "310 K");
    assert_eq!(format_in(310.0, Quantity::Temperature, "°C").unwrap(), "36.9 °C");
    assert_eq!(format_in(17_367.36, Quantity::ActivationEnergy, "kJ/mol").unwrap(), "17.4 kJ/mol");
    assert_eq!(format_in(0.5, Quantity::CRate, "C").unwrap(), "0.5C");
    assert_eq!(format_in(0.49, Quantity::Dimensionless, "%").unwrap(), "49 %");
    assert_eq!(convert(0.123, Quantity::Conductivity, "mS/cm").unwrap(), 1.23);
    assert_eq!(convert(298.15, Quantity::Temperature, "°C").unwrap(), 25.0);
    let ea = 0.18 * EV_PER_PARTICLE_IN_J_PER_MOL; // 17367.36 J/mol
    assert_close(convert(ea, Quantity::ActivationEnergy, "eV").unwrap(), 0.18, "eV");
    assert_close(convert(510_120.0, Quantity::SpecificCapacity, "mAh/g").unwrap(), 141.7, "mAh/g");
    let err = convert(1.0, Quantity::Conductivity, "mA").unwrap_err();
    assert_eq!(err.to_string(), "expected a conductivity, got 'mA' in 'mA'");
}

#[test]
fn errors_name_the_problem_and_the_input() {
    let cases = [
        ("3 mQ", Quantity::Voltage, "unknown unit 'mQ' in '3 mQ'"),
        ("5 mV", Quantity::CurrentDensity, "expected a current density, got 'mV' in '5 mV'"),
        ("5 mA", Quantity::CRate, "expected a C-rate, got 'mA' in '5 mA'"),
        ("0.18 eV", Quantity::Voltage, "expected a voltage, got 'eV' in '0.18 eV'"),
        ("abc um", Quantity::Length, "bad number in 'abc um'"),
        ("C/0", Quantity::CRate, "bad number in 'C/0'"),
        ("1e999 V", Quantity::Voltage, "bad number in '1e999 V'"),
        ("100", Quantity::Length, "missing unit in '100': expected a length with a unit"),
        ("0.1", Quantity::CRate, "missing unit in '0.1': expected a C-rate with a unit"),
        ("", Quantity::Length, "empty input: expected a number with a unit"),
        ("   ", Quantity::Fraction, "empty input: expected a number with a unit"),
        (
            "1,5 V",
            Quantity::Voltage,
            "decimal comma in '1,5 V': write the number with a decimal point (1.5, not 1,5)",
        ),
        (
            "1,5",
            Quantity::Dimensionless,
            "decimal comma in '1,5': write the number with a decimal point (1.5, not 1,5)",
        ),
        ("2 cm^", Quantity::Area, "bad exponent after 'cm' in '2 cm^'"),
        ("2 cm^x", Quantity::Area, "bad exponent after 'cm' in '2 cm^x'"),
        ("2 m0", Quantity::Area, "bad exponent after 'm' in '2 m0'"),
        (
            "5 degC/s",
            Quantity::Temperature,
            "'degC' has an offset and works only alone, not in '5 degC/s'; use K in compound units",
        ),
        (
            "5 °C²",
            Quantity::Temperature,
            "'°C' has an offset and works only alone, not in '5 °C²'; use K in compound units",
        ),
        ("5 V#", Quantity::Voltage, "unexpected character '#' in '5 V#'"),
        ("1 J/(mol K", Quantity::ActivationEnergy, "unbalanced parenthesis in '1 J/(mol K'"),
        ("1 J/mol)", Quantity::ActivationEnergy, "unbalanced parenthesis in '1 J/mol)'"),
        ("1 J/", Quantity::ActivationEnergy, "no unit after '/' in '1 J/'"),
        ("2 mA 3", Quantity::Current, "a number where a unit was expected in '2 mA 3'"),
        ("0.1 C-rate", Quantity::CRate, "expected a C-rate, got 'C-rate' in '0.1 C-rate'"),
    ];
    for (input, q, expected) in cases {
        assert_eq!(message(input, q), expected, "'{input}' as {q:?}");
    }
    assert_eq!(parse_unit(""), Err(UnitError::Empty));
    assert_eq!(
        parse_unit("mA cm-2 Q"),
        Err(UnitError::UnknownUnit { unit: "Q".to_string(), input: "mA cm-2 Q".to_string() })
    );
    // An exact symbol wins: "min" is a minute, never milli-"in"; "cd" is not a unit here.
    assert_eq!(message("3 cd", Quantity::Length), "unknown unit 'cd' in '3 cd'");
}
