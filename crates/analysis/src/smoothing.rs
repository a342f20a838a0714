//! Savitzky–Golay smoothing (as `scipy.signal.savgol_filter`, `mode = "interp"`) and the
//! capacity-on-a-voltage-grid step of navani's dQ/dV.
//!
//! A Savitzky–Golay filter replaces each point by the value at that point of the least-squares
//! polynomial of degree `order` through the `window` points centred on it (Savitzky & Golay, Anal. Chem.
//! 36 (1964) 1627, doi:10.1021/ac60214a047). At the edges, as scipy's `mode = "interp"`, one polynomial
//! is fitted to the first (last) `window` points and evaluated at the first (last) `window / 2` points.
//!
//! ```
//! use spelab_analysis::smoothing::savitzky_golay;
//! // A polynomial of degree <= order passes unchanged, edges included.
//! let y: Vec<f64> = (0..20).map(|k| { let x = k as f64; 1.0 + 2.0 * x - 0.1 * x * x }).collect();
//! let s = savitzky_golay(&y, 7, 2).unwrap();
//! assert!(y.iter().zip(&s).all(|(a, b)| (a - b).abs() < 1e-9));
//! ```

use crate::error::check_finite;
use crate::AnalysisError;

const WHAT: &str = "Savitzky-Golay smoothing";

/// Weights that give, from `window` samples, the value at sample `at` (0-based inside the window) of
/// their least-squares polynomial of degree `order`.
fn weights(window: usize, order: usize, at: usize) -> Vec<f64> {
    // Abscissae scaled to [-1, 1] keep the normal equations well conditioned.
    let m = (window / 2).max(1) as f64;
    let x = |k: usize| (k as f64 - (window / 2) as f64) / m;
    let p = order + 1;
    // Normal matrix G = AᵀA with A[k][j] = x_k^j; solve G c = v(at), then weight_k = Σ_j c_j x_k^j.
    let mut g = vec![vec![0.0; p + 1]; p];
    for (i, row) in g.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().take(p).enumerate() {
            *cell = (0..window).map(|k| x(k).powi((i + j) as i32)).sum();
        }
        row[p] = x(at).powi(i as i32);
    }
    // Gauss–Jordan with partial pivoting (G is symmetric positive definite).
    for c in 0..p {
        let pivot = (c..p).max_by(|&a, &b| g[a][c].abs().total_cmp(&g[b][c].abs())).unwrap_or(c);
        g.swap(c, pivot);
        let pivot_row = g[c].clone();
        for (r, row) in g.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot_row[c];
                for (a, b) in row.iter_mut().zip(&pivot_row).skip(c) {
                    *a -= f * b;
                }
            }
        }
    }
    let coef: Vec<f64> = (0..p).map(|i| g[i][p] / g[i][i]).collect();
    (0..window).map(|k| coef.iter().enumerate().map(|(j, c)| c * x(k).powi(j as i32)).sum()).collect()
}

/// Savitzky–Golay smoothing of `y` with an odd `window` (> `order`, <= `y.len()`).
pub fn savitzky_golay(y: &[f64], window: usize, order: usize) -> Result<Vec<f64>, AnalysisError> {
    check_finite(WHAT, "values", y)?;
    if window.is_multiple_of(2) || window <= order {
        return Err(AnalysisError::Unusable {
            what: WHAT,
            reason: format!("window {window} must be odd and larger than the order {order}"),
        });
    }
    if y.len() < window {
        return Err(AnalysisError::TooFewPoints { what: WHAT, needed: window, found: y.len() });
    }
    let (n, h) = (y.len(), window / 2);
    let dot = |w: &[f64], from: usize| w.iter().zip(&y[from..from + window]).map(|(a, b)| a * b).sum::<f64>();
    let centre = weights(window, order, h);
    let mut out: Vec<f64> =
        (0..n).map(|k| if k >= h && k + h < n { dot(&centre, k - h) } else { 0.0 }).collect();
    for i in 0..h {
        out[i] = dot(&weights(window, order, i), 0);
        out[n - h + i] = dot(&weights(window, order, h + 1 + i), n - window);
    }
    Ok(out)
}

/// navani's first dQ/dV stage (`navani.echem.dqdv_single_cycle`): capacity averaged per distinct
/// voltage, linearly interpolated on `points` evenly spaced voltages from min to max, then
/// Savitzky–Golay smoothed. Returns (voltage grid [V], smoothed capacity [unit of `capacity`]).
pub fn capacity_on_voltage_grid(
    capacity: &[f64],
    voltage: &[f64],
    points: usize,
    window: usize,
    order: usize,
) -> Result<(Vec<f64>, Vec<f64>), AnalysisError> {
    crate::error::check_len(WHAT, ("capacity", capacity.len()), ("voltage", voltage.len()), 2)?;
    check_finite(WHAT, "capacity", capacity)?;
    check_finite(WHAT, "voltage", voltage)?;
    let mut pairs: Vec<(f64, f64)> = voltage.iter().copied().zip(capacity.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mean capacity per distinct voltage (pandas groupby('Voltage').mean()).
    let mut v: Vec<f64> = Vec::new();
    let mut q: Vec<f64> = Vec::new();
    let mut k = 0;
    while k < pairs.len() {
        let start = k;
        while k < pairs.len() && pairs[k].0 == pairs[start].0 {
            k += 1;
        }
        v.push(pairs[start].0);
        q.push(pairs[start..k].iter().map(|p| p.1).sum::<f64>() / (k - start) as f64);
    }
    if v.len() < 2 {
        return Err(AnalysisError::Degenerate { what: WHAT, column: "voltage" });
    }
    let (lo, hi) = (v[0], v[v.len() - 1]);
    let grid: Vec<f64> = (0..points).map(|i| lo + (hi - lo) * i as f64 / (points - 1) as f64).collect();
    let mut seg = 0;
    let y: Vec<f64> = grid
        .iter()
        .map(|&x| {
            while seg + 2 < v.len() && x > v[seg + 1] {
                seg += 1;
            }
            let t = (x - v[seg]) / (v[seg + 1] - v[seg]);
            q[seg] + t * (q[seg + 1] - q[seg])
        })
        .collect();
    let smooth = savitzky_golay(&y, window, order)?;
    Ok((grid, smooth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_point_quadratic_weights_are_the_classic_ones() {
        // Savitzky & Golay's table: (-3, 12, 17, 12, -3) / 35.
        let w = weights(5, 2, 2);
        for (a, b) in w.iter().zip([-3.0, 12.0, 17.0, 12.0, -3.0]) {
            assert!((a - b / 35.0).abs() < 1e-14, "{w:?}");
        }
        assert!(savitzky_golay(&[1.0; 4], 5, 2).is_err());
        assert!(savitzky_golay(&[1.0; 9], 4, 2).is_err());
    }
}
