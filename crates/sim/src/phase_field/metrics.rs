//! Morphology metrics of a deposit (phasefield.md §6), from the ξ = ½ front h(y) (outermost
//! crossing per row, linear interpolation), the ξ = ½ contour (marching squares), the concentration
//! and the last step's ∂_tξ.

use super::state::State;
use super::{PhaseField, SideWalls};

/// Minimum prominence of a branch tip, 1 µm = 2ℓ at the default width [m].
pub const BRANCH_PROMINENCE: f64 = 1e-6;

/// Morphology of a deposit at one time.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Morphology {
    /// Simulated time [s].
    pub time: f64,
    /// Charge deposited per area [C/m²].
    pub deposited_charge: f64,
    /// Highest front position above the initial front, max h − x₀ [m].
    pub max_height: f64,
    /// Mean deposit thickness ∫ξ dA/width − x₀ [m].
    pub mean_height: f64,
    /// (max h − x₀)/(mean thickness grown since t = 0); 1 for a flat front [1].
    pub height_ratio: f64,
    /// RMS roughness R_q of h(y) [m].
    pub roughness: f64,
    /// Mean absolute roughness R_a of h(y) [m].
    pub mean_roughness: f64,
    /// Contour length of ξ = ½ over the width (1 flat; Ahmad et al. 1.5 = dendritic) [1].
    pub arc_length_ratio: f64,
    /// Deposited area / (width × (max h − x₀)): 1 compact [1].
    pub area_ratio: f64,
    /// c̃ in the first electrolyte cell ahead of the highest tip [1].
    pub tip_concentration: f64,
    /// Largest |∇c| on the electrolyte side of the interface (0.01 < ξ < ½) [mol/m⁴].
    pub tip_concentration_gradient: f64,
    /// Current focusing: max/mean over rows of the deposition rate ∫∂_tξ dx [1].
    pub focusing_factor: f64,
    /// Uniformity 1 − CV of that rate [1].
    pub uniformity: f64,
    /// Local maxima of h(y) with prominence above [`BRANCH_PROMINENCE`].
    pub branch_count: usize,
    /// Box-counting dimension of the contour cells (boxes 2 cells … width/4), 1 when too few sizes.
    pub fractal_dimension: f64,
    /// Short-circuit time, if any [s].
    pub short_circuit_time: Option<f64>,
}

/// Front position h(y) of every row (outermost ξ = ½ crossing; 0 when none) [m].
pub fn front(model: &PhaseField, state: &State) -> Vec<f64> {
    let g = &model.setup().grid;
    (0..g.ny)
        .map(|j| {
            let r = &state.phase[j * g.nx..(j + 1) * g.nx];
            match (0..g.nx).rev().find(|&i| r[i] >= 0.5) {
                Some(i) if i + 1 < g.nx => g.x(i) + g.spacing * (r[i] - 0.5) / (r[i] - r[i + 1]),
                Some(i) => g.x(i),
                None => 0.0,
            }
        })
        .collect()
}

/// All metrics of `state`.
pub fn morphology(model: &PhaseField, state: &State) -> Morphology {
    let g = &model.setup().grid;
    let p = model.parameters();
    let x0 = model.setup().front_position;
    let (nx, ny, dx) = (g.nx, g.ny, g.spacing);
    let h = front(model, state);
    let (jmax, hmax) =
        h.iter().enumerate().fold((0, f64::MIN), |a, (j, &v)| if v > a.1 { (j, v) } else { a });
    let hmean = h.iter().sum::<f64>() / ny as f64;
    let rq = (h.iter().map(|v| (v - hmean).powi(2)).sum::<f64>() / ny as f64).sqrt();
    let ra = h.iter().map(|v| (v - hmean).abs()).sum::<f64>() / ny as f64;
    let area = state.metal_area(g);
    let mean_height = area / g.width() - x0;
    let grown = mean_height.max(1e-300);
    let max_height = hmax - x0;
    let i_tip = (((hmax / dx) - 0.5).floor() as isize + 1).clamp(0, nx as isize - 1) as usize;
    let tip_concentration = state.concentration[jmax * nx + i_tip];
    let mut grad = 0.0f64;
    for j in 0..ny {
        let (jb, ja) = g.neighbour_rows(j);
        for i in 1..nx - 1 {
            let k = j * nx + i;
            let x = state.phase[k];
            if x > 0.01 && x < 0.5 {
                let c = &state.concentration;
                let gx = (c[k + 1] - c[k - 1]) / (2.0 * dx);
                let gy = (c[ja * nx + i] - c[jb * nx + i]) / (2.0 * dx);
                grad = grad.max((gx * gx + gy * gy).sqrt());
            }
        }
    }
    let rates: Vec<f64> = state.rate.chunks(nx).map(|r| r.iter().sum::<f64>() * dx).collect();
    let rm = rates.iter().sum::<f64>() / ny as f64;
    let (focusing_factor, uniformity) = if rm > 0.0 {
        let sd = (rates.iter().map(|v| (v - rm).powi(2)).sum::<f64>() / ny as f64).sqrt();
        (rates.iter().fold(f64::MIN, |a, &b| a.max(b)) / rm, 1.0 - sd / rm)
    } else {
        (1.0, 1.0)
    };
    // The initial deposit: the area above x₀ at t = 0 is the nuclei's; use height over the mean.
    let deposited = area - x0 * g.width();
    Morphology {
        time: state.time,
        deposited_charge: state.deposited_charge,
        max_height,
        mean_height,
        height_ratio: if state.deposited_charge > 0.0 { max_height / grown } else { 1.0 },
        roughness: rq,
        mean_roughness: ra,
        arc_length_ratio: contour_length(model, state) / g.width(),
        area_ratio: if max_height > 0.0 { deposited / (g.width() * max_height) } else { 1.0 },
        tip_concentration,
        tip_concentration_gradient: grad * p.bulk_concentration,
        focusing_factor,
        uniformity,
        branch_count: branch_count(&h, BRANCH_PROMINENCE),
        fractal_dimension: fractal_dimension(model, state),
        short_circuit_time: state.short_circuit_time,
    }
}

/// Length of the ξ = ½ contour by marching squares over cell centres (per unit depth) [m].
pub fn contour_length(model: &PhaseField, state: &State) -> f64 {
    let g = &model.setup().grid;
    let (nx, ny, dx) = (g.nx, g.ny, g.spacing);
    let rows = if g.side_walls == SideWalls::Periodic { ny } else { ny - 1 };
    let mut total = 0.0;
    for j in 0..rows {
        let ja = (j + 1) % ny;
        for i in 0..nx - 1 {
            let v = [
                state.phase[j * nx + i],
                state.phase[j * nx + i + 1],
                state.phase[ja * nx + i + 1],
                state.phase[ja * nx + i],
            ];
            let corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
            let mut pts = Vec::with_capacity(4);
            for e in 0..4 {
                let (a, b) = (v[e] - 0.5, v[(e + 1) % 4] - 0.5);
                if (a >= 0.0) != (b >= 0.0) {
                    let t = a / (a - b);
                    let (p, q) = (corners[e], corners[(e + 1) % 4]);
                    pts.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
                }
            }
            for s in pts.chunks(2) {
                if let [a, b] = s {
                    total += ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                }
            }
        }
    }
    total * dx
}

/// Local maxima of `h` with prominence above `prominence` (the drop to the higher of the two
/// lowest points before a higher peak on either side; the row sequence is read as a line) [1].
pub fn branch_count(h: &[f64], prominence: f64) -> usize {
    let n = h.len();
    let mut count = 0;
    for j in 0..n {
        let left_ok = j == 0 || h[j] > h[j - 1];
        let right_ok = j + 1 == n || h[j] >= h[j + 1];
        if !(left_ok && right_ok) {
            continue;
        }
        let mut lmin = h[j];
        let mut k = j;
        while k > 0 && h[k - 1] <= h[j] {
            k -= 1;
            lmin = lmin.min(h[k]);
        }
        let left = if k == 0 { f64::NEG_INFINITY.max(lmin) } else { lmin };
        let mut rmin = h[j];
        let mut k = j;
        while k + 1 < n && h[k + 1] <= h[j] {
            k += 1;
            rmin = rmin.min(h[k]);
        }
        if h[j] - left.max(rmin) > prominence {
            count += 1;
        }
    }
    count
}

/// Box-counting dimension of the cells the contour passes through.
pub fn fractal_dimension(model: &PhaseField, state: &State) -> f64 {
    let g = &model.setup().grid;
    let (nx, ny) = (g.nx, g.ny);
    let mut edge = vec![false; nx * ny];
    for j in 0..ny {
        let (jb, ja) = g.neighbour_rows(j);
        for i in 0..nx {
            let k = j * nx + i;
            if state.phase[k] >= 0.5 {
                let nb = [
                    state.phase[j * nx + i.saturating_sub(1)],
                    state.phase[j * nx + (i + 1).min(nx - 1)],
                    state.phase[jb * nx + i],
                    state.phase[ja * nx + i],
                ];
                edge[k] = nb.iter().any(|&v| v < 0.5);
            }
        }
    }
    let mut pts = Vec::new();
    let mut s = 2;
    while s <= ny / 4 {
        let (bx, by) = (nx.div_ceil(s), ny.div_ceil(s));
        let mut boxes = vec![false; bx * by];
        for j in 0..ny {
            for i in 0..nx {
                if edge[j * nx + i] {
                    boxes[(j / s) * bx + i / s] = true;
                }
            }
        }
        let n = boxes.iter().filter(|&&b| b).count();
        if n > 0 {
            pts.push(((1.0 / s as f64).ln(), (n as f64).ln()));
        }
        s *= 2;
    }
    if pts.len() < 3 {
        return 1.0;
    }
    let m = pts.len() as f64;
    let (sx, sy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / m, sy / m);
    let (num, den) =
        pts.iter().fold((0.0, 0.0), |a, p| (a.0 + (p.0 - mx) * (p.1 - my), a.1 + (p.0 - mx).powi(2)));
    num / den
}
