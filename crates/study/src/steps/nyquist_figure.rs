//! The Nyquist figure shared by the `arrhenius` and `eis-conductivity` steps: one colour per spectrum
//! along a sequential map (spectra ordered by temperature), the fitted circuit drawn over the points,
//! R_b marked on the real axis, equal units on both axes, and an inset zoomed on the smallest R_b when
//! the spectra span more than a factor [`INSET_SPAN`] in R_b.

use spelab_analysis::eis::fit::CircuitFit;
use spelab_analysis::eis::Circuit;
use spelab_core::ImpedanceSpectrum;
use spelab_report::{sequential_color, Axis, Figure, Series};

/// One spectrum of a Nyquist figure.
pub(crate) struct NyquistSpectrum<'a> {
    /// Legend entry (the temperature, or the spectrum's name).
    pub label: String,
    /// The measured or virtual spectrum [Ω].
    pub spectrum: &'a ImpedanceSpectrum,
    /// R_b [Ω] as the analysis read it.
    pub bulk_resistance: f64,
    /// The circuit fit that gave R_b, when there was one.
    pub fit: Option<&'a CircuitFit>,
}

/// The main view spans this many times the largest R_b on Z'.
const VIEW_SPAN: f64 = 2.5;
/// An inset appears when the largest R_b exceeds the smallest by more than this factor.
pub(crate) const INSET_SPAN: f64 = 4.0;
/// Points of a drawn fit line (log-spaced over the spectrum's frequencies).
const FIT_POINTS: usize = 160;

/// The fitted circuit's −Z'' against Z' over the spectrum's frequency range, or `None` when the
/// circuit text does not parse or the spectrum is empty.
fn fit_line(spectrum: &ImpedanceSpectrum, fit: &CircuitFit) -> Option<(Vec<f64>, Vec<f64>)> {
    let circuit: Circuit = fit.circuit.parse().ok()?;
    let f = spectrum.frequency();
    let lo = f.iter().copied().filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
    let hi = f.iter().copied().fold(0.0_f64, f64::max);
    if !(lo.is_finite() && hi > lo) {
        return None;
    }
    let omega: Vec<f64> = (0..FIT_POINTS)
        .map(|k| {
            let t = k as f64 / (FIT_POINTS - 1) as f64;
            2.0 * std::f64::consts::PI * hi * (lo / hi).powf(t)
        })
        .collect();
    let z = circuit.impedances(&omega, &fit.values());
    Some(z.iter().map(|z| (z.re, -z.im)).unzip())
}

/// The Nyquist figure of `spectra` (ordered by temperature: colours run from dark purple to orange).
pub(crate) fn nyquist_figure(id: String, title: String, spectra: &[NyquistSpectrum<'_>]) -> Figure {
    let n = spectra.len();
    let mut fig =
        Figure::new(id, title, Axis::linear("Z' [Ω]"), Axis::linear("−Z'' [Ω]")).with_equal_aspect();
    let rbs: Vec<f64> =
        spectra.iter().map(|s| s.bulk_resistance).filter(|r| r.is_finite() && *r > 0.0).collect();
    for (k, s) in spectra.iter().enumerate() {
        let rgb = sequential_color(k, n);
        let (re, im): (Vec<f64>, Vec<f64>) = s.spectrum.impedance().iter().map(|z| (z.re, -z.im)).unzip();
        fig = fig.with_series(Series::markers(s.label.clone(), re, im).with_rgb(rgb));
        if let Some((re, im)) = s.fit.and_then(|f| fit_line(s.spectrum, f)) {
            fig = fig
                .with_series(Series::line(format!("{} fit", s.label), re, im).with_rgb(rgb).without_legend());
        }
    }
    if rbs.is_empty() {
        return fig;
    }
    fig = fig.with_series(Series::rings("R_b", rbs.clone(), vec![0.0; rbs.len()]).with_rgb([0, 0, 0]));
    let (min, max) = rbs.iter().fold((f64::INFINITY, 0.0_f64), |(a, b), &r| (a.min(r), b.max(r)));
    // Fixed ranges: the spectra's low-frequency spikes run to MΩ and would hide R_b. The y range is
    // completed by the equal aspect; a small negative margin keeps the R_b rings off the frame.
    let x_max = VIEW_SPAN * max;
    fig.x = fig.x.with_range(0.0, x_max);
    fig.y = fig.y.with_range(-0.04 * x_max, 0.5 * x_max);
    if max > INSET_SPAN * min {
        let w = VIEW_SPAN * min;
        fig = fig.with_inset((0.0, w), (-0.04 * w, 0.5 * w));
    }
    fig
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_complex::Complex64;

    fn blocking(rb: f64) -> ImpedanceSpectrum {
        // R_b in series with a 10 µF capacitor: a vertical spike from (R_b, 0).
        let f: Vec<f64> = (0..30).map(|k| 1e6 * 10f64.powf(-0.25 * k as f64)).collect();
        let z: Vec<Complex64> =
            f.iter().map(|f| Complex64::new(rb, -1.0 / (2.0 * std::f64::consts::PI * f * 1e-5))).collect();
        ImpedanceSpectrum::new(f, z, Default::default()).expect("spectrum")
    }

    #[test]
    fn ten_spectra_get_ten_colours_rb_rings_and_an_inset() {
        let spectra: Vec<ImpedanceSpectrum> = (0..10).map(|k| blocking(10.0 / 1.3f64.powi(k))).collect();
        let items: Vec<NyquistSpectrum<'_>> = spectra
            .iter()
            .enumerate()
            .map(|(k, s)| NyquistSpectrum {
                label: format!("{k}"),
                spectrum: s,
                bulk_resistance: 10.0 / 1.3f64.powi(k as i32),
                fit: None,
            })
            .collect();
        let fig = nyquist_figure("n".into(), "N".into(), &items);
        let colours: std::collections::HashSet<_> =
            fig.series.iter().filter(|s| s.name != "R_b").map(|s| s.rgb).collect();
        assert_eq!(colours.len(), 10);
        let rings = fig.series.iter().find(|s| s.name == "R_b").expect("R_b series");
        assert_eq!(rings.x.len(), 10);
        assert!(fig.equal_aspect);
        assert_eq!(fig.x.range, Some((0.0, 25.0)));
        // 10 / 1.3⁹ = 0.94 Ω: the inset spans 2.5 × that.
        let inset = fig.inset.clone().expect("inset");
        assert!((inset.x.1 - 2.5 * 10.0 / 1.3f64.powi(9)).abs() < 1e-12);
        let svg = spelab_report::render_svg(&fig).expect("renders");
        assert!(svg.contains("<svg"));
    }
}
