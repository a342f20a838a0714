//! What every EIS analysis checks of its spectrum before computing, so a degenerate spectrum is an
//! error with its reason instead of a NaN, an infinity or a meaningless "pass".
//!
//! [`check_spectrum`] refuses
//! - too few **distinct** frequencies (a spectrum is a function of frequency: forty points at one
//!   frequency carry one point's information);
//! - an exactly zero impedance (a measured |Z| is never 0: an empty or misread column);
//! - impedances or frequencies outside the range any cell and instrument produce
//!   ([`IMPEDANCE_RANGE_OHM`], [`FREQUENCY_RANGE_HZ`]): a wrong unit or column, and the range where
//!   squares and products of the values over- or underflow.
//!
//! [`sign_warnings`] flags a spectrum whose Z'' looks flipped: inductive (Z'' > 0) at every point of
//! the lower half of its frequencies, which polymer electrolytes between blocking or lithium
//! electrodes never are; the usual cause is a file listing −Z'' where Z'' is expected.
//!
//! ```
//! use spelab_analysis::eis::input::{check_spectrum, sign_warnings};
//! use spelab_core::{ImpedanceSpectrum, Metadata};
//! let f = vec![1e3, 1e3, 1e3];
//! let z = vec![num_complex::Complex64::new(100.0, -10.0); 3];
//! let s = ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap();
//! let error = check_spectrum("lin-KK", &s, 3).unwrap_err().to_string();
//! assert!(error.contains("1 distinct frequency"), "{error}");
//! assert!(sign_warnings(&s).is_empty());
//! ```

use spelab_core::ImpedanceSpectrum;

use crate::AnalysisError;

/// The impedance moduli an analysis accepts [Ω]: from 1 pΩ (far below any cell's resistance) to
/// 1 PΩ (above any instrument's range).
pub const IMPEDANCE_RANGE_OHM: (f64, f64) = (1e-12, 1e15);

/// The frequencies an analysis accepts [Hz]: from 1 nHz to 1 THz.
pub const FREQUENCY_RANGE_HZ: (f64, f64) = (1e-9, 1e12);

/// The number of distinct frequencies of `spectrum` (two frequencies within 1e-9 relative count as
/// one).
pub fn distinct_frequencies(spectrum: &ImpedanceSpectrum) -> usize {
    let mut f = spectrum.frequency().to_vec();
    f.sort_by(f64::total_cmp);
    1 + f.windows(2).filter(|w| w[1] > w[0] * (1.0 + 1e-9)).count()
}

/// Checks that `spectrum` is usable by the analysis `what`, which needs at least `min_distinct`
/// distinct frequencies (see the module documentation). Errors: [`AnalysisError::Unusable`] with the
/// reason and the numbers involved.
pub fn check_spectrum(
    what: &'static str,
    spectrum: &ImpedanceSpectrum,
    min_distinct: usize,
) -> Result<(), AnalysisError> {
    let unusable = |reason: String| Err(AnalysisError::Unusable { what, reason });
    let (f, z) = (spectrum.frequency(), spectrum.impedance());
    let distinct = distinct_frequencies(spectrum);
    if distinct < min_distinct {
        let at = if distinct == 1 { format!(" (all at {:.6e} Hz)", f[0]) } else { String::new() };
        return unusable(format!(
            "the spectrum's {} points lie at {distinct} distinct frequenc{}{at}; the analysis needs at \
             least {min_distinct}",
            f.len(),
            if distinct == 1 { "y" } else { "ies" }
        ));
    }
    let (f_lo, f_hi) = FREQUENCY_RANGE_HZ;
    if let Some(i) = f.iter().position(|f| !(f_lo..=f_hi).contains(f)) {
        return unusable(format!(
            "frequency {:e} Hz at point {i} lies outside {f_lo:e} .. {f_hi:e} Hz (a wrong unit or column?)",
            f[i]
        ));
    }
    if let Some(i) = z.iter().position(|z| z.re == 0.0 && z.im == 0.0) {
        return unusable(format!(
            "Z = 0 at point {i} (f = {:e} Hz): a measured impedance is never exactly zero (an empty or \
             misread column?)",
            f[i]
        ));
    }
    let moduli: Vec<f64> = z.iter().map(|z| z.norm()).collect();
    let lowest = moduli.iter().copied().fold(f64::INFINITY, f64::min);
    let highest = moduli.iter().copied().fold(0.0, f64::max);
    let (z_lo, z_hi) = IMPEDANCE_RANGE_OHM;
    if !(lowest >= z_lo && highest <= z_hi) {
        return unusable(format!(
            "|Z| spans {lowest:.3e} .. {highest:.3e} Ohm, outside the usable {z_lo:e} .. {z_hi:e} Ohm (a \
             wrong unit or column?)"
        ));
    }
    Ok(())
}

/// Warnings about the sign of Z'': one when Z'' > 0 (inductive) at every point of the lower half of
/// the spectrum's frequencies (at least three points), the mark of a file that lists −Z'' as Z''.
pub fn sign_warnings(spectrum: &ImpedanceSpectrum) -> Vec<String> {
    let mut points: Vec<(f64, f64)> =
        spectrum.frequency().iter().zip(spectrum.impedance()).map(|(f, z)| (*f, z.im)).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let low = &points[..points.len().div_ceil(2)];
    if low.len() < 3 || low.iter().any(|p| p.1 <= 0.0) {
        return Vec::new();
    }
    vec![format!(
        "Z'' > 0 (inductive) at all {} points up to {:.4e} Hz: the sign of Z'' looks flipped (a file that \
         lists -Z'' where Z'' is expected is the usual cause); results of this spectrum are likely wrong",
        low.len(),
        low[low.len() - 1].0
    )]
}

#[cfg(test)]
mod tests {
    use num_complex::Complex64;
    use spelab_core::{ImpedanceSpectrum, Metadata};

    use super::*;

    fn spectrum(f: Vec<f64>, z: Vec<Complex64>) -> ImpedanceSpectrum {
        ImpedanceSpectrum::new(f, z, Metadata::default()).unwrap()
    }

    fn rc(scale: f64, sign: f64) -> ImpedanceSpectrum {
        let f: Vec<f64> = (0..30).map(|i| 10f64.powf(5.0 - 0.25 * i as f64)).collect();
        let z = f
            .iter()
            .map(|f| {
                let z = 100.0 + 1000.0 / Complex64::new(1.0, 2.0 * std::f64::consts::PI * f * 1e-6);
                Complex64::new(z.re * scale, sign * z.im * scale)
            })
            .collect();
        spectrum(f, z)
    }

    #[test]
    fn a_normal_spectrum_passes_without_warning() {
        let s = rc(1.0, 1.0);
        assert_eq!(distinct_frequencies(&s), 30);
        check_spectrum("test", &s, 5).unwrap();
        assert!(sign_warnings(&s).is_empty());
    }

    #[test]
    fn degenerate_spectra_are_refused_with_the_reason() {
        let reason = |s: &ImpedanceSpectrum| check_spectrum("test", s, 3).unwrap_err().to_string();
        assert!(reason(&rc(1e-302, 1.0)).contains("|Z| spans"));
        assert!(reason(&rc(1e300, 1.0)).contains("|Z| spans"));
        let zeros = spectrum(vec![1.0, 10.0, 100.0], vec![Complex64::new(0.0, 0.0); 3]);
        assert!(reason(&zeros).contains("Z = 0 at point 0"));
        let one = spectrum(vec![1e3; 40], vec![Complex64::new(10.0, -1.0); 40]);
        assert!(reason(&one).contains("40 points lie at 1 distinct frequency (all at 1.000000e3 Hz)"));
        let low = spectrum(vec![1e-12, 1.0, 10.0], vec![Complex64::new(10.0, -1.0); 3]);
        assert!(reason(&low).contains("frequency 1e-12 Hz at point 0"));
    }

    #[test]
    fn a_flipped_imaginary_part_is_flagged() {
        let warnings = sign_warnings(&rc(1.0, -1.0));
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("looks flipped"), "{warnings:?}");
    }
}
