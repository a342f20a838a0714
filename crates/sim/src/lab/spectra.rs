//! Virtual spectrometers and thermal analysers: a material preset's paper value (the model input)
//! drawn as the spectrum or thermogram an instrument would record, with seeded Gaussian noise, so that
//! the analysis run on it recovers that value (a round trip, not a prediction).
//!
//! | study step (virtual mode) | function | record | input (preset paper value) |
//! |---|---|---|---|
//! | `raman-speciation` | [`raman_tfsi_band`] | Raman 700–790 cm⁻¹ | free TFSI⁻ fraction (`free_anion_fraction`) |
//! | `xps-depth` | [`xps_f1s`] | F 1s 692–682 eV at 10 nm | LiF share (`lif_fraction`, `etch_depth_m = 1e-8`) |
//! | `ir-peaks` | [`ir_carbonyl_band`] | absorbance 1500–1900 cm⁻¹ | DMF C=O band (`ftir_dmf_c_o_band_cm_inv`) |
//! | `dsc-crystallinity` | [`dsc_melting`] | specific heat flow 80–230 °C, 10 K/min | crystallinity X_c |
//! | `tga-steps` | [`tga_solvent_loss`] | mass fraction 30–630 °C | residual solvent (`residual_solvent_content`) |
//!
//! The line shapes, band positions and widths not given by the paper are assumptions written below
//! (the paper's Raman centres 740.9 / 744.2 / 748.7 cm⁻¹, LiF 685.4 and C–F 688.4 eV are its own).
//! The contact-ion-pair / aggregate split of the bound anions (70 : 30) is an assumption; only the free
//! fraction is the paper's.

use spelab_core::constants::PVDF_MELTING_ENTHALPY_100;
use spelab_core::measurement::TgaSignal;
use spelab_core::metric::Conditions;
use spelab_core::random::Rng;
use spelab_core::{Metadata, MetricId, Spectrum, SpectrumAxis, Thermogram, ThermogramKind};

use crate::error::SimError;
use crate::params::{ParamsError, Preset};

/// Polymer mass fraction w assumed for the virtual DSC (PVDF-HFP : LiTFSI 1 : 1 by mass; the paper
/// gives X_c only) [1].
pub const DSC_POLYMER_FRACTION: f64 = 0.5;

/// A virtual record and the model input it was drawn from.
#[derive(Debug, Clone)]
pub struct SpectralRun<M> {
    /// The record, as a reader would return it.
    pub measurement: M,
    /// The input the analysis should recover (SI; cm⁻¹ for a band position).
    pub input: f64,
}

/// The preset's paper value of `metric` (conditions `conditions`), or [`ParamsError::Missing`].
fn paper(preset: &Preset, metric: MetricId, conditions: &[(&str, f64)]) -> Result<f64, SimError> {
    let c: Conditions = conditions.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    preset
        .input_paper_value(metric, &c)
        .map(|v| v.si_value)
        .ok_or_else(|| ParamsError::Missing { id: preset.id.clone(), key: metric.as_str().into() }.into())
}

/// The metadata of a virtual record.
fn metadata(instrument: &str) -> Metadata {
    Metadata::default().with_source("simulation").with_instrument(instrument)
}

/// Unit-area pseudo-Voigt η L + (1 − η) G of full width at half maximum `fwhm` at `x`.
fn pseudo_voigt(x: f64, center: f64, fwhm: f64, eta: f64) -> f64 {
    let u = x - center;
    let hw = fwhm / 2.0;
    let l = hw / (std::f64::consts::PI * (u * u + hw * hw));
    let sigma = fwhm / (2.0 * (2.0 * std::f64::consts::LN_2).sqrt());
    let g = (-0.5 * (u / sigma).powi(2)).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt());
    eta * l + (1.0 - eta) * g
}

/// Raman TFSI⁻ band (step `raman-speciation`): free / CIP / AGG pseudo-Voigt bands (FWHM 5 cm⁻¹,
/// η = 0.3, total area 5000 counts·cm⁻¹) at the paper's centres on a sloped background (50 counts
/// plus 0.1 per cm⁻¹), 700–790 cm⁻¹ every 0.25 cm⁻¹, noise σ = 2 counts. Input: the preset's free
/// fraction at 298.15 K; bound anions split 70 : 30 into CIP and AGG (assumption).
pub fn raman_tfsi_band(preset: &Preset, seed: u64) -> Result<SpectralRun<Spectrum>, SimError> {
    let free = paper(preset, MetricId::FreeAnionFraction, &[("temperature_K", 298.15)])?;
    let bands = [(740.9, free), (744.2, (1.0 - free) * 0.7), (748.7, (1.0 - free) * 0.3)];
    let mut rng = Rng::new(seed);
    let x: Vec<f64> = (0..361).map(|i| 700.0 + 0.25 * i as f64).collect();
    let y = x
        .iter()
        .map(|&v| {
            50.0 + 0.1 * (v - 700.0)
                + bands.iter().map(|(c, a)| 5000.0 * a * pseudo_voigt(v, *c, 5.0, 0.3)).sum::<f64>()
                + 2.0 * rng.normal()
        })
        .collect();
    let measurement =
        Spectrum::from_display(x, y, SpectrumAxis::Wavenumber, metadata("spelab virtual Raman"))?;
    Ok(SpectralRun { measurement, input: free })
}

/// Etch depth of the paper's LiF share (Fig. S16a) [m].
pub const XPS_ETCH_DEPTH: f64 = 1.0e-8;

/// XPS F 1s after Ar⁺ etching to 10 nm (step `xps-depth`): LiF (685.4 eV) and C–F (688.4 eV)
/// pseudo-Voigt lines (FWHM 1.7 eV, η = 0.3, total area 20000 counts·eV) on a flat 1000-count
/// background, 692 → 682 eV every 0.0625 eV, noise σ = 10 counts. Input: the preset's LiF share at
/// `etch_depth_m = 1e-8`.
pub fn xps_f1s(preset: &Preset, seed: u64) -> Result<SpectralRun<Spectrum>, SimError> {
    let lif = paper(preset, MetricId::LifFraction, &[("etch_depth_m", XPS_ETCH_DEPTH)])?;
    let mut rng = Rng::new(seed);
    let x: Vec<f64> = (0..161).map(|i| 692.0 - 0.0625 * i as f64).collect();
    let y = x
        .iter()
        .map(|&v| {
            1000.0
                + 20000.0
                    * (lif * pseudo_voigt(v, 685.4, 1.7, 0.3)
                        + (1.0 - lif) * pseudo_voigt(v, 688.4, 1.7, 0.3))
                + 10.0 * rng.normal()
        })
        .collect();
    let measurement =
        Spectrum::from_display(x, y, SpectrumAxis::BindingEnergy, metadata("spelab virtual XPS"))?;
    Ok(SpectralRun { measurement, input: lif })
}

/// FT-IR absorbance around the DMF carbonyl (step `ir-peaks`): a Lorentzian (FWHM 8 cm⁻¹, peak
/// absorbance 0.32) at the preset's `ftir_dmf_c_o_band_cm_inv` on a 0.02 baseline, 1500–1900 cm⁻¹
/// every 0.5 cm⁻¹, noise σ = 2·10⁻⁴. Input: the band position [cm⁻¹].
pub fn ir_carbonyl_band(preset: &Preset, seed: u64) -> Result<SpectralRun<Spectrum>, SimError> {
    let key = "ftir_dmf_c_o_band_cm_inv";
    let band = preset
        .get(key)
        .map(|v| v.value)
        .ok_or_else(|| SimError::from(ParamsError::Missing { id: preset.id.clone(), key: key.into() }))?;
    let mut rng = Rng::new(seed);
    let x: Vec<f64> = (0..801).map(|i| 1500.0 + 0.5 * i as f64).collect();
    let y = x
        .iter()
        .map(|&v| 0.02 + 0.32 * 16.0 / (4.0 * (v - band).powi(2) + 16.0) + 2e-4 * rng.normal())
        .collect();
    let measurement =
        Spectrum::from_display(x, y, SpectrumAxis::Wavenumber, metadata("spelab virtual FT-IR"))?;
    Ok(SpectralRun { measurement, input: band })
}

/// DSC heating scan at 10 K/min (step `dsc-crystallinity`): a Gaussian melting endotherm (FWHM 8 K at
/// 160 °C) of enthalpy ΔH_m = X_c · w · ΔH_m⁰ (w = [`DSC_POLYMER_FRACTION`], ΔH_m⁰ = 104.7 J/g) on a
/// sloped baseline (50 W/kg + 0.05 per K), 80–230 °C every 0.1 K, noise σ = 0.02 W/kg; a specific
/// heat flow [W/kg] with its time channel. Input: the preset's crystallinity.
pub fn dsc_melting(preset: &Preset, seed: u64) -> Result<SpectralRun<Thermogram>, SimError> {
    let xc = paper(preset, MetricId::Crystallinity, &[])?;
    let dh = xc * DSC_POLYMER_FRACTION * PVDF_MELTING_ENTHALPY_100;
    let mut rng = Rng::new(seed);
    let rate = 10.0 / 60.0;
    let t: Vec<f64> = (0..1501).map(|i| 353.15 + 0.1 * i as f64).collect();
    let time = t.iter().map(|v| (v - 353.15) / rate).collect();
    let (fwhm, tm) = (8.0, 433.15);
    let sigma = fwhm / (2.0 * (2.0 * std::f64::consts::LN_2).sqrt());
    let q = t
        .iter()
        .map(|&v| {
            let g = (-0.5 * ((v - tm) / sigma).powi(2)).exp() / (sigma * (2.0 * std::f64::consts::PI).sqrt());
            50.0 + 0.05 * (v - 353.15) + dh * rate * g + 0.02 * rng.normal()
        })
        .collect();
    let measurement = Thermogram::new(t, q, ThermogramKind::DscSpecific, metadata("spelab virtual DSC"))?
        .with_time(time)?;
    Ok(SpectralRun { measurement, input: xc })
}

/// TGA at 10 K/min (step `tga-steps`): the residual solvent lost in a logistic step around 150 °C
/// (width 8 K), then 60 % decomposition around 450 °C (width 10 K), 30–630 °C every 0.25 K, noise
/// σ = 5·10⁻⁶ of the initial mass; a mass fraction with its time channel. Input: the preset's solvent
/// content.
pub fn tga_solvent_loss(preset: &Preset, seed: u64) -> Result<SpectralRun<Thermogram>, SimError> {
    let solvent = paper(preset, MetricId::ResidualSolventContent, &[])?;
    let mut rng = Rng::new(seed);
    let step = |v: f64, c: f64, w: f64| 1.0 / (1.0 + (-(v - c) / w).exp());
    let t: Vec<f64> = (0..2401).map(|i| 303.15 + 0.25 * i as f64).collect();
    let time = t.iter().map(|v| (v - 303.15) * 6.0).collect();
    let m = t
        .iter()
        .map(|&v| 1.0 - solvent * step(v, 423.15, 8.0) - 0.60 * step(v, 723.15, 10.0) + 5e-6 * rng.normal())
        .collect();
    let kind = ThermogramKind::Tga(TgaSignal::MassFraction);
    let measurement = Thermogram::new(t, m, kind, metadata("spelab virtual TGA"))?.with_time(time)?;
    Ok(SpectralRun { measurement, input: solvent })
}
