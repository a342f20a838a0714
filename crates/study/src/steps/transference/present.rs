//! The `transference` step's presentation: the metric, the results and EIS tables, the
//! chronoamperogram and Nyquist figures, and the notes.

use spelab_analysis::transference::{kinetic_bruce_vincent, Transference, Value};
use spelab_core::constants::T_REF;
use spelab_core::metric::{Metric, MetricId};
use spelab_core::units::Quantity;
use spelab_report::{Axis, Figure, Marker, Series, Table};

use super::virtual_lab::experiment;
use super::{Dataset, EisDetail, Source, TransferenceStep};
use crate::steps::display::{mv, ua};
use crate::steps::StepOutput;

impl TransferenceStep {
    /// The chronoamperogram with I₀, I_ss and the steady-state window.
    pub(super) fn figure(&self, d: &Dataset, r: &Transference, k: usize) -> Figure {
        let sign = if r.steady.sign_flipped { -1.0 } else { 1.0 };
        // Seconds on a log axis: the first instants (the I₀ spike) and the hours-long decay both show;
        // t = 0 has no place on it and is left out.
        let seconds: Vec<f64> = d.time.clone();
        let current_ua: Vec<f64> = d.current.iter().map(|i| ua(sign * i)).collect();
        let mut f = Figure::new(
            format!("transference-{}", d.material.id),
            format!(
                "Potentiostatic polarization, {} (ΔV = {:.1} mV)",
                d.material.preset.name,
                mv(self.voltage)
            ),
            Axis::log("time [s]"),
            Axis::linear("|I| [µA]"),
        )
        .with_series(
            Series::line(format!("{} |I(t)|", d.material.preset.name), seconds, current_ua).with_color(k),
        )
        .with_marker(Marker::horizontal(
            format!("I₀ measured = {:.4} µA", ua(r.i0_measured.value)),
            ua(r.i0_measured.value),
        ))
        .with_marker(Marker::horizontal(
            format!("I_ss = {:.4} µA", ua(r.steady.current.value)),
            ua(r.steady.current.value),
        ))
        .with_marker(Marker::vertical("steady-state window", r.steady.window.0))
        .with_marker(Marker::vertical("steady state reached (slope test)", r.steady.reached_at));
        if let Some(i0) = r.i0_computed {
            f = f.with_marker(Marker::horizontal(
                format!("I₀ = ΔV/(R_b+R_i) = {:.4} µA", ua(i0.value)),
                ua(i0.value),
            ));
        }
        f.with_caption(
            "Chronoamperogram on a log-time axis (t = 0 left out) with the initial currents (measured first point and ΔV/(R_b+R_i)), the steady-state \
             current (mean of the final window that passed the slope test) and the time the slope test was first met.",
        )
    }

    /// The results table, before its rows.
    pub(super) fn results_table() -> Table {
        Table {
            title: "Li⁺ transference number (EVB: I_ss/I₀; BV: Bruce–Vincent corrected)".into(),
            columns: [
                "material",
                "source",
                "I₀ meas. [µA]",
                "I₀ calc. [µA]",
                "I_ss [µA]",
                "t₊ EVB (I₀ meas.)",
                "t₊ EVB (I₀ calc.)",
                "t₊ BV (I₀ meas.)",
                "t₊ BV (I₀ calc.)",
                "t₊ BV, Butler–Volmer interfaces",
            ]
            .map(String::from)
            .to_vec(),
            rows: Vec::new(),
        }
    }

    /// The EIS resistances table, before its rows.
    pub(super) fn eis_table(&self) -> Table {
        Table {
            title: format!("EIS resistances before/after polarization ({})", self.circuit.describe()),
            columns: ["material", "spectrum", "R_b [Ω]", "R_i [Ω]", "fit χ² (pseudo)"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        }
    }

    /// The t₊ metric of one dataset (the recommended value of the analysis `r`).
    pub(super) fn metric(&self, d: &Dataset, r: &Transference) -> Metric {
        let kinetic = kinetic_bruce_vincent(r, d.temperature.unwrap_or(T_REF)).filter(|_| self.kinetic);
        let (value, method) = match kinetic {
            Some(v) => (
                v,
                "Bruce–Vincent with Butler–Volmer interfaces, t₊ = I_ss R_b/(ΔV − η(I_ss)), \
                 η = (4RT/F) asinh(I R_i,ss F/4RT)",
            ),
            None => r.recommended(),
        };
        let mut m = Metric::new(MetricId::TransferenceNumber, value.value, d.source.clone())
            .with_material(d.material.id.clone())
            .with_method(format!(
                "{method}; ΔV = {:.4} V; I_ss = mean of the final {:.0} % (slope test: drift < {:.2} %); {}",
                self.voltage,
                Quantity::Fraction.to_display(self.options.window_fraction),
                Quantity::Fraction.to_display(self.options.max_relative_change),
                match (&d.eis, &d.resistances) {
                    (Some(_), _) => format!(
                        "resistances from EIS before/after polarization ({}, fit standard errors)",
                        self.circuit.describe()
                    ),
                    (None, Some(_)) => format!(
                        "resistances given, uncertainty {:.1} %",
                        Quantity::Fraction.to_display(self.resistance_uncertainty)
                    ),
                    (None, None) => "no resistances".into(),
                }
            ));
        if value.uncertainty > 1e-6 * value.value.abs() {
            m = m.with_uncertainty(value.uncertainty);
        }
        if let Some(t) = d.temperature {
            m = m.with_condition("temperature_K", t);
        }
        if let Some(i) = d.input {
            m = m.with_input_value(i);
        }
        m
    }

    /// The results table's row of one dataset.
    pub(super) fn row(d: &Dataset, r: &Transference) -> Vec<String> {
        vec![
            d.material.id.clone(),
            d.source.clone(),
            format!("{:.4}", ua(r.i0_measured.value)),
            r.i0_computed.map(|v| format!("{:.4}", ua(v.value))).unwrap_or_else(|| "—".into()),
            spelab_core::units::format_with_uncertainty(
                ua(r.steady.current.value),
                ua(r.steady.current.uncertainty),
            ),
            fmt(Some(r.evb_measured_i0)),
            fmt(r.evb_computed_i0),
            fmt(r.bruce_vincent_measured_i0),
            fmt(r.bruce_vincent_computed_i0),
            fmt(kinetic_bruce_vincent(r, d.temperature.unwrap_or(T_REF))),
        ]
    }

    /// The notes on one dataset: the recovered t₊ against the input, a flipped sign.
    pub(super) fn notes(d: &Dataset, r: &Transference, notes: &mut Vec<String>) {
        if let (Some(input), Some(bv), Some(res)) = (d.input, r.bruce_vincent_computed_i0, d.resistances) {
            let (iss, dv) = (r.steady.current.value, r.applied_voltage.value);
            let gain = 1.0 + iss * res.interface_steady.value / (dv - iss * res.interface_steady.value);
            notes.push(format!(
                "{}: recovered t₊ = {} vs the preset's {:.4} ({:+.2} %, propagated uncertainty {:.2} %). \
                 Sensitivity: ∂ln t₊/∂ln I_ss = 1 + I_ss R_ss/(ΔV − I_ss R_ss) = {gain:.1}, so where R_i ≫ R_b small \
                 errors of I_ss and of R_i (before vs after) are amplified {gain:.0}-fold.",
                d.material.id,
                spelab_core::units::format_with_uncertainty(bv.value, bv.uncertainty),
                input,
                Quantity::Fraction.to_display((bv.value - input) / input),
                Quantity::Fraction.to_display(bv.uncertainty / input)
            ));
        }
        let kinetic = kinetic_bruce_vincent(r, d.temperature.unwrap_or(T_REF));
        if let (Some(linear), Some(kinetic)) = (r.bruce_vincent_computed_i0, kinetic) {
            notes.push(format!(
                "{}: Bruce–Vincent t₊ = {:.4} with the linear interface (drop I·R_i), {:.4} with Butler–Volmer \
                 interfaces (drop (4RT/F) asinh(I R_i F/4RT), {:.0} K; {:+.2} %): the linear formula overstates the \
                 steady-state interfacial drop, and ΔV − I_ss R_ss is small where R_i ≫ R_b, so the difference grows \
                 as ΔV² and as R_i/R_b.",
                d.material.id,
                linear.value,
                kinetic.value,
                d.temperature.unwrap_or(T_REF),
                Quantity::Fraction.to_display((kinetic.value - linear.value) / linear.value),
            ));
        }
        if let (Some((bias, kinetic_bias)), Some(input)) = (d.bias, d.input) {
            notes.push(format!(
                "{}: Bruce–Vincent's own bias at ΔV = {:.3} mV, computed from a noise-free run of the same model \
                 with the same fits: {:+.2} % (t₊ {:.4} vs the input {input:.4}){}; the rest of the deviation above is \
                 the noise's scatter.",
                d.material.id,
                r.applied_voltage.value * 1e3,
                Quantity::Fraction.to_display(bias),
                input * (1.0 + bias),
                kinetic_bias
                    .map(|k| format!(", with Butler–Volmer interfaces {:+.2} %", Quantity::Fraction.to_display(k)))
                    .unwrap_or_default(),
            ));
        }
        if r.steady.sign_flipped {
            notes.push(format!("{}: the current was negative in the file; |I| was analysed.", d.source));
        }
    }

    /// The virtual lab's and the method's notes, the options on every metric, and the tables.
    pub(super) fn finish(&self, table: Table, eis_table: Table, out: &mut StepOutput) {
        if let Source::Virtual { area, noise, .. } = &self.source {
            out.notes.push(format!(
                "Virtual lab: spelab-sim 1D Li|SPE|Li model of each preset (1 M salt, cell area {:.3} cm²), 4 h simulated \
                 chronoamperogram{}; R_b and R_i from {} fitted to the virtual spectrometer's Li|SPE|Li spectra before \
                 and after ({} points, 1 MHz → 1 Hz; model: R_b ∥ C_g + 2 R_ct ∥ C_dl + SEI + finite-length diffusion, \
                 whose resistances are R_b = L/(κA) and R_i = 2RT/(F j₀ A); the interfaces do not change at rest, so \
                 R_ss ≈ R₀). Known bias: Bruce–Vincent \
                 linearises the cell, so at finite ΔV the sinh kinetics, the concentration dependence of j₀ at the \
                 depleted and enriched faces and ln c in the diffusion potential make it overestimate t₊ by a term \
                 of order ΔV², largest where R_i ≫ R_b; each material's bias at this ΔV is computed from a \
                 noise-free run of the same model (notes above); the fitted resistances add their own scatter.",
                Quantity::Area.to_display(*area),
                if *noise > 0.0 {
                    format!(", {:.2} % seeded current and impedance noise", Quantity::Fraction.to_display(*noise))
                } else {
                    String::new()
                },
                self.circuit.describe(),
                experiment(self.voltage, *area, *noise).frequencies.len(),
            ));
        }
        out.notes.push(
            "Valid for ideal, dilute electrolytes only; concentrated SPEs need the Newman/Balsara analysis (methods.md §3).".into(),
        );
        let options = [
            ("voltage", format!("{} V", self.voltage)),
            ("steady_window", format!("{} %", Quantity::Fraction.to_display(self.options.window_fraction))),
            ("max_drift", format!("{} %", Quantity::Fraction.to_display(self.options.max_relative_change))),
            (
                "resistance_uncertainty",
                format!("{} %", Quantity::Fraction.to_display(self.resistance_uncertainty)),
            ),
        ];
        for m in &mut out.metrics {
            m.options.extend(options.iter().map(|(k, v)| (k.to_string(), v.clone())));
        }
        out.tables.push(table);
        if !eis_table.rows.is_empty() {
            out.tables.push(eis_table);
        }
    }
}

fn fmt(v: Option<Value>) -> String {
    v.map(|v| spelab_core::units::format_with_uncertainty(v.value, v.uncertainty))
        .unwrap_or_else(|| "—".into())
}

/// The EIS table's rows of one dataset (before and after).
pub(super) fn eis_rows(table: &mut Table, material: &str, e: &EisDetail) {
    let r = &e.fitted;
    let v = |v: Value| spelab_core::units::format_with_uncertainty(v.value, v.uncertainty);
    for (label, rb, ri, fit) in [
        (&e.labels[0], r.resistances.bulk_initial, r.resistances.interface_initial, &r.fit_before),
        (&e.labels[1], r.bulk_after, r.resistances.interface_steady, &r.fit_after),
    ] {
        table.rows.push(vec![
            material.into(),
            label.clone(),
            v(rb),
            v(ri),
            format!("{:.3e}", fit.pseudo_chi2),
        ]);
    }
}

/// Nyquist plot of the spectra before and after, with the fitted circuit's curves.
pub(super) fn nyquist(d: &Dataset, e: &EisDetail, k: usize) -> Figure {
    let mut f = Figure::new(
        format!("transference-eis-{}", d.material.id),
        format!("Li|SPE|Li impedance before and after polarization, {}", d.material.preset.name),
        Axis::linear("Z' [Ω]"),
        Axis::linear("−Z'' [Ω]"),
    );
    for (j, ((label, s), fit)) in
        e.labels.iter().zip(&e.spectra).zip([&e.fitted.fit_before, &e.fitted.fit_after]).enumerate()
    {
        f = f.with_series(
            Series::markers(label.clone(), s.real(), s.imag().iter().map(|v| -v).collect::<Vec<_>>())
                .with_color(2 * k + j),
        );
        if let Ok(circuit) = fit.circuit.parse::<spelab_analysis::eis::Circuit>() {
            let z = circuit.impedances(&s.angular_frequency(), &fit.values());
            f = f.with_series(
                Series::line(
                    format!("{label}: fit"),
                    z.iter().map(|z| z.re).collect::<Vec<_>>(),
                    z.iter().map(|z| -z.im).collect::<Vec<_>>(),
                )
                .with_color(2 * k + j),
            );
        }
    }
    f.with_caption(format!(
        "Markers: spectra; lines: the fitted circuit. R_b is where the arc starts on the real axis, R_b + R_i where it ends \
         ({}).",
        e.fitted.fit_before.circuit
    ))
}
