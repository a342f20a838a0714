//! The explicit finite-volume kernels. Rows are the unit of parallel work: each task takes a fixed
//! block of [`CHUNK_ROWS`] rows (never a share of the thread count), and every reduction is kept per
//! row and added in row order, so results do not depend on the number of threads, bit for bit. A 3D
//! grid adds the two neighbour planes; a GPU port maps one thread per cell of the same stencils.
//! Short maths names here; each block names its equation in the module docs of `phase_field`.
//!
//! - [`reaction_terms`]: Allen-Cahn part ac = −L_σ[g'(ξ) − ∇·F_κ] (F_κ the variational anisotropic
//!   flux) and the two Butler-Volmer coefficients A, C with ∂_tξ = ac + C e^{−αs} − A e^{(1−α)s},
//!   s = fφ_s, so the metal potential enters through one scalar. It is a pass of its own because the
//!   galvanostatic controller needs ΣA, ΣC and Σac before any cell can move.
//! - [`update_cells`]: one fused pass, forward Euler for ξ once s is known and the conservative
//!   update of c̃ (harmonic-mean D, Scharfetter-Gummel migration for the Chen form, deposition
//!   sink), which needs the new ξ of its own cell only; [`update_phase`] is the ξ half alone (implicit
//!   salt diffusion, frozen transport).
//!
//! Each face flux is evaluated once and used, with its sign, by both cells it separates (carried
//! along the row for x faces, one buffered row of y faces per block): half the work of a per-cell
//! stencil, and the two cells see the same number, so the update conserves to rounding. D(ξ) is
//! evaluated once per cell into a row buffer. Anisotropy needs no trigonometry (cos 4θ, sin 4θ from
//! the gradient components), exp is evaluated only where h'(ξ) > 1e-12, and values below
//! [`FLUSH`] are set to zero.

use rayon::prelude::*;

use super::grid::{min_items, Grid, SideWalls};

/// Rows per parallel task (fixed, so the split does not depend on the thread count).
pub(crate) const CHUNK_ROWS: usize = 8;

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
    #[inline(always)]
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
    #[inline(always)]
    fn flux_x(&self, gx: f64, gy: f64) -> f64 {
        let (k, hk) = self.kappa(gx, gy);
        k * gx - hk * gy
    }

    /// y-face flux κ gy + ½κ' gx (gy normal).
    #[inline(always)]
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

/// The three rows of a field a row's stencil reads: below, own, above (exactly `nx` long).
#[inline(always)]
fn rows3(v: &[f64], nx: usize, j: usize, jb: usize, ja: usize) -> (&[f64], &[f64], &[f64]) {
    (&v[jb * nx..(jb + 1) * nx], &v[j * nx..(j + 1) * nx], &v[ja * nx..(ja + 1) * nx])
}

/// Anisotropic y-face fluxes F_κ,y of the face row between rows `lo` and `hi` (hi above lo) into
/// `out`; `im`/`ip` are clamped at the x ends as in the cell stencil.
#[inline]
fn y_faces(k: &Coefficients, lo: &[f64], hi: &[f64], out: &mut [f64]) {
    let nx = out.len();
    let (lo, hi) = (&lo[..nx], &hi[..nx]);
    let inv_dx = 1.0 / k.dx;
    let q = 0.25 * inv_dx;
    for i in 0..nx {
        let (im, ip) = (i.saturating_sub(1), (i + 1).min(nx - 1));
        out[i] = k.flux_y(((lo[ip] + hi[ip]) - (lo[im] + hi[im])) * q, (hi[i] - lo[i]) * inv_dx);
    }
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
    let (nx, ny) = (grid.nx, grid.ny);
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let inv_dx = 1.0 / k.dx;
    let q = 0.25 * inv_dx;
    let block = CHUNK_ROWS * nx;
    let mut rows = vec![Sums::default(); ny];
    ac.par_chunks_mut(block)
        .zip(a.par_chunks_mut(block))
        .zip(c.par_chunks_mut(block))
        .zip(rows.par_chunks_mut(CHUNK_ROWS))
        .enumerate()
        .with_min_len(min_items(block))
        .for_each_init(
            || (vec![0.0; nx], vec![0.0; nx]),
            |(f_s, f_n), (b, (((ac_b, a_b), c_b), sums_b))| {
                let j0 = b * CHUNK_ROWS;
                for (r_, sums) in sums_b.iter_mut().enumerate() {
                    let j = j0 + r_;
                    let (jb, ja) = grid.neighbour_rows(j);
                    let (rb, r, ra) = rows3(xi, nx, j, jb, ja);
                    let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == ny);
                    let anisotropic = k.delta != 0.0;
                    if anisotropic {
                        // South faces: computed at the block's first row, carried from the row
                        // below's north faces after.
                        if r_ == 0 {
                            if wall_s {
                                f_s.fill(0.0);
                            } else {
                                y_faces(k, rb, r, f_s);
                            }
                        }
                        if wall_n {
                            f_n.fill(0.0);
                        } else {
                            y_faces(k, r, ra, f_n);
                        }
                    }
                    let ac_row = &mut ac_b[r_ * nx..(r_ + 1) * nx];
                    let a_row = &mut a_b[r_ * nx..(r_ + 1) * nx];
                    let c_row = &mut c_b[r_ * nx..(r_ + 1) * nx];
                    let (f_s_row, f_n_row) = (&f_s[..nx], &f_n[..nx]);
                    let cr = &conc[j * nx..(j + 1) * nx];
                    let pr = &phi[j * nx..(j + 1) * nx];
                    let mut s = Sums::default();
                    let mut fw = 0.0;
                    for i in 0..nx {
                        let p = r[i];
                        // ∇·F_κ by face fluxes (zero at no-flux boundaries).
                        let div = if anisotropic {
                            let fe = if i + 1 < nx {
                                k.flux_x(
                                    (r[i + 1] - p) * inv_dx,
                                    ((ra[i] + ra[i + 1]) - (rb[i] + rb[i + 1])) * q,
                                )
                            } else {
                                0.0
                            };
                            let d = ((fe - fw) + (f_n_row[i] - f_s_row[i])) * inv_dx;
                            fw = fe;
                            d
                        } else {
                            let e = if i + 1 < nx { r[i + 1] - p } else { 0.0 };
                            let w = if i > 0 { r[i - 1] - p } else { 0.0 };
                            let n = if wall_n { 0.0 } else { ra[i] - p };
                            let so = if wall_s { 0.0 } else { rb[i] - p };
                            k.kappa0 * ((e + w) + (n + so)) * inv_dx * inv_dx
                        };
                        let g1 = 2.0 * k.w * p * (1.0 - p) * (1.0 - 2.0 * p);
                        let t = -k.l_sigma * (g1 - div);
                        ac_row[i] = t;
                        s.ac += t;
                        let hp = interpolation_slope(p);
                        let (mut av, mut cv) = (0.0, 0.0);
                        if k.reaction && hp > 1e-12 {
                            let mut w = l_eta[j] * hp;
                            if k.noise > 0.0 {
                                let g = super::noise::gaussian(k.seed, step, (j * nx + i) as u64)
                                    .clamp(-3.0, 3.0);
                                w *= 1.0 + k.noise * g;
                            }
                            let cl = cr[i].max(0.0);
                            let psi = k.f * pr[i];
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
                        s.a += av;
                        s.c += cv;
                    }
                    *sums = s;
                    if anisotropic {
                        std::mem::swap(f_s, f_n);
                    }
                }
            },
        );
    rows.iter().fold(Sums::default(), |s, r| Sums { ac: s.ac + r.ac, a: s.a + r.a, c: s.c + r.c })
}

/// Statistics of [`update_phase`] and [`update_cells`].
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
    /// Cells left with c̃' < 0 ([`update_cells`] only).
    pub negative: u64,
}

impl PhaseStats {
    /// Row statistics folded in row order.
    fn fold(rows: &[PhaseStats]) -> PhaseStats {
        rows.iter().fold(PhaseStats::default(), |s, r| PhaseStats {
            stiffness: s.stiffness.max(r.stiffness),
            overshoot: s.overshoot.max(r.overshoot),
            delta: s.delta + r.delta,
            max_rate: s.max_rate.max(r.max_rate),
            negative: s.negative + r.negative,
        })
    }
}

/// The forward-Euler ξ update of one cell: ξ' = ξ + Δt(ac + C e^{−αs} − A e^{(1−α)s}) with
/// (ep, em) = (e^{(1−α)s}, e^{−αs}); writes ∂_tξ and updates the row statistics; returns ξ'.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn phase_cell(
    p: f64,
    ac: f64,
    a: f64,
    c: f64,
    ep: f64,
    em: f64,
    dt: f64,
    rate: &mut f64,
    st: &mut PhaseStats,
) -> f64 {
    let (ea, ec) = (a * ep, c * em);
    let mut v = p + dt * (ac + (ec - ea));
    if v.abs() < FLUSH {
        v = 0.0;
    }
    let r = (v - p) / dt;
    *rate = r;
    // Plain comparisons instead of f64::max: the same values (a NaN is skipped by both), fewer
    // instructions on the per-cell dependency chain; max(ξ' − 1, −ξ') is ξ' − 1 exactly when ξ' > ½.
    if r.abs() > st.max_rate {
        st.max_rate = r.abs();
    }
    if ea + ec > 0.0 {
        let hp = interpolation_slope(p);
        let stiff = (ea + ec) / hp;
        if stiff > st.stiffness {
            st.stiffness = stiff;
        }
    }
    let over = if v > 0.5 { v - 1.0 } else { -v };
    if over > st.overshoot {
        st.overshoot = over;
    }
    st.delta += v - p;
    v
}

/// Pass 2 without transport: ξ' = ξ + Δt(ac + C e^{−αs} − A e^{(1−α)s}); stores ∂_tξ in `rate`.
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
    let mut rows = vec![PhaseStats::default(); xi.len() / nx];
    xi_new
        .par_chunks_mut(nx)
        .zip(rate.par_chunks_mut(nx))
        .zip(rows.par_iter_mut())
        .enumerate()
        .with_min_len(min_items(nx).max(CHUNK_ROWS))
        .for_each(|(j, ((out, rt), st))| {
            let range = j * nx..(j + 1) * nx;
            let (x, acr, ar, cr) = (&xi[range.clone()], &ac[range.clone()], &a[range.clone()], &c[range]);
            for i in 0..nx {
                out[i] = phase_cell(x[i], acr[i], ar[i], cr[i], ep, em, dt, &mut rt[i], st);
            }
        });
    PhaseStats::fold(&rows)
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

/// The transport inputs of [`update_cells`].
pub(crate) struct Transport<'a> {
    /// Far-plane condition; `None` leaves the last column without its inflow, unflushed and
    /// uncounted, for [`add_far_inflow`] once the deposition current is known.
    pub far: Option<FarInflow>,
    /// c̃ of the step's start.
    pub conc: &'a [f64],
    /// φ (read by the Chen form's migration only).
    pub phi: &'a [f64],
}

/// Conservative face flux into cell `hi` from cell `lo` (D at both cells, the Chen form with the
/// Scharfetter-Gummel weights of fΔφ), times Δx/Δt-free units: D_f[B(−Δψ)c_lo − B(Δψ)c_hi] with
/// Δψ = f(φ_lo − φ_hi) (B ≡ 1 without migration).
#[inline(always)]
fn salt_flux(k: &Coefficients, d_lo: f64, d_hi: f64, c_lo: f64, c_hi: f64, ph_lo: f64, ph_hi: f64) -> f64 {
    let df = harmonic(d_hi, d_lo);
    if df == 0.0 {
        return 0.0;
    }
    if k.chen {
        let dpsi = k.f * (ph_lo - ph_hi);
        df * (bernoulli(-dpsi) * c_lo - bernoulli(dpsi) * c_hi)
    } else {
        df * (c_lo - c_hi)
    }
}

/// Per-task buffers of [`update_cells`]: D(ξ) of the rows below, at and above, and the salt fluxes
/// through the south and north faces of the row.
struct Rows {
    d: [Vec<f64>; 3],
    f: [Vec<f64>; 2],
}

/// Pass 2 with explicit transport, fused: ξ' as [`update_phase`], and c̃' = c̃ + Δt ∇·(D(ξ)∇c̃
/// [+ migration]) − sink·(ξ' − ξ) by conservative face fluxes with D(ξ) = D(1 − h(ξ)) at the old ξ.
/// Writes ξ', ∂_tξ and c̃'; the statistics count the cells left with c̃' < 0.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update_cells(
    k: &Coefficients,
    grid: &Grid,
    s: f64,
    dt: f64,
    xi: &[f64],
    ac: &[f64],
    a: &[f64],
    c: &[f64],
    tr: &Transport<'_>,
    xi_new: &mut [f64],
    rate: &mut [f64],
    c_new: &mut [f64],
) -> PhaseStats {
    let (nx, ny) = (grid.nx, grid.ny);
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let (ep, em) = (((1.0 - k.alpha) * s).exp(), (-k.alpha * s).exp());
    let lam = dt / (k.dx * k.dx);
    let (conc, phi) = (tr.conc, tr.phi);
    let d_row = |j: usize, out: &mut [f64]| {
        for (o, &x) in out.iter_mut().zip(&xi[j * nx..(j + 1) * nx]) {
            *o = k.diffusivity * (1.0 - interpolation(x));
        }
    };
    // Salt fluxes through the face row between rows lo and hi (into hi).
    let y_flux = |lo: usize, hi: usize, d_lo: &[f64], d_hi: &[f64], out: &mut [f64]| {
        let (cl, ch) = (&conc[lo * nx..(lo + 1) * nx], &conc[hi * nx..(hi + 1) * nx]);
        let (pl, ph) = (&phi[lo * nx..(lo + 1) * nx], &phi[hi * nx..(hi + 1) * nx]);
        let (d_lo, d_hi, out) = (&d_lo[..nx], &d_hi[..nx], &mut out[..nx]);
        for i in 0..nx {
            out[i] = salt_flux(k, d_lo[i], d_hi[i], cl[i], ch[i], pl[i], ph[i]);
        }
    };
    let block = CHUNK_ROWS * nx;
    let mut rows = vec![PhaseStats::default(); ny];
    xi_new
        .par_chunks_mut(block)
        .zip(rate.par_chunks_mut(block))
        .zip(c_new.par_chunks_mut(block))
        .zip(rows.par_chunks_mut(CHUNK_ROWS))
        .enumerate()
        .with_min_len(min_items(block))
        .for_each_init(
            || Rows { d: [vec![0.0; nx], vec![0.0; nx], vec![0.0; nx]], f: [vec![0.0; nx], vec![0.0; nx]] },
            |buf, (b, (((x_b, r_b), c_b), st_b))| {
                let j0 = b * CHUNK_ROWS;
                for (r_, st) in st_b.iter_mut().enumerate() {
                    let j = j0 + r_;
                    let (jb, ja) = grid.neighbour_rows(j);
                    let (wall_s, wall_n) = (no_flux_y && j == 0, no_flux_y && j + 1 == ny);
                    if r_ == 0 {
                        d_row(j, &mut buf.d[1]);
                        d_row(jb, &mut buf.d[0]);
                        let [d0, d1, _] = &buf.d;
                        if wall_s {
                            buf.f[0].fill(0.0);
                        } else {
                            y_flux(jb, j, d0, d1, &mut buf.f[0]);
                        }
                    }
                    d_row(ja, &mut buf.d[2]);
                    {
                        let [_, d1, d2] = &buf.d;
                        if wall_n {
                            buf.f[1].fill(0.0);
                        } else {
                            y_flux(j, ja, d1, d2, &mut buf.f[1]);
                        }
                    }
                    let range = j * nx..(j + 1) * nx;
                    let x = &xi[range.clone()];
                    let (acr, ar, cr) = (&ac[range.clone()], &a[range.clone()], &c[range.clone()]);
                    let (cp_row, pp_row) = (&conc[range.clone()], &phi[range]);
                    let dm = &buf.d[1][..nx];
                    let (f_s, f_n) = (&buf.f[0][..nx], &buf.f[1][..nx]);
                    let out = &mut x_b[r_ * nx..(r_ + 1) * nx];
                    let rt = &mut r_b[r_ * nx..(r_ + 1) * nx];
                    let co = &mut c_b[r_ * nx..(r_ + 1) * nx];
                    let mut w = 0.0; // flux into i from i − 1 (none at x = 0)
                    for i in 0..nx {
                        let p = x[i];
                        let v = phase_cell(p, acr[i], ar[i], cr[i], ep, em, dt, &mut rt[i], st);
                        out[i] = v;
                        let cp = cp_row[i];
                        // Flux into i + 1 from i; into i it is the negative.
                        let x_f = if i + 1 < nx {
                            salt_flux(k, dm[i], dm[i + 1], cp, cp_row[i + 1], pp_row[i], pp_row[i + 1])
                        } else {
                            0.0
                        };
                        let e = -x_f;
                        let (n, so) = (-f_n[i], f_s[i]);
                        let mut cv = cp + lam * ((e + w) + (n + so)) - k.sink * (v - p);
                        w = x_f;
                        if i + 1 == nx {
                            match tr.far {
                                Some(FarInflow::Reservoir) => cv += 2.0 * lam * dm[i] * (1.0 - cp),
                                Some(FarInflow::Flux(u)) => cv += dt * u / k.dx,
                                Some(FarInflow::Closed) => {}
                                None => {
                                    co[i] = cv;
                                    continue;
                                }
                            }
                        }
                        if cv.abs() < FLUSH {
                            cv = 0.0;
                        }
                        if cv < 0.0 {
                            st.negative += 1;
                        }
                        co[i] = cv;
                    }
                    buf.d.rotate_left(1);
                    buf.f.swap(0, 1);
                }
            },
        );
    PhaseStats::fold(&rows)
}

/// Adds the far-plane inflow Δt·u/Δx to the last column left open by [`update_cells`] with
/// `far: None`, then flushes it; returns the cells left with c̃' < 0 [u in c̃ m/s].
pub(crate) fn add_far_inflow(nx: usize, k: &Coefficients, dt: f64, u: f64, c_new: &mut [f64]) -> u64 {
    let mut negative = 0;
    for row in c_new.chunks_mut(nx) {
        let cv = &mut row[nx - 1];
        *cv += dt * u / k.dx;
        if cv.abs() < FLUSH {
            *cv = 0.0;
        }
        if *cv < 0.0 {
            negative += 1;
        }
    }
    negative
}

#[cfg(test)]
mod tests;
