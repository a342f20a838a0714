//! Shared drawing style: the palette as plotters colours, the font family, the marker grey, and
//! pixel sizes at a render scale.

use plotters::prelude::*;

/// The public `PALETTE` (of the `plot` module) as plotters colours, in the same order.
const PALETTE_RGB: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x88, 0x22, 0x55),
    RGBColor(0x00, 0x00, 0x00),
];
/// The font family of all text (the PNG renders it with the embedded DejaVu Sans).
pub(crate) const FONT: &str = "sans-serif";

/// The palette colour for an index (wraps after 8).
pub(crate) fn palette(index: usize) -> RGBColor {
    PALETTE_RGB[index % PALETTE_RGB.len()]
}

/// Reference markers: dark grey, so they read as annotations rather than data.
pub(crate) const MARKER_COLOR: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// Sizes in pixels at a render scale, and how lines must be drawn on the target.
#[derive(Clone, Copy)]
pub(crate) struct Px {
    /// Render scale: output pixels per pixel of the 800 × 560 layout.
    pub scale: f64,
    /// Draw data lines segment by segment with round joins. Plotters' bitmap backend joins thick
    /// polylines with unlimited miters, so a noisy series grows spikes far outside its data; SVG
    /// viewers apply a miter limit and get the polyline.
    pub segment_lines: bool,
}

impl Px {
    /// A length [px at scale 1] at the render scale, rounded.
    pub fn i(self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }
    /// A stroke width [px at scale 1] at the render scale, at least 1.
    pub fn u(self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }
    /// The text style of `size` [px at scale 1], black.
    pub fn font(self, size: f64) -> TextStyle<'static> {
        TextStyle::from((FONT, size * self.scale).into_font()).color(&BLACK)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn palette_colours_match_the_public_hex_codes() {
        for (i, hex) in crate::plot::PALETTE.iter().enumerate() {
            let c = super::palette(i);
            assert_eq!(format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2), *hex);
        }
    }
}
