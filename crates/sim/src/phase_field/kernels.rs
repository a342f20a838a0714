//! The explicit finite-volume kernels. Rows are the unit of parallel work: each task takes a fixed
//! block of [`CHUNK_ROWS`] rows (never a share of the thread count), and every reduction is kept per
//! row and added in row order, so results do not depend on the number of threads, bit for bit. A 3D
//! grid adds the two neighbour planes; a GPU port maps one thread per cell of the same stencils.
//! Short maths names here; each block names its equation in the module docs of `phase_field`.
//!
//! - [`reaction_terms`] (pass 1): Allen-Cahn part ac = −L_σ[g'(ξ) − ∇·F_κ] (F_κ the variational
//!   anisotropic flux) and the two Butler-Volmer coefficients A, C with
//!   ∂_tξ = ac + C e^{−αs} − A e^{(1−α)s}, s = fφ_s, so the metal potential enters through one
//!   scalar. It is a pass of its own because the galvanostatic controller needs ΣA, ΣC and Σac
//!   before any cell can move.
//! - [`update_cells`] (pass 2, in `update`): one fused pass, forward Euler for ξ once s is known
//!   and the conservative update of c̃ (harmonic-mean D, Scharfetter-Gummel migration for the Chen
//!   form, deposition sink), which needs the new ξ of its own cell only; [`update_phase`] is the ξ
//!   half alone (implicit salt diffusion, frozen transport).
//!
//! Both passes skip the bulk: pass 1 first finds, per row, the runs of cells that are exactly 0
//! or 1 at either end (`spans`), and only the cells whose 3 × 3 neighbourhood is not one bulk
//! value (under a tenth of a 1024² grid with one front) get the Allen-Cahn and Butler-Volmer
//! stencil; the arrays ac, A, C are written and read there only. Pass 2 writes the bulk value and
//! ∂_tξ = 0 elsewhere, and its salt faces inside a bulk run use one precomputed harmonic mean.
//! Each face flux is evaluated once and used, with its sign, by both cells it separates (carried
//! along the row for x faces, one buffered row of y faces per block): half the work of a per-cell
//! stencil, and the two cells see the same number, so the update conserves to rounding. D(ξ) is
//! evaluated once per cell into a row buffer. Anisotropy needs no trigonometry (cos 4θ, sin 4θ from
//! the gradient components), exp is evaluated only where h'(ξ) > 1e-12, and values below
//! [`FLUSH`] are set to zero. Every output is the per-cell stencil's, bit for bit (kernels/tests.rs).

use std::ops::Range;

use rayon::prelude::*;

use super::grid::{min_items, Grid, SideWalls};

mod spans;
mod update;

use spans::Active;
pub(crate) use spans::{row_spans, RowSpan};
pub(crate) use update::{add_far_inflow, harmonic, update_cells, update_phase, Reaction, Transport};

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
/// `out[range]`; `im`/`ip` are clamped at the x ends as in the cell stencil.
#[inline]
fn y_faces(k: &Coefficients, lo: &[f64], hi: &[f64], range: Range<usize>, out: &mut [f64]) {
    let nx = out.len();
    let (lo, hi) = (&lo[..nx], &hi[..nx]);
    let inv_dx = 1.0 / k.dx;
    let q = 0.25 * inv_dx;
    for i in range {
        let (im, ip) = (i.saturating_sub(1), (i + 1).min(nx - 1));
        out[i] = k.flux_y(((lo[ip] + hi[ip]) - (lo[im] + hi[im])) * q, (hi[i] - lo[i]) * inv_dx);
    }
}

/// The union of two active ranges (an empty one, `lo == hi`, adds nothing).
fn hull(x: &Active, y: &Active) -> Range<usize> {
    match (x.lo < x.hi, y.lo < y.hi) {
        (true, true) => x.lo.min(y.lo)..x.hi.max(y.hi),
        (true, false) => x.lo..x.hi,
        (false, true) => y.lo..y.hi,
        (false, false) => 0..0,
    }
}

/// Pass 1: the row spans of ξ into `spans` (one per row), then the Allen-Cahn term and the
/// Butler-Volmer coefficients of every active cell (see [`spans`]: the bulk cells, whose terms are
/// zero, are neither computed nor written); returns their sums (deterministic: per-row sums added
/// in row order; a bulk cell would add ±0).
#[allow(clippy::too_many_arguments)]
pub(crate) fn reaction_terms(
    k: &Coefficients,
    grid: &Grid,
    l_eta: &[f64],
    xi: &[f64],
    conc: &[f64],
    phi: &[f64],
    step: u64,
    spans: &mut [RowSpan],
    ac: &mut [f64],
    a: &mut [f64],
    c: &mut [f64],
) -> Sums {
    let (nx, ny) = (grid.nx, grid.ny);
    row_spans(xi, nx, spans);
    let spans = &*spans;
    let active = |j: usize| {
        let (jb, ja) = grid.neighbour_rows(j);
        Active::of(&spans[jb], &spans[j], &spans[ja], nx)
    };
    let no_flux_y = grid.side_walls == SideWalls::NoFlux;
    let anisotropic = k.delta != 0.0;
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
                    let walls = (no_flux_y && j == 0, no_flux_y && j + 1 == ny);
                    let act = active(j);
                    if anisotropic {
                        // South faces: computed at the block's first row, carried from the row
                        // below's north faces after, so the north faces cover the next row's
                        // active cells too. Outside a row's active cells every face is +0.
                        if r_ == 0 {
                            if walls.0 {
                                f_s.fill(0.0);
                            } else {
                                y_faces(k, rb, r, act.lo..act.hi, f_s);
                            }
                        }
                        if walls.1 {
                            f_n.fill(0.0);
                        } else {
                            y_faces(k, r, ra, hull(&act, &active(ja)), f_n);
                        }
                    }
                    let range = act.lo..act.hi;
                    let out = (
                        &mut ac_b[r_ * nx..(r_ + 1) * nx][range.clone()],
                        &mut a_b[r_ * nx..(r_ + 1) * nx][range.clone()],
                        &mut c_b[r_ * nx..(r_ + 1) * nx][range.clone()],
                    );
                    let faces = (&f_s[..nx], &f_n[..nx]);
                    let cells = RowCells { j, range, rows: (rb, r, ra), walls, faces, l_eta: l_eta[j] };
                    *sums = reaction_row(k, &cells, conc, phi, step, out);
                    if anisotropic {
                        std::mem::swap(f_s, f_n);
                    }
                }
            },
        );
    rows.iter().fold(Sums::default(), |s, r| Sums { ac: s.ac + r.ac, a: s.a + r.a, c: s.c + r.c })
}

/// What [`reaction_row`] reads of one row.
struct RowCells<'a> {
    /// The row.
    j: usize,
    /// Its active cells.
    range: Range<usize>,
    /// ξ of the rows below, at and above.
    rows: (&'a [f64], &'a [f64], &'a [f64]),
    /// Whether the south and north faces are no-flux walls.
    walls: (bool, bool),
    /// Anisotropic fluxes through the south and north faces (valid over `range`).
    faces: (&'a [f64], &'a [f64]),
    /// L_η of the row [1/s].
    l_eta: f64,
}

/// Allen-Cahn term and Butler-Volmer A, C of the active cells of one row into `out` (which starts
/// at the first active cell); returns the row's sums.
fn reaction_row(
    k: &Coefficients,
    row: &RowCells<'_>,
    conc: &[f64],
    phi: &[f64],
    step: u64,
    out: (&mut [f64], &mut [f64], &mut [f64]),
) -> Sums {
    let (ac_row, a_row, c_row) = out;
    let (rb, r, ra) = row.rows;
    let (wall_s, wall_n) = row.walls;
    let (f_s, f_n) = row.faces;
    let nx = r.len();
    let (j, lo) = (row.j, row.range.start);
    let (cr, pr) = (&conc[j * nx..(j + 1) * nx], &phi[j * nx..(j + 1) * nx]);
    let inv_dx = 1.0 / k.dx;
    let q = 0.25 * inv_dx;
    let anisotropic = k.delta != 0.0;
    let mut s = Sums::default();
    // Flux through the west face of the first active cell: +0 (a bulk neighbour) or the x = 0 end.
    let mut fw = 0.0;
    for i in row.range.clone() {
        let p = r[i];
        // ∇·F_κ by face fluxes (zero at no-flux boundaries).
        let div = if anisotropic {
            let fe = if i + 1 < nx {
                k.flux_x((r[i + 1] - p) * inv_dx, ((ra[i] + ra[i + 1]) - (rb[i] + rb[i + 1])) * q)
            } else {
                0.0
            };
            let d = ((fe - fw) + (f_n[i] - f_s[i])) * inv_dx;
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
        ac_row[i - lo] = t;
        s.ac += t;
        let hp = interpolation_slope(p);
        let (mut av, mut cv) = (0.0, 0.0);
        if k.reaction && hp > 1e-12 {
            let mut w = row.l_eta * hp;
            if k.noise > 0.0 {
                let g = super::noise::gaussian(k.seed, step, (j * nx + i) as u64).clamp(-3.0, 3.0);
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
        a_row[i - lo] = av;
        c_row[i - lo] = cv;
        s.a += av;
        s.c += cv;
    }
    s
}

#[cfg(test)]
mod tests;
