//! Calibrate on one material, predict the other (issue #12): the one unmeasured parameter that
//! decides whether phase-field protrusions outgrow the mean front, the interface mobility L_σ, is
//! fitted so that the reduced model's CCD staircase of the reference material (PVH-IM) fails at the
//! paper's CCD; every other material then takes the same L_σ, its own measured σ, t₊, i₀ and the SEI
//! of [`super::failure::Calibration::interphase`] (CV ∝ 1 − LiF share, R_SEI ∝ ToF-SIMS sputter time).
//!
//! # Why L_σ
//! Capillary smoothing of a bump of wavelength λ decays at L_σκ₀(2π/λ)²: at the SPE default 1e-8
//! m³/(J s) a 6 µm bump relaxes in about a minute, far faster than any deposition instability, so
//! the tip amplification stays below 1 at every current and nothing fails; lowering L_σ lets the
//! transport- and kinetics-driven focusing win above a current that the fit places at the paper's
//! CCD. The SEI heterogeneity CV (0.05 assumed on PVH-IM, phasefield.md §4) changes the amplification
//! by a few per cent only, so one target (one CCD) fixes one parameter, L_σ; the others stay stated
//! assumptions.
//!
//! # The fit
//! A bracketed root of g(x) = J_fail(eˣ) − J_target in x = ln L_σ (Illinois false position, with
//! bisection when a step would leave the bracket), J_fail the continuous staircase failure current
//! ([`super::failure::staircase_failure_current`]; no failure counts as the staircase's top current).
//! The target is the middle of the paper's staircase step, J_ccd − ΔJ/2, so the record's CCD (the
//! failing step) equals the paper's. Standard uncertainty of ln L_σ: the step quantisation ΔJ/√12
//! over the local slope |dg/dx| (the best point and the nearest point on the root's other side).
//!
//! # What it gives (reference study, 1 µm cells, 64 µm wide, 0.1 mAh/cm² runs, seed 1)
//! The amplification saturates near 1.45 for PVH-IM as L_σ → 0 (capillarity off), so with the
//! study's 30-min half-cycles and all of the excess retained the staircase cannot fail below about
//! 2.2 mA/cm² inside the admissible bracket 1e-10–1e-8 (2.05 even at 1e-11): the fit stops at
//! 1e-10 and says so (`bracketed` false), PVH-IM's CCD 2.25 mA/cm² (1.32× the paper), PVH predicted
//! 1.65 mA/cm² (4.1×), ratio 1.36 vs 4.25. With 1-h half-cycles the target is bracketed: L_σ =
//! 1.03e-10 (×/÷ 1.02), PVH-IM 1.7 mA/cm² exactly, PVH 1.35 mA/cm², ratio 1.26. The model's
//! amplification barely separates the materials below their transport limits. The study then
//! fits the residue yield of [`super::accumulation`] with the same root finder (any positive
//! parameter fits in its logarithm; `interface_mobility` then holds that parameter).

/// A fitted interface mobility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MobilityFit {
    /// Fitted L_σ [m³/(J s)].
    pub interface_mobility: f64,
    /// Standard uncertainty of ln L_σ [1].
    pub ln_uncertainty: f64,
    /// Continuous failure current at the fitted L_σ [A/m²].
    pub failure_current: f64,
    /// Model evaluations used.
    pub evaluations: usize,
    /// Whether |g| met the tolerance (otherwise the best point after the evaluation budget).
    pub converged: bool,
    /// Whether the bracket's ends straddled the target; when not, the fit is the end closer to it
    /// (the target is out of the model's reach inside the bracket) and the uncertainty is infinite.
    pub bracketed: bool,
}

/// Fits L_σ in `bracket` [m³/(J s)] so that `failure_current(L_σ)` [A/m²] meets `target` [A/m²]
/// within `tolerance` [A/m²], at most `max_evaluations` evaluations; `none_value` stands for "no
/// failure" [A/m²]; `resolution` is the staircase step ΔJ [A/m²] for the uncertainty. When the
/// bracket's ends do not straddle the target, the end closer to it (`bracketed` false).
pub fn fit_interface_mobility<E>(
    bracket: (f64, f64),
    target: f64,
    tolerance: f64,
    resolution: f64,
    none_value: f64,
    max_evaluations: usize,
    mut failure_current: impl FnMut(f64) -> Result<Option<f64>, E>,
) -> Result<MobilityFit, E> {
    let mut points: Vec<(f64, f64)> = Vec::new();
    let mut g = |x: f64, points: &mut Vec<(f64, f64)>| -> Result<(f64, f64), E> {
        let j = failure_current(x.exp())?.unwrap_or(none_value);
        points.push((x, j - target));
        Ok((j - target, j))
    };
    let (mut a, mut b) = (bracket.0.ln(), bracket.1.ln());
    let ((mut ga, ja), (mut gb, jb)) = (g(a, &mut points)?, g(b, &mut points)?);
    let mut best = if ga.abs() <= gb.abs() { (a, ga, ja) } else { (b, gb, jb) };
    if !(ga.is_finite() && gb.is_finite()) || ga * gb > 0.0 {
        return Ok(MobilityFit {
            interface_mobility: best.0.exp(),
            ln_uncertainty: f64::INFINITY,
            failure_current: best.2,
            evaluations: points.len(),
            converged: false,
            bracketed: false,
        });
    }
    let mut side = 0i8;
    let mut converged = best.1.abs() <= tolerance;
    while !converged && points.len() < max_evaluations.max(3) {
        let mut x = (a * gb - b * ga) / (gb - ga);
        if !(x.is_finite() && x > a.min(b) && x < a.max(b)) {
            x = 0.5 * (a + b);
        }
        let (gx, jx) = g(x, &mut points)?;
        if gx.abs() < best.1.abs() {
            best = (x, gx, jx);
        }
        converged = gx.abs() <= tolerance;
        if gx * gb < 0.0 {
            (a, ga) = (b, gb);
            (b, gb) = (x, gx);
            side = 0;
        } else {
            (b, gb) = (x, gx);
            // Illinois: halve the stale end's value when the same end is kept twice.
            if side == 1 {
                ga *= 0.5;
            }
            side = 1;
        }
    }
    // Local slope: the best point and the nearest evaluated point on the other side of the root.
    let other = points
        .iter()
        .filter(|(x, v)| *x != best.0 && v * best.1 <= 0.0)
        .min_by(|p, q| (p.0 - best.0).abs().total_cmp(&(q.0 - best.0).abs()))
        .copied()
        .unwrap_or((b, gb));
    let slope = ((other.1 - best.1) / (other.0 - best.0)).abs();
    let ln_uncertainty =
        if slope > 0.0 && slope.is_finite() { resolution / 12f64.sqrt() / slope } else { f64::INFINITY };
    Ok(MobilityFit {
        interface_mobility: best.0.exp(),
        ln_uncertainty,
        failure_current: best.2,
        evaluations: points.len(),
        converged,
        bracketed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic J_fail = 1.7·√(L/3e-9) mA/cm²: the root 3e-9 recovered to 1e-6 relative, and the
    /// uncertainty ΔJ/√12 over dJ/dln L = J/2 = 8.5 A/m² at the root (5 %: a secant slope).
    #[test]
    fn recovers_a_known_root_and_its_uncertainty() {
        let f = |l: f64| Ok::<_, ()>(Some(17.0 * (l / 3e-9).sqrt()));
        let fit = fit_interface_mobility((1e-11, 1e-8), 17.0, 1e-7, 0.5, 50.0, 60, f).unwrap();
        assert!(fit.converged);
        assert!((fit.interface_mobility / 3e-9 - 1.0).abs() < 1e-6, "{}", fit.interface_mobility);
        let expected = 0.5 / 12f64.sqrt() / 8.5;
        assert!((fit.ln_uncertainty / expected - 1.0).abs() < 0.05, "{}", fit.ln_uncertainty);
        // No failure above 1e-8 is the cap; a target outside the bracket is no fit.
        let capped = |l: f64| Ok::<_, ()>((l < 5e-9).then(|| 17.0 * (l / 3e-9).sqrt()));
        let fit = fit_interface_mobility((1e-11, 1e-8), 17.0, 1e-7, 0.5, 50.0, 60, capped).unwrap();
        assert!((fit.interface_mobility / 3e-9 - 1.0).abs() < 1e-6 && fit.bracketed);
        // Out of reach: the closer end (1e-8 gives 31 A/m², nearer 100 than 1e-11's 1.0), 2 evaluations.
        let out = fit_interface_mobility((1e-11, 1e-8), 100.0, 1e-7, 0.5, 50.0, 60, f).unwrap();
        assert!(!out.bracketed && !out.converged && out.evaluations == 2);
        assert!((out.interface_mobility / 1e-8 - 1.0).abs() < 1e-12 && out.ln_uncertainty.is_infinite());
    }
}
