//! The explicit finite-volume kernels, one row of cells per call so that rows are the unit of
//! parallel work (a 3D grid adds the two neighbour planes; a GPU port maps one thread per cell of
//! the same stencils). Short maths names here; each block names its equation in the module docs of
//! `phase_field`.
//!
//! - [`reaction_terms`]: Allen-Cahn part ac = −L_σ[g'(ξ) − ∇·F_κ] (F_κ the variational anisotropic
//!   flux) and the two Butler-Volmer coefficients A, C with ∂_tξ = ac + C e^{−αs} − A e^{(1−α)s},
//!   s = fφ_s, so the metal potential enters through one scalar;
//! - [`update_phase`]: forward Euler for ξ once s is known;
//! - [`update_concentration`]: conservative face fluxes for c̃ (harmonic-mean D, Scharfetter-Gummel
//!   migration for the Chen form) and the deposition sink.

use rayon::prelude::*;

use super::grid::{Grid, SideWalls};

/// Rows per rayon task.
const MIN_ROWS: usize = 4;

/// Values below this are flushed to zero (denormals slow the kernels by ~7×, phasefield.md §7).
pub(crate) const FLUSH: f64 = 1e-30;

/// Constants of the kernels, derived once from the parameters and setup.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Coefficients {
    pub dx: f64,
    pub l_sigma: f64,
    pub w: f64,
    pub kappa0: f64,
    pub delta: f64,
    pub cos4: f64,
    pub sin4: f64,
    pub alpha: f64,
    pub f: f64,
    pub chen: bool,
    pub noise: f64,
    pub seed: u64,
    pub diffusivity: f64,
    /// Concentration drop per unit Δξ: (1 − t₊)c_s/c₀ (§1.3) or c_s/c₀ (§1.1).
    pub sink: f64,
    pub reaction: bool,
}

/// Far-plane concentration condition as the kernel sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FarInflow {
    Reservoir,
    Closed,
    /// Inflow velocity in c̃ units [m/s].
    Flux(f64),
}

/// h(ξ) = ξ³(6ξ² − 15ξ + 10) on ξ clamped to [0, 1].
#[inline]
pub(crate) fn interpolation(xi: f64) -> f64 {
    let x = xi.clamp(0.0, 1.0);
    x * x * x * (x * (6.0 * x - 15.0) + 10.0)
}

/// h'(ξ) = 30ξ²(1 − ξ)² on ξ clamped to [0, 1].
#[inline]
pub(crate) fn interpolation_slope(xi: f64) -> f64 {
    let x = xi.clamp(0.0, 1.0);
    let y = x * (1.0 - x);
    30.0 * y * y
}

impl Coefficients {
    /// (κ, ½κ') of the anisotropic gradient coefficient for gradient (gx, gy) without trigonometry:
    /// cos 4θ = (gx⁴ − 6gx²gy² + gy⁴)/|g|⁴, sin 4θ = 4gxgy(gx² − gy²)/|g|⁴.
    #[inline]
    fn kappa(&self, gx: f64, gy: f64) -> (f64, f64) {
        let (x2, y2) = (gx * gx, gy * gy);
        let g2 = x2 + y2;
        if g2 * self.dx * self.dx < 1e-18 {
            return (self.kappa0, 0.0);
        }
        let inv = 1.0 / (g2 * g2);
        let c = (x2 * x2 - 6.0 * x2 * y2 + y2 * y2) * inv;
        let s = 4.0 * gx * gy * (x2 - y2) * inv;
        let (cr, sr) = (c * self.cos4 + s * self.sin4, s * self.cos4 - c * self.sin4);
        (self.kappa0 * (1.0 + self.delta * cr), -2.0 * self.kappa0 * self.delta * sr)
    }

    /// x-face flux κ gx − ½κ' gy (gx normal).
    #[inline]
    fn flux_x(&self, gx: f64, gy: f64) -> f64 {
        let (k, hk) = self.kappa(gx, gy);
        k * gx - hk * gy
    }

    /// y-face flux κ gy + ½κ' gx (gy normal).
    #[inline]
    fn flux_y(&self, gx: f64, gy: f64) -> f64 {
        let (k, hk) = self.kappa(gx, gy);
        k * gy + hk * gx
    }
}

/// Row sums returned by [`reaction_terms`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sums {
    pub ac: f64,
    pub a: f64,
    pub c: f64,
}

/// Pass 1: Allen-Cahn term and Butler-Volmer coefficients of every cell; returns their sums
/// (deterministic: per-row sums added in row order).
#[allow(clippy::too_many_arguments)]
pub(crate) fn reaction_terms(
    k: &Coefficients,
    grid: &Grid,
    l_eta: &[f64],
    xi: &[f64],
    conc: &[f64],
    phi: &[f64],
    step: u64,
    ac: &mut [f64],
    a: &mut [f64],
    c: &mut [f64],
) -> Sums {
    let nx = grid.nx;
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let inv_dx = 1.0 / k.dx;
    let q = 0.25 * inv_dx;
    let rows: Vec<Sums> = ac
        .par_chunks_mut(nx)
        .zip(a.par_chunks_mut(nx))
        .zip(c.par_chunks_mut(nx))
        .enumerate()
        .with_min_len(MIN_ROWS)
        .map(|(j, ((ac_row, a_row), c_row))| {
            let (jb, ja) = grid.neighbour_rows(j);
            let (r, rb, ra) =
                (&xi[j * nx..(j + 1) * nx], &xi[jb * nx..(jb + 1) * nx], &xi[ja * nx..(ja + 1) * nx]);
            let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == grid.ny);
            let mut sums = Sums::default();
            for i in 0..nx {
                let (im, ip) = (i.saturating_sub(1), (i + 1).min(nx - 1));
                let p = r[i];
                // ∇·F_κ by face fluxes (zero at no-flux boundaries).
                let div = if k.delta == 0.0 {
                    let e = if i + 1 < nx { r[ip] - p } else { 0.0 };
                    let w = if i > 0 { r[im] - p } else { 0.0 };
                    let n = if wall_n { 0.0 } else { ra[i] - p };
                    let s = if wall_s { 0.0 } else { rb[i] - p };
                    k.kappa0 * ((e + w) + (n + s)) * inv_dx * inv_dx
                } else {
                    let fe = if i + 1 < nx {
                        k.flux_x((r[ip] - p) * inv_dx, ((ra[i] + ra[ip]) - (rb[i] + rb[ip])) * q)
                    } else {
                        0.0
                    };
                    let fw = if i > 0 {
                        k.flux_x((p - r[im]) * inv_dx, ((ra[im] + ra[i]) - (rb[im] + rb[i])) * q)
                    } else {
                        0.0
                    };
                    let fnn = if wall_n {
                        0.0
                    } else {
                        k.flux_y(((r[ip] + ra[ip]) - (r[im] + ra[im])) * q, (ra[i] - p) * inv_dx)
                    };
                    let fs = if wall_s {
                        0.0
                    } else {
                        k.flux_y(((r[ip] + rb[ip]) - (r[im] + rb[im])) * q, (p - rb[i]) * inv_dx)
                    };
                    ((fe - fw) + (fnn - fs)) * inv_dx
                };
                let g1 = 2.0 * k.w * p * (1.0 - p) * (1.0 - 2.0 * p);
                let t = -k.l_sigma * (g1 - div);
                ac_row[i] = t;
                sums.ac += t;
                let hp = interpolation_slope(p);
                let (mut av, mut cv) = (0.0, 0.0);
                if k.reaction && hp > 1e-12 {
                    let mut w = l_eta[j] * hp;
                    if k.noise > 0.0 {
                        let g = super::noise::gaussian(k.seed, step, (j * nx + i) as u64).clamp(-3.0, 3.0);
                        w *= 1.0 + k.noise * g;
                    }
                    let cl = conc[j * nx + i].max(0.0);
                    let psi = k.f * phi[j * nx + i];
                    if k.chen {
                        av = w * (-(1.0 - k.alpha) * psi).exp();
                        cv = w * cl * (k.alpha * psi).exp();
                    } else {
                        let cf = if k.alpha == 0.5 { cl.sqrt() } else { cl.powf(1.0 - k.alpha) };
                        av = w * cf * (-(1.0 - k.alpha) * psi).exp();
                        cv = w * cf * (k.alpha * psi).exp();
                    }
                }
                a_row[i] = av;
                c_row[i] = cv;
                sums.a += av;
                sums.c += cv;
            }
            sums
        })
        .collect();
    rows.iter().fold(Sums::default(), |s, r| Sums { ac: s.ac + r.ac, a: s.a + r.a, c: s.c + r.c })
}

/// Statistics of [`update_phase`].
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PhaseStats {
    /// max over reacting cells of L_η,eff(e^{(1−α)fη} + c̃ e^{−αfη}) [1/s].
    pub stiffness: f64,
    /// max(ξ − 1, −ξ, 0).
    pub overshoot: f64,
    /// Σ(ξ' − ξ) over all cells.
    pub delta: f64,
    /// max |∂_tξ| [1/s].
    pub max_rate: f64,
}

/// Pass 2: ξ' = ξ + Δt(ac + C e^{−αs} − A e^{(1−α)s}); stores ∂_tξ in `rate`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update_phase(
    k: &Coefficients,
    nx: usize,
    s: f64,
    dt: f64,
    xi: &[f64],
    ac: &[f64],
    a: &[f64],
    c: &[f64],
    xi_new: &mut [f64],
    rate: &mut [f64],
) -> PhaseStats {
    let (ep, em) = (((1.0 - k.alpha) * s).exp(), (-k.alpha * s).exp());
    let rows: Vec<PhaseStats> = xi_new
        .par_chunks_mut(nx)
        .zip(rate.par_chunks_mut(nx))
        .enumerate()
        .with_min_len(MIN_ROWS)
        .map(|(j, (out, rt))| {
            let mut st = PhaseStats::default();
            for i in 0..nx {
                let kk = j * nx + i;
                let p = xi[kk];
                let (ea, ec) = (a[kk] * ep, c[kk] * em);
                let mut v = p + dt * (ac[kk] + (ec - ea));
                if v.abs() < FLUSH {
                    v = 0.0;
                }
                out[i] = v;
                rt[i] = (v - p) / dt;
                st.max_rate = st.max_rate.max(rt[i].abs());
                if ea + ec > 0.0 {
                    let hp = interpolation_slope(p);
                    st.stiffness = st.stiffness.max((ea + ec) / hp);
                }
                st.overshoot = st.overshoot.max(v - 1.0).max(-v);
                st.delta += v - p;
            }
            st
        })
        .collect();
    rows.iter().fold(PhaseStats::default(), |s, r| PhaseStats {
        stiffness: s.stiffness.max(r.stiffness),
        overshoot: s.overshoot.max(r.overshoot),
        delta: s.delta + r.delta,
        max_rate: s.max_rate.max(r.max_rate),
    })
}

/// Bernoulli function B(x) = x/(eˣ − 1) of the Scharfetter-Gummel flux.
#[inline]
fn bernoulli(x: f64) -> f64 {
    if x.abs() < 1e-6 {
        1.0 - 0.5 * x
    } else {
        x / x.exp_m1()
    }
}

/// Harmonic mean 2ab/(a + b), 0 when either is 0.
#[inline]
pub(crate) fn harmonic(a: f64, b: f64) -> f64 {
    let s = a + b;
    if s > 0.0 {
        2.0 * a * b / s
    } else {
        0.0
    }
}

#[allow(clippy::needless_range_loop)] // the stencil reads several arrays at i
/// Pass 3 (explicit): c̃' = c̃ + Δt ∇·(D(ξ)∇c̃ [+ migration]) − sink·(ξ' − ξ), conservative face fluxes
/// with D(ξ) = D(1 − h(ξ)) at the old ξ. Returns the number of cells left with c̃' < 0.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update_concentration(
    k: &Coefficients,
    grid: &Grid,
    far: FarInflow,
    dt: f64,
    xi: &[f64],
    xi_new: &[f64],
    conc: &[f64],
    phi: &[f64],
    out: &mut [f64],
) -> u64 {
    let nx = grid.nx;
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let lam = dt / (k.dx * k.dx);
    let d = |x: f64| k.diffusivity * (1.0 - interpolation(x));
    let counts: Vec<u64> = out
        .par_chunks_mut(nx)
        .enumerate()
        .with_min_len(MIN_ROWS)
        .map(|(j, row)| {
            let (jb, ja) = grid.neighbour_rows(j);
            let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == grid.ny);
            let mut negative = 0;
            for i in 0..nx {
                let kk = j * nx + i;
                let dp = d(xi[kk]);
                let cp = conc[kk];
                let face = |nb: usize| -> f64 {
                    let df = harmonic(dp, d(xi[nb]));
                    if df == 0.0 {
                        return 0.0;
                    }
                    if k.chen {
                        let dpsi = k.f * (phi[nb] - phi[kk]);
                        // Flux into P from nb: −N_{P→nb} = D[B(−Δψ)c_nb − B(Δψ)c_P]/dx.
                        df * (bernoulli(-dpsi) * conc[nb] - bernoulli(dpsi) * cp)
                    } else {
                        df * (conc[nb] - cp)
                    }
                };
                let e = if i + 1 < nx { face(kk + 1) } else { 0.0 };
                let w = if i > 0 { face(kk - 1) } else { 0.0 };
                let n = if wall_n { 0.0 } else { face(ja * nx + i) };
                let s = if wall_s { 0.0 } else { face(jb * nx + i) };
                let mut v = cp + lam * ((e + w) + (n + s)) - k.sink * (xi_new[kk] - xi[kk]);
                if i + 1 == nx {
                    v += match far {
                        FarInflow::Reservoir => 2.0 * lam * dp * (1.0 - cp),
                        FarInflow::Closed => 0.0,
                        FarInflow::Flux(u) => dt * u / k.dx,
                    };
                }
                if v.abs() < FLUSH {
                    v = 0.0;
                }
                if v < 0.0 {
                    negative += 1;
                }
                row[i] = v;
            }
            negative
        })
        .collect();
    counts.iter().sum()
}
