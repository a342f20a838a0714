//! What `spelab read` shows of a spectroscopic or thermal file: its format and, per block, the label,
//! the kind of trace, the number of points and the axis range in display units (cm⁻¹, eV, °C), plus
//! any extra columns. Serializable for `--json`.

use serde::Serialize;
use spelab_core::{SpectrumAxis, ThermogramKind};

use super::{SpectralFile, SpectralFormat, Trace};

/// One block of a [`SpectralSummary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockSummary {
    /// The block's label.
    pub label: String,
    /// `"spectrum"`, `"dsc"`, `"dsc_specific"`, `"tga_mass"` or `"tga_mass_fraction"`.
    pub kind: &'static str,
    /// The abscissa: the spectral axis (`"wavenumber"`, `"binding_energy"` ...) or `"temperature"`.
    pub axis: String,
    /// The abscissa's display unit ("cm⁻¹", "eV", "°C").
    pub unit: &'static str,
    /// Number of points.
    pub points: usize,
    /// Smallest and largest abscissa, in the display unit.
    pub range: (f64, f64),
    /// Names of the extra columns.
    pub extra_columns: Vec<String>,
}

/// The summary of a [`SpectralFile`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpectralSummary {
    /// The detected format.
    pub format: SpectralFormat,
    /// One entry per block, in file order.
    pub blocks: Vec<BlockSummary>,
}

fn axis_name(axis: SpectrumAxis) -> &'static str {
    match axis {
        SpectrumAxis::Wavenumber => "wavenumber",
        SpectrumAxis::BindingEnergy => "binding_energy",
        SpectrumAxis::KineticEnergy => "kinetic_energy",
        SpectrumAxis::Wavelength => "wavelength",
        SpectrumAxis::TwoTheta => "two_theta",
    }
}

fn range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

impl SpectralFile {
    /// The summary `spelab read` prints.
    ///
    /// ```
    /// use spelab_io::spectra::read_spectral;
    /// let file = read_spectral(b"wavenumber,intensity\n700,1.0\n710,2.5\n720,1.2\n", "band.csv").unwrap();
    /// let s = file.summary();
    /// assert_eq!((s.blocks[0].points, s.blocks[0].range), (3, (700.0, 720.0)));
    /// assert!(s.text().contains("700 .. 720 cm⁻¹"));
    /// ```
    pub fn summary(&self) -> SpectralSummary {
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                let (kind, axis, unit, points, range) = match &b.trace {
                    Trace::Spectrum(s) => (
                        "spectrum",
                        axis_name(s.axis()).to_string(),
                        s.axis().display_unit(),
                        s.len(),
                        range(s.x_display().into_iter()),
                    ),
                    Trace::Thermogram(t) => (
                        match t.kind() {
                            ThermogramKind::Dsc => "dsc",
                            ThermogramKind::DscSpecific => "dsc_specific",
                            ThermogramKind::Tga(spelab_core::TgaSignal::Mass) => "tga_mass",
                            ThermogramKind::Tga(spelab_core::TgaSignal::MassFraction) => "tga_mass_fraction",
                        },
                        "temperature".to_string(),
                        "°C",
                        t.len(),
                        range(t.temperature().iter().map(|k| k - spelab_core::constants::ZERO_CELSIUS)),
                    ),
                };
                BlockSummary {
                    label: b.label.clone(),
                    kind,
                    axis,
                    unit,
                    points,
                    range,
                    extra_columns: b.extra.iter().map(|(n, _)| n.clone()).collect(),
                }
            })
            .collect();
        SpectralSummary { format: self.format, blocks }
    }
}

impl SpectralSummary {
    /// The summary as text, one line per block.
    pub fn text(&self) -> String {
        let mut t = format!("format:     {}\nblocks:     {}\n", self.format.id(), self.blocks.len());
        // Four decimals at most, trailing zeros dropped (axis values carry unit-conversion noise).
        let short = |v: f64| {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        for b in &self.blocks {
            let label = b.label.split_whitespace().collect::<Vec<_>>().join(" ");
            t.push_str(&format!(
                "  {}: {} of {} points, {} {} .. {} {}\n",
                if label.is_empty() { "(unnamed)" } else { &label },
                b.kind,
                b.points,
                b.axis,
                short(b.range.0),
                short(b.range.1),
                b.unit
            ));
            if !b.extra_columns.is_empty() {
                t.push_str(&format!("    extra columns: {}\n", b.extra_columns.join(", ")));
            }
        }
        t
    }
}
