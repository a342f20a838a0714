//! The interphase (phasefield.md §4 item 6): (a) the lumped resistance is folded into L_η by
//! [`super::Parameters::reaction_coefficient`]; (b) the explicit layer into the cell conductivity
//! ([`cell_conductivity`]); (c) the heterogeneous SEI is a log-normal lateral field of L_η(y),
//!
//! ```text
//! L_η(y) = L_η exp(s G(y) − s²/2),   s² = ln(1 + CV²),
//! ```
//!
//! G a Gaussian field of zero mean and unit variance: seeded white noise per row smoothed by a
//! Gaussian kernel whose standard deviation is the correlation length (periodic or mirrored at the
//! walls), then normalised to exactly zero sample mean and unit sample variance, so the map's CV is
//! the one asked for whatever the seed.

use super::kernels::interpolation;
use super::{Grid, Parameters, SideWalls};

/// Noise stream of the SEI map (the per-step reaction noise uses the step number as its stream).
const SEI_STREAM: u64 = u64::MAX - 1;

/// L_η of every row [1/s].
pub fn reaction_map(params: &Parameters, grid: &Grid, seed: u64) -> Vec<f64> {
    let l_eta = params.reaction_coefficient();
    let cv = params.interphase.heterogeneity_cv;
    let ny = grid.ny;
    if cv == 0.0 {
        return vec![l_eta; ny];
    }
    let white: Vec<f64> = (0..ny).map(|j| super::noise::gaussian(seed, SEI_STREAM, j as u64)).collect();
    let sd = (params.interphase.correlation_length / grid.spacing).max(1e-9);
    let reach = (4.0 * sd).ceil() as isize;
    let periodic = grid.side_walls == SideWalls::Periodic;
    let n = ny as isize;
    let mut field: Vec<f64> = (0..n)
        .map(|j| {
            let mut acc = 0.0;
            for m in -reach..=reach {
                let mut k = j + m;
                if periodic {
                    k = k.rem_euclid(n);
                } else {
                    while k < 0 || k >= n {
                        k = if k < 0 { -k - 1 } else { 2 * n - k - 1 };
                    }
                }
                acc += (-0.5 * (m as f64 / sd).powi(2)).exp() * white[k as usize];
            }
            acc
        })
        .collect();
    let mean = field.iter().sum::<f64>() / ny as f64;
    let var = field.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / ny as f64;
    let sdv = var.sqrt().max(1e-300);
    let s2 = (1.0 + cv * cv).ln();
    for v in &mut field {
        *v = l_eta * ((s2.sqrt() * (*v - mean) / sdv) - 0.5 * s2).exp();
    }
    field
}

/// ξ at the outer edge of the resolved SEI layer; the layer spans ξ ∈ (0.02, 0.5), 3.89ℓ thick.
const LAYER_EDGE: f64 = 0.02;
/// Thickness of that band in units of ℓ: 2 atanh(0.96).
const LAYER_WIDTHS: f64 = 3.891_820_298_110_627;

/// Ionic conductivity of a cell: σ[(1 − h) + r_m h], in series with the SEI layer resistance
/// δ_SEI/σ_SEI spread over the resolved layer band [S/m].
#[inline]
pub fn cell_conductivity(params: &Parameters, xi: f64) -> f64 {
    let h = interpolation(xi);
    let s = params.conductivity * ((1.0 - h) + params.metal_conductivity_ratio * h);
    let i = &params.interphase;
    if i.layer_conductivity > 0.0 && xi > LAYER_EDGE && xi < 0.5 {
        let r = i.layer_thickness / i.layer_conductivity / (LAYER_WIDTHS * params.interface_width);
        1.0 / (1.0 / s + r)
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_has_the_requested_mean_and_cv() {
        let mut p = Parameters::default();
        p.interphase.heterogeneity_cv = 0.3;
        let g = Grid { nx: 4, ny: 512, spacing: 0.5e-6, side_walls: SideWalls::Periodic };
        let m = reaction_map(&p, &g, 7);
        let mean = m.iter().sum::<f64>() / 512.0;
        let sd = (m.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 512.0).sqrt();
        // A log-normal of a normalised sample: mean and CV hold to the sample's skew, a few per cent.
        assert!((mean / p.reaction_coefficient() - 1.0).abs() < 0.05, "{mean}");
        assert!((sd / mean - 0.3).abs() < 0.05, "{}", sd / mean);
        assert_eq!(m, reaction_map(&p, &g, 7));
    }
}
