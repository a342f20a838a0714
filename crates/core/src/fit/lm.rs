//! MINPACK's Levenberg-Marquardt (`lmder` with `qrfac`, `lmpar`, `qrsolv`; Moré 1978) on flat
//! column-major buffers allocated once per fit.
//!
//! The algorithm is the one the `levenberg-marquardt` crate ports (same trust region, scaled diagonal,
//! step bound 100, tolerances and termination tests), written for the small dense problems of
//! spectroscopy: that crate rebuilds nalgebra matrices and vectors on every iteration and computes
//! every norm with MINPACK's overflow-guarded `enorm`, which cost about as much as a circuit's
//! residuals and Jacobian together. One deliberate difference: a trial step whose residuals are not
//! finite is rejected like a step that increases χ² (the trust region shrinks) instead of ending
//! the fit, so a wild step from a poor start does not abort it.

// A line-by-line port of index-based Fortran: the index loops are kept so it can be read against it.
#![allow(clippy::needless_range_loop)]

/// What the problem evaluates, in the optimiser's (unconstrained) variables.
pub(crate) trait Model {
    /// Residuals at `x` into `out` (length m); `false` if they are not finite.
    fn residuals(&mut self, x: &[f64], out: &mut [f64]) -> bool;
    /// Jacobian at `x` into `out`, column-major (`out[j * m + i]` = ∂rᵢ/∂xⱼ); `false` if not finite.
    fn jacobian(&mut self, x: &[f64], out: &mut [f64]) -> bool;
}

/// Why [`minimize`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// ftol and/or xtol satisfied.
    Converged,
    /// gtol satisfied.
    Orthogonal,
    /// Residuals are zero.
    ResidualsZero,
    /// Evaluation limit.
    MaxEvaluations,
    /// A tolerance at machine precision.
    NoImprovementPossible,
    /// Residuals or Jacobian not finite at an accepted point.
    NonFinite,
}

/// Settings (MINPACK names).
pub(crate) struct Settings {
    pub ftol: f64,
    pub xtol: f64,
    pub gtol: f64,
    pub max_evaluations: usize,
}

const EPSMCH: f64 = f64::EPSILON;
const FACTOR: f64 = 100.0;

/// Euclidean norm (plain sum of squares: residuals and Jacobians large enough to overflow it are not
/// finite fits anyway).
fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

/// Σ aᵢbᵢ with four partial sums, so the loop is not one chain of dependent additions.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    let mut acc = [0.0; 4];
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// Minimises ‖r(x)‖² from `x` (updated in place) for an m-residual problem. Returns why it stopped and
/// the number of residual evaluations.
pub(crate) fn minimize<M: Model>(model: &mut M, x: &mut [f64], m: usize, s: &Settings) -> (Stop, usize) {
    let n = x.len();
    let mut fvec = vec![0.0; m];
    let mut trial_f = vec![0.0; m];
    let mut fjac = vec![0.0; m * n];
    let mut diag = vec![0.0; n];
    let mut qtf = vec![0.0; n];
    let (mut wa1, mut wa2, mut wa3) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut acnorm = vec![0.0; n];
    let mut ipvt = vec![0usize; n];
    let mut work = Work::new(n);

    if !model.residuals(x, &mut fvec) {
        return (Stop::NonFinite, 1);
    }
    let mut nfev = 1;
    let mut fnorm = norm(&fvec);
    if fnorm <= f64::MIN_POSITIVE {
        return (Stop::ResidualsZero, nfev);
    }
    let mut par = 0.0;
    let mut delta = 0.0;
    let mut xnorm = 0.0;
    let mut first = true;
    loop {
        if !model.jacobian(x, &mut fjac) {
            return (Stop::NonFinite, nfev);
        }
        qrfac(m, n, &mut fjac, &mut ipvt, &mut wa1, &mut acnorm, &mut wa2);
        if first {
            for j in 0..n {
                diag[j] = if acnorm[j] == 0.0 { 1.0 } else { acnorm[j] };
            }
            xnorm = diag.iter().zip(x.iter()).map(|(d, x)| (d * x) * (d * x)).sum::<f64>().sqrt();
            if !xnorm.is_finite() {
                return (Stop::NonFinite, nfev);
            }
            delta = if xnorm == 0.0 { FACTOR } else { FACTOR * xnorm };
        }
        // qtf = first n components of Qᵀ f; the diagonal of R replaces the Householder pivots.
        trial_f.copy_from_slice(&fvec);
        for j in 0..n {
            let col = &mut fjac[j * m..(j + 1) * m];
            if col[j] != 0.0 {
                let sum = dot(&col[j..], &trial_f[j..]);
                let temp = -sum / col[j];
                for (f, a) in trial_f[j..].iter_mut().zip(&col[j..]) {
                    *f += a * temp;
                }
            }
            col[j] = wa1[j];
            qtf[j] = trial_f[j];
        }
        // Scaled gradient norm.
        let mut gnorm: f64 = 0.0;
        for j in 0..n {
            let l = ipvt[j];
            if acnorm[l] != 0.0 {
                let col = &fjac[j * m..j * m + j + 1];
                let sum: f64 = col.iter().zip(&qtf[..=j]).map(|(r, q)| r * (q / fnorm)).sum();
                gnorm = gnorm.max((sum / acnorm[l]).abs());
            }
        }
        if !gnorm.is_finite() {
            return (Stop::NonFinite, nfev);
        }
        if gnorm <= s.gtol {
            return (Stop::Orthogonal, nfev);
        }
        if !first {
            for j in 0..n {
                diag[j] = diag[j].max(acnorm[j]);
            }
        }
        // Inner loop: steps until one is accepted.
        loop {
            par = lmpar(m, n, &mut fjac, &ipvt, &diag, &qtf, delta, par, &mut wa1, &mut work);
            // wa1 = −p (lmpar returns the solution of the least-squares system J p ≈ f).
            for v in wa1.iter_mut() {
                *v = -*v;
            }
            for j in 0..n {
                wa2[j] = x[j] + wa1[j];
                wa3[j] = diag[j] * wa1[j];
            }
            let pnorm = norm(&wa3);
            if first {
                delta = delta.min(pnorm);
            }
            nfev += 1;
            let fnorm1 = if model.residuals(&wa2, &mut trial_f) { norm(&trial_f) } else { f64::INFINITY };
            let actred = if 0.1 * fnorm1 < fnorm { 1.0 - (fnorm1 / fnorm).powi(2) } else { -1.0 };
            // Predicted reduction and directional derivative.
            for j in 0..n {
                wa3[j] = 0.0;
                let temp = wa1[ipvt[j]];
                let col = &fjac[j * m..j * m + j + 1];
                for (w, r) in wa3[..=j].iter_mut().zip(col) {
                    *w += r * temp;
                }
            }
            let temp1 = norm(&wa3) / fnorm;
            let temp2 = par.sqrt() * pnorm / fnorm;
            let prered = temp1 * temp1 + temp2 * temp2 / 0.5;
            let dirder = -(temp1 * temp1 + temp2 * temp2);
            let ratio = if prered != 0.0 { actred / prered } else { 0.0 };
            if ratio <= 0.25 {
                let mut temp = if actred >= 0.0 { 0.5 } else { 0.5 * dirder / (dirder + 0.5 * actred) };
                if 0.1 * fnorm1 >= fnorm || temp < 0.1 || !temp.is_finite() {
                    temp = 0.1;
                }
                delta = temp * delta.min(pnorm / 0.1);
                par /= temp;
            } else if par == 0.0 || ratio >= 0.75 {
                delta = pnorm / 0.5;
                par *= 0.5;
            }
            let accepted = ratio >= 1e-4;
            if accepted {
                x.copy_from_slice(&wa2);
                xnorm = diag.iter().zip(x.iter()).map(|(d, x)| (d * x) * (d * x)).sum::<f64>().sqrt();
                std::mem::swap(&mut fvec, &mut trial_f);
                fnorm = fnorm1;
                first = false;
            }
            if fnorm <= f64::MIN_POSITIVE {
                return (Stop::ResidualsZero, nfev);
            }
            let ftol_ok = actred.abs() <= s.ftol && prered <= s.ftol && 0.5 * ratio <= 1.0;
            if ftol_ok || delta <= s.xtol * xnorm {
                return (Stop::Converged, nfev);
            }
            if nfev >= s.max_evaluations {
                return (Stop::MaxEvaluations, nfev);
            }
            if (actred.abs() <= EPSMCH && prered <= EPSMCH && 0.5 * ratio <= 1.0)
                || delta <= EPSMCH * xnorm
                || gnorm <= EPSMCH
            {
                return (Stop::NoImprovementPossible, nfev);
            }
            if accepted {
                break;
            }
        }
    }
}

/// Scratch of `lmpar`/`qrsolv`.
struct Work {
    sdiag: Vec<f64>,
    wa1: Vec<f64>,
    wa2: Vec<f64>,
    x: Vec<f64>,
}

impl Work {
    fn new(n: usize) -> Self {
        Self { sdiag: vec![0.0; n], wa1: vec![0.0; n], wa2: vec![0.0; n], x: vec![0.0; n] }
    }
}

/// Householder QR with column pivoting of the m × n column-major `a`: R's strict upper triangle and
/// the Householder vectors are left in `a`, R's diagonal in `rdiag`, the column norms of the input in
/// `acnorm`, the permutation in `ipvt` (column j of AP is column ipvt[j] of A).
fn qrfac(
    m: usize,
    n: usize,
    a: &mut [f64],
    ipvt: &mut [usize],
    rdiag: &mut [f64],
    acnorm: &mut [f64],
    wa: &mut [f64],
) {
    for j in 0..n {
        acnorm[j] = norm(&a[j * m..(j + 1) * m]);
        rdiag[j] = acnorm[j];
        wa[j] = rdiag[j];
        ipvt[j] = j;
    }
    for j in 0..m.min(n) {
        let kmax = (j..n).fold(j, |best, k| if rdiag[k] > rdiag[best] { k } else { best });
        if kmax != j {
            for i in 0..m {
                a.swap(j * m + i, kmax * m + i);
            }
            rdiag[kmax] = rdiag[j];
            wa[kmax] = wa[j];
            ipvt.swap(j, kmax);
        }
        let (head, tail) = a.split_at_mut((j + 1) * m);
        let colj = &mut head[j * m + j..];
        let mut ajnorm = norm(colj);
        if ajnorm != 0.0 {
            if colj[0] < 0.0 {
                ajnorm = -ajnorm;
            }
            for v in colj.iter_mut() {
                *v /= ajnorm;
            }
            colj[0] += 1.0;
            for k in j + 1..n {
                let colk = &mut tail[(k - j - 1) * m..(k - j) * m];
                let sum = dot(colj, &colk[j..]);
                let temp = sum / colj[0];
                for (b, a) in colk[j..].iter_mut().zip(colj.iter()) {
                    *b -= temp * a;
                }
                if rdiag[k] != 0.0 {
                    let t = colk[j] / rdiag[k];
                    rdiag[k] *= (1.0 - t * t).max(0.0).sqrt();
                    if 0.05 * (rdiag[k] / wa[k]).powi(2) <= EPSMCH {
                        rdiag[k] = norm(&colk[j + 1..]);
                        wa[k] = rdiag[k];
                    }
                }
            }
        }
        rdiag[j] = -ajnorm;
    }
}

/// The Levenberg-Marquardt parameter for trust radius `delta`; the step (solution of
/// min ‖J p − f‖ + par ‖D p‖) goes to `x`. `r` holds R (upper triangle of the top n × n block of the
/// column-major m-row matrix); its strict lower triangle is overwritten.
#[allow(clippy::too_many_arguments)]
fn lmpar(
    m: usize,
    n: usize,
    r: &mut [f64],
    ipvt: &[usize],
    diag: &[f64],
    qtb: &[f64],
    delta: f64,
    par_in: f64,
    x: &mut [f64],
    w: &mut Work,
) -> f64 {
    let at = |i: usize, j: usize| i + j * m;
    let dwarf = f64::MIN_POSITIVE;
    // Gauss-Newton direction (least-squares solution if R is singular).
    let mut nsing = n;
    for j in 0..n {
        w.wa1[j] = qtb[j];
        if r[at(j, j)] == 0.0 && nsing == n {
            nsing = j;
        }
        if nsing < n {
            w.wa1[j] = 0.0;
        }
    }
    for j in (0..nsing).rev() {
        w.wa1[j] /= r[at(j, j)];
        let temp = w.wa1[j];
        for i in 0..j {
            w.wa1[i] -= r[at(i, j)] * temp;
        }
    }
    for j in 0..n {
        x[ipvt[j]] = w.wa1[j];
    }
    for j in 0..n {
        w.wa2[j] = diag[j] * x[j];
    }
    let mut dxnorm = norm(&w.wa2);
    let mut fp = dxnorm - delta;
    if fp <= 0.1 * delta {
        return 0.0;
    }
    // Lower bound parl (zero if R is singular).
    let mut parl = 0.0;
    if nsing >= n {
        for j in 0..n {
            let l = ipvt[j];
            w.wa1[j] = diag[l] * (w.wa2[l] / dxnorm);
        }
        for j in 0..n {
            let sum: f64 = (0..j).map(|i| r[at(i, j)] * w.wa1[i]).sum();
            w.wa1[j] = (w.wa1[j] - sum) / r[at(j, j)];
        }
        let temp = norm(&w.wa1);
        parl = ((fp / delta) / temp) / temp;
    }
    // Upper bound paru.
    for j in 0..n {
        let sum: f64 = (0..=j).map(|i| r[at(i, j)] * qtb[i]).sum();
        w.wa1[j] = sum / diag[ipvt[j]];
    }
    let gnorm = norm(&w.wa1);
    let mut paru = gnorm / delta;
    if paru == 0.0 {
        paru = dwarf / delta.min(0.1);
    }
    let mut par = par_in.max(parl).min(paru);
    if par == 0.0 {
        par = gnorm / dxnorm;
    }
    let mut iter = 0;
    loop {
        iter += 1;
        if par == 0.0 {
            par = dwarf.max(0.001 * paru);
        }
        let temp = par.sqrt();
        for j in 0..n {
            w.wa1[j] = temp * diag[j];
        }
        qrsolv(m, n, r, ipvt, &w.wa1, qtb, x, &mut w.sdiag, &mut w.wa2, &mut w.x);
        for j in 0..n {
            w.wa2[j] = diag[j] * x[j];
        }
        dxnorm = norm(&w.wa2);
        let temp = fp;
        fp = dxnorm - delta;
        if fp.abs() <= 0.1 * delta || (parl == 0.0 && fp <= temp && temp < 0.0) || iter == 10 {
            break;
        }
        // Newton correction.
        for j in 0..n {
            let l = ipvt[j];
            w.wa1[j] = diag[l] * (w.wa2[l] / dxnorm);
        }
        for j in 0..n {
            w.wa1[j] /= w.sdiag[j];
            let temp = w.wa1[j];
            for i in j + 1..n {
                w.wa1[i] -= r[at(i, j)] * temp;
            }
        }
        let temp = norm(&w.wa1);
        let parc = ((fp / delta) / temp) / temp;
        if fp > 0.0 {
            parl = parl.max(par);
        }
        if fp < 0.0 {
            paru = paru.min(par);
        }
        par = parl.max(par + parc);
    }
    par
}

/// Solves min ‖[R; D'] z − [Qᵀb; 0]‖ for the pivoted R with D' = Pᵀ diag P, by Givens rotations; the
/// solution (in the original order) goes to `x`, the diagonal of the rotated triangle to `sdiag`.
#[allow(clippy::too_many_arguments)]
fn qrsolv(
    m: usize,
    n: usize,
    r: &mut [f64],
    ipvt: &[usize],
    diag: &[f64],
    qtb: &[f64],
    x: &mut [f64],
    sdiag: &mut [f64],
    wa: &mut [f64],
    rdiag_copy: &mut [f64],
) {
    let at = |i: usize, j: usize| i + j * m;
    // Copy R's upper triangle to the lower one (R's diagonal saved in rdiag_copy).
    for j in 0..n {
        for i in j..n {
            r[at(i, j)] = r[at(j, i)];
        }
        rdiag_copy[j] = r[at(j, j)];
        wa[j] = qtb[j];
    }
    for j in 0..n {
        let l = ipvt[j];
        if diag[l] != 0.0 {
            for v in sdiag[j..n].iter_mut() {
                *v = 0.0;
            }
            sdiag[j] = diag[l];
            let mut qtbpj = 0.0;
            for k in j..n {
                if sdiag[k] == 0.0 {
                    continue;
                }
                let rkk = r[at(k, k)];
                let (sin, cos) = if rkk.abs() < sdiag[k].abs() {
                    let cotan = rkk / sdiag[k];
                    let sin = 0.5 / (0.25 + 0.25 * cotan * cotan).sqrt();
                    (sin, sin * cotan)
                } else {
                    let tan = sdiag[k] / rkk;
                    let cos = 0.5 / (0.25 + 0.25 * tan * tan).sqrt();
                    (cos * tan, cos)
                };
                r[at(k, k)] = cos * rkk + sin * sdiag[k];
                let temp = cos * wa[k] + sin * qtbpj;
                qtbpj = -sin * wa[k] + cos * qtbpj;
                wa[k] = temp;
                for i in k + 1..n {
                    let temp = cos * r[at(i, k)] + sin * sdiag[i];
                    sdiag[i] = -sin * r[at(i, k)] + cos * sdiag[i];
                    r[at(i, k)] = temp;
                }
            }
        }
        sdiag[j] = r[at(j, j)];
        r[at(j, j)] = rdiag_copy[j];
    }
    let mut nsing = n;
    for j in 0..n {
        if sdiag[j] == 0.0 && nsing == n {
            nsing = j;
        }
        if nsing < n {
            wa[j] = 0.0;
        }
    }
    for j in (0..nsing).rev() {
        let sum: f64 = (j + 1..nsing).map(|i| r[at(i, j)] * wa[i]).sum();
        wa[j] = (wa[j] - sum) / sdiag[j];
    }
    for j in 0..n {
        x[ipvt[j]] = wa[j];
    }
}
