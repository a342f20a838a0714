//! XPS inelastic backgrounds: the iterative Shirley background and the Tougaard background, static
//! (computed from the data before fitting) or as linear operators for the active forms fitted
//! together with the peaks.
//!
//! Iterative Shirley (Shirley, Phys. Rev. B 5 (1972) 4709; Proctor & Sherwood 1982): with the window
//! ends ordered so that the first ("left") end has the larger intensity, I_l and I_r the end
//! intensities and B₀ = 0,
//! Bₙ(x) = kₙ ∫_x^{x_r} (y − I_r − Bₙ₋₁) dx′ (trapezoid rule), kₙ = (I_l − I_r)/∫_{x_l}^{x_r}(…),
//! until mean((Bₙ − Bₙ₋₁)²) < tol; the background is I_r + B. This is the iteration and stopping
//! rule of `lmfitxps.backgrounds.shirley_calculate`, so the same `tol` and `max_iter` give the same
//! background (checked to 1e-6 relative in `tests/peaks_reference.rs`). End intensities are given in
//! the data's own order (the trap the shared README warns about).
//!
//! Tougaard (Tougaard, Surf. Interface Anal. 25 (1997) 137): on a binding-energy axis, with the
//! two-parameter universal cross-section K(T) = T/(C + T²)² (C = 1643 eV²),
//! B(E) = B_T ∫_{E_low}^{E} K(E − E′) (y(E′) − y_low) dE′, B_T chosen so that the background meets
//! the data at the high-binding-energy end.

use crate::AnalysisError;

/// Result of the iterative Shirley background.
#[derive(Debug, Clone, PartialEq)]
pub struct Shirley {
    /// The background at each point, in the data's order.
    pub background: Vec<f64>,
    /// Iterations made.
    pub iterations: usize,
    /// Whether the stopping rule was met before `max_iter`.
    pub converged: bool,
}

/// Iterative Shirley background of (x, y) with end intensities `start` (at x[0]) and `end` (at
/// x[n−1]); see the module documentation.
pub fn shirley(
    x: &[f64],
    y: &[f64],
    start: f64,
    end: f64,
    tol: f64,
    max_iter: usize,
) -> Result<Shirley, AnalysisError> {
    let n = x.len();
    crate::error::check_len("Shirley background", ("x", n), ("y", y.len()), 3)?;
    // Orient so that the first point has the larger measured intensity.
    let reversed = y[0] < y[n - 1];
    let (xs, ys, (il, ir)): (Vec<f64>, Vec<f64>, (f64, f64)) = if reversed {
        (x.iter().rev().copied().collect(), y.iter().rev().copied().collect(), (end, start))
    } else {
        (x.to_vec(), y.to_vec(), (start, end))
    };
    let mut b = vec![0.0; n];
    let mut integral = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    for _ in 0..max_iter {
        iterations += 1;
        // integral[i] = ∫_{x_i}^{x_r} (y − I_r − B) dx, accumulated from the right end.
        integral[n - 1] = 0.0;
        for i in (0..n - 1).rev() {
            let f0 = ys[i] - b[i] - ir;
            let f1 = ys[i + 1] - b[i + 1] - ir;
            integral[i] = integral[i + 1] + 0.5 * (f0 + f1) * (xs[i] - xs[i + 1]);
        }
        let k = (il - ir) / integral[0];
        if !k.is_finite() {
            return Err(AnalysisError::Unusable {
                what: "Shirley background",
                reason: "the background-subtracted signal integrates to zero".to_string(),
            });
        }
        let change: f64 =
            b.iter().zip(&integral).map(|(old, s)| (old - k * s).powi(2)).sum::<f64>() / n as f64;
        for (bi, s) in b.iter_mut().zip(&integral) {
            *bi = k * s;
        }
        if change < tol {
            converged = true;
            break;
        }
    }
    let mut background: Vec<f64> = b.iter().map(|v| v + ir).collect();
    if reversed {
        background.reverse();
    }
    Ok(Shirley { background, iterations, converged })
}

/// The two-parameter universal Tougaard cross-section K(T) = T/(C + T²)² [1/eV].
pub fn tougaard_kernel(t: f64, c: f64) -> f64 {
    if t <= 0.0 {
        0.0
    } else {
        t / (c + t * t).powi(2)
    }
}

/// The Tougaard operator as a dense m × m matrix (row-major): (K v)_i = Σ_j K(x_i − x_j) v_j Δx_j over
/// the points of lower binding energy, trapezoid weights. `x` is the binding energy [eV].
pub fn tougaard_matrix(x: &[f64], c: f64) -> Vec<f64> {
    let m = x.len();
    let mut k = vec![0.0; m * m];
    let weight = |j: usize| {
        let left = if j > 0 { (x[j] - x[j - 1]).abs() } else { 0.0 };
        let right = if j + 1 < m { (x[j + 1] - x[j]).abs() } else { 0.0 };
        0.5 * (left + right)
    };
    for i in 0..m {
        for j in 0..m {
            k[i * m + j] = tougaard_kernel(x[i] - x[j], c) * weight(j);
        }
    }
    k
}

/// Static Tougaard background on a binding-energy axis `x` [eV] (see the module documentation);
/// `points` end points are averaged for the two end intensities.
pub fn tougaard(x: &[f64], y: &[f64], c: f64, points: usize) -> Result<Vec<f64>, AnalysisError> {
    let m = x.len();
    crate::error::check_len("Tougaard background", ("x", m), ("y", y.len()), 3)?;
    let k = points.clamp(1, m / 2);
    let ascending = x[m - 1] > x[0];
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let (low, high) =
        if ascending { (mean(&y[..k]), mean(&y[m - k..])) } else { (mean(&y[m - k..]), mean(&y[..k])) };
    let kernel = tougaard_matrix(x, c);
    let shifted: Vec<f64> = y.iter().map(|v| v - low).collect();
    let raw: Vec<f64> = (0..m).map(|i| (0..m).map(|j| kernel[i * m + j] * shifted[j]).sum()).collect();
    let top = if ascending { mean(&raw[m - k..]) } else { mean(&raw[..k]) };
    if top.abs() < f64::MIN_POSITIVE {
        return Err(AnalysisError::Unusable {
            what: "Tougaard background",
            reason: "no signal above the low end".into(),
        });
    }
    let scale = (high - low) / top;
    Ok(raw.iter().map(|r| low + scale * r).collect())
}

/// ∫ from the lowest x to each x_i of `v` (trapezoid), for the active Shirley background.
pub fn cumulative_from_low(x: &[f64], v: &[f64], out: &mut [f64]) {
    let m = x.len();
    if m == 0 {
        return;
    }
    let ascending = m < 2 || x[m - 1] > x[0];
    if ascending {
        out[0] = 0.0;
        for i in 1..m {
            out[i] = out[i - 1] + 0.5 * (v[i] + v[i - 1]) * (x[i] - x[i - 1]);
        }
    } else {
        out[m - 1] = 0.0;
        for i in (0..m - 1).rev() {
            out[i] = out[i + 1] + 0.5 * (v[i] + v[i + 1]) * (x[i] - x[i + 1]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shirley_of_a_step_free_peak_meets_both_ends() {
        // A Gaussian on a step: the background must equal the end intensities at the ends.
        let x: Vec<f64> = (0..200).map(|i| 280.0 + 0.05 * i as f64).collect();
        let y: Vec<f64> = x
            .iter()
            .enumerate()
            .map(|(i, &e)| {
                100.0 + 1000.0 * (-(e - 285.0f64).powi(2) / 0.5).exp() + if i > 100 { 50.0 } else { 0.0 }
            })
            .collect();
        let s = shirley(&x, &y, y[0], y[199], 1e-10, 200).unwrap();
        assert!(s.converged);
        assert!((s.background[0] - y[0]).abs() < 1e-9 && (s.background[199] - y[199]).abs() < 1e-9);
        // Monotonic between the ends.
        assert!(s.background.windows(2).all(|w| w[1] >= w[0] - 1e-12));
    }
}
