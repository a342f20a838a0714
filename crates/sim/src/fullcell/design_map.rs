//! Design map: the rate capability of a full cell over a grid of electrolyte conductivity σ ×
//! transference number t₊ ([`design_map`]; several grids, e.g. one per membrane thickness, in one
//! parallel run: [`design_maps`]), the iso-lines of such a map ([`contour`]) and its read-outs
//! ([`DesignMap::value_at`], [`DesignMap::conductivity_for`]).
//!
//! Every grid point is the cell of a material ([`FullCell::from_material`]) with only σ and t₊ (and
//! optionally the membrane thickness) replaced, D following from σ and t₊ by Nernst-Einstein as for the
//! presets, then the calibrated knobs applied ([`super::calibration::with_knobs`]); its capacity at a low
//! and a high C-rate is one DFN discharge each ([`super::calibration::discharge_capacity`], PyBaMM's
//! 20/20/20 mesh, rtol 1e-5) and the map holds their ratio. The grid points run in parallel (rayon).
//!
//! [`contour`] is marching squares with linear interpolation along cell edges (exact for a field linear
//! in the given coordinates; pass log σ to interpolate in log σ); a saddle cell is split by its centre
//! value. The read-outs interpolate the same way: linearly in log σ and in t₊ (bilinear in a cell), so
//! a contour point reads back as its level.

use rayon::prelude::*;

use super::calibration::{discharge_capacity, with_knobs, Knob};
use super::params::FullCell;
use crate::error::{check_param, SimError};
use crate::params::MaterialParams;

/// What a map is computed over.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignGrid {
    /// Ionic conductivities at 25 °C, increasing [S/m].
    pub conductivity: Vec<f64>,
    /// Transference numbers, increasing, in (0, 1) [1].
    pub transference: Vec<f64>,
    /// Membrane thickness [m]; `None` keeps the material's.
    pub thickness: Option<f64>,
    /// The reference (low) C-rate [1/h].
    pub low_rate: f64,
    /// The high C-rate [1/h].
    pub high_rate: f64,
}

/// The capacities and their ratio over a [`DesignGrid`].
#[derive(Debug, Clone, PartialEq)]
pub struct DesignMap {
    /// The grid.
    pub grid: DesignGrid,
    /// Membrane thickness used [m].
    pub thickness: f64,
    /// Capacity at the low rate, row-major: `[t₊ index * n_σ + σ index]` [mAh/g].
    pub capacity_low: Vec<f64>,
    /// Capacity at the high rate, same layout [mAh/g].
    pub capacity_high: Vec<f64>,
}

impl DesignMap {
    /// High-rate over low-rate capacity at every grid point, same layout [1].
    pub fn ratio(&self) -> Vec<f64> {
        self.capacity_high.iter().zip(&self.capacity_low).map(|(h, l)| h / l).collect()
    }

    /// The iso-lines of the ratio at `level`, segments in (σ [S/m], t₊) interpolated in log σ.
    pub fn contour(&self, level: f64) -> Vec<[(f64, f64); 2]> {
        let lx: Vec<f64> = self.grid.conductivity.iter().map(|s| s.ln()).collect();
        contour(&lx, &self.grid.transference, &self.ratio(), level)
            .into_iter()
            .map(|s| s.map(|(x, y)| (x.exp(), y)))
            .collect()
    }

    /// The ratio at (σ [S/m], t₊) ([`DesignMap::value_at`] of [`DesignMap::ratio`]).
    pub fn ratio_at(&self, sigma: f64, tp: f64) -> Option<f64> {
        self.value_at(&self.ratio(), sigma, tp)
    }

    /// `values` (the map's layout, e.g. [`DesignMap::capacity_high`]) at (σ [S/m], t₊), bilinear in
    /// (log σ, t₊) between the grid points; `None` outside the grid.
    pub fn value_at(&self, values: &[f64], sigma: f64, tp: f64) -> Option<f64> {
        let (s, t) = (&self.grid.conductivity, &self.grid.transference);
        let (i, u) = cell_of(&s.iter().map(|v| v.ln()).collect::<Vec<_>>(), sigma.ln())?;
        let (j, w) = cell_of(t, tp)?;
        let ns = s.len();
        let at = |a: usize, b: usize| values[(j + b) * ns + i + a];
        Some((1.0 - w) * ((1.0 - u) * at(0, 0) + u * at(1, 0)) + w * ((1.0 - u) * at(0, 1) + u * at(1, 1)))
    }

    /// The smallest σ [S/m] where `ratio` (the map's layout; e.g. [`DesignMap::ratio`] with collapsed
    /// points masked) reaches `level` along t₊ = `tp`: rows interpolated linearly in t₊, columns in
    /// log σ; `None` if it does not within the map.
    pub fn conductivity_for(&self, ratio: &[f64], tp: f64, level: f64) -> Option<f64> {
        let (s, t) = (&self.grid.conductivity, &self.grid.transference);
        let ns = s.len();
        let (j, w) = cell_of(t, tp)?;
        let row: Vec<f64> =
            (0..ns).map(|i| (1.0 - w) * ratio[j * ns + i] + w * ratio[(j + 1) * ns + i]).collect();
        (0..ns - 1).find_map(|i| {
            let (a, b) = (row[i], row[i + 1]);
            (a < level && b >= level).then(|| {
                let f = (level - a) / (b - a);
                (s[i].ln() + f * (s[i + 1].ln() - s[i].ln())).exp()
            })
        })
    }
}

/// The cell of increasing `axis` holding `v` and the fraction across it: (k, f) with v = axis[k] + f
/// (axis[k+1] − axis[k]); `None` outside the axis or with fewer than 2 points.
fn cell_of(axis: &[f64], v: f64) -> Option<(usize, f64)> {
    let k = axis.windows(2).position(|w| w[0] <= v && v <= w[1])?;
    Some((k, (v - axis[k]) / (axis[k + 1] - axis[k])))
}

/// `n` values from `min` to `max`, evenly spaced in log (`log = true`) or linearly.
pub fn grid_values(min: f64, max: f64, n: usize, log: bool) -> Vec<f64> {
    if n == 1 {
        return vec![min];
    }
    (0..n)
        .map(|k| {
            let t = k as f64 / (n - 1) as f64;
            if log {
                (min.ln() + t * (max.ln() - min.ln())).exp()
            } else {
                min + t * (max - min)
            }
        })
        .collect()
}

/// The rate capability of `material`'s full cell (salt `salt` [mol/m³], discharges from
/// `initial_stoichiometry`) with `knobs` applied, over `grid` (module docs). A grid point whose model
/// fails holds NaN.
pub fn design_map(
    material: &MaterialParams,
    salt: f64,
    knobs: &[(Knob, f64)],
    initial_stoichiometry: f64,
    grid: &DesignGrid,
) -> Result<DesignMap, SimError> {
    let mut maps = design_maps(material, salt, knobs, initial_stoichiometry, std::slice::from_ref(grid))?;
    Ok(maps.remove(0))
}

/// [`design_map`] over each of `grids` (e.g. the same σ × t₊ grid at several membrane thicknesses),
/// all grid points of all maps in one parallel run.
pub fn design_maps(
    material: &MaterialParams,
    salt: f64,
    knobs: &[(Knob, f64)],
    initial_stoichiometry: f64,
    grids: &[DesignGrid],
) -> Result<Vec<DesignMap>, SimError> {
    let valid = |v: &[f64], lo: f64, hi: f64| {
        !v.is_empty()
            && v.iter().all(|x| x.is_finite() && *x > lo && *x < hi)
            && v.windows(2).all(|w| w[0] < w[1])
    };
    let (names, values): (Vec<Knob>, Vec<f64>) = knobs.iter().copied().unzip();
    let cell_at = |sigma: f64, tp: f64, thickness: f64| -> Result<FullCell, SimError> {
        let mut m = *material;
        (m.ionic_conductivity_25c, m.transference_number, m.thickness) = (sigma, tp, thickness);
        Ok(with_knobs(&FullCell::from_material(&m, salt)?, &names, &values))
    };
    let mut jobs = Vec::new(); // (map, point, C-rate, thickness)
    for (g, grid) in grids.iter().enumerate() {
        if !valid(&grid.conductivity, 0.0, f64::INFINITY) || !valid(&grid.transference, 0.0, 1.0) {
            return Err(SimError::InvalidProtocol(
                "design map: conductivities > 0 and transference numbers in (0, 1), each increasing".into(),
            ));
        }
        check_param("low C-rate", grid.low_rate, grid.low_rate > 0.0, "> 0")?;
        check_param("high C-rate", grid.high_rate, grid.high_rate > 0.0, "> 0")?;
        let thickness = grid.thickness.unwrap_or(material.thickness);
        check_param("thickness", thickness, thickness > 0.0 && thickness.is_finite(), "> 0 m")?;
        // Fail early on a bad material or knob rather than with a map of NaN.
        cell_at(grid.conductivity[0], grid.transference[0], thickness)?.validate()?;
        for k in 0..grid.conductivity.len() * grid.transference.len() {
            jobs.extend([(g, k, grid.low_rate, thickness), (g, k, grid.high_rate, thickness)]);
        }
    }
    let caps: Vec<f64> = jobs
        .par_iter()
        .map(|&(g, k, rate, thickness)| {
            let (s, t) = (&grids[g].conductivity, &grids[g].transference);
            let cell = cell_at(s[k % s.len()], t[k / s.len()], thickness);
            cell.and_then(|c| discharge_capacity(&c, initial_stoichiometry, rate)).unwrap_or(f64::NAN)
        })
        .collect();
    let mut caps = caps.into_iter();
    Ok(grids
        .iter()
        .map(|grid| {
            let n = grid.conductivity.len() * grid.transference.len();
            let both: Vec<f64> = caps.by_ref().take(2 * n).collect();
            DesignMap {
                grid: grid.clone(),
                thickness: grid.thickness.unwrap_or(material.thickness),
                capacity_low: both.iter().step_by(2).copied().collect(),
                capacity_high: both.iter().skip(1).step_by(2).copied().collect(),
            }
        })
        .collect())
}

/// Segments of the iso-line `level` of `values` (row-major: `[j * x.len() + i]` at (x[i], y[j])) by
/// marching squares (module docs). Cells with a NaN corner are skipped.
pub fn contour(x: &[f64], y: &[f64], values: &[f64], level: f64) -> Vec<[(f64, f64); 2]> {
    let (nx, ny) = (x.len(), y.len());
    let mut out = Vec::new();
    if nx < 2 || ny < 2 || values.len() != nx * ny {
        return out;
    }
    let at = |i: usize, j: usize| values[j * nx + i];
    let cross = |p: (f64, f64), q: (f64, f64), vp: f64, vq: f64| {
        let t = (level - vp) / (vq - vp);
        (p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1))
    };
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            // Corners counter-clockwise from (i, j).
            let c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let v: Vec<f64> = c.iter().map(|&(a, b)| at(a, b)).collect();
            if v.iter().any(|z| !z.is_finite()) {
                continue;
            }
            let p: Vec<(f64, f64)> = c.iter().map(|&(a, b)| (x[a], y[b])).collect();
            // Crossing on each edge k (corner k to corner k+1).
            let hits: Vec<(usize, (f64, f64))> = (0..4)
                .filter_map(|k| {
                    let (a, b) = (k, (k + 1) % 4);
                    ((v[a] >= level) != (v[b] >= level)).then(|| (k, cross(p[a], p[b], v[a], v[b])))
                })
                .collect();
            match hits.len() {
                2 => out.push([hits[0].1, hits[1].1]),
                4 => {
                    // Saddle: the centre decides which corners connect.
                    let centre = v.iter().sum::<f64>() / 4.0;
                    if (centre >= level) == (v[0] >= level) {
                        out.push([hits[0].1, hits[3].1]);
                        out.push([hits[1].1, hits[2].1]);
                    } else {
                        out.push([hits[0].1, hits[1].1]);
                        out.push([hits[2].1, hits[3].1]);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field linear in the coordinates: every contour point lies on the exact iso-line.
    #[test]
    fn contour_of_a_linear_field_is_exact() {
        let x = grid_values(0.0, 1.0, 7, false);
        let y = grid_values(0.0, 2.0, 5, false);
        let f = |a: f64, b: f64| 2.0 * a + 0.5 * b;
        let values: Vec<f64> = y.iter().flat_map(|&b| x.iter().map(move |&a| f(a, b))).collect();
        let segs = contour(&x, &y, &values, 1.3);
        assert!(!segs.is_empty());
        for s in &segs {
            for &(a, b) in s {
                assert!((f(a, b) - 1.3).abs() < 1e-12, "{a} {b}");
            }
        }
        // The line 2a + 0.5b = 1.3 runs from b = 0 to b = 2 over 4 rows: one segment per cell row it
        // crosses, at least 4.
        assert!(segs.len() >= 4);
        assert!(contour(&x, &y, &values, 99.0).is_empty());
    }

    /// A ratio linear in (log σ, t₊): the read-outs are exact, and every contour point reads back as
    /// its level.
    #[test]
    fn read_outs_of_a_linear_map_are_exact_and_agree_with_the_contour() {
        let f = |s: f64, t: f64| 0.5 + 0.1 * s.log10() + 0.3 * t;
        let grid = DesignGrid {
            conductivity: grid_values(1e-3, 1.0, 4, true),
            transference: grid_values(0.1, 0.9, 3, false),
            thickness: None,
            low_rate: 0.1,
            high_rate: 1.0,
        };
        let high = grid.transference.iter().flat_map(|&t| grid.conductivity.iter().map(move |&s| f(s, t)));
        let map = DesignMap {
            capacity_high: high.collect(),
            capacity_low: vec![1.0; 12],
            thickness: 1e-4,
            grid: grid.clone(),
        };
        for (s, t) in [(2e-3, 0.2), (0.5, 0.85), (1e-3, 0.1), (1.0, 0.9)] {
            assert!((map.ratio_at(s, t).unwrap() - f(s, t)).abs() < 1e-12, "{s} {t}");
        }
        assert!(map.ratio_at(2.0, 0.5).is_none() && map.ratio_at(0.1, 0.95).is_none());
        let segments = map.contour(0.4);
        assert!(!segments.is_empty());
        for &(s, t) in segments.iter().flatten() {
            assert!((map.ratio_at(s, t).unwrap() - 0.4).abs() < 1e-12);
        }
        // 0.4 = 0.5 + 0.1 log10 σ + 0.3 · 0.5 → σ = 10^-2.5.
        let sigma = map.conductivity_for(&map.ratio(), 0.5, 0.4).unwrap();
        assert!((sigma.log10() + 2.5).abs() < 1e-12, "{sigma}");
        assert!(map.conductivity_for(&map.ratio(), 0.5, 0.9).is_none());
    }

    #[test]
    fn log_grid_ends_and_spacing() {
        let g = grid_values(1e-2, 1.0, 3, true);
        assert!((g[0] - 1e-2).abs() < 1e-15 && (g[1] - 0.1).abs() < 1e-12 && (g[2] - 1.0).abs() < 1e-12);
    }
}
