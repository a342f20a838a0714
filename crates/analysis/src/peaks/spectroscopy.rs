//! The spectroscopic analyses of the paper (methods.md §11–12), each one library function:
//! - [`raman_speciation`]: TFSI⁻ 700–790 cm⁻¹ into free / CIP / AGG (paper: 740.9 / 744.2 / 748.7 cm⁻¹),
//!   free-anion fraction ± SE;
//! - [`xps_components`]: one core level, charge referencing, Shirley (static or fitted) / Tougaard /
//!   linear background, doublets; [`xps_depth`]: one spectrum per etch depth → fraction vs depth;
//! - [`ir_peaks`]: band positions per sample, shifts from the first sample and band presence by a
//!   stated criterion (a detected peak of at least the given prominence within ± tolerance).
//!
//! Fractions are area fractions: equal Raman cross-sections and, within one core level, no
//! sensitivity factors (methods.md's pitfalls apply). Axes are in display units (cm⁻¹, eV).

use serde::{Deserialize, Serialize};
use spelab_core::fit::FitOptions;
use spelab_core::{Spectrum, SpectrumAxis};

use super::baseline::Baseline;
use super::detect::{find_peaks, DetectedPeak};
use super::fit::{fit_peaks, PeakFit};
use super::model::{Component, FitBackground, Param, PeakModel, Which};
use super::shapes::Shape;
use super::xps_background::{shirley, tougaard};
use crate::AnalysisError;

/// Points of (x, y) with lo ≤ x ≤ hi, in the data's order; edges count within 1e-9 relative, since
/// unit conversions (eV → J → eV, hν − KE) move a point lying on an edge by a few ulps.
fn window(x: &[f64], y: &[f64], (lo, hi): (f64, f64)) -> (Vec<f64>, Vec<f64>) {
    let eps = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
    x.iter().zip(y).filter(|(v, _)| **v >= lo - eps && **v <= hi + eps).map(|(a, b)| (*a, *b)).unzip()
}

/// Options of [`raman_speciation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RamanOptions {
    /// Fit window; default 700–790 cm⁻¹ [cm⁻¹].
    pub window: (f64, f64),
    /// Band centres free / CIP / AGG; default the paper's 740.9 / 744.2 / 748.7 [cm⁻¹].
    pub centers: [f64; 3],
    /// Each centre may move this far; default 1.5 [cm⁻¹].
    pub center_tolerance: f64,
    /// FWHM bounds; default 3–10 [cm⁻¹].
    pub fwhm_bounds: (f64, f64),
    /// Baseline subtracted first; default a straight line through 5 points at each end.
    pub baseline: Baseline,
    /// Line shape; default pseudo-Voigt with η shared by the three bands.
    pub shape: Shape,
    /// Share one FWHM among the three bands; default true (bands 3–4 cm⁻¹ apart with free widths are
    /// poorly determined, methods.md §11).
    pub shared_width: bool,
}

impl Default for RamanOptions {
    fn default() -> Self {
        RamanOptions {
            window: (700.0, 790.0),
            centers: [740.9, 744.2, 748.7],
            center_tolerance: 1.5,
            fwhm_bounds: (3.0, 10.0),
            baseline: Baseline::Linear { points: 5 },
            shape: Shape::PseudoVoigt,
            shared_width: true,
        }
    }
}

/// Result of [`raman_speciation`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speciation {
    /// Free-anion (SSIP) area fraction and SE [1].
    pub free_anion_fraction: (f64, f64),
    /// Contact-ion-pair fraction and SE [1].
    pub contact_ion_pair_fraction: (f64, f64),
    /// Aggregate fraction and SE [1].
    pub aggregate_fraction: (f64, f64),
    /// Baseline subtracted, on the fit's points.
    pub baseline: Vec<f64>,
    /// The fit (components free / CIP / AGG), on the baseline-subtracted data.
    pub fit: PeakFit,
}

/// TFSI⁻ speciation from a Raman spectrum (see the module documentation).
pub fn raman_speciation(spectrum: &Spectrum, options: &RamanOptions) -> Result<Speciation, AnalysisError> {
    if spectrum.axis() != SpectrumAxis::Wavenumber {
        return Err(AnalysisError::InvalidInput {
            what: "Raman speciation",
            reason: "needs a wavenumber (Raman shift) axis".into(),
        });
    }
    let s = spectrum.to_ascending();
    let (x, y) = window(&s.x_display(), s.y(), options.window);
    let base = options.baseline.evaluate(&x, &y)?;
    let ys: Vec<f64> = y.iter().zip(&base).map(|(a, b)| a - b).collect();
    let peak = ys.iter().cloned().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let (wlo, whi) = options.fwhm_bounds;
    let start_w = 0.5 * (wlo + whi);
    let labels = ["free", "CIP", "AGG"];
    let comps = labels
        .iter()
        .zip(options.centers)
        .map(|(l, c)| {
            Component::new(*l, options.shape, c, start_w, peak * start_w / 3.0)
                .center_within(c - options.center_tolerance, c + options.center_tolerance)
                .width_within(wlo, whi)
        })
        .collect();
    let mut model = PeakModel::new(comps);
    model.share(Which::Mix, &[0, 1, 2]);
    if options.shared_width {
        model.share(Which::Width, &[0, 1, 2]);
    }
    let fit = fit_peaks(&x, &ys, &model, &FitOptions::default())?;
    let f = |i: usize| fit.components[i].fraction;
    Ok(Speciation {
        free_anion_fraction: f(0),
        contact_ion_pair_fraction: f(1),
        aggregate_fraction: f(2),
        baseline: base,
        fit,
    })
}

/// One component of an XPS model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XpsComponentSpec {
    /// Label ("LiF", "C-F", "In 3d5/2").
    pub label: String,
    /// Start centre [eV].
    pub center: f64,
    /// Centre bounds [eV].
    pub center_bounds: (f64, f64),
    /// Spin–orbit partner: (label, splitting [eV], area ratio), e.g. ("In 3d3/2", 7.54, 2/3).
    pub doublet: Option<(String, f64, f64)>,
}

/// The background of an XPS fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XpsBackground {
    /// Iterative Shirley subtracted first (ends: mean of 5 points, tol 1e-7, 100 iterations).
    Shirley,
    /// Shirley fitted together with the peaks.
    ActiveShirley,
    /// Tougaard (C = 1643 eV²) subtracted first.
    Tougaard,
    /// Straight line through 5 points at each end.
    Linear,
}

/// Options of [`xps_components`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct XpsOptions {
    /// Binding-energy window [eV].
    pub window: (f64, f64),
    /// The components.
    pub components: Vec<XpsComponentSpec>,
    /// Line shape; default pseudo-Voigt (GL product also common).
    pub shape: Shape,
    /// FWHM bounds shared by all components [eV]; default 1.0–2.2 (methods.md §12).
    pub fwhm_bounds: (f64, f64),
    /// Share one FWHM among all components; default true.
    pub shared_width: bool,
    /// Background; default Shirley.
    pub background: XpsBackground,
    /// Charge referencing: (measured, true) position of a reference line, e.g. C 1s (284.3, 284.8);
    /// the spectrum is shifted by true − measured [eV].
    pub charge_reference: Option<(f64, f64)>,
    /// Photon energy for a kinetic-energy spectrum [eV]; default Al Kα 1486.6.
    pub photon_energy: f64,
}

impl Default for XpsOptions {
    fn default() -> Self {
        XpsOptions {
            window: (682.0, 692.0),
            components: vec![
                XpsComponentSpec {
                    label: "LiF".into(),
                    center: 685.4,
                    center_bounds: (684.8, 685.9),
                    doublet: None,
                },
                XpsComponentSpec {
                    label: "C-F".into(),
                    center: 688.4,
                    center_bounds: (687.8, 689.0),
                    doublet: None,
                },
            ],
            shape: Shape::PseudoVoigt,
            fwhm_bounds: (1.0, 2.2),
            shared_width: true,
            background: XpsBackground::Shirley,
            charge_reference: None,
            photon_energy: 1486.6,
        }
    }
}

/// Result of [`xps_components`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct XpsFit {
    /// Shift applied by charge referencing [eV].
    pub shift: f64,
    /// Background on the fit's points (subtracted, or fitted for the active Shirley).
    pub background: Vec<f64>,
    /// The fit (on the background-subtracted data unless active).
    pub fit: PeakFit,
}

/// Fits one XPS core level (see the module documentation).
pub fn xps_components(spectrum: &Spectrum, options: &XpsOptions) -> Result<XpsFit, AnalysisError> {
    let e = spelab_core::constants::ELEMENTARY_CHARGE;
    let s = spectrum
        .to_binding_energy(options.photon_energy * e, 0.0)
        .map_err(|err| AnalysisError::InvalidInput { what: "XPS components", reason: err.to_string() })?;
    if s.axis() != SpectrumAxis::BindingEnergy {
        return Err(AnalysisError::InvalidInput {
            what: "XPS components",
            reason: "needs a binding- or kinetic-energy axis".into(),
        });
    }
    let shift = options.charge_reference.map_or(0.0, |(measured, truth)| truth - measured);
    let be: Vec<f64> = s.x_display().iter().map(|v| v + shift).collect();
    let (x, y) = window(&be, s.y(), options.window);
    if x.len() < 10 {
        return Err(AnalysisError::TooFewPoints { what: "XPS components", needed: 10, found: x.len() });
    }
    let n = y.len();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let background = match options.background {
        XpsBackground::Shirley => shirley(&x, &y, mean(&y[..5]), mean(&y[n - 5..]), 1e-7, 100)?.background,
        XpsBackground::Tougaard => tougaard(&x, &y, 1643.0, 5)?,
        XpsBackground::Linear => Baseline::Linear { points: 5 }.evaluate(&x, &y)?,
        XpsBackground::ActiveShirley => vec![0.0; n],
    };
    let ys: Vec<f64> = y.iter().zip(&background).map(|(a, b)| a - b).collect();
    let peak = ys.iter().cloned().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let (wlo, whi) = options.fwhm_bounds;
    let w0 = 0.5 * (wlo + whi);
    let mut model = PeakModel::new(Vec::new());
    let mut majors = Vec::new();
    for spec in &options.components {
        let c = Component::new(spec.label.clone(), options.shape, spec.center, w0, peak * w0 / 2.0)
            .center_within(spec.center_bounds.0, spec.center_bounds.1)
            .width_within(wlo, whi);
        let c =
            if options.shape == Shape::PseudoVoigt { c.with_mix(Param::bounded(0.3, 0.0, 1.0)) } else { c };
        model.components.push(c);
        let major = model.components.len() - 1;
        majors.push(major);
        if let Some((label, split, ratio)) = &spec.doublet {
            model.add_doublet(major, label.clone(), *split, *ratio);
        }
    }
    if options.shared_width {
        model.share(Which::Width, &majors);
    }
    model.share(Which::Mix, &majors);
    if options.background == XpsBackground::ActiveShirley {
        model = model.with_background(FitBackground::Shirley);
    }
    let data = if options.background == XpsBackground::ActiveShirley { &y } else { &ys };
    let fit = fit_peaks(&x, data, &model, &FitOptions::default())?;
    let background =
        if options.background == XpsBackground::ActiveShirley { fit.background.clone() } else { background };
    Ok(XpsFit { shift, background, fit })
}

/// One row of a depth profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepthRow {
    /// Nominal etch depth [m].
    pub depth: f64,
    /// Area fraction of the target component, and SE [1].
    pub fraction: (f64, f64),
    /// Every component's (label, fraction, SE).
    pub components: Vec<(String, f64, f64)>,
}

/// A fraction-versus-depth table from one spectrum per etch depth, fitted with the same options;
/// `target` names the component whose fraction is tabulated (e.g. "LiF").
pub fn xps_depth(
    spectra: &[(f64, &Spectrum)],
    options: &XpsOptions,
    target: &str,
) -> Result<Vec<DepthRow>, AnalysisError> {
    spectra
        .iter()
        .map(|(depth, s)| {
            let r = xps_components(s, options)
                .map_err(|e| e.for_input(format!("depth {:.1} nm", depth * 1e9)))?;
            let t = r.fit.component(target).ok_or_else(|| AnalysisError::InvalidInput {
                what: "XPS depth profile",
                reason: format!("no component '{target}'"),
            })?;
            Ok(DepthRow {
                depth: *depth,
                fraction: t.fraction,
                components: r
                    .fit
                    .components
                    .iter()
                    .map(|c| (c.label.clone(), c.fraction.0, c.fraction.1))
                    .collect(),
            })
        })
        .collect()
}

/// Options of [`ir_peaks`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IrOptions {
    /// Window [cm⁻¹].
    pub window: (f64, f64),
    /// Minimum prominence of a reported band (signal units).
    pub prominence: f64,
    /// Convert reflectance or transmittance to pseudo-absorbance −log₁₀(y) first.
    pub to_absorbance: bool,
    /// Bands to track (e.g. the DMF C=O at 1655 cm⁻¹) [cm⁻¹].
    pub bands: Vec<f64>,
    /// A tracked band is present when a peak lies within this distance; default 10 [cm⁻¹].
    pub tolerance: f64,
}

impl Default for IrOptions {
    fn default() -> Self {
        IrOptions {
            window: (600.0, 4000.0),
            prominence: 0.01,
            to_absorbance: false,
            bands: vec![1655.0],
            tolerance: 10.0,
        }
    }
}

/// One tracked band in one sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandPresence {
    /// The band asked for [cm⁻¹].
    pub band: f64,
    /// Whether a peak of at least the stated prominence lies within the tolerance.
    pub present: bool,
    /// Its refined position, when present [cm⁻¹].
    pub position: Option<f64>,
    /// Position minus the first sample's position, when both are present [cm⁻¹].
    pub shift: Option<f64>,
}

/// Peaks of one sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IrSample {
    /// Sample name.
    pub name: String,
    /// Every detected peak.
    pub peaks: Vec<DetectedPeak>,
    /// The tracked bands.
    pub bands: Vec<BandPresence>,
}

/// FT-IR band positions, shifts and presence for several samples (see the module documentation).
pub fn ir_peaks(samples: &[(&str, &Spectrum)], options: &IrOptions) -> Result<Vec<IrSample>, AnalysisError> {
    let mut out: Vec<IrSample> = Vec::new();
    for (name, s) in samples {
        let s = s.to_ascending();
        let y: Vec<f64> = if options.to_absorbance {
            s.y().iter().map(|v| -v.max(f64::MIN_POSITIVE).log10()).collect()
        } else {
            s.y().to_vec()
        };
        let (x, y) = window(&s.x_display(), &y, options.window);
        let peaks = find_peaks(&x, &y, options.prominence);
        let bands = options
            .bands
            .iter()
            .enumerate()
            .map(|(k, &band)| {
                let position = peaks
                    .iter()
                    .filter(|p| (p.position - band).abs() <= options.tolerance)
                    .max_by(|a, b| a.prominence.total_cmp(&b.prominence))
                    .map(|p| p.position);
                let first = out.first().and_then(|f| f.bands[k].position);
                BandPresence {
                    band,
                    present: position.is_some(),
                    position,
                    shift: position.zip(first).map(|(a, b)| a - b),
                }
            })
            .collect();
        out.push(IrSample { name: name.to_string(), peaks, bands });
    }
    Ok(out)
}
